"""Catalog persistence: the attribute dictionary, product upserts in one transaction, export and stats."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from advisor.catalog.dictionary import Dictionary
from advisor.catalog.formats import NumberedBatch
from advisor.catalog.model import AttributeDef, CatalogState, Category, Product, Stock, Store
from advisor.catalog.reads import catalog_version as catalog_version
from advisor.catalog.reads import load_dictionary as load_dictionary
from advisor.catalog.validate import PRODUCT_COLUMNS, STOCK_COLUMNS

PRODUCT = Product.__table__  # type: ignore[attr-defined]
STOCK = Stock.__table__  # type: ignore[attr-defined]
STORE = Store.__table__  # type: ignore[attr-defined]
CATEGORY = Category.__table__  # type: ignore[attr-defined]
ATTRIBUTE = AttributeDef.__table__  # type: ignore[attr-defined]
STATE = CatalogState.__table__  # type: ignore[attr-defined]
_CHUNK = 5000


@dataclass(frozen=True)
class Rejection:
    """One rejected record: its row (1-based; the CSV header is row 1), the column and why."""

    row: int
    column: str
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do)."""

    imported: int = 0
    updated: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "rejected": [rejection.as_json() for rejection in self.rejected],
        }


def _upsert(connection: Connection, table: sa.Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> None:
    """Insert rows, updating those whose key already exists, on SQLite and PostgreSQL alike."""
    if not rows:
        return
    dialect = connection.dialect.name
    insert: Any
    if dialect == "sqlite":
        insert = sqlite.insert(table)
    elif dialect == "postgresql":
        insert = postgresql.insert(table)
    else:
        raise NotImplementedError(f"upsert is not implemented for {dialect}")
    updates = {column.name: insert.excluded[column.name] for column in table.columns if column.name not in keys}
    statement = insert.on_conflict_do_update(index_elements=list(keys), set_=updates)
    for start in range(0, len(rows), _CHUNK):
        connection.execute(statement, list(rows[start : start + _CHUNK]))


def bump_version(connection: Connection) -> int:
    """Mark the catalog as changed; in-memory indexes rebuild when the version moves."""
    now = datetime.now(UTC)
    current = connection.execute(sa.select(STATE.c.version).where(STATE.c.id == 1)).scalar()
    if current is None:
        connection.execute(STATE.insert().values(id=1, version=1, updated_at=now))
        return 1
    connection.execute(STATE.update().where(STATE.c.id == 1).values(version=current + 1, updated_at=now))
    return int(current) + 1


def save_dictionary(engine: Engine, dictionary: Dictionary) -> None:
    """Store (upsert) the stores, categories and attribute definitions."""
    with engine.begin() as connection:
        _upsert(
            connection,
            STORE,
            [{"id": s.id, "name_de": s.name["de"], "name_en": s.name["en"]} for s in dictionary.stores.values()],
            ["id"],
        )
        _upsert(
            connection,
            CATEGORY,
            [
                {"id": c.id, "label_de": c.label["de"], "label_en": c.label["en"]}
                for c in dictionary.categories.values()
            ],
            ["id"],
        )
        rows = []
        for category in dictionary.categories.values():
            for position, spec in enumerate(category.attributes.values()):
                rows.append(
                    {
                        "category_id": category.id,
                        "name": spec.name,
                        "position": position,
                        "type": spec.type,
                        "unit": spec.unit,
                        "label_de": spec.label["de"],
                        "label_en": spec.label["en"],
                        "allowed_values": list(spec.values) if spec.values else None,
                        "min_value": spec.min,
                        "max_value": spec.max,
                        "more_is_better": spec.more_is_better,
                        "required": spec.required,
                        "value_labels": {k: dict(v) for k, v in spec.value_labels.items()}
                        if spec.value_labels
                        else None,
                        "words": {k: dict(v) for k, v in spec.words.items()} if spec.words else None,
                    }
                )
        _upsert(connection, ATTRIBUTE, rows, ["category_id", "name"])
        bump_version(connection)


def _bulk_upsert(
    connection: Connection, table: sa.Table, columns: Sequence[str], keys: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Upsert many rows as plain tuples through the driver: the ORM's per-row work is the bottleneck here."""
    if not rows:
        return
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    updates = ", ".join(f"{column} = excluded.{column}" for column in columns if column not in keys)
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )
    for start in range(0, len(rows), _CHUNK):
        connection.exec_driver_sql(sql, list(rows[start : start + _CHUNK]))


_PRODUCT_INSERT = (*PRODUCT_COLUMNS, "updated_at")


def import_products(engine: Engine, batches: Iterable[NumberedBatch], *, dry_run: bool = False) -> ImportReport:
    """Upsert the valid products by sku in one transaction and report the rejected rows.

    Batches are validated lazily by the caller's iterator (in this thread) while the previous batch is
    written by a writer thread: SQLite and psycopg release the GIL while they work, so on two cores the
    writing mostly hides behind the validation. An exception from the iterator rolls everything back.
    """
    report = ImportReport(dry_run=dry_run)
    first_row: dict[str, int] = {}
    with engine.begin() as connection, ThreadPoolExecutor(1, thread_name_prefix="catalog-writer") as writer:
        existing = set(connection.execute(sa.select(PRODUCT.c.sku)).scalars())
        now: Any = datetime.now(UTC)
        if connection.dialect.name == "sqlite":
            now = now.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's own SQLite DateTime storage format
        pending: Future[None] | None = None
        for numbered in batches:
            products, stock = _accept(numbered, first_row, report)
            for values in products:
                if values[0] in existing:
                    report.updated += 1
                else:
                    report.imported += 1
            if dry_run or not products:
                continue
            dumps = orjson.dumps
            rows = [
                (
                    *v[:10],
                    dumps(v[10]).decode(),
                    dumps(v[11]).decode(),
                    dumps(v[12]).decode(),
                    dumps(v[13]).decode(),
                    now,
                )
                for v in products
            ]
            if pending is not None:
                pending.result()
            pending = writer.submit(_write_batch, connection, rows, stock)
        if pending is not None:
            pending.result()
        report.rejected.sort(key=lambda rejection: rejection.row)
        if dry_run or report.imported + report.updated == 0:
            connection.rollback()
            return report
        bump_version(connection)
    return report


def _accept(
    numbered: NumberedBatch, first_row: dict[str, int], report: ImportReport
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The batch's good products and stock, less skus seen in an earlier row; rejections go to the report."""
    batch, row_numbers = numbered.batch, numbered.row_numbers
    report.rejected.extend(
        Rejection(row_numbers[i], problem.column, problem.reason)
        for i, problems in batch.problems.items()
        for problem in problems
    )
    products: list[tuple[Any, ...]] = []
    stock: list[tuple[Any, ...]] = []
    for values, i in zip(batch.products, batch.indexes, strict=True):
        sku = values[0]
        if sku in first_row:
            report.rejected.append(Rejection(row_numbers[i], "sku", f"{sku} already appears in row {first_row[sku]}"))
            continue
        first_row[sku] = row_numbers[i]
        products.append(values)
        stock.extend(batch.stock.get(i, ()))
    return products, stock


def _write_batch(connection: Connection, rows: list[tuple[Any, ...]], stock: list[tuple[Any, ...]]) -> None:
    _bulk_upsert(connection, PRODUCT, _PRODUCT_INSERT, ["sku"], rows)
    _bulk_upsert(connection, STOCK, STOCK_COLUMNS, ["sku", "store_id"], stock)


def export_products(engine: Engine, category: str | None = None) -> list[dict[str, Any]]:
    """Every product as a nested record in the import format (so an export imports again unchanged)."""
    query = sa.select(PRODUCT).order_by(PRODUCT.c.sku)
    if category:
        query = query.where(PRODUCT.c.category_id == category)
    with engine.connect() as connection:
        stock: dict[str, list[dict[str, Any]]] = {}
        for row in connection.execute(sa.select(STOCK).order_by(STOCK.c.sku, STOCK.c.store_id)):
            entry: dict[str, Any] = {"store": row.store_id, "quantity": row.quantity}
            location = {loc: text for loc, text in (("de", row.location_de), ("en", row.location_en)) if text}
            if location:
                entry["location"] = location
            stock.setdefault(row.sku, []).append(entry)
        products = []
        for row in connection.execute(query):
            record: dict[str, Any] = {
                "sku": row.sku,
                "category": row.category_id,
                "brand": row.brand,
                "name": {"de": row.name_de, "en": row.name_en},
                "description": {"de": row.description_de, "en": row.description_en},
                "price": row.price_cents / 100,
                "currency": row.currency,
            }
            if row.image:
                record["image"] = row.image
            record.update(
                attributes=row.attributes, care=row.care, repair=row.repair, sustainability=row.sustainability
            )
            if row.sku in stock:
                record["stock"] = stock[row.sku]
            products.append(record)
    return products


def catalog_stats(engine: Engine) -> dict[str, Any]:
    """Product counts in all and per category (categories without products count 0)."""
    with engine.connect() as connection:
        query = sa.select(PRODUCT.c.category_id, sa.func.count()).group_by(PRODUCT.c.category_id)
        counts: dict[str, int] = {category: count for category, count in connection.execute(query)}
        categories = connection.execute(sa.select(CATEGORY.c.id).order_by(CATEGORY.c.id)).scalars().all()
    per_category = {category: int(counts.get(category, 0)) for category in categories}
    return {"products": sum(per_category.values()), "categories": per_category}
