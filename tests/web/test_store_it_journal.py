"""What store IT reads in the web server's journal on a first day: a dry-run mail is written, not sent; a server
without [smtp] says e-mail is off; a listed proxy that sends no X-Forwarded-For is named once."""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

import advisor.web.clients
from advisor.cli import main
from advisor.web.app import create_app
from advisor.web.context import WebContext
from advisor.web.outbox import send_due
from tests.web.conftest import csrf_of, start, walk_to_results


def test_a_dry_run_mail_is_journaled_as_written_to_its_file_not_as_sent(
    web: WebContext, capsys: pytest.CaptureFixture[str]
) -> None:
    with TestClient(create_app(web)) as client:
        start(client)
        walk_to_results(client, web.questionnaires()["backpack-finder"])
        summary = client.get("/advice/summary")
        asked = client.post("/advice/summary/email", data={"csrf": csrf_of(summary.text), "address": "kim@example.org"})
        assert asked.status_code == 200
    capsys.readouterr()
    assert send_due(web.engine, None, dry_run=web.mail_dry_run).sent == 1
    assert web.mail_dry_run is not None
    [written] = web.mail_dry_run.glob("*.eml")
    journal = capsys.readouterr().err
    assert f" written to {written} (dry run: not sent)" in journal, journal
    assert " sent (" not in journal and "kim@" not in journal


def _serve(monkeypatch: pytest.MonkeyPatch, database_url: str, *more: str) -> None:
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    monkeypatch.setenv("ADVISOR_SERVE_SETTINGS", "")  # (restored after the test: serve writes its settings here)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["serve", "--db", database_url, "--port", str(port), *more]) == 0


def test_serve_without_smtp_says_once_at_start_that_e_mail_is_off(
    web_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ADVISOR_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    _serve(monkeypatch, web_database_url)
    line = "advisor serve: e-mail is off ([smtp] not set): no summary, booking or repair mails\n"
    assert capsys.readouterr().err.count(line) == 1
    _serve(monkeypatch, web_database_url, "--mail-dry-run", str(tmp_path / "mail"))  # mails are written: not off
    assert "e-mail is off" not in capsys.readouterr().err


def test_a_listed_proxy_without_x_forwarded_for_is_named_once(
    web: WebContext, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(advisor.web.clients, "_told_no_forwarded_for", False)
    settings = web.config.web.model_copy(update={"forwarded_allow_ips": ("127.0.0.1",)})
    proxied = dataclasses.replace(web, config=web.config.model_copy(update={"web": settings}))
    wrong: dict[str, Any] = {"code": "ABCD-2345"}
    with TestClient(create_app(proxied), client=("127.0.0.1", 50000)) as proxy:
        capsys.readouterr()
        proxy.post("/api/v1/sessions/resume", json=wrong, headers={"X-Forwarded-For": "198.51.100.7"})
        assert "forwarded_allow_ips" not in capsys.readouterr().err, "a proxy that sends it: nothing said"
        for _ in range(3):
            proxy.post("/api/v1/sessions/resume", json=wrong)
    journal = capsys.readouterr().err
    assert (
        journal.count(
            "advisor: [web] forwarded_allow_ips lists 127.0.0.1, but its requests carry no X-Forwarded-For: every "
            "shopper counts as one client (set proxy_set_header X-Forwarded-For in the proxy; docs/deploying.md)\n"
        )
        == 1
    ), journal
