"""The web companion's pages through the app (TestClient): advice, handoff to a phone, resume, summary, chat."""

from __future__ import annotations

import email
import email.policy
import json
import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from html import unescape
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from advisor.catalog.importer import import_file
from advisor.engine import first_unanswered
from advisor.handoff import chat, requests, sessions, staff
from advisor.handoff.codes import new_code, shown
from advisor.handoff.tokens import issue_token
from advisor.insights.events import record_claim
from advisor.paths import sample_catalog_dir
from advisor.questionnaire.model import Questionnaire
from advisor.web.app import CSRF_COOKIE, SESSION_COOKIE
from advisor.web.context import WebContext
from advisor.web.outbox import send_due
from tests.web.conftest import BACKPACKS, csrf_of, first_answer, links_of, start, step_of, walk_to_results

MARKUP = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def only_session(engine: Engine) -> sessions.StoredSession:
    with engine.connect() as connection:
        ids = connection.execute(sa.select(sessions.SESSION.c.id)).scalars().all()
    assert len(ids) == 1, ids
    stored = sessions.session_of(engine, ids[0])
    assert stored is not None
    return stored


def row_counts(web: WebContext) -> dict[str, int]:
    """Rows per table, once the events recorded so far are written."""
    assert web.events is not None
    web.events.flush()
    with web.engine.connect() as connection:
        tables = sa.inspect(connection).get_table_names()
        return {
            table: int(connection.execute(sa.text(f'SELECT count(*) FROM "{table}"')).scalar_one()) for table in tables
        }


def products_of(html: str) -> list[tuple[str, list[str]]]:
    """The results page's products: (name, reasons) in order, the top pick first."""
    found = []
    for chunk in re.split(r'<section class="product top-pick"|<li class="product">', html)[1:]:
        name = re.search(r'<h[23][^>]*><a href="/advice/product/[^"]+">([^<]+)</a>', chunk)
        reasons = re.search(r'<ul class="reasons"[^>]*>(.*?)</ul>', chunk, re.S)
        assert name is not None and reasons is not None, chunk
        found.append((name[1], re.findall(r"<li>([^<]+)</li>", reasons[1])))
    return found


def test_the_backpack_finder_leads_by_form_posts_to_products_with_reasons_and_the_code(
    client: TestClient, web_engine: Engine, backpacks: Questionnaire
) -> None:
    first = start(client)
    assert step_of(first.text) == backpacks.steps[0].id

    results, given = walk_to_results(client, backpacks)

    assert "<h1>Das passt zu dir</h1>" in results.text
    products = products_of(results.text)
    assert products, "no product on the results page"
    assert all(reasons for _, reasons in products), products
    stored = only_session(web_engine)
    assert f'<strong class="code" data-testid="resume-code">{shown(stored.resume_code)}</strong>' in results.text
    # "Neu beginnen" ends the advice and its code: the shopper reads that before tapping it
    assert f"Der Code {shown(stored.resume_code)} gilt danach nicht mehr." in results.text
    assert stored.position == "results"
    assert stored.origin == "web"
    assert dict(stored.answers) == given


