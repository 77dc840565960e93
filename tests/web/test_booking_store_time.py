"""A shopper booking from abroad reads the times as the store's clock: the English booking page says once that they
are the store's local time, and the confirmation e-mail's time line names the zone (German shoppers live on the
store's clock: their page and mail stay as they were). Once booked with products set aside, the summary page and
the summary e-mail name the appointment those products are held for, until it is cancelled."""

from __future__ import annotations

import email
import email.policy
import warnings
from datetime import datetime, timedelta
from email.message import EmailMessage
from html import unescape
from zoneinfo import ZoneInfo

from advisor.questionnaire.model import Questionnaire
from advisor.web.context import WebContext
from advisor.web.outbox import send_due
from tests.web.conftest import csrf_of, start, walk_to_results
from tests.web.test_appointments import _SKU, _SLOT, _first_day_with_slots

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

LOCAL_TIME = "All times are the store's local time (Europe/Berlin)."
BERLIN = ZoneInfo("Europe/Berlin")


def _to_results(client: TestClient, backpacks: Questionnaire, locale: str) -> None:
    start(client)
    page, _given = walk_to_results(client, backpacks)
    client.post("/lang", data={"csrf": csrf_of(page.text), "locale": locale})


def _book(client: TestClient, products: int = 2) -> datetime:
    """Book the first free time with `products` set aside; its start on the store's clock."""
    _day, form_page = _first_day_with_slots(client)
    starts_at = _SLOT.findall(form_page)[0]
    form = {"csrf": csrf_of(form_page), "starts_at": starts_at, "name": "Kim", "contact": "kim@example.org",
            "consent": "yes", "products": _SKU.findall(form_page)[:products]}  # fmt: skip
    done = client.post("/advice/appointment", data=form)
    assert done.status_code == 200, done.text
    return datetime.fromisoformat(starts_at).astimezone(BERLIN)


def _mails(web: WebContext) -> list[EmailMessage]:
    """The mails sent so far (to the dry-run folder), in the order sent."""
    assert web.mail_dry_run is not None
    report = send_due(web.engine, None, dry_run=web.mail_dry_run)
    assert (report.retried, report.given_up) == (0, 0)
    files = sorted(web.mail_dry_run.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
    parsed = [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in files]
    return [message for message in parsed if isinstance(message, EmailMessage)]


def _words(message: EmailMessage, kind: str) -> str:
    body = message.get_body(preferencelist=(kind,))
    assert body is not None
    return unescape(str(body.get_content()))


def _kind(message: EmailMessage) -> str:
    return str(message["X-Advisor-Mail"])


def test_the_english_booking_page_says_once_that_the_times_are_the_stores_local_time(
    booking_client: TestClient, backpacks: Questionnaire
) -> None:
    _to_results(booking_client, backpacks, "en")
    _day, page = _first_day_with_slots(booking_client)
    assert unescape(page).count(LOCAL_TIME) == 1
    assert "Pick a day and a time." in page

    booking_client.post("/lang", data={"csrf": csrf_of(page), "locale": "de"})
    _day, german = _first_day_with_slots(booking_client)
    assert "Wähle einen Tag und eine Zeit." in german
    assert "Europe/Berlin" not in german and "Ortszeit" not in german


def test_the_english_confirmation_mail_names_the_stores_time_zone_on_its_time_line(
    booking_client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    _to_results(booking_client, backpacks, "en")
    starts = _book(booking_client)
    [confirmation] = [message for message in _mails(web) if _kind(message) == "appointment confirmation"]
    line = f"{starts:%H:%M}–{starts + timedelta(minutes=30):%H:%M} (Europe/Berlin time)"
    assert line in _words(confirmation, "plain") and line in _words(confirmation, "html")
    assert "(Europe/Berlin time)" not in str(confirmation["Subject"]), "the subject stays short"


def test_the_german_confirmation_mail_reads_as_before(
    booking_client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    _to_results(booking_client, backpacks, "de")
    starts = _book(booking_client)
    [confirmation] = [message for message in _mails(web) if _kind(message) == "appointment confirmation"]
    plain = _words(confirmation, "plain")
    time_line = f"{starts:%H:%M}–{starts + timedelta(minutes=30):%H:%M} Uhr"
    assert any(line.endswith(time_line) for line in plain.splitlines()), "the time line ends as it did"
    assert "Europe/Berlin" not in plain and "Ortszeit" not in plain


def test_the_summary_and_its_mail_name_the_appointment_the_products_are_held_for_until_it_is_cancelled(
    booking_client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    client = booking_client
    _to_results(client, backpacks, "en")
    assert "Your appointment:" not in unescape(client.get("/advice/summary").text), "nothing booked yet"
    starts = _book(client)
    said = (f"Your appointment: {starts:%A}, {starts.day} {starts:%b} {starts.year}, {starts:%H:%M} with anna – "
            "the products are held for it.")  # fmt: skip
    page = client.get("/advice/summary")
    assert said in unescape(page.text)
    sent = client.post("/advice/summary/email", data={"csrf": csrf_of(page.text), "address": "kim@example.org"})
    assert sent.status_code == 200
    [summary] = [message for message in _mails(web) if _kind(message) == "summary"]
    assert said in _words(summary, "plain") and said in _words(summary, "html")

    with web.engine.connect() as connection:
        appointment_id = connection.exec_driver_sql("SELECT id FROM appointment").scalar_one()
    confirm = client.get(f"/advice/appointment/{appointment_id}/cancel")
    client.post(f"/advice/appointment/{appointment_id}/cancel", data={"csrf": csrf_of(confirm.text)})
    assert "Your appointment:" not in unescape(client.get("/advice/summary").text), "a cancelled one is not named"
