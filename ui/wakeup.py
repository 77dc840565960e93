"""Wake-ups for handoff screens: PostgreSQL NOTIFY on the qasync loop, polling as the safety net."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QTimer
from sqlalchemy.engine import Engine

BACKUP_POLL_MS = 5000  # with PostgreSQL NOTIFY, polling is only a safety net


def start_listening(engine: Engine, on_wake: Callable[[], None], poll: QTimer) -> asyncio.Event | None:
    """On PostgreSQL with an asyncio loop running (qasync), wake up on NOTIFY; polling then only backs it up."""
    if engine.dialect.name != "postgresql":
        return None
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    from advisor.handoff.notify import libpq_url, listen

    stop = asyncio.Event()
    loop.create_task(listen(libpq_url(engine), on_wake, stop=stop))
    poll.setInterval(BACKUP_POLL_MS)
    return stop
