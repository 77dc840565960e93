"""Excel workbooks: products read from a sheet's typed cells (python-calamine) and written as a typed sheet (openpyxl).

python-calamine reads the generated 100,000-product workbook 11 to 16 times faster than openpyxl's read-only mode
(6.7 s against 73 s; benchmarks/bench_import.py measures both); openpyxl writes, in its write-only mode, which
calamine cannot.
"""

from __future__ import annotations

import itertools
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from itertools import repeat
from pathlib import Path
from typing import Any

from advisor.catalog.columns import IGNORED
from advisor.catalog.convert import FORMULA_STARTS, DateCell
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
from advisor.catalog.validate import NUMBER_COLUMNS, REQUIRED_FIELDS, WORD_COLUMNS

SHEET_TITLE = "Produkte"


def _cell_text(value: Any, style: NumberStyle) -> str:
    """A typed cell as the text the validation reads: numbers in the file's style, dates as ISO dates (that know they
    were dates, for the message of a date where none belongs)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return style.render(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return DateCell(value.date()) if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return DateCell(value)
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
        return [cell if type(cell) is str else DateCell(cell) for cell in column]  # an ISO date
    if types <= {str, float} and sum(map(isinstance, column, repeat(float))) + column.count("") == len(column):
        joined = "\n".join(map(str, column)).replace(".0\n", "\n")
        if joined.endswith(".0"):
            joined = joined[:-2]
        if style.locale == "de":
            joined = joined.replace(".", ",")
        return joined.split("\n")
    return [cell if type(cell) is str else _cell_text(cell, style) for cell in column]


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PERCENT_FORMATS = {"9", "10"}  # Excel's built-in 0% and 0.00%
_QUOTED = re.compile(r'"[^"]*"|\\.')
# A cell whose first child is a formula, and what follows it: an empty or no <v> is a formula without a computed value.
_FORMULA_CELL = re.compile(rb"<c\b([^>]*)><f\b([^>]*?)(?:/>|>([^<]*)</f>)(<v\s*/>|<v>\s*</v>|<v>)?", re.DOTALL)
_REFERENCE = re.compile(rb'\br="([A-Z]+)(\d+)"')


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


class _SheetXml:
    """What python-calamine does not tell of a sheet's cells, read from the workbook's XML only when asked: reading
    the sheet's XML takes about a second per 100,000 rows, so it is read only for a workbook where it matters."""

    def __init__(self, path: Path, sheet: str) -> None:
        self.path = path
        self.sheet = sheet

    def _member(self, workbook: zipfile.ZipFile) -> str | None:
        """The zip member of the sheet, as the workbook and its relationships name it."""
        from xml.etree import ElementTree

        book = ElementTree.fromstring(workbook.read("xl/workbook.xml"))
        ids = [sheet.get(_RELATIONSHIP) for sheet in book.iter(f"{_MAIN}sheet") if sheet.get("name") == self.sheet]
        rels = ElementTree.fromstring(workbook.read("xl/_rels/workbook.xml.rels"))
        for rel in rels:
            if ids and rel.get("Id") == ids[0]:
                target = rel.get("Target", "")
                return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        return None

    def percent_styles(self) -> list[int]:
        """The workbook's cell styles whose number format shows a percent (0 %, 0,00 %)."""
        from xml.etree import ElementTree

        try:
            with zipfile.ZipFile(self.path) as workbook:
                styles = ElementTree.fromstring(workbook.read("xl/styles.xml"))
        except (KeyError, OSError, zipfile.BadZipFile, ElementTree.ParseError):
            return []
        formats = {
            element.get("numFmtId", ""): element.get("formatCode", "") for element in styles.iter(f"{_MAIN}numFmt")
        }
        percent = _PERCENT_FORMATS | {key for key, code in formats.items() if "%" in _QUOTED.sub("", code)}
        found: list[int] = []
        for xfs in styles.iter(f"{_MAIN}cellXfs"):
            found = [index for index, xf in enumerate(xfs) if xf.get("numFmtId") in percent]
        return found

    def cells(self, pattern: re.Pattern[bytes]) -> Iterator[re.Match[bytes]]:
        """The matches of `pattern` in the sheet's XML."""
        try:
            with zipfile.ZipFile(self.path) as workbook:
                member = self._member(workbook)
                data = workbook.read(member) if member else b""
        except (KeyError, OSError, zipfile.BadZipFile, SyntaxError):
            data = b""
        return pattern.finditer(data)

    def styled(self, styles: Sequence[int]) -> set[tuple[int, int]]:
        """The cells (row from 1, column from 0) that have one of `styles`."""
        chosen = "|".join(map(str, styles))
        pattern = re.compile(rb'<c\b[^>]*?\bs="(?:' + chosen.encode() + rb')"[^>]*>')
        found: set[tuple[int, int]] = set()
        for match in self.cells(pattern):
            reference = _REFERENCE.search(match.group())
            if reference:
                found.add((int(reference[2]), _column_index(reference[1])))
        return found

    def formulas(self) -> dict[tuple[int, int], str]:
        """The cells (row from 1, column from 0) that hold a formula without a computed value, and the formula."""
        found: dict[tuple[int, int], str] = {}
        for match in self.cells(_FORMULA_CELL):
            attributes, value = match[1], match[4]
            if value == b"<v>" or b't="str"' in attributes and value is not None:
                continue  # a computed value (an empty text is a formula's value too)
            reference = _REFERENCE.search(attributes)
            if reference:
                formula = (match[3] or b"").decode("utf-8", "replace")
                from html import unescape

                found[(int(reference[2]), _column_index(reference[1]))] = f"={unescape(formula)}" if formula else "="
        return found


