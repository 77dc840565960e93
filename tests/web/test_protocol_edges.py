"""What a security tester found at the edges of the web companion's HTTP: HEAD and the 405's Allow header, invisible
characters that reorder what staff read, "nan" as a number, the server's name on every response, and what a real
`advisor serve` does about slow clients."""

from __future__ import annotations

import os
import re
import select
import signal
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from advisor.cli import main
from advisor.handoff import chat, requests
from advisor.questionnaire.model import Questionnaire
from advisor.web.context import WebContext
from advisor.web.serve import SETTINGS_ENV
from tests.web.conftest import (
    BACKPACKS,
    LiveServer,
    csrf_of,
    open_phone_link,
    sqlite_copy,
    start,
    step_of,
    walk_to_results,
)
from tests.web.test_hardening import API, FIRST, api_session, bearer, session_ids

# -- HEAD and Allow ---------------------------------------------------------------------------------------------------


def test_every_get_address_answers_head_with_its_headers_and_no_body(client: TestClient) -> None:
    start(client)
    for path in ("/healthz", "/resume", "/repair", "/advice/chat", "/", "/advice", f"{API}/questionnaires"):
        got, head = client.get(path), client.head(path)
        assert (head.status_code, got.status_code) == (200, 200), (path, head.status_code, got.status_code)
        assert head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"], path
        assert head.headers["content-security-policy"] == got.headers["content-security-policy"], path
    assert client.head("/no-such-page").status_code == 404
    assert client.head("/advice/chat/send").status_code == 405  # a form's address takes a POST only


def test_a_head_on_the_kiosks_one_time_link_leaves_it_working(client: TestClient) -> None:
    """A link checker or a chat app's preview may send HEAD: the QR code's link still opens the advice afterwards."""
    token = api_session(client, FIRST)["token"]
    link = "/c/" + client.post(f"{API}/session/phone-link", headers=bearer(token)).json()["url"].rpartition("/c/")[2]
    with TestClient(client.app) as checker, TestClient(client.app) as phone:
        checked = checker.head(link)
        assert (checked.status_code, checked.headers["allow"]) == (405, "GET")
        assert "set-cookie" not in checked.headers
        assert step_of(open_phone_link(phone, link).text) == "load"


def test_a_405_page_says_which_methods_the_address_takes(client: TestClient) -> None:
    for path, allowed in (("/resume", {"GET", "HEAD", "POST"}), ("/healthz", {"GET", "HEAD"}),
                          ("/advice", {"GET", "HEAD"}), ("/advice/chat/send", {"POST"})):  # fmt: skip
        response = client.request("DELETE", path)
        assert response.status_code == 405, path
        assert "<h1>" in response.text, path  # the companion's own page
        assert {method.strip() for method in response.headers["allow"].split(",")} == allowed, path
    api = client.request("DELETE", f"{API}/questionnaires")
    assert (api.status_code, api.headers["allow"]) == (405, "GET, HEAD")


# -- invisible characters -------------------------------------------------------------------------------------------

RLO, LRI, PDI, LINE_SEPARATOR, PARAGRAPH_SEPARATOR = "\u202e", "\u2066", "\u2069", "\u2028", "\u2029"
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji, joined by zero-width joiners


def test_text_that_reorders_what_staff_read_is_refused_everywhere_and_ordinary_text_is_kept(
    client: TestClient, web: WebContext, backpacks: Questionnaire
) -> None:
    start(client)
    walk_to_results(client, backpacks)
    chat_page = client.get("/advice/chat")
    client.post("/advice/chat/start", data={"csrf": csrf_of(chat_page.text), "consent": "yes"})
    csrf = csrf_of(client.get("/advice/summary").text)
    [session_id] = session_ids(web.engine)
    [(request_id, _, _)] = requests.requests_of(web.engine, session_id)

    trojan = f"Bitte rufen Sie mich an {RLO}0176 1234{PDI}"
    for message in (trojan, f"Hallo {LRI}x{PDI}", f"eine{LINE_SEPARATOR}Zeile", f"ein{PARAGRAPH_SEPARATOR}Absatz"):
        response = client.post("/advice/chat/send", data={"csrf": csrf, "message": message})
        assert response.status_code == 422, repr(message)
        assert "Steuerzeichen" in response.text, repr(message)
    assert client.post("/advice/feedback", data={"csrf": csrf, "grade": "1", "comment": f"gut{RLO}"}).status_code == 422
    assert client.get(f"/advice?at=load{RLO}").status_code == 422
    assert chat.messages(web.engine, request_id) == [], "staff see nothing of it"

    sent = client.post(f"{API}/sessions", json={"questionnaire_id": f"{BACKPACKS}{RLO}", "answers": {}})
    assert sent.status_code == 422
    [error] = sent.json()["detail"]
    assert error["type"] == "control_character" and "U+202E" in error["msg"] and "format character" in error["msg"]

    fine = f"Zeile 1\nZeile 2 {FAMILY} – שלום\u200f!"
    assert client.post("/advice/chat/send", data={"csrf": csrf, "message": fine}).status_code < 400
    assert [line.text for line in chat.messages(web.engine, request_id)] == [fine]


