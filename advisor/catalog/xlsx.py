"""Excel workbooks: products read from a sheet's typed cells (python-calamine) and written as a typed sheet (openpyxl).

python-calamine reads the generated 100,000-product workbook 11 to 16 times faster than openpyxl's read-only mode
(6.7 s against 73 s; benchmarks/bench_import.py measures both); openpyxl writes, in its write-only mode, which
calamine cannot.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from itertools import repeat
from pathlib import Path
from typing import Any

from advisor.catalog.convert import FORMULA_STARTS
from advisor.catalog.dictionary import Dictionary
from advisor.catalog.formats import (
    CHUNK_ROWS,
    HEADER_SEARCH_ROWS,
    SAMPLE_ROWS,
    Chunk,
    FileProblem,
    ReadOptions,
    UnusableInput,
    column_letter,
    export_rows,
    header_position,
    stand_in,
    title_note,
)
from advisor.catalog.numbers import ENGLISH, NumberStyle
from advisor.catalog.validate import NUMBER_COLUMNS, WORD_COLUMNS

SHEET_TITLE = "Produkte"


def _cell_text(value: Any, style: NumberStyle) -> str:
    """A typed cell as the text the validation reads: numbers in the file's style, dates as ISO dates."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return style.render(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


_BOOLEAN_TEXT = {True: "true", False: "false"}
_NUMBERS = {str, float, int}


def _column_text(column: Sequence[Any], style: NumberStyle) -> Sequence[str]:
    """A column of typed cells as text. Columns of numbers (and empty cells) and of yes/no are converted in C: one
    string of all numbers loses the `.0` of whole ones and, for German numbers, turns its points into commas."""
    types = set(map(type, column))
    if types <= {str}:
        return column
    if types <= {str, bool}:
        return list(map(_BOOLEAN_TEXT.get, column, column))
    if types <= {str, date}:
        return list(map(str, column))  # a date's text is its ISO date
    if types <= {str, float} and sum(map(isinstance, column, repeat(float))) + column.count("") == len(column):
        joined = "\n".join(map(str, column)).replace(".0\n", "\n")
        if joined.endswith(".0"):
            joined = joined[:-2]
        if style.locale == "de":
            joined = joined.replace(".", ",")
        return joined.split("\n")
    return [cell if type(cell) is str else _cell_text(cell, style) for cell in column]


