"""The console when the database takes no changes for a while, and the salesperson's own words: what staff do meanwhile
waits, is said to wait for as long as it does, and reaches the database in the order they did it; a message typed to
one customer never goes to the next; all of my cases are in view; the keys lead on to the chat after a claim."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from advisor.db import make_engine, upgrade
from advisor.handoff import chat, requests
from advisor.handoff.staff import report_presence, set_pin
from tests.ui.conftest import PUBLIC_ADDRESS
from tests.ui.test_console_day import console_at, settled, waiting
from tests.ui.test_kiosk import click
from tests.ui.test_staff_console import database
from ui.session import KioskSession
from ui.staff import StaffConsole


def quick_database(tmp_path: Path) -> Any:
    """A store database whose writes give up after a moment when another program holds the file's write lock."""
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}", busy_timeout_ms=200)
    upgrade(engine)
    set_pin(engine, "Anna", "4711")
    report_presence(engine, "Anna")
    return engine


def a_chat_claimed_then_the_file_locked(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> tuple[Any, int, StaffConsole, sqlite3.Connection]:
    """Anna claims a chat; then a backup takes the store file's write lock (released by the test)."""
    engine = quick_database(tmp_path)
    request_id = waiting(engine, session, kind="chat")
    console = console_at(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.cases.count() == 1 and console.message.isEnabled())
    backup = sqlite3.connect(str(tmp_path / "store.sqlite3"), isolation_level=None, check_same_thread=False)
    backup.execute("BEGIN IMMEDIATE")
    return engine, request_id, console, backup


def save_and_close(qtbot: QtBot, console: StaffConsole) -> None:
    """ "Fall abschließen" with something unsaved, then "Speichern und abschließen" in the prompt that asks."""
    click(qtbot, console.close_button)
    prompt = console.close_prompt
    assert prompt is not None
    [save] = [b for b in prompt.buttons() if b.text() == console.t("console.close.save")]
    click(qtbot, save)


def test_what_staff_do_while_the_database_takes_no_changes_waits_and_is_saved_in_order(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """A backup holds the file's write lock: Anna answers her customer and closes the case. The notice says that the
    changes wait (it stays while they do, though reading still works), the message shows as being sent, the case is
    put away; once the lock is gone the message is stored before the case is closed, and the notice goes."""
    engine, request_id, console, backup = a_chat_claimed_then_the_file_locked(qtbot, session, tmp_path)
    console.message.setText("Ich komme in zwei Minuten")
    qtbot.keyClick(console.message, Qt.Key.Key_Return)
    assert console.message.text() == "", "the words are on their way"
    assert (
        console.chat.item(console.chat.count() - 1).text().endswith("Anna: Ich komme in zwei Minuten — wird gesendet …")
    )
    qtbot.waitUntil(lambda: console.notice.startswith("Die Datenbank nimmt gerade nichts an. Eine Änderung wartet"))
    click(qtbot, console.close_button)
    qtbot.waitUntil(lambda: console.notice.startswith("Die Datenbank nimmt gerade nichts an. 2 Änderungen warten"))
    assert console.case_text() == console.t("console.empty_case")
    for _ in range(3):  # reads go on meanwhile: the notice stays true and stays
        console.refresh(force=True)
        qtbot.waitUntil(lambda: not console._reading)
        assert "2 Änderungen warten" in console.notice
    assert requests.request_state(engine, request_id) == (requests.State.CLAIMED, "Anna")

    backup.execute("ROLLBACK")
    backup.close()
    qtbot.waitUntil(lambda: requests.request_state(engine, request_id)[0] == requests.State.CLOSED, timeout=10_000)
    settled(qtbot, console.writes)
    assert [message.text for message in chat.messages(engine, request_id) if message.sender == "staff"] == [
        "Ich komme in zwei Minuten"
    ], "sent once, before the case was closed"
    qtbot.waitUntil(lambda: console.notice == "")
    console.close()


def test_save_and_close_while_the_database_takes_nothing_sends_the_message_before_the_close(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """ "Save and close" sends the typed message and closes at once: both wait, and reach the database in that
    order (the close first would end the chat and lose the message)."""
    engine, request_id, console, backup = a_chat_claimed_then_the_file_locked(qtbot, session, tmp_path)
    console.message.setText("Danke, bis gleich")
    save_and_close(qtbot, console)
    qtbot.waitUntil(lambda: console.notice.startswith("Die Datenbank nimmt gerade nichts an. 2 Änderungen warten"))
    backup.execute("ROLLBACK")
    backup.close()
    qtbot.waitUntil(lambda: requests.request_state(engine, request_id)[0] == requests.State.CLOSED, timeout=10_000)
    assert [m.text for m in chat.messages(engine, request_id) if m.sender == "staff"] == ["Danke, bis gleich"]
    qtbot.waitUntil(lambda: console.notice == "")
    console.close()


def test_a_message_typed_to_a_customer_who_left_never_goes_to_the_next(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """Anna types to Frau Keller, who walks away before it is sent: the next customer's case opens with an empty
    field, and Enter there sends nothing of it. Text typed to one case waits for it while another is looked at."""
    engine = database(tmp_path, "drafts")
    left = waiting(engine, session, kind="chat", kiosk="kiosk-zelte")
    second, third = (waiting(engine, session, kind="chat", kiosk="kiosk-eingang") for _ in range(2))
    console = console_at(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 3)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.cases.count() == 1 and console.message.isEnabled())
    chat.post_message(engine, left, sender="shopper", text="Gibt es das Zelt in Grün?")
    qtbot.waitUntil(lambda: console.chat.count() == 1)
    console.message.setText("Ihr Zelt liegt in Regal 4, Frau Keller")
    chat.shopper_left(engine, left)
    qtbot.waitUntil(lambda: console.cases.count() == 0)
    assert console.message.text() == "" and not console.message.isEnabled()
    said = [console.chat.item(row).text() for row in range(console.chat.count())]
    assert said[0].startswith("— Gespräch mit ") and said[0].endswith(", beendet —"), "whose it was, first"
    assert said[1].endswith("Kunde: Gibt es das Zelt in Grün?"), "what the customer asked stays readable"
    assert said[-1].startswith("— Der Kunde hat beendet.")
    for claimed in (1, 2):
        qtbot.waitUntil(lambda claimed=claimed: console.queue.count() == 3 - claimed)
        console.queue.setCurrentRow(0)
        click(qtbot, console.claim_button)
        qtbot.waitUntil(lambda claimed=claimed: console.cases.count() == claimed)
    console.cases.setCurrentRow(0)
    qtbot.waitUntil(lambda: console.message.isEnabled() and console._draft_for == console._current_case())
    first_case = console._current_case()
    assert console.message.text() == ""
    assert not any("Grün" in console.chat.item(row).text() for row in range(console.chat.count()))
    qtbot.keyClick(console.message, Qt.Key.Key_Return)
    console.message.setText("Einen Moment bitte")
    console.cases.setCurrentRow(1)
    qtbot.waitUntil(lambda: console._draft_for == console._current_case() and console._draft_for != first_case)
    assert console.message.text() == "", "another customer's case: not the words typed to the first"
    console.cases.setCurrentRow(0)
    qtbot.waitUntil(lambda: console._draft_for == first_case)
    assert console.message.text() == "Einen Moment bitte", "back to the first: what was typed to it is there"
    settled(qtbot, console.writes)
    staff_lines = [m.text for r in (left, second, third) for m in chat.messages(engine, r) if m.sender == "staff"]
    assert staff_lines == [], "nothing was sent"
    console.close()


def test_all_of_my_cases_are_in_view_and_the_keys_lead_on_to_the_chat(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """Three cases claimed on a laptop: each line of "my cases" is wholly in view (the queue gives up the room). A
    claim by Enter leaves the keys in the new case's message field; Enter in the sign-in name goes on to the PIN."""
    engine = database(tmp_path, "mine")
    for kiosk in ("kiosk-zelte", "kiosk-eingang", None, "kiosk-zelte"):
        waiting(engine, session, kind="chat", kiosk=kiosk)
    console = console_at(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 4)
    for claimed in (1, 2, 3):
        console.queue.setFocus()
        console.queue.setCurrentRow(0)
        qtbot.keyClick(console.queue, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda claimed=claimed: console.cases.count() == claimed and console.message.hasFocus())
    QApplication.processEvents()
    cases = console.cases
    shown = [
        row for row in range(cases.count()) if cases.viewport().rect().contains(cases.visualItemRect(cases.item(row)))
    ]
    assert len(shown) == 3, f"{len(shown)} of 3 cases wholly in view"
    console.close()

    later = StaffConsole(engine, session.questionnaires, session.catalog, PUBLIC_ADDRESS)  # type: ignore[arg-type]
    qtbot.addWidget(later)
    later.show()
    later.name.setFocus()
    qtbot.keyClicks(later.name, "Anna")
    qtbot.keyClick(later.name, Qt.Key.Key_Return)
    assert later.focusWidget() is later.pin and later.staff is None
    qtbot.keyClicks(later.pin, "4711")
    qtbot.keyClick(later.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: later.staff == "Anna")
    later.close()


def test_closing_the_console_while_a_message_is_on_its_way_stores_it(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """Anna sends a last message and closes the console while a backup briefly holds the file's write lock: the
    message is stored once the lock is gone, and its late answer finds a closed window without harm."""
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}", busy_timeout_ms=5000)
    upgrade(engine)
    set_pin(engine, "Anna", "4711")
    report_presence(engine, "Anna")
    request_id = waiting(engine, session, kind="chat")
    console = console_at(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.cases.count() == 1 and console.message.isEnabled())
    settled(qtbot, console.writes)
    backup = sqlite3.connect(str(tmp_path / "store.sqlite3"), isolation_level=None, check_same_thread=False)
    backup.execute("BEGIN IMMEDIATE")
    console.message.setText("Bis gleich an der Kasse")
    qtbot.keyClick(console.message, Qt.Key.Key_Return)
    assert console.changes.writing, "the message is on its way, held up by the lock"
    release = threading.Timer(0.3, lambda: (backup.execute("ROLLBACK"), backup.close()))
    release.start()
    console.close()
    release.join()
    qtbot.waitUntil(lambda: [m.text for m in chat.messages(engine, request_id) if m.sender == "staff"] != [])
    settled(qtbot, console.writes)
    assert [m.text for m in chat.messages(engine, request_id) if m.sender == "staff"] == ["Bis gleich an der Kasse"]
    assert console.changes.pending == [] and not console.changes.writing


def test_notes_typed_while_the_database_takes_nothing_are_stored_after_another_case_is_opened(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """Anna notes her customer's wish and opens her other case while a backup holds the file's write lock: the notes
    wait, are shown again on going back, and are stored once the lock is gone; the notice says a change waits."""
    engine = quick_database(tmp_path)
    first, _second = waiting(engine, session, kind="chat"), waiting(engine, session, kind="chat")
    console = console_at(qtbot, engine, session)
    for claimed in (1, 2):
        qtbot.waitUntil(lambda claimed=claimed: console.queue.count() == 3 - claimed)
        console.queue.setCurrentRow(0)
        click(qtbot, console.claim_button)
        qtbot.waitUntil(lambda claimed=claimed: console.cases.count() == claimed)
    rows = {console.cases.item(row).data(Qt.ItemDataRole.UserRole)[0]: row for row in range(2)}
    console.cases.setCurrentRow(rows[first])
    qtbot.waitUntil(lambda: console._notes_case == ("request", first) and console.notes.isEnabled())
    backup = sqlite3.connect(str(tmp_path / "store.sqlite3"), isolation_level=None, check_same_thread=False)
    backup.execute("BEGIN IMMEDIATE")
    console.notes.setFocus()
    console.notes.insertPlainText("Sucht Familienzelt, Budget 400")
    console.cases.setCurrentRow(1 - rows[first])
    qtbot.waitUntil(lambda: console._notes_case not in (None, ("request", first)))
    qtbot.waitUntil(lambda: "Eine Änderung wartet" in console.notice, timeout=10_000)
    console.cases.setCurrentRow(rows[first])
    qtbot.waitUntil(lambda: console._notes_case == ("request", first))
    assert console.notes.toPlainText() == "Sucht Familienzelt, Budget 400", "what was typed, not the stored notes"
    backup.execute("ROLLBACK")
    backup.close()
    qtbot.waitUntil(lambda: chat.notes_of(engine, first) == "Sucht Familienzelt, Budget 400", timeout=10_000)
    qtbot.waitUntil(lambda: console.notice == "")
    console.close()


def test_save_and_close_with_notes_while_the_database_takes_nothing_closes_the_case_once_it_answers(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """Notes not stored yet, "Fall abschließen", "Speichern und abschließen" during the lock: the case is off the
    screen at once; the notes and then the close reach the database once it answers."""
    engine, request_id, console, backup = a_chat_claimed_then_the_file_locked(qtbot, session, tmp_path)
    console.notes.setFocus()
    console.notes.insertPlainText("Notiz")
    save_and_close(qtbot, console)
    qtbot.waitUntil(lambda: console.cases.count() == 0 and "2 Änderungen warten" in console.notice, timeout=10_000)
    backup.execute("ROLLBACK")
    backup.close()
    qtbot.waitUntil(lambda: requests.request_state(engine, request_id)[0] == requests.State.CLOSED, timeout=10_000)
    assert chat.notes_of(engine, request_id) == "Notiz"
    console.close()


def test_a_code_not_opened_while_the_database_is_down_is_said_until_dismissed(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """Opening a customer's code needs the database to take a note of it: when it cannot, the console says to try
    again, and says so while reading goes on working (the code stays typed)."""
    _engine, _request_id, console, backup = a_chat_claimed_then_the_file_locked(qtbot, session, tmp_path)
    console.code.setText("ABCD-2345")
    click(qtbot, console.open_code_button)
    said = "Die Datenbank hat das gerade nicht angenommen, sie antwortet nicht. Bitte gleich noch einmal versuchen."
    qtbot.waitUntil(lambda: console.notice == said, timeout=10_000)
    for _ in range(3):  # reading works: the notice stays, as the code was not opened
        console.refresh(force=True)
        qtbot.waitUntil(lambda: not console._reading)
    assert console.notice == said and console.code.text()
    backup.execute("ROLLBACK")
    backup.close()
    console.close()


def test_a_code_not_opened_while_changes_wait_is_said_beside_them_and_stays_when_they_are_stored(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """A message waits to be stored, then the customer at the counter gives their code: that it was not opened is
    said with what waits, and it is not taken away when the waiting change is stored (the customer would be
    forgotten)."""
    engine, request_id, console, backup = a_chat_claimed_then_the_file_locked(qtbot, session, tmp_path)
    console.message.setText("Einen Moment bitte")
    click(qtbot, console.send_button)
    qtbot.waitUntil(lambda: "Eine Änderung wartet" in console.notice, timeout=10_000)
    console.code.setText("ABCD-2345")
    click(qtbot, console.open_code_button)
    not_done = "Die Datenbank hat das gerade nicht angenommen, sie antwortet nicht. Bitte gleich noch einmal versuchen."
    qtbot.waitUntil(lambda: console.notice.startswith(not_done) and "Änderung wartet" in console.notice, timeout=10_000)
    backup.execute("ROLLBACK")
    backup.close()
    qtbot.waitUntil(lambda: "Einen Moment bitte" in [m.text for m in chat.messages(engine, request_id)], timeout=10_000)
    qtbot.waitUntil(lambda: not console.changes.pending, timeout=10_000)
    assert console.notice.startswith(not_done) and console.code.text() == "ABCD-2345", "said until dismissed"
    console.close()
