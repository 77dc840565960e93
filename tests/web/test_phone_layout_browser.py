"""What a phone (390 x 844) shows of forms and fixed bars, in a real Chromium against a real `advisor serve`: a code
field shows the whole code, the code bar stays above the comparison's sticky column, and a refused repair order
lands at its form with the error in view."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from tests.web.conftest import LiveServer
from tests.web.test_help_pages import second_variant_gtin


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
    answers = {"region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 2, "extra_space": False,
               "body_height": 185, "weight_importance": "high", "extras": ["two_entrances"]}  # fmt: skip
    created = phone.request.post(f"{api}/sessions", data={"questionnaire_id": "tent-finder", "answers": answers})
    headers = {"Authorization": f"Bearer {created.json()['token']}"}
    skus = [p["sku"] for p in phone.request.get(f"{api}/session/recommendation", headers=headers).json()["products"]]
    phone.request.put(f"{api}/session/compared", data={"skus": skus[:3]}, headers=headers)
    phone.goto(phone.request.post(f"{api}/session/phone-link", headers=headers).json()["url"])
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
