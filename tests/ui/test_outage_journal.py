"""What the journal says when the database stops answering a running console or kiosk: one line when the outage
begins, naming the database without its password, with the first line of the reason only; the changes that wait once
(not at every retry); one line when it answers again, with the changes stored since."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from advisor.handoff import requests
from tests.ui.test_console_day import console_at, settled
from tests.ui.test_console_outage import a_chat_claimed_then_the_file_locked, quick_database
from tests.ui.test_kiosk import click
from ui.app import KioskStart, OutageJournal
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.window import KioskWindow

PSYCOPG_REFUSED = (
    'connection failed: connection to server at "127.0.0.1", port 5499 failed: Connection refused\n'
    "\tIs the server running on that host and accepting TCP/IP connections?"
)


def refused() -> sa.exc.OperationalError:
    """The error SQLAlchemy raises for a PostgreSQL server that refuses (several lines, with a link)."""
    return sa.exc.OperationalError(None, None, Exception(PSYCOPG_REFUSED))


def journal_lines(capfd: pytest.CaptureFixture[str], program: str) -> list[str]:
    return [line for line in capfd.readouterr().err.splitlines() if line.startswith(f"{program}:")]


def test_an_outage_is_one_line_naming_the_database_without_its_password() -> None:
    said: list[str] = []
    journal = OutageJournal("advisor staff", "postgresql://advisor:secret@db.store.local:5499/advisor")
    journal.say = said.append  # type: ignore[method-assign]
    for _ in range(3):
        journal.failed(refused())
    journal.answered()
    journal.answered()
    assert len(said) == 2, said
    assert said[0].startswith("database unreachable (postgresql://") and said[0].endswith(
        "db.store.local:5499/advisor): Connection refused"
    ), said
    assert "secret" not in said[0] and "advisor:" not in said[0] and "\n" not in said[0]
    assert said[1].startswith("database reachable again (postgresql://") and "secret" not in said[1]


def test_the_console_says_an_unreachable_database_once_in_one_line(
    qtbot: QtBot, session: KioskSession, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    engine = quick_database(tmp_path)
    console = console_at(qtbot, engine, session)
    capfd.readouterr()
    for _ in range(3):  # the readings of an outage
        console._problem(refused(), reading=True)
    lines = journal_lines(capfd, "advisor staff")
    assert lines == [
        f"advisor staff: database unreachable (sqlite:///{tmp_path / 'store.sqlite3'}): Connection refused"
    ]
    console.refresh(force=True)  # it answers again
    qtbot.waitUntil(lambda: not console._reading and not console._database_down)
    assert journal_lines(capfd, "advisor staff") == [
        f"advisor staff: database reachable again (sqlite:///{tmp_path / 'store.sqlite3'})"
    ]
    console.close()


def test_changes_that_wait_are_said_once_and_then_how_many_were_stored(
    qtbot: QtBot, session: KioskSession, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    engine, request_id, console, backup = a_chat_claimed_then_the_file_locked(qtbot, session, tmp_path)
    capfd.readouterr()
    console.message.setText("Ich komme gleich")
    qtbot.keyClick(console.message, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: console.changes.retrying)
    click(qtbot, console.close_button)
    qtbot.waitUntil(lambda: len(console.changes.pending) == 2)
    first = len(console.changes.pending)
    qtbot.waitUntil(lambda: console.changes.writing, timeout=10_000)  # tried again (and again refused)
    qtbot.waitUntil(lambda: console.changes.retrying, timeout=10_000)
    said = journal_lines(capfd, "advisor staff")
    assert len([line for line in said if "a change waits for the database (" in line]) == 1, said  # not every try
    waits = [line for line in said if "will be stored once it answers" in line]
    assert waits == [
        "advisor staff: 1 change waits for the database "
        f"(sqlite:///{tmp_path / 'store.sqlite3'}) and will be stored once it answers"
    ], (first, waits)

    backup.execute("ROLLBACK")
    backup.close()
    qtbot.waitUntil(lambda: requests.request_state(engine, request_id)[0] == requests.State.CLOSED, timeout=10_000)
    settled(qtbot, console.writes)
    qtbot.waitUntil(lambda: not console.changes.pending)
    lines = journal_lines(capfd, "advisor staff")
    assert f"advisor staff: database reachable again (sqlite:///{tmp_path / 'store.sqlite3'}); 2 changes stored" in (
        lines
    ), lines
    assert not [line for line in lines if "will be stored once it answers" in line]
    console.close()


class FailingCache:
    """A kiosk's catalog cache on a database that stops answering (and answers again)."""

    def __init__(self, catalog: Any) -> None:
        self.down = False
        self.catalog = catalog
        self.engine = None

    def get(self) -> Any:
        if self.down:
            raise refused()
        return self.catalog


def test_a_running_kiosk_says_an_outage_once_and_when_the_database_answers_again(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    import advisor.db.retry
    import ui.app

    monkeypatch.setattr(ui.app, "CATALOG_CHECK_MS", 50)
    monkeypatch.setattr(advisor.db.retry, "retrying", lambda work, **_kwargs: work())
    window = KioskWindow(KioskSession({}), RecordingVoice())
    qtbot.addWidget(window)
    kiosk = KioskStart(window, db_url=None, config_file=None, fullscreen=False)
    kiosk.url = "postgresql://kiosk:secret@db.store.local:5432/advisor"
    kiosk.config = object()  # type: ignore[assignment]
    cache = FailingCache(window.session.catalog)
    checked: list[bool] = []
    monkeypatch.setattr(
        kiosk, "_catalog_checked", lambda index: (checked.append(True), type(kiosk)._catalog_checked(kiosk, index))
    )
    kiosk._start_maintenance(cache)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: len(checked) >= 1)
    capfd.readouterr()
    cache.down = True
    qtbot.wait(600)  # about ten checks fail
    cache.down = False
    count = len(checked)
    qtbot.waitUntil(lambda: len(checked) > count + 1)
    kiosk.stopped = True
    lines = journal_lines(capfd, "advisor kiosk")
    assert len(lines) == 2, lines
    assert lines[0].startswith("advisor kiosk: database unreachable (postgresql://") and lines[0].endswith(
        "db.store.local:5432/advisor): Connection refused"
    ), lines
    assert lines[1].startswith("advisor kiosk: database reachable again (postgresql://"), lines
    assert "secret" not in "".join(lines)
