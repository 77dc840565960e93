"""A real Chromium against a real `advisor serve` process: the kiosk hands a session to a phone, and back."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from advisor.engine import first_unanswered
from advisor.handoff import sessions
from advisor.handoff.tokens import issue_token
from advisor.questionnaire.model import Questionnaire
from tests.web.conftest import BACKPACKS, PHONE, LiveServer, first_answer, go_to_phone_link, stored_answer

RESULTS_TITLE = "Das passt zu dir"


def assert_fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width} px wide on a {PHONE['width']} px screen"


def answer_by_clicking(page: Page, questionnaire: Questionnaire) -> dict[str, object]:
    """Answer the steps the page asks until the results show; the answers given, as the engine stores them."""
    given: dict[str, object] = {}
    for _ in range(len(questionnaire.steps) + 1):
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_be_visible()
        if heading.inner_text() == RESULTS_TITLE:
            return given
        assert_fits_the_screen(page)
        step = questionnaire.step(page.locator('input[name="step"]').input_value())
        values = first_answer(step)
        given[step.id] = stored_answer(step, values)
        question = heading.inner_text()
        if step.kind in ("single", "yes_no"):  # one tap answers (each option is a submit button); "Ja" comes first
            page.locator("button.option").first.click()
        elif step.kind == "number":  # typed, then Enter (a phone keyboard's "Go"): the answer as typed, not one less
            page.get_by_role("spinbutton").fill(values[0])
            page.get_by_role("spinbutton").press("Enter")
        else:
            page.locator("label.option").first.click()
            page.get_by_role("button", name="Weiter").click()
        expect(page.get_by_role("heading", level=1)).not_to_have_text(question)
    raise AssertionError(f"no results after {len(questionnaire.steps)} answers")


def assert_results_with_reasons(page: Page) -> None:
    expect(page.get_by_role("heading", level=1, name=RESULTS_TITLE)).to_be_visible()
    top = page.locator(".top-pick")
    expect(top.get_by_role("heading", level=2)).to_be_visible()
    expect(top.locator("ul.standouts li").first).to_be_visible()  # what sets the top pick apart
    assert_fits_the_screen(page)


def screenshot(page: Page, path: Path) -> None:
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0


def test_a_session_from_the_kiosk_is_finished_on_a_phone(
    phone: Page, live_server: LiveServer, server_engine: Engine, backpacks: Questionnaire, tmp_path: Path
) -> None:
    kiosk_answers = {"who": "women", "activity": "hut_tour"}
    position = first_unanswered(backpacks, kiosk_answers)
    assert position == "nights"
    stored = sessions.create_session(
        server_engine, questionnaire_id=BACKPACKS, answers=kiosk_answers, locale="de", position=position,
        kiosk_id="kiosk-1", store_id="muc-01",
    )  # fmt: skip
    token = issue_token(server_engine, stored.id)

    phone.goto(f"{live_server.url}/c/{token}")

    expect(phone).to_have_url(f"{live_server.url}/advice?at=nights")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Wie viele Nächte bist du am Stück unterwegs?")
    given = answer_by_clicking(phone, backpacks)
    assert_results_with_reasons(phone)
    screenshot(phone, tmp_path / "phone-results.png")
    after = sessions.session_of(server_engine, stored.id)
    assert after is not None
    assert dict(after.answers) == {**kiosk_answers, **given}
    assert after.position == "results"


def test_a_session_started_in_the_browser_opens_at_the_kiosk_by_its_code(
    phone: Page, live_server: LiveServer, server_engine: Engine, backpacks: Questionnaire, tmp_path: Path
) -> None:
    phone.goto(live_server.url)
    phone.get_by_role("button", name=re.compile("Rucksackberater")).click()
    given = answer_by_clicking(phone, backpacks)
    assert_results_with_reasons(phone)
    code = phone.get_by_test_id("resume-code")
    expect(code).to_have_text(re.compile(r"^[2-9A-Z]{4}-[2-9A-Z]{4}$"))
    screenshot(phone, tmp_path / "browser-results.png")
    phone.goto(f"{live_server.url}/advice/summary")  # the code as a QR code, for the kiosk's camera
    qr = phone.locator('img[src="/advice/code.svg"]')
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0, "the browser shows no QR code"

    stored = sessions.open_by_code(server_engine, code.inner_text(), client="kiosk:test")

    assert stored.questionnaire_id == BACKPACKS
    assert dict(stored.answers) == given
    assert set(given) >= {"who", "activity", "extras"}
    assert stored.position == "results"
    assert stored.origin == "web"


def axe_violations(page: Page) -> list[str]:
    """What axe-core (the npm package, in this real Chromium) finds on the page, one line per rule broken."""
    script = os.environ.get("ADVISOR_TEST_AXE")
    if not script:
        if os.environ.get("CI"):
            pytest.fail(
                "ADVISOR_TEST_AXE is not set: CI must run the accessibility checks (tests/helpers/ensure-axe.sh)"
            )
        pytest.skip("axe-core is not installed (tests/helpers/ensure-axe.sh)")
    page.evaluate(Path(script).read_text(encoding="utf-8"))  # not a <script> tag: the pages' CSP allows none
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(
            v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`)"""
    )
    return [str(line) for line in found]


