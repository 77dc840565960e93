"""A kiosk killed (power cut, crash) with its shopper's request open: once it starts again and reaches the database,
the request ends as the shopper's leaving, and the next shopper at that kiosk is number 1 again. A session resumed
on another kiosk by its code and asked for there is that kiosk's: this kiosk's start leaves it alone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from advisor.db import make_engine
from advisor.handoff import chat, requests
from advisor.handoff.left import left_at_start
from advisor.session import store
from tests.helpers.sample import open_with_sample
from tests.ui.test_handoff import call_staff, open_talk, staffed
from tests.ui.test_idle_handoff import talk_dialog
from tests.ui.test_kiosk import click
from tests.ui.test_offline_start import kiosks, open_kiosk  # noqa: F401 - the fixture, and how a kiosk starts
from ui.app import KioskStart
from ui.session import KioskSession
from ui.window import KioskWindow

HERE, THERE = "kiosk-zelte", "kiosk-eingang"


def test_a_request_left_open_by_a_killed_kiosk_ends_when_it_starts_again(
    qtbot: QtBot,
    window: KioskWindow,
    session: KioskSession,
    tmp_path: Path,
    kiosks: list[KioskStart],  # noqa: F811
    capfd: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{tmp_path / 'ghost.sqlite3'}"
    open_with_sample(url).dispose()
    session.kiosk_id = HERE
    engine = call_staff(qtbot, window, session, url, "consultant")  # then the kiosk loses its power
    request_id = talk_dialog(window).request_id
    assert request_id is not None
    assert requests.claim(engine, request_id, staff="Anna"), "Anna is on her way"
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\nkiosk_id = "{HERE}"\n', encoding="utf-8")
    capfd.readouterr()

    again = open_kiosk(qtbot, kiosks, url, str(config))

    qtbot.waitUntil(lambda: requests.state_of(engine, request_id) == requests.State.CANCELLED, timeout=20_000)
    assert [(line.sender, line.shown("de")) for line in chat.messages(engine, request_id)] == [
        (chat.SYSTEM, "Kunde hat den Kiosk verlassen")
    ], "Anna's console says why"
    with engine.connect() as connection:
        kinds = [row[0] for row in connection.exec_driver_sql("SELECT kind FROM advice_event WHERE run IS NOT NULL")]
    assert "handoff_cancelled" in kinds, "the insights count it as the idle wipe does"
    said: list[str] = []

    def journal_says_so() -> bool:
        said.extend(capfd.readouterr().err.splitlines())
        return "advisor kiosk: ended 1 request(s) of a shopper who left before the kiosk started again" in said

    qtbot.waitUntil(journal_says_so)
    assert again.session.online
    engine.dispose()


def test_a_session_resumed_here_and_asked_for_here_is_this_kiosks(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """Stored at the tent kiosk, opened by its code at this one (the entrance), where the shopper calls a consultant:
    a restart of the tent kiosk must not end it; a restart of this one does."""
    engine = staffed(session, f"sqlite:///{tmp_path / 'resumed.sqlite3'}")
    session.kiosk_id = HERE
    session.start("tent-finder")
    session.share(consent=True)
    qtbot.waitUntil(lambda: session.stored_id is not None)
    record = store.read(engine, session.stored_id)  # type: ignore[arg-type]
    assert record is not None and record.kiosk_id == HERE
    session.reset()
    session.kiosk_id = THERE  # the shopper walks to the entrance kiosk and types the code there
    session.resume(record)

    dialog = open_talk(qtbot, window)
    dialog.consent.setChecked(True)
    click(qtbot, dialog.call)
    qtbot.waitUntil(lambda: dialog.request_id is not None)
    request_id = dialog.request_id
    assert request_id is not None

    other = make_engine(f"sqlite:///{tmp_path / 'resumed.sqlite3'}")
    assert left_at_start(other, HERE, datetime.now(UTC)) == [], "the tent kiosk's start leaves it alone"
    assert requests.state_of(engine, request_id) == requests.State.REQUESTED
    assert left_at_start(other, THERE, datetime.now(UTC)) == [request_id], "this kiosk's own start ends it"
    dialog.done(0)
    other.dispose()
    engine.dispose()
