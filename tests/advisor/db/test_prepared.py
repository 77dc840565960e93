"""Statements on the driver's connection behave as SQLAlchemy's own: the same values both ways, the same errors, and
a connection the database dropped is replaced; reads without a transaction block leave the pool as they found it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.catalog.reads import catalog_version
from advisor.db.engine import make_engine, upgrade
from advisor.db.prepared import Prepared, reading
from advisor.db.retry import is_transient
from advisor.handoff.model import AdviceSession as SessionRow

SESSION = SessionRow.__table__  # type: ignore[attr-defined]
MOMENT = datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=UTC)


def _values(session_id: str) -> dict[str, object]:
    return {
        "id": session_id, "resume_code": session_id[-8:].upper(), "questionnaire_id": "tent-finder",
        "questionnaire_version": "7", "answers": {"persons": 3, "season": ["summer", "spring"], "note": "Zelt „Ü“"},
        "locale": "de", "store_id": None, "kiosk_id": "kiosk-1", "consent": True, "position": "season",
        "origin": "web", "viewed": ["NG-1"], "relaxations": [], "critiques": [{"attribute": "weight_kg"}],
        "created_at": MOMENT, "updated_at": MOMENT, "expires_at": MOMENT + timedelta(days=14), "version": 3,
        "completed": False,
    }  # fmt: skip


def _insert(engine: Engine, values: dict[str, object]) -> Prepared:
    names = sorted(values)
    return Prepared(engine, SESSION.insert().values({name: sa.bindparam(name, type_=SESSION.c[name].type)
                                                     for name in names}))  # fmt: skip


def test_a_row_written_and_read_on_the_driver_is_what_sqlalchemy_writes_and_reads(engine: Engine) -> None:
    ours, theirs = _values("s-prepared-0001"), _values("s-sqlalchemy-01")
    _insert(engine, ours).count(ours)
    with engine.begin() as connection:
        connection.execute(SESSION.insert().values(**theirs))
    select = sa.select(SESSION).where(SESSION.c.id == sa.bindparam("session_id"))
    read = Prepared(engine, select)
    with engine.connect() as connection:
        for session_id in ("s-prepared-0001", "s-sqlalchemy-01"):
            expected = connection.execute(select, {"session_id": session_id}).one()._asdict()
            [row] = read.rows({"session_id": session_id})
            assert dict(row) == expected
    [row] = read.rows({"session_id": "s-prepared-0001"})
    assert row.answers == ours["answers"] and row.consent is True and row.version == 3
    assert read.rows({"session_id": "nobody"}) == []


def test_a_duplicate_key_is_sqlalchemys_integrity_error(engine: Engine) -> None:
    values = _values("s-duplicate-001")
    insert = _insert(engine, values)
    insert.count(values)
    with pytest.raises(sa.exc.IntegrityError):
        insert.count(values)


def test_a_conditional_update_counts_the_rows_it_changed(engine: Engine) -> None:
    values = _values("s-update-00001")
    _insert(engine, values).count(values)
    update = Prepared(engine, SESSION.update().where(SESSION.c.id == sa.bindparam("b_id"),
                                                     SESSION.c.version == sa.bindparam("b_version"))
                      .values(version=sa.bindparam("v_version")))  # fmt: skip
    assert update.count({"b_id": "s-update-00001", "b_version": 3, "v_version": 4}) == 1
    assert update.count({"b_id": "s-update-00001", "b_version": 3, "v_version": 4}) == 0, "the version moved on"


def test_a_busy_sqlite_file_is_a_transient_operational_error(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/busy.sqlite3"
    engine = make_engine(url, busy_timeout_ms=50)
    upgrade(engine)
    values = _values("s-busy-0000001")
    insert = _insert(engine, values)
    holder = sqlite3.connect(url.removeprefix("sqlite:///"), check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the file's write lock
    try:
        with pytest.raises(sa.exc.OperationalError) as raised:
            insert.count(values)
        assert is_transient(raised.value)
    finally:
        holder.rollback()
        holder.close()
    assert insert.count(values) == 1, "once the lock is gone the same statement works"
    engine.dispose()


@pytest.mark.postgres
def test_a_dropped_postgresql_connection_is_replaced(postgres_url: str) -> None:
    engine = make_engine(postgres_url, pre_ping=False)
    upgrade(engine)
    read = Prepared(engine, sa.select(sa.func.pg_backend_pid().label("pid")))
    [first] = read.rows({})
    with sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT").connect() as admin:
        admin.exec_driver_sql(f"SELECT pg_terminate_backend({int(first.pid)})")
    with pytest.raises(sa.exc.OperationalError) as raised:
        read.rows({})  # the pooled connection is the one the server dropped
    assert raised.value.connection_invalidated and is_transient(raised.value)
    [second] = read.rows({})
    assert second.pid != first.pid, "a new connection, not the dropped one"
    engine.dispose()


@pytest.mark.parametrize(
    "url", ["postgresql://nobody:wrong@127.0.0.1:9/none", "sqlite:////nonexistent-folder/advisor.sqlite3"]
)
def test_a_database_that_cannot_be_reached_is_sqlalchemys_operational_error_as_through_connect(url: str) -> None:
    """A server down or refused, a file that cannot be opened: the same error `Engine.connect` raises, which the web
    companion answers with its "unavailable" page (the driver's own error was a plain 500)."""
    engine = make_engine(url)
    read = Prepared(engine, sa.select(sa.literal(1).label("one")))
    with pytest.raises(sa.exc.OperationalError) as raised:
        read.rows({})
    with pytest.raises(sa.exc.OperationalError) as through_connect, engine.connect():
        pass
    assert type(raised.value) is type(through_connect.value)
    assert is_transient(raised.value) == is_transient(through_connect.value)
    engine.dispose()


def test_a_connection_given_back_after_reading_is_transactional_again(engine: Engine) -> None:
    """`reading` runs its statements without a transaction block; the pool's next user gets a connection whose
    writes wait for COMMIT and go with a rollback, as every other connection's."""
    with reading(engine) as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(SESSION)).scalar() == 0
    with engine.connect() as connection:
        connection.execute(SESSION.insert().values(_values("s-rolled-back-1")))
        connection.rollback()
    with reading(engine) as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(SESSION)).scalar() == 0


@pytest.mark.postgres
def test_reads_keep_the_statements_postgresql_prepared(postgres_url: str) -> None:
    """psycopg prepares a statement at its fifth use on a connection and drops them all at a ROLLBACK: reads that
    end in one (SQLAlchemy's `engine.connect()`) keep nothing prepared, reads through `reading` keep them."""
    engine = make_engine(postgres_url, pool_size=1, pre_ping=False)
    upgrade(engine)
    prepared_now = sa.text("SELECT count(*) FROM pg_prepared_statements")
    try:
        for _ in range(8):
            with engine.connect() as connection:
                connection.execute(sa.select(SESSION.c.id).where(SESSION.c.id == "x")).all()
        with reading(engine) as connection:
            assert connection.execute(prepared_now).scalar() == 0
        for _ in range(8):
            catalog_version(engine)
        with reading(engine) as connection:
            assert connection.execute(prepared_now).scalar() >= 1
    finally:
        engine.dispose()
