"""The web companion while its PostgreSQL database cannot be reached: the pages say so on the companion's own page,
the API in JSON, and everything works again once the database is back (no restart)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from advisor.config import default_config
from advisor.i18n import text
from advisor.questionnaire.library import QuestionnaireLibrary
from advisor.web.app import create_app
from advisor.web.context import WebContext
from advisor.web.serve import ServeSettings, web_context
from tests.conftest import postgres_admin_url
from tests.helpers.sample import open_with_sample
from tests.web.conftest import csrf_of, first_answer, start, step_of

pytestmark = pytest.mark.postgres

UNAVAILABLE = text("web.error.database", "de")


@pytest.fixture
def server(postgres_url: str, tmp_path: Path) -> Iterator[WebContext]:
    """A server process's context on a database of this test's own, as `advisor serve` makes it."""
    open_with_sample(postgres_url).dispose()  # the schema and the sample catalog (`advisor catalog load-sample`)
    web, _housekeeping = web_context(default_config(), ServeSettings(postgres_url, None, str(tmp_path / "mail")))
    yield web
    if web.events is not None:
        web.events.close(timeout=2.0)
    web.engine.dispose()


@contextmanager
def database_down(url: str) -> Iterator[None]:
    """The database refuses new connections and every open one is ended (a server restarting, a network gone)."""
    admin_url = postgres_admin_url()
    assert admin_url is not None
    name = make_url(url).database
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %(name)s", {"name": name}
            )
        yield
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.dispose()


def _answer(client: TestClient, page: httpx.Response, library: QuestionnaireLibrary) -> httpx.Response:
    step_id = step_of(page.text)
    assert step_id is not None, page.text
    step = library.questionnaires["tent-finder"].step(step_id)
    form = {"csrf": csrf_of(page.text), "step": step_id, "value": first_answer(step)}
    response: httpx.Response = client.post("/advice/answer", data=form, follow_redirects=False)
    return response


def _unavailable_page(response: httpx.Response) -> bool:
    html = "text/html" in response.headers["content-type"]
    return response.status_code == 503 and html and UNAVAILABLE in response.text


def test_pages_and_the_api_say_the_advice_is_unavailable_while_the_database_is_down_and_work_again_after(
    server: WebContext, postgres_url: str, library: QuestionnaireLibrary
) -> None:
    with TestClient(create_app(server)) as stored, TestClient(create_app(server)) as fresh, \
            TestClient(create_app(server)) as api:  # fmt: skip
        page = start(stored, "tent-finder")
        assert _answer(stored, page, library).status_code == 303  # the first answer stores the session
        second = stored.get("/advice")
        code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", second.text)
        assert code is not None
        first = start(fresh, "tent-finder")  # nothing stored yet
        created = api.post("/api/v1/sessions", json={"questionnaire_id": "tent-finder"})
        assert created.status_code == 201, created.text
        bearer = {"Authorization": f"Bearer {created.json()['token']}"}

        with database_down(postgres_url):
            for _ in range(2):  # the pooled connections found dead, then new ones refused
                assert _unavailable_page(_answer(stored, second, library))
                assert _unavailable_page(stored.get("/advice/summary"))
                assert _unavailable_page(stored.get("/advice/chat"))
            assert _unavailable_page(_answer(fresh, first, library))
            for response in (
                api.get("/api/v1/session", headers=bearer),
                api.put("/api/v1/session/answers", headers=bearer, json={"answers": {}}),
                api.post("/api/v1/sessions/resume", json={"code": code[0]}),
            ):
                assert response.status_code == 503, response.text
                assert response.headers["content-type"] == "application/json"
                assert "unavailable" in response.json()["detail"]

        assert stored.get("/advice/summary").status_code == 200
        assert _answer(stored, second, library).status_code == 303
        assert _answer(fresh, first, library).status_code == 303
        assert api.get("/api/v1/session", headers=bearer).status_code == 200


def test_the_journal_names_the_unreachable_database_without_its_password_and_the_configuration_file(
    postgres_url: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Store IT may run several advisors: the journal's line about the outage says which database cannot be reached
    (its server and name, as the kiosk's line: never the user or password) and which configuration file the server
    was started with."""
    from advisor.config import load_config
    from advisor.db.engine import shown_url
    from advisor.web.serve import build

    user, password = make_url(postgres_url).username, make_url(postgres_url).password
    assert user and password, "the test's PostgreSQL URL has a user and a password"
    config_file = tmp_path / "advisor.toml"
    config_file.write_text('[store]\nname = "Nordgrat Test"\n', encoding="utf-8")
    open_with_sample(postgres_url).dispose()
    app = build(load_config(config_file), ServeSettings(postgres_url, str(config_file), str(tmp_path / "mail")))
    named = f"the database {shown_url(postgres_url)} (configuration {config_file.absolute()})"
    with TestClient(app):  # the process's housekeeping and mail sender run meanwhile
        capfd.readouterr()
        with database_down(postgres_url):
            said: list[str] = []
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(said) < 2:
                time.sleep(0.5)
                said += [line for line in capfd.readouterr().err.splitlines() if "trying on" in line]
    catalog, outbox = sorted(said)  # one line each for the outage (the reason is the driver's: not asserted)
    assert catalog.startswith(f"advisor: cannot look at the catalog in {named} ("), said
    assert outbox == f"advisor: the mail outbox in {named} cannot be read (OperationalError); trying on", said
    assert all(f"{user}:" not in line and f":{password}@" not in line for line in said)
