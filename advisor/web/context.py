"""What every web request needs, shared by the pages (app) and the JSON API so neither imports the other."""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from advisor.appointments import booking
from advisor.bootstrap import SERVER_BUSY_TIMEOUT_MS, SERVER_LOOP_POOL_SIZE
from advisor.config import Config
from advisor.content import CatalogOffer
from advisor.db.engine import CONNECT_TIMEOUT_S, INTERACTIVE_STATEMENT_TIMEOUT_MS, make_engine, make_loop_engine
from advisor.db.retry import is_transient
from advisor.handoff import sessions
from advisor.insights.events import EventLog, new_run
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.index import CategoryIndex, IndexCache
from advisor.session import store
from advisor.session.service import AdviceSession, SessionError, Subscriber
from advisor.session.tracking import EventLogger
from advisor.web.security import Signer
from advisor.web.waiting import in_page, off_loop, pause

P = ParamSpec("P")
T = TypeVar("T")

BRIEF_BUSY_MS = 20  # the longest a page's write holds up the event loop for a busy SQLite file (measured: with 0
# the event log's writer thread, holding the lock, waited for the interpreter lock and p95 at 50 shoppers doubled)
# How long a page on the event loop waits before it tries a busy SQLite file again (SQLite's own busy handler
# waits the same way); the last wait repeats until SERVER_BUSY_TIMEOUT_MS.
BUSY_WAITS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05)
# How long a request waits for a PostgreSQL server that does not answer a statement (frozen, not refusing): as long
# as a new connection waits (CONNECT_TIMEOUT_S), so pages and API alike answer 503 with Retry-After after it.
ANSWER_LIMIT_S = float(CONNECT_TIMEOUT_S)
WARM_SESSIONS = 500  # sessions a server process keeps restored between pages (about 36 KB each with its results)


