"""Real separate processes: 20 shoppers book the same consultant's slot at the same moment; exactly one gets it,
the others are told it was taken, with the next free slots, on the SQLite file and on the real PostgreSQL server."""

from __future__ import annotations

import multiprocessing
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from advisor.appointments import booking
from advisor.appointments.tables import APPOINTMENT
from advisor.db import make_engine, upgrade
from tests.helpers.appointments import add_consultants, store_config

SHOPPERS = 20
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=BERLIN)
SLOT = datetime(2026, 12, 5, 11, 0, tzinfo=BERLIN)


def shopper(url: str, number: int, start: multiprocessing.synchronize.Barrier, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    engine = make_engine(url)
    config = store_config()
    with engine.connect():  # connected before the start, so all book at once
        pass
    start.wait(timeout=600)  # spawning 20 interpreters on a busy machine takes a while
    try:
        booked = booking.book(
            engine, config=config, category_id="tents", starts_at=SLOT, name=f"shopper {number}",
            contact=f"s{number}@example.com", locale="de", channel="web", staff_name="anna", now=NOW,
        )  # fmt: skip
    except booking.SlotTaken as taken:
        results.put(("taken", [slot.starts_at.isoformat() for slot in taken.next_slots]))
    else:
        results.put(("booked", booked.appointment_id))


def _race(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    add_consultants(engine, ["anna"])
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(SHOPPERS)
    results: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    processes = [context.Process(target=shopper, args=(url, n, start, results)) for n in range(SHOPPERS)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=900) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    booked = [value for outcome, value in outcomes if outcome == "booked"]
    taken = [value for outcome, value in outcomes if outcome == "taken"]
    assert len(booked) == 1, "exactly one shopper gets the slot"
    assert len(taken) == SHOPPERS - 1
    expected = ["2026-12-05T11:30:00+01:00", "2026-12-05T11:45:00+01:00", "2026-12-05T12:00:00+01:00"]
    assert all(next_slots == expected for next_slots in taken)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(APPOINTMENT.c.id, APPOINTMENT.c.state)).all()
    assert [tuple(row) for row in rows] == [(booked[0], "booked")]


@pytest.mark.slow
def test_one_of_20_processes_books_the_slot_on_sqlite(tmp_path: Path) -> None:
    _race(f"sqlite:///{tmp_path / 'race.sqlite3'}")


@pytest.mark.slow
@pytest.mark.postgres
def test_one_of_20_processes_books_the_slot_on_postgresql(postgres_url: str) -> None:
    _race(postgres_url)
