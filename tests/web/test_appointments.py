"""Booking a consultant from the phone page: a day's free times, consent, products held, the `.ics`, a taken slot
told plainly, and cancelling with the one-time link."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import re
import warnings
from datetime import date, datetime, timedelta
from html import unescape

import icalendar
import sqlalchemy as sa

from advisor.appointments import booking, staff
from advisor.appointments.agenda import agenda
from advisor.config import AppointmentsConfig, OpeningHours
from advisor.i18n import day_text
from advisor.web.app import create_app
from advisor.web.context import WebContext
from advisor.web.outbox import OUTBOX
from tests.helpers.appointments import add_consultants
from tests.web.conftest import csrf_of, start, walk_to_results

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

_SKU = re.compile(r'name="products" value="([^"]+)"')
_SLOT = re.compile(r'name="starts_at" value="([^"]+)"')


def _first_day_with_slots(client: TestClient) -> tuple[date, str]:
    today = datetime.now().date()
    for offset in range(1, 8):
        day = today + timedelta(days=offset)
        page = client.get(f"/advice/appointment?day={day.isoformat()}")
        assert page.status_code == 200, page.text
        slots = _SLOT.findall(page.text)
        if slots:
            return day, page.text
    raise AssertionError("no free time within a week")


def test_a_shopper_books_from_the_phone_page_and_cancels_with_the_link(
    booking_client: TestClient, web: WebContext, backpacks: object
) -> None:
    client = booking_client
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    _day, form_page = _first_day_with_slots(client)
    starts_at = _SLOT.findall(form_page)[0]
    skus = _SKU.findall(form_page)[:2]
    assert skus, "the shortlist is offered to be held"
    form = {"csrf": csrf_of(form_page), "starts_at": starts_at, "name": "Kim", "contact": "kim@example.com",
            "remind": "yes", "products": skus}  # fmt: skip
    refused = client.post("/advice/appointment", data=form)
    assert refused.status_code == 400
    assert "Bitte stimme der Speicherung zu" in refused.text
    nobody = client.post("/advice/appointment", data=form | {"consent": "yes", "contact": "kim@example"})
    assert nobody.status_code == 400 and "so erreichen wir dich nicht" in nobody.text
    done = client.post("/advice/appointment", data=form | {"consent": "yes"})
    assert done.status_code == 200, done.text
    assert "Termin gebucht" in done.text
    wanted = datetime.fromisoformat(starts_at)
    assert wanted.strftime("%H:%M") in done.text and "anna" in done.text
    ics_link = re.search(r'href="(/advice/appointment/[^"]+\.ics)"', done.text)
    assert ics_link is not None
    calendar = icalendar.Calendar.from_ical(client.get(ics_link[1]).content)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == wanted
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["STATUS"] == "CONFIRMED"
    description = str(event["DESCRIPTION"])
    assert not any(sku in description for sku in skus), "the products by name, not by article code"
    held_line = description.split("Zum Ausprobieren", 1)[1].split("\n", 1)[0]
    assert re.search(r"[A-ZÄÖÜ][a-zäöüß]+", held_line) and "NG-" not in held_line, held_line

    again = client.post("/advice/appointment", data=form | {"consent": "yes"})  # sent again (Back, a double tap)
    assert again.status_code == 200 and "Termin gebucht" in again.text, "this advice's booking, not a second one"
    assert wanted.strftime("%H:%M") in again.text and "anna" in again.text
    past = (datetime.now(wanted.tzinfo) - timedelta(hours=1)).isoformat()
    for never, status, says in (
        (past, 409, "schon vorbei"), (wanted.replace(minute=7).isoformat(), 400, "keine Termine"),
        ("9999-12-31T23:59:59+14:00", 400, "keine Termine"), ("0001-01-01T00:00:00+05:00", 400, "Zeit"),
    ):  # fmt: skip
        refused = client.post("/advice/appointment", data=form | {"consent": "yes", "starts_at": never})
        assert refused.status_code == status and says in refused.text, (never, refused.status_code)
        assert "jemand anderes" not in refused.text, never

    [entry] = agenda(web.engine, store_id="muc-01", since=wanted, until=wanted + timedelta(minutes=1),
                     zone=wanted.tzinfo, locale="de")  # type: ignore[arg-type]  # fmt: skip
    assert entry.name == "Kim" and entry.session_id is not None
    assert sorted(held.sku for held in entry.held) == sorted(skus)

    cancel_link = re.search(r'href="(/appointment/cancel/[^"]+)"', done.text)
    assert cancel_link is not None
    confirm = client.get(cancel_link[1])
    assert booking.details(web.engine, appointment_id=entry.appointment_id).state == "booked"  # type: ignore[union-attr]
    cancelled = client.post(cancel_link[1], data={"csrf": csrf_of(confirm.text)})
    assert cancelled.status_code == 200 and "abgesagt" in cancelled.text
    assert booking.details(web.engine, appointment_id=entry.appointment_id).state == "cancelled"  # type: ignore[union-attr]
    assert wanted.strftime("%H:%M") in confirm.text and "anna" in confirm.text, "which appointment is cancelled"
    [gone] = icalendar.Calendar.from_ical(client.get(ics_link[1]).content).walk("VEVENT")
    assert gone["STATUS"] == "CANCELLED", "a calendar that imports it again drops the entry"
    used = client.post(cancel_link[1], data={"csrf": csrf_of(confirm.text)})
    assert used.status_code == 410
    old_mail = client.get(cancel_link[1])
    assert old_mail.status_code == 410 and "funktioniert nicht mehr" in old_mail.text, "not asked to confirm again"


def test_a_shopper_moves_the_appointment_with_the_link_and_the_old_link_stops_working(
    booking_client: TestClient, web: WebContext, backpacks: object
) -> None:
    client = booking_client
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    _day, form_page = _first_day_with_slots(client)
    first, later = _SLOT.findall(form_page)[0], _SLOT.findall(form_page)[3]
    form = {"csrf": csrf_of(form_page), "starts_at": first, "name": "Kim", "contact": "kim@example.com",
            "consent": "yes", "products": _SKU.findall(form_page)[:1]}  # fmt: skip
    done = client.post("/advice/appointment", data=form)
    assert done.status_code == 200, done.text
    link = re.search(r'href="(/appointment/reschedule/[^"]+)"', done.text)
    assert link is not None, "the confirmation page offers the one-time link to move"

    offer = client.get(link[1])
    assert offer.status_code == 200
    assert "Gebucht ist:" in offer.text and datetime.fromisoformat(first).strftime("%H:%M") in offer.text
    assert later in _SLOT.findall(offer.text)
    assert first in _SLOT.findall(offer.text), "its own time is free for the appointment being moved"
    appointment_id = re.search(r"/advice/appointment/([^\"]+)\.ics", done.text)[1]  # type: ignore[index]
    assert booking.details(web.engine, appointment_id=appointment_id).starts_at == datetime.fromisoformat(first)  # type: ignore[union-attr]

    ics_link = f"/advice/appointment/{appointment_id}.ics"
    [before] = icalendar.Calendar.from_ical(client.get(ics_link).content).walk("VEVENT")
    moved = client.post(link[1], data={"csrf": csrf_of(offer.text), "starts_at": later})
    assert moved.status_code == 200, moved.text
    [after] = icalendar.Calendar.from_ical(client.get(ics_link).content).walk("VEVENT")
    assert (before["UID"], before["SEQUENCE"]) == (after["UID"], 0), "the same entry"
    assert after["SEQUENCE"] == 1, "a higher SEQUENCE replaces the old time in the shopper's calendar"
    assert after.decoded("DTSTART") == datetime.fromisoformat(later)
    assert "Der Termin ist verschoben." in moved.text
    assert datetime.fromisoformat(later).strftime("%H:%M") in moved.text
    found = booking.details(web.engine, appointment_id=appointment_id)
    assert found is not None and found.starts_at == datetime.fromisoformat(later) and len(found.held) == 1
    assert client.get(link[1]).status_code == 410, "the old link is used up"
    fresh = re.search(r'href="(/appointment/reschedule/[^"]+)"', moved.text)
    assert fresh is not None and fresh[1] != link[1]
    assert client.get(fresh[1]).status_code == 200
    with web.engine.connect() as connection:
        mailed = connection.execute(sa.select(sa.func.count()).select_from(OUTBOX)).scalar_one()
    assert mailed == 2, "a confirmation with the new time and links, after the first"


def test_a_kiosk_phone_link_to_the_appointment_lands_on_the_booking_page_and_nothing_else_is_followed(
    booking_client: TestClient, web: WebContext
) -> None:
    from advisor.handoff import sessions
    from advisor.handoff.tokens import issue_token
    from tests.web.conftest import BACKPACKS

    stored = sessions.create_session(web.engine, questionnaire_id=BACKPACKS, answers={"who": "women"}, locale="de",
                                     position="activity", kiosk_id="kiosk-1")  # fmt: skip

    booking_page = booking_client.get(f"/c/{issue_token(web.engine, stored.id)}?to=appointment")
    assert booking_page.status_code == 200, booking_page.text
    assert booking_page.url.path == "/advice/appointment"
    assert "Termin mit einer Beraterin oder einem Berater" in booking_page.text

    for elsewhere in ("https://evil.example/", "/advice/appointment", "appointments", ""):
        with TestClient(booking_client.app) as phone:
            page = phone.get(f"/c/{issue_token(web.engine, stored.id)}", params={"to": elsewhere})
            assert page.status_code == 200, page.text
            assert page.url.path == "/advice", f"?to={elsewhere!r} leads to the advice"
            assert page.url.host == booking_client.get("/").url.host


def test_with_nobody_in_the_chat_the_chat_page_offers_an_appointment(
    booking_client: TestClient, web: WebContext
) -> None:
    """The backpacks have appointments here: the chat's "nobody is there" leads to the booking instead; once
    someone is at a console, the chat itself is offered."""
    from advisor.handoff import staff as consoles

    client = booking_client
    start(client)
    page = client.get("/advice/chat")
    assert "Gerade ist niemand im Chat." in page.text
    assert "Jemand aus dem Team nimmt sich Zeit für dich" in page.text
    assert 'href="/advice/appointment"' in page.text
    assert _SLOT.search(_first_day_with_slots(client)[1]), "the link leads to free times"

    consoles.set_pin(web.engine, "Mara", "4711")
    consoles.report_presence(web.engine, "Mara")
    page = client.get("/advice/chat")
    assert 'action="/advice/chat/start"' in page.text and 'href="/advice/appointment"' not in page.text


def test_reloading_the_confirmation_shows_it_again_and_books_nothing_more(
    booking_client: TestClient, web: WebContext, backpacks: object
) -> None:
    """Post, redirect, get: the booking's answer is a page of its own, and a reload shows it again, links and all."""
    client = booking_client
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    _day, form_page = _first_day_with_slots(client)
    starts_at = _SLOT.findall(form_page)[0]
    form = {"csrf": csrf_of(form_page), "starts_at": starts_at, "name": "Kim", "contact": "kim@example.com",
            "consent": "yes"}  # fmt: skip
    booked = client.post("/advice/appointment", data=form, follow_redirects=False)
    assert booked.status_code == 303 and booked.headers["location"] == "/advice/appointment/booked"
    shown, reloaded = client.get("/advice/appointment/booked"), client.get("/advice/appointment/booked")
    for page in (shown, reloaded):
        assert page.status_code == 200 and "Termin gebucht" in page.text, page.text
        assert datetime.fromisoformat(starts_at).strftime("%H:%M") in page.text
    links = re.findall(r'href="(/appointment/(?:reschedule|cancel)/[^"]+)"', reloaded.text)
    assert len(links) == 2 and links == re.findall(r'href="(/appointment/(?:reschedule|cancel)/[^"]+)"', shown.text)
    assert all(client.get(link).status_code == 200 for link in links), "the reload's one-time links work"
    with web.engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(OUTBOX)).scalar_one() == 1

    client.post(links[1], data={"csrf": csrf_of(client.get(links[1]).text)})
    gone = client.get("/advice/appointment/booked")
    assert gone.url.path == "/advice/appointments", "a cancelled appointment's links are not offered again"


