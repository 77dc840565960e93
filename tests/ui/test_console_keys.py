"""The console's keys: staff who work at the keyboard take the next customer, reach each part of the console and open
its windows without the mouse; each key is named where its button or field is, in the console's language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from advisor.handoff import chat, requests
from tests.ui.test_console_day import console_at, settled, waiting
from tests.ui.test_staff_console import database
from ui.session import KioskSession
from ui.staff import StaffConsole

CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot: QtBot, console: StaffConsole, key: Qt.Key) -> None:
    """Ctrl and `key`, wherever the focus is."""
    qtbot.keyClick(console.focusWidget() or console, key, CTRL)


def test_ctrl_enter_takes_the_customer_waiting_longest_and_opens_the_case_at_the_chat(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "keys")
    first = waiting(engine, session, kind="chat", kiosk="kiosk-zelte")
    second = waiting(engine, session, kind="chat", kiosk="kiosk-eingang")
    console = console_at(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 2)
    console.code.setFocus()
    qtbot.waitUntil(console.code.hasFocus)
    press(qtbot, console, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: console.message.hasFocus())
    assert requests.request_state(engine, first) == (requests.State.CLAIMED, "Anna")
    assert requests.request_state(engine, second)[0] == requests.State.REQUESTED
    qtbot.keyClicks(console.message, "Ich bin gleich bei Ihnen")
    qtbot.keyClick(console.message, Qt.Key.Key_Return)
    settled(qtbot, console.writes)
    assert [m.text for m in chat.messages(engine, first) if m.sender == "staff"] == ["Ich bin gleich bei Ihnen"]
    console.close()


def test_the_keys_reach_every_part_and_save_the_notes_at_once(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "keys")
    request_id = waiting(engine, session, kind="chat")
    console = console_at(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    press(qtbot, console, Qt.Key.Key_Enter)  # (the keypad's Enter does the same)
    qtbot.waitUntil(lambda: console.message.hasFocus())
    for key, widget in ((Qt.Key.Key_F, console.code), (Qt.Key.Key_1, console.queue), (Qt.Key.Key_2, console.cases),
                        (Qt.Key.Key_4, console.notes), (Qt.Key.Key_3, console.message)):  # fmt: skip
        press(qtbot, console, key)
        qtbot.waitUntil(widget.hasFocus)
    press(qtbot, console, Qt.Key.Key_4)
    console.notes.insertPlainText("Sucht ein Zelt für drei")
    press(qtbot, console, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: console.notes_state.text().startswith("Gespeichert"), timeout=2000)  # before the timer
    assert chat.notes_of(engine, request_id) == "Sucht ein Zelt für drei"
    console.close()


def test_ctrl_t_opens_the_appointments_and_the_keys_rest_before_signing_in(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "keys")
    console = StaffConsole(engine, session.questionnaires, session.catalog)  # type: ignore[arg-type]
    qtbot.addWidget(console)
    console.show()
    console.name.setFocus()
    qtbot.waitUntil(console.name.hasFocus)
    press(qtbot, console, Qt.Key.Key_T)
    press(qtbot, console, Qt.Key.Key_F)
    assert console.name.hasFocus() and getattr(console, "appointments", None) is None, "nothing before signing in"
    console.close()
    console = console_at(qtbot, engine, session)
    press(qtbot, console, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: getattr(console, "appointments", None) is not None and console.appointments.isVisible())
    console.appointments.close()
    console.close()


def test_each_key_is_named_at_its_button_in_the_consoles_language(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    console = console_at(qtbot, database(tmp_path, "keys"), session)
    assert console.claim_button.toolTip() == "Taste: Strg+Eingabe"
    assert console.appointments_button.toolTip() == "Taste: Strg+T"
    console.set_locale("en")
    assert console.claim_button.toolTip() == "Key: Ctrl+Enter"
    assert console.code.toolTip() == "Key: Ctrl+F"
    console.close()
