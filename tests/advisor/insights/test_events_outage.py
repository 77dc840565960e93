"""Insights events recorded while the database cannot be reached are kept in memory and written, with their own
times, once it answers again; beyond the bound the oldest are dropped, counted and said once in the journal."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.db.engine import make_engine, upgrade
from advisor.insights import events
from advisor.insights.events import EventLog, read_events


class Outage:
    """An engine whose new connections fail while `down` (its pooled ones are closed when it goes down)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.down = False
        sa.event.listen(engine, "do_connect", self._connect)

    def _connect(self, *_args: Any) -> None:
        if self.down:
            raise sqlite3.OperationalError("unable to open database file")

    def stop(self) -> None:
        self.down = True
        self.engine.dispose()

    def start(self) -> None:
        self.down = False


@pytest.fixture
def outage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Outage]:
    monkeypatch.setattr(events, "RETRY_PAUSE_S", 0.01)
    monkeypatch.setattr(events, "BATCH_WAIT_S", 0.01)
    engine = make_engine(f"sqlite:///{tmp_path / 'events.sqlite3'}")
    upgrade(engine)
    yield Outage(engine)
    engine.dispose()


START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _record(log: EventLog, count: int, first: int = 0) -> None:
    for number in range(first, first + count):
        log.record("started", run=f"run-{number}", questionnaire_id="tent-finder", at=START + timedelta(minutes=number))


def _written(engine: Engine) -> list[tuple[str | None, datetime]]:
    return [(event.run, event.at) for event in read_events(engine)]


def test_events_of_an_outage_are_written_with_their_own_times_once_the_database_answers(
    outage: Outage, capfd: pytest.CaptureFixture[str]
) -> None:
    log = EventLog(outage.engine, channel="web")
    outage.stop()
    _record(log, 3)
    log.flush()
    assert len(log.unwritten) == 3 and log.dropped == 0
    _record(log, 2, first=3)
    log.flush()
    said = capfd.readouterr().err.splitlines()
    assert len([line for line in said if "insights events cannot be written" in line]) == 1, said

    outage.start()
    _record(log, 1, first=5)
    log.flush()
    assert _written(outage.engine) == [(f"run-{n}", START + timedelta(minutes=n)) for n in range(6)]
    assert not log.unwritten and log.dropped == 0
    assert "5 insights events kept during the outage are written now" in capfd.readouterr().err
    assert log.close() == 0


def test_kept_events_are_written_by_a_periodic_retry_without_new_ones(outage: Outage) -> None:
    log = EventLog(outage.engine, channel="web", retry_s=0.1)
    outage.stop()
    _record(log, 2)
    log.flush()
    outage.start()
    deadline = time.monotonic() + 10
    while log.unwritten and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [run for run, _at in _written(outage.engine)] == ["run-0", "run-1"]


def test_beyond_the_bound_the_oldest_events_are_dropped_counted_and_said_once(
    outage: Outage, capfd: pytest.CaptureFixture[str]
) -> None:
    log = EventLog(outage.engine, channel="web", keep=5)
    outage.stop()
    _record(log, 4)
    log.flush()
    _record(log, 4, first=4)
    log.flush()
    _record(log, 2, first=8)
    log.flush()
    assert len(log.unwritten) == 5 and log.dropped == 5
    said = [line for line in capfd.readouterr().err.splitlines() if "the oldest are dropped" in line]
    assert len(said) == 1, said

    outage.start()
    log.flush()  # no new event: the kept ones are tried again
    assert [run for run, _at in _written(outage.engine)] == [f"run-{n}" for n in range(5, 10)]
    assert log.close() == 5  # the dropped ones, said at exit as before
