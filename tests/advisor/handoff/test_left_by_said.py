"""A colleague signs out with a chat still theirs: what the shopper's screen is told (it waits for the next one, and
whether anybody is at a console), what she writes meanwhile, and who is named once a colleague takes it over."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from advisor.handoff import chat
from advisor.handoff.requests import Outcome, claim, claim_outcome, left_by
from advisor.handoff.staff import report_presence, set_pin, sign_out
from advisor.session.watch import request_view
from tests.helpers.handoff import T0, waiting_request

LATER = T0 + timedelta(minutes=5)


def _look(engine: Engine, request_id: int, now: datetime = T0) -> tuple[str | None, str | None, str | None, bool]:
    view = request_view(engine, request_id, None, store_id="muc-01", chat=False, now=now)
    return view.state, view.claimed_by, view.left_by, view.team_away


def test_a_chat_whose_colleague_signed_out_waits_for_the_next_one_and_the_shopper_is_told(engine: Engine) -> None:
    for name in ("Anna", "Ben"):
        set_pin(engine, name, "4711")
    request_id = waiting_request(engine)
    report_presence(engine, "Anna", now=T0)
    assert claim(engine, request_id, staff="Anna", now=T0)
    chat.post_message(engine, request_id, sender="staff", author="Anna", text="Ja, das Zelt passt für zwei.", now=T0)
    assert _look(engine, request_id) == ("claimed", "Anna", None, False), "Anna is at work: she is with the shopper"

    sign_out(engine, "Anna")
    assert left_by(engine, request_id, now=LATER) == "Anna"
    assert _look(engine, request_id, LATER) == ("claimed", "Anna", "Anna", True), "nobody else is at a console"
    chat.post_message(engine, request_id, sender="shopper", text="Danke! Bis morgen.", now=LATER)

    report_presence(engine, "Ben", now=LATER)
    assert _look(engine, request_id, LATER) == ("claimed", "Anna", "Anna", False), "Ben is there: no 'back at'"
    assert claim_outcome(engine, request_id, staff="Ben", now=LATER).outcome == Outcome.WON
    assert _look(engine, request_id, LATER) == ("claimed", "Ben", None, False)
    lines = chat.messages(engine, request_id)
    assert [line.shown("de") for line in lines] == [
        "Ja, das Zelt passt für zwei.", "Danke! Bis morgen.", "Ben hat übernommen"
    ], "Ben reads what the shopper wrote while the chat waited"  # fmt: skip


def test_a_colleague_back_at_work_has_the_chat_again(engine: Engine) -> None:
    set_pin(engine, "Anna", "4711")
    request_id = waiting_request(engine)
    report_presence(engine, "Anna", now=T0)
    assert claim(engine, request_id, staff="Anna", now=T0)
    sign_out(engine, "Anna")
    assert _look(engine, request_id, LATER)[2] == "Anna"
    report_presence(engine, "Anna", now=LATER)
    assert _look(engine, request_id, LATER) == ("claimed", "Anna", None, False)


def test_a_request_nobody_claimed_yet_is_left_by_nobody(engine: Engine) -> None:
    request_id = waiting_request(engine)
    assert left_by(engine, request_id, now=T0) is None
    assert _look(engine, request_id)[2:] == (None, False)
