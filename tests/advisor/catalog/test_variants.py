"""Models and variants: the migration from one row per product, both file shapes, GTIN checks, and advice that
looks at each variant (a 195 cm shopper gets the bags whose long version fits, with that version's stock)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from advisor.bootstrap import load_sample_catalog
from advisor.catalog import formats
from advisor.catalog.dictionary import load_dictionary_file
from advisor.catalog.formats import export_rows, write_csv
from advisor.catalog.importer import import_file
from advisor.catalog.store import export_products
from advisor.catalog.validate import BatchPlan, gtin_check_digit
from advisor.db import make_engine, upgrade
from advisor.engine import SessionState
from advisor.paths import sample_catalog_dir
from advisor.questionnaire.load import load_file
from advisor.recommend.core import live_count, recommend, variants_fitting
from advisor.recommend.index import build_index
from advisor.rendering.facts import price_text, stock_in

SAMPLE = json.loads((sample_catalog_dir() / "products.json").read_text(encoding="utf-8"))


def _flat(record: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A sample record as the schema before variants kept it: one product row (the first variant's values of
    what varies) and its stock (all variants' together)."""
    attributes = dict(record.get("attributes", {}))
    stock: dict[str, dict[str, Any]] = {}
    for variant in record.get("variants", [{"options": {}, "stock": record.get("stock", [])}]):
        for name, value in variant["options"].items():
            attributes.setdefault(name, value)
        for entry in variant.get("stock", []):
            kept = stock.setdefault(entry["store"], {**entry, "quantity": 0})
            kept["quantity"] += entry["quantity"]
    return attributes, list(stock.values())


def _old_catalog(engine: Engine) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The sample catalog written into a database at 0013 (before variants), as the tables hold it."""
    rows = []
    stock_rows = []
    for record in SAMPLE:
        attributes, stock = _flat(record)
        rows.append({
            "sku": record["sku"], "category_id": record["category"], "brand": record["brand"],
            "name_de": record["name"]["de"], "name_en": record["name"]["en"],
            "description_de": record["description"]["de"], "description_en": record["description"]["en"],
            "price_cents": round(record["price"] * 100), "currency": "EUR", "image": record.get("image"),
            "attributes": attributes, "care": record["care"], "repair": record["repair"],
            "sustainability": record["sustainability"], "updated_at": datetime(2026, 11, 1, 10, tzinfo=UTC),
        })  # fmt: skip
        for entry in stock:
            stock_rows.append({"sku": record["sku"], "store_id": entry["store"], "quantity": entry["quantity"],
                               "location_de": entry["location"]["de"],
                               "location_en": entry["location"]["en"]})  # fmt: skip
    meta = sa.MetaData()
    product = sa.Table("product", meta, autoload_with=engine)
    stock_table = sa.Table("stock", meta, autoload_with=engine)
    with engine.begin() as connection:
        connection.execute(
            sa.text("INSERT INTO store (id, name_de, name_en) VALUES ('muc-01', 'M', 'M'), ('ham-01', 'H', 'H')")
        )
        for category in {record["category"] for record in SAMPLE}:
            connection.execute(
                sa.text("INSERT INTO category (id, label_de, label_en) VALUES (:id, :id, :id)"), {"id": category}
            )
        connection.execute(product.insert(), rows)
        connection.execute(stock_table.insert(), stock_rows)
    return _tables(engine)


def _tables(engine: Engine) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        products = [tuple(row) for row in connection.execute(sa.text(
            "SELECT sku, category_id, brand, name_de, name_en, description_de, description_en, price_cents, currency, "
            "image, attributes, care, repair, sustainability FROM product ORDER BY sku"))]  # fmt: skip
        stock = [tuple(row) for row in connection.execute(sa.text(
            "SELECT sku, store_id, quantity, location_de, location_en FROM stock ORDER BY sku, store_id"))]  # fmt: skip
    return products, stock


def test_the_migration_keeps_every_product_stock_row_and_text_and_goes_back(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0013_appointments")
    products, stock = _old_catalog(engine)
    assert len(products) == len(SAMPLE) and len(stock) > 200

    upgrade(engine, "0014_variants")
    assert _tables(engine) == (products, stock)  # every product, text and stock row as it was
    with engine.connect() as connection:
        variants = connection.execute(
            sa.text("SELECT sku, model_sku, gtin, price_cents FROM variant ORDER BY sku")
        ).all()
    assert [tuple(v) for v in variants] == [(row[0], row[0], None, None) for row in products]  # one each, same sku

    from alembic import command

    from advisor.db.engine import alembic_config

    command.downgrade(alembic_config(engine), "0013_appointments")
    assert _tables(engine) == (products, stock)
    with engine.connect() as connection:
        assert not sa.inspect(connection).has_table("variant")
    engine.dispose()


def test_the_downgrade_adds_up_a_models_variants_stock(engine: Engine) -> None:
    load_sample_catalog(engine)
    bag = next(record for record in SAMPLE if record["sku"] == "NG-SBAG-0016")
    from alembic import command

    from advisor.db.engine import alembic_config

    command.downgrade(alembic_config(engine), "0013_appointments")
    _, stock = _tables(engine)
    mine = {row[1]: row[2] for row in stock if row[0] == "NG-SBAG-0016"}
    expected: dict[str, int] = {}
    for variant in bag["variants"]:
        for entry in variant["stock"]:
            expected[entry["store"]] = expected.get(entry["store"], 0) + entry["quantity"]
    assert mine == expected


# -- the two file shapes -------------------------------------------------------------------------------------------


def _models_and_variants(engine: Engine) -> tuple[list[Any], list[Any], list[Any]]:
    with engine.connect() as connection:
        models = connection.execute(sa.text("SELECT sku, price_cents, attributes FROM product ORDER BY sku")).all()
        variants = connection.execute(sa.text(
            "SELECT sku, model_sku, position, gtin, options, price_cents, image FROM variant ORDER BY sku"
        )).all()  # fmt: skip
        stock = connection.execute(sa.text("SELECT * FROM stock ORDER BY sku, store_id")).all()
    return ([tuple(m) for m in models], [tuple(v) for v in variants], [tuple(s) for s in stock])


def test_a_shop_systems_variant_csv_and_the_nested_json_import_to_the_same_models_and_variants(
    tmp_path: Path, database_url: str
) -> None:
    """One row per variant (the model's cells left empty after its first row, as a shop system's export does)
    and the nested JSON give the same catalog; exporting it and importing the export changes nothing."""
    sample_json = sample_catalog_dir() / "products.json"
    from_json = make_engine(database_url)
    upgrade(from_json)
    load_sample_catalog(from_json)
    exported = export_products(from_json)
    by_sku = {record["sku"]: record for record in SAMPLE}
    for record in exported:  # the variants as the nested file has them (numbers compare as numbers: 82 is 82.0)
        given = by_sku[record["sku"]]
        assert record.get("variants") == given.get("variants") and record.get("stock") == given.get("stock")
        if "variants" in given:
            assert record["attributes"] == given["attributes"] and record["price"] == given["price"]
    assert len(exported) == len(SAMPLE)

    columns, rows = export_rows(exported)
    dictionary = load_dictionary_file(sample_catalog_dir() / "categories.json")
    own = {  # per category, the cells a variant has of its own: a sleeping bag's weight varies, a tent's does not
        category_id: {"price", "image"} | {f"attributes.{name}" for name in category.varying}
        for category_id, category in dictionary.categories.items()
    }
    blanked = set()
    for previous, row in zip(rows, rows[1:], strict=False):  # a shop system's export: the model's cells only once
        if row["sku"] == previous["sku"]:
            category = row["category"]
            for column in columns:
                if column.startswith(("variant.", "stock.")) or column == "sku" or column in own[category]:
                    continue
                if row.get(column, "") != "":
                    blanked.add((category, column))
                    row[column] = ""
    assert ("tents", "attributes.weight_kg") in blanked  # varies for sleeping bags, not for tents: left empty here
    csv_path = tmp_path / "variants.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, columns)
        writer.writeheader()
        writer.writerows(rows)

    sqlite_csv = make_engine(f"sqlite:///{tmp_path / 'csv.sqlite3'}")
    upgrade(sqlite_csv)
    load_sample_catalog(sqlite_csv)  # the dictionary, then the CSV over the JSON's products...
    with sqlite_csv.begin() as connection:  # ...written from nothing
        for table in ("stock", "variant", "product"):
            connection.execute(sa.text(f"DELETE FROM {table}"))
    report = import_file(sqlite_csv, csv_path)
    assert report.rejected == [] and report.imported == len(SAMPLE)
    assert _same_json(_models_and_variants(sqlite_csv), _models_and_variants(from_json))

    again = io.StringIO()
    write_csv(export_products(sqlite_csv), again)
    (tmp_path / "again.csv").write_text(again.getvalue(), encoding="utf-8")
    before = _models_and_variants(sqlite_csv)
    report = import_file(sqlite_csv, tmp_path / "again.csv")
    assert report.rejected == [] and report.updated == len(SAMPLE)
    assert _models_and_variants(sqlite_csv) == before
    assert export_products(sqlite_csv) == exported
    assert sample_json.exists()
    from_json.dispose()
    sqlite_csv.dispose()


def test_a_variant_csv_whose_models_span_batches_imports_into_an_empty_catalog(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Into an empty catalog rows go in by plain INSERT; a model whose rows fall into two batches is written in
    both, the second time as an update, and the catalog is the one the nested JSON gives."""
    from_json = make_engine(database_url)
    upgrade(from_json)
    load_sample_catalog(from_json)
    expected = _models_and_variants(from_json)
    columns, rows = export_rows(export_products(from_json))
    with from_json.begin() as connection:
        for table in ("stock", "variant", "product"):
            connection.execute(sa.text(f"DELETE FROM {table}"))
    csv_path = tmp_path / "variants.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, columns)
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(formats, "CHUNK_ROWS", 2)  # models of two and more variants span batches
    report = import_file(from_json, csv_path)
    assert report.rejected == [] and report.written
    assert report.imported == len(SAMPLE)  # each model counted once, in the batch where it begins
    assert _same_json(_models_and_variants(from_json), expected)
    from_json.dispose()


