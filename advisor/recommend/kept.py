"""The catalog index kept on disk beside a SQLite database, for commands that start often and read the catalog
unchanged: `advisor check` opens a current copy without loading SQLAlchemy or reading the products. (The kiosk's
snapshot for advising while the database is down is another file, `advisor.recommend.snapshot`.)

A copy is current while the database file (by device and inode), its schema revision and its catalog version
are the ones it was made from: every catalog write moves the version, so a changed catalog is never read from an
old copy. Other databases (PostgreSQL) have no copy; their index is built from the database.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from advisor.catalog.dictionary import Dictionary
from advisor.db.location import HEAD, sqlite_file
from advisor.memory import bulk_allocation
from advisor.recommend.index import CatalogIndex
from advisor.recommend.snapshot import pickled

FORMAT = 6  # raise it when a class in the copy changes shape: older copies are then ignored
_MAX_HEADER = 4096  # the file: a JSON line (the stamp, the payload's SHA-256), then the payload (pickled)
Stamp = tuple[int, int, int, str, int]  # (FORMAT, device, inode, schema revision, catalog version)


def kept_path(database: Path) -> Path:
    """The copy beside the database file (`advisor.sqlite3.index`)."""
    return database.with_name(database.name + ".index")


def _stamp(database: Path) -> Stamp | None:
    """What the database is now, read without writing anything; None when it cannot be read or is not current."""
    try:
        info = database.stat()
        with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            version = connection.execute("SELECT version FROM catalog_state WHERE id = 1").fetchone()
    except (OSError, sqlite3.Error):
        return None
    if revision is None or revision[0] != HEAD:
        return None  # a migration is due: the full start does it
    return FORMAT, info.st_dev, info.st_ino, revision[0], int(version[0]) if version else 0


def load_kept(url: str) -> tuple[Dictionary, CatalogIndex] | None:
    """The dictionary and index of the database at `url` from a current copy, else None."""
    database = sqlite_file(url)
    stamp = _stamp(database) if database is not None else None
    if database is None or stamp is None:
        return None
    try:
        with kept_path(database).open("rb") as handle:
            header = json.loads(handle.readline(_MAX_HEADER))
            if not isinstance(header, dict) or header.get("stamp") != list(stamp):
                return None  # another database, schema or catalog version: not even read
            payload = handle.read()
        if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
            return None  # damaged or cut off
        with bulk_allocation():
            saved: Any = pickle.loads(payload)  # noqa: S301 - written by this module beside the database
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError, ValueError):
        return None
    if not isinstance(saved, tuple) or len(saved) != 2:
        return None
    dictionary, index = saved
    if not isinstance(dictionary, Dictionary) or not isinstance(index, CatalogIndex) or index.version != stamp[4]:
        return None
    return dictionary, index


def save_kept(url: str, dictionary: Dictionary, index: CatalogIndex) -> bool:
    """Keep the index beside a SQLite database for the next start; whether a copy was written (not when the
    catalog moved on while the index was built, nor for other databases, nor when the folder is read-only)."""
    database = sqlite_file(url)
    stamp = _stamp(database) if database is not None else None
    if database is None or stamp is None or stamp[4] != index.version:
        return False
    target = kept_path(database)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    payload = pickled((dictionary, index))
    header = json.dumps({"stamp": list(stamp), "sha256": hashlib.sha256(payload).hexdigest()}).encode()
    data = header + b"\n" + payload
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    except OSError:
        return False
    finally:
        partial.unlink(missing_ok=True)
    return True
