"""What the head-torch walk found in the results' wording: a price difference keeps its cents, and a label
without `words` reads in lower case mid-sentence in English."""

from __future__ import annotations

import pytest

from advisor.catalog.dictionary import PRICE, parse_dictionary
from advisor.recommend.explain import (
    Difference,
    Standout,
    Trade,
    say_difference,
    say_direction,
    say_group,
    say_standout,
)
from advisor.recommend.index import CategoryIndex
from tests.helpers.index import product

TORCHES = parse_dictionary({"categories": [{
    "id": "head_torches", "label": {"de": "Stirnlampen", "en": "Head torches"},
    "attributes": [
        {"name": "burn_time_h", "type": "number", "unit": "h", "more_is_better": True,
         "label": {"de": "Leuchtdauer (max)", "en": "Burn time (max)"}},
        {"name": "ipx", "type": "integer", "more_is_better": True, "label": {"de": "IPX-Schutz", "en": "IPX rating"}},
        {"name": "uv", "type": "boolean", "label": {"de": "UV-Schutz", "en": "UV protection"}},
    ],
}]}).categories["head_torches"]  # fmt: skip


def _index() -> CategoryIndex:
    return CategoryIndex(TORCHES, [product("A", {"burn_time_h": 40, "ipx": 7, "uv": True})])


@pytest.mark.parametrize(
    ("delta", "locale", "said"),
    [
        (2.5, "de", "2,50\u00a0€ teurer"),
        (2.5, "en", "€2.50 pricier"),
        (-0.99, "de", "0,99\u00a0€ günstiger"),
        (3.0, "en", "€3 pricier"),
        (-219.6, "de", "220\u00a0€ günstiger"),
        (12.5, "en", "€12 pricier"),
    ],
)
def test_a_price_difference_keeps_its_cents_below_ten_euros(delta: float, locale: str, said: str) -> None:
    assert say_difference(Difference(PRICE, delta, delta < 0), _index(), locale) == said


def test_a_label_without_words_is_lower_case_mid_sentence_in_english() -> None:
    index = _index()
    assert say_difference(Difference("burn_time_h", 0.5, True), index, "en") == "0.5\u00a0h more burn time (max)"
    assert say_direction(index, "burn_time_h", False, "en") == "less burn time (max)"
    assert say_group(Trade("burn_time_h", True), Trade(PRICE, True), index, "en") == "More burn time (max), but pricier"
    assert say_standout(Standout("best", "burn_time_h", 40, 3), index, "en").startswith("the best burn time (max) of")


def test_an_abbreviation_and_german_nouns_keep_their_capitals() -> None:
    index = _index()
    assert say_direction(index, "ipx", True, "en") == "more IPX rating"
    assert say_standout(Standout("only", "uv", True, 3), index, "en") == "the only one with UV protection"
    assert say_difference(Difference("burn_time_h", 0.5, True), index, "de") == "0,5\u00a0h mehr Leuchtdauer (max)"
