"""Importing products into a real database (SQLite and PostgreSQL): upserts, rejections, atomicity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.catalog import formats
from advisor.catalog.formats import UnusableInput, write_csv
from advisor.catalog.importer import import_file
from advisor.catalog.store import (
    PRODUCT,
    STOCK,
    ImportReport,
    catalog_stats,
    catalog_version,
    export_products,
    load_dictionary,
)
from advisor.db.engine import make_engine
from tests.helpers.catalog import stored_tables, tent, with_dictionary
from tests.helpers.catalog import write_csv as write_rows


def _import(engine: Engine, path: Path, **options: object) -> ImportReport:
    report = import_file(engine, path, **options)  # type: ignore[arg-type]
    assert isinstance(report, ImportReport)
    return report


def _csv_of(tmp_path: Path, records: list[dict[str, object]], name: str = "products.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(records, handle)
    return path


def test_dictionary_roundtrip(engine: Engine) -> None:
    dictionary = with_dictionary(engine)
    stored = load_dictionary(engine)
    assert list(stored.categories) == sorted(dictionary.categories)
    tents = stored.categories["tents"]
    assert tents.attributes["capacity"].unit == "persons"
    assert tents.attributes["use"].values == dictionary.categories["tents"].attributes["use"].values
    assert tents.attributes["weight_kg"].more_is_better is False
    assert tents.attributes["weight_kg"].words == dictionary.categories["tents"].attributes["weight_kg"].words
    assert tents.attributes["weight_kg"].words["de"]["better"] == "leichter"  # type: ignore[index]
    assert list(tents.attributes) == list(dictionary.categories["tents"].attributes)


def test_mixed_csv_imports_good_rows_and_names_every_bad_one(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    good = [tent(sku=f"T-{n}") for n in range(1, 4)]
    bad_capacity = tent(sku="BAD-1")
    bad_capacity["attributes"]["capacity"] = "two"
    bad_use = tent(sku="BAD-2")
    bad_use["attributes"]["use"] = ["trekking", "space"]
    bad_price = tent(sku="BAD-3", price="12.345")
    path = _csv_of(tmp_path, [good[0], bad_capacity, good[1], bad_use, bad_price, good[2]])

    report = _import(engine, path)

    assert (report.imported, report.updated) == (3, 0)
    assert [(r.row, r.column) for r in report.rejected] == [
        (3, "attributes.capacity"),
        (5, "attributes.use"),
        (6, "price"),
    ]
    assert "'two'" in report.rejected[0].reason
    assert "'space' is not one of" in report.rejected[1].reason
    assert "more than two decimals" in report.rejected[2].reason
    with engine.connect() as connection:
        skus = connection.execute(sa.select(PRODUCT.c.sku).order_by(PRODUCT.c.sku)).scalars().all()
        stock_skus = connection.execute(sa.select(STOCK.c.sku).order_by(STOCK.c.sku)).scalars().all()
    assert skus == ["T-1", "T-2", "T-3"]
    assert stock_skus == ["T-1", "T-2", "T-3"]


def test_missing_required_attribute_and_unknown_attribute_are_named(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    missing = tent(sku="M-1")
    del missing["attributes"]["weight_kg"]
    foreign = tent(sku="F-1")
    foreign["attributes"]["fill"] = "down"  # a sleeping-bag attribute
    report = _import(engine, _csv_of(tmp_path, [missing, foreign]))
    assert report.imported == 0
    assert {(r.row, r.column, r.reason) for r in report.rejected} == {
        (2, "attributes.weight_kg", "is required for this category"),
        (3, "attributes.fill", "'fill' is not an attribute of tents, but of sleeping_bags"),
    }


def test_upsert_by_sku_updates_and_bumps_the_catalog_version(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    _import(engine, _csv_of(tmp_path, [tent(sku="T-1"), tent(sku="T-2")]))
    version = catalog_version(engine)
    report = _import(engine, _csv_of(tmp_path, [tent(sku="T-2", price=249.0), tent(sku="T-3")], "second.csv"))
    assert (report.imported, report.updated) == (1, 1)
    assert catalog_version(engine) == version + 1
    products = {p["sku"]: p for p in export_products(engine)}
    assert products["T-2"]["price"] == 249.0
    assert catalog_stats(engine) == {
        "products": 3,
        "categories": {"backpacks": 0, "care": 0, "rain_jackets": 0, "sleeping_bags": 0, "spare_parts": 0, "tents": 3},
    }


def test_duplicate_sku_in_one_file_keeps_the_first(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    report = _import(engine, _csv_of(tmp_path, [tent(sku="T-1"), tent(sku="T-1", price=1.0)]))
    assert report.imported == 1
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [(3, "sku", "T-1 already appears in row 2")]
    assert export_products(engine)[0]["price"] == 299.95


def test_a_second_row_of_a_refused_sku_is_refused_too_not_imported_without_a_word(
    engine: Engine, tmp_path: Path
) -> None:
    with_dictionary(engine)
    broken = {**tent(sku="T-1"), "price": "teuer"}  # row 2: refused for its price
    report = _import(engine, _csv_of(tmp_path, [broken, tent(sku="T-2"), tent(sku="T-1", price=1.0)]))
    assert report.imported == 1, "only T-2"
    assert [(r.row, r.column) for r in report.rejected] == [(2, "price"), (4, "sku")]
    assert (
        report.rejected[1].reason
        == "T-1 already appears in row 2, which was refused: correct that row and keep one row per sku"
    )
    assert [p["sku"] for p in export_products(engine)] == ["T-2"]


def test_dry_run_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    version = catalog_version(engine)
    report = _import(engine, _csv_of(tmp_path, [tent(sku="T-1")]), dry_run=True)
    assert report.imported == 1
    assert catalog_stats(engine)["products"] == 0
    assert catalog_version(engine) == version


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"sku,category,brand,name.de,price\nT-1,tents,N,Zelt,1\n", (1, "", "missing required column(s): name.en")),
        (
            b"sku,category,brand,name.de,name.en,price,colour\n",
            (1, "colour", "column G: unknown column 'colour' (see docs/catalog-format.md); a file's own column names "
             "are mapped with --columns"),
        ),
        (
            b"sku,category,brand,name.de,name.en,price\nT-1,tents,N,Gr\xc3\xbcn,Gr\xfcn,1\n",
            (None, "", "mixed encodings: the file is UTF-8, but byte 0xfc here is not (Windows-1252?); it was edited "
             "in two programs. Fix the letters on this line and save it again as \"CSV UTF-8\""),
        ),
        (
            b"sku,category,brand,name.de,name.en,price,stock.xyz.quantity\n",
            (1, "stock.xyz.quantity", "column G: unknown store 'xyz' in column 'stock.xyz.quantity' (known: ham-01, "
             "muc-01); add it under \"stores\" in a category file and import that file first: advisor catalog "
             "import categories.json"),
        ),
    ],
)  # fmt: skip
def test_problems_of_the_whole_file_change_nothing(
    engine: Engine, tmp_path: Path, content: bytes, problem: tuple[int | None, str, str]
) -> None:
    with_dictionary(engine)
    _import(engine, _csv_of(tmp_path, [tent(sku="KEEP")], "first.csv"))
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    report = _import(engine, path)
    assert [(p.row, p.column, p.reason) for p in report.unusable] == [problem]
    assert not report.written
    assert [p["sku"] for p in export_products(engine)] == ["KEEP"]


def test_an_empty_file_cannot_be_read(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\r\n")
    with pytest.raises(UnusableInput, match="the file is empty; expected a header row"):
        import_file(engine, path)


def test_broken_quoting_late_in_the_file_rolls_back_everything(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats, "CHUNK_ROWS", 10)  # earlier chunks are read before the bad one
    with_dictionary(engine)
    path = _csv_of(tmp_path, [tent(sku=f"T-{n}") for n in range(1, 30)])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('T-99,tents,"Nordgrat"x,broken\n')
    report = _import(engine, path)
    assert [(p.line, p.row, p.column) for p in report.unusable] == [(31, 31, "brand")]
    assert report.unusable[0].reason.startswith("broken quoting (',' expected after '\"')")
    assert catalog_stats(engine)["products"] == 0


def test_markup_is_stored_as_typed(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    markup = '<b>new</b> & <script>alert("x")</script>'
    _import(engine, _csv_of(tmp_path, [tent(description={"de": markup, "en": markup})]))
    assert export_products(engine)[0]["description"]["en"] == markup


def test_export_imports_again_unchanged(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    records = [tent(sku="T-1"), tent(sku="T-2", price=10.0)]
    _import(engine, _csv_of(tmp_path, records))
    exported = export_products(engine)
    json_path = tmp_path / "export.json"
    json_path.write_text(json.dumps(exported), encoding="utf-8")
    report = _import(engine, json_path)
    assert (report.imported, report.updated, report.rejected) == (0, 2, [])
    assert export_products(engine) == exported
    assert exported[0]["attributes"] == tent()["attributes"]
    assert exported[0]["stock"] == tent()["stock"]


def test_csv_rows_with_the_wrong_number_of_cells_are_rejected(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    path = _csv_of(tmp_path, [tent(sku="T-1")])
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    write_rows(path, header, [path.read_text(encoding="utf-8").splitlines()[1].split(",")[:5]])
    report = _import(engine, path)
    assert [(r.row, r.column) for r in report.rejected] == [(2, "")]
    assert "has 5 cells" in report.rejected[0].reason


def test_an_import_into_an_empty_catalog_gives_its_connection_back_with_foreign_key_checks(
    engine: Engine, tmp_path: Path
) -> None:
    """An import into an empty catalog writes without SQLite's foreign key checks and makes the tables' indexes
    after its rows; the pooled connection gets its checks back and the schema is as it was, whether the import was
    written, rolled back (all or nothing) or a dry run."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's foreign key checks are a connection setting")
    with_dictionary(engine)
    query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    with engine.connect() as connection:
        schema = connection.exec_driver_sql(query).all()
    assert ("ix_variant_gtin", "CREATE UNIQUE INDEX ix_variant_gtin ON variant (gtin)") in schema
    bad = tent(sku="BAD-1")
    bad["attributes"]["capacity"] = "two"
    for options in ({"all_or_nothing": True}, {"dry_run": True}, {}):
        path = _csv_of(tmp_path, [tent(sku="T-1"), bad])
        report = _import(engine, path, **options)
        assert report.written == (options == {})
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
            assert connection.exec_driver_sql(query).all() == schema
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    assert catalog_stats(engine)["products"] == 1


