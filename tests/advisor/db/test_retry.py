"""Retrying database work that failed for a passing reason, and only then; the short reason for a log line."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from advisor.db import make_engine
from advisor.db.engine import INTERACTIVE_BUSY_TIMEOUT_MS
from advisor.db.retry import is_transient, retrying, short_reason


@pytest.fixture
def busy(tmp_path: Path) -> Iterator[tuple[sa.Engine, sqlite3.Connection]]:
    """An interactive engine on an SQLite file whose write lock another connection holds."""
    path = tmp_path / "busy.sqlite3"
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=INTERACTIVE_BUSY_TIMEOUT_MS)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE note (text TEXT)")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    yield engine, writer
    writer.close()


def _count(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM note").scalar_one())


def test_a_write_is_retried_until_the_other_writer_is_done(busy: tuple[sa.Engine, sqlite3.Connection]) -> None:
    engine, writer = busy
    calls = 0

    def write() -> str:
        nonlocal calls
        calls += 1
        if calls == 3:
            writer.rollback()  # the other writer finishes while the second attempt waits
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO note VALUES ('hello')")
        return "written"

    assert retrying(write, attempts=4, pause=0.01) == "written"
    assert calls == 3
    assert _count(engine) == 1


def test_it_gives_up_after_the_attempts(busy: tuple[sa.Engine, sqlite3.Connection]) -> None:
    engine, _writer = busy
    calls = 0

    def write() -> None:
        nonlocal calls
        calls += 1
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO note VALUES ('hello')")

    with pytest.raises(OperationalError, match="database is locked") as caught:
        retrying(write, attempts=2, pause=0.01)
    assert calls == 2
    assert short_reason(caught.value) == "database is locked"


def test_an_error_that_does_not_pass_is_raised_at_once(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    calls = 0

    def read() -> int:
        nonlocal calls
        calls += 1
        return _count(engine)

    with pytest.raises(OperationalError, match="no such table") as caught:
        retrying(read, attempts=5, pause=0.01)
    assert calls == 1
    assert not is_transient(caught.value)


def test_a_refused_connection_passes_and_reads_briefly() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(OperationalError) as caught:
        make_engine(f"postgresql://advisor:secret@127.0.0.1:{port}/advisor").connect()
    assert is_transient(caught.value)
    assert short_reason(caught.value) == "Connection refused"
    assert "secret" not in short_reason(caught.value)


def test_attempts_must_be_at_least_one() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        retrying(lambda: None, attempts=0, pause=0)


def test_what_is_wrong_with_a_database_is_told_apart(tmp_path: Path) -> None:
    """A damaged file, one that cannot take a write and one out of reach: each told the shopper truthfully."""
    from sqlalchemy.exc import SQLAlchemyError

    from advisor.db.retry import AWAY, DAMAGED, FULL, database_trouble

    def failure(url: str, statement: str = "SELECT count(*) FROM note") -> SQLAlchemyError:
        with pytest.raises(SQLAlchemyError) as caught, make_engine(url).connect() as connection:
            connection.exec_driver_sql(statement)
        return caught.value

    path = tmp_path / "damaged.sqlite3"
    writer = make_engine(f"sqlite:///{path}")
    with writer.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE note (text TEXT)")
        connection.exec_driver_sql("INSERT INTO note VALUES ('x')")
    writer.dispose()  # (the last connection closed: the write-ahead log is in the file)
    with path.open("r+b") as damaged:
        damaged.seek(100)
        damaged.write(b"\xff" * 3000)
    assert database_trouble(failure(f"sqlite:///{path}")) == DAMAGED

    readonly = tmp_path / "readonly.sqlite3"
    with make_engine(f"sqlite:///{readonly}").begin() as connection:
        connection.exec_driver_sql("CREATE TABLE note (text TEXT)")
    url = f"sqlite:///file:{readonly}?mode=ro&uri=true"
    assert database_trouble(failure(url, "INSERT INTO note VALUES ('x')")) == FULL

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert database_trouble(failure(f"postgresql://advisor:secret@127.0.0.1:{port}/advisor")) == AWAY
