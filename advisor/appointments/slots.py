"""Bookable times, computed from the store's hours, the consultants' shifts and their appointments.

Pure: the callers load the consultants (`staff.team`). Times are worked out as moments (UTC) and shown in the
store's time zone, so a day when the clocks change has exactly the slots its real hours hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from advisor.config import AppointmentKind, StoreConfig

Span = tuple[int, int]  # minutes since midnight, wall clock: (start, end)


@dataclass(frozen=True)
class Consultant:
    """A staff member who advises on the category: weekly shifts, dated exceptions and the time already taken."""

    name: str
    shifts: Mapping[int, Span] = field(default_factory=dict)  # weekday (0 = Monday) -> span
    exceptions: Mapping[date, Span | None] = field(default_factory=dict)  # None: not working that day
    busy: Sequence[tuple[datetime, datetime]] = ()  # active appointments with their buffers, [start, end)

    def span_on(self, day: date) -> Span | None:
        """When this consultant works on a date (an exception wins over the weekly shift)."""
        if day in self.exceptions:
            return self.exceptions[day]
        return self.shifts.get(day.weekday())

    def is_free(self, starts_at: datetime, until: datetime) -> bool:
        """Whether [starts_at, until) overlaps none of the consultant's appointments."""
        return all(until <= start or end <= starts_at for start, end in self.busy)


@dataclass(frozen=True)
class Slot:
    """A time a shopper can book: its start and end in the store's time zone, and who is free then."""

    starts_at: datetime
    ends_at: datetime
    staff: tuple[str, ...]  # the free consultants, the least booked that day first


def moment(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The moment (UTC) of a wall-clock time on a day; a time the clocks skip counts from after the change, and
    of a time they repeat the first."""
    if minutes >= 24 * 60:
        day, minutes = day + timedelta(days=1), minutes - 24 * 60
    wall = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return wall.astimezone(UTC)


def day_slots(
    *, store: StoreConfig, kind: AppointmentKind, step_minutes: int, day: date, team: Sequence[Consultant],
    now: datetime,
) -> list[Slot]:  # fmt: skip
    """The bookable slots of a day (a date in the store's time zone), in time order; none before `now`."""
    hours = store.hours_on(day)
    if hours is None:
        return []
    zone = store.zone
    opens, closes = moment(day, hours[0], zone), moment(day, hours[1], zone)
    length, buffer = timedelta(minutes=kind.length_minutes), timedelta(minutes=kind.buffer_minutes)
    step = timedelta(minutes=step_minutes)
    free: dict[datetime, list[str]] = {}
    for consultant in team:
        span = consultant.span_on(day)
        if span is None:
            continue
        start = max(opens, moment(day, span[0], zone))
        end = min(closes, moment(day, span[1], zone))
        steps_in = -((opens - start) // step)  # the first start on the opening time's grid at or after `start`
        starts_at = opens + steps_in * step
        while starts_at + length <= end:
            if starts_at >= now and consultant.is_free(starts_at, starts_at + length + buffer):
                free.setdefault(starts_at, []).append(consultant.name)
            starts_at += step
    load = {consultant.name: len(consultant.busy) for consultant in team}
    return [
        Slot(
            starts_at=starts_at.astimezone(zone),
            ends_at=(starts_at + length).astimezone(zone),
            staff=tuple(sorted(names, key=lambda name: (load[name], name))),
        )
        for starts_at, names in sorted(free.items())
    ]


def local_day(when: datetime, zone: ZoneInfo) -> date:
    """The date of a moment in the store's time zone."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("times must be aware datetimes (with a time zone)")
    return when.astimezone(zone).date()


# The parts of a day a list of free times is grouped by (the wall-clock minute each begins at): a phone shows a
# day's 40 times as four short groups, not one long column.
PARTS_OF_DAY = (("morning", 0), ("midday", 12 * 60), ("afternoon", 14 * 60), ("evening", 17 * 60))


def part_of_day(when: datetime) -> str:
    """The part of the day a time (on the store's clock) falls in: morning, midday, afternoon or evening."""
    minutes = when.hour * 60 + when.minute
    return [name for name, begins in PARTS_OF_DAY if begins <= minutes][-1]


def by_part_of_day(slots: Sequence[Slot]) -> list[tuple[str, list[Slot]]]:
    """The slots (in time order, on the store's clock) grouped by part of the day, in the day's order; a part
    without a free time is left out."""
    groups: dict[str, list[Slot]] = {}
    for slot in slots:
        groups.setdefault(part_of_day(slot.starts_at), []).append(slot)
    return [(name, groups[name]) for name, _begins in PARTS_OF_DAY if name in groups]