def test_the_booked_pages_links_to_move_and_cancel_stay_on_the_site_the_mail_names_the_public_address(
    booking_client: TestClient, web: WebContext, backpacks: object
) -> None:
    """The shopper is on the site already: the booked page's one-time links are its own paths (not the configured
    public address, which may not be the one the phone reached); the mail and the calendar file keep it."""
    client = booking_client
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    _day, form_page = _first_day_with_slots(client)
    form = {"csrf": csrf_of(form_page), "starts_at": _SLOT.findall(form_page)[0], "name": "Kim",
            "contact": "kim@example.com", "consent": "yes"}  # fmt: skip
    shown = client.post("/advice/appointment", data=form)
    assert shown.status_code == 200 and "Termin gebucht" in shown.text
    hrefs = re.findall(r'href="([^"]*/appointment/(?:reschedule|cancel)/[^"]*)"', shown.text)
    assert len(hrefs) == 2 and all(href.startswith("/appointment/") for href in hrefs), hrefs
    with web.engine.connect() as connection:
        [wire] = connection.execute(sa.select(OUTBOX.c.message)).scalars().all()
    body = email.message_from_bytes(wire, policy=email.policy.default).get_body(preferencelist=("plain",))
    assert body is not None and f"{web.config.web.public_base_url}/appointment/cancel/" in body.get_content()


