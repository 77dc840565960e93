"""The web companion on the internet: security headers on every response, cookies and CSRF tokens bound to the
session, sessions that end (start over, expiry, idle), bounded storage and input that never makes a 500."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.engine import Engine

from advisor.catalog.images import imported_images_dir
from advisor.db import make_engine
from advisor.handoff import chat, requests, sessions, staff
from advisor.handoff.tokens import issue_token
from advisor.paths import sample_catalog_dir
from advisor.questionnaire.model import Questionnaire
from advisor.web.app import CSRF_COOKIE, MAX_BODY_BYTES, SESSION_COOKIE, create_app
from advisor.web.context import WebContext
from advisor.web.security import CONTENT_SECURITY_POLICY, DOCS_CONTENT_SECURITY_POLICY
from tests.web.conftest import (
    BACKPACKS,
    LiveServer,
    csrf_of,
    first_answer,
    open_phone_link,
    start,
    step_of,
    walk_to_results,
)
from tests.web.test_browser import answer_by_clicking

API = "/api/v1"
FIRST = {"who": "women", "activity": "day_hike"}  # the next step is "load", a number from 2 to 30
BOTH_DATABASES = pytest.mark.parametrize(
    "web_database_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
TEMPLATES = Path(__file__).resolve().parents[2] / "advisor" / "rendering" / "templates"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def session_ids(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(sa.select(sessions.SESSION.c.id)).scalars())


def stored(engine: Engine, session_id: str) -> sessions.StoredSession:
    found = sessions.session_of(engine, session_id)
    assert found is not None
    return found


def expire(engine: Engine, session_id: str) -> None:
    """The session's retention has passed (as if two weeks went by)."""
    with engine.begin() as connection:
        connection.execute(
            sessions.SESSION.update()
            .where(sessions.SESSION.c.id == session_id)
            .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )


def answered_first(client: TestClient, backpacks: Questionnaire) -> httpx.Response:
    """Start in the browser and answer the first question (which stores the session); the next question's page."""
    page = start(client)
    step_id = step_of(page.text)
    assert step_id is not None
    values = first_answer(backpacks.step(step_id))
    following: httpx.Response = client.post(
        "/advice/answer", data={"csrf": csrf_of(page.text), "step": step_id, "value": values}
    )
    assert following.status_code == 200 and step_of(following.text) not in (None, step_id), following.text
    return following


def api_session(client: TestClient, answers: dict[str, Any] | None = None) -> dict[str, Any]:
    response = client.post(f"{API}/sessions", json={"questionnaire_id": BACKPACKS, "answers": answers or {}})
    assert response.status_code == 201, response.text
    return dict(response.json())


def with_web_config(web: WebContext, **changes: Any) -> None:
    web.config = web.config.model_copy(update={"web": web.config.web.model_copy(update=changes)})


# -- security headers ---------------------------------------------------------------------------------------------


def assert_hardened(response: httpx.Response, *, shared_file: bool = False) -> None:
    """The headers every response carries; `shared_file`: a static file or picture, which may be cached."""
    what = f"{response.request.method} {response.request.url.path} -> {response.status_code}"
    headers = response.headers
    assert headers.get("content-security-policy") == CONTENT_SECURITY_POLICY, what
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("referrer-policy") == "no-referrer", what
    assert headers.get("x-frame-options") == "SAMEORIGIN", what
    assert "strict-transport-security" not in headers, what  # http: a browser would ignore it, and rightly so
    if shared_file:
        assert "no-store" not in headers.get("cache-control", ""), what
    else:
        assert headers.get("cache-control") == "no-store", what


def test_the_content_security_policy_allows_only_own_script_files_and_no_framing_by_other_sites() -> None:
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["default-src"] == "'none'"
    # Script only from this server's files (the chat page's chat.js), which reads only from this server.
    assert directives["script-src"] == "'self'" and directives["connect-src"] == "'self'"
    assert directives["frame-ancestors"] == "'self'"
    assert directives["style-src"] == "'self'"  # the stylesheet file; no inline style anywhere
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "'unsafe-eval'" not in CONTENT_SECURITY_POLICY


