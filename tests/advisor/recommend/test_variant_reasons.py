"""What a shopper reads beside a backpack whose colours are its variants, and beside a range requirement: a wished
colour that a fitting variant has is said met, and that variant is the one shown with its stock ("Farbe: Rot",
"Rot: 1 vorrätig"), never "ohne Rot"; a torso range reads as the range ("38–48 cm"), not one end of it."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.catalog.dictionary import AttributeSpec
from advisor.engine import SessionState
from advisor.questionnaire.load import load_text
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.core import Ranked, Recommendation, recommend
from advisor.recommend.index import CategoryIndex, ProductInfo, VariantInfo, model_values
from advisor.rendering.facts import stock_in
from tests.helpers.catalog import sample_dictionary
from tests.helpers.index import product

COLOURS = {"red": ("Rot", "Red"), "green": ("Grün", "Green"), "blue": ("Blau", "Blue")}
SHELF = {"de": "EG, Rucksackwand", "en": "Ground floor, backpack wall"}
WISHED = {"de": "Farbe: Rot", "en": "Colour: Red"}


def missed(lines: list[str], locale: str, colour: str = "Rot") -> bool:
    """A colour wish said missed, with the colour had instead: "Farbe: Grün (gewünscht: Rot)", "Colour: Green
    (wished: Red)"."""
    label = colour if locale == "de" else {"Rot": "Red", "Grün": "Green", "Blau": "Blue"}[colour]
    start, end = ("Farbe: ", f" (gewünscht: {label})") if locale == "de" else ("Colour: ", f" (wished: {label})")
    return any(line.startswith(start) and line.endswith(end) for line in lines)


def _backpacks() -> Any:
    """The sample dictionary's backpacks with a colour that varies, as the merchandiser's copy has it."""
    category = sample_dictionary().categories["backpacks"]
    colour = AttributeSpec(
        "colour", "enum", {"de": "Farbe", "en": "Colour"}, values=tuple(COLOURS), varies=True,
        value_labels={value: {"de": de, "en": en} for value, (de, en) in COLOURS.items()},
    )  # fmt: skip
    return replace(category, attributes={**category.attributes, "colour": colour})


def pack(sku: str, variants: list[tuple[str, int, int, int]], price: float = 99.95) -> ProductInfo:
    """A model and its variants, each (colour, torso from, torso to, how many in the Munich store)."""
    infos = tuple(
        VariantInfo(f"{sku}-{colour[:2].upper()}{i}", None,
                    {"colour": colour, "torso_min_cm": low, "torso_max_cm": high}, price, None,
                    {"muc-01": (count, SHELF)})
        for i, (colour, low, high, count) in enumerate(variants)
    )  # fmt: skip
    less = {"torso_min_cm": True}
    merged = model_values([v.options for v in infos], less)
    made = product(sku, {"volume_l": 26, "weight_kg": 0.95, "use": ["hiking"], **merged}, price)
    return replace(made, variants=infos if len(infos) > 1 else ())


def index_of(products: list[ProductInfo]) -> CategoryIndex:
    return CategoryIndex(_backpacks(), sorted(products, key=lambda p: p.sku))


def _questionnaire() -> Questionnaire:
    steps = [
        {"id": "ruecken", "kind": "number", "question": {"de": "Rückenlänge?", "en": "Torso?"}, "min": 30,
         "max": 60, "step": 1, "unit": "cm",
         "require": [{"expr": "torso_min_cm <= ruecken <= torso_max_cm",
                      "label": {"de": "passt zu {ruecken} Rückenlänge", "en": "fits a {ruecken} torso"}}]},
        {"id": "farbe", "kind": "single", "question": {"de": "Farbe?", "en": "Colour?"}, "dont_care": True,
         "options": [{"id": value, "label": {"de": de, "en": en},
                      "prefer": [{"attribute": "colour", "equals": value, "weight": 1}]}
                     for value, (de, en) in COLOURS.items()]},
    ]  # fmt: skip
    document = {"format_version": 2, "id": "packs", "category": "backpacks", "locales": ["de", "en"],
                "default_locale": "de", "address": {"de": "du", "en": "du"}, "title": {"de": "R", "en": "B"},
                "intro": {"de": "R", "en": "B"}, "steps": steps}  # fmt: skip
    loaded = load_text(json.dumps(document), "packs.yaml")
    assert loaded.questionnaire is not None, loaded.findings
    return loaded.questionnaire


QUESTIONNAIRE = _questionnaire()


def advice(index: CategoryIndex, torso: int, colour: str = "red", locale: str = "de") -> Recommendation:
    state = SessionState(QUESTIONNAIRE.id, {"ruecken": torso, "farbe": colour})
    return recommend(index=index, questionnaire=QUESTIONNAIRE, state=state, locale=locale)


def said(item: Ranked) -> list[str]:
    return [reason.text for reason in (*item.reasons, *item.tradeoffs)]


