"""The diversity rule on an attribute that differs between a model's variants (a sleeping bag in regular and long):
the model counts towards each value its variants that fit the answers have, and no value is had by more than
`max_per_value` of the shown models."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from advisor.engine import SessionState
from advisor.questionnaire.load import load_text
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.core import recommend
from advisor.recommend.index import CategoryIndex, ProductInfo
from tests.helpers.catalog import sample_dictionary

BAGS = sample_dictionary().categories["sleeping_bags"]


def _bag(sku: str, price: float, variants: list[tuple[str, int]]) -> ProductInfo:
    """A model with its variants (length, largest body height); one variant is a model without variants."""
    record: dict[str, Any] = {"sku": sku, "brand": "Nordgrat", "name": {"de": sku, "en": sku}, "price": price}
    if len(variants) == 1:
        ((length, height),) = variants
        record["attributes"] = {"length": length, "max_body_height_cm": height}
    else:
        record["attributes"] = {}
        record["variants"] = [{"sku": f"{sku}-{length[0].upper()}", "options": {"length": length,
                               "max_body_height_cm": height}} for length, height in variants]  # fmt: skip
    return ProductInfo.from_record(record)


INDEX = CategoryIndex(BAGS, [
    _bag("A", 100, [("regular", 185), ("long", 200)]),
    _bag("B", 110, [("regular", 195)]),
    _bag("C", 120, [("regular", 185), ("long", 200)]),
    _bag("D", 130, [("long", 205)]),
    _bag("E", 140, [("regular", 200)]),
])  # fmt: skip


def _questionnaire(max_per_value: int, show: int) -> Questionnaire:
    step = {"id": "height", "kind": "number", "question": {"de": "Größe?", "en": "Height?"}, "min": 100, "max": 220,
            "step": 1, "unit": "cm", "require": [{"expr": "max_body_height_cm >= height"}]}  # fmt: skip
    document = {"format_version": 2, "id": "bags", "category": "sleeping_bags", "locales": ["de", "en"],
                "default_locale": "de", "address": {"de": "du", "en": "du"}, "title": {"de": "S", "en": "S"},
                "intro": {"de": "S", "en": "S"}, "steps": [step],
                "results": {"show": show, "tie_break": ["price"],
                            "diversity": {"attribute": "length", "max_per_value": max_per_value}}}  # fmt: skip
    loaded = load_text(json.dumps(document), "bags.yaml")
    assert loaded.questionnaire is not None, loaded.findings
    return loaded.questionnaire


def _shown(height: int, max_per_value: int, show: int) -> list[tuple[str, tuple[str, ...]]]:
    """The shown models, each with the lengths of its variants that fit (its own length when it has none)."""
    questionnaire = _questionnaire(max_per_value, show)
    result = recommend(index=INDEX, questionnaire=questionnaire, state=SessionState("bags", {"height": height}),
                       locale="en")  # fmt: skip
    shown = []
    for item in result.products:
        lengths = tuple(v.options["length"] for v in item.variants) or (item.product.attributes["length"],)
        shown.append((item.sku, lengths))
    return shown


def test_a_model_in_two_lengths_counts_towards_both_and_the_limit_holds() -> None:
    shown = _shown(170, max_per_value=2, show=3)
    assert [sku for sku, _ in shown] == ["A", "B", "D"]  # C would be a third regular one (and long one)
    per_length = Counter(length for _, lengths in shown for length in lengths)
    assert per_length == {"regular": 2, "long": 2}


def test_a_model_counts_only_towards_the_lengths_of_its_variants_that_fit() -> None:
    # At 190 cm only A's long version fits it: A is a long one, so B, a regular one, is shown beside it.
    shown = _shown(190, max_per_value=1, show=2)
    assert shown == [("A", ("long",)), ("B", ("regular",))]
