"""Staff notes on a handoff request.

Revision ID: 0007_notes
Revises: 0006_presence
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_notes"
down_revision = "0006_presence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_request") as batch_op:
        batch_op.add_column(sa.Column("notes", sa.String(length=4000), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("handoff_request") as batch_op:
        batch_op.drop_column("notes")