def _same_json(a: Any, b: Any) -> bool:
    """Equal once JSON columns are read the same way (PostgreSQL gives objects, SQLite texts)."""

    def norm(value: Any) -> Any:
        if isinstance(value, str) and value[:1] in "{[":
            return json.loads(value)
        if isinstance(value, tuple | list):
            return [norm(item) for item in value]
        return value

    return bool(norm(a) == norm(b))


def test_a_model_whose_variants_change_keeps_only_the_new_ones_with_their_stock(engine: Engine, tmp_path: Path) -> None:
    load_sample_catalog(engine)
    jacket = next(record for record in SAMPLE if record["sku"] == "NG-JACK-0001")
    fewer = {**jacket, "variants": jacket["variants"][:2]}
    (tmp_path / "fewer.json").write_text(json.dumps([fewer]), encoding="utf-8")

    report = import_file(engine, tmp_path / "fewer.json")
    assert report.rejected == []
    _, variants, stock = _models_and_variants(engine)
    mine = [v[0] for v in variants if v[1] == "NG-JACK-0001"]
    assert mine == sorted(v["sku"] for v in jacket["variants"][:2])
    assert not [s for s in stock if s[0] in {v["sku"] for v in jacket["variants"][2:]}]


def _variant_rows(**changes: Any) -> list[dict[str, str]]:
    base = {"sku": "J-1", "category": "rain_jackets", "brand": "Nordgrat", "name.de": "Jacke", "name.en": "Jacket",
            "price": "199.95", "attributes.waterproof_mm": "20000", "attributes.breathability_g": "20000",
            "attributes.weight_g": "400", "attributes.layers": "3l", "attributes.fit": "regular",
            "attributes.gender": "men", "attributes.use": "hiking", "attributes.hood": "fixed",
            "attributes.packable": "false", "attributes.pit_zips": "false",
            "attributes.insulated": "false"}  # fmt: skip
    first = {**base, "variant.sku": "J-1-M", "variant.gtin": "4065000009992", "attributes.sizes": "M"}
    second = {**base, "variant.sku": "J-1-L", "variant.gtin": "4065000009985", "attributes.sizes": "L"}
    for key, value in changes.items():
        column, _, row = key.rpartition("__")
        (first if row == "1" else second)[column.replace("_", ".", 1) if column.startswith("variant") else column] = (
            value
        )
    return [first, second]


