"""The repair tables as migration 0015 makes them: the light references name the same columns, and the migration goes
back to 0014_variants and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Engine

from advisor.db import upgrade
from advisor.db.engine import alembic_config
from advisor.repairs.tables import REPAIR_CHANGE, REPAIR_ORDER


def _columns(engine: Engine, table: str) -> set[str]:
    with engine.connect() as connection:
        return {column["name"] for column in sa.inspect(connection).get_columns(table)}


def test_the_light_tables_name_the_migrated_columns(engine: Engine) -> None:
    for table in (REPAIR_ORDER, REPAIR_CHANGE):
        assert _columns(engine, table.name) == set(table.c.keys()), table.name


def test_the_migration_goes_back_and_up_again(engine: Engine) -> None:
    command.downgrade(alembic_config(engine), "0014_variants")
    with engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
    assert not tables & {"repair_order", "repair_change"}
    upgrade(engine)
    assert _columns(engine, "repair_order") == set(REPAIR_ORDER.c.keys())