def test_an_import_into_an_empty_catalog_beside_a_reader_keeps_the_write_ahead_log(
    engine: Engine, tmp_path: Path
) -> None:
    """Alone with the file, an import into an empty catalog writes through the rollback journal; with a kiosk's
    connection open on the file it cannot, keeps WAL (so the kiosk goes on reading) and imports all the same."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's journal mode")
    with_dictionary(engine)
    kiosk = make_engine(str(engine.url))
    with kiosk.connect() as reading:
        assert reading.exec_driver_sql("SELECT count(*) FROM product").scalar() == 0
        report = _import(engine, _csv_of(tmp_path, [tent(sku="T-1"), tent(sku="T-2")]))
        assert report.written and report.imported == 2
        assert reading.exec_driver_sql("SELECT count(*) FROM product").scalar() == 2
        assert reading.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    kiosk.dispose()


def test_an_import_into_an_empty_catalog_stores_what_an_update_stores(engine: Engine, tmp_path: Path) -> None:
    """The first import into an empty catalog (plain INSERTs) and the same file imported again over it (upserts)
    give the same tables."""
    with_dictionary(engine)
    path = _csv_of(tmp_path, [tent(sku=f"T-{n}", price=100.0 + n) for n in range(1, 6)])
    first = _import(engine, path)
    assert (first.imported, first.updated) == (5, 0)

    before = stored_tables(engine)
    again = _import(engine, path)
    assert (again.imported, again.updated, again.rejected) == (0, 5, [])
    assert stored_tables(engine) == before
