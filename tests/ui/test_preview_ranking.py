"""The preview says what orders the products that fit below the shown ones: before any answer brings in a
preference, that is the tie break (price), not "the preferences"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.app import load_questionnaires
from ui.preview import PreviewPanel, ranked_lower_by
from ui.session import KioskSession


def lower_ranked(panel: PreviewPanel) -> list[str]:
    items = [panel.products.item(i) for i in range(panel.products.count())]
    texts = [item.text() for item in items if item.flags() & Qt.ItemFlag.ItemIsSelectable or "NG-" in item.text()]
    return [text for text in texts if ": fits, ranked lower " in text]


def test_before_any_answer_the_lower_ranked_products_are_said_ordered_by_the_tie_break(
    qtbot: QtBot, session: KioskSession
) -> None:
    panel = PreviewPanel(session)
    qtbot.addWidget(panel)
    session.start("tent-finder")
    lower = lower_ranked(panel)
    assert lower
    said = "ranked lower by the tie break: price, lowest first; then capacity, highest first; then sku (no preference"
    assert all(text.endswith(f"{said} applies yet)") for text in lower)
    assert not any("preferences" in text for text in lower)


def test_once_an_answer_brings_in_a_preference_the_preferences_rank() -> None:
    tents = load_questionnaires()["tent-finder"]
    assert ranked_lower_by(tents, {}).startswith("by the tie break: price, lowest first")
    first = tents.steps[0]
    option = next(o for o in first.options if o.prefers)
    assert ranked_lower_by(tents, {first.id: option.id}) == "by the preferences"
