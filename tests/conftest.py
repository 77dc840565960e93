"""Shared fixtures: an isolated data directory per test and real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from advisor.db import make_engine, upgrade
from advisor.paths import Content, use_content
from tests.helpers.private_postgres import PrivatePostgres, why_not_possible

POSTGRES_ENV = "ADVISOR_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user data directory and no inherited database URL."""
    data = tmp_path / "data"
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(data))
    monkeypatch.delenv("ADVISOR_DATABASE_URL", raising=False)
    return data


@pytest.fixture(autouse=True)
def shipped_content() -> Iterator[None]:
    """Every test starts (and leaves the process) reading the shipped questionnaires, guides and size charts."""
    use_content(Content())
    yield
    use_content(Content())


def postgres_admin_url() -> str | None:
    """The admin URL of the real PostgreSQL server, or None; in CI its absence is an error."""
    url = os.environ.get(POSTGRES_ENV)
    if not url and os.environ.get("CI"):
        pytest.fail(f"{POSTGRES_ENV} is not set: CI must run the PostgreSQL tests (tests/helpers/ensure-postgres.sh)")
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    admin_url = postgres_admin_url()
    if admin_url is None:
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV} or run `make test` as root")
    # No pooled connections: a test may restart the server, and the teardown must still reach it.
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    name = f"advisor_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)
        admin.dispose()


def drop_database(admin: sa.engine.Engine, name: str) -> None:
    """Drop a test database. An autovacuum worker (the server's, after a test wrote much) cannot be ended by the
    test role, so a refused drop is tried again for a few seconds."""
    for attempt in range(20):
        try:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (sa.exc.ProgrammingError, sa.exc.OperationalError):
            if attempt == 19:
                raise
            time.sleep(0.25)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty database: an SQLite file, or a fresh database on the real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a migrated, empty database (no catalog loaded)."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    """A PostgreSQL server of the test's own, running, to `.stop()` and `.start()` (the shared server stays up)."""
    reason = why_not_possible()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to run a private PostgreSQL server: {reason}")
        pytest.skip(f"no private PostgreSQL server: {reason}")
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.remove()
