"""Catalog persistence: the attribute dictionary, product upserts in one transaction, export and stats."""

from __future__ import annotations

import operator
import sqlite3
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import chain, repeat
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from advisor.catalog.changes import (
    NEW,
    REJECTED,
    UNCHANGED,
    UPDATED,
    Change,
    FieldChange,
    changed_fields,
    product_cells,
)
from advisor.catalog.dictionary import AttributeSpec, CategorySpec, Dictionary
from advisor.catalog.formats import FileProblem, NumberedBatch
from advisor.catalog.model import AttributeDef, CatalogState, Category, Product, Stock, Store, Variant
from advisor.catalog.numbers import ENGLISH, NumberStyle, quoted
from advisor.catalog.reads import catalog_version as catalog_version
from advisor.catalog.reads import load_dictionary as load_dictionary
from advisor.catalog.validate import (
    FIXED_CONVERTERS,
    PRODUCT_COLUMNS,
    STOCK_COLUMNS,
    flatten_record,
    gtin14,
    gtin_forms,
)

# The sqlite3 module binds None only after looking for an adapter of it, which costs a raised and cleared
# AttributeError per cell; an import of 100,000 products binds some 400,000 (pictures, variants' GTINs and prices).
# Found in the registry, this one gives None back at once, bound as NULL as before (set().discard: a C function
# that returns None for any argument). None is not a base type: str, int and float keep their fast path.
sqlite3.register_adapter(type(None), set().discard)

PRODUCT = Product.__table__  # type: ignore[attr-defined]
STOCK = Stock.__table__  # type: ignore[attr-defined]
STORE = Store.__table__  # type: ignore[attr-defined]
CATEGORY = Category.__table__  # type: ignore[attr-defined]
ATTRIBUTE = AttributeDef.__table__  # type: ignore[attr-defined]
STATE = CatalogState.__table__  # type: ignore[attr-defined]
VARIANT = Variant.__table__  # type: ignore[attr-defined]
VARIANT_INSERT = ("sku", "model_sku", "position", "gtin", "options", "price_cents", "image")
_CHUNK = 5000


@dataclass(frozen=True)
class Rejection:
    """One rejected cell or row: its row (as the spreadsheet shows it; the CSV header is row 1), column and why."""

    row: int
    column: str
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass(frozen=True)
class Missing:
    """A catalog product of one of the file's categories that the file does not contain."""

    sku: str
    name: str
    category: str

    def as_json(self) -> dict[str, Any]:
        return {"sku": self.sku, "name": self.name, "category": self.category}


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do).

    `updated` counts the products already in the catalog (by sku) that the file writes again; with dry_run,
    `changes` says per product what would change. `unusable` holds the problems of the file as a whole: with
    any of them nothing is written, nor with `all_or_nothing` and a rejected row.

    `missing` are the catalog's products of the file's categories that the file does not contain; with
    `remove_missing` the import takes them out of the catalog (`removed`: how many it did, or with dry_run would),
    unless a row is rejected (that row may be one of them): then `removed` stays 0.
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
    missing: list[Missing] = field(default_factory=list)
    remove_missing: bool = False
    removed: int = 0

    @property
    def rejected_rows(self) -> int:
        """How many rows were rejected (a row may have several bad cells)."""
        return len({rejection.row for rejection in self.rejected})

    @property
    def nothing_imported(self) -> bool:
        """Nothing is (or, with dry_run, would be) imported: the file as a whole is unusable, every row is rejected,
        or a row is rejected under all_or_nothing."""
        return bool(self.unusable) or bool(self.rejected) and (self.all_or_nothing or not self.imported + self.updated)

    @property
    def unchanged(self) -> int:
        """How many products (as `updated` counts them, not rows: a model's variants are one) stay as they are."""
        return len({change.sku.lower() for change in self.changes if change.kind == UNCHANGED})

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
        if self.missing:
            data["missing"] = [missing.as_json() for missing in self.missing]
        if self.remove_missing:
            data["removed"] = self.removed
        if self.notes:
            data["notes"] = self.notes
        return data


def _upsert(connection: Connection, table: sa.Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> None:
    """Insert rows, updating those whose key already exists (the columns the rows give), on SQLite and PostgreSQL
    alike."""
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
    given = rows[0].keys()
    updates = {column.name: insert.excluded[column.name] for column in table.columns
               if column.name in given and column.name not in keys}  # fmt: skip
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
    """Store (upsert) the stores, categories and attribute definitions.

    It adds and updates only: a store, category or attribute the database has and the dictionary leaves out is
    kept as it was, and so is a category's word for one product that its file leaves out (an attribute's allowed
    values, range and labels are the dictionary's), and no product is
    changed or checked. `check_dictionary` says which stored products the new definitions no longer fit.
    """
    with engine.begin() as connection:
        _upsert(
            connection,
            STORE,
            [{"id": s.id, "name_de": s.name["de"], "name_en": s.name["en"]} for s in dictionary.stores.values()],
            ["id"],
        )
        categories: list[dict[str, str | None]] = []
        for c in dictionary.categories.values():
            categories.append({"id": c.id, "label_de": c.label["de"], "label_en": c.label["en"]})
            if not c.one_left_out:
                categories[-1].update(one_de=c.one["de"] if c.one else None, one_en=c.one["en"] if c.one else None)
        # A category whose file leaves `one` out keeps the stored word, as it keeps attributes the file leaves out.
        _upsert(connection, CATEGORY, [row for row in categories if "one_de" in row], ["id"])
        _upsert(connection, CATEGORY, [row for row in categories if "one_de" not in row], ["id"])
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
                        "varies": spec.varies,
                    }
                )
        _upsert(connection, ATTRIBUTE, rows, ["category_id", "name"])
        bump_version(connection)


@dataclass(frozen=True)
class Misfit:
    """A stored product's value that its category's new definition does not allow."""

    sku: str
    attribute: str
    value: str  # as written for a person: "1250 g", "high"
    reason: str  # "above the maximum 1000", "not one of low, mid"
    variants: str = ""  # of a value that varies: how many of the model's variants have it ("2 of 8 variants")


@dataclass
class DictionaryCheck:
    """Per category of a dictionary: how many stored products its definition no longer fits, the first `shown` of
    their misfits (a product and attribute each), and the stored attributes it leaves out (kept as they are)."""

    outside: dict[str, int] = field(default_factory=dict)
    misfits: dict[str, list[Misfit]] = field(default_factory=dict)
    kept: dict[str, list[str]] = field(default_factory=dict)

    def lines(self, *, dry_run: bool = False) -> list[str]:
        """The import's notes: per category, the products it does not fit (the first of them, a product and
        attribute a line, with the value) and the stored attributes that the dictionary leaves out."""
        lines = []
        for category, count in self.outside.items():
            lines.append(f"note: {count} stored product(s) of category {category} {'would' if dry_run else 'do'} "
                         "not fit this definition; their values stay as stored (import them corrected, or change "
                         "the definition):")  # fmt: skip
            misfits = self.misfits[category]
            lines += [f"  {m.sku} {m.attribute} {m.value}" + (f" ({m.variants})" if m.variants else "")
                      + f": {m.reason}" for m in misfits]  # fmt: skip
            named = len({m.sku for m in misfits})
            if count > named:
                lines.append(f"  and {count - named} more product(s) ({count} in all)")
        for category, names in self.kept.items():
            lines.append(f"note: category {category}: stored attribute(s) {', '.join(names)} not in this file are "
                         "kept as they are (an import adds and updates attributes, it removes none)")  # fmt: skip
        return lines


def _shown_value(spec: AttributeSpec, value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "(none)"
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:g}" + (f" {spec.unit}" if spec.unit else "")
    return str(value)


def _unfit(spec: AttributeSpec, value: Any) -> str | None:
    """Why the definition does not allow a stored value (None: it does)."""
    if value is None:
        return "no value, but the attribute is required" if spec.required else None
    allowed = f"not one of {', '.join(spec.values or ())}"
    if spec.is_numeric:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "not a number"
        if spec.type == "integer" and value != int(value):
            return "not a whole number"
        if spec.min is not None and value < spec.min:
            return f"below the minimum {spec.min:g}"
        if spec.max is not None and value > spec.max:
            return f"above the maximum {spec.max:g}"
    elif spec.type == "boolean" and not isinstance(value, bool):
        return "not yes or no"
    elif spec.type == "enum" and value not in (spec.values or ()):
        return allowed
    elif spec.type == "set":
        if not isinstance(value, list):
            return "not a list of values"
        others = [item for item in value if item not in (spec.values or ())]
        return f"{', '.join(map(str, others))} {allowed}" if others else None
    return None


