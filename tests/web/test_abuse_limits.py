"""What one client or one advice session may start on the web companion, which faces the internet: confirmation
mails on the summary's mail budget, a booking's name and contact one line each, new appointments, chat requests and
lines, repair orders and empty API sessions counted per client (or session), one comment per advice and subject.
Each refusal says why in the shopper's language and keeps what they typed."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.appointments.tables import APPOINTMENT
from advisor.handoff import limits, requests
from advisor.handoff.chat import MAX_MESSAGE, messages
from advisor.insights.events import COMMENT
from advisor.questionnaire.model import Questionnaire
from advisor.web.app import create_app
from advisor.web.context import WebContext
from tests.web.conftest import BACKPACKS, csrf_of, start, walk_to_results
from tests.web.test_appointment_mail import shop, smtp  # noqa: F401 - fixtures
from tests.web.test_help_pages import order, order_count, stored_session, to_outcomes
from tests.web.test_mail_outbox import queued

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

_SLOT = re.compile(r'name="starts_at" value="([^"]+)"')


def _booking_form(client: TestClient, *, walk: Questionnaire | None = None) -> tuple[str, list[str]]:
    """A new advice (walked to its results with `walk`) at tomorrow's booking form: (its token, the free times)."""
    page = start(client)
    if walk is not None:
        walk_to_results(client, walk)
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    page = client.get(f"/advice/appointment?day={tomorrow.isoformat()}")
    return csrf_of(page.text), _SLOT.findall(page.text)


def _appointments(engine: Engine) -> list[sa.Row[tuple[str, str, str]]]:
    with engine.connect() as connection:
        return list(connection.execute(sa.select(APPOINTMENT.c.id, APPOINTMENT.c.name, APPOINTMENT.c.contact)))


def test_a_booking_sent_again_with_other_addresses_mails_no_more_than_the_summary_may(
    shop: WebContext,  # noqa: F811
    backpacks: Questionnaire,
) -> None:
    """The tester's mail spam: one advice books one time six times, each with another address. Every new address
    is kept and confirmed while the advice's mails last (3 a day, the summary's budget); then the booking still
    changes but the page says that no mail went out, and nothing more is queued."""
    with TestClient(create_app(shop)) as client:
        token, times = _booking_form(client, walk=backpacks)
        pages = [
            client.post("/advice/appointment", data={"csrf": token, "starts_at": times[5], "name": "Kim",
                                                     "contact": f"victim{i}@example.org", "consent": "yes"})
            for i in range(6)
        ]  # fmt: skip
    assert [page.status_code for page in pages] == [200] * 6
    assert [mail.address for mail in queued(shop.engine)] == [f"victim{i}@example.org" for i in range(3)]
    for page in pages[:3]:
        assert "Die Bestätigung mit dem Kalendereintrag kommt in den nächsten Minuten per E-Mail." in page.text
    for page in pages[3:]:
        assert "Termin gebucht" in page.text
        assert "Eine Bestätigung per E-Mail geht dieses Mal nicht raus" in page.text
        assert "Die Bestätigung mit dem Kalendereintrag kommt" not in page.text
    [(_id, _name, contact)] = _appointments(shop.engine)
    assert contact == "victim5@example.org", "one appointment, with the address sent last"


def test_a_long_or_two_line_name_or_contact_is_refused_at_its_field_with_what_was_typed(
    booking_client: TestClient, web: WebContext
) -> None:
    token, times = _booking_form(booking_client)
    form = {"csrf": token, "starts_at": times[0], "consent": "yes", "name": "Kim", "contact": "kim@example.org"}
    phishing = "Ihr Konto wurde gesperrt. Bitte bestaetigen Sie unter https://evil.example/login " + "X" * 40_000
    long_name = booking_client.post("/advice/appointment", data=form | {"name": phishing})
    assert long_name.status_code == 400
    assert re.search(r'<p class="error" role="alert" id="name-error">Der Name hat höchstens 200 Zeichen\.</p>',
                     long_name.text)  # fmt: skip
    assert 'id="name" name="name" maxlength="200"' in long_name.text
    two_lines = booking_client.post("/advice/appointment", data=form | {"name": "Kim\r\nBcc: victim@example.org"})
    assert two_lines.status_code == 400
    assert re.search(r'id="name-error">Bitte schreib das in eine Zeile, ohne Zeilenumbruch\.</p>', two_lines.text)
    assert "Kim\r\nBcc: victim@example.org" in two_lines.text or "Kim\nBcc: victim@example.org" in two_lines.text
    contact = booking_client.post("/advice/appointment", data=form | {"contact": "kim@example.org\r\nBcc: v@x.org"})
    assert contact.status_code == 400 and 'id="contact-error">Bitte schreib das in eine Zeile' in contact.text
    assert _appointments(web.engine) == []


