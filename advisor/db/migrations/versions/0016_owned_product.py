"""The shopper's own product in a stored session: what a service run (help with a product) is about.

Revision ID: 0016_owned_product
Revises: 0015_repair_orders
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_owned_product"
down_revision = "0015_repair_orders"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("advice_session") as batch_op:
        batch_op.add_column(sa.Column("product", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("advice_session") as batch_op:
        batch_op.drop_column("product")
