"""The web companion while its PostgreSQL server is frozen (stopped, not refusing: its kernel still acknowledges TCP,
so the driver would wait forever): the API gives up after a few seconds with 503 and Retry-After, as the pages do,
and works again once the server answers (no restart).

The test runs a PostgreSQL server of its own (`private_postgres`, skipped where none can run) and stops its
processes with SIGSTOP."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advisor.bootstrap import load_sample_catalog, open_database
from advisor.config import default_config
from advisor.questionnaire.library import QuestionnaireLibrary
from advisor.web.app import create_app
from advisor.web.serve import ServeSettings, web_context
from tests.helpers.private_postgres import PrivatePostgres
from tests.web.conftest import start
from tests.web.test_database_down import _answer, _unavailable_page

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs SIGSTOP to freeze a server")


def _server_pids(server: PrivatePostgres) -> list[int]:
    """The postmaster and its children (the backends, the background processes)."""
    postmaster = int((server.data / "postmaster.pid").read_text().splitlines()[0])
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True, check=False).stdout
    return [postmaster, *(int(pid) for pid in children.split())]


@contextmanager
def frozen(server: PrivatePostgres) -> Iterator[None]:
    """The server's processes stopped (SIGSTOP), continued (SIGCONT) whatever happens."""
    pids = _server_pids(server)

    def go_on() -> None:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    safety = threading.Timer(60, go_on)  # (a test that hangs does not leave a stopped server behind)
    safety.start()
    try:
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        yield
    finally:
        safety.cancel()
        go_on()


def test_the_api_and_the_pages_give_up_on_a_frozen_database_with_503_and_work_again_after(
    private_postgres: PrivatePostgres, tmp_path: Path, library: QuestionnaireLibrary
) -> None:
    cluster_url = private_postgres.url
    engine = open_database(cluster_url)
    load_sample_catalog(engine)
    engine.dispose()
    web, _housekeeping = web_context(default_config(), ServeSettings(cluster_url, None, str(tmp_path / "mail")))
    try:
        with TestClient(create_app(web)) as api, TestClient(create_app(web)) as browser:
            page = start(browser, "tent-finder")
            assert _answer(browser, page, library).status_code == 303  # stored: its pages read the database
            assert browser.get("/advice").status_code == 200
            for _ in range(3):  # warm: the pool's connections are open when the server freezes
                assert api.post("/api/v1/sessions", json={"questionnaire_id": "tent-finder"}).status_code == 201
            token = api.post("/api/v1/sessions", json={"questionnaire_id": "tent-finder"}).json()["token"]
            bearer = {"Authorization": f"Bearer {token}"}
            with frozen(private_postgres):
                for call in (
                    lambda: api.post("/api/v1/sessions", json={"questionnaire_id": "tent-finder"}),
                    lambda: api.get("/api/v1/session", headers=bearer),
                    lambda: browser.get("/advice"),
                ):
                    began = time.monotonic()
                    response = call()
                    took = time.monotonic() - began
                    assert response.status_code == 503, response.text
                    if "application/json" in response.headers["content-type"]:
                        assert response.headers["Retry-After"]
                        assert "unavailable" in response.json()["detail"]
                    else:
                        assert _unavailable_page(response)
                    assert took < 6.5, f"answered after {took:.1f} s"
            assert api.post("/api/v1/sessions", json={"questionnaire_id": "tent-finder"}).status_code == 201
            assert api.get("/api/v1/session", headers=bearer).status_code == 200
            assert browser.get("/advice").status_code == 200
    finally:
        if web.events is not None:
            web.events.close(timeout=2.0)
        web.engine.dispose()
