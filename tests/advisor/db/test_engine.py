"""The database layer: migrations on both servers, SQLite in WAL mode, URL resolution."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.db import database_url, make_engine, upgrade
from advisor.db.engine import current_revision

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
