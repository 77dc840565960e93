"""Repair orders: a product a shopper leaves at the store for repair, under a pickup code, and every change of its
state with the time and the staff member who made it.

The shopper's name, e-mail address and phone number are kept only with their consent (a check constraint refuses
them without it).

Revision ID: 0015_repair_orders
Revises: 0014_variants
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_repair_orders"
down_revision = "0014_variants"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "repair_order",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("pickup_code", sa.String(length=12), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("product_sku", sa.String(length=64), nullable=False),
        sa.Column("variant_sku", sa.String(length=64), nullable=True),
        sa.Column("problem", sa.String(length=2000), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("tried", sa.JSON(), nullable=False),
        sa.Column("turnaround_days", sa.Integer(), nullable=False),
        sa.Column("cost_min_cents", sa.Integer(), nullable=True),
        sa.Column("cost_max_cents", sa.Integer(), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=320), nullable=True),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("address", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.Column("finished_at", _WHEN, nullable=True),
        sa.UniqueConstraint("pickup_code", name="uq_repair_order_pickup_code"),
        sa.CheckConstraint("turnaround_days >= 0", name="ck_repair_order_turnaround"),
        sa.CheckConstraint(
            "(cost_min_cents IS NULL AND cost_max_cents IS NULL) OR "
            "(0 <= cost_min_cents AND cost_min_cents <= cost_max_cents)",
            name="ck_repair_order_cost",
        ),
        sa.CheckConstraint(
            "consent OR (contact_name IS NULL AND contact_email IS NULL AND contact_phone IS NULL)",
            name="ck_repair_order_contact_consent",
        ),
    )
    op.create_index("ix_repair_order_store_state", "repair_order", ["store_id", "state"])
    op.create_index("ix_repair_order_finished_at", "repair_order", ["finished_at"])
    op.create_table(
        "repair_change",
        sa.Column("order_id", sa.Integer(), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=True),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("staff_name", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["repair_order.id"], ondelete="CASCADE"),
    )


def downgrade() -> None:
    op.drop_table("repair_change")
    op.drop_index("ix_repair_order_finished_at", table_name="repair_order")
    op.drop_index("ix_repair_order_store_state", table_name="repair_order")
    op.drop_table("repair_order")
