"""A product's facts as lines of text: specifications, care, repair, sustainability and where it is in the store.

The kiosk's detail screen, the web page and the take-away summary all read these, so a fact reads the same
everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

from advisor.i18n import MESSAGES, counted, day_text, euros, number, percent, pick, text
from advisor.recommend.core import attribute_label, fitted_values, format_value
from advisor.recommend.index import CategoryIndex, ProductInfo, VariantInfo
from advisor.recommend.sizes import SizeAdvice

CARE_TEXT = {
    "wash": {"machine_30": ("Maschinenwäsche 30 °C", "Machine wash 30 °C"),
             "machine_40": ("Maschinenwäsche 40 °C", "Machine wash 40 °C"),
             "hand": ("Handwäsche", "Hand wash"), "sponge": ("Mit Schwamm reinigen", "Clean with a sponge"),
             "no_wash": ("Nicht waschen", "Do not wash")},
    "dry": {"air": ("An der Luft trocknen", "Air dry"), "tumble_low": ("Trockner, niedrige Stufe", "Tumble dry low"),
            "no_tumble": ("Nicht in den Trockner", "Do not tumble dry")},
    "reproof": {"spray": ("Imprägnieren mit Spray", "Reproof with a spray"),
                "wash_in": ("Imprägnieren beim Waschen", "Wash-in reproofing"), "none": ("", "")},
}  # fmt: skip


# What a care code is about: a free-text instruction on the same topic says it already, in the product's own words,
# and the generic label is then left out ("Handwäsche" beside "Nicht in der Waschmaschine waschen"). A sponge is
# about cleaning, not washing: it stays beside "Do not machine-wash".
CARE_TOPIC = {("wash", "machine_30"): "wash", ("wash", "machine_40"): "wash", ("wash", "hand"): "wash",
              ("wash", "no_wash"): "wash", ("dry", "air"): "dry", ("dry", "tumble_low"): "dry",
              ("dry", "no_tumble"): "dry", ("reproof", "spray"): "reproof",
              ("reproof", "wash_in"): "reproof"}  # fmt: skip
# The words an instruction on a topic uses, by language (word starts: "Waschmaschine", "Hand-wash", "Trockner",
# "trocknen lassen" but not "trocken einlagern"; "Dry completely…" but not "clean and dry")
CARE_WORDS = {
    "wash": {"de": re.compile(r"wasch|wäsch", re.IGNORECASE), "en": re.compile(r"wash", re.IGNORECASE)},
    "dry": {"de": re.compile(r"trockn", re.IGNORECASE),
            "en": re.compile(r"tumble|dryer|^dry\b|\b(air|drip|line|flat)[- ]dry", re.IGNORECASE)},
    "reproof": {"de": re.compile(r"imprägn", re.IGNORECASE), "en": re.compile(r"proof", re.IGNORECASE)},
}  # fmt: skip

# A store's name in the shopper's language as the catalog has it (store id -> name, None: not known), for saying
# where else a product or a part is in stock; the surface reads it (a database), these words only ask for the stores
# they name.
StoreNamed = Callable[[str], str | None]


def no_store_named(store_id: str) -> str | None:
    """A StoreNamed that knows no store's name: the other stores are counted together ("anderen Filialen: 9")."""
    return None


# How many other stores are named where something out of stock here is: the rest are counted ("und 33 weiteren
# Filialen"), for a chain's every store would make a line no one reads.
STORES_NAMED = 3


