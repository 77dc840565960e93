"""A kiosk that died (power cut, crash) with its shopper's request open ends it at its next start, as the idle wipe
would have: staff do not walk to nobody, and the next shopper is not number 2 behind a ghost. It never ends another
kiosk's request, a chat taken to the phone, or one asked for since it started."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.handoff import chat, requests, sessions
from advisor.handoff.left import left_at_start
from advisor.insights.events import record_cancel

STORE = "muc-01"
HERE, THERE = "kiosk-zelte", "kiosk-eingang"
START = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)  # when the kiosk started again
BEFORE = START - timedelta(minutes=5)


def asked(
    engine: Engine, *, kiosk: str | None = HERE, store: str = STORE, kind: str = "consultant", at: datetime = BEFORE
) -> int:
    """A request a shopper asked for at `kiosk`, of a session stored there."""
    stored = sessions.create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de", consent=True,
                                     store_id=store, kiosk_id=kiosk, now=at)  # fmt: skip
    return requests.request_handoff(engine, session_id=stored.id, kind=kind, channel="kiosk", kiosk_id=kiosk, now=at)


def test_the_requests_left_open_at_this_kiosk_end_as_if_the_shopper_had_walked_away(engine: Engine) -> None:
    waiting = asked(engine)
    coming = asked(engine, kind="chat")
    assert requests.claim(engine, coming, staff="Anna")

    ended = left_at_start(engine, HERE, START, store_id=STORE, in_transaction=record_cancel)

    assert ended == [waiting, coming]
    assert requests.queue(engine) == [], "no ghost first in the queue"
    for request_id in (waiting, coming):
        assert requests.state_of(engine, request_id) == requests.State.CANCELLED
        [line] = chat.messages(engine, request_id)
        assert line.sender == chat.SYSTEM and line.shown("de") == "Kunde hat den Kiosk verlassen"
    with engine.connect() as connection:
        kinds = [row[0] for row in connection.exec_driver_sql("SELECT kind FROM advice_event")]
    assert kinds.count("handoff_cancelled") == 2, "the insights count them as the idle wipe does"
    assert left_at_start(engine, HERE, START, store_id=STORE) == [], "a second start finds nothing"


def test_another_kiosks_requests_a_phone_chat_and_a_request_asked_for_since_the_start_stay_open(
    engine: Engine,
) -> None:
    other_kiosk = asked(engine, kiosk=THERE)
    other_store = asked(engine, store="ham-01")  # (a kiosk of the same name in another store of the chain)
    no_kiosk = asked(engine, kiosk=None)
    on_the_phone = asked(engine, kind="chat")
    with engine.begin() as connection:
        requests.went_to_phone(connection, _session_of(engine, on_the_phone))  # the shopper took the chat along
    since = asked(engine, at=START + timedelta(seconds=30))  # the next shopper, asking while the start ran

    assert left_at_start(engine, HERE, START, store_id=STORE) == []

    for request_id in (other_kiosk, other_store, no_kiosk, on_the_phone, since):
        assert requests.state_of(engine, request_id) == requests.State.REQUESTED
        assert chat.messages(engine, request_id) == []
    assert left_at_start(engine, "", START) == [], "a kiosk without a name ends nothing"


def test_a_request_is_the_kiosks_it_was_asked_at_whichever_kiosk_the_session_began_at(engine: Engine) -> None:
    """A shopper asked here, this kiosk died; they opened their code at the entrance kiosk and asked again there:
    the request went with them (one request, its place in the queue kept). This kiosk's start ends nothing of it
    (staff walk to the entrance); the entrance kiosk's start ends it."""
    here = asked(engine)
    session_id = _session_of(engine, here)
    there = requests.request_handoff(engine, session_id=session_id, kind="consultant", channel="kiosk",
                                     kiosk_id=THERE, now=BEFORE)  # fmt: skip

    assert there == here
    assert left_at_start(engine, HERE, START, store_id=STORE) == []
    assert requests.state_of(engine, there) == requests.State.REQUESTED
    assert left_at_start(engine, THERE, START, store_id=STORE) == [there], "the entrance kiosk's start ends it"


def _session_of(engine: Engine, request_id: int) -> str:
    table = requests.REQUEST
    with engine.connect() as connection:
        return str(connection.execute(sa.select(table.c.session_id).where(table.c.id == request_id)).scalar_one())
