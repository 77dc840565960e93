"""The case notes at two consoles on one customer, at their limit, after a save, and closing the console while changes
wait: nothing a colleague wrote is lost (both consoles show both), a note longer than the database keeps is cut and
said to be, "Gespeichert 14:05" stays while the case does, and a window with changes waiting asks before it closes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from advisor.handoff import chat, requests
from advisor.handoff.chat import MAX_NOTES
from advisor.handoff.staff import set_pin
from tests.ui.test_console_cases_by_code import a_shopper, open_by_code
from tests.ui.test_console_day import console_at, settled, waiting
from tests.ui.test_console_outage import a_chat_claimed_then_the_file_locked
from tests.ui.test_handoff import signed_in_console
from tests.ui.test_kiosk import click
from tests.ui.test_staff_console import database
from ui.session import KioskSession
from ui.staff import StaffConsole

ANNA = "Anna: Zelt zurückgelegt"
BEN = "\nBen: will auch Isomatte"


def notes_of_case(qtbot: QtBot, console: StaffConsole, request_id: int, notes: str) -> None:
    qtbot.waitUntil(lambda: console._notes_case == ("request", request_id) and console.notes.toPlainText() == notes)


def type_at_end(qtbot: QtBot, console: StaffConsole, words: str) -> None:
    console.notes.setFocus()
    console.notes.moveCursor(QTextCursor.MoveOperation.End)
    console.notes.insertPlainText(words)  # (as typed: each key press is such a change)


def test_two_colleagues_notes_on_one_customer_are_both_kept_and_shown(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """Anna has the customer and notes; Ben opens them by code and adds a line while Anna types on, her screen still
    without his line: her save keeps his line, her field shows both and she is told. Ben, not typing, sees her
    addition at his next read, his cursor where it was."""
    engine = database(tmp_path, "shared-notes")
    set_pin(engine, "Ben", "0815")
    record = a_shopper(engine, session)
    request_id = requests.request_handoff(engine, session_id=record.id, kind="consultant")
    anna = signed_in_console(qtbot, engine, session, "Anna", "4711")
    open_by_code(qtbot, anna, record.resume_code)
    notes_of_case(qtbot, anna, request_id, "")
    type_at_end(qtbot, anna, ANNA)
    qtbot.waitUntil(lambda: chat.notes_of(engine, request_id) == ANNA and anna.notes_state.text().startswith("Gesp"))

    ben = signed_in_console(qtbot, engine, session, "Ben", "0815")
    open_by_code(qtbot, ben, record.resume_code)
    qtbot.waitUntil(lambda: "Anna betreut diesen Kunden" in ben.case_text())
    notes_of_case(qtbot, ben, request_id, ANNA)
    assert ben.notes.isEnabled() and not ben.notes.isReadOnly(), "reading along, he may add to the notes"

    type_at_end(qtbot, anna, ", Kasse 2")  # (Anna types on: her save waits for the pause after typing)
    anna.notes_timer.stop()
    type_at_end(qtbot, ben, BEN)
    qtbot.waitUntil(lambda: chat.notes_of(engine, request_id) == ANNA + BEN)
    assert anna.notes.toPlainText() == ANNA + ", Kasse 2", "what Anna types is never overwritten"
    ben_cursor = ben.notes.textCursor().position()

    anna.notes_timer.start()  # she pauses: her notes are saved, from the text her screen had
    merged = ANNA + BEN + ", Kasse 2"
    qtbot.waitUntil(lambda: chat.notes_of(engine, request_id) == merged)
    qtbot.waitUntil(lambda: anna.notes.toPlainText() == merged)
    assert anna.notice == "Ein Kollege hat die Notizen inzwischen ergänzt – beides ist jetzt drin."
    assert anna.notes.textCursor().position() == len(merged), "her cursor after her words, to type on"
    qtbot.waitUntil(lambda: anna.notes_state.text().startswith("Gespeichert"))
    assert not anna.notes_unsaved

    qtbot.waitUntil(lambda: ben.notes.toPlainText() == merged, timeout=10_000)
    assert ben.notes.textCursor().position() == ben_cursor, "his cursor stays where it was"
    type_at_end(qtbot, anna, " – bezahlt")
    qtbot.waitUntil(lambda: ben.notes.toPlainText() == merged + " – bezahlt", timeout=10_000)
    assert chat.notes_of(engine, request_id) == merged + " – bezahlt"
    assert "Ein Kollege" not in ben.notice, "Ben's notes were stored as he typed them"
    ben.close()
    anna.close()


def claimed_with_no_notes(qtbot: QtBot, engine: Engine, session: KioskSession) -> tuple[StaffConsole, int]:
    """A console that has claimed the one waiting customer, whose notes are empty."""
    request_id = waiting(engine, session)
    console = console_at(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    notes_of_case(qtbot, console, request_id, "")
    return console, request_id


def test_notes_longer_than_kept_are_cut_and_said_and_the_rest_is_saved(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "long-notes")
    console, request_id = claimed_with_no_notes(qtbot, engine, session)
    console.notes.setFocus()
    console.notes.insertPlainText("Größe M. " * 500)  # pasted: 4,500 characters
    assert console.notice == "Eine Notiz hat höchstens 4000 Zeichen – mehr wurde nicht übernommen."
    assert console.notes.toPlainText() == ("Größe M. " * 500)[:MAX_NOTES]
    qtbot.waitUntil(lambda: console.notes_state.text().startswith("Gespeichert"))
    assert chat.notes_of(engine, request_id) == ("Größe M. " * 500)[:MAX_NOTES]
    console.close()


def test_saved_stays_said_while_the_case_is_shown(qtbot: QtBot, session: KioskSession, tmp_path: Path) -> None:
    """The notes are saved; then the database changes (a new customer waits) and the console reads again: the
    notes still say when they were saved."""
    engine = database(tmp_path, "saved-stays")
    console, request_id = claimed_with_no_notes(qtbot, engine, session)
    type_at_end(qtbot, console, "Jacke M zurückgelegt")
    qtbot.waitUntil(lambda: console.notes_state.text().startswith("Gespeichert "))
    said = console.notes_state.text()
    waiting(engine, session, kiosk="kiosk-eingang")
    qtbot.waitUntil(lambda: console.queue.count() == 1 and console.cases.count() == 1, timeout=10_000)
    settled(qtbot, console.reads)
    assert console.notes_state.text() == said
    console.close()


def close_prompt_text(console: StaffConsole) -> str:
    prompt = console.quit_prompt
    return prompt.text() if prompt is not None and prompt.isVisible() else ""


def closed_while_a_message_waits(
    qtbot: QtBot, session: KioskSession, tmp_path: Path, words: str
) -> tuple[Engine, int, StaffConsole, Any]:
    """Anna's message waits behind a backup holding the file, and she closes the window: the question shows."""
    engine, request_id, console, backup = a_chat_claimed_then_the_file_locked(qtbot, session, tmp_path)
    console.message.setText(words)
    QTest.keyClick(console.message, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Eine Änderung wartet" in console.notice)
    console.close()
    qtbot.waitUntil(lambda: close_prompt_text(console) != "")
    return engine, request_id, console, backup


def test_closing_the_console_while_a_change_waits_asks_first_and_stays_by_default(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """A backup holds the store file: Anna's message waits. Closing the window asks ("1 Änderung ist noch nicht
    gespeichert – trotzdem schließen?"); Enter keeps it open. Once the message is stored, it closes without asking."""
    words = "Ich komme in zwei Minuten"
    engine, request_id, console, backup = closed_while_a_message_waits(qtbot, session, tmp_path, words)
    assert close_prompt_text(console) == "1 Änderung ist noch nicht gespeichert – trotzdem schließen?"
    assert console.isVisible()
    prompt = console.quit_prompt
    assert prompt is not None
    assert prompt.defaultButton().text() == "Offen lassen"
    QTest.keyClick(prompt, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: console.quit_prompt is None)
    assert console.isVisible(), "the window stays open: the message still waits"

    backup.execute("ROLLBACK")
    backup.close()
    qtbot.waitUntil(lambda: words in [m.text for m in chat.messages(engine, request_id)],
                    timeout=10_000)  # fmt: skip
    qtbot.waitUntil(lambda: not console.changes.pending)
    console.close()
    assert not console.isVisible() and console.quit_prompt is None, "nothing waits: closed without asking"


def test_closing_anyway_while_a_change_waits_closes_the_window(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    _engine, _request_id, console, backup = closed_while_a_message_waits(qtbot, session, tmp_path, "Bis gleich")
    prompt = console.quit_prompt
    assert prompt is not None
    [anyway] = [b for b in prompt.buttons() if b.text() == "Trotzdem schließen"]
    assert isinstance(anyway, QPushButton)
    click(qtbot, anyway)
    qtbot.waitUntil(lambda: not console.isVisible())
    backup.execute("ROLLBACK")
    backup.close()


def test_a_merge_with_more_than_a_note_holds_puts_the_rest_on_the_clipboard_and_says_so(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """Anna types a long note while a colleague stores a long one: together more than 4,000 characters. What has
    no room is not dropped without a word: the console says how much did not fit and puts it on the clipboard."""
    from PySide6.QtWidgets import QApplication

    engine = database(tmp_path, "merge-cut")
    console, request_id = claimed_with_no_notes(qtbot, engine, session)
    mine = "Ruft morgen an. " * 150  # 2,400 characters
    type_at_end(qtbot, console, mine)
    colleague = "Zelt für 3, " * 200  # 2,400 characters, stored first
    chat.save_notes(engine, request_id, colleague, base="")
    qtbot.waitUntil(lambda: "Zwischenablage" in console.notice, timeout=10_000)
    stored = chat.notes_of(engine, request_id)
    assert len(stored) == MAX_NOTES and stored.startswith(colleague)
    cut = QApplication.clipboard().text()
    assert stored + cut == colleague + mine and cut
    assert f"Das Ende Ihrer Notiz ({len(cut)} Zeichen) passte nicht mehr hinein" in console.notice
    console.close()