def test_a_refused_booking_keeps_what_was_typed_and_marks_only_the_wrong_field(
    booking_client: TestClient, backpacks: object
) -> None:
    client = booking_client
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    _day, form_page = _first_day_with_slots(client)
    starts_at = _SLOT.findall(form_page)[1]
    skus = _SKU.findall(form_page)[:2]
    form = {"csrf": csrf_of(form_page), "starts_at": starts_at, "name": "Zoe", "contact": "zoe at example",
            "consent": "yes", "products": skus}  # fmt: skip
    refused = client.post("/advice/appointment", data=form)
    assert refused.status_code == 400
    page = refused.text
    assert re.search(r'<input id="name"[^>]*value="Zoe"', page) and 'value="zoe at example"' in page
    assert re.search(rf'value="{re.escape(starts_at)}" required checked', page), "the chosen time stays chosen"
    for sku in skus:
        assert re.search(rf'name="products" value="{re.escape(sku)}" checked', page), sku
    assert re.search(r'name="consent" value="yes" required checked', page)
    assert re.findall(r'<(\w+) [^>]*aria-invalid="true"', page) == ["input"]
    assert re.search(r'id="contact"[^>]*aria-invalid="true" aria-describedby="contact-error"', page)
    contact_at = page.index('id="contact"')
    error_at = page.index('id="contact-error"')
    assert contact_at < error_at < page.index('name="remind"'), "the error right after the contact field"
    assert "so erreichen wir dich nicht" in page[error_at : error_at + 300]

    unticked = client.post("/advice/appointment", data={k: v for k, v in form.items() if k != "consent"})
    assert unticked.status_code == 400
    assert re.search(r'id="consent"[^>]*aria-invalid="true"', unticked.text)
    assert 'value="zoe at example"' in unticked.text and 'id="contact"' in unticked.text
    assert not re.search(r'id="contact"[^>]*aria-invalid', unticked.text)


