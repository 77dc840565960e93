"""Booking on SQLite and PostgreSQL: a taken slot names the next free ones, holds stay within stock, links work once,
check-in, no-show and the reminder queue."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from advisor.appointments import agenda, booking, reminders
from advisor.appointments.booking import BookingError, SlotTaken
from advisor.appointments.tables import APPOINTMENT
from advisor.handoff.sessions import create_session
from tests.helpers.appointments import add_consultants, add_stock, store_config

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=BERLIN)  # a Tuesday
AT_11 = datetime(2026, 12, 5, 11, 0, tzinfo=BERLIN)  # Saturday 11:00
CONFIG = store_config()


def _book(engine: Engine, starts_at: datetime = AT_11, **extra: object) -> booking.Booking:
    values: dict[str, object] = {
        "config": CONFIG, "category_id": "tents", "starts_at": starts_at, "name": "Kim", "contact": "kim@example.com",
        "locale": "de", "channel": "web", "now": NOW,
    } | extra  # fmt: skip
    return booking.book(engine, **values)  # type: ignore[arg-type]


def _second_of(engine: Engine, session_id: str, starts_at: datetime) -> booking.Booking:
    """A second upcoming appointment of one advice: booked before an advice held at most one (`book` moves the one it
    has), as the tables may still hold it."""
    other = create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW).id
    booked = _book(engine, starts_at=starts_at, session_id=other)
    with engine.begin() as connection:
        connection.execute(APPOINTMENT.update().where(APPOINTMENT.c.id == booked.appointment_id).values(
            session_id=session_id))  # fmt: skip
    return booked


@pytest.fixture
def store(engine: Engine) -> Engine:
    add_consultants(engine, ["anna"])
    add_stock(engine, {"T-1": 1, "T-2": 2, "T-3": 5, "T-4": 5})
    return engine


def test_a_booking_holds_the_slot_and_a_second_is_told_the_next_free_ones(store: Engine) -> None:
    first = _book(store, products=["T-1", "T-2"])
    assert (first.staff_name, first.starts_at, first.held, first.not_held) == ("anna", AT_11, ("T-1", "T-2"), ())
    assert first.ends_at == AT_11 + timedelta(minutes=20)
    with pytest.raises(SlotTaken) as taken:
        _book(store, name="Lou")
    assert "jemand anderes" in str(taken.value)
    # 11:00-11:20 plus 10 minutes buffer: the next slot with room for 30 minutes is 11:30
    assert [slot.starts_at.strftime("%H:%M") for slot in taken.value.next_slots] == ["11:30", "11:45", "12:00"]
    assert _book(store, starts_at=AT_11 + timedelta(minutes=30)).staff_name == "anna"


def test_a_time_that_is_no_slot_is_refused_as_such_not_as_taken_by_someone(store: Engine) -> None:
    for never in (
        AT_11 + timedelta(minutes=7),  # not on the times' grid
        datetime(2026, 12, 6, 11, 0, tzinfo=BERLIN),  # Sunday: closed
        datetime(2026, 12, 5, 6, 0, tzinfo=BERLIN),  # before opening
        datetime(2027, 6, 5, 11, 0, tzinfo=BERLIN),  # beyond the booking horizon
        datetime(9999, 12, 31, 23, 59, tzinfo=UTC),  # the calendar's edge: no overflow
    ):
        with pytest.raises(SlotTaken) as refused:
            _book(store, starts_at=never)
        assert refused.value.reason == "not_offered", never
        assert str(refused.value).startswith("Zu dieser Zeit gibt es keine Termine"), never
        assert refused.value.next_slots and refused.value.next_slots[0].starts_at >= NOW, never
    with pytest.raises(SlotTaken) as sunday:
        _book(store, starts_at=datetime(2026, 12, 6, 11, 0, tzinfo=BERLIN))
    assert sunday.value.next_slots[0].starts_at.date().isoformat() == "2026-12-07", "the next times after that day"
    for gone in (NOW - timedelta(hours=1), datetime(1, 1, 2, tzinfo=UTC)):
        with pytest.raises(SlotTaken) as past:
            _book(store, starts_at=gone, locale="en")
        assert past.value.reason == "past" and str(past.value).startswith("This time has already passed"), gone
        assert past.value.next_slots[0].starts_at >= NOW, gone
    with pytest.raises(BookingError, match="keinen Termin"):
        _book(store, category_id="boots")
    for nobody in ("kim@example", "6", "call me maybe"):
        with pytest.raises(BookingError, match="so erreichen wir dich nicht") as refused:
            _book(store, contact=nobody)
        assert refused.value.reason == "bad_contact"
    with pytest.raises(BookingError, match="bis zu 3"):
        _book(store, products=["T-1", "T-2", "T-3", "T-4"])


def test_holds_never_exceed_stock_and_are_released_on_cancel(store: Engine) -> None:
    first = _book(store, products=["T-1"])
    second = _book(store, starts_at=AT_11 + timedelta(hours=1), products=["T-1", "T-2"])
    assert (second.held, second.not_held) == (("T-2",), ("T-1",))
    assert booking.held_count(store, sku="T-1", store_id="muc-01", now=NOW) == 1
    assert booking.cancel(store, appointment_id=first.appointment_id, now=NOW)
    assert booking.held_count(store, sku="T-1", store_id="muc-01", now=NOW) == 0
    assert booking.held_count(store, sku="T-2", store_id="muc-01", now=AT_11 + timedelta(days=1)) == 0, "its day over"
    assert _book(store, products=["T-1"]).held == ("T-1",), "the cancelled slot and product are free again"


def test_the_store_knows_how_many_of_each_article_are_set_aside_now(store: Engine) -> None:
    """What the shelves show counts without them: the kiosk and the phone read this once per results page."""
    first = _book(store, products=["T-1", "T-3"])
    _book(store, starts_at=AT_11 + timedelta(hours=1), products=["T-3"])
    assert booking.held_in_store(store, store_id="muc-01", now=NOW) == {"T-1": 1, "T-3": 2}
    assert booking.held_in_store(store, store_id="ham-01", now=NOW) == {}
    booking.cancel(store, appointment_id=first.appointment_id, now=NOW)
    assert booking.held_in_store(store, store_id="muc-01", now=NOW) == {"T-3": 1}
    assert booking.held_in_store(store, store_id="muc-01", now=AT_11 + timedelta(days=1)) == {}, "its day over"


def test_a_shopper_sees_what_is_set_aside_for_their_own_appointment_as_there_for_them(store: Engine) -> None:
    """The shelf lacks every held article (as stock is shown); an advice's filter lacks only those of others."""
    mine = create_session(store, questionnaire_id="tent-finder", answers={}, locale="de", consent=True)
    other = create_session(store, questionnaire_id="tent-finder", answers={}, locale="de", consent=True)
    _book(store, session_id=mine.id, products=["T-1"])
    _book(store, starts_at=AT_11 + timedelta(hours=1), session_id=other.id, products=["T-3"])
    shelf = {"T-1": 1, "T-3": 1}
    assert booking.held_in_store(store, store_id="muc-01", now=NOW) == shelf
    assert booking.holds_of(store, store_id="muc-01", for_session=mine.id, now=NOW) == (shelf, {"T-3": 1})
    assert booking.holds_of(store, store_id="muc-01", for_session=other.id, now=NOW) == (shelf, {"T-1": 1})
    assert booking.holds_of(store, store_id="muc-01", now=NOW) == (shelf, shelf)
    # What is set aside for this advice's own appointment: its stock lines say "set aside for you" (Holds.own).
    assert booking.holds_of(store, store_id="muc-01", for_session=mine.id, now=NOW)[0].own == {"T-1": 1}
    assert booking.holds_of(store, store_id="muc-01", for_session=other.id, now=NOW)[0].own == {"T-3": 1}
    assert booking.holds_of(store, store_id="muc-01", now=NOW)[0].own == {}


