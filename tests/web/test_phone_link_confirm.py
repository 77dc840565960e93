"""A one-time phone link never swaps a shopper's advice unnoticed (session fixation through `/c/{token}`).

The attack from the security walk: someone starts an advice through the public API, mints a phone link for it and
gets a shopper's browser to open it; whatever the shopper then types (a chat with a phone number, a booking) lands in
the sender's advice, and a second link shows it to the sender. A browser holding its own advice is asked first; a
link the API minted asks first even on a fresh browser; the kiosk's QR code still opens in one step.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from advisor.handoff import requests, sessions, staff
from advisor.handoff.chat import messages
from advisor.handoff.tokens import TokenError, issue_token, peek_token
from advisor.web.app import SESSION_COOKIE
from advisor.web.context import WebContext
from tests.web.conftest import BACKPACKS, csrf_of, start, step_of, walk_to_results
from tests.web.test_hardening import assert_hardened

API = "/api/v1"
PHONE_NUMBER = "0660 999 888"
ENGLISH = {"accept-language": "en-GB,en;q=0.9"}


def attackers_session(client: TestClient) -> dict[str, Any]:
    """An advice started through the public API, as anyone on the internet can."""
    created = client.post(f"{API}/sessions", json={"questionnaire_id": "tent-finder", "locale": "de"})
    assert created.status_code == 201, created.text
    return dict(created.json())


def api_link(client: TestClient, api_token: str) -> str:
    """The path of a phone link the public API mints for its session."""
    response = client.post(f"{API}/session/phone-link", headers={"Authorization": f"Bearer {api_token}"})
    assert response.status_code == 200, response.text
    return "/c/" + str(response.json()["url"]).rpartition("/c/")[2]


def open_link(browser: TestClient, path: str) -> None:
    """Open a phone link as a shopper who means to: confirming it when the page asks."""
    page = browser.get(path, follow_redirects=False)
    if page.status_code == 200:
        browser.post(path, data={"csrf": csrf_of(page.text)}, follow_redirects=False)


def token_of(path: str) -> str:
    return path.rpartition("/c/")[2].partition("?")[0]


def still_usable(web: WebContext, path: str) -> bool:
    try:
        peek_token(web.engine, token_of(path))
    except TokenError:
        return False
    return True


def shoppers_own_advice(client: TestClient, web: WebContext, headers: dict[str, str] | None = None) -> str:
    """A shopper's advice in this browser: the backpack finder, answered to the results; its stored id."""
    if headers:
        client.headers.update(headers)
    start(client, BACKPACKS)
    walk_to_results(client, web.questionnaires()[BACKPACKS])
    session_id = web.signer.unsign(client.cookies.get(SESSION_COOKIE))
    assert session_id is not None
    return session_id


def no_inline_style_or_script(page: httpx.Response) -> None:
    assert "<script" not in page.text and " style=" not in page.text and "<style" not in page.text