def _landing(page: str) -> str:
    """The tag the page opens at after the form is sent: the element the form's fragment names (only one)."""
    form = re.search(r'<form method="post" action="/advice/appointment#([\w-]+)"', page)
    assert form is not None, "the booking form posts to a place on its page"
    tags = re.findall(rf'<[^>]* id="{form[1]}"[^>]*>', page)
    assert len(tags) == 1, tags
    return str(tags[0])


def test_a_refused_booking_opens_at_the_field_to_correct_not_at_the_top(
    booking_client: TestClient, backpacks: object
) -> None:
    """The day's times come first and are long: the answer to a refused booking opens at the field the error is
    about (its label, the field and the error below it), not at the top of the page."""
    client = booking_client
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    _day, form_page = _first_day_with_slots(client)
    assert _landing(form_page).startswith('<form method="post" action="/advice/appointment#')
    form = {"csrf": csrf_of(form_page), "starts_at": _SLOT.findall(form_page)[1], "name": "Zoe",
            "contact": "kein kontakt", "consent": "yes"}  # fmt: skip

    nobody = client.post("/advice/appointment", data=form)

    assert nobody.status_code == 400 and "so erreichen wir dich nicht" in nobody.text
    assert _landing(nobody.text).startswith('<label for="contact"')
    unnamed = client.post("/advice/appointment", data=form | {"name": "", "contact": "zoe@example.com"})
    assert unnamed.status_code == 400 and _landing(unnamed.text).startswith('<label for="name"')
    unticked = client.post("/advice/appointment", data={k: v for k, v in form.items() if k != "consent"})
    assert unticked.status_code == 400
    landing = _landing(unticked.text)
    assert landing.startswith('<label class="option"') and unticked.text.index(landing) < unticked.text.index(
        'id="consent"'
    ) < unticked.text.index('id="consent-error"')
    timeless = client.post("/advice/appointment", data=form | {"starts_at": ""})
    assert timeless.status_code == 400
    landing = _landing(timeless.text)
    assert landing.startswith('<p class="error" role="alert"')
    assert timeless.text[timeless.text.index(landing) :].startswith(f"{landing}Bitte eine Uhrzeit wählen.</p>")