def test_every_page_passes_axe_core(phone: Page, live_server: LiveServer, server_engine: Engine) -> None:
    api = live_server.url + "/api/v1"
    answers = {"region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 2, "extra_space": False,
               "body_height": 185, "weight_importance": "high", "extras": ["two_entrances"]}  # fmt: skip
    created = phone.request.post(f"{api}/sessions", data={"questionnaire_id": "tent-finder", "answers": answers})
    token = created.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    skus = [p["sku"] for p in phone.request.get(f"{api}/session/recommendation", headers=headers).json()["products"]]
    phone.request.put(f"{api}/session/compared", data={"skus": skus[:3]}, headers=headers)
    link = phone.request.post(f"{api}/session/phone-link", headers=headers).json()["url"]
    pages = {"link": link, "results": "/advice", "compare": "/advice/compare",
             "compare, all rows": "/advice/compare?all=1", "product": f"/advice/product/{skus[0]}",
             "answers": "/advice/answers", "summary": "/advice/summary",
             "chat": "/advice/chat", "resume": "/resume", "home": "/", "a question": None}  # fmt: skip
    phone.set_content('<html lang="de"><body><main><img src="x.png"></main></body></html>')
    assert any(line.startswith("image-alt") for line in axe_violations(phone)), "the check finds a missing alt text"
    problems: dict[str, list[str]] = {}
    for name, path in pages.items():
        if path is None:  # back to a question: change the first answer
            phone.goto(live_server.url + "/advice/answers")
            phone.locator("form[action='/advice/goto'] button").first.click()
        elif path == link:  # the page a link the API minted shows before it opens (checked too), then open it
            phone.goto(link)
            expect(phone.locator("main")).to_be_visible()
            found = axe_violations(phone)
            if found:
                problems[name] = found
            go_to_phone_link(phone, link)
            continue
        else:
            phone.goto(path if path.startswith("http") else live_server.url + path)
        expect(phone.locator("main")).to_be_visible()
        assert_fits_the_screen(phone)  # (three products compared: the table scrolls, the page does not)
        found = axe_violations(phone) + [f"under the code bar when focused: {stop}" for stop in covered_stops(phone)]
        if found:
            problems[name] = found
    assert problems == {}


def covered_stops(page: Page, presses: int = 80) -> list[str]:
    """The page's Tab stops that the fixed code bar covers when they have the focus (WCAG 2.4.11)."""
    covered: list[str] = []
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    first = None
    for _ in range(presses):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            """() => {
                const e = document.activeElement;
                if (!e || e === document.body || e.tagName === "IFRAME" || e.closest(".code-bar")) return null;
                const r = e.getBoundingClientRect();
                const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                const name = (e.getAttribute("aria-label") || e.innerText || e.name || e.tagName).trim().slice(0, 40);
                return {key: e.outerHTML.slice(0, 120), name, covered: !!(top && top.closest(".code-bar"))};
            }"""
        )
        if stop is None:
            continue
        if stop["key"] == first:
            break  # round the page once
        first = first or stop["key"]
        if stop["covered"]:
            covered.append(stop["name"])
    return covered


def test_the_phones_back_button_goes_to_the_question_before(
    phone: Page, live_server: LiveServer, backpacks: Questionnaire
) -> None:
    phone.goto(live_server.url)
    phone.get_by_role("button", name=re.compile("Rucksackberater")).click()
    questions = []
    for _ in range(2):  # two questions answered by tapping their first option
        heading = phone.get_by_role("heading", level=1)
        questions.append(heading.inner_text())
        step = backpacks.step(phone.locator('input[name="step"]').input_value())
        assert step.kind in ("single", "yes_no"), step.id
        phone.locator("button.option").first.click()
        expect(heading).not_to_have_text(questions[-1])

    phone.go_back()
    expect(phone.get_by_role("heading", level=1)).to_have_text(questions[1])
    expect(phone.locator("button.option.chosen")).to_have_count(1)  # the answer given is kept, and shown
    phone.go_back()
    expect(phone.get_by_role("heading", level=1)).to_have_text(questions[0])
    phone.go_forward()
    expect(phone.get_by_role("heading", level=1)).to_have_text(questions[1])
