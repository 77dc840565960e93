"""On the phone: the colleague who had the chat signs out. The chat no longer says she is there: it waits for the
next colleague (with nobody signed in, the shopper reads when the team is back); what the shopper writes meanwhile
is kept, and a colleague taking it over is named as usual."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape

import pytest
from fastapi.testclient import TestClient

from advisor.handoff import chat, requests, staff
from advisor.web.app import create_app
from advisor.web.context import WebContext
from tests.web.conftest import csrf_of, start

LEFT = "Anna musste gehen – dein Chat wartet, bis jemand anderes aus dem Team übernimmt."
BACK = "Unser Team ist morgen ab 09:00 Uhr wieder für dich da."


@pytest.fixture
def closing(web: WebContext) -> Iterator[TestClient]:
    """A phone on the companion of a store closed today that opens tomorrow at nine (its last colleague is still at
    a console)."""
    weekday = datetime.now(UTC).astimezone(web.config.store.zone).weekday()
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    hours = {day: "closed" for day in days} | {days[(weekday + 1) % 7]: "09:00-18:00"}
    store = web.config.store.model_copy(
        update={"opening_hours": web.config.store.opening_hours.model_copy(update=hours)}
    )
    closed = dataclasses.replace(web, config=web.config.model_copy(update={"store": store}))
    with TestClient(create_app(closed)) as client:
        yield client


def _chat_with_anna(client: TestClient, web: WebContext) -> int:
    """The shopper asks for a chat; Anna claims it and answers."""
    for name in ("Anna", "Ben"):
        staff.set_pin(web.engine, name, "4711")
    staff.report_presence(web.engine, "Anna")
    start(client)
    page = client.get("/advice/chat")
    client.post("/advice/chat/start", data={"csrf": csrf_of(page.text), "consent": "yes"})
    [asked] = requests.queue(web.engine)
    request_id = asked.request_id
    assert requests.claim(web.engine, request_id, staff="Anna")
    chat.post_message(web.engine, request_id, sender="staff", author="Anna", text="Ja, der passt für zwei mit Gepäck.")
    return request_id


def _live(client: TestClient) -> str:
    return unescape(client.get("/advice/chat/live").text)


def test_anna_signing_out_is_told_with_when_the_team_is_back_and_ben_taking_over_is_named(
    closing: TestClient, web: WebContext
) -> None:
    request_id = _chat_with_anna(closing, web)
    assert "Anna ist jetzt für dich im Chat." in _live(closing)

    staff.sign_out(web.engine, "Anna")
    live = _live(closing)
    assert f"{LEFT} {BACK}" in live
    assert "ist jetzt für dich im Chat" not in live
    assert 'http-equiv="refresh"' in live, "the chat is open still: the frame keeps looking"
    english = closing.post("/lang", data={"csrf": csrf_of(closing.get("/advice/chat").text), "locale": "en",
                                          "back": "/advice/chat"})  # fmt: skip
    assert english.status_code == 200
    assert "Anna had to leave – your chat waits for the next colleague. Our team is back tomorrow at 09:00." in _live(
        closing
    )
    page = closing.get("/advice/chat")
    sent = closing.post("/advice/chat/send", data={"csrf": csrf_of(page.text), "message": "Thanks! See you tomorrow."})
    assert sent.status_code == 200 and 'src="/advice/chat/live"' in sent.text, "the chat page, its chat still open"
    assert "Thanks! See you tomorrow." in _live(closing)

    staff.report_presence(web.engine, "Ben")
    assert requests.claim_outcome(web.engine, request_id, staff="Ben").taken_from == "Anna"
    live = _live(closing)
    assert "Ben is with you in the chat now." in live
    assert "had to leave" not in live and "Ben has taken over" in live
    assert [line.text for line in chat.messages(web.engine, request_id) if line.sender == "shopper"] == [
        "Thanks! See you tomorrow."
    ], "Ben's console reads what she wrote while the chat waited"


def test_with_a_colleague_still_signed_in_the_chat_waits_without_a_time(client: TestClient, web: WebContext) -> None:
    _chat_with_anna(client, web)
    staff.report_presence(web.engine, "Ben")  # (at a console, not in this chat yet)
    staff.sign_out(web.engine, "Anna")
    live = _live(client)
    assert LEFT in live
    assert "wieder für dich da" not in live and "Im Laden ist unser Team" not in live
