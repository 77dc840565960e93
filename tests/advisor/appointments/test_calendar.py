"""The confirmation's `.ics` parses with icalendar and opens at the store's local time, also across a clock change."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from advisor.appointments.calendar import ics

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    "starts_at",
    [datetime(2026, 3, 28, 11, 0, tzinfo=BERLIN), datetime(2026, 3, 30, 11, 0, tzinfo=BERLIN),
     datetime(2026, 10, 24, 11, 0, tzinfo=BERLIN), datetime(2026, 10, 26, 11, 0, tzinfo=BERLIN)],
)  # fmt: skip
def test_the_event_starts_at_the_booked_local_time(starts_at: datetime) -> None:
    data = ics(
        appointment_id="a1", store_name="Nordgrat München", category="Zelte", staff_name="Anna",
        starts_at=starts_at.astimezone(ZoneInfo("UTC")), ends_at=starts_at + timedelta(minutes=20),
        timezone="Europe/Berlin", resume_code="ABCD-2345", held=["Testzelt 2"], reschedule_url="https://x/r/t1",
        cancel_url="https://x/c/t2", locale="de", address="Sie",
    )  # fmt: skip
    calendar = icalendar.Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (11, 0)
    assert start.tzinfo is not None and start.tzname() == starts_at.tzname()
    assert start == starts_at
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    description = str(event["DESCRIPTION"])
    assert "Ihr Code: ABCD-2345" in description
    assert "Testzelt 2" in description and "https://x/r/t1" in description and "https://x/c/t2" in description
    assert str(event["UID"]) == "a1@nordgrat-advisor"
