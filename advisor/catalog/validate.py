"""Validate product records against the attribute dictionary, column by column.

Every record, from a CSV row or a JSON object, is seen as cells under dotted column names (`name.de`,
`attributes.capacity`, `stock.muc-01.quantity`). A `BatchPlan`, compiled once per header, converts a whole
batch column by column with the converters' fast paths, and names every bad cell by row and column.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import compress, islice, repeat
from operator import eq, itemgetter
from typing import Any

from advisor.catalog import convert
from advisor.catalog.columns import IGNORED
from advisor.catalog.convert import (
    SET_SEPARATOR,
    Converter,
    convert_column,
    pattern_column,
    unneutralise_column,
    with_column,
)
from advisor.catalog.dictionary import LOCALES, AttributeSpec, Dictionary, coercer
from advisor.catalog.numbers import ENGLISH, NumberStyle, quoted

CARE_WASH = ("machine_30", "machine_40", "hand", "sponge", "no_wash")
CARE_DRY = ("air", "tumble_low", "no_tumble")
CARE_REPROOF = ("spray", "wash_in", "none")
CERTIFICATIONS = ("bluesign", "fair_wear", "gruener_knopf", "gots", "rds", "grs", "oeko_tex")
MATERIALS = (
    "polyester", "polyamide", "cotton", "wool", "down", "aluminium", "carbon", "elastane", "polyurethane", "steel",
)  # fmt: skip
REQUIRED_FIELDS = ("sku", "category", "brand", "name.de", "name.en", "price")
MAX_NAME = 200
MAX_DESCRIPTION = 4000
_SKU = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_COUNTRY = re.compile(r"[A-Z]{2}")

# The product table's columns, in the order of ValidBatch.products' tuples.
PRODUCT_COLUMNS = (
    "sku", "category_id", "brand", "name_de", "name_en", "description_de", "description_en",
    "price_cents", "currency", "image", "attributes", "care", "repair", "sustainability",
)  # fmt: skip
STOCK_COLUMNS = ("sku", "store_id", "quantity", "location_de", "location_en")
_TOP_TARGET = {
    "sku": "sku", "category": "category_id", "brand": "brand", "name.de": "name_de", "name.en": "name_en",
    "description.de": "description_de", "description.en": "description_en", "price": "price_cents",
    "currency": "currency", "image": "image",
}  # fmt: skip
_TOP_COLUMNS = tuple(_TOP_TARGET)
# A variant's own columns (one row per variant): the rows of one model share `sku`, as a feed's item group does.
VARIANT_COLUMNS = ("variant.sku", "variant.gtin")
# A variant's own cells that, left empty in a model's later row, are the model's (its first row's).
_MODEL_DEFAULTS = ("price", "image")
_DEFAULTS: dict[str, Any] = {"description_de": "", "description_en": "", "currency": "EUR", "image": None}
_GROUPS = ("care", "repair", "sustainability")
# A GTIN is a variant's: in a row without a variant.sku (a product sold as one article may use its sku as one).
_GTIN_ALONE = "a GTIN needs a variant.sku on its row: give it one (it may equal the sku) or leave the GTIN empty"
_GTIN_NO_COLUMN = (
    "a GTIN needs a variant.sku on its row: add a variant.sku column and give the row one (it may equal the sku), or "
    "leave the GTIN empty"
)


@dataclass(frozen=True)
class Problem:
    """Why one cell of a record was rejected."""

    column: str
    reason: str


@dataclass
class ValidBatch:
    """The outcome of validating a batch: good products as table tuples, problems per row index."""

    products: list[tuple[Any, ...]] = field(default_factory=list)
    indexes: list[int] = field(default_factory=list)
    stock: dict[int, list[tuple[str, str, int, str, str]]] = field(default_factory=dict)
    problems: dict[int, list[Problem]] = field(default_factory=dict)
    rejected_skus: dict[int, str] = field(default_factory=dict)  # the sku cell of each rejected row, as written
    variants: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # per row: the variant's sku and GTIN
    rejected_variants: dict[int, str] = field(default_factory=dict)  # the variant.sku of each rejected row, where read

    def product(self, position: int) -> dict[str, Any]:
        """The position-th good product by column name."""
        return dict(zip(PRODUCT_COLUMNS, self.products[position], strict=True))

    def reject(self, found: Mapping[int, list[Problem]]) -> None:
        """Move rows that have further problems from the good ones to the rejected ones (a photo the folder lacks):
        their sku and variant, read already, stay known, so that the import removes none of the model's variants."""
        position_of = {i: position for position, i in enumerate(self.indexes)} if found else {}
        for i, problems in found.items():
            self.problems[i] = problems + self.problems.get(i, [])
            self.stock.pop(i, None)
            variant = self.variants.pop(i, None)
            if variant is not None:
                self.rejected_variants[i] = variant[0]
            position = position_of.get(i)
            if position is not None and self.products[position][0] is not None:  # (no sku column: none read)
                self.rejected_skus.setdefault(i, self.products[position][0])
        keep = [position for position, i in enumerate(self.indexes) if i not in found]
        self.products = [self.products[position] for position in keep]
        self.indexes = [self.indexes[position] for position in keep]


def _sku(value: str) -> str:
    """An sku as written (`fill` took the blanks around it off)."""
    if not _SKU.fullmatch(value):
        raise ValueError(f"expected 1 to 64 letters, digits, '-', '_' or '.', got {quoted(value)}")
    return value


