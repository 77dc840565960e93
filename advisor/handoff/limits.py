"""Attempts counted in the database, so every server process and instance shares them and a restart clears nothing:
wrong resume codes per client and store-wide, summary and confirmation mails per session and client, and what one
client may start on the web companion (bookings, chat requests and lines, repair orders, empty API sessions: the
budgets below, each with why its number).

Two kinds of limit, both on the table attempt_count (a row per key and window):

- A `Budget` is `limit` attempts per `window`, sliding: the previous window's attempts weigh in proportion to how
  much of it still lies within one window of now, so a burst at the end of one window and the start of the next
  cannot spend the budget twice (the "sliding window counter" of rate limiters).
- A `Backoff` answers a key's first attempts of a window at once; from the `free`-th on, each attempt makes the
  key wait, twice as long as the one before (`blocked_until`).

An attempt over a limit is refused and not counted. Counting is a conditional UPDATE (an INSERT for a new window),
so concurrent requests of several processes cannot slip past a limit, on SQLite and PostgreSQL alike.

Why not the `limits` library (or PyrateLimiter): `limits` keeps counts in memory, Redis, Memcached or MongoDB, none
of which a store runs; PyrateLimiter's SQLite and PostgreSQL buckets open connections and tables of their own,
outside this database's migrations, and neither has a back-off or gives back an attempt that turned out right.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from advisor.db.prepared import reading
from advisor.handoff.model import AttemptCount

COUNTS = AttemptCount.__table__  # type: ignore[attr-defined]
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
_RACES = 20  # a counted attempt that lost a race with another process is tried again, this often at most


def key(kind: str, name: str) -> str:
    """The key `name`'s attempts of a kind are counted under ("codes:ip:203.0.113.7"); a long name, say from a
    proxy header, by its hash, so every key fits the column."""
    if len(name) <= 120:
        return f"{kind}:{name}"
    return f"{kind}:#{hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest()}"


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _start_of(window: timedelta, now: datetime) -> datetime:
    """The start of the window `now` falls in (windows are aligned, so every process agrees)."""
    seconds = window.total_seconds()
    return EPOCH + timedelta(seconds=((now - EPOCH).total_seconds() // seconds) * seconds)


def _seconds_until(moment: datetime, until: datetime) -> int:
    return max(1, math.ceil((until - moment).total_seconds()))


def _count_of(connection: Connection, key: str, start: datetime) -> int:
    found = connection.execute(
        sa.select(COUNTS.c.count).where(COUNTS.c.key == key, COUNTS.c.window_start == start)
    ).scalar()
    return int(found or 0)


def _opened(connection: Connection, values: dict[str, object]) -> bool:
    """Insert a key's first row of a window; False when another process inserted it first."""
    try:
        with connection.begin_nested():
            connection.execute(COUNTS.insert().values(**values))
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class Budget:
    """At most `limit` attempts per sliding `window`."""

    limit: int
    window: timedelta

    def start_of(self, now: datetime) -> datetime:
        """The start of the aligned window `now` falls in."""
        return _start_of(self.window, now)

    def room(self, previous: int, now: datetime) -> int:
        """How many attempts the current window may hold, given the previous window's count."""
        elapsed = (now - self.start_of(now)) / self.window
        return max(0, math.floor(self.limit - previous * (1 - elapsed)))

    def wait(self, previous: int, current: int, now: datetime) -> int:
        """The whole seconds until one more attempt fits."""
        start = self.start_of(now)
        if current < self.limit and previous > 0:  # the previous window still weighs too much
            until = start + self.window * (1 - (self.limit - current - 1) / previous)
        else:  # this window is full: in the next one it weighs as the previous window
            until = start + self.window * (2 - (self.limit - 1) / max(current, 1))
        return _seconds_until(now, until)


