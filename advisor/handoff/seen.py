"""When the shopper's phone was last seen on a chat: a tab closed mid-chat leaves the case open (a claimed request
never expires), so the console says how long the phone has been quiet.

The phone's chat page polls every few seconds; a write for each poll would keep the database busy for nothing, so a
request's time is written at most every SEEN_EVERY, in each process by memory and across processes by the UPDATE's
condition (several web workers, the JSON API).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.handoff.requests import OPEN_STATES, REQUEST

SEEN_EVERY = timedelta(seconds=30)  # a request's time is written at most this often
QUIET_AFTER = timedelta(minutes=1)  # a phone unseen for longer: the console says since when
_REMEMBERED = 1000  # requests a process remembers writing for (more: it forgets them all, and writes again)


class PhoneSightings:
    """One process's memory of when it last wrote each request's time: a poll within SEEN_EVERY writes nothing."""

    def __init__(self) -> None:
        self._written: dict[int, datetime] = {}
        self._lock = threading.Lock()  # (the web's handlers run on a thread pool)

    def seen(self, engine: Engine, request_id: int, *, now: datetime | None = None) -> bool:
        """The shopper's phone polled the request's chat; True when its time was written now."""
        moment = now or datetime.now(UTC)
        with self._lock:
            last = self._written.get(request_id)
            if last is not None and moment - last < SEEN_EVERY:
                return False
            if len(self._written) >= _REMEMBERED:
                self._written.clear()
            self._written[request_id] = moment
        return phone_seen(engine, request_id, now=moment)


def phone_seen(engine: Engine, request_id: int, *, now: datetime | None = None) -> bool:
    """Write when the shopper's phone was seen on an open request, unless it was written within SEEN_EVERY (by
    another process); True when it was written."""
    moment = now or datetime.now(UTC)
    column = REQUEST.c.shopper_seen_at
    with engine.begin() as connection:
        changed = connection.execute(
            REQUEST.update()
            .where(
                REQUEST.c.id == request_id,
                REQUEST.c.state.in_(OPEN_STATES),
                sa.or_(column.is_(None), column <= moment - SEEN_EVERY),
            )
            .values(shopper_seen_at=moment)
        ).rowcount
    return bool(changed)


def quiet_for(seen_at: datetime | None, now: datetime) -> timedelta | None:
    """How long the phone has been quiet, once that is longer than QUIET_AFTER; None while it is not (or it was
    never seen)."""
    if seen_at is None:
        return None
    quiet = now - (seen_at if seen_at.tzinfo else seen_at.replace(tzinfo=UTC))  # (SQLite: naive, in UTC)
    return quiet if quiet > QUIET_AFTER else None
