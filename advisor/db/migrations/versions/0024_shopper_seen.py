"""When the shopper's phone was last seen on a request's chat (its chat page polls while it is open): a chat whose
phone went quiet (the tab closed, the shopper gone) says so on the staff console, as claimed requests never expire.
And the kiosk a request was asked at: a kiosk that died with it open ends it at its next start.

Revision ID: 0024_shopper_seen
Revises: 0023_request_channel
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_shopper_seen"
down_revision = "0023_request_channel"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoff_request") as batch:
        batch.add_column(sa.Column("shopper_seen_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("kiosk_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoff_request") as batch:
        batch.drop_column("kiosk_id")
        batch.drop_column("shopper_seen_at")