class XlsxTable:
    """The first visible sheet (or the named one) of a workbook; rows keep their typed cells until `texts`."""

    kind = "xlsx"
    apostrophes = False  # the xlsx export marks formula-like text with Excel's quote prefix, not an apostrophe

    def __init__(self, path: Path, options: ReadOptions) -> None:
        from python_calamine import (  # loaded only for a workbook
            CalamineError,
            CalamineWorkbook,
            SheetTypeEnum,
            SheetVisibleEnum,
        )

        self.path = path
        self.problems: list[FileProblem] = []
        try:
            workbook = CalamineWorkbook.from_path(str(path))
        except (CalamineError, OSError, ValueError) as error:
            raise UnusableInput(f"{path}: cannot read it as an xlsx workbook: {error}") from error
        names = workbook.sheet_names
        visible = [
            sheet.name for sheet in workbook.sheets_metadata
            if sheet.visible == SheetVisibleEnum.Visible and sheet.typ == SheetTypeEnum.WorkSheet
        ]  # fmt: skip
        self.sheet_count = len(names)
        self.sheets = ", ".join(repr(name) + ("" if name in visible else " (hidden)") for name in names)
        if options.sheet is not None and options.sheet not in names:
            raise UnusableInput(f"{path}: the workbook has no sheet {options.sheet!r}; its sheets are {self.sheets}")
        # A hidden sheet (a helper table of rates or lists) is no one's products: the first the merchandiser sees.
        self.sheet = options.sheet if options.sheet is not None else (visible or names)[0]
        sheet = workbook.get_sheet_by_name(self.sheet)
        self.column_offset = sheet.start[1] if sheet.start else 0
        self.row_offset = sheet.start[0] if sheet.start else 0
        self._xml = _SheetXml(path, self.sheet)
        self._percent_styles: list[int] | None = None  # the workbook's percent styles, once looked at
        self._percent_cells: set[tuple[int, int]] | None = None  # the sheet's cells in them, once read
        self._formulas: dict[tuple[int, int], str] | None = None  # its formulas without a value, once read
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
            self._merged_header(getattr(sheet, "merged_cell_ranges", None) or [])
        while self.header and not self.header[-1]:
            self.header.pop()
        if not self.header:
            self.problems.append(FileProblem(f"the sheet {self.sheet!r} is empty; expected a header row", row=1))

    def _merged_header(self, ranges: Iterable[tuple[tuple[int, int], tuple[int, int]]]) -> None:
        """A header cell hidden by a merged cell (Bezeichnung merged over F2:G2 hides G2's name): said so, instead of
        a column without a name; its column is left out of the reading (the file is refused anyway). One right of the
        last named column is not a column at all, as an empty header cell there is not."""
        row = self.row_offset + self.header_row - 1  # as python-calamine counts: from 0, on the whole sheet
        named_up_to = max((position for position, name in enumerate(self.header) if name), default=-1)
        for (top, left), (bottom, right) in ranges:
            if not top <= row <= bottom:
                continue
            first = left - self.column_offset
            value = self.header[first] if top == row and 0 <= first < len(self.header) else ""
            named = f" ({value!r})" if value else ""
            merged = f"{column_letter(left)}{top + 1}:{column_letter(right)}{bottom + 1}"
            for column in range(left, right + 1):
                position = column - self.column_offset
                if (top, left) == (row, column) or not 0 <= position < named_up_to or self.header[position]:
                    continue
                letter = column_letter(column)
                self.problems.append(
                    FileProblem(
                        f"{letter}{row + 1} is part of the merged cell {merged}{named}: unmerge it and name column "
                        f"{letter}",
                        row=self.header_row,
                    )
                )
                self.header[position] = IGNORED

    @property
    def read_as(self) -> list[str]:
        return [f"xlsx sheet {self.sheet!r}", *([title_note(self.header_row, self.titles)] if self.titles else [])]

    def sheet_hint(self) -> str:
        """For a sheet whose columns do not fit: the workbook's sheets, and how to name the products' one; none for a
        sheet with products' columns (a required one of them missing is a column to add, not another sheet)."""
        if self.sheet_count < 2 or any(name in self.header for name in REQUIRED_FIELDS):
            return ""
        return (
            f" in the sheet {self.sheet!r}; the workbook's sheets are {self.sheets}: name the products' sheet with "
            "--sheet NAME"
        )

    def percent_cells(self, chunk: Chunk, positions: set[int]) -> None:
        """A number in a percent column whose cell shows it as a percent (0.5 formatted `0 %` shows 50 %) as the
        percent it shows, in place. python-calamine gives the number, not its format: the workbook's styles are
        looked at once, and the sheet's XML read only once a fraction (0 < x <= 1) is seen in such a column of a
        workbook that has a percent style at all."""
        if self._percent_styles is None:
            self._percent_styles = self._xml.percent_styles()
        if not self._percent_styles:
            return
        rows = chunk.rows
        if self._percent_cells is None:
            if not any(type(row[p]) is float and 0 < row[p] <= 1 for p in positions for row in rows):
                return
            self._percent_cells = self._xml.styled(self._percent_styles)
        styled = self._percent_cells
        if not styled:
            return
        for p in positions:
            column = self.column_offset + p
            for row, number in zip(rows, chunk.numbers, strict=True):
                value = row[p]
                if type(value) in (float, int) and (number + self.row_offset, column) in styled:
                    row[p] = round(value * 100, 9)

    def formula_cells(
        self, numbers: Sequence[int], columns: Sequence[Sequence[Any]], positions: Sequence[int]
    ) -> dict[int, list[tuple[str, str]]]:
        """Of the empty cells at `positions` (the required columns), those that hold a formula without a computed
        value (a workbook written by a program that does not calculate), by row: (column, formula). The sheet's
        XML is read once, and only once such a cell is empty."""
        empty = [p for p in positions if "" in columns[p]]
        if not empty:
            return {}
        if self._formulas is None:
            self._formulas = self._xml.formulas()
        found: dict[int, list[tuple[str, str]]] = {}
        if not self._formulas:
            return found
        for p in empty:
            at = self.column_offset + p
            for i, cell in enumerate(columns[p]):
                formula = self._formulas.get((numbers[i] + self.row_offset, at)) if cell == "" else None
                if formula is not None:
                    found.setdefault(i, []).append((self.header[p], formula))
        return found

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