def test_a_product_page_says_why_it_suits_the_answers_as_the_results_do(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    start(client)
    results, _given = walk_to_results(client, backpacks)
    name, reasons = products_of(results.text)[0]
    sku = re.search(r'<a href="/advice/product/([^"]+)">' + re.escape(name), results.text)
    assert sku is not None
    page = client.get(f"/advice/product/{sku[1]}")
    assert page.status_code == 200
    assert "<h2>Warum es zu dir passt</h2>" in page.text
    listed = re.search(r'<ul class="reasons">(.*?)</ul>', page.text, re.S)
    assert listed is not None and re.findall(r"<li>([^<]+)</li>", listed[1]) == reasons
    assert web.events is not None
    web.events.flush()
    with web.engine.connect() as connection:
        kinds = connection.execute(sa.text("SELECT kind FROM advice_event")).scalars().all()
    assert kinds.count("results_shown") == 1, "the product page reads the reasons; it does not log results again"

    # Into the comparison from the product page, and back on it
    assert 'aria-pressed="false">Vergleichen</button>' in page.text
    added = client.post("/advice/compare", data={"csrf": csrf_of(page.text), "sku": sku[1], "on": "1",
                                                 "back": "product"})  # fmt: skip
    assert added.url.path == f"/advice/product/{sku[1]}"
    assert 'aria-pressed="true">Vergleichen ✓</button>' in added.text
    results = client.get("/advice").text  # one product is nothing to compare yet: the results ask for another
    assert 'aria-disabled="true">Noch eins zum Vergleichen wählen</span>' in results, "the results count it"
    unknown = client.post("/advice/compare", data={"csrf": csrf_of(added.text), "sku": "NO-SUCH", "on": "1",
                                                   "back": "product"})  # fmt: skip
    assert unknown.url.path == "/advice", "no product page for a product that does not exist"
    one = client.get("/advice/compare")
    assert "Noch eins zum Vergleichen wählen" in one.text and "<table" not in one.text, "one product: no table"
    other = next(found for found in re.findall(r'<a href="/advice/product/([^"#]+)"', results) if found != sku[1])
    client.post("/advice/compare", data={"csrf": csrf_of(added.text), "sku": other, "on": "1"})
    compared = client.get("/advice/compare", params={"all": 1})
    assert '<th scope="row">Hier im Laden</th>' in compared.text, "as at the kiosk: whether it is here"
    shown_price = re.search(r'<span class="price">([^<]+)</span>', compared.text)
    on_the_page = re.search(r'<p class="price">([^<]+)</p>', page.text)
    assert shown_price is not None and on_the_page is not None and shown_price[1] == on_the_page[1]


@pytest.mark.parametrize("token", [None, "", "wrong", "other-browser", "other-session"])
def test_a_post_without_the_right_csrf_token_is_refused_and_changes_nothing(
    client: TestClient, web: WebContext, backpacks: Questionnaire, token: str | None
) -> None:
    first = start(client)
    first_step = step_of(first.text)
    assert first_step is not None
    values = first_answer(backpacks.step(first_step))
    page = client.post("/advice/answer", data={"csrf": csrf_of(first.text), "step": first_step, "value": values})
    step_id = step_of(page.text)
    assert step_id is not None
    before = only_session(web.engine)  # stored by the first answer
    rows = row_counts(web)
    session_cookie = client.cookies[SESSION_COOKIE]
    if token == "other-browser":  # a token that is valid, but for another browser's CSRF cookie
        token = web.signer.csrf_token("another-browser-nonce", session_cookie)
    if token == "other-session":  # this browser's CSRF cookie, but a page of another session
        token = web.signer.csrf_token(client.cookies[CSRF_COOKIE], web.signer.sign("another-session-id"))
    forged: list[tuple[str, dict[str, Any]]] = [
        ("/advice/answer", {"step": step_id, "value": "women"}),
        ("/start", {"questionnaire_id": BACKPACKS}),
        ("/lang", {"locale": "en"}),
        ("/resume", {"code": before.resume_code}),
        ("/advice/back", {}),
        ("/advice/goto", {"step": step_id}),
        ("/advice/critique", {}),
        ("/advice/restart", {}),
        ("/advice/summary/email", {"address": "shopper@example.org"}),
        ("/advice/chat/start", {"consent": "yes"}),
        ("/advice/chat/send", {"message": "hello"}),
        ("/advice/chat/cancel", {}),
        ("/advice/feedback", {"grade": "2", "comment": "forged"}),
    ]
    for path, data in forged:
        if token is not None:
            data = {**data, "csrf": token}
        response = client.post(path, data=data)
        assert response.status_code == 403, (path, response.status_code, response.text[:300])
        assert "Das Formular war veraltet" in response.text, path

    after = only_session(web.engine)
    assert (after.answers, after.position, after.locale, after.consent) == (before.answers, step_id, "de", False)
    assert row_counts(web) == rows
    assert not (web.mail_dry_run and web.mail_dry_run.exists())
    assert step_of(client.get("/advice").text) == step_id  # the session cookie survived the forged restart


def test_markup_in_product_texts_is_shown_as_text(
    client: TestClient, web: WebContext, backpacks: Questionnaire, tmp_path: Path
) -> None:
    records = json.loads((sample_catalog_dir() / "products.json").read_text(encoding="utf-8"))
    record = next(record for record in records if record["category"] == "backpacks")
    record.update(sku="XSS-1", name={"de": MARKUP, "en": MARKUP},
                  description={"de": '<img src=x onerror="alert(2)">', "en": "<b>bold</b>"})  # fmt: skip
    file = tmp_path / "markup.json"
    file.write_text(json.dumps([record]), encoding="utf-8")
    report = import_file(web.engine, file)
    assert not getattr(report, "rejected", None), report
    start(client)

    page = client.get("/advice/product/XSS-1")

    assert page.status_code == 200
    assert f"<h1>{ESCAPED}</h1>" in page.text
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in page.text
    assert MARKUP not in page.text and "<img src=x" not in page.text


@pytest.mark.parametrize("web_database_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)  # fmt: skip
def test_a_phone_link_opens_the_session_where_the_kiosk_left_it_once(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    answers = {"who": "women", "activity": "trekking"}
    position = first_unanswered(backpacks, answers)
    assert position == "nights"
    stored = sessions.create_session(
        web.engine, questionnaire_id=BACKPACKS, answers=answers, locale="de", position=position, kiosk_id="kiosk-1"
    )
    token = issue_token(web.engine, stored.id)

    page = client.get(f"/c/{token}")

    assert page.status_code == 200
    assert page.url.path == "/advice"
    assert [response.status_code for response in page.history] == [303]
    assert client.cookies.get(SESSION_COOKIE) == web.signer.sign(stored.id)
    assert step_of(page.text) == "nights"
    assert "Wie viele Nächte bist du am Stück unterwegs?" in page.text
    assert "Frage 3 von" in page.text
    assert shown(stored.resume_code) in page.text

    with TestClient(client.app) as second_phone:
        again = second_phone.get(f"/c/{token}")
        assert again.status_code == 410
        assert "Dieser Link wurde schon benutzt." in again.text
        assert "Ein QR-Code gilt 5 Minuten und einmal." in again.text
        assert SESSION_COOKIE not in second_phone.cookies

        unknown = second_phone.get("/c/" + "x" * 27)
        assert unknown.status_code == 404
        assert "Dieser Link ist ungültig." in unknown.text


def test_a_resume_code_opens_the_session_in_another_browser(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    start(client)
    _, given = walk_to_results(client, backpacks)
    code = only_session(web.engine).resume_code

    with TestClient(client.app) as other:
        form = other.get("/resume")
        page = other.post("/resume", data={"csrf": csrf_of(form.text), "code": " " + shown(code).lower() + " "})

        assert page.status_code == 200
        assert page.url.path == "/advice"
        assert "<h1>Das passt zu dir</h1>" in page.text
        assert shown(code) in page.text
        assert other.cookies.get(SESSION_COOKIE) == client.cookies.get(SESSION_COOKIE)
    assert dict(only_session(web.engine).answers) == given


def test_five_wrong_codes_make_the_browser_wait(client: TestClient, web: WebContext) -> None:
    stored = sessions.create_session(web.engine, questionnaire_id=BACKPACKS, answers={}, locale="de")
    form = client.get("/resume")
    token = csrf_of(form.text)
    wrong = [code for code in (new_code() for _ in range(10)) if code != stored.resume_code]

    for code in wrong[:5]:
        page = client.post("/resume", data={"csrf": token, "code": code})
        assert page.status_code == 404
        assert "Zu diesem Code gibt es keine Beratung" in page.text

    for code in (wrong[5], stored.resume_code):  # now even the right code waits
        page = client.post("/resume", data={"csrf": token, "code": code})
        assert page.status_code == 429
        assert re.search(r"Zu viele falsche Codes. Bitte in (1|2) Minuten? noch einmal.", page.text), page.text
    assert SESSION_COOKIE not in client.cookies


def test_an_empty_or_missing_code_comes_back_at_the_form_with_the_error_beside_it(client: TestClient) -> None:
    """Not a dead end: the code form again, the error tied to its field; no wrong code is counted for it."""
    token = csrf_of(client.get("/resume").text)
    for form in ({"csrf": token, "code": ""}, {"csrf": token, "code": "  "}, {"csrf": token}) * 3:
        page = client.post("/resume", data=form)

        assert page.status_code == 400, form
        assert 'action="/resume"' in page.text and "Das hat nicht geklappt" not in page.text
        field = re.search(r'<input id="code"[^>]*>', page.text)
        assert field is not None and 'aria-invalid="true"' in field[0] and 'aria-describedby="code-error"' in field[0]
        assert '<p class="error" role="alert" id="code-error">Bitte gib deinen Code ein' in page.text
    assert client.post("/resume", data={"csrf": token, "code": new_code()}).status_code == 404, "not made to wait"


def test_no_address_a_session_page_names_carries_the_session_id_or_code(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    pages = [start(client)]
    pages.append(client.get("/advice/chat"))
    results, _ = walk_to_results(client, backpacks)
    pages.append(results)
    sku = re.search(r'href="/advice/product/([^"]+)"', results.text)
    assert sku is not None
    for path in ("/advice/answers", f"/advice/product/{sku[1]}", "/advice/summary", "/", "/resume"):
        pages.append(client.get(path))
    stored = only_session(web.engine)
    secrets = {stored.id, stored.resume_code, shown(stored.resume_code), web.signer.sign(stored.id)}
    secrets |= {secret.lower() for secret in secrets}

    addresses = [link for page in pages for link in links_of(page.text)]
    addresses += [str(response.url) for page in pages for response in [*page.history, page]]
    addresses += [response.headers.get("location", "") for page in pages for response in page.history]

    assert len(addresses) > 30
    leaks = [address for address in addresses if any(secret in address for secret in secrets)]
    assert leaks == []


def test_the_language_switch_keeps_the_session_and_speaks_english(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    page = start(client)
    page = client.post(
        "/advice/answer", data={"csrf": csrf_of(page.text), "step": "who", "value": "men"}
    )  # now at the second step
    assert "Wofür brauchst du den Rucksack?" in page.text
    cookie = client.cookies.get(SESSION_COOKIE)

    page = client.post("/lang", data={"csrf": csrf_of(page.text), "locale": "en"})

    assert page.url.path == "/advice"
    assert '<html lang="en">' in page.text
    assert "What do you need the backpack for?" in page.text
    assert "Question 2 of" in page.text and "Your code:" in page.text
    assert client.cookies.get(SESSION_COOKIE) == cookie
    stored = only_session(web.engine)
    assert (stored.locale, dict(stored.answers), stored.position) == ("en", {"who": "men"}, "activity")

    page = client.post("/lang", data={"csrf": csrf_of(page.text), "locale": "de"})
    assert "Wofür brauchst du den Rucksack?" in page.text


_BACK = re.compile(r'<input type="hidden" name="back" value="([^"]*)">')


def _switch(client: TestClient, page: httpx.Response, locale: str) -> httpx.Response:
    """Press the language button of a page (its form as the page has it)."""
    back = _BACK.search(page.text)
    assert back is not None, "the language form says which page it is on"
    switched: httpx.Response = client.post(
        "/lang", data={"csrf": csrf_of(page.text), "locale": locale, "back": unescape(back[1])}
    )
    return switched


def test_the_language_button_stays_on_the_page_it_was_pressed_on(client: TestClient, backpacks: Questionnaire) -> None:
    """Product, comparison, summary, chat, the code and repair forms: the same page in the other language, a GET
    form's words kept; never an address of another site."""
    assert _switch(client, client.get("/resume"), "en").url.path == "/resume"
    repair = _switch(client, client.get("/repair?code=ab12-cd34"), "de")
    assert repair.url.path == "/repair" and 'value="ab12-cd34"' in repair.text and '<html lang="de">' in repair.text
    start(client)
    results, _ = walk_to_results(client, backpacks)
    sku = re.findall(r'href="/advice/product/([^"#]+)"', results.text)[0]
    for path in (f"/advice/product/{sku}", "/advice/compare", "/advice/summary", "/advice/chat", "/advice/answers"):
        page = client.get(path)
        locale = "en" if '<html lang="de">' in page.text else "de"
        switched = _switch(client, page, locale)
        assert switched.url.path == path and f'<html lang="{locale}">' in switched.text, (path, switched.url)
    refused = client.post("/advice/summary/email", data={"csrf": csrf_of(results.text), "address": "x at y"})
    assert _switch(client, refused, "de").url.path == "/advice/summary", "a refused form's page, not its post"
    for elsewhere in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        page = client.post("/lang", data={"csrf": csrf_of(results.text), "locale": "en", "back": elsewhere})
        assert page.url.host == "testserver" and page.url.path == "/advice", elsewhere


def _mail_text(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    parts = [message] if not message.is_multipart() else list(message.walk())
    return "\n".join(str(part.get_content()) for part in parts if part.get_content_maintype() == "text")


def test_the_summary_shows_the_advice_and_mails_it_without_keeping_the_address(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    start(client)
    results, _ = walk_to_results(client, backpacks)
    names = [name for name, _ in products_of(results.text)]
    code = shown(only_session(web.engine).resume_code)

    summary = client.get("/advice/summary")

    assert summary.status_code == 200
    assert "Für wen ist der Rucksack?" in summary.text and "Eine Frau" in summary.text  # an answer
    assert all(name in summary.text for name in names)
    assert f"<strong>{code}</strong>" in summary.text
    address = "shopper.privacy-check@example.org"

    sent = client.post("/advice/summary/email", data={"csrf": csrf_of(summary.text), "address": address})

    assert sent.status_code == 200
    assert sent.url.path == "/advice/summary" and sent.url.params.get("sent") == "1"
    assert "Wir senden die E-Mail in den nächsten Minuten." in sent.text
    assert web.mail_dry_run is not None
    assert send_due(web.engine, None, dry_run=web.mail_dry_run).sent == 1  # what `advisor serve` does in the background
    mails = list(web.mail_dry_run.glob("*.eml"))
    assert len(mails) == 1
    body = _mail_text(mails[0])
    assert all(name in body for name in names), body
    assert code in body
    assert address in mails[0].read_text(encoding="utf-8", errors="replace")  # in the To: header, of course
    with web.engine.connect() as connection:
        rows = connection.execute(sa.select(sessions.SESSION)).all()
        assert len(rows) == 1
        assert address not in repr(tuple(rows[0]))
        for table in sa.inspect(connection).get_table_names():  # nor anywhere else
            dump = repr(connection.execute(sa.text(f'SELECT * FROM "{table}"')).all())
            assert "privacy-check" not in dump, table


def test_an_amount_keeps_its_euro_sign_and_the_mailed_code_stays_on_one_line(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    """On a phone "80 € teurer" never breaks into "80" / "€ teurer" (a no-break space), and the code in the mail
    never into "5M8N-" / "ZQPN" (the mail has no stylesheet: its style is on the code)."""
    start(client)
    results = client.get("/advice")
    while (step_id := step_of(results.text)) is not None:  # the first answers, but not to share: prices differ
        step = backpacks.step(step_id)
        values = ["no"] if step.kind == "yes_no" else first_answer(step)
        results = client.post("/advice/answer", data={"csrf": csrf_of(results.text), "step": step_id, "value": values})
    versus = re.findall(r'<p class="versus">([^<]*)</p>', results.text)
    assert any("\u00a0€" in line for line in versus), versus
    assert not any(" €" in line for line in versus), versus
    code = shown(only_session(web.engine).resume_code)
    summary = client.get("/advice/summary")
    assert re.search(r"\d\u00a0€</h3>", summary.text), "the summary's prices too"

    client.post("/advice/summary/email", data={"csrf": csrf_of(summary.text), "address": "kim@example.org"})

    assert web.mail_dry_run is not None
    assert send_due(web.engine, None, dry_run=web.mail_dry_run).sent == 1
    [mail] = web.mail_dry_run.glob("*.eml")
    mailed = _mail_text(mail)
    assert '<p class="code">' in mailed and f"<strong>{code}</strong>" in mailed
    assert "<style>.code strong { white-space: nowrap; }</style>" in mailed


def test_the_chat_says_when_nobody_is_there(client: TestClient, web: WebContext) -> None:
    start(client)

    page = client.get("/advice/chat")

    assert page.status_code == 200
    assert "Gerade ist niemand im Chat." in page.text
    assert 'action="/advice/chat/start"' not in page.text
    assert "/advice/appointment" not in page.text, "this store books no appointments"


def test_with_nobody_in_the_chat_the_page_names_the_code_the_summary_and_when_the_team_is_back(
    web: WebContext, backpacks: Questionnaire
) -> None:
    """The store is closed today and opens tomorrow at nine: the phone is told so, with its code and summary."""
    import dataclasses
    from datetime import UTC, datetime

    from advisor.web.app import create_app

    weekday = datetime.now(UTC).astimezone(web.config.store.zone).weekday()
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    hours = {day: "closed" for day in days} | {days[(weekday + 1) % 7]: "09:00-18:00"}
    store = web.config.store.model_copy(
        update={"opening_hours": web.config.store.opening_hours.model_copy(update=hours)}
    )
    closed = dataclasses.replace(web, config=web.config.model_copy(update={"store": store}))
    with TestClient(create_app(closed)) as client:
        start(client)
        walk_to_results(client, backpacks)
        code = shown(only_session(web.engine).resume_code)
        page = client.get("/advice/chat")
        assert "Gerade ist niemand im Chat. Unser Team ist morgen ab 09:00 Uhr wieder für dich da." in page.text
        assert f"Zeig im Laden deinen Code {code}" in page.text
        assert 'href="/advice/summary"' in page.text
        english = client.post("/lang", data={"csrf": csrf_of(page.text), "locale": "en", "back": "/advice/chat"})
        assert "Nobody is in the chat right now. Our team is back tomorrow at 09:00." in english.text
        assert "helps you on" not in english.text


def test_a_chat_nobody_answers_says_so_and_ends_when_its_time_is_up(client: TestClient, web: WebContext) -> None:
    """Mara signs out while a shopper waits: the chat says nobody is there now (the request still waits). Nobody
    claims it within the store's time for a request: the shopper is told so at the next look, not left waiting."""
    staff.set_pin(web.engine, "Mara", "4711")
    staff.report_presence(web.engine, "Mara")
    start(client)
    page = client.get("/advice/chat")
    client.post("/advice/chat/start", data={"csrf": csrf_of(page.text), "consent": "yes"})
    [(request_id, _, _)] = requests.requests_of(web.engine, only_session(web.engine).id)
    assert "Du bist Nummer 1" in unescape(client.get("/advice/chat/live").text)
    staff.sign_out(web.engine, "Mara")
    live = unescape(client.get("/advice/chat/live").text)
    assert "Gerade ist niemand aus dem Team im Chat. Deine Anfrage wartet, bis jemand kommt" in live
    assert requests.state_of(web.engine, request_id) == requests.State.REQUESTED
    minutes = web.config.privacy.unclaimed_request_minutes
    with web.engine.begin() as connection:  # asked longer ago than the store waits for a claim
        connection.execute(
            sa.text("UPDATE handoff_request SET requested_at = :at WHERE id = :id"),
            {"at": datetime.now(UTC) - timedelta(minutes=minutes + 1), "id": request_id},
        )
    live = unescape(client.get("/advice/chat/live").text)
    assert "Leider konnte in der Zeit niemand aus dem Team antworten – das tut uns leid." in live
    assert 'http-equiv="refresh"' not in live and requests.state_of(web.engine, request_id) == requests.State.EXPIRED
    after = unescape(client.get("/advice/chat").text)
    assert (
        "Leider konnte in der Zeit niemand aus dem Team antworten" in after and "Gerade ist niemand im Chat." in after
    )


def test_a_chat_needs_consent_and_carries_messages_both_ways(client: TestClient, web: WebContext) -> None:
    staff.set_pin(web.engine, "Mara", "4711")
    staff.report_presence(web.engine, "Mara")
    start(client)  # and straight to the staff, before any answer
    page = client.get("/advice/chat")
    assert 'name="consent" value="yes"' in page.text

    refused = client.post("/advice/chat/start", data={"csrf": csrf_of(page.text)})

    assert refused.status_code == 400
    assert "Ohne dein Einverständnis geht nichts an das Team." in refused.text
    assert row_counts(web)["advice_session"] == row_counts(web)["handoff_request"] == 0

    waiting = client.post("/advice/chat/start", data={"csrf": csrf_of(page.text), "consent": "yes"})

    assert waiting.url.path == "/advice/chat"
    session_id = only_session(web.engine).id  # stored now: the staff see it
    [(request_id, state, claimed_by)] = requests.requests_of(web.engine, session_id)
    assert (state, claimed_by) == ("requested", None)
    assert only_session(web.engine).consent is True
    # The chat lines live in a frame that reloads itself; the page around it (with the text box) stays put.
    assert 'src="/advice/chat/live"' in waiting.text and 'http-equiv="refresh"' not in waiting.text
    live = client.get("/advice/chat/live")
    assert 'data-testid="queue"' in live.text and 'http-equiv="refresh"' in live.text

    assert requests.claim(web.engine, request_id, staff="Mara", in_transaction=record_claim)
    chat.post_message(web.engine, request_id, sender="staff", author="Mara", text="Hallo! Wobei darf ich helfen?")

    chat_page = client.get("/advice/chat")
    live = client.get("/advice/chat/live")

    assert "Hallo! Wobei darf ich helfen?" in live.text
    assert "Mara" in live.text

    client.post(
        "/advice/chat/send", data={"csrf": csrf_of(chat_page.text), "message": "Ein Rucksack <b>für</b> Touren"}
    )

    lines = chat.messages(web.engine, request_id)
    assert [(line.sender, line.text) for line in lines] == [
        ("staff", "Hallo! Wobei darf ich helfen?"),
        ("shopper", "Ein Rucksack <b>für</b> Touren"),
    ]
    assert "Ein Rucksack &lt;b&gt;für&lt;/b&gt; Touren" in client.get("/advice/chat/live").text
    requests.transition(web.engine, request_id, requests.Action.CLOSE)
    ended = client.get("/advice/chat/live")
    assert "Die Anfrage ist beendet." in ended.text and 'http-equiv="refresh"' not in ended.text
    after = client.get("/advice/chat")
    assert 'name="about" value="contact"' in after.text  # how was the contact with Mara?
    rated = client.post(
        "/advice/feedback", data={"csrf": csrf_of(after.text), "about": "contact", "grade": "1", "comment": ""}
    )
    assert rated.url.path == "/advice/chat" and "Danke für die Rückmeldung!" in rated.text
    assert web.events is not None
    web.events.flush()
    with web.engine.connect() as connection:
        kinds = connection.execute(sa.text("SELECT kind, value, number FROM advice_event")).all()
    assert [(kind, number) for kind, value, number in kinds if kind == "feedback" and "contact" in str(value)] == [
        ("feedback", 1.0)
    ]
    assert CSRF_COOKIE in client.cookies


def test_a_session_whose_questionnaire_is_withdrawn_starts_over_politely(client: TestClient, web: WebContext) -> None:
    start(client)
    offered = dict(web.questionnaires())
    web.questionnaires = lambda: {key: value for key, value in offered.items() if key != BACKPACKS}
    page = client.get("/advice")
    assert page.status_code == 200 and page.url.path == "/"
    assert "abgelaufen" in page.text  # "this advice has expired or was ended": never a server error


def test_a_number_question_steps_with_minus_and_plus_in_whole_numbers(client: TestClient) -> None:
    page = start(client, "tent-finder")
    answers = {"region": "rough", "trip": "trekking", "frequency": "regularly"}
    while (step := step_of(page.text)) in answers:
        page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": step, "value": answers[step]})
    assert step_of(page.text) == "persons"
    assert 'value="2"' in page.text and "2.0" not in page.text and "1 bis 6 Personen" in page.text
    page = client.post(
        "/advice/answer", data={"csrf": csrf_of(page.text), "step": "persons", "value": "2", "nudge": "1"}
    )
    assert step_of(page.text) == "persons" and 'value="3"' in page.text, "+ shows the next number, answers nothing"
    page = client.post(
        "/advice/answer", data={"csrf": csrf_of(page.text), "step": "persons", "value": "6", "nudge": "1"}
    )
    assert 'value="6"' in page.text, "never past the end of the range"
    page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": "persons", "value": "3"})
    assert step_of(page.text) != "persons"


def test_one_tap_answers_a_single_choice_and_doesnt_matter_beats_a_filled_number(client: TestClient) -> None:
    page = start(client, "tent-finder")
    assert 'type="radio"' not in page.text and 'class="option' in page.text  # each option is a submit button
    page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": "region", "value": "rough"})
    assert step_of(page.text) == "trip"
    page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": "trip", "value": "trekking"})
    page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": "frequency", "value": "regularly"})
    if "dont_care" in page.text:  # the number field goes along with the "doesn't matter" button
        page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": "persons",
                                                   "value": ["2", "dont_care"]})  # fmt: skip
        assert step_of(page.text) != "persons"


def test_the_rain_jacket_results_name_the_size_to_try_on_the_phone(client: TestClient, web: WebContext) -> None:
    """Measurements answered on the last two questions: each jacket on the results says the size to try (the same
    words as the kiosk), with whether the store has it."""
    from advisor.rendering.facts import size_text

    finder = web.questionnaires()["rain-jacket-finder"]
    start(client, finder.id)
    page, given = walk_to_results(client, finder)
    assert given["chest_cm"] is not None and given["body_height"] is not None
    opened = web.open(only_session(web.engine).id)
    assert opened is not None
    advice = opened.session
    sizes = [size_text(found, "de", advice.address) for item in advice.recommendation().products
             if (found := advice.size_advice(item.sku)) is not None]  # fmt: skip
    assert sizes and all(f'<p class="size">{words}</p>' in page.text for words in sizes)


def test_a_missing_page_speaks_the_language_of_the_advice_the_phone_continues(
    client: TestClient, web: WebContext
) -> None:
    """A German phone continuing an English kiosk advice: its pages are English, and so is its 404."""
    stored = sessions.create_session(web.engine, questionnaire_id=BACKPACKS, answers={"who": "women"}, locale="en",
                                     position="activity", kiosk_id="kiosk-1")  # fmt: skip
    german = {"accept-language": "de-DE,de;q=0.9"}
    advice = client.get(f"/c/{issue_token(web.engine, stored.id)}", headers=german)
    assert '<html lang="en">' in advice.text
    missing = client.get("/advice/product/NO-SUCH-THING", headers=german)
    assert missing.status_code == 404
    assert '<html lang="en">' in missing.text and "This page does not exist." in missing.text
    with TestClient(client.app) as stranger:  # no advice: the browser's language
        nowhere = stranger.get("/nowhere", headers=german)
        assert nowhere.status_code == 404 and "Diese Seite gibt es nicht." in nowhere.text


def test_a_wish_dropped_on_the_phone_is_named_on_the_results_and_kept_on_the_answers_page(client: TestClient) -> None:
    """Four people, ultralight, high mountains: nothing fits; the shopper drops a wish. The results say what was given
    up and the answers page keeps the answer given, marked, as the kiosk and the take-away do."""
    impossible = {"region": ["alpine"], "frequency": ["often"], "persons": ["4"], "extra_space": ["no"],
                  "body_height": ["190"], "weight_importance": ["ultralight"], "extras": ["two_entrances"],
                  "trip": ["trekking"]}  # fmt: skip
    page = start(client, "tent-finder")
    for _ in range(12):
        step_id = step_of(page.text)
        if step_id is None:
            break
        page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": step_id,
                                                   "value": impossible[step_id]})  # fmt: skip
    assert 'action="/advice/relax"' in page.text, "nothing fits: wishes to drop are offered"
    drops = re.findall(r'<input type="hidden" name="drop" value="([^"]+)">', page.text)
    assert any(key.startswith("persons") for key in drops)
    offer = next(
        form for form in re.findall(r'<form method="post" action="/advice/relax">(.*?)</form>', page.text, re.S)
        if 'value="persons' in form
    )  # fmt: skip
    dropped = re.findall(r'name="drop" value="([^"]+)"', offer)
    results = client.post("/advice/relax", data={"csrf": csrf_of(page.text), "drop": dropped})
    assert results.status_code == 200
    assert "Darauf hast du verzichtet: " in unescape(results.text) and "4\u00a0Personen" in unescape(results.text)
    answers = unescape(client.get("/advice/answers").text)
    assert "4\u00a0Personen – verzichtet, damit etwas passt" in answers
    question = client.post("/advice/goto", data={"csrf": csrf_of(results.text), "step": "persons"})
    assert step_of(question.text) == "persons"
    assert '<p class="hint dropped">Verzichtet, damit etwas passt: 4\u00a0Personen</p>' in unescape(question.text)