def test_a_product_held_for_an_appointment_is_set_aside_for_its_shopper_and_one_fewer_for_everyone_else(
    booking_client: TestClient, web: WebContext, backpacks: object
) -> None:
    """The shopper who booked a product to try reads it as set aside for them on its page, in the comparison and in
    the summary (in German and English), not as gone; another phone counts one fewer on the shelf."""
    client = booking_client
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    _day, form_page = _first_day_with_slots(client)
    sku = _SKU.findall(form_page)[0]
    other = TestClient(client.app)  # another shopper's phone on the same companion
    start(other)
    walk_to_results(other, backpacks)  # type: ignore[arg-type]

    def here(phone: TestClient) -> str:
        page = phone.get(f"/advice/product/{sku}")
        assert page.status_code == 200
        found = re.search(r"<h2>(?:Hier im Laden|In this store)</h2>\s*<p>([^<]*)</p>", page.text)
        assert found is not None, page.text
        return unescape(found[1])

    before = here(other)
    shelf = re.match(r"(\d+) vorrätig", before)
    assert shelf is not None, before
    form = {"csrf": csrf_of(form_page), "starts_at": _SLOT.findall(form_page)[0], "name": "Kim",
            "contact": "kim@example.com", "products": [sku], "consent": "yes"}  # fmt: skip
    assert client.post("/advice/appointment", data=form).status_code == 200
    assert web.engine is not None and booking.held_in_store(web.engine, store_id="muc-01") != {}

    mine = here(client)
    assert mine.startswith("Für dich zurückgelegt – ") and "nicht vorrätig" not in mine, mine
    theirs = here(other)
    assert "zurückgelegt" not in theirs and theirs.startswith(f"{int(shelf[1]) - 1} vorrätig"), theirs

    for phone in (client, other):  # (with a second product: one alone is nothing to compare)
        compare_form = phone.get(f"/advice/product/{sku}")
        second = next(found for found in _SKU.findall(form_page) if found != sku)
        for chosen in (sku, second):
            phone.post("/advice/compare", data={"csrf": csrf_of(compare_form.text), "sku": chosen, "on": "1"})
    assert "Für dich zurückgelegt" in unescape(client.get("/advice/compare").text)
    assert "zurückgelegt" not in unescape(other.get("/advice/compare").text)
    assert "Für dich zurückgelegt" in unescape(client.get("/advice/summary").text)
    assert "zurückgelegt" not in unescape(other.get("/advice/summary").text)

    page = client.get(f"/advice/product/{sku}")
    client.post("/lang", data={"csrf": csrf_of(page.text), "locale": "en"})
    assert here(client).startswith("Set aside for you – ")
    assert "Set aside for you" in client.get("/advice/compare").text