class WarmSessions:
    """The sessions this server process worked on last, each as stored at its version: a browser's next page
    takes its session from here instead of parsing and restoring the stored snapshot again (the stored version is
    still read on every page, so a change another device or process wrote is never missed).

    A session is out of here while a request works on it: two requests of one browser at once never share one.
    """

    def __init__(self, size: int = WARM_SESSIONS) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[store.Record, AdviceSession]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, session_id: str) -> tuple[store.Record, AdviceSession] | None:
        with self._lock:
            return self._entries.pop(session_id, None)

    def put(self, record: store.Record, session: AdviceSession) -> None:
        with self._lock:
            self._entries[record.id] = (record, session)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class _AnswerWatch:
    """The statements of an engine's connections that wait for the server's answer, each with its deadline; one
    thread looks at them a few times a second and shuts down the socket of any connection past its deadline (no
    thread per statement: a page runs several)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._armed: dict[int, tuple[float, int]] = {}  # id of the DBAPI connection -> (deadline, socket)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def arm(self, dbapi_connection: Any, driver_connection: Any) -> None:
        fd = getattr(getattr(driver_connection, "pgconn", None), "socket", -1)  # (psycopg's, sync or asyncio)
        if not isinstance(fd, int) or fd < 0:
            return
        with self._lock:
            self._armed[id(dbapi_connection)] = (time.monotonic() + self.seconds, fd)
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="database-answer-limit", daemon=True)
                self._thread.start()

    def disarm(self, dbapi_connection: Any) -> None:
        with self._lock:
            self._armed.pop(id(dbapi_connection), None)

    def _watch(self) -> None:
        while True:
            time.sleep(min(0.25, self.seconds / 4))
            now = time.monotonic()
            with self._lock:  # (held while cutting: a connection disarmed meanwhile is not cut after)
                late = [key for key, (deadline, _fd) in self._armed.items() if deadline <= now]
                for key in late:
                    _deadline, fd = self._armed.pop(key)
                    with contextlib.suppress(OSError):
                        sock = socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM)  # a duplicate of the socket
                        try:
                            sock.shutdown(socket.SHUT_RDWR)  # ends the connection: the waiting driver fails at once
                        finally:
                            sock.close()


def limit_answer_wait(engine: Engine, seconds: float = ANSWER_LIMIT_S) -> Engine:
    """Make `engine`'s PostgreSQL connections give up on a server that does not answer within `seconds`: a
    statement (or its commit) through SQLAlchemy, or a connection taken from the pool for the server's own statements
    (advisor.db.prepared, on the driver's connection). Its socket is shut down, so the waiting driver fails at once
    (OperationalError, the connection invalidated) and the request answers 503 as for a server that refuses. A
    client-side limit: a stopped server's kernel still acknowledges TCP, so neither the server's statement_timeout
    nor libpq's tcp_user_timeout ends the wait. The web server puts it on both its engines (the pages' on the event
    loop, the one of the API's routes and the chores), so every request has it. SQLite engines are left as they are
    (a busy file has its own busy timeout)."""
    if engine.url.get_backend_name() != "postgresql" or "_answer_watch" in engine.__dict__:
        return engine
    watch = engine.__dict__["_answer_watch"] = _AnswerWatch(seconds)

    def dbapi_of(connection: Any) -> Any:
        return connection.connection.dbapi_connection

    def arm(connection: Any) -> None:
        pooled = connection.connection  # (the driver's own connection: under the asyncio adapter on the loop)
        watch.arm(pooled.dbapi_connection, pooled.driver_connection)

    @event.listens_for(engine, "before_cursor_execute")
    def _before(connection: Any, *_args: Any) -> None:
        arm(connection)

    @event.listens_for(engine, "after_cursor_execute")
    def _after(connection: Any, *_args: Any) -> None:
        watch.disarm(dbapi_of(connection))

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _ending(connection: Any) -> None:  # (disarmed when the connection goes back to the pool)
        if not connection.invalidated:
            arm(connection)

    @event.listens_for(engine, "handle_error")
    def _failed(context: Any) -> None:
        if context.connection is not None and not context.connection.invalidated:
            watch.disarm(dbapi_of(context.connection))

    @event.listens_for(engine.pool, "checkout")
    def _taken(dbapi_connection: Any, record: Any, _proxy: Any) -> None:  # (the server's statements run on the
        watch.arm(dbapi_connection, record.driver_connection)  # driver's connection: advisor.db.prepared)

    @event.listens_for(engine.pool, "checkin")
    @event.listens_for(engine.pool, "close")
    def _back(dbapi_connection: Any, *_args: Any) -> None:
        if dbapi_connection is not None:
            watch.disarm(dbapi_connection)

    return engine


class NotStored(SessionError):
    """A page that needs the stored session (its code, its chat) before the shopper's first answer stored it."""


@dataclass(frozen=True)
class Opened:
    """A session a request works on: its stored record (code, consent, store) and the advice session.

    Until the shopper's first answer nothing is stored (`stored` is None): the browser's signed cookie holds the
    questionnaire, language and run, so a visit that answers nothing leaves no row behind.
    """

    stored: store.Record | None
    session: AdviceSession
    # False: `stored` is the record this process kept with its warm session, not read for this request
    # (`WebContext.open(..., writing=True)`); the request's write checks it, anything else reads it first.
    read: bool = True
    # What the store has set aside for appointments, as read once for this request (WebContext.shelf), or None.
    held: Mapping[str, int] | None = None

    @property
    def record(self) -> store.Record:
        """The stored record; NotStored before the first answer (the app sends such a page to the question)."""
        if self.stored is None:
            raise NotStored("this advice has no answer yet, so nothing is stored")
        return self.stored

    @property
    def store_id(self) -> str | None:
        return self.stored.store_id if self.stored else None


@dataclass
class WebContext:
    """What every request needs: the database, questionnaires, catalog index and configuration."""

    engine: Engine
    questionnaires: Callable[[], Mapping[str, Questionnaire]]
    index_cache: IndexCache
    config: Config
    signer: Signer
    mail_dry_run: Path | None = None
    events: EventLog | None = None  # the anonymous event log (insights)
    # The service flows (help with a product the shopper owns); None: the server offers none.
    service_flows: Callable[[], Mapping[str, Questionnaire]] | None = None
    warm: WarmSessions = field(default_factory=WarmSessions)
    catalog_offer: CatalogOffer = field(default_factory=lambda: CatalogOffer("advisor web"))
    # What a request wrote of a session (its record at the new version; None: ended), for `release` at its end.
    _written: weakref.WeakKeyDictionary[AdviceSession, store.Record | None] = field(
        default_factory=weakref.WeakKeyDictionary, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _loop_async: AsyncEngine | None = field(default=None, init=False, repr=False)  # PostgreSQL's, for `dispose`
    # `offered` as last worked out, with what it was worked out from (the finders, the flows, the catalog index).
    _offered: tuple[object, object, object, dict[str, Questionnaire]] | None = field(
        default=None, init=False, repr=False
    )

    def __post_init__(self) -> None:
        limit_answer_wait(self.engine)  # the API's routes and the chores wait on this engine: given up in time

    @property
    def mails(self) -> bool:
        """Whether mails go out: e-mail is set up ([smtp]), or written to the dry-run folder."""
        return self.config.smtp.enabled or self.mail_dry_run is not None

    def write(self, fn: Callable[Concatenate[Engine, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`fn(engine, …)`, a write that may have to wait for the database; outside a page it runs with the
        process's engine.

        The shopper's pages run on the server's event loop (`advisor.web.waiting.run_page`), not in its thread
        pool: handing every request to a thread and back, with the threads taking turns at the interpreter lock
        with the loop, cost more CPU than all of a page's own work (measured side by side at 50 shoppers on SQLite:
        1.91 ms of CPU per request with the pages in the pool, 1.25 ms on the loop; p95 142 and 114 ms). What a
        page waits for, it waits for on the loop, which goes on with the other pages meanwhile (`db`). On
        PostgreSQL that is every statement's round trip to the server, on the driver's asyncio connections. A
        SQLite file's readers never wait; a write runs on a connection that waits at most BRIEF_BUSY_MS for the
        file's write lock: this process's pages write one after the other on the loop, so it nearly always writes
        at once, and a batch of this process's event log is written meanwhile (the loop's brief wait lets the
        writer thread finish, where carrying on with other pages would keep it from the interpreter lock).

        When the database is busy for longer (an import in another process holding the SQLite file, a dropped
        connection), the page waits on the loop and tries again, a little longer each time; after
        SERVER_BUSY_TIMEOUT_MS it fails as a busy database does (OperationalError). `fn` must change nothing when
        it fails for a busy database (one transaction)."""
        quick = self._loop_engine if in_page() else None
        if quick is None:
            return fn(self.engine, *args, **kwargs)
        deadline = time.monotonic() + SERVER_BUSY_TIMEOUT_MS / 1000
        for wait in itertools.chain(BUSY_WAITS, itertools.repeat(BUSY_WAITS[-1])):
            try:
                return fn(quick, *args, **kwargs)
            except OperationalError as error:
                if not is_transient(error) or time.monotonic() + wait > deadline:
                    raise
            pause(wait)
        raise AssertionError("unreachable: the waits repeat until the deadline")  # pragma: no cover

    @property
    def db(self) -> Engine:
        """The engine for this code: in a page on the event loop the one that waits there (`write`), else the
        process's engine (a route in the thread pool, a background thread)."""
        loop_engine = self._loop_engine if in_page() else None
        return loop_engine if loop_engine is not None else self.engine

    @cached_property
    def _loop_engine(self) -> Engine | None:
        """The engine of the pages on the event loop: on PostgreSQL on the driver's asyncio connections, on SQLite a
        second engine on the same file whose connections wait at most BRIEF_BUSY_MS for its write lock (None: a
        SQLite database in memory, which a second engine would not share)."""
        url = self.engine.url
        if url.get_backend_name() == "postgresql":
            self._loop_async = make_loop_engine(
                url.render_as_string(hide_password=False), statement_timeout_ms=INTERACTIVE_STATEMENT_TIMEOUT_MS,
                pool_size=SERVER_LOOP_POOL_SIZE,
            )  # fmt: skip
            return limit_answer_wait(self._loop_async.sync_engine)  # the pages': the same limit as the API's
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        return make_engine(url.render_as_string(hide_password=False), busy_timeout_ms=BRIEF_BUSY_MS, pool_size=2)

    async def dispose(self) -> None:
        """Close the database connections (a server process that stops)."""
        loop_engine = self.__dict__.get("_loop_engine")
        if self._loop_async is not None:
            await self._loop_async.dispose()
        elif loop_engine is not None:
            loop_engine.dispose()
        self.engine.dispose()

    def offered(self) -> dict[str, Questionnaire]:
        """The finders and the service flows by id: what the pages start and what a stored session restores; those
        whose category the catalog does not have are left out (named in the journal, as the kiosk does).

        Worked out again only when the questionnaires, the service flows or the catalog are others than last time
        (each is a new object when reloaded); callers only read it."""
        finders = self.questionnaires()
        flows = self.service_flows() if self.service_flows is not None else None
        catalog = self.index_cache.get()
        last = self._offered
        if last is not None and last[0] is finders and last[1] is flows and last[2] is catalog:
            return last[3]
        every = {**finders, **(flows if flows is not None else {})}
        kept = self.catalog_offer.offered(every, catalog.categories)
        self._offered = (finders, flows, catalog, kept)
        return kept

    def store_address(self, locale: str) -> str:
        """How the store addresses shoppers in `locale` where no advice says it (a used link, the code and repair
        pages, an error before any advice): the form all its questionnaires use, else "du"."""
        flows = self.service_flows() if self.service_flows is not None else {}
        forms = {q.address.get(locale, "du") for q in (*self.questionnaires().values(), *flows.values())}
        return forms.pop() if len(forms) == 1 else "du"

    def subscribers(self) -> list[Subscriber]:
        return [EventLogger(self.events)] if self.events is not None else []

    def index_for(self, questionnaire: Questionnaire) -> CategoryIndex | None:
        return self.index_cache.get().categories.get(questionnaire.category)

    def open(self, session_id: str | None, *, writing: bool = False) -> Opened | None:
        """The stored session, as the current questionnaire accepts it; None when it is gone, has expired or its
        questionnaire is no longer offered (the shopper starts again).

        `writing`: the request is about to change the session (an answer). A warm session is then taken as kept,
        without reading the stored one: the write itself holds only while the stored session is as kept (its
        version, not expired, the same consent), so the request costs one statement instead of two; when it changes
        nothing, `save` reads the session after all. A request that ends without `save` reads it with `checked`."""
        if not session_id:
            return None
        warm = self.warm.take(session_id)
        if writing and warm is not None and self._unchanged(warm[1]):
            return self._opened(*warm, read=False)
        record = store.read(self.db, session_id, known=warm[0] if warm is not None else None)
        if record is None:
            return None
        if warm is not None and warm[0].version == record.version and self._unchanged(warm[1]):
            return self._opened(record, warm[1])  # as stored at this version: nothing to restore
        return self._restored(record)

    def checked(self, opened: Opened) -> Opened | None:
        """The session as stored now, for a request that took it as kept (`open(..., writing=True)`) and ends
        without writing; None when it has expired or is gone."""
        if opened.read or opened.stored is None:
            return opened
        record = store.read(self.db, opened.stored.id, known=opened.stored)
        if record is None:
            return None
        if record.version == opened.stored.version:
            return self._opened(record, opened.session)
        return self._restored(record)  # another device changed it meanwhile

    def _restored(self, record: store.Record) -> Opened | None:
        """A stored session restored from its snapshot; None when its questionnaire no longer accepts it."""
        try:
            session = store.load(record, self.offered(), index_for=self.index_for)
        except SessionError:
            return None
        for subscriber in self.subscribers():
            session.subscribe(subscriber)
        return self._opened(record, session)

    def _unchanged(self, session: AdviceSession) -> bool:
        """A warm session's questionnaire and catalog are still the ones served (neither was reloaded since)."""
        questionnaire = session.questionnaire
        return self.offered().get(questionnaire.id) is questionnaire and session.index is self.index_for(questionnaire)

    def release(self, opened: Opened) -> None:
        """At the end of a request that went well: its session back among the warm ones, if all of it is stored
        (nothing left unwritten, not ended)."""
        session = opened.session
        with self._lock:
            record = self._written.pop(session, opened.stored)
        if record is None or session.pending or session.version != record.version:
            return
        if session.snapshot() == record.snapshot:
            self.warm.put(record, session)

    def _opened(self, record: store.Record | None, session: AdviceSession, *, read: bool = True) -> Opened:
        """The session to work on, in its store: the stored session's, else this server's (what in_stock means).
        `read`: see `Opened.read`."""
        session.store_id = (record.store_id if record else None) or self.config.store.id
        session.catalog = self.index_cache.get()  # a service run's parts live in other categories
        opened = Opened(record, session, read)
        if session.questionnaire.asks_stock:  # (its filter or order reads stock: every command sees the holds)
            opened = replace(opened, held=self._read_shelf(opened))
        return opened

    def shelf(self, opened: Opened, *, shown: bool = False, results: bool = False) -> Mapping[str, int]:
        """Per article, what the session's store has set aside for appointments now (the shelf as a page shows it);
        the session is told what is set aside for others, so that its counts and results leave those out (its own
        products set aside stay in). Read for a page that shows stock
        (`shown`), else only when the questionnaire's filter or order reads stock (then for every request, so a
        command such as a relaxation sees what the page offering it saw), or (`results`) its results say a size's
        stock."""
        if opened.held is not None:
            return opened.held  # (read with the request already)
        questionnaire = opened.session.questionnaire
        if not (shown or questionnaire.asks_stock or (results and questionnaire.results.size is not None)):
            return {}
        return self._read_shelf(opened)

    def _read_shelf(self, opened: Opened) -> Mapping[str, int]:
        session = opened.session
        every, others = booking.holds_of(self.db, store_id=session.store_id or self.config.store.id,
                                         for_session=opened.stored.id if opened.stored else None)  # fmt: skip
        session.use_holds(others)  # (what is set aside for this shopper is theirs to have)
        return every  # (the shelf as a page shows it)

    def start(self, questionnaire: Questionnaire, locale: str) -> Opened:
        """A new advice run at its first question, not stored yet (`start_value` is what the cookie keeps)."""
        session = AdviceSession.start(
            questionnaire, index=self.index_for(questionnaire), locale=locale, run=new_run(),
            subscribers=self.subscribers(),
        )  # fmt: skip
        return self._opened(None, session)

    @staticmethod
    def start_value(opened: Opened) -> str:
        """A run that is not stored yet, as its cookie keeps it: questionnaire, language, run."""
        session = opened.session
        return f"{session.questionnaire.id}|{session.locale}|{session.run}"

    def open_start(self, value: str | None) -> Opened | None:
        """The run a `start_value` describes, at its first question; None when its questionnaire is not offered."""
        parts = (value or "").split("|")
        if len(parts) != 3:
            return None
        questionnaire_id, locale, run = parts
        questionnaire = self.offered().get(questionnaire_id)
        if questionnaire is None:
            return None
        session = AdviceSession(questionnaire, index=self.index_for(questionnaire), locale=locale, run=run)
        for subscriber in self.subscribers():
            session.subscribe(subscriber)
        return self._opened(None, session)

    def store_now(self, opened: Opened) -> Opened:
        """The session, stored now if it was not yet (its first answer, or the shopper asking for staff)."""
        if opened.stored is not None:
            return opened
        record = self.write(
            store.create, opened.session, store_id=self.config.store.id, origin="web",
            lifetime=timedelta(hours=self.config.privacy.web_session_idle_hours),
        )  # fmt: skip
        with self._lock:
            self._written[opened.session] = record
        return self._opened(record, opened.session)

    def save(self, opened: Opened) -> Opened:
        """Write what the request changed (merged with what another device wrote meanwhile); a session not stored
        yet is stored once it holds an answer. Returns the session as it is stored now."""
        record = opened.stored
        if record is None:
            return self.store_now(opened) if opened.session.state.answers else opened
        session = opened.session
        snapshot = session.snapshot()  # (taken once: what is written, and then the record's)
        if not (session.pending or snapshot != record.snapshot):
            if self.checked(opened) is None:  # nothing to write: a session taken as kept is read after all
                raise store.SessionGone("this advice session has expired or was deleted")
            return opened
        expires_at = self.expiry(record, session)
        unread = None if opened.read else record
        # (A shopper waits for this page: tried again for a busy database only until SERVER_BUSY_TIMEOUT_MS.)
        deadline = time.monotonic() + SERVER_BUSY_TIMEOUT_MS / 1000
        if not in_page() and unread is None:
            store.save(self.engine, record.id, session, expires_at=expires_at, deadline=deadline)
            snapshot = session.snapshot()  # (a rebase may have changed it)
        elif (
            self.write(store.save_at_once, record.id, session, expires_at=expires_at, unread=unread, snapshot=snapshot)
            is None
        ):
            # Another device wrote this session meanwhile (rare), or, for a session taken as kept, it expired or
            # its consent changed: rebased on what is stored, in the thread pool, where the retries may wait.
            if unread is not None:
                fresh = store.read(self.db, record.id)
                if fresh is None:
                    raise store.SessionGone("this advice session has expired or was deleted")
                record, expires_at = fresh, self.expiry(fresh, session)
            off_loop(store.save, self.engine, record.id, session, expires_at=expires_at, deadline=deadline)
            snapshot = session.snapshot()  # (rebased on what another device wrote)
        written = replace(record, version=session.version, snapshot=snapshot)
        with self._lock:
            self._written[session] = written
        return opened

    def expiry(self, record: store.Record, session: AdviceSession) -> datetime | None:
        """When a web session ends, counted from a change now: while nobody reached its results or gave consent,
        [privacy] web_session_idle_hours after the change; after that the whole retention from its start.
        None for sessions started elsewhere (a kiosk's keep their retention)."""
        if record.origin != "web":
            return None
        privacy = self.config.privacy
        kept = record.created_at + timedelta(days=privacy.session_retention_days)
        if record.consent or session.completed:
            return kept
        return min(kept, datetime.now(UTC) + timedelta(hours=privacy.web_session_idle_hours))

    def give_consent(self, opened: Opened) -> Opened:
        """The shopper agreed that staff see the session (stored now if need be): it is kept for the retention."""
        stored = self.store_now(opened)
        self.write(sessions.give_consent, stored.record.id)
        return replace(stored, stored=replace(stored.record, consent=True))

    def end(self, opened: Opened) -> None:
        """The shopper started over: this run is closed and its stored session ended for every device."""
        opened.session.close()
        with self._lock:
            self._written[opened.session] = None  # ended: not kept warm
        if opened.stored is not None:
            self.write(store.end, opened.stored.id)

    def cookie(self, name: str) -> str:
        """A cookie's name: over https with the __Host- prefix, so browsers keep it only Secure, for this host and
        Path=/ (no sibling domain can set or read it)."""
        return f"__Host-{name}" if self.secure_cookies else name

    @property
    def secure_cookies(self) -> bool:
        return self.config.web.public_base_url.startswith("https://")

    def url(self, path: str) -> str:
        return self.config.web.public_base_url + path
