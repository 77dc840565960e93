"""A copy of a store's SQLite database taken while the programs run (SQLite's online backup: a consistent copy,
whatever the kiosk or a web worker writes meanwhile, WAL included). A PostgreSQL database is backed up with
PostgreSQL's own tools (pg_dump), which store IT runs with the server."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

from advisor.db.engine import shown_url
from advisor.db.retry import damaged_line, short_reason

MALFORMED = "database disk image is malformed"  # SQLite's words for what its quick check finds (its list says no more)


class BackupRefused(ValueError):
    """A backup this command cannot take, and what to do instead."""


class DamagedDatabase(BackupRefused):
    """The database file is damaged (said as every program says it): no copy is kept, so that a rotation of backups
    never replaces a good copy with a broken one."""


def check_sqlite(engine: Engine) -> None:
    """Raise DamagedDatabase when the engine's SQLite file fails SQLite's quick check (pages that no query has read
    yet may be damaged too: `advisor db upgrade` says so before a kiosk meets them)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        found = [str(row[0]) for row in connection.exec_driver_sql("PRAGMA quick_check")]
    if found != ["ok"]:
        raise DamagedDatabase(damaged_line(shown_url(engine.url.render_as_string()), MALFORMED))


def back_up_sqlite(url: str, to: Path) -> int:
    """Copy the SQLite database at `url` to the new file `to` (mode 600, as the database): its size in bytes.

    BackupRefused for a PostgreSQL URL, a database file that is not there, or a file `to` that exists already (a
    backup never overwrites: an older copy may be the one store IT needs); DamagedDatabase, and no file `to`, when
    the copy fails SQLite's quick check."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise BackupRefused(
            "a PostgreSQL database is backed up with PostgreSQL's own tools, e.g. pg_dump -Fc -f advisor.dump "
            "(see docs/deploying.md, Backups)"
        )
    source = Path(parsed.database or "")
    if not parsed.database or parsed.database == ":memory:" or not source.is_file():
        raise BackupRefused(f"there is no database file {source} to back up")
    try:
        os.close(os.open(to, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise BackupRefused(f"{to} exists already: name a new file (a backup never overwrites one)") from None
    except OSError as error:
        raise BackupRefused(f"{to} cannot be written: {error.strerror or error}") from None
    damage = ""
    try:
        with (
            contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as reading,
            contextlib.closing(sqlite3.connect(to)) as copy,
        ):
            reading.backup(copy)
            if [str(row[0]) for row in copy.execute("PRAGMA quick_check")] != ["ok"]:
                damage = MALFORMED
    except sqlite3.DatabaseError as error:
        to.unlink(missing_ok=True)
        if not str(getattr(error, "sqlite_errorname", "")).startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            raise
        damage = short_reason(error)
    except BaseException:
        to.unlink(missing_ok=True)  # no half-written file that looks like a backup
        raise
    if damage:
        to.unlink(missing_ok=True)  # no broken copy under a backup's name
        raise DamagedDatabase(damaged_line(shown_url(url), damage))
    return to.stat().st_size
