"""A keyboard in a real Chromium (a desktop window, 1280x900): the skip link, the header's focus ring, + and − that
keep the focus where it was, a refused number that has the focus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import LiveServer

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def focused(page: Page) -> dict[str, str]:
    return page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {tag: e.tagName, id: e.id, text: (e.innerText || "").trim(), outline: s.outlineColor,
                    style: s.outlineStyle, top: String(e.getBoundingClientRect().top)}; }"""
    )


def shot(page: Page, path: Path) -> None:
    """A screenshot to look at by eye (pytest's --basetemp keeps it), not compared with anything."""
    page.screenshot(path=str(path))
    assert path.stat().st_size > 0


def test_the_first_tab_shows_the_skip_link_and_it_leads_past_the_header(
    desktop: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    desktop.goto(live_server.url + "/")
    desktop.keyboard.press("Tab")
    first = focused(desktop)
    assert (first["tag"], first["text"]) == ("A", "Skip to main content")
    assert 0 <= float(first["top"]) < 50, "in view while it has the focus"
    assert first["outline"] == "rgb(255, 210, 63)", "on the green header: the header's yellow ring"
    shot(desktop, tmp_path / "skip-link.png")
    desktop.keyboard.press("Enter")
    assert focused(desktop)["id"] == "main"
    desktop.keyboard.press("Tab")
    after = focused(desktop)
    assert after["tag"] == "BUTTON" and "Nordgrat" not in after["text"], "the next Tab is in the content"
    expect(desktop.locator("a.skip-link")).not_to_be_in_viewport()


def test_the_header_has_a_yellow_focus_ring(desktop: Page, live_server: LiveServer, tmp_path: Path) -> None:
    desktop.goto(live_server.url + "/")
    for _ in range(3):  # the skip link, the brand, the language button
        desktop.keyboard.press("Tab")
    button = focused(desktop)
    assert button["tag"] == "BUTTON" and button["style"] == "solid"
    assert button["outline"] == "rgb(255, 210, 63)", button
    shot(desktop, tmp_path / "header-focus.png")


def test_plus_keeps_the_focus_on_plus(desktop: Page, live_server: LiveServer, tmp_path: Path) -> None:
    desktop.goto(live_server.url + "/")
    desktop.locator("form:has(input[value='tent-finder']) button.card").click()
    for answer in ("rough", "trekking", "regularly"):
        desktop.locator(f"button.option[value='{answer}']").click()
    expect(desktop.locator("#more")).to_be_visible()
    desktop.locator("#more").focus()
    desktop.keyboard.press("Enter")
    desktop.wait_for_url("**#more")
    expect(desktop.get_by_role("spinbutton")).to_have_value("3")
    assert focused(desktop)["id"] == "more", "the focus is on + again: one more press is one key"
    shot(desktop, tmp_path / "after-plus.png")
    desktop.get_by_role("spinbutton").fill("25")
    desktop.evaluate(
        "() => { document.querySelector('form[action=\"/advice/answer\"]').noValidate = true; }"
    )  # (the server's check)
    desktop.get_by_role("button", name="Next").click()
    expect(desktop.locator("#answer-error")).to_be_visible()
    expect(desktop.get_by_role("spinbutton")).to_be_focused()  # the refused number has the focus
    assert desktop.title().startswith("Error: ")
