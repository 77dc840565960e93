"""Booking a consultant from the phone page in a real Chromium against a real `advisor serve`: from the results to
a free time with two tents held, consent, the confirmation, moving the appointment with its one-time link, and
later, from the results, the appointment's page and cancelling it there; every page of it passes axe-core."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from advisor.appointments import booking, staff
from advisor.appointments.agenda import agenda
from advisor.questionnaire.library import QuestionnaireLibrary
from tests.helpers.appointments import add_consultants
from tests.web.conftest import LiveServer
from tests.web.test_browser import answer_by_clicking, assert_fits_the_screen, axe_violations, screenshot

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.fixture
def live_server_config() -> str:
    """A store open around the clock (the test books whenever it runs) that books tents for 30 minutes."""
    hours = "".join(f'{day} = "00:00-24:00"\n' for day in DAYS)
    return f"[store.opening_hours]\n{hours}[appointments.kinds.tents]\nlength_minutes = 30\n"


@pytest.fixture
def consultants(server_engine: Engine) -> Engine:
    """Anna advises on tents around the clock, in the live server's database."""
    add_consultants(server_engine, ["Anna"], span=(0, 24 * 60))
    staff.set_skills(server_engine, staff_name="Anna", categories=["tents"])
    return server_engine


def test_a_shopper_books_a_consultant_from_the_phone_and_moves_the_appointment(
    phone: Page, live_server: LiveServer, consultants: Engine, library: QuestionnaireLibrary, tmp_path: object
) -> None:
    tents = library.questionnaires["tent-finder"]
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        expect(phone.locator("main")).to_be_visible()
        assert_fits_the_screen(phone)
        found = axe_violations(phone)
        if found:
            problems[name] = found

    phone.goto(live_server.url)
    phone.get_by_role("button", name=re.compile("Zeltberater")).click()
    answer_by_clicking(phone, tents)
    phone.get_by_role("link", name="Termin vereinbaren").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Termin mit einer Beraterin oder einem Berater")
    check("booking form")
    fields = [phone.get_by_label(name, exact=True) for name in ("Tag", "Name", "E-Mail-Adresse oder Telefonnummer")]
    for field in fields:  # as big as the page's other controls, for a finger; and no zoom on focus (iOS)
        box = field.bounding_box()
        assert box is not None and box["height"] >= 44, field
        assert field.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16, field
    screenshot(phone, tmp_path / "appointment-form.png")  # type: ignore[operator]

    phone.get_by_label("Tag", exact=True).select_option(index=1)  # tomorrow
    phone.get_by_role("button", name="Zeiten zeigen").click()
    times = phone.get_by_role("group", name="Uhrzeit").get_by_role("radio")
    expect(times.first).to_be_visible()
    eleven = phone.locator('input[name="starts_at"][value*="T11:00"]')
    eleven.check()
    chosen = datetime.fromisoformat(eleven.get_attribute("value") or "")
    products = phone.locator('input[name="products"]')
    products.nth(0).check()
    products.nth(1).check()
    phone.get_by_label("Name", exact=True).fill("Kim Berger")
    phone.get_by_label("E-Mail-Adresse oder Telefonnummer").fill("kim@example.net")
    phone.get_by_role("button", name="Termin buchen").click()
    expect(phone.get_by_role("alert")).to_have_count(0)  # the browser asks for the consent before sending
    assert phone.get_by_role("heading", level=1).inner_text() != "Termin gebucht"
    phone.get_by_text("Ich bin einverstanden").click()
    phone.get_by_role("button", name="Termin buchen").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Termin gebucht")
    expect(phone.get_by_text("11:00 Uhr mit Anna")).to_be_visible()
    check("booking done")
    screenshot(phone, tmp_path / "appointment-booked.png")  # type: ignore[operator]
    for name in ("Termin verschieben", "Termin absagen"):  # the site's own paths, not the configured address
        assert (phone.get_by_role("link", name=name).get_attribute("href") or "").startswith("/appointment/"), name
    [entry] = agenda(consultants, store_id="muc-01", since=chosen, until=chosen.replace(minute=1),
                     zone=chosen.tzinfo, locale="de")  # type: ignore[arg-type]  # fmt: skip
    assert (entry.name, entry.contact, entry.state) == ("Kim Berger", "kim@example.net", "booked")
    assert len(entry.held) == 2 and entry.session_id is not None

    phone.get_by_role("link", name="Termin verschieben").click()
    expect(phone.get_by_text("Gebucht ist:")).to_be_visible()
    check("reschedule")
    phone.locator('input[name="starts_at"][value*="T12:00"]').check()
    phone.get_by_role("button", name="Auf diese Zeit verschieben").click()
    expect(phone.get_by_role("status")).to_have_text("Der Termin ist verschoben.")
    check("rescheduled")
    moved = booking.details(consultants, appointment_id=entry.appointment_id)
    assert moved is not None and moved.starts_at.astimezone(chosen.tzinfo).strftime("%H:%M") == "12:00"
    assert len(moved.held) == 2, "the products stay set aside"

    phone.get_by_role("link", name="Termin absagen").click()
    check("cancel")

    # Later, from the results: the appointment booked, and cancelling it without the e-mail's link.
    phone.goto(f"{live_server.url}/advice")
    phone.get_by_role("link", name=re.compile(r"^Dein Termin: .*12:00 Uhr$")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Dein Termin")
    expect(phone.get_by_text("12:00 Uhr mit Anna")).to_be_visible()
    expect(phone.get_by_text(re.compile("^Zurückgelegt: "))).to_be_visible()
    check("my appointment")
    screenshot(phone, tmp_path / "my-appointment.png")  # type: ignore[operator]
    phone.get_by_role("link", name="Termin absagen").click()
    expect(phone.get_by_text("Möchtest du den Termin wirklich absagen?")).to_be_visible()
    phone.get_by_role("button", name="Termin absagen").click()
    expect(phone.get_by_role("status")).to_have_text("Der Termin ist abgesagt.")
    check("cancelled")
    cancelled = booking.details(consultants, appointment_id=entry.appointment_id)
    assert cancelled is not None and cancelled.state == "cancelled"
    assert problems == {}
