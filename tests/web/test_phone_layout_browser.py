"""What a phone (390 x 844) shows of forms and fixed bars, in a real Chromium against a real `advisor serve`: a code
field shows the whole code, the code bar stays above the comparison's sticky column, a refused repair order, summary
e-mail or booking lands at its form with the error in view, and prices and the summary's code stay on one line."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page, expect
from sqlalchemy.engine import Engine

from advisor.appointments import staff
from advisor.handoff import chat
from advisor.handoff import requests as handoff_requests
from advisor.handoff import staff as console
from tests.helpers.appointments import add_consultants
from tests.web.conftest import PHONE, LiveServer, go_to_phone_link
from tests.web.test_help_pages import second_variant_gtin

TENTS = {"region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 2, "extra_space": False,
         "body_height": 185, "weight_importance": "high", "extras": ["two_entrances"]}  # fmt: skip


@pytest.fixture
def live_server_config() -> str:
    """A store open around the clock (the tests book whenever they run) that books tents for 30 minutes."""
    hours = "".join(f'{day} = "00:00-24:00"\n' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    return f"[store.opening_hours]\n{hours}[appointments.kinds.tents]\nlength_minutes = 30\n"


def open_tent_results(phone: Page, live_server: LiveServer) -> list[str]:
    """Tent advice answered through the API and opened on the phone with its link; the products' SKUs."""
    api = live_server.url + "/api/v1"
    created = phone.request.post(f"{api}/sessions", data={"questionnaire_id": "tent-finder", "answers": TENTS})
    headers = {"Authorization": f"Bearer {created.json()['token']}"}
    skus = [p["sku"] for p in phone.request.get(f"{api}/session/recommendation", headers=headers).json()["products"]]
    go_to_phone_link(phone, phone.request.post(f"{api}/session/phone-link", headers=headers).json()["url"])
    return skus


def lines_of(phone: Page, selector: str) -> list[int]:
    """How many lines each element's text takes."""
    lines: list[int] = phone.eval_on_selector_all(
        selector,
        """els => els.map(el => { const r = document.createRange(); r.selectNodeContents(el);
                                  return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; })""",
    )
    return lines


def test_the_code_field_shows_the_whole_code_and_keeps_a_wrong_one_to_correct(
    phone: Page, live_server: LiveServer
) -> None:
    phone.goto(f"{live_server.url}/resume")
    field = phone.get_by_label(re.compile("Code"))
    placeholder = phone.evaluate(
        "f => { f.value = ''; return [f.clientWidth, f.scrollWidth]; }", field.element_handle()
    )
    assert placeholder[1] <= placeholder[0], f"the placeholder is cut: {placeholder}"
    field.fill("WXYZ-MWMW")
    width, needed = field.evaluate("f => [f.clientWidth, f.scrollWidth]")
    assert needed <= width, f"the code needs {needed} px, the field has {width} px"
    phone.get_by_role("button", name="Öffnen").click()
    expect(phone.get_by_role("alert")).to_be_visible()
    expect(field).to_have_value("WXYZ-MWMW")
    expect(field).to_have_attribute("aria-invalid", "true")


def test_the_code_bar_stays_above_the_comparisons_first_column(
    phone: Page, live_server: LiveServer, server_engine: Engine
) -> None:
    api = live_server.url + "/api/v1"
    created = phone.request.post(f"{api}/sessions", data={"questionnaire_id": "tent-finder", "answers": TENTS})
    headers = {"Authorization": f"Bearer {created.json()['token']}"}
    skus = [p["sku"] for p in phone.request.get(f"{api}/session/recommendation", headers=headers).json()["products"]]
    phone.request.put(f"{api}/session/compared", data={"skus": skus[:3]}, headers=headers)
    go_to_phone_link(phone, phone.request.post(f"{api}/session/phone-link", headers=headers).json()["url"])
    phone.goto(f"{live_server.url}/advice/compare?all=1")
    bar = phone.locator("footer.code-bar")
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    assert box is not None
    for x in (box["x"] + 20, box["x"] + box["width"] / 2):  # over the sticky column, and the middle
        on_top = phone.evaluate(
            "([x, y]) => !!document.elementFromPoint(x, y).closest('footer.code-bar')", [x, box["y"] + 5]
        )
        assert on_top, f"something paints over the code bar at x={x}"