def _model_misfits(category: CategorySpec, sku: str, attributes: Mapping[str, Any],
                   variants: Sequence[Mapping[str, Any]]) -> list[Misfit]:  # fmt: skip
    """A model's values (a value that varies: each variant's) that its category's definition does not allow."""
    found = []
    for name, spec in category.attributes.items():
        if not spec.varies or len(variants) < 2:
            own = {**attributes, **(variants[0] if variants else {})}.get(name)
            reason = _unfit(spec, own)
            if reason is not None:
                found.append(Misfit(sku, name, _shown_value(spec, own), reason))
            continue
        tally: dict[tuple[str, str], int] = {}
        for options in variants:
            value = options.get(name, attributes.get(name))
            reason = _unfit(spec, value)
            if reason is not None:
                key = (_shown_value(spec, value), reason)
                tally[key] = tally.get(key, 0) + 1
        found += [Misfit(sku, name, value, reason, f"{count} of {len(variants)} variants")
                  for (value, reason), count in tally.items()]  # fmt: skip
    return found


def check_dictionary(engine: Engine, dictionary: Dictionary, shown: int = 10) -> DictionaryCheck:
    """What a dictionary's categories mean for the stored catalog (before or after `save_dictionary`: it reads the
    products, which saving does not change): the products a category's definition no longer fits (a value out of
    the range or not one of the allowed values, a required value missing), and the stored attributes it leaves out.
    """
    check = DictionaryCheck()
    categories = sorted(dictionary.categories)
    if not categories:
        return check
    with engine.connect() as connection:
        query = sa.select(ATTRIBUTE.c.category_id, ATTRIBUTE.c.name).where(ATTRIBUTE.c.category_id.in_(categories))
        for category_id, name in connection.execute(query.order_by(ATTRIBUTE.c.category_id, ATTRIBUTE.c.position)):
            if name not in dictionary.categories[category_id].attributes:
                check.kept.setdefault(category_id, []).append(name)
        query = (
            sa.select(PRODUCT.c.sku, PRODUCT.c.category_id, PRODUCT.c.attributes, VARIANT.c.options)
            .select_from(PRODUCT.outerjoin(VARIANT, VARIANT.c.model_sku == PRODUCT.c.sku))
            .where(PRODUCT.c.category_id.in_(categories))
            .order_by(PRODUCT.c.sku, VARIANT.c.position, VARIANT.c.sku)
        )
        model: tuple[str, str, Mapping[str, Any]] | None = None
        variants: list[Mapping[str, Any]] = []

        def checked() -> None:
            if model is None:
                return
            sku, category_id, attributes = model
            misfits = _model_misfits(dictionary.categories[category_id], sku, attributes, variants)
            if misfits:
                check.outside[category_id] = check.outside.get(category_id, 0) + 1
                listed = check.misfits.setdefault(category_id, [])
                listed += misfits[: max(0, shown - len(listed))]

        for sku, category_id, attributes, options in connection.execute(query):
            if model is None or sku != model[0]:
                checked()
                model, variants = (sku, category_id, attributes or {}), []
            if options is not None:
                variants.append(options)
        checked()
    return check


def _bulk_upsert(
    connection: Connection,
    table: sa.Table,
    columns: Sequence[str],
    keys: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    new: bool = False,
    fixed: Mapping[str, Any] | None = None,
) -> None:
    """Upsert many rows as plain tuples through the driver: the ORM's per-row work is the bottleneck here.

    With `new` (rows whose keys the table cannot have yet) a plain INSERT: on SQLite it takes half the time of
    the upsert, which looks every row up before inserting it. Should one exist after all, it fails (and rolls
    the import back) rather than overwriting. `fixed` holds columns of one value for every row: on SQLite written
    into the statement (the driver copies each bound value, and looks up an adapter for each None), elsewhere
    bound with each row.
    """
    if not rows:
        return
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    names = [*columns, *(fixed or ())]
    values = [marker] * len(columns)
    if fixed and connection.dialect.name == "sqlite":
        values += map(_literal, fixed.values())
    elif fixed:
        values += [marker] * len(fixed)
        constant = tuple(fixed.values())
        rows = [(*row, *constant) for row in rows]
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join(values)})"
    if not new:
        updates = ", ".join(f"{column} = excluded.{column}" for column in names if column not in keys)
        sql += f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    for start in range(0, len(rows), _CHUNK):
        connection.exec_driver_sql(sql, list(rows[start : start + _CHUNK]))


def _literal(value: Any) -> str:
    """A value as an SQL literal (None, a whole number or a text)."""
    if value is None:
        return "NULL"
    if type(value) is int:
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {value!r}")


# A product without variant columns has one variant of its own sku, position 0, no GTIN, its price and picture.
_SINGLE_VARIANT = ("sku", "model_sku", "options")
_SINGLE_VARIANT_FIXED = {"position": 0, "gtin": None, "price_cents": None, "image": None}


