"""Help with my product on a phone, in a real Chromium against a real `advisor serve`: from home to the tent's
help, the barcode typed as a USB scanner types it (digits, then Enter), the diagnosis tapped, the outcomes (a guide
with its pictures, the seam sealer on this store's shelf), a repair ordered with consent, its pickup code and the
repair page that follows it. Every page of the walk passes axe-core and fits the phone's screen."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from advisor.repairs.orders import State, find_by_code
from tests.web.conftest import LiveServer
from tests.web.test_browser import assert_fits_the_screen, axe_violations, screenshot
from tests.web.test_help_pages import SEALER, TENT, catalog_record, second_variant_gtin, tent_name

ANSWERS = ("Es regnet rein", "An den Nähten", "Nach einiger Zeit im Einsatz")


def loaded(page: Page, selector: str) -> bool:
    """Whether the picture was fetched and decoded (a broken one has no natural width)."""
    return bool(page.eval_on_selector(selector, "img => img.complete && img.naturalWidth > 0"))


def test_a_shopper_gets_help_with_a_leaking_tent_and_orders_the_repair_on_the_phone(
    phone: Page, live_server: LiveServer, server_engine: Engine, tmp_path: Path
) -> None:
    problems: dict[str, list[str]] = {}
    shots = Path(str(tmp_path))

    def check(what: str) -> None:
        expect(phone.locator("main")).to_be_visible()
        assert_fits_the_screen(phone)
        found = axe_violations(phone)
        if found:
            problems[what] = found
        screenshot(phone, shots / f"help-{what}.png")
        phone.screenshot(path=str(shots / f"help-{what}-screen.png"))  # what the phone shows first

    phone.goto(live_server.url)
    expect(phone.get_by_role("heading", level=2, name="Hilfe mit meinem Produkt")).to_be_visible()
    check("home")
    phone.get_by_role("button", name=re.compile("Hilfe für dein Zelt")).click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Welches Produkt hast du?")
    field = phone.get_by_label("Barcode scannen oder Namen eingeben")
    expect(field).to_be_focused()  # a scanner types into the field at once
    check("find")
    last = phone.locator(".pick-grid img").last
    last.scroll_into_view_if_needed()  # the pictures load as they come into view
    expect(last).to_be_visible()
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=last.element_handle())
    phone.evaluate("window.scrollTo(0, 0)")
    expect(field).to_be_in_viewport()
    field.focus()  # where the scanner types
    gtin = second_variant_gtin()
    misread = gtin[:-1] + str((int(gtin[-1]) + 1) % 10)
    phone.keyboard.type(misread, delay=5)  # as a USB scanner: digits ...
    phone.keyboard.press("Enter")  # ... and Enter
    expect(phone.get_by_role("alert")).to_contain_text(f"Den Code {misread} kennen wir")
    check("unknown code")
    field.fill("")
    field.focus()
    phone.keyboard.type(gtin, delay=5)
    phone.keyboard.press("Enter")

    expect(phone.get_by_text(f"Dein Produkt: {tent_name()}")).to_be_visible()
    for number, label in enumerate(ANSWERS):
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        if number == 0:
            check("question")
        phone.get_by_role("button", name=re.compile(label)).click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Das kannst du tun")
    guide = phone.locator("#outcome-seam-guide")
    expect(guide.get_by_role("heading", name="Nähte selbst abdichten")).to_be_visible()
    first_picture = guide.locator("ol.guide-steps li").first.locator("img")
    first_picture.scroll_into_view_if_needed()
    expect(first_picture).to_be_visible()
    assert loaded(phone, "#outcome-seam-guide ol.guide-steps li img")
    sealer = catalog_record(SEALER)
    shelf = next(entry for entry in sealer["stock"] if entry["store"] == "muc-01")["location"]["de"]
    needed = guide.locator("ul.part-list li.part")  # the sealer once: under what the guide needs
    expect(needed).to_have_count(1)
    expect(needed).to_contain_text(sealer["name"]["de"])
    expect(needed.locator(".stock")).to_contain_text(shelf)
    expect(phone.locator("#outcome-seam-sealer")).to_have_count(0)
    check("outcomes")

    repair = phone.locator("#outcome-seam-repair")
    repair.get_by_text("Reparatur beauftragen").click()
    repair.get_by_role("checkbox", name=re.compile("^Schon versucht: Nähte")).check()  # the guide above, tried
    repair.get_by_role("checkbox", name=re.compile("^Ja, speichert meinen Kontakt")).check()
    repair.get_by_label("Name").fill("Alex")
    repair.get_by_label("E-Mail").fill("alex@example.org")
    check("order form")
    repair.screenshot(path=str(shots / "help-order-card.png"))
    repair.get_by_role("button", name="Reparatur anmelden").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Reparatur angemeldet")
    code = phone.get_by_test_id("pickup-code")
    expect(code).to_have_text(re.compile(r"^[2-9A-Z]{4}-[2-9A-Z]{4}$"))
    pickup = code.inner_text()
    order = find_by_code(server_engine, pickup)
    assert order is not None and order.state == State.REGISTERED and order.product_sku == TENT
    assert order.contact is not None and order.contact.email == "alex@example.org"
    assert list(order.tried) == ["Nähte selbst abdichten"]
    check("ordered")

    phone.get_by_role("button", name="Stand der Reparatur ansehen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Stand deiner Reparatur")
    current = phone.get_by_role("list", name="Verlauf").locator('li[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Angemeldet – noch nicht abgegeben")
    check("repair")
    assert problems == {}


def test_words_find_the_tent_and_going_on_without_it_is_fine_too(
    phone: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    problems: dict[str, list[str]] = {}

    def check(what: str) -> None:
        assert_fits_the_screen(phone)
        found = axe_violations(phone)
        if found:
            problems[what] = found
        phone.screenshot(path=str(Path(str(tmp_path)) / f"help-{what}-screen.png"))

    phone.goto(live_server.url)
    phone.get_by_role("button", name=re.compile("Hilfe für dein Zelt")).click()
    word = tent_name().split()[0]
    phone.get_by_label("Barcode scannen oder Namen eingeben").fill(word)
    phone.get_by_role("button", name="Suchen").click()
    results = phone.get_by_role("list", name="Gefunden")
    expect(results.get_by_role("button").first).to_contain_text(tent_name())
    check("found")
    results.get_by_role("button", name=re.compile(tent_name())).click()
    expect(phone.get_by_text(f"Dein Produkt: {tent_name()}")).to_be_visible()

    phone.get_by_role("link", name="Anderes Produkt").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Welches Produkt hast du?")
    expect(phone.locator(".notice")).to_have_text(f"Dein Produkt: {tent_name()}")
    phone.get_by_role("button", name="Weiß ich nicht – weiter ohne").click()
    expect(phone.get_by_role("link", name="Dein Produkt angeben")).to_be_visible()
    for label in ANSWERS:
        phone.get_by_role("button", name=re.compile(label)).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Das kannst du tun")
    expect(phone.locator("#outcome-seam-repair")).to_contain_text("Für eine Reparatur brauchen wir dein Produkt")
    check("outcomes without product")
    assert problems == {}
