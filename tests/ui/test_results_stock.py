"""Every product on the results says whether this store has it, not only the top pick."""

from __future__ import annotations

from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from advisor.rendering.facts import stock_in
from tests.ui.test_decision import results
from ui.screens.results import AlternativeRow
from ui.session import KioskSession
from ui.window import KioskWindow


def test_each_alternative_row_says_its_stock_here(qtbot: QtBot, window: KioskWindow, session: KioskSession) -> None:
    screen = results(qtbot, window, session, QSize(1920, 1080))
    rows = [card for card in screen.products.cards if isinstance(card, AlternativeRow)]
    assert rows
    items = {item.sku: item for item in session.advice.recommendation().products}  # type: ignore[union-attr]
    for row in rows:
        item = items[row.sku]
        expected = stock_in(item.product, session.store_id, session.locale, item.variants, session.index)
        assert row.stock.isVisible() and row.stock.text() == expected.text(session.locale) != ""
