"""Where the database is, without loading SQLAlchemy: the URL the process uses and, for SQLite, its file."""

from __future__ import annotations

import json
import os
from pathlib import Path

from advisor.paths import data_dir
from advisor.urls import UNUSABLE, redacted, usable

DEFAULT_DB_ENV = "ADVISOR_DATABASE_URL"
# The newest migration (tests check it is Alembic's head): at it, start-up skips importing Alembic.
HEAD = "0025_repair_warranty"


class UnusableDatabaseUrl(ValueError):
    """A database URL the advisor cannot use; the message says which and why in one line, its password hidden."""


def database_url(explicit: str | None = None) -> str:
    """The URL to use: an explicit one, else ADVISOR_DATABASE_URL, else SQLite in the user data dir (`checked_url`
    says whether the advisor can use it; `make_engine` asks)."""
    if explicit:
        return _normalise(explicit)
    from_env = os.environ.get(DEFAULT_DB_ENV)
    if from_env:
        return _normalise(from_env)
    return f"sqlite:///{data_dir() / 'advisor.sqlite3'}"


def checked_url(url: str) -> str:
    """A database URL as the engine takes it: SQLite, or PostgreSQL through psycopg 3 (`postgresql://` and
    `postgres://` alike); anything else is refused with UnusableDatabaseUrl, the same words wherever it was given."""
    if not usable(url):
        raise UnusableDatabaseUrl(f"{json.dumps(redacted(url), ensure_ascii=False)} {UNUSABLE}")
    return _normalise(url)


def _normalise(url: str) -> str:
    # psycopg 3 is the PostgreSQL driver we ship; plain postgresql:// URLs would ask for psycopg2.
    scheme, separator, rest = url.strip().partition("://")
    dialect, plus, driver = scheme.lower().partition("+")
    if separator and dialect in ("postgresql", "postgres"):
        return f"postgresql+{driver if plus else 'psycopg'}://{rest}"
    return url


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (`sqlite:///relative/path`, `sqlite:////absolute/path`); None for any other
    database and for an in-memory one."""
    scheme, separator, rest = url.partition(":///")
    if not separator or scheme not in ("sqlite", "sqlite+pysqlite"):
        return None
    name = rest.split("?", 1)[0]
    return Path(name) if name and name != ":memory:" else None
