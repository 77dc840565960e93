"""A SQLite file deleted or replaced while a program runs: nothing is stored in a new empty file in its place or in
the deleted one (where no other program, and no restart, would find it); a file put back is taken up."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

from advisor.bootstrap import open_database
from advisor.db import make_engine
from advisor.db.engine import current_revision
from advisor.db.location import HEAD
from advisor.db.retry import AWAY, database_trouble


def _delete(path: Path) -> None:
    """What the QA walk did: the database file and its -wal and -shm removed."""
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        name.unlink(missing_ok=True)


def _notes(path: Path) -> list[str]:
    """The notes a freshly started program finds in the file at `path`."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as reading:
        return [text for (text,) in reading.execute("SELECT text FROM note ORDER BY rowid")]


def _write(engine: sa.Engine, text: str) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO note (text) VALUES (:text)"), {"text": text})


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A SQLite database file that exists before the program starts, with one note."""
    path = tmp_path / "store.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE note (text TEXT)")
        setup.execute("INSERT INTO note VALUES ('before')")
    setup.close()
    return path


def test_a_write_after_the_file_is_deleted_fails_as_database_away_and_makes_no_new_file(database: Path) -> None:
    engine = make_engine(f"sqlite:///{database}")
    _write(engine, "while there")  # (the pool now holds a connection on the file)
    _delete(database)

    with pytest.raises(sa.exc.DBAPIError) as raised:
        _write(engine, "after the delete")
    assert database_trouble(raised.value) == AWAY, "shown as the database not reachable; the change stays queued"
    assert "unable to open database file" in str(raised.value)
    assert not database.exists(), "no new empty database in its place"

    # A second engine of the same process on that file (the web server makes one for its pages when first needed).
    with pytest.raises(sa.exc.DBAPIError):
        _write(make_engine(f"sqlite:///{database}"), "on a later engine")
    assert not database.exists()


def test_a_file_put_in_place_of_the_open_one_is_the_one_written_next(database: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{database}")
    _write(engine, "old file")
    restored = tmp_path / "backup.sqlite3"
    with sqlite3.connect(restored) as backup:
        backup.execute("CREATE TABLE note (text TEXT)")
        backup.execute("INSERT INTO note VALUES ('from the backup')")
    backup.close()
    os.replace(restored, database)  # store IT restores a backup (docs/deploying.md, Backups) while the app runs
    for leftover in (Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)

    _write(engine, "after the restore")

    assert _notes(database) == ["from the backup", "after the restore"]


def test_a_file_deleted_and_then_restored_is_taken_up_without_a_restart(database: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{database}")
    _write(engine, "kept")
    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    target.close()
    _delete(database)
    with pytest.raises(sa.exc.DBAPIError):
        _write(engine, "lost")

    os.replace(copy, database)
    _write(engine, "stored")

    assert _notes(database) == ["before", "kept", "stored"]


def test_a_brand_new_database_is_still_made_on_first_start(tmp_path: Path) -> None:
    path = tmp_path / "Filiale #3 (100% neu)" / "advisor.sqlite3"  # (characters a SQLite URI spells otherwise)
    path.parent.mkdir()

    engine = open_database(f"sqlite:///{path}", load_sample=False)

    assert current_revision(engine) == HEAD
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_engine_made_before_its_folder_exists_still_makes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "later" / "advisor.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    path.parent.mkdir()

    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE note (text TEXT)")

    assert path.is_file()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_a_database_in_memory_works_as_before(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE note (text TEXT)")
    _write(engine, "in memory")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT text FROM note").scalars().all() == ["in memory"]
