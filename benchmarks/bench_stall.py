"""The kiosk while the database stalls: the GUI event loop's lateness (a 10 ms timer) while a shopper answers the
tent finder on a stored session, with another process holding the SQLite file's write lock for 5 s, side by side
with the same walk on a free database."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import median, percentile

HOLD_SECONDS = 5
LOCKER = (
    "import sqlite3, sys, time\n"
    "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(float(sys.argv[2])); c.execute('COMMIT')\n"
)


def _walk(locked: bool) -> tuple[list[float], float]:
    """Lateness of each timer tick while answering, and the seconds until the session was written."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from advisor.bootstrap import open_database
    from advisor.insights.events import EventLog
    from advisor.questionnaire.library import load_library
    from advisor.recommend.index import build_index
    from ui.session import KioskSession

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp())
    path = folder / "stall.sqlite3"
    engine = open_database(f"sqlite:///{path}", interactive=True)
    session = KioskSession(load_library().questionnaires)
    session.set_catalog(build_index(engine))
    session.attach_database(engine, EventLog(engine, channel="kiosk"))
    session.start("tent-finder")
    session.share()
    while session.stored_id is None or (session.advice is not None and session.advice.pending):
        app.processEvents()
    locker = None
    if locked:
        locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(path), str(HOLD_SECONDS)],
                                  stdout=subprocess.PIPE, text=True)  # fmt: skip
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
    late: list[float] = []
    last = time.monotonic()

    def tick() -> None:
        nonlocal last
        now = time.monotonic()
        late.append(max(0.0, now - last - 0.010))
        last = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    started = time.monotonic()
    next_answer = started
    while session.state is not None and session.state.current is not None:
        app.processEvents()
        if time.monotonic() >= next_answer:
            step = session.questionnaire.step(session.state.current)  # type: ignore[union-attr]
            value: Any = (
                (step.options[0].id,)
                if step.kind == "multiple"
                else (step.options[0].id if step.options else step.default if step.kind == "number" else True)
            )
            session.answer(value)
            next_answer += 0.3
    timer.stop()
    while session.advice is not None and session.advice.pending:
        app.processEvents()
        time.sleep(0.005)
    written = time.monotonic() - started
    if locker is not None:
        locker.wait()
    session.writes.wait()
    engine.dispose()
    return late, written


def run() -> dict[str, Any]:
    free_late, free_written = _walk(locked=False)
    stalled_late, stalled_written = _walk(locked=True)
    p95 = percentile(stalled_late, 0.95) * 1000
    return {
        "name": "kiosk while the database stalls: event-loop lateness answering during a 5 s SQLite write lock",
        "stalled_p95_ms": round(p95, 1),
        "stalled_median_ms": round(median(stalled_late) * 1000, 1),
        "free_p95_ms": round(percentile(free_late, 0.95) * 1000, 1),
        "stalled_written_after_s": round(stalled_written, 2),
        "free_written_after_s": round(free_written, 2),
        "ok": p95 <= 50,
    }
