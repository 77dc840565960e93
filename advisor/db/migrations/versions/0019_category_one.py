"""A category's name for one product ("1 Zelt", "1 tent"), beside its label ("Zelte"): counts read right.

Revision ID: 0019_category_one
Revises: 0018_appointment_revision
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_category_one"
down_revision = "0018_appointment_revision"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("category", sa.Column("one_de", sa.String, nullable=True))
    op.add_column("category", sa.Column("one_en", sa.String, nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite has it since 3.35): a batch copy would drop the table that products
    # refer to, which SQLite's foreign keys refuse.
    op.execute("ALTER TABLE category DROP COLUMN one_en")
    op.execute("ALTER TABLE category DROP COLUMN one_de")
