"""A German Excel CSV with one row per variant, as a merchandiser edits it: a copied row whose size was changed but
not its variant.sku is told so (and that its variant is not in the catalog until it is fixed); a model field that
differs between a model's rows is said with the numbers as the file writes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from advisor.catalog.importer import import_file
from advisor.catalog.store import ImportReport
from advisor.catalog.validate import flatten_record
from tests.advisor.catalog.excel_files import excel_csv, german
from tests.advisor.catalog.test_variants import _dictionary, _models_and_variants, _variant_rows
from tests.helpers.catalog import tent


def _import_german(
    engine: Engine, rows: list[dict[str, str]], tmp_path: Path, *, dry_run: bool = False
) -> ImportReport:
    """The rows as German Excel saves them (semicolons, decimal commas), imported."""
    header = list(dict.fromkeys(column for row in rows for column in row))
    cells = [header, *([german(column, row.get(column, "")) for column in header] for row in rows)]
    report = import_file(engine, excel_csv(tmp_path / "Artikel.csv", cells), dry_run=dry_run)
    assert isinstance(report, ImportReport)
    return report


def _copied_l_row() -> list[dict[str, str]]:
    """J-1-M in row 2, and row 3 a copy of it with its size changed to L but not its variant.sku (nor its GTIN)."""
    medium, _ = _variant_rows()
    return [medium, {**medium, "attributes.sizes": "L", "variant.gtin": ""}]


@pytest.mark.parametrize("catalog", ["sample catalog", "empty catalog"])
@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry run"])
def test_a_copied_row_with_another_size_but_the_same_variant_sku_says_so_and_is_noted(
    engine: Engine, tmp_path: Path, catalog: str, dry_run: bool
) -> None:
    """Before: only "variant J-1-M already appears in row 2" and no note, while size L was silently missing."""
    if catalog == "sample catalog":
        _dictionary(engine)

    report = _import_german(engine, _copied_l_row(), tmp_path, dry_run=dry_run)

    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (3, "variant.sku", "variant J-1-M already appears in row 2 (sizes M); this row has sizes L: give it a "
                           "variant.sku of its own"),
    ]  # fmt: skip
    assert report.notes == [
        "J-1: row 3 is rejected, so that row's variant (sizes L) is not in the catalog until row 3 is fixed"
    ]
    if not dry_run:
        _, variants, _ = _models_and_variants(engine)
        assert [v[0] for v in variants if v[1] == "J-1"] == ["J-1-M"]


def test_a_copied_row_whose_options_the_catalog_has_says_that_variant_stays(engine: Engine, tmp_path: Path) -> None:
    """The model is in the catalog with M and L; the file's L row is a copy of M whose variant.sku was not changed:
    the catalog's L stays as it is, and is not removed, and the note says so rather than that L is missing."""
    _dictionary(engine)
    medium, large = _variant_rows()
    assert _import_german(engine, [medium, large], tmp_path).rejected == []

    report = _import_german(engine, _copied_l_row(), tmp_path)

    assert [(r.row, r.column) for r in report.rejected] == [(3, "variant.sku")]
    assert report.notes == [
        "J-1: row 3 is rejected, so no variant of it is removed; that row's variant (sizes L, J-1-L in the catalog) "
        "stays as the catalog has it"
    ]
    _, variants, _ = _models_and_variants(engine)
    assert sorted(v[0] for v in variants if v[1] == "J-1") == ["J-1-L", "J-1-M"]


def test_a_real_repeat_of_a_variant_row_keeps_the_plain_message_and_no_note(engine: Engine, tmp_path: Path) -> None:
    """The same row twice (same size): a repeat, nothing missing from the catalog."""
    medium, large = _variant_rows()

    report = _import_german(engine, [medium, large, {**large, "variant.gtin": ""}], tmp_path)

    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (4, "variant.sku", "variant J-1-L already appears in row 3")
    ]
    assert report.notes == []


def test_a_number_that_differs_from_the_models_first_row_is_written_with_a_decimal_comma(
    engine: Engine, tmp_path: Path
) -> None:
    """Before: "1.4 here, but 1.35 in row 2" in a file whose numbers have decimal commas."""
    cells = flatten_record(tent(sku="T-1"))[0]
    rows = [{**cells, "variant.sku": "T-1-A", "attributes.weight_kg": "1.35"},
            {**cells, "variant.sku": "T-1-B", "attributes.weight_kg": "1.4"}]  # fmt: skip

    report = _import_german(engine, rows, tmp_path)

    assert [(r.row, r.column) for r in report.rejected] == [(3, "attributes.weight_kg")]
    assert report.rejected[0].reason.startswith("1,4 here, but 1,35 in row 2, this model's first row: ")


def test_a_copied_row_whose_options_the_catalog_lacks_is_missing_and_nothing_is_removed(
    engine: Engine, tmp_path: Path
) -> None:
    """The catalog has M and S; the file has M and a copy of M with size L: L is not in the catalog until the row
    is fixed, and S, which the file no longer lists, is not removed meanwhile."""
    _dictionary(engine)
    medium, _ = _variant_rows()
    small = {**medium, "variant.sku": "J-1-S", "variant.gtin": "", "attributes.sizes": "S"}
    assert _import_german(engine, [medium, small], tmp_path).rejected == []

    report = _import_german(engine, _copied_l_row(), tmp_path)

    assert report.notes == [
        "J-1: row 3 is rejected, so that row's variant (sizes L) is not in the catalog until row 3 is fixed; no "
        "variant of it is removed meanwhile"
    ]
    _, variants, _ = _models_and_variants(engine)
    assert sorted(v[0] for v in variants if v[1] == "J-1") == ["J-1-M", "J-1-S"]
