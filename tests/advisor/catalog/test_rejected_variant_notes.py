"""A merchandiser's export with a model of three variant rows, two of them rejected (one for a model field that
differs from the model's first row, one for its cells): each rejected row gets its note, on the first import of
the model and on every one after, in the text and in the dry run's JSON. And a category written as its label."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.advisor.catalog.test_variants import _dictionary, _import_rows, _models_and_variants, _variant_rows

NOTES = [
    "J-1: row 3 is rejected, so variant J-1-L is not in the catalog until row 3 is fixed",
    "J-1: row 4 is rejected, so variant J-1-XL is not in the catalog until row 4 is fixed",
]


def _three_variants() -> list[dict[str, str]]:
    """J-1-M good; J-1-L with another weight than the model's first row (a model field); J-1-XL with a GTIN that is
    too short and a word in a number cell."""
    first, second = _variant_rows()
    second["attributes.weight_g"] = "410"
    third = {**first, "variant.sku": "J-1-XL", "variant.gtin": "4006381333", "attributes.sizes": "XL",
             "attributes.weight_g": "zwei"}  # fmt: skip
    return [first, second, third]


@pytest.mark.parametrize("catalog", ["sample catalog", "empty catalog"])
@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry run"])
def test_each_rejected_variant_row_of_a_new_model_has_its_note(
    engine: Engine, tmp_path: Path, catalog: str, dry_run: bool
) -> None:
    """The model is new: the first import already says which of its variants are missing, one note a row (before:
    none at all), whatever the row was rejected for."""
    if catalog == "sample catalog":
        _dictionary(engine)

    report = _import_rows(engine, _three_variants(), tmp_path, dry_run=dry_run)

    assert [(r.row, r.column) for r in report.rejected] == [
        (3, "attributes.weight_g"), (4, "attributes.weight_g"), (4, "variant.gtin")
    ]  # fmt: skip
    assert report.notes == NOTES
    assert report.as_json()["notes"] == NOTES


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry run"])
def test_each_rejected_variant_row_has_its_note_on_the_next_import_too(
    engine: Engine, tmp_path: Path, dry_run: bool
) -> None:
    """The second import of the same file: the row rejected for differing from the model's first row is named too,
    not only the first rejected row of the model (before: only row 4's note)."""
    _dictionary(engine)
    rows = _three_variants()
    _import_rows(engine, rows, tmp_path)

    again = _import_rows(engine, rows, tmp_path, dry_run=dry_run)

    assert again.notes == NOTES
    assert again.as_json()["notes"] == NOTES
    _, variants, _ = _models_and_variants(engine)
    assert [v[0] for v in variants if v[1] == "J-1"] == ["J-1-M"]


def test_each_rejected_row_of_a_known_variant_says_it_stays(engine: Engine, tmp_path: Path) -> None:
    """Both variants in the catalog, both rows then rejected for a typing error while a third row is taken: a note
    for each, that its variant stays as the catalog has it."""
    _dictionary(engine)
    first, second = _variant_rows()
    assert _import_rows(engine, [first, second], tmp_path).rejected == []
    small = {**first, "variant.sku": "J-1-S", "variant.gtin": "", "attributes.sizes": "S"}

    report = _import_rows(engine, [small, {**first, "price": "teuer"}, {**second, "price": "teuer"}], tmp_path)

    assert report.notes == [
        f"J-1: row {row} is rejected, so no variant of it is removed; that row's variant stays as the catalog has it"
        for row in (3, 4)
    ]
    _, variants, _ = _models_and_variants(engine)
    assert sorted(v[0] for v in variants if v[1] == "J-1") == ["J-1-L", "J-1-M", "J-1-S"]


def test_a_second_row_of_an_imported_variant_is_not_told_missing(engine: Engine, tmp_path: Path) -> None:
    """A row that repeats a variant another row imports is rejected, but its variant is in the catalog: a new model
    gets no note for it (it would say the variant is missing); a known model, whose other variants the file no
    longer lists, is told that none is removed."""
    first, second = _variant_rows()
    report = _import_rows(engine, [first, second, second], tmp_path, dry_run=True)
    assert [(r.row, r.column) for r in report.rejected] == [(4, "variant.sku")]
    assert report.notes == []

    _dictionary(engine)
    assert _import_rows(engine, [first, second], tmp_path).rejected == []
    report = _import_rows(engine, [first, first], tmp_path)
    assert [(r.row, r.column) for r in report.rejected] == [(3, "variant.sku")]
    assert report.notes == ["J-1: row 3 is rejected, so no variant of it is removed"]
    _, variants, _ = _models_and_variants(engine)
    assert sorted(v[0] for v in variants if v[1] == "J-1") == ["J-1-L", "J-1-M"]


# -- the category column ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["Regenjacken", "regenjacken", "Rain jackets", "RAIN JACKETS"])
def test_a_category_may_be_written_as_its_label_in_any_locale(engine: Engine, tmp_path: Path, cell: str) -> None:
    """A shop's Excel names its product groups as the kiosk does: a category's label, German or English, in any
    case, is that category (before: "unknown category 'Regenjacken'")."""
    _dictionary(engine)
    report = _import_rows(engine, _variant_rows(category__1=cell, category__2=cell), tmp_path)
    assert (report.imported, report.rejected) == (1, [])
    _, variants, _ = _models_and_variants(engine)
    assert sorted(v[0] for v in variants if v[1] == "J-1") == ["J-1-L", "J-1-M"]
    with engine.connect() as connection:
        category = connection.execute(sa.text("SELECT category_id FROM product WHERE sku = 'J-1'")).scalar()
    assert category == "rain_jackets"


@pytest.mark.parametrize(
    ("cell", "hint"),
    [
        ("Regenjacke", " (did you mean rain_jackets (Regenjacken)?)"),
        ("Rucksack", " (did you mean backpacks (Rucksäcke)?)"),
    ],
)
def test_a_category_that_is_neither_says_which_one_it_is_close_to(
    engine: Engine, tmp_path: Path, cell: str, hint: str
) -> None:
    _dictionary(engine)
    report = _import_rows(engine, _variant_rows(category__1=cell, category__2=cell), tmp_path)
    known = "backpacks, care, rain_jackets, sleeping_bags, spare_parts, tents"
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (row, "category", f"unknown category {cell!r}; known: {known}{hint}") for row in (2, 3)
    ]