def _import_rows(engine: Engine, rows: list[dict[str, str]], tmp_path: Path, *, dry_run: bool = False) -> Any:
    columns = list(dict.fromkeys(column for row in rows for column in row))
    path = tmp_path / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, columns)
        writer.writeheader()
        writer.writerows(rows)
    return import_file(engine, path, dry_run=dry_run)


def _dictionary(engine: Engine) -> None:
    load_sample_catalog(engine)


@pytest.mark.parametrize("chunk_rows", [1, 5000], ids=["a batch a row", "one batch"])
def test_a_dry_run_into_a_new_database_says_what_the_import_then_does(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_rows: int
) -> None:
    """No dictionary is stored yet: the dry run checks the rows against the shipped one, as the import does, so a
    jacket's sizes vary there too instead of "disagreeing" between its rows; each row is told with its model's
    change (new), whether or not the model began in the same batch."""
    monkeypatch.setattr(formats, "CHUNK_ROWS", chunk_rows)
    rows = _variant_rows()
    dry = _import_rows(engine, rows, tmp_path, dry_run=True)
    assert dry.rejected == []
    assert [(change.row, change.sku, change.kind) for change in dry.changes] == [(2, "J-1", "new"), (3, "J-1", "new")]
    done = _import_rows(engine, rows, tmp_path)
    assert (done.imported, done.rejected) == (1, [])
    _, variants, _ = _models_and_variants(engine)
    assert sorted(v[0] for v in variants) == ["J-1-L", "J-1-M"]


@pytest.mark.parametrize("chunk_rows", [1, 5000], ids=["a batch a row", "one batch"])
def test_a_dry_run_says_which_variants_the_import_adds_removes_and_changes(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_rows: int
) -> None:
    """A model in the file has exactly the file's variants: the dry run names a variant the import would remove
    (with its stock), one it would add, and a variant's own cells that change; such a model is "updated", and
    "unchanged" counts products, as "updated" does, not rows."""
    monkeypatch.setattr(formats, "CHUNK_ROWS", chunk_rows)
    _dictionary(engine)
    stocked = {"stock.muc-01.quantity": "5"}
    rows = _variant_rows()
    rows[1].update(stocked)
    assert _import_rows(engine, rows, tmp_path).rejected == []
    before = _models_and_variants(engine)

    same = _import_rows(engine, rows, tmp_path, dry_run=True)
    assert [change.kind for change in same.changes] == ["unchanged", "unchanged"] and same.unchanged == 1

    without_large = _import_rows(engine, _variant_rows()[:1], tmp_path, dry_run=True)
    assert [(c.row, c.kind) for c in without_large.changes] == [(2, "updated")]
    assert [(f.column, f.before, f.after) for f in without_large.changes[0].fields] == [
        ("variant J-1-L", "attributes.sizes L, stock.muc-01.quantity 5", "removed")
    ]
    assert without_large.unchanged == 0

    extra = {**_variant_rows()[0], "variant.sku": "J-1-XL", "variant.gtin": "", "attributes.sizes": "XL"}
    moved = [rows[0], {**rows[1], "stock.muc-01.quantity": "2"}, extra]
    told = _import_rows(engine, moved, tmp_path, dry_run=True)
    assert {c.kind for c in told.changes} == {"updated"}
    assert [(f.column, f.before, f.after) for f in told.changes[0].fields] == [
        ("variant J-1-L stock.muc-01.quantity", "5", "2"),
        ("variant J-1-XL", "", "attributes.sizes XL"),
    ]
    assert _models_and_variants(engine) == before  # a dry run changes nothing


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry run"])
def test_a_rejected_variant_row_keeps_that_variant_and_its_stock(engine: Engine, tmp_path: Path, dry_run: bool) -> None:
    """A model's rows are its variants, and a variant the file no longer has is removed. A row that is rejected (a
    typing error in its price) is no removal: its variant stays as the catalog has it, with its stock, and the
    report says so. The model's good rows are still imported."""
    _dictionary(engine)
    rows = _variant_rows()
    rows[1].update({"stock.muc-01.quantity": "5"})
    assert _import_rows(engine, rows, tmp_path).rejected == []
    before = _models_and_variants(engine)

    typo = [{**rows[0], "price": "179.95"}, {**rows[1], "price": "teuer"}]
    report = _import_rows(engine, typo, tmp_path, dry_run=dry_run)

    assert [(r.row, r.column) for r in report.rejected] == [(3, "price")]
    assert report.notes == ["J-1: row 3 is rejected, so no variant of it is removed; that row's variant stays as the "
                            "catalog has it"]  # fmt: skip
    if dry_run:
        fields = [(f.column, f.after) for change in report.changes for f in change.fields]
        assert ("variant J-1-L", "removed") not in fields
        assert _models_and_variants(engine) == before
        return
    _, variants, stock = _models_and_variants(engine)
    assert sorted(v[0] for v in variants if v[1] == "J-1") == ["J-1-L", "J-1-M"]
    assert [s[2] for s in stock if s[0] == "J-1-L" and s[1] == "muc-01"] == [5]
    price_of = {v[0]: v[5] for v in variants}
    assert price_of["J-1-L"] == 19995, "the rejected row's variant keeps its price"


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry run"])
def test_a_row_rejected_again_tells_that_its_variant_is_not_in_the_catalog(
    engine: Engine, tmp_path: Path, dry_run: bool
) -> None:
    """A variant row with a wrong check digit is rejected on the first import, and on the second: the catalog has
    never had its variant, so the note names it as missing until the row is fixed, not that it "stays as the
    catalog has it"."""
    _dictionary(engine)
    rows = _variant_rows(variant_gtin__2="4065000009986")
    assert [(r.row, r.column) for r in _import_rows(engine, rows, tmp_path).rejected] == [(3, "variant.gtin")]

    again = _import_rows(engine, rows, tmp_path, dry_run=dry_run)

    assert [(r.row, r.column) for r in again.rejected] == [(3, "variant.gtin")]
    assert again.notes == ["J-1: row 3 is rejected, so variant J-1-L is not in the catalog until row 3 is fixed"]
    _, variants, _ = _models_and_variants(engine)
    assert [v[0] for v in variants if v[1] == "J-1"] == ["J-1-M"]


