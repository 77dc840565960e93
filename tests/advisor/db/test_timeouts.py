"""Timeouts: a busy SQLite file, an unreachable or silent PostgreSQL server and a slow statement fail fast."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from advisor.bootstrap import open_database
from advisor.db import make_engine
from advisor.db.engine import CONNECT_TIMEOUT_S, INTERACTIVE_BUSY_TIMEOUT_MS, shown_url
from advisor.db.retry import is_transient


@pytest.fixture
def busy_file(tmp_path: Path) -> Iterator[tuple[str, sqlite3.Connection]]:
    """An SQLite file (with a table) whose write lock another connection holds (BEGIN IMMEDIATE)."""
    path = tmp_path / "busy.sqlite3"
    with make_engine(f"sqlite:///{path}").begin() as connection:
        connection.exec_driver_sql("CREATE TABLE note (text TEXT)")
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    yield f"sqlite:///{path}", writer
    writer.close()


def _write(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO note VALUES ('hello')")


def test_an_interactive_write_to_a_busy_sqlite_file_fails_well_under_a_second(
    busy_file: tuple[str, sqlite3.Connection],
) -> None:
    url, _writer = busy_file
    engine = make_engine(url, busy_timeout_ms=INTERACTIVE_BUSY_TIMEOUT_MS)
    started = time.monotonic()
    with pytest.raises(OperationalError, match="database is locked") as caught:
        _write(engine)
    waited = time.monotonic() - started
    assert 0.25 <= waited < 1.0, f"waited {waited:.2f} s"
    assert is_transient(caught.value)


def test_a_batch_write_waits_out_another_writer(busy_file: tuple[str, sqlite3.Connection]) -> None:
    url, writer = busy_file
    threading.Timer(1.0, writer.rollback).start()  # the other writer finishes after a second
    started = time.monotonic()
    _write(make_engine(url))
    assert time.monotonic() - started >= 0.9


def test_interactive_apps_get_the_short_busy_timeout_and_commands_the_long_one(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'advisor.sqlite3'}"
    for engine, expected in ((open_database(url, interactive=True), 300), (open_database(url), 10_000)):
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == expected


def test_a_silent_postgresql_server_fails_a_connection_after_the_connect_timeout() -> None:
    with socket.socket() as silent:  # accepts TCP connections (the kernel does) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        engine = make_engine(f"postgresql://advisor:secret@127.0.0.1:{silent.getsockname()[1]}/advisor")
        started = time.monotonic()
        with pytest.raises(OperationalError) as caught:
            engine.connect()
        waited = time.monotonic() - started
    assert CONNECT_TIMEOUT_S - 0.5 <= waited < CONNECT_TIMEOUT_S + 2, f"waited {waited:.2f} s"
    assert is_transient(caught.value)


def test_a_closed_postgresql_port_fails_at_once() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens once the probe is closed
    engine = make_engine(f"postgresql://advisor:secret@127.0.0.1:{port}/advisor")
    started = time.monotonic()
    with pytest.raises(OperationalError, match="refused"):
        engine.connect()
    assert time.monotonic() - started < CONNECT_TIMEOUT_S


@pytest.mark.postgres
def test_a_slow_statement_of_an_interactive_app_is_cut_by_the_statement_timeout(postgres_url: str) -> None:
    engine = open_database(postgres_url, load_sample=False, interactive=True)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "5s"
        started = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout") as caught:
            connection.exec_driver_sql("SELECT pg_sleep(10)")
    waited = time.monotonic() - started
    assert 4.5 <= waited < 7, f"waited {waited:.2f} s"
    assert not is_transient(caught.value), "a cut statement is not retried as if the connection had dropped"
    engine.dispose()


@pytest.mark.postgres
def test_commands_have_no_statement_timeout_and_url_options_are_kept(postgres_url: str) -> None:
    with make_engine(postgres_url).connect() as connection:
        assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "0"
    url = sa.make_url(postgres_url).update_query_dict({"options": "-c lock_timeout=1234"})
    engine = make_engine(url.render_as_string(hide_password=False), statement_timeout_ms=2000)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == "1234ms"
        assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "2s"
    engine.dispose()


def test_log_lines_show_the_server_but_not_who_signs_in() -> None:
    shown = shown_url("postgresql+psycopg://advisor:secret@db.store.local:5433/advisor")
    assert shown == "postgresql://…@db.store.local:5433/advisor"
    assert shown_url("sqlite:////var/lib/advisor/advisor.sqlite3") == "sqlite:////var/lib/advisor/advisor.sqlite3"
