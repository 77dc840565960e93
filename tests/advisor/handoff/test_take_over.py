"""A shift change: a case claimed by a colleague who has signed out since waits in the queue again, marked whose it
was, and a colleague takes it over (from the queue or by the customer's code); the chat says who took over, to the
customer too. While the colleague is at work, their case stays theirs. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from advisor.handoff import chat
from advisor.handoff.requests import Outcome, claim, claim_outcome, queue, request_state
from advisor.handoff.sessions import session_of
from advisor.handoff.staff import report_presence, set_pin, sign_out
from advisor.session.cases import open_code
from tests.helpers.handoff import T0, waiting_request

LATER = T0 + timedelta(minutes=5)


def _staffed(engine: Engine) -> None:
    for name in ("Anna", "Ben", "Cem"):
        set_pin(engine, name, "4711")


def test_a_signed_out_colleagues_case_waits_in_the_queue_and_is_taken_over(engine: Engine) -> None:
    _staffed(engine)
    request_id = waiting_request(engine)
    report_presence(engine, "Anna", now=T0)
    assert claim(engine, request_id, staff="Anna", now=T0)
    chat.post_message(engine, request_id, sender="staff", author="Anna", text="Ich bin gleich bei Ihnen", now=T0)
    assert queue(engine, now=T0) == [], "Anna is at work: her case is hers"
    assert claim_outcome(engine, request_id, staff="Ben", now=T0).outcome == Outcome.TAKEN

    sign_out(engine, "Anna")
    [waiting] = queue(engine, unclaimed_after=timedelta(minutes=2), now=LATER)  # (asked long ago: still listed)
    assert (waiting.request_id, waiting.left_by) == (request_id, "Anna")

    report_presence(engine, "Ben", now=LATER)  # (a console claims as it reports: Ben is at work)
    assert claim_outcome(engine, request_id, staff="Ben", now=LATER).outcome == Outcome.WON
    assert claim_outcome(engine, request_id, staff="Cem", now=LATER).outcome == Outcome.TAKEN  # one wins
    assert request_state(engine, request_id) == ("claimed", "Ben")
    assert queue(engine, now=LATER) == []
    lines = chat.messages(engine, request_id)
    assert [line.shown("de") for line in lines] == ["Ich bin gleich bei Ihnen", "Ben hat übernommen"]
    assert lines[-1].shown("en") == "Ben has taken over"


def test_a_colleague_whose_console_went_quiet_counts_as_signed_out(engine: Engine) -> None:
    _staffed(engine)
    request_id = waiting_request(engine)
    report_presence(engine, "Anna", now=T0)
    assert claim(engine, request_id, staff="Anna", now=T0)
    assert queue(engine, now=T0 + timedelta(seconds=30)) == []
    [waiting] = queue(engine, now=T0 + timedelta(minutes=2))  # her console crashed: no sign-out, no reports
    assert waiting.left_by == "Anna"


def test_opening_the_customers_code_takes_a_signed_out_colleagues_case_over(engine: Engine) -> None:
    _staffed(engine)
    request_id = waiting_request(engine)
    report_presence(engine, "Anna", now=T0)
    assert claim(engine, request_id, staff="Anna", now=T0)
    [waiting] = queue(engine, now=T0 + timedelta(minutes=2))
    stored = session_of(engine, waiting.session_id)
    assert stored is not None
    code = stored.resume_code

    report_presence(engine, "Anna")  # back at work: Ben reads along, the case stays hers
    held = open_code(engine, code, client="console:ben", staff="Ben")
    assert (held.request_id, held.held_by, held.taken_from) == (None, "Anna", None)

    sign_out(engine, "Anna")
    taken = open_code(engine, code, client="console:ben", staff="Ben")
    assert (taken.request_id, taken.taken_from) == (request_id, "Anna")
    assert request_state(engine, request_id) == ("claimed", "Ben")


def test_what_the_old_holders_console_kept_through_an_outage_is_refused_after_the_take_over(engine: Engine) -> None:
    """Anna's laptop lost the network with a line and a close kept; Ben took the case over meanwhile. When her
    console stores what it kept, neither closes Ben's case nor writes into his chat: both are refused, naming him."""
    import pytest

    from advisor.handoff.requests import Action, HandoffError, transition
    from advisor.session.refusals import refusal

    _staffed(engine)
    request_id = waiting_request(engine)
    report_presence(engine, "Anna", now=T0)
    assert claim(engine, request_id, staff="Anna", now=T0)
    report_presence(engine, "Ben", now=LATER)
    won = claim_outcome(engine, request_id, staff="Ben", now=LATER)
    assert (won.outcome, won.taken_from) == (Outcome.WON, "Anna")

    with pytest.raises(HandoffError) as line:
        chat.post_message(engine, request_id, sender="staff", author="Anna", text="Einen Moment bitte")
    with pytest.raises(HandoffError) as close:
        transition(engine, request_id, Action.CLOSE, holder="Anna")
    assert refusal(close.value, "de") == "Ben hat diesen Fall übernommen: Ihre Änderung ist nicht gespeichert."
    assert line.value.reason == "taken_over"
    assert request_state(engine, request_id) == ("claimed", "Ben")
    assert [line.shown("de") for line in chat.messages(engine, request_id)] == ["Ben hat übernommen"]
    assert transition(engine, request_id, Action.CLOSE, holder="Ben") == "closed"


def test_taking_over_takes_every_request_of_the_customer_the_colleague_held(engine: Engine) -> None:
    """A customer who asked for a chat and a person, both Anna's: whoever takes one over serves them, so both move
    (no third colleague takes the other from the queue)."""
    from advisor.handoff.requests import request_handoff

    _staffed(engine)
    chat_id = waiting_request(engine)
    [waiting] = queue(engine, now=T0)
    person_id = request_handoff(engine, session_id=waiting.session_id, kind="consultant", now=T0)
    report_presence(engine, "Anna", now=T0)
    assert claim(engine, chat_id, staff="Anna", now=T0) and claim(engine, person_id, staff="Anna", now=T0)
    report_presence(engine, "Ben", now=LATER)
    assert [entry.left_by for entry in queue(engine, now=LATER)] == ["Anna", "Anna"]

    assert claim_outcome(engine, person_id, staff="Ben", now=LATER).outcome == Outcome.WON
    assert request_state(engine, chat_id) == request_state(engine, person_id) == ("claimed", "Ben")
    assert queue(engine, now=LATER) == []
    assert [line.shown("de") for line in chat.messages(engine, chat_id)] == ["Ben hat übernommen"]
