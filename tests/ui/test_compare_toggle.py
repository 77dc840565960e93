"""The compare screen's "only differences" switch says its state in its words, not only in its colour."""

from __future__ import annotations

from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from tests.ui.test_decision import results
from tests.ui.test_kiosk import click, current
from ui.screens.results import CompareScreen
from ui.session import KioskSession
from ui.window import KioskWindow


def test_the_only_differences_switch_says_whether_it_is_on(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    results(qtbot, window, session, QSize(1280, 800))
    for sku in session.advice.decision().skus[:2]:  # type: ignore[union-attr]
        session.toggle_compare(sku)
    session.show_compare()
    compare = current(window)
    assert isinstance(compare, CompareScreen)
    switch = compare.only_differences
    assert switch.isChecked() and switch.text() == "Nur Unterschiede: an" == switch.accessibleName()
    shown = len(compare.rows)
    click(qtbot, switch)
    assert not switch.isChecked() and switch.text() == "Nur Unterschiede: aus" == switch.accessibleName()
    assert len(compare.rows) > shown
    assert "stock" in {name for name, _ in compare.rows}, "the stock here, side by side"
