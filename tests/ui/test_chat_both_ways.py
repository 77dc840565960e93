"""The chat of every kind of handoff goes both ways between the shopper and the staff console: a consultant called
to the kiosk ("at the tills, 2 minutes"), a chat from the kiosk, and a chat started on the phone (web companion)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from advisor.config import default_config, secret_key
from advisor.db import make_engine
from advisor.handoff.staff import report_presence, set_pin
from advisor.questionnaire.library import load_library
from advisor.recommend.index import IndexCache
from advisor.web.app import create_app
from advisor.web.context import WebContext
from advisor.web.security import Signer
from tests.helpers.sample import open_with_sample
from tests.ui.test_handoff import call_staff, signed_in_console
from tests.ui.test_kiosk import click
from tests.web.conftest import csrf_of
from tests.web.conftest import start as start_on_the_phone
from ui.session import KioskSession
from ui.talk import TalkDialog
from ui.window import KioskWindow

with warnings.catch_warnings():
    # Starlette suggests httpx2 for its test client; httpx is what this project has.
    warnings.filterwarnings("ignore", message=r".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

STAFF, PIN = "Anna", "4711"
Say = Callable[[str], None]  # the shopper writes a line
Heard = Callable[[], list[str]]  # the lines the shopper's screen shows


@contextmanager
def on_the_kiosk(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, database_url: str, kind: str
) -> Iterator[tuple[Say, Heard]]:
    """A kiosk shopper who called a consultant (or opened a chat), with consent."""
    engine = call_staff(qtbot, window, session, database_url, kind, staff=STAFF, pin=PIN, answers=1)
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)

    def say(words: str) -> None:
        dialog.message.setText(words)
        click(qtbot, dialog.send)

    def heard() -> list[str]:
        return [dialog.lines.item(row).text() for row in range(dialog.lines.count())]

    yield say, heard
    dialog.done(0)
    engine.dispose()


@contextmanager
def on_the_phone(tmp_path: Path, database_url: str) -> Iterator[tuple[Say, Heard]]:
    """A shopper on the web companion who started a chat there, with consent."""
    engine = open_with_sample(database_url)
    set_pin(engine, STAFF, PIN)
    report_presence(engine, STAFF)
    config = default_config()
    questionnaires = load_library().questionnaires
    web = WebContext(
        engine=engine, questionnaires=lambda: questionnaires, index_cache=IndexCache(engine), config=config,
        signer=Signer(secret_key(config)), mail_dry_run=tmp_path / "mail",
    )  # fmt: skip
    with TestClient(create_app(web)) as client:
        start_on_the_phone(client)
        page = client.get("/advice/chat")
        started = client.post("/advice/chat/start", data={"csrf": csrf_of(page.text), "consent": "yes"})
        assert 'src="/advice/chat/live"' in started.text

        def say(words: str) -> None:
            page = client.get("/advice/chat")
            client.post("/advice/chat/send", data={"csrf": csrf_of(page.text), "message": words})

        def heard() -> list[str]:
            return [client.get("/advice/chat/live").text]

        yield say, heard
    engine.dispose()


@pytest.mark.parametrize("kind", ["consultant", "chat", "phone"])
def test_messages_go_both_ways(
    qtbot: QtBot, request: pytest.FixtureRequest, session: KioskSession, database_url: str, tmp_path: Path, kind: str
) -> None:
    if kind == "phone":
        shopper = on_the_phone(tmp_path, database_url)
    else:
        shopper = on_the_kiosk(qtbot, request.getfixturevalue("window"), session, database_url, kind)
    with shopper as (say, heard):
        say("Wo finde ich Sie?")
        engine = make_engine(database_url)
        console = signed_in_console(qtbot, engine, session, STAFF, PIN)

        def console_shows(words: str) -> Callable[[], None]:
            def shown() -> None:
                lines = [console.chat.item(row).text() for row in range(console.chat.count())]
                assert any(words in line for line in lines), lines

            return shown

        qtbot.waitUntil(lambda: console.queue.count() == 1)
        click(qtbot, console.claim_button)
        qtbot.waitUntil(console_shows("Wo finde ich Sie?"))

        console.message.setText("Ich bin an der Kasse, 2 Minuten")
        click(qtbot, console.send_button)
        qtbot.waitUntil(lambda: any("Ich bin an der Kasse, 2 Minuten" in line for line in heard()))
        assert any(STAFF in line for line in heard() if "an der Kasse" in line), "the shopper sees who writes"

        say("Danke, ich warte hier")
        qtbot.waitUntil(console_shows("Danke, ich warte hier"))
        console.close()
        engine.dispose()


def test_a_staff_message_brings_the_put_away_dialog_back(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """The shopper closed the talk dialog while a consultant was coming; "2 minutes, I'm at the tills" shows."""
    from advisor.handoff import chat, requests

    with on_the_kiosk(qtbot, window, session, f"sqlite:///{tmp_path / 'away.sqlite3'}", "consultant") as (_, heard):
        dialog = window.talk_dialog
        assert isinstance(dialog, TalkDialog) and dialog.request_id is not None
        engine = session.engine
        assert engine is not None
        assert requests.claim(engine, dialog.request_id, staff=STAFF)
        dialog.done(0)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        chat.post_message(engine, dialog.request_id, sender="staff", author=STAFF, text="2 Minuten, bin an der Kasse")
        qtbot.waitUntil(dialog.isVisible, timeout=5000)
        assert heard() == [f"{STAFF}: 2 Minuten, bin an der Kasse"]


def test_an_ended_chat_takes_no_more_lines_and_a_late_line_is_kept_with_the_reason(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """Staff close the chat: the kiosk says it ended and its field and Send go grey. A line sent in the moment it
    ended is refused and the end said in the shopper's language; what they typed stays in the field (not an English
    error and an empty field)."""
    from advisor.handoff import requests

    with on_the_kiosk(qtbot, window, session, f"sqlite:///{tmp_path / 'ended.sqlite3'}", "chat") as (say, _):
        dialog = window.talk_dialog
        assert isinstance(dialog, TalkDialog) and dialog.request_id is not None
        engine = session.engine
        assert engine is not None
        dialog.timer.stop()  # the kiosk has not read the end yet when the shopper sends ...
        if dialog.listening is not None:
            dialog.listening.set()
            dialog.listening = None
        assert requests.claim(engine, dialog.request_id, staff=STAFF)
        requests.transition(engine, dialog.request_id, requests.Action.CLOSE)
        say("Noch eine Frage zur Farbe")
        qtbot.waitUntil(lambda: dialog.status.text() == "Die Anfrage ist beendet.")  # ... the refusal reads it
        assert "request" not in dialog.detail.text()
        assert dialog.message.text() == "Noch eine Frage zur Farbe"
        assert not dialog.send.isEnabled() and not dialog.message.isEnabled()


def test_the_resume_code_goes_when_store_it_erases_the_customer_mid_chat(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """The code would open nothing once the customer's advice is erased: it is no longer offered."""
    from advisor.privacy_requests import customer, forget

    with on_the_kiosk(qtbot, window, session, f"sqlite:///{tmp_path / 'erased.sqlite3'}", "chat") as (_, _heard):
        dialog = window.talk_dialog
        assert isinstance(dialog, TalkDialog)
        engine = session.engine
        assert engine is not None
        qtbot.waitUntil(lambda: bool(dialog.resume_code) and dialog.code.text() != "")
        forget(engine, customer([dialog.resume_code]))
        qtbot.waitUntil(lambda: dialog.code.text() == "" and dialog.resume_code == "", timeout=10_000)
        assert dialog.status.text() == "Die Anfrage ist beendet."
        assert not dialog.send.isEnabled()
