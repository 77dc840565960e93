"""A product's facts do not claim what none of its variants has: the specifications of variants that differ read as
their ranges, the variants in stock each with their own shelf, and out of stock here, a few other stores, not all."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from advisor.catalog.dictionary import parse_dictionary
from advisor.recommend.index import CategoryIndex, ProductInfo, model_values
from advisor.rendering.facts import product_facts, stock_in
from tests.helpers.index import sample_index

# -- the specifications: no combination of variants that does not exist -----------------------------------------


def _nebelmeer() -> tuple[CategoryIndex, ProductInfo]:
    """Nebelmeer 1200 as the database builds the model: the best of each of its variants' values (the regular one's
    1.78 kg and 159,95 €, the long one's 205 cm)."""
    index = sample_index("sleeping_bags")
    bag = index.products[index.position["NG-SBAG-0016"]]
    less = {name: spec.more_is_better is False for name, spec in index.category.attributes.items()}
    return index, replace(bag, attributes={**bag.attributes, **model_values([v.options for v in bag.variants], less)})


@pytest.mark.parametrize(
    ("locale", "weight", "height", "price"),
    [("de", "Gewicht", "Max. Körpergröße", "ab 159,95 €"), ("en", "Weight", "Max. body height", "from €159.95")],
)
def test_variants_that_both_fit_read_as_their_ranges(locale: str, weight: str, height: str, price: str) -> None:
    """A shopper of 175 cm whom both lengths fit reads the weights and lengths of both, not the regular one's
    weight and price beside the long one's length."""
    index, bag = _nebelmeer()
    facts = product_facts(index, bag, locale, "muc-01", bag.variants)
    specs = {label: value.replace("\u00a0", " ") for label, value in facts.specs}
    assert facts.price == price
    sep = "," if locale == "de" else "."
    assert specs[weight] == f"1{sep}78–1{sep}92 kg"
    assert specs[height] == "185–205 cm"


def test_one_variant_that_fits_reads_as_that_variant() -> None:
    index, bag = _nebelmeer()
    regular = tuple(v for v in bag.variants if v.options["length"] == "regular")
    facts = product_facts(index, bag, "de", "muc-01", regular)
    specs = {label: value.replace("\u00a0", " ") for label, value in facts.specs}
    assert (facts.price, specs["Gewicht"], specs["Max. Körpergröße"]) == ("159,95 €", "1,78 kg", "185 cm")


# -- the variants in stock, each with its own shelf ---------------------------------------------------------------

JACKETS = parse_dictionary({"categories": [{
    "id": "rain_jackets", "label": {"de": "Regenjacken", "en": "Rain jackets"},
    "one": {"de": "Regenjacke", "en": "Rain jacket"},
    "attributes": [
        {"name": "colour", "type": "enum", "label": {"de": "Farbe", "en": "Colour"}, "values": ["black"],
         "varies": True, "value_labels": {"black": {"de": "Schwarz", "en": "Black"}}},
        {"name": "size", "type": "enum", "label": {"de": "Größe", "en": "Size"}, "values": ["XS", "S", "M", "XL"],
         "varies": True},
    ],
}]}).categories["rain_jackets"]  # fmt: skip
TENTS = {"de": "1. OG, Zeltwelt", "en": "1st floor, tent world"}
WALL = {"de": "EG, Jackenwand", "en": "Ground floor, jacket wall"}


def _jacket(shelves: dict[str, tuple[int, dict[str, str]]]) -> ProductInfo:
    """A black jacket in sizes, `shelves` saying how many of each size the Munich store has and where."""
    variants: list[dict[str, Any]] = [
        {"sku": f"JK-{size}", "options": {"colour": "black", "size": size},
         "stock": [{"store": "muc-01", "quantity": count, "location": where}]}
        for size, (count, where) in shelves.items()
    ]  # fmt: skip
    return ProductInfo.from_record({
        "sku": "JK", "brand": "Nordgrat", "name": {"de": "Jacke", "en": "Jacket"}, "price": 199.95,
        "attributes": {}, "variants": variants,
    })  # fmt: skip


@pytest.mark.parametrize(
    ("locale", "line"),
    [("de", "Vorrätig in XS, S – 1. OG, Zeltwelt · XL – EG, Jackenwand · nicht in M"),
     ("en", "In stock in XS, S – 1st floor, tent world · XL – Ground floor, jacket wall · not in M")],
)  # fmt: skip
def test_variants_on_two_shelves_are_each_said_with_their_own(locale: str, line: str) -> None:
    jacket = _jacket({"XS": (2, TENTS), "S": (1, TENTS), "M": (0, TENTS), "XL": (3, WALL)})
    index = CategoryIndex(JACKETS, [jacket])
    assert stock_in(jacket, "muc-01", locale, index=index).text(locale) == line


