"""Chat messages between shoppers and staff, per handoff request.

Revision ID: 0005_chat
Revises: 0004_staff
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_chat"
down_revision = "0004_staff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=8), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=True),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["handoff_request.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("chat_message") as batch_op:
        batch_op.create_index("ix_chat_message_request_id", ["request_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("chat_message") as batch_op:
        batch_op.drop_index("ix_chat_message_request_id")
    op.drop_table("chat_message")
