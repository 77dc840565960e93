"""The appointments booked for an advice, on the shopper's phone: reached from the kiosk's QR code after a booking
and from the results; the calendar entry, the products set aside by name, moving and cancelling without the
e-mail's links; nobody else's appointment is shown, moved or cancelled."""

from __future__ import annotations

import re
import warnings
from datetime import datetime

import sqlalchemy as sa

from advisor.appointments import booking
from advisor.handoff.tokens import issue_token
from advisor.web.context import WebContext
from advisor.web.outbox import OUTBOX
from tests.web.conftest import csrf_of, start, walk_to_results
from tests.web.test_appointments import _SKU, _SLOT, _first_day_with_slots

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

_ID = re.compile(r"/advice/appointment/([0-9a-f-]{36})\.ics")


def _book(client: TestClient, backpacks: object, *, slot: int = 0) -> tuple[str, str, str]:
    """Walk to the results and book a free time with two products set aside: (its id, the time, the done page)."""
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    _day, form_page = _first_day_with_slots(client)
    starts_at = _SLOT.findall(form_page)[slot]
    form = {"csrf": csrf_of(form_page), "starts_at": starts_at, "name": "Kim", "contact": "kim@example.com",
            "consent": "yes", "products": _SKU.findall(form_page)[:2]}  # fmt: skip
    done = client.post("/advice/appointment", data=form)
    assert done.status_code == 200, done.text
    found = _ID.search(done.text)
    assert found is not None
    return found[1], starts_at, done.text


def _names_of(web: WebContext, skus: list[str]) -> list[str]:
    with web.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT sku, name_de FROM product")).all()
    names = dict(rows)
    return [names[sku] for sku in skus]


def test_the_confirmation_names_the_products_set_aside(booking_client: TestClient, web: WebContext,
                                                     backpacks: object) -> None:  # fmt: skip
    appointment_id, _when, done = _book(booking_client, backpacks)
    found = booking.details(web.engine, appointment_id=appointment_id)
    assert found is not None and len(found.held) == 2
    held = re.search(r"Zurückgelegt: ([^<]+)<", done)
    assert held is not None
    assert sorted(held[1].split(", ")) == sorted(_names_of(web, list(found.held))), "names, not article numbers"
    assert not any(sku in done for sku in found.held)


def test_the_results_lead_to_the_appointment_booked_and_its_page_says_what_the_shopper_needs(
    booking_client: TestClient, web: WebContext, backpacks: object
) -> None:
    client = booking_client
    appointment_id, starts_at, _done = _book(client, backpacks)
    when = datetime.fromisoformat(starts_at)

    results = client.get("/advice")
    assert "Dein Termin: " in results.text and f"{when:%d.%m.}, {when:%H:%M} Uhr" in results.text
    assert 'href="/advice/appointments"' in results.text
    assert 'href="/advice/appointment"' not in results.text, "no second booking offered in its place"

    mine = client.get("/advice/appointments")
    assert mine.status_code == 200
    assert "<h1>Dein Termin</h1>" in mine.text
    assert f"{when:%d.%m.%Y}, {when:%H:%M} Uhr mit anna" in mine.text
    found = booking.details(web.engine, appointment_id=appointment_id)
    assert found is not None
    for name in _names_of(web, list(found.held)):
        assert name in mine.text
    assert re.search(r'data-testid="resume-code">[A-Z0-9]{4}-[A-Z0-9]{4}<', mine.text), "the code to check in with"
    assert f'href="/advice/appointment/{appointment_id}.ics"' in mine.text
    assert client.get(f"/advice/appointment/{appointment_id}.ics").status_code == 200
    assert "Weiteren Termin vereinbaren" not in mine.text, "one appointment per advice: moved or cancelled above"
    another = client.get("/advice/appointment")
    assert "Für diese Beratung hast du schon einen Termin:" in another.text, "no second booking by mistake"
    assert re.search(rf'<a href="/advice/appointments">\w+, {when:%d.%m.}, {when:%H:%M} Uhr</a>', another.text)