def elsewhere(counts: Mapping[str, int], store_id: str | None, locale: str, store_named: StoreNamed) -> str:
    """Where else something out of stock here is, most first: "Hamburg: 9, anderen Filialen: 2" (stores without a
    name counted together), or "" when no other store has it; of more than three named, the three with most of it
    (equal ones by name) and how many stores more: "Essen: 13, Köln: 13, Bonn: 9 und 33 weiteren Filialen". Said of
    products (Stock) and spare parts alike."""
    others = [(count, store) for store, count in counts.items() if store != store_id and count > 0]
    named: list[tuple[int, str]] = []
    unnamed, unnamed_stores = 0, 0
    for count, store in others:
        name = store_named(store)
        if name:
            named.append((count, name))
        else:
            unnamed += count
            unnamed_stores += 1
    named.sort(key=lambda item: (-item[0], item[1]))
    said = [f"{name}: {count}" for count, name in named[:STORES_NAMED]]
    if len(named) > STORES_NAMED:
        more = len(named) - STORES_NAMED + unnamed_stores
        return counted("help.part.more_stores", more, locale, stores=", ".join(said))
    if unnamed:
        said.append(f"{text('help.part.other_stores', locale)}: {unnamed}")
    return ", ".join(said)


def out_of_stock_text(others: str, locale: str, address: str = "du") -> str:
    """Out of stock here: where else (`others`, from `elsewhere`), else that the store can order it."""
    return text("help.part.elsewhere", locale, stores=others) if others else text("help.part.to_order", locale, address)


@dataclass(frozen=True)
class VariantStock:
    """One variant here: what sets it apart ("lang", "M"), how many and where."""

    label: str
    count: int
    location: str
    own: int = 0  # set aside for this shopper's appointment (not in `count`): theirs, not gone


@dataclass(frozen=True)
class Stock:
    """How many are in this store and where to find them; for a model with variants, per variant that fits. `own`:
    how many are set aside for this shopper (not in `count`), said in the form of address they chose (`address`):
    the line is read by templates and speech that know only the language."""

    count: int
    location: str
    variants: tuple[VariantStock, ...] = ()
    own: int = 0
    address: str = "du"
    # Out of stock here (with the stores' names: stock_in's `store_named`): the other stores that have it
    # ("Hamburg: 9"), else "" and `orderable` (no store has it: staff can order it)
    others: str = ""
    orderable: bool = False

    def _missing(self, locale: str, said: str) -> str:
        """Out of stock here: where else it is, or that it can be ordered (with stores' names), else only that."""
        if self.others or self.orderable:
            return out_of_stock_text(self.others, locale, said)
        return text("detail.out_of_stock", locale)

    def text(self, locale: str, address: str | None = None) -> str:
        said = address or self.address
        if len(self.variants) == 1:
            only = self.variants[0]
            if only.own > 0:
                return _held(text("detail.variant_held_for_you", locale, said, variant=only.label), only.location,
                             only.count, locale)  # fmt: skip
            if only.count > 0:
                if not only.location:  # (a catalog without shelves: no dash before nothing)
                    return text("detail.variant_in_stock_here", locale, variant=only.label, count=only.count)
                return text("detail.variant_in_stock", locale, variant=only.label, count=only.count,
                            location=only.location)  # fmt: skip
            if self.others:
                return text("detail.variant_elsewhere", locale, variant=only.label, stores=self.others)
            return text("detail.variant_out_of_stock", locale, variant=only.label)
        if self.variants:
            mine = [v for v in self.variants if v.own > 0]
            here = [v for v in self.variants if v.count > 0]
            missing = [v.label for v in self.variants if v.count <= 0 and v.own <= 0]
            if not here and not mine:
                return self._missing(locale, said)
            lines = []
            if mine:  # (said first: the one the shopper booked to try; each set-aside shelf named as in stock)
                groups = _by_shelf(mine)
                labels, location = groups[0]
                lines.append(_held(text("detail.variants_held_for_you", locale, said, variants=labels), location, 0,
                                   locale))  # fmt: skip
                lines.extend(f"{labels} – {location}" if location else labels for labels, location in groups[1:])
            if here:
                lines.append(_in_stock(here, locale))
            if missing:
                lines.append(text("detail.variants_missing", locale, variants=", ".join(missing)))
            return " · ".join(lines)
        if self.own > 0:
            return _held(text("detail.held_for_you", locale, said), self.location, self.count, locale)
        if self.count > 0:
            if not self.location:
                return text("detail.in_stock_here", locale, count=self.count)
            return text("detail.in_stock", locale, count=self.count, location=self.location)
        return self._missing(locale, said)


