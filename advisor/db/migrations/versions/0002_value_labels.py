"""Attribute dictionary: labels per allowed value of enum and set attributes.

Revision ID: 0002_value_labels
Revises: 0001_catalog
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_value_labels"
down_revision = "0001_catalog"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attribute_def") as batch_op:
        batch_op.add_column(sa.Column("value_labels", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attribute_def") as batch_op:
        batch_op.drop_column("value_labels")