def test_no_page_template_has_inline_script_style_or_event_handlers() -> None:
    templates = [*sorted((TEMPLATES / "web").glob("*.html")), TEMPLATES / "summary" / "_body.html"]
    assert len(templates) > 10
    for template in templates:
        html = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), template.name  # a script only from a file
        assert not re.search(r"<style\b|\sstyle\s*=", html, re.IGNORECASE), template.name
        assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE), template.name


def test_every_response_carries_the_security_headers(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    picture = next((sample_catalog_dir() / "images").glob("*.svg")).name
    home = client.get("/")
    assert_hardened(home)
    started = client.post("/start", data={"csrf": csrf_of(home.text), "questionnaire_id": BACKPACKS},
                          follow_redirects=False)  # fmt: skip
    assert started.status_code == 303
    assert_hardened(started)
    assert_hardened(client.get("/advice"))
    assert_hardened(client.get("/static/style.css"), shared_file=True)
    assert client.get(f"/images/{picture}").headers["cache-control"] == "public, max-age=86400"
    assert_hardened(client.get(f"/images/{picture}"), shared_file=True)
    too_big = b"{" * (MAX_BODY_BYTES + 1)
    expected = [
        (client.get("/images/no-such-picture.svg"), 404),  # an error under /images is not cached
        (client.get("/static/no-such-file.css"), 404),
        (client.get("/no-such-page"), 404),
        (client.get("/healthz"), 200),
        (client.get(f"{API}/questionnaires"), 200),
        (client.get(f"{API}/session"), 401),
        (client.post(f"{API}/sessions", json={"questionnaire_id": 7}), 422),
        (client.post(f"{API}/sessions", content=too_big, headers={"content-type": "application/json"}), 413),
        (client.post("/advice/answer", data={"value": "x" * MAX_BODY_BYTES}), 413),
        (client.post("/advice/answer", data={"value": "\x00"}), 422),
        (client.get("/advice/summary", follow_redirects=False), 303),  # nothing answered yet: to the question
        (client.get("/api/docs"), 404),  # off
    ]
    for response, status in expected:
        assert response.status_code == status, (response.request.url, response.status_code)
        assert_hardened(response)
    with TestClient(client.app, follow_redirects=False) as stranger:
        expired = stranger.get("/advice")
        assert (expired.status_code, expired.headers["location"]) == (303, "/?expired=1")
        assert_hardened(expired)

    def broken() -> Any:
        raise RuntimeError("the questionnaires cannot be read")

    web.questionnaires = broken
    with TestClient(client.app, raise_server_exceptions=False) as unlucky:
        failed = unlucky.get("/")
        assert failed.status_code == 500  # Starlette's own error response, outside every other layer
        assert_hardened(failed)


def test_over_https_cookies_are_host_only_and_secure_and_hsts_is_sent(
    web: WebContext, backpacks: Questionnaire
) -> None:
    with_web_config(web, public_base_url="https://advice.example.com")
    with TestClient(create_app(web), base_url="https://testserver") as client:
        home = client.get("/")
        assert home.headers["strict-transport-security"] == "max-age=31536000"
        started = client.post("/start", data={"csrf": csrf_of(home.text), "questionnaire_id": BACKPACKS},
                              follow_redirects=False)  # fmt: skip
        set_cookies = [*home.headers.get_list("set-cookie"), *started.headers.get_list("set-cookie")]
        names = sorted(cookie.split("=", 1)[0] for cookie in set_cookies)
        assert names == [f"__Host-{CSRF_COOKIE}", f"__Host-{SESSION_COOKIE}"]
        for cookie in set_cookies:
            attributes = [part.strip().lower() for part in cookie.split(";")[1:]]
            assert "secure" in attributes and "path=/" in attributes and "httponly" in attributes, cookie
            assert not any(part.startswith("domain") for part in attributes), cookie

        page = answered_first(client, backpacks)  # the browser sends the prefixed cookies back: the walk goes on

        assert session_ids(web.engine)
        restarted = client.post("/advice/restart", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
        [cleared] = restarted.headers.get_list("set-cookie")
        assert cleared.startswith(f"__Host-{SESSION_COOKIE}=") and "secure" in cleared.lower()
        assert "max-age=0" in cleared.lower()


def test_the_api_docs_are_off_unless_configured_and_then_pinned(web: WebContext) -> None:
    with TestClient(create_app(web)) as client:
        assert client.get("/api/docs").status_code == 404
        assert client.get("/api/openapi.json").status_code == 404
        assert client.post(f"{API}/sessions", json={"questionnaire_id": BACKPACKS}).status_code == 201  # the API works

    with_web_config(web, api_docs=True)
    with TestClient(create_app(web)) as client:
        docs = client.get("/api/docs")
        assert docs.status_code == 200
        assert client.get("/api/openapi.json").json()["info"]["title"] == "Nordgrat advice API"
    assert docs.headers["content-security-policy"] == DOCS_CONTENT_SECURITY_POLICY
    scripts = re.findall(r"<script[^>]*>", docs.text)
    assert scripts and all("src=" in tag for tag in scripts)  # no inline script, even here
    remote = re.findall(r'<(?:script|link)[^>]*(?:src|href)="https://[^"]*"[^>]*>', docs.text)
    assert len(remote) == 2
    for tag in remote:
        assert re.search(r'integrity="sha384-[A-Za-z0-9+/=]{64}"', tag) and 'crossorigin="anonymous"' in tag, tag
        assert "swagger-ui-dist@5." in tag and "@5/" not in tag, tag  # an exact version, not "the latest 5"


# -- sessions that end --------------------------------------------------------------------------------------------


@BOTH_DATABASES
def test_an_expired_session_is_refused_on_every_api_call_and_page(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    created = api_session(client, FIRST)
    token = created["token"]
    session_id = web.signer.unsign(token, "api")
    assert session_id is not None
    link = client.post(f"{API}/session/phone-link", headers=bearer(token)).json()["url"]
    expire(web.engine, session_id)

    calls: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", "/session", None), ("PUT", "/session/answers", {"answers": {"load": 8}}),
        ("POST", "/session/critiques", {"key": "x"}), ("DELETE", "/session/critiques", None),
        ("POST", "/session/relaxations", {"keys": []}), ("POST", "/session/viewed", {"sku": "x"}),
        ("PUT", "/session/compared", {"skus": []}), ("GET", "/session/recommendation", None),
        ("POST", "/session/phone-link", None),
    ]  # fmt: skip
    for method, path, body in calls:
        response = client.request(method, f"{API}{path}", headers=bearer(token), json=body)
        assert response.status_code == 401, (method, path, response.text)
    assert client.post(f"{API}/sessions/resume", json={"code": created["resume_code"]}).status_code == 404
    assert client.get("/c/" + link.rpartition("/c/")[2]).status_code == 410

    with TestClient(client.app, follow_redirects=False) as browser:
        browser.cookies.set(SESSION_COOKIE, web.signer.sign(session_id))
        csrf = csrf_of(browser.get("/").text)  # a valid form token for this browser and this (expired) session
        pages = ["/advice", "/advice/answers", "/advice/compare", "/advice/summary", "/advice/chat",
                 "/advice/chat/live", "/advice/code.svg", "/advice/product/NG-PACK-0001"]  # fmt: skip
        for path in pages:
            response = browser.get(path)
            assert (response.status_code, response.headers.get("location")) == (303, "/?expired=1"), path
        posts: list[tuple[str, dict[str, Any]]] = [
            ("/advice/answer", {"step": "load", "value": "8"}), ("/advice/back", {}), ("/advice/goto", {"step": "who"}),
            ("/advice/critique", {}), ("/advice/compare", {"sku": "x"}), ("/advice/relax", {}),
            ("/advice/chat/start", {"consent": "yes"}), ("/advice/chat/send", {"message": "hallo"}),
            ("/advice/chat/cancel", {}), ("/advice/feedback", {"grade": "1"}),
            ("/advice/summary/email", {"address": "shopper@example.org"}),
        ]  # fmt: skip
        for path, data in posts:
            response = browser.post(path, data={**data, "csrf": csrf})
            assert (response.status_code, response.headers.get("location")) == (303, "/?expired=1"), path
    assert stored(web.engine, session_id).answers == FIRST  # nothing reached it


def test_a_form_token_of_one_session_is_refused_for_another(client: TestClient, web: WebContext,
                                                            backpacks: Questionnaire) -> None:  # fmt: skip
    page_a = answered_first(client, backpacks)
    [session_a] = session_ids(web.engine)
    step_a = step_of(page_a.text)
    assert step_a is not None
    home = client.get("/")
    client.post("/start", data={"csrf": csrf_of(home.text), "questionnaire_id": "tent-finder"})  # session B

    forged = client.post("/advice/answer", data={"csrf": csrf_of(page_a.text), "step": step_a, "value": "8"})

    assert forged.status_code == 403
    assert "Das Formular war veraltet" in forged.text
    assert session_ids(web.engine) == [session_a]  # B got no answer (so no row), A no change
    assert step_of(client.get("/advice").text) == "region"  # B's first question, still unanswered


@BOTH_DATABASES
def test_start_over_ends_the_old_session_for_every_device(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    page = answered_first(client, backpacks)
    [session_id] = session_ids(web.engine)
    cookie = client.cookies[SESSION_COOKIE]
    code = stored(web.engine, session_id).resume_code
    phone_token = issue_token(web.engine, session_id)

    restarted = client.post("/advice/restart", data={"csrf": csrf_of(page.text)}, follow_redirects=False)

    assert (restarted.status_code, restarted.headers["location"]) == (303, "/")
    assert SESSION_COOKIE not in client.cookies
    assert stored(web.engine, session_id).expires_at <= datetime.now(UTC)  # the purge deletes it
    with TestClient(client.app, follow_redirects=False) as old_cookie:
        old_cookie.cookies.set(SESSION_COOKIE, cookie)
        assert old_cookie.get("/advice").headers["location"] == "/?expired=1"
        assert old_cookie.get(f"/c/{phone_token}").status_code == 410
        assert old_cookie.post(f"{API}/sessions/resume", json={"code": code}).status_code == 404
        api = old_cookie.get(f"{API}/session", headers=bearer(web.signer.sign(session_id, "api")))
        assert api.status_code == 401
    assert sessions.purge_expired_sessions(web.engine) == 1


# -- bounded storage ------------------------------------------------------------------------------------------------


def test_a_visit_that_answers_nothing_leaves_no_row(client: TestClient, web: WebContext,
                                                    backpacks: Questionnaire) -> None:  # fmt: skip
    page = start(client)
    client.post("/lang", data={"csrf": csrf_of(page.text), "locale": "en"})
    english = client.get("/advice")
    assert "Who is the backpack for?" in english.text  # the language is kept, in the cookie
    for path in ("/advice/answers", "/advice/chat", "/advice/compare", "/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/advice/summary").url.path == "/advice"  # a summary needs an answer first
    back = client.post("/advice/back", data={"csrf": csrf_of(english.text)})
    assert back.url.path == "/"
    assert session_ids(web.engine) == []

    answered_first(client, backpacks)

    [session_id] = session_ids(web.engine)
    row = stored(web.engine, session_id)
    assert (row.origin, row.locale, list(row.answers)) == ("web", "en", ["who"])
    assert client.cookies[SESSION_COOKIE] == web.signer.sign(session_id)


@BOTH_DATABASES
def test_refused_answers_to_the_api_leave_no_row(client: TestClient, web: WebContext) -> None:
    for answers in ({"who": "dragon"}, {"load": 10**400}, {"colour": "red"}):
        response = client.post(f"{API}/sessions", json={"questionnaire_id": BACKPACKS, "answers": answers})
        assert response.status_code == 422, response.text
    assert client.post(f"{API}/sessions", json={"questionnaire_id": "no-such-thing"}).status_code == 404
    assert session_ids(web.engine) == []
    api_session(client, FIRST)
    assert len(session_ids(web.engine)) == 1


def test_an_untouched_web_session_ends_hours_after_its_last_change_one_with_results_or_consent_is_kept(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    idle = timedelta(hours=web.config.privacy.web_session_idle_hours)
    retention = timedelta(days=web.config.privacy.session_retention_days)
    assert idle <= timedelta(hours=24)
    answered_first(client, backpacks)
    [untouched] = session_ids(web.engine)
    with TestClient(client.app) as finished_browser:
        start(finished_browser)
        walk_to_results(finished_browser, backpacks)
    with TestClient(client.app) as asking_browser:  # asks for staff before answering anything
        start(asking_browser)
        chat_page = asking_browser.get("/advice/chat")
        asking_browser.post("/advice/chat/start", data={"csrf": csrf_of(chat_page.text), "consent": "yes"})
    kept = [session_id for session_id in session_ids(web.engine) if session_id != untouched]
    assert len(kept) == 2
    now = datetime.now(UTC)

    assert now + idle - timedelta(minutes=1) < stored(web.engine, untouched).expires_at <= now + idle
    for session_id in kept:
        row = stored(web.engine, session_id)
        assert row.expires_at > now + retention - timedelta(minutes=1), row

    assert sessions.purge_expired_sessions(web.engine, now=now + idle + timedelta(minutes=1)) == 1  # the hourly purge
    assert sorted(session_ids(web.engine)) == sorted(kept)


def test_a_session_has_at_most_three_live_phone_links(client: TestClient, web: WebContext) -> None:
    token = api_session(client, FIRST)["token"]
    links = [client.post(f"{API}/session/phone-link", headers=bearer(token)).json()["url"] for _ in range(10)]
    with web.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM phone_token")).scalar_one() == 3
    with TestClient(client.app) as phone:
        assert phone.get("/c/" + links[0].rpartition("/c/")[2]).status_code == 404  # revoked by a newer one
        assert phone.get("/c/" + links[-1].rpartition("/c/")[2]).status_code == 200


# -- input that never makes a 500 -----------------------------------------------------------------------------------


@BOTH_DATABASES
def test_huge_numbers_are_refused_not_overflowed(client: TestClient, web: WebContext) -> None:
    token = api_session(client, FIRST)["token"]
    raw_bodies = [b'{"answers": {"load": 1e400}}', b'{"answers": {"load": -1e400}}',
                  b'{"answers": {"load": 1' + b"0" * 400 + b"}}"]  # fmt: skip
    for body in raw_bodies:
        response = client.put(f"{API}/session/answers", headers={**bearer(token), "content-type": "application/json"},
                              content=body)  # fmt: skip
        assert response.status_code == 422, (body[:40], response.text)
    url = client.post(f"{API}/session/phone-link", headers=bearer(token)).json()["url"]
    with TestClient(client.app) as phone:
        page = open_phone_link(phone, "/c/" + url.rpartition("/c/")[2])
        assert step_of(page.text) == "load"
        for typed in ("1" + "0" * 400, "1e400", "-1e400", "nan", "9" * 5000):
            response = phone.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": "load", "value": typed})
            assert response.status_code == 400, typed
            assert step_of(response.text) == "load", "the question again, with what it takes beside it"
            assert re.search(r"Bitte gib eine ganze Zahl von \d+ bis \d+", response.text), typed
        assert phone.get("/advice", params={"number": "1e400"}).status_code == 200  # shown as the step's maximum
    assert client.get(f"{API}/session", headers=bearer(token)).json()["answers"] == FIRST


@BOTH_DATABASES
def test_control_characters_are_refused_with_a_message_wherever_text_is_sent(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    start(client)
    walk_to_results(client, backpacks)
    chat_page = client.get("/advice/chat")
    client.post("/advice/chat/start", data={"csrf": csrf_of(chat_page.text), "consent": "yes"})
    summary = client.get("/advice/summary")
    csrf = csrf_of(summary.text)
    [session_id] = session_ids(web.engine)
    [(request_id, _, _)] = requests.requests_of(web.engine, session_id)
    before = stored(web.engine, session_id)
    posts = [
        ("/advice/chat/send", {"message": "Hallo\x00"}), ("/advice/chat/send", {"message": "bell \x07"}),
        ("/advice/feedback", {"grade": "1", "comment": "gut\x00"}), ("/advice/feedback", {"grade": "1\x00"}),
        ("/advice/summary/email", {"address": "shopper@example.org\x00"}),
        ("/resume", {"code": "ABCD\x00EFGH"}), ("/lang", {"locale": "en\x1b"}),
        ("/start", {"questionnaire_id": f"{BACKPACKS}\x00"}), ("/advice/compare", {"sku": "x\x85"}),
    ]  # fmt: skip
    for path, data in posts:
        response = client.post(path, data={"csrf": csrf, **data})
        assert response.status_code == 422, (path, response.status_code)
        assert "Steuerzeichen" in response.text, path
    for path in ("/advice/product/%00", "/advice?number=%00", "/c/%00abc", "/images/%00.svg"):
        assert client.get(path).status_code == 422, path
    api = [
        ("POST", "/sessions", {"questionnaire_id": f"{BACKPACKS}\x00"}),
        ("POST", "/sessions", {"questionnaire_id": BACKPACKS, "answers": {"who\x00": "women"}}),
        ("POST", "/sessions/resume", {"code": "ABCD\x00EFGH"}),
    ]
    for method, path, body in api:
        response = client.request(method, f"{API}{path}", json=body)
        assert response.status_code == 422, (path, response.text)
        [error] = response.json()["detail"]
        assert error["type"] == "control_character" and "U+0000" in error["msg"]
    for raw in (b'{"code": "\\ud800"}', b'{"questionnaire_id": "x", "answers": {"who": ["\\udfff"]}}'):
        path = "/sessions/resume" if b"code" in raw else "/sessions"  # (a JSON escape no UTF-8 text can hold)
        response = client.post(f"{API}{path}", content=raw, headers={"content-type": "application/json"})
        assert response.status_code == 422, (raw, response.text)
        [error] = response.json()["detail"]
        assert "unpaired surrogate U+D" in error["msg"]

    assert stored(web.engine, session_id) == before
    assert chat.messages(web.engine, request_id) == []
    assert not (web.mail_dry_run and web.mail_dry_run.exists())
    client.post("/advice/chat/send", data={"csrf": csrf, "message": "Zeile 1\nZeile 2\tmit Tab: ä"})
    assert [line.text for line in chat.messages(web.engine, request_id)] == ["Zeile 1\nZeile 2\tmit Tab: ä"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(client: TestClient) -> None:
    declared = client.post(f"{API}/sessions", content=b" " * (MAX_BODY_BYTES + 1),
                           headers={"content-type": "application/json"})  # fmt: skip
    assert declared.status_code == 413
    form = client.post("/resume", data={"code": "x" * (MAX_BODY_BYTES + 1)})
    assert form.status_code == 413
    assert client.post(f"{API}/sessions", json={"questionnaire_id": BACKPACKS, "answers": {}}).status_code == 201


def _rss_kib(pid: int) -> int:
    """The resident memory of a process and its children (uvicorn's workers), from /proc."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    own = int(re.search(r"VmRSS:\s+(\d+)", status)[1])  # type: ignore[index]
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="utf-8").split()
    return own + sum(_rss_kib(int(child)) for child in children)


def _hundred_megabytes(start: bytes, end: bytes) -> Iterator[bytes]:
    """100 MB made while sent (chunked, with no Content-Length), so this test itself stays small."""
    yield start
    chunk = b"x" * 65536
    for _ in range(1600):
        yield chunk
    yield end


def test_a_streamed_100_mb_body_gets_413_and_the_server_stays_small(live_server: LiveServer) -> None:
    before = _rss_kib(live_server.pid)
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        json_body = client.post(f"{API}/sessions", headers={"content-type": "application/json"},
                                content=_hundred_megabytes(b'{"questionnaire_id": "', b'"}'))  # fmt: skip
        form_body = client.post("/resume", headers={"content-type": "application/x-www-form-urlencoded"},
                                content=_hundred_megabytes(b"code=", b""))  # fmt: skip
        assert (json_body.status_code, form_body.status_code) == (413, 413)
        assert client.get("/healthz").status_code == 200
    grown_mib = (_rss_kib(live_server.pid) - before) / 1024
    assert grown_mib < 30, f"the server grew by {grown_mib:.0f} MiB"


# -- in a real browser ---------------------------------------------------------------------------------------------


@pytest.fixture
def browser_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_another_site_cannot_frame_a_page_but_the_companion_can(browser_page: Page, live_server: LiveServer) -> None:
    browser_page.set_content(f'<iframe src="{live_server.url}/resume" title="framed"></iframe>')
    [framed] = [frame for frame in browser_page.frames if frame != browser_page.main_frame]
    assert framed.url.startswith("chrome-error://")  # Chromium refused the page: frame-ancestors 'self'
    assert framed.locator("form[action='/resume']").count() == 0

    browser_page.goto(live_server.url + "/")
    browser_page.evaluate(
        """() => new Promise(done => { const frame = document.createElement("iframe"); frame.onload = done;
            frame.src = "/resume"; frame.title = "own"; document.body.append(frame); })"""
    )
    [own] = [frame for frame in browser_page.frames if frame != browser_page.main_frame]
    assert own.locator("form[action='/resume']").count() == 1


def test_no_page_breaks_the_content_security_policy(
    browser_page: Page, live_server: LiveServer, backpacks: Questionnaire
) -> None:
    """A walk through every kind of page in Chromium: the browser reports no blocked script, style, image or
    frame (the stylesheet, the product pictures, the QR code and the chat's live frame all load)."""
    engine = make_engine(live_server.database_url)
    staff.set_pin(engine, "Mara", "4711")
    staff.report_presence(engine, "Mara")  # so the chat page offers a chat
    engine.dispose()
    reports: list[str] = []
    browser_page.on("console", lambda message: reports.append(message.text))
    browser_page.goto(live_server.url + "/")
    browser_page.locator(f"form[action='/start']:has(input[value='{BACKPACKS}']) button").click()
    answer_by_clicking(browser_page, backpacks)
    assert browser_page.locator("main img").count() >= 1
    product = browser_page.locator("a[href^='/advice/product/']").first.get_attribute("href")
    for path in (product, "/advice/answers", "/advice/summary", "/advice/compare", "/resume", "/advice/chat"):
        browser_page.goto(live_server.url + str(path))
    browser_page.locator("input[name=consent]").check()
    browser_page.locator("form[action='/advice/chat/start'] button").click()
    # chat.js (a script file) reads the chat's state from the server and shows it in the page instead of the frame
    expect(browser_page.locator("#chat-status")).to_contain_text("Nummer 1")
    expect(browser_page.locator("iframe.chat-live")).to_have_count(0)
    browser_page.goto(live_server.url + "/advice/chat/live")  # the frame's page itself (a browser without script)
    browser_page.get_by_test_id("queue").wait_for()
    assert browser_page.evaluate("getComputedStyle(document.body).fontSize") == "17px"  # the stylesheet applies
    blocked = [report for report in reports if "Content Security Policy" in report or "Refused to" in report]
    assert blocked == []


def test_imported_photos_are_served_and_nothing_outside_the_image_folders(client: TestClient) -> None:
    imported = imported_images_dir()
    imported.mkdir(parents=True, exist_ok=True)
    (imported / "T-1.png").write_bytes(b"\x89PNG imported")
    sample = next((sample_catalog_dir() / "images").glob("*.svg"))

    assert client.get("/images/T-1.png").content == b"\x89PNG imported"
    assert client.get(f"/images/{sample.name}").content == sample.read_bytes()
    for name in ("..%2Fadvisor.sqlite3", "%2E%2E", "T-2.png", "%E2%82%AC" * 100, "a" * 300):  # (too long a name too)
        assert client.get(f"/images/{name}").status_code == 404


def test_a_walk_form_without_the_field_it_needs_is_refused_with_a_page_not_an_error(client: TestClient) -> None:
    """The walk's pages read their forms themselves: a start without a questionnaire is a 422 page, as FastAPI's
    declared fields give for the other pages; nothing is started."""
    home = client.get("/")
    response = client.post("/start", data={"csrf": csrf_of(home.text)})
    assert response.status_code == 422
    assert "<h1>" in response.text and "Traceback" not in response.text
    assert client.get("/advice", follow_redirects=False).headers["location"] == "/?expired=1"  # no advice begun


def test_a_query_value_that_is_no_number_is_refused_with_a_page_not_an_error(client: TestClient) -> None:
    start(client)
    for path in ("/advice?number=abc", "/advice?rated=yes", "/?expired=x", "/advice?number=1e400x"):
        page = client.get(path)
        assert page.status_code == 422, path
        assert "<h1>" in page.text and "Traceback" not in page.text
    assert step_of(client.get("/advice?number=1e400&rated=1").text) is not None  # far out of range: clamped
    assert client.get("/?expired=1").status_code == 200


def test_an_answer_waiting_for_the_database_keeps_no_other_shopper_waiting(
    live_server: LiveServer, backpacks: Questionnaire
) -> None:
    with (
        httpx.Client(base_url=live_server.url, timeout=30) as shopper,
        httpx.Client(base_url=live_server.url, timeout=30) as other,
    ):
        home = shopper.get("/")
        page = shopper.post("/start", data={"csrf": csrf_of(home.text), "questionnaire_id": BACKPACKS},
                            follow_redirects=True)  # fmt: skip
        step_id = step_of(page.text)
        assert step_id is not None
        form = {"csrf": csrf_of(page.text), "step": step_id, "value": first_answer(backpacks.step(step_id))}
        # An import (another process) holds the SQLite file's write lock: the first answer, which stores the
        # session, waits for it.
        holder = sqlite3.connect(live_server.database_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        with ThreadPoolExecutor(max_workers=1) as pool:
            answered = pool.submit(shopper.post, "/advice/answer", data=form)
            slowest, seen = 0.0, 0
            deadline = time.monotonic() + 1.5
            while time.monotonic() < deadline:  # another shopper's pages meanwhile
                began = time.monotonic()
                assert other.get("/resume").status_code == 200
                slowest, seen = max(slowest, time.monotonic() - began), seen + 1
            waited = not answered.done()  # (the answer waited for the lock all along)
            holder.execute("ROLLBACK")
            holder.close()
            response = answered.result(timeout=20)
    assert seen > 10 and slowest < 0.5, f"{seen} pages meanwhile, the slowest took {slowest:.2f} s"
    assert waited
    assert response.status_code == 303 and response.headers["location"].startswith("/advice?at=")


def test_a_phone_that_takes_over_an_advice_with_an_open_chat_opens_on_the_chat(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    """The kiosk's chat goes on on the phone: its QR code lands on the chat, where staff's next line shows."""
    start(client)
    walk_to_results(client, backpacks)
    chat_page = client.get("/advice/chat")
    client.post("/advice/chat/start", data={"csrf": csrf_of(chat_page.text), "consent": "yes"})
    [session_id] = session_ids(web.engine)
    [(request_id, _, _)] = requests.requests_of(web.engine, session_id)
    chat.post_message(web.engine, request_id, sender="staff", text="Hallo, ich bin Anna.", author="Anna")
    with TestClient(client.app) as phone:
        page = open_phone_link(phone, f"/c/{issue_token(web.engine, session_id)}")
        assert page.url.path == "/advice/chat"
        assert "/advice/chat/live" in page.text  # the chat's live frame, with staff's line in it
        assert "Hallo, ich bin Anna." in phone.get("/advice/chat/live").text
    requests.transition(web.engine, request_id, requests.Action.CANCEL)
    with TestClient(client.app) as later:  # no chat open: the advice where it stands, as before
        assert open_phone_link(later, f"/c/{issue_token(web.engine, session_id)}").url.path == "/advice"
