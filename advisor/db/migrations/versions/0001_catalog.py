"""Catalog tables: stores, categories, attribute dictionary, products, stock, catalog version.

Revision ID: 0001_catalog
Revises: 
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa


revision = '0001_catalog'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalog_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('category',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('label_de', sa.String(), nullable=False),
    sa.Column('label_en', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('store',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name_de', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('attribute_def',
    sa.Column('category_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('unit', sa.String(), nullable=True),
    sa.Column('label_de', sa.String(), nullable=False),
    sa.Column('label_en', sa.String(), nullable=False),
    sa.Column('allowed_values', sa.JSON(), nullable=True),
    sa.Column('min_value', sa.Float(), nullable=True),
    sa.Column('max_value', sa.Float(), nullable=True),
    sa.Column('more_is_better', sa.Boolean(), nullable=True),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], ),
    sa.PrimaryKeyConstraint('category_id', 'name')
    )
    op.create_table('product',
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('category_id', sa.String(length=64), nullable=False),
    sa.Column('brand', sa.String(), nullable=False),
    sa.Column('name_de', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.Column('description_de', sa.String(), nullable=False),
    sa.Column('description_en', sa.String(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('image', sa.String(), nullable=True),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('care', sa.JSON(), nullable=False),
    sa.Column('repair', sa.JSON(), nullable=False),
    sa.Column('sustainability', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], ),
    sa.PrimaryKeyConstraint('sku')
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_category_id'), ['category_id'], unique=False)

    op.create_table('stock',
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('store_id', sa.String(length=32), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('location_de', sa.String(), nullable=False),
    sa.Column('location_en', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['sku'], ['product.sku'], ),
    sa.ForeignKeyConstraint(['store_id'], ['store.id'], ),
    sa.PrimaryKeyConstraint('sku', 'store_id')
    )


def downgrade() -> None:
    op.drop_table('stock')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_category_id'))

    op.drop_table('product')
    op.drop_table('attribute_def')
    op.drop_table('store')
    op.drop_table('category')
    op.drop_table('catalog_state')