class _BulkMode:
    """An SQLite connection set for an import into an empty catalog: no foreign key checks, and the rollback journal
    instead of the write-ahead log if no other connection has the file open; both set back after it.

    Off, the foreign key checks cost an import of 100,000 products some 4 % more instructions: SQLite looks up
    each variant's product and each stock row's variant and store. What they would check, the import has made
    sure of: a product's category and a stock row's store are the dictionary's (validation refuses others; the
    dictionary is stored before the products, and nothing deletes categories or stores), and every batch writes
    its products, then their variants, then their stock.

    In WAL mode every new page is written twice, to the log and then to the file (a checkpoint at the commit:
    a second of the 100,000-product import); a rollback journal for tables that were empty holds almost nothing,
    and the pages go to the file once (as `sqlite3 .import` writes them). SQLite changes the mode only for a
    connection alone with the file; otherwise the import keeps WAL. Meanwhile readers that connect wait for the
    import (the catalog they would read is empty); with synchronous=FULL the commit is as safe as in WAL.

    Both settings hold for the connection, not the transaction (SQLite ignores a change inside one), so they are
    made before the first INSERT and set back after the commit or rollback.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.unchecked = False
        self.journal = False

    def __enter__(self) -> _BulkMode:
        return self

    def start(self) -> None:
        """Set the connection for the bulk import, if this is SQLite outside a transaction (else nothing changes)."""
        if self.connection.dialect.name != "sqlite" or self.connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            return
        self.connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        self.unchecked = True
        try:
            mode = self.connection.exec_driver_sql("PRAGMA journal_mode=DELETE").scalar()
        except sa.exc.OperationalError:  # "database is locked": another connection has the file open
            return
        if str(mode).lower() == "delete":
            self.journal = True
            self.connection.exec_driver_sql("PRAGMA synchronous=FULL")

    def __exit__(self, *exc_info: object) -> None:
        if not (self.unchecked or self.journal):
            return
        try:
            if self.journal:
                self.connection.exec_driver_sql("PRAGMA journal_mode=WAL")
                self.connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
            self.connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            self.connection.commit()
        except Exception:
            self.connection.invalidate()  # not back into the pool as it was set for the import
            if exc_info[0] is None:
                raise


def _drop_indexes(connection: Connection, *tables: sa.Table) -> list[str]:
    """Drop the SQLite tables' own indexes (not those of their keys) for a bulk INSERT into empty tables; the
    statements that make them again, to run after it.

    Sorting 100,000 entries into a new index afterwards is cheaper than inserting them one by one. Inside the
    import's transaction: a rollback brings them back, and so does the commit, as they were (`sqlite_master`
    keeps each index's CREATE statement); a duplicate that the unique GTIN index would have refused fails its
    making (and so the import). The import looks nothing up by these columns meanwhile (see _Models.empty_catalog).
    """
    if connection.dialect.name != "sqlite":
        return []
    names = [table.name for table in tables]
    query = (
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(names))}) ORDER BY name"
    )
    indexes = connection.exec_driver_sql(query, tuple(names)).all()
    if indexes and not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        # The sqlite3 module begins the transaction only before an INSERT, UPDATE or DELETE; a DROP before it
        # would be committed at once.
        connection.exec_driver_sql("BEGIN")
    for name, _ in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    return [sql for _, sql in indexes]


def _tables_empty(connection: Connection, *tables: sa.Table) -> bool:
    """Whether none of the tables has a row."""
    return all(connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is None
               for table in tables)  # fmt: skip


def import_products(
    engine: Engine,
    batches: Iterable[NumberedBatch],
    *,
    dry_run: bool = False,
    all_or_nothing: bool = False,
    unusable: list[FileProblem] | None = None,
    read_as: str | None = None,
    dictionary: Dictionary | None = None,
    remove_missing: bool = False,
    number_style: NumberStyle | None = None,
) -> ImportReport:
    """Upsert the valid products by sku in one transaction and report the rejected rows (numbers in the messages
    written in `number_style`, the file's; English where it has none).

    The report names the catalog's products of the file's categories that the file does not contain (`missing`);
    with `remove_missing` they are removed, with their variants and stock, unless a row is rejected.

    `dictionary` is the one the batches were validated against (which attributes vary), if not the stored one: a
    dry run into a new database checks against the shipped dictionary, which it does not store.

    Batches are validated lazily by the caller's iterator (in this thread). On PostgreSQL the previous batch is
    written by a writer thread meanwhile: the server does the work, so the writing hides behind the validation.
    SQLite is written to in this thread: its executemany takes the GIL back for every row, and a writer thread
    waits for it behind the validating one (bench_import's 100,000 product rows took 8 to 10 s so, 1.7 s in
    line, and the whole import was faster in line). An exception from the iterator rolls everything back, and so
    does a problem of the file as a whole (`unusable`, which the reader may add to while it reads), or, with
    `all_or_nothing`, a single rejected row. With `dry_run`, `changes` says what would happen to each product.
    """
    problems = unusable if unusable is not None else []
    report = ImportReport(dry_run=dry_run, all_or_nothing=all_or_nothing, read_as=read_as, unusable=problems,
                          remove_missing=remove_missing)  # fmt: skip
    categories: set[str] = set()  # the categories of the file's products
    rejected_skus: set[str] = set()  # the skus (folded) of rejected rows: in the file, though not imported
    first_row: dict[str, tuple[int, str]] = {}
    refused_row: dict[str, int] = {}  # a refused row's sku (folded): its row, so a second row of it is refused too
    with (
        engine.connect() as connection,
        _BulkMode(connection) as bulk_mode,
        connection.begin(),
        ThreadPoolExecutor(1, thread_name_prefix="catalog-writer") as writer,
    ):
        in_line = connection.dialect.name == "sqlite"
        existing = set(connection.execute(sa.select(PRODUCT.c.sku)).scalars())
        # An empty catalog (a new database, the usual first import) takes its rows by plain INSERT.
        written: set[str] | None = set() if not existing and _tables_empty(connection, VARIANT, STOCK) else None
        deferred: list[str] = []  # the indexes to make again after the bulk INSERT
        if written is not None and not dry_run:
            bulk_mode.start()
            deferred = _drop_indexes(connection, PRODUCT, VARIANT)
        folded = {sku.lower(): sku for sku in existing}
        models = _Models(connection, dictionary or load_dictionary(connection), folded, first_row)
        models.empty_catalog = written is not None
        models.style = number_style or ENGLISH
        now: Any = datetime.now(UTC)
        if connection.dialect.name == "sqlite":
            now = now.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's own SQLite DateTime storage format
        pending: Future[None] | None = None
        model_changes: dict[str, Change] = {}  # (a dry run) each model's change, for its later variant rows
        file_variants: dict[str, dict[str, dict[str, str] | None]] = {}  # (a dry run) model -> variant -> its cells
        for numbered in batches:
            told = len(report.rejected)
            if existing:
                rejected_skus.update(sku.lower() for sku in numbered.batch.rejected_skus.values() if sku)
            if numbered.batch.variants or numbered.batch.rejected_variants and not numbered.batch.products:
                products, stock, rows_of_products, variants = models.accept(numbered, report)
            elif numbered.prepared:
                products, stock, rows_of_products = _accept(numbered, first_row, refused_row, folded, report)
                products, variants = _prepared_rows(products)
                models.noted([values[0] for values in products])
            else:
                products, stock, rows_of_products = _accept(numbered, first_row, refused_row, folded, report)
                products, variants = models.single(products)
            models.last_key = _last_sku(numbered)
            if existing:
                categories.update(values[1] for values in products)
            here = set(numbered.row_numbers)  # (a model begun in an earlier batch was counted there)
            counted = [values[0] for values, row in zip(products, rows_of_products, strict=True) if row in here]
            known = sum(map(existing.__contains__, counted)) if existing else 0
            report.updated += known
            report.imported += len(counted) - known
            if dry_run:
                refused = {rejection.row for rejection in report.rejected[told:]}
                report.changes.extend(
                    _changes(connection, numbered, products, stock, rows_of_products, existing, refused, model_changes)
                )
                if existing:
                    _note_variants(file_variants, variants, stock)
                continue
            if not products or problems or (all_or_nothing and report.rejected):
                continue  # nothing of this file will be kept: validating the rest still names every problem
            single = not numbered.batch.variants
            rows = products if numbered.prepared and single else _product_rows(products)
            if pending is not None:
                pending.result()
            if in_line:
                _write_batch(connection, rows, stock, variants, written, now, single)
            else:
                pending = writer.submit(_write_batch, connection, rows, stock, variants, written, now, single)
        if pending is not None:
            pending.result()
        if existing and not dry_run and not problems and not (all_or_nothing and report.rejected):
            models.drop_stale_variants()
        if dry_run and file_variants:
            report.changes = _with_variant_changes(connection, report.changes, file_variants, models.held)
        if models.held:  # (a model new to the catalog too: its rejected rows' variants are missing from it)
            held = _with_variants(connection, models.spelled_held(), models.of_model)
            report.notes.extend(_held_notes(connection, held, models.of_model, models.held_rows, models.copied_rows))
        if existing and categories and not problems:
            report.missing = _missing(connection, categories, first_row.keys() | rejected_skus | models.held.keys())
        if remove_missing and report.missing and not report.rejected:
            report.removed = len(report.missing)
            if not dry_run:
                _remove(connection, [missing.sku for missing in report.missing])
        report.rejected.sort(key=lambda rejection: rejection.row)
        report.changes.sort(key=lambda change: change.row)
        if (
            dry_run or problems or (all_or_nothing and report.rejected)
            or report.imported + report.updated + report.removed == 0
        ):  # fmt: skip
            connection.rollback()
            return report
        for sql in deferred:
            connection.exec_driver_sql(sql)
        bump_version(connection)
        report.written = True
    return report


# The validation's reasons for a cell left empty, and the model's cells that a row right under the model's rows may
# leave empty (they are then its first row's): away from them, their "is required" is told as the row's place.
_REQUIRED = ("is required", "is required for this category")
_MODEL_CELLS = ("category", "brand", "name.de", "name.en", "price")


def _row_sku(batch: Any, i: int, before_batch: str) -> str:
    """The sku (lower-case) of the batch's row `i`, taken or rejected ("" where not read); -1: the row before it."""
    if i < 0:
        return before_batch
    if i in batch.rejected_skus:
        return (batch.rejected_skus[i] or "").lower()
    position = bisect_left(batch.indexes, i)  # (the good rows' indexes, in order)
    if position < len(batch.indexes) and batch.indexes[position] == i:
        return str(batch.products[position][0]).lower()
    return ""


def _last_sku(numbered: NumberedBatch) -> str:
    """The sku (lower-case) of the batch's last row, whether taken or rejected ("" where it was not read)."""
    batch, last = numbered.batch, len(numbered.row_numbers) - 1
    if last in batch.rejected_skus:
        return (batch.rejected_skus[last] or "").lower()  # (None where the file has no sku column)
    if batch.indexes and batch.indexes[-1] == last:
        sku: str | None = batch.products[-1][0]
        return (sku or "").lower()
    return ""


def _product_rows(products: list[tuple[Any, ...]], *after: list[Any]) -> list[tuple[Any, ...]]:
    """The product tuples as table rows: their four objects as JSON text (and the columns `after`, if given).

    Column by column, so that the per-product work (encoding, building the row) runs in C.
    """
    columns = list(zip(*products, strict=True))
    encoded = [list(map(bytes.decode, map(orjson.dumps, column))) for column in columns[10:14]]
    return list(zip(*columns[:10], *encoded, *after, strict=True))


def _accept(
    numbered: NumberedBatch,
    first_row: dict[str, tuple[int, str]],
    refused_row: dict[str, int],
    folded: dict[str, str],
    report: ImportReport,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[int]]:
    """The batch's good products, their stock and rows, less skus seen in an earlier row; rejections go to the report.

    Skus are one product whatever their case (NG-JACK-0001 is ng-jack-0001): a second spelling is refused,
    in the file and against the catalog, rather than becoming a second product. A second row of a sku whose
    first row was refused is refused too: which of the two is right, only the file's author knows.
    """
    batch, row_numbers = numbered.batch, numbered.row_numbers
    report.rejected.extend(
        Rejection(row_numbers[i], problem.column, problem.reason)
        for i, problems in batch.problems.items()
        for problem in problems
    )
    for i, written in batch.rejected_skus.items():
        if written:
            refused_row.setdefault(written.lower(), row_numbers[i])
    skus = [values[0] for values in batch.products]
    keys = list(map(str.lower, skus))
    unique = set(keys)
    if len(unique) == len(keys) and first_row.keys().isdisjoint(unique) and refused_row.keys().isdisjoint(unique):
        clash = unique & folded.keys()
        if not clash or all(folded[key] == sku for key, sku in zip(keys, skus, strict=True) if key in clash):
            rows = [row_numbers[i] for i in batch.indexes]  # the usual batch: every sku new to the file, as spelled
            first_row.update(zip(keys, zip(rows, skus, strict=True), strict=True))
            stock = list(chain.from_iterable(map(batch.stock.get, batch.indexes, repeat((), len(batch.indexes)))))
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
        refused = refused_row.get(key)
        if refused is not None and refused < row_numbers[i]:
            report.rejected.append(Rejection(row_numbers[i], "sku", f"{sku} already appears in row {refused}, which "
                                             "was refused: correct that row and keep one row per sku"))  # fmt: skip
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
    refused: set[int],
    model_changes: dict[str, Change],
) -> list[Change]:
    """What importing the batch would do to each of its rows' products: new, updated (which fields), unchanged,
    rejected.

    `products` are the batch's models (`rows`: the row where each begins in the file); a model is told once, at its
    first row, and each later row of it (a variant) with the same change; `refused` are the rows the import refused
    beyond the batch's own problems; `model_changes` keeps each model's change for its rows in later batches.
    """
    batch, row_numbers = numbered.batch, numbered.row_numbers
    accepted = set(rows)
    changes = [Change(row=row_numbers[i], sku=batch.rejected_skus.get(i, ""), kind=REJECTED) for i in batch.problems]
    variant_rows: list[tuple[int, str]] = []
    for position, i in enumerate(batch.indexes):
        row, sku = row_numbers[i], batch.products[position][0]
        if row in refused:
            changes.append(Change(row=row, sku=sku, kind=REJECTED))
        elif row not in accepted:
            variant_rows.append((row, sku))
    here = set(row_numbers)  # (a model that began in an earlier batch was told there)
    begun = [(values, row) for values, row in zip(products, rows, strict=True) if row in here]
    stock_of: dict[str, list[tuple[Any, ...]]] = {}
    for entry in stock:
        stock_of.setdefault(entry[0], []).append(entry)
    known = [values[0] for values, _ in begun if values[0] in existing]
    before_products: dict[str, dict[str, Any]] = {}
    before_stock: dict[str, list[tuple[Any, ...]]] = {}
    for start in range(0, len(known), _CHUNK):
        skus = known[start : start + _CHUNK]
        for product in connection.execute(sa.select(PRODUCT).where(PRODUCT.c.sku.in_(skus))).mappings():
            before_products[product["sku"]] = dict(product)
        query = sa.select(*(STOCK.c[name] for name in STOCK_COLUMNS)).where(STOCK.c.sku.in_(skus))
        for entry in connection.execute(query):
            before_stock.setdefault(entry[0], []).append(tuple(entry))
    for values, row in begun:
        sku = values[0]
        after = product_cells(dict(zip(PRODUCT_COLUMNS, values, strict=True)), stock_of.get(sku, ()))
        if sku not in before_products:
            change = Change(row=row, sku=sku, kind=NEW)
        else:
            stores = {entry[1] for entry in stock_of.get(sku, ())}
            kept = [entry for entry in before_stock.get(sku, ()) if entry[1] in stores]
            fields = changed_fields(product_cells(before_products[sku], kept), after)
            change = Change(row=row, sku=sku, kind=UPDATED if fields else UNCHANGED, fields=fields)
        changes.append(change)
        model_changes[sku.lower()] = change
    for row, sku in variant_rows:
        model = model_changes.get(sku.lower())
        changes.append(
            Change(row=row, sku=sku, kind=model.kind if model else NEW, fields=model.fields if model else ())
        )
    return changes


