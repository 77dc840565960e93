"""Guessing resume codes is useless: wrong codes are counted in the database per client and for all clients
together, a right code resets nothing, X-Forwarded-For counts only from a configured proxy, and two server
processes on one database share every count (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from advisor.config import Config
from advisor.db import make_engine
from advisor.handoff import sessions
from advisor.handoff.codes import new_code, shown
from advisor.handoff.sessions import WRONG_CODES_PER_CLIENT, WRONG_CODES_STORE_WIDE
from advisor.web.app import create_app
from advisor.web.context import WebContext
from tests.helpers.sample import open_with_sample
from tests.web.conftest import BACKPACKS, _wait_until_healthy, csrf_of, free_port, sqlite_copy

GUESSES = 1000
FREE = WRONG_CODES_PER_CLIENT.free  # a client's wrong codes answered before it waits (docs/deploying.md)
RESUME = "/api/v1/sessions/resume"
PEER = ("203.0.113.9", 50000)  # the address a test client connects from
BOTH = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

Post = Callable[[str, dict[str, str]], httpx.Response]


def wrong_codes(right: str, count: int) -> list[str]:
    return [code for code in (new_code() for _ in range(count + 10)) if code != right][:count]


def forged(i: int) -> dict[str, str]:
    """A different made-up client for every guess, as an attacker would claim it."""
    return {"X-Forwarded-For": f"10.{i % 250}.{i // 250}.1"}


def guess(
    posts: list[Post], right: str, headers: Callable[[int], dict[str, str]], count: int = GUESSES
) -> tuple[list[int], list[int]]:
    """`count` wrong codes, each through the next of `posts` in turn, and the client's own right code after every
    ninth; the wrong codes' statuses and the right code's."""
    wrong, own = [], []
    for i, code in enumerate(wrong_codes(right, count)):
        response = posts[i % len(posts)](code, headers(i))
        assert response.status_code in (404, 429), response.text
        wrong.append(response.status_code)
        if i % 9 == 3:  # a success in between must reset nothing
            own.append(posts[(i + 1) % len(posts)](shown(right).lower(), headers(i)).status_code)
    return wrong, own


def answered(statuses: list[int]) -> int:
    """How many guesses got an answer (anything but 429 Too Many Requests)."""
    return sum(status != 429 for status in statuses)


def api_post(client: httpx.Client | TestClient) -> Post:
    def post(code: str, headers: dict[str, str]) -> httpx.Response:
        return client.post(RESUME, json={"code": code}, headers=headers)

    return post


def page_post(client: httpx.Client | TestClient) -> Post:
    """The /resume form of the pages (CSRF token and cookie as a browser sends them)."""
    token = csrf_of(client.get("/resume").text)

    def post(code: str, headers: dict[str, str]) -> httpx.Response:
        return client.post("/resume", data={"csrf": token, "code": code}, headers=headers)

    return post


def with_proxies(config: Config, *proxies: str) -> Config:
    web = type(config.web).model_validate({**dict(config.web), "forwarded_allow_ips": proxies})
    return config.model_copy(update={"web": web})


# -- one server process (the app under TestClient) -----------------------------------------------------------------


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
@pytest.mark.parametrize("headers", [lambda _: {}, forged], ids=["own-address", "forged-x-forwarded-for"])
def test_a_thousand_wrong_codes_from_one_client_get_at_most_its_free_answers(
    web: WebContext, headers: Callable[[int], dict[str, str]]
) -> None:
    right = sessions.create_session(web.engine, questionnaire_id=BACKPACKS, answers={}, locale="de").resume_code
    with TestClient(create_app(web), client=PEER) as client:
        wrong, own = guess([api_post(client), page_post(client)], right, headers)  # the API and the form alike

    assert answered(wrong) <= FREE, "a client gets no more answers than its free wrong codes"
    assert wrong[:FREE] == [404] * FREE, "the free ones are answered"
    assert own[0] == 200, "the right code opened the session before the budget was spent"
    assert set(own[1:]) == {429}, "and waits like any other once it is"


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
def test_behind_a_trusted_proxy_clients_count_apart_and_all_together_stay_within_the_store_wide_budget(
    web: WebContext,
) -> None:
    right = sessions.create_session(web.engine, questionnaire_id=BACKPACKS, answers={}, locale="de").resume_code
    proxied = replace(web, config=with_proxies(web.config, "127.0.0.1"))
    with TestClient(create_app(proxied), client=("127.0.0.1", 50000)) as proxy:
        post = api_post(proxy)
        # One client claims other addresses in front of the one the proxy appended: only the proxy's hop counts.
        one, _ = guess([post], right, lambda i: {"X-Forwarded-For": f"10.0.{i % 250}.1, 198.51.100.7"}, count=100)
        # Hundreds of real clients, each through the proxy (several times the store-wide budget).
        many, _ = guess([post], right, lambda i: {"X-Forwarded-For": f"198.51.{i // 250}.{i % 250 + 1}"}, count=300)
        outside = TestClient(create_app(proxied), client=PEER)
        not_a_proxy = outside.post(RESUME, json={"code": right}, headers={"X-Forwarded-For": "192.0.2.1"})

    assert answered(one) <= FREE
    assert answered(one) + answered(many) <= WRONG_CODES_STORE_WIDE.limit, "all clients together"
    assert answered(many) > FREE, "clients behind the proxy are told apart"
    assert not_a_proxy.status_code == 429, "the store-wide budget is spent for everyone"


# -- two real server processes on one database -------------------------------------------------------------------


@pytest.fixture(params=BOTH)
def shared_database(request: pytest.FixtureRequest, tmp_path: Path, template_database: Path) -> str:
    """One database for two servers: a copy of the SQLite template, or a fresh PostgreSQL database set up (migrated,
    with the sample catalog) before either server starts."""
    if request.param == "postgresql":
        url = str(request.getfixturevalue("postgres_url"))
        open_with_sample(url).dispose()
        return url
    return sqlite_copy(template_database, tmp_path)


@pytest.fixture
def two_servers(tmp_path: Path, shared_database: str) -> Iterator[list[str]]:
    """`python -m advisor serve` twice, on two ports and the same database (no proxy configured)."""
    processes: list[tuple[subprocess.Popen[bytes], str, Path]] = []
    try:
        for name in ("a", "b"):
            port = free_port()
            folder = tmp_path / f"server-{name}"
            folder.mkdir()
            config = folder / "config.toml"
            config.write_text(f'[web]\npublic_base_url = "http://127.0.0.1:{port}"\n', encoding="utf-8")
            env = {**os.environ, "ADVISOR_DATA_DIR": str(folder / "data"), "ADVISOR_CONFIG": str(config)}
            env.pop("ADVISOR_DATABASE_URL", None)
            command = [sys.executable, "-m", "advisor", "serve", "--host", "127.0.0.1", "--port", str(port),
                       "--db", shared_database]  # fmt: skip
            log = folder / "server.log"
            with log.open("wb") as output:
                process = subprocess.Popen(command, env=env, cwd=folder, stdout=output, stderr=subprocess.STDOUT)
            processes.append((process, f"http://127.0.0.1:{port}", log))
        for process, url, log in processes:
            _wait_until_healthy(process, url, log)
        yield [url for _, url, _ in processes]
    finally:
        for process, _, _ in processes:
            process.terminate()
        for process, _, _ in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def test_two_server_processes_on_one_database_share_the_count_and_believe_no_forged_header(
    two_servers: list[str], shared_database: str
) -> None:
    engine = make_engine(shared_database)
    right = sessions.create_session(engine, questionnaire_id=BACKPACKS, answers={}, locale="de").resume_code
    engine.dispose()
    with httpx.Client(base_url=two_servers[0]) as a, httpx.Client(base_url=two_servers[1]) as b:
        wrong, own = guess([api_post(a), api_post(b), page_post(b)], right, forged)

    assert answered(wrong) <= FREE, "both processes together answer no more than one would"
    assert wrong[:FREE] == [404] * FREE
    assert own[0] == 200 and set(own[1:]) == {429}
