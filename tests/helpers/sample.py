"""A database with the sample catalog, on SQLite and PostgreSQL alike (the app loads it unasked only into SQLite)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from advisor.bootstrap import load_sample_catalog, open_database
from advisor.catalog.reads import catalog_is_empty


def open_with_sample(url: str, **options: Any) -> Engine:
    """`open_database(url, **options)`, with the sample catalog loaded also into an empty PostgreSQL database (as
    `advisor catalog load-sample` does there)."""
    engine = open_database(url, **options)
    if catalog_is_empty(engine):
        load_sample_catalog(engine)
    return engine