def _variant_cells(
    gtin: str | None, options: Any, price_cents: int | None, image: str | None, stock: Iterable[tuple[Any, ...]]
) -> dict[str, str]:
    """A variant's own cells in the import format's words: its GTIN, options, price, picture and stock."""
    if isinstance(options, str | bytes):
        options = orjson.loads(options)
    cells = {"variant.gtin": gtin} if gtin else {}
    for name, value in (options or {}).items():
        cells[f"attributes.{name}"] = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if price_cents is not None:
        cells["price"] = flatten_record({"price": price_cents / 100})[0]["price"]  # as the model's price is said
    if image:
        cells["image"] = image
    for _, store, quantity, location_de, location_en in stock:
        cells[f"stock.{store}.quantity"] = str(quantity)
        if location_de:
            cells[f"stock.{store}.location.de"] = location_de
        if location_en:
            cells[f"stock.{store}.location.en"] = location_en
    return cells


def _note_variants(
    file_variants: dict[str, dict[str, dict[str, str] | None]],
    variants: Sequence[tuple[Any, ...]],
    stock: Sequence[tuple[Any, ...]],
) -> None:
    """(A dry run) the batch's variants, by model, with their own cells (None: a product without variant columns)."""
    stock_of: dict[str, list[tuple[Any, ...]]] = {}
    for entry in stock:
        stock_of.setdefault(entry[0], []).append(entry)
    for variant in variants:
        if len(variant) == len(_SINGLE_VARIANT):
            file_variants.setdefault(variant[1], {})[variant[0]] = None
            continue
        sku, model, _position, gtin, options, price_cents, image = variant
        file_variants.setdefault(model, {})[sku] = _variant_cells(
            gtin, options, price_cents, image, stock_of.get(sku, ())
        )


def _with_variants(
    connection: Connection, held: Mapping[str, int], of_model: Mapping[str, list[str]]
) -> dict[str, int]:
    """The held models (sku -> row) that have variants of their own, in the catalog or in the file (a product
    sold as one article has none: nothing of it could be removed)."""
    models = list(held)
    varied = {model.lower() for model, variants in of_model.items() if any(v != model for v in variants)}
    for start in range(0, len(models), _CHUNK):
        query = sa.select(VARIANT.c.model_sku).where(
            VARIANT.c.model_sku.in_(models[start : start + _CHUNK]), VARIANT.c.sku != VARIANT.c.model_sku
        )
        varied.update(model.lower() for model in connection.execute(query).scalars())
    return {sku: row for sku, row in held.items() if sku.lower() in varied}


