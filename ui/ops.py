"""Database and disk work off the GUI thread: run a function on a worker, get its result back as a signal.

The shape of Anki's background operations (`QueryOp`/`CollectionOp`): the work gets no widgets, touches no Qt
object and holds none in its closure (the worker drops it, and a Qt object must die on the GUI thread). `done`
or `failed` is called on the GUI thread with the result or the exception, unless the lane's owner is gone by
then. A serial lane runs its work in order on one thread (writes of one session must not overtake each other).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

from advisor.db.retry import short_reason


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
        outcome: tuple[Any, Exception | None]
        try:
            outcome = (self.work(), None)
        except Exception as error:  # noqa: BLE001 - handed to `failed` on the GUI thread
            outcome = (None, error)
        try:
            self.relay.finished.emit(outcome)
        except RuntimeError:  # its relay went with the program closing meanwhile: nobody is left to tell
            return


def _report(error: Exception) -> None:
    """One log line for work that failed with no one to tell: a database error's few words, not its SQL and
    parameters over many lines."""
    reason = short_reason(error) if isinstance(error, SQLAlchemyError) else next(iter(str(error).splitlines()), "")
    sys.stderr.write(f"advisor: background operation failed: {type(error).__name__}: {reason}\n")


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


RETRY_WRITES_MS = 3_000  # a change the database could not take is tried again this often


@dataclass(frozen=True)
class Change:
    """A change waiting to be stored: the work, what follows once stored or refused, and the name of what it
    replaces (`ChangeLine.write`)."""

    work: Callable[[], Any]
    then: Callable[[Any], None] | None
    refused: Callable[[Exception], None] | None
    replaces: str | None = None


class ChangeLine(QObject):
    """A window's changes to the database (the staff console's, its appointments'): off the GUI thread, one at a
    time, in the order staff made them (a message before the close that follows it). One the database cannot take
    now (locked, out of reach) stays first in line and is tried again every RETRY_WRITES_MS: nothing staff did is
    lost while it takes nothing. The window is told `waiting` when changes wait for the database (and again as one
    more joins them) and `stored` after each change is stored; a refusal (not a passing failure) goes to the
    change's own `refused`, else the window's."""

    def __init__(
        self, lane: Lane, parent: QObject, *, stored: Callable[[], None], waiting: Callable[[], None],
        refused: Callable[[Exception], None], log: str,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.lane = lane
        self.pending: list[Change] = []
        self.writing = False  # a change is on its way to the database
        self.told = False  # the journal has said that changes wait (once, until one is stored again)
        self._stored, self._waiting, self._refused, self.log = stored, waiting, refused, log
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(RETRY_WRITES_MS)
        self.timer.timeout.connect(self._next)

    @property
    def retrying(self) -> bool:
        """Whether the database took nothing last time and changes wait for the next try."""
        return self.timer.isActive()

    def write(
        self, work: Callable[[], Any], then: Callable[[Any], None] | None = None,
        refused: Callable[[Exception], None] | None = None, *, replaces: str | None = None,
    ) -> None:  # fmt: skip
        """Hand a change on; with `replaces` it takes the place of a waiting one with the same name (a case's notes,
        typed on while the database takes nothing: stored once, as last typed)."""
        change = Change(work, then, refused, replaces)
        for place, waiting in enumerate(self.pending):
            if replaces is not None and waiting.replaces == replaces and not (place == 0 and self.writing):
                self.pending[place] = change
                return
        self.pending.append(change)
        if self.retrying:  # (the database takes nothing now: one more waits)
            self._waiting()
        self._next()

    def _next(self) -> None:
        """Send the first waiting change, unless one is on its way or the database is given a pause."""
        if self.writing or not self.pending or self.retrying:
            return
        entry = self.pending[0]
        self.writing = True

        def settled() -> bool:
            """The change leaves the line; False when closing the window emptied the line while it was on its way
            (then nobody waits for its outcome)."""
            self.writing = False
            if not self.pending or self.pending[0] is not entry:
                return False
            self.pending.pop(0)
            return True

        def done(result: Any) -> None:
            if not settled():
                return
            if entry.then is not None:
                entry.then(result)
            self.told = False
            self._stored()
            self._next()

        def failed(error: Exception) -> None:
            if not self.pending or self.pending[0] is not entry:
                settled()  # (the window closed while it was on its way)
                self.not_saved(error)
                return
            self.writing = False
            if isinstance(error, OperationalError | InterfaceError):  # kept, first in line, tried again
                if not self.told:  # (once, not at every try: the window's journal says how many wait)
                    self.told = True
                    sys.stderr.write(f"{self.log}: a change waits for the database ({short_reason(error)})\n")
                self.timer.start()
                self._waiting()
                return
            settled()
            (entry.refused or self._refused)(error)
            self._next()

        self.lane.run(entry.work, done, failed)

    def close(self) -> None:
        """The window closes: the changes that wait get one last try (the log names what is still not stored)."""
        self.timer.stop()
        # (the first is on its way already while one is being written)
        waiting, self.pending = self.pending[1:] if self.writing else self.pending, []
        for change in waiting:
            self.lane.run(change.work, failed=self.not_saved)

    def not_saved(self, error: Exception) -> None:
        sys.stderr.write(f"{self.log}: a change was not saved, the database did not take it ({short_reason(error)})\n")