def test_a_refused_repair_order_lands_at_its_form_with_the_error_in_view(phone: Page, live_server: LiveServer) -> None:
    phone.goto(live_server.url)
    phone.get_by_role("button", name=re.compile("Hilfe für dein Zelt")).click()
    phone.get_by_label("Barcode scannen oder Namen eingeben").fill(second_variant_gtin())
    phone.keyboard.press("Enter")
    for answer in ("Es regnet rein", "An den Nähten", "Nach einiger Zeit im Einsatz"):
        phone.get_by_role("button", name=answer).click()
    order = phone.locator("#order-seam-repair")
    order.locator("summary").click()
    order.locator("input[name=consent]").check()
    order.locator("input[name=name]").fill("Alex")
    order.locator("input[name=email]").fill("alex at example")
    order.get_by_role("button").last.click()

    expect(phone).to_have_url(re.compile(r"/advice#order-seam-repair-email$"))
    email = phone.locator("#email-seam-repair")
    expect(email).to_have_value("alex at example")
    expect(email).to_be_in_viewport()
    expect(phone.locator("#email-error-seam-repair")).to_be_in_viewport()
    expect(order.locator("input[name=name]")).to_have_value("Alex")


def test_prices_and_the_summarys_code_stay_on_one_line(phone: Page, live_server: LiveServer) -> None:
    open_tent_results(phone, live_server)
    phone.goto(f"{live_server.url}/advice")
    prices = lines_of(phone, ".product .price")
    assert prices and set(prices) == {1}, f"a price breaks: {prices}"
    amounts = phone.locator("p.versus", has_text="€")
    expect(amounts.first).to_be_visible()
    for line in amounts.all_inner_texts():
        assert not re.search(r"\d\s*$|^\s*€", line), line
    assert "\u00a0€" in " ".join(amounts.all_text_contents())

    phone.goto(f"{live_server.url}/advice/summary")
    assert lines_of(phone, ".summary .code strong") == [1], "the code to type in breaks"


def test_a_refused_summary_mail_lands_at_its_form_with_the_address_kept(phone: Page, live_server: LiveServer) -> None:
    open_tent_results(phone, live_server)
    phone.goto(f"{live_server.url}/advice/summary")
    field = phone.locator("#address")
    field.fill("anna@example")  # the browser takes it; the server wants a domain with a dot
    phone.get_by_role("button", name="Senden").click()

    expect(phone).to_have_url(re.compile(r"/advice/summary/email$"))
    expect(field).to_have_value("anna@example")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()  # (its autofocus: the page opens there, with its label in view)
    expect(field).to_be_in_viewport()
    expect(phone.get_by_text("Zusammenfassung per E-Mail")).to_be_in_viewport()
    expect(phone.get_by_role("alert")).to_contain_text("Bitte gib genau eine E-Mail-Adresse an")
    expect(phone.get_by_role("alert")).to_be_in_viewport()


def test_a_refused_booking_lands_at_the_contact_field_with_the_error_in_view(
    phone: Page, live_server: LiveServer, server_engine: Engine
) -> None:
    add_consultants(server_engine, ["Anna"], span=(0, 24 * 60))
    staff.set_skills(server_engine, staff_name="Anna", categories=["tents"])
    open_tent_results(phone, live_server)
    phone.goto(f"{live_server.url}/advice/appointment")
    phone.get_by_label("Tag", exact=True).select_option(index=1)  # tomorrow: the whole day's times
    phone.get_by_role("button", name="Zeiten zeigen").click()
    phone.locator('input[name="starts_at"]').first.check()
    phone.get_by_label("Name", exact=True).fill("Kim Berger")
    phone.get_by_label("E-Mail-Adresse oder Telefonnummer").fill("kein kontakt")
    phone.get_by_text("Ich bin einverstanden").click()
    phone.get_by_role("button", name="Termin buchen").click()

    contact = phone.get_by_label("E-Mail-Adresse oder Telefonnummer")
    expect(contact).to_have_value("kein kontakt")
    expect(contact).to_be_in_viewport()
    expect(phone.locator("#contact-error")).to_contain_text("so erreichen wir dich nicht")
    expect(phone.locator("#contact-error")).to_be_in_viewport()


