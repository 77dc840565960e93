"""Catalog tables: stores, categories with their attribute dictionary, products and stock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

metadata = SQLModel.metadata


def _now() -> datetime:
    return datetime.now(UTC)


class Store(SQLModel, table=True):
    """A shop whose kiosks run the advice and whose shelves hold stock."""

    id: str = Field(primary_key=True, max_length=32)
    name_de: str
    name_en: str


class Category(SQLModel, table=True):
    """A catalog category such as tents; questionnaires advise on one category."""

    id: str = Field(primary_key=True, max_length=64)
    label_de: str
    label_en: str
    one_de: str | None = None  # one product of it ("Zelt"), for counts of one; None: "Produkt"
    one_en: str | None = None


class AttributeDef(SQLModel, table=True):
    """One entry of a category's attribute dictionary: name, type, unit, labels, allowed values."""

    __tablename__ = "attribute_def"

    category_id: str = Field(primary_key=True, foreign_key="category.id", max_length=64)
    name: str = Field(primary_key=True, max_length=64)
    position: int = 0
    type: str = Field(max_length=16)
    unit: str | None = None
    label_de: str
    label_en: str
    allowed_values: list[str] | None = Field(default=None, sa_type=sa.JSON)
    min_value: float | None = None
    max_value: float | None = None
    more_is_better: bool | None = None
    required: bool = False
    value_labels: dict[str, dict[str, str]] | None = Field(default=None, sa_type=sa.JSON)
    words: dict[str, dict[str, str]] | None = Field(default=None, sa_type=sa.JSON)  # per locale: better, worse, best
    varies: bool = False  # the attribute may differ between a model's variants (size, colour, length)


class Product(SQLModel, table=True):
    """A model (what the advice recommends) with its typed attributes, care, repair and sustainability facts."""

    sku: str = Field(primary_key=True, max_length=64)
    category_id: str = Field(foreign_key="category.id", index=True, max_length=64)
    brand: str
    name_de: str
    name_en: str
    description_de: str = ""
    description_en: str = ""
    price_cents: int
    currency: str = Field(default="EUR", max_length=3)
    image: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    care: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    repair: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    sustainability: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    updated_at: datetime = Field(default_factory=_now, sa_type=sa.DateTime(timezone=True))


class Variant(SQLModel, table=True):
    """One article of a model: its own SKU and GTIN, the values of the attributes that vary (size, colour,
    length), and a price or picture where they differ from the model's. A model without variants in its
    file has one, of the model's own SKU."""

    sku: str = Field(primary_key=True, max_length=64)
    model_sku: str = Field(
        sa_column=sa.Column(
            sa.String(64),
            sa.ForeignKey("product.sku", name="fk_variant_model_sku_product", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    position: int = 0
    gtin: str | None = Field(default=None, max_length=14, unique=True)
    options: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    price_cents: int | None = None
    image: str | None = None


class Stock(SQLModel, table=True):
    """How many of a variant a store has, and where in the store it stands."""

    sku: str = Field(
        sa_column=sa.Column(sa.String(64), sa.ForeignKey("variant.sku", name="fk_stock_sku_variant"), primary_key=True)
    )
    store_id: str = Field(primary_key=True, foreign_key="store.id", max_length=32)
    quantity: int = 0
    location_de: str = ""
    location_en: str = ""


class CatalogState(SQLModel, table=True):
    """A single row whose version grows with every catalog change (in-memory indexes key on it)."""

    __tablename__ = "catalog_state"

    id: int = Field(default=1, primary_key=True)
    version: int = 0
    updated_at: datetime = Field(default_factory=_now, sa_type=sa.DateTime(timezone=True))
