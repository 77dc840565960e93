"""An appointment's revision: it rises with every move, so the calendar file sent after a move (its SEQUENCE)
replaces the entry a shopper's calendar already has.

Revision ID: 0018_appointment_revision
Revises: 0017_appointment_session
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_appointment_revision"
down_revision = "0017_appointment_session"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("appointment") as batch:
        batch.add_column(sa.Column("revision", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("appointment") as batch:
        batch.drop_column("revision")