def test_a_refused_variant_that_the_catalog_never_had_is_named_in_the_note(engine: Engine, tmp_path: Path) -> None:
    """A variant row refused for a GTIN that another article has is read: the note names its variant, which is not
    in the catalog until the row is fixed; a variant the file no longer lists stays meanwhile, as a rejected row
    removes nothing."""
    _dictionary(engine)
    small = {**_variant_rows()[0], "variant.sku": "J-1-S", "variant.gtin": "", "attributes.sizes": "S"}
    assert _import_rows(engine, [_variant_rows()[0], small], tmp_path).rejected == []
    taken = next(v["gtin"] for r in SAMPLE for v in r.get("variants", []) if v.get("gtin"))
    rows = _variant_rows(variant_gtin__2=taken)

    first = _import_rows(engine, rows, tmp_path)
    again = _import_rows(engine, rows, tmp_path)

    for report in (first, again):
        assert [(r.row, r.column) for r in report.rejected] == [(3, "variant.gtin")]
        assert report.notes == [
            "J-1: row 3 is rejected, so variant J-1-L is not in the catalog until row 3 is fixed; no variant of it "
            "is removed meanwhile"
        ]
    _, variants, _ = _models_and_variants(engine)
    assert [v[0] for v in variants if v[1] == "J-1"] == ["J-1-M", "J-1-S"]


def test_a_wrong_check_digit_is_named_by_row_and_column(engine: Engine, tmp_path: Path) -> None:
    _dictionary(engine)
    report = _import_rows(engine, _variant_rows(variant_gtin__2="4065000009986"), tmp_path)
    assert [(r.row, r.column) for r in report.rejected] == [(3, "variant.gtin")]
    assert "check digit should be 5, not 6" in report.rejected[0].reason


def test_a_product_whose_rows_are_apart_is_refused_by_its_sku(engine: Engine, tmp_path: Path) -> None:
    """A row without a variant.sku is the product itself: its sku twice is named in the sku column, not in the
    empty variant.sku cell."""
    _dictionary(engine)
    first, other = _variant_rows()
    alone = {**first, "variant.sku": "", "variant.gtin": ""}
    other = {**other, "sku": "J-2", "variant.sku": "J-2-L"}
    report = _import_rows(engine, [alone, other, alone], tmp_path)
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (4, "sku", "J-1 already appears in row 2: a product's rows follow one another, each variant with its own "
                   "variant.sku")
    ]  # fmt: skip


_TWICE = "give each row its own variant.sku if they are variants of one product, or remove one"


def test_a_product_in_two_rows_one_under_the_other_is_told_to_give_each_its_variant_sku(
    engine: Engine, tmp_path: Path
) -> None:
    """Rows that follow one another are not told that a product's rows do: the row under the product's has its sku
    and no variant.sku (a variant without its variant.sku, or the row twice). A rejected row of the product between
    them keeps them together; a row of another product between them does not."""
    _dictionary(engine)
    first, other = _variant_rows()
    alone = {**first, "variant.sku": "", "variant.gtin": ""}
    typo = {**alone, "price": "199,9x"}
    other = {**other, "sku": "J-2", "variant.sku": "J-2-L"}
    report = _import_rows(engine, [alone, alone, typo, alone, other, alone], tmp_path, dry_run=True)
    assert [(r.row, r.column, r.reason) for r in report.rejected if r.column == "sku"] == [
        (3, "sku", f"SKU J-1 is in rows 2 and 3: {_TWICE}"),
        (5, "sku", f"SKU J-1 is in rows 2 and 5: {_TWICE}"),
        (7, "sku", "J-1 already appears in row 2: a product's rows follow one another, each variant with its own "
                   "variant.sku"),
    ]  # fmt: skip


