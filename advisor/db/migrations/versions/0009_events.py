"""Anonymous usage events and feedback comments for merchandisers' insights.

Revision ID: 0009_events
Revises: 0008_continuity
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_events"
down_revision = "0008_continuity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "advice_event",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("run", sa.String(length=36), nullable=True, index=True),
        sa.Column("questionnaire_id", sa.String(length=64), nullable=False, index=True),
        sa.Column("questionnaire_version", sa.String(length=64), nullable=False, server_default=""),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False, index=True),
        sa.Column("step_id", sa.String(length=64), nullable=True),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("number", sa.Float(), nullable=True),
    )
    op.create_table(
        "feedback_comment",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("questionnaire_id", sa.String(length=64), nullable=False),
        sa.Column("about", sa.String(length=16), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("scale", sa.String(length=8), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("feedback_comment")
    op.drop_table("advice_event")