def overflow_of(page: Page | Frame, selector: str) -> dict[str, object]:
    """What sticks out sideways: the elements (by `selector`) reaching past the window's right edge, and how much
    wider than the window the document is (a frame that reloads itself is measured again after its reload)."""
    script = """sel => ({
        window: window.innerWidth,
        past: [...document.querySelectorAll(sel)].map(el => Math.round(el.getBoundingClientRect().right))
                                                  .filter(right => right > window.innerWidth),
        scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        count: document.querySelectorAll(sel).length })"""
    for _ in range(3):
        try:
            found: dict[str, object] = page.evaluate(script, selector)
            return found
        except PlaywrightError:  # the chat's frame reloaded itself in between (every few seconds)
            page.wait_for_load_state()
    raise AssertionError(f"could not measure {selector}")


LONG_LINK = ("https://shop.example.com/zelte/trekking/karwendel-ul-2?" + "farbe=waldgruen&groesse=2p&" * 8)[:190]
LONG_MESSAGE = ("Hallo, ich war letzte Woche mit dem Zelt unterwegs und habe eine Frage zur Apsis. " * 13)[:1000]


def test_long_chat_messages_and_links_wrap_inside_their_bubbles_on_the_phone(
    phone: Page, live_server: LiveServer, server_engine: Engine
) -> None:
    """A pasted link of 190 characters and a message of 1000: every bubble stays within the phone's width, the link
    broken inside its own bubble, and the others are not pushed off to the right."""
    assert len(LONG_LINK) == 190 and " " not in LONG_LINK and len(LONG_MESSAGE) == 1000
    console.set_pin(server_engine, "Mara", "4711")
    console.report_presence(server_engine, "Mara")  # someone there: the chat page offers a chat
    open_tent_results(phone, live_server)
    phone.goto(f"{live_server.url}/advice/chat")
    phone.locator("input[name=consent]").check()
    phone.locator("form[action='/advice/chat/start'] button").click()
    for text in ("Kurze Frage", LONG_LINK, LONG_MESSAGE):
        phone.locator("#message").fill(text)
        phone.get_by_role("button", name="Senden").click()
        expect(phone.locator("#message")).to_have_value("")
    [waiting] = handoff_requests.queue(server_engine)
    handoff_requests.claim(server_engine, waiting.request_id, staff="Mara")
    for text in ("Gern!", LONG_LINK):
        chat.post_message(server_engine, waiting.request_id, sender="staff", text=text, author="Mara")

    phone.goto(f"{live_server.url}/advice/chat/live")  # the frame's page, as wide as the phone
    expect(phone.locator(".chat li")).to_have_count(5)
    shown = overflow_of(phone, ".chat li")
    assert shown["count"] == 5 and shown["past"] == [] and shown["scroll"] == 0, shown
    bubble = phone.locator(".chat li.shopper", has_text="Kurze Frage")
    box = bubble.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"], "a short message stays on the screen"
    if shots := os.environ.get("ADVISOR_TEST_SHOTS"):  # a folder for the pictures to look at
        phone.screenshot(path=str(Path(shots) / "web-chat-long.png"))
        phone.locator(".chat li", has_text="Apsis").evaluate("el => el.scrollIntoView()")
        phone.screenshot(path=str(Path(shots) / "web-chat-long-message.png"))

    phone.goto(f"{live_server.url}/advice/chat")  # and on the chat page (its script shows the lines in the page)
    expect(phone.locator("#chat-lines li")).to_have_count(5)
    inline = overflow_of(phone, "#chat-lines li")
    assert inline["past"] == [] and inline["scroll"] == 0, inline
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if shots := os.environ.get("ADVISOR_TEST_SHOTS"):
        phone.screenshot(path=str(Path(shots) / "web-chat-page.png"))


def compare_on_the_phone(phone: Page, live_server: LiveServer, count: int) -> int:
    """Tent advice with (up to) `count` products to compare, opened on the phone with its link; how many."""
    api = live_server.url + "/api/v1"
    created = phone.request.post(f"{api}/sessions", data={"questionnaire_id": "tent-finder", "answers": TENTS})
    headers = {"Authorization": f"Bearer {created.json()['token']}"}
    skus = [p["sku"] for p in phone.request.get(f"{api}/session/recommendation", headers=headers).json()["products"]]
    phone.request.put(f"{api}/session/compared", data={"skus": skus[:count]}, headers=headers)
    go_to_phone_link(phone, phone.request.post(f"{api}/session/phone-link", headers=headers).json()["url"])
    return len(skus[:count])


