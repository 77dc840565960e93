"""The screen-reader walk's findings in a real Chromium: a refused choice focuses its first box, + says the number
it leads to and (its description) the number now, a sent summary opens with the focus on its notice; axe-core finds
nothing on those pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import LiveServer
from tests.web.test_browser import axe_violations

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, locale="de-DE")
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def active(page: Page) -> dict[str, str]:
    return page.evaluate("() => { const e = document.activeElement; return {tag: e.tagName, id: e.id, "
                         "type: e.type || '', value: e.value || ''}; }")  # fmt: skip


def test_a_refused_choice_and_a_nudged_number_are_heard(desktop: Page, live_server: LiveServer) -> None:
    desktop.goto(live_server.url + "/")
    desktop.locator("form:has(input[value='backpack-finder']) button.card").click()
    for _ in range(20):  # the first answers, up to the first question with boxes to tick
        if desktop.locator("input[type=checkbox][name=value]").count():
            break
        if desktop.locator("input[type=number]").count():
            desktop.get_by_role("button", name="Weiter").click()
        else:
            desktop.locator("button.option").first.click()
    boxes = desktop.locator("input[type=checkbox][name=value]")
    assert boxes.count() > 1, "the backpack finder asks a question with boxes to tick"
    desktop.get_by_role("button", name="Weiter").click()

    expect(desktop.locator("#answer-error")).to_be_visible()
    assert desktop.title().startswith("Fehler: ")
    assert active(desktop)["type"] == "checkbox", "the first box has the focus, not the page"
    expect(boxes.first).to_be_focused()
    expect(desktop.locator("fieldset").first).to_have_accessible_description(
        desktop.locator("#answer-error").inner_text()
    )
    expect(boxes.first).to_have_attribute("aria-invalid", "true")
    assert axe_violations(desktop) == []


def test_plus_says_where_it_leads_and_after_a_press_the_number_now(desktop: Page, live_server: LiveServer) -> None:
    desktop.goto(live_server.url + "/")
    desktop.locator("form:has(input[value='tent-finder']) button.card").click()
    for answer in ("rough", "trekking", "regularly"):
        desktop.locator(f"button.option[value='{answer}']").click()
    plus = desktop.get_by_role("button", name="Mehr: 3 Personen", exact=True)
    expect(plus).to_have_accessible_description("Jetzt: 2 Personen")
    expect(desktop.get_by_role("button", name="Weniger: 1 Person", exact=True)).to_be_visible()
    plus.focus()
    desktop.keyboard.press("Enter")
    desktop.wait_for_url("**#more")
    more = desktop.locator("#more")
    expect(more).to_be_focused()
    expect(more).to_have_accessible_name("Mehr: 4 Personen")
    expect(more).to_have_accessible_description("Jetzt: 3 Personen")  # what the press made, heard at the button
    assert axe_violations(desktop) == []


def test_a_sent_summary_opens_at_its_notice_with_the_focus(desktop: Page, live_server: LiveServer) -> None:
    desktop.goto(live_server.url + "/")
    desktop.locator("form:has(input[value='tent-finder']) button.card").click()
    for _ in range(20):
        if desktop.locator("a[href='/advice/summary']").count():
            break
        if desktop.locator("input[type=checkbox][name=value]").count():
            desktop.locator("input[type=checkbox][name=value]").first.check()
        if desktop.locator("input[type=number]").count() or desktop.locator("input[type=checkbox]").count():
            desktop.get_by_role("button", name="Weiter").click()
        else:
            desktop.locator("button.option").first.click()
    assert desktop.title().startswith("Deine Ergebnisse"), desktop.title()
    expect(desktop.get_by_role("radio", name="Note 1 – sehr gut", exact=True)).to_have_count(1)  # (the rating's)
    expect(desktop.get_by_role("radio", name="Note 6 – ungenügend", exact=True)).to_have_count(1)
    desktop.goto(live_server.url + "/advice/summary")
    desktop.locator("#address").fill("kim@example.org")
    desktop.get_by_role("button", name="Senden").click()
    desktop.wait_for_url("**/advice/summary?sent=1#mail-sent")
    assert desktop.title().startswith("E-Mail unterwegs: ")
    notice = desktop.get_by_role("status")
    expect(notice).to_be_focused()
    expect(notice).to_be_in_viewport()
    assert axe_violations(desktop) == []

    desktop.locator("#mail-form").evaluate("form => form.noValidate = true")
    desktop.locator("#address").fill("")
    desktop.get_by_role("button", name="Senden").click()
    expect(desktop.locator("#address")).to_be_focused()
    expect(desktop.locator("#address")).to_have_accessible_description(desktop.get_by_role("alert").inner_text())
