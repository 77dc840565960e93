"""PostgreSQL LISTEN/NOTIFY wake-ups, and reconnection after a server restart (nothing is lost)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time

import pytest
from sqlalchemy.engine import make_url

from advisor.db import make_engine, upgrade
from advisor.handoff import requests, sessions
from advisor.handoff.notify import libpq_url, listen

pytestmark = pytest.mark.postgres


def _request(url: str) -> int:
    engine = make_engine(url)
    stored = sessions.create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de", consent=True)
    request_id = requests.request_handoff(engine, session_id=stored.id, kind="chat")
    engine.dispose()
    return request_id


async def _wait_for(wakes: list[float], count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len(wakes) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"only {len(wakes)} wake-ups, expected {count}")
        await asyncio.sleep(0.01)


def test_a_request_wakes_the_listener_within_a_fraction_of_a_second(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    upgrade(engine)

    async def scenario() -> float:
        wakes: list[float] = []
        stop = asyncio.Event()
        task = asyncio.create_task(listen(libpq_url(engine), lambda: wakes.append(time.monotonic()), stop=stop))
        await _wait_for(wakes, 1, 10)  # the wake-up after connecting
        start = time.monotonic()
        await asyncio.to_thread(_request, postgres_url)
        await _wait_for(wakes, 2, 5)
        stop.set()
        await task
        return wakes[1] - start

    assert asyncio.run(scenario()) < 1.0
    engine.dispose()


def test_a_listener_stopped_from_its_own_wake_up_returns(postgres_url: str) -> None:
    """Setting `stop` inside `on_wake` (a notification arrived) used to leave the listener waiting forever."""
    engine = make_engine(postgres_url)
    upgrade(engine)

    async def scenario() -> int:
        stop = asyncio.Event()
        wakes: list[float] = []

        def woke() -> None:
            wakes.append(time.monotonic())
            if len(wakes) == 2:  # the connect, then the request's notification
                stop.set()

        task = asyncio.create_task(listen(libpq_url(engine), woke, stop=stop))
        await _wait_for(wakes, 1, 10)
        await asyncio.to_thread(_request, postgres_url)
        await asyncio.wait_for(task, timeout=10)
        return len(wakes)

    assert asyncio.run(scenario()) == 2
    engine.dispose()


@pytest.mark.slow
def test_listener_reconnects_after_the_server_restarts(postgres_url: str) -> None:
    if not (os.geteuid() == 0 and shutil.which("pg_ctlcluster")):
        if os.environ.get("CI"):
            pytest.fail("CI must be able to restart the local PostgreSQL server (root, pg_ctlcluster)")
        pytest.skip("restarting PostgreSQL needs root and pg_ctlcluster")
    clusters = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True)
    port = str(make_url(postgres_url).port or 5432)  # (the server the tests use, not another cluster listed first)
    version, name = next(line.split()[:2] for line in clusters.stdout.splitlines() if line.split()[2] == port)
    engine = make_engine(postgres_url)
    upgrade(engine)
    before = _request(postgres_url)

    async def scenario() -> list[float]:
        wakes: list[float] = []
        stop = asyncio.Event()
        task = asyncio.create_task(listen(libpq_url(engine), lambda: wakes.append(time.monotonic()), stop=stop))
        await _wait_for(wakes, 1, 10)
        await asyncio.to_thread(subprocess.run, ["pg_ctlcluster", version, name, "restart"], check=True)
        await _wait_for(wakes, 2, 30)  # reconnected: told to re-read the tables
        await asyncio.to_thread(_request, postgres_url)
        await _wait_for(wakes, 3, 10)
        stop.set()
        await task
        return wakes

    asyncio.run(scenario())
    engine.dispose()
    states = [entry.request_id for entry in requests.queue(make_engine(postgres_url))]
    assert before in states, "the request from before the restart is still there"
    assert len(states) == 2


def test_a_session_write_notifies_in_its_one_statement_and_a_lost_race_does_not(postgres_url: str) -> None:
    """A session's conditional write and its NOTIFY are one statement: the listeners hear the session's id when
    the row changed, and nothing when the write lost the race (another device wrote first)."""
    import psycopg

    from advisor.handoff.notify import CHANNEL
    from advisor.questionnaire.library import load_library
    from advisor.session import store
    from advisor.session.service import AdviceSession

    engine = make_engine(postgres_url)
    upgrade(engine)
    session = AdviceSession.start(load_library().questionnaires["tent-finder"], index=None)
    record = store.create(engine, session, store_id="muc-01")
    with psycopg.connect(libpq_url(engine), autocommit=True) as listener:
        listener.execute(f"LISTEN {CHANNEL}")
        assert store.write(engine, record.id, session.snapshot(), record.version)
        heard = [note.payload for note in listener.notifies(timeout=5, stop_after=1)]
        assert heard == [record.id]
        assert not store.write(engine, record.id, session.snapshot(), record.version)  # the version moved on
        assert [note.payload for note in listener.notifies(timeout=0.5)] == []
    engine.dispose()
