"""Booking, moving, cancelling and checking in appointments, with products held to try.

Exactly one booking holds a consultant's time, however many write at once. On PostgreSQL the exclusion constraint
`appointment_no_overlap` (migration 0013) refuses an overlapping row whoever writes it; the booking re-checks the
slot first and tries the next free consultant when the constraint refuses. SQLite has no such constraint, so every
booking takes the file's write lock before it reads (BEGIN IMMEDIATE) and re-checks the slot under it. Cal.com's
double bookings (e.g. https://github.com/calcom/cal.com/issues/13360) came from checking and writing apart.

A held product counts against the store's stock from the booking until the appointment ends, or until it is
cancelled or missed; a hold is only taken while the stock has one left (on PostgreSQL the stock row is locked).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from advisor import i18n
from advisor.appointments import links
from advisor.appointments.slots import Consultant, Slot, day_slots, local_day
from advisor.appointments.slots import moment as moment_of
from advisor.appointments.staff import team
from advisor.appointments.tables import ADVICE_SESSION, APPOINTMENT, APPOINTMENT_HOLD, STOCK, VARIANT
from advisor.config import AppointmentKind, Config
from advisor.contact import MAX_ADDRESS, MailError, UnicodeLocalPart, check_contact
from advisor.db.prepared import prepared, reading
from advisor.questionnaire.findings import closest

MAX_HOLDS = 3  # products a shopper may have set aside to try
NEXT_SLOTS = 3  # free slots offered when the chosen one was taken
CHECK_IN_EARLY = timedelta(hours=1)  # a typed code checks in an appointment from this long before its start
CHANNELS = ("web", "kiosk", "console")
LISTED_DAYS = 15  # open days a page of free times lists from today on
NEAR_BOOKED = timedelta(days=7)  # and the open days this near to the day of an appointment being moved
# A booking's name and contact go into the appointment, the staff's agenda and every mail about it: the longest a
# repair order takes too (advisor/repairs/orders.py MAX_NAME, MAX_PHONE; that layer is above this one), and one
# e-mail address as SMTP takes it (advisor/contact.py MAX_ADDRESS).
MAX_NAME = 200
MAX_PHONE = 40
# What ends a line (str.splitlines): refused in the name and the contact, which are one line each (a mail's header
# names them, the agenda shows them on one row).
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


class BookingError(ValueError):
    """An appointment that cannot be booked, moved or cancelled; `reason` names why, the message says it plainly
    in the shopper's language."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class SlotTaken(BookingError):
    """The slot cannot be had, with the next free ones (`next_slots`) to choose from: someone else booked it first
    (reason "taken"), its time has passed ("past"), or it was never a bookable time ("not_offered": a closed day,
    outside the hours or the booking horizon, not on the times' grid)."""

    def __init__(self, message: str, next_slots: Sequence[Slot], reason: str = "taken") -> None:
        super().__init__(reason, message)
        self.next_slots = tuple(next_slots)


@dataclass(frozen=True)
class Booking:
    """A booked appointment as its shopper is told: when, with whom, what is held, and the one-time links."""

    appointment_id: str
    staff_name: str
    starts_at: datetime  # in the store's time zone
    ends_at: datetime
    held: tuple[str, ...]  # SKUs set aside
    not_held: tuple[str, ...]  # SKUs asked for but none left in the store
    links: dict[str, str]  # reschedule / cancel -> one-time token
    revision: int = 0  # 0 when booked, +1 with every move, hand-over or cancellation (the calendar file's SEQUENCE)
    repeated: bool = False  # the form sent again unchanged (a double tap, Back): the booking made before, confirmed
    moved_from: datetime | None = None  # the advice's booking was at this time: booking again moved it here
    new: bool = False  # a new appointment (not the advice's booking sent again, or moved)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("times must be aware datetimes (with a time zone)")
    return value.astimezone(UTC)


@contextlib.contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One transaction; on SQLite it holds the write lock from its first statement, so its reads stay true."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.rollback()
            raise
        connection.commit()


def offered(config: Config, category_id: str) -> bool:
    """Whether the store books appointments for a category (an advice of it offers one)."""
    return category_id in config.appointments.kinds


def unknown_kinds(config: Config, categories: Iterable[str]) -> list[str]:
    """What to tell store IT of `[appointments.kinds]` entries that name no category of the catalog: nothing can be
    booked for them (a typo such as `sleeping-bags` for `sleeping_bags`), one line each."""
    known = sorted(categories)
    said = []
    for name in config.appointments.kinds:
        if name not in known:
            guess = closest(name, known)
            hint = f" (did you mean '{guess}'?)" if guess else f" (the catalog has {', '.join(known) or 'none'})"
            said.append(f"[appointments.kinds] names '{name}', which is no category of the catalog{hint}: "
                        "appointments for it cannot be booked")  # fmt: skip
    return said


def kind_of(config: Config, category_id: str, locale: str) -> AppointmentKind:
    """The configured appointment kind of a category, or a BookingError when it cannot be booked."""
    kind = config.appointments.kinds.get(category_id)
    if kind is None:
        raise BookingError("no_kind", i18n.text("appointment.error.no_kind", locale))
    return kind


def free_slots(
    engine: Engine,
    *,
    config: Config,
    category_id: str,
    after: datetime,
    count: int,
    skip_appointment: str | None = None,
) -> list[Slot]:
    """The next `count` free slots of a category from `after` on, within the booking horizon."""
    kind = kind_of(config, category_id, "en")
    zone = config.store.zone
    first = local_day(after, zone)
    found: list[Slot] = []
    with reading(engine) as connection:
        for offset in range(config.appointments.horizon_days + 1):
            day = first + timedelta(days=offset)
            consultants = team(
                connection, store=config.store, category_id=category_id, day=day, skip_appointment=skip_appointment
            )
            found += day_slots(
                store=config.store, kind=kind, step_minutes=config.appointments.step_minutes, day=day,
                team=consultants, now=after,
            )  # fmt: skip
            if len(found) >= count:
                break
    return found[:count]


def first_day_words(today: date, offered_first: date, shown: date) -> str | None:
    """What a booking opened without a day chosen says above the free times of `shown` (the first day from
    `offered_first` on that has any): the message key, or None when it shows the first day offered. "Today has no
    time left" only when today is offered at all (a closed Sunday is not "full")."""
    if shown == offered_first:
        return None
    return "booking.later_day" if offered_first == today else "booking.next_free_day"


def nothing_free(engine: Engine, *, config: Config, category_id: str, now: datetime | None = None) -> bool:
    """Whether no time at all is free within the booking horizon (nobody's shifts cover the category, or every time is
    booked): a booking then says so once, instead of "no time is free on this day" on every day the shopper tries."""
    after = _utc(now or datetime.now(UTC))
    return not free_slots(engine, config=config, category_id=category_id, after=after, count=1)


