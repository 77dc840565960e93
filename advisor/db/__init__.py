"""The database: one engine per process, SQLite by default, any SQLAlchemy URL, Alembic migrations."""

from advisor.db.engine import DEFAULT_DB_ENV, database_url, make_engine, upgrade

__all__ = ["DEFAULT_DB_ENV", "database_url", "make_engine", "upgrade"]
