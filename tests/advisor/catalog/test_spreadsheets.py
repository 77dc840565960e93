"""Catalogs as merchandisers save them from Excel: German CSV, "CSV UTF-8", TSV and workbooks, imported without
options, every problem of a file named in one run by row and column."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from advisor.catalog import formats, importer
from advisor.catalog.convert import unneutralise
from advisor.catalog.formats import ReadOptions, read_table
from advisor.catalog.importer import import_file
from advisor.catalog.store import ImportReport, catalog_stats, catalog_version, export_products
from tests.advisor.catalog.excel_files import excel_csv, german_rows, workbook
from tests.helpers.catalog import sample_dictionary, tent, with_dictionary

DICTIONARY = sample_dictionary()
ADVISOR = [sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())"]


def _import(engine: Engine, path: Path, **options: Any) -> ImportReport:
    report = import_file(engine, path, **options)
    assert isinstance(report, ImportReport)
    return report


def _tents(count: int = 3) -> list[dict[str, Any]]:
    return [tent(sku=f"T-{n}", name={"de": f"Kuppelzelt Grün {n}", "en": f"Dome tent green {n}"})
            for n in range(1, count + 1)]  # fmt: skip


def _cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ADVISOR_DATABASE_URL=f"sqlite:///{db}")
    return subprocess.run([*ADVISOR, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def _imported_like_the_json(engine: Engine, records: list[dict[str, Any]]) -> None:
    """The products as stored are exactly the records (the same tents imported from JSON)."""
    exported = {product["sku"]: product for product in export_products(engine)}
    assert sorted(exported) == [record["sku"] for record in records]
    for record in records:
        product = exported[record["sku"]]
        assert product["price"] == record["price"]
        assert product["name"] == record["name"]
        assert product["attributes"] == record["attributes"]
        assert product["repair"]["spare_parts_until"] == record["repair"]["spare_parts_until"]
        assert product["repair"]["repair_service"] is True
        assert product["sustainability"]["pfc_free"] is True
        assert product["stock"] == record["stock"]


def test_german_excel_csv_imports_without_options(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    records = _tents()
    rows = german_rows(records, currency=True)
    path = excel_csv(tmp_path / "Produkte.csv", rows)
    data = path.read_bytes()
    assert b"\r\n" in data and b";" in data and "Grün".encode("cp1252") in data and b"299,95 \x80" in data
    assert b"WAHR" in data and b"31.12.2034" in data and b"1,9;" in data

    report = _import(engine, path)

    assert report.read_as == "semicolon-separated, Windows-1252, German numbers"
    assert (report.imported, report.rejected, report.unusable) == (3, [], [])
    _imported_like_the_json(engine, records)


def test_csv_utf8_with_bom_imports_and_the_output_says_how_it_was_read(tmp_path: Path) -> None:
    records = _tents()
    path = excel_csv(tmp_path / "Produkte UTF-8.csv", german_rows(records), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfsku;")

    result = _cli("catalog", "import", str(path), db=tmp_path / "bom.sqlite3")

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"{path}: read as: semicolon-separated, UTF-8 with BOM, German numbers",
        f"{path}: imported 3 new, 0 updated, 0 row(s) rejected (0 cell(s)) into sqlite:///{tmp_path / 'bom.sqlite3'}",
    ]


def test_tab_separated_text_imports(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    records = _tents(2)
    path = tmp_path / "produkte.tsv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter="\t").writerows(german_rows(records))
    report = _import(engine, path)
    assert report.read_as == "tab-separated, UTF-8, German numbers"
    assert report.imported == 2
    _imported_like_the_json(engine, records)


@pytest.mark.parametrize("serial_dates", [False, True])
def test_a_workbook_made_by_a_spreadsheet_library_imports(engine: Engine, tmp_path: Path, serial_dates: bool) -> None:
    with_dictionary(engine)
    records = _tents()
    path = workbook(tmp_path / "Produkte.xlsx", records, serial_dates=serial_dates)
    report = _import(engine, path)
    assert report.read_as == "xlsx sheet 'Produkte', typed numbers"
    assert (report.imported, report.rejected, report.unusable) == (3, [], [])
    _imported_like_the_json(engine, records)


def test_a_workbook_sheet_is_chosen_by_name(engine: Engine, tmp_path: Path) -> None:
    import openpyxl

    with_dictionary(engine)
    path = workbook(tmp_path / "book.xlsx", _tents(2))
    book = openpyxl.load_workbook(path)
    book.create_sheet("Notizen", 0).append(["nur eine Notiz"])
    book.save(path)
    report = _import(engine, path, options=ReadOptions(sheet="Produkte"))
    assert (report.read_as, report.imported) == ("xlsx sheet 'Produkte', typed numbers", 2)


def test_a_number_typed_as_text_with_a_thousands_point_says_what_it_was_read_as(engine: Engine, tmp_path: Path) -> None:
    """A weight typed as the text '2.350' in a workbook of German numbers (2,35 kg to whoever writes a point) is
    2350: the message shows the number as read and why, and the range as the file writes numbers; a plain
    number out of range is named as written."""
    import openpyxl

    with_dictionary(engine)
    path = workbook(tmp_path / "Zelte.xlsx", _tents(3))
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    sheet.cell(2, header.index("price") + 1).value = "1.299,00"  # text: the file writes German numbers
    sheet.cell(3, header.index("attributes.weight_kg") + 1).value = "2.350"
    sheet.cell(4, header.index("attributes.weight_kg") + 1).value = "31,5"
    book.save(path)

    report = _import(engine, path)

    assert report.read_as == "xlsx sheet 'Produkte', German numbers"
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (3, "attributes.weight_kg", "2.350 was read as 2350 (a point groups thousands in German numbers; for 2.35 "
                                    "write 2,35 with a decimal comma); it is outside 0,3 to 30"),
        (4, "attributes.weight_kg", "31,5 is outside 0,3 to 30"),
    ]  # fmt: skip


def test_seven_bad_rows_among_200_are_named_in_one_run_and_all_or_nothing_changes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    with_dictionary(engine)
    _import(engine, excel_csv(tmp_path / "before.csv", german_rows([tent(sku="KEEP-1")])))
    version = catalog_version(engine)
    rows = german_rows([tent(sku=f"T-{n:03d}") for n in range(1, 201)])
    header = rows[0]

    def spoil(row: int, column: str, text: str) -> None:
        rows[row - 1][header.index(column)] = text  # row as the spreadsheet shows it (the header is row 1)

    spoil(7, "price", "299,955")
    spoil(23, "category", "Zelt")  # (a category's label, Zelte, would be taken)
    spoil(48, "attributes.freestanding", "WAHRR")
    spoil(90, "repair.spare_parts_until", "31.02.2034")
    spoil(121, "attributes.capacity", "zwei")
    spoil(150, "stock.muc-01.quantity", "-3")
    spoil(199, "sku", "t-010")  # T-010 in row 11, typed in lower case
    path = excel_csv(tmp_path / "Produkte.csv", rows)

    report = _import(engine, path, all_or_nothing=True)

    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (7, "price", "299,955 has more than two decimals"),
        (23, "category",
         "unknown category 'Zelt'; known: backpacks, care, rain_jackets, sleeping_bags, spare_parts, tents (did you "
         "mean tents (Zelte)?)"),
        (48, "attributes.freestanding", "expected true or false (or WAHR, FALSCH, ja, nein), got 'WAHRR'"),
        (90, "repair.spare_parts_until", "expected a date like 2032-12-31 or 31.12.2032, got '31.02.2034'"),
        (121, "attributes.capacity", "expected a whole number like 2 or 2 Personen, got 'zwei'"),
        (150, "stock.muc-01.quantity", "-3 is outside 0 to 1.000.000"),
        (199, "sku", "t-010 differs only in case from T-010 in row 11: skus are the same product whatever their "
                     "case; write it as T-010"),
    ]  # fmt: skip
    assert report.rejected_rows == 7
    assert (report.imported, report.written) == (193, False)
    assert [p["sku"] for p in export_products(engine)] == ["KEEP-1"]
    assert catalog_version(engine) == version


def test_the_command_lists_every_bad_row_and_exits_2_when_it_imports_nothing(tmp_path: Path) -> None:
    rows = german_rows([tent(sku=f"T-{n}") for n in range(1, 6)])
    rows[2][rows[0].index("price")] = "12.5"
    rows[4][rows[0].index("attributes.seasons")] = "7"
    rows[4][rows[0].index("care.wash")] = "kochen"
    path = excel_csv(tmp_path / "Produkte.csv", rows)

    result = _cli("catalog", "import", str(path), "--all-or-nothing", db=tmp_path / "cli.sqlite3")

    assert result.returncode == 2  # nothing imported: a script that runs the import tells it from a partial import
    assert result.stdout.splitlines() == [
        f"{path}: read as: semicolon-separated, Windows-1252, German numbers",
        f"{path}: nothing imported (--all-or-nothing): 2 row(s) rejected (3 cell(s)); fix them and import again",
        f"{path}: row 3, column price: expected a price like 349,95 (read as German numbers), got '12.5'",
        f"{path}: row 5, column attributes.seasons: 7 is outside 2 to 4",
        f"{path}: row 5, column care.wash: 'kochen' is not one of: machine_30, machine_40, hand, sponge, no_wash",
    ]


def test_every_problem_of_the_header_and_the_cells_in_one_run(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    rows = german_rows([tent(sku="T-1"), tent(sku="T-2")])
    header = rows[0]
    name_en = header.index("name.en")
    for row in rows:
        del row[name_en]
    header[header.index("brand")] = "Marke"
    header.append("brand")
    header.append("brand")
    rows[1] += ["Nordgrat", "Nordgrat"]
    rows[2] += ["Nordgrat", "Nordgrat"]
    rows[2][header.index("price")] = "viel"
    path = excel_csv(tmp_path / "Produkte.csv", rows)

    report = _import(engine, path)

    last = len(header)
    assert [(p.row, p.column, p.reason) for p in report.unusable] == [
        (1, "", "missing required column(s): name.en"),
        (1, "", f"column 'brand' appears more than once (columns {_letter(last - 1)}, {_letter(last)})"),
        (
            1,
            "Marke",
            "column C: unknown column 'Marke' (see docs/catalog-format.md); a file's own column names are "
            "mapped with --columns",
        ),  # fmt: skip
    ]
    assert [(r.row, r.column) for r in report.rejected] == [(3, "price")]
    assert catalog_stats(engine)["products"] == 0


def _letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def test_a_header_that_no_separator_splits_is_named(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    path = tmp_path / "colons.csv"
    path.write_bytes(b"sku:category:brand:name.de:name.en:price\r\nT-1:tents:N:Zelt:Tent:1\r\n")
    report = _import(engine, path)
    assert [(p.row, p.reason) for p in report.unusable] == [
        (1, "the first row does not split into the columns sku, category, brand, ... with any of , ; tab |. It reads "
            "'sku:category:brand:name.de:name.en:price'; the first row must name the columns (see "
            "docs/catalog-format.md)"),
    ]  # fmt: skip


def test_a_wrong_delimiter_option_says_which_one_works(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    path = excel_csv(tmp_path / "Produkte.csv", german_rows([tent()]))
    report = _import(engine, path, options=ReadOptions(delimiter=","))
    assert report.unusable[0].reason.startswith(
        "the first row does not split into the columns sku, category, brand, ...; it does with semicolon-separated "
        "columns: leave --delimiter out."
    )


def test_a_file_in_neither_utf8_nor_windows_1252_is_refused_and_read_when_its_encoding_is_named(
    engine: Engine, tmp_path: Path
) -> None:
    """An old DOS program's file writes "Grün" with 0x81: read as Latin-1 it would put an invisible control
    character into the product's name. It is refused, naming the line and byte; named, it imports as written."""
    with_dictionary(engine)
    path = excel_csv(tmp_path / "Produkte.csv", german_rows([tent(name={"de": "Zelt Grün", "en": "Tent green"})]),
                     encoding="cp850")  # fmt: skip
    report = _import(engine, path, dry_run=True)
    (problem,) = report.unusable
    assert problem.line == 2 and problem.reason.startswith("byte 0x81 here is neither UTF-8 nor Windows-1252"), problem
    named = _import(engine, path, options=ReadOptions(encoding="cp850"))
    assert not named.unusable and named.imported == 1
    stored = {product["sku"]: product for product in export_products(engine)}
    assert stored[tent()["sku"]]["name"]["de"] == "Zelt Grün"


