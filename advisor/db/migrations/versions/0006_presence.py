"""Presence: when a staff member's console last reported in.

Revision ID: 0006_presence
Revises: 0005_chat
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_presence"
down_revision = "0005_chat"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_member") as batch_op:
        batch_op.add_column(sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_member") as batch_op:
        batch_op.drop_column("last_seen")
