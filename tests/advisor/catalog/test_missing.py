"""An import names the catalog's products that the file no longer has, and removes them with --remove-missing;
a title above the header row is skipped; a rejected duplicate row of a product without variants adds no note."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from advisor.catalog.importer import import_file
from advisor.catalog.store import ImportReport, Missing, export_products
from advisor.recommend.index import build_index
from tests.advisor.catalog.excel_files import excel_csv, german_rows, workbook
from tests.helpers.catalog import tent, with_dictionary

ADVISOR = [sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())"]


def _import(engine: Engine, path: Path, **options: Any) -> ImportReport:
    report = import_file(engine, path, **options)
    assert isinstance(report, ImportReport)
    return report


def _tents(*numbers: int) -> list[dict[str, Any]]:
    return [tent(sku=f"T-{n}", name={"de": f"Zugspitz {n}", "en": f"Zugspitz {n}"}) for n in numbers]


def _skus(engine: Engine) -> list[str]:
    return [product["sku"] for product in export_products(engine)]


def _recommended(engine: Engine) -> list[str]:
    return sorted(product.sku for product in build_index(engine).categories["tents"].products)


def test_a_product_the_file_no_longer_has_is_named_and_stays(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    _import(engine, workbook(tmp_path / "v1.xlsx", _tents(1, 2, 3)))

    report = _import(engine, workbook(tmp_path / "v2.xlsx", _tents(1, 2)))

    assert report.missing == [Missing("T-3", "Zugspitz 3", "tents")]
    assert (report.imported, report.updated, report.removed) == (0, 2, 0)
    assert _skus(engine) == ["T-1", "T-2", "T-3"]
    assert report.as_json()["missing"] == [{"sku": "T-3", "name": "Zugspitz 3", "category": "tents"}]


def test_remove_missing_takes_them_out_and_recommendations_no_longer_show_them(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    _import(engine, workbook(tmp_path / "v1.xlsx", _tents(1, 2, 3)))
    v2 = workbook(tmp_path / "v2.xlsx", _tents(1, 2))

    dry = _import(engine, v2, dry_run=True, remove_missing=True)
    assert (dry.missing, dry.removed) == ([Missing("T-3", "Zugspitz 3", "tents")], 1)
    assert _skus(engine) == ["T-1", "T-2", "T-3"]  # a dry run removes nothing

    report = _import(engine, v2, remove_missing=True)

    assert (report.removed, report.written) == (1, True)
    assert _skus(engine) == ["T-1", "T-2"]
    assert _recommended(engine) == ["T-1", "T-2"]
    assert report.as_json()["removed"] == 1


def test_remove_missing_removes_nothing_while_a_row_is_rejected(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    _import(engine, workbook(tmp_path / "v1.xlsx", _tents(1, 2, 3)))
    rows = german_rows(_tents(1, 2))
    rows[2][rows[0].index("price")] = "teuer"  # T-2's price

    report = _import(engine, excel_csv(tmp_path / "v2.csv", rows), remove_missing=True)

    assert report.rejected_rows == 1
    assert (report.missing, report.removed) == ([Missing("T-3", "Zugspitz 3", "tents")], 0)
    assert _skus(engine) == ["T-1", "T-2", "T-3"]


def test_a_rejected_rows_product_is_not_missing(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    _import(engine, workbook(tmp_path / "v1.xlsx", _tents(1, 2)))
    rows = german_rows(_tents(1, 2))
    rows[2][rows[0].index("price")] = "teuer"

    assert _import(engine, excel_csv(tmp_path / "v2.csv", rows), remove_missing=True).missing == []


def test_a_product_refused_for_its_photo_is_not_missing(engine: Engine, tmp_path: Path) -> None:
    """A row refused because the photo folder lacks its picture is still in the file: not named as missing."""
    with_dictionary(engine)
    _import(engine, workbook(tmp_path / "v1.xlsx", _tents(1, 2)))
    photos = tmp_path / "Fotos"
    photos.mkdir()
    tents = _tents(1, 2)
    tents[0]["image"], tents[1]["image"] = None, "zelt-zwei.png"

    report = _import(engine, workbook(tmp_path / "v2.xlsx", tents), images=photos)

    assert [(rejection.row, rejection.column) for rejection in report.rejected] == [(3, "image")]
    assert report.missing == []


def test_the_command_says_what_becomes_of_the_missing_products(tmp_path: Path) -> None:
    env = dict(os.environ, ADVISOR_DATABASE_URL=f"sqlite:///{tmp_path / 'catalog.sqlite3'}")
    into = f"into sqlite:///{tmp_path / 'catalog.sqlite3'}"

    def run(path: Path, *options: str) -> list[str]:
        command = [*ADVISOR, "catalog", "import", str(path), *options]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
        return [line for line in done.stdout.splitlines() if not line.startswith("row ")]

    run(workbook(tmp_path / "v1.xlsx", _tents(1, 2, 3, 4)))
    v2 = workbook(tmp_path / "v2.xlsx", _tents(1, 2))
    v2_changed = workbook(tmp_path / "v2b.xlsx", [*_tents(1), tent(sku="T-2", price=199.95, name=_tents(2)[0]["name"])])

    assert run(v2_changed, "--dry-run")[1:] == [
        f"{v2_changed}: dry run, nothing changed: would import 0 new, 1 updated, 1 unchanged, 0 row(s) rejected "
        "(0 cell(s))",
        f"{v2_changed}: 2 product(s) of category tents not in this file: T-3 Zugspitz 3, T-4 Zugspitz 4; if the file "
        "is the whole assortment, import it with --remove-missing to take them out",
    ]
    assert run(v2, "--dry-run", "--remove-missing")[2:] == [
        f"{v2}: would remove 2 product(s) of category tents that the file does not contain: T-3 Zugspitz 3, "
        "T-4 Zugspitz 4",
    ]
    assert run(v2)[1:] == [
        f"{v2}: imported 0 new, 2 updated, 0 row(s) rejected (0 cell(s)) {into}",
        f"{v2}: 2 product(s) of category tents not in this file: T-3 Zugspitz 3, T-4 Zugspitz 4; if the file is the "
        "whole assortment, import it with --remove-missing to take them out",
    ]
    assert run(v2, "--remove-missing")[1:] == [
        f"{v2}: imported 0 new, 2 updated, 2 removed, 0 row(s) rejected (0 cell(s)) {into}",
        f"{v2}: removed 2 product(s) of category tents that the file does not contain: T-3 Zugspitz 3, T-4 Zugspitz 4",
    ]
    assert run(v2)[1:] == [f"{v2}: imported 0 new, 2 updated, 0 row(s) rejected (0 cell(s)) {into}"]


def _titled(path: Path, records: list[dict[str, Any]]) -> Path:
    """A workbook as an ERP exports it: a merged title above the header row."""
    import openpyxl

    workbook(path, records)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    sheet.insert_rows(1)
    sheet["A1"] = "Artikelexport Zelte – Stand 01.12.2026"
    sheet.merge_cells("A1:H1")
    book.save(path)
    return path


def test_a_title_above_the_header_is_skipped_and_said(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    records = _tents(1, 2)
    records[1]["price"] = -5  # so that a problem names its row

    report = _import(engine, _titled(tmp_path / "titel.xlsx", records))

    assert report.unusable == []
    assert report.read_as == "xlsx sheet 'Produkte', header read from row 2 (row 1 skipped as a title), typed numbers"
    assert [rejection.row for rejection in report.rejected] == [4]
    assert _skus(engine) == ["T-1"]


def test_a_title_line_above_a_csv_header_is_skipped(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    rows = german_rows(_tents(1, 2))
    path = excel_csv(tmp_path / "titel.csv", [["Artikelexport Zelte"] + [""] * (len(rows[0]) - 1), [""] * 3, *rows])

    report = _import(engine, path)

    assert report.unusable == [] and report.rejected == []
    assert report.read_as is not None and "header read from row 3 (row 1 skipped as a title)" in report.read_as
    assert _skus(engine) == ["T-1", "T-2"]


def test_a_header_without_the_required_columns_is_still_named_in_its_row(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    rows = german_rows(_tents(1))
    sku = rows[0].index("sku")
    rows[0][sku] = "Artikel"

    report = _import(engine, excel_csv(tmp_path / "ohne.csv", rows))

    assert report.unusable[0].row == 1
    assert report.unusable[0].reason.startswith("missing required column(s): sku")


def test_a_rejected_row_notes_kept_variants_only_for_a_product_with_variants(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    header, one, two = german_rows(_tents(1, 2))
    rows = [[*header, "variant.sku"], [*one, "T-1-A"], [*one, "T-1-B"], [*two, ""]]
    assert _import(engine, excel_csv(tmp_path / "v1.csv", rows)).rejected == []
    typo = [*one, "T-1-B"]
    typo[header.index("price")] = "teuer"

    report = _import(engine, excel_csv(tmp_path / "v2.csv", [*rows[:2], typo, rows[3], rows[3]]))

    assert [(rejection.row, rejection.column) for rejection in report.rejected] == [(3, "price"), (5, "sku")]
    assert report.notes == [
        "T-1: row 3 is rejected, so no variant of it is removed; that row's variant stays as the catalog has it"
    ]  # T-2, one article, has no variant to keep: its duplicate row 5 adds no note
