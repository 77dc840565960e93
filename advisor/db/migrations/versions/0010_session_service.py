"""The whole advice session in the stored session, written conditionally on its version.

Revision ID: 0010_session_service
Revises: 0009_events
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_session_service"
down_revision = "0009_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("advice_session") as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("run", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("compared", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("completed", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("rated", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("advice_session") as batch_op:
        for column in ("rated", "completed", "compared", "run", "version"):
            batch_op.drop_column(column)
