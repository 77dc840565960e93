"""A wish for less of what the dictionary calls better ("Ein Tag": a small daypack, though more storage is better):
the results' words follow the figures, never the dictionary's praise. The smallest pack is not "der meiste
Stauraum", and a bigger one is not "weniger Stauraum"."""

from __future__ import annotations

import re

import pytest

from advisor.engine import SessionState
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.core import recommend
from advisor.recommend.explain import decide, say_apart, say_group, say_versus_top, wished_directions
from advisor.rendering.compare import compare_rows
from tests.helpers.index import sample_index
from tests.helpers.questionnaires import of_steps


def _daypack_finder() -> Questionnaire:
    steps = [
        {"id": "trip", "kind": "single", "question": {"de": "Wie lange?", "en": "How long?"},
         "options": [{"id": "day", "label": {"de": "Ein Tag", "en": "One day"},
                      "prefer": [{"attribute": "volume_l", "direction": "lower", "weight": 2}]},
                     {"id": "multi", "label": {"de": "Mehrere Tage", "en": "Several days"},
                      "prefer": [{"attribute": "volume_l", "direction": "higher", "weight": 2}]}]},
    ]  # fmt: skip
    return of_steps("daypacks", "backpacks", steps)


FINDER = _daypack_finder()
LITRES = re.compile(r"(\d+)\u00a0l")


@pytest.mark.parametrize("trip", ["day", "multi"])
@pytest.mark.parametrize("locale", ["de", "en"])
def test_the_storage_said_of_each_pack_is_true_of_its_litres(trip: str, locale: str) -> None:
    index = sample_index("backpacks")
    answers = {"trip": trip}
    result = recommend(index=index, questionnaire=FINDER, state=SessionState(FINDER.id, answers), locale=locale)
    assert len(result.products) >= 3
    decision = decide(result=result, index=index, questionnaire=FINDER, answers=answers)
    litres = {item.sku: index.value("volume_l", index.position[item.sku]) for item in result.products}
    top = result.products[0].sku
    more, less = ("mehr Stauraum", "weniger Stauraum") if locale == "de" else ("more capacity", "less capacity")
    smallest = litres[top] == min(litres.values())
    assert smallest == (trip == "day"), "the wish decides the top pick: the smallest pack for a day"
    apart = say_apart(decision, result.products[0], index, locale)
    storage = [line for line in apart if "Stauraum" in line or "capacity" in line or "Volumen" in line
               or "volume" in line]  # fmt: skip
    assert storage, apart
    if trip == "day":
        word = "am wenigsten Volumen von den" if locale == "de" else "the least volume of the"
        assert storage[0].startswith(word), storage
    else:
        assert storage[0].startswith("der meiste Stauraum" if locale == "de" else "the most capacity"), storage
    for alternative in decision.alternatives:
        line = say_versus_top(alternative, index, locale)
        delta = litres[alternative.sku] - litres[top]
        if f"{abs(delta)}\u00a0l {more}" in line or f"{abs(delta)}\u00a0l {less}" in line:
            assert (f"\u00a0l {more}" in line) == (delta > 0), (line, litres[alternative.sku], litres[top])
    for (gain, cost), _ in decision.groups():
        heading = say_group(gain, cost, index, locale)
        for trade in (gain, cost):
            if trade is not None and trade.attribute == "volume_l":
                assert (more.casefold() in heading.casefold()) == trade.higher, heading


@pytest.mark.parametrize("trip", ["day", "multi"])
def test_the_comparison_marks_the_volume_the_shopper_wished(trip: str) -> None:
    index = sample_index("backpacks")
    answers = {"trip": trip}
    result = recommend(index=index, questionnaire=FINDER, state=SessionState(FINDER.id, answers), locale="de")
    products = [index.products[index.position[item.sku]] for item in result.products[:3]]
    wished = wished_directions(FINDER, answers)
    assert wished == {"volume_l": trip == "multi"}
    (row,) = [row for row in compare_rows(index, products, "de", wished=wished) if row.attribute == "volume_l"]
    litres = [product.attributes["volume_l"] for product in products]
    marked = {litres[column] for column in row.better}
    assert marked == {min(litres) if trip == "day" else max(litres)}, (litres, row.better)
