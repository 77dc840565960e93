"""Create the database engine and bring its schema up to date."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from advisor import __version__
from advisor.db.location import HEAD, UnusableDatabaseUrl, checked_url, database_url
from advisor.urls import redacted

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Batch commands (an import, a migration) wait out another writer of the SQLite file; interactive apps (kiosk,
# staff console, web server) give up quickly, so a busy file never freezes a screen or a request.
BATCH_BUSY_TIMEOUT_MS = 10_000
INTERACTIVE_BUSY_TIMEOUT_MS = 300
INTERACTIVE_STATEMENT_TIMEOUT_MS = 5_000  # PostgreSQL: a statement of an interactive app that takes longer is cut
CONNECT_TIMEOUT_S = 3  # PostgreSQL: an unreachable server fails a connection after this long
# A schema upgrade (and the first sample catalog) is done by one process at a time: devices updated together all
# start at once. The others wait for it this long at most (then SchemaBusy), and find the work done.
SCHEMA_LOCK_WAIT_S = 300.0
SCHEMA_LOCK_KEY = 0x61_64_76_69_73_6F_72  # PostgreSQL: the advisory lock's key ("advisor"), per database
_SCHEMA_LOCK_POLL_S = 0.1


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # 64 MiB of page cache (default 2 MiB): a bulk import of 100,000 products touches ~100 MiB of pages.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def make_engine(
    url: str | None = None,
    *,
    busy_timeout_ms: int = BATCH_BUSY_TIMEOUT_MS,
    statement_timeout_ms: int | None = None,
    pool_size: int = 5,
    pre_ping: bool = True,
) -> Engine:
    """One engine for the process; SQLite gets WAL mode, foreign keys and a busy timeout, PostgreSQL timeouts.

    A write waits at most `busy_timeout_ms` for another writer of the SQLite file. A PostgreSQL server gets
    CONNECT_TIMEOUT_S to answer a new connection, and each statement at most `statement_timeout_ms` (None: no
    limit, for batch commands such as an import or a report). A server keeps `pool_size` connections open (one per
    request handled at once, so none is opened and closed per request); `pre_ping` tests a PostgreSQL connection
    before each use (a program that holds connections for long; a server instead drops a broken one on its first
    error and the next request gets a fresh one).
    """
    resolved = checked_url(database_url(url))
    with _usable(resolved):
        if resolved.startswith("sqlite"):
            # sqlite3's `timeout` is SQLite's busy timeout: how long a write waits for the file's write lock.
            connect_args: dict[str, Any] = {"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
            # An in-memory database (sqlite://, sqlite:///, :memory:) has SQLAlchemy's one-connection-per-thread pool,
            # which takes no pool size.
            in_memory = make_url(resolved).database in (None, "", ":memory:") or ":memory:" in resolved
            pooled = {} if in_memory else {"pool_size": pool_size, "max_overflow": pool_size}
            engine = sa.create_engine(resolved, connect_args=connect_args, **pooled)
            sa.event.listen(engine, "connect", _sqlite_pragmas)
            _keep_to_file(engine)
            return engine
        timeouts = _postgres_timeouts(resolved, statement_timeout_ms)
        return sa.create_engine(
            resolved, pool_pre_ping=pre_ping, pool_size=pool_size, max_overflow=pool_size, connect_args=timeouts
        )


def _private_file(database: str | None) -> None:
    """Create a new SQLite file readable by its owner only (mode 600): it holds shoppers' contacts, chats and the
    staff's PIN hashes. SQLite gives its -wal and -shm files the database file's mode. An existing file, or one
    that cannot be made here (its folder is missing: the engine's first connection says so), is left as it is."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    with contextlib.suppress(FileExistsError, FileNotFoundError, NotADirectoryError, PermissionError):
        os.close(os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _keep_to_file(engine: Engine) -> None:
    """Keep the engine on the SQLite file at its path when it is made (a new one is made first: `_private_file`).
    Someone who deletes the file while the app runs does not make the app store its changes where no program finds
    them: a new connection does not make a new, empty file in its place (SQLite's `mode=rw`: "unable to open
    database file", which the app shows as the database not reachable, keeping the changes to try again), and a
    pooled connection on the deleted file (or on one replaced by another, say a restored backup) is dropped when
    taken from the pool (one `os.stat`) for a new one on the file now there. A file this process opened before is
    not made anew by a later engine either."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = os.path.abspath(database)
    if path not in _OPENED_FILES:
        _private_file(path)
        if not os.path.isfile(path):  # (its folder is missing: the first connection says so, as without this)
            return
        _OPENED_FILES.add(path)
    uri = f"file:{urllib.parse.quote(path)}?mode=rw"

    def read_write_only(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
        if not cparams.get("uri"):
            cargs[:1] = [uri]
            cparams["uri"] = True

    def opened(_dbapi_connection: Any, record: Any) -> None:
        record.info[_OPENED_FILE] = _file_identity(path)

    def still_there(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        found = _file_identity(path)  # (on every checkout: one stat, a few µs)
        if found is None or found != record.info.get(_OPENED_FILE):
            raise sa.exc.DisconnectionError(f"the database file {path} was deleted or replaced")

    sa.event.listen(engine, "do_connect", read_write_only)
    sa.event.listen(engine, "connect", opened)
    sa.event.listen(engine, "checkout", still_there)


# The SQLite files this process made engines on, and the key of the file a pooled connection opened.
_OPENED_FILES: set[str] = set()
_OPENED_FILE = "advisor_sqlite_file"


def _file_identity(path: str) -> tuple[int, int] | None:
    """Which file is at `path` (device and inode), None when there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


@contextlib.contextmanager
def _usable(url: str) -> Iterator[None]:
    """A URL SQLAlchemy cannot read (a port that is no number) or whose driver is not installed (psycopg2, asyncpg)
    is refused in one line as UnusableDatabaseUrl, not as SQLAlchemy's or Python's error."""
    try:
        yield
    except (sa.exc.ArgumentError, ValueError, ImportError) as error:
        if isinstance(error, UnusableDatabaseUrl):
            raise
        if isinstance(error, ImportError | sa.exc.NoSuchModuleError):
            why = "its driver is not installed (the advisor brings psycopg 3: postgresql:// without a driver uses it)"
        else:
            why = "it cannot be read (like postgresql://user:password@host/database or sqlite:////path/to/file)"
        raise UnusableDatabaseUrl(f"{json.dumps(redacted(url), ensure_ascii=False)} is not a usable database URL: "
                                  f"{why}") from None  # fmt: skip


def make_loop_engine(url: str, *, statement_timeout_ms: int | None, pool_size: int) -> AsyncEngine:
    """A PostgreSQL engine on the driver's asyncio connections, for code on an event loop (`greenlet_spawn`): its
    statements wait for the server without holding up the loop. The same timeouts as `make_engine`.

    It keeps its `pool_size` connections open and opens no more at peaks (code that finds them all in use waits on
    the loop for one): a connection opened for a peak and closed after costs the server a new backend process each
    time, and the driver prepares its statements anew on it (measured at 50 shoppers with 8 kept and 8 more at
    peaks: 13 new connections a second and a quarter of the statements run unprepared; with 16 kept, none)."""
    from sqlalchemy.ext.asyncio import create_async_engine

    resolved = checked_url(database_url(url))
    with _usable(resolved):
        return create_async_engine(
            resolved,
            pool_size=pool_size,
            max_overflow=0,
            connect_args=_postgres_timeouts(resolved, statement_timeout_ms),
        )


def _postgres_timeouts(url: str, statement_timeout_ms: int | None) -> dict[str, Any]:
    """Connection arguments with the timeouts; what the URL itself sets is kept (connect args override it)."""
    query = make_url(url).query
    timeouts: dict[str, Any] = {}
    if "connect_timeout" not in query:
        timeouts["connect_timeout"] = CONNECT_TIMEOUT_S
    if statement_timeout_ms is not None:
        given = query.get("options")
        options = [given] if isinstance(given, str) else list(given or ())
        timeouts["options"] = " ".join([*options, f"-c statement_timeout={statement_timeout_ms}"])
    return timeouts


class ReadinessProbe:
    """Whether the database answers (`SELECT 1`) within `timeout_s`: a load balancer's readiness check. An answer is
    kept for `every_s`, so frequent probes cost the database nothing; one check runs at a time, on a daemon thread
    of its own (it never holds up the process's exit), and a check that hangs (a frozen server) answers "not
    ready" after `timeout_s` while it goes on waiting."""

    def __init__(self, engine: Engine, *, timeout_s: float = 1.0, every_s: float = 2.0) -> None:
        self._engine, self._timeout_s, self._every_s = engine, timeout_s, every_s
        self._checked_at = -float("inf")
        self._ready = False
        self._running: Future[bool] | None = None

    async def ready(self) -> bool:
        """The kept answer while it is recent, else a new one (on the event loop: it waits without blocking it)."""
        if time.monotonic() - self._checked_at < self._every_s:
            return self._ready
        if self._running is None or self._running.done():
            self._running = Future()
            threading.Thread(target=self._select_one, args=(self._running,), daemon=True).start()
        try:
            ready = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(self._running)), self._timeout_s)
        except Exception:  # noqa: BLE001 - not answering in time, refused, any database error: not ready
            ready = False
        self._checked_at, self._ready = time.monotonic(), ready
        return ready

    def _select_one(self, result: Future[bool]) -> None:
        answer = False
        try:
            for _attempt in (1, 2):  # a pooled connection the server dropped fails once; a new one is tried
                try:
                    with self._engine.connect() as connection:
                        connection.exec_driver_sql("SELECT 1").scalar()
                except sa.exc.DBAPIError as error:
                    if not error.connection_invalidated:
                        return
                else:
                    answer = True
                    return
        except Exception:  # noqa: BLE001, S110 - whatever it is, the database did not answer
            pass
        finally:
            result.set_result(answer)


