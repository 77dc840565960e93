"""An index on the appointments' advice session: the shopper's phone and the results page look up the appointments
booked for their advice.

Revision ID: 0017_appointment_session
Revises: 0016_owned_product
Create Date: 2026-12-03
"""

from alembic import op

revision = "0017_appointment_session"
down_revision = "0016_owned_product"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_appointment_session_id", "appointment", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_appointment_session_id", table_name="appointment")
