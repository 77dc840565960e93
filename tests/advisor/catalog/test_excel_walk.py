"""What a QA walk with real German Excel workbooks found: each case with a workbook made here with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from advisor.catalog.formats import ReadOptions
from advisor.catalog.importer import import_file
from advisor.catalog.numbers import quoted
from advisor.catalog.store import ImportReport, export_products
from advisor.catalog.validate import flatten_record
from tests.advisor.catalog.excel_files import columns_of, excel_csv, german_rows, workbook
from tests.helpers.catalog import tent, with_dictionary


def _import(engine: Engine, path: Path, **options: Any) -> ImportReport:
    report = import_file(engine, path, **options)
    assert isinstance(report, ImportReport)
    return report


def _reasons(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(rejection.row, rejection.column, rejection.reason) for rejection in report.rejected]


def _variant_book(path: Path, prices: list[Any]) -> Path:
    """A model of three variants, one row each; the model's cells only on its first row, the prices as given."""
    import openpyxl

    record = tent(sku="BW-500", variant={"sku": "BW-500-GRN"})
    header = columns_of([record])
    cells = flatten_record(record)[0]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Artikel"
    sheet.append(header)
    sheet.append([cells.get(column) or None for column in header])
    for colour in ("GRY", "SND"):
        sheet.append([{"sku": "BW-500", "variant.sku": f"BW-500-{colour}"}.get(column) for column in header])
    price_at = header.index("price") + 1
    for row, price in enumerate(prices, start=2):
        sheet.cell(row, price_at).value = price
    book.save(path)
    return path


def _variant_prices(engine: Engine) -> dict[str, Any]:
    model = next(product for product in export_products(engine) if product["sku"] == "BW-500")
    return {variant["sku"]: variant.get("price", model["price"]) for variant in model["variants"]}


