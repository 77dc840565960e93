"""Taking back a check-in made by mistake (staff tapped the wrong customer's line): today's appointment is booked
again exactly as before, unless it was served or taken up since; of two consoles taking it back, one does."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.appointments import agenda, booking
from advisor.appointments.tables import APPOINTMENT, APPOINTMENT_HOLD, APPOINTMENT_TOKEN
from advisor.handoff.sessions import create_session
from tests.helpers.appointments import add_consultants, add_stock, store_config

BERLIN = ZoneInfo("Europe/Berlin")
BOOKED_AT = datetime(2026, 12, 4, 8, 0, tzinfo=BERLIN)  # the Friday before, in the morning
AT_11 = datetime(2026, 12, 5, 11, 0, tzinfo=BERLIN)  # Saturday 11:00
TAPPED = AT_11 - timedelta(minutes=20)  # the wrong line tapped at 10:40
CONFIG = store_config()


@pytest.fixture
def store(engine: Engine) -> Engine:
    add_consultants(engine, ["anna"])
    add_stock(engine, {"T-1": 1, "T-2": 2})
    return engine


def _kims(store: Engine) -> str:
    """Kim Keller's appointment on Saturday at 11:00, booked with her advice, two tents held and a reminder."""
    session_id = create_session(store, questionnaire_id="tent-finder", answers={}, locale="de", now=BOOKED_AT).id
    booked = booking.book(store, config=CONFIG, category_id="tents", starts_at=AT_11, name="Kim Keller",
                          contact="kim@example.com", locale="de", channel="web", session_id=session_id,
                          products=["T-1", "T-2"], remind=True, now=BOOKED_AT)  # fmt: skip
    return booked.appointment_id


def _state(store: Engine, appointment_id: str) -> dict[str, Any]:
    """Everything stored of the appointment (its row but the time of its last change, its holds and its links)."""
    with store.connect() as connection:
        row = connection.execute(sa.select(APPOINTMENT).where(APPOINTMENT.c.id == appointment_id)).mappings().one()
        holds = connection.execute(
            sa.select(APPOINTMENT_HOLD)
            .where(APPOINTMENT_HOLD.c.appointment_id == appointment_id)
            .order_by(APPOINTMENT_HOLD.c.sku)
        ).all()
        tokens = connection.execute(
            sa.select(APPOINTMENT_TOKEN)
            .where(APPOINTMENT_TOKEN.c.appointment_id == appointment_id)
            .order_by(APPOINTMENT_TOKEN.c.purpose)
        ).all()
    return {key: value for key, value in row.items() if key != "updated_at"} | {"holds": holds, "tokens": tokens}


def test_an_undone_check_in_leaves_the_appointment_as_it_was_before(store: Engine) -> None:
    appointment_id = _kims(store)
    # the reminder the day before went out (as it would have by Saturday morning)
    with store.begin() as connection:
        connection.execute(APPOINTMENT.update().where(APPOINTMENT.c.id == appointment_id).values(
            reminder_due_at=None, reminded_at=AT_11 - timedelta(days=1)))  # fmt: skip
    before = _state(store, appointment_id)
    assert before["state"] == "booked" and before["checked_in_at"] is None and len(before["holds"]) == 2

    assert booking.check_in(store, appointment_id=appointment_id, now=TAPPED)
    assert _state(store, appointment_id) != before
    assert booking.undo_check_in(store, config=CONFIG, appointment_id=appointment_id,
                                 now=TAPPED + timedelta(minutes=1)) == "undone"  # fmt: skip

    assert _state(store, appointment_id) == before
    listed = agenda.entry(store, appointment_id=appointment_id, zone=BERLIN, locale="de")
    assert listed is not None and listed.state == "booked" and listed.checked_in_at is None
    # booked again: its shopper's code checks it in as before, and the no-show after the grace time marks it
    session_id = before["session_id"]
    assert booking.check_in_session(store, config=CONFIG, session_id=session_id, now=AT_11) == appointment_id
    assert booking.undo_check_in(store, config=CONFIG, appointment_id=appointment_id, now=AT_11) == "undone"
    late = AT_11 + timedelta(minutes=CONFIG.appointments.no_show_grace_minutes + 1)
    assert booking.mark_no_show(store, config=CONFIG, appointment_id=appointment_id, now=late)


def test_a_check_in_taken_back_twice_is_taken_back_once(store: Engine) -> None:
    """Two consoles take the same check-in back: one does, the other is told it is no longer checked in."""
    appointment_id = _kims(store)
    assert booking.check_in(store, appointment_id=appointment_id, now=TAPPED)
    assert booking.undo_check_in(store, config=CONFIG, appointment_id=appointment_id, now=TAPPED) == "undone"
    assert booking.undo_check_in(store, config=CONFIG, appointment_id=appointment_id, now=TAPPED) == "not_checked_in"
    assert booking.details(store, appointment_id=appointment_id).state == "booked"  # type: ignore[union-attr]
    never = _kims_other(store)
    assert booking.undo_check_in(store, config=CONFIG, appointment_id=never, now=TAPPED) == "not_checked_in"
    assert booking.undo_check_in(store, config=CONFIG, appointment_id="no-such-id", now=TAPPED) == "not_checked_in"


def _kims_other(store: Engine) -> str:
    booked = booking.book(store, config=CONFIG, category_id="tents", starts_at=AT_11 + timedelta(hours=1),
                          name="Lou", contact="0171 555 0101", locale="de", channel="console",
                          now=BOOKED_AT)  # fmt: skip
    return booked.appointment_id


def test_a_served_appointment_keeps_its_check_in(store: Engine) -> None:
    appointment_id = _kims(store)
    assert booking.check_in(store, appointment_id=appointment_id, now=TAPPED)
    with store.begin() as connection:  # served: done
        connection.execute(APPOINTMENT.update().where(APPOINTMENT.c.id == appointment_id).values(state="done"))
    assert booking.undo_check_in(store, config=CONFIG, appointment_id=appointment_id, now=AT_11) == "served"
    assert booking.details(store, appointment_id=appointment_id).state == "done"  # type: ignore[union-attr]


def test_a_check_in_taken_up_by_staff_or_of_an_earlier_day_is_kept(store: Engine) -> None:
    appointment_id = _kims(store)
    assert booking.check_in(store, appointment_id=appointment_id, now=TAPPED)
    agenda.set_notes(store, appointment_id=appointment_id, notes="Will das große Familienzelt sehen")
    assert booking.undo_check_in(store, config=CONFIG, appointment_id=appointment_id, now=AT_11) == "taken_up"
    found = agenda.entry(store, appointment_id=appointment_id, zone=BERLIN, locale="de")
    assert found is not None and found.state == "checked_in" and found.checked_in_at == TAPPED

    other = _kims_other(store)
    assert booking.check_in(store, appointment_id=other, now=AT_11 + timedelta(minutes=30))
    monday = AT_11 + timedelta(days=2)
    assert booking.undo_check_in(store, config=CONFIG, appointment_id=other, now=monday) == "not_today"
    assert booking.details(store, appointment_id=other).state == "checked_in"  # type: ignore[union-attr]
