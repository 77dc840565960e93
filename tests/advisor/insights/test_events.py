"""Events written by the core: a batch stored as it was recorded; a staff member's claim is logged in the claim's
own transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from advisor.handoff.requests import Action, claim, transition
from advisor.insights.events import EVENT, KINDS, Event, EventLog, read_events, record_claim, write_events
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


_IDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")), min_size=1, max_size=20)
_VALUES = (
    st.none() | _IDS | st.integers(-(10**6), 10**6) | st.booleans() | st.lists(_IDS, max_size=4)
    | st.dictionaries(_IDS, st.integers(0, 99) | _IDS, max_size=3)
)  # fmt: skip
_EVENTS = st.builds(
    Event,
    kind=st.sampled_from(KINDS),
    questionnaire_id=_IDS,
    at=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)).map(
        lambda moment: moment.replace(microsecond=0)
    ),
    run=st.none() | st.uuids().map(str),
    questionnaire_version=st.just("") | _IDS,
    channel=st.sampled_from(["kiosk", "web", "staff"]),
    store_id=st.none() | st.just("muc-01"),
    step_id=st.none() | _IDS,
    value=_VALUES,
    number=st.none() | st.floats(-1e9, 1e9, allow_nan=False) | st.integers(-(10**6), 10**6),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(_EVENTS, min_size=1, max_size=30))
def test_a_batch_reads_back_as_it_was_recorded(engine: Engine, events: list[Event]) -> None:
    """On PostgreSQL a batch is one INSERT of a column of values each (arrays): quotes, braces, unicode, JSON nulls
    and missing numbers come back as they went in, in the order they were recorded."""
    with engine.begin() as connection:
        connection.execute(sa.delete(EVENT))
    write_events(engine, events)
    expected = sorted(enumerate(events), key=lambda pair: (pair[1].at, pair[0]))
    assert list(read_events(engine)) == [event for _, event in expected]


def test_the_event_log_stores_what_arrives_together_in_one_batch(engine: Engine) -> None:
    log = EventLog(engine, channel="web", store_id="muc-01")
    for step in ("size", "season", "weight"):
        log.record("step_answered", run="r-1", questionnaire_id="tent-finder", step_id=step, value=[step, "x"])
    log.record("results_shown", run="r-1", questionnaire_id="tent-finder", number=12.5)
    log.flush()
    stored = list(read_events(engine))
    assert [(event.kind, event.step_id, event.value, event.number) for event in stored] == [
        ("step_answered", "size", ["size", "x"], None), ("step_answered", "season", ["season", "x"], None),
        ("step_answered", "weight", ["weight", "x"], None), ("results_shown", None, None, 12.5),
    ]  # fmt: skip
    assert {event.channel for event in stored} == {"web"} and {event.store_id for event in stored} == {"muc-01"}
    assert log.close() == 0