# What one client (an IPv4 address, an IPv6 /64: `advisor.web.clients.client_of`) or one advice session may start
# on the web companion, which faces the internet (docs/deploying.md, "Abuse limits"). Each is far above what a
# shopper does, and low enough that one client cannot fill the store's calendar, the staff's queue or the workshop.
# A store's guest Wi-Fi behind one public address would be one client: its networks ([web] store_networks) are
# exempt (`IN_STORE`); elsewhere, these leave room for a few shoppers behind one address too.
# Summary and confirmation mails: 3 a day per advice session (a summary, a booking's confirmation, one corrected
# address), 10 an hour per client (a household's few advice sessions).
MAILS_PER_SESSION = Budget(limit=3, window=timedelta(days=1))
MAILS_PER_CLIENT = Budget(limit=10, window=timedelta(hours=1))
# New appointments (a move, or the same booking sent again, is none): a shopper books one per advice, a household
# a few a day; 5 keeps one address from taking a day's free times (a store has some 20 to 60 a day).
BOOKINGS_PER_CLIENT = Budget(limit=5, window=timedelta(days=1))
# Chat requests opened: a shopper asks once, maybe again after cancelling; 6 an hour keeps the staff's queue free.
CHATS_PER_CLIENT = Budget(limit=6, window=timedelta(hours=1))
# Chat lines of one advice session: a quick typist sends a short line every few seconds, never 20 a minute.
CHAT_MESSAGES_PER_SESSION = Budget(limit=20, window=timedelta(minutes=1))
# Repair orders: a household brings in a few broken things at once, not more than 5 a day.
REPAIR_ORDERS_PER_CLIENT = Budget(limit=5, window=timedelta(days=1))
# API sessions created without an answer (stored at once: their token and resume code name the stored row). A shop's
# chat bot that starts sessions before the first answer sends them from its one server: 60 an hour, one a minute;
# a session created with its first answer is not counted.
EMPTY_API_SESSIONS_PER_CLIENT = Budget(limit=60, window=timedelta(hours=1))


# The mark of a client in one of the store's own networks (`advisor.web.clients.budget_client_of`): a budget key of
# such a client ("bookings:in-store:ip:203.0.113.7") is never counted or refused. Only budgets know it: wrong codes
# (`take`) are counted per address, in the store too.
IN_STORE = "in-store:"


def exempt(key: str) -> bool:
    """Whether `key` names a client in one of the store's own networks, whom no budget limits."""
    return key.partition(":")[2].startswith(IN_STORE)


def spend(engine: Engine, key: str, budget: Budget, *, now: datetime | None = None) -> int | None:
    """Count one attempt of `key` if it fits the budget: None when counted, else the whole seconds to wait (and
    nothing is counted). A key of a client in the store's own networks (`exempt`) is never counted nor refused."""
    if exempt(key):
        return None
    moment = _aware(now or datetime.now(UTC))
    start = budget.start_of(moment)
    where = (COUNTS.c.key == key) & (COUNTS.c.window_start == start)
    with engine.begin() as connection:
        previous = _count_of(connection, key, start - budget.window)
        room = budget.room(previous, moment)
        for _ in range(_RACES):
            counted = connection.execute(
                COUNTS.update().where(where & (COUNTS.c.count < room)).values(count=COUNTS.c.count + 1)
            ).rowcount
            if counted:
                return None
            current = _count_of(connection, key, start)
            if current > 0 or room < 1:
                return budget.wait(previous, current, moment)
            if _opened(connection, {"key": key, "window_start": start, "count": 1}):
                return None
    return budget.wait(previous, room, moment)


def refund(engine: Engine, key: str, budget: Budget, *, now: datetime) -> None:
    """Give back an attempt `spend` counted at `now` (it turned out right: only wrong ones count)."""
    if exempt(key):
        return
    start = budget.start_of(_aware(now))
    where = (COUNTS.c.key == key) & (COUNTS.c.window_start == start) & (COUNTS.c.count > 0)
    with engine.begin() as connection:
        connection.execute(COUNTS.update().where(where).values(count=COUNTS.c.count - 1))


def attempts(engine: Engine, key: str, budget: Budget | Backoff, *, now: datetime | None = None) -> int:
    """How many attempts `key` made in the current aligned window (without counting one)."""
    start = budget.start_of(_aware(now or datetime.now(UTC)))
    with reading(engine) as connection:
        return _count_of(connection, key, start)


