"""Hiking boots sold in EU sizes (42,5) and colours, as a merchandiser's walk added them: a price with one cent digit,
stock per colour and size, the sizes of a model as its range, a size step without one of the allowed units. A small
made-up catalog after the walk's data."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.catalog.dictionary import parse_dictionary
from advisor.engine import SessionState
from advisor.recommend.core import recommend
from advisor.recommend.index import CategoryIndex, ProductInfo
from advisor.rendering.compare import compare_rows
from advisor.rendering.facts import price_text, spec_rows, stock_in, variant_labels
from tests.helpers.questionnaires import of_steps

BOOTS = parse_dictionary({"categories": [{
    "id": "hiking_boots", "label": {"de": "Wanderschuhe", "en": "Hiking boots"},
    "one": {"de": "Wanderschuh", "en": "Hiking boot"},
    "attributes": [
        {"name": "size_eu", "type": "number", "unit": "EU", "label": {"de": "Größe (EU)", "en": "Size (EU)"},
         "min": 36, "max": 48, "varies": True},
        {"name": "colour", "type": "enum", "label": {"de": "Farbe", "en": "Colour"}, "values": ["grey", "blue"],
         "varies": True, "value_labels": {"grey": {"de": "Grau", "en": "Grey"}, "blue": {"de": "Blau", "en": "Blue"}}},
        {"name": "weight_g", "type": "integer", "unit": "g", "label": {"de": "Gewicht", "en": "Weight"},
         "more_is_better": False},
    ],
}]}).categories["hiking_boots"]  # fmt: skip


def _boot(sku: str, price: float, sizes: dict[tuple[float, str], int]) -> ProductInfo:
    """A boot with a variant per size and colour, `sizes` saying how many of each the Munich store has."""
    variants: list[dict[str, Any]] = [
        {"sku": f"{sku}-{size}-{colour}", "options": {"size_eu": size, "colour": colour},
         "stock": [{"store": "muc-01", "quantity": count, "location": {"de": "Schuhwand", "en": "Boot wall"}}]}
        for (size, colour), count in sizes.items()
    ]  # fmt: skip
    return ProductInfo.from_record({
        "sku": sku, "brand": "Nordgrat", "name": {"de": sku, "en": sku}, "price": price,
        "attributes": {"weight_g": 800}, "variants": variants,
    })  # fmt: skip


def _index() -> CategoryIndex:
    return CategoryIndex(BOOTS, [
        _boot("WS-005", 99.9, {(40.0, "blue"): 1, (41.0, "blue"): 0, (42.5, "blue"): 2, (40.0, "grey"): 3,
                               (42.5, "grey"): 0}),
        _boot("WS-009", 149.0, {(38.0, "grey"): 1, (39.0, "grey"): 1, (40.0, "grey"): 1, (41.0, "grey"): 1,
                                (42.0, "grey"): 1}),
    ])  # fmt: skip


def _product(index: CategoryIndex, sku: str) -> ProductInfo:
    return index.products[index.position[sku]]


@pytest.mark.parametrize(
    ("sku", "locale", "expected"),
    [("WS-005", "de", "99,90 €"), ("WS-005", "en", "€99.90"), ("WS-009", "de", "149 €"), ("WS-009", "en", "€149")],
)
def test_a_price_with_cents_shows_both_digits_and_a_whole_one_none(sku: str, locale: str, expected: str) -> None:
    index = _index()
    assert price_text(_product(index, sku), locale) == expected


def test_euros_is_the_one_rule_for_prices() -> None:
    from advisor.i18n import euros

    assert [euros(value, "de") for value in (99.9, 129.95, 149.0, 1299.5, 0.5)] == [
        "99,90 €", "129,95 €", "149 €", "1.299,50 €", "0,50 €"]  # fmt: skip
    assert [euros(value, "en") for value in (99.9, 149, 1299.5)] == ["€99.90", "€149", "€1,299.50"]


def test_boots_in_sizes_and_colours_are_each_named_by_colour_and_size() -> None:
    index = _index()
    boot = _product(index, "WS-005")
    labels = variant_labels(boot, "de", index)
    assert sorted(labels.values()) == sorted(
        ["Blau 40\u00a0EU", "Blau 41\u00a0EU", "Blau 42,5\u00a0EU", "Grau 40\u00a0EU", "Grau 42,5\u00a0EU"]
    )
    line = stock_in(boot, "muc-01", "de", index=index).text("de").replace("\u00a0", " ")
    assert line == "Vorrätig in Blau 40 EU, Blau 42,5 EU, Grau 40 EU – Schuhwand · nicht in Blau 41 EU, Grau 42,5 EU"


def test_a_boot_in_one_colour_is_named_by_its_size_alone() -> None:
    index = _index()
    labels = variant_labels(_product(index, "WS-009"), "en", index)
    assert [label.replace("\u00a0", " ") for label in labels.values()] == ["38 EU", "39 EU", "40 EU", "41 EU", "42 EU"]


def test_the_sizes_of_a_model_read_as_their_range_not_the_largest() -> None:
    index = _index()
    boot = _product(index, "WS-009")
    rows = dict(spec_rows(index, boot, "de"))
    assert rows["Größe (EU)"].replace("\u00a0", " ") == "38–42 EU"
    assert rows["Farbe"] == "Grau" and rows["Gewicht"].replace("\u00a0", " ") == "800 g"
    two = [v for v in boot.variants if v.options["size_eu"] in (40.0, 41.0)]  # those that fit: their range
    assert dict(spec_rows(index, boot, "en", two))["Size (EU)"].replace("\u00a0", " ") == "40–41 EU"
    one = [v for v in boot.variants if v.options["size_eu"] == 41.0]
    assert dict(spec_rows(index, boot, "en", one))["Size (EU)"].replace("\u00a0", " ") == "41 EU"
    mixed = dict(spec_rows(index, _product(index, "WS-005"), "de"))
    assert mixed["Größe (EU)"].replace("\u00a0", " ") == "40–42,5 EU" and mixed["Farbe"] == "Grau, Blau"


def test_the_comparison_shows_each_boots_sizes_as_their_range_and_marks_none_better() -> None:
    """A size is no better for being larger: the comparison names each model's sizes, as its details do."""
    index = _index()
    boots = [_product(index, "WS-005"), _product(index, "WS-009")]
    rows = {row.attribute: row for row in compare_rows(index, boots, "de")}
    sizes = rows["size_eu"]
    assert [value.replace("\u00a0", " ") for value in sizes.values] == ["40–42,5 EU", "38–42 EU"]
    assert sizes.better == frozenset()


