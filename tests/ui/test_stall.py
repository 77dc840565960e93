"""The database stalls (another process holds the SQLite file's write lock for 5 s, or the PostgreSQL server is
stopped): the shopper keeps answering, the GUI event loop stays responsive (p95 lateness of a 10 ms timer at most
50 ms), and the session is written once the database is back."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from advisor.bootstrap import open_database
from advisor.insights.events import EventLog
from advisor.questionnaire.library import load_library
from advisor.recommend.index import build_index
from advisor.session import store
from tests.helpers.private_postgres import PrivatePostgres
from tests.helpers.sample import open_with_sample
from ui.session import KioskSession

HOLD_SECONDS = 5
TICK_MS = 10
ANSWERS = {"region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 2, "extra_space": False,
           "body_height": 185, "weight_importance": "high", "extras": ("two_entrances",)}  # fmt: skip
LOCKER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


def event_loop_lateness(qtbot: QtBot, until: object, timeout_ms: int) -> list[float]:
    """Run the event loop until `until()` holds; return how late each 10 ms timer tick came (seconds)."""
    late: list[float] = []
    last = time.monotonic()

    def tick() -> None:
        nonlocal last
        now = time.monotonic()
        late.append(max(0.0, now - last - TICK_MS / 1000))
        last = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    qtbot.waitUntil(until, timeout=timeout_ms)  # type: ignore[arg-type]
    timer.stop()
    return late


@pytest.mark.slow
def test_the_shopper_keeps_answering_while_the_database_is_locked(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "stall.sqlite3"
    engine = open_database(f"sqlite:///{path}", interactive=True)
    session, stored_id = stored_kiosk_session(qtbot, engine)

    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(path), str(HOLD_SECONDS)], stdout=subprocess.PIPE,
                              text=True)  # fmt: skip
    assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
    locked_at = time.monotonic()

    late = walk_while(qtbot, session)
    assert time.monotonic() - locked_at < HOLD_SECONDS, "the walk finished while the file was still locked"
    p95 = statistics.quantiles(late, n=20)[18]
    assert p95 <= 0.050, f"the event loop was late by {p95 * 1000:.0f} ms (p95) during the stall"
    assert locker.wait(timeout=HOLD_SECONDS + 5) == 0

    qtbot.waitUntil(lambda: assert_written(engine, stored_id), timeout=15_000)
    session.writes.wait()
    engine.dispose()


def stored_kiosk_session(qtbot: QtBot, engine: Engine) -> tuple[KioskSession, str]:
    """A kiosk session on the tent finder that has been stored (it left the kiosk once), written up to date."""
    session = KioskSession(load_library().questionnaires)
    session.set_catalog(build_index(engine))
    session.attach_database(engine, EventLog(engine, channel="kiosk"))
    session.start("tent-finder")
    session.share()
    qtbot.waitUntil(lambda: session.stored_id is not None and not session.advice.pending, timeout=10_000)  # type: ignore[union-attr]
    assert session.stored_id is not None
    return session, session.stored_id


def assert_written(engine: Engine, stored_id: str) -> None:
    """The stored session holds the whole walk: every answer, and the results as the place."""
    record = store.read(engine, stored_id)
    assert record is not None and record.snapshot.position == "results"
    assert {key: (tuple(v) if isinstance(v, list) else v) for key, v in record.snapshot.answers.items()} == ANSWERS


def walk_while(qtbot: QtBot, session: KioskSession) -> list[float]:
    """Answer the tent finder, one answer every 0.3 s, measuring the event loop's lateness meanwhile."""

    def answer_next() -> None:
        state = session.state
        if state is not None and state.current is not None:
            session.answer(ANSWERS[state.current])

    answering = QTimer()
    answering.setInterval(300)
    answering.timeout.connect(answer_next)
    answering.start()
    late = event_loop_lateness(qtbot, lambda: session.state is not None and session.state.complete, 15_000)
    answering.stop()
    return late


@pytest.mark.slow
def test_the_shopper_keeps_answering_while_the_postgresql_server_is_stopped(
    qtbot: QtBot, private_postgres: PrivatePostgres
) -> None:
    engine = open_with_sample(private_postgres.url, interactive=True)
    session, stored_id = stored_kiosk_session(qtbot, engine)
    private_postgres.stop()

    late = walk_while(qtbot, session)
    p95 = statistics.quantiles(late, n=20)[18]
    assert p95 <= 0.050, f"the event loop was late by {p95 * 1000:.0f} ms (p95) while the server was stopped"
    assert session.advice is not None and session.advice.pending, "nothing could be written meanwhile"

    private_postgres.start()

    qtbot.waitUntil(lambda: assert_written(engine, stored_id), timeout=20_000)
    session.writes.wait()
    engine.dispose()
