"""Models and variants: a product row is now a model; each model has variants (size, colour, length ...), each
with its own SKU, GTIN, options, an optional price and picture; stock is counted per variant.

Every existing product becomes a model with one variant of the same SKU, so every stock row keeps its key and
moves from the product to that variant unchanged. The dictionary says which attributes may vary per variant.
Downgrading folds the variants back: each model's stock per store is the sum of its variants' (the first
variant's shelf), and the variants' GTINs, options and prices are dropped.

Revision ID: 0014_variants
Revises: 0013_appointments
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_variants"
down_revision = "0013_appointments"
branch_labels = None
depends_on = None

# Names for the unnamed foreign keys of 0001 (SQLite's batch mode finds them by this convention).
_NAMES = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def _drop_stock_key(referred: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        inspector = sa.inspect(bind)
        for key in inspector.get_foreign_keys("stock"):
            if key["referred_table"] == referred and key["name"]:
                op.drop_constraint(key["name"], "stock", type_="foreignkey")
        return
    with op.batch_alter_table("stock", naming_convention=_NAMES) as batch_op:
        batch_op.drop_constraint(f"fk_stock_sku_{referred}", type_="foreignkey")


def _add_stock_key(referred: str, column: str) -> None:
    with op.batch_alter_table("stock", naming_convention=_NAMES) as batch_op:
        batch_op.create_foreign_key(f"fk_stock_sku_{referred}", referred, ["sku"], [column])


def upgrade() -> None:
    with op.batch_alter_table("attribute_def") as batch_op:
        batch_op.add_column(sa.Column("varies", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "variant",
        sa.Column("sku", sa.String(length=64), primary_key=True),
        sa.Column("model_sku", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("gtin", sa.String(length=14), nullable=True),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=True),
        sa.Column("image", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["model_sku"], ["product.sku"], name="fk_variant_model_sku_product", ondelete="CASCADE"),
    )
    op.create_index("ix_variant_model_sku", "variant", ["model_sku"])
    op.create_index("ix_variant_gtin", "variant", ["gtin"], unique=True)
    op.execute("INSERT INTO variant (sku, model_sku, position, gtin, options) SELECT sku, sku, 0, NULL, '{}' FROM product")
    _drop_stock_key("product")
    _add_stock_key("variant", "sku")


def downgrade() -> None:
    _drop_stock_key("variant")
    # Each model's stock per store: the sum of its variants', on the first variant's shelf.
    op.execute(
        """
        CREATE TABLE stock_folded AS
        SELECT v.model_sku AS sku, s.store_id AS store_id, SUM(s.quantity) AS quantity,
               MIN(s.location_de) AS location_de, MIN(s.location_en) AS location_en
        FROM stock s JOIN variant v ON v.sku = s.sku
        GROUP BY v.model_sku, s.store_id
        """
    )
    op.execute("DELETE FROM stock")
    op.execute(
        "INSERT INTO stock (sku, store_id, quantity, location_de, location_en) "
        "SELECT sku, store_id, quantity, location_de, location_en FROM stock_folded"
    )
    op.drop_table("stock_folded")
    _add_stock_key("product", "sku")
    op.drop_index("ix_variant_gtin", "variant")
    op.drop_index("ix_variant_model_sku", "variant")
    op.drop_table("variant")
    with op.batch_alter_table("attribute_def") as batch_op:
        batch_op.drop_column("varies")
