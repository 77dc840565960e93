"""/healthz says the process is up (liveness, no database); /readyz whether its database answers (readiness), for a
load balancer: 503 while the database is down, without saying which database, and ready again once it is back."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from advisor.db import make_engine
from advisor.db.engine import ReadinessProbe
from advisor.web.context import WebContext
from tests.web.test_database_down import database_down

READY = {"status": "ready"}
DOWN = {"status": "database unreachable"}


def test_a_server_with_its_database_is_live_and_ready_to_get_and_to_head(client: TestClient) -> None:
    for path, body in (("/healthz", {"status": "ok"}), ("/readyz", READY)):
        response = client.get(path)
        assert (response.status_code, response.json()) == (200, body)
        assert response.headers["cache-control"] == "no-store"
        head = client.head(path)
        assert (head.status_code, head.content) == (200, b"")


@pytest.mark.postgres
@pytest.mark.parametrize("web_database_url", ["postgresql"], indirect=True)
def test_readyz_answers_503_while_the_database_is_down_and_healthz_stays_200(
    client: TestClient, web: WebContext, web_database_url: str
) -> None:
    assert client.get("/readyz").json() == READY
    with database_down(web_database_url):
        time.sleep(2.1)  # (the last answer is kept for 2 s)
        started = time.monotonic()
        response = client.get("/readyz")
        assert time.monotonic() - started < 2.5
        assert (response.status_code, response.json()) == (503, DOWN)
        assert response.headers["retry-after"] == "5"
        password = sa.engine.make_url(web_database_url).password
        assert password and password not in response.text and "postgres" not in response.text
        assert client.head("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200, "liveness: no restart for a database outage"
    time.sleep(2.1)
    assert (client.get("/readyz").status_code, client.get("/readyz").json()) == (200, READY)


def test_a_database_that_does_not_answer_is_not_ready_within_about_a_second() -> None:
    with socket.socket() as silent:  # accepts TCP connections (the kernel does) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        engine = make_engine(f"postgresql://advisor:secret@127.0.0.1:{silent.getsockname()[1]}/advisor")
        probe = ReadinessProbe(engine)
        started = time.monotonic()
        assert asyncio.run(probe.ready()) is False
        assert time.monotonic() - started < 1.5  # (a new connection's own timeout is 3 s)


def test_probes_in_quick_succession_ask_the_database_once() -> None:
    engine = make_engine("sqlite://")
    asked: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: asked.append(args[2]))
    probe = ReadinessProbe(engine)

    async def probes() -> list[bool]:
        return [await probe.ready() for _ in range(20)]

    assert asyncio.run(probes()) == [True] * 20
    assert asked.count("SELECT 1") == 1
