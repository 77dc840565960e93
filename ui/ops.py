"""Database and disk work off the GUI thread: run a function on a worker, get its result back as a signal.

The shape of Anki's background operations (`QueryOp`/`CollectionOp`): the work gets no widgets, touches no Qt
object and holds none in its closure (the worker drops it, and a Qt object must die on the GUI thread). `done`
or `failed` is called on the GUI thread with the result or the exception, unless the lane's owner is gone by
then. A serial lane runs its work in order on one thread (writes of one session must not overtake each other).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call to the GUI thread."""

    # One tuple (result, error): PySide6 mishandles the reference count of a bare None passed through an
    # `object` signal argument, and on Python 3.11 enough of those end the process ("deallocating None").
    finished = Signal(object)


class _Work(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:  # noqa: BLE001 - handed to `failed` on the GUI thread
            self.relay.finished.emit((None, error))
            return
        self.relay.finished.emit((result, None))


def _report(error: Exception) -> None:
    sys.stderr.write(f"advisor: background operation failed: {type(error).__name__}: {error}\n")


class Lane(QObject):
    """Runs work on worker threads and calls back on the GUI thread; `serial` lanes keep their order."""

    def __init__(self, parent: QObject | None = None, *, serial: bool = False) -> None:
        super().__init__(parent)
        # Reads share Qt's global pool; a serial lane has a one-thread pool of its own. (A pool waits for its work
        # when it is destroyed: closing a dialog must not wait for its reads on the GUI thread.)
        if serial:
            self.pool = QThreadPool(self)
            self.pool.setMaxThreadCount(1)
        else:
            self.pool = QThreadPool.globalInstance()
        self._relays: set[_Relay] = set()

    def run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        relay = _Relay()
        self._relays.add(relay)  # kept alive until the result is delivered

        def deliver(outcome: tuple[Any, Exception | None]) -> None:
            result, error = outcome
            self._relays.discard(relay)
            relay.deleteLater()
            if not shiboken6.isValid(self):
                return  # the screen that asked is gone (a dialog closed, the idle wipe): nobody to tell
            if error is not None:
                (failed or _report)(error)
            elif done is not None:
                done(result)

        relay.finished.connect(deliver)
        self.pool.start(_Work(work, relay))

    def wait(self, msecs: int = 5000) -> bool:
        """Wait for running work (shutdown, tests); True when everything finished."""
        return self.pool.waitForDone(msecs)