@dataclass(frozen=True)
class Backoff:
    """Attempts of a key per aligned `window`: the first `free` are answered at once; the `free`-th and each later
    one make the key wait `first`, twice as long each time (a wait may run on into the next window)."""

    free: int
    first: timedelta
    window: timedelta

    def start_of(self, now: datetime) -> datetime:
        """The start of the aligned window `now` falls in."""
        return _start_of(self.window, now)

    def wait_after(self, attempts: int) -> timedelta | None:
        """How long a key waits after its `attempts`-th attempt of a window (None: not at all)."""
        if attempts < self.free:
            return None
        return self.first * (1 << min(attempts - self.free, 30))


@dataclass(frozen=True)
class Taken:
    """An attempt `take` counted (`wait` None), or refused with the whole seconds to `wait` (nothing counted)."""

    key: str
    window_start: datetime
    count: int
    blocked_before: datetime | None
    wait: int | None = None


def take(engine: Engine, key: str, backoff: Backoff, *, now: datetime | None = None) -> Taken:
    """Count one attempt of `key` unless it must wait.

    The wait an attempt earns is set when it is counted, before its outcome is known, so a burst of concurrent
    attempts cannot slip through before the first wrong one is recorded; `give_back` undoes it for an attempt that
    turned out right.
    """
    moment = _aware(now or datetime.now(UTC))
    start = backoff.start_of(moment)
    for _ in range(_RACES):
        with engine.begin() as connection:
            blocked = connection.execute(sa.select(sa.func.max(COUNTS.c.blocked_until)).where(COUNTS.c.key == key))
            until = blocked.scalar()
            if until is not None and _aware(until) > moment:
                return Taken(key, start, 0, None, wait=_seconds_until(moment, _aware(until)))
            row = connection.execute(
                sa.select(COUNTS.c.count, COUNTS.c.blocked_until).where(
                    COUNTS.c.key == key, COUNTS.c.window_start == start
                )
            ).first()
            seen, before = (int(row[0]), _aware(row[1]) if row[1] else None) if row else (0, None)
            wait = backoff.wait_after(seen + 1)
            values = {"count": seen + 1, "blocked_until": moment + wait if wait else before}
            if row is None:
                if not _opened(connection, {"key": key, "window_start": start, **values}):
                    continue
            elif not connection.execute(
                COUNTS.update()
                .where(COUNTS.c.key == key, COUNTS.c.window_start == start, COUNTS.c.count == seen)
                .values(**values)
            ).rowcount:
                continue  # another attempt of this key was counted meanwhile
            return Taken(key, start, seen + 1, before)
    return Taken(key, start, 0, None, wait=1)


def give_back(engine: Engine, taken: Taken) -> None:
    """Undo an attempt `take` counted (it turned out right): its count, and the wait it set unless a later attempt
    of the key was counted meanwhile (then only the count; the wait stays)."""
    if taken.wait is not None:
        return
    where = (COUNTS.c.key == taken.key) & (COUNTS.c.window_start == taken.window_start)
    with engine.begin() as connection:
        restored = connection.execute(
            COUNTS.update()
            .where(where & (COUNTS.c.count == taken.count))
            .values(count=taken.count - 1, blocked_until=taken.blocked_before)
        ).rowcount
        if not restored:
            connection.execute(COUNTS.update().where(where & (COUNTS.c.count > 0)).values(count=COUNTS.c.count - 1))


def purge(engine: Engine, *, older_than: timedelta = timedelta(days=2), now: datetime | None = None) -> int:
    """Forget counts of windows that ended long ago and wait no longer (run with the hourly purge)."""
    moment = _aware(now or datetime.now(UTC))
    waits_over = COUNTS.c.blocked_until.is_(None) | (COUNTS.c.blocked_until < moment)
    with engine.begin() as connection:
        deleted = connection.execute(COUNTS.delete().where((COUNTS.c.window_start < moment - older_than) & waits_over))
        return int(deleted.rowcount or 0)