def _in_stock(here: Sequence[VariantStock], locale: str) -> str:
    """The variants in stock, by where they are (in the variants' order): "Vorrätig in Schwarz XS, Schwarz S – 1. OG,
    Zeltwelt · Schwarz XL – EG, Jackenwand"; all on one shelf (or none named), that shelf once, after them all."""
    groups = _by_shelf(here)
    first, location = groups[0]
    key = "detail.variants_in_stock" if location else "detail.variants_in_stock_here"
    said = [text(key, locale, variants=first, location=location)]
    said.extend(f"{labels} – {location}" if location else labels for labels, location in groups[1:])
    return " · ".join(said)


def _by_shelf(variants: Sequence[VariantStock]) -> list[tuple[str, str]]:
    """The variants' labels by the shelf they are on, in the variants' order: [("Schwarz XS, Schwarz S", "1. OG")]."""
    shelves: dict[str, list[str]] = {}
    for variant in variants:
        shelves.setdefault(variant.location, []).append(variant.label)
    return [(", ".join(labels), location) for location, labels in shelves.items()]


def _held(line: str, location: str, more: int, locale: str) -> str:
    """A line saying what is set aside for the shopper, with where (the shelf it was taken from) and how many more
    the shelf still has."""
    if location:
        line += f" – {location}"
    return line + (" · " + text("detail.more_in_stock", locale, count=more) if more > 0 else "")


@dataclass(frozen=True)
class ProductFacts:
    """Everything shown about one product, in the shopper's language."""

    sku: str
    name: str
    description: str
    price: str
    image: str | None
    specs: tuple[tuple[str, str], ...]
    care: tuple[str, ...]
    repair: tuple[str, ...]
    sustainability: tuple[str, ...]
    stock: Stock


@lru_cache(maxsize=4096)
def long_date(iso: str, locale: str) -> str:
    """An ISO date as the shopper's language writes it: in German the month in full (CLDR through Babel): "31. Dezember
    2036"; in English as every English date reads (i18n.day_text): "31 Dec 2036". Kept per date and language: Babel
    looks up its locale data on every call, and a catalog names few dates (its spare-parts ends)."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    if locale == "en":
        return day_text(day, locale, weekday=None, year=True)
    from babel.dates import format_date  # Babel's locale data loads only when a product page needs it

    return str(format_date(day, "long", locale=locale))


@lru_cache(maxsize=1024)
def country_name(code: str, locale: str) -> str:
    """A country's name from its ISO code in the shopper's language (CLDR through Babel): VN → Vietnam (kept, as
    `long_date`)."""
    from babel import Locale  # as above

    return str(Locale.parse(locale).territories.get(code.upper(), code))


def _named(kind: str, name: str, locale: str) -> str:
    """A material's or certification's name in the shopper's language (the message table), else as stored."""
    key = f"{kind}.{name}"
    return text(key, locale) if key in MESSAGES else name


def price_text(product: ProductInfo, locale: str, variants: Sequence[VariantInfo] | None = None) -> str:
    """The price as the shopper reads it; for a model with variants, of `variants` (those that fit): the lowest
    with "ab" / "from" where they differ ("ab 499,95 €")."""
    price = product.price
    prices = {v.price for v in variants} if variants and len(product.variants) > 1 else set()
    if prices:
        price = min(prices)
    said = euros(price, locale) if product.currency == "EUR" else f"{price:.2f} {product.currency}"
    return text("price.from", locale, price=said) if len(prices) > 1 else said


def spec_rows(
    index: CategoryIndex, product: ProductInfo, locale: str, variants: Sequence[VariantInfo] | None = None
) -> tuple[tuple[str, str], ...]:
    """The specifications in the dictionary's order; of a model, as `variants` (those that fit) have them: the long
    version's weight and length, as its price and the results' card say. A number those variants differ in reads as
    their range ("38–42 EU", "1,78–1,92 kg"), as the colours read as all of them and the price as "ab": no one
    variant's size, nor the lightest one's weight beside the longest one's length, passes for the model's."""
    attributes = {**product.attributes, **fitted_values(index, product, variants)}
    ranges = number_ranges(product, variants)
    return tuple(
        (attribute_label(index, name, locale),
         range_text(index, name, ranges[name], locale) if name in ranges
         else format_value(index, name, attributes[name], locale))
        for name in index.category.attributes
        if attributes.get(name) is not None
    )  # fmt: skip


