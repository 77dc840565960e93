"""Words per attribute for explanations ("lighter", "the lightest of the 5"), in German and English.

Revision ID: 0011_attribute_words
Revises: 0010_session_service
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_attribute_words"
down_revision = "0010_session_service"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attribute_def") as batch_op:
        batch_op.add_column(sa.Column("words", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attribute_def") as batch_op:
        batch_op.drop_column("words")
