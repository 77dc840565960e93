"""Staff members for the console: name and salted PIN hash.

Revision ID: 0004_staff
Revises: 0003_handoff
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_staff"
down_revision = "0003_handoff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_member",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("staff_member")
