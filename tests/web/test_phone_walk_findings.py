"""What a walk on the phone found, each as the shopper reads it: − and + beside a refused number land on a number the
question takes and never announce the refused one; without e-mail set up, a repair order promises no ready mail and
says how to learn it is ready, a moved appointment shows its new links and an old link says it was moved, and an old
page's mail form says e-mail is off without offering the form again; the booking keeps the shortlist after the
browser's Back to a question."""

from __future__ import annotations

import dataclasses
import re
import warnings
from collections.abc import Iterator
from datetime import datetime
from html import unescape

import pytest

from advisor.appointments import booking, staff
from advisor.config import AppointmentsConfig
from advisor.questionnaire.model import Questionnaire
from advisor.web.app import create_app
from advisor.web.context import WebContext
from tests.helpers.appointments import add_consultants
from tests.web.conftest import csrf_of, start, step_of, walk_to_results
from tests.web.test_appointments import _SKU, _SLOT
from tests.web.test_help_pages import order, to_outcomes
from tests.web.test_keyboard_walk import at_persons, field_of
from tests.web.test_my_appointments import _book

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

_NOW = re.compile(r'<span id="number-now" hidden>([^<]*)</span>')


@pytest.fixture
def no_mail(web: WebContext) -> WebContext:
    """The web companion with no [smtp] and no dry-run folder: no e-mail goes out."""
    return dataclasses.replace(web, mail_dry_run=None)


@pytest.fixture
def mailless_client(no_mail: WebContext) -> Iterator[TestClient]:
    with TestClient(create_app(no_mail)) as client:
        yield client


def _nudges(html: str) -> tuple[str, str, str]:
    """What − and + are called and what "#number-now" says ("" when the page has none)."""
    less, more = field_of(html, r'<button[^>]*id="less"[^>]*>'), field_of(html, r'<button[^>]*id="more"[^>]*>')
    now = _NOW.search(html)
    return unescape(less["aria-label"] or ""), unescape(more["aria-label"] or ""), unescape(now[1]) if now else ""


def _refused(client: TestClient, page: str, typed: str) -> str:
    sent = client.post("/advice/answer", data={"csrf": csrf_of(page), "step": "persons", "value": typed})
    assert sent.status_code == 400, "the question takes whole persons from 1 to 6"
    return str(sent.text)


# -- 1: − and + beside a refused number ------------------------------------------------------------------------


def test_plus_beside_a_refused_fraction_lands_on_the_whole_number_above_and_next_is_taken(client: TestClient) -> None:
    refused = _refused(client, at_persons(client), "2,5")
    assert _nudges(refused) == ("Weniger: 2 Personen", "Mehr: 3 Personen", ""), "no 1,5 or 3,5 persons, no 'Jetzt: 2,5'"
    more = client.post("/advice/answer", data={"csrf": csrf_of(refused), "step": "persons", "value": "2,5",
                                               "nudge": "1"})  # fmt: skip
    assert more.url.params.get("number") == "3"
    assert field_of(more.text, r'<input type="number"[^>]*>')["value"] == "3"
    assert _nudges(more.text)[2] == "Jetzt: 3 Personen"
    less = client.post("/advice/answer", data={"csrf": csrf_of(refused), "step": "persons", "value": "2,5",
                                               "nudge": "-1"})  # fmt: skip
    assert less.url.params.get("number") == "2"
    taken = client.post("/advice/answer", data={"csrf": csrf_of(more.text), "step": "persons", "value": "3"})
    assert taken.status_code == 200 and step_of(taken.text) not in (None, "persons"), "3 taken: the next question"


@pytest.mark.parametrize(("typed", "less", "more"), [("-1", "Weniger", "Mehr: 1 Person"),
                                                     ("9", "Weniger: 6 Personen", "Mehr"),
                                                     ("1e3", "Weniger: 6 Personen", "Mehr")])  # fmt: skip
def test_a_number_out_of_range_is_never_announced_as_the_current_one(
    client: TestClient, typed: str, less: str, more: str
) -> None:
    """Neither the refused number ("Jetzt: 9 Personen") nor, on the button that leads the other way, the bound it
    lands on: + beside a refused 9 is plain "Mehr", not "Mehr: 6 Personen" (6 is less)."""
    refused = _refused(client, at_persons(client), typed)
    assert 'id="number-now"' not in refused, "no 'Jetzt: 9 Personen' for a refused 9"
    assert _nudges(refused) == (less, more, "")


def test_at_the_bounds_the_button_that_leads_nowhere_is_plain(client: TestClient) -> None:
    at_persons(client)
    assert _nudges(client.get("/advice?number=6").text) == ("Weniger: 5 Personen", "Mehr", "Jetzt: 6 Personen")
    assert _nudges(client.get("/advice?number=1").text) == ("Weniger", "Mehr: 2 Personen", "Jetzt: 1 Person")


def test_an_address_with_a_fraction_shows_the_nearest_whole_number(client: TestClient) -> None:
    at_persons(client)
    page = client.get("/advice?number=3.5")
    assert field_of(page.text, r'<input type="number"[^>]*>')["value"] == "4"
    assert _nudges(page.text) == ("Weniger: 3 Personen", "Mehr: 5 Personen", "Jetzt: 4 Personen")


# -- 2: a repair order without e-mail ------------------------------------------------------------------------------


