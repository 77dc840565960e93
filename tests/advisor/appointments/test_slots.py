"""Bookable slots in the store's time zone: ordinary days, both clock changes, holidays, shifts and buffers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from advisor.appointments.slots import Consultant, day_slots
from advisor.config import AppointmentKind, Config
from tests.helpers.appointments import store_config

BERLIN = ZoneInfo("Europe/Berlin")
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
TENTS = AppointmentKind(length_minutes=60, buffer_minutes=0)
EVERY_DAY = {weekday: (0, 24 * 60) for weekday in range(7)}


def _always_open() -> Config:
    hours = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "00:00-24:00")
    return Config.model_validate({"store": {"opening_hours": hours}})


def _slots(config: Config, day: date, team: list[Consultant], kind: AppointmentKind = TENTS, step: int = 60) -> list:
    return day_slots(store=config.store, kind=kind, step_minutes=step, day=day, team=team, now=LONG_AGO)


def test_the_spring_change_has_23_hourly_slots_and_no_2_oclock() -> None:
    slots = _slots(_always_open(), date(2026, 3, 29), [Consultant("anna", shifts=EVERY_DAY)])
    walls = [slot.starts_at.strftime("%H:%M") for slot in slots]
    assert len(slots) == 23
    assert "02:00" not in walls
    assert walls[:3] == ["00:00", "01:00", "03:00"]
    # (wall-clock arithmetic in one zone ignores the change: compare moments)
    assert all(slot.ends_at.astimezone(UTC) - slot.starts_at.astimezone(UTC) == timedelta(hours=1) for slot in slots)
    assert slots[0].starts_at.utcoffset() == timedelta(hours=1)
    assert slots[-1].starts_at.utcoffset() == timedelta(hours=2)


def test_the_autumn_change_has_25_hourly_slots_with_2_oclock_twice() -> None:
    slots = _slots(_always_open(), date(2026, 10, 25), [Consultant("anna", shifts=EVERY_DAY)])
    walls = [slot.starts_at.strftime("%H:%M") for slot in slots]
    assert len(slots) == 25
    assert walls.count("02:00") == 2
    twice = [slot.starts_at for slot in slots if slot.starts_at.strftime("%H:%M") == "02:00"]
    assert [moment.utcoffset() for moment in twice] == [timedelta(hours=2), timedelta(hours=1)]
    starts = [slot.starts_at.astimezone(UTC) for slot in slots]
    assert all(later - earlier == timedelta(hours=1) for earlier, later in zip(starts, starts[1:], strict=False))


def test_a_saturday_11_oclock_is_11_on_the_store_clock_on_both_sides_of_each_change() -> None:
    config = store_config()
    kind = config.appointments.kinds["tents"]
    anna = Consultant("anna", shifts=EVERY_DAY)
    for day, offset in [
        (date(2026, 3, 28), 1), (date(2026, 4, 4), 2), (date(2026, 10, 24), 2), (date(2026, 10, 31), 1)
    ]:  # fmt: skip
        slots = _slots(config, day, [anna], kind=kind, step=15)
        eleven = next(slot for slot in slots if slot.starts_at.strftime("%H:%M") == "11:00")
        assert eleven.starts_at.astimezone(UTC).hour == 11 - offset
        assert slots[0].starts_at.strftime("%H:%M") == "09:30"
        assert slots[-1].ends_at.strftime("%H:%M") <= "20:00"


def test_holidays_close_the_store_or_shorten_the_day() -> None:
    config = store_config()
    kind = config.appointments.kinds["tents"]
    anna = Consultant("anna", shifts=EVERY_DAY)
    assert _slots(config, date(2026, 12, 25), [anna], kind=kind, step=15) == []
    eve = _slots(config, date(2026, 12, 24), [anna], kind=kind, step=15)
    assert eve[-1].starts_at.strftime("%H:%M") == "13:30"
    assert eve[-1].ends_at.strftime("%H:%M") == "13:50"
    assert _slots(config, date(2026, 12, 23), [anna], kind=kind, step=15)[-1].starts_at.strftime("%H:%M") == "19:30"
    assert _slots(config, date(2026, 12, 27), [anna], kind=kind, step=15) == [], "Sundays are closed"


def test_shifts_exceptions_and_buffers_decide_who_is_free() -> None:
    config = store_config()
    kind = config.appointments.kinds["tents"]
    day = date(2026, 12, 1)
    taken = datetime(2026, 12, 1, 10, 0, tzinfo=BERLIN).astimezone(UTC)
    anna = Consultant("anna", shifts={1: (9 * 60 + 30, 12 * 60)}, busy=((taken, taken + timedelta(minutes=30)),))
    ben = Consultant("ben", shifts={1: (11 * 60, 13 * 60)}, exceptions={date(2026, 12, 8): None})
    slots = {slot.starts_at.strftime("%H:%M"): slot.staff for slot in _slots(config, day, [anna, ben], kind, 15)}
    # anna: 09:30 would run into 10:00 with its buffer (09:30-10:00 is exactly free: 20 + 10 minutes)
    assert slots["09:30"] == ("anna",)
    assert "09:45" not in slots and "10:00" not in slots and "10:15" not in slots
    assert slots["10:30"] == ("anna",)
    assert slots["11:00"] == ("ben", "anna"), "the least booked first"
    assert slots["12:30"] == ("ben",)
    assert "12:45" not in slots, "20 minutes do not fit before 13:00"
    assert not _slots(config, date(2026, 12, 8), [ben], kind, 15), "ben is off that day"


def test_no_slot_lies_in_the_past() -> None:
    config = store_config()
    now = datetime(2026, 12, 1, 15, 5, tzinfo=BERLIN)
    slots = day_slots(
        store=config.store, kind=config.appointments.kinds["tents"], step_minutes=15, day=date(2026, 12, 1),
        team=[Consultant("anna", shifts=EVERY_DAY)], now=now,
    )  # fmt: skip
    assert slots[0].starts_at.strftime("%H:%M") == "15:15"


def test_only_days_the_store_is_open_are_offered_for_booking() -> None:
    from advisor.appointments.booking import open_days

    config = store_config(horizon_days=30)
    days = open_days(config, date(2026, 12, 19), 7)  # a Saturday, a week before and after Christmas
    assert date(2026, 12, 20) not in days, "a Sunday the store is closed"
    assert date(2026, 12, 25) not in days and date(2026, 12, 24) in days, "closed at Christmas, open Christmas Eve"
    assert days == [date(2026, 12, d) for d in (19, 21, 22, 23, 24, 26, 28)]
    assert open_days(store_config(horizon_days=2), date(2026, 12, 19), 7) == [date(2026, 12, 19), date(2026, 12, 21)]


def test_moving_a_far_appointment_lists_its_day_and_the_days_near_it_within_the_horizon() -> None:
    from advisor.appointments.booking import days_to_show, open_days

    config = store_config(horizon_days=28)
    today = date(2026, 12, 4)  # a Friday; the first 15 open days end on Monday 21.12.
    first = open_days(config, today, 15)
    assert first[-1] == date(2026, 12, 21)
    booked = date(2026, 12, 29)
    days, shown = days_to_show(config, today, None, booked=booked)
    assert shown == booked, "its own day, not today"
    assert days[:15] == first, "the first days stay listed"
    assert days[15:] == [date(2026, 12, d) for d in (22, 23, 24, 26, 28, 29, 30, 31)] + [date(2027, 1, 1)]
    assert days_to_show(config, today, date(2026, 12, 30), booked=booked) == (days, date(2026, 12, 30))
    assert days_to_show(config, today, date(2026, 12, 27), booked=booked)[1] == booked, "a Sunday: its own day"
    assert days_to_show(config, today, date(2027, 1, 5), booked=booked)[1] == booked, "beyond the horizon"
    alone, chosen = days_to_show(config, today, date(2026, 12, 30))  # booking: a "next free time" link
    assert alone == [*first, date(2026, 12, 30)] and chosen == date(2026, 12, 30)
    assert days_to_show(config, today, date(2026, 12, 6)) == (first, today), "a closed day: the first open one"
