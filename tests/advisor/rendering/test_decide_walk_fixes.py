"""What the shopper reads after the QA walk's findings: back lengths of fixed packs, a product out of stock here
but in another store, and care lists that do not say the same twice."""

from __future__ import annotations

import dataclasses

import pytest

from advisor.recommend.explain import Difference, say_difference, say_group
from advisor.rendering.facts import care_lines, stock_in
from advisor.rendering.service import part_view
from tests.helpers.index import sample_index

STORES = {"ham-01": "Hamburg", "muc-01": "München"}


def _named(store_id: str) -> str | None:
    return STORES.get(store_id)


def _product(sku: str):  # type: ignore[no-untyped-def]
    index = sample_index("backpacks")
    return index.products[index.position[sku]]


# -- 5: a fixed back length is not "adjustable" -------------------------------------------------------------


@pytest.mark.parametrize(
    ("attribute", "delta", "locale", "said"),
    [
        ("torso_min_cm", 5, "de", "5\u00a0cm mehr Rückenlänge nötig"),
        ("torso_min_cm", 4, "en", "needs 4\u00a0cm more back length"),
        ("torso_min_cm", -3, "de", "3\u00a0cm weniger Rückenlänge nötig"),
        ("torso_max_cm", 5, "de", "5\u00a0cm mehr Rückenlänge möglich"),
        ("torso_max_cm", -2, "en", "allows 2\u00a0cm less back length"),
    ],
)
def test_back_length_differences_hold_for_fixed_packs(attribute: str, delta: int, locale: str, said: str) -> None:
    index = sample_index("backpacks")
    shown = say_difference(Difference(attribute, delta, delta < 0), index, locale)
    assert shown.replace("\u00a0", " ") == said.replace("\u00a0", " ")
    assert "einstellbar" not in shown and "Einstellung" not in shown and "adjusts" not in shown


def test_back_length_group_heading_does_not_say_adjustable() -> None:
    index = sample_index("backpacks")
    heading = say_group(("weight_kg", False), ("torso_min_cm", True), index, "de")
    assert heading == "Leichter, aber mehr Rückenlänge nötig"
    assert say_group(("weight_kg", False), ("torso_min_cm", True), index, "en") == "Lighter, but needs more back length"


# -- 8: out of stock here, but in another store ---------------------------------------------------------------


def test_out_of_stock_here_names_the_store_that_has_it() -> None:
    product = _product("NG-PACK-0005")  # Hörnle 20: none in Munich, 8 in Hamburg
    stock = stock_in(product, "muc-01", "de", store_named=_named)
    assert stock.text("de") == "Derzeit nicht vorrätig – in Hamburg: 8"
    assert stock_in(product, "muc-01", "en", store_named=_named).text("en") == "Currently out of stock – in Hamburg: 8"


def test_out_of_stock_everywhere_says_it_can_be_ordered() -> None:
    product = _product("NG-PACK-0005")
    nowhere = dataclasses.replace(product, stock={store: (0, where) for store, (_, where) in product.stock.items()})
    assert stock_in(nowhere, "muc-01", "de", store_named=_named).text("de") == (
        "Derzeit nicht vorrätig – wir können es für dich bestellen"
    )
    assert stock_in(nowhere, "muc-01", "de", store_named=_named, address="Sie").text("de") == (
        "Derzeit nicht vorrätig – wir können es für Sie bestellen"
    )


def test_product_and_part_say_other_stores_alike() -> None:
    product = _product("NG-PACK-0005")
    part = part_view(product, "muc-01", "de", store_named=_named)
    assert part.stock == stock_in(product, "muc-01", "de", store_named=_named).text("de")


def test_in_stock_here_says_nothing_of_other_stores() -> None:
    product = _product("NG-PACK-0007")  # 7 in Munich
    assert "Hamburg" not in stock_in(product, "muc-01", "de", store_named=_named).text("de")


# -- 11: a care list that does not say the same twice ---------------------------------------------------------


@pytest.mark.parametrize(
    ("care", "locale", "expected"),
    [
        ({"wash": "hand", "dry": "tumble_low",
          "instructions": {"en": ["Hand-wash in the bathtub with down wash",
                                  "Tumble dry on low with two tennis balls"]}},
         "en", ("Hand-wash in the bathtub with down wash", "Tumble dry on low with two tennis balls")),
        ({"wash": "hand", "dry": "air", "instructions": {"de": ["Nicht in der Waschmaschine waschen"]}},
         "de", ("An der Luft trocknen", "Nicht in der Waschmaschine waschen")),
        ({"wash": "hand", "reproof": "spray", "instructions": {"de": ["Nach dem Waschen neu imprägnieren"]}},
         "de", ("Nach dem Waschen neu imprägnieren",)),
        ({"wash": "machine_30", "dry": "air", "instructions": {"en": ["Close all zips first"]}},
         "en", ("Machine wash 30 °C", "Air dry", "Close all zips first")),
    ],
)  # fmt: skip
def test_care_leaves_out_a_label_the_instructions_cover(care: dict, locale: str, expected: tuple[str, ...]) -> None:  # type: ignore[type-arg]
    product = dataclasses.replace(_product("NG-PACK-0005"), care=care)
    assert care_lines(product, locale) == expected