def test_the_shopper_moves_the_appointment_from_the_phone_and_the_old_links_stop_working(
    booking_client: TestClient, web: WebContext, backpacks: object
) -> None:
    client = booking_client
    appointment_id, first, done = _book(client, backpacks)
    old_link = re.search(r'href="(/appointment/reschedule/[^"]+)"', done)
    assert old_link is not None

    offer = client.get(f"/advice/appointment/{appointment_id}/move")
    assert offer.status_code == 200
    assert "Gebucht ist:" in offer.text
    assert f'action="/advice/appointment/{appointment_id}/move"' in offer.text
    later = _SLOT.findall(offer.text)[3]
    assert first in _SLOT.findall(offer.text), "its own time stays free for it"

    no_time = client.post(f"/advice/appointment/{appointment_id}/move", data={"csrf": csrf_of(offer.text)})
    assert no_time.status_code == 400 and "Bitte eine Uhrzeit wählen." in no_time.text
    moved = client.post(f"/advice/appointment/{appointment_id}/move",
                        data={"csrf": csrf_of(offer.text), "starts_at": later})  # fmt: skip
    assert moved.status_code == 200 and moved.url.path == "/advice/appointments"
    assert "Der Termin ist verschoben." in moved.text
    assert datetime.fromisoformat(later).strftime("%H:%M Uhr") in moved.text
    found = booking.details(web.engine, appointment_id=appointment_id)
    assert found is not None and found.starts_at == datetime.fromisoformat(later) and len(found.held) == 2
    assert client.get(old_link[1]).status_code == 410, "the e-mailed link of the old time no longer moves it"
    with web.engine.connect() as connection:
        mailed = connection.execute(sa.select(sa.func.count()).select_from(OUTBOX)).scalar_one()
    assert mailed == 2, "a confirmation with the new time and fresh links"
    assert "Die neue Bestätigung kommt per E-Mail" in moved.text


def test_the_shopper_cancels_from_the_phone_after_confirming(
    booking_client: TestClient, web: WebContext, backpacks: object
) -> None:
    client = booking_client
    appointment_id, starts_at, _done = _book(client, backpacks)
    confirm = client.get(f"/advice/appointment/{appointment_id}/cancel")
    assert confirm.status_code == 200
    assert "Möchtest du den Termin wirklich absagen?" in confirm.text
    assert datetime.fromisoformat(starts_at).strftime("%H:%M Uhr") in confirm.text
    assert booking.details(web.engine, appointment_id=appointment_id).state == "booked"  # type: ignore[union-attr]

    cancelled = client.post(f"/advice/appointment/{appointment_id}/cancel", data={"csrf": csrf_of(confirm.text)})
    assert cancelled.status_code == 200 and "Der Termin ist abgesagt." in cancelled.text
    assert booking.details(web.engine, appointment_id=appointment_id).state == "cancelled"  # type: ignore[union-attr]
    assert "Für diese Beratung ist kein Termin gebucht." not in cancelled.text, "said once: it is cancelled"
    again = client.post(f"/advice/appointment/{appointment_id}/cancel", data={"csrf": csrf_of(confirm.text)})
    assert again.status_code == 410 and "nicht mehr gebucht" in again.text
    assert client.get(f"/advice/appointment/{appointment_id}/move").status_code == 404
    results = client.get("/advice")
    assert 'href="/advice/appointment"' in results.text and "Dein Termin:" not in results.text


def test_nobody_else_sees_moves_or_cancels_the_appointment(
    booking_client: TestClient, web: WebContext, backpacks: object
) -> None:
    appointment_id, starts_at, _done = _book(booking_client, backpacks)
    with TestClient(booking_client.app) as other:
        _other_id, _time, _page = _book(other, backpacks, slot=5)
        page = other.get("/advice/appointments")
        assert datetime.fromisoformat(starts_at).strftime("%H:%M Uhr") not in page.text
        for path in (f"/advice/appointment/{appointment_id}/move", f"/advice/appointment/{appointment_id}/cancel"):
            refused = other.get(path)
            assert refused.status_code == 404 and "nicht mehr gebucht" in refused.text
            csrf = csrf_of(page.text)
            assert other.post(path, data={"csrf": csrf, "starts_at": starts_at}).status_code in (404, 410)
        assert other.get(f"/advice/appointment/{appointment_id}.ics").status_code == 404
    found = booking.details(web.engine, appointment_id=appointment_id)
    assert found is not None and found.state == "booked" and found.starts_at == datetime.fromisoformat(starts_at)


def test_without_an_appointment_the_page_offers_one(booking_client: TestClient, backpacks: object) -> None:
    client = booking_client
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    page = client.get("/advice/appointments")
    assert page.status_code == 200
    assert "Für diese Beratung ist kein Termin gebucht." in page.text
    assert 'href="/advice/appointment"' in page.text and "Termin vereinbaren" in page.text


def test_the_kiosks_code_after_a_booking_opens_the_appointment_on_the_phone(
    booking_client: TestClient, web: WebContext, backpacks: object
) -> None:
    appointment_id, starts_at, _done = _book(booking_client, backpacks)
    found = booking.details(web.engine, appointment_id=appointment_id)
    assert found is not None and found.session_id is not None
    with TestClient(booking_client.app) as phone:
        page = phone.get(f"/c/{issue_token(web.engine, found.session_id)}?to=booked")
        assert page.status_code == 200 and page.url.path == "/advice/appointments"
        assert datetime.fromisoformat(starts_at).strftime("%d.%m.%Y, %H:%M Uhr mit anna") in page.text
        assert phone.get(f"/advice/appointment/{appointment_id}.ics").status_code == 200


