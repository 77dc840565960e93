"""What a phone (390 x 844) shows of forms and fixed bars, in a real Chromium against a real `advisor serve`: a code
field shows the whole code, the code bar stays above the comparison's sticky column, a refused repair order, summary
e-mail or booking lands at its form with the error in view, and prices and the summary's code stay on one line."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from advisor.appointments import staff
from tests.helpers.appointments import add_consultants
from tests.web.conftest import LiveServer, go_to_phone_link
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

    expect(phone).to_have_url(re.compile(r"/advice/summary/email#mail-form$"))
    expect(field).to_have_value("anna@example")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_in_viewport()
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
