"""An ERP's own column names ("Artikelnummer", "VK-Preis") mapped onto the import format by a small YAML file:
the export imports as it is, every problem names the column as the file does, and a wrong mapping is refused at
its line before any row is read."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from advisor.catalog.columns import ColumnNamesError, load_column_names
from advisor.catalog.formats import ReadOptions, UnusableInput, column_letter
from advisor.catalog.importer import import_file
from advisor.catalog.store import ImportReport, export_products
from tests.advisor.catalog.excel_files import excel_csv, german_rows, workbook
from tests.helpers.catalog import tent, with_dictionary

ADVISOR = [sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())"]
ERP_NAMES = {"sku": "Artikelnummer", "category": "Warengruppe", "brand": "Marke", "name.de": "Bezeichnung",
             "price": "VK-Preis", "attributes.weight_kg": "Gewicht (kg)"}  # fmt: skip
MAPPING = """\
# Spalten unseres Warenwirtschaftssystems
Artikelnummer: sku
Warengruppe: category
Marke: brand
Bezeichnung: name.de
VK-Preis: price
Gewicht (kg): attributes.weight_kg
EK-Preis: ~          # nicht für den Katalog
Lieferant: ~
"""


def _tents() -> list[dict[str, Any]]:
    return [tent(sku=f"T-{n}", name={"de": f"Kuppelzelt {n}", "en": f"Dome tent {n}"}) for n in (1, 2, 3)]


def _erp_rows(records: list[dict[str, Any]]) -> list[list[str]]:
    """German Excel rows under the ERP's header, with two columns of its own that the catalog does not take."""
    header, *rows = german_rows(records)
    return [[*(ERP_NAMES.get(name, name) for name in header), "EK-Preis", "Lieferant"],
            *([*row, "120,00", "Nordgrat GmbH"] for row in rows)]  # fmt: skip


def _mapping(tmp_path: Path, text: str = MAPPING) -> Path:
    path = tmp_path / "spalten.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _import(engine: Engine, path: Path, mapping: Path | None) -> ImportReport:
    columns = load_column_names(mapping) if mapping else None
    report = import_file(engine, path, options=ReadOptions(columns=columns))
    assert isinstance(report, ImportReport)
    return report


