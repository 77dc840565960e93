"""The moment of decision on the kiosk: the top pick with what sets it apart, the others by what they trade."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from advisor.recommend.explain import say_standout, say_versus_top
from tests.ui.test_kiosk import click, current
from ui.screens.results import AlternativeRow, CompareScreen, ResultsScreen, TopPickCard
from ui.session import KioskSession
from ui.window import KioskWindow

ANSWERS = {"region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 2, "extra_space": False,
           "body_height": 185, "weight_importance": "high", "extras": ["two_entrances"]}  # fmt: skip


def on_screen(widget: QWidget, window: KioskWindow, viewport: QWidget) -> bool:
    """Whether the widget is wholly visible: inside the window and inside the scrolling body's viewport."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    rect = QRect(top_left, widget.size())
    seen = QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size())
    return widget.isVisible() and window.rect().contains(rect) and seen.contains(rect)


def results(qtbot: QtBot, window: KioskWindow, session: KioskSession, size: QSize) -> ResultsScreen:
    window.resize(size)
    session.start("tent-finder")
    session.set_answers(ANSWERS)
    screen = current(window)
    assert isinstance(screen, ResultsScreen)
    qtbot.waitUntil(lambda: bool(screen.products.cards), timeout=5_000)
    card = screen.products.cards[0]
    qtbot.waitUntil(lambda: card.height() >= card.minimumSizeHint().height())
    return screen


def test_at_1024x768_the_top_pick_shows_name_price_and_three_reasons_without_scrolling(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    screen = results(qtbot, window, session, QSize(1024, 768))
    top = screen.products.cards[0]
    assert isinstance(top, TopPickCard)
    viewport = top.parentWidget()
    while viewport is not None and viewport.objectName() != "qt_scrollarea_viewport":
        viewport = viewport.parentWidget()
    assert viewport is not None
    assert len(top.reasons) == 3
    for widget in (top.name, top.price, *top.reasons):
        assert on_screen(widget, window, viewport), widget.text()
    decision = session.advice.decision()  # type: ignore[union-attr]
    index = session.index
    assert index is not None
    wanted = [say_standout(s, index, "de") for s in decision.standouts[decision.top]][:3]  # type: ignore[index]
    assert [r.text().removeprefix("✓ ") for r in top.reasons] == wanted


def test_the_others_say_how_they_differ_from_the_top_pick(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    screen = results(qtbot, window, session, QSize(1280, 800))
    rows = [card for card in screen.products.cards if isinstance(card, AlternativeRow)]
    decision = session.advice.decision()  # type: ignore[union-attr]
    index = session.index
    assert index is not None and len(rows) == len(decision.alternatives) > 0
    by_group = [a for _, group in decision.groups() for a in group]
    assert [row.versus.text() for row in rows] == [say_versus_top(a, index, "de") for a in by_group]
    headings = [w.text() for w in screen.products.findChildren(QLabel) if w.objectName() == "Section"]
    assert headings and all(h[:1].isupper() for h in headings)
    assert screen.shared.text().startswith(("Alle ", "Beide "))


def test_compare_shows_only_differences_with_the_better_value_marked(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    results(qtbot, window, session, QSize(1280, 800))
    skus = [sku for sku in session.advice.decision().skus[:3]]  # type: ignore[union-attr]
    for sku in skus:
        session.toggle_compare(sku)
    session.show_compare()
    compare = current(window)
    assert isinstance(compare, CompareScreen) and len(compare.headers) == len(skus)
    index = session.index
    assert index is not None
    products = [index.products[index.position[sku]] for sku in skus]
    shown = {name for name, _ in compare.rows}
    for name in index.category.attributes:
        values = [product.attributes.get(name) for product in products]
        assert (name in shown) == (len(set(map(str, values))) > 1), name
    for name, cells in compare.rows:
        if name in ("stock", "repairability", "recycled_share"):  # (beside the dictionary: tests/advisor/rendering)
            continue
        spec = index.category.attributes.get(name)
        more = spec.more_is_better if spec else None
        values = [p.attributes.get(name) for p in products]
        marked = [i for i, cell in enumerate(cells) if cell.text().startswith("✓\u00a0")]
        if more is None:
            assert not marked, name
        else:
            best = max(values) if more else min(values)
            assert marked == [i for i, v in enumerate(values) if v == best], name
    assert "price" not in shown, "the price once, in each column's header"
    click(qtbot, compare.only_differences)
    # every attribute, the stock here, repairability and recycled share (the price in the headers)
    assert len(compare.rows) == len(index.category.attributes) + 3