@pytest.mark.parametrize(
    ("headers", "running", "stay"),
    [({}, "Auf diesem Gerät läuft schon eine Beratung (Rucksackberater, ", "Bei meiner bleiben"),
     (ENGLISH, "An advice is already running on this device (Backpack finder, ", "Keep mine")],
)  # fmt: skip
def test_a_link_someone_sends_does_not_replace_the_shoppers_own_advice(
    client: TestClient, web: WebContext, headers: dict[str, str], running: str, stay: str
) -> None:
    attacker = attackers_session(client)
    link = api_link(client, attacker["token"])
    with TestClient(client.app) as victim:
        own = shoppers_own_advice(victim, web, headers)
        cookie = victim.cookies.get(SESSION_COOKIE)

        asked = victim.get(link, follow_redirects=False)

        assert asked.status_code == 200, asked.text
        assert running in asked.text, "the page names the advice this device already has"
        assert ("Zeltberater, 0 Antworten" if not headers else "Tent finder, 0 answers") in asked.text
        assert stay in asked.text and 'href="/advice"' in asked.text
        assert victim.cookies.get(SESSION_COOKIE) == cookie, "the shopper's own advice is still this browser's"
        assert still_usable(web, link), "a GET that asks does not use the link up"
        assert_hardened(asked)
        assert asked.headers["x-robots-tag"] == "noindex"
        no_inline_style_or_script(asked)

        # The shopper stays with their own advice and goes on as in the walk: a chat with a phone number.
        staff.set_pin(web.engine, "Mara", "4711")
        staff.report_presence(web.engine, "Mara")
        chat = victim.get("/advice/chat")
        victim.post("/advice/chat/start", data={"csrf": csrf_of(chat.text), "consent": "yes"})
        chat = victim.get("/advice/chat")
        victim.post("/advice/chat/send", data={"csrf": csrf_of(chat.text), "message": f"Meine Nummer: {PHONE_NUMBER}"})
        [(request_id, _, _)] = requests.requests_of(web.engine, own)
        assert [line.text for line in messages(web.engine, request_id)] == [f"Meine Nummer: {PHONE_NUMBER}"]
        assert web.signer.unsign(victim.cookies.get(SESSION_COOKIE)) == own

    with TestClient(client.app) as again:  # the sender opens his advice with a second link: nothing of the shopper's
        open_link(again, api_link(client, attacker["token"]))
        assert web.signer.unsign(again.cookies.get(SESSION_COOKIE)) == web.signer.unsign(attacker["token"], "api")
        assert PHONE_NUMBER not in again.get("/advice/chat/live").text
        assert PHONE_NUMBER not in again.get("/advice/chat").text


@pytest.mark.parametrize(
    ("headers", "opens", "warning", "open_button", "leave"),
    [({}, "Der Link öffnet: Zeltberater, 0 Antworten, begonnen am ", "Öffne sie nur, wenn du sie selbst begonnen hast",
      "Öffnen", "Nicht öffnen"),
     (ENGLISH, "The link opens: Tent finder, 0 answers, started on ", "Open it only if you started it yourself",
      "Open", "Don&#39;t open")],
)  # fmt: skip
def test_a_link_the_api_minted_asks_a_fresh_browser_first_and_opens_on_its_post(
    client: TestClient,
    web: WebContext,
    headers: dict[str, str],
    opens: str,
    warning: str,
    open_button: str,
    leave: str,
) -> None:
    attacker = attackers_session(client)
    session_id = web.signer.unsign(attacker["token"], "api")
    assert session_id is not None
    link = f"/c/{issue_token(web.engine, session_id, by='api')}"  # as the API mints it
    with TestClient(client.app, headers=dict(headers)) as phone:
        asked = phone.get(link, follow_redirects=False)

        assert asked.status_code == 200, asked.text
        assert opens in asked.text
        assert ("auf einem anderen Gerät." if not headers else "on another device.") in asked.text
        assert warning in asked.text
        assert f">{open_button}</button>" in asked.text and f'href="/">{leave}</a>' in asked.text
        assert SESSION_COOKIE not in phone.cookies, "asked, not entered"
        assert still_usable(web, link)
        assert_hardened(asked)
        no_inline_style_or_script(asked)

        forged = phone.post(link, data={"csrf": "made-up"}, follow_redirects=False)
        assert forged.status_code == 403
        assert still_usable(web, link), "a refused form does not use the link up"

        opened = phone.post(link, data={"csrf": csrf_of(asked.text)}, follow_redirects=False)

        assert (opened.status_code, opened.headers["location"]) == (303, "/advice?at=region")
        assert web.signer.unsign(phone.cookies.get(SESSION_COOKIE)) == session_id
        assert not still_usable(web, link), "the link works once"
        assert step_of(phone.get("/advice").text) is not None


