""" "Talk to a person" during help with a product, the store closed and nobody at a console: a help run has outcomes,
not a shortlist, so the dialog offers no summary to take (as the web companion) and none of its words, shown or
said, tell the shopper to take one; it points to the phone or to coming back. The tent finder still offers it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel
from pytestqt.qtbot import QtBot

from advisor.config import Config, is_open
from advisor.db import make_engine, upgrade
from tests.ui.conftest import PUBLIC_ADDRESS
from tests.ui.test_kiosk import click
from ui import session as views
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.talk import PHONE_PAGE, TalkDialog
from ui.window import KioskWindow

ZONE = "Europe/Berlin"
SUMMARY_WORDS = ("summary", "zusammenfassung")


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    engine = make_engine(f"sqlite:///{tmp_path / 'talk.sqlite3'}")
    upgrade(engine)
    return engine


def closed_store(*, public: bool = True) -> Config:
    """A store closed now, whenever the test runs: open half an hour a day, late at night in the morning and early
    in the morning in the afternoon (staff are back today or tomorrow)."""
    hours = "23:00-23:30" if datetime.now(ZoneInfo(ZONE)).hour < 12 else "01:00-01:30"
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    settings: dict[str, Any] = {"store": {"timezone": ZONE, "opening_hours": dict.fromkeys(days, hours)}}
    if public:
        settings["web"] = {"public_base_url": PUBLIC_ADDRESS}
    config = Config.model_validate(settings)
    assert not is_open(config, datetime.now(ZoneInfo(ZONE)))
    return config


def torn_zip(session: KioskSession) -> None:
    """Help with a zip: the tent NG-TENT-0001, its teeth missing or broken, 30 months old: the outcomes."""
    session.show_help()
    session.start("zip-help")
    session.set_product("NG-TENT-0001")
    session.answer("teeth")
    session.answer(30)
    assert session.view == views.OUTCOMES and session.service


def open_talk(qtbot: QtBot, window: KioskWindow) -> TalkDialog:
    """The top bar's "Talk to a person", once the dialog knows nobody is at a console and has said so."""
    voice = window.speech.voice
    assert isinstance(voice, RecordingVoice)
    click(qtbot, window.top_bar.talk_button)
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.presence_known)
    qtbot.waitUntil(lambda: any(dialog.explanation.text() in words for words in voice.spoken))
    return dialog


def shown(dialog: TalkDialog) -> str:
    """Every text the dialog shows now."""
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
    buttons = [button.text() for button in dialog.findChildren(QAbstractButton) if button.isVisible()]
    return " ".join(labels + buttons)


def said(window: KioskWindow) -> str:
    voice = window.speech.voice
    assert isinstance(voice, RecordingVoice)
    return " ".join(voice.spoken)


def mentions_summary(words: str) -> bool:
    return any(word in words.lower() for word in SUMMARY_WORDS)


@pytest.mark.parametrize(("locale", "offered"), [
    ("de", "Bis dahin kannst du auf deinem Handy weitermachen – oder komm dann gern wieder."),
    ("en", "Continue on your phone in the meantime, or come back then."),
])  # fmt: skip
def test_help_with_a_zip_at_a_closed_store_offers_the_phone_not_a_summary(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any, locale: str, offered: str
) -> None:
    session.configure(closed_store())
    session.engine = engine
    session.set_locale(locale)
    session.set_accessible(True)  # what the dialog says is recorded
    torn_zip(session)
    dialog = open_talk(qtbot, window)
    assert offered in dialog.explanation.text()
    assert not dialog.call.isVisible() and not dialog.summary.isVisible() and dialog.phone.isVisible()
    assert not mentions_summary(shown(dialog)), shown(dialog)
    assert not mentions_summary(said(window)), said(window)

    click(qtbot, dialog.phone)  # what is offered works: the help continues on the phone
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PHONE_PAGE)
    assert not mentions_summary(shown(dialog)) and not mentions_summary(said(window)), said(window)


def test_help_without_a_phone_link_says_to_come_back_and_offers_no_summary(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    session.configure(closed_store(public=False))
    session.engine = engine
    session.set_accessible(True)
    torn_zip(session)
    dialog = open_talk(qtbot, window)
    assert "Komm dann gern wieder." in dialog.explanation.text()
    assert not dialog.summary.isVisible() and not dialog.phone.isVisible()
    assert not mentions_summary(shown(dialog)) and not mentions_summary(said(window)), said(window)


def test_the_tent_finder_at_a_closed_store_still_offers_the_summary(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    from tests.ui.test_console_appointments import FAMILY

    session.configure(closed_store())
    session.engine = engine
    session.set_accessible(True)
    session.start("tent-finder")
    session.set_answers(FAMILY)
    qtbot.waitUntil(lambda: session.view == views.RESULTS)
    dialog = open_talk(qtbot, window)
    assert dialog.summary.isVisible() and dialog.phone.isVisible()
    assert "Nimm gern die Zusammenfassung mit." in dialog.explanation.text()
    assert mentions_summary(shown(dialog)) and mentions_summary(said(window))
