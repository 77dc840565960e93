"""A booked shopper arrives and types their resume code (at the counter or at a kiosk): the appointment of their
advice session today is checked in; a code without one opens the session only; a wrong code is refused as before."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from advisor.appointments import booking
from advisor.handoff.codes import InvalidCode, shown
from advisor.handoff.requests import HandoffError
from advisor.handoff.sessions import create_session
from advisor.session.arrival import CheckedIn, check_in_by_code
from tests.helpers.appointments import add_consultants, store_config

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=BERLIN)  # a Tuesday, when the appointment is booked
AT_11 = datetime(2026, 12, 5, 11, 0, tzinfo=BERLIN)  # Saturday 11:00
SATURDAY_MORNING = datetime(2026, 12, 5, 10, 50, tzinfo=BERLIN)  # the shopper is there ten minutes early
CONFIG = store_config()


@pytest.fixture
def store(engine: Engine) -> Engine:
    add_consultants(engine, ["anna"])
    return engine


def _booked(engine: Engine) -> tuple[str, str, booking.Booking]:
    """A session with a tent appointment on Saturday at 11:00: (its id, its code, the booking)."""
    stored = create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW)
    booked = booking.book(
        engine, config=CONFIG, category_id="tents", starts_at=AT_11, name="Kim", contact="kim@example.com",
        locale="de", channel="web", session_id=stored.id, now=NOW,
    )  # fmt: skip
    return stored.id, stored.resume_code, booked


def test_the_right_code_on_the_day_checks_the_appointment_in(store: Engine) -> None:
    session_id, code, booked = _booked(store)
    arrival = check_in_by_code(store, config=CONFIG, code=code.lower(), client="kiosk:test", now=SATURDAY_MORNING)
    assert arrival.checked_in == CheckedIn(booked.appointment_id, AT_11, "anna")
    assert arrival.checked_in is not None and arrival.checked_in.starts_at.tzinfo == BERLIN, "on the store's clock"
    assert (arrival.appointment_id, arrival.session_id, arrival.code, arrival.questionnaire_id) == (
        booked.appointment_id, session_id, shown(code), "tent-finder",
    )  # fmt: skip
    found = booking.details(store, appointment_id=booked.appointment_id)
    assert found is not None and found.state == "checked_in"
    again = check_in_by_code(store, config=CONFIG, code=code, client="console:test", now=SATURDAY_MORNING)
    assert again.checked_in is None and again.session_id == session_id, "checked in once; the code still opens"


def test_a_code_without_an_appointment_today_opens_the_session_only(store: Engine) -> None:
    session_id, code, booked = _booked(store)
    other = create_session(store, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW)
    arrival = check_in_by_code(store, config=CONFIG, code=other.resume_code, client="kiosk:test", now=SATURDAY_MORNING)
    assert arrival.checked_in is None and arrival.appointment_id is None
    assert arrival.session_id == other.id
    early = check_in_by_code(store, config=CONFIG, code=code, client="kiosk:test", now=NOW)
    assert early.checked_in is None and early.session_id == session_id, "the appointment is on Saturday, not today"
    found = booking.details(store, appointment_id=booked.appointment_id)
    assert found is not None and found.state == "booked"


def test_a_wrong_code_is_refused_as_before(store: Engine) -> None:
    _session_id, code, booked = _booked(store)
    unknown = "ZZZZZZZZ" if code != "ZZZZZZZZ" else "YYYYYYYY"
    with pytest.raises(HandoffError):
        check_in_by_code(store, config=CONFIG, code=unknown, client="kiosk:test", now=SATURDAY_MORNING)
    with pytest.raises(InvalidCode):
        check_in_by_code(store, config=CONFIG, code="ABC", client="kiosk:test", now=SATURDAY_MORNING)
    found = booking.details(store, appointment_id=booked.appointment_id)
    assert found is not None and found.state == "booked"


def test_a_consultant_off_that_day_is_not_named_to_the_arriving_shopper(store: Engine) -> None:
    """Anna fell ill and nobody could take her Saturday: the shopper is told the team knows, not that Anna comes."""
    from advisor.appointments import staff

    _session_id, code, booked = _booked(store)
    staff.set_exception(store, staff_name="anna", day=AT_11.date(), span=None)
    arrival = check_in_by_code(store, config=CONFIG, code=code, client="kiosk:test", now=SATURDAY_MORNING)
    assert arrival.checked_in is not None and arrival.checked_in.staff_name == "anna"
    assert not arrival.checked_in.staff_here


def test_a_shift_says_when_its_person_works() -> None:
    from advisor.appointments.staff import Schedule

    schedule = Schedule("anna", shifts={5: (9 * 60 + 30, 18 * 60)}, exceptions={AT_11.date().replace(day=12): None})
    assert schedule.working(AT_11, BERLIN) and not schedule.working(AT_11.replace(hour=18), BERLIN)
    assert not schedule.working(AT_11.replace(hour=9, minute=29), BERLIN)
    assert not schedule.working(AT_11.replace(day=12), BERLIN), "a day off"
    assert not schedule.working(AT_11.replace(day=6), BERLIN), "no shift on Sundays"
