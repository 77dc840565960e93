"""An appointment keeps the shopper's wish to be reminded, so a move keeps it (before, a booking too near for a
reminder lost the wish).

Revision ID: 0021_appointment_remind
Revises: 0020_repair_request
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_appointment_remind"
down_revision = "0020_repair_request"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("appointment", sa.Column("remind", sa.Boolean, nullable=False, server_default=sa.false()))
    op.execute(
        "UPDATE appointment SET remind = TRUE WHERE reminder_due_at IS NOT NULL OR reminded_at IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE appointment DROP COLUMN remind")
