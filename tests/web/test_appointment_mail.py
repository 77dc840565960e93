"""An appointment's e-mails through a real SMTP server (aiosmtpd): the confirmation with the `.ics` queued by the
booking and sent by the outbox, nothing for a phone number; the reminder the day before sent once by the outbox's
sender, tried again while the mail server fails, given up for a phone number or a refused address."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import re
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import icalendar
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine

from advisor.appointments import booking, staff
from advisor.appointments.tables import APPOINTMENT
from advisor.config import AppointmentsConfig, Config
from advisor.handoff.sessions import create_session
from advisor.questionnaire.model import Questionnaire
from advisor.rendering.mail import SmtpSettings
from advisor.web.app import create_app
from advisor.web.context import WebContext
from advisor.web.outbox import MailSender, Report, reminder_writer, send_due, send_reminders
from tests.helpers.appointments import add_consultants
from tests.web.conftest import csrf_of, free_port, start, walk_to_results
from tests.web.test_mail_outbox import BOTH, Inbox, queued

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

_SKU = re.compile(r'name="products" value="([^"]+)"')
_SLOT = re.compile(r'name="starts_at" value="([^"]+)"')
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    """A real SMTP server on a free port (no STARTTLS, no login)."""
    port = free_port()
    handler = Inbox(SmtpSettings("127.0.0.1", port, sender="advice@example.org", starttls=False))
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def shop(web: WebContext, smtp: Inbox) -> WebContext:
    """The web companion of a store open around the clock that books backpack advice, mailing through `smtp`."""
    config = Config.model_validate({
        "store": {"opening_hours": dict.fromkeys(DAYS, "00:00-24:00")},
        "smtp": {"host": "127.0.0.1", "port": smtp.settings.port, "sender": "advice@example.org", "starttls": False},
    })  # fmt: skip
    appointments = AppointmentsConfig.model_validate({"kinds": {"backpacks": {"length_minutes": 30}}})
    context = dataclasses.replace(web, config=config.model_copy(update={"appointments": appointments}),
                                  mail_dry_run=None)  # fmt: skip
    add_consultants(web.engine, ["anna"], span=(0, 24 * 60))
    staff.set_skills(web.engine, staff_name="anna", categories=["backpacks"])
    return context


def received(inbox: Inbox) -> list[EmailMessage]:
    return [email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[misc, arg-type]
            for envelope in inbox.envelopes]  # fmt: skip


def book_on_the_phone_page(client: TestClient, backpacks: Questionnaire, contact: str) -> tuple[str, Any]:
    """Book the first free time tomorrow with two products held: (the time booked, the page)."""
    start(client)
    walk_to_results(client, backpacks)
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    page = client.get(f"/advice/appointment?day={tomorrow.isoformat()}").text
    starts_at = _SLOT.findall(page)[0]
    form = {"csrf": csrf_of(page), "starts_at": starts_at, "name": "Kim", "contact": contact, "consent": "yes",
            "remind": "yes", "products": _SKU.findall(page)[:2]}  # fmt: skip
    done = client.post("/advice/appointment", data=form)
    assert done.status_code == 200, done.text
    return starts_at, done


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
def test_the_confirmation_with_the_ics_is_queued_by_the_booking_and_sent_to_that_address(
    shop: WebContext, smtp: Inbox, backpacks: Questionnaire
) -> None:
    with TestClient(create_app(shop)) as client:
        starts_at, done = book_on_the_phone_page(client, backpacks, " kim@example.net ")
    assert "Die Bestätigung mit dem Kalendereintrag kommt" in done.text
    assert len(queued(shop.engine)) == 1, "queued, not sent by the request"
    assert smtp.envelopes == []

    assert send_due(shop.engine, smtp.settings) == Report(sent=1)
    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["kim@example.net"]
    [message] = received(smtp)
    wanted = datetime.fromisoformat(starts_at)
    assert message["Subject"] == f"Dein Termin bei München Innenstadt: {_weekday(wanted)}, " \
        f"{wanted:%d.%m.%Y}, {wanted:%H:%M}–{wanted + timedelta(minutes=30):%H:%M} Uhr"  # fmt: skip
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    words = body.get_content()
    assert "Hallo Kim," in words and "dein Termin ist gebucht" in words and "mit anna" in words
    assert re.search(r"Dein Code: [A-Z0-9]{4}-[A-Z0-9]{4}", words)
    held = re.search(r"Zum Ausprobieren zurückgelegt: (.+)", words)
    assert held is not None and len(held[1].split(", ")) == 2, "the two products held, by name"
    cancel = re.search(r"http://localhost:8000/appointment/cancel/\S+", words)
    assert cancel is not None, "the one-time cancel link"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename() == "appointment.ics"
    [event] = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert event.decoded("DTSTART") == wanted and event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert cancel[0] in str(event["DESCRIPTION"])
    assert queued(shop.engine) == [], "the row, and the address, are gone once sent"


def test_a_phone_number_gets_no_mail(shop: WebContext, smtp: Inbox, backpacks: Questionnaire) -> None:
    with TestClient(create_app(shop)) as client:
        _starts_at, done = book_on_the_phone_page(client, backpacks, "0171 555 0101")
    assert "Termin gebucht" in done.text and "per E-Mail" not in done.text
    assert "Es geht keine E-Mail raus: Bitte notiere dir Zeit und Code." in done.text, "told, as at the kiosk"
    assert queued(shop.engine) == []


def _weekday(moment: datetime) -> str:
    return ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")[moment.weekday()]


def _book(shop: WebContext, *, contact: str, starts_at: datetime, now: datetime) -> booking.Booking:
    stored = create_session(shop.engine, questionnaire_id="backpack-finder", answers={}, locale="de", now=now)
    return booking.book(
        shop.engine, config=shop.config, category_id="backpacks", starts_at=starts_at, name="Lou", contact=contact,
        locale="de", channel="web", session_id=stored.id, now=now,
    )  # fmt: skip


def _reminder_state(engine: Engine, appointment_id: str) -> tuple[Any, Any]:
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(APPOINTMENT.c.reminder_due_at, APPOINTMENT.c.reminded_at).where(
                APPOINTMENT.c.id == appointment_id
            )
        ).one()
    return row.reminder_due_at, row.reminded_at


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
def test_the_reminder_the_day_before_is_sent_once_and_tried_again_while_the_server_fails(
    shop: WebContext, smtp: Inbox
) -> None:
    zone = shop.config.store.zone
    booked_at = datetime(2026, 12, 1, 9, 0, tzinfo=zone)
    at_11 = datetime(2026, 12, 5, 11, 0, tzinfo=zone)
    kept = _book(shop, contact="lou@example.net", starts_at=at_11, now=booked_at)
    by_phone = _book(shop, contact="0171 555 0101", starts_at=at_11 + timedelta(hours=1), now=booked_at)
    write = reminder_writer(shop)
    the_day_before = datetime(2026, 12, 4, 10, 59, tzinfo=zone)
    assert send_reminders(shop.engine, smtp.settings, write=write, now=the_day_before) == Report()

    smtp.busy = 1
    due = datetime(2026, 12, 4, 12, 30, tzinfo=zone)  # both are due now
    assert send_reminders(shop.engine, smtp.settings, write=write, now=due) == Report(retried=1, given_up=1)
    assert smtp.envelopes == []
    assert _reminder_state(shop.engine, by_phone.appointment_id)[1] is not None, "a phone number is given up"
    assert send_reminders(shop.engine, smtp.settings, write=write, now=due + timedelta(minutes=1)) == Report()
    later = due + timedelta(minutes=6)  # the claim of the failed attempt has run out
    assert send_reminders(shop.engine, smtp.settings, write=write, now=later) == Report(sent=1)
    [message] = received(smtp)
    assert smtp.envelopes[0].rcpt_tos == ["lou@example.net"]
    assert message["Subject"] == "Erinnerung: morgen 11:00 Uhr bei München Innenstadt"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    words = body.get_content()
    assert "Hallo Lou," in words and "Samstag, 05.12.2026, 11:00–11:30 Uhr" in words
    assert list(message.iter_attachments()) == []
    # Its own links to move or cancel (the confirmation may be long gone); the confirmation's keep working.
    move, cancel = re.search(r"/appointment/reschedule/(\S+)", words), re.search(r"/appointment/cancel/(\S+)", words)
    assert move is not None and cancel is not None and cancel[1] != kept.links["cancel"]
    assert booking.booked_by_link(shop.engine, token=move[1], purpose="reschedule") is not None
    assert booking.booked_by_link(shop.engine, token=kept.links["reschedule"], purpose="reschedule") is not None
    html = message.get_body(preferencelist=("html",))
    assert html is not None and f"/appointment/cancel/{cancel[1]}" in html.get_content()
    due_at, reminded_at = _reminder_state(shop.engine, kept.appointment_id)
    assert due_at is None and reminded_at is not None
    assert send_reminders(shop.engine, smtp.settings, write=write, now=later + timedelta(hours=1)) == Report()
    assert len(smtp.envelopes) == 1, "sent once"
    assert booking.cancel_by_link(shop.engine, token=cancel[1], locale="de") == kept.appointment_id
    assert booking.booked_by_link(shop.engine, token=kept.links["reschedule"], purpose="reschedule") is None, (
        "cancelled: all links end"
    )


def test_a_cancelled_appointment_or_a_refused_address_gets_no_reminder(shop: WebContext, smtp: Inbox) -> None:
    zone = shop.config.store.zone
    booked_at = datetime(2026, 12, 1, 9, 0, tzinfo=zone)
    cancelled = _book(shop, contact="lou@example.net", starts_at=datetime(2026, 12, 5, 11, 0, tzinfo=zone),
                      now=booked_at)  # fmt: skip
    refused = _book(shop, contact="nobody@example.net", starts_at=datetime(2026, 12, 5, 12, 0, tzinfo=zone),
                    now=booked_at)  # fmt: skip
    assert booking.cancel(shop.engine, appointment_id=cancelled.appointment_id, now=booked_at)
    smtp.unknown_user = True
    due = datetime(2026, 12, 4, 13, 0, tzinfo=zone)
    assert send_reminders(shop.engine, smtp.settings, write=reminder_writer(shop), now=due) == Report(given_up=1)
    assert _reminder_state(shop.engine, refused.appointment_id)[1] is not None
    assert smtp.envelopes == []


def test_the_outbox_sender_sends_due_reminders_in_the_background(shop: WebContext, smtp: Inbox) -> None:
    now = datetime.now(UTC)
    starts_at = (now + timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
    kept = _book(shop, contact="lou@example.net", starts_at=starts_at, now=now - timedelta(days=2))
    assert _reminder_state(shop.engine, kept.appointment_id)[0] is not None, "due since yesterday"
    sender = MailSender(shop.engine, smtp.settings, reminders=reminder_writer(shop))
    sender.start()
    try:
        deadline = time.monotonic() + 20
        while not smtp.envelopes and time.monotonic() < deadline:
            time.sleep(0.1)  # the sender looks every few seconds: nothing else to wait on
    finally:
        sender.stop()
    assert len(smtp.envelopes) == 1
    assert "Erinnerung" in received(smtp)[0]["Subject"]


def test_a_move_mails_the_new_and_the_old_time_and_a_cancellation_mails_the_cancelled_calendar_entry(
    shop: WebContext, smtp: Inbox, backpacks: Questionnaire, capsys: pytest.CaptureFixture[str]
) -> None:
    with TestClient(create_app(shop)) as client:
        starts_at, done = book_on_the_phone_page(client, backpacks, "kim@example.net")
        first = datetime.fromisoformat(starts_at)
        [appointment_id] = re.findall(r"/advice/appointment/([^/\"]+)\.ics", done.text)
        offer = client.get(f"/advice/appointment/{appointment_id}/move")
        later = _SLOT.findall(offer.text)[-1]
        moved = client.post(f"/advice/appointment/{appointment_id}/move",
                            data={"csrf": csrf_of(offer.text), "starts_at": later})  # fmt: skip
        assert moved.status_code == 200, moved.text
        confirm = client.get(f"/advice/appointment/{appointment_id}/cancel")
        cancelled = client.post(f"/advice/appointment/{appointment_id}/cancel", data={"csrf": csrf_of(confirm.text)})
        assert cancelled.status_code == 200, cancelled.text
    assert send_due(shop.engine, smtp.settings) == Report(sent=3)
    booked, move, cancel = received(smtp)
    new = datetime.fromisoformat(later)
    journal = capsys.readouterr().err
    for kind, message in (("confirmation", booked), ("move", move), ("cancellation", cancel)):
        assert f"appointment {kind} e-mail {message['Message-ID']} sent (de, attempt 1)" in journal, journal
    assert len({booked["Message-ID"], move["Message-ID"], cancel["Message-ID"]}) == 3
    assert "kim@" not in journal and "summary e-mail" not in journal

    def words(message: EmailMessage) -> str:
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        return str(body.get_content())

    for message in (booked, move, cancel):
        text = words(message)
        assert "mit anna" in text and "Beratung mit anna" not in text, "the consultant once, the code on its own line"
        assert len(re.findall(r"Dein Code: [A-Z0-9]{4}-[A-Z0-9]{4}", text)) == 1
    assert str(move["Subject"]).startswith("Termin verschoben: dein Termin bei München Innenstadt ist jetzt ")
    assert f"{new:%H:%M}–" in str(move["Subject"])
    said = words(move)
    assert "dein Termin ist verschoben" in said and "ist gebucht" not in said
    assert f"Statt bisher: {_weekday(first)}, {first:%d.%m.%Y}, {first:%H:%M}–" in said
    assert str(cancel["Subject"]).startswith("Termin abgesagt: dein Termin bei München Innenstadt am ")
    said = words(cancel)
    assert "dein Termin ist abgesagt" in said and "/appointment/" not in said, "no links to a cancelled appointment"
    [attachment] = list(cancel.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    [event] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert event.decoded("DTSTART") == new, "the moved entry is the one dropped"
    [moved_file] = list(move.iter_attachments())
    [moved_event] = icalendar.Calendar.from_ical(moved_file.get_content()).walk("VEVENT")
    assert (moved_event["SEQUENCE"], event["SEQUENCE"]) == (1, 2), "a calendar takes the cancellation as newer"


def test_the_booking_form_sent_again_keeps_one_appointment_and_mails_what_changed(
    shop: WebContext, smtp: Inbox, backpacks: Questionnaire
) -> None:
    """A double tap, or Back and "Termin buchen" again: the booking made first, not a second consultant's time; a
    typo in the address fixed after Back gets the confirmation there; another time chosen on the form from before
    the booking moves it there."""
    with TestClient(create_app(shop)) as client:
        start(client)
        walk_to_results(client, backpacks)
        tomorrow = datetime.now(UTC).date() + timedelta(days=1)
        page = client.get(f"/advice/appointment?day={tomorrow.isoformat()}").text
        times = _SLOT.findall(page)
        form = {"csrf": csrf_of(page), "starts_at": times[0], "name": "Kim", "contact": "kim@exmaple.net",
                "consent": "yes", "products": _SKU.findall(page)[:1]}  # fmt: skip
        first = client.post("/advice/appointment", data=form)
        again = client.post("/advice/appointment", data=form)
        assert first.status_code == again.status_code == 200
        assert "Termin gebucht" in again.text and "Die Bestätigung mit dem Kalendereintrag kommt" in again.text
        assert [mail.address for mail in queued(shop.engine)] == ["kim@exmaple.net"], "one confirmation"
        fixed = client.post("/advice/appointment", data=form | {"contact": "kim@example.net"})
        assert fixed.status_code == 200 and "Termin gebucht" in fixed.text
        assert [mail.address for mail in queued(shop.engine)][-1] == "kim@example.net", "confirmed to the fixed one"
        later = client.post("/advice/appointment", data=form | {"contact": "kim@example.net", "starts_at": times[2]})
        assert later.status_code == 200 and "Der Termin ist verschoben." in later.text
        assert datetime.fromisoformat(times[2]).strftime("%H:%M") in later.text
        second = client.get("/advice/appointment").text  # a form that shows the booking: another time moves it
        assert (
            "schon einen Termin" in second and "Wählst du hier eine andere Zeit, wird er dorthin verschoben." in second
        )
    with shop.engine.connect() as connection:
        rows = connection.execute(sa.select(APPOINTMENT.c.starts_at, APPOINTMENT.c.contact)).all()
    assert len(rows) == 1 and rows[0].contact == "kim@example.net"
    assert send_due(shop.engine, smtp.settings) == Report(sent=3)
    assert str(received(smtp)[-1]["Subject"]).startswith("Termin verschoben")


def test_the_mails_links_open_and_mail_in_the_language_the_shopper_booked_in(
    shop: WebContext, smtp: Inbox, backpacks: Questionnaire
) -> None:
    """Booked in German; the mail's links opened on a phone whose browser asks for English: the pages and the mails
    of the move and the cancellation stay German (a visitor's own language choice still wins on the pages)."""
    with TestClient(create_app(shop)) as client:
        book_on_the_phone_page(client, backpacks, "kim@example.net")
    assert send_due(shop.engine, smtp.settings) == Report(sent=1)
    body = received(smtp)[0].get_body(preferencelist=("plain",))
    assert body is not None
    link = re.search(r"http://localhost:8000(/appointment/reschedule/\S+)", body.get_content())
    assert link is not None
    with TestClient(create_app(shop), headers={"Accept-Language": "en-US,en;q=0.9"}) as phone:
        offer = phone.get(link[1])
        assert '<html lang="de"' in offer.text, offer.text[:300]
        moved = phone.post(link[1], data={"csrf": csrf_of(offer.text), "starts_at": _SLOT.findall(offer.text)[-1]})
        assert moved.status_code == 200 and '<html lang="de"' in moved.text
        cancel = re.search(r'href="[^"]*(/appointment/cancel/[^"]+)"', moved.text)
        assert cancel is not None
        asked = phone.get(cancel[1])
        assert '<html lang="de"' in asked.text
        done = phone.post(cancel[1], data={"csrf": csrf_of(asked.text)})
        assert done.status_code == 200 and '<html lang="de"' in done.text
    assert send_due(shop.engine, smtp.settings) == Report(sent=2)
    _booked, move, cancelled = received(smtp)
    assert str(move["Subject"]).startswith("Termin verschoben") and str(cancelled["Subject"]).startswith(
        "Termin abgesagt")  # fmt: skip


def test_an_english_appointment_mail_names_the_store_as_the_english_summary_does(shop: WebContext, smtp: Inbox) -> None:
    """The catalog's name of the store in the mail's language ("Munich City Centre"), as the advice summary has it
    (catalog.reads.store_name), not the configured one ("Nordgrat München"); the calendar entry's place too."""
    from advisor.catalog.reads import store_name
    from advisor.session import confirmation

    english = store_name(shop.engine, shop.config.store.id, "en")
    assert english == "Munich City Centre" and english != shop.config.store.name
    zone = shop.config.store.zone
    now = datetime.now(zone).replace(minute=0, second=0, microsecond=0)
    stored = create_session(shop.engine, questionnaire_id="backpack-finder", answers={}, locale="en", now=now)
    booked = booking.book(
        shop.engine, config=shop.config, category_id="backpacks", starts_at=now + timedelta(days=1), name="Lou",
        contact="lou@example.net", locale="en", channel="web", session_id=stored.id, now=now,
    )  # fmt: skip
    assert confirmation.confirm_by_mail(
        shop.engine, shop.config, booked, session_id=stored.id, locale="en", contact="lou@example.net",
        questionnaires=shop.questionnaires(), categories=shop.index_cache.get().categories,
    )  # fmt: skip
    assert send_due(shop.engine, smtp.settings) == Report(sent=1)
    [message] = received(smtp)
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert "Munich City Centre" in message["Subject"] and "Munich City Centre" in body.get_content()
    assert "Nordgrat" not in message["Subject"] + body.get_content()
    [attachment] = list(message.iter_attachments())
    [event] = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert str(event["LOCATION"]) == "Munich City Centre"
