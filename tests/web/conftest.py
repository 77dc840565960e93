"""Web companion fixtures: an app on a fresh database per test, a real `advisor serve` process, a real Chromium.

What is expensive and never changes (the questionnaires, a migrated SQLite file with the sample catalog) is made
once per test run; every test still gets a database of its own (a copy of that file, or a fresh PostgreSQL one).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright
from sqlalchemy.engine import Engine

from advisor.appointments import staff
from advisor.bootstrap import open_database
from advisor.config import AppointmentsConfig, default_config, secret_key
from advisor.db import make_engine
from advisor.insights.events import EventLog
from advisor.questionnaire.library import QuestionnaireLibrary, load_library
from advisor.questionnaire.model import Questionnaire, Step
from advisor.recommend.index import IndexCache
from advisor.web.app import create_app
from advisor.web.context import WebContext
from advisor.web.security import Signer
from tests.helpers.appointments import add_consultants
from tests.helpers.sample import open_with_sample

with warnings.catch_warnings():
    # Starlette suggests httpx2 for its test client; httpx is what this project has.
    warnings.filterwarnings("ignore", message=r".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

CHROMIUM_ENV = "ADVISOR_TEST_CHROMIUM"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
SERVER_START_SECONDS = 30
BACKPACKS = "backpack-finder"

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_STEP = re.compile(r'name="step" value="([^"]+)"')


# -- helpers for the tests ---------------------------------------------------------------------------------------


def open_phone_link(phone: Any, path: str) -> Any:
    """Open a one-time phone link as its shopper does: a link the API minted asks first ("Der Link öffnet …"), and
    the shopper opens it; a kiosk's opens at once. The page it leads to."""
    page = phone.get(path)
    if page.status_code == 200 and f'action="{path.partition("?")[0]}' in page.text:
        page = phone.post(path, data={"csrf": csrf_of(page.text)})
    return page


def go_to_phone_link(phone: Any, url: str) -> None:
    """In a real browser: open a phone link as its shopper does, opening it on the page that asks first (a link the
    API minted: "Der Link öffnet …")."""
    phone.goto(url)
    asks = phone.locator('form[action^="/c/"] button[type="submit"]')
    if asks.count():
        asks.first.click()
        phone.wait_for_load_state()


def csrf_of(html: str) -> str:
    """The CSRF token of a page's forms (every form of a page carries the same one)."""
    match = _CSRF.search(html)
    assert match is not None, "the page has no form with a CSRF token"
    return match[1]


def step_of(html: str) -> str | None:
    """The step a question page asks (None on any other page)."""
    match = _STEP.search(html)
    return match[1] if match else None


def first_answer(step: Step) -> list[str]:
    """The answer the tests give, as form values: the first option, "yes", or the default (else the minimum)."""
    if step.kind in ("single", "multiple"):
        return [step.options[0].id]
    if step.kind == "yes_no":
        return ["yes"]
    number = step.default if step.default is not None else step.min
    assert number is not None, f"step {step.id} has neither a default nor a minimum"
    return [str(int(number)) if float(number).is_integer() else str(number)]


def stored_answer(step: Step, values: list[str]) -> object:
    """The form values of first_answer as the engine stores them."""
    if step.kind == "multiple":
        return values
    if step.kind == "yes_no":
        return values == ["yes"]
    if step.kind == "number":
        number = float(values[0])
        return int(number) if number.is_integer() else number
    return values[0]


def walk_to_results(client: TestClient, questionnaire: Questionnaire) -> tuple[httpx.Response, dict[str, object]]:
    """Answer every step of the session in `client` by form posts; the results page and the answers given."""
    page = client.get("/advice")
    given: dict[str, object] = {}
    for _ in range(len(questionnaire.steps) + 1):
        assert page.status_code == 200, page.text
        step_id = step_of(page.text)
        if step_id is None:
            return page, given
        step = questionnaire.step(step_id)
        values = first_answer(step)
        given[step_id] = stored_answer(step, values)
        page = client.post("/advice/answer", data={"csrf": csrf_of(page.text), "step": step_id, "value": values})
    raise AssertionError(f"the questionnaire did not end after {len(questionnaire.steps)} answers")


def start(client: TestClient, questionnaire_id: str = BACKPACKS) -> httpx.Response:
    """Start a session from the home page's card, as a shopper would; the first question's page."""
    home = client.get("/")
    form = {"csrf": csrf_of(home.text), "questionnaire_id": questionnaire_id}
    page: httpx.Response = client.post("/start", data=form)
    assert page.status_code == 200, page.text
    assert page.url.path == "/advice"
    return page


# -- databases and the app ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def library() -> QuestionnaireLibrary:
    return load_library()


