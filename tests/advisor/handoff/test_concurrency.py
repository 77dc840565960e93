"""Real separate processes: 8 kiosks file 100 requests each while 4 staff consoles claim at once.

No request may be lost and none claimed twice, on the SQLite file and on the real PostgreSQL server.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter

import pytest
import sqlalchemy as sa

from advisor.db import make_engine, upgrade
from advisor.handoff import requests, sessions
from advisor.insights.events import record_claim

KIOSKS, REQUESTS, STAFF = 8, 100, 4


def kiosk(url: str, number: int, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    engine = make_engine(url)
    made = []
    for _ in range(REQUESTS):
        stored = sessions.create_session(
            engine, questionnaire_id="tent-finder", answers={}, locale="de", kiosk_id=f"kiosk-{number}", consent=True
        )
        made.append(requests.request_handoff(engine, session_id=stored.id, kind="chat"))
    results.put(("kiosk", made))


def staff(url: str, name: str, total: int, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    engine = make_engine(url)
    claimed: list[int] = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            done = connection.execute(
                sa.select(sa.func.count()).select_from(requests.REQUEST).where(requests.REQUEST.c.state != "requested")
            ).scalar()
        if done == total:
            break
        for entry in requests.queue(engine)[:5]:
            if requests.claim(engine, entry.request_id, staff=name, in_transaction=record_claim):
                claimed.append(entry.request_id)
    results.put((name, claimed))


def _race(url: str) -> None:
    upgrade(make_engine(url))
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    total = KIOSKS * REQUESTS
    processes = [context.Process(target=kiosk, args=(url, n, results)) for n in range(KIOSKS)]
    processes += [context.Process(target=staff, args=(url, f"staff-{n}", total, results)) for n in range(STAFF)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    filed = [request for role, ids in outcomes if role == "kiosk" for request in ids]
    by_staff = {role: ids for role, ids in outcomes if role != "kiosk"}
    claimed = [request for ids in by_staff.values() for request in ids]
    assert len(filed) == len(set(filed)) == total
    counts = Counter(claimed)
    assert set(counts) == set(filed), "a request was lost"
    assert max(counts.values()) == 1, "a request was claimed twice"
    engine = make_engine(url)
    with engine.connect() as connection:
        states = Counter(connection.execute(sa.select(requests.REQUEST.c.state)).scalars())
        claimers = connection.execute(sa.select(requests.REQUEST.c.claimed_by)).scalars().all()
    assert states == {"claimed": total}
    assert Counter(claimers) == {name: len(ids) for name, ids in by_staff.items() if ids}


@pytest.mark.slow
def test_no_request_lost_or_claimed_twice_on_sqlite(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    _race(f"sqlite:///{tmp_path / 'race.sqlite3'}")


@pytest.mark.slow
@pytest.mark.postgres
def test_no_request_lost_or_claimed_twice_on_postgresql(postgres_url: str) -> None:
    _race(postgres_url)
