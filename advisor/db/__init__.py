"""The database: one engine per process, SQLite by default, any SQLAlchemy URL, Alembic migrations.

The engine's functions are imported on first use, so that finding the database (`advisor.db.location`) does not
load SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from advisor.db.location import DEFAULT_DB_ENV, database_url

if TYPE_CHECKING:
    from advisor.db.engine import make_engine, upgrade

__all__ = ["DEFAULT_DB_ENV", "database_url", "make_engine", "upgrade"]


def __getattr__(name: str) -> Any:
    if name in ("make_engine", "upgrade"):
        from advisor.db import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'advisor.db' has no attribute {name!r}")