def test_rows_one_under_the_other_in_two_batches_follow_one_another(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row before a batch's first row is the previous batch's last."""
    monkeypatch.setattr(formats, "CHUNK_ROWS", 2)  # rows 2 and 3, then 4 and 5
    _dictionary(engine)
    first, other = _variant_rows()
    alone = {**first, "variant.sku": "", "variant.gtin": ""}
    two = {**other, "sku": "J-2", "variant.sku": "J-2-L"}
    three = {**other, "sku": "J-3", "variant.sku": "J-3-L", "variant.gtin": ""}
    rows = [two, alone, alone, three]
    report = _import_rows(engine, rows, tmp_path, dry_run=True)
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (4, "sku", f"SKU J-1 is in rows 3 and 4: {_TWICE}")
    ]


def test_a_gtin_twice_is_refused_in_its_second_row(engine: Engine, tmp_path: Path) -> None:
    _dictionary(engine)
    report = _import_rows(engine, _variant_rows(variant_gtin__2="4065000009992"), tmp_path)
    assert [(r.row, r.column) for r in report.rejected] == [(3, "variant.gtin")]
    assert "already variant J-1-M's (row 2)" in report.rejected[0].reason


def test_a_gtin_of_another_variant_in_the_catalog_is_refused(engine: Engine, tmp_path: Path) -> None:
    _dictionary(engine)
    taken = SAMPLE_GTIN = next(v["gtin"] for r in SAMPLE for v in r.get("variants", []) if v.get("gtin"))
    report = _import_rows(engine, _variant_rows(variant_gtin__1=taken), tmp_path)
    assert [(r.row, r.column) for r in report.rejected] == [(2, "variant.gtin")]
    assert f"GTIN {SAMPLE_GTIN} belongs to variant" in report.rejected[0].reason


def test_variants_that_disagree_on_a_model_field_are_named_by_row_and_column(engine: Engine, tmp_path: Path) -> None:
    _dictionary(engine)
    report = _import_rows(engine, _variant_rows(**{"attributes.layers__2": "2.5l"}), tmp_path)
    assert [(r.row, r.column) for r in report.rejected] == [(3, "attributes.layers")]
    assert "'2.5l' here, but '3l' in row 2" in report.rejected[0].reason
    _, variants, _ = _models_and_variants(engine)
    assert "J-1-M" in [v[0] for v in variants] and "J-1-L" not in [v[0] for v in variants]


def test_a_models_rows_share_its_texts_and_facts_and_a_row_that_differs_keeps_its_own() -> None:
    """Validated, the rows of one model hold its name and care facts as one object each (sent and compared once);
    a row whose description differs keeps its own, for the writer to name; another model's equal cells stay its."""
    rows = _variant_rows(**{"care.wash__1": "hand", "care.wash__2": "hand"})
    third = {**rows[1], "variant.sku": "J-1-XL", "variant.gtin": "", "attributes.sizes": "XL",
             "description.en": "Another text", "care.wash": "hand"}  # fmt: skip
    other = {**rows[0], "sku": "J-2", "variant.sku": "J-2-M", "variant.gtin": ""}
    table = [*rows, third, other]
    header = list(dict.fromkeys(column for row in table for column in row))
    text = io.StringIO()
    csv.writer(text).writerows([[row.get(column, "") for column in header] for row in table])
    cells = list(csv.reader(io.StringIO(text.getvalue())))  # each cell an object of its own, as read from a file
    plan = BatchPlan(header, load_dictionary_file(sample_catalog_dir() / "categories.json"))
    batch = plan.validate(cells)
    assert batch.problems == {}
    first, second, differing, another = batch.products
    assert second[3] is first[3] and second[11] is first[11]  # name.de, care
    assert differing[3] is first[3] and differing[6] is not first[6] and differing[6] == "Another text"
    assert another[3] == first[3] and another[3] is not first[3]


@given(st.lists(st.integers(0, 9), min_size=7, max_size=13))
def test_a_gtin_with_its_check_digit_is_taken_and_any_other_last_digit_is_not(digits: list[int]) -> None:
    from advisor.catalog.validate import _gtin

    body = "".join(map(str, digits))
    if len(body) + 1 not in (8, 12, 13, 14):
        return
    good = body + str(gtin_check_digit(body))
    assert _gtin(good) == good
    for wrong in set(range(10)) - {int(good[-1])}:
        with pytest.raises(ValueError, match="check digit"):
            _gtin(body + str(wrong))


# -- advice on models, availability on variants ----------------------------------------------------------------------


def test_a_195_cm_shopper_gets_the_bags_whose_long_version_fits_with_that_versions_stock(engine: Engine) -> None:
    load_sample_catalog(engine)
    index = build_index(engine).categories["sleeping_bags"]
    questionnaire = load_file(Path("questionnaires/sleeping-bag-finder.yaml")).questionnaire
    assert questionnaire is not None
    answers = {"activity": ("trekking",), "lowest_temp": 0, "sleeper": "normal", "who": "dont_care",
               "body_height": 195, "fill_choice": "dont_care", "weight_importance": "low", "couple": False}  # fmt: skip
    result = recommend(
        index=index, questionnaire=questionnaire, state=SessionState(questionnaire.id, answers), locale="de", show=40
    )

    # every model that fits has a variant for 195 cm (the data's own answer), and only those variants are offered
    fits_by_data = set()
    for record in SAMPLE:
        if record["category"] != "sleeping_bags":
            continue
        heights = [v["options"]["max_body_height_cm"] for v in record["variants"]] if "variants" in record else [
            record["attributes"]["max_body_height_cm"]]  # fmt: skip
        if max(heights) >= 195:
            fits_by_data.add(record["sku"])
    shown = {item.sku for item in result.products}
    assert shown <= fits_by_data
    long_only = [item for item in result.products if len(item.product.variants) > 1]
    assert long_only, "some bag fits only in its long version"
    for item in long_only:
        record = next(r for r in SAMPLE if r["sku"] == item.sku)
        assert [v.sku for v in item.variants] == [v["sku"] for v in record["variants"]
                                                 if v["options"]["max_body_height_cm"] >= 195]  # fmt: skip
        long_variant = next(v for v in record["variants"] if v["options"]["length"] == "long")
        here = next(e for e in long_variant["stock"] if e["store"] == "muc-01")
        assert price_text(item.product, "de", item.variants) == f"{long_variant['price']:.2f} €".replace(".", ",")
        stock = stock_in(item.product, "muc-01", "de", item.variants, index)
        assert stock.count == here["quantity"]  # the long version's stock, not the model's
        said = stock.text("de")
        if here["quantity"]:
            assert said == f"lang: {here['quantity']} vorrätig – {here['location']['de']}"
        else:
            assert said == "lang: hier derzeit nicht vorrätig"
    assert any(stock_in(i.product, "muc-01", "de", i.variants, index).count == 0 for i in long_only), (
        "the sample has a long version sold out in Munich"
    )


def test_a_model_fits_only_when_one_variant_meets_every_wish(engine: Engine) -> None:
    """Size L and in stock here: a jacket with L out of stock and M in stock must not count as "L in stock"."""
    load_sample_catalog(engine)
    index = build_index(engine).categories["rain_jackets"]
    columns = index.variant_columns()
    large = columns.contains("sizes", "L")
    stocked = columns.in_stock("muc-01")
    joint = columns.to_models(large & stocked)
    separately = columns.to_models(large) & columns.to_models(stocked)
    for position, product in enumerate(index.products):
        truth = any("L" in v.options["sizes"] and v.stock.get("muc-01", (0, {}))[0] > 0 for v in product.variants)
        assert bool(joint[position]) == truth
    assert (separately & ~joint).any(), "the sample has a jacket whose L is sold out here while other sizes are not"


def _jacket_finder(require_stock: bool) -> Any:
    from advisor.questionnaire.load import load_text

    step: dict[str, Any] = {"id": "size", "kind": "single", "question": {"de": "Größe?", "en": "Size?"},
                            "options": [{"id": "L", "label": {"de": "L", "en": "L"},
                                         "require": ['"L" in sizes']}]}  # fmt: skip
    if require_stock:
        step["options"][0]["require"].append("in_stock")
    else:
        step["prefer"] = [{"attribute": "in_stock", "direction": "higher", "weight": 5}]
    document = {"format_version": 2, "id": "jackets", "category": "rain_jackets", "locales": ["de", "en"],
                "default_locale": "de", "address": {"de": "du", "en": "du"}, "title": {"de": "J", "en": "J"},
                "intro": {"de": "J", "en": "J"}, "steps": [step]}  # fmt: skip
    loaded = load_text(json.dumps(document), "jackets.yaml")
    assert loaded.questionnaire is not None, loaded.findings
    return loaded.questionnaire


def _l_here(record: dict[str, Any], store: str) -> bool:
    return any("L" in v["options"]["sizes"] and any(e["store"] == store and e["quantity"] > 0 for e in v["stock"])
               for v in record["variants"])  # fmt: skip


def test_in_stock_in_your_size_as_a_requirement_is_one_variant_on_this_stores_shelf(engine: Engine) -> None:
    load_sample_catalog(engine)
    index = build_index(engine).categories["rain_jackets"]
    questionnaire = _jacket_finder(require_stock=True)
    state = SessionState(questionnaire.id, {"size": "L"})
    jackets = [r for r in SAMPLE if r["category"] == "rain_jackets"]
    for store in ("muc-01", "ham-01"):
        result = recommend(index=index, questionnaire=questionnaire, state=state, locale="de", store=store, show=40)
        assert {item.sku for item in result.products} == {r["sku"] for r in jackets if _l_here(r, store)}
        for item in result.products:  # the L that is here is what the results name
            assert [v.sku for v in item.variants] == [f"{item.sku}-L"]
            assert stock_in(item.product, store, "de", item.variants, index).count > 0
    assert any(not _l_here(r, "muc-01") for r in jackets if any("L" in v["options"]["sizes"] for v in r["variants"]))
    # without a store, stock is not asked about: every jacket in L
    anywhere = recommend(index=index, questionnaire=questionnaire, state=state, locale="de")
    assert anywhere.count == sum(any("L" in v["options"]["sizes"] for v in r["variants"]) for r in jackets)


def test_in_stock_as_a_preference_puts_the_jackets_with_an_l_here_first(engine: Engine) -> None:
    load_sample_catalog(engine)
    index = build_index(engine).categories["rain_jackets"]
    questionnaire = _jacket_finder(require_stock=False)
    state = SessionState(questionnaire.id, {"size": "L"})
    result = recommend(index=index, questionnaire=questionnaire, state=state, locale="de", store="muc-01", show=40)
    here = [_l_here(next(r for r in SAMPLE if r["sku"] == item.sku), "muc-01") for item in result.products]
    assert False in here and here == sorted(here, reverse=True)  # all that have it here before all that do not


def test_an_l_set_aside_for_an_appointment_is_not_on_the_shelf_for_the_next_shopper(engine: Engine) -> None:
    """Every L of a jacket held for someone's appointment: "in stock here in L" leaves that jacket out (count, results,
    its fitting variants); one left beside the holds keeps it in; without a store the holds do not matter."""
    load_sample_catalog(engine)
    index = build_index(engine).categories["rain_jackets"]
    questionnaire = _jacket_finder(require_stock=True)
    state = SessionState(questionnaire.id, {"size": "L"})
    jackets = [r for r in SAMPLE if r["category"] == "rain_jackets" and _l_here(r, "muc-01")]
    chosen = jackets[0]
    article = next(v for v in chosen["variants"] if "L" in v["options"]["sizes"])
    quantity = next(e["quantity"] for e in article["stock"] if e["store"] == "muc-01")
    everything = {article["sku"]: quantity}
    before = recommend(index=index, questionnaire=questionnaire, state=state, locale="de", store="muc-01", show=40)
    after = recommend(index=index, questionnaire=questionnaire, state=state, locale="de", store="muc-01", show=40,
                      held=everything)  # fmt: skip
    assert chosen["sku"] in {item.sku for item in before.products}
    assert {item.sku for item in after.products} == {item.sku for item in before.products} - {chosen["sku"]}
    assert after.count == before.count - 1
    assert live_count(index=index, questionnaire=questionnaire, answers=state.answers, store="muc-01",
                      held=everything) == before.count - 1  # fmt: skip
    assert live_count(index=index, questionnaire=questionnaire, answers=state.answers, store="muc-01") == before.count
    assert variants_fitting(index=index, questionnaire=questionnaire, answers=state.answers, sku=chosen["sku"],
                            store="muc-01", held=everything) == ()  # fmt: skip
    if quantity > 1:
        one_left = {article["sku"]: quantity - 1}
        kept = recommend(index=index, questionnaire=questionnaire, state=state, locale="de", store="muc-01", show=40,
                         held=one_left)  # fmt: skip
        assert chosen["sku"] in {item.sku for item in kept.products}
    anywhere = recommend(index=index, questionnaire=questionnaire, state=state, locale="de", held=everything)
    assert anywhere.count == recommend(index=index, questionnaire=questionnaire, state=state, locale="de").count
    assert questionnaire.asks_stock and _jacket_finder(require_stock=False).asks_stock


def test_in_stock_and_price_are_not_names_a_dictionary_can_give_its_own_attribute() -> None:
    from advisor.catalog.dictionary import DictionaryError, parse_dictionary

    for name in ("in_stock", "price"):
        document = {"categories": [{"id": "tents", "label": {"de": "Z", "en": "T"}, "attributes": [
            {"name": name, "type": "boolean", "label": {"de": "x", "en": "x"}}]}]}  # fmt: skip
        with pytest.raises(DictionaryError, match=f"'{name}' is every product's own"):
            parse_dictionary(document, "categories.json")


def test_why_not_a_model_whose_versions_each_meet_one_wish_says_so() -> None:
    """Tall (195 cm) and light (at most 0.85 kg): the regular bag is light but short, the long one fits but weighs
    more. Each wish is met by some version, both by none: why-not says that, where it failed before."""
    from advisor.questionnaire.load import load_text
    from advisor.recommend.core import why_not
    from advisor.recommend.index import CategoryIndex, ProductInfo
    from tests.helpers.catalog import sample_dictionary

    record = next(r for r in SAMPLE if r["sku"] == "NG-SBAG-0002")
    bag = ProductInfo.from_record(record)
    index = CategoryIndex(sample_dictionary().categories["sleeping_bags"], [bag])
    steps = [
        {"id": "body_height", "kind": "number", "question": {"de": "Größe?", "en": "Height?"}, "min": 150,
         "max": 210, "step": 5, "require": ["max_body_height_cm >= body_height"]},
        {"id": "light", "kind": "yes_no", "question": {"de": "Leicht?", "en": "Light?"},
         "require": ["weight_kg <= 0.85"]},
    ]  # fmt: skip
    document = {"format_version": 2, "id": "bags", "category": "sleeping_bags", "locales": ["de", "en"],
                "default_locale": "de", "address": {"de": "du", "en": "du"}, "title": {"de": "S", "en": "S"},
                "intro": {"de": "S", "en": "S"}, "steps": steps}  # fmt: skip
    loaded = load_text(json.dumps(document), "bags.yaml")
    assert loaded.questionnaire is not None, loaded.findings
    questionnaire = loaded.questionnaire
    state = SessionState(questionnaire.id, {"body_height": 195, "light": True})
    assert recommend(index=index, questionnaire=questionnaire, state=state, locale="en").count == 0
    answer = why_not(index=index, questionnaire=questionnaire, state=state, sku=bag.sku, locale="en")
    assert answer.broken == ()
    assert answer.text == ("meets each wish in one of its versions, but no single version meets them all",)


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry run"])
def test_a_variant_row_refused_for_its_photo_keeps_its_variant_and_names_it(
    engine: Engine, tmp_path: Path, dry_run: bool
) -> None:
    """A row refused for a photo the folder lacks is refused after its cells were read: it removes nothing either.
    Its variant stays with its stock, and the note names the variant (its variant.sku cell was read)."""
    _dictionary(engine)
    rows = _variant_rows()
    rows[1].update({"stock.muc-01.quantity": "5"})
    assert _import_rows(engine, rows, tmp_path).rejected == []
    photos = tmp_path / "Fotos"
    photos.mkdir()
    rows[0]["image"], rows[1]["image"] = "", "jacke-rot.png"
    path = tmp_path / "photos.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, list(dict.fromkeys(column for row in rows for column in row)))
        writer.writeheader()
        writer.writerows(rows)

    report = import_file(engine, path, images=photos, dry_run=dry_run)

    assert [(r.row, r.column) for r in report.rejected] == [(3, "image")]
    _, variants, stock = _models_and_variants(engine)
    assert sorted(v[0] for v in variants if v[1] == "J-1") == ["J-1-L", "J-1-M"]
    assert [s[2] for s in stock if s[0] == "J-1-L" and s[1] == "muc-01"] == [5]
    assert "J-1: row 3 is rejected, so no variant of it is removed; that row's variant stays as the catalog has it" in (
        report.notes
    )


def test_a_variant_row_with_a_bad_cell_names_its_variant_in_the_note(engine: Engine, tmp_path: Path) -> None:
    """A variant the catalog never had, whose row has a typing error in its price: the note names the variant that
    is missing until the row is fixed (its variant.sku cell is readable), not just "that row's variant"."""
    _dictionary(engine)
    rows = _variant_rows(price__2="teuer")
    first = _import_rows(engine, rows, tmp_path)
    again = _import_rows(engine, rows, tmp_path)

    for report in (first, again):
        assert [(r.row, r.column) for r in report.rejected] == [(3, "price")]
    assert again.notes == ["J-1: row 3 is rejected, so variant J-1-L is not in the catalog until row 3 is fixed"]


# -- cells as ERP exports and spreadsheets write them: padded skus, GTINs that lost their leading zeros ------------


def test_blanks_around_a_sku_and_a_variant_sku_are_taken_off(engine: Engine, tmp_path: Path) -> None:
    """An ERP export pads cells to a width: 'J-1 ' is J-1 (one model with the row below), 'J-1-M ' is J-1-M, and
    the row's GTIN is that variant's (before: the sku and variant.sku rejected, and "a GTIN needs its variant's
    variant.sku" beside them)."""
    _dictionary(engine)
    rows = _variant_rows(sku__1="J-1 ", variant_sku__1="J-1-M  ", variant_gtin__1="4065000009992 ")
    report = _import_rows(engine, rows, tmp_path)
    assert (report.imported, report.rejected) == (1, [])
    _, variants, _ = _models_and_variants(engine)
    assert [(v[0], v[1], v[3]) for v in variants if v[1] == "J-1"] == [
        ("J-1-L", "J-1", "4065000009985"),
        ("J-1-M", "J-1", "4065000009992"),
    ]


def test_a_gtin_beside_a_variant_sku_that_cannot_be_read_is_not_told_it_needs_one(
    engine: Engine, tmp_path: Path
) -> None:
    """The variant.sku cell is there but malformed: its own problem is the one finding of the row."""
    _dictionary(engine)
    report = _import_rows(engine, _variant_rows(variant_sku__2="J-1 L"), tmp_path)
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (3, "variant.sku", "expected 1 to 64 letters, digits, '-', '_' or '.', got 'J-1 L'")
    ]
    # With the variant.sku cell empty, the GTIN still says what it needs.
    report = _import_rows(engine, _variant_rows(variant_sku__2=""), tmp_path, dry_run=True)
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (3, "variant.gtin", "a GTIN needs a variant.sku on its row: give it one (it may equal the sku) or leave the "
                            "GTIN empty")
    ]  # fmt: skip


