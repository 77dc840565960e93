"""Stored advice sessions and handoff requests for the handoff and insights tests."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from advisor.handoff.requests import request_handoff
from advisor.handoff.sessions import StoredSession, create_session

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def stored_session(engine: Engine, *, consent: bool = True, now: datetime = T0) -> StoredSession:
    """A tent advice in the Munich store, with the shopper's consent unless told otherwise."""
    return create_session(
        engine, questionnaire_id="tent-finder", answers={"persons": 2, "extras": ("freestanding",)}, locale="de",
        store_id="muc-01", consent=consent, now=now,
    )  # fmt: skip


def waiting_request(engine: Engine, *, kind: str = "chat", now: datetime = T0) -> int:
    """A request of a fresh consenting session, waiting since `now`."""
    return request_handoff(engine, session_id=stored_session(engine, now=now).id, kind=kind, now=now)
