"""Cheap polling for handoff changes: the safety net under PostgreSQL's wake-ups and the only path on SQLite."""

from __future__ import annotations

import threading
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.db.prepared import reading
from advisor.handoff.chat import CHAT
from advisor.handoff.requests import REQUEST
from advisor.handoff.sessions import SESSION
from advisor.handoff.staff import STAFF


class ChangeWatcher:
    """Tells cheaply whether the handoff tables may have changed since the last look (real time is a wake-up).

    On SQLite, `PRAGMA data_version` on one kept connection changes when another connection commits. Elsewhere a
    small summary of the requests, sessions, chat and signed-in staff serves (`advisor.handoff.notify.listen` is the
    faster wake-up).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection = engine.connect() if engine.dialect.name == "sqlite" else None
        self._last: Any = None
        # A look runs on a worker while the window may close: the kept connection is never closed under a look
        self._lock = threading.Lock()
        self._closed = False

    def _marker(self) -> Any:
        if self._connection is not None:
            return self._connection.exec_driver_sql("PRAGMA data_version").scalar()
        with reading(self.engine) as connection:
            return tuple(
                connection.execute(
                    sa.select(
                        sa.func.count(), sa.func.max(REQUEST.c.id), sa.func.max(REQUEST.c.claimed_at),
                        sa.func.max(REQUEST.c.finished_at),
                        sa.select(sa.func.max(SESSION.c.updated_at)).scalar_subquery(),
                        sa.select(sa.func.max(CHAT.c.id)).scalar_subquery(),
                        sa.select(sa.func.count(STAFF.c.last_seen)).scalar_subquery(),  # a console signed out
                    )
                ).one()
            )  # fmt: skip

    def changed(self) -> bool:
        """Whether anything may have changed since the last look; False once closed (nobody is looking any more)."""
        with self._lock:
            if self._closed:
                return False
            marker = self._marker()
            changed = bool(marker != self._last)
            self._last = marker
            return changed

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._connection is not None:
                self._connection.close()