def test_once_checked_in_the_phone_says_so_and_offers_no_move(
    booking_client: TestClient, web: WebContext, backpacks: object
) -> None:
    client = booking_client
    appointment_id, starts_at, _done = _book(client, backpacks)
    assert booking.check_in(web.engine, appointment_id=appointment_id)
    mine = client.get("/advice/appointments")
    assert f"Du bist für {datetime.fromisoformat(starts_at):%H:%M} Uhr angemeldet – anna weiß Bescheid" in mine.text
    assert f"/advice/appointment/{appointment_id}/move" not in mine.text
    assert f"/advice/appointment/{appointment_id}/cancel" not in mine.text
    assert client.get(f"/advice/appointment/{appointment_id}/move").status_code == 404, "only a booked one moves"


def test_with_nobody_in_the_chat_the_page_leads_to_the_appointment_booked(
    booking_client: TestClient, backpacks: object
) -> None:
    client = booking_client
    _appointment_id, starts_at, _done = _book(client, backpacks)
    page = client.get("/advice/chat")
    assert "Gerade ist niemand im Chat." in page.text
    assert "Dort nimmt sich jemand aus dem Team Zeit für dich" in page.text
    assert re.search(rf'href="/advice/appointments">Dein Termin: \w+, [^<]*{datetime.fromisoformat(starts_at):%H:%M}',
                     page.text)  # fmt: skip
    assert 'href="/advice/appointment"' not in page.text, "no second booking offered"


_CHOSEN_DAY = re.compile(r'<option value="([^"]+)" selected>')
_LISTED_DAYS = re.compile(r'<option value="([0-9-]+)"')


def test_an_appointment_beyond_the_first_listed_days_moves_to_a_day_near_it_by_phone_or_link(
    booking_client: TestClient, web: WebContext, backpacks: object
) -> None:
    """Booked for a day the dropdown reaches only by a "next free time" link: moving it shows its own day chosen,
    lists the days near it, and a day asked for near it shows that day's times, on the phone and by the mailed link."""
    client = booking_client
    start(client)
    walk_to_results(client, backpacks)  # type: ignore[arg-type]
    config = web.config
    today = datetime.now(config.store.zone).date()
    listed = booking.open_days(config, today, 15)
    later = [day for day in booking.open_days(config, today, 40) if day not in listed]
    assert len(later) >= 2, "two open days past the listed ones, within the booking horizon"
    booked_day, near_day = later[0], later[1]
    form_page = client.get(f"/advice/appointment?day={booked_day.isoformat()}").text
    starts_at = _SLOT.findall(form_page)[0]
    done = client.post(
        "/advice/appointment",
        data={
            "csrf": csrf_of(form_page),
            "starts_at": starts_at,
            "name": "Pat",
            "contact": "pat@example.com",
            "consent": "yes",
        },
    )
    assert done.status_code == 200, done.text
    found = _ID.search(done.text)
    link = re.search(r'href="(/appointment/reschedule/[^"]+)"', done.text)
    assert found is not None and link is not None
    appointment_id = found[1]

    for move in (f"/advice/appointment/{appointment_id}/move", link[1]):
        offer = client.get(move)
        assert offer.status_code == 200, offer.text
        chosen = _CHOSEN_DAY.search(offer.text)
        assert chosen is not None and chosen[1] == booked_day.isoformat(), "its own day is the one shown"
        times = _SLOT.findall(offer.text)
        assert starts_at in times and all(datetime.fromisoformat(time).date() == booked_day for time in times)
        assert near_day.isoformat() in _LISTED_DAYS.findall(offer.text), "the days near it are listed"
        near = client.get(move, params={"day": near_day.isoformat()})
        chosen = _CHOSEN_DAY.search(near.text)
        assert chosen is not None and chosen[1] == near_day.isoformat()
        near_times = _SLOT.findall(near.text)
        assert near_times and all(datetime.fromisoformat(time).date() == near_day for time in near_times)

    moved = client.post(link[1], data={"csrf": csrf_of(near.text), "starts_at": near_times[0]})
    assert moved.status_code == 200 and "Der Termin ist verschoben." in moved.text
    after = booking.details(web.engine, appointment_id=appointment_id)
    assert after is not None and after.starts_at == datetime.fromisoformat(near_times[0])


def test_the_confirmation_names_the_consultant_once_and_the_code_to_check_in_with(
    booking_client: TestClient, backpacks: object
) -> None:
    _appointment_id, starts_at, done = _book(booking_client, backpacks)
    main = done.split('<main id="main" tabindex="-1">')[1].split("</main>")[0]
    assert main.count("mit anna") == 1, main
    assert f"{datetime.fromisoformat(starts_at):%H:%M} Uhr mit anna" in main
    assert re.search(r"<p>Dein Code zum Einchecken und Weitermachen: [A-Z0-9]{4}-[A-Z0-9]{4}</p>", main), main
