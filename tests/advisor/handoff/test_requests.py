"""Sessions and handoff requests on SQLite and PostgreSQL: consent, the state machine, queue, wait, expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from advisor.db import make_engine, upgrade
from advisor.handoff import requests as handoff
from advisor.handoff.requests import HandoffError

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _session(engine: Engine, *, consent: bool = True) -> handoff.StoredSession:
    return handoff.create_session(
        engine, questionnaire_id="tent-finder", answers={"persons": 2, "extras": ("freestanding",)}, locale="de",
        store_id="muc-01", consent=consent, now=T0,
    )  # fmt: skip


def test_a_session_is_found_again_by_its_code_until_it_expires(engine: Engine) -> None:
    stored = _session(engine)
    found = handoff.find_session(engine, stored.resume_code.lower(), now=T0)
    assert found is not None
    assert found.answers == {"persons": 2, "extras": ["freestanding"]}
    assert handoff.find_session(engine, stored.resume_code, now=T0 + timedelta(days=15)) is None


def test_nothing_goes_to_staff_without_consent(engine: Engine) -> None:
    stored = _session(engine, consent=False)
    with pytest.raises(HandoffError, match="not agreed"):
        handoff.request_handoff(engine, session_id=stored.id, kind="chat", now=T0)
    handoff.give_consent(engine, stored.id)
    assert handoff.request_handoff(engine, session_id=stored.id, kind="chat", now=T0) > 0


def test_queue_positions_wait_estimate_and_expiry(engine: Engine) -> None:
    ids = [
        handoff.request_handoff(
            engine, session_id=_session(engine).id, kind="consultant", now=T0 + timedelta(minutes=i)
        )
        for i in range(3)
    ]
    assert [(entry.request_id, entry.position) for entry in handoff.queue(engine)] == [
        (ids[0], 1),
        (ids[1], 2),
        (ids[2], 3),
    ]
    assert handoff.estimated_wait(engine) is None
    assert handoff.claim(engine, ids[0], staff="anna", now=T0 + timedelta(minutes=2))
    assert handoff.claim(engine, ids[1], staff="ben", now=T0 + timedelta(minutes=5))
    assert handoff.estimated_wait(engine) == timedelta(minutes=3)  # median of 2 and 4 minutes
    assert [entry.position for entry in handoff.queue(engine)] == [1]
    assert handoff.expire_waiting(engine, older_than=timedelta(minutes=10), now=T0 + timedelta(minutes=30)) == 1
    assert handoff.state_of(engine, ids[2]) == handoff.EXPIRED
    assert handoff.purge_expired_sessions(engine, now=T0 + timedelta(days=30)) == 3
    assert handoff.state_of(engine, ids[0]) is None


ACTIONS = st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["claim", "cancel", "close", "expire"])), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_the_state_machine_matches_its_table(
    tmp_path_factory: pytest.TempPathFactory, actions: list[tuple[int, str]]
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('sm') / 'sm.sqlite3'}")
    upgrade(engine)
    ids = [handoff.request_handoff(engine, session_id=_session(engine).id, kind="chat", now=T0) for _ in range(3)]
    model = dict.fromkeys(ids, handoff.REQUESTED)
    for which, action in actions:
        request_id = ids[which]
        expected = handoff.TRANSITIONS.get((model[request_id], action))
        if expected is None:
            with pytest.raises(HandoffError):
                handoff.transition(engine, request_id, action, staff="anna", now=T0)
        else:
            assert handoff.transition(engine, request_id, action, staff="anna", now=T0) == expected
            model[request_id] = expected
        assert {i: handoff.state_of(engine, i) for i in ids} == model
    engine.dispose()


def test_staff_sign_in_with_a_hashed_pin(engine: Engine) -> None:
    from advisor.handoff import staff

    staff.set_pin(engine, "Anna", "4711")
    assert staff.sign_in(engine, "Anna", "4711")
    assert not staff.sign_in(engine, "Anna", "4712")
    assert not staff.sign_in(engine, "Ben", "4711")
    with pytest.raises(ValueError, match="4 digits"):
        staff.set_pin(engine, "Anna", "12")
    with engine.connect() as connection:
        stored = connection.execute(staff.STAFF.select()).one().pin_hash
    assert "4711" not in stored
    assert stored.startswith("scrypt$")


def test_change_watcher_wakes_up_on_another_connections_commit(engine: Engine) -> None:
    watcher = handoff.ChangeWatcher(engine)
    watcher.changed()
    assert not watcher.changed()
    other = make_engine(engine.url.render_as_string(hide_password=False))
    handoff.request_handoff(other, session_id=_session(other).id, kind="consultant", now=T0)
    assert watcher.changed()
    assert not watcher.changed()
    watcher.close()
    other.dispose()


def test_chat_on_an_open_request_and_purge_removes_it(engine: Engine) -> None:
    request_id = handoff.request_handoff(engine, session_id=_session(engine).id, kind="chat", now=T0)
    handoff.post_message(engine, request_id, sender="shopper", text="  Hallo, ist das Zelt wasserdicht? ", now=T0)
    handoff.claim(engine, request_id, staff="Anna", now=T0)
    handoff.post_message(engine, request_id, sender="staff", author="Anna", text="Ja, 5.000 mm.", now=T0)
    lines = handoff.messages(engine, request_id)
    assert [(m.sender, m.author, m.text) for m in lines] == [
        ("shopper", None, "Hallo, ist das Zelt wasserdicht?"),
        ("staff", "Anna", "Ja, 5.000 mm."),
    ]
    with pytest.raises(HandoffError, match="empty"):
        handoff.post_message(engine, request_id, sender="shopper", text="   ")
    with pytest.raises(HandoffError, match="at most 1000"):
        handoff.post_message(engine, request_id, sender="shopper", text="x" * 1001)
    handoff.transition(engine, request_id, "close", now=T0)
    with pytest.raises(HandoffError, match="chat is over"):
        handoff.post_message(engine, request_id, sender="shopper", text="Noch da?")
    assert handoff.purge_expired_sessions(engine, now=T0 + timedelta(days=15)) == 1
    assert handoff.messages(engine, request_id) == []


def test_presence_window(engine: Engine) -> None:
    from advisor.handoff import staff

    staff.set_pin(engine, "Anna", "4711")
    assert staff.available(engine, now=T0) == []
    staff.report_presence(engine, "Anna", now=T0)
    assert staff.available(engine, now=T0 + timedelta(seconds=30)) == ["Anna"]
    assert staff.available(engine, now=T0 + timedelta(seconds=90)) == []
    staff.report_presence(engine, "Anna", now=T0)
    staff.sign_out(engine, "Anna")
    assert staff.available(engine, now=T0) == []


def test_opening_by_code_is_rate_limited_per_client(engine: Engine) -> None:
    from advisor.handoff.codes import InvalidCode, LookupLimiter, TooManyAttempts

    stored = _session(engine)
    limiter = LookupLimiter(attempts=3, window=timedelta(minutes=1))
    assert handoff.open_by_code(engine, stored.resume_code, client="kiosk-1", limiter=limiter, now=T0).id == stored.id
    with pytest.raises(HandoffError, match="no advice session"):
        handoff.open_by_code(engine, "ZZZ-ZZZ", client="kiosk-1", limiter=limiter, now=T0)
    with pytest.raises(InvalidCode):
        handoff.open_by_code(engine, "nope", client="kiosk-1", limiter=limiter, now=T0)
    with pytest.raises(HandoffError):
        handoff.open_by_code(engine, "ZZZ-ZZY", client="kiosk-1", limiter=limiter, now=T0)
    with pytest.raises(TooManyAttempts):  # even the right code waits now
        handoff.open_by_code(engine, stored.resume_code, client="kiosk-1", limiter=limiter, now=T0)
    assert handoff.open_by_code(engine, stored.resume_code, client="kiosk-2", limiter=limiter, now=T0).id == stored.id
    later = T0 + timedelta(seconds=61)
    assert (
        handoff.open_by_code(engine, stored.resume_code, client="kiosk-1", limiter=limiter, now=later).id == stored.id
    )