def test_a_upc_that_lost_its_leading_zero_is_read_with_it_and_is_one_gtin_with_the_zero(
    engine: Engine, tmp_path: Path
) -> None:
    """12345678905 (a CSV written by Excel, the UPC 012345678905 taken for a number) is read as 012345678905; the
    same article written with its zero in the next row is the same GTIN, refused there."""
    _dictionary(engine)
    report = _import_rows(engine, _variant_rows(variant_gtin__1="12345678905"), tmp_path)
    assert report.rejected == []
    _, variants, _ = _models_and_variants(engine)
    assert [(v[0], v[3]) for v in variants if v[1] == "J-1"] == [("J-1-L", "4065000009985"), ("J-1-M", "012345678905")]
    twice = _import_rows(engine, _variant_rows(variant_gtin__1="012345678905", variant_gtin__2="12345678905"), tmp_path)
    assert [(r.row, r.column, r.reason) for r in twice.rejected] == [
        (3, "variant.gtin", "GTIN 012345678905 is already variant J-1-M's (row 2): one per article")
    ]


def test_a_upc_and_its_ean_13_with_a_zero_in_front_are_one_article_in_the_file_and_against_the_catalog(
    engine: Engine, tmp_path: Path
) -> None:
    _dictionary(engine)
    twice = _import_rows(engine, _variant_rows(variant_gtin__1="012345678905", variant_gtin__2="0012345678905"),
                         tmp_path, dry_run=True)  # fmt: skip
    assert [(r.row, r.column, r.reason) for r in twice.rejected] == [
        (3, "variant.gtin", "GTIN 0012345678905 is already variant J-1-M's (row 2): one per article")
    ]
    assert _import_rows(engine, _variant_rows(variant_gtin__1="012345678905"), tmp_path).rejected == []
    other = _variant_rows(sku__1="J-9", sku__2="J-9", variant_sku__1="J-9-M", variant_sku__2="J-9-L",
                          variant_gtin__1="00012345678905", variant_gtin__2="")  # fmt: skip
    refused = _import_rows(engine, other, tmp_path, dry_run=True)
    assert [(r.row, r.column, r.reason) for r in refused.rejected] == [
        (2, "variant.gtin", "GTIN 00012345678905 belongs to variant J-1-M in the catalog")
    ]