def test_the_phone_link_endpoint_mints_links_that_ask_first(client: TestClient, web: WebContext) -> None:
    link = api_link(client, attackers_session(client)["token"])
    with TestClient(client.app) as phone:
        asked = phone.get(link, follow_redirects=False)
        assert asked.status_code == 200 and "Der Link öffnet: Zeltberater" in asked.text
        assert SESSION_COOKIE not in phone.cookies


def test_the_kiosks_qr_code_still_opens_in_one_step(client: TestClient, web: WebContext) -> None:
    stored = sessions.create_session(web.engine, questionnaire_id=BACKPACKS, answers={"who": "women"}, locale="de",
                                     position="activity", kiosk_id="kiosk-1")  # fmt: skip
    for to, landing in (("", "/advice?at=activity"), ("appointment", "/advice/appointment")):
        with TestClient(client.app) as phone:
            link = f"/c/{issue_token(web.engine, stored.id)}" + (f"?to={to}" if to else "")
            opened = phone.get(link, follow_redirects=False)
            assert (opened.status_code, opened.headers["location"]) == (303, landing)
            assert web.signer.unsign(phone.cookies.get(SESSION_COOKIE)) == stored.id
            assert not still_usable(web, link)


def test_the_shoppers_own_qr_code_scanned_again_asks_nothing(client: TestClient, web: WebContext) -> None:
    with TestClient(client.app) as phone:
        own = shoppers_own_advice(phone, web)
        for by in ("store", "api"):
            again = phone.get(f"/c/{issue_token(web.engine, own, by=by)}", follow_redirects=False)
            assert (again.status_code, again.headers["location"]) == (303, "/advice?at=results"), by


@pytest.mark.parametrize("headers", [{}, ENGLISH])
def test_a_kiosk_code_for_another_advice_asks_and_open_keeps_the_booking_target(
    client: TestClient, web: WebContext, headers: dict[str, str]
) -> None:
    """A shopper with an advice on the phone scans a kiosk's QR code for another one: asked, then taken there."""
    other = sessions.create_session(web.engine, questionnaire_id="tent-finder", answers={"region": "rough"},
                                    locale="de", position="trip", kiosk_id="kiosk-1")  # fmt: skip
    link = f"/c/{issue_token(web.engine, other.id)}?to=appointment"
    with TestClient(client.app) as phone:
        own = shoppers_own_advice(phone, web, headers)
        code = sessions.session_of(web.engine, own)
        assert code is not None

        asked = phone.get(link, follow_redirects=False)

        assert asked.status_code == 200
        assert ("Zeltberater, 1 Antwort," if not headers else "Tent finder, 1 answer,") in asked.text
        assert code.resume_code[:4] in asked.text, "the page says how to get back to the shopper's own advice"
        assert "Öffne sie nur" not in asked.text and "Open it only" not in asked.text, "the store's own code"
        assert 'name="to" value="appointment"' in asked.text
        assert web.signer.unsign(phone.cookies.get(SESSION_COOKIE)) == own, "asked, not switched"

        opened = phone.post(
            link.partition("?")[0], data={"csrf": csrf_of(asked.text), "to": "appointment"}, follow_redirects=False
        )

        assert (opened.status_code, opened.headers["location"]) == (303, "/advice/appointment")
        assert web.signer.unsign(phone.cookies.get(SESSION_COOKIE)) == other.id


def test_a_used_link_says_so_on_the_confirmation_form_too(client: TestClient, web: WebContext) -> None:
    attacker = attackers_session(client)
    session_id = web.signer.unsign(attacker["token"], "api")
    assert session_id is not None
    link = f"/c/{issue_token(web.engine, session_id, by='api')}"
    with TestClient(client.app) as phone, TestClient(client.app) as other_phone:
        asked = phone.get(link, follow_redirects=False)
        open_link(other_phone, link)  # opened on another phone meanwhile
        late = phone.post(link, data={"csrf": csrf_of(asked.text)}, follow_redirects=False)
        assert late.status_code == 410 and "Dieser Link wurde schon benutzt." in late.text
        assert SESSION_COOKIE not in phone.cookies
