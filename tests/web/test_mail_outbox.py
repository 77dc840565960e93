"""Summary e-mails: exactly one address per request, limits per advice session and per client, and the outbox,
filled by the request and sent by `send_due` through a real SMTP server (aiosmtpd): tried again while the server
fails, given up after the last attempt, the row (and with it the address) deleted either way."""

from __future__ import annotations

import email
import email.policy
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine, make_url

from advisor.db import make_engine
from advisor.questionnaire.model import Questionnaire
from advisor.rendering.mail import SmtpSettings
from advisor.web.app import create_app
from advisor.web.context import WebContext
from advisor.web.outbox import (
    MAILS_PER_CLIENT,
    MAILS_PER_SESSION,
    MAX_ATTEMPTS,
    OUTBOX,
    Report,
    enqueue,
    retry_after,
    send_due,
)
from tests.web.conftest import LiveServer, csrf_of, free_port, start, walk_to_results

PEER = ("203.0.113.9", 50000)
T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
NOT_ONE_ADDRESS = [
    "a@example.net,root,postmaster",
    "a@example.net\x00",
    '"x" <a@b>, c@d',
    "a@example.net\r\nBcc: x@y",
    "Anna <a@example.net>",
    "root",
    "a@",
    "a" * 250 + "@example.net",
]
BOTH = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
MESSAGE = b"From: advice@example.org\r\nTo: shopper@example.net\r\nSubject: Your advice\r\n\r\nHello\r\n"


@dataclass
class Inbox:
    """An SMTP server's handler that keeps what it accepts, and refuses when told to."""

    settings: SmtpSettings
    envelopes: list[Envelope] = field(default_factory=list)
    busy: int = 0  # answer this many DATA commands with 451 (try again later)
    unknown_user: bool = False  # refuse every recipient for good (550)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Envelope, address: str, options: Any) -> str:  # noqa: N802 - aiosmtpd's hook
        if self.unknown_user:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook
        if self.busy:
            self.busy -= 1
            return "451 4.3.0 Try again later"
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """A real SMTP server on a free port (no STARTTLS, no login)."""
    port = free_port()
    handler = Inbox(SmtpSettings("127.0.0.1", port, sender="advice@example.org", starttls=False))
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler
    controller.stop()


def queued(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(sa.select(OUTBOX)).all())


def summary_page(client: TestClient | httpx.Client, questionnaire: Questionnaire) -> str:
    start(client)  # type: ignore[arg-type]
    walk_to_results(client, questionnaire)  # type: ignore[arg-type]
    page = client.get("/advice/summary")
    assert page.status_code == 200, page.text
    return page.text


def ask_for_mail(client: TestClient | httpx.Client, page: str, address: str) -> httpx.Response:
    return client.post("/advice/summary/email", data={"csrf": csrf_of(page), "address": address})


# -- the request -----------------------------------------------------------------------------------------------------


