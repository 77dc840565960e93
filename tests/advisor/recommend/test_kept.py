"""The catalog index kept beside a SQLite database: read back only while it is the database's current catalog, so
`advisor check` starts without reading the products, and never checks against a catalog that has moved on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.engine import Engine

from advisor.bootstrap import load_sample_catalog
from advisor.catalog.importer import import_file
from advisor.catalog.reads import load_dictionary
from advisor.db import make_engine, upgrade
from advisor.db.location import sqlite_file
from advisor.paths import questionnaires_dir
from advisor.recommend import index as index_module
from advisor.recommend.index import CatalogIndex, IndexCache, build_index
from advisor.recommend.kept import kept_path, load_kept, save_kept
from tests.advisor.test_cli import advisor
from tests.helpers.catalog import tent


@pytest.fixture
def database(tmp_path: Path) -> tuple[str, Engine]:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    load_sample_catalog(engine)
    return url, engine


def kept(url: str, engine: Engine) -> CatalogIndex:
    index = build_index(engine)
    assert save_kept(url, load_dictionary(engine), index)
    return index


def test_a_current_copy_is_the_catalog_in_the_database(database: tuple[str, Engine]) -> None:
    url, engine = database
    built = kept(url, engine)
    loaded = load_kept(url)
    assert loaded is not None
    dictionary, index = loaded
    assert dictionary == load_dictionary(engine)
    assert index.version == built.version
    assert set(index.categories) == set(built.categories)
    assert set(built.categories) == {"backpacks", "care", "rain_jackets", "sleeping_bags", "spare_parts", "tents"}
    for name, category in built.categories.items():
        copy = index.categories[name]
        assert copy.skus.tolist() == category.skus.tolist()
        assert copy.products == category.products
        for attribute, spec in category.category.attributes.items():
            if spec.type in ("number", "integer"):
                assert np.array_equal(copy.numbers(attribute), category.numbers(attribute), equal_nan=True)
        # The attribute's cell converter comes back too (it is made from the other fields).
        weight = ("weight_g", "850", 850) if name == "rain_jackets" else ("weight_kg", "1.5", 1.5)
        if weight[0] in category.category.attributes:  # the four advised categories (not care products and parts)
            assert copy.category.attributes[weight[0]].coerce(weight[1]) == weight[2]


def test_a_changed_catalog_is_read_from_the_database_again(database: tuple[str, Engine], tmp_path: Path) -> None:
    url, engine = database
    kept(url, engine)
    update = tmp_path / "update.json"
    update.write_text(json.dumps([tent(sku="T-NEW")]), encoding="utf-8")
    import_file(engine, update)
    assert load_kept(url) is None
    assert kept(url, engine).categories["tents"].position.get("T-NEW") is not None
    loaded = load_kept(url)
    assert loaded is not None and "T-NEW" in loaded[1].categories["tents"].position


def test_another_database_file_in_the_same_place_is_not_read_from_the_old_copy(database: tuple[str, Engine]) -> None:
    url, engine = database
    kept(url, engine)
    engine.dispose()
    path = sqlite_file(url)
    assert path is not None
    other = path.with_name("other.sqlite3")
    shutil.copy(path, other)
    other.replace(path)  # the same catalog version and schema, but another file
    assert load_kept(url) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],
        lambda data: b"not a pickle at all",
        lambda data: data.replace(b"tents", b"tentz"),
    ],
    ids=["empty", "cut off", "not a copy", "changed"],
)
def test_a_damaged_copy_is_ignored(database: tuple[str, Engine], damage: object) -> None:
    url, engine = database
    kept(url, engine)
    path = sqlite_file(url)
    assert path is not None
    copy = kept_path(path)
    copy.write_bytes(damage(copy.read_bytes()))  # type: ignore[operator]
    assert load_kept(url) is None


def test_only_sqlite_files_have_a_copy(database: tuple[str, Engine]) -> None:
    _url, engine = database
    index, dictionary = build_index(engine), load_dictionary(engine)
    for url in ("postgresql+psycopg://advisor@db.example/advisor", "sqlite:///:memory:", "sqlite://"):
        assert not save_kept(url, dictionary, index)
        assert load_kept(url) is None
    assert sqlite_file("sqlite:////srv/advisor/advisor.sqlite3?timeout=5") == Path("/srv/advisor/advisor.sqlite3")
    assert sqlite_file("sqlite+pysqlite:///data/a.sqlite3") == Path("data/a.sqlite3")


def test_check_uses_the_copy_and_sees_a_catalog_change(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'check.sqlite3'}"
    finder = tmp_path / "tent-finder.yaml"
    text = (questionnaires_dir() / "tent-finder.yaml").read_text(encoding="utf-8")
    finder.write_text(text.replace("include: [NG-TENT-0002, NG-TENT-0034]", "include: [NG-TENT-0002, T-NEW]", 1))

    first = advisor("check", str(finder), env_db=db)
    assert "A006" in first.stdout and "T-NEW" in first.stdout, first.stdout + first.stderr
    assert kept_path(tmp_path / "check.sqlite3").is_file()
    assert advisor("check", str(finder), env_db=db).stdout == first.stdout  # from the copy: the same findings

    product = tmp_path / "new.json"
    product.write_text(json.dumps([tent(sku="T-NEW")]), encoding="utf-8")
    assert advisor("catalog", "import", str(product), env_db=db).returncode == 0
    after = advisor("check", str(finder), env_db=db)
    assert "A006" not in after.stdout, after.stdout


def test_an_app_starts_from_the_kept_index_and_builds_again_after_a_catalog_change(
    database: tuple[str, Engine], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, engine = database
    first = IndexCache(engine).get()  # the first start builds the index and keeps it
    assert kept_path(tmp_path / "store.sqlite3").is_file()

    def no_build(_engine: Engine) -> CatalogIndex:
        raise AssertionError("the index was built although a current copy was kept")

    monkeypatch.setattr(index_module, "build_index", no_build)
    again = IndexCache(engine).get()  # the next start (another process) reads the copy
    assert again is not first
    assert again.version == first.version
    assert again.categories["tents"].skus.tolist() == first.categories["tents"].skus.tolist()

    update = tmp_path / "update.json"
    update.write_text(json.dumps([tent(sku="T-NEW")]), encoding="utf-8")
    import_file(engine, update)
    with pytest.raises(AssertionError, match="although a current copy"):
        IndexCache(engine).get()  # the catalog moved on: the copy is not used
