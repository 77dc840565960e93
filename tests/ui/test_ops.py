"""Work off the GUI thread comes back as a signal; a kiosk emits signals all day without harm."""

from __future__ import annotations

import sqlite3
import sys
import threading

import pytest
from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import OperationalError

from ui.ops import Lane


def test_results_and_errors_come_back_on_the_gui_thread(qtbot: QtBot) -> None:
    lane = Lane(serial=True)
    gui = threading.get_ident()
    seen: list[object] = []
    lane.run(lambda: threading.get_ident(), lambda worker: seen.append((worker != gui, threading.get_ident() == gui)))
    lane.run(lambda: 1 / 0, failed=lambda error: seen.append(type(error).__name__))
    lane.run(lambda: None, lambda result: seen.append(result))
    qtbot.waitUntil(lambda: len(seen) == 3)
    assert seen == [(True, True), "ZeroDivisionError", None]


class _Emitter(QObject):
    changed = Signal()
    carried = Signal(object)


def test_emitting_signals_all_day_keeps_reference_counts(qtbot: QtBot) -> None:
    # PySide6 6.12.0 dropped a reference to True on every emit; on Python 3.11 a kiosk died after a few
    # thousand taps ("deallocating True or False"). The pinned version must not.
    emitter = _Emitter()
    emitter.changed.connect(lambda: None)
    emitter.carried.connect(lambda _value: None)
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(2000):
        emitter.changed.emit()
        emitter.carried.emit(None)
    assert (sys.getrefcount(True), sys.getrefcount(None)) == before


def test_work_that_fails_unheard_leaves_one_log_line(qtbot: QtBot, capfd: pytest.CaptureFixture[str]) -> None:
    # Store IT reads the kiosk's journal: a database error gives its few words, not the SQL and its parameters.
    lane = Lane(serial=True)
    error = OperationalError("INSERT INTO event (kind) VALUES (?)", ("x",), sqlite3.OperationalError("disk I/O error"))
    spoken: list[str] = []

    def fail() -> None:
        raise error

    def logged() -> bool:
        spoken.append(capfd.readouterr().err)
        return "failed" in "".join(spoken)

    lane.run(fail)
    qtbot.waitUntil(logged)
    assert "".join(spoken) == "advisor: background operation failed: OperationalError: disk I/O error\n"


def test_work_that_ends_after_the_program_closed_its_relay_says_nothing(
    qtbot: QtBot, capfd: pytest.CaptureFixture[str]
) -> None:
    # Closing the kiosk while a look-up runs: no traceback in store IT's journal when the look-up ends.
    import shiboken6

    lane = Lane(serial=True)
    going = threading.Event()
    lane.run(lambda: going.wait(5))
    (relay,) = lane._relays
    shiboken6.delete(relay)
    going.set()
    assert lane.wait()
    assert capfd.readouterr().err == ""