# -- numbers that are none ------------------------------------------------------------------------------------------


def test_nan_and_infinity_are_no_numbers_in_the_address_or_a_nudged_field(client: TestClient) -> None:
    token = api_session(client, FIRST)["token"]
    url = client.post(f"{API}/session/phone-link", headers=bearer(token)).json()["url"]
    with TestClient(client.app) as phone:
        page = open_phone_link(phone, "/c/" + url.rpartition("/c/")[2])
        assert step_of(page.text) == "load"  # a number from 2 to 30, 8 at first, in steps of 1
        for typed in ("nan", "NaN", "inf", "-Infinity"):
            response = phone.get("/advice", params={"at": "load", "number": typed})
            assert response.status_code == 422, typed  # as for "abc": not a number
            assert "<h1>" in response.text and 'value="nan"' not in response.text.lower(), typed
        assert 'value="30"' in phone.get("/advice", params={"number": "1e400"}).text  # a number, far too large

        for typed in ("nan", "inf"):
            nudged = phone.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": "load", "value": typed,
                                                        "nudge": "1"})  # fmt: skip
            assert nudged.status_code == 200, typed
            assert step_of(nudged.text) == "load"
            assert re.search(r'name="value"[^>]*value="9"', nudged.text), typed  # one up from the 8 it starts at
    assert client.get(f"{API}/session", headers=bearer(token)).json()["answers"] == FIRST  # nothing answered


# -- a real server process ------------------------------------------------------------------------------------------


def test_the_server_names_no_software_and_an_uptime_checks_head_gets_200(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url, timeout=10) as client:
        health = client.head("/healthz")
        assert (health.status_code, health.content) == (200, b"")
        for response in (health, client.get("/"), client.get("/no-such-page"), client.get(f"{API}/questionnaires")):
            assert "server" not in response.headers, response.request.url
            assert not any("uvicorn" in value.lower() for value in response.headers.values())


def test_a_client_trickling_its_body_cannot_keep_the_server_from_stopping(live_server: LiveServer) -> None:
    """A restart (systemctl stop, SIGTERM) waits for the requests under way, but not for ever: a client that sends
    its body a byte at a time is cut off after the grace period and the process ends."""
    address = urlsplit(live_server.url)
    slow = socket.create_connection((str(address.hostname), int(address.port or 80)), timeout=10)
    try:
        slow.sendall(b"POST /resume HTTP/1.1\r\nHost: companion\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 1000\r\nExpect: 100-continue\r\n\r\n")  # fmt: skip
        assert slow.recv(100).startswith(b"HTTP/1.1 100"), "the server is reading the body"
        slow.sendall(b"c")
        stopping = os.pidfd_open(live_server.pid)
        try:
            asked = time.monotonic()
            os.kill(live_server.pid, signal.SIGTERM)
            ended = select.poll()  # (poll, not select: in a long run the descriptor's number may pass 1024)
            ended.register(stopping, select.POLLIN)
            assert ended.poll(30_000), "the server still runs 30 s after it was asked to stop"
            assert time.monotonic() - asked < 20
        finally:
            os.close(stopping)
    finally:
        slow.close()


def test_serve_passes_its_limits_to_the_server(
    tmp_path: Path, template_database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `advisor serve` itself limits (docs/deploying.md, "Slow clients"), as uvicorn is asked to."""
    passed: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: passed.update(options, app=app))
    monkeypatch.setenv(SETTINGS_ENV, "")  # restored after the test: serve writes its settings here
    database_url = sqlite_copy(template_database, tmp_path)
    with socket.socket() as probe:  # a port free now (serve makes sure it can listen there before it starts)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["serve", "--db", database_url, "--port", str(port)]) == 0
    assert passed["app"] == "advisor.web.serve:app" and passed["port"] == port
    assert passed["timeout_keep_alive"] == 5  # an idle connection between requests closes after 5 s
    database_connections = 16 + 8 + 8
    assert passed["limit_concurrency"] + database_connections < 1024  # more get 503, not "too many open files"
    assert passed["timeout_graceful_shutdown"] == 10
    assert passed["server_header"] is False