def first_day_with_times(
    engine: Engine, *, config: Config, category_id: str, days: Sequence[date], now: datetime | None = None
) -> date:
    """The day a booking shows first when the shopper has not chosen one: the first of `days` with a free time,
    so that at closing time it opens on tomorrow's times, not on "no time is free on this day"; the first of
    `days` when none of them has one."""
    found = free_slots(engine, config=config, category_id=category_id, after=_utc(now or datetime.now(UTC)), count=1)
    if found:
        day = local_day(found[0].starts_at, config.store.zone)
        if day in days:
            return day
    return days[0]


def first_day_after(engine: Engine, *, config: Config, category_id: str, day: date, days: Sequence[date]) -> date:
    """The first of `days` after `day` with a free time (the first after it when none has one): where a page asked
    for a closed day shows the next free times, saying the store is closed then, rather than silently today's. When
    none of `days` comes after it, the day of the next free time after it (as a refused booking offers), else the
    next open day after it within the horizon; beyond the horizon, the first of `days`."""
    starts = max(_utc(datetime.now(UTC)), datetime.combine(day + timedelta(days=1), time(), tzinfo=config.store.zone))
    after = [listed for listed in days if listed > day]
    if after:
        return first_day_with_times(engine, config=config, category_id=category_id, days=after, now=starts)
    last = local_day(datetime.now(UTC), config.store.zone) + timedelta(days=config.appointments.horizon_days)
    if day >= last:  # (beyond the horizon nothing is offered: the first day listed, as for an open day there)
        return days[0]
    found = free_slots(engine, config=config, category_id=category_id, after=starts, count=1)
    if found and local_day(found[0].starts_at, config.store.zone) <= last:
        return local_day(found[0].starts_at, config.store.zone)
    following = [open_day for open_day in open_days(config, day + timedelta(days=1), 1) if open_day <= last]
    return following[0] if following else days[0]


def open_days(config: Config, first: date, count: int) -> list[date]:
    """Up to `count` days from `first` on that the store is open (a Sunday or a holiday it is closed is not offered),
    within the booking horizon."""
    last = first + timedelta(days=config.appointments.horizon_days)
    days: list[date] = []
    day = first
    while day <= last and len(days) < count:
        if config.store.hours_on(day) is not None:
            days.append(day)
        day += timedelta(days=1)
    return days


def days_to_show(
    config: Config, today: date, wanted: date | None, *, booked: date | None = None
) -> tuple[list[date], date]:
    """The days a page of free times lists, and the day whose times it shows.

    Listed are the first LISTED_DAYS open days from `today`; around a `booked` day (an appointment being moved), the
    open days up to NEAR_BOOKED before and after it; and an open day asked for beyond those (a "next free time"
    link, a typed date), or for a closed day asked for, the next open day after it (`first_day_after` shows it): all
    within the booking horizon. Shown is `wanted` when it is listed, else the booked day when it is, else the first
    day listed (for a past or closed day, or one beyond the horizon)."""
    last = today + timedelta(days=config.appointments.horizon_days)
    listed = set(open_days(config, today, LISTED_DAYS))
    if booked is not None:
        first = max(today, booked - NEAR_BOOKED)
        listed.update(day for day in open_days(config, first, 2 * NEAR_BOOKED.days + 1)
                      if day <= min(last, booked + NEAR_BOOKED))  # fmt: skip
    if wanted is not None and today <= wanted <= last:
        if config.store.hours_on(wanted) is not None:
            listed.add(wanted)
        else:  # closed then: the page shows the next open day's times, so it is listed to be seen chosen
            listed.update(day for day in open_days(config, wanted + timedelta(days=1), 1) if day <= last)
    days = sorted(listed) or [today]
    if wanted is not None and wanted in days:
        return days, wanted
    if booked is not None and booked in days:
        return days, booked
    return days, days[0]


def slots_on(
    engine: Engine, *, config: Config, category_id: str, day: date, now: datetime | None = None,
    skip_appointment: str | None = None,
) -> list[Slot]:  # fmt: skip
    """The free slots of a category on a date (store time zone); none beyond the booking horizon. The appointment
    `skip_appointment` (being moved) does not count as taking its consultant's time."""
    moment = _utc(now or datetime.now(UTC))
    today = local_day(moment, config.store.zone)
    if not today <= day <= today + timedelta(days=config.appointments.horizon_days):
        return []
    kind = kind_of(config, category_id, "en")
    with reading(engine) as connection:
        consultants = team(
            connection, store=config.store, category_id=category_id, day=day, skip_appointment=skip_appointment
        )
    return day_slots(
        store=config.store, kind=kind, step_minutes=config.appointments.step_minutes, day=day, team=consultants,
        now=moment,
    )  # fmt: skip


@dataclass(frozen=True)
class Details:
    """A stored appointment: when, with whom, for which advice session, and what is held."""

    appointment_id: str
    session_id: str | None
    category_id: str
    staff_name: str
    state: str
    starts_at: datetime  # UTC
    ends_at: datetime
    held: tuple[str, ...]
    revision: int = 0  # as Booking.revision
    locale: str = "de"  # the shopper's language when booking: their mails, and the pages their links open


def details(engine: Engine, *, appointment_id: str) -> Details | None:
    """The appointment with this id, or None."""
    with reading(engine) as connection:
        row = connection.execute(sa.select(APPOINTMENT).where(APPOINTMENT.c.id == appointment_id)).first()
        if row is None:
            return None
        held = _held_skus(connection, appointment_id)
        return Details(
            appointment_id=row.id, session_id=row.session_id, category_id=row.category_id, staff_name=row.staff_name,
            state=row.state, starts_at=_stored(row.starts_at), ends_at=_stored(row.ends_at), held=held,
            revision=row.revision, locale=row.locale,
        )  # fmt: skip


def _held_skus(connection: Connection, appointment_id: str) -> tuple[str, ...]:
    """The articles set aside for an appointment and not given back, by SKU."""
    return tuple(
        connection.execute(
            sa.select(APPOINTMENT_HOLD.c.sku)
            .where(APPOINTMENT_HOLD.c.appointment_id == appointment_id, APPOINTMENT_HOLD.c.released_at.is_(None))
            .order_by(APPOINTMENT_HOLD.c.sku)
        ).scalars()
    )