def test_two_products_compared_fit_the_phone_and_more_scroll_with_the_labels_in_view(
    phone: Page, live_server: LiveServer
) -> None:
    """Two products side by side need no sideways scrolling on a phone (names and values wrap); three or more
    may scroll, and the row labels stay in view as they do."""
    compare_on_the_phone(phone, live_server, 2)
    for width in (390, 360):
        phone.set_viewport_size({"width": width, "height": PHONE["height"]})
        for rows in ("0", "1"):  # only the differences, and every row
            phone.goto(f"{live_server.url}/advice/compare?all={rows}")
            expect(phone.locator("table.compare thead th")).to_have_count(2)
            table, box = phone.evaluate(
                """() => [document.querySelector("table.compare").getBoundingClientRect().width,
                          document.querySelector(".compare-scroll").clientWidth]"""
            )
            assert table <= box, f"{width} px, all={rows}: the table is {table} px wide in a {box} px box"
            assert phone.evaluate("document.documentElement.scrollWidth") <= width
            if shots := os.environ.get("ADVISOR_TEST_SHOTS"):  # a folder for the pictures to look at
                phone.screenshot(path=str(Path(shots) / f"web-compare-{width}-all{rows}.png"))

    phone.set_viewport_size(PHONE)
    phone.context.clear_cookies()  # another advice
    compared = compare_on_the_phone(phone, live_server, 3)  # (three at most)
    assert compared == 3
    phone.goto(f"{live_server.url}/advice/compare?all=1")
    expect(phone.locator("table.compare thead th")).to_have_count(compared)
    scroller = phone.locator(".compare-scroll")
    scroller.evaluate("el => el.scrollLeft = el.scrollWidth")
    label = phone.locator("table.compare tbody th").first
    left, edge = label.evaluate("th => [th.getBoundingClientRect().left, th.closest('.compare-scroll')"
                                ".getBoundingClientRect().left]")  # fmt: skip
    assert scroller.evaluate("el => el.scrollLeft") > 0, "three or more products scroll sideways"
    assert abs(left - edge) < 1, f"the labels scrolled away: {left} vs {edge}"
    if shots := os.environ.get("ADVISOR_TEST_SHOTS"):
        phone.screenshot(path=str(Path(shots) / "web-compare-three-scrolled.png"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the table scrolls, not the page"


def test_an_empty_summary_address_or_code_lands_at_its_form_with_the_error_in_view(
    phone: Page, live_server: LiveServer
) -> None:
    """A browser that sends the form without its `required` check (an old one, or a blank the phone's keyboard
    typed): the form again with its message beside the field, not a page with nothing but the way home."""
    open_tent_results(phone, live_server)
    phone.goto(f"{live_server.url}/advice/summary")
    phone.locator("#mail-form").evaluate("form => form.noValidate = true")
    phone.get_by_role("button", name="Senden").click()
    expect(phone).to_have_url(re.compile(r"/advice/summary/email$"))
    expect(phone.locator("#address")).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("#address")).to_be_focused()
    expect(phone.get_by_role("alert")).to_contain_text("Bitte gib genau eine E-Mail-Adresse an")
    expect(phone.get_by_role("alert")).to_be_in_viewport()
    if shots := os.environ.get("ADVISOR_TEST_SHOTS"):
        phone.screenshot(path=str(Path(shots) / "web-summary-empty-address.png"))

    phone.goto(f"{live_server.url}/resume")
    phone.locator("form[action='/resume']").evaluate("form => form.noValidate = true")
    phone.get_by_role("button", name="Öffnen").click()
    expect(phone.get_by_label(re.compile("Code"))).to_have_attribute("aria-invalid", "true")
    expect(phone.get_by_role("alert")).to_have_text("Bitte gib deinen Code ein.")
    if shots := os.environ.get("ADVISOR_TEST_SHOTS"):
        phone.screenshot(path=str(Path(shots) / "web-resume-empty-code.png"))
