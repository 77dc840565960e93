"""A server process's housekeeping: new questionnaire files and a new catalog version are taken in by its own
thread, never by a request (a request is answered with what there is meanwhile); a chore that fails is named once
and tried again."""

from __future__ import annotations

import math
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from advisor.bootstrap import load_sample_catalog
from advisor.catalog.formats import write_csv
from advisor.catalog.importer import import_file
from advisor.paths import questionnaires_dir
from advisor.questionnaire.library import LibraryWatch
from advisor.recommend.index import IndexCache
from advisor.web.serve import Housekeeping
from tests.helpers.catalog import tent


def _run(chores: list[tuple[str, Callable[[], object]]], *, rounds: int) -> None:
    """Let a housekeeping thread do all its chores `rounds` times, then stop it."""
    done, count = threading.Event(), [0]

    def counted() -> None:
        count[0] += 1
        if count[0] >= rounds:
            done.set()

    housekeeping = Housekeeping([*chores, ("the count", counted)], every=0.01)
    housekeeping.start()
    try:
        assert done.wait(30)
    finally:
        housekeeping.stop()


def test_a_new_catalog_and_a_removed_file_reach_the_requests_through_the_housekeeping(
    engine: Engine, tmp_path: Path
) -> None:
    load_sample_catalog(engine)
    folder = tmp_path / "questionnaires"
    shutil.copytree(questionnaires_dir(), folder)
    cache, library = IndexCache(engine, every=math.inf), LibraryWatch(folder, every=math.inf)
    first, offered = cache.get(), library.questionnaires()
    gone = sorted(offered)[0]
    removed = next(path for path in folder.rglob("*.y*ml") if f"id: {gone}\n" in path.read_text(encoding="utf-8"))
    removed.unlink()
    new = tmp_path / "new.csv"
    with new.open("w", encoding="utf-8", newline="") as handle:
        write_csv([tent(sku="NEW-TENT")], handle)
    import_file(engine, new)
    # A request looks at neither the files nor the catalog's version: it goes on with what there is.
    assert cache.get() is first
    assert gone in library.questionnaires()
    _run([("the questionnaire files", library.refresh), ("the catalog", cache.refresh)], rounds=1)
    assert "NEW-TENT" in cache.get().categories["tents"].position
    assert gone not in library.questionnaires()
    assert set(library.questionnaires()) == set(offered) - {gone}


def test_a_failing_chore_is_named_once_and_its_recovery_too(capfd: pytest.CaptureFixture[str]) -> None:
    outcomes = iter([True, True, True, False])  # fails three rounds running, then works again

    def look() -> None:
        if next(outcomes, False):
            raise OperationalError("SELECT version", {}, ConnectionRefusedError("connection refused"))

    chores: list[tuple[str, Callable[[], object]]] = [("the catalog", look)]
    _run(chores, rounds=5)
    lines = [line for line in capfd.readouterr().err.splitlines() if "catalog" in line]
    assert lines == [
        "advisor: cannot look at the catalog (connection refused); trying on",  # once for three failed rounds
        "advisor: the catalog can be looked at again",
    ]


def test_stopping_ends_the_thread_at_once() -> None:
    housekeeping = Housekeeping([], every=3600)
    housekeeping.start()
    began = time.monotonic()
    housekeeping.stop()
    assert time.monotonic() - began < 5
    assert not housekeeping._thread.is_alive()
