"""The repair tables as light SQLAlchemy references (made by migrations 0015_repair_orders, 0020_repair_request,
0025_repair_warranty)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
_WHEN = sa.DateTime(timezone=True)

REPAIR_ORDER = sa.Table(
    "repair_order",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("pickup_code", sa.String(12), nullable=False, unique=True),
    sa.Column("store_id", sa.String(32), nullable=False),
    sa.Column("product_sku", sa.String(64), nullable=False),  # the model's SKU
    sa.Column("variant_sku", sa.String(64), nullable=True),
    sa.Column("problem", sa.String(2000), nullable=False),  # a guide's problem key or the shopper's words
    sa.Column("answers", sa.JSON, nullable=False),  # what the shopper answered about the problem
    sa.Column("tried", sa.JSON, nullable=False),  # the guide's steps the shopper already tried
    sa.Column("turnaround_days", sa.Integer, nullable=False),
    sa.Column("cost_min_cents", sa.Integer, nullable=True),
    sa.Column("cost_max_cents", sa.Integer, nullable=True),
    sa.Column("consent", sa.Boolean, nullable=False),
    sa.Column("contact_name", sa.String(200), nullable=True),  # the three only with consent
    sa.Column("contact_email", sa.String(320), nullable=True),
    sa.Column("contact_phone", sa.String(40), nullable=True),
    sa.Column("locale", sa.String(8), nullable=False),
    sa.Column("address", sa.String(8), nullable=False),  # "du" or "Sie" (German)
    sa.Column("state", sa.String(24), nullable=False),
    sa.Column("created_at", _WHEN, nullable=False),
    sa.Column("updated_at", _WHEN, nullable=False),
    sa.Column("finished_at", _WHEN, nullable=True),  # when it reached a final state (the purge counts from it)
    # The advice run and outcome a registered order came from (None once it is taken in): sent twice, one order.
    sa.Column("request_key", sa.String(80), nullable=True, unique=True),
    sa.Column("questionnaire_id", sa.String(64), nullable=True),  # the service flow its answers belong to
    sa.Column("warranty", sa.Boolean, nullable=False),  # taken in while the statutory warranty may apply
)

REPAIR_CHANGE = sa.Table(
    "repair_change",  # every state an order reached: the first is "received", one more per accepted action
    metadata,
    sa.Column("order_id", sa.Integer, sa.ForeignKey("repair_order.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("state", sa.String(24), nullable=False),
    sa.Column("action", sa.String(24), nullable=True),
    sa.Column("at", _WHEN, nullable=False),
    sa.Column("staff_name", sa.String(64), nullable=True),
)

# Read-only references to the catalog's names (no import of the catalog's models).
PRODUCT = sa.table("product", sa.column("sku"), sa.column("name_de"), sa.column("name_en"))
STORE = sa.table("store", sa.column("id"), sa.column("name_de"), sa.column("name_en"))
