"""The page a one-time phone link asks with, in a real Chromium against a real `advisor serve`: a shopper with an
advice of their own scans a QR code for another one, sees both named, keeps theirs or opens the other with one tap;
a link the public API minted asks a fresh phone. The page passes axe-core, fits the screen and needs no script."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect
from sqlalchemy.engine import Engine

from advisor.handoff import sessions
from advisor.handoff.codes import shown
from advisor.handoff.tokens import issue_token
from advisor.questionnaire.model import Questionnaire
from tests.web.conftest import PHONE, LiveServer
from tests.web.test_browser import answer_by_clicking, assert_fits_the_screen, axe_violations


def test_a_phone_with_its_own_advice_is_asked_before_a_qr_code_takes_it_elsewhere(
    phone: Page, live_server: LiveServer, server_engine: Engine, backpacks: Questionnaire
) -> None:
    phone.goto(live_server.url)
    phone.get_by_role("button", name=re.compile("Rucksackberater")).click()
    answer_by_clicking(phone, backpacks)
    own_code = phone.get_by_test_id("resume-code").inner_text()
    other = sessions.create_session(server_engine, questionnaire_id="tent-finder", answers={"region": "rough"},
                                    locale="de", position="trip", kiosk_id="kiosk-1")  # fmt: skip
    link = f"{live_server.url}/c/{issue_token(server_engine, other.id)}"

    phone.goto(link)

    expect(phone.get_by_role("heading", level=1)).to_have_text("Die Beratung vom anderen Gerät öffnen?")
    expect(phone.locator("main")).to_contain_text("Auf diesem Gerät läuft schon eine Beratung (Rucksackberater, ")
    expect(phone.locator("main")).to_contain_text("Der Link öffnet: Zeltberater, 1 Antwort, begonnen am ")
    expect(phone.locator("main")).to_contain_text(own_code)
    assert_fits_the_screen(phone)
    assert axe_violations(phone) == []

    phone.get_by_role("link", name="Bei meiner bleiben").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Das passt zu dir")  # the shopper's own results

    phone.goto(link)  # the GET asked and left the link working
    phone.get_by_role("button", name="Öffnen").click()
    expect(phone).to_have_url(f"{live_server.url}/advice?at=trip")
    expect(phone.get_by_test_id("resume-code")).to_have_text(shown(other.resume_code))


def test_a_link_the_api_minted_asks_a_fresh_phone_in_its_language(
    browser: Browser, live_server: LiveServer, server_engine: Engine
) -> None:
    created = sessions.create_session(server_engine, questionnaire_id="tent-finder", answers={}, locale="en",
                                      position="region", origin="web")  # fmt: skip
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB")
    try:
        phone = context.new_page()

        phone.goto(f"{live_server.url}/c/{issue_token(server_engine, created.id, by='api')}")

        expect(phone.get_by_role("heading", level=1)).to_have_text("Open the advice from the other device?")
        expect(phone.locator("main")).to_contain_text("Open it only if you started it yourself")
        assert_fits_the_screen(phone)
        assert axe_violations(phone) == []
        phone.get_by_role("button", name="Open", exact=True).click()
        expect(phone).to_have_url(f"{live_server.url}/advice?at=region")  # its first question, in English
        expect(phone.locator("html")).to_have_attribute("lang", "en")
    finally:
        context.close()
