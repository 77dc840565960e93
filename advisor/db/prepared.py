"""Statements a server runs on every request, run on the driver's own connection.

SQLAlchemy builds each statement and compiles it once per engine, and its column types convert the values both
ways; what is skipped is the machinery of `Connection.execute` around every execution (measured on SQLite: a
session's SELECT by its key costs 160 µs through `Connection.execute`, 40 µs on the driver's connection). Errors
come out as SQLAlchemy's own (`OperationalError`, `IntegrityError` …), and a connection the database dropped is
discarded from the pool, as `Connection.execute` would do.

`reading` is the same idea for reads through SQLAlchemy: statements without a transaction block around them.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

Processor = Callable[[Any], Any] | None


class Prepared:
    """One statement compiled for one engine; `rows` and `count` run it in a transaction of its own."""

    def __init__(self, engine: Engine, statement: ClauseElement) -> None:
        dialect = engine.dialect
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        self.engine = engine
        self.sql = compiled.string
        self.order: Sequence[str] | None = compiled.positiontup  # positional paramstyles (SQLite's "?")
        self.binds: dict[str, Processor] = {  # what Connection.execute applies
            name: bind.type.dialect_impl(dialect).bind_processor(dialect) for name, bind in compiled.binds.items()
        }
        # Columns whose default (INSERT) or onupdate (UPDATE) value Python computes, when not given.
        self.defaults = {column.key: column.default for column in compiled.insert_prefetch}
        self.defaults |= {column.key: column.onupdate for column in compiled.update_prefetch}
        columns = getattr(statement, "selected_columns", ())
        self.results: list[Processor] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        ]
        self.names = [column.key for column in columns]
        self.error = dialect.loaded_dbapi.Error
        self.autocommit = dialect.name == "postgresql"  # psycopg: a statement alone needs no transaction block

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        converted = {}
        for name, processor in self.binds.items():
            value = values[name] if name in values else self._default(name)
            converted[name] = processor(value) if processor is not None else value
        return [converted[name] for name in self.order] if self.order is not None else converted

    def _default(self, name: str) -> Any:
        default = self.defaults.get(name)
        if default is None:
            raise KeyError(f"no value for {name!r}")
        return default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]

    def rows(self, values: Mapping[str, Any]) -> list[Any]:
        """The rows the statement selects, with columns by name as SQLAlchemy's rows have them."""
        raw = self._run(values, fetch=True)
        assert isinstance(raw, list)
        return [self._row(row) for row in raw]

    def count(self, values: Mapping[str, Any], *, notify: tuple[str, str] | None = None) -> int:
        """The rows the statement (an UPDATE) changed. `notify`: the channel and payload of a NOTIFY sent when a
        row changed (PostgreSQL; elsewhere nothing to do), in the same statement: one round trip to the server,
        `WITH changed AS (UPDATE … RETURNING 1) SELECT pg_notify(…) FROM changed`, not BEGIN, UPDATE, NOTIFY and
        COMMIT."""
        if notify is not None and self.autocommit:
            sql = f"WITH changed AS ({self.sql} RETURNING 1) SELECT pg_notify(%(_channel)s, %(_payload)s) FROM changed"
            rows = self._run(values, fetch=True, sql=sql, extra={"_channel": notify[0], "_payload": notify[1]})
            assert isinstance(rows, list)
            return len(rows)
        changed = self._run(values, fetch=False)
        assert isinstance(changed, int)
        return changed

    def _row(self, raw: Sequence[Any]) -> Any:
        values = [processor(value) if processor is not None else value for processor, value in
                  zip(self.results, raw, strict=True)]  # fmt: skip
        return _Row(zip(self.names, values, strict=True))

    def _run(
        self, values: Mapping[str, Any], *, fetch: bool, sql: str | None = None, extra: Mapping[str, Any] | None = None
    ) -> list[Any] | int:
        pooled = self._connection()
        cursor = None
        # One statement alone is a transaction of its own: on PostgreSQL it goes without BEGIN and COMMIT (one
        # round trip to the server instead of three).
        alone = self.autocommit
        try:
            if alone:
                pooled.dbapi_connection.autocommit = True  # type: ignore[union-attr]
            cursor = pooled.cursor()
            parameters = self.parameters(values)
            if extra:  # (named parameters of the SQL around the statement: PostgreSQL's style)
                assert isinstance(parameters, dict)
                parameters = {**parameters, **extra}
            cursor.execute(sql or self.sql, parameters)
            result: list[Any] | int = list(cursor.fetchall()) if fetch else cursor.rowcount
            if not alone:
                pooled.commit()
            return result
        except self.error as error:
            dialect = self.engine.dialect
            dropped = dialect.is_disconnect(error, pooled.dbapi_connection, cursor)
            if dropped:
                pooled.invalidate(error)
            raise sa.exc.DBAPIError.instance(
                self.sql, dict(values), error, self.error, connection_invalidated=dropped, dialect=dialect
            ) from error
        finally:
            if cursor is not None:
                with contextlib.suppress(self.error):  # a dropped connection's cursor
                    cursor.close()
            if alone and pooled.dbapi_connection is not None:  # (None: invalidated above)
                with contextlib.suppress(self.error):
                    pooled.dbapi_connection.autocommit = False
            pooled.close()  # back to the pool, which rolls back whatever is left open

    def _connection(self) -> PoolProxiedConnection:
        """A connection from the engine's pool. One that cannot be made (the server down, refused, a wrong password)
        is SQLAlchemy's `OperationalError`, as `Engine.connect` raises it, not the driver's own error."""
        try:
            return self.engine.raw_connection()
        except self.error as error:
            dialect = self.engine.dialect
            raise sa.exc.DBAPIError.instance(
                None, None, error, self.error, connection_invalidated=dialect.is_disconnect(error, None, None),
                dialect=dialect,
            ) from error  # fmt: skip


class _Row(dict[str, Any]):
    """A row read by name, as an attribute (`row.version`) like SQLAlchemy's."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


_PREPARED: weakref.WeakKeyDictionary[Engine, dict[Hashable, Prepared]] = weakref.WeakKeyDictionary()


def prepared(engine: Engine, name: Hashable, build: Callable[[], ClauseElement]) -> Prepared:
    """The statement `name` for this engine, built and compiled on its first use."""
    statements = _PREPARED.setdefault(engine, {})
    if name not in statements:
        statements[name] = Prepared(engine, build())
    return statements[name]


@contextlib.contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection for reads: each statement runs on its own, with no transaction block around them.

    On PostgreSQL a read so is one round trip to the server, not BEGIN, the query and ROLLBACK; and psycopg drops
    every statement it has prepared on a connection at a ROLLBACK, so a read that ended with one made the next
    requests on that pooled connection parse and plan their statements again. The reads see what they saw before:
    at PostgreSQL's READ COMMITTED each statement takes its own snapshot in a transaction too, and SQLite's driver
    opens no transaction for a SELECT. Whatever must be read and written together takes `engine.begin()`.
    """
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection
