"""Budgets of attempts counted in the database, so every server process and instance shares them and a restart
clears nothing: wrong resume codes per client and store-wide, summary mails per session and client.

A budget is `limit` attempts per fixed `window`; an attempt over budget is refused with the seconds until the
window ends. Counting is one conditional UPDATE (or an INSERT for a new window), on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from advisor.handoff.model import AttemptCount

COUNTS = AttemptCount.__table__  # type: ignore[attr-defined]
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Budget:
    """At most `limit` attempts per `window`."""

    limit: int
    window: timedelta

    def start_of(self, now: datetime) -> datetime:
        """The start of the window `now` falls in (windows are aligned, so every process agrees)."""
        seconds = self.window.total_seconds()
        return EPOCH + timedelta(seconds=((now - EPOCH).total_seconds() // seconds) * seconds)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def count(connection: Connection, key: str, budget: Budget, now: datetime) -> int:
    """Count one attempt of `key` in the current window; the number of attempts in it, this one included."""
    start = budget.start_of(now)
    where = (COUNTS.c.key == key) & (COUNTS.c.window_start == start)
    if connection.execute(COUNTS.update().where(where).values(count=COUNTS.c.count + 1)).rowcount == 0:
        try:
            with connection.begin_nested():
                connection.execute(COUNTS.insert().values(key=key, window_start=start, count=1))
        except IntegrityError:  # another process opened the window at the same moment
            connection.execute(COUNTS.update().where(where).values(count=COUNTS.c.count + 1))
    return int(connection.execute(sa.select(COUNTS.c.count).where(where)).scalar_one())


def attempts(engine: Engine, key: str, budget: Budget, *, now: datetime | None = None) -> int:
    """How many attempts `key` made in the current window (without counting one)."""
    start = budget.start_of(_aware(now or datetime.now(UTC)))
    with engine.connect() as connection:
        found = connection.execute(
            sa.select(COUNTS.c.count).where(COUNTS.c.key == key, COUNTS.c.window_start == start)
        ).scalar()
    return int(found or 0)


def spend(engine: Engine, key: str, budget: Budget, *, now: datetime | None = None) -> int | None:
    """Count one attempt; None when it is within the budget, else the whole seconds until the window ends."""
    moment = _aware(now or datetime.now(UTC))
    with engine.begin() as connection:
        used = count(connection, key, budget, moment)
    if used <= budget.limit:
        return None
    return max(1, int((budget.start_of(moment) + budget.window - moment).total_seconds() + 0.999))


def purge(engine: Engine, *, older_than: timedelta = timedelta(days=2), now: datetime | None = None) -> int:
    """Forget counts of windows that ended long ago (run with the hourly purge)."""
    cutoff = _aware(now or datetime.now(UTC)) - older_than
    with engine.begin() as connection:
        return int(connection.execute(COUNTS.delete().where(COUNTS.c.window_start < cutoff)).rowcount or 0)
