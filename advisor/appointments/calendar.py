"""The appointment as an iCalendar file (`.ics`), in the store's time zone, made with the icalendar library."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar

from advisor import i18n


def ics(
    *, appointment_id: str, store_name: str, category: str, staff_name: str, starts_at: datetime, ends_at: datetime,
    timezone: str, resume_code: str, held: Sequence[str], locale: str, reschedule_url: str | None = None,
    cancel_url: str | None = None, address: str = "du", now: datetime | None = None, revision: int = 0,
    cancelled: bool = False,
) -> bytes:  # fmt: skip
    """One event from `starts_at` to `ends_at` on the store's clock (with its VTIMEZONE), naming the consultant,
    the resume code, what is held to try (product names) and (when given) the one-time links. `revision` (higher
    after every move, hand-over or cancellation) lets a calendar replace the entry it has; a `cancelled` one removes
    it."""
    zone = ZoneInfo(timezone)
    lines = [i18n.text("appointment.calendar.description", locale, address, staff=staff_name, code=resume_code)]
    if held:
        lines.append(i18n.text("appointment.calendar.held", locale, products=", ".join(held)))
    if reschedule_url:
        lines.append(i18n.text("appointment.calendar.reschedule", locale, url=reschedule_url))
    if cancel_url:
        lines.append(i18n.text("appointment.calendar.cancel", locale, url=cancel_url))
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Nordgrat//Advisor//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"{appointment_id}@nordgrat-advisor")
    event.add("sequence", revision)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", starts_at.astimezone(zone))
    event.add("dtend", ends_at.astimezone(zone))
    event.add("summary", i18n.text("appointment.calendar.summary", locale, category=category, store=store_name))
    event.add("location", store_name)
    event.add("description", "\n".join(lines))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
