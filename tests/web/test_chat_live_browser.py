"""The chat's live part in a real Chromium against a real `advisor serve`: with script (chat.js) the chat page shows
the status and the lines in its own live regions, which a screen reader announces as they change, and adds only
what is new, without a page load; without script the frame reloads itself as before. The CSP allows the script
file and no inline script; axe-core finds nothing on the chat page or the frame's page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.engine import Engine

from advisor.handoff import chat
from advisor.handoff import requests as handoff_requests
from advisor.handoff import staff as console
from advisor.web.app import CHAT_REFRESH_SECONDS
from tests.web.conftest import PHONE, LiveServer, go_to_phone_link
from tests.web.test_browser import axe_violations

TENTS = {"region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 2, "extra_space": False,
         "body_height": 185, "weight_importance": "high", "extras": ["two_entrances"]}  # fmt: skip
LIVE = "/advice/chat/live"
SOON = (CHAT_REFRESH_SECONDS * 3 + 5) * 1000  # ms: a few of the page's looks at the server


def open_chat(page: Page, live_server: LiveServer, engine: Engine) -> int:
    """Tent advice opened on the phone with its link, and a chat asked for (Mara is there); the request's id."""
    console.set_pin(engine, "Mara", "4711")
    console.report_presence(engine, "Mara")  # someone there: the chat page offers a chat
    api = live_server.url + "/api/v1"
    created = page.request.post(f"{api}/sessions", data={"questionnaire_id": "tent-finder", "answers": TENTS})
    headers = {"Authorization": f"Bearer {created.json()['token']}"}
    go_to_phone_link(page, page.request.post(f"{api}/session/phone-link", headers=headers).json()["url"])
    page.goto(f"{live_server.url}/advice/chat")
    page.locator("input[name=consent]").check()
    page.locator("form[action='/advice/chat/start'] button").click()
    [waiting] = handoff_requests.queue(engine)
    return waiting.request_id


def looks_at_the_server(page: Page) -> list[str]:
    """The addresses of the chat's state the page fetches from now on (a list that grows)."""
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if request.url.endswith(LIVE) else None)
    return fetched


def test_new_lines_and_the_claim_are_added_to_the_pages_live_regions_without_a_page_load(
    phone: Page, live_server: LiveServer, server_engine: Engine
) -> None:
    reports: list[str] = []
    phone.on("console", lambda message: reports.append(message.text))
    request_id = open_chat(phone, live_server, server_engine)
    status, lines = phone.locator("#chat-status"), phone.locator("#chat-lines")
    expect(status).to_contain_text("Du bist Nummer 1")
    expect(phone.locator("iframe.chat-live")).to_have_count(0)  # no frame, so nothing reloads
    assert status.get_attribute("role") == "status"
    log = phone.locator("#chat-now [role=log]")
    assert log.get_attribute("aria-live") == "polite"
    assert log.locator("#chat-lines").count() == 1
    phone.locator("#message").fill("Hallo, ich suche ein Zelt")
    phone.get_by_role("button", name="Senden").click()  # a line of the shopper's: the form, as before
    expect(lines.locator("li")).to_have_count(1)
    expect(lines.locator("li.shopper")).to_contain_text("Hallo, ich suche ein Zelt")

    phone.evaluate("() => { window.stayed = true; document.querySelector('#chat-lines li').kept = true; }")
    phone.locator("#message").click()
    phone.keyboard.type("Zwei Pers")  # the shopper is typing as the staff answer
    fetched = looks_at_the_server(phone)
    loads: list[str] = []
    phone.on("framenavigated", lambda frame: loads.append(frame.url))
    assert handoff_requests.claim(server_engine, request_id, staff="Mara")
    chat.post_message(server_engine, request_id, sender="staff", author="Mara", text="Gern! Für wie viele?")

    expect(status).to_have_text("Mara ist jetzt für dich im Chat.", timeout=SOON)
    expect(lines.locator("li")).to_have_count(2, timeout=SOON)
    expect(lines.locator("li").last).to_have_class("staff")
    expect(lines.locator("li").last).to_contain_text("Gern! Für wie viele?")
    kept = phone.evaluate(
        """() => [window.stayed === true, document.querySelector('#chat-lines li').kept === true,
                  document.activeElement && document.activeElement.id, document.activeElement.value]"""
    )
    assert kept == [True, True, "message", "Zwei Pers"], "no page load, the first line untouched, the focus kept"
    assert loads == [] and fetched, "the page looked at the server without loading a page"

    handoff_requests.transition(server_engine, request_id, handoff_requests.Action.CLOSE)

    expect(status).to_contain_text("Die Anfrage ist beendet.", timeout=SOON)
    expect(status.get_by_role("link")).to_have_text("Chat-Seite neu laden: Verlauf und wie es weitergeht")
    expect(phone.locator("#chat-now")).to_have_attribute("data-polling", "stopped")
    expect(lines.locator("li")).to_have_count(2)
    looked = len(fetched)
    phone.wait_for_timeout((CHAT_REFRESH_SECONDS * 2 + 1) * 1000)
    assert len(fetched) == looked, "the page stops looking once the chat has ended"
    assert phone.evaluate("() => document.activeElement.id") == "message"
    blocked = [report for report in reports if "Content Security Policy" in report or "Refused to" in report]
    assert blocked == []