def test_links_work_once_and_a_move_keeps_the_holds(store: Engine) -> None:
    booked = _book(store, products=["T-2"])
    later = datetime(2026, 12, 7, 10, 0, tzinfo=BERLIN)  # Monday (Sunday is closed)
    moved = booking.reschedule_by_link(
        store, config=CONFIG, token=booked.links["reschedule"], starts_at=later, locale="en", now=NOW
    )
    assert (moved.appointment_id, moved.starts_at, moved.held) == (booked.appointment_id, later, ("T-2",))
    with pytest.raises(BookingError, match="no longer works"):
        booking.reschedule_by_link(store, config=CONFIG, token=booked.links["reschedule"], starts_at=AT_11,
                                   locale="en", now=NOW)  # fmt: skip
    with pytest.raises(BookingError):
        booking.cancel_by_link(store, token=booked.links["cancel"], locale="en", now=NOW)  # retired by the move
    assert _book(store).appointment_id != booked.appointment_id, "the old time is free"
    assert booking.cancel_by_link(store, token=moved.links["cancel"], locale="en", now=NOW) == booked.appointment_id
    assert booking.held_count(store, sku="T-2", store_id="muc-01", now=NOW) == 0


def test_a_late_or_checked_in_shoppers_products_stay_set_aside_until_a_no_show_or_the_day_ends(store: Engine) -> None:
    """Past the appointment's end the shopper may still come (a late code checks in until a no-show) or still be
    trying the tent on: the shelf must not promise it to the next booking meanwhile."""
    late = _book(store, products=["T-1"])  # the only T-1
    after_end = AT_11 + timedelta(minutes=40)
    assert booking.held_in_store(store, store_id="muc-01", now=after_end) == {"T-1": 1}
    afternoon = _book(store, starts_at=AT_11 + timedelta(hours=4), products=["T-1"], now=after_end, name="Ben")
    assert (afternoon.held, afternoon.not_held) == ((), ("T-1",)), "not promised twice"
    assert booking.mark_no_show(store, config=CONFIG, appointment_id=late.appointment_id, now=after_end)
    assert booking.held_in_store(store, store_id="muc-01", now=after_end) == {}, "a no-show gives it back at once"

    arrived = _book(store, starts_at=AT_11 + timedelta(hours=1), products=["T-1"], name="Lea")
    assert booking.check_in(store, appointment_id=arrived.appointment_id, now=AT_11 + timedelta(hours=1))
    two_hours_on = AT_11 + timedelta(hours=3)
    assert booking.held_in_store(store, store_id="muc-01", now=two_hours_on) == {"T-1": 1}, "still in Lea's hands"
    evening = datetime(2026, 12, 5, 23, 59, tzinfo=BERLIN)
    next_morning = datetime(2026, 12, 6, 0, 1, tzinfo=BERLIN)
    assert booking.held_in_store(store, store_id="muc-01", now=evening) == {"T-1": 1}
    assert booking.held_in_store(store, store_id="muc-01", now=next_morning) == {}, "the store's day is over"


