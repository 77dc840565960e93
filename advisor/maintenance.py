"""Scheduled privacy work, shared by `advisor purge` and the running apps."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from advisor.config import Config
from advisor.handoff import limits
from advisor.handoff.requests import expire_waiting
from advisor.handoff.sessions import purge_expired_sessions
from advisor.handoff.tokens import purge_tokens
from advisor.insights.events import purge_events


def purge_all(engine: Engine, config: Config) -> tuple[int, int]:
    """Expire unclaimed requests, delete expired sessions (with requests, chats, tokens), old events and counts of
    attempts (wrong codes, mails) whose windows ended long ago.

    Returns the sessions and the events deleted.
    """
    expire_waiting(engine, older_than=timedelta(minutes=config.privacy.unclaimed_request_minutes))
    sessions = purge_expired_sessions(engine)
    purge_tokens(engine)
    limits.purge(engine)
    events = purge_events(engine, older_than=timedelta(days=config.privacy.event_retention_days))
    return sessions, events
