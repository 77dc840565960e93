"""Who advises on what and when: staff skills (categories), weekly shifts and dated exceptions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from advisor.appointments.slots import Consultant, Span, moment
from advisor.appointments.tables import APPOINTMENT, STAFF_SHIFT, STAFF_SHIFT_EXCEPTION, STAFF_SKILL
from advisor.config import StoreConfig
from advisor.db.prepared import reading

ACTIVE = ("booked", "checked_in", "done")  # the states that take a consultant's time (as the database constraint)
STAFF_MEMBER = sa.table("staff_member", sa.column("name"))  # who signs in at a console (handoff's table, by name)


@dataclass(frozen=True)
class Schedule:
    """What a staff member advises on and when they work: weekly shifts and the dated exceptions from `since` on."""

    staff_name: str
    skills: tuple[str, ...] = ()
    shifts: Mapping[int, Span] = field(default_factory=dict)  # weekday (0 = Monday) -> span
    exceptions: Mapping[date, Span | None] = field(default_factory=dict)  # None: not working that day

    def hours_on(self, day: date) -> Span | None:
        """The hours worked on a date (minutes since midnight): its exception, else the weekday's shift; None: off."""
        if day in self.exceptions:
            return self.exceptions[day]
        return self.shifts.get(day.weekday())

    def working(self, at: datetime, zone: tzinfo) -> bool:
        """Whether the staff member works at a moment (the store's clock)."""
        local = at.astimezone(zone)
        hours = self.hours_on(local.date())
        return hours is not None and hours[0] <= local.hour * 60 + local.minute < hours[1]


def _checked(span: Span | None) -> Span | None:
    if span is not None and not 0 <= span[0] < span[1] <= 24 * 60:
        raise ValueError(f"{span} is not a span of a day in minutes (start before end, 0 to 1440)")
    return span


def span_text(span: Span | None) -> str:
    """A span as staff type it ("09:30-18:00"); "" for not working."""
    if span is None:
        return ""
    return "-".join(f"{minutes // 60:02d}:{minutes % 60:02d}" for minutes in span)


def parse_span(typed: str) -> Span | None:
    """A span typed as "09:30-18:00" (or "9-18"); "" or "-" for not working. ValueError names what is wrong."""
    if typed.strip() in ("", "-"):
        return None
    start, dash, end = typed.partition("-")
    if not dash:
        raise ValueError(f"{typed.strip()!r} is not a time span like 09:30-18:00")

    def minutes(part: str) -> int:
        hours, _, rest = part.strip().partition(":")
        if not hours.isdigit() or not (rest.isdigit() or rest == "") or len(rest) not in (0, 2) or int(rest or 0) > 59:
            raise ValueError(f"{typed.strip()!r} is not a time span like 09:30-18:00")
        return int(hours) * 60 + int(rest or 0)

    span = (minutes(start), minutes(end))
    if not 0 <= span[0] < span[1] <= 24 * 60:
        raise ValueError(f"{typed.strip()!r}: the end must be after the start, within the day")
    return span


def set_skills(engine: Engine, *, staff_name: str, categories: Iterable[str]) -> None:
    """The categories a staff member advises on (replacing the ones before)."""
    with engine.begin() as connection:
        connection.execute(STAFF_SKILL.delete().where(STAFF_SKILL.c.staff_name == staff_name))
        rows = [{"staff_name": staff_name, "category_id": category} for category in sorted(set(categories))]
        if rows:
            connection.execute(STAFF_SKILL.insert(), rows)


def set_shift(engine: Engine, *, staff_name: str, weekday: int, span: Span | None) -> None:
    """A staff member's hours on a weekday (0 = Monday) every week; None: not working that weekday."""
    if not 0 <= weekday <= 6:
        raise ValueError(f"{weekday} is not a weekday (0 = Monday to 6 = Sunday)")
    _checked(span)
    with engine.begin() as connection:
        key = (STAFF_SHIFT.c.staff_name == staff_name) & (STAFF_SHIFT.c.weekday == weekday)
        connection.execute(STAFF_SHIFT.delete().where(key))
        if span is not None:
            connection.execute(
                STAFF_SHIFT.insert().values(
                    staff_name=staff_name, weekday=weekday, starts_minute=span[0], ends_minute=span[1]
                )
            )


def set_exception(engine: Engine, *, staff_name: str, day: date, span: Span | None) -> None:
    """Other hours on one date than the weekly shift; None: not working that day (leave, illness)."""
    _checked(span)
    starts, ends = span if span is not None else (None, None)
    with engine.begin() as connection:
        key = (STAFF_SHIFT_EXCEPTION.c.staff_name == staff_name) & (STAFF_SHIFT_EXCEPTION.c.day == day)
        connection.execute(STAFF_SHIFT_EXCEPTION.delete().where(key))
        connection.execute(
            STAFF_SHIFT_EXCEPTION.insert().values(
                staff_name=staff_name, day=day, starts_minute=starts, ends_minute=ends
            )
        )