def test_the_same_advice_booking_again_keeps_its_one_booking(store: Engine) -> None:
    """A double tap or a resend after Back: one appointment, the holds once, a second pair of links that works too; a
    corrected contact is kept, and another time chosen moves the booking there: an advice holds one upcoming
    appointment, so it cannot take several consultants' times (and hold products for each)."""
    session = create_session(store, questionnaire_id="tent-finder", answers={}, locale="de", consent=True)
    first = _book(store, session_id=session.id, products=["T-1", "T-2"])
    again = _book(store, session_id=session.id, products=["T-1", "T-2"])
    assert again.repeated and not first.repeated and first.new and not again.new
    assert (again.appointment_id, again.staff_name, again.starts_at, again.held) == (
        first.appointment_id, first.staff_name, first.starts_at, first.held)  # fmt: skip
    assert again.not_held == () and again.links != first.links
    assert booking.held_in_store(store, store_id="muc-01", now=NOW) == {"T-1": 1, "T-2": 1}
    corrected = _book(store, session_id=session.id, contact="kim@example.net", remind=False)  # a typo fixed after Back
    assert corrected.appointment_id == first.appointment_id and not corrected.repeated, "confirmed anew, to it"
    listed = agenda.entry(store, appointment_id=first.appointment_id, zone=BERLIN, locale="de")
    assert listed is not None and listed.contact == "kim@example.net"

    later = _book(store, starts_at=AT_11 + timedelta(hours=1), session_id=session.id)  # another time chosen
    assert later.appointment_id == first.appointment_id and later.moved_from == AT_11, "moved there, not booked twice"
    assert not later.new
    assert later.starts_at == AT_11 + timedelta(hours=1) and later.held == first.held
    assert booking.held_in_store(store, store_id="muc-01", now=NOW) == {"T-1": 1, "T-2": 1}, "held once"
    assert booking.cancel_by_link(store, token=later.links["cancel"], locale="de", now=NOW) == first.appointment_id
    anew = _book(store, session_id=session.id, products=["T-1"])
    assert anew.appointment_id != first.appointment_id and anew.held == ("T-1",), "cancelled: booked anew"
    follow_up = _book(store, starts_at=AT_11 + timedelta(hours=3), session_id=session.id)  # knowing of the first
    assert follow_up.appointment_id == anew.appointment_id and follow_up.moved_from == AT_11, "moved, never a second"
    assert booking.booked_for(store, session_id=session.id, category_id="tents", now=NOW) == anew.appointment_id
    other = create_session(store, questionnaire_id="tent-finder", answers={}, locale="de", consent=True)
    assert _book(store, starts_at=AT_11 + timedelta(hours=2), session_id=other.id).moved_from is None, "another advice"


def test_a_product_ticked_on_the_form_sent_again_is_set_aside_too(store: Engine) -> None:
    """Back, one more product ticked, sent again: at the same time or moved to another, the booking holds it too
    (nothing it held is given back), and the confirmation names what it holds and what it could not."""
    session = create_session(store, questionnaire_id="tent-finder", answers={}, locale="de", consent=True)
    first = _book(store, session_id=session.id, products=["T-1"])
    more = _book(store, session_id=session.id, products=["T-1", "T-2"])
    assert more.appointment_id == first.appointment_id and more.held == ("T-1", "T-2") and more.not_held == ()
    assert not more.repeated, "something changed: confirmed anew"
    assert booking.held_in_store(store, store_id="muc-01", now=NOW) == {"T-1": 1, "T-2": 1}
    moved = _book(store, starts_at=AT_11 + timedelta(hours=1), session_id=session.id, products=["T-2", "T-3"])
    assert moved.appointment_id == first.appointment_id and moved.moved_from == AT_11
    assert moved.held == ("T-1", "T-2", "T-3") and moved.not_held == ()
    assert booking.held_in_store(store, store_id="muc-01", now=NOW) == {"T-1": 1, "T-2": 1, "T-3": 1}
    full = _book(store, starts_at=AT_11 + timedelta(hours=1), session_id=session.id, products=["T-4"])
    assert (full.held, full.not_held) == (("T-1", "T-2", "T-3"), ("T-4",)), f"at most {booking.MAX_HOLDS} in all"


