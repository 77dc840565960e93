"""Events written by the core: a staff member's claim is logged in the claim's own transaction."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from advisor.handoff.requests import Action, claim, transition
from advisor.insights.events import Event, read_events, record_claim
from tests.helpers.handoff import T0, waiting_request


def test_a_claim_is_logged_with_the_wait_and_nothing_personal(engine: Engine) -> None:
    request_id = waiting_request(engine, kind="consultant")
    assert claim(engine, request_id, staff="Anna", now=T0 + timedelta(minutes=3), in_transaction=record_claim)
    transition(engine, request_id, Action.CLOSE, now=T0 + timedelta(minutes=9), in_transaction=record_claim)
    assert list(read_events(engine)) == [
        Event(
            kind="handoff_claimed", questionnaire_id="tent-finder", at=T0 + timedelta(minutes=3), run=None,
            questionnaire_version="", channel="staff", store_id="muc-01", step_id=None, value="consultant",
            number=180.0,
        )
    ]  # fmt: skip


def test_a_refused_claim_logs_nothing(engine: Engine) -> None:
    request_id = waiting_request(engine)
    assert claim(engine, request_id, staff="Anna", now=T0, in_transaction=record_claim)
    assert not claim(engine, request_id, staff="Ben", now=T0, in_transaction=record_claim)
    assert len(list(read_events(engine))) == 1
