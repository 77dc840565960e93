"""The sample catalog never lands on a chain's own attribute dictionary imported before its products."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from advisor.bootstrap import open_database
from advisor.catalog.dictionary import StoreSpec
from advisor.catalog.reads import catalog_is_empty, load_dictionary
from advisor.catalog.store import save_dictionary
from tests.helpers.catalog import sample_dictionary


def test_a_database_holding_the_chains_dictionary_gets_no_sample_when_opened(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'chain.sqlite3'}"
    own = replace(
        sample_dictionary(),
        stores={"ham-01": StoreSpec(id="ham-01", name={"de": "Bergwelt Hamburg Altona", "en": "Bergwelt Hamburg"})},
    )
    save_dictionary(open_database(url, load_sample=False), own)  # `advisor catalog import kategorien.json`

    engine = open_database(url)  # any later command, e.g. `advisor catalog stats`

    assert catalog_is_empty(engine)
    assert {store.id: store.name["de"] for store in load_dictionary(engine).stores.values()} == {
        "ham-01": "Bergwelt Hamburg Altona"
    }


def test_a_new_database_still_gets_the_sample(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert not catalog_is_empty(engine)
    assert "Hamburg Jungfernstieg" in [store.name["de"] for store in load_dictionary(engine).stores.values()]