def test_a_move_keeps_the_wish_to_be_reminded_even_when_none_was_due_yet(store: Engine) -> None:
    """Booked for later today with a reminder wished (too near for one), then moved to next week: reminded."""
    today = datetime(2026, 12, 1, 17, 0, tzinfo=BERLIN)
    near = _book(store, starts_at=today, remind=True)
    monday = datetime(2026, 12, 7, 10, 0, tzinfo=BERLIN)
    booking.reschedule_by_link(store, config=CONFIG, token=near.links["reschedule"], starts_at=monday, locale="de",
                               now=NOW)  # fmt: skip
    assert [due.appointment_id for due in reminders.claim_due(store, now=monday - timedelta(hours=23))] == [
        near.appointment_id]  # fmt: skip
    unwished = _book(store, starts_at=today + timedelta(minutes=30), remind=False)
    booking.reschedule_by_link(store, config=CONFIG, token=unwished.links["reschedule"], starts_at=monday + timedelta(
        hours=1), locale="de", now=NOW)  # fmt: skip
    claimed = [due.appointment_id for due in reminders.claim_due(store, now=monday)]
    assert unwished.appointment_id not in claimed, "not wished: not reminded after a move either"


def test_a_failed_move_leaves_the_link_usable(store: Engine) -> None:
    booked = _book(store)
    other = _book(store, starts_at=AT_11 + timedelta(hours=2))
    with pytest.raises(SlotTaken):
        booking.reschedule_by_link(store, config=CONFIG, token=booked.links["reschedule"], starts_at=other.starts_at,
                                   locale="de", now=NOW)  # fmt: skip
    edge = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    for never, reason in ((NOW - timedelta(days=1), "past"), (edge, "not_offered")):
        with pytest.raises(SlotTaken) as refused:
            booking.reschedule_by_link(store, config=CONFIG, token=booked.links["reschedule"], starts_at=never,
                                       locale="de", now=NOW)  # fmt: skip
        assert refused.value.reason == reason and refused.value.next_slots
    target = AT_11 + timedelta(hours=4)
    moved = booking.reschedule_by_link(
        store, config=CONFIG, token=booked.links["reschedule"], starts_at=target, locale="de", now=NOW
    )
    assert moved.starts_at == target


def test_check_in_and_no_show_after_the_grace_time(store: Engine) -> None:
    kept = _book(store, products=["T-1"])
    missed = _book(store, starts_at=AT_11 + timedelta(hours=1), products=["T-2"])
    assert booking.check_in(store, appointment_id=kept.appointment_id, now=AT_11)
    assert not booking.check_in(store, appointment_id=kept.appointment_id, now=AT_11)
    early = AT_11 + timedelta(hours=1, minutes=10)
    assert not booking.mark_no_show(store, config=CONFIG, appointment_id=missed.appointment_id, now=early)
    late = AT_11 + timedelta(hours=1, minutes=15)
    assert booking.mark_no_show(store, config=CONFIG, appointment_id=missed.appointment_id, now=late)
    assert booking.held_count(store, sku="T-2", store_id="muc-01", now=late) == 0
    assert booking.held_count(store, sku="T-1", store_id="muc-01", now=late) == 1, "the checked-in one: in the store"


def test_the_reminder_is_due_the_day_before_at_the_same_time_and_sent_once(store: Engine) -> None:
    booked = _book(store)
    _book(store, starts_at=AT_11 + timedelta(hours=1), remind=False)
    day_before = datetime(2026, 12, 4, 11, 0, tzinfo=BERLIN)
    assert reminders.claim_due(store, now=day_before - timedelta(minutes=1)) == []
    claimed = reminders.claim_due(store, now=day_before)
    assert [reminder.appointment_id for reminder in claimed] == [booked.appointment_id]
    assert reminders.claim_due(store, now=day_before) == [], "claimed by one sender"
    reminders.sent(store, appointment_id=booked.appointment_id, now=day_before)
    assert reminders.claim_due(store, now=day_before + timedelta(hours=1)) == []


def test_a_cancelled_appointment_is_not_reminded(store: Engine) -> None:
    booked = _book(store)
    assert booking.cancel(store, appointment_id=booked.appointment_id, now=NOW)
    assert reminders.claim_due(store, now=AT_11) == []


def test_times_are_stored_as_moments(store: Engine) -> None:
    booked = _book(store)
    assert booked.starts_at.astimezone(UTC) == datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


def test_the_agenda_lists_the_day_with_what_to_fetch_from_where(store: Engine) -> None:
    from advisor.appointments.agenda import agenda, set_notes

    first = _book(store, products=["T-2", "T-1"])
    gone = _book(store, starts_at=AT_11 + timedelta(hours=1))
    _book(store, starts_at=AT_11 + timedelta(days=3))  # another day
    booking.cancel(store, appointment_id=gone.appointment_id, now=NOW)
    set_notes(store, appointment_id=first.appointment_id, notes="wants to try the vestibule")
    day = datetime(2026, 12, 5, tzinfo=BERLIN)
    [entry] = agenda(store, store_id="muc-01", since=day, until=day + timedelta(days=1), zone=BERLIN, locale="en")
    assert (entry.appointment_id, entry.starts_at, entry.staff_name, entry.name) == (
        first.appointment_id, AT_11, "anna", "Kim",
    )  # fmt: skip
    assert [(held.sku, held.location) for held in entry.held] == [("T-1", "1st floor"), ("T-2", "1st floor")]
    assert entry.notes == "wants to try the vestibule"


