"""The rain-jacket finder ends with the size to try: on the kiosk's results, each jacket says which size (and which
next) and whether this store has them."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from advisor.rendering.facts import size_text
from tests.ui.test_kiosk import current, wait_for_products
from ui.window import KioskWindow


def test_the_results_name_the_size_to_try_for_every_jacket(qtbot: QtBot, window: KioskWindow) -> None:
    session = window.session
    finder = session.questionnaires["rain-jacket-finder"]
    example = next(e for e in finder.examples if e.name.startswith("Alpine storms"))
    session.start("rain-jacket-finder")
    session.set_answers({**example.answers, "chest_cm": 104, "body_height": 182})
    screen = wait_for_products(qtbot, window)
    assert screen is current(window)
    shown = [label.text() for label in screen.findChildren(QLabel)]
    result = session.recommendation()
    assert result is not None and result.products
    for item in result.products:
        advice = session.advice.size_advice(item.sku) if session.advice else None
        assert advice is not None
        assert size_text(advice, "de", "du") in shown, item.sku