def shown_url(url: str) -> str:
    """The database URL for a log line: server and port (or the SQLite file), never the user or password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"sqlite:///{parsed.database or ''}"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.get_backend_name()}://…@{parsed.host or 'localhost'}{port}/{parsed.database or ''}"


def alembic_config(engine: Engine) -> Any:
    """An Alembic configuration pointing at the packaged migrations and this engine."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["engine"] = engine
    return config


class UnknownRevision(RuntimeError):
    """The database's schema is at a revision this version's migrations do not have: a newer version upgraded it."""

    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__(
            f"the database is at schema revision {revision}, which advisor {__version__} does not know (did a newer "
            "version of the advisor upgrade it?); update the advisor here too, or use a database of its own"
        )  # (no ": " in it: the kiosk's journal line shows a message's last clause after one)


class SchemaBusy(RuntimeError):
    """Another program held the schema's upgrade lock for longer than SCHEMA_LOCK_WAIT_S."""

    def __init__(self, waited_s: float) -> None:
        self.waited_s = waited_s
        super().__init__(
            f"another program has been upgrading the database's schema for {_duration(waited_s)} and is not done; "
            "try again once it is (a program stopped halfway lets go of it at once)"
        )  # (no ": " in it, as UnknownRevision)


def _duration(seconds: float) -> str:
    return f"{seconds / 60:g} minutes" if seconds >= 60 else f"{seconds:g} s"


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply all migrations up to `revision` (the app does this on every start; at HEAD it only looks).

    One process migrates at a time (`schema_lock`): programs started together wait for the first and then find
    the schema at `revision`. A database at a revision the migrations do not know is left alone: UnknownRevision."""
    if revision == "head" and current_revision(engine) == HEAD:
        return
    from alembic import command

    with schema_lock(engine):
        current = current_revision(engine)  # again: another process may have migrated while this one waited
        if current is not None:
            refuse_unknown(engine, current)
        if current == (HEAD if revision == "head" else revision):
            return
        command.upgrade(alembic_config(engine), revision)


@contextlib.contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Hold the database's set-up lock: on PostgreSQL a session-level advisory lock on a connection of its own, on
    a SQLite file an exclusive lock on a file beside it (`<database>.upgrade-lock`; SQLite's own write lock cannot
    be held across Alembic's connections). Waits at most SCHEMA_LOCK_WAIT_S for another process (SchemaBusy). Not
    reentrant; a process that dies holding it lets go at once (the server ends its session, the kernel its lock)."""
    backend = engine.url.get_backend_name()
    if backend == "postgresql":
        with _advisory_lock(engine):
            yield
    elif backend == "sqlite":
        with _file_lock(engine.url.database):
            yield
    else:  # pragma: no cover - make_engine takes SQLite and PostgreSQL only
        yield


