"""The console on a busy Saturday, opening customers by the code they read out: a waiting chat is taken over with
its question and can be answered, and it leaves the queue (no banner, no chime); a colleague's customer is said to
be theirs, and a change the colleague makes is named; a finished case's chat and notes come back; a checked-in
appointment's notes can be written; a request past the store's limit does not wait (nor ring) in the queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from advisor.handoff import chat, requests
from advisor.session import store
from advisor.session.cases import change_answer
from advisor.session.service import AdviceSession
from tests.ui.test_handoff import signed_in_console
from tests.ui.test_kiosk import click
from tests.ui.test_staff_console import database
from ui.session import KioskSession
from ui.staff import StaffConsole

SEVEN = {"region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 2, "extra_space": True,
         "body_height": 185, "weight_importance": "medium"}  # fmt: skip


def a_shopper(engine: Any, session: KioskSession) -> store.Record:
    tents = session.questionnaires["tent-finder"]
    advice = AdviceSession.start(tents, index=session.catalog.categories["tents"], locale="de")  # type: ignore[union-attr]
    advice.set_answers(SEVEN)
    return store.create(engine, advice, store_id="muc-01", kiosk_id="kiosk-eingang", consent=True)


def open_by_code(qtbot: QtBot, console: StaffConsole, code: str) -> None:
    console.code.setText(code)
    click(qtbot, console.open_code_button)


def chat_lines(console: StaffConsole) -> list[str]:
    return [console.chat.item(row).text() for row in range(console.chat.count())]


def test_a_waiting_chat_opened_by_code_is_taken_over_and_answered(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "by-code")
    record = a_shopper(engine, session)
    request_id = requests.request_handoff(engine, session_id=record.id, kind="chat",
                                          now=datetime.now(UTC) - timedelta(minutes=1))  # fmt: skip
    chat.post_message(engine, request_id, sender="shopper", text="Kann mir jemand helfen? Ich stehe am Eingang.")
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    qtbot.waitUntil(lambda: console.queue.count() == 1 and console.alert.isVisible())
    open_by_code(qtbot, console, record.resume_code)
    qtbot.waitUntil(lambda: any("Ich stehe am Eingang" in line for line in chat_lines(console)))
    qtbot.waitUntil(lambda: console.queue.count() == 0)
    assert not console.alert.isVisible() and not console.ring_timer.isActive(), "no banner, no chime"
    assert requests.request_state(engine, request_id) == (requests.State.CLAIMED, "Anna")
    (line,) = [console.cases.item(row).text() for row in range(console.cases.count())]
    assert "Chat am Kiosk" in line and "Per Code" not in line, "the chat taken over, not a case beside it"
    assert console.send_button.isEnabled()
    console.message.setText("Ich komme, zwei Minuten.")
    click(qtbot, console.send_button)
    qtbot.waitUntil(lambda: any(line.text == "Ich komme, zwei Minuten." for line in chat.messages(engine, request_id)))
    console.close()


def test_a_colleagues_customer_is_said_to_be_theirs_and_their_change_is_named(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "colleague")
    record = a_shopper(engine, session)
    request_id = requests.request_handoff(engine, session_id=record.id, kind="consultant")
    assert requests.claim(engine, request_id, staff="Anna Berger")
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")  # "Anna" at this console: a colleague
    open_by_code(qtbot, console, record.resume_code)
    qtbot.waitUntil(lambda: "Anna Berger betreut diesen Kunden" in console.notice)
    qtbot.waitUntil(lambda: "Anna Berger betreut diesen Kunden" in console.case_text())
    assert any("Den Chat führt Anna Berger" in line for line in chat_lines(console))
    change_answer(engine, record.id, "persons", 3, questionnaires=session.questionnaires,
                  index_for=lambda q: session.catalog.categories.get(q.category),  # type: ignore[union-attr]
                  staff="Ben Koch")  # fmt: skip
    qtbot.waitUntil(lambda: "Ben Koch hat „Personen“ geändert" in console.notice)
    assert "Ben Koch hat „Personen“ geändert" in console.case_text()
    console.close()


def test_a_finished_case_opened_by_code_shows_its_chat_and_its_notes_to_go_on_with(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "finished")
    record = a_shopper(engine, session)
    request_id = requests.request_handoff(engine, session_id=record.id, kind="chat")
    assert requests.claim(engine, request_id, staff="Anna")
    chat.post_message(engine, request_id, sender="shopper", text="Ich bin in 10 Minuten im Laden.")
    chat.save_notes(engine, request_id, "Jacke M zurückgelegt, Kasse 2")
    requests.transition(engine, request_id, requests.Action.CLOSE)
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    open_by_code(qtbot, console, record.resume_code)
    qtbot.waitUntil(lambda: any("10 Minuten im Laden" in line for line in chat_lines(console)))
    qtbot.waitUntil(lambda: console.notes.toPlainText() == "Jacke M zurückgelegt, Kasse 2")
    assert console.notes.isEnabled() and not console.send_button.isEnabled()
    console.notes.setFocus()
    console.notes.setPlainText("Jacke M zurückgelegt, Kasse 2 – abgeholt")
    qtbot.waitUntil(lambda: chat.notes_of(engine, request_id).endswith("abgeholt"))
    console.close()


def test_a_request_past_the_stores_limit_does_not_wait_in_the_queue(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "old")
    now = datetime.now(UTC)
    requests.request_handoff(engine, session_id=a_shopper(engine, session).id, kind="chat",
                             now=now - timedelta(minutes=95))  # fmt: skip
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    qtbot.waitUntil(lambda: console.view is not None)
    requests.request_handoff(engine, session_id=a_shopper(engine, session).id, kind="chat", now=now)
    qtbot.waitUntil(lambda: console.queue.count() >= 1)
    assert console.queue.count() == 1 and console.queue.item(0).text().startswith("1. wartet seit")
    assert "Std." not in console.queue.item(0).text()
    console.close()
