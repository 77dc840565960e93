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
