"""`advisor serve` in one process or several: each process builds its own context (engine, catalog index, event
log) from the same settings, which the command hands to uvicorn's worker processes through the environment.

Everything processes must agree on lives in the database (sessions, requests, attempt counts, the mail outbox), so
two processes, or two machines behind a reverse proxy, behave as one.
"""

from __future__ import annotations

import gc
import json
import math
import os
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from advisor.appointments.booking import unknown_kinds
from advisor.bootstrap import SERVER_THREADS
from advisor.config import Config, load_config, secret_key, use_configured_content
from advisor.db.retry import short_reason
from advisor.web.app import create_app
from advisor.web.context import WebContext
from advisor.web.outbox import database_named, journal, mail_sender

SETTINGS_ENV = "ADVISOR_SERVE_SETTINGS"
CHECK_S = 2.0  # a saved questionnaire or a new catalog version is served within this many seconds


@dataclass(frozen=True)
class ServeSettings:
    """What every server process needs to know, as JSON in the environment."""

    database_url: str | None
    config_file: str | None
    mail_dry_run: str | None = None

    def to_environment(self) -> None:
        os.environ[SETTINGS_ENV] = json.dumps(self.__dict__)

    @classmethod
    def from_environment(cls) -> ServeSettings:
        return cls(**json.loads(os.environ[SETTINGS_ENV]))


class Housekeeping:
    """A server process's thread that takes in what changed on disk and in the database every `every` seconds
    (saved questionnaire files, a new catalog version), so that no request ever waits for a look at either, nor for
    a new catalog's index to be built (seconds for a large catalog): requests go on with what there is meanwhile."""

    def __init__(
        self, chores: Sequence[tuple[str, Callable[[], object]]], every: float = CHECK_S, database: str = ""
    ) -> None:
        self.chores = chores
        self.every = every
        self.database = database  # database_named: said when a chore finds the database unreachable
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="housekeeping", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        failing: set[str] = set()
        while not self._stopping.wait(self.every):
            for name, chore in self.chores:
                try:
                    chore()
                except Exception as error:  # noqa: BLE001 - a database that is down, a folder gone: tried again
                    if name not in failing:  # one line per outage, not one every few seconds
                        where = f" in {self.database}" if self.database and isinstance(error, SQLAlchemyError) else ""
                        journal(f"cannot look at {name}{where} ({short_reason(error)}); trying on")
                    failing.add(name)
                else:
                    if name in failing:
                        journal(f"{name} can be looked at again")
                    failing.discard(name)


def web_context(config: Config, settings: ServeSettings) -> tuple[WebContext, Housekeeping]:
    """One process's context: its engine, the questionnaires, the catalog index and the event log; and the
    housekeeping that reloads the questionnaires, guides and size charts when their files change and rebuilds the
    index when the catalog's version moves."""
    from advisor.bootstrap import open_database
    from advisor.content import load_data_files, refresh_data_files
    from advisor.insights.events import EventLog
    from advisor.questionnaire.library import LibraryWatch
    from advisor.recommend.index import IndexCache
    from advisor.web.security import Signer

    use_configured_content(config)  # the questionnaires, guides and size charts this process offers
    engine = open_database(settings.database_url, interactive=True, server=True)
    cache = IndexCache(engine, every=math.inf)  # looked at by the housekeeping only
    cache.get()  # the catalog index, built before the first request (`announce` names unknown kinds, once)
    library = LibraryWatch(every=math.inf)
    load_data_files()
    web = WebContext(
        engine=engine, questionnaires=library.questionnaires, service_flows=library.service_flows,
        index_cache=cache, config=config,
        signer=Signer(secret_key(config)), mail_dry_run=Path(settings.mail_dry_run) if settings.mail_dry_run else None,
        events=EventLog(engine, channel="web", store_id=config.store.id),
    )  # fmt: skip
    chores = [("the questionnaire files", library.refresh), ("the guides and size charts", refresh_data_files),
              ("the catalog", cache.refresh)]  # fmt: skip
    return web, Housekeeping(chores, database=database_named(engine, config.source))


def announce(config: Config, engine: Engine) -> None:
    """What store IT is told in the journal at a start, by `advisor serve` itself before its worker processes start
    (once, not once per worker): the `[appointments.kinds]` entries that name no category of the catalog."""
    from advisor.catalog.reads import load_dictionary

    for line in unknown_kinds(config, load_dictionary(engine).categories):
        journal(line)


def build(config: Config, settings: ServeSettings) -> FastAPI:
    """The application of one server process; its event log is flushed when the process stops."""
    web, housekeeping = web_context(config, settings)
    app = create_app(web)
    from advisor.rendering.summary import environment

    for name in environment().list_templates(filter_func=lambda name: name.startswith("web/")):
        environment().get_template(name)  # compiled once here, not by every request that arrives first
    inner = app.router.lifespan_context

    sender = mail_sender(web)

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        # A few requests at once in the thread pool, the rest waiting their turn in order: the handlers share one
        # interpreter lock, so more threads only take turns more often (measured with 20 at 50 shoppers: about 7 %
        # more CPU per request and a fifth more time at the 95th percentile than with 4).
        anyio.to_thread.current_default_thread_limiter().total_tokens = SERVER_THREADS
        housekeeping.start()
        if sender is not None:
            sender.start()
        async with inner(application):
            yield
        if sender is not None:
            sender.stop()
        housekeeping.stop()
        if web.events is not None:
            web.events.close()  # the events of the last requests, or a line in the journal saying how many were lost
        await web.dispose()

    app.router.lifespan_context = lifespan
    return app


def app() -> FastAPI:
    """The factory uvicorn calls in each worker process (`advisor.web.serve:app`)."""
    settings = ServeSettings.from_environment()
    application = build(load_config(settings.config_file), settings)
    # What is built by now (modules, questionnaires, the catalog index, templates) lives as long as the process:
    # the cyclic garbage collector leaves it alone from here on. Walking it in a full collection took 130 ms
    # (measured on the sample catalog), all of it holding the interpreter lock, so every request waited that long.
    gc.collect()
    gc.freeze()
    return application