def test_options_override_what_is_detected(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    path = excel_csv(tmp_path / "Produkte.csv", german_rows([tent()]))
    report = _import(engine, path, options=ReadOptions(delimiter=";", encoding="latin-1", locale="en"), dry_run=True)
    assert report.read_as == "semicolon-separated, Latin-1, English numbers"
    assert ("price", "expected a price like 349.95 (read as English numbers), got '299,95'") in [
        (r.column, r.reason) for r in report.rejected
    ]


def test_blank_rows_are_skipped_and_rows_keep_the_numbers_the_spreadsheet_shows(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    rows = german_rows([tent(sku=f"T-{n}") for n in range(1, 5)])
    width = len(rows[0])
    rows[4][rows[0].index("attributes.capacity")] = "viele"  # T-4
    rows.insert(2, [])  # a blank line: row 3
    rows.insert(4, [""] * width)  # a row of separators only: row 5
    rows += [[""] * width] * 3  # Excel's trailing ;;;; rows
    path = excel_csv(tmp_path / "Produkte.csv", rows)
    assert b"\r\n\r\n" in path.read_bytes() and path.read_bytes().endswith(b";" * (width - 1) + b"\r\n")

    report = _import(engine, path)

    assert [(r.row, r.column) for r in report.rejected] == [(7, "attributes.capacity")]
    assert (report.imported, report.rejected_rows) == (3, 1)


def test_a_row_with_too_few_cells_is_rejected_and_extra_empty_cells_are_not(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    rows = german_rows([tent(sku="T-1"), tent(sku="T-2")])
    rows[1] += ["", ""]
    rows[2] = rows[2][:5]
    path = excel_csv(tmp_path / "Produkte.csv", rows)
    report = _import(engine, path)
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (3, "", f"has 5 cells, the header has {len(rows[0])}")
    ]
    assert report.imported == 1


def test_a_misshapen_row_is_named_by_its_sku_cell_in_the_dry_run(tmp_path: Path) -> None:
    """A row with too few or too many cells is rejected as a whole, but its sku cell is read: the merchandiser sees
    which product was not imported. Only a row whose sku cell is empty, or holds no sku (its cells shifted), is
    told without one."""
    rows = german_rows([tent(sku=f"T-{n}") for n in range(1, 6)])
    width = len(rows[0])
    rows[2] = rows[2][:5]  # T-2: a row cut short
    rows[3] += ["", "vergessen"]  # T-3: a value in a column that has no name
    rows[4] = ["", *rows[4][1:5]]  # a row cut short whose sku cell is empty
    rows[5] = ["Kuppelzelt Grün", *rows[5][:5]]  # a row whose cells moved one to the right
    path = excel_csv(tmp_path / "Produkte.csv", rows)

    result = _cli("catalog", "import", str(path), "--dry-run", db=tmp_path / "dry.sqlite3")

    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[2:] == [
        "row 2 T-1: new",
        "row 3 T-2: rejected",
        f"  {path}: row 3: has 5 cells, the header has {width}",
        "row 4 T-3: rejected",
        f"  {path}: row 4: has {width + 2} cells, the header has {width}",
        "row 5 (no sku): rejected",
        f"  {path}: row 5: has 5 cells, the header has {width}",
        "row 6 (no sku): rejected",
        f"  {path}: row 6: has 6 cells, the header has {width}",
    ]


def test_a_workbook_row_with_a_value_right_of_the_header_is_named_by_its_sku(engine: Engine, tmp_path: Path) -> None:
    import openpyxl

    with_dictionary(engine)
    path = workbook(tmp_path / "Produkte.xlsx", _tents(3))
    book = openpyxl.load_workbook(path)
    sheet = book.active
    width = sheet.max_column
    sheet.cell(3, width + 2, "Restposten")  # T-2, two columns right of the last named one
    book.save(path)

    report = _import(engine, path, dry_run=True)

    letter = formats.column_letter(width + 1)
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (3, "", f"has a value in column {letter}, right of the last named column")
    ]
    assert [(change.row, change.sku, change.kind) for change in report.changes] == [
        (2, "T-1", "new"), (3, "T-2", "rejected"), (4, "T-3", "new")
    ]  # fmt: skip


def _quick_tent_rows(count: int) -> tuple[list[str], list[list[str]]]:
    """Many valid tents in few columns (the required ones), fast to write and read."""
    header = ["sku", "category", "brand", "name.de", "name.en", "price"]
    attributes = tent()["attributes"]
    header += [f"attributes.{name}" for name in attributes]
    values = ["|".join(value) if isinstance(value, list) else str(value).lower() for value in attributes.values()]
    return header, [[f"Q-{n:06d}", "tents", "Nordgrat", "Zelt", "Tent", "99.5", *values] for n in range(1, count + 1)]


@pytest.mark.slow
@pytest.mark.parametrize("reader_process", [False, True], ids=["in line", "reader process"])
def test_an_unclosed_quote_in_row_50002_of_100000_is_reported_there_and_nothing_changes(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader_process: bool
) -> None:
    with_dictionary(engine)
    header, rows = _quick_tent_rows(99_999)
    rows[50_000][3] = '"Zelt mit Gänsefüßchen'  # row 50,002: a quote that nothing closes
    path = tmp_path / "many.csv"
    path.write_text(
        ",".join(header) + "\n" + "".join(",".join(row) + "\n" for row in rows), encoding="utf-8", newline=""
    )

    monkeypatch.setattr(importer, "can_fork", lambda: True)  # (pytest may run threads of its own)
    report = _import(engine, path, reader_process=reader_process)

    assert [(p.line, p.row, p.column) for p in report.unusable] == [(50_002, 50_002, "name.de")]
    assert report.unusable[0].reason.startswith('a quote (") opens a cell here and is never closed')
    assert catalog_stats(engine)["products"] == 0


def test_the_command_reports_an_unclosed_quote_by_line_and_exits_2(tmp_path: Path) -> None:
    header, rows = _quick_tent_rows(6)
    rows[3][4] = '"Tent'
    path = tmp_path / "quote.csv"
    path.write_text(",".join(header) + "\r\n" + "".join(",".join(row) + "\r\n" for row in rows), encoding="utf-8")
    result = _cli("catalog", "import", str(path), db=tmp_path / "q.sqlite3")
    assert result.returncode == 2
    assert result.stdout.splitlines()[1:] == [
        f"{path}: nothing imported: 1 problem(s) of the file as a whole (listed first), and 0 row(s) rejected "
        "(0 cell(s)); fix them and import again",
        f'{path}: line 5, column name.en: a quote (") opens a cell here and is never closed: the rest of '
        "the file would be one cell. Close the quote, or remove it",
    ]


# Letters a German shop writes in Windows-1252 (and so in any of the encodings), with the separators, quotes and
# line breaks that force quoting.
CP1252_TEXT = st.text(
    st.sampled_from(list("abcXYZ äöüÄÖÜß€é'\"=+-@,;|\t\n\r0123456789.")), min_size=1, max_size=30
).filter(lambda text: unneutralise(text).strip() and text[0] not in "\t\r")  # (a name: "'\r" is no name, but blank)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(CP1252_TEXT, min_size=1, max_size=4),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    line_end=st.sampled_from(["\r\n", "\n"]),
)
def test_any_dialect_reads_back_exactly_and_is_named(
    names: list[str], delimiter: str, encoding: str, line_end: str
) -> None:
    # With bare line feeds as line ends a writer does not quote a carriage return, which then ends the row.
    assume(line_end == "\r\n" or not any("\r" in name for name in names))
    records = [tent(sku=f"T-{n}", name={"de": name, "en": "x"}) for n, name in enumerate(names)]
    rows = german_rows(records)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "products.csv"
        text = io.StringIO()
        csv.writer(text, delimiter=delimiter, lineterminator=line_end).writerows(rows)
        path.write_bytes(text.getvalue().encode(encoding))
        table = read_table(path, DICTIONARY, kind="csv", options=ReadOptions())
        batches = list(table.batches)
    label = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252"}  # the tent has Gestänge
    separated = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}[delimiter]
    assert table.read_as == f"{separated}-separated, {label[encoding]}, German numbers"
    assert table.problems == []
    assert [numbered.batch.problems for numbered in batches] == [{}]
    # An apostrophe before a formula-like text is how the export keeps a spreadsheet from running it: taken off;
    # and a name loses the blanks around it.
    assert [batches[0].batch.product(i)["name_de"] for i in range(len(names))] == [
        unneutralise(name).strip() for name in names
    ]


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(st.sampled_from(list('ab,"\r\nä')), max_size=40)
    | st.text(st.sampled_from(list('ab,"\r\n\x0b\x85\u2028ä')), max_size=40),
    block=st.integers(1, 8),
)
def test_a_files_lines_split_a_block_at_a_time_are_the_lines_of_the_whole_text(text: str, block: int) -> None:
    """Whatever the line ends (\r\n across a block's edge too), the lines are those a CSV reader would read."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(formats, "_LINE_BLOCK", block)
        lines = formats._Lines(text)
        expected = io.StringIO(text, newline="").readlines()
        assert list(lines) == expected
        assert list(lines) == expected  # (read again from the start, as the header and the rows are)
        if expected:
            assert lines[len(expected) - 1] == expected[-1]


@pytest.mark.parametrize("character", ["\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])
def test_a_character_that_ends_a_line_in_python_but_not_in_a_csv_file_stays_in_its_cell(
    engine: Engine, tmp_path: Path, character: str
) -> None:
    """str.splitlines ends lines at these too; a CSV file does not, quoted or not (the fast reading of the
    lines must not split a row there)."""
    with_dictionary(engine)
    records = _tents(2)
    records[0]["name"] = {"de": f"Zelt{character}eins", "en": f"Tent{character}one"}
    records[1]["description"] = {"de": f"Mit{character}Apsis, hell", "en": f"With{character}vestibule, bright"}
    path = tmp_path / "odd.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        from advisor.catalog.formats import write_csv

        write_csv(records, handle)
    assert character in path.read_text(encoding="utf-8")
    report = _import(engine, path)
    assert (report.imported, report.rejected) == (2, [])
    exported = {product["sku"]: product for product in export_products(engine)}
    assert exported["T-1"]["name"] == records[0]["name"]
    assert exported["T-2"]["description"] == records[1]["description"]


def test_a_problem_every_row_shares_is_one_line_with_its_rows(tmp_path: Path) -> None:
    """A sleeping-bag column in a tent file fails in every row: the merchandiser reads it once, with the rows it
    concerns and the category it belongs to, not once per row; other problems keep their own lines in row order."""
    rows = german_rows([tent(sku=f"T-{n}") for n in range(1, 31)])
    rows[0].append("attributes.fill")
    for row in rows[1:]:
        row.append("daune")
    rows[7][rows[0].index("attributes.seasons")] = "7"
    for n in (12, 14, 15, 16):
        rows[n][rows[0].index("price")] = "12.5"
    path = excel_csv(tmp_path / "Zelte.csv", rows)

    result = _cli("catalog", "import", str(path), db=tmp_path / "cli.sqlite3")

    assert result.returncode == 2  # every row rejected: nothing imported
    assert result.stdout.splitlines()[2:] == [
        f"{path}: rows 2-31 (30 rows), column attributes.fill: 'fill' is not an attribute of tents, but of "
        "sleeping_bags",
        f"{path}: row 8, column attributes.seasons: 7 is outside 2 to 4",
        f"{path}: rows 13, 15-17 (4 rows), column price: expected a price like 349,95 (read as German numbers), got "
        "'12.5'",
    ]


def test_a_problem_in_many_scattered_rows_names_ten_runs_and_counts_the_rest() -> None:
    from advisor.catalog.store import Rejection
    from advisor.cli import _rejection_lines

    every_other = [Rejection(row, "price", "got 'teuer'") for row in range(2, 68, 2)]
    assert _rejection_lines(every_other) == [
        "rows 2, 4, 6, 8, 10, 12, 14, 16, 18, 20 and 23 more (33 rows; --format json lists them all), column price: "
        "got 'teuer'"
    ]