def test_one_client_books_a_few_new_appointments_a_day_and_is_then_told_to_come_by(
    booking_client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    """The tester's slot flood: fresh advice after fresh advice from one address books a time, without answering
    anything. After BOOKINGS_PER_CLIENT new appointments the next is refused (429, Retry-After) with why, what to
    do instead, and the form as typed; the advice's own booking still moves, which is no new appointment."""
    booked = []
    for _ in range(limits.BOOKINGS_PER_CLIENT.limit):
        with TestClient(booking_client.app) as phone:
            token, times = _booking_form(phone)
            done = phone.post(
                "/advice/appointment",
                data={
                    "csrf": token,
                    "starts_at": times[len(booked)],
                    "name": "x",
                    "contact": "+43 660 1234567",
                    "consent": "yes",
                },
            )
            assert done.status_code == 200 and "Termin gebucht" in done.text, done.text
            booked.append(times[len(booked)])
            if len(booked) == 1:  # another time on the same advice: moved there, not a second appointment
                token = csrf_of(phone.get("/advice/appointment").text)  # (bound to the session stored now)
                moved = phone.post(
                    "/advice/appointment",
                    data={
                        "csrf": token,
                        "starts_at": times[-1],
                        "name": "x",
                        "contact": "+43 660 1234567",
                        "consent": "yes",
                    },
                )
                assert "Der Termin ist verschoben." in moved.text
    assert len(_appointments(web.engine)) == limits.BOOKINGS_PER_CLIENT.limit

    with TestClient(booking_client.app) as phone:
        token, times = _booking_form(phone)
        refused = phone.post(
            "/advice/appointment",
            data={
                "csrf": token,
                "starts_at": times[0],
                "name": "Robin",
                "contact": "robin@example.org",
                "consent": "yes",
            },
        )
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Von diesem Anschluss sind heute schon genug Termine gebucht." in refused.text
    assert "oder komm ohne Termin im Laden vorbei" in refused.text
    assert 'value="Robin"' in refused.text and 'value="robin@example.org"' in refused.text, "nothing typed lost"
    assert len(_appointments(web.engine)) == limits.BOOKINGS_PER_CLIENT.limit


def _chat(client: TestClient) -> None:
    page = start(client)
    asked = client.post("/advice/chat/start", data={"csrf": csrf_of(page.text), "consent": "yes"})
    assert asked.status_code == 200, asked.text


def test_one_client_opens_a_few_chats_an_hour_and_is_then_told_when_to_try_again(
    client: TestClient, web: WebContext
) -> None:
    for _ in range(limits.CHATS_PER_CLIENT.limit):
        with TestClient(client.app) as phone:
            _chat(phone)
    with TestClient(client.app) as phone:
        page = start(phone)
        refused = phone.post("/advice/chat/start", data={"csrf": csrf_of(page.text), "consent": "yes"})
        assert phone.get("/advice/chat").status_code == 200
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Von diesem Anschluss sind gerade genug Chats geöffnet. Bitte versuch es in" in refused.text
    assert len(requests.queue(web.engine)) == limits.CHATS_PER_CLIENT.limit, "the staff's queue is not flooded"


def test_a_chat_line_too_long_or_too_fast_is_refused_and_stays_in_its_field(
    client: TestClient, web: WebContext
) -> None:
    _chat(client)
    page = client.get("/advice/chat")
    token = csrf_of(page.text)
    long_line = "Zu lang. " + "x" * MAX_MESSAGE
    too_long = client.post("/advice/chat/send", data={"csrf": token, "message": long_line})
    assert too_long.status_code == 400
    assert "Eine Nachricht hat höchstens 1000 Zeichen. Deine steht noch im Feld" in too_long.text
    assert f'value="{long_line}"' in too_long.text, "the text typed is kept"
    request_id = requests.requests_of(web.engine, stored_session(web, client).id)[-1][0]
    assert messages(web.engine, request_id) == []

    for number in range(limits.CHAT_MESSAGES_PER_SESSION.limit):
        sent = client.post("/advice/chat/send", data={"csrf": token, "message": f"Zeile {number}"})
        assert sent.status_code == 200
    too_fast = client.post("/advice/chat/send", data={"csrf": token, "message": "Noch eine Frage"})
    assert too_fast.status_code == 429 and int(too_fast.headers["Retry-After"]) > 0
    assert "Das ging zu schnell. Deine Nachricht steht noch im Feld" in too_fast.text
    assert 'value="Noch eine Frage"' in too_fast.text
    assert len(messages(web.engine, request_id)) == limits.CHAT_MESSAGES_PER_SESSION.limit


def test_one_client_registers_a_few_repairs_a_day_and_keeps_what_it_typed_beyond(
    client: TestClient, web_engine: Engine
) -> None:
    for number in range(limits.REPAIR_ORDERS_PER_CLIENT.limit):
        with TestClient(client.app) as phone:
            page = to_outcomes(phone)
            done = order(phone, page, consent="yes", name=f"Alex {number}", email="alex@example.org")
            again = order(phone, page, consent="yes", name=f"Alex {number}", email="alex@example.org")  # a double tap
            assert done.status_code == again.status_code == 200
    assert order_count(web_engine) == limits.REPAIR_ORDERS_PER_CLIENT.limit
    with TestClient(client.app) as phone:
        page = to_outcomes(phone)
        refused = order(phone, page, consent="yes", name="Robin", email="robin@example.org")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Von diesem Anschluss sind heute schon genug Reparaturen angemeldet." in refused.text
    assert 'value="Robin"' in refused.text and 'value="robin@example.org"' in refused.text
    assert order_count(web_engine) == limits.REPAIR_ORDERS_PER_CLIENT.limit


def test_one_comment_per_advice_and_subject_and_none_about_a_contact_that_never_was(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    start(client)
    results, _ = walk_to_results(client, backpacks)
    token = csrf_of(results.text)
    for number in range(5):
        said = {"csrf": token, "grade": "1", "about": "advice", "comment": f"Kommentar {number}"}
        rated = client.post("/advice/feedback", data=said, follow_redirects=False)
        assert rated.status_code == 303
    contact = client.post("/advice/feedback", data={"csrf": token, "grade": "1", "about": "contact",
                                                    "comment": "nie gesprochen"}, follow_redirects=False)  # fmt: skip
    assert contact.status_code == 400
    with web.engine.connect() as connection:
        comments = connection.execute(sa.select(COMMENT.c.about, COMMENT.c.comment)).all()
    assert [tuple(row) for row in comments] == [("advice", "Kommentar 0")]


def test_a_contact_is_rated_after_someone_from_the_team_took_the_chat(client: TestClient, web: WebContext) -> None:
    _chat(client)
    session_id = stored_session(web, client).id
    request_id = requests.requests_of(web.engine, session_id)[-1][0]
    requests.transition(web.engine, request_id, requests.Action.CLAIM, staff="anna")
    page = client.get("/advice/chat")
    rated = client.post("/advice/feedback", data={"csrf": csrf_of(page.text), "grade": "1", "about": "contact",
                                                  "comment": "Sehr hilfreich"}, follow_redirects=False)  # fmt: skip
    assert rated.status_code == 303
    with web.engine.connect() as connection:
        assert connection.execute(sa.select(COMMENT.c.about)).scalars().all() == ["contact"]


def test_the_api_counts_sessions_created_without_answers_per_client(client: TestClient, web: WebContext) -> None:
    """The API stores a session when it creates it (its token and resume code name it); one created without an
    answer counts against the client's budget, one with its first answers does not."""
    body = {"questionnaire_id": BACKPACKS, "locale": "de"}
    for _ in range(limits.EMPTY_API_SESSIONS_PER_CLIENT.limit):
        assert client.post("/api/v1/sessions", json=body).status_code == 201
    refused = client.post("/api/v1/sessions", json=body)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.json() == {
        "detail": "too many sessions without answers from this client; send the first answers with the session"
    }
    answered = client.post("/api/v1/sessions", json=body | {"answers": {"who": "women"}})
    assert answered.status_code == 201, "a session with its first answers is not held up"
    with web.engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT count(*) FROM advice_session")).scalar_one()
    assert stored == limits.EMPTY_API_SESSIONS_PER_CLIENT.limit + 1
