"""Where the database is, without loading SQLAlchemy: the URL the process uses and, for SQLite, its file."""

from __future__ import annotations

import os
from pathlib import Path

from advisor.paths import data_dir

DEFAULT_DB_ENV = "ADVISOR_DATABASE_URL"
# The newest migration (tests check it is Alembic's head): at it, start-up skips importing Alembic.
HEAD = "0018_appointment_revision"


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


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (`sqlite:///relative/path`, `sqlite:////absolute/path`); None for any other
    database and for an in-memory one."""
    scheme, separator, rest = url.partition(":///")
    if not separator or scheme not in ("sqlite", "sqlite+pysqlite"):
        return None
    name = rest.split("?", 1)[0]
    return Path(name) if name and name != ":memory:" else None
