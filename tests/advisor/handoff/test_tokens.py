"""Phone tokens and session progress on SQLite and PostgreSQL: one use, five minutes, no token text stored."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from advisor.handoff import sessions
from advisor.handoff.tokens import (
    API_PREFIX,
    MAX_LIVE_TOKENS,
    TOKEN_BYTES,
    TokenError,
    confirm_first,
    issue_token,
    peek_token,
    purge_tokens,
    redeem_token,
)

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _session(engine: Engine) -> sessions.StoredSession:
    return sessions.create_session(
        engine, questionnaire_id="backpack-finder", answers={"use": "day-hike"}, locale="en", position="volume",
        store_id="muc-01", now=T0,
    )  # fmt: skip


def test_a_token_opens_the_session_where_it_was_once(engine: Engine) -> None:
    stored = _session(engine)
    token = issue_token(engine, stored.id, now=T0)
    assert TOKEN_BYTES * 8 >= 128
    opened = redeem_token(engine, token, now=T0 + timedelta(minutes=4))
    assert (opened.id, opened.position, dict(opened.answers), opened.locale) == (
        stored.id, "volume", {"use": "day-hike"}, "en",
    )  # fmt: skip
    with pytest.raises(TokenError, match="already been used") as used:
        redeem_token(engine, token, now=T0 + timedelta(minutes=4))
    assert used.value.reason == "used"


def test_a_token_expires_after_five_minutes(engine: Engine) -> None:
    token = issue_token(engine, _session(engine).id, now=T0)
    with pytest.raises(TokenError, match="expired"):
        redeem_token(engine, token, now=T0 + timedelta(minutes=5))


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.text(max_size=120))
def test_made_up_tokens_open_nothing(engine: Engine, text: str) -> None:
    with pytest.raises(TokenError) as error:
        redeem_token(engine, text, now=T0)
    assert error.value.reason == "unknown"


def test_only_a_hash_of_the_token_is_stored_and_used_tokens_are_purged(engine: Engine) -> None:
    stored = _session(engine)
    token = issue_token(engine, stored.id, now=T0)
    with engine.connect() as connection:
        stored_texts = [tuple(row) for row in connection.execute(sa.text("SELECT * FROM phone_token"))]
    assert stored_texts and all(token not in str(value) for row in stored_texts for value in row)
    redeem_token(engine, token, now=T0)
    issue_token(engine, stored.id, now=T0)  # still valid: kept
    assert purge_tokens(engine, now=T0 + timedelta(minutes=1)) == 1


def test_two_phones_scanning_one_code_get_it_once(engine: Engine) -> None:
    token = issue_token(engine, _session(engine).id)
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def scan() -> None:
        barrier.wait()
        try:
            redeem_token(engine, token)
            outcomes.append("opened")
        except TokenError as error:
            outcomes.append(error.reason)

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["opened", "used", "used", "used"]


def test_purging_a_session_takes_its_tokens(engine: Engine) -> None:
    stored = _session(engine)
    issue_token(engine, stored.id, now=T0)
    assert sessions.purge_expired_sessions(engine, now=T0 + timedelta(days=30)) == 1
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM phone_token")).scalar() == 0


def test_a_session_has_at_most_three_live_tokens_and_a_new_one_revokes_the_oldest(engine: Engine) -> None:
    stored = _session(engine)
    tokens = [issue_token(engine, stored.id, now=T0 + timedelta(seconds=second)) for second in range(10)]
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM phone_token")).scalar() == MAX_LIVE_TOKENS == 3
    for token in tokens[:-3]:
        with pytest.raises(TokenError) as revoked:
            redeem_token(engine, token, now=T0 + timedelta(seconds=20))
        assert revoked.value.reason == "unknown"
    assert redeem_token(engine, tokens[-3], now=T0 + timedelta(seconds=20)).id == stored.id
    issue_token(engine, stored.id, now=T0 + timedelta(seconds=21))  # a used token does not count against the cap
    assert redeem_token(engine, tokens[-1], now=T0 + timedelta(seconds=22)).id == stored.id


def test_no_token_is_issued_for_an_expired_session(engine: Engine) -> None:
    stored = _session(engine)
    with pytest.raises(TokenError, match="expired") as refused:
        issue_token(engine, stored.id, now=T0 + timedelta(days=15))
    assert refused.value.reason == "unknown"


def test_a_peek_names_the_session_and_its_minter_and_leaves_the_token_usable(engine: Engine) -> None:
    stored = _session(engine)
    kiosk, api = issue_token(engine, stored.id, now=T0), issue_token(engine, stored.id, by="api", now=T0)
    for token, minter in ((kiosk, "store"), (api, "api")):
        for _ in range(2):  # a page reloaded: still there
            peeked = peek_token(engine, token, now=T0 + timedelta(minutes=4))
            assert (peeked.session.id, peeked.minted_by, peeked.started_at) == (stored.id, minter, T0)
        assert redeem_token(engine, token, now=T0 + timedelta(minutes=4)).id == stored.id
        with pytest.raises(TokenError) as used:
            peek_token(engine, token, now=T0 + timedelta(minutes=4))
        assert used.value.reason == "used"
    late = issue_token(engine, stored.id, now=T0)
    with pytest.raises(TokenError) as expired:
        peek_token(engine, late, now=T0 + timedelta(minutes=5))
    assert expired.value.reason == "expired"
    with pytest.raises(TokenError) as unknown:
        peek_token(engine, "x" * 27, now=T0)
    assert unknown.value.reason == "unknown"


def test_who_minted_a_token_cannot_be_changed_in_its_text(engine: Engine) -> None:
    """The API's links ask first: cutting their prefix off, or putting it before a kiosk's token, opens nothing."""
    stored = _session(engine)
    api = issue_token(engine, stored.id, by="api", now=T0)
    kiosk = issue_token(engine, stored.id, now=T0)
    assert api.startswith(API_PREFIX) and not kiosk.startswith(API_PREFIX)
    for changed in (api.removeprefix(API_PREFIX), API_PREFIX + kiosk):
        with pytest.raises(TokenError) as error:
            peek_token(engine, changed, now=T0)
        assert error.value.reason == "unknown"


def test_a_link_asks_before_replacing_another_advice_or_when_the_api_minted_it(engine: Engine) -> None:
    stored = _session(engine)
    kiosk = peek_token(engine, issue_token(engine, stored.id, now=T0), now=T0)
    api = peek_token(engine, issue_token(engine, stored.id, by="api", now=T0), now=T0)
    assert confirm_first(kiosk, held_id=None, held_answers=0) is None  # the kiosk's QR code on a fresh phone
    assert confirm_first(kiosk, held_id=stored.id, held_answers=3) is None  # the shopper's own code, again
    assert confirm_first(api, held_id=stored.id, held_answers=3) is None
    assert confirm_first(kiosk, held_id="another", held_answers=0) is None  # nothing to lose there
    assert confirm_first(kiosk, held_id="another", held_answers=4) == "replaces"
    assert confirm_first(api, held_id="another", held_answers=4) == "replaces"
    assert confirm_first(api, held_id=None, held_answers=0) == "sent"
    assert confirm_first(api, held_id="another", held_answers=0) == "sent"


def test_a_link_to_an_advice_that_was_started_over_says_the_advice_ended_not_the_link(engine: Engine) -> None:
    """A new QR code would not open it either: the page must not send the shopper to get one."""
    from advisor.session import store as stored_sessions

    stored = _session(engine)
    token = issue_token(engine, stored.id, now=T0)
    stored_sessions.end(engine, stored.id, now=T0 + timedelta(seconds=10))  # "Start over" on a phone with its code
    for read in (peek_token, redeem_token):
        with pytest.raises(TokenError) as ended:
            read(engine, token, now=T0 + timedelta(seconds=20))
        assert ended.value.reason == "ended"