@pytest.fixture(scope="session")
def backpacks(library: QuestionnaireLibrary) -> Questionnaire:
    return library.questionnaires[BACKPACKS]


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the sample catalog, made once and copied for every test."""
    path = tmp_path_factory.mktemp("template") / "advisor.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    engine.dispose()  # the last connection closing checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


def sqlite_copy(template: Path, folder: Path) -> str:
    target = folder / "advisor.sqlite3"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def web_database_url(request: pytest.FixtureRequest, tmp_path: Path, template_database: Path) -> str:
    """This test's own database; SQLite unless a test asks for "postgresql" (indirect parametrisation)."""
    kind = getattr(request, "param", "sqlite")
    if kind == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return sqlite_copy(template_database, tmp_path)


@pytest.fixture
def web(tmp_path: Path, web_database_url: str, library: QuestionnaireLibrary) -> Iterator[WebContext]:
    engine = open_with_sample(web_database_url)
    config = default_config()
    context = WebContext(
        engine=engine, questionnaires=lambda: library.questionnaires, index_cache=IndexCache(engine), config=config,
        signer=Signer(secret_key(config)), mail_dry_run=tmp_path / "mail",
        events=EventLog(engine, channel="web", store_id=config.store.id),
        service_flows=lambda: library.service_flows,
    )  # fmt: skip
    yield context
    assert context.events is not None
    context.events.close(timeout=2.0)  # the last requests' events, before the database goes
    engine.dispose()


@pytest.fixture
def booking_client(web: WebContext) -> Iterator[TestClient]:
    """A phone on a web companion where the backpacks have 30-minute appointments with Anna."""
    appointments = AppointmentsConfig.model_validate({"kinds": {"backpacks": {"length_minutes": 30}}})
    context = dataclasses.replace(web, config=web.config.model_copy(update={"appointments": appointments}))
    add_consultants(web.engine, ["anna"])
    staff.set_skills(web.engine, staff_name="anna", categories=["backpacks"])
    with TestClient(create_app(context)) as client:
        yield client


@pytest.fixture
def web_engine(web: WebContext) -> Engine:
    return web.engine


@pytest.fixture
def client(web: WebContext) -> Iterator[TestClient]:
    with TestClient(create_app(web)) as test_client:
        yield test_client


# -- a real server process ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveServer:
    url: str
    database_url: str
    pid: int


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def live_server_config() -> str:
    """More of the live server's configuration file (TOML) after its [web] table; a test module overrides it."""
    return ""


@pytest.fixture
def live_server(tmp_path: Path, template_database: Path, live_server_config: str) -> Iterator[LiveServer]:
    """`python -m advisor serve` as its own process on a free port and this test's database."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    folder = tmp_path / "server"
    folder.mkdir()
    database_url = sqlite_copy(template_database, folder)
    config = folder / "config.toml"
    config.write_text(f'[web]\npublic_base_url = "{url}"\n{live_server_config}', encoding="utf-8")
    env = {**os.environ, "ADVISOR_DATA_DIR": str(folder / "data"), "ADVISOR_CONFIG": str(config)}
    env.pop("ADVISOR_DATABASE_URL", None)
    log_path = folder / "server.log"
    command = [
        sys.executable, "-m", "advisor", "serve", "--host", "127.0.0.1", "--port", str(port), "--db", database_url,
        "--mail-dry-run", str(folder / "mail"),
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_healthy(process, url, log_path)
        yield LiveServer(url, database_url, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_healthy(process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log_path.read_text(encoding="utf-8", errors="replace")
            pytest.fail(f"advisor serve ended with exit code {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # the one poll loop: nothing to wait on but the port
    output = log_path.read_text(encoding="utf-8", errors="replace")
    pytest.fail(f"advisor serve did not answer /healthz within {SERVER_START_SECONDS} s:\n{output}")


PHONE: ViewportSize = {"width": 390, "height": 844}  # the browser tests' phone


# -- a real browser ---------------------------------------------------------------------------------------------------


def chromium_path() -> str:
    """The Chromium for the browser tests: skipped without one, except in CI, where that is an error."""
    path = os.environ.get(CHROMIUM_ENV)
    if not path:
        reason = f"{CHROMIUM_ENV} is not set: no Chromium for the browser tests (tests/helpers/ensure-chromium.sh)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for a test module (each test opens its own context: no shared cookies)."""
    path = chromium_path()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def server_engine(live_server: LiveServer) -> Iterator[Engine]:
    """The live server's database, as the kiosk and the staff console reach it."""
    engine = make_engine(live_server.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="de-DE")
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


# -- reading pages --------------------------------------------------------------------------------------------------


class _Links(HTMLParser):
    ATTRIBUTES = frozenset({"href", "src", "action", "formaction"})

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in self.ATTRIBUTES and value is not None]


def links_of(html: str) -> list[str]:
    """Every address a page names: href, src, action and formaction attributes."""
    parser = _Links()
    parser.feed(html)
    return parser.found