def gtin_check_digit(digits: str) -> int:
    """The GS1 check digit for a GTIN's other digits (weights 3 and 1 from the right)."""
    total = sum(int(digit) * (3 if i % 2 == 0 else 1) for i, digit in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


GTIN_LENGTHS = (8, 12, 13, 14)
# What a spreadsheet leaves of a GTIN it took for a number (its leading zeros dropped): 7 digits of a GTIN-8, 9 to
# 11 of a UPC (GTIN-12). (A GTIN-13 or -14 that lost a zero is one of 12 or 13 digits with the same check digit.)
_SHORTENED = frozenset((7, 9, 10, 11))


def _gtin(value: str) -> str:
    """A GTIN-8, -12 (UPC), -13 (EAN) or -14 with a correct check digit; blanks are taken out.

    Digits that look like a GTIN whose leading zeros a spreadsheet dropped (7 digits, or 9 to 11) are read with
    zeros in front up to the next GTIN length, as the label prints it, when that gives a correct check digit
    (GS1 counts the check digit from the right, so leading zeros never change it).
    """
    digits = "".join(value.split())
    if not (digits.isascii() and digits.isdigit()) or (
        len(digits) not in GTIN_LENGTHS and len(digits) not in _SHORTENED
    ):
        raise ValueError(f"expected a GTIN of 8, 12, 13 or 14 digits, got {quoted(value)}")
    expected = gtin_check_digit(digits[:-1])
    if len(digits) in _SHORTENED:
        padded = digits.rjust(next(length for length in GTIN_LENGTHS if length > len(digits)), "0")
        if int(digits[-1]) != expected:
            raise ValueError(
                f"expected a GTIN of 8, 12, 13 or 14 digits, got {quoted(value)} ({len(digits)} digits): it looks "
                f"like a number that lost its leading zeros in a spreadsheet, but {padded} would need the check digit "
                f"{expected}, not {digits[-1]}; format the column as text and type the GTIN with all its digits"
            )
        return padded
    if int(digits[-1]) != expected:
        raise ValueError(f"{digits}: the check digit should be {expected}, not {digits[-1]} (a typing error?)")
    return digits


def gtin14(gtin: str) -> str:
    """A GTIN as the 14 digits GS1 compares: a UPC (GTIN-12), its EAN-13 with a zero in front and the GTIN-14
    with two are one article."""
    return gtin.rjust(14, "0")


def gtin_forms(gtin: str) -> list[str]:
    """Every way the article of `gtin` can be written as a GTIN-8, -12, -13 or -14 (its leading zeros left off)."""
    key = gtin14(gtin)
    return [key[14 - length :] for length in GTIN_LENGTHS if not key[: 14 - length].strip("0")]


def _gtin_column(values: Sequence[str]) -> list[str] | None:
    """A column of GTINs checked at once: each length's cells as a matrix of digits, their check digits from one
    product with the weights; None if any cell is not a plain GTIN of 8, 12, 13 or 14 digits with a correct check
    digit (the column is then converted cell by cell, to name the bad ones, take the blanks out and put back the
    leading zeros a spreadsheet dropped)."""
    import numpy as np  # (here: an import without GTINs does not load numpy)

    by_width: dict[int, list[str]] = {}
    for value in values:
        by_width.setdefault(len(value), []).append(value)
    for width, cells in by_width.items():
        joined = "".join(cells)
        if width not in (8, 12, 13, 14) or not (joined.isascii() and joined.isdigit()):
            return None
        digits = (np.frombuffer(joined.encode("ascii"), dtype=np.uint8) - ord("0")).reshape(-1, width).astype(np.int64)
        from_right = np.arange(width - 2, -1, -1)  # each body digit's place counted from the right, 0 first
        total = digits[:, :-1] @ np.where(from_right % 2 == 0, 3, 1)
        if not np.array_equal((10 - total % 10) % 10, digits[:, -1]):
            return None
    return list(values)


_gtin.column = _gtin_column  # type: ignore[attr-defined]


# A price cell may name its currency: 349,95 €, € 349.95, EUR 349.95, 349.95 USD.
_MARK = r"[€$£]|[A-Z]{3}"
_PRICE = re.compile(rf"\s*(?:(?P<before>{_MARK})\s*)?(?P<number>[^\s€$£A-Z]+)\s*(?:(?P<after>{_MARK}))?\s*")
_CURRENCY_MARK = re.compile(r"[€$£A-Z]")
CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP"}


def price_currency(value: str) -> str | None:
    """The currency a price cell names by symbol or code (349,95 € is EUR), or None."""
    found = _PRICE.fullmatch(value)
    if found is None:
        return None
    mark = found["before"] or found["after"]
    return CURRENCY_SYMBOLS.get(mark, mark) if mark else None


def _price(style: NumberStyle) -> Converter:
    def convert(value: Any) -> int:
        if isinstance(value, float | int):
            return check(float(value), style.render(float(value)))  # (a typed number, as the file writes them)
        found = _PRICE.fullmatch(value)
        if found is None or (found["before"] and found["after"]):
            raise ValueError(f"expected a price like {style.example}, got {quoted(value)}")
        text = found["number"]
        try:
            number = style.parse(text)
        except ValueError:
            said = f"expected a price like {style.example} (read as {style.label}), got {quoted(value)}"
            raise ValueError(said) from None
        return check(number, text)

    def check(number: float, text: str) -> int:
        if not 0 <= number <= 10_000_000:
            raise ValueError(f"{text} is not a plausible price")
        cents = round(number * 100)
        if abs(cents - number * 100) > 1e-6 * max(1.0, number):
            raise ValueError(f"{text} has more than two decimals")
        return cents

    def column(values: Sequence[str]) -> list[Any] | None:
        """All prices as cents, if each is a plain number >= 0 with at most two decimals."""
        prices = style.parse_column(values)
        if not prices or min(prices) < 0 or max(prices) > 10_000_000:
            return None
        cents = list(map(round, map((100.0).__mul__, prices)))
        if list(map((100.0).__rtruediv__, cents)) != prices:
            return None
        return cents

    return with_column(convert, column)


def _currency(value: str) -> str:
    if not _CURRENCY.fullmatch(value):
        raise ValueError(f"expected a three-letter code like EUR, got {quoted(value)}")
    return value


def _country(value: str) -> str:
    if not _COUNTRY.fullmatch(value):
        raise ValueError(f"expected a two-letter country code like DE, got {quoted(value)}")
    return value


with_column(_sku, pattern_column(_SKU))
with_column(_currency, pattern_column(_CURRENCY))
with_column(_country, pattern_column(_COUNTRY))

_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's serials from 1900-03-01 on (Excel counts a 1900-02-29)


def _date(*, serials: bool) -> Converter:
    """A date as ISO text from 2032-12-31 or 31.12.2032; with `serials`, also Excel's day numbers (xlsx)."""

    def convert(value: str) -> str:
        text = value.strip()
        german = _GERMAN_DATE.fullmatch(text)
        try:
            if german:
                return date(int(german[3]), int(german[2]), int(german[1])).isoformat()
            if serials and text.isdigit() and 61 <= int(text) <= 2_958_465:
                return (_EXCEL_EPOCH + timedelta(days=int(text))).isoformat()
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(f"expected a date like 2032-12-31 or 31.12.2032, got {quoted(value)}") from None

    return convert


def _materials(style: NumberStyle) -> Converter:
    share = convert.number(0, 100, style=style, percent=True)
    known = frozenset(MATERIALS)

    def quick_share(text: str) -> float:
        """A plain share as a number, else the full converter's answer (80 %, or why it is bad)."""
        try:
            number = style.parse(text)
        except ValueError:
            return float(share(text))
        return number if 0 <= number <= 100 else float(share(text))

    def materials(value: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        total = 0.0
        for part in value.split(SET_SEPARATOR):
            bits = part.strip().split(":")
            if len(bits) not in (2, 3) or (len(bits) == 3 and bits[2] != "recycled"):
                raise ValueError(f"expected material:share[:recycled], got {quoted(part.strip())}")
            material = bits[0] if bits[0] in known else _MATERIAL(bits[0])
            portion = quick_share(bits[1])
            total += portion
            found.append({"material": material, "share": portion, "recycled": len(bits) == 3})
        if abs(total - 100) > 0.5:
            raise ValueError(f"the shares add up to {total:g} %, not 100 %")
        return found

    return materials


_MATERIAL = convert.choice(MATERIALS)


@functools.cache
def fixed_converters(style: NumberStyle = ENGLISH, *, serials: bool = False) -> dict[str, Converter]:
    """The converters of the columns every product has, for numbers in `style` (and Excel's date serials)."""
    converters: dict[str, Converter] = {
        "sku": _sku,
        "category": convert.text(64),
        "brand": convert.text(MAX_NAME),
        "price": _price(style),
        "currency": _currency,
        "image": convert.text(500),
        "care.wash": convert.choice(CARE_WASH),
        "care.dry": convert.choice(CARE_DRY),
        "care.reproof": convert.choice(CARE_REPROOF),
        "repair.spare_parts_until": _date(serials=serials),
        "repair.repair_service": convert.boolean,
        "repair.repairability": convert.number(0, 10, style=style),
        "sustainability.certifications": convert.choices(CERTIFICATIONS),
        "sustainability.materials": _materials(style),
        "sustainability.recycled_share": convert.number(0, 100, style=style, percent=True),
        "sustainability.pfc_free": convert.boolean,
        "sustainability.country_of_origin": _country,
    }
    for loc in LOCALES:
        converters[f"name.{loc}"] = convert.text(MAX_NAME)
        converters[f"description.{loc}"] = convert.text(MAX_DESCRIPTION)
        converters[f"care.instructions.{loc}"] = convert.text_list
        converters[f"repair.spare_parts.{loc}"] = convert.text_list
        converters[f"repair.repair_guide.{loc}"] = convert.text(MAX_NAME)
    return converters


FIXED_CONVERTERS = fixed_converters()
# The columns whose cells are numbers (detecting the file's number style looks at these) or yes/no and dates.
NUMBER_COLUMNS = ("price", "repair.repairability", "sustainability.recycled_share")
_PERCENT_COLUMNS = ("sustainability.recycled_share",)
_TRIMMED = frozenset(
    ("sku", "variant.sku", "brand", "image", *(f"{key}.{loc}" for key in ("name", "description") for loc in LOCALES),
     *(f"repair.repair_guide.{loc}" for loc in LOCALES))
)  # fmt: skip
_PADDED = re.compile(r"(?:^|\0)\s|\s(?:\0|$)")  # a cell with blanks around it, in cells joined by NUL
WORD_COLUMNS = ("repair.repair_service", "sustainability.pfc_free", "repair.spare_parts_until")
_QUANTITY = convert.number(0, 1_000_000, whole=True)
_LOCATION = convert.text(MAX_NAME)


class UnknownColumn(ValueError):
    """A column name that the format does not know; `position` is its 0-based index."""

    def __init__(self, column: str, position: int, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.position = position


def _unknown_column(column: str) -> str:
    """Why a column is unknown, with the known column it was most likely meant to be."""
    lowered = column.strip().lower()
    close = [name for name in FIXED_CONVERTERS if name.lower() == lowered] or difflib.get_close_matches(
        column, list(FIXED_CONVERTERS), n=1, cutoff=0.8
    )
    hint = f"; did you mean {close[0]!r}?" if close else " (see docs/catalog-format.md)"
    return f"unknown column {column!r}{hint}"


_FIXED_ORDER = {column: position for position, column in enumerate(FIXED_CONVERTERS)}


class BatchPlan:
    """Validation compiled for one header, run column by column over a whole batch of rows.

    Columns the format does not know are listed in `unknown` and left out; numbers are read in `style`. A table
    (`spreadsheet`) lacking a required column is refused as a whole, so its rows are not told so one by one; with
    `unneutralise`, cells lose the apostrophe that an export put before a formula-like text (=, +, -, @).
    """

    def __init__(
        self,
        header: Sequence[str],
        dictionary: Dictionary,
        *,
        style: NumberStyle = ENGLISH,
        serials: bool = False,
        spreadsheet: bool = False,
        unneutralise: bool = False,
    ) -> None:
        self.header = tuple(header)
        self.dictionary = dictionary
        self.style = style
        self.spreadsheet = spreadsheet
        self.unneutralise = unneutralise
        self.converters = fixed_converters(style, serials=serials)
        self.quantity = convert.number(0, 1_000_000, whole=True, style=style)
        self.top: dict[str, int] = {}
        self.groups: dict[str, list[tuple[int, str, str | None]]] = {group: [] for group in _GROUPS}
        self.stock: dict[str, dict[str, int]] = {}
        self.attributes: dict[str, int] = {}
        self.variant: dict[str, int] = {}
        self.varying_in: dict[str, frozenset[str]] = {}  # an attribute that varies: the categories where it does
        for category_id, category in dictionary.categories.items():
            for name, spec in category.attributes.items():
                if spec.varies:
                    self.varying_in[name] = self.varying_in.get(name, frozenset()) | {category_id}
        self._carried: tuple[str, list[Any]] | None = None  # the last row of the previous batch (its sku, cells)
        self._model_cells: dict[int, Any] = {}  # the price and image cells of the first row of the last model begun
        # A category cell names its category by its id or by its label in any locale, in any case (as an enum cell
        # its value): Rucksäcke is backpacks.
        self._category, self._category_hint = convert.value_matcher(
            sorted(dictionary.categories), {category.id: category.label for category in dictionary.categories.values()}
        )
        self.unknown: list[UnknownColumn] = []
        # Every category's attributes (and their labels, folded): a column of none of them is refused up front.
        self._attribute_names = {name for category in dictionary.categories.values() for name in category.attributes}
        self._attribute_labels = {
            label.casefold(): name for category in dictionary.categories.values()
            for name, spec in category.attributes.items() for label in spec.label.values()
        }  # fmt: skip
        self.position_of = {column: position for position, column in enumerate(self.header)}
        self._coercers: dict[tuple[str, str], Converter] = {}
        self._memos: dict[Converter, dict[Any, Any]] = {}
        for position, column in enumerate(self.header):
            try:
                self._place(position, column)
            except UnknownColumn as error:
                self.unknown.append(error)
        for entries in self.groups.values():
            entries.sort(key=lambda entry: _FIXED_ORDER[self.header[entry[0]]])
        texts = {
            name for category in dictionary.categories.values() for name, spec in category.attributes.items()
            if spec.type == "text"
        }  # fmt: skip
        # The cells taken without the blanks around them (see _trimmed): the skus, and the texts a shopper reads.
        self._trim = [
            position for position, column in enumerate(self.header)
            if column in _TRIMMED or column.startswith("stock.") and ".location." in column
            or column.startswith("attributes.") and column[11:] in texts
        ]  # fmt: skip

    def _unknown_attribute(self, name: str) -> str:
        """Why an attribute column that no category of the dictionary has is refused, with the one meant."""
        folded = name.casefold()
        names = sorted(self._attribute_names)
        meant = next((known for known in names if known.casefold() == folded), None) or self._attribute_labels.get(
            folded
        )
        if meant is None:
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            meant = close[0] if close else None
        hint = f"; did you mean 'attributes.{meant}'?" if meant else " (the attribute dictionary lists them)"
        return f"unknown attribute {name!r}: no category of the attribute dictionary has it{hint}"

    def _place(self, position: int, column: str) -> None:
        parts = column.split(".")
        if column == IGNORED:  # a column of the file that its mapping leaves out: its cells are not read
            return
        if column in _TOP_TARGET:
            self.top[column] = position
        elif parts[0] == "attributes" and len(parts) == 2 and parts[1]:
            if self._attribute_names and parts[1] not in self._attribute_names:
                raise UnknownColumn(column, position, self._unknown_attribute(parts[1]))
            self.attributes[parts[1]] = position
        elif column in VARIANT_COLUMNS:
            self.variant[column] = position
        elif parts[0] == "stock" and len(parts) >= 3:
            store = parts[1]
            if store not in self.dictionary.stores:
                known = ", ".join(sorted(self.dictionary.stores))  # (sorted: as the stored dictionary lists them)
                stores = f"known: {known}" if known else "no store is known yet"
                raise UnknownColumn(
                    column,
                    position,
                    f'unknown store {store!r} in column {column!r} ({stores}); add it under "stores" in a category '
                    "file and import that file first: advisor catalog import categories.json",
                )
            if len(parts) == 3 and parts[2] == "quantity":
                self.stock.setdefault(store, {})["quantity"] = position
            elif len(parts) == 4 and parts[2] == "location" and parts[3] in LOCALES:
                self.stock.setdefault(store, {})[f"location_{parts[3]}"] = position
            else:
                raise UnknownColumn(column, position, _unknown_column(column))
        elif column in FIXED_CONVERTERS and parts[0] in self.groups:
            self.groups[parts[0]].append((position, parts[1], parts[2] if len(parts) == 3 else None))
        else:
            raise UnknownColumn(column, position, _unknown_column(column))

    def number_positions(self) -> list[int]:
        """The positions of the columns whose cells are numbers (what tells the file's number style)."""
        numeric = {
            name
            for category in self.dictionary.categories.values()
            for name, spec in category.attributes.items()
            if spec.is_numeric
        }
        positions = [self.header.index(column) for column in NUMBER_COLUMNS if column in self.header]
        positions += [position for name, position in self.attributes.items() if name in numeric]
        positions += [place["quantity"] for place in self.stock.values() if "quantity" in place]
        return positions

    def percent_positions(self) -> set[int]:
        """The positions of the number columns in percent (recycled_share, attributes whose unit is %)."""
        positions = {self.header.index(column) for column in _PERCENT_COLUMNS if column in self.header}
        for category in self.dictionary.categories.values():
            for name, spec in category.attributes.items():
                if spec.is_numeric and spec.unit == "%" and name in self.attributes:
                    positions.add(self.attributes[name])
        return positions

    def typed_positions(self) -> set[int]:
        """The positions of number columns (in every category that has them), whose converters take a workbook's
        typed numbers as they are."""
        kinds: dict[str, set[bool]] = {}
        for category in self.dictionary.categories.values():
            for name, spec in category.attributes.items():
                kinds.setdefault(name, set()).add(spec.is_numeric)
        positions = {self.header.index(column) for column in NUMBER_COLUMNS if column in self.header}
        positions.update(position for name, position in self.attributes.items() if kinds.get(name) == {True})
        return positions | {place["quantity"] for place in self.stock.values() if "quantity" in place}

    def word_positions(self) -> list[int]:
        """The positions of yes/no and date columns (German words and dates there hint at German numbers)."""
        words = {
            name
            for category in self.dictionary.categories.values()
            for name, spec in category.attributes.items()
            if spec.type == "boolean"
        }
        positions = [self.header.index(column) for column in WORD_COLUMNS if column in self.header]
        return positions + [position for name, position in self.attributes.items() if name in words]

    def _memo(self, converter: Converter) -> dict[Any, Any]:
        """The converter's conversions of distinct cells so far (see convert.convert_column)."""
        memo = self._memos.get(converter)
        if memo is None:
            memo = self._memos[converter] = {}
        return memo

    def coercer(self, spec: AttributeSpec, category_id: str) -> Converter:
        """The attribute's converter for this plan's number style."""
        if self.style is ENGLISH:
            return spec.coerce
        key = (category_id, spec.name)
        if key not in self._coercers:
            self._coercers[key] = coercer(spec, self.style)
        return self._coercers[key]

    def validate(self, rows: Sequence[Sequence[str]]) -> ValidBatch:
        """Validate rows (cells in header order, each of the header's width)."""
        if not rows:
            return ValidBatch()
        return self.validate_columns(list(zip(*rows, strict=True)))

    def validate_columns(self, columns: list[Sequence[str]]) -> ValidBatch:
        """Validate a batch given as its columns (each of the same length, in header order)."""
        return self.validate_filled(self.fill(columns))

    def fill(self, columns: list[Sequence[str]]) -> list[Sequence[str]]:
        """A batch's columns as the file means them: apostrophes that neutralised a formula taken off, the blanks
        around sku and variant.sku cells too (see _trimmed), the model's cells that a variant's row left empty
        filled in (see _filled).

        This part depends on the batches before it, so batches are filled in file order, by one process; the
        filled batches can then be validated anywhere, in any order (validate_filled).
        """
        count = len(columns[0]) if columns else 0
        if count == 0:
            return columns
        if self.unneutralise:
            columns = [unneutralise_column(column) for column in columns]
        columns = self._trimmed(columns)
        if "category" in self.top:
            columns = self._categories(columns)
        if "variant.sku" in self.variant and "sku" in self.top:
            columns = self._filled(columns, count)
        return columns

    def _categories(self, columns: list[Sequence[str]]) -> list[Sequence[str]]:
        """The category cells that name a category by its label (Rucksäcke, rain jackets) as its id; the others as
        they are (an unknown category is told in _attributes)."""
        position = self.top["category"]
        column = columns[position]
        ids = self.dictionary.categories
        named = {cell: self._category(cell) for cell in set(column) if isinstance(cell, str) and cell not in ids}
        found = {cell: meant for cell, meant in named.items() if meant is not None}
        if not found:
            return columns
        mapped = list(columns)
        mapped[position] = [found.get(cell, cell) for cell in column]
        return mapped

    def _trimmed(self, columns: list[Sequence[str]]) -> list[Sequence[str]]:
        """The sku and variant.sku cells without the blanks around them (ERP exports pad cells to a width): the
        same sku everywhere, in the model's rows, the variants and what a rejected row keeps. Names, descriptions
        and the other texts likewise (non-breaking spaces too): a cell of blanks alone is empty."""
        if not self._trim:
            return columns
        trimmed = list(columns)
        for position in self._trim:
            column = columns[position]
            try:
                padded = _PADDED.search("\0".join(column))  # (in C: most columns have no padded cell)
            except TypeError:  # a workbook's typed cells
                continue
            if padded:
                trimmed[position] = list(map(str.strip, column))
        return trimmed

    def validate_filled(self, columns: list[Sequence[str]]) -> ValidBatch:
        """Validate a batch's columns made ready by `fill`."""
        batch = ValidBatch()
        count = len(columns[0]) if columns else 0
        if count == 0:
            return batch
        problems = batch.problems

        def convert_at(position: int, converter: Converter) -> list[Any]:
            values, errors = convert_column(converter, columns[position], self._memo(converter))
            for i, reason in errors.items():
                problems.setdefault(i, []).append(Problem(self.header[position], reason))
            return values

        top: list[list[Any]] = []
        for column, target in _TOP_TARGET.items():
            position = self.top.get(column)
            values = convert_at(position, self.converters[column]) if position is not None else [None] * count
            # A spreadsheet without a required column is refused as a whole: no need to say so in every row.
            if column in REQUIRED_FIELDS and None in values and (position is not None or not self.spreadsheet):
                for i, value in enumerate(values):
                    if value is None and (position is None or columns[position][i] == ""):
                        problems.setdefault(i, []).append(Problem(column, "is required"))
            elif target in _DEFAULTS and None in values:
                default = _DEFAULTS[target]
                values = [default if value is None else value for value in values]
            top.append(values)
        if "price" in self.top:
            self._check_price_currency(columns[self.top["price"]], top[_TOP_COLUMNS.index("currency")], problems)
        attributes = self._attributes(columns, top[1], problems)
        groups = [self._group(count, group, convert_at) for group in _GROUPS]
        stock = [
            (
                store,
                convert_at(positions["quantity"], self.quantity) if "quantity" in positions else None,
                convert_at(positions["location_de"], _LOCATION) if "location_de" in positions else None,
                convert_at(positions["location_en"], _LOCATION) if "location_en" in positions else None,
            )
            for store, positions in self.stock.items()
        ]
        variant_of: list[Any] | None = None
        if "variant.sku" in self.variant:
            variant_of = convert_at(self.variant["variant.sku"], _sku)
            gtins = convert_at(self.variant["variant.gtin"], _gtin) if "variant.gtin" in self.variant else None
            for i, variant in enumerate(variant_of):
                if variant is not None:
                    batch.variants[i] = (variant, gtins[i] if gtins else None)
                elif gtins and gtins[i] is not None and columns[self.variant["variant.sku"]][i] == "":
                    # (a variant.sku that is there but cannot be read has its own problem: that one is enough)
                    problems.setdefault(i, []).append(Problem("variant.gtin", _GTIN_ALONE))
        elif "variant.gtin" in self.variant:
            for i in range(count):
                if columns[self.variant["variant.gtin"]][i] != "":
                    problems.setdefault(i, []).append(Problem("variant.gtin", _GTIN_NO_COLUMN))
        position_of = self.position_of
        for found in problems.values():  # each row's problems from left to right, as the spreadsheet shows them
            found.sort(key=lambda problem: position_of.get(problem.column, -1))
        if problems and "sku" in self.top:
            skus_cells = columns[self.top["sku"]]
            batch.rejected_skus = {i: skus_cells[i] for i in problems}
        good = [i for i in range(count) if i not in problems] if problems else range(count)
        if variant_of is not None:
            _share_runs([*top, *groups], _SHARED_RUNS, top[0])
        all_columns = [*top, attributes, *groups]
        if problems:
            batch.products = [tuple(column[i] for column in all_columns) for i in good]
        else:
            batch.products = list(zip(*all_columns, strict=True))
        batch.indexes = list(good)
        skus = top[0]
        if variant_of is not None:  # a variant's stock is the variant's
            skus = [variant or sku for variant, sku in zip(variant_of, skus, strict=True)]
            for i in problems:
                if (variant := batch.variants.pop(i, None)) is not None:
                    batch.rejected_variants[i] = variant[0]
        if stock and all(quantity is not None and None not in quantity for _, quantity, _, _ in stock):
            # Every row has an entry for every store (the usual table): built column by column, in C.
            entries = [
                zip(
                    skus,
                    repeat(store, count),
                    quantity or (),
                    _texts(location_de, count),
                    _texts(location_en, count),
                    strict=True,
                )
                for store, quantity, location_de, location_en in stock
            ]
            batch.stock = dict(zip(range(count), map(list, zip(*entries, strict=True)), strict=True))
            for i in problems:
                del batch.stock[i]
            return batch
        none = [None] * count
        for store, quantity, location_de, location_en in stock:
            cells = zip(range(count), skus, quantity or none, location_de or none, location_en or none, strict=True)
            for i, sku, amount, where_de, where_en in cells:
                if i not in problems and (amount is not None or where_de or where_en):
                    batch.stock.setdefault(i, []).append((sku, store, amount or 0, where_de or "", where_en or ""))
        return batch

    def _filled(self, columns: list[Sequence[str]], count: int) -> list[Sequence[str]]:
        """A model's rows after its first may leave the model's cells empty (as a shop system's export does): they
        are the first row's. A variant's own cells (its sku, GTIN, stock and the attributes that vary in the row's
        category: a sleeping bag's weight, not a tent's) are not. A variant's price and picture are its own too,
        never the variant's above it: left empty, they are the model's, its first row's."""
        sku_at = self.top["sku"]
        own = {self.variant[c] for c in self.variant} | {p for place in self.stock.values() for p in place.values()}
        modelled = [self.top[column] for column in _MODEL_DEFAULTS if column in self.top]
        own.update(modelled)
        varying = {position: self.varying_in[name] for name, position in self.attributes.items()
                   if name in self.varying_in}  # fmt: skip
        shared = [position for position in range(len(columns)) if position not in own]
        skus = columns[sku_at]
        previous = self._carried
        self._carried = (skus[count - 1], [columns[p][count - 1] for p in range(len(columns))])
        follow = [i for i in range(count) if skus[i] and skus[i] == (skus[i - 1] if i else previous and previous[0])]
        model_cells = self._model_cells
        start, later = count - 1, len(follow) - 1  # the row where the batch's last model starts, if it does here
        while later >= 0 and follow[later] == start:
            start, later = start - 1, later - 1
        if start >= 0:  # (the model a next batch may go on)
            self._model_cells = {position: columns[position][start] for position in modelled}
        if not follow:
            return columns
        following = bytearray(count)
        for i in follow:
            following[i] = 1
        filled = list(columns)
        for position in modelled:
            column = columns[position]
            if "" not in column:
                continue
            cells = list(column)
            model_cell = model_cells.get(position, "")
            for i, cell in enumerate(column):
                if not following[i]:
                    model_cell = cell  # a model's first row
                elif cell == "":
                    cells[i] = model_cell
            filled[position] = cells
        category_at = self.top.get("category")
        for position in sorted(shared, key=lambda position: position in varying):  # the category first
            column = columns[position]
            if "" not in column:
                continue
            cells = list(column)
            varies_in = varying.get(position)
            categories = filled[category_at] if varies_in and category_at is not None else None
            for i in [i for i, cell in enumerate(cells) if cell == "" and following[i]]:  # in order: a gap of
                if varies_in and (categories is None or str(categories[i]).strip() in varies_in):
                    continue  # the variant's own value: left empty, as the row gave it
                cells[i] = cells[i - 1] if i else previous[1][position]  # type: ignore[index]  # several rows fills
            filled[position] = cells
        self._carried = (skus[count - 1], [filled[p][count - 1] for p in range(len(columns))])
        return filled

    @staticmethod
    def _check_price_currency(
        cells: Sequence[str], currencies: Sequence[Any], problems: dict[int, list[Problem]]
    ) -> None:
        """A price that names its currency (349,95 €) must name the row's currency (EUR if none is given)."""
        try:
            if not _CURRENCY_MARK.search("".join(cells)):
                return
        except TypeError:  # a workbook's typed prices name no currency
            cells = [cell if isinstance(cell, str) else "" for cell in cells]
        for i, (cell, currency) in enumerate(zip(cells, currencies, strict=True)):
            named = price_currency(cell)
            if named is not None and currency is not None and named != currency:
                problems.setdefault(i, []).append(
                    Problem("price", f"{quoted(cell.strip())} is in {named}, but the product's currency is {currency}")
                )

    def _group(self, count: int, group: str, convert_at: Any) -> list[dict[str, Any]]:
        """Per row, the care, repair or sustainability object built from its dotted columns."""
        complete: list[tuple[str, list[Any]]] = []  # plain keys with a value in every row: put together in C
        partial: list[tuple[str, str | None, list[Any]]] = []
        for position, key, sub in self.groups[group]:
            values = convert_at(position, self.converters[self.header[position]])
            if sub is None and None not in values:
                complete.append((key, values))
            else:
                partial.append((key, sub, values))
        if complete:
            keys = [key for key, _ in complete]
            rows = zip(*(values for _, values in complete), strict=True)
            dicts = list(map(dict, map(zip, repeat(keys), rows)))
        else:
            dicts = [{} for _ in repeat(None, count)]
        for key, sub, values in partial:
            for target, value in zip(dicts, values, strict=True):
                if value is None:
                    continue
                if sub is None:
                    target[key] = value
                else:
                    target.setdefault(key, {})[sub] = value
        return dicts

    def _attributes(
        self, columns: list[Sequence[str]], categories: Sequence[Any], problems: dict[int, list[Problem]]
    ) -> list[dict[str, Any]]:
        """Per row, its category's attributes; foreign, bad and missing required ones are problems.

        Each category's rows are converted column by column; their objects are put in row order at the end, in C.
        """
        count = len(categories)
        rows_of: dict[Any, list[int]] = {}
        for i, category_id in enumerate(categories):
            rows_of.setdefault(category_id, []).append(i)
        known = ", ".join(sorted(self.dictionary.categories))  # (sorted: the same from a file or the database)
        order: list[int] = []  # row indexes, category by category ...
        made: list[dict[str, Any]] = []  # ... and their attributes, in the same order
        owned_filled = dict.fromkeys(self.attributes, 0)  # per attribute: its cells in rows of categories that have it
        done: list[tuple[Any, list[int], set[str]]] = []
        for category_id, indexes in rows_of.items():
            category = self.dictionary.categories.get(category_id)
            if category is None:
                if category_id is not None:  # a missing category is already reported
                    hint = self._category_hint(category_id) if isinstance(category_id, str) else ""
                    for i in indexes:
                        problems.setdefault(i, []).append(
                            Problem("category", f"unknown category {quoted(category_id)}; known: {known}{hint}")
                        )
                order.extend(indexes)
                made.extend({} for _ in indexes)
                continue
            names: list[str] = []
            converted: list[list[Any]] = []
            gaps: set[str] = set()  # the attributes that some of these rows lack (an empty or bad cell)
            gather = _gatherer(indexes)
            for name in category.attributes:  # each product's attributes in the dictionary's order
                position = self.attributes.get(name)
                if position is None:
                    gaps.add(name)
                    continue
                values = gather(columns[position])
                empty = values.count("")
                owned_filled[name] += len(values) - empty
                coerce = self.coercer(category.attributes[name], category_id)
                result, errors = convert_column(coerce, values, self._memo(coerce))
                for j, reason in errors.items():
                    problems.setdefault(indexes[j], []).append(Problem(f"attributes.{name}", reason))
                if empty or errors:
                    gaps.add(name)
                names.append(name)
                converted.append(result)
            order.extend(indexes)
            if not converted:
                made.extend({} for _ in indexes)  # no attribute columns at all: the required ones are reported below
            elif gaps.intersection(names):
                made.extend(
                    {n: c[j] for n, c in zip(names, converted, strict=True) if c[j] is not None}
                    for j in range(len(indexes))
                )
            else:
                made.extend(map(dict, map(zip, repeat(names), zip(*converted, strict=True))))
            done.append((category, indexes, gaps))
        attributes = list(map(made.__getitem__, sorted(range(count), key=order.__getitem__)))
        for name, position in self.attributes.items():
            column = columns[position]
            if count - column.count("") == owned_filled[name]:
                continue  # every filled cell is in a row of a category that has the attribute
            for category, indexes, _ in done:
                if name in category.attributes:
                    continue
                owners = sorted(other.id for other in self.dictionary.categories.values() if name in other.attributes)
                reason = f"'{name}' is not an attribute of {category.id}, but of {', '.join(owners)}"
                for i in indexes:
                    if column[i] != "":
                        problems.setdefault(i, []).append(Problem(f"attributes.{name}", reason))
        for category, indexes, gaps in done:
            for name in category.required:
                if name not in gaps:
                    continue  # every row has it
                cell_at = self.attributes.get(name)
                for i in indexes:
                    if name not in attributes[i] and (cell_at is None or columns[cell_at][i] == ""):
                        problems.setdefault(i, []).append(
                            Problem(f"attributes.{name}", "is required for this category")
                        )
        return attributes


# The model's own cells of a row that may repeat its model's row above it: the sku, its texts and facts (by their
# position in the top columns followed by the groups; the others are short codes shared already, or the variant's).
_SHARED_TOP = ("sku", "category", "brand", "name.de", "name.en", "description.de", "description.en")
_SHARED_RUNS = [_TOP_COLUMNS.index(column) for column in _SHARED_TOP] + [len(_TOP_COLUMNS) + k for k, _ in
                                                                          enumerate(_GROUPS)]  # fmt: skip


def _share_runs(columns: list[list[Any]], positions: Sequence[int], skus: Sequence[Any]) -> None:
    """Where a model's rows follow each other (one row per variant), a cell equal to the one above it becomes that
    same object, in place: a model's texts and facts are then one object each, which marshal sends once (as a
    reference after the first), the writer compares at a glance and memory holds once."""
    follows = list(compress(range(1, len(skus)), map(eq, islice(skus, 1, None), skus)))
    if not follows:
        return
    for position in positions:
        column = columns[position]
        for i in follows:
            above = column[i - 1]
            if column[i] == above:
                column[i] = above


def _texts(values: list[Any] | None, count: int) -> Sequence[str]:
    """A converted text column with its empty cells (None) as empty text; no column: empty texts."""
    if values is None:
        return [""] * count
    return values if None not in values else ["" if value is None else value for value in values]


def _gatherer(indexes: list[int]) -> Callable[[Sequence[str]], tuple[str, ...]]:
    """A function picking the cells at `indexes` out of a column, in C."""
    if len(indexes) == 1:
        only = indexes[0]
        return lambda column: (column[only],)
    return itemgetter(*indexes)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return SET_SEPARATOR.join(_cell(item) for item in value)
    return str(value)


def flatten_record(record: Mapping[str, Any]) -> tuple[dict[str, str], list[Problem]]:
    """A nested (JSON) product record as dotted cells, plus problems with its shape."""
    cells: dict[str, str] = {}
    problems: list[Problem] = []
    for key, value in record.items():
        if key in ("name", "description", "attributes", *_GROUPS):
            if not isinstance(value, Mapping):
                if value not in (None, ""):
                    problems.append(Problem(key, "expected an object"))
                continue
            for inner, inner_value in value.items():
                if key == "sustainability" and inner == "materials" and isinstance(inner_value, list):
                    try:
                        cells["sustainability.materials"] = SET_SEPARATOR.join(
                            f"{_cell(m['material'])}:{_cell(m['share'])}" + (":recycled" if m.get("recycled") else "")
                            for m in inner_value
                        )
                    except (TypeError, KeyError, AttributeError):
                        problems.append(Problem("sustainability.materials", "each material needs material and share"))
                elif isinstance(inner_value, Mapping) and key != "attributes":
                    for loc, text in inner_value.items():
                        cells[f"{key}.{inner}.{loc}"] = _cell(text)
                elif isinstance(inner_value, Mapping):
                    problems.append(Problem(f"attributes.{inner}", "expected a value, not an object"))
                else:
                    cells[f"{key}.{inner}"] = _cell(inner_value)
        elif key == "variant" and isinstance(value, Mapping):
            for inner in ("sku", "gtin"):
                if value.get(inner) not in (None, ""):
                    cells[f"variant.{inner}"] = _cell(value[inner])
        elif key == "stock":
            if not isinstance(value, list):
                problems.append(Problem("stock", "expected a list of stores"))
                continue
            for entry in value:
                if not isinstance(entry, Mapping) or not isinstance(entry.get("store"), str):
                    problems.append(Problem("stock", f"expected a store object with 'store', got {entry!r}"))
                    continue
                store = entry["store"]
                cells[f"stock.{store}.quantity"] = _cell(entry.get("quantity", 0))
                location = entry.get("location")
                if isinstance(location, Mapping):
                    for loc, text in location.items():
                        cells[f"stock.{store}.location.{loc}"] = _cell(text)
        elif isinstance(value, Mapping | list):
            problems.append(Problem(key, "expected a single value"))
        else:
            cells[key] = _cell(value)
    return cells, problems


def variant_rows(record: Any) -> tuple[list[Any], list[Problem]]:
    """A nested record with `variants` as one flat record per variant (the row shape: the model's fields, the
    variant's sku and GTIN, its options as attributes, its price, picture and stock); others as they are."""
    if not isinstance(record, Mapping) or "variants" not in record:
        return [record], []
    variants = record["variants"]
    if not isinstance(variants, list) or not variants:
        return [{key: value for key, value in record.items() if key != "variants"}], [
            Problem("variants", "expected a list of variant objects (each with its sku)")
        ]
    problems = []
    if record.get("stock"):
        problems.append(Problem("stock", "a model with variants keeps its stock in each variant"))
    model = {key: value for key, value in record.items() if key not in ("variants", "stock")}
    rows: list[Any] = []
    for number, variant in enumerate(variants, start=1):
        if not isinstance(variant, Mapping) or not isinstance(variant.get("sku"), str):
            problems.append(Problem("variants", f"variant {number}: expected an object with its sku"))
            continue
        options = variant.get("options", {})
        if not isinstance(options, Mapping):
            problems.append(Problem("variants", f"variant {variant['sku']}: options must be an object"))
            continue
        attributes = record.get("attributes")
        row = {
            **model,
            "attributes": {**(attributes if isinstance(attributes, Mapping) else {}), **options},
            "variant": {"sku": variant["sku"], "gtin": variant.get("gtin")},
            "stock": variant.get("stock", []),
        }
        for key in ("price", "image"):
            if variant.get(key) is not None:
                row[key] = variant[key]
        rows.append(row)
    return rows, problems


def validate_records(records: Sequence[Any], dictionary: Dictionary) -> ValidBatch:
    """Validate nested (JSON) product records as one batch over the union of their columns."""
    flattened: list[tuple[dict[str, str], list[Problem]]] = []
    header: dict[str, None] = {}
    for record in records:
        if isinstance(record, Mapping):
            cells, shape = flatten_record(record)
        else:
            cells, shape = {}, [Problem("", f"expected a product object, got {type(record).__name__}")]
        flattened.append((cells, shape))
        header.update(dict.fromkeys(cells))
    plan = BatchPlan(list(header), dictionary)
    unknown = {error.column: str(error) for error in plan.unknown}
    batch = plan.validate([[cells.get(column, "") for column in plan.header] for cells, _ in flattened])
    extra: dict[int, list[Problem]] = {}
    for i, (cells, shape) in enumerate(flattened):
        found = shape + [Problem(column, reason) for column, reason in unknown.items() if column in cells]
        if found:
            extra[i] = found
    batch.reject(extra)
    return batch
