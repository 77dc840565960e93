"""The database layer: migrations on both servers, SQLite in WAL mode, URL resolution."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.db import database_url, make_engine, upgrade
from advisor.db.engine import UnknownRevision, current_revision
from advisor.db.location import UnusableDatabaseUrl
from advisor.urls import redacted

TABLES = {"store", "category", "attribute_def", "product", "stock", "catalog_state", "alembic_version"}


def test_upgrade_creates_the_tables_and_is_idempotent(engine: Engine) -> None:
    assert set(sa.inspect(engine).get_table_names()) >= TABLES
    head = current_revision(engine)
    upgrade(engine)
    assert current_revision(engine) == head


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_default_url_is_sqlite_in_the_user_data_dir(isolated_data_dir: Path) -> None:
    assert database_url() == f"sqlite:///{isolated_data_dir / 'advisor.sqlite3'}"


def test_environment_and_explicit_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_DATABASE_URL", "postgresql://u:p@db/advice")
    assert database_url() == "postgresql+psycopg://u:p@db/advice"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_head_constant_is_alembics_head(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    from advisor.db.engine import HEAD, alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'h.sqlite3'}")
    assert ScriptDirectory.from_config(alembic_config(engine)).get_current_head() == HEAD


def test_a_database_a_newer_version_upgraded_is_left_alone_with_a_message_saying_so(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_future'")
    with pytest.raises(UnknownRevision) as raised:
        upgrade(engine)
    message = str(raised.value)
    assert "schema revision 0099_future" in message and "newer version" in message
    assert "\n" not in message and ": " not in message, "one line, shown whole by the kiosk's journal line too"
    assert current_revision(engine) == "0099_future", "nothing was done to it"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("not a url", '"not a url"'),
        ("mysql://advisor:S3cretPw@db/advisor", '"mysql://advisor:***@db/advisor"'),
        ("postgresql+psycopg2://advisor:S3cretPw@db/advisor", '"postgresql+psycopg2://advisor:***@db/advisor"'),
        ("postgresql://advisor:S3cretPw@db:port/advisor", '"postgresql+psycopg://advisor:***@db:port/advisor"'),
        ("sqlite://relative.sqlite3", '"sqlite://relative.sqlite3"'),
    ],
)
def test_a_url_the_advisor_cannot_use_is_refused_in_one_line_without_its_password(url: str, shown: str) -> None:
    with pytest.raises(UnusableDatabaseUrl) as raised:
        make_engine(url)
    message = str(raised.value)
    assert message.startswith(f"{shown} is not a ") and "\n" not in message
    assert "S3cretPw" not in message


def test_a_url_in_the_environment_that_cannot_be_used_is_refused_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_DATABASE_URL", "mysql://advisor:S3cretPw@db/advisor")
    with pytest.raises(UnusableDatabaseUrl) as raised:
        make_engine()
    assert str(raised.value).startswith('"mysql://advisor:***@db/advisor" is not a database URL the advisor can use')


def test_postgres_and_postgresql_urls_alike_use_psycopg_3() -> None:
    assert database_url("postgres://u:p@db/advice") == "postgresql+psycopg://u:p@db/advice"
    assert database_url("postgresql://u:p@db/advice") == "postgresql+psycopg://u:p@db/advice"
    assert make_engine("postgres://u:p@db/advice").dialect.driver == "psycopg"


def test_a_password_is_hidden_in_the_address_and_as_an_option() -> None:
    assert redacted("postgresql://advisor:p@ss/word@db/advisor") == "postgresql://advisor:***@db/advisor"
    assert redacted("postgresql://db/advisor?user=advisor&password=S3cret") == (
        "postgresql://db/advisor?user=advisor&password=***"
    )
    assert redacted("sqlite:////var/lib/advisor.sqlite3") == "sqlite:////var/lib/advisor.sqlite3"


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    """It holds shoppers' contacts and chats: no other user of the machine reads it, nor its WAL file."""
    path = tmp_path / "store.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE note (words TEXT)"))
        connection.execute(sa.text("INSERT INTO note VALUES ('Alex, 0660 999 888')"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    wal = tmp_path / "store.sqlite3-wal"
    assert wal.exists() and stat.S_IMODE(wal.stat().st_mode) == 0o600
    engine.dispose()
    path.chmod(0o640)  # an existing file keeps what store IT gave it
    make_engine(f"sqlite:///{path}").dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