def number_ranges(
    product: ProductInfo, variants: Sequence[VariantInfo] | None = None
) -> dict[str, tuple[float, float]]:
    """The lowest and highest of each number `variants` (those that fit; else all of the model's) differ in: a size
    ("38–42 EU") and what follows from one (a sleeping bag's weight, "1,78–1,92 kg") alike. The product's facts
    (`spec_rows`) and the comparison read these, so a model reads the same on both: never the lightest variant's
    weight beside the longest one's length, a bag that does not exist."""
    if len(product.variants) < 2:
        return {}
    found: dict[str, list[float]] = {}
    for variant in variants or product.variants:
        for name, value in variant.options.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                found.setdefault(name, []).append(value)
    return {name: (min(values), max(values)) for name, values in found.items() if min(values) != max(values)}


def range_text(index: CategoryIndex, name: str, bounds: tuple[float, float], locale: str) -> str:
    """A range of an attribute's values with its unit once: "38–42 EU", "1,1–1,4 kg"."""
    low, high = bounds
    return f"{number(low, locale, 2)}–{format_value(index, name, high, locale)}"


def care_lines(product: ProductInfo, locale: str) -> tuple[str, ...]:
    """The care labels, then the product's own instructions; a label is left out where an instruction (in either
    language: the list reads alike in both) is on its topic already (CARE_TOPIC: washing, drying, reproofing)."""
    column = 0 if locale == "de" else 1
    instructions: Mapping[str, Sequence[str]] = product.care.get("instructions", {})
    covered = {topic for topic, words in CARE_WORDS.items()
               for language, said in instructions.items() if language in words
               for line in said if words[language].search(line)}  # fmt: skip
    lines = []
    for key in ("wash", "dry", "reproof"):
        code = product.care.get(key)
        if code and CARE_TEXT[key].get(code, ("", ""))[column] and CARE_TOPIC.get((key, code)) not in covered:
            lines.append(CARE_TEXT[key][code][column])
    lines.extend(instructions.get(locale, []))
    return tuple(lines)


def repair_lines(product: ProductInfo, locale: str) -> tuple[str, ...]:
    de = locale == "de"
    repair = product.repair
    lines = []
    if repair.get("repairability") is not None:
        lines.append(("Reparierbarkeit" if de else "Repairability") + f": {number(repair['repairability'], locale)}/10")
    if repair.get("spare_parts_until"):
        lines.append(text("fact.spare_parts_until", locale, date=long_date(repair["spare_parts_until"], locale)))
    parts = repair.get("spare_parts", {}).get(locale)
    if parts:
        lines.append(("Ersatzteile: " if de else "Spare parts: ") + ", ".join(parts))
    if repair.get("repair_service"):
        lines.append(text("fact.repair_service", locale))
    if repair.get("repair_guide"):
        lines.append(("Anleitung: " if de else "Guide: ") + pick(repair["repair_guide"], locale))
    return tuple(lines)


def sustainability_lines(product: ProductInfo, locale: str) -> tuple[str, ...]:
    de = locale == "de"
    facts = product.sustainability
    lines = []
    if facts.get("certifications"):
        names = ", ".join(_named("certification", name, locale) for name in facts["certifications"])
        lines.append(text("fact.certified", locale, names=names))
    materials = ", ".join(
        f"{_named('material', m['material'], locale)} {percent(m['share'], locale)}"
        + (" (recycelt)" if de and m["recycled"] else " (recycled)" if m["recycled"] else "")
        for m in facts.get("materials", [])
    )
    if materials:
        lines.append(("Material: " if de else "Materials: ") + materials)
    if facts.get("recycled_share") is not None:
        lines.append(text("fact.recycled", locale, share=percent(facts["recycled_share"], locale)))
    if facts.get("pfc_free"):
        lines.append(text("fact.pfc_free", locale))
    if facts.get("country_of_origin"):
        lines.append(("Herkunft: " if de else "Made in: ") + country_name(facts["country_of_origin"], locale))
    return tuple(lines)