def test_check_in_by_the_advice_session_takes_the_booking_due_now_only(store: Engine) -> None:
    saturday_morning = datetime(2026, 12, 5, 10, 0, tzinfo=BERLIN)  # an hour before 11:00
    mine, other = (
        create_session(store, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW).id for _ in range(2)
    )
    today = _book(store, session_id=mine)
    tomorrow_too = _second_of(store, mine, datetime(2026, 12, 7, 11, 0, tzinfo=BERLIN))
    assert booking.check_in_session(store, config=CONFIG, session_id=mine, now=NOW) is None, "not today"
    assert booking.check_in_session(store, config=CONFIG, session_id=other, now=saturday_morning) is None
    checked = booking.check_in_session(store, config=CONFIG, session_id=mine, now=saturday_morning)
    assert checked == today.appointment_id
    assert booking.check_in_session(store, config=CONFIG, session_id=mine, now=saturday_morning) is None
    found = booking.details(store, appointment_id=tomorrow_too.appointment_id)
    assert found is not None and found.state == "booked"


def test_a_code_typed_hours_early_checks_nothing_in_and_a_late_shopper_is_checked_in(store: Engine) -> None:
    mine = create_session(store, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW).id
    booked = _book(store, session_id=mine)  # Saturday 11:00-11:20
    for too_early in (datetime(2026, 12, 5, 3, 0, tzinfo=BERLIN), AT_11 - timedelta(minutes=61)):
        assert booking.check_in_session(store, config=CONFIG, session_id=mine, now=too_early) is None
    assert booking.details(store, appointment_id=booked.appointment_id).state == "booked"  # type: ignore[union-attr]
    late = AT_11 + timedelta(minutes=25)  # after its end, not yet marked a no-show
    assert booking.check_in_session(store, config=CONFIG, session_id=mine, now=late) == booked.appointment_id


def test_a_model_in_colours_is_held_as_an_article_the_store_has_left(store: Engine) -> None:
    """Stock is per article: a tent in two colours is set aside as the first colour with one left, then the next;
    the agenda names the model."""
    import sqlalchemy as sa

    from advisor.appointments.agenda import entry
    from advisor.catalog.model import Stock, Variant

    variant, stock = Variant.__table__, Stock.__table__  # type: ignore[attr-defined]
    with store.begin() as connection:  # T-3 comes in green (1 left) and grey (1 left)
        connection.execute(sa.delete(stock).where(stock.c.sku == "T-3"))
        connection.execute(sa.delete(variant).where(variant.c.sku == "T-3"))
        for position, colour in enumerate(("GRN", "GRY")):
            article = f"T-3-{colour}"
            connection.execute(variant.insert().values(sku=article, model_sku="T-3", position=position, options={}))
            connection.execute(
                stock.insert().values(sku=article, store_id="muc-01", quantity=1, location_de="1. OG",
                                      location_en="1st floor")
            )  # fmt: skip
    first = _book(store, products=["T-3"])
    second = _book(store, starts_at=AT_11 + timedelta(hours=1), products=["T-3"])
    third = _book(store, starts_at=AT_11 + timedelta(hours=2), products=["T-3"])
    assert (first.held, second.held, third.not_held) == (("T-3",), ("T-3",), ("T-3",))
    assert booking.held_count(store, sku="T-3", store_id="muc-01", now=NOW) == 2
    assert booking.held_count(store, sku="T-3-GRY", store_id="muc-01", now=NOW) == 1
    shown = entry(store, appointment_id=second.appointment_id, zone=BERLIN, locale="de")
    assert shown is not None and [(item.sku, item.name) for item in shown.held] == [("T-3-GRY", "T-3")]


def test_the_advice_session_moves_and_cancels_its_own_appointments_only(store: Engine) -> None:
    """The shopper's phone holds the advice session: its upcoming appointments, moved (fresh links, the e-mailed
    ones retired) and cancelled by it; another session's are neither listed, moved nor cancelled."""
    from advisor.appointments.agenda import upcoming

    mine, other = (
        create_session(store, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW).id for _ in range(2)
    )
    booked = _book(store, session_id=mine, products=["T-2"])
    later = _second_of(store, mine, datetime(2026, 12, 7, 11, 0, tzinfo=BERLIN))
    theirs = _book(store, starts_at=AT_11 + timedelta(hours=3), session_id=other)
    listed = upcoming(store, session_id=mine, zone=BERLIN, locale="de", now=NOW)
    assert [entry.appointment_id for entry in listed] == [booked.appointment_id, later.appointment_id], "in order"
    after_saturday = datetime(2026, 12, 5, 12, 0, tzinfo=BERLIN)
    assert [e.appointment_id for e in upcoming(store, session_id=mine, zone=BERLIN, locale="de", now=after_saturday)
            ] == [later.appointment_id], "an appointment that has ended is not upcoming"  # fmt: skip

    with pytest.raises(BookingError, match="nicht mehr gebucht"):
        booking.reschedule_for_session(store, config=CONFIG, appointment_id=theirs.appointment_id, session_id=mine,
                                       starts_at=AT_11 + timedelta(hours=5), locale="de", now=NOW)  # fmt: skip
    assert not booking.cancel_for_session(store, appointment_id=theirs.appointment_id, session_id=mine, now=NOW)
    found = booking.details(store, appointment_id=theirs.appointment_id)
    assert found is not None and found.state == "booked" and found.starts_at == AT_11 + timedelta(hours=3)

    with pytest.raises(SlotTaken):
        booking.reschedule_for_session(store, config=CONFIG, appointment_id=booked.appointment_id, session_id=mine,
                                       starts_at=theirs.starts_at, locale="de", now=NOW)  # fmt: skip
    target = AT_11 + timedelta(hours=5)
    moved = booking.reschedule_for_session(store, config=CONFIG, appointment_id=booked.appointment_id,
                                           session_id=mine, starts_at=target, locale="de", now=NOW)  # fmt: skip
    assert (moved.starts_at, moved.held) == (target, ("T-2",))
    assert set(moved.links) == {"reschedule", "cancel"} and moved.links != booked.links
    with pytest.raises(BookingError):
        booking.cancel_by_link(store, token=booked.links["cancel"], locale="de", now=NOW)  # retired by the move

    assert booking.cancel_for_session(store, appointment_id=booked.appointment_id, session_id=mine, now=NOW)
    assert not booking.cancel_for_session(store, appointment_id=booked.appointment_id, session_id=mine, now=NOW)
    assert booking.held_count(store, sku="T-2", store_id="muc-01", now=NOW) == 0, "the product is free again"
    assert [e.appointment_id for e in upcoming(store, session_id=mine, zone=BERLIN, locale="de", now=NOW)] == [
        later.appointment_id
    ]
    with pytest.raises(BookingError, match="nicht mehr gebucht"):
        booking.reschedule_for_session(store, config=CONFIG, appointment_id=booked.appointment_id, session_id=mine,
                                       starts_at=AT_11, locale="de", now=NOW)  # fmt: skip