class XlsxTable:
    """The first sheet (or the named one) of a workbook; rows keep their typed cells until `texts`."""

    kind = "xlsx"
    apostrophes = False  # the xlsx export marks formula-like text with Excel's quote prefix, not an apostrophe

    def __init__(self, path: Path, options: ReadOptions) -> None:
        from python_calamine import CalamineError, CalamineWorkbook  # loaded only for a workbook

        self.path = path
        self.problems: list[FileProblem] = []
        try:
            workbook = CalamineWorkbook.from_path(str(path))
        except (CalamineError, OSError, ValueError) as error:
            raise UnusableInput(f"{path}: cannot read it as an xlsx workbook: {error}") from error
        names = workbook.sheet_names
        if options.sheet is not None and options.sheet not in names:
            listed = ", ".join(repr(name) for name in names)
            raise UnusableInput(f"{path}: the workbook has no sheet {options.sheet!r}; its sheets are {listed}")
        self.sheet = options.sheet if options.sheet is not None else names[0]
        sheet = workbook.get_sheet_by_name(self.sheet)
        self.column_offset = sheet.start[1] if sheet.start else 0
        self.rows: Iterator[list[Any]] = iter(sheet.iter_rows())
        self.header: list[str] = []
        self.header_row = 0
        self.titles: list[int] = []  # rows above the header that are a title (see formats.header_position)
        first: list[list[Any]] = []  # the first rows, up to HEADER_SEARCH_ROWS that are not blank
        filled: list[int] = []  # of them, those not blank (positions in `first`)
        for row in self.rows:
            first.append(row)
            if row.count("") != len(row):
                filled.append(len(first) - 1)
                if len(filled) == HEADER_SEARCH_ROWS:
                    break
        if filled:
            texts = [[_cell_text(cell, ENGLISH).strip() for cell in first[i]] for i in filled]
            chosen = header_position(texts, options.columns)
            self.header = texts[chosen]
            self.header_row = filled[chosen] + 1
            self.titles = [i + 1 for i in filled[:chosen]]
            self.rows = itertools.chain(first[self.header_row :], self.rows)
        while self.header and not self.header[-1]:
            self.header.pop()
        if not self.header:
            self.problems.append(FileProblem(f"the sheet {self.sheet!r} is empty; expected a header row", row=1))

    @property
    def read_as(self) -> list[str]:
        return [f"xlsx sheet {self.sheet!r}", *([title_note(self.header_row, self.titles)] if self.titles else [])]

    def release(self) -> None:
        """Nothing to let go of: a workbook is read in line, never by another process."""

    def sample(self, rows: Sequence[Sequence[Any]], positions: Sequence[int]) -> list[str]:
        """The text cells at `positions` (typed numbers say nothing about how the merchandiser writes them)."""
        return [row[p] for row in rows[:SAMPLE_ROWS] for p in positions if isinstance(row[p], str) and row[p]]

    def columns(self, rows: list[list[Any]], style: NumberStyle, typed: set[int]) -> list[Sequence[Any]]:
        """The rows' cells column by column: as text (numbers in the file's style, dates as ISO dates), but for
        the number columns (`typed`), whose converters take the workbook's numbers as they are."""
        columns = list(zip(*rows, strict=True))[: len(self.header)]  # right of the header: only empty cells
        return [
            column if position in typed and set(map(type, column)) <= _NUMBERS else _column_text(column, style)
            for position, column in enumerate(columns)
        ]

    def chunks(self) -> Iterator[Chunk]:
        """The rows under the header, numbered as the spreadsheet shows them; blank rows are skipped.

        A chunk without blank rows and without values right of the header is passed on as it is (`columns`
        leaves the empty columns out); any other is looked at row by row.
        """
        width = len(self.header)
        number = self.header_row
        while True:
            rows = list(itertools.islice(self.rows, CHUNK_ROWS))
            if not rows:
                return
            tail = [""] * (len(rows[0]) - width)
            plain = [""] * len(rows[0]) not in rows and all(len(row) == width + len(tail) for row in rows)
            if plain and (not tail or all(row[width:] == tail for row in rows)):
                yield Chunk(rows, list(range(number + 1, number + 1 + len(rows))))
            else:
                chunk = Chunk([], [])
                for offset, row in enumerate(rows, 1):
                    self._add(chunk, row, number + offset, width)
                yield chunk
            number += len(rows)

    def _add(self, chunk: Chunk, row: list[Any], number: int, width: int) -> None:
        if row.count("") == len(row):
            return
        if len(row) > width:
            extra = row[width:]
            if extra.count("") != len(extra):
                last = max(i for i, cell in enumerate(extra) if cell != "")
                letter = column_letter(self.column_offset + width + last)
                chunk.broken[len(chunk.rows)] = f"has a value in column {letter}, right of the last named column"
                row = stand_in(row, self.header)
            else:
                row = row[:width]
        elif len(row) < width:
            row = row + [""] * (width - len(row))
        chunk.rows.append(row)
        chunk.numbers.append(number)


def _numeric_columns(dictionary: Dictionary) -> dict[str, dict[str, str]]:
    """Per category, the columns whose cells are numbers, yes/no or dates, and which."""
    kinds: dict[str, dict[str, str]] = {}
    for category in dictionary.categories.values():
        columns = dict.fromkeys(NUMBER_COLUMNS, "number")
        columns.update(dict.fromkeys(WORD_COLUMNS[:2], "boolean"))
        columns[WORD_COLUMNS[2]] = "date"
        for name, spec in category.attributes.items():
            if spec.is_numeric:
                columns[f"attributes.{name}"] = "number"
            elif spec.type == "boolean":
                columns[f"attributes.{name}"] = "boolean"
        for store in dictionary.stores:
            columns[f"stock.{store}.quantity"] = "number"
        kinds[category.id] = columns
    return kinds


def _typed(text: str, kind: str | None) -> Any:
    if kind == "number":
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    if kind == "boolean":
        return text == "true"
    if kind == "date":
        return date.fromisoformat(text)
    return text


def write_xlsx(products: Iterable[Mapping[str, Any]], path: Path, dictionary: Dictionary) -> None:
    """Write product records as a workbook of one sheet: numbers, yes/no and dates typed, the rest as text.

    A text that begins like a formula (=, +, -, @) is written as text with Excel's quote prefix, so that
    neither opening nor editing the cell runs it; the cell's value stays exactly the product's text.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    columns, rows = export_rows(products)
    kinds = _numeric_columns(dictionary)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.append(columns)
    for row in rows:
        kind_of = kinds.get(row.get("category", ""), {})
        cells: list[Any] = []
        for column in columns:
            text = row.get(column, "")
            if text == "":
                cells.append(None)
                continue
            if ILLEGAL_CHARACTERS_RE.search(text):
                raise ValueError(
                    f"{row.get('sku')}: {column} holds a control character, which an xlsx file cannot; export as "
                    "CSV or JSON, or remove it"
                )
            value = _typed(text, kind_of.get(column))
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cell.quotePrefix = True
                value = cell
            elif isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                value = cell
            cells.append(value)
        sheet.append(cells)
    workbook.save(path)
