"""Stored advice sessions on SQLite and PostgreSQL: resume codes, rate limits, progress, expiry and purge."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.handoff.chat import post_message
from advisor.handoff.codes import InvalidCode, LookupLimiter, TooManyAttempts
from advisor.handoff.requests import HandoffError, state_of
from advisor.handoff.sessions import (
    find_session,
    open_by_code,
    purge_expired_sessions,
)
from tests.helpers.handoff import T0, stored_session, waiting_request


def test_a_session_is_found_again_by_its_code_until_it_expires(engine: Engine) -> None:
    stored = stored_session(engine)
    found = find_session(engine, stored.resume_code.lower(), now=T0)
    assert found is not None
    assert found.answers == {"persons": 2, "extras": ["freestanding"]}
    assert find_session(engine, stored.resume_code, now=T0 + timedelta(days=15)) is None


def test_opening_by_code_is_rate_limited_per_client(engine: Engine) -> None:
    stored = stored_session(engine)
    limiter = LookupLimiter(attempts=3, window=timedelta(minutes=1))
    assert open_by_code(engine, stored.resume_code, client="kiosk-1", limiter=limiter, now=T0).id == stored.id
    with pytest.raises(HandoffError, match="no advice session"):
        open_by_code(engine, "ZZZ-ZZZ", client="kiosk-1", limiter=limiter, now=T0)
    with pytest.raises(InvalidCode):
        open_by_code(engine, "nope", client="kiosk-1", limiter=limiter, now=T0)
    with pytest.raises(HandoffError):
        open_by_code(engine, "ZZZ-ZZY", client="kiosk-1", limiter=limiter, now=T0)
    with pytest.raises(TooManyAttempts):  # even the right code waits now
        open_by_code(engine, stored.resume_code, client="kiosk-1", limiter=limiter, now=T0)
    assert open_by_code(engine, stored.resume_code, client="kiosk-2", limiter=limiter, now=T0).id == stored.id
    later = T0 + timedelta(seconds=61)
    assert open_by_code(engine, stored.resume_code, client="kiosk-1", limiter=limiter, now=later).id == stored.id


def test_purge_deletes_expired_sessions_with_their_requests_and_chats_only(engine: Engine) -> None:
    old = waiting_request(engine)
    post_message(engine, old, sender="shopper", text="Hallo?", now=T0)
    recent = waiting_request(engine, now=T0 + timedelta(days=10))
    assert purge_expired_sessions(engine, now=T0 + timedelta(days=15)) == 1
    assert state_of(engine, old) is None
    assert state_of(engine, recent) is not None
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM chat_message")).scalar() == 0
