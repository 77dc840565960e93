"""A phone's bad day: the page it gets while the database is busy speaks the advice's language, not the browser's (a
German advice continued on a phone set to English stays German); the mail form promises only what the outbox keeps
(the address waits there for the mail server, until the mail is sent)."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import re
import sqlite3
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient

from advisor.db.engine import make_engine
from advisor.questionnaire.model import Questionnaire
from advisor.web import context as context_module
from advisor.web import outbox
from advisor.web.app import create_app
from advisor.web.context import WebContext
from tests.web.conftest import csrf_of, first_answer, start, step_of, walk_to_results

ENGLISH_PHONE = {"Accept-Language": "en-US,en;q=0.9"}


@pytest.fixture
def busy_web(web: WebContext, monkeypatch: pytest.MonkeyPatch) -> WebContext:
    """The companion giving up on a busy file after a quarter second (5 s in a server)."""
    monkeypatch.setattr(context_module, "SERVER_BUSY_TIMEOUT_MS", 250)
    return dataclasses.replace(web, engine=make_engine(str(web.engine.url), busy_timeout_ms=200))


@pytest.fixture
def held_lock(busy_web: WebContext) -> Iterator[sqlite3.Connection]:
    """Another process's connection that can hold the SQLite file's write lock (an import, say)."""
    holder = sqlite3.connect(str(busy_web.engine.url.database), isolation_level=None)
    yield holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


def test_a_german_advice_on_an_english_phone_gets_the_busy_page_in_german(
    busy_web: WebContext, held_lock: sqlite3.Connection, backpacks: Questionnaire
) -> None:
    app = create_app(busy_web)
    with TestClient(app) as kiosk_side, TestClient(app, headers=ENGLISH_PHONE) as phone:
        page = start(kiosk_side)  # begun in German (the store's language), stored by its first answer
        step = step_of(page.text)
        assert step is not None
        first = {"csrf": csrf_of(page.text), "step": step, "value": first_answer(backpacks.step(step))}
        code = re.search(r'data-testid="resume-code">([^<]+)<', kiosk_side.post("/advice/answer", data=first).text)
        assert code is not None

        assert '<html lang="en"' in phone.get("/").text, "the phone's own pages are English"
        resumed = phone.post("/resume", data={"code": code.group(1), "csrf": csrf_of(phone.get("/resume").text)})
        assert resumed.status_code == 200 and '<html lang="de"' in resumed.text
        second = step_of(resumed.text)
        assert second is not None
        answer = {"csrf": csrf_of(resumed.text), "step": second, "value": first_answer(backpacks.step(second))}

        held_lock.execute("BEGIN IMMEDIATE")
        busy = phone.post("/advice/answer", data=answer)
        held_lock.execute("ROLLBACK")
    assert busy.status_code == 503
    shown = unescape(busy.text)
    assert '<html lang="de"' in busy.text
    assert "Die Beratung ist gerade nicht erreichbar. Bitte versuche es gleich noch einmal." in shown
    assert "Was du geschickt hast, ist nicht verloren" in shown and "Noch einmal senden" in shown
    assert "The advice is unavailable" not in shown and "Send again" not in shown


def test_the_mail_form_says_the_address_is_kept_until_the_mail_is_sent(
    web: WebContext, backpacks: Questionnaire
) -> None:
    with TestClient(create_app(web)) as phone:
        start(phone)
        walk_to_results(phone, backpacks)
        summary = phone.get("/advice/summary")
        shown = unescape(summary.text)
        assert "Zusammenfassung per E-Mail (die Adresse wird nur bis zum Versand gespeichert)" in shown
        assert "speichern sie nur bis zum Versand" in shown
        assert "nicht gespeichert" not in shown and "speichern sie nicht" not in shown
        sent = phone.post("/advice/summary/email", data={"csrf": csrf_of(summary.text), "address": "kim@example.org"})
        assert sent.status_code == 200
    queued = outbox.OUTBOX.select()
    with web.engine.connect() as connection:
        assert len(connection.execute(queued).all()) == 1, "the address waits in the outbox until the mail is sent"
    assert outbox.send_due(web.engine, None, dry_run=web.mail_dry_run).sent == 1
    with web.engine.connect() as connection:
        assert connection.execute(queued).all() == [], "and is gone once it is"
    assert web.mail_dry_run is not None
    [mail] = web.mail_dry_run.glob("*.eml")
    said = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default).get_body(("plain",))
    assert said is not None and "die Adresse wurde nur für den Versand gespeichert" in str(said.get_content())