def _stored(value: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives it back naive, in UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _out_of_reach(starts_at: datetime, now: datetime, config: Config) -> str | None:
    """ "past" or "not_offered" for a time no slot can have (far beyond the horizon even at the calendar's edge, where
    no local day is left), else None."""
    if starts_at < now:
        return "past"
    if starts_at - now > timedelta(days=config.appointments.horizon_days + 2):
        return "not_offered"
    return None


def _slot_at(
    connection: Connection,
    *,
    config: Config,
    kind: AppointmentKind,
    category_id: str,
    starts_at: datetime,
    now: datetime,
    skip_appointment: str | None = None,
) -> Slot | str:
    """The free slot starting at `starts_at`, as the database stands inside this transaction; else why there is
    none: "taken", "past" or "not_offered" (as SlotTaken names them)."""
    early = _out_of_reach(starts_at, now, config)
    if early is not None:
        return early
    day = local_day(starts_at, config.store.zone)
    if day > local_day(now, config.store.zone) + timedelta(days=config.appointments.horizon_days):
        return "not_offered"
    consultants = team(
        connection, store=config.store, category_id=category_id, day=day, skip_appointment=skip_appointment
    )

    def starts(consultants: Sequence[Consultant]) -> dict[datetime, Slot]:
        slots = day_slots(
            store=config.store, kind=kind, step_minutes=config.appointments.step_minutes, day=day, team=consultants,
            now=now,
        )  # fmt: skip
        return {slot.starts_at: slot for slot in slots}

    found = starts(consultants).get(starts_at)
    if found is not None:
        return found
    unbooked = [replace(consultant, busy=()) for consultant in consultants]
    return "taken" if starts_at in starts(unbooked) else "not_offered"


def _claim_consultant(connection: Connection, slot: Slot, wanted: str | None, write: sa.Executable) -> str | None:
    """Write the appointment (or its move) for the first consultant the database takes; None when none is left."""
    candidates = [name for name in slot.staff if wanted is None or name == wanted]
    for name in candidates:
        try:
            with connection.begin_nested():
                connection.execute(write, {"chosen_staff": name})
        except IntegrityError:  # PostgreSQL's exclusion constraint: another transaction took this consultant
            continue
        return name
    return None


def _reminder_due(starts_at: datetime, config: Config, now: datetime) -> datetime | None:
    """The day before at the same time on the store's clock, if that is still to come."""
    zone = config.store.zone
    wall = starts_at.astimezone(zone)
    due = datetime.combine(wall.date() - timedelta(days=1), wall.timetz().replace(tzinfo=None), tzinfo=zone)
    due_utc = due.astimezone(UTC)
    return due_utc if due_utc > now else None


def reminds(config: Config, starts_at: datetime, now: datetime | None = None) -> bool:
    """Whether a reminder the day before can still be queued for an appointment starting at `starts_at` (its time
    the day before is still to come): only then do the booking forms offer "remind me the day before", so nobody
    ticks a wish that no mail will ever answer (a same-day booking)."""
    return _reminder_due(_utc(starts_at), config, _utc(now or datetime.now(UTC))) is not None


def reminds_on(config: Config, day: date, now: datetime | None = None) -> bool:
    """Whether a booking on `day` (the store's date) can be reminded of: the form that lists a day's times offers
    the reminder only then. A day after today can (a time the next day before now's wall-clock time is queued no
    reminder, as `book` decides per time); today cannot."""
    return day > local_day(_utc(now or datetime.now(UTC)), config.store.zone)


def next_start(engine: Engine, *, appointment_id: str) -> datetime | None:
    """When the consultant of an appointment has their next one (booked or being held) after it starts, in UTC; None
    when they have none later that day or after. A late arrival is said by it (`advisor.session.arrival`)."""
    with reading(engine) as connection:
        this = connection.execute(
            sa.select(APPOINTMENT.c.staff_name, APPOINTMENT.c.store_id, APPOINTMENT.c.starts_at).where(
                APPOINTMENT.c.id == appointment_id
            )
        ).first()
        if this is None:
            return None
        found = connection.execute(
            sa.select(sa.func.min(APPOINTMENT.c.starts_at)).where(
                APPOINTMENT.c.staff_name == this.staff_name,
                APPOINTMENT.c.store_id == this.store_id,
                APPOINTMENT.c.id != appointment_id,
                APPOINTMENT.c.state.in_(("booked", "checked_in", "done")),
                APPOINTMENT.c.starts_at > this.starts_at,
            )
        ).scalar()
    return _stored(found) if found is not None else None


def _taken(
    engine: Engine, *, config: Config, category_id: str, after: datetime, now: datetime, locale: str,
    skip: str | None, reason: str,
) -> SlotTaken:  # fmt: skip
    """Why the slot at `after` cannot be had, with the next free slots from then on (from now when it has passed or
    lies beyond the booking horizon)."""
    horizon = datetime.combine(
        local_day(now, config.store.zone) + timedelta(days=config.appointments.horizon_days + 1), time(),
        tzinfo=config.store.zone,
    )  # fmt: skip
    start = after if now <= after < horizon else now
    next_slots = free_slots(
        engine, config=config, category_id=category_id, after=start, count=NEXT_SLOTS, skip_appointment=skip
    )
    key = f"appointment.error.{reason}" + ("" if next_slots else "_none_free")
    return SlotTaken(i18n.text(key, locale), next_slots, reason)


def _hold(connection: Connection, *, appointment_id: str, store_id: str, skus: Sequence[str], until: datetime,
          now: datetime) -> tuple[tuple[str, ...], tuple[str, ...]]:  # fmt: skip
    """Set products aside while the store has one left: (held, not held), by the skus asked for.

    Stock is counted per article: a model with several variants (colours, sizes) is held as its first article, in
    the catalog's order, that the store has one of left; `skus` may also name an article itself.
    """
    held: list[str] = []
    not_held: list[str] = []
    for sku in skus:
        articles = connection.execute(
            sa.select(VARIANT.c.sku).where(VARIANT.c.model_sku == sku, VARIANT.c.sku != sku)
            .order_by(VARIANT.c.position, VARIANT.c.sku)
        ).scalars().all() or [sku]  # fmt: skip
        for article in articles:
            quantity = connection.execute(
                sa.select(STOCK.c.quantity).where(STOCK.c.sku == article, STOCK.c.store_id == store_id)
                .with_for_update()
            ).scalar()  # fmt: skip
            holding = connection.execute(
                sa.select(sa.func.count()).select_from(APPOINTMENT_HOLD).where(
                    APPOINTMENT_HOLD.c.sku == article, APPOINTMENT_HOLD.c.store_id == store_id, _live_hold(now)
                )
            ).scalar_one()  # fmt: skip
            if quantity is not None and holding < quantity:
                connection.execute(
                    APPOINTMENT_HOLD.insert().values(
                        appointment_id=appointment_id, sku=article, store_id=store_id, held_until=until
                    )
                )
                held.append(sku)
                break
        else:
            not_held.append(sku)
    return tuple(held), tuple(not_held)


def _hold_until(config: Config, ends_at: datetime) -> datetime:
    """Until when products stay set aside for an appointment ending at `ends_at`: the end of its day on the store's
    clock. A late shopper checks in until they are marked a no-show, and a checked-in one is still being advised or
    trying the product on, so the shelf does not offer it again at the appointment's end; a cancellation or a
    no-show gives it back at once."""
    day = local_day(ends_at, config.store.zone) + timedelta(days=1)
    return datetime.combine(day, time(), tzinfo=config.store.zone).astimezone(UTC)


def _live_hold(now: datetime | sa.BindParameter[Any]) -> sa.ColumnElement[bool]:
    return sa.and_(APPOINTMENT_HOLD.c.released_at.is_(None), APPOINTMENT_HOLD.c.held_until > now)


def held_count(engine: Engine, *, sku: str, store_id: str, now: datetime | None = None) -> int:
    """How many of a product (a model: any of its articles; or one article) are set aside in a store now."""
    moment = _utc(now or datetime.now(UTC))
    articles = sa.select(VARIANT.c.sku).where(VARIANT.c.model_sku == sku)
    with reading(engine) as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).select_from(APPOINTMENT_HOLD).where(
                    sa.or_(APPOINTMENT_HOLD.c.sku == sku, APPOINTMENT_HOLD.c.sku.in_(articles)),
                    APPOINTMENT_HOLD.c.store_id == store_id, _live_hold(moment),
                )
            ).scalar_one()
        )  # fmt: skip


