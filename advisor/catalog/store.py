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

from advisor.catalog.changes import NEW, REJECTED, UNCHANGED, UPDATED, Change, changed_fields, product_cells
from advisor.catalog.dictionary import Dictionary
from advisor.catalog.formats import FileProblem, NumberedBatch
from advisor.catalog.model import AttributeDef, CatalogState, Category, Product, Stock, Store
from advisor.catalog.reads import catalog_version as catalog_version
from advisor.catalog.reads import load_dictionary as load_dictionary
from advisor.catalog.validate import FIXED_CONVERTERS, PRODUCT_COLUMNS, STOCK_COLUMNS

PRODUCT = Product.__table__  # type: ignore[attr-defined]
STOCK = Stock.__table__  # type: ignore[attr-defined]
STORE = Store.__table__  # type: ignore[attr-defined]
CATEGORY = Category.__table__  # type: ignore[attr-defined]
ATTRIBUTE = AttributeDef.__table__  # type: ignore[attr-defined]
STATE = CatalogState.__table__  # type: ignore[attr-defined]
_CHUNK = 5000


@dataclass(frozen=True)
class Rejection:
    """One rejected cell or row: its row (as the spreadsheet shows it; the CSV header is row 1), column and why."""

    row: int
    column: str
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do).

    `updated` counts the products already in the catalog (by sku) that the file writes again; with dry_run,
    `changes` says per product what would change. `unusable` holds the problems of the file as a whole: with
    any of them nothing is written, nor with `all_or_nothing` and a rejected row.
    """

    imported: int = 0
    updated: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    dry_run: bool = False
    all_or_nothing: bool = False
    read_as: str | None = None
    unusable: list[FileProblem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def rejected_rows(self) -> int:
        """How many rows were rejected (a row may have several bad cells)."""
        return len({rejection.row for rejection in self.rejected})

    @property
    def unchanged(self) -> int:
        return sum(1 for change in self.changes if change.kind == UNCHANGED)

    def as_json(self) -> dict[str, Any]:
        """The report as JSON; keys beyond the counts and rejections appear where they have something to say."""
        data: dict[str, Any] = {
            "imported": self.imported,
            "updated": self.updated,
            "rejected": [rejection.as_json() for rejection in self.rejected],
        }
        if self.read_as:
            data["read_as"] = self.read_as
        if self.unusable:
            data["unusable"] = [problem.as_json() for problem in self.unusable]
        if self.dry_run:
            data["dry_run"] = True
            data["unchanged"] = self.unchanged
            data["changes"] = [change.as_json() for change in self.changes]
        elif not self.written and (self.unusable or self.rejected):
            data["written"] = False
        if self.notes:
            data["notes"] = self.notes
        return data


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


def import_products(
    engine: Engine,
    batches: Iterable[NumberedBatch],
    *,
    dry_run: bool = False,
    all_or_nothing: bool = False,
    unusable: list[FileProblem] | None = None,
    read_as: str | None = None,
) -> ImportReport:
    """Upsert the valid products by sku in one transaction and report the rejected rows.

    Batches are validated lazily by the caller's iterator (in this thread). On PostgreSQL the previous batch is
    written by a writer thread meanwhile: the server does the work, so the writing hides behind the validation.
    SQLite is written to in this thread: its executemany takes the GIL back for every row, and a writer thread
    waits for it behind the validating one (bench_import's 100,000 product rows took 8 to 10 s so, 1.7 s in
    line, and the whole import was faster in line). An exception from the iterator rolls everything back, and so
    does a problem of the file as a whole (`unusable`, which the reader may add to while it reads), or, with
    `all_or_nothing`, a single rejected row. With `dry_run`, `changes` says what would happen to each product.
    """
    problems = unusable if unusable is not None else []
    report = ImportReport(dry_run=dry_run, all_or_nothing=all_or_nothing, read_as=read_as, unusable=problems)
    first_row: dict[str, tuple[int, str]] = {}
    with engine.begin() as connection, ThreadPoolExecutor(1, thread_name_prefix="catalog-writer") as writer:
        in_line = connection.dialect.name == "sqlite"
        existing = set(connection.execute(sa.select(PRODUCT.c.sku)).scalars())
        folded = {sku.lower(): sku for sku in existing}
        now: Any = datetime.now(UTC)
        if connection.dialect.name == "sqlite":
            now = now.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's own SQLite DateTime storage format
        pending: Future[None] | None = None
        for numbered in batches:
            products, stock, rows_of_products = _accept(numbered, first_row, folded, report)
            for values in products:
                if values[0] in existing:
                    report.updated += 1
                else:
                    report.imported += 1
            if dry_run:
                report.changes.extend(_changes(connection, numbered, products, stock, rows_of_products, existing))
                continue
            if not products or problems or (all_or_nothing and report.rejected):
                continue  # nothing of this file will be kept: validating the rest still names every problem
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
            if in_line:
                _write_batch(connection, rows, stock)
            else:
                pending = writer.submit(_write_batch, connection, rows, stock)
        if pending is not None:
            pending.result()
        report.rejected.sort(key=lambda rejection: rejection.row)
        report.changes.sort(key=lambda change: change.row)
        if dry_run or problems or (all_or_nothing and report.rejected) or report.imported + report.updated == 0:
            connection.rollback()
            return report
        bump_version(connection)
        report.written = True
    return report


def _accept(
    numbered: NumberedBatch, first_row: dict[str, tuple[int, str]], folded: dict[str, str], report: ImportReport
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[int]]:
    """The batch's good products, their stock and rows, less skus seen in an earlier row; rejections go to the report.

    Skus are one product whatever their case (NG-JACK-0001 is ng-jack-0001): a second spelling is refused,
    in the file and against the catalog, rather than becoming a second product.
    """
    batch, row_numbers = numbered.batch, numbered.row_numbers
    report.rejected.extend(
        Rejection(row_numbers[i], problem.column, problem.reason)
        for i, problems in batch.problems.items()
        for problem in problems
    )
    skus = [values[0] for values in batch.products]
    keys = list(map(str.lower, skus))
    unique = set(keys)
    if len(unique) == len(keys) and first_row.keys().isdisjoint(unique):
        clash = unique & folded.keys()
        if not clash or all(folded[key] == sku for key, sku in zip(keys, skus, strict=True) if key in clash):
            rows = [row_numbers[i] for i in batch.indexes]  # the usual batch: every sku new to the file, as spelled
            first_row.update(zip(keys, zip(rows, skus, strict=True), strict=True))
            stock = [entry for i in batch.indexes for entry in batch.stock.get(i, ())]
            return list(batch.products), stock, rows
    products: list[tuple[Any, ...]] = []
    stock = []
    rows = []
    for values, i in zip(batch.products, batch.indexes, strict=True):
        sku = values[0]
        key = sku.lower()
        seen = first_row.get(key)
        if seen is not None:
            row, spelled = seen
            reason = (
                f"{sku} already appears in row {row}"
                if spelled == sku
                else f"{sku} differs only in case from {spelled} in row {row}: skus are the same product whatever "
                f"their case; write it as {spelled}"
            )
            report.rejected.append(Rejection(row_numbers[i], "sku", reason))
            continue
        known = folded.get(key)
        if known is not None and known != sku:
            report.rejected.append(
                Rejection(
                    row_numbers[i],
                    "sku",
                    f"the catalog already has {known}: skus are the same product whatever their case; write it as "
                    f"{known} to update that product",
                )
            )
            continue
        first_row[key] = (row_numbers[i], sku)
        products.append(values)
        rows.append(row_numbers[i])
        stock.extend(batch.stock.get(i, ()))
    return products, stock, rows


def _changes(
    connection: Connection,
    numbered: NumberedBatch,
    products: Sequence[tuple[Any, ...]],
    stock: Sequence[tuple[Any, ...]],
    rows: Sequence[int],
    existing: set[str],
) -> list[Change]:
    """What importing the batch would do to each of its products: new, updated (which fields), unchanged, rejected."""
    batch, row_numbers = numbered.batch, numbered.row_numbers
    accepted = set(rows)
    changes = [Change(row=row_numbers[i], sku=batch.rejected_skus.get(i, ""), kind=REJECTED) for i in batch.problems]
    changes += [
        Change(row=row_numbers[i], sku=batch.products[position][0], kind=REJECTED)
        for position, i in enumerate(batch.indexes)
        if row_numbers[i] not in accepted
    ]
    stock_of: dict[str, list[tuple[Any, ...]]] = {}
    for entry in stock:
        stock_of.setdefault(entry[0], []).append(entry)
    known = [values[0] for values in products if values[0] in existing]
    before_products: dict[str, dict[str, Any]] = {}
    before_stock: dict[str, list[tuple[Any, ...]]] = {}
    for start in range(0, len(known), _CHUNK):
        skus = known[start : start + _CHUNK]
        for product in connection.execute(sa.select(PRODUCT).where(PRODUCT.c.sku.in_(skus))).mappings():
            before_products[product["sku"]] = dict(product)
        query = sa.select(*(STOCK.c[name] for name in STOCK_COLUMNS)).where(STOCK.c.sku.in_(skus))
        for entry in connection.execute(query):
            before_stock.setdefault(entry[0], []).append(tuple(entry))
    for values, row in zip(products, rows, strict=True):
        sku = values[0]
        after = product_cells(dict(zip(PRODUCT_COLUMNS, values, strict=True)), stock_of.get(sku, ()))
        if sku not in before_products:
            changes.append(Change(row=row, sku=sku, kind=NEW))
            continue
        stores = {entry[1] for entry in stock_of.get(sku, ())}
        kept = [entry for entry in before_stock.get(sku, ()) if entry[1] in stores]
        fields = changed_fields(product_cells(before_products[sku], kept), after)
        changes.append(Change(row=row, sku=sku, kind=UPDATED if fields else UNCHANGED, fields=fields))
    return changes


def _write_batch(connection: Connection, rows: list[tuple[Any, ...]], stock: list[tuple[Any, ...]]) -> None:
    _bulk_upsert(connection, PRODUCT, _PRODUCT_INSERT, ["sku"], rows)
    _bulk_upsert(connection, STOCK, STOCK_COLUMNS, ["sku", "store_id"], stock)


def _ordered(values: dict[str, Any], order: Sequence[str]) -> dict[str, Any]:
    """A product's object with its keys in the given order (the dictionary's; unknown keys last)."""
    position = {key: index for index, key in enumerate(order)}
    return dict(sorted(values.items(), key=lambda item: position.get(item[0], len(position))))


def export_products(engine: Engine, category: str | None = None) -> list[dict[str, Any]]:
    """Every product as a nested record in the import format (so an export imports again unchanged).

    Attributes come in the attribute dictionary's order, care, repair and sustainability in the documented one,
    whatever order the database keeps (PostgreSQL's JSON does not keep it).
    """
    dictionary = load_dictionary(engine)
    groups = {group: [column.split(".")[1] for column in FIXED_CONVERTERS if column.startswith(f"{group}.")]
              for group in ("care", "repair", "sustainability")}  # fmt: skip
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
            spec = dictionary.categories.get(row.category_id)
            record.update(
                attributes=_ordered(row.attributes, list(spec.attributes) if spec else []),
                care=_ordered(row.care, groups["care"]),
                repair=_ordered(row.repair, groups["repair"]),
                sustainability=_ordered(row.sustainability, groups["sustainability"]),
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