def test_without_mail_the_repair_order_promises_no_mail_and_says_how_to_learn_it_is_ready(
    mailless_client: TestClient,
) -> None:
    page = to_outcomes(mailless_client)
    assert "schreibt mir, wenn es fertig ist" not in page.text
    assert "Ja, speichert meinen Kontakt, damit ihr mich bei Fragen zur Reparatur erreicht." in page.text
    done = order(mailless_client, page, consent="yes", name="Alex", email="alex@example.org", phone="")
    assert done.status_code == 200 and 'data-testid="pickup-code"' in done.text
    assert ("Es geht keine E-Mail raus, wenn sie fertig ist: Ob sie abholbereit ist, siehst du mit diesem Code "
            "unter „Stand deiner Reparatur ansehen“ auf der Startseite.") in done.text  # fmt: skip
    assert 'href="/repair"' in mailless_client.get("/").text, "where the start page leads to follow it"


def test_with_mail_the_repair_order_still_promises_the_ready_mail(client: TestClient) -> None:
    page = to_outcomes(client)
    assert "Ja, speichert meinen Kontakt und schreibt mir, wenn es fertig ist." in page.text
    done = order(client, page, consent="yes", name="Alex", email="alex@example.org", phone="")
    assert "Es geht keine E-Mail raus" not in done.text


# -- 3: moving an appointment without e-mail -----------------------------------------------------------------------


@pytest.fixture
def booking_without_mail(web: WebContext) -> Iterator[TestClient]:
    """A phone where the backpacks have 30-minute appointments with Anna (as `booking_client`), and no e-mail goes
    out."""
    appointments = AppointmentsConfig.model_validate({"kinds": {"backpacks": {"length_minutes": 30}}})
    context = dataclasses.replace(web, mail_dry_run=None,
                                  config=web.config.model_copy(update={"appointments": appointments}))  # fmt: skip
    add_consultants(web.engine, ["anna"])
    staff.set_skills(web.engine, staff_name="anna", categories=["backpacks"])
    with TestClient(create_app(context)) as client:
        yield client


def test_a_moved_appointment_shows_its_new_links_and_an_old_link_says_it_was_moved(
    booking_without_mail: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    client = booking_without_mail
    appointment_id, _first, done = _book(client, backpacks)
    assert "Es geht keine E-Mail raus" in done
    old = re.findall(r'href="(/appointment/(?:reschedule|cancel)/[^"]+)"', done)
    assert len(old) == 2

    offer = client.get(f"/advice/appointment/{appointment_id}/move")
    later = _SLOT.findall(offer.text)[3]
    moved = client.post(f"/advice/appointment/{appointment_id}/move",
                        data={"csrf": csrf_of(offer.text), "starts_at": later})  # fmt: skip
    assert moved.status_code == 200
    when = datetime.fromisoformat(later)
    assert "<h1>Der Termin ist verschoben.</h1>" in moved.text and f"{when:%H:%M} Uhr mit anna" in moved.text
    assert "Es geht keine E-Mail raus" in moved.text
    new = re.findall(r'href="(/appointment/(?:reschedule|cancel)/[^"]+)"', moved.text)
    assert len(new) == 2 and not set(new) & set(old)
    assert client.get(new[0]).status_code == 200, "the new link works"

    for link in old:
        gone = client.get(link)
        assert gone.status_code == 410
        assert "Er wurde schon benutzt" not in gone.text
        said = (rf"<h1>Dieser Link gilt nicht mehr: Der Termin wurde verschoben, auf \w+, {when:%d\.%m\.}, "
                rf"{when:%H:%M} Uhr\. Den neuen Link hast du beim Verschieben bekommen\.</h1>")  # fmt: skip
        assert re.search(said, gone.text), gone.text
    found = booking.details(web.engine, appointment_id=appointment_id)
    assert found is not None and found.state == "booked" and found.starts_at == when


def test_a_link_of_a_cancelled_appointment_still_says_it_was_used(
    booking_without_mail: TestClient, backpacks: Questionnaire
) -> None:
    client = booking_without_mail
    _appointment_id, _first, done = _book(client, backpacks)
    cancel = re.search(r'href="(/appointment/cancel/[^"]+)"', done)
    assert cancel is not None
    confirm = client.get(cancel[1])
    assert client.post(cancel[1], data={"csrf": csrf_of(confirm.text)}).status_code == 200
    again = client.get(cancel[1])
    assert again.status_code == 410 and "Er wurde schon benutzt oder der Termin ist vorbei." in again.text
    assert "verschoben" not in again.text


# -- 4: the shortlist after the browser's Back ----------------------------------------------------------------------


def test_the_booking_offers_the_shortlist_after_back_to_a_question(
    booking_client: TestClient, backpacks: Questionnaire
) -> None:
    start(booking_client)
    walk_to_results(booking_client, backpacks)
    at_results = booking_client.get("/advice/appointment").text
    assert _SKU.findall(at_results), "products to set aside at the results"
    first = backpacks.steps[0].id
    back = booking_client.get(f"/advice?at={first}")
    assert back.status_code == 200 and f'name="step" value="{first}"' in back.text
    after_back = booking_client.get("/advice/appointment").text
    assert _SKU.findall(after_back) == _SKU.findall(at_results)


def test_the_booking_offers_no_shortlist_before_every_answer_is_given(
    booking_client: TestClient, backpacks: Questionnaire
) -> None:
    start(booking_client)
    assert _SKU.findall(booking_client.get("/advice/appointment").text) == []


# -- 5: an old page's mail form without e-mail ---------------------------------------------------------------------


def test_an_old_pages_mail_form_without_mail_says_so_without_the_form(
    mailless_client: TestClient, backpacks: Questionnaire
) -> None:
    start(mailless_client)
    results, _ = walk_to_results(mailless_client, backpacks)
    sent = mailless_client.post("/advice/summary/email", data={"csrf": csrf_of(results.text),
                                                                "address": "kim@example.org"})  # fmt: skip
    assert sent.status_code == 503
    assert "E-Mails sind hier nicht eingerichtet." in sent.text
    assert 'id="mail-form"' not in sent.text and 'name="address"' not in sent.text