def held_in_store(engine: Engine, *, store_id: str, now: datetime | None = None) -> dict[str, int]:
    """Per article, how many a store has set aside for appointments now: not on the shelf for other shoppers. One
    query (the live holds of a store are few)."""
    return holds_of(engine, store_id=store_id, now=now)[0]


class Holds(dict[str, int]):
    """Per article, how many a store has set aside for appointments now: not on its shelf (`holds_of`).
    `own`: those of them set aside for the appointment of the advice that reads it, so that the shopper who
    booked a product to try reads it as set aside for them, not as gone (every other shopper still sees it gone)."""

    def __init__(self, every: Mapping[str, int] | None = None, own: Mapping[str, int] | None = None) -> None:
        super().__init__(every or {})
        self.own: dict[str, int] = dict(own or {})

    def __eq__(self, other: object) -> bool:
        # (the same shelf with another shopper's share of it reads differently: a screen showing it must follow; a
        # plain mapping says nothing of whose they are)
        if not isinstance(other, Mapping):
            return NotImplemented
        return dict(self) == dict(other) and (not isinstance(other, Holds) or self.own == other.own)

    def __ne__(self, other: object) -> bool:  # (dict's own would not ask __eq__)
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal


def holds_of(
    engine: Engine, *, store_id: str, for_session: str | None = None, now: datetime | None = None
) -> tuple[Holds, dict[str, int]]:
    """Per article, what a store has set aside for appointments now: (all of it: what its shelf lacks, as stock is
    shown, with `own` what is set aside for `for_session`: its stock lines say so rather than "not in stock"; that of
    appointments not of `for_session`: what that advice cannot have, as its filter counts stock: a shopper's own
    product set aside stays in their results). One statement, compiled once (every page that shows stock reads it)."""
    moment = _utc(now or datetime.now(UTC))
    rows = prepared(engine, "store-holds", _holds_statement).rows({"store_id": store_id, "now": moment})
    every: dict[str, int] = {}
    others: dict[str, int] = {}
    for row in rows:
        sku, count = row["sku"], int(row["held"])
        every[sku] = every.get(sku, 0) + count
        if for_session is None or row["session_id"] != for_session:
            others[sku] = others.get(sku, 0) + count
    own = {sku: count - others.get(sku, 0) for sku, count in every.items() if count > others.get(sku, 0)}
    return Holds(every, own), others


def _holds_statement() -> sa.Select[Any]:
    hold = APPOINTMENT_HOLD.c
    return (
        sa.select(hold.sku, APPOINTMENT.c.session_id, sa.func.count().label("held"))
        .join(APPOINTMENT, APPOINTMENT.c.id == hold.appointment_id)
        .where(hold.store_id == sa.bindparam("store_id"), _live_hold(sa.bindparam("now", type_=hold.held_until.type)))
        .group_by(hold.sku, APPOINTMENT.c.session_id)
    )


def book(
    engine: Engine, *, config: Config, category_id: str, starts_at: datetime, name: str, contact: str, locale: str,
    channel: str, session_id: str | None = None, products: Sequence[str] = (), staff_name: str | None = None,
    remind: bool = True, now: datetime | None = None,
) -> Booking:  # fmt: skip
    """Book the slot starting at `starts_at` for a category, with the shopper's consent to keep `name` and `contact`.

    `products` (at most MAX_HOLDS SKUs from the shortlist) are set aside while stock lasts. Raises SlotTaken (with
    the next free slots) when the slot is no longer free, BookingError when it was never bookable.

    An advice session (`session_id`) holds at most one upcoming appointment: asking again for the time it has booked
    gets that booking, with the name and contact sent now (`repeated` when nothing changed: a double tap, a resend);
    another time moves its booking there (`moved_from`) instead of booking a second one, so one advice cannot take
    several consultants' times and hold products for each. Only a booking made now is `new`.

    The name (at most MAX_NAME characters) and the contact (an e-mail address of at most MAX_ADDRESS, a phone number
    of at most MAX_PHONE) are one line each: a longer one, or one with a line break, is a BookingError naming it.
    """
    moment = _utc(now or datetime.now(UTC))
    start = _utc(starts_at)
    kind = kind_of(config, category_id, locale)
    address = "staff" if channel == "console" else "du"  # the console books for a caller: said about them
    skus = tuple(dict.fromkeys(products))
    if len(skus) > MAX_HOLDS:
        raise BookingError(
            "too_many_products", i18n.text("appointment.error.too_many_products", locale, address, count=MAX_HOLDS)
        )
    if not name.strip() or not contact.strip():
        raise BookingError("no_contact", i18n.text("appointment.error.no_contact", locale, address))
    _one_line(name, contact, locale, address)
    try:
        check_contact(contact)
    except UnicodeLocalPart:  # "jürgen@müller.de": valid, but our mails cannot go to it (no SMTPUTF8)
        raise BookingError("bad_contact", i18n.text("appointment.error.unicode_address", locale, address)) from None
    except MailError:  # "kim@example", "6", "call me": nobody could confirm, remind or reach the shopper
        raise BookingError("bad_contact", i18n.text("appointment.error.bad_contact", locale, address)) from None
    if channel not in CHANNELS:
        raise ValueError(f"{channel!r} is not a channel ({', '.join(CHANNELS)})")
    early = _out_of_reach(start, moment, config)
    if early is not None:
        raise _taken(
            engine, config=config, category_id=category_id, after=start, now=moment, locale=locale, skip=None,
            reason=early,
        )  # fmt: skip
    appointment_id = str(uuid.uuid4())
    ends_at = start + timedelta(minutes=kind.length_minutes)
    values = {
        "id": appointment_id, "store_id": config.store.id, "category_id": category_id, "session_id": session_id,
        "starts_at": start, "ends_at": ends_at, "busy_until": ends_at + timedelta(minutes=kind.buffer_minutes),
        "state": "booked", "channel": channel, "name": name.strip(), "contact": contact.strip(), "locale": locale,
        "reminder_due_at": _reminder_due(start, config, moment) if remind else None, "reminder_attempts": 0,
        "remind": remind,
        "notes": "", "created_at": moment, "updated_at": moment,
    }  # fmt: skip
    write = APPOINTMENT.insert().values(**values, staff_name=sa.bindparam("chosen_staff"))
    with writing(engine) as connection:
        before = _booked_before(connection, session_id=session_id, category_id=category_id, now=moment)
        if before is not None and _stored(before.starts_at) == start:
            return _booked_again(connection, before, config=config, name=name, contact=contact, remind=remind,
                                 skus=skus, now=moment)  # fmt: skip
    if before is not None:  # the same advice, another time (Back, or the form sent again): its booking moved there
        moved = reschedule_by_id(engine, config=config, appointment_id=str(before.id), starts_at=start, locale=locale,
                                 now=moment)  # fmt: skip
        with writing(engine) as connection:
            _keep_contact(connection, before, name=name, contact=contact, remind=remind, config=config, now=moment)
            held, not_held = _hold_more(connection, before, skus=skus, config=config, ends_at=_utc(moved.ends_at),
                                        now=moment)  # fmt: skip
        return replace(moved, held=held, not_held=not_held,
                       moved_from=_stored(before.starts_at).astimezone(config.store.zone))  # fmt: skip
    with writing(engine) as connection:
        slot = _slot_at(connection, config=config, kind=kind, category_id=category_id, starts_at=start, now=moment)
        chosen = None if isinstance(slot, str) else _claim_consultant(connection, slot, staff_name, write)
        if chosen is not None:
            held, not_held = _hold(
                connection, appointment_id=appointment_id, store_id=config.store.id, skus=skus,
                until=_hold_until(config, ends_at),
                now=moment,
            )  # fmt: skip
            tokens = links.issue(connection, appointment_id=appointment_id, now=moment)
    if chosen is None:
        reason = slot if isinstance(slot, str) else "taken"
        raise _taken(
            engine, config=config, category_id=category_id, after=start, now=moment, locale=locale, skip=None,
            reason=reason,
        )  # fmt: skip
    zone = config.store.zone
    return Booking(
        appointment_id=appointment_id, staff_name=chosen, starts_at=start.astimezone(zone),
        ends_at=ends_at.astimezone(zone), held=held, not_held=not_held, links=tokens, new=True,
    )  # fmt: skip


