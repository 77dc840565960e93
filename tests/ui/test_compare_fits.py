"""As many products as the kiosk compares, side by side at every kiosk size, in both languages and with the larger
text of accessibility mode: each column whole within the screen's width (the kiosk scrolls only up and down), its
header, its values and its "Details" and "Entfernen" in reach."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from advisor.session.service import MAX_COMPARE
from tests.ui.test_compare_decision import built
from tests.ui.test_decision import results
from tests.ui.test_kiosk import current
from ui.app import follow_accessibility
from ui.screens.results import CompareScreen
from ui.screenshots import SIZES
from ui.session import KioskSession
from ui.window import KioskWindow


def longest_named(session: KioskSession) -> list[str]:
    """The tents whose names have the longest words (a name wraps only between its words): the widest headers."""
    index = session.index
    assert index is not None
    products = sorted(index.products, key=lambda p: (-max(len(word) for word in p.name["de"].split()), p.sku))
    return [product.sku for product in products[:MAX_COMPARE]]


def cut_off(compare: CompareScreen) -> list[str]:
    """What of the comparison reaches past the right edge of what the screen shows (or starts left of it)."""
    area = compare.findChild(QScrollArea)
    assert area is not None
    viewport = area.viewport()
    shown: list[tuple[str, QWidget]] = [(f"header {n}", header) for n, header in enumerate(compare.headers, 1)]
    for header in compare.headers:
        shown += [(f"button {b.text()!r}", b) for b in header.findChildren(QPushButton)]
    shown += [(f"{name} {n}", cell) for name, cells in compare.rows for n, cell in enumerate(cells, 1)]
    names = [name for name in compare.sheet.findChildren(QLabel) if name.objectName() == "CompareName"]
    shown += [(f"the name {name.text()!r}", name) for name in names if not name.isHidden()]  # (not those going)
    cut = []
    for what, widget in shown:
        place = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
        if not widget.isVisible() or place.isEmpty() or place.left() < 0 or place.right() >= viewport.width():
            cut.append(f"{what}: x {place.left()}..{place.right()}, the screen shows 0..{viewport.width() - 1}")
    return cut


@pytest.mark.parametrize("accessible", [False, True], ids=["normal", "accessible"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{s.width()}x{s.height()}" for s in SIZES])
def test_the_compared_products_share_the_width_none_cut_off_at_the_right_edge(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, size: QSize, accessible: bool
) -> None:
    follow_accessibility(window)
    session.set_accessible(accessible)
    results(qtbot, window, session, size)
    for sku in longest_named(session):
        session.toggle_compare(sku)
    session.show_compare()
    for locale in ("de", "en"):
        session.set_locale(locale)
        compare = current(window)
        assert isinstance(compare, CompareScreen) and len(compare.headers) == MAX_COMPARE == 3
        assert compare.rows and compare.rows[0][0] == "stock", "the stock here, with its longer texts"
        built(qtbot, compare)
        buttons = [[b.text() for b in header.findChildren(QPushButton)] for header in compare.headers]
        wanted = ["Details", "Entfernen"] if locale == "de" else ["Details", "Remove"]
        assert buttons == [wanted] * MAX_COMPARE

        def whole() -> None:
            assert not cut_off(compare), f"{locale} {size.width()}x{size.height()}: {cut_off(compare)[:5]}"  # noqa: B023

        qtbot.waitUntil(whole, timeout=3_000)  # (the layout settles over a few passes)


def test_the_comparison_fits_again_when_the_window_changes_its_size(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    """Built wide (the names of the attributes in a column of their own), then narrow and back: laid out anew."""
    follow_accessibility(window)
    session.set_accessible(True)
    results(qtbot, window, session, QSize(1920, 1080))
    for sku in longest_named(session):
        session.toggle_compare(sku)
    session.show_compare()
    compare = current(window)
    assert isinstance(compare, CompareScreen)
    built(qtbot, compare)
    qtbot.waitUntil(lambda: compare.stacked is False)

    def whole() -> None:
        assert not cut_off(compare), cut_off(compare)[:5]

    for size, stacked in ((QSize(1024, 768), True), (QSize(1920, 1080), False)):
        window.resize(size)
        qtbot.waitUntil(lambda: compare.stacked is stacked)  # noqa: B023
        qtbot.waitUntil(whole, timeout=3_000)
