"""The in-memory index: built from the database once per catalog version, shared, rebuilt after a change."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
from sqlalchemy.engine import Engine

from advisor.bootstrap import load_sample_catalog
from advisor.catalog.formats import write_csv
from advisor.catalog.importer import import_file
from advisor.recommend.index import IndexCache
from tests.helpers.catalog import tent


def test_index_is_shared_until_the_catalog_changes(engine: Engine, tmp_path: Path) -> None:
    load_sample_catalog(engine)
    cache = IndexCache(engine)
    first = cache.get()
    assert cache.get() is first  # shared: no rebuild without a change
    tents = first.categories["tents"]
    assert tents.size == 34
    assert np.isfinite(tents.numbers("weight_kg")).all()
    assert tents.contains("use", "trekking").any()
    assert not tents.contains("use", "space").any()
    path = tmp_path / "new.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv([tent(sku="NEW-TENT")], handle)
    import_file(engine, path)
    second = cache.get()
    assert second is not first
    assert second.version > first.version
    assert "NEW-TENT" in second.categories["tents"].position
    assert second.categories["tents"].products[second.categories["tents"].position["NEW-TENT"]].stock["muc-01"][0] == 3


def test_a_request_goes_on_with_the_index_there_is_while_another_thread_rebuilds(engine: Engine, tmp_path: Path
                                                                                 ) -> None:  # fmt: skip
    """A server checks the catalog's version every few seconds; building a new catalog's index takes seconds. The
    requests meanwhile are answered from the index they had instead of waiting in line behind the rebuild."""
    load_sample_catalog(engine)
    cache = IndexCache(engine)
    first = cache.get()
    path = tmp_path / "new.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv([tent(sku="NEW-TENT")], handle)
    import_file(engine, path)
    rebuilding, done = threading.Event(), threading.Event()

    def rebuild() -> None:  # another request's thread, in the middle of looking at the catalog
        with cache._lock:
            rebuilding.set()
            done.wait(10)

    other = threading.Thread(target=rebuild)
    other.start()
    try:
        assert rebuilding.wait(10)
        began = time.monotonic()
        assert cache.get() is first  # the catalog changed, but the look at it is under way elsewhere
        assert time.monotonic() - began < 1
    finally:
        done.set()
        other.join(10)
    second = cache.get()
    assert second is not first
    assert "NEW-TENT" in second.categories["tents"].position