def stock_in(
    product: ProductInfo,
    store_id: str | None,
    locale: str,
    variants: Sequence[VariantInfo] | None = None,
    index: CategoryIndex | None = None,
    held: Mapping[str, int] | None = None,
    address: str = "du",
    *,
    store_named: StoreNamed | None = None,
) -> Stock:
    """The product's stock in the store; for a model with variants, of `variants` (those that fit; else all),
    each named by what sets it apart (with `index`: in the dictionary's words). `held`: per article, how many are
    set aside for appointments now (booking.holds_of): they are not on the shelf; those of them that are the
    shopper's own (its `own`, booking.Holds: read as a plain mapping's attribute, as the core's layers keep rendering
    from importing the database) are said to be set aside for them, in their form of `address`. With `store_named`
    (the stores' names), a product out of stock here says which other stores have it, else that it can be ordered."""
    stock = _stock_here(product, store_id, locale, variants, index, held, address)
    if store_named is None or store_id is None or stock.count > 0 or stock.own > 0:
        return stock
    if any(row.own > 0 for row in stock.variants):
        return stock
    chosen = product.variants if variants is None or len(product.variants) < 2 else variants
    counts: dict[str, int] = {}
    for article in chosen if len(product.variants) > 1 and chosen else ():
        for store, (count, _) in article.stock.items():
            counts[store] = counts.get(store, 0) + count
    if not counts:
        counts = {store: count for store, (count, _) in product.stock.items()}
    others = elsewhere(counts, store_id, locale, store_named)
    return replace(stock, others=others, orderable=not others)


def _stock_here(
    product: ProductInfo,
    store_id: str | None,
    locale: str,
    variants: Sequence[VariantInfo] | None,
    index: CategoryIndex | None,
    held: Mapping[str, int] | None,
    address: str,
) -> Stock:
    aside = held or {}
    own: Mapping[str, int] = getattr(held, "own", None) or {}
    chosen = product.variants if variants is None else variants
    if len(product.variants) > 1 and chosen:
        labels = variant_labels(product, locale, index)
        rows = []
        for variant in chosen:
            count, where = variant.stock.get(store_id, (0, {})) if store_id else (0, {})
            count = max(0, count - aside.get(variant.sku, 0))
            rows.append(VariantStock(labels.get(variant.sku, variant.sku), count, pick(where, locale) if where else "",
                                     own.get(variant.sku, 0)))  # fmt: skip
        shown = {variant.sku for variant in chosen}
        for variant in product.variants:  # one set aside for the shopper that the answers now rule out: still theirs
            if own.get(variant.sku, 0) > 0 and variant.sku not in shown:
                where = variant.stock.get(store_id, (0, {}))[1] if store_id else {}
                rows.append(VariantStock(labels.get(variant.sku, variant.sku), 0, pick(where, locale) if where else "",
                                         own[variant.sku]))  # fmt: skip
        stocked = [row for row in rows if row.count > 0]
        return Stock(sum(row.count for row in stocked), stocked[0].location if stocked else "", tuple(rows),
                     address=address)  # fmt: skip
    # One article: set aside by its own sku (a model's only variant, with a GTIN or options, by the variant's; by the
    # model's where the booking's database did not list the variant), never by both
    skus = {product.sku, *(variant.sku for variant in product.variants)}
    taken, mine = sum(aside.get(sku, 0) for sku in skus), sum(own.get(sku, 0) for sku in skus)
    entry = product.stock.get(store_id) if store_id else None
    if entry is None:
        return Stock(0, "", own=mine, address=address)
    return Stock(max(0, entry[0] - taken), pick(entry[1], locale) if entry[1] else "", own=mine,
                 address=address)  # fmt: skip


