"""Which staff member changed which answer of a shopper's advice, and when: a colleague's console names the change
("Ben Koch hat „Personen“ geändert") instead of the sheet changing silently. Deleted with the session.

Revision ID: 0022_case_change
Revises: 0021_appointment_remind
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_case_change"
down_revision = "0021_appointment_remind"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_change",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("staff_name", sa.String(length=64), nullable=False),
        sa.Column("step_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["advice_session.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_case_change_session_id", "case_change", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_case_change_session_id", table_name="case_change")
    op.drop_table("case_change")
