"""The console's list of appointments: who comes when, for what, and which held products to fetch from where."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.appointments.tables import APPOINTMENT, APPOINTMENT_HOLD, STOCK, VARIANT
from advisor.db.prepared import reading

PRODUCT = sa.table("product", sa.column("sku"), sa.column("name_de"), sa.column("name_en"))


@dataclass(frozen=True)
class HeldProduct:
    """A product set aside for an appointment, and the shelf to fetch it from."""

    sku: str
    name: str  # the model's name
    location: str
    model_sku: str = ""  # the model a held variant belongs to (what names its colour or size); "" when it is one


@dataclass(frozen=True)
class Entry:
    """One appointment as the console lists it (times in the store's time zone)."""

    appointment_id: str
    starts_at: datetime
    ends_at: datetime
    staff_name: str
    category_id: str
    state: str
    name: str
    contact: str
    session_id: str | None
    notes: str
    held: tuple[HeldProduct, ...]
    checked_in_at: datetime | None = None  # when the shopper arrived (store's zone): whether they came late


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def agenda(
    engine: Engine, *, store_id: str, since: datetime, until: datetime, zone: tzinfo, locale: str
) -> list[Entry]:
    """The store's appointments starting in [since, until), cancelled ones left out, in time order."""
    start, end = since.astimezone(UTC), until.astimezone(UTC)
    return _entries(
        engine,
        sa.and_(
            APPOINTMENT.c.store_id == store_id,
            APPOINTMENT.c.starts_at >= start,
            APPOINTMENT.c.starts_at < end,
            APPOINTMENT.c.state != "cancelled",
        ),
        zone=zone,
        locale=locale,
    )


def entry(engine: Engine, *, appointment_id: str, zone: tzinfo, locale: str) -> Entry | None:
    """One appointment as the console lists it (a reminder or a confirmation says the same), or None."""
    found = _entries(engine, APPOINTMENT.c.id == appointment_id, zone=zone, locale=locale)
    return found[0] if found else None


def upcoming(
    engine: Engine, *, session_id: str, zone: tzinfo, locale: str, now: datetime | None = None,
    states: tuple[str, ...] = ("booked",),
) -> list[Entry]:  # fmt: skip
    """The appointments of an advice session in `states` that have not ended yet, in time order (the shopper's phone
    shows the booked ones; a console's case also those checked in)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return _entries(
        engine,
        sa.and_(
            APPOINTMENT.c.session_id == session_id, APPOINTMENT.c.state.in_(states), APPOINTMENT.c.ends_at > moment
        ),
        zone=zone,
        locale=locale,
    )


def checked_in_today(
    engine: Engine, *, session_id: str, zone: tzinfo, locale: str, now: datetime | None = None
) -> list[Entry]:
    """The appointments of an advice session checked in on the store's day of `now`, ended or not, in time order: a
    customer who came (late, or staying past the slot) belongs to their case for the rest of that day."""
    day = (now or datetime.now(UTC)).astimezone(zone).date()
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    following = day + timedelta(days=1)
    end = datetime(following.year, following.month, following.day, tzinfo=zone)
    return _entries(
        engine,
        sa.and_(
            APPOINTMENT.c.session_id == session_id,
            APPOINTMENT.c.state == "checked_in",
            APPOINTMENT.c.starts_at >= start.astimezone(UTC),
            APPOINTMENT.c.starts_at < end.astimezone(UTC),
        ),
        zone=zone,
        locale=locale,
    )


def missed(engine: Engine, *, session_id: str, zone: tzinfo, locale: str) -> Entry | None:
    """The advice session's last appointment marked as not turned up, unless one booked (or held) since follows it:
    what the shopper's phone says they missed, with the offer to book anew."""
    found = _entries(
        engine,
        sa.and_(APPOINTMENT.c.session_id == session_id, APPOINTMENT.c.state.in_(("no_show", "booked", "checked_in"))),
        zone=zone,
        locale=locale,
    )
    last = found[-1] if found else None
    return last if last is not None and last.state == "no_show" else None


def to_move(entries: Sequence[Entry], category_id: str, now: datetime) -> Entry | None:
    """Of an advice's appointments, the one a booking for `category_id` moves instead of booking a second (the rule
    `booking.book` applies in the database): booked for that category and not over yet, the first."""
    ahead = [e for e in entries if e.state == "booked" and e.category_id == category_id and e.ends_at > now]
    return min(ahead, key=lambda e: e.starts_at, default=None)


def _entries(engine: Engine, where: sa.ColumnElement[bool], *, zone: tzinfo, locale: str) -> list[Entry]:
    with reading(engine) as connection:
        rows = connection.execute(
            sa.select(APPOINTMENT).where(where).order_by(APPOINTMENT.c.starts_at, APPOINTMENT.c.staff_name)
        ).all()
        ids = [row.id for row in rows]
        name_column = (  # German where the English name is missing
            PRODUCT.c.name_de
            if locale == "de"
            else sa.func.coalesce(sa.func.nullif(PRODUCT.c.name_en, ""), PRODUCT.c.name_de)
        )
        location_column = STOCK.c.location_de if locale == "de" else STOCK.c.location_en
        holds = connection.execute(
            sa.select(
                APPOINTMENT_HOLD.c.appointment_id,
                APPOINTMENT_HOLD.c.sku,
                name_column,
                location_column,
                VARIANT.c.model_sku,
            )  # fmt: skip
            .select_from(  # a held article (a variant) is named by its model
                APPOINTMENT_HOLD.outerjoin(VARIANT, VARIANT.c.sku == APPOINTMENT_HOLD.c.sku)
                .outerjoin(PRODUCT, PRODUCT.c.sku == sa.func.coalesce(VARIANT.c.model_sku, APPOINTMENT_HOLD.c.sku))
                .outerjoin(
                    STOCK, (STOCK.c.sku == APPOINTMENT_HOLD.c.sku) & (STOCK.c.store_id == APPOINTMENT_HOLD.c.store_id)
                )
            )
            .where(APPOINTMENT_HOLD.c.appointment_id.in_(ids), APPOINTMENT_HOLD.c.released_at.is_(None))
            .order_by(APPOINTMENT_HOLD.c.sku)
        ).all()
    held: dict[str, list[HeldProduct]] = {}
    for appointment_id, sku, name, location, model_sku in holds:
        held.setdefault(appointment_id, []).append(
            HeldProduct(sku=sku, name=name or sku, location=location or "", model_sku=model_sku or "")
        )
    return [
        Entry(
            appointment_id=row.id, starts_at=_aware(row.starts_at).astimezone(zone),
            ends_at=_aware(row.ends_at).astimezone(zone), staff_name=row.staff_name, category_id=row.category_id,
            state=row.state, name=row.name, contact=row.contact, session_id=row.session_id, notes=row.notes,
            held=tuple(held.get(row.id, ())),
            checked_in_at=_aware(row.checked_in_at).astimezone(zone) if row.checked_in_at is not None else None,
        )
        for row in rows
    ]  # fmt: skip


MAX_NOTES = 4000  # characters of a consultant's notes on an appointment (the window's field takes no more)


class NotesTooLong(ValueError):
    """Notes longer than MAX_NOTES characters: refused, the message names the limit."""


class NoCustomer(ValueError):
    """Notes for an appointment that names no customer any more (erased on their request, or past its retention) or
    is not there: refused, so nothing personal is written back onto it."""


def set_notes(engine: Engine, *, appointment_id: str, notes: str) -> None:
    """The consultant's notes on an appointment (at most MAX_NOTES characters), while it still names its customer:
    NoCustomer once they are forgotten (a console that had it open when store IT erased them saves nothing)."""
    if len(notes) > MAX_NOTES:
        raise NotesTooLong(f"notes are at most {MAX_NOTES} characters long")
    with engine.begin() as connection:
        changed = connection.execute(
            APPOINTMENT.update()
            .where(APPOINTMENT.c.id == appointment_id, APPOINTMENT.c.name != "")
            .values(notes=notes, updated_at=datetime.now(UTC))
        ).rowcount
    if not changed:
        raise NoCustomer(f"appointment {appointment_id} names no customer any more: its notes are not kept")
