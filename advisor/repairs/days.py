"""When a repair is ready and can be collected, as the store's opening hours allow ([store] opening_hours and
holidays): a ready day the store is closed moves to the next day it is open, and the collection is said with that
day's hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from advisor.config import BACK_WITHIN_DAYS, StoreConfig
from advisor.i18n import day_text, text

if TYPE_CHECKING:
    from advisor.repairs.orders import Order


@dataclass(frozen=True)
class ReadyDay:
    """The day a repair should be ready, moved past the days the store is closed (`closed`, in order)."""

    day: date
    closed: tuple[date, ...] = ()


def open_day(store: StoreConfig, day: date) -> ReadyDay:
    """The first day from `day` the store is open, with the closed days passed over (`day` itself when the store
    does not open within BACK_WITHIN_DAYS)."""
    for offset in range(BACK_WITHIN_DAYS + 1):
        candidate = day + timedelta(days=offset)
        if store.hours_on(candidate) is not None:
            return ReadyDay(candidate, tuple(day + timedelta(days=skipped) for skipped in range(offset)))
    return ReadyDay(day)


def ready_day(store: StoreConfig, received: datetime, days: int) -> ReadyDay:
    """The expected ready day of a product received at `received` with a turnaround of `days` (store's calendar)."""
    return open_day(store, (received + timedelta(days=days)).astimezone(store.zone).date())


def expected_day(order: Order, store: StoreConfig) -> date | None:
    """An order's expected ready day, on a day the store is open (None before the product is handed in)."""
    received = order.received_at
    return ready_day(store, received, order.turnaround_days).day if received is not None else None


def overdue(order: Order, store: StoreConfig, now: datetime) -> bool:
    """Past its expected ready day (the store's calendar, moved past closed days: due by the end of that day) and
    not ready yet; never before the product is handed in."""
    from advisor.repairs.orders import State

    day = expected_day(order, store)
    return (
        day is not None and not order.final and order.state != State.READY and now.astimezone(store.zone).date() > day
    )


def expected_text(order: Order, store: StoreConfig, locale: str) -> str:
    """The expected ready day as every surface says it: "Mo 28.12.2026", "Mon 28 Dec 2026" ("" before hand-in)."""
    day = expected_day(order, store)
    return day_text(day, locale, weekday="short", year=True) if day is not None else ""


def closed_text(closed: tuple[date, ...], locale: str) -> str:
    """Why a ready day moved: "So 20.12. ist geschlossen", "Fri 25 Dec, Sat 26 Dec are closed" ("" for none)."""
    if not closed:
        return ""
    days = ", ".join(day_text(day, locale, weekday="short") for day in closed)
    return text(f"repair.closed.{'one' if len(closed) == 1 else 'other'}", locale, days=days)


@dataclass(frozen=True)
class Collection:
    """From when a ready repair can be collected: the day, and the time from which until closing (minutes)."""

    day: date
    start: int
    end: int


def collection(store: StoreConfig, ready_at: datetime) -> Collection | None:
    """When a repair ready at `ready_at` can be collected: that day until closing when the store is open then, else
    the next open day's hours (store time zone, a holiday's hours winning); None when it does not open by
    BACK_WITHIN_DAYS."""
    zone = store.zone
    local = ready_at.astimezone(zone)
    for offset in range(BACK_WITHIN_DAYS + 1):
        day = local.date() + timedelta(days=offset)
        span = store.hours_on(day)
        if span is None:
            continue
        opens = datetime.combine(day, time(0), tzinfo=zone) + timedelta(minutes=span[0])
        closes = datetime.combine(day, time(0), tzinfo=zone) + timedelta(minutes=span[1])
        if local < opens:
            return Collection(day, span[0], span[1])
        if local < closes:
            return Collection(day, local.hour * 60 + local.minute, span[1])
    return None


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def collection_text(store: StoreConfig, ready_at: datetime, locale: str, address: str = "du") -> str:
    """When a ready repair can be collected: "Abholbar ab Mo 28.12., 09:30–20:00 Uhr" ("" when the store does
    not open within BACK_WITHIN_DAYS)."""
    found = collection(store, ready_at)
    if found is None:
        return ""
    day = day_text(found.day, locale, weekday="short")
    return text("repair.collect_from", locale, address, day=day, start=_clock(found.start), end=_clock(found.end))