def test_anything_but_exactly_one_address_is_refused_with_a_message_and_nothing_is_queued(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    page = summary_page(client, backpacks)

    for address in NOT_ONE_ADDRESS:
        response = ask_for_mail(client, page, address)

        assert 400 <= response.status_code < 500, (address, response.status_code)
        if "\x00" in address:  # refused before any route reads the form, like a NUL in any text
            assert "Der Text enthält ein Steuerzeichen" in response.text
        else:
            assert "Bitte gib genau eine E-Mail-Adresse an" in response.text, address
    assert queued(web.engine) == []
    client.post("/lang", data={"csrf": csrf_of(page), "locale": "en"})
    english = ask_for_mail(client, client.get("/advice/summary").text, "a@example.net, b@example.net")
    assert english.status_code == 400
    assert "Please give exactly one e-mail address, like name@example.org" in english.text
    assert queued(web.engine) == []


def test_a_refused_address_comes_back_at_the_form_as_typed_with_the_error_beside_it(
    client: TestClient, backpacks: Questionnaire
) -> None:
    """Not at the top of the long summary with an empty field: the page the refusal answers with opens at the field
    (its autofocus; no fragment in the form's address, which would keep the browser from focusing it), the address
    in it to correct and the error tied to it."""
    page = summary_page(client, backpacks)
    assert re.search(r'<form method="post" action="/advice/summary/email" class="stack" id="mail-form"', page)
    assert re.search(r'<input id="address"[^>]*value=""\s*>', page), "nothing to correct before anything is sent"

    refused = ask_for_mail(client, page, 'anna@"<b>')

    assert refused.status_code == 400
    html = refused.text
    assert 'id="mail-form"' in html
    field = re.search(r'<input id="address"[^>]*>', html)
    assert field is not None and " autofocus" in field[0], "the page opens at the field, which has the focus"
    assert 'value="anna@&#34;&lt;b&gt;"' in field[0], "what was typed, to correct, as text"
    assert 'aria-invalid="true"' in field[0] and 'aria-describedby="address-error"' in field[0]
    error = re.search(r'<p class="error" role="alert" id="address-error">([^<]*)</p>', html)
    assert error is not None and "Bitte gib genau eine E-Mail-Adresse an" in error[1]
    assert html.index(field[0]) < error.start() < html.index("</form>", error.start()), "beside the field"


def test_an_empty_or_missing_address_comes_back_at_the_form_with_the_error_beside_it(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    """Not a dead end ("Das hat nicht geklappt." and the way home): the summary again, at its form, the error tied to
    the field, as for a wrong address; nothing queued."""
    page = summary_page(client, backpacks)
    for form in ({"csrf": csrf_of(page), "address": ""}, {"csrf": csrf_of(page), "address": "   "},
                 {"csrf": csrf_of(page)}):  # fmt: skip
        refused = client.post("/advice/summary/email", data=form)

        assert refused.status_code == 400, form
        assert 'id="mail-form"' in refused.text and "Das hat nicht geklappt" not in refused.text
        field = re.search(r'<input id="address"[^>]*>', refused.text)
        assert field is not None and 'aria-invalid="true"' in field[0], form
        assert re.search(r'<p class="error" role="alert" id="address-error">Bitte gib genau eine E-Mail', refused.text)
    assert queued(web.engine) == []


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
def test_a_good_address_is_queued_once_and_the_outbox_sends_it_to_that_address_only(
    client: TestClient, web: WebContext, backpacks: Questionnaire, inbox: Inbox, capsys: pytest.CaptureFixture[str]
) -> None:
    page = summary_page(client, backpacks)
    assert "Deine Beratung: Rucksack" in page, "named for what the shopper came for, as the kiosk's print"

    response = ask_for_mail(client, page, " Shopper.Mail@Example.org ")

    assert response.status_code == 200
    assert "Wir senden die E-Mail in den nächsten Minuten." in response.text
    [row] = queued(web.engine)
    assert (row.address, row.attempts, row.locale) == ("Shopper.Mail@Example.org", 0, "de")
    assert inbox.envelopes == [], "the request only queues"

    assert send_due(web.engine, inbox.settings) == Report(sent=1)

    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["Shopper.Mail@Example.org"]
    assert isinstance(envelope.content, bytes)
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["To"] == "Shopper.Mail@Example.org"
    assert message["Subject"] == "Deine Beratung: Rucksack", "the thing looked for, not the questionnaire's name"
    assert queued(web.engine) == [], "sent: the row and the address are gone"
    assert send_due(web.engine, inbox.settings) == Report(), "and it is sent once"
    journal = capsys.readouterr().err
    assert f"summary e-mail {message['Message-ID']} sent (de, attempt 1)" in journal, journal
    assert "Shopper" not in journal and "Example.org" not in journal


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
def test_mails_are_limited_per_advice_session_and_per_client(web: WebContext, backpacks: Questionnaire) -> None:
    app = create_app(web)
    sent = 0
    with TestClient(app, client=PEER) as first:
        page = summary_page(first, backpacks)
        for _ in range(MAILS_PER_SESSION.limit):
            assert ask_for_mail(first, page, "a@example.net").status_code == 200
            sent += 1
        refused = ask_for_mail(first, page, "a@example.net")
    assert refused.status_code == 429
    assert "Für jetzt sind genug E-Mails verschickt. Bitte in" in refused.text
    assert int(refused.headers["Retry-After"]) > 0
    while sent < MAILS_PER_CLIENT.limit:  # more sessions from the same address, until the client's budget is spent
        with TestClient(app, client=PEER) as other:
            page = summary_page(other, backpacks)
            for _ in range(min(MAILS_PER_SESSION.limit, MAILS_PER_CLIENT.limit - sent)):
                assert ask_for_mail(other, page, "a@example.net").status_code == 200
                sent += 1
    with TestClient(app, client=PEER) as fresh:
        refused = ask_for_mail(fresh, summary_page(fresh, backpacks), "a@example.net")
    with TestClient(app, client=("198.51.100.44", 50000)) as elsewhere:
        allowed = ask_for_mail(elsewhere, summary_page(elsewhere, backpacks), "a@example.net")

    assert refused.status_code == 429, "a new session does not refill the client's budget"
    assert "genug E-Mails" in refused.text
    assert allowed.status_code == 200, "another client is not held up"
    assert len(queued(web.engine)) == MAILS_PER_CLIENT.limit + 1


# -- the outbox ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
def test_the_outbox_tries_again_later_while_the_mail_server_fails(web_engine: Engine, inbox: Inbox) -> None:
    enqueue(web_engine, message=MESSAGE, address="shopper@example.net", session_id=None, locale="de", now=T0)
    inbox.busy = 1

    assert send_due(web_engine, inbox.settings, now=T0) == Report(retried=1)

    [row] = queued(web_engine)
    assert row.attempts == 1 and "451" in row.last_error and "shopper" not in row.last_error
    assert inbox.envelopes == []
    assert send_due(web_engine, inbox.settings, now=T0 + retry_after(1) / 2) == Report(), "not due yet"
    assert send_due(web_engine, inbox.settings, now=T0 + retry_after(1)) == Report(sent=1)
    assert [envelope.rcpt_tos for envelope in inbox.envelopes] == [["shopper@example.net"]]
    assert queued(web_engine) == []


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
def test_the_outbox_gives_up_after_the_last_attempt_and_forgets_the_address(
    web_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    nobody_listens = SmtpSettings("127.0.0.1", free_port(), sender="advice@example.org", starttls=False)
    enqueue(web_engine, message=MESSAGE, address="shopper@example.net", session_id=None, locale="de", now=T0)
    moment = T0
    for attempt in range(1, MAX_ATTEMPTS):
        assert send_due(web_engine, nobody_listens, now=moment) == Report(retried=1)
        moment += retry_after(attempt)

    assert send_due(web_engine, nobody_listens, now=moment) == Report(given_up=1)

    assert queued(web_engine) == []
    journal = capsys.readouterr().err
    assert f"given up after {MAX_ATTEMPTS} attempt(s)" in journal
    assert "shopper" not in journal


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
def test_a_recipient_the_mail_server_refuses_for_good_is_given_up_at_once(web_engine: Engine, inbox: Inbox) -> None:
    enqueue(web_engine, message=MESSAGE, address="gone@example.net", session_id=None, locale="de", now=T0)
    inbox.unknown_user = True

    assert send_due(web_engine, inbox.settings, now=T0) == Report(given_up=1)
    assert queued(web_engine) == []


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
def test_two_senders_send_a_mail_once(web_engine: Engine, inbox: Inbox) -> None:
    """What one sender claimed (it is sending) another one leaves alone, as two server processes would."""
    enqueue(web_engine, message=MESSAGE, address="shopper@example.net", session_id=None, locale="de", now=T0)
    with web_engine.begin() as connection:  # another process claimed it a moment ago and is sending it
        connection.execute(OUTBOX.update().values(attempts=1, next_attempt_at=T0 + timedelta(minutes=5)))

    assert send_due(web_engine, inbox.settings, now=T0) == Report()
    assert inbox.envelopes == []


def test_advisor_serve_sends_the_outbox_in_the_background(live_server: LiveServer, backpacks: Questionnaire) -> None:
    mail = Path(make_url(live_server.database_url).database or "").parent / "mail"  # its --mail-dry-run folder
    with httpx.Client(base_url=live_server.url, follow_redirects=True) as browser:
        response = ask_for_mail(browser, summary_page(browser, backpacks), "shopper@example.net")
    assert response.status_code == 200

    deadline = time.monotonic() + 20
    while not list(mail.glob("*.eml")) and time.monotonic() < deadline:
        time.sleep(0.1)  # the sender looks every few seconds: nothing else to wait on
    assert len(list(mail.glob("*.eml"))) == 1
    engine = make_engine(live_server.database_url)
    assert queued(engine) == []
    engine.dispose()
