"""A database command on a bad day, as store IT runs it: a SQLite file that is no database or has damaged pages, a
read-only one, one another program keeps busy. Each says one line (no traceback, no SQL) and exits with code 2."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.db import make_engine, upgrade

BUSY_LINE = "is busy (another program is writing to it): try again in a moment"


def advisor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "advisor", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120, check=False)  # fmt: skip


def config_for(tmp_path: Path, url: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(f"[database]\nurl = {json.dumps(url)}\n", encoding="utf-8")
    return str(path)


def garbage(tmp_path: Path) -> Path:
    """A file in the database's place that is no SQLite database at all."""
    path = tmp_path / "advisor.sqlite3"
    path.write_bytes(bytes(range(256)) * 32)
    return path


def database(tmp_path: Path) -> Path:
    path = tmp_path / "advisor.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def spoiled(tmp_path: Path) -> Path:
    """A real database whose pages the disk overwrote."""
    path = database(tmp_path)
    with path.open("r+b") as file:
        file.seek(4096)
        file.write(b"\xde\xad\xbe\xef" * 50_000)
    return path


@pytest.mark.parametrize(
    "command",
    [["purge"], ["db", "upgrade"], ["privacy", "find", "ABCD-2345"], ["catalog", "export"], ["serve", "--port", "9"]],
    ids=" ".join,
)
def test_a_file_that_is_no_database_is_named_damaged_in_one_line(tmp_path: Path, command: list[str]) -> None:
    path = garbage(tmp_path)
    result = advisor(*command, "--config", config_for(tmp_path, f"sqlite:///{path}"))
    assert result.returncode == 2
    assert result.stderr == (f"advisor: database file damaged (sqlite:///{path}): file is not a database: restore it "
                             "from a backup (docs/deploying.md)\n")  # fmt: skip
    assert result.stdout == ""


@pytest.mark.parametrize(
    "command", [["purge"], ["privacy", "find", "kim@example.com"], ["db", "upgrade"]], ids=" ".join
)
def test_a_database_with_damaged_pages_is_named_damaged_in_one_line(tmp_path: Path, command: list[str]) -> None:
    path = spoiled(tmp_path)
    result = advisor(*command, "--config", config_for(tmp_path, f"sqlite:///{path}"))
    assert result.returncode == 2
    assert result.stderr == (f"advisor: database file damaged (sqlite:///{path}): database disk image is malformed: "
                             "restore it from a backup (docs/deploying.md)\n")  # fmt: skip


def test_an_upgrade_says_so_when_pages_no_upgrade_reads_are_damaged(tmp_path: Path) -> None:
    # The disk spoiled the end of a file whose schema is current: the upgrade has nothing to do, but a kiosk would meet
    # the damage with the first shopper; store IT hears it now, not "database at revision ...".
    path = database(tmp_path)
    with sqlite3.connect(path) as filled:
        filled.execute("CREATE TABLE filler (text TEXT)")
        filled.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(200)])
    with sqlite3.connect(path) as checkpoint:
        checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with path.open("r+b") as file:
        file.seek(path.stat().st_size - 3 * 4096)
        file.write(b"\xde\xad\xbe\xef" * 1024)
    result = advisor("db", "upgrade", "--config", config_for(tmp_path, f"sqlite:///{path}"))
    assert result.returncode == 2
    assert result.stderr == (f"advisor: database file damaged (sqlite:///{path}): database disk image is malformed: "
                             "restore it from a backup (docs/deploying.md)\n")  # fmt: skip
    assert result.stdout == ""
    (tmp_path / "sound").mkdir()
    sound = database(tmp_path / "sound")
    result = advisor("db", "upgrade", "--config", config_for(tmp_path, f"sqlite:///{sound}"))
    assert result.returncode == 0 and result.stdout.startswith("database at revision ")


def test_a_database_that_takes_no_writes_is_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///file:{database(tmp_path)}?mode=ro&uri=true"  # (a full disk answers alike: nothing is stored)
    result = advisor("purge", "--config", config_for(tmp_path, url))
    assert result.returncode == 2
    assert result.stderr == (
        f"advisor: the database {url} cannot store anything: attempt to write a readonly database: free space on its "
        "disk, or let this program write the file and its folder\n"
    )


def test_a_database_another_program_keeps_busy_is_said_busy_not_unopenable(tmp_path: Path) -> None:
    path = database(tmp_path)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    try:
        result = advisor("purge", "--config", config_for(tmp_path, f"sqlite:///{path}"))
    finally:
        writer.close()
    assert result.returncode == 2
    assert result.stderr == f"advisor: the database sqlite:///{path} {BUSY_LINE}\n"


def test_an_identifier_that_could_be_two_things_is_quoted(tmp_path: Path) -> None:
    result = advisor("privacy", "find", "ABCD-2345", "2345-6789", "--config", config_for(tmp_path, "sqlite:///x"))
    assert result.returncode == 2
    assert result.stderr == (
        "advisor: '2345-6789' could be a resume code or a phone number: write code:… or phone:… in front\n"
    )
