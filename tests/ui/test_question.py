"""Question screens: a chosen card carries a check badge, several answers are announced, the number scale shows
its ends, and the focus ring is drawn only for keyboard users."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from tests.ui.test_kiosk import click, current
from ui.screens.question import QuestionScreen
from ui.session import KioskSession
from ui.window import KioskWindow


def question(qtbot: QtBot, window: KioskWindow, session: KioskSession, step_id: str) -> QuestionScreen:
    session.start("tent-finder")
    answers = {"region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 2, "extra_space": False,
               "body_height": 185, "weight_importance": "high"}  # fmt: skip
    while session.state is not None and session.state.current != step_id:
        session.answer(answers[session.state.current])  # type: ignore[index]
    screen = current(window)
    assert isinstance(screen, QuestionScreen)
    qtbot.waitUntil(lambda: all(card.isVisible() for card in screen.cards.values()))
    return screen


def test_a_multiple_choice_says_so_and_a_chosen_card_has_a_check_badge(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    screen = question(qtbot, window, session, "extras")
    assert screen.kind_hint.isVisible() and screen.kind_hint.text() == "Mehrere Antworten möglich"
    card = screen.cards["two_entrances"]
    assert not card.badge.isVisible()
    click(qtbot, card)
    assert card.isChecked() and card.badge.isVisible()
    click(qtbot, card)
    assert not card.badge.isVisible()


def test_a_single_choice_has_no_hint(qtbot: QtBot, window: KioskWindow, session: KioskSession) -> None:
    screen = question(qtbot, window, session, "region")
    assert not screen.kind_hint.isVisible()


def test_a_number_question_shows_the_ends_of_its_scale(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    screen = question(qtbot, window, session, "body_height")

    def texts() -> list[str]:
        return [w.text() for w in screen.body.findChildren(QLabel) if w.isVisible()]

    qtbot.waitUntil(lambda: "140\u00a0cm" in texts() and "210\u00a0cm" in texts())
    assert not any(".0" in text or ",0 " in text for text in texts())


def test_the_focus_ring_shows_for_the_keyboard_only(qtbot: QtBot, window: KioskWindow, session: KioskSession) -> None:
    screen = question(qtbot, window, session, "extras")
    first, second = screen.cards["two_entrances"], screen.cards["freestanding_wish"]
    # Events as the platform delivers them: a tap, focus arriving by Tab, a key, another tap.
    click(qtbot, first)
    QApplication.sendEvent(first, QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.MouseFocusReason))
    assert first.property("focusVisible") != "true", "a tap draws no ring"
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    QApplication.sendEvent(second, QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.TabFocusReason))
    assert second.property("focusVisible") == "true" and first.property("focusVisible") != "true"
    click(qtbot, first)
    assert second.property("focusVisible") != "true", "the next tap takes the ring away"


def test_in_portrait_the_answers_sit_by_the_navigation(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    window.resize(QSize(1080, 1920))
    screen = question(qtbot, window, session, "region")
    qtbot.waitUntil(lambda: screen.cards["rough"].isVisible())
    card = screen.cards["rough"]
    bottom = card.mapTo(window, card.rect().bottomLeft()).y()
    navigation = screen.back.mapTo(window, screen.back.rect().topLeft()).y()
    assert navigation - bottom < 400, f"{navigation - bottom} px between the answers and the navigation"
