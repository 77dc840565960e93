"""The read side's light table references name exactly the model's tables and columns, with their kinds."""

from __future__ import annotations

import sqlalchemy as sa

from advisor.catalog import model
from advisor.catalog.reads import LIGHT_TABLES

KINDS = (sa.JSON, sa.Integer, sa.Float, sa.Boolean, sa.String)


def _kind(column_type: object) -> type:
    if isinstance(column_type, sa.types.TypeDecorator):  # SQLModel's AutoString wraps String
        column_type = column_type.impl_instance
    return next(kind for kind in KINDS if isinstance(column_type, kind))


def test_every_light_column_is_a_model_column_of_the_same_kind() -> None:
    tables = model.SQLModel.metadata.tables
    for light in LIGHT_TABLES:
        assert light.name in tables, light.name
        real = tables[light.name]
        for column in light.columns:
            assert column.name in real.columns, f"{light.name}.{column.name}"
            assert _kind(column.type) is _kind(real.columns[column.name].type), f"{light.name}.{column.name}"


def test_the_read_side_does_not_import_the_orm_models() -> None:
    import subprocess
    import sys

    code = (
        "import sys, advisor.bootstrap, advisor.recommend.index, advisor.catalog.reads, advisor.audit; "
        "print('sqlmodel' in sys.modules, 'advisor.catalog.model' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert shown == ["False", "False"], "opening the database and building the index stay clear of SQLModel"