def _held_notes(
    connection: Connection,
    held: Mapping[str, int],
    of_model: Mapping[str, list[str]],
    held_rows: Mapping[str, Mapping[int, str | None]],
    copied_rows: Mapping[int, tuple[str, str]] | None = None,
) -> list[str]:
    """What each rejected row of the held models (sku -> its first rejected row) means for the catalog, one note a
    row, by row: that row's variant stays as the catalog has it, with none of the model's variants removed; or,
    where the catalog does not have that variant (a new model, or the row was rejected before too), it is not in
    the catalog until the row is fixed. A row whose variant another row of the file imports (a second row of one
    variant) leaves nothing missing: its note only says that no variant is removed, where the catalog has others.

    `held_rows` gives (by lower-case sku) each rejected row's variant where its variant.sku cell was read; where it
    was not (the cell is malformed), its variant is taken to be new when the file's other rows of the model name
    every variant that the catalog has. `copied_rows` gives the rows whose variant.sku another row has while their
    options differ (a copied row whose size was changed but not its variant.sku), with their options as told and as
    JSON text: such a row's variant is an article of its own, not the one its variant.sku names, and it is in the
    catalog where a variant of the model there has its options.
    """
    copied = copied_rows or {}
    models = list(held)
    in_catalog: dict[str, set[str]] = {}
    options_of: dict[str, list[tuple[str, Any]]] = {}  # (where rows were copied) each model's variants' options
    columns = [VARIANT.c.sku, VARIANT.c.model_sku, *([VARIANT.c.options] if copied else [])]
    for start in range(0, len(models), _CHUNK):
        query = sa.select(*columns).where(VARIANT.c.model_sku.in_(models[start : start + _CHUNK]))
        for variant, model, *options in connection.execute(query):
            in_catalog.setdefault(model, set()).add(variant)
            if options:
                options_of.setdefault(model, []).append((variant, options[0]))
    named = sorted({v for sku in models for v in held_rows.get(sku.lower(), {}).values() if v is not None})
    known: set[str] = set()
    for start in range(0, len(named), _CHUNK):
        query = sa.select(VARIANT.c.sku).where(VARIANT.c.sku.in_(named[start : start + _CHUNK]))
        known.update(connection.execute(query).scalars())
    notes: list[tuple[int, str]] = []
    for sku in held:
        in_file = of_model.get(sku, ())
        kept = in_catalog.get(sku, set()).difference(in_file)  # what a clean import would remove
        for row, variant in held_rows.get(sku.lower(), {}).items():
            if row in copied:
                told, text = copied[row]
                wanted = orjson.loads(text)
                same = next((other for other, options in options_of.get(sku, ()) if options == wanted), None)
                if same is not None:
                    stays = f"that row's variant ({told}, {same} in the catalog) stays as the catalog has it"
                    notes.append((row, f"{sku}: row {row} is rejected, so no variant of it is removed; {stays}"))
                    continue
                note = (f"{sku}: row {row} is rejected, so that row's variant ({told}) is not in the catalog until row "
                        f"{row} is fixed")  # fmt: skip
                notes.append((row, f"{note}; no variant of it is removed meanwhile" if kept else note))
                continue
            if variant is not None and variant in in_file:  # another row of the file has this variant
                if kept:
                    notes.append((row, f"{sku}: row {row} is rejected, so no variant of it is removed"))
                continue
            if variant in known or (variant is None and kept):
                notes.append((row, f"{sku}: row {row} is rejected, so no variant of it is removed; that row's "
                                   "variant stays as the catalog has it"))  # fmt: skip
                continue
            which = f"variant {variant}" if variant is not None else "that row's variant"
            note = f"{sku}: row {row} is rejected, so {which} is not in the catalog until row {row} is fixed"
            notes.append((row, f"{note}; no variant of it is removed meanwhile" if kept else note))
    return [note for _, note in sorted(notes)]


def _missing(connection: Connection, categories: set[str], in_file: set[str]) -> list[Missing]:
    """The catalog's products of these categories whose sku (any case) is not `in_file`, by category and sku."""
    query = (
        sa.select(PRODUCT.c.sku, PRODUCT.c.name_de, PRODUCT.c.category_id)
        .where(PRODUCT.c.category_id.in_(sorted(categories)))
        .order_by(PRODUCT.c.category_id, PRODUCT.c.sku)
    )
    return [Missing(sku, name, category) for sku, name, category in connection.execute(query)
            if sku.lower() not in in_file]  # fmt: skip


def _remove(connection: Connection, skus: Sequence[str]) -> None:
    """Take products out of the catalog with their variants and stock. Nothing else refers to them by a foreign
    key: sessions, appointments and repair orders keep the sku as text (and show it where the name is gone)."""
    for start in range(0, len(skus), _CHUNK):
        chunk = list(skus[start : start + _CHUNK])
        variants = sa.select(VARIANT.c.sku).where(VARIANT.c.model_sku.in_(chunk)).scalar_subquery()
        connection.execute(STOCK.delete().where(STOCK.c.sku.in_(variants)))
        connection.execute(VARIANT.delete().where(VARIANT.c.model_sku.in_(chunk)))
        connection.execute(PRODUCT.delete().where(PRODUCT.c.sku.in_(chunk)))


def _with_variant_changes(
    connection: Connection,
    changes: list[Change],
    file_variants: dict[str, dict[str, dict[str, str] | None]],
    held: Mapping[str, int],
) -> list[Change]:
    """(A dry run) the changes, with what the import does to each known model's variants: a variant the file no
    longer has is removed with its stock (unless a row of the model is rejected: `held`), a new one added, and a
    variant's own cells (price, GTIN, options, stock) compared; a model whose variants change is "updated", not
    "unchanged"."""
    models = list(file_variants)
    before: dict[str, dict[str, dict[str, str]]] = {}
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(models), _CHUNK):
        chunk = models[start : start + _CHUNK]
        rows.extend(connection.execute(
            sa.select(VARIANT.c.sku, VARIANT.c.model_sku, VARIANT.c.gtin, VARIANT.c.options, VARIANT.c.price_cents,
                      VARIANT.c.image).where(VARIANT.c.model_sku.in_(chunk))
        ))  # fmt: skip
    stock_of: dict[str, list[tuple[Any, ...]]] = {}
    skus = [row[0] for row in rows]
    for start in range(0, len(skus), _CHUNK):
        query = sa.select(*(STOCK.c[name] for name in STOCK_COLUMNS)).where(
            STOCK.c.sku.in_(skus[start : start + _CHUNK])
        )
        for entry in connection.execute(query):
            stock_of.setdefault(entry[0], []).append(tuple(entry))
    for sku, model, gtin, options, price_cents, image in rows:
        before.setdefault(model, {})[sku] = _variant_cells(gtin, options, price_cents, image, stock_of.get(sku, ()))
    found: dict[str, list[FieldChange]] = {}
    for model, after in file_variants.items():
        was = before.get(model)
        if not was:
            continue  # a new model: told as new
        fields: list[FieldChange] = []
        for sku, cells in after.items():
            if sku not in was:
                if cells is not None or sku != model:
                    fields.append(FieldChange(f"variant {sku}", "", _summary(cells or {}) or "new"))
            elif cells is not None:
                fields.extend(
                    FieldChange(f"variant {sku} {change.column}", change.before, change.after)
                    for change in changed_fields(was[sku], cells)
                )
        for sku, cells in was.items():
            if sku not in after and not (sku == model and len(was) == 1) and model.lower() not in held:
                fields.append(FieldChange(f"variant {sku}", _summary(cells) or "present", "removed"))
        if fields:
            found[model.lower()] = fields
    if not found:
        return changes
    told = []
    for change in changes:
        extra = found.get(change.sku.lower()) if change.kind in (UNCHANGED, UPDATED) else None
        told.append(replace(change, kind=UPDATED, fields=(*change.fields, *extra)) if extra else change)
    return told


def _summary(cells: Mapping[str, str]) -> str:
    """What sets a variant apart, and its stock, in one line: "attributes.colours orange, stock.muc-01.quantity 5"."""
    return ", ".join(
        f"{column} {value}" for column, value in cells.items()
        if column.startswith("attributes.") or (column.startswith("stock.") and column.endswith(".quantity"))
    )  # fmt: skip


def _write_batch(
    connection: Connection,
    rows: list[tuple[Any, ...]],
    stock: list[tuple[Any, ...]],
    variants: list[tuple[Any, ...]],
    written: set[str] | None,
    now: Any,
    single: bool,
) -> None:
    """Write a batch's products (stamped `now`), variants (with `single`, of _SINGLE_VARIANT) and stock.

    `written` is given when the catalog was empty at the start of the import: it holds the skus of the products
    written so far. The batch's other products, and every variant and stock row (each comes once in a file), are
    then new to the tables and go in by plain INSERT; a model whose rows span two batches is written again by upsert.
    """
    stamped = {"updated_at": now}
    variant_columns, variant_fixed = (_SINGLE_VARIANT, _SINGLE_VARIANT_FIXED) if single else (VARIANT_INSERT, None)
    if written is None:
        _bulk_upsert(connection, PRODUCT, PRODUCT_COLUMNS, ["sku"], rows, fixed=stamped)
        _bulk_upsert(connection, VARIANT, variant_columns, ["sku"], variants, fixed=variant_fixed)
        _bulk_upsert(connection, STOCK, STOCK_COLUMNS, ["sku", "store_id"], stock)
        return
    if written.isdisjoint(row[0] for row in rows):
        _bulk_upsert(connection, PRODUCT, PRODUCT_COLUMNS, ["sku"], rows, new=True, fixed=stamped)
    else:
        again = [row for row in rows if row[0] in written]
        first = [row for row in rows if row[0] not in written]
        _bulk_upsert(connection, PRODUCT, PRODUCT_COLUMNS, ["sku"], first, new=True, fixed=stamped)
        _bulk_upsert(connection, PRODUCT, PRODUCT_COLUMNS, ["sku"], again, fixed=stamped)
    written.update(row[0] for row in rows)
    _bulk_upsert(connection, VARIANT, variant_columns, ["sku"], variants, new=True, fixed=variant_fixed)
    _bulk_upsert(connection, STOCK, STOCK_COLUMNS, ["sku", "store_id"], stock, new=True)


