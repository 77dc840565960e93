"""Programs started together on one database (a chain updates every device at once): one migrates the schema and
fills the first catalog, the others wait for it and find the work done. Real processes, real databases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from advisor import cli
from advisor.bootstrap import EMPTY_CATALOG, open_database
from advisor.db import engine as db_engine
from advisor.db import make_engine, upgrade
from advisor.db.engine import SchemaBusy, current_revision, schema_lock
from advisor.db.location import HEAD

OLDER = "0015_repair_orders"  # the revision the QA walk's older database was at
AT_ONCE = 3


def _run_together(tmp_path: Path, *argv: str) -> list[subprocess.CompletedProcess[str]]:
    """`advisor ARGV` in AT_ONCE processes started together; their results once all have ended."""
    env = {**os.environ, "ADVISOR_DATA_DIR": str(tmp_path / "data")}
    env.pop("ADVISOR_DATABASE_URL", None)
    env.pop("ADVISOR_CONFIG", None)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "advisor", *argv], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(AT_ONCE)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=240)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def _all_went_well(results: list[subprocess.CompletedProcess[str]]) -> None:
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr, result.stderr


def _products(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.exec_driver_sql("SELECT count(*) FROM product").scalar() or 0)
    finally:
        engine.dispose()


@pytest.mark.parametrize("older", [False, True], ids=["empty", "older"])
def test_upgrades_started_together_all_succeed(database_url: str, tmp_path: Path, older: bool) -> None:
    if older:
        engine = make_engine(database_url)
        upgrade(engine, OLDER)
        assert current_revision(engine) == OLDER
        engine.dispose()
    results = _run_together(tmp_path, "db", "upgrade", "--db", database_url)
    _all_went_well(results)
    assert all(f"database at revision {HEAD}" in result.stdout for result in results)
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) == HEAD
        assert {"product", "alembic_version", "advice_session"} <= set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_first_starts_on_a_new_sqlite_file_load_the_sample_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    results = _run_together(tmp_path, "catalog", "stats", "--db", url)
    _all_went_well(results)
    counts = {result.stdout.splitlines()[0] for result in results}
    assert len(counts) == 1, counts  # every process saw the whole sample, none a half-loaded one
    assert _products(url) > 100


@pytest.mark.postgres
def test_a_postgresql_database_gets_no_sample_and_its_programs_say_the_catalog_is_empty(
    postgres_url: str, tmp_path: Path
) -> None:
    results = _run_together(tmp_path, "catalog", "stats", "--db", postgres_url)
    _all_went_well(results)
    for result in results:
        assert result.stdout.startswith("0 products")
        assert result.stderr.strip() == f"advisor: {EMPTY_CATALOG}"
    assert _products(postgres_url) == 0


@pytest.mark.postgres
def test_the_sample_is_loaded_into_postgresql_only_when_asked(postgres_url: str, tmp_path: Path) -> None:
    results = _run_together(tmp_path, "catalog", "load-sample", "--db", postgres_url)
    _all_went_well(results)
    loaded = _products(postgres_url)
    assert loaded > 100
    open_database(postgres_url).dispose()  # a catalog there: nothing said, nothing added
    assert _products(postgres_url) == loaded


def test_a_sqlite_database_with_products_gets_no_sample(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'own.sqlite3'}"
    engine = open_database(url, load_sample=False)
    engine.dispose()
    assert _products(url) == 0
    open_database(url).dispose()  # (first start with sample loading: the sample)
    assert _products(url) > 100


def test_a_program_that_cannot_get_the_upgrade_lock_says_so_in_one_line(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(db_engine, "SCHEMA_LOCK_WAIT_S", 0.5)
    holder = make_engine(database_url)
    try:
        with schema_lock(holder):  # another program upgrading (here: this one, on a connection of its own)
            with pytest.raises(SchemaBusy):
                upgrade(make_engine(database_url))
            assert cli.main(["db", "upgrade", "--db", database_url]) == cli.EXIT_UNUSABLE
        error = capsys.readouterr().err
        assert error.count("\n") == 1 and "upgrading the database's schema for 0.5 s" in error, error
        assert "***@" in error or "sqlite" in error  # (the password hidden)
        upgrade(holder)  # let go of: the next one migrates
        assert current_revision(holder) == HEAD
    finally:
        holder.dispose()
