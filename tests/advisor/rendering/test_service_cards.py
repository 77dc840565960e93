"""The outcome cards both the kiosk and the web companion show (advisor/rendering/service.py), without a screen."""

from __future__ import annotations

from advisor.recommend.index import CatalogIndex
from advisor.rendering.service import PARTS, outcome_views
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
