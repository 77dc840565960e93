"""What a merchandiser met importing children's sleeping bags from the ERP's Excel: a variant's row put apart from
its model's rows (and leaving the model's cells empty, as the rows under the model may), a category file without
the category's word for one product, and a GTIN in a row without a variant.sku."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from advisor.catalog import formats
from advisor.catalog.importer import import_file
from advisor.i18n import counted
from advisor.recommend.core import category_noun
from advisor.recommend.index import build_index
from tests.advisor.catalog.test_variants import _dictionary, _import_rows, _variant_rows

_APART = "J-1 already appears in row 2: a product's rows follow one another, each variant with its own variant.sku"
_MODEL_CELLS = ("category", "brand", "name.de", "name.en")


def _apart_row(variant: str, *, empty: tuple[str, ...] = _MODEL_CELLS) -> list[dict[str, str]]:
    """J-1 in rows 2 and 3 (J-1-M, J-1-L), J-2 in row 4, and in row 5 a row of J-1 again (variant `variant`) with
    the `empty` cells left empty, as the rows right under a model may leave them."""
    medium, large = _variant_rows()
    other = {**large, "sku": "J-2", "variant.sku": "J-2-L", "variant.gtin": "", "name.de": "Jacke 2"}
    apart = {**medium, "variant.sku": variant, "variant.gtin": "", "attributes.sizes": "S"}
    apart.update(dict.fromkeys(empty, ""))
    return [medium, large, other, apart]


@pytest.mark.parametrize("chunk_rows", [1, 5000], ids=["a batch a row", "one batch"])
def test_a_variant_row_apart_from_its_model_with_the_model_cells_left_empty_is_told_where_it_belongs(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_rows: int
) -> None:
    """Before: "is required" for category, brand, name.de and name.en, and nothing about J-1 or its variant."""
    monkeypatch.setattr(formats, "CHUNK_ROWS", chunk_rows)
    _dictionary(engine)

    report = _import_rows(engine, _apart_row("J-1-M"), tmp_path, dry_run=True)

    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (5, "sku", _APART),
        (5, "variant.sku", "variant J-1-M already appears in row 2"),
    ]


def test_a_new_variant_apart_from_its_model_is_told_that_a_products_rows_follow_one_another(
    engine: Engine, tmp_path: Path
) -> None:
    _dictionary(engine)

    report = _import_rows(engine, _apart_row("J-1-S"), tmp_path, dry_run=True)

    assert [(r.row, r.column, r.reason) for r in report.rejected] == [(5, "sku", _APART)]
    assert report.notes == ["J-1: row 5 is rejected, so variant J-1-S is not in the catalog until row 5 is fixed"]


def test_the_model_attributes_left_empty_apart_are_the_rows_place_but_a_bad_cell_is_still_told(
    engine: Engine, tmp_path: Path
) -> None:
    """The category given, the model's attributes left empty: not "is required for this category" for each; a
    price the row gets wrong is the row's own problem."""
    _dictionary(engine)
    rows = _apart_row("J-1-S", empty=("attributes.waterproof_mm", "attributes.layers", "attributes.fit"))
    rows[3]["price"] = "19x"

    report = _import_rows(engine, rows, tmp_path, dry_run=True)

    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (5, "sku", _APART),
        (5, "price", "expected a price like 349.95 (read as English numbers), got '19x'"),
    ]


def test_a_new_product_without_its_category_brand_and_names_is_still_told_they_are_required(
    engine: Engine, tmp_path: Path
) -> None:
    _dictionary(engine)
    rows = _apart_row("J-1-S")
    rows[3]["sku"] = "J-9"

    report = _import_rows(engine, rows, tmp_path, dry_run=True)

    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (5, column, "is required") for column in _MODEL_CELLS
    ]


def test_the_rows_right_under_the_model_still_leave_its_cells_empty(engine: Engine, tmp_path: Path) -> None:
    _dictionary(engine)
    medium, large = _variant_rows()
    large.update(dict.fromkeys(_MODEL_CELLS, ""))

    report = _import_rows(engine, [medium, large], tmp_path, dry_run=True)

    assert (report.imported, report.rejected) == (1, [])


def _sleeping_bags_file(tmp_path: Path, **category: Any) -> Path:
    """A store's category file for sleeping bags with a colour that varies, as the merchandiser wrote it."""
    colour = {"name": "colour", "type": "enum", "label": {"de": "Farbe", "en": "Colour"},
              "values": ["red", "blue"], "varies": True}  # fmt: skip
    path = tmp_path / "kategorien.json"
    entry = {"id": "sleeping_bags", "label": {"de": "Schlafsäcke", "en": "Sleeping bags"}, **category,
             "attributes": [colour]}  # fmt: skip
    path.write_text(json.dumps({"format_version": 1, "categories": [entry]}), encoding="utf-8")
    return path


def _one_fits(engine: Engine) -> str:
    """What the shopper reads when one sleeping bag fits."""
    index = build_index(engine).categories["sleeping_bags"]
    return counted("question.live_count", 1, "de", category=category_noun(index, "de", 1))


def test_a_category_file_without_one_keeps_the_categorys_word_for_one_product(engine: Engine, tmp_path: Path) -> None:
    """Before: the word was taken out, and the shopper read "1 Produkt passt"."""
    _dictionary(engine)
    assert _one_fits(engine) == "1 Schlafsack passt"

    import_file(engine, _sleeping_bags_file(tmp_path))

    assert _one_fits(engine) == "1 Schlafsack passt"


def test_a_category_files_one_replaces_the_word_and_null_takes_it_out(engine: Engine, tmp_path: Path) -> None:
    _dictionary(engine)

    import_file(engine, _sleeping_bags_file(tmp_path, one={"de": "Kinderschlafsack", "en": "Kids' sleeping bag"}))
    assert _one_fits(engine) == "1 Kinderschlafsack passt"

    import_file(engine, _sleeping_bags_file(tmp_path, one=None))
    assert _one_fits(engine) == "1 Produkt passt"


def test_a_gtin_without_a_variant_sku_says_what_to_do(engine: Engine, tmp_path: Path) -> None:
    _dictionary(engine)
    medium, _ = _variant_rows()
    alone = {**medium, "sku": "J-3", "variant.sku": ""}

    report = _import_rows(engine, [alone], tmp_path, dry_run=True)

    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (2, "variant.gtin", "a GTIN needs a variant.sku on its row: give it one (it may equal the sku) or leave the "
                            "GTIN empty")
    ]  # fmt: skip
    report = _import_rows(engine, [{**alone, "variant.sku": "J-3"}], tmp_path, dry_run=True)
    assert (report.imported, report.rejected) == (1, [])


def test_a_gtin_column_without_a_variant_sku_column_says_to_add_one(engine: Engine, tmp_path: Path) -> None:
    _dictionary(engine)
    medium, _ = _variant_rows()
    del medium["variant.sku"]

    report = _import_rows(engine, [{**medium, "sku": "J-3"}], tmp_path, dry_run=True)

    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (2, "variant.gtin", "a GTIN needs a variant.sku on its row: add a variant.sku column and give the row one (it "
                            "may equal the sku), or leave the GTIN empty")
    ]  # fmt: skip
