"""The idle wipe while a person is on the way or a chat is open: the kiosk asks first, and if the shopper has
really gone, the request ends as their cancellation and its chat tells staff so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from advisor.db import make_engine
from advisor.handoff import chat, requests, sessions
from tests.ui.test_handoff import call_staff as called
from tests.ui.test_kiosk import click
from ui import session as views
from ui.guard import HANDOFF_GRACE, HandoffWarning, IdleWarning
from ui.session import KioskSession
from ui.talk import TalkDialog
from ui.window import KioskWindow

STAFF = "Anna Berger"
TICK_MS = 10  # one second of a countdown, in the tests


def call_staff(qtbot: QtBot, window: KioskWindow, session: KioskSession, database_url: str, kind: str) -> Any:
    """A shopper who answered two questions and, with consent, called a consultant (or opened a chat)."""
    return called(qtbot, window, session, database_url, kind, staff=STAFF)


def talk_dialog(window: KioskWindow) -> TalkDialog:
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    return dialog


def watch_idle(qtbot: QtBot, window: KioskWindow) -> IdleWarning:
    """The idle guard with a short wait and quick seconds; the warning it shows."""
    window.watch_idle(0.2, 20)
    guard = window.idle_guard
    guard.second.setInterval(TICK_MS)
    qtbot.waitUntil(lambda: guard.warning is not None, timeout=3000)
    guard.idle.setInterval(60_000)  # no second warning while the test looks at this one
    warning = guard.warning
    assert isinstance(warning, IdleWarning)
    return warning


def test_a_claimed_handoff_is_not_wiped_without_asking_and_yes_keeps_everything(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, database_url: str
) -> None:
    engine = call_staff(qtbot, window, session, database_url, "consultant")
    dialog = talk_dialog(window)
    request_id = dialog.request_id
    assert request_id is not None
    assert requests.claim(engine, request_id, staff=STAFF)
    qtbot.waitUntil(lambda: f"{STAFF} ist auf dem Weg" in dialog.status.text())
    answers = dict(session.state.answers)  # type: ignore[union-attr]

    warning = watch_idle(qtbot, window)
    assert isinstance(warning, HandoffWarning)
    with qtbot.assertNotEmitted(window.idle_guard.wiped):
        assert f"Noch da? {STAFF} ist auf dem Weg zu dir." in warning.windowTitle()
        assert warning.left == 20 * HANDOFF_GRACE
        # The normal warning's 20 seconds pass: this one still asks.
        qtbot.waitUntil(lambda: warning.left < 20 * HANDOFF_GRACE - 25, timeout=3000)
        assert window.idle_guard.warning is warning and warning.isVisible()
        assert warning.go_on.text() == "Ja, ich bin da"
        click(qtbot, warning.go_on)

    assert window.idle_guard.warning is None
    assert session.view == views.QUESTION and session.state is not None and session.state.answers == answers
    assert dialog.isVisible() and f"{STAFF} ist auf dem Weg" in dialog.status.text()
    assert session.handoff is not None and session.handoff.staff == STAFF
    assert requests.request_state(engine, request_id) == (requests.State.CLAIMED, STAFF)
    assert chat.messages(engine, request_id) == []
    dialog.done(0)
    engine.dispose()


def test_leaving_ends_the_request_and_tells_staff_but_keeps_the_stored_session(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, database_url: str
) -> None:
    engine = call_staff(qtbot, window, session, database_url, "consultant")
    dialog = talk_dialog(window)
    request_id, session_id = dialog.request_id, dialog.session_id
    assert request_id is not None and session_id is not None
    assert requests.claim(engine, request_id, staff=STAFF)
    qtbot.waitUntil(lambda: f"{STAFF} ist auf dem Weg" in dialog.status.text())
    warning = watch_idle(qtbot, window)
    assert isinstance(warning, HandoffWarning)

    with qtbot.waitSignal(window.idle_guard.wiped, timeout=3000):
        click(qtbot, warning.leave)

    assert session.view == views.WELCOME and session.state is None and session.handoff is None
    qtbot.waitUntil(lambda: requests.state_of(engine, request_id) == requests.State.CANCELLED)
    [line] = chat.messages(engine, request_id)
    assert line.sender == chat.SYSTEM and line.shown("de") == "Kunde hat den Kiosk verlassen"
    assert line.shown("en") == "The customer left the kiosk", "each screen says it in its own language"
    stored = sessions.session_of(engine, session_id)
    assert stored is not None and stored.answers, "the consultant can still open the advice by its code"
    with engine.connect() as connection:
        kinds = [row[0] for row in connection.exec_driver_sql("SELECT kind FROM advice_event WHERE run IS NOT NULL")]
    assert "handoff_cancelled" in kinds, "the insights count the request as withdrawn"
    engine.dispose()


def test_when_nobody_answers_the_kiosk_clears_for_the_next_shopper_and_ends_the_chat(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, database_url: str
) -> None:
    engine = call_staff(qtbot, window, session, database_url, "chat")
    dialog = talk_dialog(window)
    request_id = dialog.request_id
    assert request_id is not None
    dialog.message.setText("Meine Nummer ist 0171 555")
    click(qtbot, dialog.send)
    qtbot.waitUntil(lambda: dialog.lines.count() == 1)
    dialog.done(0)  # the shopper closes the dialog and looks around
    assert session.handoff is not None, "a closed dialog keeps following its open request"

    warning = watch_idle(qtbot, window)
    assert isinstance(warning, HandoffWarning)
    assert "Noch da? Dein Chat mit unserem Team ist offen." in warning.windowTitle()
    with qtbot.waitSignal(window.idle_guard.wiped, timeout=5000):
        pass  # nobody answers: 60 quick seconds

    assert session.view == views.WELCOME and session.state is None
    qtbot.waitUntil(lambda: requests.state_of(engine, request_id) == requests.State.CANCELLED)
    assert [(line.sender, line.shown("de")) for line in chat.messages(engine, request_id)] == [
        ("shopper", "Meine Nummer ist 0171 555"),
        (chat.SYSTEM, "Kunde hat den Kiosk verlassen"),
    ]
    engine.dispose()


def test_a_case_staff_closed_meanwhile_gets_the_normal_warning(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, database_url: str
) -> None:
    engine = call_staff(qtbot, window, session, database_url, "consultant")
    dialog = talk_dialog(window)
    request_id = dialog.request_id
    assert request_id is not None
    assert requests.claim(engine, request_id, staff=STAFF)
    qtbot.waitUntil(lambda: session.handoff is not None and session.handoff.staff == STAFF)
    dialog.done(0)  # closed; the request is still read
    requests.transition(engine, request_id, requests.Action.CLOSE)  # served: the consultant closes the case
    qtbot.waitUntil(lambda: session.handoff is None)

    warning = watch_idle(qtbot, window)

    assert not isinstance(warning, HandoffWarning)
    assert warning.left in (19, 20), "the normal 20 s countdown (a loaded machine may have ticked once)"
    with qtbot.waitSignal(window.idle_guard.wiped, timeout=3000):
        pass
    assert session.view == views.WELCOME
    assert requests.state_of(engine, request_id) == requests.State.CLOSED
    assert chat.messages(engine, request_id) == []
    engine.dispose()


def test_the_talk_button_shows_the_open_request_again(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, database_url: str
) -> None:
    engine = call_staff(qtbot, window, session, database_url, "consultant")
    dialog = talk_dialog(window)
    assert dialog.request_id is not None
    assert requests.claim(engine, dialog.request_id, staff=STAFF)
    dialog.done(0)
    qtbot.waitUntil(lambda: session.handoff is not None and session.handoff.staff == STAFF)

    click(qtbot, window.top_bar.talk_button)

    assert window.talk_dialog is dialog
    qtbot.waitUntil(dialog.isVisible)
    assert f"{STAFF} ist auf dem Weg" in dialog.status.text()
    dialog.done(0)
    engine.dispose()


def test_a_request_that_ended_before_the_shopper_left_stays_as_it_was(engine: Engine) -> None:
    stored = sessions.create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de", consent=True)
    request_id = requests.request_handoff(engine, session_id=stored.id, kind="consultant")
    assert requests.claim(engine, request_id, staff=STAFF)
    requests.transition(engine, request_id, requests.Action.CLOSE)

    assert chat.shopper_left(engine, request_id) is False
    assert requests.state_of(engine, request_id) == requests.State.CLOSED
    assert chat.messages(engine, request_id) == []


def test_a_leaving_the_database_cannot_take_is_told_to_staff_once_it_can(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shopper leaves while another program holds the SQLite file: the kiosk clears at once and ends the
    request as soon as the database takes writes again."""
    import sqlite3

    import ui.window

    path = tmp_path / "locked.sqlite3"
    engine = call_staff(qtbot, window, session, f"sqlite:///{path}", "consultant")
    session.engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=50)  # a write gives up quickly
    monkeypatch.setattr(ui.window, "LEFT_RETRY_MS", 50)
    request_id = talk_dialog(window).request_id
    assert request_id is not None
    warning = watch_idle(qtbot, window)
    assert isinstance(warning, HandoffWarning)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # store IT's backup, say, holds the file
    with qtbot.waitSignal(window.idle_guard.wiped, timeout=3000):
        click(qtbot, warning.leave)
    assert session.view == views.WELCOME, "the kiosk clears at once for the next shopper"
    qtbot.wait(400)  # several attempts fail meanwhile
    assert requests.state_of(engine, request_id) == requests.State.REQUESTED
    holder.execute("COMMIT")
    holder.close()
    qtbot.waitUntil(lambda: requests.state_of(engine, request_id) == requests.State.CANCELLED, timeout=5000)
    assert [line.sender for line in chat.messages(engine, request_id)] == [chat.SYSTEM]
    engine.dispose()