def size_text(advice: SizeAdvice, locale: str, address: str = "du") -> str:
    """The size to try, and the neighbour, with whether the store has them: "Probier Größe L (oder XL) – L: 2 hier"."""
    said = text("size.try", locale, address, size=advice.size)
    if advice.neighbour:
        said = text("size.try_neighbour", locale, address, size=advice.size, neighbour=advice.neighbour)
    if advice.stock is not None:
        here = [(advice.size, advice.stock)]
        if advice.neighbour and advice.neighbour_stock is not None:
            here.append((advice.neighbour, advice.neighbour_stock))
        counts = ", ".join(text("size.here" if count else "size.not_here", locale, size=size, count=count)
                           for size, count in here)  # fmt: skip
        said = f"{said} – {counts}"
    return said


def variant_labels(product: ProductInfo, locale: str, index: CategoryIndex | None = None) -> dict[str, str]:
    """Per variant sku, what sets it apart from the model's other variants: the choices that differ (length,
    size, colour), else the numbers that do ("200 cm"); with the choices, the numbers that tell apart variants the
    choices alone do not ("Blau 42,5 EU" of boots in colours and sizes; a sleeping bag's length says its weight).
    A variant's values are joined by spaces ("Rot lang"), so that a list of variants, which commas part ("Vorrätig in
    Rot normal, Blau lang"), reads each as one, on the screen as in the voice (which would say a slash)."""
    chosen = _naming(product)
    labels = {}
    for variant in product.variants:
        said = [format_value(index, name, value, locale) if index is not None else _plain(value)
                for name in chosen if (value := variant.options.get(name)) is not None]  # fmt: skip
        labels[variant.sku] = " ".join(said) or variant.sku
    return labels


def _naming(product: ProductInfo) -> list[str]:
    """The attributes that name a model's variants: the choices that differ, with the numbers (in the catalog's
    order) that tell apart variants the choices alone do not; else the numbers that differ."""
    differing = [
        name
        for name in dict.fromkeys(name for v in product.variants for name in v.options)
        if len({repr(v.options.get(name)) for v in product.variants}) > 1
    ]
    numeric = [n for n in differing if isinstance(product.variants[0].options.get(n), int | float)]
    chosen = [n for n in differing if n not in numeric]
    if not chosen:
        return differing
    for name in numeric:  # (each only while some variants still read the same)
        if len({tuple(repr(v.options.get(n)) for n in chosen) for v in product.variants}) == len(product.variants):
            break
        chosen.append(name)
    return chosen


def variant_name(product: ProductInfo, variant_sku: str, locale: str, index: CategoryIndex | None = None) -> str | None:
    """What sets one variant apart from the model's others ("Grau", "Lang"), or None: the model has one, or the
    sku is none of its variants."""
    if len(product.variants) < 2:
        return None
    named = variant_labels(product, locale, index).get(variant_sku)
    return named if named and named != variant_sku else None


def _plain(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def product_facts(
    index: CategoryIndex,
    product: ProductInfo,
    locale: str,
    store_id: str | None,
    variants: Sequence[VariantInfo] | None = None,
    held: Mapping[str, int] | None = None,
    address: str = "du",
    *,
    store_named: StoreNamed | None = None,
) -> ProductFacts:
    """All facts of a product for one shopper's language and store (the stock of `variants`: those that fit, less
    what is `held` for appointments; what is held for this shopper said so, in their form of `address`; out of stock
    here, where else with `store_named`)."""
    return ProductFacts(
        sku=product.sku,
        name=pick(product.name, locale),
        description=pick(product.description, locale) if product.description else "",
        price=price_text(product, locale, variants),
        image=product.image,
        specs=spec_rows(index, product, locale, variants),
        care=care_lines(product, locale),
        repair=repair_lines(product, locale),
        sustainability=sustainability_lines(product, locale),
        stock=stock_in(product, store_id, locale, variants, index, held, address, store_named=store_named),
    )
