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
    with op.batch_alter_table("category") as batch:
        batch.add_column(sa.Column("one_de", sa.String, nullable=True))
        batch.add_column(sa.Column("one_en", sa.String, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("category") as batch:
        batch.drop_column("one_en")
        batch.drop_column("one_de")
