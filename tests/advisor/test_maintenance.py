"""The scheduled privacy work around appointments: an advice session with an appointment ahead outlives its
retention (its code still works) until the appointment ended; the shopper's name and contact are forgotten a
configured number of days after it, the anonymous rest after the insights' period."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.appointments import booking
from advisor.appointments.tables import APPOINTMENT, APPOINTMENT_HOLD, APPOINTMENT_TOKEN
from advisor.config import PrivacyConfig
from advisor.handoff.sessions import create_session, find_session, session_of
from advisor.maintenance import purge_all
from tests.helpers.appointments import add_consultants, add_stock, store_config

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=BERLIN)  # a Monday
IN_THREE_WEEKS = datetime(2026, 11, 23, 11, 0, tzinfo=BERLIN)  # beyond the session's 14 days
CONFIG = store_config().model_copy(
    update={"privacy": PrivacyConfig(session_retention_days=14, appointment_retention_days=7, event_retention_days=30)}
)


def _row(engine: Engine, appointment_id: str) -> sa.Row[tuple[object, ...]] | None:
    with engine.connect() as connection:
        return connection.execute(sa.select(APPOINTMENT).where(APPOINTMENT.c.id == appointment_id)).first()


def _count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_a_session_with_an_appointment_ahead_stays_until_it_ended(engine: Engine) -> None:
    add_consultants(engine, ["anna"])
    booked = create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de", consent=True, now=NOW)
    other = create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW)
    appointment = booking.book(
        engine, config=CONFIG, category_id="tents", starts_at=IN_THREE_WEEKS, name="Kim", contact="kim@example.com",
        locale="de", channel="web", session_id=booked.id, now=NOW,
    )  # fmt: skip
    after_retention = NOW + timedelta(days=15)

    purge_all(engine, CONFIG, now=after_retention)

    assert session_of(engine, other.id) is None, "a session without an appointment goes after its retention"
    assert session_of(engine, booked.id) is not None, "kept for the appointment ahead"
    assert find_session(engine, booked.resume_code, now=after_retention) is not None, "its code still checks in"
    during = IN_THREE_WEEKS + timedelta(minutes=10)
    purge_all(engine, CONFIG, now=during)
    assert session_of(engine, booked.id) is not None, "kept while the appointment is held"

    purge_all(engine, CONFIG, now=appointment.ends_at + timedelta(minutes=1))

    assert session_of(engine, booked.id) is None, "gone once the appointment ended"
    row = _row(engine, appointment.appointment_id)
    assert row is not None and row.session_id is None and row.name == "Kim", "the appointment is kept for now"


def test_a_cancelled_appointment_keeps_no_session(engine: Engine) -> None:
    add_consultants(engine, ["anna"])
    stored = create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW)
    appointment = booking.book(
        engine, config=CONFIG, category_id="tents", starts_at=IN_THREE_WEEKS, name="Kim", contact="kim@example.com",
        locale="de", channel="web", session_id=stored.id, now=NOW,
    )  # fmt: skip
    assert booking.cancel(engine, appointment_id=appointment.appointment_id, now=NOW)
    purge_all(engine, CONFIG, now=NOW + timedelta(days=15))
    assert session_of(engine, stored.id) is None


def test_names_and_contacts_are_forgotten_days_after_the_appointment_and_the_rest_after_the_insights_period(
    engine: Engine,
) -> None:
    add_consultants(engine, ["anna"])
    add_stock(engine, {"T-1": 2})
    kept = booking.book(
        engine, config=CONFIG, category_id="tents", starts_at=IN_THREE_WEEKS, name="Kim", contact="kim@example.com",
        locale="de", channel="web", products=["T-1"], now=NOW,
    )  # fmt: skip
    later = booking.book(
        engine, config=CONFIG, category_id="tents", starts_at=IN_THREE_WEEKS + timedelta(days=2), name="Lou",
        contact="0171 555 0101", locale="de", channel="console", now=NOW,
    )  # fmt: skip
    assert booking.check_in(engine, appointment_id=kept.appointment_id, now=IN_THREE_WEEKS)
    a_week_after = kept.ends_at + timedelta(days=7)

    purge_all(engine, CONFIG, now=a_week_after - timedelta(minutes=1))
    row = _row(engine, kept.appointment_id)
    assert row is not None and (row.name, row.contact) == ("Kim", "kim@example.com"), "not before the 7 days"

    purge_all(engine, CONFIG, now=a_week_after + timedelta(minutes=1))
    row = _row(engine, kept.appointment_id)
    assert row is not None
    assert (row.name, row.contact, row.notes, row.session_id) == ("", "", "", None)
    assert (row.state, row.category_id, row.channel) == ("checked_in", "tents", "web"), "what the insights count"
    assert _count(engine, APPOINTMENT_HOLD) == 0 and _count(engine, APPOINTMENT_TOKEN) == 2, "only the later links"
    untouched = _row(engine, later.appointment_id)
    assert untouched is not None and untouched.name == "Lou"

    purge_all(engine, CONFIG, now=kept.ends_at + timedelta(days=31))
    assert _row(engine, kept.appointment_id) is None, "the anonymous row after the insights' period"
    assert _row(engine, later.appointment_id) is not None
