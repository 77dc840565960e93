"""Catalog files as merchandisers' spreadsheet programs write them: German Excel's CSV, "CSV UTF-8", workbooks."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from advisor.catalog.validate import flatten_record

_DECIMAL = re.compile(r"-?\d+\.\d+")
_TEXT_COLUMNS = ("sku", "brand", "name.", "description.", "image", "care.instructions.", "repair.spare_parts.",
                 "repair.repair_guide.")  # fmt: skip


def columns_of(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """The union of the records' dotted columns, in first-seen order."""
    columns: dict[str, None] = {}
    for record in records:
        columns.update(dict.fromkeys(flatten_record(record)[0]))
    return list(columns)


def german(column: str, text: str, *, currency: bool = False) -> str:
    """A cell as German Excel shows (and so saves) it: decimal commas, WAHR/FALSCH, 31.12.2034, 299,95 €."""
    if text in ("true", "false"):
        return "WAHR" if text == "true" else "FALSCH"
    if column == "repair.spare_parts_until" and text:
        year, month, day = text.split("-")
        return f"{day}.{month}.{year}"
    numeric = not column.startswith(_TEXT_COLUMNS) and ".location." not in column
    german_text = text.replace(".", ",") if numeric and _DECIMAL.fullmatch(text) else text
    return f"{german_text} €" if currency and column == "price" else german_text


def german_rows(records: Sequence[Mapping[str, Any]], *, currency: bool = False) -> list[list[str]]:
    """The header and one row per record, cells as German Excel writes them."""
    header = columns_of(records)
    rows = [header]
    for record in records:
        cells = flatten_record(record)[0]
        rows.append([german(column, cells.get(column, ""), currency=currency) for column in header])
    return rows


def excel_csv(path: Path, rows: Sequence[Sequence[str]], *, encoding: str = "cp1252") -> Path:
    """Write rows as German Excel's "CSV (Trennzeichen-getrennt)" (cp1252) or "CSV UTF-8" (encoding utf-8-sig):
    semicolons and CRLF line ends."""
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def workbook(path: Path, records: Sequence[Mapping[str, Any]], *, serial_dates: bool = False) -> Path:
    """A workbook made with openpyxl as Excel keeps it: numbers, yes/no and dates typed, German date format; with
    `serial_dates`, dates as Excel's plain day numbers."""
    import openpyxl

    header = columns_of(records)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Produkte"
    sheet.append(header)
    for record in records:
        cells = flatten_record(record)[0]
        row: list[Any] = []
        for column in header:
            text = cells.get(column, "")
            value: Any = text or None
            if text in ("true", "false"):
                value = text == "true"
            elif column == "repair.spare_parts_until" and text:
                day = date.fromisoformat(text)
                value = (day - date(1899, 12, 30)).days if serial_dates else day
            elif re.fullmatch(r"-?\d+(\.\d+)?", text) and column != "sku":
                value = float(text) if "." in text else int(text)
            row.append(value)
        sheet.append(row)
        if not serial_dates and "repair.spare_parts_until" in header:
            sheet.cell(sheet.max_row, header.index("repair.spare_parts_until") + 1).number_format = "DD.MM.YYYY"
    book.save(path)
    return path
