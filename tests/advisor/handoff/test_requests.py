"""Handoff requests on SQLite and PostgreSQL: consent, the state machine as a table, queue, wait, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Connection, Engine

from advisor.handoff import requests
from advisor.handoff.requests import (
    PAST_PARTICIPLES,
    TRANSITIONS,
    Action,
    Claimed,
    HandoffError,
    Outcome,
    State,
    claim,
    claim_outcome,
    estimated_wait,
    expire_waiting,
    queue,
    request_handoff,
    state_of,
    transition,
)
from advisor.handoff.sessions import give_consent
from tests.helpers.handoff import T0, stored_session, waiting_request


def test_nothing_goes_to_staff_without_consent(engine: Engine) -> None:
    stored = stored_session(engine, consent=False)
    with pytest.raises(HandoffError, match="not agreed"):
        request_handoff(engine, session_id=stored.id, kind="chat", now=T0)
    give_consent(engine, stored.id)
    assert request_handoff(engine, session_id=stored.id, kind="chat", now=T0) > 0


def test_queue_positions_and_the_wait_estimate(engine: Engine) -> None:
    ids = [waiting_request(engine, kind="consultant", now=T0 + timedelta(minutes=i)) for i in range(3)]
    assert [(entry.request_id, entry.position) for entry in queue(engine)] == [(ids[0], 1), (ids[1], 2), (ids[2], 3)]
    assert estimated_wait(engine) is None
    assert claim(engine, ids[0], staff="anna", now=T0 + timedelta(minutes=2))
    assert claim(engine, ids[1], staff="ben", now=T0 + timedelta(minutes=5))
    assert not claim(engine, ids[1], staff="anna", now=T0 + timedelta(minutes=6))
    assert estimated_wait(engine) == timedelta(minutes=3)  # median of 2 and 4 minutes
    assert [(entry.request_id, entry.position) for entry in queue(engine)] == [(ids[2], 1)]


def test_only_waiting_requests_expire(engine: Engine) -> None:
    waiting, claimed = waiting_request(engine), waiting_request(engine)
    recent = waiting_request(engine, now=T0 + timedelta(minutes=25))
    assert claim(engine, claimed, staff="anna", now=T0 + timedelta(minutes=1))
    assert expire_waiting(engine, older_than=timedelta(minutes=10), now=T0 + timedelta(minutes=30)) == 1
    assert [state_of(engine, i) for i in (waiting, claimed, recent)] == [State.EXPIRED, State.CLAIMED, State.REQUESTED]
    with pytest.raises(HandoffError, match=f"request {claimed} is claimed; it cannot be expired"):
        transition(engine, claimed, Action.EXPIRE, now=T0)
    assert transition(engine, recent, Action.EXPIRE, now=T0) == State.EXPIRED


def test_expiry_follows_the_table(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    claimed = waiting_request(engine)
    assert claim(engine, claimed, staff="anna", now=T0)
    monkeypatch.setattr(requests, "TRANSITIONS", {**TRANSITIONS, (State.CLAIMED, Action.EXPIRE): State.EXPIRED})
    assert expire_waiting(engine, older_than=timedelta(minutes=10), now=T0 + timedelta(minutes=30)) == 1
    assert state_of(engine, claimed) == State.EXPIRED


def test_a_refusal_says_what_cannot_happen_in_plain_words(engine: Engine) -> None:
    request_id = waiting_request(engine)
    with pytest.raises(HandoffError, match=f"^request {request_id} is requested; it cannot be closed$"):
        transition(engine, request_id, Action.CLOSE, now=T0)
    transition(engine, request_id, Action.CANCEL, now=T0)
    with pytest.raises(HandoffError, match="is cancelled; it cannot be claimed$"):
        transition(engine, request_id, Action.CLAIM, staff="anna", now=T0)
    with pytest.raises(HandoffError, match="is cancelled; it cannot be cancelled$"):
        transition(engine, request_id, Action.CANCEL, now=T0)
    with pytest.raises(HandoffError, match="no handoff request 999999"):
        transition(engine, 999999, Action.CLAIM, staff="anna", now=T0)


def test_the_callback_runs_in_the_transaction_of_the_change(engine: Engine) -> None:
    request_id = waiting_request(engine)
    seen: list[tuple[int, State]] = []

    def refuse(connection: Connection, changed: int, state: State) -> None:
        seen.append((changed, state))
        raise RuntimeError("the event could not be written")

    with pytest.raises(RuntimeError):
        claim(engine, request_id, staff="anna", now=T0, in_transaction=refuse)
    assert seen == [(request_id, State.CLAIMED)]
    assert state_of(engine, request_id) == State.REQUESTED  # the claim went with the failed callback
    assert not claim(engine, 999999, staff="anna", now=T0, in_transaction=refuse)
    assert len(seen) == 1  # nothing changed, nothing called


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(st.sampled_from([*Action, None]), max_size=10))
def test_a_request_only_ever_moves_along_the_table(engine: Engine, actions: list[Action | None]) -> None:
    """Each step is an action on the request, or (None) the scheduled expiry running over all requests."""
    request_id = waiting_request(engine)
    bystander = waiting_request(engine, now=T0 + timedelta(hours=1))
    state = State.REQUESTED
    for action in actions:
        if action is None:
            expire_waiting(engine, older_than=timedelta(minutes=30), now=T0 + timedelta(hours=1))
            state = TRANSITIONS.get((state, Action.EXPIRE), state)
        elif (state, action) in TRANSITIONS:
            state = TRANSITIONS[(state, action)]
            assert transition(engine, request_id, action, staff="anna", now=T0) == state
        else:
            with pytest.raises(HandoffError, match=f"is {state}; it cannot be {PAST_PARTICIPLES[action]}$"):
                transition(engine, request_id, action, staff="anna", now=T0)
        assert state_of(engine, request_id) == state
        assert state_of(engine, bystander) == State.REQUESTED


def test_a_claim_that_fails_says_why(engine: Engine) -> None:
    taken, ended, expired = waiting_request(engine), waiting_request(engine), waiting_request(engine)
    assert claim_outcome(engine, taken, staff="anna", now=T0) == Claimed(Outcome.WON, "anna")
    assert claim_outcome(engine, taken, staff="anna", now=T0) == Claimed(Outcome.YOURS, "anna"), "a double click"
    assert claim_outcome(engine, taken, staff="ben", now=T0) == Claimed(Outcome.TAKEN, "anna")
    transition(engine, ended, Action.CANCEL, now=T0)  # the shopper walked away
    assert claim_outcome(engine, ended, staff="anna", now=T0) == Claimed(Outcome.ENDED)
    expire_waiting(engine, older_than=timedelta(minutes=1), now=T0 + timedelta(hours=1))
    assert claim_outcome(engine, expired, staff="anna", now=T0) == Claimed(Outcome.ENDED)
    assert claim_outcome(engine, 999999, staff="anna", now=T0) == Claimed(Outcome.ENDED)