def test_a_number_that_is_no_gtin_even_with_its_zeros_back_says_to_format_the_column_as_text(
    engine: Engine, tmp_path: Path
) -> None:
    _dictionary(engine)
    report = _import_rows(engine, _variant_rows(variant_gtin__2="12345678904"), tmp_path, dry_run=True)
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (3, "variant.gtin", "expected a GTIN of 8, 12, 13 or 14 digits, got '12345678904' (11 digits): it looks like "
         "a number that lost its leading zeros in a spreadsheet, but 012345678904 would need the check digit 5, not "
         "4; format the column as text and type the GTIN with all its digits")
    ]  # fmt: skip


def test_a_upc_typed_as_a_number_in_a_workbook_keeps_its_leading_zero(engine: Engine, tmp_path: Path) -> None:
    """Excel keeps 012345678905 typed into a number cell as 12345678905; 12345678904 so typed is no GTIN."""
    import openpyxl

    _dictionary(engine)
    rows = _variant_rows()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    gtins = [12345678905, 12345678904]
    for row, gtin in zip(rows, gtins, strict=True):
        sheet.append([gtin if column == "variant.gtin" else cell for column, cell in row.items()])
    path = tmp_path / "rows.xlsx"
    book.save(path)
    report = import_file(engine, path)
    assert [(r.row, r.column) for r in report.rejected] == [(3, "variant.gtin")]
    assert (
        "got '12345678904' (11 digits): it looks like a number that lost its leading zeros" in report.rejected[0].reason
    )
    assert "format the column as text" in report.rejected[0].reason
    _, variants, _ = _models_and_variants(engine)
    assert [(v[0], v[3]) for v in variants if v[1] == "J-1"] == [("J-1-M", "012345678905")]