def test_a_day_off_hands_the_consultants_bookings_to_a_free_colleague_and_names_those_nobody_can_take(
    engine: Engine,
) -> None:
    from advisor.appointments import staff

    add_consultants(engine, ["anna", "ben"])
    first = _book(engine, staff_name="ben")  # Saturday 11:00
    anna_busy = _book(engine, starts_at=AT_11 + timedelta(hours=2), staff_name="anna")
    second = _book(engine, starts_at=AT_11 + timedelta(hours=2), staff_name="ben")  # anna is taken at 13:00
    monday = _book(engine, starts_at=datetime(2026, 12, 7, 11, 0, tzinfo=BERLIN), staff_name="ben")
    assert booking.hand_over(engine, config=CONFIG, staff_name="ben", now=NOW) == [], "his hours still hold them"

    staff.set_exception(engine, staff_name="ben", day=AT_11.date(), span=None)  # ben is off on Saturday
    handed = booking.hand_over(engine, config=CONFIG, staff_name="ben", now=NOW)
    assert [(item.appointment_id, item.name, item.to) for item in handed] == [
        (first.appointment_id, "Kim", "anna"),
        (second.appointment_id, "Kim", None),  # nobody free at 13:00: left for staff to sort out with the customer
    ]
    assert handed[0].starts_at == AT_11 and handed[0].starts_at.tzinfo == BERLIN
    assert booking.details(engine, appointment_id=first.appointment_id).staff_name == "anna"  # type: ignore[union-attr]
    for kept in (anna_busy, monday):
        assert booking.details(engine, appointment_id=kept.appointment_id).staff_name == kept.staff_name  # type: ignore[union-attr]
    staff.set_exception(engine, staff_name="ben", day=date(2026, 12, 7), span=(14 * 60, 18 * 60))  # Monday later
    [later] = booking.hand_over(engine, config=CONFIG, staff_name="ben", now=NOW)[1:]
    assert (later.appointment_id, later.to) == (monday.appointment_id, "anna")


def test_a_customer_whose_appointment_is_handed_over_is_told_who_advises_them_now(engine: Engine) -> None:
    """Ben is off: Kim (who booked with an e-mail address, in English) gets a mail saying the time stays and Anna
    advises now, with the calendar entry updated (a higher SEQUENCE) and links that work; a caller without an
    address, or an appointment nobody took, gets none."""
    import email
    from email.policy import default

    import sqlalchemy as sa

    from advisor.appointments import staff
    from advisor.config import SmtpConfig
    from advisor.session.confirmation import OUTBOX, handover_by_mail

    mail_config = CONFIG.model_copy(update={"smtp": SmtpConfig(host="smtp.example.org", sender="a@example.org")})
    add_consultants(engine, ["anna", "ben"])
    kim = _book(engine, staff_name="ben", contact="kim@example.com", locale="en")
    caller = _book(engine, starts_at=AT_11 + timedelta(hours=1), staff_name="ben", contact="0171 5550123")
    staff.set_exception(engine, staff_name="ben", day=AT_11.date(), span=None)
    handed = booking.hand_over(engine, config=mail_config, staff_name="ben", now=NOW)
    assert [(item.appointment_id, item.to) for item in handed] == [(kim.appointment_id, "anna"),
                                                                   (caller.appointment_id, "anna")]  # fmt: skip
    mailed = [handover_by_mail(engine, mail_config, item, handed_from="ben", questionnaires={}, categories={})
              for item in handed]  # fmt: skip
    assert mailed == [True, False], "only an e-mail address is written to"
    with engine.connect() as connection:
        [row] = connection.execute(sa.select(OUTBOX)).all()
    message = email.message_from_bytes(row.message, policy=default)
    assert message["To"] == "kim@example.com"
    assert str(message["Subject"]).startswith("Your appointment at") and str(message["Subject"]).endswith(
        "now with anna"
    )
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "Your appointment stays as it is – only anna will advise you instead of ben:" in body
    calendar = next(part for part in message.walk() if part.get_content_type() == "text/calendar")
    assert b"SEQUENCE:1" in calendar.get_payload(decode=True)
    [token] = [line.rsplit("/", 1)[-1] for line in body.splitlines() if "/appointment/cancel/" in line]
    assert booking.cancel_by_link(engine, token=token, locale="en", now=NOW) == kim.appointment_id
    nobody = booking.Handover(kim.appointment_id, kim.starts_at, "Kim", None)
    assert not handover_by_mail(engine, mail_config, nobody, handed_from="ben", questionnaires={}, categories={})


