"""Following a repair in a real Chromium against a real `advisor serve`: the shopper types the pickup code on the
phone and sees the order at each state as staff move it, the current one marked; a wrong code is told; every page
of it passes axe-core and fits the phone's screen."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from advisor.handoff.codes import shown
from advisor.repairs.orders import Action, State, advance
from tests.web.conftest import LiveServer
from tests.web.test_browser import assert_fits_the_screen, axe_violations, screenshot
from tests.web.test_repair import LABELS, a_product, take_in


def test_a_shopper_follows_a_repair_on_the_phone_through_every_state(
    phone: Page, live_server: LiveServer, server_engine: Engine, tmp_path: Path
) -> None:
    order = take_in(server_engine, cost_cents=(1500, 3000))
    _sku, name = a_product(server_engine)
    problems: dict[str, list[str]] = {}

    def check(what: str) -> None:
        expect(phone.locator("main")).to_be_visible()
        assert_fits_the_screen(phone)
        found = axe_violations(phone)
        if found:
            problems[what] = found

    def look_up(code: str) -> None:
        phone.goto(f"{live_server.url}/repair")
        expect(phone.get_by_role("heading", level=1)).to_have_text("Stand deiner Reparatur")
        phone.get_by_label("Abholcode (8 Zeichen)").fill(code)
        phone.get_by_role("button", name="Stand zeigen").click()

    look_up("2222-2222")
    expect(phone.get_by_role("alert")).to_contain_text("Diesen Abholcode kennen wir nicht.")
    check("wrong code")

    look_up(shown(order.pickup_code).lower())
    for action in (None, Action.DIAGNOSE, Action.START_REPAIR, Action.FINISH, Action.HAND_OVER):
        if action is not None:
            order = advance(server_engine, order_id=order.id, action=action, staff="anna")
            phone.get_by_role("link", name="Anderen Abholcode eingeben").click()
            phone.get_by_label("Abholcode (8 Zeichen)").fill(order.pickup_code)
            phone.get_by_role("button", name="Stand zeigen").click()
        expect(phone.get_by_text(name, exact=False).first).to_be_visible()
        progress = phone.get_by_role("list", name="Verlauf")
        current = progress.locator('li[aria-current="step"]')
        expect(current).to_have_count(1)
        expect(current).to_contain_text(LABELS[order.state])
        expect(current).to_contain_text("Uhr")
        expect(progress.get_by_role("listitem")).to_have_count(5)
        if order.state == State.COLLECTED:
            expect(phone.get_by_role("status")).to_have_text("Diese Reparatur ist abgeschlossen.")
        else:
            expect(phone.get_by_text("Zum Abholen brauchst du deinen Abholcode")).to_be_visible()
        check(order.state.value)
        if order.state == State.IN_REPAIR:
            screenshot(phone, tmp_path / "repair-in-repair.png")
    assert problems == {}
