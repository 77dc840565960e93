"""The web companion on the internet: counted attempts shared by every server process, and the mail outbox.

Revision ID: 0012_web_guard
Revises: 0011_attribute_words
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_web_guard"
down_revision = "0011_attribute_words"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attempt_count",  # wrong codes, sent mails …: per key and window, for every process and instance alike
        sa.Column("key", sa.String(length=200), primary_key=True),
        sa.Column("window_start", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_attempt_count_window_start", "attempt_count", ["window_start"])
    op.create_table(
        "mail_outbox",  # a summary waiting to be sent (the address is deleted with the row once it is sent)
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.String(length=36), nullable=True),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False, server_default="de"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.String(length=300), nullable=True),
    )
    op.create_index("ix_mail_outbox_next_attempt_at", "mail_outbox", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_mail_outbox_next_attempt_at", table_name="mail_outbox")
    op.drop_table("mail_outbox")
    op.drop_index("ix_attempt_count_window_start", table_name="attempt_count")
    op.drop_table("attempt_count")
