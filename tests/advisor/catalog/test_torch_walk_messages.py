"""What the head-torch walk found in the catalog's messages: the shape of `words`, `more_is_better` on an enum, and
a store the dictionary does not list."""

from __future__ import annotations

import re
from typing import Any

import pytest

from advisor.catalog.dictionary import Dictionary, DictionaryError, parse_dictionary
from advisor.catalog.validate import BatchPlan
from tests.helpers.catalog import sample_dictionary


def _category(attribute: dict[str, Any]) -> dict[str, Any]:
    return {"categories": [{"id": "head_torches", "label": {"de": "Stirnlampen", "en": "Head torches"},
                            "attributes": [attribute]}]}  # fmt: skip


def test_words_keyed_by_word_first_are_refused_with_the_right_shape() -> None:
    words = {"better": {"de": "länger", "en": "longer"}, "worse": {"de": "kürzer", "en": "shorter"},
             "best": {"de": "am längsten von den {n}", "en": "the longest of the {n}"}}  # fmt: skip
    attribute = {"name": "burn_time_h", "type": "number", "unit": "h", "more_is_better": True,
                 "label": {"de": "Leuchtdauer", "en": "Burn time"}, "words": words}  # fmt: skip
    with pytest.raises(DictionaryError) as raised:
        parse_dictionary(_category(attribute), "categories.json")
    assert str(raised.value) == (
        "categories.json: categories[0].attributes[0].words: words is keyed by language first: "
        '{"de": {"better": …, "worse": …, "best": …}, "en": {…}}; found keys better, worse, best'
    )


def test_words_of_a_yes_no_attribute_show_their_own_shape() -> None:
    attribute = {"name": "uv", "type": "boolean", "label": {"de": "UV", "en": "UV"}, "words": {"only": "x"}}
    with pytest.raises(DictionaryError, match=re.escape('{"de": {"only": …}, "en": {…}}; found keys only')):
        parse_dictionary(_category(attribute), "categories.json")


@pytest.mark.parametrize(("kind", "why"), [("enum", "an enum's values have no order"),
                                           ("set", "a set's values have no order")])  # fmt: skip
def test_more_is_better_on_an_enum_is_refused(kind: str, why: str) -> None:
    attribute = {"name": "waterproof", "type": kind, "values": ["ipx4", "ipx7", "ipx8"], "more_is_better": True,
                 "label": {"de": "Wasserschutz", "en": "Waterproof rating"}}  # fmt: skip
    with pytest.raises(DictionaryError) as raised:
        parse_dictionary(_category(attribute), "categories.json")
    assert str(raised.value) == (
        "categories.json: categories[0].attributes[0].more_is_better: more_is_better applies to number attributes; "
        + why
    )


def test_the_sample_dictionary_sets_more_is_better_on_numbers_only() -> None:
    for category in sample_dictionary().categories.values():
        for spec in category.attributes.values():
            assert spec.more_is_better is None or spec.is_numeric, (category.id, spec.name)


HEADER = ["sku", "category", "brand", "name.de", "name.en", "price", "stock.lon-01.quantity"]


def test_an_unknown_store_says_how_to_add_it() -> None:
    plan = BatchPlan(HEADER, sample_dictionary())
    assert [str(error) for error in plan.unknown] == [
        "unknown store 'lon-01' in column 'stock.lon-01.quantity' (known: ham-01, muc-01); add it under \"stores\" "
        "in a category file and import that file first: advisor catalog import categories.json"
    ]


def test_an_unknown_store_says_when_no_store_is_known_yet() -> None:
    plan = BatchPlan(HEADER, Dictionary(stores={}, categories=sample_dictionary().categories))
    [said] = [str(error) for error in plan.unknown]
    assert "(no store is known yet)" in said and "known: )" not in said
    assert said.endswith('add it under "stores" in a category file and import that file first: '
                         "advisor catalog import categories.json")  # fmt: skip
