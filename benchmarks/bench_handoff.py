"""From a kiosk's request to the staff console seeing it, as two real processes on one SQLite file."""

from __future__ import annotations

import multiprocessing
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import median, percentile

REQUESTS = 20
POLL_S = 0.25  # the console's polling interval (ui/staff.py)


def _console(url: str, seen: Any, ready: Any) -> None:
    from advisor.db import make_engine
    from advisor.handoff import requests, watching

    engine = make_engine(url)
    watcher = watching.ChangeWatcher(engine)
    watcher.changed()
    known: set[int] = set()
    ready.set()
    deadline = time.monotonic() + 120
    while len(known) < REQUESTS and time.monotonic() < deadline:
        if watcher.changed():
            for entry in requests.queue(engine):
                if entry.request_id not in known:
                    known.add(entry.request_id)
                    seen.put((entry.request_id, time.time()))
        time.sleep(POLL_S)  # the console's QTimer interval, outside Qt


def _listener(url: str, seen: Any, ready: Any) -> None:
    import asyncio

    from advisor.handoff.notify import listen

    async def main() -> None:
        stop = asyncio.Event()
        count = 0

        def woke() -> None:
            nonlocal count
            count += 1
            if count == 1:
                ready.set()  # connected
            else:
                seen.put(time.time())
            if count > REQUESTS:
                stop.set()

        await listen(url, woke, stop=stop)

    asyncio.run(main())


def _postgres_latency() -> dict[str, Any] | None:
    """The same with PostgreSQL NOTIFY (needs the server that `make test` starts; None without it)."""
    import os
    import uuid

    import sqlalchemy as sa

    from advisor.db import make_engine, upgrade
    from advisor.handoff import requests, sessions
    from advisor.handoff.notify import libpq_url

    admin_url = os.environ.get("ADVISOR_TEST_POSTGRES_URL")
    if not admin_url:
        return None
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    name = f"advisor_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        url = sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        engine = make_engine(url)
        upgrade(engine)
        context = multiprocessing.get_context("spawn")
        seen, ready = context.Queue(), context.Event()
        listener = context.Process(target=_listener, args=(libpq_url(engine), seen, ready))
        listener.start()
        ready.wait(60)
        latencies = []
        for _ in range(REQUESTS):
            stored = sessions.create_session(engine, questionnaire_id="t", answers={}, locale="de", consent=True)
            start = time.time()
            requests.request_handoff(engine, session_id=stored.id, kind="consultant")
            latencies.append(seen.get(timeout=30) - start)
            time.sleep(0.05)
        listener.join(timeout=5)
        if listener.is_alive():  # measured: the listener need not count its own way to the end
            listener.terminate()
            listener.join()
        engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return {"median_ms": round(median(latencies) * 1000, 1), "p95_ms": round(percentile(latencies, 0.95) * 1000, 1)}


def run() -> dict[str, Any]:
    from advisor.db import make_engine, upgrade
    from advisor.handoff import requests, sessions

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='bench-handoff-')) / 'handoff.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    context = multiprocessing.get_context("spawn")
    seen = context.Queue()
    ready = context.Event()
    console = context.Process(target=_console, args=(url, seen, ready))
    console.start()
    ready.wait(60)
    filed: dict[int, float] = {}
    for _ in range(REQUESTS):
        stored = sessions.create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de", consent=True)
        request_id = requests.request_handoff(engine, session_id=stored.id, kind="consultant")
        filed[request_id] = time.time()
        time.sleep(0.37)  # requests arrive at odd moments relative to the polling
    latencies = []
    for _ in range(REQUESTS):
        request_id, when = seen.get(timeout=60)
        latencies.append(when - filed[request_id])
    console.join(timeout=30)
    if console.is_alive():
        console.terminate()
        console.join()
    p95 = percentile(latencies, 0.95)
    postgres = _postgres_latency()
    return {
        "name": "handoff: kiosk request to staff console (separate processes)",
        "sqlite_polling_median_ms": round(median(latencies) * 1000),
        "sqlite_polling_p95_ms": round(p95 * 1000),
        "postgres_notify": postgres or "no PostgreSQL server (set ADVISOR_TEST_POSTGRES_URL)",
        "ok": p95 <= 1.0 and (postgres is None or postgres["p95_ms"] <= 200),
        "runs": REQUESTS,
    }