# The file columns of the product table's columns, to name a disagreeing cell as the merchandiser wrote it.
_FILE_COLUMN = {"category_id": "category", "name_de": "name.de", "name_en": "name.en",
                "description_de": "description.de", "description_en": "description.en"}  # fmt: skip
_SHARED = [i for i, name in enumerate(PRODUCT_COLUMNS) if name not in ("sku", "price_cents", "image")]
_MODEL_WIDTH = len(PRODUCT_COLUMNS)
_shared_of = operator.itemgetter(*_SHARED)  # a row's model fields as one tuple (compared in C)


def _split(values: tuple[Any, ...], varying: tuple[str, ...]) -> tuple[list[Any], dict[str, Any]]:
    """A product tuple's model columns (its attributes without those in `varying`) and its variant's options."""
    model = list(values)
    if not varying:
        return model, {}
    attributes = values[10]
    # Few attributes vary: pick those out (not test every attribute against them; this runs once per row).
    options = {name: attributes[name] for name in varying if name in attributes}
    if options:
        attributes = dict(attributes)
        for name in options:
            del attributes[name]
    model[10] = attributes
    return model, options


def split_single(
    products: list[tuple[Any, ...]], varying_order: Mapping[str, tuple[str, ...]]
) -> tuple[list[tuple[Any, ...]], list[str]]:
    """Products without variant columns as models (their attributes without those their category lets vary) and
    each one's variant options as JSON text, row by row.

    Category by category: where every row has each attribute that varies, they move from the models'
    attributes to the variants' options column by column, in C; other rows go one by one (_split).
    """
    count = len(products)
    if not count:
        return [], []
    columns = list(zip(*products, strict=True))
    attributes = list(columns[10])
    options: list[str] = ["{}"] * count
    rows_of: dict[str, list[int]] = {}
    for k, category_id in enumerate(columns[1]):
        rows_of.setdefault(category_id, []).append(k)
    dumps = orjson.dumps
    for category_id, rows in rows_of.items():
        names = varying_order.get(category_id)
        if not names:
            continue
        mine = [attributes[k] for k in rows]
        has = dict.__contains__
        if all(sum(map(has, mine, repeat(name, len(mine)))) == len(mine) for name in names):
            picked = [list(map(dict.__getitem__, mine, repeat(name, len(mine)))) for name in names]
            made = map(dict, map(zip, repeat(names), zip(*picked, strict=True)))
            encoded = list(map(bytes.decode, map(dumps, made)))
            kept = list(map(dict.copy, mine))
            for name in names:
                deque(map(dict.__delitem__, kept, repeat(name, len(kept))), maxlen=0)
            for k, model_attributes, text in zip(rows, kept, encoded, strict=True):
                attributes[k] = model_attributes
                options[k] = text
        else:
            for k in rows:
                model, found = _split(products[k], names)
                attributes[k] = model[10]
                options[k] = dumps(found).decode()
    return list(zip(*columns[:10], attributes, *columns[11:], strict=True)), options


def prepare_single(numbered: NumberedBatch, varying_order: Mapping[str, tuple[str, ...]]) -> NumberedBatch:
    """A batch without variant columns made ready to write where it was validated: each product becomes its table
    row with its variant's options (JSON text) after it, and `prepared` says so.

    Only the sku (first) of a product is read after this (_accept); a batch with variant columns stays as it is.
    Read by a process of its own (advisor.catalog.reading), the batch then crosses the pipe as flat texts and
    numbers, and the JSON encoding is done there.
    """
    batch = numbered.batch
    if batch.variants or not batch.products or numbered.prepared:
        return numbered
    models, options = split_single(batch.products, varying_order)
    batch.products = _product_rows(models, options)
    numbered.prepared = True
    return numbered


def prepare_variants(numbered: NumberedBatch, varying_order: Mapping[str, tuple[str, ...]]) -> NumberedBatch:
    """A batch with variant columns made ready where it was validated: each product with its attributes less those
    that vary, and its variant's options after them as JSON text; `prepared` says so (see _Models.accept).

    The rows of a model one after the other then share one object for the model's attributes too, as for its texts
    and facts (validate._share_runs): sent once through the pipe, compared at a glance by the writer.
    """
    batch = numbered.batch
    if not batch.variants or not batch.products or numbered.prepared:
        return numbered
    dumps = orjson.dumps
    prepared: list[tuple[Any, ...]] = []
    above_sku: str | None = None
    above: dict[str, Any] | None = None
    for values in batch.products:
        model, options = _split(values, varying_order.get(values[1], ()))
        attributes = model[10]
        if values[0] == above_sku and attributes == above:
            model[10] = attributes = above
        above_sku, above = values[0], attributes
        prepared.append((*model, dumps(options).decode()))
    batch.products = prepared
    numbered.prepared = True
    return numbered


def prepare_batch(numbered: NumberedBatch, varying_order: Mapping[str, tuple[str, ...]]) -> NumberedBatch:
    """A validated batch made ready to write where it was validated (prepare_variants or prepare_single)."""
    if numbered.batch.variants:
        return prepare_variants(numbered, varying_order)
    return prepare_single(numbered, varying_order)


