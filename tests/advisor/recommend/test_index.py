"""The in-memory index: built from the database once per catalog version, shared, rebuilt after a change."""

from __future__ import annotations

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
