"""Open the database for the app or a command: migrate it and, on a new SQLite file, load the sample catalog on first
start."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from advisor.catalog.reads import catalog_is_empty, holds_dictionary
from advisor.db import make_engine, upgrade
from advisor.db.engine import INTERACTIVE_BUSY_TIMEOUT_MS, INTERACTIVE_STATEMENT_TIMEOUT_MS, schema_lock, shown_url
from advisor.paths import sample_catalog_dir

# Requests a web server process works on at once in its thread pool (the API, the pages beside the shopper's walk;
# the others wait their turn): the walk's pages run on its event loop (advisor/web/waiting.py).
SERVER_THREADS = 4
# Connections a web server process keeps per engine: one per request at work, the event log's writer, the mail
# sender and a reserve (as many more are opened, and closed, at peaks).
SERVER_POOL_SIZE = SERVER_THREADS + 4
# On PostgreSQL the pages on the event loop have an engine of their own: a statement holds a connection while it
# waits for the server, and many pages wait at once. It keeps all of them open (`make_loop_engine`).
SERVER_LOOP_POOL_SIZE = 2 * SERVER_POOL_SIZE
SERVER_BUSY_TIMEOUT_MS = 5_000  # a server's request may wait for SQLite's write lock (no screen freezes meanwhile)
# What a program that finds a PostgreSQL database without products says (it loads no sample into a shared one).
EMPTY_CATALOG = (
    "the catalog is empty: import it with advisor catalog import categories.json, then products.csv "
    "(or load the sample catalog with advisor catalog load-sample)"
)

if TYPE_CHECKING:
    from advisor.catalog.store import ImportReport


def load_sample_catalog(engine: Engine) -> ImportReport:
    """Load the shipped attribute dictionary and sample products (an upsert: safe to repeat)."""
    # The writing side (the ORM models, the importer) is imported only when there is something to write.
    from advisor.catalog.dictionary import load_dictionary_file
    from advisor.catalog.importer import import_file
    from advisor.catalog.store import ImportReport, save_dictionary

    folder = sample_catalog_dir()
    save_dictionary(engine, load_dictionary_file(folder / "categories.json"))
    report = import_file(engine, folder / "products.json")
    assert isinstance(report, ImportReport)
    return report


def open_database(
    url: str | None = None, *, load_sample: bool = True, interactive: bool = False, server: bool = False
) -> Engine:
    """The process's engine, upgraded to the newest schema, with the sample catalog on first start (`load_sample`:
    into a SQLite file without products and without an attribute dictionary: one whose stores or categories were
    imported is the chain's own, whose products are still to come; a PostgreSQL database, shared by a chain's
    devices, gets none unasked, and the program says in one line that its catalog is empty).

    An interactive app (kiosk, staff console, web server) gets an engine with short timeouts: a busy SQLite
    file or a slow PostgreSQL statement fails fast instead of freezing a screen. Its set-up (a migration, the
    first sample catalog) still runs as a batch job, on an engine of its own that waits as batch commands do.
    """
    engine = make_engine(url)
    try:
        upgrade(engine)
        if load_sample and catalog_is_empty(engine):
            _first_catalog(engine)
    finally:
        if interactive:
            engine.dispose()
    if not interactive:
        return engine
    if server:  # the web server: a connection per request handled at once, kept open; a broken one is dropped
        return make_engine(
            url, busy_timeout_ms=SERVER_BUSY_TIMEOUT_MS, statement_timeout_ms=INTERACTIVE_STATEMENT_TIMEOUT_MS,
            pool_size=SERVER_POOL_SIZE, pre_ping=False,
        )  # fmt: skip
    return make_engine(
        url, busy_timeout_ms=INTERACTIVE_BUSY_TIMEOUT_MS, statement_timeout_ms=INTERACTIVE_STATEMENT_TIMEOUT_MS
    )


def _first_catalog(engine: Engine) -> None:
    """The sample catalog into an empty SQLite file (no products, no dictionary of its own), by one of the processes
    started together (the others find it loaded), said in one journal line; on PostgreSQL one journal line saying the
    catalog is empty."""
    if engine.url.get_backend_name() != "sqlite":
        sys.stderr.write(f"advisor: {EMPTY_CATALOG}\n")
        sys.stderr.flush()
        return
    if holds_dictionary(engine):  # the chain's own, imported before its products: no sample over it
        return
    with schema_lock(engine):
        # again: another process may have loaded it while this one waited
        if catalog_is_empty(engine) and not holds_dictionary(engine):
            load_sample_catalog(engine)
            # Said by the process that loaded it: a store that meant to import its own sees why it has 147 products.
            where = shown_url(engine.url.render_as_string(hide_password=False))
            sys.stderr.write(
                f"advisor: loaded the sample catalog into {where} (the database had no products); "
                "import your own with advisor catalog import\n"
            )
            sys.stderr.flush()
