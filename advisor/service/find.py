"""Finding the shopper's own product for a service run: by the barcode on it (a variant's GTIN, as a camera or a
USB scanner types it), by its sku, or by words of its name; one place for the kiosk and the web.

A barcode scanner types the digits and Enter, sometimes with spaces, a symbology prefix such as "]E0" or a
leading zero (a GTIN-13 read as GTIN-14): codes are compared as 14 digits. Words match when every word is in the
product's name (either language) or brand, case and accents aside (an umlaut typed as ä, a or ae); the results keep
the catalog's order, names that start with the words first.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from advisor.catalog.validate import GTIN_LENGTHS, gtin14
from advisor.recommend.index import (
    CatalogIndex,
    CategoryIndex,
    ProductInfo,
    VariantInfo,
    code_key,
    folded,
)

PICTURES = 24  # the category's products shown as pictures before a search (a chain's category has thousands)
_PREFIX = re.compile(r"^\][A-Za-z]\d")  # an AIM symbology identifier some scanners send first
_names: weakref.WeakKeyDictionary[CategoryIndex, list[tuple[tuple[str, ...], str]]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Found:
    """A product found, with the variant its barcode or sku names (None when found by name)."""

    product: ProductInfo
    variant: VariantInfo | None = None
    how: str = "name"  # gtin, sku or name

    @property
    def sku(self) -> str:
        return self.product.sku


def gtin_key(text: str) -> str | None:
    """A scanned or typed code as 14 digits, or None when it is no GTIN (spaces, dashes, a prefix aside)."""
    code = _PREFIX.sub("", text.strip())
    digits = re.sub(r"[\s-]", "", code)
    if not digits.isdigit() or len(digits) not in GTIN_LENGTHS:
        return None
    return gtin14(digits)


def by_code(index: CategoryIndex, text: str) -> Found | None:
    """The product (and variant) a barcode or sku names, or None: by the index's code tables (a binary search, each
    candidate compared by its own code)."""
    key = gtin_key(text)
    if key is not None and key.isascii():
        for found in _articles(index, index.gtins.candidates(int(key)), "gtin"):
            if found.variant is not None and found.variant.gtin and gtin_key(found.variant.gtin) == key:
                return found
    for wanted, how in ((key, "gtin"), (folded(text.strip()), "sku")):  # (an sku may be written as 14 digits)
        if wanted is None:
            continue
        for found in _articles(index, index.codes.candidates(code_key(wanted)), how):
            if folded(found.variant.sku if found.variant is not None else found.product.sku) == wanted:
                return found
    return None


def _articles(index: CategoryIndex, candidates: Iterable[tuple[int, int | None]], how: str) -> Iterator[Found]:
    """The products (and variants) at a code table's candidate positions, read one by one as they are asked for."""
    for position, number in candidates:
        product = index.products[position]
        yield Found(product, product.variants[number] if number is not None else None, how)


def by_name(index: CategoryIndex, text: str, *, limit: int = 12) -> list[Found]:
    """Products whose name or brand holds every word typed (names that start with them first)."""
    words = folded(text).split()
    if not words:
        return []
    first: list[int] = []
    rest: list[int] = []
    for position, (names, haystack) in enumerate(_name_table(index)):
        if all(word in haystack for word in words):
            (first if any(name.startswith(words[0]) for name in names) else rest).append(position)
            if len(first) >= limit:
                break
    return [Found(index.products[position]) for position in (first + rest)[:limit]]


def _name_table(index: CategoryIndex) -> list[tuple[tuple[str, ...], str]]:
    """Per product, its names folded and what a search looks in (names and brand), built once per index: the
    index keeps its products as compact bytes, and a search must not read every one of them again."""
    table = _names.get(index)
    if table is None:
        table = []
        for product in index.products:
            names = tuple(dict.fromkeys(form for name in product.name.values() for form in _forms(name)))
            table.append((names, " ".join([*names, *_forms(product.brand)])))
        _names[index] = table
    return table


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def _forms(name: str) -> tuple[str, ...]:
    """A name as searches may type it: folded ("Wächte" → "wachte"), and with its umlauts spelled out as a keyboard
    without them does ("waechte"); ß is "ss" in both. A typed word is folded the same way, so "Wächte", "wachte" and
    "waechte" all find "Wächte 1"."""
    plain = folded(name)
    if name.isascii():
        return (plain,)
    spelled = folded(unicodedata.normalize("NFC", name.casefold()).translate(_UMLAUTS))
    return (plain,) if spelled == plain else (plain, spelled)


def find(index: CategoryIndex, text: str, *, limit: int = 12) -> list[Found]:
    """What a search field finds: the product a code names, else those whose names hold the words."""
    hit = by_code(index, text)
    return [hit] if hit is not None else by_name(index, text, limit=limit)


def in_catalog(catalog: CatalogIndex | None, text: str, *, limit: int = 12) -> list[tuple[CategoryIndex, Found]]:
    """What a text names in any category, with the index it is in: the one article a barcode or sku names, else
    the products whose names hold the words (as `find`, across the whole catalog: staff taking in any product)."""
    if catalog is None or not text.strip():
        return []
    indexes = list(catalog.categories.values())
    for index in indexes:  # a code names one article, whichever category holds it
        hit = by_code(index, text)
        if hit is not None:
            return [(index, hit)]
    found: list[tuple[CategoryIndex, Found]] = []
    for index in indexes:
        found.extend((index, hit) for hit in by_name(index, text, limit=limit - len(found)))
        if len(found) >= limit:
            break
    return found


def of_session(index: CategoryIndex, skus: Iterable[str]) -> list[Found]:
    """The products of a past advice (its product, then those viewed, newest first) that are in this category."""
    found, seen = [], set()
    for sku in skus:
        if sku in index.position and sku not in seen:
            seen.add(sku)
            found.append(Found(index.products[index.position[sku]], None, "sku"))
    return found
