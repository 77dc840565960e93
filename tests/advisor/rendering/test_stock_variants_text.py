"""The stock line of a model whose variants differ in two ways (a kids' sleeping bag in colours and lengths, as a
merchandiser's walk added one): each variant reads as one, the commas part the variants. A small made-up catalog."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.catalog.dictionary import parse_dictionary
from advisor.recommend.index import CategoryIndex, ProductInfo
from advisor.rendering.facts import stock_in, variant_name

BAGS = parse_dictionary({"categories": [{
    "id": "sleeping_bags", "label": {"de": "Schlafsäcke", "en": "Sleeping bags"},
    "one": {"de": "Schlafsack", "en": "Sleeping bag"},
    "attributes": [
        {"name": "colour", "type": "enum", "label": {"de": "Farbe", "en": "Colour"}, "values": ["red", "blue"],
         "varies": True, "value_labels": {"red": {"de": "Rot", "en": "Red"}, "blue": {"de": "Blau", "en": "Blue"}}},
        {"name": "length", "type": "enum", "label": {"de": "Länge", "en": "Length"}, "values": ["regular", "long"],
         "varies": True, "value_labels": {"regular": {"de": "normal", "en": "regular"},
                                          "long": {"de": "lang", "en": "long"}}},
    ],
}]}).categories["sleeping_bags"]  # fmt: skip
SHELF = {"de": "EG, Kinderwelt, Regal 2", "en": "Ground floor, kids' world, shelf 2"}


def _bag(counts: dict[tuple[str, str], int]) -> ProductInfo:
    """A bag with a variant per colour and length, `counts` saying how many of each the Munich store has."""
    variants: list[dict[str, Any]] = [
        {"sku": f"KS-130-{colour}-{length}", "options": {"colour": colour, "length": length},
         "stock": [{"store": "muc-01", "quantity": count, "location": SHELF}]}
        for (colour, length), count in counts.items()
    ]  # fmt: skip
    return ProductInfo.from_record({
        "sku": "KS-130", "brand": "Nordgrat", "name": {"de": "Zwergenschlaf 130", "en": "Zwergenschlaf 130"},
        "price": 59.95, "attributes": {}, "variants": variants,
    })  # fmt: skip


STOCK = {("red", "regular"): 2, ("red", "long"): 0, ("blue", "regular"): 1, ("blue", "long"): 3}


@pytest.mark.parametrize(
    ("locale", "line"),
    [("de", "Vorrätig in Rot normal, Blau normal, Blau lang – EG, Kinderwelt, Regal 2 · nicht in Rot lang"),
     ("en", "In stock in Red regular, Blue regular, Blue long – Ground floor, kids' world, shelf 2 · not in Red long")],
)  # fmt: skip
def test_each_variant_of_two_varying_attributes_reads_as_one(locale: str, line: str) -> None:
    bag = _bag(STOCK)
    index = CategoryIndex(BAGS, [bag])
    assert stock_in(bag, "muc-01", locale, index=index).text(locale) == line


def test_a_variant_set_aside_and_a_variant_named_alone_read_the_same_way() -> None:
    from advisor.appointments.booking import Holds

    bag = _bag(STOCK)
    index = CategoryIndex(BAGS, [bag])
    theirs = Holds({"KS-130-blue-long": 1}, {"KS-130-blue-long": 1})
    line = stock_in(bag, "muc-01", "de", index=index, held=theirs).text("de")
    theirs_first = "Für dich zurückgelegt: Blau lang – EG, Kinderwelt, Regal 2 · Vorrätig in Rot normal, "
    assert line.startswith(theirs_first), line
    assert variant_name(bag, "KS-130-red-long", "en", index) == "Red long"


def test_one_varying_attribute_lists_its_values_as_before() -> None:
    bag = _bag({("red", "regular"): 2, ("blue", "regular"): 0})
    index = CategoryIndex(BAGS, [bag])
    line = stock_in(bag, "muc-01", "de", index=index).text("de")
    assert line == "Vorrätig in Rot – EG, Kinderwelt, Regal 2 · nicht in Blau"
