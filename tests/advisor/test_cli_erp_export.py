"""A merchandiser's first import of an ERP export (the headlamp finder's QA walk): a title row above the ERP's own
column names, no --columns yet. The command names the unknown columns with the --columns hint and stops (exit 2),
rather than failing with a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.cli import main


@pytest.fixture(autouse=True)
def own_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ADVISOR_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("ADVISOR_DATABASE_URL", f"sqlite:///{tmp_path / 'catalog.sqlite3'}")


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _import(path: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, list[str]]:
    code = main(["catalog", "import", str(path), "--dry-run", *options])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err, captured.err
    return code, captured.out.splitlines()


def test_a_title_above_erp_column_names_gives_the_header_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _sheet(tmp_path / "Min.xlsx", [["Artikelexport"], ["Artikelnummer", "Preis"], ["HL-001", "49,95"]])

    code, lines = _import(path, capsys)

    assert code == 2
    assert lines[0].startswith(
        f"{path}: read as: xlsx sheet 'Sheet', header read from row 2 (row 1 skipped as a title)"
    )
    assert lines[2:] == [
        f"{path}: row 2: missing required column(s): sku, category, brand, name.de, name.en, price",
        f"{path}: row 2, column Artikelnummer: column A: unknown column 'Artikelnummer' (see docs/catalog-format.md); "
        "a file's own column names are mapped with --columns",
        f"{path}: row 2, column Preis: column B: unknown column 'Preis' (see docs/catalog-format.md); a file's own "
        "column names are mapped with --columns",
    ]


def test_rows_rejected_in_a_file_without_an_sku_column_are_said_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # (the header names two columns, the rows fill three: each row is rejected, and none has an sku to be known by)
    rows: list[list[object]] = [["Artikelnummer", "Preis"], ["HL-001", "49,95", "EG"], ["HL-002", "59,95", "EG"]]
    path = _sheet(tmp_path / "Schmal.xlsx", rows)

    code, lines = _import(path, capsys)

    assert code == 2
    assert (
        f"{path}: row 1, column Artikelnummer: column A: unknown column 'Artikelnummer' (see docs/catalog-format.md); "
        "a file's own column names are mapped with --columns" in lines
    )
    assert "row 2 (no sku): rejected" in lines
    assert f"  {path}: row 2: has a value in column C, right of the last named column" in lines


_ERP_CSV = "Artikelnummer;Warengruppe;VK-Preis\r\nHL-001;Stirnlampen;49,95\r\n"


@pytest.mark.parametrize("options", [("--delimiter", ";"), ()], ids=["separator given", "separator detected"])
def test_a_semicolon_csv_of_erp_column_names_names_its_unknown_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: tuple[str, ...]
) -> None:
    path = tmp_path / "German.csv"
    path.write_text(_ERP_CSV, encoding="utf-8")

    code, lines = _import(path, capsys, *options)

    assert code == 2
    assert lines[0].startswith(f"{path}: read as: semicolon-separated")
    assert not any("does not split" in line for line in lines), lines
    assert lines[2:] == [
        f"{path}: row 1: missing required column(s): sku, category, brand, name.de, name.en, price",
        *(
            f"{path}: row 1, column {name}: column {letter}: unknown column '{name}' (see docs/catalog-format.md); a "
            "file's own column names are mapped with --columns"
            for letter, name in zip("ABC", ("Artikelnummer", "Warengruppe", "VK-Preis"), strict=True)
        ),
    ]


def test_a_title_line_above_a_semicolon_csv_of_erp_column_names_is_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "GermanTitle.csv"
    path.write_text("Artikelexport Stirnlampen;;\r\n" + _ERP_CSV, encoding="utf-8")

    code, lines = _import(path, capsys)

    assert code == 2
    assert "header read from row 2 (row 1 skipped as a title)" in lines[0]
    assert lines[3] == (
        f"{path}: row 2, column Artikelnummer: column A: unknown column 'Artikelnummer' (see docs/catalog-format.md); "
        "a file's own column names are mapped with --columns"
    )
