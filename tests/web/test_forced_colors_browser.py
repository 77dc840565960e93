"""What a user sees of a chosen answer, grade and time in a real Chromium against a real `advisor serve`: in forced
colours (Windows high contrast) the chosen answer and the chosen grade stand apart from the others by more than a
colour the system replaces; the booking page lays a day's times out several to a row; and the comparison at 320 CSS px
(400 % zoom) breaks no name or label in the middle of a word and does not scroll the page sideways."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.engine import Engine

from advisor.appointments import staff
from tests.helpers.appointments import add_consultants
from tests.web.conftest import LiveServer, go_to_phone_link

TENTS = {"region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 2, "extra_space": False,
         "body_height": 185, "weight_importance": "high", "extras": ["two_entrances"]}  # fmt: skip
DESKTOP = {"width": 1024, "height": 768}
TABLET = {"width": 768, "height": 1024}

# What shows a control's state on screen: its box, its colours, its text (a ✓).
LOOK = """el => { const s = getComputedStyle(el);
  return [s.borderTopWidth, s.borderTopColor, s.outlineStyle, s.outlineWidth, s.backgroundColor, s.color,
          s.boxShadow, el.innerText.includes("✓")].join(" | "); }"""


@pytest.fixture
def live_server_config() -> str:
    """A store open around the clock (the tests book whenever they run) that books tents for 30 minutes."""
    hours = "".join(f'{day} = "00:00-24:00"\n' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    return f"[store.opening_hours]\n{hours}[appointments.kinds.tents]\nlength_minutes = 30\n"


def open_page(browser: Browser, viewport: dict[str, int], *, forced: bool = False) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport, locale="de-DE")  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    if forced:
        page.emulate_media(forced_colors="active")
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def high_contrast(browser: Browser) -> Iterator[Page]:
    """A desktop in Windows high contrast (Chromium's forced colours)."""
    yield from open_page(browser, DESKTOP, forced=True)


@pytest.fixture
def tablet(browser: Browser) -> Iterator[Page]:
    yield from open_page(browser, TABLET)


def open_tent_advice(page: Page, live_server: LiveServer, compare: int = 0) -> None:
    """Tent advice answered through the API (`compare` products picked to compare), opened with its phone link."""
    api = live_server.url + "/api/v1"
    created = page.request.post(f"{api}/sessions", data={"questionnaire_id": "tent-finder", "answers": TENTS})
    headers = {"Authorization": f"Bearer {created.json()['token']}"}
    if compare:
        products = page.request.get(f"{api}/session/recommendation", headers=headers).json()["products"]
        page.request.put(f"{api}/session/compared", data={"skus": [p["sku"] for p in products[:compare]]},
                         headers=headers)  # fmt: skip
    go_to_phone_link(page, page.request.post(f"{api}/session/phone-link", headers=headers).json()["url"])


def shoot(page: Page, name: str) -> None:
    if shots := os.environ.get("ADVISOR_TEST_SHOTS"):  # a folder for the pictures to look at
        page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("step", "chosen"), [("region", "rough"), ("extra_space", "no")])
def test_a_changed_answers_choice_shows_in_high_contrast_and_is_pressed(
    high_contrast: Page, live_server: LiveServer, step: str, chosen: str
) -> None:
    """Changing an answer (a single choice, a yes/no): the current choice looks unlike the others with the system's
    colours, and says it is pressed; the others say they are not."""
    page = high_contrast
    open_tent_advice(page, live_server)
    page.goto(f"{live_server.url}/advice?at={step}&change=1")
    options = page.locator("button.option")
    expect(options.first).to_be_visible()
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    current = page.locator(f'button.option[value="{chosen}"]')
    expect(current).to_have_attribute("aria-pressed", "true")
    others = page.locator(f'button.option:not([value="{chosen}"])')
    assert others.count() >= 1
    looks = current.evaluate(LOOK)
    for index in range(others.count()):
        expect(others.nth(index)).to_have_attribute("aria-pressed", "false")
        assert others.nth(index).evaluate(LOOK) != looks, f"{step}: the chosen answer looks like the others"
    assert "✓" in current.inner_text(), "a mark that needs no colour"
    shoot(page, f"forced-{step}-chosen")


