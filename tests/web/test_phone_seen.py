"""A chat on the shopper's phone whose tab was closed: the console says when the phone was last seen, from the chat
page's polls, which write that at most every half minute (not once a poll)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from advisor.handoff import requests, sessions
from advisor.handoff.seen import PhoneSightings
from advisor.questionnaire.model import Questionnaire
from advisor.session.cases import Desk, open_case
from advisor.web.context import WebContext
from tests.advisor.session.test_cases import BERLIN, index_for
from tests.web.conftest import csrf_of, start, walk_to_results

LIVE = "/advice/chat/live"
DESK_DE, DESK_EN = Desk("de", BERLIN), Desk("en", BERLIN)


def phone_chat(client: TestClient, web: WebContext, questionnaire: Questionnaire) -> int:
    """A shopper on their phone asks for a chat from the results; the request's id."""
    start(client)
    walk_to_results(client, questionnaire)
    page = client.get("/advice/chat")
    client.post("/advice/chat/start", data={"csrf": csrf_of(page.text), "consent": "yes"})
    with web.engine.connect() as connection:
        return int(connection.execute(sa.select(requests.REQUEST.c.id)).scalar_one())


def seen_at(engine: Engine, request_id: int) -> datetime | None:
    with engine.connect() as connection:
        found = connection.execute(
            sa.select(requests.REQUEST.c.shopper_seen_at).where(requests.REQUEST.c.id == request_id)
        ).scalar()
    return found if found is None or found.tzinfo else found.replace(tzinfo=UTC)


def last_seen(engine: Engine, request_id: int, ago: timedelta) -> None:
    """The phone was last seen `ago` (its tab closed then)."""
    with engine.begin() as connection:
        connection.execute(
            requests.REQUEST.update()
            .where(requests.REQUEST.c.id == request_id)
            .values(shopper_seen_at=datetime.now(UTC) - ago)
        )


def console_note(web: WebContext, library: Any, request_id: int, desk: Desk = DESK_DE) -> str:
    """What the staff console's chat of the case says below the lines."""
    with web.engine.connect() as connection:
        session_id = connection.execute(
            sa.select(requests.REQUEST.c.session_id).where(requests.REQUEST.c.id == request_id)
        ).scalar_one()
    case = open_case(web.engine, (request_id, session_id), library, index_for, desk, kind="chat", staff="Anna")
    assert case is not None
    return case.chat_note


def test_the_console_says_when_a_quiet_phone_was_last_active_and_a_poll_clears_it(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    library = {backpacks.id: backpacks}
    request_id = phone_chat(client, web, backpacks)
    assert requests.claim(web.engine, request_id, staff="Anna")
    assert console_note(web, library, request_id) == "", "the phone was there a moment ago"

    last_seen(web.engine, request_id, timedelta(minutes=4, seconds=10))  # the shopper closed the tab

    assert console_note(web, library, request_id) == "Handy zuletzt aktiv vor 4 Min."
    assert console_note(web, library, request_id, DESK_EN) == "Phone last active 4 min ago"
    last_seen(web.engine, request_id, timedelta(hours=1, minutes=5))
    assert console_note(web, library, request_id) == "Handy zuletzt aktiv vor 1 Std. 5 Min."

    assert client.get(LIVE).status_code == 200  # the tab is open again: its next poll

    assert console_note(web, library, request_id) == ""
    seen = seen_at(web.engine, request_id)
    assert seen is not None and datetime.now(UTC) - seen < timedelta(seconds=10)


def test_the_chat_pages_polls_write_at_most_once_a_half_minute(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    request_id = phone_chat(client, web, backpacks)
    last_seen(web.engine, request_id, timedelta(minutes=2))
    writes: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE HANDOFF_REQUEST") and "shopper_seen_at" in statement:
            writes.append(statement)

    event.listen(web.engine, "before_cursor_execute", count)
    try:
        for _ in range(20):  # a minute and more of polls every 4 s, as fast as they come
            assert client.get(LIVE).status_code == 200
    finally:
        event.remove(web.engine, "before_cursor_execute", count)

    assert len(writes) == 1, "one write, not one a poll"


def test_sightings_write_every_half_minute_across_processes(web: WebContext) -> None:
    stored = sessions.create_session(web.engine, questionnaire_id="backpack-finder", answers={}, locale="de",
                                     consent=True)  # fmt: skip
    request_id = requests.request_handoff(web.engine, session_id=stored.id, kind="chat", channel="web")
    t0 = datetime.now(UTC) + timedelta(minutes=1)
    one, other = PhoneSightings(), PhoneSightings()  # two web workers

    assert one.seen(web.engine, request_id, now=t0)
    assert not one.seen(web.engine, request_id, now=t0 + timedelta(seconds=10))
    assert not other.seen(web.engine, request_id, now=t0 + timedelta(seconds=20)), "the other worker's write counts"
    assert one.seen(web.engine, request_id, now=t0 + timedelta(seconds=31))
    assert seen_at(web.engine, request_id) == t0 + timedelta(seconds=31)
    requests.transition(web.engine, request_id, requests.Action.CANCEL)
    assert not other.seen(web.engine, request_id, now=t0 + timedelta(minutes=5)), "an ended chat is not written to"


def test_a_kiosk_chat_says_nothing_of_a_phone(client: TestClient, web: WebContext, backpacks: Questionnaire) -> None:
    library = {backpacks.id: backpacks}
    stored = sessions.create_session(web.engine, questionnaire_id=backpacks.id, answers={}, locale="de",
                                     consent=True, kiosk_id="kiosk-zelte")  # fmt: skip
    request_id = requests.request_handoff(web.engine, session_id=stored.id, kind="chat", channel="kiosk")
    last_seen(web.engine, request_id, timedelta(minutes=10))  # (never written for a kiosk; were it there)

    assert console_note(web, library, request_id) == ""
