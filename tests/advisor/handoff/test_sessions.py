"""Stored advice sessions on SQLite and PostgreSQL: resume codes, rate limits, progress, expiry and purge."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.handoff.chat import post_message
from advisor.handoff.codes import InvalidCode, TooManyAttempts
from advisor.handoff.requests import HandoffError, state_of
from advisor.handoff.sessions import (
    WRONG_CODES_STORE_WIDE,
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


def test_wrong_codes_make_a_client_wait_twice_as_long_each_time_and_a_right_code_resets_nothing(
    engine: Engine,
) -> None:
    stored = stored_session(engine)
    right = stored.resume_code

    def wrong(code: str, at: datetime) -> None:
        with pytest.raises((HandoffError, InvalidCode)):
            open_by_code(engine, code, client="kiosk:1", now=at)

    assert open_by_code(engine, right, client="kiosk:1", now=T0).id == stored.id
    for code in ("ZZZZ-ZZZZ", "nope", "ZZZZ-ZZZY", "ZZZZ-ZZZX"):
        wrong(code, T0)
    assert open_by_code(engine, right, client="kiosk:1", now=T0).id == stored.id, "a right code counts nothing"
    wrong("ZZZZ-ZZZW", T0)  # the fifth: from now on each wrong code makes the kiosk wait
    with pytest.raises(TooManyAttempts) as waiting:  # even the right code waits now
        open_by_code(engine, right, client="kiosk:1", now=T0 + timedelta(seconds=1))
    assert waiting.value.seconds == 59
    assert open_by_code(engine, right, client="kiosk:2", now=T0).id == stored.id, "another kiosk is not held up"
    wrong("ZZZZ-ZZZV", T0 + timedelta(minutes=1))
    with pytest.raises(TooManyAttempts) as waiting:
        open_by_code(engine, right, client="kiosk:1", now=T0 + timedelta(minutes=2))
    assert waiting.value.seconds == 60, "the second wait is twice the first"
    assert open_by_code(engine, right, client="kiosk:1", now=T0 + timedelta(minutes=3)).id == stored.id
    wrong("ZZZZ-ZZZU", T0 + timedelta(minutes=3))
    with pytest.raises(TooManyAttempts) as waiting:  # the right code in between gave back only its own attempt
        open_by_code(engine, right, client="kiosk:1", now=T0 + timedelta(minutes=3))
    assert waiting.value.seconds == 4 * 60


def test_wrong_codes_of_all_clients_together_are_limited_and_a_new_clock_hour_refills_it_only_slowly(
    engine: Engine,
) -> None:
    stored = stored_session(engine)
    limit = WRONG_CODES_STORE_WIDE.limit
    late = T0 + timedelta(minutes=59)
    for client in range(limit):
        with pytest.raises(HandoffError):
            open_by_code(engine, "ZZZZ-ZZZZ", client=f"ip:10.0.{client}.1", now=late)
    with pytest.raises(TooManyAttempts):  # a new client, the right code: the budget is spent for everyone
        open_by_code(engine, stored.resume_code, client="ip:10.9.9.9", now=late)
    kiosk = open_by_code(engine, stored.resume_code, client="kiosk:muc-01/1", in_store=True, now=late)
    assert kiosk.id == stored.id, "guessing from the internet never locks out the shop floor"
    with pytest.raises(TooManyAttempts):  # a new clock hour: the last one's wrong codes still weigh
        open_by_code(engine, stored.resume_code, client="ip:10.9.9.9", now=T0 + timedelta(minutes=60, seconds=10))
    half_an_hour_later = T0 + timedelta(minutes=90)  # the budget refills as the last hour slides out of sight
    assert open_by_code(engine, stored.resume_code, client="ip:10.9.9.9", now=half_an_hour_later).id == stored.id


def test_purge_deletes_expired_sessions_with_their_requests_and_chats_only(engine: Engine) -> None:
    old = waiting_request(engine)
    post_message(engine, old, sender="shopper", text="Hallo?", now=T0)
    recent = waiting_request(engine, now=T0 + timedelta(days=10))
    assert purge_expired_sessions(engine, now=T0 + timedelta(days=15)) == 1
    assert state_of(engine, old) is None
    assert state_of(engine, recent) is not None
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM chat_message")).scalar() == 0
