"""A registered repair order remembers the advice run and outcome it was ordered from (sent twice, it is one order)
and every order the service flow its answers belong to (the console shows them as question and answer).

Revision ID: 0020_repair_request
Revises: 0019_category_one
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_repair_request"
down_revision = "0019_category_one"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("repair_order", sa.Column("request_key", sa.String(80), nullable=True))
    op.create_index("ix_repair_order_request_key", "repair_order", ["request_key"], unique=True)
    op.add_column("repair_order", sa.Column("questionnaire_id", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_index("ix_repair_order_request_key", table_name="repair_order")
    op.execute("ALTER TABLE repair_order DROP COLUMN questionnaire_id")
    op.execute("ALTER TABLE repair_order DROP COLUMN request_key")
