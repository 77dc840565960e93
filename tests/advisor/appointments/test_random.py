"""100 random bookings, moves and cancellations by three consultants' shoppers: a consultant's appointments (with
their buffers) never overlap and holds never exceed the stock, on SQLite and PostgreSQL; on PostgreSQL the
database itself refuses an overlapping appointment."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from advisor.appointments import booking
from advisor.appointments.booking import BookingError, SlotTaken
from advisor.appointments.staff import ACTIVE
from advisor.appointments.tables import APPOINTMENT, APPOINTMENT_HOLD
from tests.helpers.appointments import add_consultants, add_stock, store_config

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=BERLIN)
STOCK = {"T-1": 1, "T-2": 2, "T-3": 3, "T-4": 1}
CONFIG = store_config(step_minutes=5)  # a fine grid: many requested times overlap booked ones


def _check(engine: Engine) -> None:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(APPOINTMENT.c.staff_name, APPOINTMENT.c.starts_at, APPOINTMENT.c.busy_until)
            .where(APPOINTMENT.c.state.in_(ACTIVE))
            .order_by(APPOINTMENT.c.staff_name, APPOINTMENT.c.starts_at)
        ).all()
        held = dict(
            connection.execute(
                sa.select(APPOINTMENT_HOLD.c.sku, sa.func.count())
                .where(APPOINTMENT_HOLD.c.released_at.is_(None), APPOINTMENT_HOLD.c.held_until > NOW)
                .group_by(APPOINTMENT_HOLD.c.sku)
            ).all()
        )
    for earlier, later in pairwise(rows):
        if earlier.staff_name == later.staff_name:
            assert earlier.busy_until <= later.starts_at, f"{earlier} overlaps {later}"
    assert all(count <= STOCK[sku] for sku, count in held.items()), held


@pytest.mark.parametrize("seed", [1, 2])
def test_random_bookings_never_overlap_or_exceed_stock(engine: Engine, seed: int) -> None:
    add_consultants(engine, ["anna", "ben", "cleo"], span=(10 * 60, 13 * 60))
    add_stock(engine, STOCK)
    chance = random.Random(seed)
    days = [datetime(2026, 12, day, tzinfo=BERLIN) for day in (2, 3)]
    live: list[booking.Booking] = []
    outcomes = {"booked": 0, "taken": 0, "cancelled": 0, "moved": 0}
    for _ in range(100):
        start = chance.choice(days) + timedelta(minutes=chance.randrange(9 * 60 + 30, 13 * 60, 5))
        products = chance.sample(sorted(STOCK), chance.randint(0, 3))
        action = chance.random()
        try:
            if action < 0.6 or not live:
                staff = chance.choice([None, "anna", "ben", "cleo"])
                live.append(
                    booking.book(
                        engine, config=CONFIG, category_id="tents", starts_at=start, name="x", contact="x@example.com",
                        locale="en", channel="web", products=products, staff_name=staff, now=NOW,
                    )
                )  # fmt: skip
                outcomes["booked"] += 1
            elif action < 0.8:
                gone = live.pop(chance.randrange(len(live)))
                assert booking.cancel_by_link(engine, token=gone.links["cancel"], locale="en", now=NOW)
                outcomes["cancelled"] += 1
            else:
                index = chance.randrange(len(live))
                live[index] = booking.reschedule_by_link(
                    engine, config=CONFIG, token=live[index].links["reschedule"], starts_at=start, locale="en", now=NOW
                )
                outcomes["moved"] += 1
        except SlotTaken:
            outcomes["taken"] += 1
        except BookingError as error:
            pytest.fail(f"unexpected: {error}")
        _check(engine)
    assert outcomes["booked"] > 10 and outcomes["taken"] > 10 and outcomes["cancelled"] > 3, outcomes


@pytest.mark.postgres
def test_postgresql_refuses_an_overlapping_appointment_whoever_writes_it(postgres_url: str) -> None:
    from advisor.db import make_engine, upgrade

    engine = make_engine(postgres_url)
    upgrade(engine)
    add_consultants(engine, ["anna"])
    booked = booking.book(
        engine, config=CONFIG, category_id="tents", starts_at=datetime(2026, 12, 2, 11, 0, tzinfo=BERLIN), name="x",
        contact="0171 555 0101", locale="de", channel="console", now=NOW,
    )  # fmt: skip
    with engine.connect() as connection:
        row = connection.execute(sa.select(APPOINTMENT).where(APPOINTMENT.c.id == booked.appointment_id)).one()
    later = timedelta(minutes=25)
    overlapping = row._asdict() | {
        "id": "other", "starts_at": row.starts_at + later, "ends_at": row.ends_at + later,
        "busy_until": row.busy_until + later,
    }  # fmt: skip
    with pytest.raises(IntegrityError, match="appointment_no_overlap"), engine.begin() as connection:
        connection.execute(APPOINTMENT.insert().values(**overlapping))
    after_buffer = overlapping | {"starts_at": row.busy_until, "ends_at": row.busy_until + timedelta(minutes=20),
                                  "busy_until": row.busy_until + timedelta(minutes=30)}  # fmt: skip
    with engine.begin() as connection:
        connection.execute(APPOINTMENT.insert().values(**after_buffer))
    engine.dispose()