def test_an_empty_variant_price_is_the_models_not_the_variant_above_its(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    report = _import(engine, _variant_book(tmp_path / "Vererbung.xlsx", [359.0, 379.0, None]))
    assert report.rejected == []
    assert _variant_prices(engine) == {"BW-500-GRN": 359.0, "BW-500-GRY": 379.0, "BW-500-SND": 359.0}


def test_a_bad_variant_price_rejects_its_row_only(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    report = _import(engine, _variant_book(tmp_path / "Sortiment.xlsx", [359.0, "teuer", None]))
    assert [(row, column) for row, column, _ in _reasons(report)] == [(3, "price")]
    assert _variant_prices(engine) == {"BW-500-GRN": 359.0, "BW-500-SND": 359.0}


def test_a_fraction_in_a_cell_formatted_as_percent_is_the_percent_excel_shows(engine: Engine, tmp_path: Path) -> None:
    import openpyxl

    with_dictionary(engine)
    path = workbook(tmp_path / "Artikel.xlsx", [tent(sku="T-1"), tent(sku="T-2")])
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    share = sheet.cell(2, header.index("sustainability.recycled_share") + 1)
    share.value, share.number_format = 0.5, "0%"  # Excel shows 50 %
    sheet.cell(3, header.index("sustainability.recycled_share") + 1).value = 0.5  # plain: 0.5 %
    book.save(path)
    report = _import(engine, path)
    assert report.rejected == []
    shares = {product["sku"]: product["sustainability"]["recycled_share"] for product in export_products(engine)}
    assert shares == {"T-1": 50, "T-2": 0.5}


def test_the_first_visible_sheet_is_read_and_a_sheet_that_does_not_fit_names_the_others(
    engine: Engine, tmp_path: Path
) -> None:
    import openpyxl

    with_dictionary(engine)
    path = workbook(tmp_path / "Artikel2.xlsx", [tent(sku="T-1")])
    book = openpyxl.load_workbook(path)
    helper = book.create_sheet("Hilfstabelle", 0)
    helper.append(["Mwst", 1.19])
    helper.sheet_state = "hidden"
    book.create_sheet("Bestand").append(["Variante", "Filiale", "Menge"])
    book.save(path)
    report = _import(engine, path)
    assert (report.read_as, report.imported, report.unusable) == ("xlsx sheet 'Produkte', typed numbers", 1, [])

    report = _import(engine, path, options=ReadOptions(sheet="Bestand"))
    [problem] = [problem for problem in report.unusable if problem.reason.startswith("missing")]
    assert problem.reason.startswith("missing required column(s): sku, category, brand, name.de, name.en, price")
    assert problem.reason.endswith(
        "in the sheet 'Bestand'; the workbook's sheets are 'Hilfstabelle' (hidden), 'Produkte', 'Bestand': name the "
        "products' sheet with --sheet NAME"
    )


def test_a_formula_without_a_computed_value_is_named_as_such(engine: Engine, tmp_path: Path) -> None:
    import openpyxl

    with_dictionary(engine)
    path = workbook(tmp_path / "Artikel.xlsx", [tent(sku="T-1"), tent(sku="T-2")])
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    sheet.cell(3, header.index("price") + 1).value = "=F2*1.19"  # openpyxl stores no computed value
    book.save(path)
    report = _import(engine, path)
    [(row, column, reason)] = _reasons(report)
    assert (row, column) == (3, "price")
    assert reason.startswith("the cell holds the formula =F2*1.19 but no value computed from it")
    assert "open the file in Excel and save it, or write the value" in reason


def test_numbers_in_messages_are_written_as_the_file_writes_them(engine: Engine, tmp_path: Path) -> None:
    import openpyxl

    with_dictionary(engine)
    records = [tent(sku="T-1"), tent(sku="T-2")]
    path = excel_csv(tmp_path / "Produkte.csv", german_rows(records))
    rows = german_rows(records)
    rows[2][rows[0].index("stock.muc-01.quantity")] = "-1"
    excel_csv(path, rows)
    report = _import(engine, path)
    assert _reasons(report) == [(3, "stock.muc-01.quantity", "-1 is outside 0 to 1.000.000")]

    path = workbook(tmp_path / "Artikel.xlsx", records)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    sheet.cell(2, header.index("price") + 1).value = 356.9405  # a formula's value, typed
    sheet.cell(3, header.index("price") + 1).value = "249,95"  # German numbers
    book.save(path)
    report = _import(engine, path)
    assert _reasons(report) == [(2, "price", "356,9405 has more than two decimals")]


def test_values_in_messages_show_invisible_characters_by_name(engine: Engine, tmp_path: Path) -> None:
    assert quoted("teuer") == "'teuer'"
    assert quoted("1\xa0299,95") == "'1 299,95' (with a non-breaking space)"
    assert quoted("12\u200b") == "'12' (with a zero-width space)"
    with_dictionary(engine)
    rows = german_rows([tent(sku="T-1")])
    rows[1][rows[0].index("price")] = "1\xa0299,95"
    path = excel_csv(tmp_path / "Produkte.csv", rows, encoding="utf-8-sig")
    [(_, column, reason)] = _reasons(_import(engine, path))
    assert column == "price"
    assert reason.endswith("got '1 299,95' (with a non-breaking space)")
    assert "\\xa0" not in reason


def test_names_and_texts_lose_the_blanks_around_them(engine: Engine, tmp_path: Path) -> None:
    import openpyxl

    with_dictionary(engine)
    path = workbook(tmp_path / "Artikel.xlsx", [tent(sku="T-1"), tent(sku="T-2")])
    book = openpyxl.load_workbook(path)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    sheet.cell(2, header.index("name.de") + 1).value = " Wolkenfrei 2\xa0"
    sheet.cell(2, header.index("brand") + 1).value = "Bergwerk\u202f"
    sheet.cell(3, header.index("name.en") + 1).value = "\xa0 "  # blanks alone: no name
    book.save(path)
    report = _import(engine, path)
    assert [(row, column, reason) for row, column, reason in _reasons(report)] == [(3, "name.en", "is required")]
    [product] = export_products(engine)
    assert (product["name"]["de"], product["brand"]) == ("Wolkenfrei 2", "Bergwerk")
