"""A phone set to larger text (the browser's default font at 24 px instead of 16 px), in a real Chromium against a
real `advisor serve`: the body text grows with the setting as the headings do, nothing gets wider than the phone,
and the fixed "Your code" bar keeps its code whole on one line and stays small."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page
from sqlalchemy.engine import Engine

from advisor.handoff.codes import shown
from advisor.repairs.orders import create_order
from advisor.repairs.tables import PRODUCT
from tests.web.conftest import PHONE, LiveServer, go_to_phone_link

TENTS = {"region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 2, "extra_space": False,
         "body_height": 185, "weight_importance": "high", "extras": ["two_entrances"]}  # fmt: skip
LARGER = 24  # the phone's larger-text setting: its browser's default font size in px (16 by default)


def phone_with_text(browser: Browser, size: int) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB")
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        if size != 16:  # what the phone's text-size setting changes: the default font size
            context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": size, "fixed": size}})
        yield page
    finally:
        context.close()


@pytest.fixture
def big_text_phone(browser: Browser) -> Iterator[Page]:
    yield from phone_with_text(browser, LARGER)


@pytest.fixture
def plain_phone(browser: Browser) -> Iterator[Page]:
    yield from phone_with_text(browser, 16)


def open_english_tent_results(phone: Page, live_server: LiveServer) -> None:
    """English tent advice answered through the API and opened on the phone with its link."""
    api = live_server.url + "/api/v1"
    created = phone.request.post(
        f"{api}/sessions", data={"questionnaire_id": "tent-finder", "locale": "en", "answers": TENTS}
    )
    headers = {"Authorization": f"Bearer {created.json()['token']}"}
    go_to_phone_link(phone, phone.request.post(f"{api}/session/phone-link", headers=headers).json()["url"])
    phone.goto(f"{live_server.url}/advice")


def font_px(phone: Page, selector: str) -> float:
    return float(phone.eval_on_selector(selector, "el => parseFloat(getComputedStyle(el).fontSize)"))


def test_body_text_follows_the_phones_text_size_and_looks_as_before_at_the_default(
    plain_phone: Page, big_text_phone: Page, live_server: LiveServer
) -> None:
    open_english_tent_results(plain_phone, live_server)
    assert font_px(plain_phone, "body") == pytest.approx(17, abs=0.1), "today's look at the default 16 px"
    open_english_tent_results(big_text_phone, live_server)
    body = font_px(big_text_phone, "body")
    assert body == pytest.approx(17 * LARGER / 16, abs=0.1), f"body text {body} px at a default of {LARGER} px"
    assert font_px(big_text_phone, ".product .card-text, .product p, main p") >= LARGER, "a product's text"


@pytest.mark.parametrize("path", ["/advice", "/advice/summary", "/advice/answers"])
def test_nothing_is_wider_than_the_phone_with_larger_text(
    big_text_phone: Page, live_server: LiveServer, path: str
) -> None:
    open_english_tent_results(big_text_phone, live_server)
    big_text_phone.goto(live_server.url + path)
    assert font_px(big_text_phone, "body") > LARGER
    width = big_text_phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide on a {PHONE['width']} px phone"


def test_the_code_bar_keeps_the_code_whole_and_stays_small_with_larger_text(
    big_text_phone: Page, live_server: LiveServer
) -> None:
    open_english_tent_results(big_text_phone, live_server)
    code = big_text_phone.locator("footer.code-bar .code")
    code.evaluate("el => { el.textContent = 'WMWM-MWMW'; }")  # the widest code there is (W and M: the widest letters)
    tops = code.evaluate(
        """el => { const r = document.createRange(); r.selectNodeContents(el);
                   return [...new Set([...r.getClientRects()].map(b => Math.round(b.top)))]; }"""
    )
    assert len(tops) == 1, f"the code {code.inner_text()!r} breaks over {len(tops)} lines"
    box = big_text_phone.locator("footer.code-bar").bounding_box()
    assert box is not None
    assert box["height"] <= 0.1 * PHONE["height"], f"the bar covers {box['height']} px of {PHONE['height']}"


def test_an_english_summary_and_repair_page_name_the_store_and_write_dates_alike(
    big_text_phone: Page, live_server: LiveServer, server_engine: Engine
) -> None:
    """The store by its English name on both (the catalog's "Munich City Centre", not the configured German
    "Nordgrat München"), every date as "5 Dec 2026" (not the timeline's "Dec 5, 2026")."""
    open_english_tent_results(big_text_phone, live_server)
    big_text_phone.goto(f"{live_server.url}/advice/summary")
    meta = big_text_phone.locator(".summary .meta").first.inner_text()
    assert re.fullmatch(r"Munich City Centre · \d{1,2} [A-Z][a-z]{2} \d{4}", meta), meta

    with server_engine.connect() as connection:
        sku = connection.execute(sa.select(PRODUCT.c.sku).order_by(PRODUCT.c.sku).limit(1)).scalar_one()
    order = create_order(server_engine, store_id="muc-01", product_sku=sku, problem="Zip stuck", turnaround_days=5,
                         locale="en")  # fmt: skip
    big_text_phone.goto(f"{live_server.url}/repair")
    big_text_phone.get_by_label(re.compile("code", re.IGNORECASE)).fill(shown(order.pickup_code))
    big_text_phone.locator("main form button[type=submit]").last.click()
    main = big_text_phone.locator("main").inner_text()
    assert "Munich City Centre" in main and "Nordgrat" not in main, main
    when = big_text_phone.locator(".timeline .when").first.inner_text()
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d", when), when
