"""Where the shopper is for a handoff request: the kiosk, or the web (their phone or home). A session begun at a kiosk
may ask for a chat from the phone, or take the kiosk's chat to the phone: the console says "Chat vom Handy" and the
kiosk's idle timeout no longer ends a chat that goes on there.

Revision ID: 0023_request_channel
Revises: 0022_case_change
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_request_channel"
down_revision = "0022_case_change"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_request") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoff_request") as batch:
        batch.drop_column("channel")