def test_each_later_calendar_file_of_an_appointment_carries_a_higher_sequence_its_cancellation_too(
    engine: Engine,
) -> None:
    """Booked, moved, cancelled: a calendar app takes a file for an entry it has only with a higher SEQUENCE, so the
    cancellation's file is higher than the move's and the entry goes, whoever cancels (staff, the link, the phone)."""
    import email
    from email.policy import default

    import icalendar
    import sqlalchemy as sa

    from advisor.config import SmtpConfig
    from advisor.session.confirmation import OUTBOX, cancellation_by_mail, confirm_by_mail

    mail_config = CONFIG.model_copy(update={"smtp": SmtpConfig(host="smtp.example.org", sender="a@example.org")})
    add_consultants(engine, ["anna"])
    session = create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de", consent=True)
    cancels = {
        "staff": lambda done: booking.cancel(engine, appointment_id=done.appointment_id, now=NOW),
        "link": lambda done: booking.cancel_by_link(engine, token=done.links["cancel"], locale="de", now=NOW),
        "phone": lambda done: booking.cancel_for_session(engine, appointment_id=done.appointment_id,
                                                         session_id=session.id, now=NOW),
    }  # fmt: skip
    for hour, (who, cancel) in enumerate(cancels.items()):
        first = _book(
            engine, starts_at=AT_11 + timedelta(hours=hour), session_id=session.id if who == "phone" else None
        )
        later = first.starts_at + timedelta(days=2)
        moved = booking.reschedule_by_id(engine, config=CONFIG, appointment_id=first.appointment_id, starts_at=later,
                                         locale="de", now=NOW)  # fmt: skip
        for done, moved_from in ((first, None), (moved, first.starts_at)):
            assert confirm_by_mail(engine, mail_config, done, session_id=None, locale="de", contact="kim@example.com",
                                   questionnaires={}, categories={}, moved_from=moved_from)  # fmt: skip
        assert cancel(moved), who
        assert cancellation_by_mail(engine, mail_config, first.appointment_id, questionnaires={}, categories={})
        with engine.connect() as connection:
            rows = connection.execute(sa.select(OUTBOX.c.message).order_by(OUTBOX.c.id)).scalars().all()
            connection.execute(OUTBOX.delete())
            connection.commit()
        events = []
        for row in rows:
            message = email.message_from_bytes(row, policy=default)
            part = next(part for part in message.walk() if part.get_content_type() == "text/calendar")
            [event] = icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
            events.append(event)
        assert [str(event["STATUS"]) for event in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"], who
        assert [int(event["SEQUENCE"]) for event in events] == [0, 1, 2], who


def test_a_configured_kind_that_names_no_category_is_said_to_store_it() -> None:
    """`sleeping-bags` in the configuration, `sleeping_bags` in the catalog: nothing could be booked for sleeping
    bags, and no shopper would be told why; the server says so at its start (and names the category meant)."""
    from advisor.config import Config

    config = Config.model_validate({"appointments": {"kinds": {"tents": {}, "sleeping-bags": {}, "kayaks": {}}}})
    assert booking.unknown_kinds(config, ["tents", "sleeping_bags", "backpacks"]) == [
        "[appointments.kinds] names 'sleeping-bags', which is no category of the catalog (did you mean "
        "'sleeping_bags'?): appointments for it cannot be booked",
        "[appointments.kinds] names 'kayaks', which is no category of the catalog (the catalog has backpacks, "
        "sleeping_bags, tents): appointments for it cannot be booked",
    ]
    assert booking.unknown_kinds(config, ["tents", "sleeping-bags", "kayaks"]) == []


def test_a_booking_without_a_chosen_day_opens_on_the_first_day_with_a_free_time(store: Engine) -> None:
    saturday = date(2026, 12, 5)
    days = booking.open_days(CONFIG, saturday, 7)
    assert days[:2] == [saturday, date(2026, 12, 7)], "the store is closed on Sunday"

    def first(now: datetime, listed: list[date] = days) -> date:
        return booking.first_day_with_times(store, config=CONFIG, category_id="tents", days=listed, now=now)

    assert first(datetime(2026, 12, 5, 9, 0, tzinfo=BERLIN)) == saturday, "in the morning: today"
    assert first(datetime(2026, 12, 5, 19, 55, tzinfo=BERLIN)) == date(2026, 12, 7), "at closing time: Monday"
    assert first(datetime(2026, 12, 5, 19, 55, tzinfo=BERLIN), [saturday]) == saturday, "none free: the first listed"


@pytest.mark.parametrize(
    ("extra", "reason", "said"),
    [
        ({"name": "Ihr Konto ist gesperrt " + "X" * 40_000}, "name_too_long", "höchstens 200 Zeichen"),
        ({"name": "Kim\r\nBcc: victim@example.org"}, "name_line_break", "in eine Zeile, ohne Zeilenumbruch"),
        ({"name": "Kim\u2028Bitte hier klicken"}, "name_line_break", "in eine Zeile"),
        ({"contact": "kim@example.com\nBcc: victim@example.org"}, "contact_line_break", "in eine Zeile"),
        ({"contact": "k" * 250 + "@example.com"}, "contact_too_long", "höchstens 254 Zeichen"),
        ({"contact": "0" * 41}, "contact_too_long", "höchstens 40 Zeichen"),
    ],
)
def test_a_name_or_contact_too_long_or_over_two_lines_is_refused_and_nothing_is_booked(
    store: Engine, extra: dict[str, str], reason: str, said: str
) -> None:
    """The name and contact go into the agenda and every mail about the appointment, one line each: a 40 KB name
    (phishing text in a confirmation), or a line break, is refused with the field named, as a repair order's are."""
    with pytest.raises(booking.BookingError) as refused:
        _book(store, **extra)
    assert refused.value.reason == reason and said in str(refused.value)
    assert booking.slots_on(store, config=CONFIG, category_id="tents", day=AT_11.date(), now=NOW)[0].starts_at <= AT_11
    longest = _book(store, name="K" * booking.MAX_NAME, contact="+49 " + "1" * (booking.MAX_PHONE - 4))
    assert longest.new, "exactly at the limits: booked"


def test_the_bookings_limits_are_the_repair_orders(store: Engine) -> None:
    """One name and one phone number are as long on a booking as on a repair order (a layer apart, so said twice)."""
    from advisor.contact import MAX_ADDRESS
    from advisor.repairs import orders

    assert (booking.MAX_NAME, booking.MAX_PHONE) == (orders.MAX_NAME, orders.MAX_PHONE) and MAX_ADDRESS == 254


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("de", "Umlauten oder anderen Sonderzeichen vor dem @"),
        ("en", "umlauts or other special characters before the @"),
    ],
)
def test_an_address_with_umlauts_before_the_at_is_refused_as_one_we_cannot_mail_to(
    store: Engine, locale: str, said: str
) -> None:
    """The shopper reads that we cannot send to such an address (not that theirs is wrong), in their language."""
    with pytest.raises(BookingError, match=said) as refused:
        _book(store, contact="jürgen@müller.de", locale=locale)
    assert refused.value.reason == "bad_contact", "(the web form marks the contact field)"
    assert "prüfe" not in str(refused.value) and "check your" not in str(refused.value)