def test_a_next_free_time_beyond_the_listed_days_shows_that_day_chosen_with_its_times(
    booking_client: TestClient, web: WebContext, backpacks: object
) -> None:
    """A "next free time" link can lead past the dropdown's 15 days: the dropdown shows that day, not the first."""
    client = booking_client
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    config = web.config
    today = datetime.now(config.store.zone).date()
    listed = booking.open_days(config, today, 15)
    later = [day for day in booking.open_days(config, today, 40) if day not in listed]
    assert later, "open days past the listed ones, within the booking horizon"
    day = later[-1]
    page = client.get(f"/advice/appointment?day={day.isoformat()}")
    assert page.status_code == 200
    chosen = re.search(r'<option value="([^"]+)" selected>', page.text)
    assert chosen is not None and chosen[1] == day.isoformat(), "the dropdown shows the times' day"
    slots = _SLOT.findall(page.text)
    assert slots and all(datetime.fromisoformat(slot).date() == day for slot in slots)
    beyond = today + timedelta(days=400)  # past the horizon: the first day, its times, both alike
    page = client.get(f"/advice/appointment?day={beyond.isoformat()}")
    chosen = re.search(r'<option value="([^"]+)" selected>', page.text)
    assert chosen is not None and chosen[1] == listed[0].isoformat()
    assert all(datetime.fromisoformat(slot).date() == listed[0] for slot in _SLOT.findall(page.text))


def test_with_no_time_left_today_the_booking_page_opens_on_the_next_day_and_says_why(
    web: WebContext, backpacks: object
) -> None:
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    config = web.config.model_copy(update={
        "store": web.config.store.model_copy(update={"opening_hours": OpeningHours.model_validate(
            dict.fromkeys(days, "00:00-24:00"))}),
        "appointments": AppointmentsConfig.model_validate({"kinds": {"backpacks": {"length_minutes": 30}}}),
    })  # fmt: skip
    today = datetime.now(config.store.zone).date()
    add_consultants(web.engine, ["ben"], span=(0, 24 * 60))
    staff.set_skills(web.engine, staff_name="ben", categories=["backpacks"])
    staff.set_shift(web.engine, staff_name="ben", weekday=today.weekday(), span=None)  # off today: no time left
    with TestClient(create_app(dataclasses.replace(web, config=config))) as client:
        start(client)
        walk_to_results(client, backpacks)  # type: ignore[arg-type]
        page = client.get("/advice/appointment")
        tomorrow = today + timedelta(days=1)
        assert f'<option value="{tomorrow.isoformat()}" selected>' in page.text
        said = f"Heute ist keine Zeit mehr frei. Hier sind die freien Zeiten am {day_text(tomorrow, 'de')}"
        assert f"{said}." not in page.text, "one dot after the date's own"
        assert said in page.text and _SLOT.findall(page.text)
        chosen = client.get(f"/advice/appointment?day={today.isoformat()}")  # asked for today after all
        assert "An diesem Tag ist keine Zeit mehr frei." in chosen.text and said not in chosen.text


def test_with_no_time_free_in_the_whole_horizon_the_booking_page_says_so_once(
    web: WebContext, backpacks: object
) -> None:
    """Nobody's shifts cover backpacks: the page says once that no appointment is free and to ask in the store,
    and offers the way back only: no lead asking to choose a day, no days to leaf through, no form to fill in."""
    config = web.config.model_copy(update={
        "appointments": AppointmentsConfig.model_validate({"kinds": {"backpacks": {"length_minutes": 30}}}),
    })  # fmt: skip
    with TestClient(create_app(dataclasses.replace(web, config=config))) as client:
        start(client)
        walk_to_results(client, backpacks)  # type: ignore[arg-type]
        page = client.get("/advice/appointment")
        said = "ist leider kein Termin frei. Sprich gern jemanden im Laden an."
        assert f"In den nächsten {config.appointments.horizon_days} Tagen {said}" in page.text
        assert "An diesem Tag ist keine Zeit mehr frei." not in page.text
        assert page.text.count(said) == 1
        assert 'name="day"' not in page.text and not _SLOT.findall(page.text)
        assert "Wähle einen Tag und eine Zeit." not in page.text, "nothing to choose"
        for field in ('name="name"', 'name="contact"', 'name="consent"', 'name="remind"', 'name="products"'):
            assert field not in page.text, field
        assert "Termin buchen" not in page.text and 'action="/advice/appointment' not in page.text
        assert '<a class="button" href="/advice">' in page.text, "the way back"