def _waiting(take: Any) -> None:
    """Call `take()` until it returns True, for at most SCHEMA_LOCK_WAIT_S."""
    waited_s = SCHEMA_LOCK_WAIT_S
    deadline = time.monotonic() + waited_s
    while not take():
        if time.monotonic() >= deadline:
            raise SchemaBusy(waited_s)
        time.sleep(_SCHEMA_LOCK_POLL_S)


@contextlib.contextmanager
def _advisory_lock(engine: Engine) -> Iterator[None]:
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")  # (no transaction left open while it waits)
        # Out of the pool: closed at the end (with the session's lock, if still held), not kept for the process.
        connection.detach()
        key = {"key": SCHEMA_LOCK_KEY}
        _waiting(lambda: bool(connection.execute(sa.text("SELECT pg_try_advisory_lock(:key)"), key).scalar()))
        try:
            yield
        finally:
            with contextlib.suppress(sa.exc.DBAPIError):  # (a connection lost meanwhile took the lock with it)
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), key)


@contextlib.contextmanager
def _file_lock(database: str | None) -> Iterator[None]:
    if not database or database == ":memory:" or database.startswith("file:"):
        yield  # in memory: one process only
        return
    try:
        descriptor = os.open(f"{database}.upgrade-lock", os.O_CREAT | os.O_RDWR, 0o600)
    except OSError:  # a folder the lock cannot be made in: the database itself says what is wrong with it
        yield
        return
    try:

        def take() -> bool:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        _waiting(take)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def refuse_unknown(engine: Engine, revision: str) -> None:
    """UnknownRevision where `revision` (the database's) is none of this version's migrations: a newer version
    upgraded it."""
    from alembic.script import ScriptDirectory

    known = {script.revision for script in ScriptDirectory.from_config(alembic_config(engine)).walk_revisions()}
    if revision not in known:
        raise UnknownRevision(revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None before the first migration."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