def _one_line(name: str, contact: str, locale: str, address: str) -> None:
    """Refuse a name or contact with a line break, or longer than it may be (BookingError naming the field)."""
    for field, value in (("name", name), ("contact", contact)):
        if any(character in LINE_BREAKS for character in value.strip()):
            raise BookingError(f"{field}_line_break", i18n.text("appointment.error.line_break", locale, address))
    if len(name.strip()) > MAX_NAME:
        raise BookingError("name_too_long", i18n.text("appointment.error.name_too_long", locale, count=MAX_NAME))
    longest = MAX_ADDRESS if "@" in contact else MAX_PHONE
    if len(contact.strip()) > longest:
        raise BookingError("contact_too_long",
                           i18n.text("appointment.error.contact_too_long", locale, address, count=longest))  # fmt: skip


def booked_for(engine: Engine, *, session_id: str, category_id: str, now: datetime | None = None) -> str | None:
    """The id of the upcoming appointment an advice session has booked for a category, or None: booking again moves
    that one (`book`), so only without one does a booking make a new appointment."""
    moment = _utc(now or datetime.now(UTC))
    with reading(engine) as connection:
        found = connection.execute(
            sa.select(APPOINTMENT.c.id).where(
                APPOINTMENT.c.session_id == session_id, APPOINTMENT.c.category_id == category_id,
                APPOINTMENT.c.state == "booked", APPOINTMENT.c.ends_at > moment,
            ).order_by(APPOINTMENT.c.starts_at)
        ).scalar()  # fmt: skip
    return None if found is None else str(found)


def _booked_before(connection: Connection, *, session_id: str | None, category_id: str, now: datetime) -> Any:
    """The appointment this advice has booked for the category and not yet had (its row), or None: an advice holds
    one, as the kiosk offers its confirmation instead of a second booking."""
    if session_id is None:
        return None
    if connection.dialect.name != "sqlite":  # two sends at once wait here for each other (SQLite: BEGIN IMMEDIATE)
        connection.execute(sa.select(ADVICE_SESSION.c.id).where(ADVICE_SESSION.c.id == session_id).with_for_update())
    return connection.execute(
        sa.select(APPOINTMENT).where(
            APPOINTMENT.c.session_id == session_id, APPOINTMENT.c.category_id == category_id,
            APPOINTMENT.c.state == "booked", APPOINTMENT.c.ends_at > now,
        ).order_by(APPOINTMENT.c.starts_at)
    ).first()  # fmt: skip


def _keep_contact(
    connection: Connection, row: Any, *, name: str, contact: str, remind: bool, config: Config, now: datetime
) -> bool:
    """The name, contact and wish to be reminded the shopper sent now, kept with their booking (a corrected e-mail
    address reaches them from now on): whether the contact changed."""
    changed = bool(contact.strip() != row.contact)
    if changed or name.strip() != row.name or remind != bool(row.remind):
        starts = _stored(row.starts_at)
        connection.execute(APPOINTMENT.update().where(APPOINTMENT.c.id == row.id).values(
            name=name.strip(), contact=contact.strip(), remind=remind, updated_at=now,
            reminder_due_at=_reminder_due(starts, config, now) if remind and row.reminded_at is None else None,
        ))  # fmt: skip
    return changed


def _booked_again(
    connection: Connection, row: Any, *, config: Config, name: str, contact: str, remind: bool, skus: Sequence[str],
    now: datetime,
) -> Booking:  # fmt: skip
    """The advice's booking at the very time it asked for again, with what it typed now and another pair of links
    (the first confirmation's keep working): `repeated` unless the contact changed (then it is confirmed anew)."""
    changed = _keep_contact(connection, row, name=name, contact=contact, remind=remind, config=config, now=now)
    before = _held_skus(connection, row.id)
    held, not_held = _hold_more(connection, row, skus=skus, config=config, ends_at=_stored(row.ends_at), now=now)
    zone = config.store.zone
    return Booking(
        appointment_id=row.id, staff_name=row.staff_name, starts_at=_stored(row.starts_at).astimezone(zone),
        ends_at=_stored(row.ends_at).astimezone(zone), held=held, not_held=not_held, revision=row.revision,
        links=links.add(connection, appointment_id=row.id, now=now), repeated=not changed and held == before,
    )  # fmt: skip


