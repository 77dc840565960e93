"""A booked shopper arrives and types their resume code (at the counter or at a kiosk): the appointment of their
advice session today is checked in; a code without one opens the session only; a wrong code is refused as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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
    assert arrival.checked_in == CheckedIn(booked.appointment_id, AT_11, "anna", checked_in_at=SATURDAY_MORNING)
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


def test_a_shopper_too_late_for_their_consultant_hears_that_the_team_comes_and_staff_that_they_are_late(
    store: Engine,
) -> None:
    """Kim booked 11:00 (20 minutes); Anna has Lena at 11:30. Five minutes late, Anna still comes; 28 minutes late,
    Anna is with Lena: Kim is checked in all the same, and told the team comes, not Anna."""
    _session_id, code, booked = _booked(store)
    lena = create_session(store, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW)
    booking.book(store, config=CONFIG, category_id="tents", starts_at=AT_11.replace(minute=30), name="Lena",
                 contact="lena@example.com", locale="de", channel="web", session_id=lena.id, now=NOW)  # fmt: skip
    late = check_in_by_code(store, config=CONFIG, code=code, client="kiosk:test", now=AT_11.replace(minute=28))
    assert late.checked_in is not None and late.checked_in.appointment_id == booked.appointment_id
    assert late.checked_in.late and not late.checked_in.staff_here, "the team is told, not Anna named"
    again = check_in_by_code(store, config=CONFIG, code=code, client="console:test", now=AT_11.replace(minute=35))
    assert again.why is not None and again.why.reason == "checked_in" and again.why.late, "said again as late"


def test_lateness_is_measured_by_the_appointments_length_and_the_consultants_next_one() -> None:
    from datetime import timedelta

    from advisor.session.arrival import arrived_late, minutes_late

    ends = AT_11 + timedelta(minutes=20)
    at = {minutes: AT_11 + timedelta(minutes=minutes) for minutes in (-5, 5, 10, 11, 28)}
    assert not arrived_late(starts_at=AT_11, ends_at=ends, arrived_at=at[-5], next_starts=None), "early"
    assert not arrived_late(starts_at=AT_11, ends_at=ends, arrived_at=at[5], next_starts=None), "a little late"
    assert not arrived_late(starts_at=AT_11, ends_at=ends, arrived_at=at[10], next_starts=None), "half left"
    assert arrived_late(starts_at=AT_11, ends_at=ends, arrived_at=at[11], next_starts=None), "most of it over"
    hour = AT_11 + timedelta(minutes=60)
    assert not arrived_late(starts_at=AT_11, ends_at=hour, arrived_at=at[28], next_starts=None), "a long one: half left"
    next_one = AT_11 + timedelta(minutes=25)  # (handed over by hand onto a time the hour's buffer would keep free)
    assert arrived_late(starts_at=AT_11, ends_at=hour, arrived_at=at[28], next_starts=next_one), "the next has begun"
    assert minutes_late(AT_11, at[28]) == 28 and minutes_late(AT_11, at[-5]) == 0


def test_a_shift_says_when_its_person_works() -> None:
    from advisor.appointments.staff import Schedule

    schedule = Schedule("anna", shifts={5: (9 * 60 + 30, 18 * 60)}, exceptions={AT_11.date().replace(day=12): None})
    assert schedule.working(AT_11, BERLIN) and not schedule.working(AT_11.replace(hour=18), BERLIN)
    assert not schedule.working(AT_11.replace(hour=9, minute=29), BERLIN)
    assert not schedule.working(AT_11.replace(day=12), BERLIN), "a day off"
    assert not schedule.working(AT_11.replace(day=6), BERLIN), "no shift on Sundays"


# Why a typed code checked nobody in: one answer from the database, for the console and the kiosk alike.


def test_a_code_typed_again_says_since_when_the_shopper_is_checked_in(store: Engine) -> None:
    from advisor.session.arrival import NotCheckedIn

    session_id, code, booked = _booked(store)
    first = check_in_by_code(store, config=CONFIG, code=code, client="kiosk:test", now=SATURDAY_MORNING)
    assert first.checked_in is not None and first.why is None, "checked in: nothing to explain"
    again = check_in_by_code(store, config=CONFIG, code=code, client="console:test",
                             now=SATURDAY_MORNING.replace(minute=58))  # fmt: skip
    assert again.checked_in is None and again.session_id == session_id
    assert again.why == NotCheckedIn("checked_in", booked.appointment_id, "Kim", AT_11, "anna",
                                     since=SATURDAY_MORNING)  # fmt: skip
    assert again.why.since is not None and again.why.since.tzinfo == BERLIN, "on the store's clock"


def test_a_shopper_too_early_today_is_told_from_when_check_in_opens(store: Engine) -> None:
    _session_id, code, booked = _booked(store)
    early = check_in_by_code(store, config=CONFIG, code=code, client="kiosk:test", now=AT_11.replace(hour=9, minute=30))
    assert early.checked_in is None and early.why is not None
    assert (early.why.reason, early.why.appointment_id, early.why.name) == ("not_due", booked.appointment_id, "Kim")
    assert early.why.starts_at == AT_11 and early.why.opens == AT_11.replace(hour=10)
    found = booking.details(store, appointment_id=booked.appointment_id)
    assert found is not None and found.state == "booked"


def test_a_booking_on_a_later_day_is_named_with_its_day(store: Engine) -> None:
    _session_id, code, booked = _booked(store)
    arrival = check_in_by_code(store, config=CONFIG, code=code, client="kiosk:test", now=NOW)
    assert arrival.why is not None and arrival.why.reason == "later_day"
    assert arrival.why.appointment_id == booked.appointment_id and arrival.why.starts_at == AT_11
    assert arrival.why.opens is None and arrival.why.since is None


def test_a_no_show_is_named_unless_the_shopper_booked_again_for_a_later_day(store: Engine) -> None:
    session_id, code, booked = _booked(store)
    after = AT_11.replace(hour=12)
    assert booking.mark_no_show(store, config=CONFIG, appointment_id=booked.appointment_id, now=after)
    missed = check_in_by_code(store, config=CONFIG, code=code, client="kiosk:test", now=after)
    assert missed.why is not None and (missed.why.reason, missed.why.starts_at) == ("no_show", AT_11)
    monday = datetime(2026, 12, 7, 10, 0, tzinfo=BERLIN)
    again = booking.book(store, config=CONFIG, category_id="tents", starts_at=monday, name="Kim",
                         contact="kim@example.com", locale="de", channel="web", session_id=session_id,
                         now=after)  # fmt: skip
    rebooked = check_in_by_code(store, config=CONFIG, code=code, client="kiosk:test", now=after)
    assert rebooked.why is not None and rebooked.why.reason == "later_day"
    assert (rebooked.why.appointment_id, rebooked.why.starts_at) == (again.appointment_id, monday)


def test_of_two_appointments_today_the_one_nearest_to_now_is_meant(store: Engine) -> None:
    session_id, code, booked = _booked(store)
    check_in_by_code(store, config=CONFIG, code=code, client="kiosk:test", now=SATURDAY_MORNING)
    at_17 = AT_11.replace(hour=17)
    later = booking.book(store, config=CONFIG, category_id="tents", starts_at=at_17, name="Kim",
                         contact="kim@example.com", locale="de", channel="web", session_id=session_id,
                         now=AT_11)  # fmt: skip
    during = check_in_by_code(store, config=CONFIG, code=code, client="kiosk:test", now=AT_11.replace(minute=30))
    assert during.why is not None and (during.why.reason, during.why.appointment_id) == (
        "checked_in", booked.appointment_id)  # fmt: skip
    afternoon = check_in_by_code(store, config=CONFIG, code=code, client="kiosk:test", now=AT_11.replace(hour=15))
    assert afternoon.why is not None and (afternoon.why.reason, afternoon.why.appointment_id) == (
        "not_due", later.appointment_id)  # fmt: skip
    assert afternoon.why.opens == at_17.replace(hour=16)


def test_a_code_without_any_appointment_says_there_is_none(store: Engine) -> None:
    from advisor.session.arrival import NOBODY

    _booked(store)
    other = create_session(store, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW)
    arrival = check_in_by_code(store, config=CONFIG, code=other.resume_code, client="kiosk:test", now=AT_11)
    assert arrival.why == NOBODY and arrival.why.reason == "none"


def test_starting_over_keeps_the_code_of_an_appointment_ahead_and_ends_one_without(store: Engine) -> None:
    from advisor.handoff.sessions import open_by_code
    from advisor.session import store as stored_sessions

    session_id, code, booked = _booked(store)
    SOON = (NOW + timedelta(minutes=1)).astimezone(UTC)  # (the server's clock: UTC, as stored)
    stored_sessions.end(
        store, session_id, now=NOW.astimezone(UTC)
    )  # "Start over" on the phone, days before the appointment
    arrival = check_in_by_code(store, config=CONFIG, code=code, client="kiosk:test", now=SATURDAY_MORNING)
    assert arrival.checked_in is not None and arrival.checked_in.appointment_id == booked.appointment_id
    assert open_by_code(store, code, client="web:test", now=SOON).id == session_id, "the code still opens the advice"
    after = booked.starts_at.astimezone(UTC) + timedelta(hours=1)  # the appointment is over: so is the advice
    with pytest.raises(HandoffError):
        open_by_code(store, code, client="web:test", now=after)
    other = create_session(store, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW)
    stored_sessions.end(store, other.id, now=NOW.astimezone(UTC))
    with pytest.raises(HandoffError):
        open_by_code(store, other.resume_code, client="web:test", now=SOON)
    cancelled = create_session(store, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW)
    later = booking.book(
        store, config=CONFIG, category_id="tents", starts_at=AT_11.replace(hour=15), name="Jo",
        contact="jo@example.com", locale="de", channel="web", session_id=cancelled.id, now=NOW,
    )  # fmt: skip
    assert booking.cancel(store, appointment_id=later.appointment_id, now=NOW)
    stored_sessions.end(store, cancelled.id, now=NOW.astimezone(UTC))  # a cancelled appointment keeps nothing
    with pytest.raises(HandoffError):
        open_by_code(store, cancelled.resume_code, client="web:test", now=SOON)