def test_a_closed_day_asked_for_beyond_the_listed_days_shows_the_next_open_day_after_it(store: Engine) -> None:
    """`?day=` a closed day beyond the days listed (a Sunday three weeks ahead, as Christmas Day was): the page says
    it is closed "here the next free times" and shows the Monday after it, listed and chosen, not today."""
    config = store_config(horizon_days=90)
    today = datetime.now(BERLIN).date()
    first = booking.open_days(config, today, booking.LISTED_DAYS)
    closed = first[-1] + timedelta(days=1)
    while config.store.hours_on(closed) is not None:
        closed += timedelta(days=1)
    following = booking.open_days(config, closed + timedelta(days=1), 1)[0]

    days, _ = booking.days_to_show(config, today, closed)
    shown = booking.first_day_after(store, config=config, category_id="tents", day=closed, days=days)
    alone = booking.first_day_after(store, config=config, category_id="tents", day=closed, days=first)

    assert shown == following and following in days, "the next open day after the closed one, in the day list"
    assert alone == following, "also when the list has no day after it: not today"
    assert booking.slots_on(store, config=config, category_id="tents", day=shown), "with its free times"


def test_a_move_while_the_reminder_is_being_sent_keeps_the_reminder_for_the_new_time(store: Engine) -> None:
    """The shopper moves their appointment while the reminder for the old time is on its way: marking that one sent
    leaves the reminder for the new time due, the day before it, counting its attempts afresh."""
    booked = _book(store)
    day_before = datetime(2026, 12, 4, 11, 0, tzinfo=BERLIN)
    [claimed] = reminders.claim_due(store, now=day_before)
    monday = datetime(2026, 12, 7, 15, 0, tzinfo=BERLIN)
    booking.reschedule_by_id(store, config=CONFIG, appointment_id=booked.appointment_id, starts_at=monday, locale="de",
                             now=day_before + timedelta(seconds=5))  # fmt: skip

    reminders.sent(store, appointment_id=claimed.appointment_id, now=day_before + timedelta(seconds=10))

    assert reminders.claim_due(store, now=monday - timedelta(days=1, minutes=1)) == []
    [again] = reminders.claim_due(store, now=monday - timedelta(days=1))
    assert (again.appointment_id, again.starts_at, again.attempt) == (booked.appointment_id, monday.astimezone(UTC), 1)
    reminders.sent(store, appointment_id=again.appointment_id, now=monday - timedelta(days=1))
    assert reminders.claim_due(store, now=monday - timedelta(hours=1)) == [], "sent once"
