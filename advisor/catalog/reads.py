"""Reading the catalog without the ORM models: what the index, `advisor check` and the apps need at start.

The SQLModel classes (`advisor/catalog/model.py`) define the tables and serve every write; importing them
costs about 0.4 s (SQLModel and pydantic). Reading needs only table and column names, so the read side uses
light `sa.table` references; a test keeps them equal to the model's columns.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from advisor.catalog.dictionary import AttributeSpec, CategorySpec, Dictionary, StoreSpec
from advisor.db.prepared import reading

_text = sa.String
PRODUCT = sa.table(
    "product",
    *(sa.column(name, _text) for name in ("sku", "category_id", "brand", "name_de", "name_en", "description_de",
                                           "description_en", "currency", "image")),
    sa.column("price_cents", sa.Integer),
    *(sa.column(name, sa.JSON) for name in ("attributes", "care", "repair", "sustainability")),
)  # fmt: skip
STOCK = sa.table(
    "stock", *(sa.column(name, _text) for name in ("sku", "store_id", "location_de", "location_en")),
    sa.column("quantity", sa.Integer),
)  # fmt: skip
VARIANT = sa.table(
    "variant", *(sa.column(name, _text) for name in ("sku", "model_sku", "gtin", "image")),
    sa.column("position", sa.Integer), sa.column("price_cents", sa.Integer), sa.column("options", sa.JSON),
)  # fmt: skip
STORE = sa.table("store", *(sa.column(name, _text) for name in ("id", "name_de", "name_en")))
CATEGORY = sa.table(
    "category", *(sa.column(name, _text) for name in ("id", "label_de", "label_en", "one_de", "one_en"))
)
ATTRIBUTE = sa.table(
    "attribute_def",
    *(sa.column(name, _text) for name in ("category_id", "name", "type", "unit", "label_de", "label_en")),
    sa.column("position", sa.Integer), sa.column("min_value", sa.Float), sa.column("max_value", sa.Float),
    sa.column("more_is_better", sa.Boolean), sa.column("required", sa.Boolean), sa.column("varies", sa.Boolean),
    sa.column("allowed_values", sa.JSON), sa.column("value_labels", sa.JSON), sa.column("words", sa.JSON),
)  # fmt: skip
STATE = sa.table("catalog_state", sa.column("id", sa.Integer), sa.column("version", sa.Integer))
LIGHT_TABLES = (PRODUCT, VARIANT, STOCK, STORE, CATEGORY, ATTRIBUTE, STATE)


def catalog_version(engine: Engine) -> int:
    """The catalog's change counter (0 when nothing was ever loaded)."""
    with reading(engine) as connection:
        return int(connection.execute(sa.select(STATE.c.version).where(STATE.c.id == 1)).scalar() or 0)


def catalog_is_empty(engine: Engine) -> bool:
    """Whether no product has been loaded yet."""
    with reading(engine) as connection:
        return connection.execute(sa.select(PRODUCT.c.sku).limit(1)).first() is None


def holds_dictionary(engine: Engine) -> bool:
    """Whether an attribute dictionary of the chain's own (its stores or categories) is stored, products or not."""
    with reading(engine) as connection:
        return any(connection.execute(sa.select(table.c.id).limit(1)).first() for table in (CATEGORY, STORE))


def store_ids(engine: Engine) -> frozenset[str]:
    """The stores the catalog knows (those its stock columns may name)."""
    with reading(engine) as connection:
        return frozenset(str(row[0]) for row in connection.execute(sa.select(STORE.c.id)))


def load_dictionary(bind: Engine | Connection) -> Dictionary:
    """The attribute dictionary as stored in the database (through a connection: in its transaction)."""
    if isinstance(bind, Connection):
        return _read_dictionary(bind)
    with reading(bind) as connection:
        return _read_dictionary(connection)


def _read_dictionary(connection: Connection) -> Dictionary:
    """The stores, categories and attribute definitions, read through one connection."""
    stores = {
        row.id: StoreSpec(id=row.id, name={"de": row.name_de, "en": row.name_en})
        for row in connection.execute(sa.select(STORE).order_by(STORE.c.id))
    }
    attributes: dict[str, dict[str, AttributeSpec]] = {}
    for row in connection.execute(sa.select(ATTRIBUTE).order_by(ATTRIBUTE.c.category_id, ATTRIBUTE.c.position)):
        attributes.setdefault(row.category_id, {})[row.name] = AttributeSpec(
            name=row.name,
            type=row.type,
            label={"de": row.label_de, "en": row.label_en},
            unit=row.unit,
            values=tuple(row.allowed_values) if row.allowed_values else None,
            min=row.min_value,
            max=row.max_value,
            more_is_better=row.more_is_better,
            required=row.required,
            value_labels=row.value_labels,
            words=row.words,
            varies=bool(row.varies),
        )
    categories = {
        row.id: CategorySpec(
            id=row.id,
            label={"de": row.label_de, "en": row.label_en},
            attributes=attributes.get(row.id, {}),
            one={"de": row.one_de, "en": row.one_en} if row.one_de and row.one_en else None,
        )
        for row in connection.execute(sa.select(CATEGORY).order_by(CATEGORY.c.id))
    }
    return Dictionary(stores=stores, categories=categories)


def store_name(bind: Engine | Connection, store_id: str | None, locale: str, fallback: str = "") -> str:
    """The store's name as a shopper reading `locale` is told it, the one rule for the summary, the repair page and
    their e-mails: the catalog's name in that language ("Munich City Centre"; its German one where it has no English
    one), else `fallback` (the configured name, config.store.name: a store the catalog does not list)."""
    if store_id:
        query = sa.select(STORE.c.name_de, STORE.c.name_en).where(STORE.c.id == store_id)
        if isinstance(bind, Connection):
            row = bind.execute(query).first()
        else:
            with reading(bind) as connection:
                row = connection.execute(query).first()
        named = (row.name_en if locale == "en" and row.name_en else row.name_de) if row is not None else None
        if named:
            return str(named)
    return fallback
