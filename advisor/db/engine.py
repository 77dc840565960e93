"""Create the database engine and bring its schema up to date."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.paths import data_dir

DEFAULT_DB_ENV = "ADVISOR_DATABASE_URL"
# The newest migration (tests check it is Alembic's head): at it, start-up skips importing Alembic.
HEAD = "0009_events"
_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(explicit: str | None = None) -> str:
    """The URL to use: an explicit one, else ADVISOR_DATABASE_URL, else SQLite in the user data dir."""
    if explicit:
        return _normalise(explicit)
    from_env = os.environ.get(DEFAULT_DB_ENV)
    if from_env:
        return _normalise(from_env)
    return f"sqlite:///{data_dir() / 'advisor.sqlite3'}"


def _normalise(url: str) -> str:
    # psycopg 3 is the PostgreSQL driver we ship; plain postgresql:// URLs would ask for psycopg2.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # 64 MiB of page cache (default 2 MiB): a bulk import of 100,000 products touches ~100 MiB of pages.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """One engine for the process; SQLite gets WAL mode and foreign keys."""
    resolved = database_url(url)
    if resolved.startswith("sqlite"):
        engine = sa.create_engine(resolved, connect_args={"check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(resolved, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Any:
    """An Alembic configuration pointing at the packaged migrations and this engine."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply all migrations up to `revision` (the app does this on every start; at HEAD it only looks)."""
    if revision == "head" and current_revision(engine) == HEAD:
        return
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None before the first migration."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
