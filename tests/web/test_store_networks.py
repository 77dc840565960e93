"""The store's own networks ([web] store_networks, say its guest Wi-Fi's one public address): shoppers there book,
ask for chats and so on without sharing one client's budget, while a client outside is limited as ever, the
per-session budgets still hold each advice, and wrong resume codes from the store are limited like anyone's."""

from __future__ import annotations

import dataclasses

from fastapi.testclient import TestClient
from starlette.types import ASGIApp

from advisor.appointments import staff
from advisor.config import AppointmentsConfig
from advisor.handoff import limits, requests, sessions
from advisor.web.app import create_app
from advisor.web.context import WebContext
from tests.helpers.appointments import add_consultants
from tests.web.conftest import BACKPACKS, csrf_of, start
from tests.web.test_abuse_limits import _appointments, _booking_form, _chat
from tests.web.test_guessing import FREE, answered, api_post, guess
from tests.web.test_repair import look_up, take_in

STORE_NETWORKS = ("203.0.113.7/32", "2001:db8:1::/48")
STORE_WIFI = ("203.0.113.7", 50000)  # the store's guest Wi-Fi, as the server sees every phone on it
STORE_WIFI_V6 = ("2001:db8:1:5::20", 50000)  # a phone on the store's IPv6 network
OUTSIDE = ("198.51.100.9", 50000)  # a client elsewhere


def in_store(web: WebContext, **update: object) -> WebContext:
    """The web companion with the store's networks set (and the other parts of its configuration in `update`)."""
    settings = type(web.config.web).model_validate({**dict(web.config.web), "store_networks": STORE_NETWORKS})
    return dataclasses.replace(web, config=web.config.model_copy(update={"web": settings, **update}))


def _book(app: ASGIApp, client: tuple[str, int], booked: set[str]) -> int:
    """A new advice from `client` books a time nobody booked yet: the answer's status."""
    with TestClient(app, client=client) as phone:
        token, times = _booking_form(phone)
        starts_at = next(time for time in times if time not in booked)
        done = phone.post("/advice/appointment", data={"csrf": token, "starts_at": starts_at, "name": "x",
                                                       "contact": "+43 660 1234567", "consent": "yes"})  # fmt: skip
    if done.status_code == 200:
        assert "Termin gebucht" in done.text, done.text
        booked.add(starts_at)
    return done.status_code


def test_shoppers_on_the_store_wifi_book_a_sixth_appointment_and_a_client_outside_does_not(web: WebContext) -> None:
    appointments = AppointmentsConfig.model_validate({"kinds": {"backpacks": {"length_minutes": 30}}})
    add_consultants(web.engine, ["anna"])
    staff.set_skills(web.engine, staff_name="anna", categories=["backpacks"])
    app = create_app(in_store(web, appointments=appointments))
    budget, booked = limits.BOOKINGS_PER_CLIENT.limit, set[str]()
    store = [_book(app, STORE_WIFI, booked) for _ in range(budget + 1)]
    assert store == [200] * (budget + 1), "the store's shoppers share no client's budget"
    outside = [_book(app, OUTSIDE, booked) for _ in range(budget + 1)]
    assert outside == [200] * budget + [429], "a client outside is limited as ever"
    assert len(_appointments(web.engine)) == 2 * budget + 1


def test_shoppers_on_the_store_wifi_open_a_seventh_chat_and_a_client_outside_does_not(web: WebContext) -> None:
    app = create_app(in_store(web))
    budget = limits.CHATS_PER_CLIENT.limit
    for client in (STORE_WIFI, STORE_WIFI_V6):
        for _ in range(budget + 1):
            with TestClient(app, client=client) as phone:
                _chat(phone)
    for _ in range(budget):
        with TestClient(app, client=OUTSIDE) as phone:
            _chat(phone)
    with TestClient(app, client=OUTSIDE) as phone:
        refused = phone.post("/advice/chat/start", data={"csrf": csrf_of(start(phone).text), "consent": "yes"})
    assert refused.status_code == 429
    assert len(requests.queue(web.engine)) == 3 * budget + 2


def test_in_the_store_one_advice_still_sends_only_so_many_chat_lines(web: WebContext) -> None:
    """The per-session budgets hold in the store too: one hostile phone there is limited per advice."""
    with TestClient(create_app(in_store(web)), client=STORE_WIFI) as phone:
        _chat(phone)
        token = csrf_of(phone.get("/advice/chat").text)
        sent = [phone.post("/advice/chat/send", data={"csrf": token, "message": f"Zeile {number}"}).status_code
                for number in range(limits.CHAT_MESSAGES_PER_SESSION.limit + 1)]  # fmt: skip
    assert sent == [200] * limits.CHAT_MESSAGES_PER_SESSION.limit + [429]


def test_wrong_resume_codes_from_the_store_wifi_are_limited_like_anyone_s(web: WebContext) -> None:
    right = sessions.create_session(web.engine, questionnaire_id=BACKPACKS, answers={}, locale="de").resume_code
    with TestClient(create_app(in_store(web)), client=STORE_WIFI) as client:
        wrong, _ = guess([api_post(client)], right, lambda _: {}, count=50)
    assert answered(wrong) <= FREE, "the store's address gets no more answers than any client's free wrong codes"
    assert wrong[:FREE] == [404] * FREE and wrong[-1] == 429


def test_from_the_store_the_api_creates_sessions_without_answers_beyond_one_client_s_budget(web: WebContext) -> None:
    body = {"questionnaire_id": BACKPACKS, "locale": "de"}
    budget = limits.EMPTY_API_SESSIONS_PER_CLIENT.limit
    app = create_app(in_store(web))
    with TestClient(app, client=STORE_WIFI) as store:
        assert {store.post("/api/v1/sessions", json=body).status_code for _ in range(budget + 1)} == {201}
    with TestClient(app, client=OUTSIDE) as outside:
        statuses = [outside.post("/api/v1/sessions", json=body).status_code for _ in range(budget + 1)]
    assert statuses == [201] * budget + [429]


def test_wrong_pickup_codes_from_the_store_wifi_are_limited_like_anyone_s(web: WebContext) -> None:
    order = take_in(web.engine)
    with TestClient(create_app(in_store(web)), client=STORE_WIFI) as phone:
        wrong = [look_up(phone, "3333-3333").status_code for _ in range(FREE)]
        waiting = look_up(phone, order.pickup_code)  # the right code, too, after the free wrong ones
    assert wrong == [404] * FREE
    assert waiting.status_code == 429 and "Zu viele falsche Codes." in waiting.text


def test_a_store_client_s_mails_are_counted_per_advice_only(web: WebContext) -> None:
    """The mail budget per client is no store client's (their keys are never counted), the one per advice is."""
    store, session = f"{limits.IN_STORE}ip:203.0.113.7", "session:s1"
    store_mails, advice_mails = limits.key("mail", store), limits.key("mail", session)
    assert limits.exempt(store_mails) and not limits.exempt(advice_mails)
    assert not limits.exempt(limits.key("mail", "ip:203.0.113.7")), "a client outside the store's networks"
    assert all(limits.spend(web.engine, store_mails, limits.MAILS_PER_CLIENT) is None for _ in range(20))
    assert limits.attempts(web.engine, store_mails, limits.MAILS_PER_CLIENT) == 0
    spent = [limits.spend(web.engine, advice_mails, limits.MAILS_PER_SESSION) for _ in range(4)]
    assert spent[:3] == [None] * 3 and spent[3] is not None
