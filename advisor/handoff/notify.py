"""Real-time wake-ups for the handoff on PostgreSQL: NOTIFY on every change, LISTEN with reconnection.

A wake-up only says "look again": listeners re-read the tables (the database is the truth), and do so after
every reconnect too, since notifications sent while disconnected are lost.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import Connection, Engine, make_url

CHANNEL = "advisor_handoff"
RECONNECT_DELAYS = (0.2, 0.5, 1.0, 2.0, 5.0)


def notify(connection: Connection, payload: str = "") -> None:
    """Wake the listeners when this transaction commits (PostgreSQL only; elsewhere nothing to do)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "SELECT pg_notify(%(channel)s, %(payload)s)", {"channel": CHANNEL, "payload": payload}
        )


def libpq_url(engine: Engine) -> str:
    """The engine's URL as psycopg takes it (without SQLAlchemy's driver suffix)."""
    return make_url(engine.url).set(drivername="postgresql").render_as_string(hide_password=False)


async def listen(url: str, on_wake: Callable[[], None], *, stop: asyncio.Event | None = None) -> None:
    """Call `on_wake` for every notification, and after every (re)connect, until `stop` is set."""
    stop = stop or asyncio.Event()
    failures = 0
    while not stop.is_set():
        try:
            async with await psycopg.AsyncConnection.connect(url, autocommit=True) as connection:
                await connection.execute(f"LISTEN {CHANNEL}")
                failures = 0
                on_wake()  # anything may have changed while we were away
                generator = connection.notifies()
                try:
                    while not stop.is_set():
                        waiter = asyncio.ensure_future(anext(generator))
                        stopper = asyncio.ensure_future(stop.wait())
                        done, _ = await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
                        if waiter in done:
                            waiter.result()
                            on_wake()
                        else:
                            waiter.cancel()
                            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration, psycopg.Error):
                                await waiter
                        stopper.cancel()
                finally:
                    # The generator holds the connection's lock while it waits: close it before the connection,
                    # or leaving the connection (which takes the lock) would wait forever. That happened when
                    # `on_wake` itself set `stop`.
                    with contextlib.suppress(psycopg.Error, RuntimeError):
                        await generator.aclose()
        except (psycopg.Error, OSError, StopAsyncIteration):
            delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
            failures += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)