def test_an_erp_export_imports_under_its_own_column_names(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    records = _tents()
    path = excel_csv(tmp_path / "Artikel.csv", _erp_rows(records))

    without = _import(engine, path, None)
    assert not without.written and without.unusable
    assert without.unusable[0].reason == "missing required column(s): sku, category, brand, name.de, price"
    assert without.unusable[1].reason == (
        "column A: unknown column 'Artikelnummer' (see docs/catalog-format.md); a file's own column names are mapped "
        "with --columns"
    )

    report = _import(engine, path, _mapping(tmp_path))

    assert report.read_as == "semicolon-separated, Windows-1252, German numbers"
    assert (report.imported, report.rejected, report.unusable) == (3, [], [])
    stored = {product["sku"]: product for product in export_products(engine)}
    assert sorted(stored) == ["T-1", "T-2", "T-3"]
    for record in records:
        assert stored[record["sku"]]["price"] == record["price"]
        assert stored[record["sku"]]["attributes"]["weight_kg"] == record["attributes"]["weight_kg"]


def test_a_bad_cell_is_named_by_the_files_own_column(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    rows = _erp_rows(_tents())
    rows[2][rows[0].index("VK-Preis")] = "teuer"
    rows[3][rows[0].index("Gewicht (kg)")] = ""
    path = excel_csv(tmp_path / "Artikel.csv", rows)

    report = _import(engine, path, _mapping(tmp_path))

    assert [(r.row, r.column) for r in report.rejected] == [
        (3, "VK-Preis (price)"),
        (4, "Gewicht (kg) (attributes.weight_kg)"),
    ]
    assert report.imported == 1


def test_a_column_neither_known_nor_mapped_is_named_with_how_to_leave_it_out(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    path = excel_csv(tmp_path / "Artikel.csv", _erp_rows(_tents()))
    mapping = _mapping(tmp_path, MAPPING.replace("Lieferant: ~\n", ""))

    report = _import(engine, path, mapping)

    assert not report.written
    (problem,) = report.unusable
    assert problem.column == "Lieferant"
    assert problem.reason.endswith(f"unknown column 'Lieferant' (see docs/catalog-format.md); or map it in {mapping} "
                                   "(`Lieferant: ~` leaves it out)")  # fmt: skip


def test_a_column_the_file_has_under_both_names_is_named_with_both(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    rows = _erp_rows(_tents())
    rows = [[*row, row[rows[0].index("VK-Preis")] if i else "price"] for i, row in enumerate(rows)]
    report = _import(engine, excel_csv(tmp_path / "Artikel.csv", rows), _mapping(tmp_path))
    last = column_letter(len(rows[0]) - 1)
    assert [problem.reason for problem in report.unusable] == [
        f"column 'price' appears more than once (columns H 'VK-Preis', {last})"
    ]
    assert not report.written


def test_a_workbook_with_its_own_column_names_imports(engine: Engine, tmp_path: Path) -> None:
    import openpyxl

    with_dictionary(engine)
    records = _tents()
    path = workbook(tmp_path / "Artikel.xlsx", records)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for cell in sheet[1]:
        cell.value = ERP_NAMES.get(cell.value, cell.value)
    book.save(path)

    report = _import(engine, path, _mapping(tmp_path))

    assert (report.imported, report.rejected, report.unusable) == (3, [], [])
    assert {product["sku"]: product["price"] for product in export_products(engine)} == {
        record["sku"]: record["price"] for record in records
    }


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "Artikelnummer: sku\nVK-Preis: price\nArtikelnummer: sku\n",
            "line 3: 'Artikelnummer' is mapped already on line 1",
        ),  # fmt: skip
        ("Artikelnummer: sku\nEAN: sku\n", "'Artikelnummer' (line 1) and 'EAN' (line 2) are both mapped to 'sku'"),
        ("- Artikelnummer\n- sku\n", "line 1: expected one line per column, like `Artikelnummer: sku`"),
        ("Artikelnummer: [sku\n", "line 2: not readable as YAML"),
        ("Artikelnummer:\n  - sku\n", "line 1: expected `own name: format column`"),
        ("", "the file is empty"),
    ],
    ids=["twice", "two for one", "a list", "broken", "nested", "empty"],
)
def test_a_mapping_file_that_cannot_be_used_is_named_at_its_line(tmp_path: Path, text: str, said: str) -> None:
    with pytest.raises(ColumnNamesError) as raised:
        load_column_names(_mapping(tmp_path, text))
    assert said in str(raised.value)
    assert str(raised.value).startswith(str(tmp_path / "spalten.yaml"))


def test_a_mapping_to_a_column_the_format_lacks_is_refused_before_any_row(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    path = excel_csv(tmp_path / "Artikel.csv", _erp_rows(_tents()))
    mapping = _mapping(tmp_path, MAPPING.replace("VK-Preis: price", "VK-Preis: prise").replace(
        "Gewicht (kg): attributes.weight_kg", "Gewicht (kg): stock.zrh-01.quantity"))  # fmt: skip
    with pytest.raises(UnusableInput) as raised:
        _import(engine, path, mapping)
    assert str(raised.value).splitlines() == [
        f"{mapping}: line 6: VK-Preis: unknown column 'prise'; did you mean 'price'?",
        f"{mapping}: line 7: Gewicht (kg): unknown store 'zrh-01' in column 'stock.zrh-01.quantity' "
        '(known: ham-01, muc-01); add it under "stores" in a category file and import that file first: '
        "advisor catalog import categories.json",
    ]
    assert export_products(engine) == []


def test_a_mapping_to_an_attribute_no_category_has_is_refused_at_its_line(engine: Engine, tmp_path: Path) -> None:
    """`attributes.weight` for weight_kg: refused at the mapping's line with the attribute meant, not row by row."""
    with_dictionary(engine)
    path = excel_csv(tmp_path / "Artikel.csv", _erp_rows(_tents()))
    mapping = _mapping(tmp_path, MAPPING.replace("attributes.weight_kg", "attributes.weight"))
    with pytest.raises(UnusableInput) as raised:
        _import(engine, path, mapping)
    assert str(raised.value).splitlines() == [
        f"{mapping}: line 7: Gewicht (kg): unknown attribute 'weight': no category of the attribute dictionary has "
        "it; did you mean 'attributes.weight_kg'?",
    ]
    assert export_products(engine) == []


def test_a_header_cell_of_an_attribute_no_category_has_is_a_header_problem(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    header, *rows = german_rows(_tents())
    header[header.index("attributes.weight_kg")] = "attributes.Gewicht"  # (the attribute's German label)
    report = _import(engine, excel_csv(tmp_path / "Artikel.csv", [header, *rows]), None)
    assert not report.written
    assert all(rejection.column != "attributes.Gewicht" for rejection in report.rejected), "said once, in the header"
    assert [(problem.row, problem.column) for problem in report.unusable] == [(1, "attributes.Gewicht")]
    assert report.unusable[0].reason == (
        f"column {column_letter(header.index('attributes.Gewicht'))}: unknown attribute 'Gewicht': no category of "
        "the attribute dictionary has it; did you mean 'attributes.weight_kg'?"
    )


def test_the_command_takes_the_mapping_and_refuses_it_for_json(tmp_path: Path) -> None:
    db = tmp_path / "advisor.sqlite3"
    env = dict(os.environ, ADVISOR_DATABASE_URL=f"sqlite:///{db}")
    path = excel_csv(tmp_path / "Artikel.csv", _erp_rows(_tents()))
    mapping = _mapping(tmp_path)

    def advisor(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*ADVISOR, *args], capture_output=True, text=True, env=env, timeout=120, check=False)

    done = advisor("catalog", "import", str(path), "--columns", str(mapping))
    assert done.returncode == 0, done.stderr
    assert "imported 3 new, 0 updated, 0 row(s) rejected" in done.stdout
    json_file = tmp_path / "Artikel.json"
    json_file.write_text("[]", encoding="utf-8")
    refused = advisor("catalog", "import", str(json_file), "--columns", str(mapping))
    assert refused.returncode == 2
    assert "--columns maps a table's column names (CSV, TSV or xlsx); a JSON file has none" in refused.stderr
    missing = advisor("catalog", "import", str(path), "--columns", str(tmp_path / "nix.yaml"))
    assert (missing.returncode, missing.stderr.strip()) == (2, f"advisor: {tmp_path / 'nix.yaml'}: no such file")


NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda name: name.strip() == name and name.strip() != ""
)
TARGETS = st.sampled_from(["sku", "category", "brand", "name.de", "price", "attributes.weight_kg", None])


@given(st.dictionaries(NAMES, TARGETS, max_size=8))
def test_any_mapping_written_as_yaml_reads_back_as_written(mapping: dict[str, str | None]) -> None:
    """Whatever the own names (umlauts, colons, '#', quotes): the file says what the mapping says, each own name
    at its line (two own names for one format column are refused, as a file cannot fill one column twice)."""
    text = yaml.safe_dump(mapping, allow_unicode=True, width=1000, sort_keys=False)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "spalten.yaml"
        path.write_text(text, encoding="utf-8")
        targets = [target for target in mapping.values() if target is not None]
        if len(targets) != len(set(targets)):
            with pytest.raises(ColumnNamesError, match="are both mapped to"):
                load_column_names(path)
            return
        names = load_column_names(path)
    assert names.mapping == mapping
    assert names.rename(list(mapping)) == [
        target if target is not None else "\x00left out" for target in mapping.values()
    ]
