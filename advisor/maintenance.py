"""Scheduled privacy work, shared by `advisor purge` and the running apps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from advisor.appointments.privacy import coming_ends, purge_appointments
from advisor.config import Config
from advisor.handoff import limits
from advisor.handoff.requests import expire_waiting
from advisor.handoff.sessions import SESSION, purge_expired_sessions
from advisor.handoff.tokens import purge_tokens
from advisor.insights.events import purge_events
from advisor.repairs.orders import purge_orders


def purge_all(engine: Engine, config: Config, *, now: datetime | None = None) -> tuple[int, int]:
    """Expire unclaimed requests, delete expired sessions (with requests, chats, tokens) but those whose
    appointment is still ahead, old events, counts of attempts (wrong codes, mails) whose windows ended long ago,
    what appointments know of a shopper some days after they ended, and repair orders (with the shopper's contact)
    collected or returned longer than the session retention ago.

    Returns the sessions and the events deleted.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)  # SQLite compares the stored UTC times as text
    expire_waiting(engine, older_than=config.privacy.unclaimed_after)
    keep_sessions_of_coming_appointments(engine, now=moment)
    sessions = purge_expired_sessions(engine, now=moment)
    purge_tokens(engine, now=moment)
    limits.purge(engine)
    events = purge_events(engine, older_than=timedelta(days=config.privacy.event_retention_days), now=moment)
    purge_appointments(engine, personal_days=config.privacy.appointment_retention_days,
                       anonymous_days=config.privacy.event_retention_days, now=moment)  # fmt: skip
    purge_orders(engine, older_than=timedelta(days=config.privacy.session_retention_days), now=moment)
    return sessions, events


def keep_sessions_of_coming_appointments(engine: Engine, *, now: datetime) -> None:
    """An advice session with an appointment still ahead stays (and its code works) until that appointment ended:
    the shopper booked with it and checks in with its code."""
    ends = coming_ends(engine, now=now)
    if not ends:
        return
    with engine.begin() as connection:
        for session_id, ends_at in ends.items():
            connection.execute(
                SESSION.update()
                .where(SESSION.c.id == session_id, SESSION.c.expires_at < ends_at)
                .values(expires_at=ends_at)
            )