@given(st.lists(st.integers(0, 9), min_size=7, max_size=11), st.integers(1, 4))
def test_a_gtin_without_its_leading_zeros_is_read_with_them_when_its_check_digit_is_right(
    digits: list[int], zeros: int
) -> None:
    """GS1 counts the check digit from the right, so a GTIN-8 or -12 that lost its leading zeros (7 digits, 9 to
    11) keeps its check digit: read with the zeros back, and any other last digit is refused with the advice."""
    from advisor.catalog.validate import _gtin

    body = "".join(map(str, digits))
    if len(body) + 1 not in (8, 12):
        return
    body = "0" * min(zeros, len(body) - 6) + body[min(zeros, len(body) - 6) :]
    good = body + str(gtin_check_digit(body))
    shortened = good.lstrip("0")
    if len(shortened) not in (7, 9, 10, 11):
        return
    read = _gtin(shortened)
    assert len(read) == (8 if len(shortened) == 7 else 12)
    assert read.rjust(14, "0") == good.rjust(14, "0")  # one GTIN, as GS1 writes it in 14 places
    for wrong in set(range(10)) - {int(good[-1])}:
        with pytest.raises(ValueError, match="lost its leading zeros in a spreadsheet.*format the column as text"):
            _gtin(shortened[:-1] + str(wrong))
