"""`advisor db backup` of a damaged SQLite file: it says the file is damaged, as every command does, exits with code
2 and keeps no broken copy under the backup's name (a rotation of backups never replaces a good copy with it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.db import make_engine, upgrade
from advisor.db.backup import DamagedDatabase, back_up_sqlite


def database(path: Path) -> Path:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def backup(path: Path, to: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "advisor", "db", "backup", str(to), "--db", f"sqlite:///{path}"],
                          capture_output=True, text=True, env=dict(os.environ), timeout=120, check=False)  # fmt: skip


def test_a_file_with_damaged_pages_is_not_backed_up(tmp_path: Path) -> None:
    path = database(tmp_path / "advisor.sqlite3")
    with path.open("r+b") as file:  # the disk overwrote some of its pages: the file still opens
        file.seek(4096)
        file.write(b"\xde\xad\xbe\xef" * 50_000)
    to = tmp_path / "advisor-2026-12-06.sqlite3"
    result = backup(path, to)
    assert result.returncode == 2
    assert result.stderr == (f"advisor: database file damaged (sqlite:///{path}): database disk image is malformed: "
                             "restore it from a backup (docs/deploying.md)\n")  # fmt: skip
    assert result.stdout == ""
    assert not to.exists()


def test_a_file_that_is_no_database_is_not_backed_up(tmp_path: Path) -> None:
    path = tmp_path / "advisor.sqlite3"
    path.write_bytes(bytes(range(256)) * 32)
    to = tmp_path / "copy.sqlite3"
    with pytest.raises(DamagedDatabase) as refused:
        back_up_sqlite(f"sqlite:///{path}", to)
    assert str(refused.value) == (f"database file damaged (sqlite:///{path}): file is not a database: restore it from "
                                  "a backup (docs/deploying.md)")  # fmt: skip
    assert not to.exists()


def test_a_sound_database_is_backed_up_and_checked(tmp_path: Path) -> None:
    path = database(tmp_path / "advisor.sqlite3")
    to = tmp_path / "copy.sqlite3"
    assert back_up_sqlite(f"sqlite:///{path}", to) == to.stat().st_size > 0
