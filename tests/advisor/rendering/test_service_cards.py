"""The outcome cards both the kiosk and the web companion show (advisor/rendering/service.py), without a screen."""

from __future__ import annotations

from dataclasses import replace

from advisor.recommend.index import CatalogIndex, CategoryIndex, ProductInfo
from advisor.rendering.service import PARTS, outcome_views, part_view, product_anywhere
from advisor.session.service import AdviceSession
from tests.helpers.service import merged_catalog, shipped_flow

BROKEN_POLE = {"problem": "pole", "pole_damage": "broken", "bought_months": 6}


def _views(catalog: CatalogIndex) -> list[tuple[str, str, tuple[str, ...]]]:
    session = AdviceSession.start(shipped_flow("tent-help.yaml"), index=catalog.categories["tents"], locale="de")
    session.catalog = catalog
    for step_id, value in BROKEN_POLE.items():
        session.answer(step_id, value)
    assert session.complete
    assert any(item.kind == PARTS for item in session.outcomes()), "the flow offers the pole splint"
    views = outcome_views(session.outcomes(), catalog=catalog, store_id="muc-01", locale="de", address="du")
    return [(view.kind, view.title, tuple(part.sku for part in view.parts)) for view in views]


def test_a_parts_card_shows_the_parts_the_catalog_has() -> None:
    parts = [view for view in _views(merged_catalog()) if view[0] == PARTS]
    assert parts == [(PARTS, "Die Gestängeschiene", ("NG-PART-0006",))]


def test_a_parts_card_whose_parts_the_catalog_lacks_is_left_out() -> None:
    """Not a title with nothing under it: the splint is not in a catalog without spare parts."""
    full = merged_catalog()
    without = CatalogIndex(1, {name: index for name, index in full.categories.items() if name != "spare_parts"})
    views = _views(without)
    assert PARTS not in [kind for kind, _, _ in views]
    assert "Die Gestängeschiene" not in [title for _, title, _ in views]
    assert [kind for kind, _, _ in views] == [kind for kind, _, _ in _views(full) if kind != PARTS]


def _splint(stock: dict[str, int]) -> ProductInfo:
    """The pole splint with `stock` per store (its shelves kept)."""
    splint = product_anywhere(merged_catalog(), "NG-PART-0006")
    assert splint is not None
    return replace(
        splint, stock={store: (count, splint.stock.get(store, (0, {}))[1]) for store, count in stock.items()}
    )


NAMES = {"ham-01": "Hamburg", "ber-01": "Berlin"}


def test_a_part_out_of_stock_here_says_which_stores_have_it() -> None:
    splint = _splint({"muc-01": 0, "ham-01": 9})
    assert part_view(splint, "muc-01", "de", store_named=NAMES.get).stock == "Derzeit nicht vorrätig – in Hamburg: 9"
    assert part_view(splint, "muc-01", "en", store_named=NAMES.get).stock == "Currently out of stock – in Hamburg: 9"
    several = _splint({"muc-01": 0, "ham-01": 2, "ber-01": 5, "xyz-01": 1})
    assert (part_view(several, "muc-01", "de", store_named=NAMES.get).stock
            == "Derzeit nicht vorrätig – in Berlin: 5, Hamburg: 2, anderen Filialen: 1")  # fmt: skip
    assert part_view(splint, "muc-01", "de").stock == "Derzeit nicht vorrätig – in anderen Filialen: 9"


def test_a_part_no_store_has_can_be_ordered() -> None:
    nowhere = _splint({"muc-01": 0, "ham-01": 0})
    assert part_view(nowhere, "muc-01", "de").stock == "Derzeit nicht vorrätig – wir können es für dich bestellen"
    assert (part_view(nowhere, "muc-01", "de", address="Sie").stock
            == "Derzeit nicht vorrätig – wir können es für Sie bestellen")  # fmt: skip
    assert part_view(nowhere, "muc-01", "en").stock == "Currently out of stock – we can order it for you"


def test_the_parts_card_names_the_other_stores_stock() -> None:
    full = merged_catalog()
    parts = full.categories["spare_parts"]
    products = [_splint({"muc-01": 0, "ham-01": 9}) if p.sku == "NG-PART-0006" else p for p in parts.products]
    catalog = CatalogIndex(1, {**full.categories, "spare_parts": CategoryIndex(parts.category, products)})
    session = AdviceSession.start(shipped_flow("tent-help.yaml"), index=catalog.categories["tents"], locale="de")
    session.catalog = catalog
    for step_id, value in BROKEN_POLE.items():
        session.answer(step_id, value)
    views = outcome_views(session.outcomes(), catalog=catalog, store_id="muc-01", locale="de", address="du",
                          store_named=NAMES.get)  # fmt: skip
    said = [part.stock for view in views for part in view.parts]
    assert said == ["Derzeit nicht vorrätig – in Hamburg: 9"]