def test_variants_set_aside_on_two_shelves_are_each_said_with_their_own() -> None:
    from advisor.appointments.booking import Holds

    jacket = _jacket({"XS": (2, TENTS), "S": (1, TENTS), "XL": (3, WALL)})
    index = CategoryIndex(JACKETS, [jacket])
    held = Holds({"JK-XS": 1, "JK-XL": 1}, own={"JK-XS": 1, "JK-XL": 1})
    line = stock_in(jacket, "muc-01", "de", index=index, held=held).text("de")
    assert line.startswith("Für dich zurückgelegt: XS – 1. OG, Zeltwelt · XL – EG, Jackenwand · ")


def test_variants_on_one_shelf_name_it_once_as_before() -> None:
    jacket = _jacket({"XS": (2, WALL), "S": (1, WALL), "XL": (3, WALL)})
    index = CategoryIndex(JACKETS, [jacket])
    assert stock_in(jacket, "muc-01", "de", index=index).text("de") == "Vorrätig in XS, S, XL – EG, Jackenwand"


# -- out of stock here: the three stores with most of it, and how many more --------------------------------------

CITIES = ["Essen", "Oberhausen", "Bochum", "Dortmund", "Köln", "Bonn", "Kiel", "Lübeck"]


def _tarp(counts: dict[str, int]) -> ProductInfo:
    """A tarp none of which is in Munich, `counts` saying how many other stores have."""
    stock = [{"store": "muc-01", "quantity": 0, "location": WALL}]
    stock += [{"store": store, "quantity": count, "location": WALL} for store, count in counts.items()]
    return ProductInfo.from_record({
        "sku": "TP", "brand": "Nordgrat", "name": {"de": "Tarp", "en": "Tarp"}, "price": 49.95, "attributes": {},
        "stock": stock,
    })  # fmt: skip


def _named(store_id: str) -> str | None:
    return f"Bergwelt {store_id.title()}" if store_id in {city.lower() for city in CITIES} else None


@pytest.mark.parametrize(
    ("locale", "address", "line"),
    [("de", "du", "Derzeit nicht vorrätig – in Bergwelt Essen: 13, Bergwelt Oberhausen: 13, Bergwelt Bochum: 9 "
                  "und 5 weiteren Filialen"),
     ("de", "Sie", "Derzeit nicht vorrätig – in Bergwelt Essen: 13, Bergwelt Oberhausen: 13, Bergwelt Bochum: 9 "
                   "und 5 weiteren Filialen"),
     ("en", "du", "Currently out of stock – in Bergwelt Essen: 13, Bergwelt Oberhausen: 13, Bergwelt Bochum: 9 "
                  "and 5 other stores")],
)  # fmt: skip
def test_many_other_stores_read_as_the_three_with_most_and_a_count(locale: str, address: str, line: str) -> None:
    """Of eight stores that have it, the three with most (the two with 13 by name), then how many more."""
    counts = {"oberhausen": 13, "essen": 13, "bochum": 9, "dortmund": 4, "köln": 3, "bonn": 2, "kiel": 1, "lübeck": 1}
    said = stock_in(_tarp(counts), "muc-01", locale, address=address, store_named=_named).text(locale)
    assert said == line


def test_one_more_store_and_stores_without_a_name_are_counted_alike() -> None:
    counts = {"essen": 5, "bochum": 4, "bonn": 3, "kiel": 2}
    named = "Bergwelt Essen: 5, Bergwelt Bochum: 4, Bergwelt Bonn: 3"
    said = stock_in(_tarp(counts), "muc-01", "de", store_named=_named).text("de")
    assert said == f"Derzeit nicht vorrätig – in {named} und einer weiteren Filiale"
    said = stock_in(_tarp({**counts, "x-01": 7}), "muc-01", "en", store_named=_named).text("en")
    assert said == f"Currently out of stock – in {named} and 2 other stores"


def test_three_stores_are_all_named_as_before() -> None:
    said = stock_in(_tarp({"essen": 5, "bonn": 3, "x-01": 2}), "muc-01", "de", store_named=_named).text("de")
    assert said == "Derzeit nicht vorrätig – in Bergwelt Essen: 5, Bergwelt Bonn: 3, anderen Filialen: 2"