def _size_finder() -> Any:
    step: dict[str, Any] = {
        "id": "shoe_size", "kind": "number", "question": {"de": "Welche Schuhgröße?", "en": "Which shoe size?"},
        "min": 36, "max": 48, "step": 0.5, "default": 42,
        "require": [{"expr": "size_eu == shoe_size",
                     "label": {"de": "in Größe {shoe_size}", "en": "in size {shoe_size}"}}],
    }  # fmt: skip
    return of_steps("boot-finder", "hiking_boots", [step])


@pytest.mark.parametrize(("size", "locale", "said"), [(38, "de", "in Größe 38"), (42.5, "de", "in Größe 42,5"),
                                                      (40, "en", "in size 40")])  # fmt: skip
def test_a_size_the_wish_names_is_not_said_again_with_its_unit(size: float, locale: str, said: str) -> None:
    """ "in Größe 43", not "in Größe 43 (43 EU)": the wish names the number; EU is no unit a step may have."""
    index, finder = _index(), _size_finder()
    result = recommend(index=index, questionnaire=finder, state=SessionState(finder.id, {"shoe_size": size}),
                       locale=locale)  # fmt: skip
    assert result.products, "a model with a variant in that size fits"
    assert {reason.text for ranked in result.products for reason in ranked.reasons} == {said}


def test_a_wish_that_names_another_number_still_shows_the_products() -> None:
    from advisor.recommend.core import _says_number

    assert _says_number("in Größe 43", 43.0, "de") and _says_number("in size 42.5", 42.5, "en")
    assert not _says_number("in Größe 43,5", 43, "de") and not _says_number("ab -12 °C", 12, "de")
    assert not _says_number("in Größe 43", "43", "de") and not _says_number("mit Netz", True, "de")
    assert _says_number("bis 1.200 g", 1200, "de") and _says_number("up to 1,200 g", 1200, "en")
