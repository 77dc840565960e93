"""What a merchandiser importing a German Excel workbook is told about cells Excel changed: dates made of typed
numbers, a header hidden under a merged cell, grams in a kg column."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
from sqlalchemy.engine import Engine

from advisor.catalog.importer import import_file
from advisor.catalog.store import ImportReport
from tests.advisor.catalog.excel_files import workbook
from tests.helpers.catalog import tent, with_dictionary


def _import(engine: Engine, path: Path) -> ImportReport:
    with_dictionary(engine)
    report = import_file(engine, path)
    assert isinstance(report, ImportReport)
    return report


def _edited(path: Path) -> tuple[openpyxl.Workbook, list[str]]:
    """A workbook of two tents, opened to change cells as the merchandiser did; and its header."""
    workbook(path, [tent(sku="T-1"), tent(sku="T-2")])
    book = openpyxl.load_workbook(path)
    return book, [cell.value for cell in book.active[1]]


def test_a_date_excel_made_of_a_typed_number_is_named_as_the_date_it_shows(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "Artikel.xlsx"
    book, header = _edited(path)
    sheet = book.active
    for row, column in ((2, "attributes.weight_kg"), (3, "attributes.tent_type")):
        cell = sheet.cell(row, header.index(column) + 1)
        cell.value, cell.number_format = datetime(2026, 2 if row == 2 else 1, 1), "DD.MM.YYYY"
    book.save(path)

    report = _import(engine, path)

    assert [(rejection.row, rejection.column, rejection.reason) for rejection in report.rejected] == [
        (2, "attributes.weight_kg", "the cell holds the date 01.02.2026 (Excel probably made it of a number or text "
         "typed as 1.2 or 1,2): format the column as text (or as a number) and type the value again"),
        (3, "attributes.tent_type", "the cell holds the date 01.01.2026 (Excel probably made it of a number or text "
         "typed as 1.1 or 1,1): format the column as text (or as a number) and type the value again"),
    ]  # fmt: skip


def test_a_header_under_a_merged_cell_is_named_as_merged_and_no_other_sheet_is_suggested(
    engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "Artikel.xlsx"
    book, header = _edited(path)
    sheet = book.active
    sheet.title = "Artikel"
    german, english = header.index("name.de") + 1, header.index("name.en") + 1
    assert english == german + 1
    sheet.cell(1, german).value, sheet.cell(1, english).value = "Bezeichnung", None
    sheet.merge_cells(start_row=1, start_column=german, end_row=1, end_column=english)
    book.create_sheet("Hinweise").append(["Bitte alle Spalten ausfüllen"])
    book.save(path)

    report = _import(engine, path)

    reasons = [problem.reason for problem in report.unusable]
    first, second = (openpyxl.utils.get_column_letter(column) for column in (german, english))
    assert (
        f"{second}1 is part of the merged cell {first}1:{second}1 ('Bezeichnung'): unmerge it and name column "
        f"{second}" in reasons
    )
    assert not any("has no name" in reason or "--sheet" in reason for reason in reasons), reasons
    assert not report.written


def test_a_sheet_without_products_columns_still_suggests_the_products_sheet(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "Artikel.xlsx"
    book, _ = _edited(path)
    notes = book.create_sheet("Hinweise", 0)
    notes.append(["Bitte alle Spalten ausfüllen"])
    book.save(path)

    report = _import(engine, path)

    assert any("name the products' sheet with --sheet NAME" in problem.reason for problem in report.unusable)


def test_grams_in_a_kg_column_are_named_as_the_kilograms_they_would_be(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "Artikel.xlsx"
    book, header = _edited(path)
    book.active.cell(2, header.index("attributes.weight_kg") + 1).value = 1250
    book.save(path)

    report = _import(engine, path)

    (rejection,) = report.rejected
    assert rejection.column == "attributes.weight_kg"
    assert rejection.reason.endswith("; 1250 g would be 1.25 kg")


def test_grams_written_with_their_unit_are_named_as_kilograms_at_once(engine: Engine, tmp_path: Path) -> None:
    # "write the number alone, without 'g'" led to "1250 is outside …": two rounds for one cell.
    path = tmp_path / "Artikel.xlsx"
    book, header = _edited(path)
    book.active.cell(2, header.index("attributes.weight_kg") + 1).value = "1250 g"
    book.save(path)

    (rejection,) = _import(engine, path).rejected
    assert rejection.reason.endswith("got '1250 g': 1250 g would be 1.25 kg; write 1.25")


def test_a_header_merged_over_the_last_column_still_imports(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "Artikel.xlsx"
    book, header = _edited(path)
    sheet = book.active
    sheet.merge_cells(start_row=1, start_column=len(header), end_row=1, end_column=len(header) + 1)
    book.save(path)

    report = _import(engine, path)

    assert report.unusable == [] and report.rejected == []
    assert report.imported == 2
