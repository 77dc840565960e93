"""A store that imported the whole dictionary but only its tents: the finders and help flows of the categories with
no products are left out of the offer, and `advisor check` says so once per file instead of per missing sku."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from advisor.audit import check_files
from advisor.bootstrap import open_database
from advisor.catalog.dictionary import load_dictionary_file
from advisor.catalog.importer import import_file
from advisor.catalog.reads import load_dictionary
from advisor.catalog.store import save_dictionary
from advisor.content import CatalogOffer, load_content
from advisor.paths import questionnaires_dir, sample_catalog_dir
from advisor.recommend.index import build_index

EMPTY = {"backpack-finder", "rain-jacket-finder", "sleeping-bag-finder", "sleeping-bag-help"}


@pytest.fixture
def tents_only(tmp_path: Path) -> Iterator[Engine]:
    """The shipped dictionary, every category, with only the tents as products."""
    sample = sample_catalog_dir()
    products = json.loads((sample / "products.json").read_text(encoding="utf-8"))
    (tmp_path / "products.json").write_text(
        json.dumps([product for product in products if product["category"] == "tents"]), encoding="utf-8"
    )
    engine = open_database(f"sqlite:///{tmp_path / 'store.sqlite3'}", load_sample=False)
    save_dictionary(engine, load_dictionary_file(sample / "categories.json"))
    import_file(engine, tmp_path / "products.json")
    yield engine
    engine.dispose()


def test_finders_of_categories_without_products_are_not_offered_and_named_once(
    tents_only: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    everything = load_content().everything
    index = build_index(tents_only)
    assert index.categories["backpacks"].size == 0  # (the dictionary has it)
    capsys.readouterr()
    offer = CatalogOffer("advisor web")
    offered = offer.offered(everything, index.categories)
    assert not EMPTY & set(offered)
    assert {"tent-finder", "tent-help"} <= set(offered)
    journal = capsys.readouterr().err
    assert journal.count("backpack-finder.yaml: not offered: Q017 category 'backpacks' has no products") == 1
    offer.offered(everything, index.categories)
    assert capsys.readouterr().err == ""


def test_check_says_once_per_file_that_it_offers_no_products(tents_only: Engine) -> None:
    index = build_index(tents_only)
    reports = {
        report.path.stem: report for report in check_files([questionnaires_dir()], load_dictionary(tents_only), index)
    }
    for stem in EMPTY:
        findings = reports[stem].findings
        said = [finding for finding in findings if "offers no products" in finding.message]
        assert len(said) == 1, stem
        assert said[0].message.endswith("left out of the kiosk and the web until its products are imported")
        assert not [finding for finding in findings if finding.code in ("A006", "A007", "A008")], stem
    assert not any("offers no products" in f.message for f in reports["tent-finder"].findings)