def _hold_more(
    connection: Connection, row: Any, *, skus: Sequence[str], config: Config, ends_at: datetime, now: datetime
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A booking's form sent again with products ticked that it does not hold yet (Back, one more ticked): those are
    set aside too while stock lasts, up to MAX_HOLDS in all; nothing it holds is given back (a form that shows no
    products sends none). (Every article held now, the skus asked for and not held.)"""
    held = _held_skus(connection, row.id)
    models = set(
        connection.execute(sa.select(VARIANT.c.model_sku).where(VARIANT.c.sku.in_(held))).scalars()
    ) | set(held)  # fmt: skip
    wanted = [sku for sku in skus if sku not in models]
    room = max(0, MAX_HOLDS - len(held))
    if wanted[:room]:
        _hold(connection, appointment_id=str(row.id), store_id=row.store_id, skus=wanted[:room],
              until=_hold_until(config, ends_at), now=now)  # fmt: skip
        held = _held_skus(connection, row.id)
        models |= set(
            connection.execute(sa.select(VARIANT.c.model_sku).where(VARIANT.c.sku.in_(held))).scalars()
        ) | set(held)  # fmt: skip
    return held, tuple(sku for sku in skus if sku not in models)


def _release(connection: Connection, appointment_id: str, now: datetime) -> None:
    connection.execute(
        APPOINTMENT_HOLD.update()
        .where(APPOINTMENT_HOLD.c.appointment_id == appointment_id, APPOINTMENT_HOLD.c.released_at.is_(None))
        .values(released_at=now)
    )


def _end(
    connection: Connection,
    appointment_id: str,
    *,
    state: str,
    now: datetime,
    extra: sa.ColumnElement[bool] | None = None,
) -> bool:
    """Move a booked appointment to `state` (cancelled, no_show), releasing its holds and its reminder. A
    cancellation counts as a revision: the calendar file that tells of it replaces the one before."""
    condition = sa.and_(APPOINTMENT.c.id == appointment_id, APPOINTMENT.c.state == "booked")
    if extra is not None:
        condition = sa.and_(condition, extra)
    revision = APPOINTMENT.c.revision + (1 if state == "cancelled" else 0)
    changed = connection.execute(
        APPOINTMENT.update()
        .where(condition)
        .values(state=state, reminder_due_at=None, updated_at=now, revision=revision)
    ).rowcount
    if changed:
        _release(connection, appointment_id, now)
        links.retire(connection, appointment_id=appointment_id, now=now)
    return bool(changed)


def cancel(engine: Engine, *, appointment_id: str, now: datetime | None = None) -> bool:
    """Cancel a booked appointment (staff, or the shopper's link): whether it was booked."""
    moment = _utc(now or datetime.now(UTC))
    with writing(engine) as connection:
        return cancel_within(connection, appointment_id, now=moment)


def cancel_within(connection: Connection, appointment_id: str, *, now: datetime) -> bool:
    """`cancel` in the caller's transaction (a customer's erasure): its time and held products are free again."""
    return _end(connection, appointment_id, state="cancelled", now=_utc(now))


def cancel_by_link(engine: Engine, *, token: str, locale: str, now: datetime | None = None) -> str:
    """Cancel with the one-time link: the appointment's id, or a BookingError when the link no longer works."""
    moment = _utc(now or datetime.now(UTC))
    with writing(engine) as connection:
        appointment_id = links.redeem(connection, token=token, purpose="cancel", now=moment)
        if appointment_id is not None and _end(connection, appointment_id, state="cancelled", now=moment):
            return appointment_id
    raise BookingError("link_used", i18n.text("appointment.error.link_used", locale))


def mark_no_show(engine: Engine, *, config: Config, appointment_id: str, now: datetime | None = None) -> bool:
    """A shopper not checked in by the grace time after the start is a no-show: holds and time are released."""
    moment = _utc(now or datetime.now(UTC))
    latest_start = moment - no_show_grace(config)
    with writing(engine) as connection:
        return _end(
            connection, appointment_id, state="no_show", now=moment, extra=APPOINTMENT.c.starts_at <= latest_start
        )


def no_show_grace(config: Config) -> timedelta:
    """How long after its start a booked appointment waits for its shopper before it can be marked a no-show."""
    return timedelta(minutes=config.appointments.no_show_grace_minutes)


def no_show_due(config: Config, starts_at: datetime, now: datetime | None = None) -> bool:
    """Whether a booked appointment starting at `starts_at` is overdue: its grace time is over, so it can be marked a
    no-show (`mark_no_show`'s rule)."""
    return _utc(now or datetime.now(UTC)) >= _utc(starts_at) + no_show_grace(config)


def check_in(engine: Engine, *, appointment_id: str, now: datetime | None = None) -> bool:
    """The shopper has arrived: whether the appointment was booked (and is now checked in)."""
    moment = _utc(now or datetime.now(UTC))
    with writing(engine) as connection:
        changed = connection.execute(
            APPOINTMENT.update()
            .where(APPOINTMENT.c.id == appointment_id, APPOINTMENT.c.state == "booked")
            .values(state="checked_in", checked_in_at=moment, reminder_due_at=None, updated_at=moment)
        ).rowcount
    return bool(changed)


# What taking a check-in back came to: taken back (booked again); not checked in (any more: taken back at another
# console first, or never); served (the appointment is done); taken up (staff wrote to it since the check-in: its
# notes); not today (checked in on an earlier day: that visit is over).
Undone = Literal["undone", "not_checked_in", "served", "taken_up", "not_today"]


def undo_check_in(engine: Engine, *, config: Config, appointment_id: str, now: datetime | None = None) -> Undone:
    """Take back a check-in made by mistake (staff tapped the wrong customer's line): today's checked-in appointment
    that nobody has taken up since is booked again, as it was before: no longer checked in, waiting for its shopper
    (a typed code, a tap or the no-show after the grace time). `check_in` changes nothing else (no holds, links,
    revision or case); its reminder stays off, as none of the day before is ever due on the day itself.

    One conditional change: only while still checked in and untouched since (its last change is the check-in: a
    consultant's notes since, or a served appointment, keep the check-in), so of two consoles taking the same
    check-in back one does it and the other is told it is no longer checked in."""
    moment = _utc(now or datetime.now(UTC))
    first, _last = _check_in_window(config, moment)
    following = local_day(moment, config.store.zone) + timedelta(days=1)
    end = datetime.combine(following, time(), tzinfo=config.store.zone).astimezone(UTC)
    today = sa.and_(APPOINTMENT.c.starts_at >= first, APPOINTMENT.c.starts_at < end)
    with writing(engine) as connection:
        changed = connection.execute(
            APPOINTMENT.update()
            .where(
                APPOINTMENT.c.id == appointment_id,
                APPOINTMENT.c.state == "checked_in",
                APPOINTMENT.c.updated_at == APPOINTMENT.c.checked_in_at,  # nobody wrote to it since the check-in
                today,
            )
            .values(state="booked", checked_in_at=None, reminder_due_at=None, updated_at=moment)
        ).rowcount
        if changed:
            return "undone"
        row = connection.execute(
            sa.select(APPOINTMENT.c.state, today.label("today")).where(APPOINTMENT.c.id == appointment_id)
        ).first()
    if row is None or row.state not in ("checked_in", "done"):
        return "not_checked_in"
    if row.state == "done":
        return "served"
    return "taken_up" if row.today else "not_today"


def _check_in_window(config: Config, moment: datetime) -> tuple[datetime, datetime]:
    """The starts (UTC) an arrival at `moment` checks in: today's in the store's zone, up to CHECK_IN_EARLY ahead."""
    midnight = datetime.combine(local_day(moment, config.store.zone), time(), tzinfo=config.store.zone)
    return midnight.astimezone(UTC), moment + CHECK_IN_EARLY


def check_in_due(config: Config, starts_at: datetime, now: datetime | None = None) -> bool:
    """Whether an appointment starting at `starts_at` can be checked in now: on its day, from CHECK_IN_EARLY before
    its start on (the typed code's rule; staff checking in a shopper they recognise follow it too)."""
    first, last = _check_in_window(config, _utc(now or datetime.now(UTC)))
    return first <= _utc(starts_at) <= last


def check_in_opens(config: Config, starts_at: datetime) -> datetime:
    """When an appointment starting at `starts_at` can first be checked in (in the store's zone): CHECK_IN_EARLY
    before its start, but not before the midnight its day begins with (`check_in_due`'s rule)."""
    zone = config.store.zone
    midnight = datetime.combine(local_day(starts_at, zone), time(), tzinfo=zone)
    return max((_utc(starts_at) - CHECK_IN_EARLY).astimezone(zone), midnight)


def check_in_session(engine: Engine, *, config: Config, session_id: str, now: datetime | None = None) -> str | None:
    """The shopper of an advice session has arrived (a resume code typed at the counter or the kiosk): their booked
    appointment in this store today that is due, from CHECK_IN_EARLY before its start on (a late shopper too, until
    marked a no-show), is checked in, the one nearest to now. Its id, or None when none is due (a shopper hours early
    is told their time, not checked in)."""
    moment = _utc(now or datetime.now(UTC))
    first, last = _check_in_window(config, moment)
    with reading(engine) as connection:
        rows = connection.execute(
            sa.select(APPOINTMENT.c.id, APPOINTMENT.c.starts_at).where(
                APPOINTMENT.c.session_id == session_id,
                APPOINTMENT.c.store_id == config.store.id,
                APPOINTMENT.c.state == "booked",
                APPOINTMENT.c.starts_at <= last,
                APPOINTMENT.c.starts_at >= first,
            )
        ).all()
    for appointment_id, _starts in sorted(rows, key=lambda row: abs(_stored(row.starts_at) - moment)):
        if check_in(engine, appointment_id=appointment_id, now=moment):
            return str(appointment_id)
    return None


@dataclass(frozen=True)
class Standing:
    """One of an advice session's appointments in this store as an arriving shopper's code finds it: its state
    (booked, checked_in, done, no_show), when, for whom and with whom, and when it was checked in."""

    appointment_id: str
    state: str
    name: str  # the customer, as booked
    staff_name: str
    starts_at: datetime  # UTC
    checked_in_at: datetime | None  # UTC


def session_standing(engine: Engine, *, config: Config, session_id: str, now: datetime | None = None) -> list[Standing]:
    """The advice session's appointments in this store from today's midnight on (the store's zone), booked, checked
    in, done or marked a no-show (not cancelled), by start: what a typed code that checked nobody in can say why
    from. Reads only."""
    first, _last = _check_in_window(config, _utc(now or datetime.now(UTC)))
    with reading(engine) as connection:
        rows = connection.execute(
            sa.select(
                APPOINTMENT.c.id, APPOINTMENT.c.state, APPOINTMENT.c.name, APPOINTMENT.c.staff_name,
                APPOINTMENT.c.starts_at, APPOINTMENT.c.checked_in_at,
            ).where(
                APPOINTMENT.c.session_id == session_id,
                APPOINTMENT.c.store_id == config.store.id,
                APPOINTMENT.c.state.in_(("booked", "checked_in", "done", "no_show")),
                APPOINTMENT.c.starts_at >= first,
            ).order_by(APPOINTMENT.c.starts_at)
        ).all()  # fmt: skip
    return [
        Standing(
            str(row.id),
            row.state,
            row.name,
            row.staff_name,
            _stored(row.starts_at),
            _stored(row.checked_in_at) if row.checked_in_at is not None else None,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Handover:
    """A booked appointment its consultant's hours no longer hold (a day off, a shorter shift): handed to a free
    colleague (`to`), or left with them (`to` None) for staff to move or cancel with the customer."""

    appointment_id: str
    starts_at: datetime  # in the store's time zone
    name: str  # the customer's
    to: str | None


def fresh_links(engine: Engine, *, appointment_id: str, now: datetime | None = None) -> dict[str, str]:
    """Another pair of links to move or cancel an appointment, for a mail that tells the customer of a change (the
    first mail's keep working)."""
    with writing(engine) as connection:
        return links.add(connection, appointment_id=appointment_id, now=_utc(now or datetime.now(UTC)))


def _works(consultant: Consultant, day: date, start: datetime, end: datetime, zone: ZoneInfo) -> bool:
    """Whether a consultant's hours on `day` hold [start, end)."""
    span = consultant.span_on(day)
    return span is not None and moment_of(day, span[0], zone) <= start and end <= moment_of(day, span[1], zone)


def hand_over(engine: Engine, *, config: Config, staff_name: str, now: datetime | None = None) -> list[Handover]:
    """After a consultant's hours changed: each of their booked appointments ahead that falls outside their hours now
    goes to a colleague with the skill who is free then (the least booked first); those nobody can take stay, and
    are named, so nobody turns up to an empty counter unannounced. In time order."""
    moment = _utc(now or datetime.now(UTC))
    zone = config.store.zone
    handed: list[Handover] = []
    with writing(engine) as connection:
        rows = connection.execute(
            sa.select(APPOINTMENT)
            .where(
                APPOINTMENT.c.staff_name == staff_name, APPOINTMENT.c.state == "booked",
                APPOINTMENT.c.store_id == config.store.id, APPOINTMENT.c.ends_at > moment,
            )
            .order_by(APPOINTMENT.c.starts_at)
        ).all()  # fmt: skip
        for row in rows:
            start, end, busy_until = _stored(row.starts_at), _stored(row.ends_at), _stored(row.busy_until)
            day = local_day(start, zone)
            consultants = team(connection, store=config.store, category_id=row.category_id, day=day,
                               skip_appointment=row.id)  # fmt: skip

            own = next((consultant for consultant in consultants if consultant.name == staff_name), None)
            if own is not None and _works(own, day, start, end, zone):
                continue
            free = sorted(
                (
                    c
                    for c in consultants
                    if c.name != staff_name and _works(c, day, start, end, zone) and c.is_free(start, busy_until)
                ),
                key=lambda consultant: (len(consultant.busy), consultant.name),
            )
            write = (
                APPOINTMENT.update()
                .where(APPOINTMENT.c.id == row.id)
                .values(
                    staff_name=sa.bindparam("chosen_staff"), updated_at=moment, revision=APPOINTMENT.c.revision + 1
                )  # (the calendar entry names the consultant)  # fmt: skip
            )
            slot = Slot(start.astimezone(zone), end.astimezone(zone), tuple(consultant.name for consultant in free))
            chosen = _claim_consultant(connection, slot, None, write) if free else None
            handed.append(Handover(row.id, start.astimezone(zone), row.name, chosen))
    return handed


def reminder_links(engine: Engine, *, appointment_id: str, now: datetime | None = None) -> dict[str, str]:
    """A pair of one-time links for the reminder of a booked appointment (the confirmation's keep working), or none
    when it is no longer booked."""
    moment = _utc(now or datetime.now(UTC))
    with writing(engine) as connection:
        booked = connection.execute(
            sa.select(APPOINTMENT.c.id).where(APPOINTMENT.c.id == appointment_id, APPOINTMENT.c.state == "booked")
        ).first()
        return links.add(connection, appointment_id=appointment_id, now=moment) if booked is not None else {}


def booked_by_link(engine: Engine, *, token: str, purpose: str) -> Details | None:
    """The booked appointment an unused link ("reschedule" or "cancel") is for (the link stays unused), or None."""
    with reading(engine) as connection:
        appointment_id = links.peek(connection, token=token, purpose=purpose)
    found = details(engine, appointment_id=appointment_id) if appointment_id is not None else None
    return found if found is not None and found.state == "booked" else None


def reschedule_by_link(
    engine: Engine, *, config: Config, token: str, starts_at: datetime, locale: str, now: datetime | None = None
) -> Booking:
    """Move an appointment with its one-time link to another free slot: the booking with fresh links.

    The link is used up only when the move succeeds; a taken slot raises SlotTaken and the link still works.
    """

    def redeem(connection: Connection, moment: datetime) -> str | None:
        return links.redeem(connection, token=token, purpose="reschedule", now=moment)

    return _reschedule(engine, config=config, find=redeem, gone="link_used", starts_at=starts_at, locale=locale,
                       now=now)  # fmt: skip


def reschedule_for_session(
    engine: Engine, *, config: Config, appointment_id: str, session_id: str, starts_at: datetime, locale: str,
    now: datetime | None = None,
) -> Booking:  # fmt: skip
    """Move a booked appointment of this advice session (the phone that holds the session) to another free slot: the
    booking with fresh links (the ones sent before stop working, as after a move by link). Raises SlotTaken when the
    slot is no longer free, BookingError when the appointment is not this session's or no longer booked."""

    def own(connection: Connection, _moment: datetime) -> str | None:
        return _session_appointment(connection, appointment_id=appointment_id, session_id=session_id)

    return _reschedule(engine, config=config, find=own, gone="not_booked", starts_at=starts_at, locale=locale,
                       now=now)  # fmt: skip


def reschedule_by_id(
    engine: Engine, *, config: Config, appointment_id: str, starts_at: datetime, locale: str,
    now: datetime | None = None,
) -> Booking:  # fmt: skip
    """Move a booked appointment to another free slot (staff for a customer who called; the advice's own booking
    form sent again after Back): the booking with fresh links, as a move by link. SlotTaken when the slot is no
    longer free, BookingError when the appointment is no longer booked."""

    def chosen(_connection: Connection, _moment: datetime) -> str | None:
        return appointment_id

    return _reschedule(engine, config=config, find=chosen, gone="not_booked", starts_at=starts_at, locale=locale,
                       now=now)  # fmt: skip


def cancel_for_session(engine: Engine, *, appointment_id: str, session_id: str, now: datetime | None = None) -> bool:
    """Cancel a booked appointment of this advice session: whether it was this session's and booked."""
    moment = _utc(now or datetime.now(UTC))
    with writing(engine) as connection:
        own = _session_appointment(connection, appointment_id=appointment_id, session_id=session_id)
        return own is not None and _end(connection, own, state="cancelled", now=moment)


def _session_appointment(connection: Connection, *, appointment_id: str, session_id: str) -> str | None:
    found = connection.execute(
        sa.select(APPOINTMENT.c.id).where(APPOINTMENT.c.id == appointment_id, APPOINTMENT.c.session_id == session_id)
    ).scalar()
    return None if found is None else str(found)


def _reschedule(
    engine: Engine, *, config: Config, find: Callable[[Connection, datetime], str | None], gone: str,
    starts_at: datetime, locale: str, now: datetime | None,
) -> Booking:  # fmt: skip
    """Move the appointment `find` names (in the moving transaction: a link it uses up stays usable when the slot
    is taken) to the slot at `starts_at`; BookingError(`gone`) when there is none or it is no longer booked."""
    moment = _utc(now or datetime.now(UTC))
    start = _utc(starts_at)
    early = _out_of_reach(start, moment, config)
    with writing(engine) as connection:
        appointment_id = find(connection, moment)
        row = None
        if appointment_id is not None:
            row = connection.execute(
                sa.select(APPOINTMENT).where(APPOINTMENT.c.id == appointment_id, APPOINTMENT.c.state == "booked")
            ).first()
        if row is None:
            raise BookingError(gone, i18n.text(f"appointment.error.{gone}", locale))
        if early is not None:
            connection.rollback()  # the link stays usable
            raise _taken(
                engine, config=config, category_id=row.category_id, after=start, now=moment, locale=locale,
                skip=row.id, reason=early,
            )  # fmt: skip
        kind = kind_of(config, row.category_id, locale)
        ends_at = start + timedelta(minutes=kind.length_minutes)
        remind = bool(row.remind)  # the shopper's wish when booking, whether a reminder was due yet or not
        slot = _slot_at(
            connection, config=config, kind=kind, category_id=row.category_id, starts_at=start, now=moment,
            skip_appointment=row.id,
        )  # fmt: skip
        write = (
            APPOINTMENT.update()
            .where(APPOINTMENT.c.id == row.id)
            .values(
                staff_name=sa.bindparam("chosen_staff"), starts_at=start, ends_at=ends_at,
                busy_until=ends_at + timedelta(minutes=kind.buffer_minutes), updated_at=moment,
                reminder_due_at=_reminder_due(start, config, moment) if remind else None,
                reminded_at=None, reminder_attempts=0, revision=APPOINTMENT.c.revision + 1,
            )
        )  # fmt: skip
        # The same consultant if free, else whoever is.
        ordered = slot
        if not isinstance(slot, str) and row.staff_name in slot.staff:
            ordered = Slot(
                slot.starts_at, slot.ends_at, (row.staff_name, *(n for n in slot.staff if n != row.staff_name))
            )
        chosen = None if isinstance(ordered, str) else _claim_consultant(connection, ordered, None, write)
        if chosen is None:
            connection.rollback()  # the link stays usable
        else:
            connection.execute(
                APPOINTMENT_HOLD.update()
                .where(APPOINTMENT_HOLD.c.appointment_id == row.id, APPOINTMENT_HOLD.c.released_at.is_(None))
                .values(held_until=_hold_until(config, ends_at))
            )
            held = _held_skus(connection, row.id)
            tokens = links.issue(connection, appointment_id=row.id, now=moment)
    if chosen is None:
        reason = slot if isinstance(slot, str) else "taken"
        raise _taken(
            engine, config=config, category_id=row.category_id, after=start, now=moment, locale=locale, skip=row.id,
            reason=reason,
        )  # fmt: skip
    zone = config.store.zone
    return Booking(
        appointment_id=row.id, staff_name=chosen, starts_at=start.astimezone(zone), ends_at=ends_at.astimezone(zone),
        held=held, not_held=(), links=tokens, revision=row.revision + 1,
    )  # fmt: skip