def clear_exception(engine: Engine, *, staff_name: str, day: date) -> None:
    """The weekly shift holds again on a date."""
    with engine.begin() as connection:
        key = (STAFF_SHIFT_EXCEPTION.c.staff_name == staff_name) & (STAFF_SHIFT_EXCEPTION.c.day == day)
        connection.execute(STAFF_SHIFT_EXCEPTION.delete().where(key))


def staff_names(engine: Engine) -> list[str]:
    """Everyone who can sign in at a console (and so be given skills and shifts), in name order."""
    with reading(engine) as connection:
        return list(connection.execute(sa.select(STAFF_MEMBER.c.name).order_by(STAFF_MEMBER.c.name)).scalars())


def schedule_of(engine: Engine, *, staff_name: str, since: date) -> Schedule:
    """A staff member's skills, weekly shifts and the exceptions on or after `since`."""
    with reading(engine) as connection:
        skills = connection.execute(
            sa.select(STAFF_SKILL.c.category_id)
            .where(STAFF_SKILL.c.staff_name == staff_name)
            .order_by(STAFF_SKILL.c.category_id)
        ).scalars().all()  # fmt: skip
        shifts = {
            row.weekday: (row.starts_minute, row.ends_minute)
            for row in connection.execute(sa.select(STAFF_SHIFT).where(STAFF_SHIFT.c.staff_name == staff_name))
        }
        query = (
            sa.select(STAFF_SHIFT_EXCEPTION)
            .where(STAFF_SHIFT_EXCEPTION.c.staff_name == staff_name, STAFF_SHIFT_EXCEPTION.c.day >= since)
            .order_by(STAFF_SHIFT_EXCEPTION.c.day)
        )
        exceptions: dict[date, Span | None] = {
            row.day: None if row.starts_minute is None else (row.starts_minute, row.ends_minute)
            for row in connection.execute(query)
        }
    return Schedule(staff_name, tuple(skills), shifts, exceptions)


def team(
    connection: Connection, *, store: StoreConfig, category_id: str, day: date, skip_appointment: str | None = None
) -> list[Consultant]:
    """The consultants for a category with their hours and the time taken on a date (store time zone); the
    appointment `skip_appointment` (being moved) does not count as taken."""
    names = connection.execute(
        sa.select(STAFF_SKILL.c.staff_name).where(STAFF_SKILL.c.category_id == category_id)
    ).scalars().all()  # fmt: skip
    if not names:
        return []
    shifts: dict[str, dict[int, Span]] = {name: {} for name in names}
    for row in connection.execute(sa.select(STAFF_SHIFT).where(STAFF_SHIFT.c.staff_name.in_(names))):
        shifts[row.staff_name][row.weekday] = (row.starts_minute, row.ends_minute)
    exceptions: dict[str, dict[date, Span | None]] = {name: {} for name in names}
    query = sa.select(STAFF_SHIFT_EXCEPTION).where(
        STAFF_SHIFT_EXCEPTION.c.staff_name.in_(names), STAFF_SHIFT_EXCEPTION.c.day == day
    )
    for row in connection.execute(query):
        span = None if row.starts_minute is None else (row.starts_minute, row.ends_minute)
        exceptions[row.staff_name][row.day] = span
    # A day's slots and their buffers stay within a day and a half of its midnight.
    window_start, window_end = moment(day, 0, store.zone) - timedelta(hours=12), moment(day, 36 * 60, store.zone)
    busy: dict[str, list[tuple[datetime, datetime]]] = {name: [] for name in names}
    query = sa.select(APPOINTMENT.c.staff_name, APPOINTMENT.c.starts_at, APPOINTMENT.c.busy_until).where(
        APPOINTMENT.c.staff_name.in_(names),
        APPOINTMENT.c.state.in_(ACTIVE),
        APPOINTMENT.c.starts_at < window_end,
        APPOINTMENT.c.busy_until > window_start,
    )
    if skip_appointment is not None:
        query = query.where(APPOINTMENT.c.id != skip_appointment)
    for row in connection.execute(query):
        busy[row.staff_name].append((_utc(row.starts_at), _utc(row.busy_until)))
    return [
        Consultant(name=name, shifts=shifts[name], exceptions=exceptions[name], busy=tuple(busy[name]))
        for name in sorted(names)
    ]


def _utc(value: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives it back naive, in UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
