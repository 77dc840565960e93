"""The chat of a handoff request and the staff's notes, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from advisor.handoff.chat import MAX_NOTES, messages, notes_of, post_message, save_notes
from advisor.handoff.requests import Action, HandoffError, claim, transition
from tests.helpers.handoff import T0, waiting_request


def test_a_chat_runs_while_the_request_is_open(engine: Engine) -> None:
    request_id = waiting_request(engine)
    post_message(engine, request_id, sender="shopper", text="  Hallo, ist das Zelt wasserdicht? ", now=T0)
    claim(engine, request_id, staff="Anna", now=T0)
    post_message(engine, request_id, sender="staff", author="Anna", text="Ja, 5.000 mm.", now=T0)
    assert [(m.sender, m.author, m.text) for m in messages(engine, request_id)] == [
        ("shopper", None, "Hallo, ist das Zelt wasserdicht?"),
        ("staff", "Anna", "Ja, 5.000 mm."),
    ]
    with pytest.raises(HandoffError, match="empty"):
        post_message(engine, request_id, sender="shopper", text="   ")
    with pytest.raises(HandoffError, match="at most 1000"):
        post_message(engine, request_id, sender="shopper", text="x" * 1001)
    transition(engine, request_id, Action.CLOSE, now=T0)
    with pytest.raises(HandoffError, match="is closed: the chat is over"):
        post_message(engine, request_id, sender="shopper", text="Noch da?")
    assert len(messages(engine, request_id)) == 2


def test_staff_notes_are_kept_per_request_and_limited(engine: Engine) -> None:
    request_id, other = waiting_request(engine), waiting_request(engine)
    save_notes(engine, request_id, "Kunde möchte ein leichteres Zelt")
    assert notes_of(engine, request_id) == "Kunde möchte ein leichteres Zelt"
    assert notes_of(engine, other) == ""
    with pytest.raises(HandoffError, match=f"at most {MAX_NOTES}"):
        save_notes(engine, request_id, "x" * (MAX_NOTES + 1))


def test_a_pasted_tab_in_the_notes_is_kept_as_a_space(engine: Engine) -> None:
    request_id = waiting_request(engine)
    save_notes(engine, request_id, "Größe\tM\nFarbe\tblau")
    assert notes_of(engine, request_id) == "Größe M\nFarbe blau"
