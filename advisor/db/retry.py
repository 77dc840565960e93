"""Database failures that pass (a busy SQLite file, a lost or refused connection): retry them, name them briefly."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DatabaseError, OperationalError

T = TypeVar("T")
# SQLSTATE classes of PostgreSQL errors that pass: 08 connection exception; 57P the server shutting down,
# restarting or not yet accepting connections. A cancelled statement (57014, the statement timeout) is not one.
_PASSING_SQLSTATES = ("08", "57P")
DAMAGED, FULL, AWAY = "damaged", "full", "away"  # what is wrong with a database (`database_trouble`)


def is_transient(error: OperationalError) -> bool:
    """Whether trying the same work again a moment later may succeed."""
    if error.connection_invalidated:
        return True
    cause = error.orig
    sqlite_name = getattr(cause, "sqlite_errorname", None)
    if sqlite_name is not None:
        return str(sqlite_name).startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
    # psycopg: no SQLSTATE at all when no connection was made (refused, timed out, name not resolved).
    sqlstate = getattr(cause, "sqlstate", "")
    return sqlstate is None or str(sqlstate).startswith(_PASSING_SQLSTATES)


def retrying(work: Callable[[], T], *, attempts: int, pause: float, deadline: float | None = None) -> T:
    """Run `work`; when it fails for a passing reason, wait `pause` seconds and run it again, `attempts` times in all.
    With `deadline` (a `time.monotonic()` time) no attempt starts after it: a server's request gives up in time
    and says "try again" (each attempt may itself wait for a busy SQLite file as long as its engine allows).

    It sleeps between attempts: only for callers off the GUI thread (the kiosk's background work, commands).
    """
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    for _ in range(attempts - 1):
        try:
            return work()
        except OperationalError as error:
            if not is_transient(error) or (deadline is not None and time.monotonic() + pause > deadline):
                raise
        time.sleep(pause)
    return work()


def short_reason(error: BaseException) -> str:
    """What went wrong in a few words for a log line (the driver's last clause), e.g. "Connection refused"."""
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    if not lines:
        return type(cause).__name__
    return lines[0].rsplit(": ", 1)[-1].strip() or type(cause).__name__


def database_trouble(error: BaseException) -> str:
    """What is wrong with the database, as a shopper is told it: DAMAGED (the SQLite file is corrupt: nothing works
    until store IT restores it), FULL (the disk is full or the file read-only: nothing can be stored), or AWAY (out
    of reach, or anything else: it may pass)."""
    cause = getattr(error, "orig", None)
    name = str(getattr(cause, "sqlite_errorname", ""))
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or (
        isinstance(error, DatabaseError) and not isinstance(error, OperationalError) and "malformed" in str(cause)
    ):
        return DAMAGED
    # SQLite: disk full, read-only file or folder; PostgreSQL: disk full (53100), a read-only server (25006).
    if name.startswith(("SQLITE_FULL", "SQLITE_READONLY")) or getattr(cause, "sqlstate", None) in ("53100", "25006"):
        return FULL
    return AWAY


def is_busy(error: BaseException) -> bool:
    """Whether a SQLite file was busy: another program held its write lock longer than this one waited."""
    name = str(getattr(getattr(error, "orig", None), "sqlite_errorname", ""))
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def damaged_line(where: str, reason: str) -> str:
    """What every program says of a damaged SQLite file (DAMAGED), `where` naming it and `reason` in SQLite's words
    (`short_reason`), e.g. "database disk image is malformed"."""
    return f"database file damaged ({where}): {reason}: restore it from a backup (docs/deploying.md)"


def trouble_line(error: BaseException, where: str) -> str:
    """The one line a command says when the database at `where` failed it: damaged, unable to store anything,
    busy, or out of reach."""
    trouble = database_trouble(error)
    if trouble == DAMAGED:
        return damaged_line(where, short_reason(error))
    if trouble == FULL:
        return (f"the database {where} cannot store anything: {short_reason(error)}: free space on its disk, or let "
                "this program write the file and its folder")  # fmt: skip
    if is_busy(error):
        return f"the database {where} is busy (another program is writing to it): try again in a moment"
    cause = getattr(error, "orig", None) or error  # the driver's first line: refused, wrong password, no such database
    reason = next(iter(str(cause).strip().splitlines()), type(cause).__name__)
    return f"cannot open the database {where}: {reason}"