def _prepared_rows(products: list[tuple[Any, ...]]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Prepared products (see prepare_single) as their table rows and their variants (rows of _SINGLE_VARIANT)."""
    if not products:
        return [], []
    columns = list(zip(*products, strict=True))
    skus = columns[0]
    return list(zip(*columns[:-1], strict=True)), list(zip(skus, skus, columns[-1], strict=True))


@dataclass
class _Model:
    row: int
    values: list[Any]  # the model's product tuple as written (its attributes without the varying ones)
    variants: list[str] = field(default_factory=list)


class _Models:
    """Rows grouped into models and their variants, across the batches of one file.

    A row-shaped file has one row per variant: the rows of a model share its `sku` (and every model field);
    `variant.sku` and `variant.gtin` are the variant's, as are its price, picture, stock and the attributes the
    dictionary lets vary. A product without variant columns is a model with one variant of its own sku.
    """

    def __init__(
        self,
        connection: Connection,
        dictionary: Dictionary,
        folded: dict[str, str],
        first_row: dict[str, tuple[int, str]],
    ) -> None:
        self.connection = connection
        self.varying = {c.id: set(c.varying) for c in dictionary.categories.values()}
        self.varying_order = {c.id: tuple(c.varying) for c in dictionary.categories.values()}  # the dictionary's
        self.folded = folded
        self.first_row = first_row
        self.models: dict[str, _Model] = {}  # by lower-case sku
        self.variant_rows: dict[str, int] = {}
        # -> the options (JSON text) of the variant's row, to tell a copied row with other options from a repeat;
        # each distinct text is kept once (`_texts`): a chain's variants share a few sizes and colours
        self.variant_options: dict[str, str] = {}
        self._texts: dict[str, str] = {}
        self.gtin_rows: dict[str, tuple[int, str]] = {}
        self.of_model: dict[str, list[str]] = {}  # model sku -> its variants in the file (for dropping the others)
        # Models with a rejected row (by lower-case sku): that row's variant is not in `of_model`, yet must stay as
        # the catalog has it. So none of their variants are dropped (a rejected row loses nothing).
        self.held: dict[str, int] = {}  # -> the first rejected row
        # -> each rejected row of the model: its variant, where the row was read and names one (see _held_notes)
        self.held_rows: dict[str, dict[int, str | None]] = {}
        # -> a rejected row whose variant.sku another row has, with other options: them as told, and as JSON text
        self.copied_rows: dict[int, tuple[str, str]] = {}
        self.style: NumberStyle = ENGLISH  # how the file writes numbers, for the messages
        # The catalog had no product at the start: its variants are this file's, which the file's own checks
        # (variant_rows, gtin_rows) already compare against, so the catalog is not asked about them.
        self.empty_catalog = False
        self.last_key = ""  # the sku (lower-case) of the last row of the batches so far ("" where not read)

    def _split(self, values: tuple[Any, ...]) -> tuple[list[Any], dict[str, Any]]:
        """The model's columns (its attributes without the varying ones) and the variant's options."""
        return _split(values, self.varying_order.get(values[1], ()))

    def single(self, products: list[tuple[Any, ...]]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """Products without variant columns: each a model with one variant of its own sku (rows of _SINGLE_VARIANT)."""
        models, options = split_single(products, self.varying_order)
        skus = [values[0] for values in products]
        self.noted(skus)
        return models, list(zip(skus, skus, options, strict=True))

    def noted(self, skus: list[str]) -> None:
        """Products without variant columns were written: each is its own model's one variant."""
        if not self.empty_catalog:  # (only an update drops variants that a model no longer has)
            self.of_model.update({sku: [sku] for sku in skus})

    def accept(
        self, numbered: NumberedBatch, report: ImportReport
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[int], list[tuple[Any, ...]]]:
        """The batch's models (each once, as they stand after it), their rows, variants and stock; rejections of
        single variants go to the report, naming the row and column."""
        batch, row_numbers = numbered.batch, numbered.row_numbers
        # Rows that may have left a model's cells empty away from its rows: told once the batch's models are known
        leaning = {i for i, problems in batch.problems.items() if batch.rejected_skus.get(i)
                   and any(problem.reason in _REQUIRED for problem in problems)}  # fmt: skip
        report.rejected.extend(
            Rejection(row_numbers[i], problem.column, problem.reason)
            for i, problems in batch.problems.items()
            if i not in leaning
            for problem in problems
        )
        for i, written in batch.rejected_skus.items():
            if written:
                self._hold(written.lower(), row_numbers[i], written, batch.rejected_variants.get(i, written))
        before_batch = self.last_key
        owners, gtin_owners = self._catalog_owners(batch) if not self.empty_catalog else ({}, {})
        touched: dict[str, _Model] = {}
        variants: list[tuple[Any, ...]] = []
        stock: list[tuple[Any, ...]] = []
        dumps = orjson.dumps
        prepared = numbered.prepared  # (each product's model columns, then its options as JSON text: prepare_variants)
        good_key, good_at = self.last_key, -1  # the last good row so far (-1: the previous batch's last row)
        for values, i in zip(batch.products, batch.indexes, strict=True):
            row = row_numbers[i]
            sku = values[0]
            key = sku.lower()
            # The sku of the row before in the file (a good one, or a rejected one as written), blank rows aside.
            before = good_key if good_at == i - 1 else batch.rejected_skus.get(i - 1, "").lower()
            good_key, good_at = key, i
            variant, gtin = batch.variants.get(i, (sku, None))
            names = (values[3], values[4])  # (the row's name.de and name.en: another product's, when they differ)
            if prepared:
                model_values, options_text = list(values[:_MODEL_WIDTH]), values[_MODEL_WIDTH]
            else:
                model_values, options = self._split(values)
                options_text = dumps(options).decode()
            reason = self._refused(
                key, sku, variant, gtin, owners, gtin_owners, row, follows=before == key, names=names,
                options=options_text,
            )  # fmt: skip
            if reason is not None:
                report.rejected.append(Rejection(row, reason[0], reason[1]))
                self._hold(key, row, sku, variant)
                continue
            model = self.models.get(key)
            if model is None:
                model = self.models[key] = _Model(row, model_values)
                self.first_row[key] = (row, sku)
            else:
                differs = self._disagreement(model, model_values)
                if differs is not None:
                    report.rejected.append(Rejection(row, differs[0], differs[1]))
                    self._hold(key, row, sku, variant)
                    continue
                if values[7] < model.values[7]:
                    model.values[7] = values[7]  # the model's price: its cheapest variant's ("from ...")
            model.variants.append(variant)
            self.of_model.setdefault(model.values[0], []).append(variant)
            self.variant_rows[variant] = row
            self.variant_options[variant] = self._texts.setdefault(options_text, options_text)
            if gtin:
                self.gtin_rows[gtin14(gtin)] = (row, variant)
            touched[key] = model
            single = variant == sku and len(model.variants) == 1
            image = values[9] if values[9] != model.values[9] else None
            variants.append((variant, model.values[0], len(model.variants) - 1, gtin, options_text,
                             None if single else values[7], image))  # fmt: skip
            stock.extend(batch.stock.get(i, ()))
        for i in sorted(leaning):
            report.rejected.extend(self._apart(numbered, i, before_batch))
        products = [tuple(model.values) for model in touched.values()]
        return products, stock, [model.row for model in touched.values()], variants

    def _apart(self, numbered: NumberedBatch, i: int, before_batch: str) -> list[Rejection]:
        """The rejections of a rejected row (`i`) that left cells empty which it needs: where its sku is a model of
        an earlier row but not of the row above it, the cells are empty only because the row is away from the
        model's rows (only there are they the model's), so it is told that, and its variant.sku's earlier row, rather
        than "is required" for each cell (`before_batch`: the sku of the row before the batch, lower-case)."""
        batch, row = numbered.batch, numbered.row_numbers[i]
        told = [Rejection(row, problem.column, problem.reason) for problem in batch.problems[i]]
        sku = batch.rejected_skus[i]
        key = sku.lower()
        seen = self.first_row.get(key)
        earlier = [seen[0]] if seen is not None and seen[0] < row else []
        earlier += [held for held in self.held_rows.get(key, ()) if held < row]
        if not earlier or _row_sku(batch, i - 1, before_batch) == key:
            return told  # a new product missing cells, or a row right under its model's rows: as validated
        model = self.models.get(key)
        varying = self.varying.get(model.values[1], set()) if model else set().union(*self.varying.values())
        left = [rejection for rejection in told
                if not (rejection.reason == "is required" and rejection.column in _MODEL_CELLS
                        or rejection.reason == "is required for this category"
                        and rejection.column.removeprefix("attributes.") not in varying)]  # fmt: skip
        if len(left) == len(told):
            return told  # its model's cells are all there: what is wrong is in the row itself
        apart = [Rejection(row, "sku", f"{sku} already appears in row {min(earlier)}: a product's rows follow one "
                                       "another, each variant with its own variant.sku")]  # fmt: skip
        variant = batch.rejected_variants.get(i)
        first = self.variant_rows.get(variant) if variant is not None and variant != sku else None
        if first is not None and first < row:
            apart.append(Rejection(row, "variant.sku", f"variant {variant} already appears in row {first}"))
        return apart + left

    def _hold(self, key: str, row: int, sku: str, variant: str) -> None:
        """A row of model `key` is rejected: none of its variants is dropped; each such row's variant is kept for
        the notes (a row without a variant.sku is the model itself: no variant of its own)."""
        self.held.setdefault(key, row)
        self.held_rows.setdefault(key, {})[row] = variant if variant != sku else None

    def spelled_held(self) -> dict[str, int]:
        """The held models (sku -> first rejected row) that the catalog has or that this file imports, as the
        catalog or the file spells their sku (a model all of whose rows are rejected is not in the catalog)."""
        spelled: dict[str, int] = {}
        for key, row in self.held.items():
            model = self.models.get(key)
            sku = self.folded.get(key) or (model.values[0] if model else None)
            if sku is not None:
                spelled[sku] = row
        return spelled

    def _catalog_owners(self, batch: Any) -> tuple[dict[str, str], dict[str, str]]:
        """The catalog's model of each of the batch's variant skus, and the variant of each of its GTINs."""
        skus = [variant for variant, _ in batch.variants.values()]
        gtins = [form for _, gtin in batch.variants.values() if gtin for form in gtin_forms(gtin)]
        owners: dict[str, str] = {}
        gtin_owners: dict[str, str] = {}
        for start in range(0, len(skus), _CHUNK):
            query = sa.select(VARIANT.c.sku, VARIANT.c.model_sku).where(VARIANT.c.sku.in_(skus[start : start + _CHUNK]))
            owners.update((sku, model) for sku, model in self.connection.execute(query))
        for start in range(0, len(gtins), _CHUNK):
            query = sa.select(VARIANT.c.gtin, VARIANT.c.sku).where(VARIANT.c.gtin.in_(gtins[start : start + _CHUNK]))
            gtin_owners.update((gtin14(gtin), sku) for gtin, sku in self.connection.execute(query))
        return owners, gtin_owners

    def _refused(
        self,
        key: str,
        sku: str,
        variant: str,
        gtin: str | None,
        owners: dict[str, str],
        gtin_owners: dict[str, str],
        row: int,
        *,
        follows: bool,
        names: tuple[Any, Any] | None = None,
        options: str | None = None,
    ) -> tuple[str, str] | None:
        """Why a variant row (`row`) cannot be taken (column, reason), or None; `follows`: the row right before it
        in the file has its sku; `names`: the row's name.de and name.en; `options`: its variant's (JSON text)."""
        model = self.models.get(key)
        spelled = model.values[0] if model else self.folded.get(key)
        if spelled is not None and spelled != sku:
            return "sku", (f"{sku} differs only in case from {spelled}: skus are the same product whatever their "
                           f"case; write it as {spelled}")  # fmt: skip
        if model is None and key in self.first_row:
            return "sku", f"{sku} already appears in row {self.first_row[key][0]}"
        if variant in self.variant_rows:
            if variant == sku:  # a row without a variant.sku is the product itself: its sku is the one used twice
                if model is not None and names is not None and names != (model.values[3], model.values[4]):
                    # another name: a product of its own (a copied row whose SKU was not changed), not a variant
                    return "sku", (f"SKU {sku} is already used by {model.values[3]} in row {model.row}; give "
                                   f"{names[0]} a SKU of its own")  # fmt: skip
                if follows:  # right under a row of the product: a variant without its variant.sku, or a copy
                    return "sku", (f"SKU {sku} is in rows {self.variant_rows[variant]} and {row}: give each row its "
                                   "own variant.sku if they are variants of one product, or remove one")  # fmt: skip
                # apart from the product's rows: a variant's row belongs right under them, with its own variant.sku
                return "sku", (f"{sku} already appears in row {self.variant_rows[variant]}: a product's rows follow "
                               f"one another, each variant with its own variant.sku")  # fmt: skip
            first = self.variant_rows[variant]
            theirs = self.variant_options.get(variant)
            if options is not None and theirs is not None and options != theirs:
                # another article (a copied row whose size was changed, not its variant.sku): not a repeat
                before, here = _options_told(orjson.loads(theirs), orjson.loads(options), self.style)
                self.copied_rows[row] = (here, options)
                return "variant.sku", (f"variant {variant} already appears in row {first} ({before}); this row has "
                                       f"{here}: give it a variant.sku of its own")  # fmt: skip
            return "variant.sku", f"variant {variant} already appears in row {first}"
        if variant != sku and (variant.lower() in self.models or variant.lower() in self.folded):
            return "variant.sku", f"{variant} is a model's sku; a variant needs an sku of its own"
        if owners.get(variant, sku) != sku:
            return "variant.sku", f"variant {variant} belongs to model {owners[variant]} in the catalog"
        if gtin:  # (compared as GTIN-14: a UPC's 12 digits and the EAN-13 with a zero in front are one article)
            same = gtin14(gtin)
            if same in self.gtin_rows:
                first, other = self.gtin_rows[same]
                return "variant.gtin", f"GTIN {gtin} is already variant {other}'s (row {first}): one per article"
            if gtin_owners.get(same, variant) != variant:
                return "variant.gtin", f"GTIN {gtin} belongs to variant {gtin_owners[same]} in the catalog"
        return None

    def _disagreement(self, model: _Model, values: list[Any]) -> tuple[str, str] | None:
        """The first model field where a later row of the model says something else than its first row."""
        if _shared_of(values) == _shared_of(model.values):
            return None  # (the usual row: every model field as in the first)
        for position in _SHARED:
            mine, theirs = values[position], model.values[position]
            if mine == theirs:
                continue
            name = PRODUCT_COLUMNS[position]
            column = _FILE_COLUMN.get(name, name)
            if isinstance(mine, dict) and isinstance(theirs, dict):
                inner = next(k for k in [*theirs, *mine] if mine.get(k) != theirs.get(k))
                column = f"{name}.{inner}"
                mine, theirs = mine.get(inner), theirs.get(inner)
            return column, (
                f"{_said(mine, self.style)} here, but {_said(theirs, self.style)} in row {model.row}, this model's "
                "first row: a model's rows share everything but the variant's own columns (variant.sku, variant.gtin, "
                "price, image, stock and the attributes that vary)"
            )
        return None

    def drop_stale_variants(self) -> None:
        """A model in the file has exactly the file's variants: the catalog's others go, with their stock (unless
        one of the model's rows was rejected: then its variants that the file does not write stay as they are)."""
        models = [model for model in self.of_model if model.lower() not in self.held]
        stale: list[str] = []
        for start in range(0, len(models), _CHUNK):
            chunk = models[start : start + _CHUNK]
            query = sa.select(VARIANT.c.sku, VARIANT.c.model_sku).where(VARIANT.c.model_sku.in_(chunk))
            for variant, model in self.connection.execute(query):
                if variant not in self.of_model[model]:
                    stale.append(variant)
        for start in range(0, len(stale), _CHUNK):
            chunk = stale[start : start + _CHUNK]
            self.connection.execute(STOCK.delete().where(STOCK.c.sku.in_(chunk)))
            self.connection.execute(VARIANT.delete().where(VARIANT.c.sku.in_(chunk)))


def _said(value: Any, style: NumberStyle) -> str:
    """A value in a message: a number as the file writes numbers (1,35 in a German file), other values quoted."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return style.render(float(value))
    return quoted(value)


def _option_told(options: Mapping[str, Any], name: str, style: NumberStyle) -> str:
    """A variant's option as a cell of the file says it ("sizes M, L", "max_body_height_cm 185", "no sizes")."""
    value = options.get(name)
    if value is None or value == []:
        return f"no {name}"
    values = value if isinstance(value, list) else [value]
    said = [("true" if v else "false") if isinstance(v, bool) else _said(v, style) if isinstance(v, float | int)
            else str(v) for v in values]  # fmt: skip
    return f"{name} {', '.join(said)}"


def _options_told(theirs: Mapping[str, Any], mine: Mapping[str, Any], style: NumberStyle) -> tuple[str, str]:
    """The options in which two rows of one variant.sku differ, as each row has them ("sizes M", "sizes L")."""
    names = [name for name in dict.fromkeys([*theirs, *mine]) if theirs.get(name) != mine.get(name)]
    before, here = (", ".join(_option_told(options, name, style) for name in names) for options in (theirs, mine))
    return before, here


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
        variants: dict[str, list[Any]] = {}
        for row in connection.execute(sa.select(VARIANT).order_by(VARIANT.c.model_sku, VARIANT.c.position)):
            variants.setdefault(row.model_sku, []).append(row)
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
            own = variants.get(row.sku, [])
            if len(own) == 1 and own[0].sku == row.sku and not own[0].gtin and own[0].price_cents is None:
                record["attributes"] = _ordered(
                    {**row.attributes, **own[0].options}, list(spec.attributes) if spec else []
                )
                if row.sku in stock:
                    record["stock"] = stock[row.sku]
            elif own:
                record["variants"] = [_variant_record(variant, row, stock) for variant in own]
            products.append(record)
    return products


def _variant_record(variant: Any, model: Any, stock: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """A variant as the nested format writes it: its own sku, GTIN and options, a price and picture where they
    differ from the model's, its stock."""
    record: dict[str, Any] = {"sku": variant.sku}
    if variant.gtin:
        record["gtin"] = variant.gtin
    record["options"] = dict(variant.options)
    if variant.price_cents is not None and variant.price_cents != model.price_cents:
        record["price"] = variant.price_cents / 100
    if variant.image:
        record["image"] = variant.image
    if variant.sku in stock:
        record["stock"] = stock[variant.sku]
    return record


def catalog_stats(engine: Engine) -> dict[str, Any]:
    """Product counts in all and per category (categories without products count 0)."""
    with engine.connect() as connection:
        query = sa.select(PRODUCT.c.category_id, sa.func.count()).group_by(PRODUCT.c.category_id)
        counts: dict[str, int] = {category: count for category, count in connection.execute(query)}
        categories = connection.execute(sa.select(CATEGORY.c.id).order_by(CATEGORY.c.id)).scalars().all()
    per_category = {category: int(counts.get(category, 0)) for category in categories}
    return {"products": sum(per_category.values()), "categories": per_category}
