"""Whether a repair order was taken while the statutory warranty may apply (bought within its two years): the slip,
the console and the phone say to bring the receipt, and that it may cost nothing.

Revision ID: 0025_repair_warranty
Revises: 0024_shopper_seen
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_repair_warranty"
down_revision = "0024_shopper_seen"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("repair_order") as batch:
        batch.add_column(sa.Column("warranty", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("repair_order") as batch:
        batch.drop_column("warranty")