def test_the_chosen_grade_shows_in_high_contrast_after_focus_moves_on(
    high_contrast: Page, live_server: LiveServer
) -> None:
    page = high_contrast
    open_tent_advice(page, live_server)
    grades = page.locator(".grade input")
    expect(grades).to_have_count(6)
    page.locator(".grade").nth(2).click()  # the grade 3, as a mouse picks it
    expect(grades.nth(2)).to_be_checked()
    page.get_by_label("Kommentar", exact=False).focus()  # focus moves on to the comment
    page.mouse.move(0, 0)
    marks = page.locator(".grade span")
    chosen = marks.nth(2).evaluate(LOOK)
    for index in (0, 1, 3, 4, 5):
        assert marks.nth(index).evaluate(LOOK) != chosen, "the chosen grade looks like the others"
    page.locator("#feedback").scroll_into_view_if_needed()
    if shots := os.environ.get("ADVISOR_TEST_SHOTS"):
        page.locator("#feedback").screenshot(path=str(Path(shots) / "forced-grade-chosen.png"))


def test_a_days_times_lie_several_to_a_row_on_a_tablet(
    tablet: Page, live_server: LiveServer, server_engine: Engine
) -> None:
    add_consultants(server_engine, ["Anna"], span=(0, 24 * 60))
    staff.set_skills(server_engine, staff_name="Anna", categories=["tents"])
    page = tablet
    open_tent_advice(page, live_server)
    page.goto(f"{live_server.url}/advice/appointment")
    page.get_by_label("Tag", exact=True).select_option(index=1)  # tomorrow: a whole day of free times
    page.get_by_role("button", name="Zeiten zeigen").click()
    times = page.locator("label.time")
    expect(times.first).to_be_visible()
    assert times.count() > 20
    lefts = {round(box["x"]) for box in (times.nth(i).bounding_box() for i in range(times.count())) if box}
    widths = [box["width"] for box in (times.nth(i).bounding_box() for i in range(3)) if box]
    assert len(lefts) >= 3, f"the times stand in {len(lefts)} column(s): {sorted(lefts)}"
    assert all(width >= 44 for width in widths), "each time still a finger wide"
    shoot(page, "booking-times-768")


def broken_words(page: Page, selector: str) -> list[str]:
    """The words (between spaces and hyphens) in the elements' text that run over more than one line."""
    found: list[str] = page.eval_on_selector_all(
        selector,
        r"""els => els.flatMap(el => {
              const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); const broken = [];
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                if (node.parentElement.closest(".visually-hidden")) continue;
                for (const m of node.data.matchAll(/[^\s\u00a0\-\u2010\u2011]+/g)) {
                  const r = document.createRange(); r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
                  const tops = new Set([...r.getClientRects()].filter(b => b.width > 0).map(b => Math.round(b.top)));
                  if (tops.size > 1) broken.push(m[0]);
                }
              }
              return broken; })""",
    )
    return found


@pytest.mark.parametrize("count", [2, 3])
def test_the_comparison_at_400_percent_zoom_breaks_no_word_and_no_page_scrolls_sideways(
    browser: Browser, live_server: LiveServer, count: int
) -> None:
    for page in open_page(browser, {"width": 320, "height": 256}):
        open_tent_advice(page, live_server, compare=count)
        for rows in ("0", "1"):
            page.goto(f"{live_server.url}/advice/compare?all={rows}")
            expect(page.locator("table.compare thead th")).to_have_count(count)
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, "the page scrolls sideways"
            broken = broken_words(page, "table.compare th, table.compare td")
            assert broken == [], f"{count} products, all={rows}: broken mid-word: {broken}"
            shoot(page, f"compare-320-{count}-all{rows}")
