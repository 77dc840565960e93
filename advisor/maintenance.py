"""Scheduled privacy work, shared by `advisor purge` and the running apps."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.appointments.privacy import coming_ends, purge_appointments
from advisor.config import Config
from advisor.handoff import limits
from advisor.handoff.model import MailOutbox
from advisor.handoff.requests import expire_waiting
from advisor.handoff.sessions import SESSION, purge_expired_sessions
from advisor.handoff.tokens import purge_tokens
from advisor.insights.events import purge_events
from advisor.repairs.orders import purge_orders

OUTBOX = MailOutbox.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Purged:
    """What one purge deleted: advice sessions (with their requests and chats), events (with feedback comments),
    queued e-mails that were never sent (with their address and text), appointments whose shopper it forgot
    (anonymised) and finished repair orders (with their history and the shopper's contact)."""

    sessions: int = 0
    events: int = 0
    mails: int = 0
    appointments: int = 0
    orders: int = 0


def purge_all(engine: Engine, config: Config, *, now: datetime | None = None) -> tuple[int, int]:
    """`purge` as `advisor purge` and the running apps call it: returns the sessions and the events deleted, and says
    in the journal (stderr) how many queued e-mails were deleted unsent, if any."""
    purged = purge(engine, config, now=now)
    if purged.mails:
        days = config.privacy.session_retention_days
        sys.stderr.write(
            f"advisor: {purged.mails} queued e-mail(s) deleted unsent (older than {days} days, or their advice "
            "session is gone)\n"
        )
        sys.stderr.flush()
    return purged.sessions, purged.events


def purge(engine: Engine, config: Config, *, now: datetime | None = None) -> Purged:
    """Expire unclaimed requests, delete sessions (with requests, chats, tokens) that expired or were last changed
    longer than the session retention ago (as it is configured now: a lowered retention shortens the sessions stored
    before), and web sessions that reached neither their results nor a consent and were last changed longer than
    [privacy] web_session_idle_hours ago (lowered hours shorten those stored before too), but those whose
    appointment is still ahead; queued e-mails older than the session retention or whose session is gone (never
    sent: no server sends them, or it gave up); old events, counts of attempts (wrong codes, mails) whose windows
    ended long ago, what appointments know of a shopper some days after they ended, and repair orders (with the
    shopper's contact) collected or returned longer than the session retention ago.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)  # SQLite compares the stored UTC times as text
    retention = timedelta(days=config.privacy.session_retention_days)
    expire_waiting(engine, older_than=config.privacy.unclaimed_after)
    kept = keep_sessions_of_coming_appointments(engine, now=moment)
    web_idle = timedelta(hours=config.privacy.web_session_idle_hours)
    sessions = purge_expired_sessions(engine, now=moment, idle_before=moment - retention, keep=kept,
                                      web_idle_before=moment - web_idle)  # fmt: skip
    mails = purge_outbox(engine, older_than=retention, now=moment)
    purge_tokens(engine, now=moment)
    limits.purge(engine)
    events = purge_events(engine, older_than=timedelta(days=config.privacy.event_retention_days), now=moment)
    appointments = purge_appointments(engine, personal_days=config.privacy.appointment_retention_days,
                                      anonymous_days=config.privacy.event_retention_days, now=moment)  # fmt: skip
    orders = purge_orders(engine, older_than=retention, now=moment)
    return Purged(sessions, events, mails, appointments, orders)


def purge_outbox(engine: Engine, *, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete queued e-mails (address and text) queued more than `older_than` ago, or whose advice session is gone
    (the outbox's session_id is no foreign key): a server sends a mail within minutes or gives it up, so these are
    mails nobody sends (a kiosk or a console queues them too). Returns how many."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    orphan = OUTBOX.c.session_id.is_not(None) & OUTBOX.c.session_id.not_in(sa.select(SESSION.c.id))
    with engine.begin() as connection:
        result = connection.execute(OUTBOX.delete().where((OUTBOX.c.created_at < moment - older_than) | orphan))
    return int(result.rowcount or 0)


def keep_sessions_of_coming_appointments(engine: Engine, *, now: datetime) -> frozenset[str]:
    """An advice session with an appointment still ahead stays (and its code works) until that appointment ended:
    the shopper booked with it and checks in with its code. Returns the ids of these sessions."""
    ends = coming_ends(engine, now=now)
    if not ends:
        return frozenset()
    with engine.begin() as connection:
        for session_id, ends_at in ends.items():
            connection.execute(
                SESSION.update()
                .where(SESSION.c.id == session_id, SESSION.c.expires_at < ends_at)
                .values(expires_at=ends_at)
            )
    return frozenset(ends)
