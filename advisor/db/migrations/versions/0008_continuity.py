"""Continuity across devices: where a session is, what the shopper viewed and met, one-time phone tokens.

Revision ID: 0008_continuity
Revises: 0007_notes
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_continuity"
down_revision = "0007_notes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("advice_session") as batch_op:
        batch_op.add_column(sa.Column("position", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("viewed", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("relaxations", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("critiques", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("origin", sa.String(length=16), nullable=False, server_default="kiosk"))
    op.create_table(
        "phone_token",
        sa.Column("token_hash", sa.String(length=64), primary_key=True),
        sa.Column("session_id", sa.String(length=36), sa.ForeignKey("advice_session.id"), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("phone_token")
    with op.batch_alter_table("advice_session") as batch_op:
        for column in ("origin", "critiques", "relaxations", "viewed", "position"):
            batch_op.drop_column(column)