@pytest.mark.parametrize("locale", ["de", "en"])
def test_a_colour_only_a_variant_has_is_said_met_and_that_variant_is_shown_with_its_stock(locale: str) -> None:
    """The merchandiser's Höhenweg 26: green and red (one here); red wished. It used to read "ohne Rot"."""
    hike = pack("BB-HIKE-26", [("green", 43, 53, 3), ("red", 43, 53, 1)])
    bike = pack("BB-BIKE-12", [("blue", 42, 54, 2)], price=79.95)
    result = advice(index_of([hike, bike]), 48, locale=locale)
    top = result.products[0]
    has = WISHED[locale]
    assert top.sku == "BB-HIKE-26"
    assert has in said(top) and not missed(said(top), locale), said(top)
    assert [v.options["colour"] for v in top.variants] == ["red"], "the red one is the one shown"
    red = "Rot" if locale == "de" else "Red"
    stock = stock_in(top.product, "muc-01", locale, top.variants, index_of([hike, bike])).text(locale)
    assert stock.startswith(f"{red}: 1 "), stock  # "Rot: 1 vorrätig – EG, Rucksackwand"
    other = result.products[1]
    assert ("Farbe: Blau (gewünscht: Rot)" if locale == "de" else "Colour: Blue (wished: Red)") in said(other)
    assert missed(said(other), locale) and has not in said(other), "a pack with no red one lacks it"


def test_a_red_variant_that_does_not_fit_the_back_is_no_red_pack() -> None:
    """The red one is for long backs only: for a 40 cm back the pack is green, said so and scored so."""
    split = pack("BB-HIKE-26", [("green", 38, 48, 3), ("red", 46, 56, 1)])
    red = pack("BB-HIKE-30", [("red", 38, 48, 1)], price=119.95)
    result = advice(index_of([split, red]), 40)
    assert [item.sku for item in result.products] == ["BB-HIKE-30", "BB-HIKE-26"], "the red pack that fits first"
    shown = result.products[1]
    assert "Farbe: Grün (gewünscht: Rot)" in said(shown) and "Farbe: Rot" not in said(shown), (
        "the green one it is shown as"
    )
    assert [v.options["colour"] for v in shown.variants] == ["green"]
    assert shown.score < result.products[0].score


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("de", "passt zu 42\u00a0cm Rückenlänge (38–48\u00a0cm)"), ("en", "fits a 42\u00a0cm torso (38–48\u00a0cm)")],
)
def test_a_torso_requirement_shows_the_packs_range_not_one_end_of_it(locale: str, expected: str) -> None:
    result = advice(index_of([pack("BB-HUT-32W", [("green", 38, 48, 1)])]), 42, locale=locale)
    assert expected in said(result.products[0]), said(result.products[0])


def test_the_range_of_a_model_is_that_of_its_shown_variants_together() -> None:
    """Two backs that both fit 47 cm: the pack fits backs from the shorter's start to the longer's end."""
    both = pack("BB-HIKE-26", [("green", 38, 48, 1), ("blue", 45, 55, 1)])
    result = advice(index_of([both]), 47, colour="red")
    assert "passt zu 47\u00a0cm Rückenlänge (38–55\u00a0cm)" in said(result.products[0])


variant = st.tuples(st.sampled_from(sorted(COLOURS)), st.integers(35, 50), st.integers(0, 10), st.integers(0, 2))


@settings(max_examples=80, deadline=None)
@given(
    models=st.lists(st.lists(variant, min_size=1, max_size=4), min_size=1, max_size=4),
    torso=st.integers(35, 60),
    wish=st.sampled_from(sorted(COLOURS)),
    locale=st.sampled_from(["de", "en"]),
)
def test_a_colour_some_fitting_variant_has_is_never_said_missing(
    models: list[list[tuple[str, int, int, int]]], torso: int, wish: str, locale: str
) -> None:
    """For any packs and back: a pack is said to have the wished colour exactly when one of its variants that fit
    the back has it, every variant shown then has it, and it scores above every pack said to lack it."""
    packs = [
        pack(f"BB-{i}", [(colour, low, low + span, count) for colour, low, span, count in variants])
        for i, variants in enumerate(models)
    ]
    result = advice(index_of(packs), torso, wish, locale)
    label = COLOURS[wish][0 if locale == "de" else 1]
    has = ("Farbe: " if locale == "de" else "Colour: ") + label
    for item in result.products:
        variants = item.product.variants or ()
        options = [v.options for v in variants] or [item.product.attributes]
        fitting = [o for o in options if o["torso_min_cm"] <= torso <= o["torso_max_cm"]]
        assert fitting, "a shown pack fits the back"
        met = any(o["colour"] == wish for o in fitting)
        assert (has in said(item), missed(said(item), locale, COLOURS[wish][0])) == (met, not met), (
            said(item),
            fitting,
        )
        if met and variants:
            assert all(v.options["colour"] == wish for v in item.variants)
    scores = {item.sku: (item.score, has in said(item)) for item in result.products}
    with_it = [score for score, met in scores.values() if met]
    without = [score for score, met in scores.values() if not met]
    assert not with_it or not without or min(with_it) > max(without)
