"""Return and Enter in the kiosk's dialogs with a keyboard (speech guidance off): on a focused button they press it;
on a text they make no choice for the shopper (no consent given, no way to book picked, no key of the code pad
typed)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from advisor.db import make_engine, upgrade
from tests.helpers.appointments import add_consultants
from tests.ui.test_handoff import open_talk, staffed
from tests.ui.test_kiosk import click, current
from tests.ui.test_kiosk_booking import booking_dialog, kiosk_config
from ui.booking import CHOOSE_PAGE, PHONE_PAGE
from ui.code import CodeDialog
from ui.repair_order import RepairDialog
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.window import KioskWindow


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key = Qt.Key.Key_Return) -> None:
    """A key with the keyboard focus on `widget`, as a keyboard sends it: to that control."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)
    QTest.keyClick(widget, key)
    qtbot.wait(20)


@pytest.fixture
def active(qtbot: QtBot, window: KioskWindow) -> KioskWindow:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def shown(qtbot: QtBot, dialog: QDialog) -> None:
    qtbot.waitUntil(lambda: dialog.isVisible() and QApplication.activeModalWidget() is dialog)
    qtbot.wait(20)  # (its first focus is set just after it shows)


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_on_a_text_of_the_talk_dialog_gives_no_consent_and_on_the_card_it_does(
    qtbot: QtBot, active: KioskWindow, session: KioskSession, tmp_path: Path, key: Qt.Key
) -> None:
    staffed(session, f"sqlite:///{tmp_path / 'k.sqlite3'}")
    session.start("tent-finder")  # (an advice to share)
    dialog = open_talk(qtbot, active)
    shown(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.presence_known and dialog.consent.isVisible())
    for text in (dialog.explanation, dialog.consent_first):
        press(qtbot, text, key)
        assert not dialog.consent.isChecked(), f"Enter on {text.text()!r} gave the consent to share the answers"
    assert dialog.isVisible()
    press(qtbot, dialog.consent, key)
    assert dialog.consent.isChecked(), "Enter on the consent card itself ticks it"


def test_enter_on_the_booking_intro_picks_no_way_to_book_and_on_a_card_it_does(
    qtbot: QtBot, active: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    upgrade(engine)
    add_consultants(engine, ["Anna"], span=(0, 24 * 60))
    dialog = booking_dialog(qtbot, active, session, engine, kiosk_config(mail=False))
    shown(qtbot, dialog)
    with qtbot.assertNotEmitted(session.stored, wait=1000):  # (the phone's QR code would need the advice stored)
        press(qtbot, dialog.intro)
    assert dialog.isVisible() and dialog.pages.currentIndex() == CHOOSE_PAGE, "Enter on the text booked on the phone"
    press(qtbot, dialog.phone)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PHONE_PAGE)  # Enter on the card takes it


def test_enter_on_the_repair_orders_intro_ticks_nothing(
    qtbot: QtBot, active: KioskWindow, session: KioskSession
) -> None:
    repair: Any = SimpleNamespace(title="Nähte abdichten lassen", repair="In unserer Werkstatt · etwa 7 Tage")
    dialog = RepairDialog(session, repair, [], active)
    qtbot.addWidget(dialog)
    dialog.open()
    shown(qtbot, dialog)
    press(qtbot, dialog.intro)
    assert dialog.isVisible() and not dialog.consent.isChecked() and dialog.order is None
    press(qtbot, dialog.consent)
    assert dialog.consent.isChecked()


def code_dialog(qtbot: QtBot, window: KioskWindow) -> CodeDialog:
    click(qtbot, window.screens["welcome"].start)  # type: ignore[attr-defined]
    click(qtbot, current(window).code)
    dialog = current(window).code_dialog
    assert isinstance(dialog, CodeDialog)
    shown(qtbot, dialog)
    return dialog


@pytest.mark.parametrize(
    ("locale", "incomplete"),
    [
        ("de", "Der Code ist noch nicht vollständig: Er hat 8 Zeichen."),
        ("en", "The code is not complete yet: it has 8 characters."),
    ],
)
def test_enter_on_an_unfinished_code_types_nothing_and_says_that_it_is_unfinished(
    qtbot: QtBot, active: KioskWindow, session: KioskSession, tmp_path: Path, locale: str, incomplete: str
) -> None:
    staffed(session, f"sqlite:///{tmp_path / 'k.sqlite3'}")
    session.set_locale(locale)
    session.set_accessible(True)  # read aloud (speech guidance stays off: a keyboard, not the four keys)
    dialog = code_dialog(qtbot, active)
    QTest.keyClicks(dialog.shown, "abc")
    assert dialog.code == "ABC"
    for _ in range(2):
        press(qtbot, dialog.shown)
        assert dialog.code == "ABC", "Enter typed a key of the pad"
        assert dialog.message.isVisible() and dialog.message.text() == incomplete
    assert dialog.isVisible() and not dialog.looking, "nothing was looked up (no wrong code counted)"
    voice = active.speech.voice
    assert isinstance(voice, RecordingVoice)
    assert voice.spoken[-1] == incomplete, "and it is said"
    press(qtbot, dialog.message)
    assert dialog.code == "ABC", "nor on the message"
    QTest.keyClicks(dialog.message, "defgh")
    assert dialog.code == "ABCDEFGH" and dialog.open_button.isEnabled()


def test_a_tapped_key_of_the_pad_leaves_return_to_the_code(
    qtbot: QtBot, active: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """A shopper taps a key or Delete on the pad, then a scanner types the code with its Return: the tap left the
    focus where it was, so Return opens the code instead of pressing the tapped key again (an "A" more, or the last
    character deleted)."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPushButton

    staffed(session, f"sqlite:///{tmp_path / 'k.sqlite3'}")
    dialog = code_dialog(qtbot, active)
    pad = {button.text(): button for button in dialog.findChildren(QPushButton)}
    click(qtbot, pad["A"])
    QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Return)
    assert dialog.code == "A" and dialog.message.text() == "Der Code ist noch nicht vollständig: Er hat 8 Zeichen."
    click(qtbot, pad["Löschen"])
    QTest.keyClicks(QApplication.focusWidget() or dialog, "ABCD2345")
    QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "keine Beratung" in dialog.message.text())  # looked up: an unknown code, whole
