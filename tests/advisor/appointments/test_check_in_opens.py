"""When an appointment can first be checked in: an hour before its start, never before its day begins."""

from __future__ import annotations

from datetime import datetime

from advisor.appointments.booking import check_in_due, check_in_opens
from advisor.config import Config

ZONE = "Europe/Berlin"


def config() -> Config:
    return Config.model_validate({"store": {"timezone": ZONE}})


def test_check_in_opens_an_hour_before_the_start_when_check_in_due_says_so() -> None:
    settings = config()
    starts_at = datetime(2026, 12, 5, 5, 45, tzinfo=settings.store.zone)
    opens = check_in_opens(settings, starts_at)
    assert f"{opens:%H:%M}" == "04:45" and opens.date() == starts_at.date()
    assert check_in_due(settings, starts_at, now=opens)
    assert not check_in_due(settings, starts_at, now=opens.replace(minute=44))


def test_an_appointment_just_after_midnight_opens_at_midnight_not_the_evening_before() -> None:
    settings = config()
    starts_at = datetime(2026, 12, 5, 0, 30, tzinfo=settings.store.zone)
    assert check_in_opens(settings, starts_at) == datetime(2026, 12, 5, 0, 0, tzinfo=settings.store.zone)


def test_across_the_clock_change_it_is_an_hour_of_real_time() -> None:
    settings = config()
    starts_at = datetime(2026, 3, 29, 3, 30, tzinfo=settings.store.zone)  # the clocks went from 02:00 to 03:00
    assert f"{check_in_opens(settings, starts_at):%H:%M}" == "01:30"
