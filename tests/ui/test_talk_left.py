"""At the kiosk: the colleague who had the shopper's chat (or was on the way) signs out. The talk dialog no longer
names her as there: the request waits for the next colleague (with nobody signed in and the store closed, when the
team is back), said once; a colleague taking it over is named as usual."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from advisor.config import default_config
from advisor.handoff import requests
from advisor.handoff.staff import report_presence, set_pin, sign_out
from tests.ui.test_handoff import call_staff
from tests.ui.test_kiosk import click
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.talk import TalkDialog
from ui.window import KioskWindow

LEFT = "Anna musste gehen – dein Chat wartet, bis jemand anderes aus dem Team übernimmt."
BACK = "Unser Team ist morgen ab 09:00 Uhr wieder für dich da."


def _closed_until_tomorrow_nine(session: KioskSession) -> None:
    """The store is closed today and opens tomorrow at nine."""
    config = default_config()
    weekday = datetime.now(UTC).astimezone(config.store.zone).weekday()
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    hours = {day: "closed" for day in days} | {days[(weekday + 1) % 7]: "09:00-18:00"}
    store = config.store.model_copy(update={"opening_hours": config.store.opening_hours.model_copy(update=hours)})
    session.configure(config.model_copy(update={"store": store}))


def _dialog(window: KioskWindow) -> TalkDialog:
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    return dialog


def test_the_chat_says_anna_left_once_and_when_the_team_is_back_then_names_ben(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    _closed_until_tomorrow_nine(session)
    session.set_accessible(True)  # read aloud, too
    engine = call_staff(qtbot, window, session, f"sqlite:///{tmp_path / 'left.sqlite3'}", "chat")
    dialog = _dialog(window)
    request_id = dialog.request_id
    assert request_id is not None
    set_pin(engine, "Ben", "4711")
    assert requests.claim(engine, request_id, staff="Anna")
    qtbot.waitUntil(lambda: dialog.status.text() == "Anna ist jetzt für dich im Chat.")
    voice = window.speech.voice
    assert isinstance(voice, RecordingVoice)
    mark = len(voice.spoken)

    sign_out(engine, "Anna")
    qtbot.waitUntil(lambda: dialog.status.text() == LEFT)
    assert dialog.detail.text() == BACK
    assert window.top_bar.talk_button.text() == "Zurück zum Chat", "the top bar names nobody who has left"
    dialog.message.setText("Danke! Bis morgen.")
    click(qtbot, dialog.send)
    qtbot.waitUntil(
        lambda: any("Danke! Bis morgen." in dialog.lines.item(i).text() for i in range(dialog.lines.count()))
    )
    dialog._poll(force=True)  # (another read: nothing new to say)
    qtbot.wait(300)
    heard = "\n".join(voice.spoken[mark:])
    assert heard.count(LEFT) == 1 and heard.count(BACK) == 1, heard

    report_presence(engine, "Ben")
    assert requests.claim_outcome(engine, request_id, staff="Ben").taken_from == "Anna"
    qtbot.waitUntil(lambda: dialog.status.text() == "Ben ist jetzt für dich im Chat.")
    assert dialog.detail.text() == ""
    qtbot.waitUntil(lambda: window.top_bar.talk_button.text() == "Zum Chat mit Ben")
    assert "Ben ist jetzt für dich im Chat." in "\n".join(voice.spoken[mark:])


def test_a_consultant_who_signed_out_is_not_on_the_way_any_more(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    engine = call_staff(qtbot, window, session, f"sqlite:///{tmp_path / 'left-call.sqlite3'}", "consultant")
    dialog = _dialog(window)
    assert dialog.request_id is not None
    set_pin(engine, "Ben", "4711")
    report_presence(engine, "Ben")  # at a console, not with this shopper
    assert requests.claim(engine, dialog.request_id, staff="Anna")
    qtbot.waitUntil(lambda: dialog.status.text() == "Anna ist auf dem Weg zu dir.")

    sign_out(engine, "Anna")
    qtbot.waitUntil(
        lambda: (
            dialog.status.text() == "Anna musste gehen – deine Anfrage wartet, bis jemand anderes aus dem Team "
            "übernimmt."
        )
    )
    assert dialog.detail.text() == "", "Ben is at a console: no word of when the team is back"