def test_a_session_that_ends_while_the_chat_is_open_stops_the_looking_and_says_so(
    phone: Page, live_server: LiveServer, server_engine: Engine
) -> None:
    open_chat(phone, live_server, server_engine)
    status = phone.locator("#chat-status")
    expect(status).to_contain_text("Du bist Nummer 1")
    fetched = looks_at_the_server(phone)

    phone.context.clear_cookies()  # the session is gone: the server answers with a redirect to the start page

    expect(status).to_contain_text("Die Anfrage ist beendet.", timeout=SOON)
    expect(phone.locator("#chat-now")).to_have_attribute("data-polling", "stopped")
    expect(status.get_by_role("link")).to_have_attribute("href", "/advice/chat")
    looked = len(fetched)
    phone.wait_for_timeout((CHAT_REFRESH_SECONDS * 2 + 1) * 1000)
    assert len(fetched) == looked
    assert phone.url.endswith("/advice/chat")  # no page load: the shopper stays where they are


@pytest.fixture
def no_script_phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale="de-DE", java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_without_script_the_chats_frame_still_reloads_itself(
    no_script_phone: Page, live_server: LiveServer, server_engine: Engine
) -> None:
    request_id = open_chat(no_script_phone, live_server, server_engine)
    frame = no_script_phone.frame_locator("iframe.chat-live")
    expect(frame.get_by_test_id("queue")).to_contain_text("Du bist Nummer 1")
    expect(no_script_phone.locator("#chat-now")).to_be_hidden()

    assert handoff_requests.claim(server_engine, request_id, staff="Mara")
    chat.post_message(server_engine, request_id, sender="staff", author="Mara", text="Gern! Für wie viele?")

    expect(frame.locator("[role=status]")).to_have_text("Mara ist jetzt für dich im Chat.", timeout=SOON)
    expect(frame.locator(".chat li.staff")).to_contain_text("Gern! Für wie viele?", timeout=SOON)


def test_the_policy_allows_the_script_file_and_refuses_inline_script(
    phone: Page, live_server: LiveServer, server_engine: Engine
) -> None:
    open_chat(phone, live_server, server_engine)
    response = phone.request.get(f"{live_server.url}/advice/chat")
    policy = {part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[-1]
              for part in response.headers["content-security-policy"].split(";")}  # fmt: skip
    assert policy["script-src"] == "'self'" and policy["connect-src"] == "'self'" and policy["default-src"] == "'none'"
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    expect(phone.locator("#chat-now")).to_be_visible()  # chat.js ran: the file is allowed

    ran = phone.evaluate(
        """() => { const inline = document.createElement("script"); inline.textContent = "window.inlineRan = true";
                   document.body.append(inline); return window.inlineRan === true; }"""
    )

    assert ran is False, "Chromium refuses an inline script"


def test_the_chat_page_and_the_frames_page_pass_axe_core(
    phone: Page, live_server: LiveServer, server_engine: Engine
) -> None:
    request_id = open_chat(phone, live_server, server_engine)
    assert handoff_requests.claim(server_engine, request_id, staff="Mara")
    chat.post_message(server_engine, request_id, sender="staff", author="Mara", text="Gern! Für wie viele?")
    expect(phone.locator("#chat-lines li")).to_have_count(1, timeout=SOON)
    problems = {"chat": axe_violations(phone)}
    phone.goto(live_server.url + LIVE)  # the frame's page, as a browser without script shows it
    expect(phone.get_by_role("main").get_by_role("heading", level=1)).to_have_count(1)
    # While the chat is open that page reloads itself every few seconds: the one way a page without script shows
    # a staff member's answer (a real-time event, the exception of WCAG 2.2.1). A browser with script never shows
    # it (chat.js takes the frame away), so axe's meta-refresh rule is the one left out here, and only here.
    problems["frame, open"] = [line for line in axe_violations(phone) if not line.startswith("meta-refresh ")]
    handoff_requests.transition(server_engine, request_id, handoff_requests.Action.CLOSE)
    phone.goto(live_server.url + LIVE)
    expect(phone.get_by_role("status")).to_contain_text("Die Anfrage ist beendet.")
    problems["frame, ended"] = axe_violations(phone)
    phone.goto(live_server.url + "/advice/chat")  # the chat as it went, with the rating
    problems["chat, ended"] = axe_violations(phone)
    assert problems == {"chat": [], "frame, open": [], "frame, ended": [], "chat, ended": []}
