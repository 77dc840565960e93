"""The e-mailed summary links back to the advice: its HTML part's "Continue at" is a link to the server's public
resume page, where the shopper types the code the mail shows beside it (the code itself is in no address: nothing
of a session travels in a URL but the one-time token). The plain-text part keeps the address as text; the web
page, the kiosk's print and its screen show the address without a link."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from html import unescape
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from advisor.handoff import sessions
from advisor.handoff.codes import shown
from advisor.rendering.summary import Summary, render_summary
from advisor.web.app import create_app
from advisor.web.context import WebContext
from advisor.web.outbox import send_due
from tests.web.conftest import csrf_of, start, walk_to_results

PUBLIC = "https://beratung.example.org"


@pytest.fixture
def public_web(web: WebContext) -> WebContext:
    """The web companion at a public address phones and mail readers reach."""
    public = web.config.web.model_copy(update={"public_base_url": PUBLIC})
    return dataclasses.replace(web, config=web.config.model_copy(update={"web": public}))


@pytest.fixture
def public_client(public_web: WebContext) -> Iterator[TestClient]:
    with TestClient(create_app(public_web), base_url="https://testserver") as client:  # (its cookies are Secure)
        yield client


def _parts(web: WebContext) -> tuple[str, str]:
    assert web.mail_dry_run is not None
    [mail] = web.mail_dry_run.glob("*.eml")
    message = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    html, plain = message.get_body(preferencelist=("html",)), message.get_body(preferencelist=("plain",))
    assert html is not None and plain is not None
    return str(html.get_content()), str(plain.get_content())


def _code(web: WebContext) -> str:
    with web.engine.connect() as connection:
        [code] = connection.execute(sa.select(sessions.SESSION.c.resume_code)).scalars().all()
    return shown(code)


def test_the_mailed_summary_links_to_the_resume_page_with_no_code_in_the_address(
    public_client: TestClient, public_web: WebContext
) -> None:
    start(public_client)
    walk_to_results(public_client, public_web.questionnaires()["backpack-finder"])
    code = _code(public_web)
    summary = public_client.get("/advice/summary")
    assert summary.status_code == 200
    assert f"{PUBLIC}/resume" in summary.text and "/resume?code=" not in summary.text, "the page: text, no link"
    sent = public_client.post(
        "/advice/summary/email", data={"csrf": csrf_of(summary.text), "address": "kim@example.org"}
    )
    assert sent.status_code == 200
    assert send_due(public_web.engine, None, dry_run=public_web.mail_dry_run).sent == 1

    html, plain = _parts(public_web)
    links = [unescape(href) for href in re.findall(r'<a href="([^"]*)"', html)]
    assert links == [f"{PUBLIC}/resume"], links  # only this one: product pages need the session
    assert f">{PUBLIC}/resume</a>" in html and code in html, "the code beside it, to type"
    assert code not in links[0], "nothing of a session travels in a URL but the one-time token"
    assert f"{PUBLIC}/resume" in plain and code in plain and "<a" not in plain

    stranger = TestClient(create_app(public_web), base_url="https://testserver")  # the mail opened elsewhere
    with stranger:
        page = stranger.get(urlsplit(links[0]).path)
        assert page.status_code == 200 and page.url.path == "/resume"
        opened = stranger.post("/resume", data={"csrf": csrf_of(page.text), "code": code})
        assert opened.status_code == 200 and opened.url.path != "/resume", "the code typed there opens the advice"


def _summary(continue_url: str | None) -> Summary:
    return Summary(locale="de", address="du", title="Zelt", store_name="", created=datetime(2026, 5, 4, tzinfo=UTC),
                   answers=(), items=(), count=0, resume_code="ABCD2345", continue_url=continue_url)  # fmt: skip


def test_the_print_and_the_kiosk_show_the_address_as_text() -> None:
    """The kiosk passes its address as people type it (no "https://"): nothing to link, even in a mail."""
    for kind in ("print", "email_text", "email_html"):
        rendered = render_summary(_summary("beratung.example.org/resume"), kind)
        assert "Weitermachen unter beratung.example.org/resume" in rendered and "<a " not in rendered, kind
    web = _summary(f"{PUBLIC}/resume")
    assert "<a " not in render_summary(web, "print")
    assert f'<a href="{PUBLIC}/resume">{PUBLIC}/resume</a>' in render_summary(web, "email_html")
    assert _summary(None).continue_link is None
