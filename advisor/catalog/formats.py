"""Read and write product files: JSON (nested), CSV and TSV (the same fields as dotted column names) and xlsx.

A table (CSV, TSV, xlsx) is read as a merchandiser's spreadsheet program wrote it: the separator, the encoding
and the number style are detected and stated ("read as: semicolon-separated, Windows-1252, German numbers"),
each overridable. Problems of the file as a whole (encoding, header, broken quoting) are collected, not raised,
so that one run names them all together with every bad cell; such a file changes nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from advisor.catalog.columns import IGNORED, ColumnNames
from advisor.catalog.convert import neutralise
from advisor.catalog.dictionary import Dictionary
from advisor.catalog.numbers import STYLES, NumberStyle, detect_style
from advisor.catalog.validate import (
    FIXED_CONVERTERS,
    REQUIRED_FIELDS,
    BatchPlan,
    Problem,
    ValidBatch,
    flatten_record,
    validate_records,
    variant_rows,
)

FORMATS = ("csv", "tsv", "xlsx", "json")
DELIMITERS = {",": "comma-separated", ";": "semicolon-separated", "\t": "tab-separated", "|": "pipe-separated"}
CHUNK_ROWS = 5_000  # rows validated together: as fast as larger chunks, and a third less memory
SAMPLE_ROWS = 1_000  # rows looked at to tell the number style


class UnusableInput(ValueError):
    """The whole file cannot be read at all (missing, empty, not JSON); nothing changes."""


@dataclass(frozen=True)
class ReadOptions:
    """How to read a table, where the merchandiser says so; None means: detect it from the file."""

    delimiter: str | None = None
    encoding: str | None = None
    locale: str | None = None
    sheet: str | None = None
    columns: ColumnNames | None = None  # the file's own column names, mapped onto the format's


@dataclass(frozen=True)
class FileProblem:
    """A problem of the file as a whole (its encoding, header or quoting): nothing of the file is imported."""

    reason: str
    row: int | None = None
    column: str = ""
    line: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "line": self.line, "column": self.column, "reason": self.reason}


@dataclass
class NumberedBatch:
    """A validated batch and each of its rows' number in the file.

    `prepared`: its products (a batch without variant columns) are already table rows, each with its variant's
    options as JSON text after them (advisor.catalog.store.prepare_single, done where the batch was validated).
    """

    batch: ValidBatch
    row_numbers: list[int]
    prepared: bool = False


@dataclass
class Chunk:
    """Rows of a table as read (text, or typed cells of a workbook), their row numbers and the misshapen ones."""

    rows: list[list[Any]]
    numbers: list[int]
    broken: dict[int, str] = field(default_factory=dict)  # index in rows: why the row has no usable cells


_NAMING_COLUMNS = ("sku", "variant.sku")  # the cells a misshapen row keeps, to name the product not imported


def stand_in(cells: Sequence[Any], header: Sequence[str]) -> list[Any]:
    """A misshapen row's stand-in in its chunk: blank, but for its sku and variant.sku cells where the row has
    them, so that the report names the product the row was for (the row is rejected all the same)."""
    row: list[Any] = [""] * len(header)
    for position, column in enumerate(header):
        if column in _NAMING_COLUMNS and position < len(cells):
            row[position] = cells[position]
    return row


class Table(Protocol):
    """A CSV, TSV or xlsx table whose header has been read; its rows come in chunks."""

    kind: str
    header: list[str]
    header_row: int
    problems: list[FileProblem]
    apostrophes: bool  # whether cells may carry the apostrophe of a CSV export (see convert.neutralise)

    @property
    def read_as(self) -> list[str]: ...

    def sample(self, rows: Sequence[Sequence[Any]], positions: Sequence[int]) -> list[str]: ...

    def columns(self, rows: list[list[Any]], style: NumberStyle, typed: set[int]) -> list[Sequence[Any]]: ...

    def chunks(self) -> Iterator[Chunk]: ...

    def release(self) -> None: ...


@dataclass
class RawBatch:
    """A chunk of a table read but not yet validated: its cells column by column, filled as the file means them
    (BatchPlan.fill), its rows' numbers and its misshapen rows."""

    columns: list[Sequence[Any]]
    row_numbers: list[int]
    broken: dict[int, str] = field(default_factory=dict)
    formulas: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # per row: (column, formula) of an
    # empty required cell that holds a formula without a computed value (a workbook's)


@dataclass
class TableRead:
    """A table being read: how, its problems as a whole (the list grows while reading) and its batches.

    `batches` are the validated batches; they are `raw`, in file order, each made a batch by `finish`, which a
    caller may also do itself (another process: advisor.catalog.reading). The two iterators share the file: use one.
    """

    read_as: str
    problems: list[FileProblem]
    batches: Iterator[NumberedBatch]
    raw: Iterator[RawBatch] = field(default_factory=lambda: iter(()))
    finish: Callable[[RawBatch], NumberedBatch] | None = None
    release: Callable[[], None] | None = None  # lets go of the file's contents (once another process reads it)
    style: NumberStyle | None = None  # how the file writes numbers (None: it writes none as text), for messages


def detect_format(path: Path, explicit: str | None = None) -> str:
    """The file format from --input-format or the file name's ending."""
    if explicit:
        return explicit
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    if suffix == "txt":
        return "csv"  # Excel's "Text (Tab-getrennt)" and "Unicode-Text": the separator is detected
    raise UnusableInput(f"{path}: cannot tell the format from the name; use --input-format csv, tsv, xlsx or json")


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnusableInput(f"{path}: cannot read the file: {error.strerror}") from error
    if not data or data.isspace():  # (not data.strip(): that copies the whole file)
        raise UnusableInput(f"{path}: the file is empty; expected a header row")
    return data


def _read_text(path: Path) -> str:
    data = _read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnusableInput(
            f"{path}:{line}: the file is not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start});"
            " save it as UTF-8 and import again"
        ) from error


def read_json(path: Path) -> tuple[Any, list[tuple[int, Any]]]:
    """The parsed document and its product records numbered from 1."""
    text = _read_text(path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnusableInput(f"{path}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}") from error
    products = document.get("products") if isinstance(document, Mapping) else document
    if isinstance(document, Mapping) and "categories" in document and "products" not in document:
        return document, []
    if not isinstance(products, list):
        raise UnusableInput(f"{path}: expected a list of products or an object with 'products'")
    return document, list(enumerate(products, start=1))


def validated_json(records: Sequence[tuple[int, Any]], dictionary: Dictionary) -> list[NumberedBatch]:
    """Validate nested records (from read_json) as one batch, numbered as in the file; a model with `variants`
    is validated as one row per variant, each numbered as its record."""
    rows: list[Any] = []
    numbers: list[int] = []
    shapes: dict[int, list[Problem]] = {}
    for row_number, record in records:
        flat, problems = variant_rows(record)
        if problems and not flat:
            flat = [{}]
        if problems:
            shapes.update((len(rows) + k, problems) for k in range(len(flat)))  # the whole model is refused
        rows.extend(flat)
        numbers.extend([row_number] * len(flat))
    batch = validate_records(rows, dictionary)
    if shapes:
        batch.reject(shapes)
    return [NumberedBatch(batch=batch, row_numbers=numbers)]


# -- decoding -------------------------------------------------------------------------------------------------------

ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252", "latin-1": "Latin-1",
             "utf-16": "UTF-16"}  # fmt: skip
# UTF-8 for the letters of a Western text (À to ÿ, °, €, dashes and quotes): a Windows-1252 file has them only
# where it writes Ã or Â, which German and English texts hardly do.
_UTF8_LETTERS = re.compile(rb"\xc3[\x80-\xbf]|\xc2[\xa0-\xbf]|\xe2\x80[\x93-\xa6]|\xe2\x82\xac")


def encoding_name(given: str) -> str:
    """The codec for an --encoding value (utf-8, cp1252, windows-1252, latin-1, ...); ValueError if unknown."""
    try:
        codec = codecs.lookup(given).name
    except LookupError:
        raise ValueError(f"unknown encoding {given!r}; use utf-8, cp1252 or latin-1") from None
    return {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "cp1252": "cp1252", "iso8859-1": "latin-1",
            "latin-1": "latin-1", "utf-16": "utf-16"}.get(codec, codec)  # fmt: skip


def _where(data: bytes, offset: int) -> tuple[int, str]:
    """The line of a byte offset and the byte, for a message."""
    return data[:offset].count(b"\n") + 1, f"0x{data[offset]:02x}"


def decode(data: bytes, path: Path, explicit: str | None) -> tuple[str, str, list[FileProblem]]:
    """The text, the encoding's name as stated, and a problem if the bytes are not all in one encoding.

    Detected: a byte order mark (UTF-8 or UTF-16), else UTF-8 if all bytes are UTF-8, else Windows-1252 (what
    Excel writes on a German Windows). A file that is UTF-8 but for a few bytes has been edited in two programs:
    its other bytes would turn into wrong letters, so it is refused; so is one that is neither (Latin-1 and other
    encodings are read when --encoding names them).
    """
    if explicit:
        codec = encoding_name(explicit)
        if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"
        try:
            return data.decode(codec), ENCODINGS.get(codec, codec), []
        except UnicodeDecodeError as error:
            line, byte = _where(data, error.start)
            reason = (
                f"byte {byte} cannot be {ENCODINGS.get(codec, codec)} (--encoding {explicit}); leave --encoding out "
                "to have the encoding detected"
            )
            return data.decode(codec, errors="replace"), ENCODINGS.get(codec, codec), [FileProblem(reason, line=line)]
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), ENCODINGS["utf-8-sig"], []
        except UnicodeDecodeError as error:
            line, byte = _where(data, error.start + 3)
            reason = f'the file says it is UTF-8, but byte {byte} is not; save it again as "CSV UTF-8"'
            return data[3:].decode("utf-8", errors="replace"), ENCODINGS["utf-8-sig"], [FileProblem(reason, line=line)]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), ENCODINGS["utf-16"], []
    try:
        return data.decode("utf-8"), ENCODINGS["utf-8"], []
    except UnicodeDecodeError as error:
        if _UTF8_LETTERS.search(data):
            line, byte = _where(data, error.start)
            reason = (
                f"mixed encodings: the file is UTF-8, but byte {byte} here is not (Windows-1252?); it was edited in "
                'two programs. Fix the letters on this line and save it again as "CSV UTF-8"'
            )
            return data.decode("utf-8", errors="replace"), ENCODINGS["utf-8"], [FileProblem(reason, line=line)]
    try:
        return data.decode("cp1252"), ENCODINGS["cp1252"], []
    except UnicodeDecodeError as error:
        # Read as Latin-1, these few bytes (0x81, 0x8d, 0x8f, 0x90, 0x9d) would be invisible control characters in
        # the catalog: the file is in some other encoding (an old DOS program writes "ü" as 0x81), so it is refused.
        line, byte = _where(data, error.start)
        reason = (
            f"byte {byte} here is neither UTF-8 nor Windows-1252: the file is in another encoding (an old DOS "
            'program\'s, where "ü" is 0x81?); save it again as "CSV UTF-8", or name its encoding (--encoding cp850)'
        )
        return data.decode("latin-1"), ENCODINGS["latin-1"], [FileProblem(reason, line=line)]


# -- the header -----------------------------------------------------------------------------------------------------


def column_letter(position: int) -> str:
    """A 0-based column position as a spreadsheet names it (0 is A, 26 is AA)."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _known_column(name: str) -> bool:
    return name in FIXED_CONVERTERS or name.startswith(("attributes.", "stock."))


def _split_header(line: str, delimiter: str) -> list[str]:
    try:
        return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]
    except (csv.Error, StopIteration):
        return []


HEADER_SEARCH_ROWS = 10  # the first rows (not blank) among which a header under a title is looked for


def _names_required(names: Sequence[str], columns: ColumnNames | None) -> bool:
    header = columns.rename(names) if columns is not None else names
    return all(name in header for name in REQUIRED_FIELDS)


def _known_names(names: Sequence[str], columns: ColumnNames | None) -> int:
    return sum(_known_column(name) or (columns is not None and columns.knows(name)) for name in names)


def header_position(
    rows: Sequence[Sequence[str]], columns: ColumnNames | None, one_cell: Sequence[bool] | None = None
) -> int:
    """Which of a table's first rows that are not blank (their cells as text) is its header: the first, unless the
    first does not name the required columns and a later one does (the rows above it are then a title). Where
    none names them all, the first row that names no column at all is passed over for the one naming the most; where
    no row names a column (an ERP export's own names, not yet mapped with --columns), a first row of a single cell
    over a wider row is a title, so that the header problems name the file's own columns (`one_cell`: whether each
    row is a single cell however it is split, for a CSV line; a spreadsheet's rows are cells already)."""
    if not rows or _names_required(rows[0], columns):
        return 0
    found = next((i for i, row in enumerate(rows) if _names_required(row, columns)), None)
    if found is not None:
        return found
    known = [_known_names(row, columns) for row in rows]
    if known[0] != 0:
        return 0
    if max(known) == 0:
        single = _filled(rows[0]) == 1 and (one_cell is None or one_cell[0])
        return 1 if len(rows) > 1 and single and _filled(rows[1]) > 1 else 0
    return known.index(max(known))


def _filled(row: Sequence[str]) -> int:
    return sum(1 for cell in row if cell)


def _filled_cells(line: str, delimiter: str) -> list[str]:
    return [cell for cell in _split_header(line, delimiter) if cell]


def _splitting(line: str) -> str:
    """The separator that splits a line of no known column name into the most cells that are not empty."""
    return max(DELIMITERS, key=lambda delimiter: len(_filled_cells(line, delimiter)))


def title_note(header_row: int, titles: Sequence[int]) -> str:
    """How a table under a title was read: "header read from row 2 (row 1 skipped as a title)"."""
    skipped = f"row {titles[0]}" if len(titles) == 1 else f"rows {', '.join(map(str, titles))}"
    return f"header read from row {header_row} ({skipped} skipped as a title)"


def detect_delimiter(line: str, columns: ColumnNames | None = None) -> dict[str, int]:
    """For each separator, how many known column names (or names the mapping `columns` knows) it splits the header
    line into."""

    def known(name: str) -> bool:
        return _known_column(name) or (columns is not None and columns.knows(name))

    return {delimiter: sum(map(known, _split_header(line, delimiter))) for delimiter in DELIMITERS}


_MISSING = "missing required column(s)"


def header_problems(
    header: Sequence[str], plan: BatchPlan, row: int, *, own: Sequence[str] | None = None,
    columns: ColumnNames | None = None,
) -> list[FileProblem]:  # fmt: skip
    """Every problem of a table's header row: missing required, repeated, nameless and unknown columns. With a
    mapping (`columns`), `header` holds the format's names and `own` the file's."""
    own = own if own is not None else header
    problems = []
    missing = [name for name in REQUIRED_FIELDS if name not in header]
    if missing:
        mapped = f" (no column of the file is mapped to them in {columns.source})" if columns is not None else ""
        problems.append(FileProblem(f"{_MISSING}: {', '.join(missing)}{mapped}", row=row))
    for name in sorted({name for name in header if name and name != IGNORED and header.count(name) > 1}):
        letters = ", ".join(
            column_letter(i) + (f" {own[i]!r}" if own[i] != name else "")
            for i, other in enumerate(header) if other == name
        )  # fmt: skip
        problems.append(FileProblem(f"column {name!r} appears more than once (columns {letters})", row=row))
    for position, name in enumerate(header):
        if not name:
            problems.append(
                FileProblem(f"column {column_letter(position)} has no name; name it or delete the column", row=row)
            )
    for unknown in plan.unknown:
        if unknown.column:
            hint = ""
            if columns is not None and not columns.knows(unknown.column):
                hint = f"; or map it in {columns.source} (`{unknown.column}: ~` leaves it out)"
            elif columns is None and str(unknown).endswith("(see docs/catalog-format.md)"):  # an ERP's own name
                hint = "; a file's own column names are mapped with --columns"
            problems.append(
                FileProblem(
                    f"column {column_letter(unknown.position)}: {unknown}{hint}", row=row, column=unknown.column
                )  # fmt: skip
            )
    return problems


def mapping_problems(columns: ColumnNames, dictionary: Dictionary) -> list[str]:
    """The mapping's format columns that the format does not know, each at its line of the mapping file."""
    plan = BatchPlan(list(columns.targets), dictionary)
    return [
        f"{columns.source}: line {columns.lines[columns.targets[unknown.column]]}: "
        f"{columns.targets[unknown.column]}: {unknown}"
        for unknown in plan.unknown
    ]


# -- CSV and TSV ----------------------------------------------------------------------------------------------------


def _broken_quote_column(line: str, delimiter: str) -> int | None:
    """The position of the cell whose quoting breaks on this line: text after its closing quote, or a quote that
    is not closed on the line."""
    cell, quoted, at_start, i = 0, False, True, 0
    while i < len(line):
        char = line[i]
        if quoted:
            if char == '"':
                if line[i + 1 : i + 2] == '"':
                    i += 1
                elif line[i + 1 : i + 2] not in ("", delimiter):
                    return cell
                else:
                    quoted = False
        elif char == delimiter:
            cell, at_start, i = cell + 1, True, i + 1
            continue
        elif char == '"' and at_start:
            quoted = True
        at_start = False
        i += 1
    return cell if quoted else None


# Where str.splitlines ends a line besides \n, \r\n and \r; a CSV reader (and a spreadsheet) does not.
_OTHER_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


_LINE_BLOCK = 1 << 20  # characters split into lines at a time


class _Lines:
    """A text's lines with their line ends, which are \n, \r\n and \r, as a CSV reader reads them.

    Iterating splits the text a block at a time (str.splitlines on about a megabyte ending with a line end, in C):
    the lines are made as they are read, by whoever reads them (the reader process), not all at start, and never
    held all at once. A text with any of the other characters that str.splitlines ends a line at (rare in a CSV
    file) is read as a StringIO with `newline=""`, as the csv module asks.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.other_breaks = any(character in text for character in _OTHER_LINE_BREAKS)
        self.every: list[str] | None = None

    def __iter__(self) -> Iterator[str]:
        if self.other_breaks:
            yield from io.StringIO(self.text, newline="")
            return
        start = 0
        while start < len(self.text):  # (the text is looked up for each block: `release` lets go of it)
            text = self.text
            stop = text.find("\n", start + _LINE_BLOCK)  # (a block ends after a \n: never between \r and \n)
            stop = len(text) if stop < 0 else stop + 1
            block = text[start:stop].splitlines(keepends=True)
            del text
            yield from block
            start = stop

    def release(self) -> None:
        """Let go of the text (a process that has handed the reading to another one)."""
        self.text, self.every = "", None

    def __getitem__(self, index: int) -> str:
        """The line at `index` (counted from 0): for naming a broken row (the lines are then all made, once)."""
        if self.every is None:
            self.every = list(self)
        return self.every[index]


class CsvTable:
    """A CSV or TSV file: decoded, its separator found, its header read; rows come in chunks."""

    kind = "csv"

    def __init__(self, path: Path, options: ReadOptions) -> None:
        self.path = path
        data = _read_bytes(path)
        text, self.encoding, self.problems = decode(data, path, options.encoding)
        del data
        self.apostrophes = "'" in text  # without any, no cell can carry an export's apostrophe
        self.lines = _Lines(text)
        del text
        self.header: list[str] = []
        self.header_row = 1
        self.delimiter = ","
        self.titles: list[int] = []  # lines above the header that are a title (see header_position)
        candidates: list[tuple[int, str, str]] = []  # the first lines that are not blank: number, text, separator
        for number, line in enumerate(self.lines, 1):
            if line.strip(" \r\n\t,;|"):
                line = line.rstrip("\r\n")
                scores = detect_delimiter(line, options.columns)
                best = max(scores, key=scores.__getitem__)
                candidates.append((number, line, options.delimiter or (best if scores[best] else _splitting(line))))
                if len(candidates) == HEADER_SEARCH_ROWS:
                    break
        one_cell = [all(len(_filled_cells(line, sep)) <= 1 for sep in DELIMITERS) for _, line, _ in candidates]
        chosen = header_position([_split_header(line, sep) for _, line, sep in candidates], options.columns, one_cell)
        self.titles = [number for number, _, _ in candidates[:chosen]]
        self.header_row, first, _ = candidates[chosen] if candidates else (1, "", ",")
        scores = detect_delimiter(first, options.columns)
        best = max(scores, key=scores.__getitem__)
        self.delimiter = options.delimiter or best
        if scores[best] == 0 and len(_filled_cells(first, options.delimiter or _splitting(first))) > 1:
            # No known column name, but the separator (given, or the one that splits the row) does split it: an
            # export's own column names, which the header check names one by one (to map with --columns).
            self.delimiter = options.delimiter or _splitting(first)
        elif scores[self.delimiter] == 0:
            if scores[best]:
                hint = f"; it does with {DELIMITERS[best]} columns: leave --delimiter out"
            else:
                hint = " with any of , ; tab |"
            self.problems.append(
                FileProblem(
                    f"the first row does not split into the columns sku, category, brand, ...{hint}. It reads "
                    f"{first.strip()[:80]!r}; the first row must name the columns (see docs/catalog-format.md)",
                    row=self.header_row,
                )
            )
            return
        names = _split_header(first, self.delimiter)
        while names and not names[-1]:
            names.pop()  # Excel writes a separator for every column that was ever used
        self.header = names

    @property
    def read_as(self) -> list[str]:
        if not self.header:
            return [self.encoding]
        titles = [title_note(self.header_row, self.titles)] if self.titles else []
        return [DELIMITERS[self.delimiter], self.encoding, *titles]

    def release(self) -> None:
        """Let go of the file's text: another process reads the rest (its copy of the text is its own)."""
        self.lines.release()

    def sample(self, rows: Sequence[Sequence[Any]], positions: Sequence[int]) -> list[str]:
        return [row[p] for row in rows[:SAMPLE_ROWS] for p in positions if row[p]]

    def columns(self, rows: list[list[Any]], style: NumberStyle, typed: set[int]) -> list[Sequence[Any]]:
        """The rows' cells, column by column."""
        return list(zip(*rows, strict=True))

    def chunks(self) -> Iterator[Chunk]:
        """The rows after the header, numbered as a spreadsheet shows them; blank rows are skipped.

        Whole chunks are parsed in C; a chunk with blank or misshapen rows is then looked at row by row, and one
        with broken quoting is parsed again row by row from its start, to know each row's line.
        """
        if not self.header:
            return
        reader = csv.reader(self.lines, delimiter=self.delimiter, strict=True)
        for _ in range(self.header_row):
            next(reader)
        width = len(self.header)
        blank = [""] * width
        row = self.header_row
        while True:
            line = reader.line_num
            try:
                rows = list(itertools.islice(reader, CHUNK_ROWS))
            except csv.Error:
                yield from self._row_by_row(itertools.islice(self.lines, line, None), line, row)
                return
            if not rows:
                return
            if min(map(len, rows)) == max(map(len, rows)) == width and blank not in rows:
                yield Chunk(rows, list(range(row + 1, row + 1 + len(rows))))
            else:
                chunk = Chunk([], [])
                for number, cells in enumerate(rows, row + 1):
                    self._add(chunk, cells, number, width)
                yield chunk
            row += len(rows)

    def _add(self, chunk: Chunk, cells: list[str], number: int, width: int) -> None:
        """Add a row to a chunk: blank rows are left out, misshapen ones stand in (see stand_in) with their problem."""
        if not any(cells):
            return
        if len(cells) != width:
            if len(cells) > width and not any(cells[width:]):
                cells = cells[:width]  # Excel's separators for columns that were once used
            else:
                chunk.broken[len(chunk.rows)] = f"has {len(cells)} cells, the header has {width}"
                cells = stand_in(cells, self.header)
        chunk.rows.append(cells)
        chunk.numbers.append(number)

    def _row_by_row(self, source: Iterator[str], first_line: int, row: int) -> Iterator[Chunk]:
        """The rest of the file from `source` (its lines from `first_line` on, counted from 0), row by row,
        reporting broken quoting at the line it began."""
        reader = csv.reader(source, delimiter=self.delimiter, strict=True)
        width = len(self.header)
        chunk = Chunk([], [])
        last_line = 0
        while True:
            try:
                for cells in reader:
                    row += 1
                    last_line = reader.line_num
                    self._add(chunk, cells, row, width)
                    if len(chunk.rows) >= CHUNK_ROWS:
                        yield chunk
                        chunk = Chunk([], [])
                break
            except csv.Error as error:
                row += 1
                if self._broken_quote(first_line + last_line + 1, row, first_line + reader.line_num, error):
                    break
                last_line = reader.line_num
        if chunk.rows:
            yield chunk

    def _broken_quote(self, start: int, row: int, reached: int, error: csv.Error) -> bool:
        """Report broken quoting in the row that starts at line `start`; whether reading must stop there."""
        line = self.lines[start - 1]
        position = _broken_quote_column(line.rstrip("\r\n"), self.delimiter)
        column = self.header[position] if position is not None and position < len(self.header) else ""
        unclosed = "end of data" in str(error) or "field limit" in str(error)
        if "NUL" in str(error):
            reason = "the line holds a NUL character (a zero byte), which no spreadsheet writes: is it a CSV file?"
        elif unclosed:
            reason = (
                'a quote (") opens a cell here and is never closed: the rest of the file would be one cell. '
                "Close the quote, or remove it"
            )
        elif reached > start:
            reason = (
                f"a quoted cell that begins here runs on to line {reached} ({error}); a quote inside a quoted cell "
                'must be doubled ("")'
            )
        else:
            reason = f'broken quoting ({error}); a quote inside a quoted cell must be doubled (""), or remove it'
        self.problems.append(FileProblem(reason, row=row, column=column, line=start))
        return unclosed


# -- reading a table ------------------------------------------------------------------------------------------------


def open_table(path: Path, kind: str, options: ReadOptions) -> Table:
    """A CSV, TSV or xlsx table of the file, its header read."""
    if kind == "xlsx":
        from advisor.catalog.xlsx import XlsxTable  # python-calamine is loaded only for workbooks

        return XlsxTable(path, options)
    return CsvTable(path, options)  # a TSV file too: its separator is detected like any other


def read_table(path: Path, dictionary: Dictionary, *, kind: str, options: ReadOptions) -> TableRead:
    """Open a table, check its header, tell its number style and validate its rows batch by batch (lazily)."""
    table = open_table(path, kind, options)
    problems, own = table.problems, list(table.header)
    if options.columns is not None:  # the rows are read in the format's names; problems name the file's columns
        wrong = mapping_problems(options.columns, dictionary)
        if wrong:
            raise UnusableInput("\n".join(wrong))
        table.header = options.columns.rename(own)
    if not table.header:
        return TableRead(read_as=", ".join(table.read_as), problems=problems, batches=iter(()))
    plan = BatchPlan(table.header, dictionary, spreadsheet=True)
    missing_required = any(name not in table.header for name in REQUIRED_FIELDS)
    found = header_problems(table.header, plan, table.header_row, own=own, columns=options.columns)
    sheet_hint = getattr(table, "sheet_hint", None)
    if missing_required and sheet_hint is not None and sheet_hint():  # another sheet of a workbook may be the one
        found = [replace(problem, reason=problem.reason + sheet_hint()) if problem.reason.startswith(_MISSING)
                 else problem for problem in found]  # fmt: skip
    problems.extend(found)
    chunks = table.chunks()
    first = next(chunks, None)
    rows = first.rows if first else []
    numbers = table.sample(rows, plan.number_positions())
    style = (
        STYLES[options.locale] if options.locale else detect_style(numbers, table.sample(rows, plan.word_positions()))
    )
    plan = BatchPlan(
        table.header, dictionary, style=style, serials=table.kind == "xlsx", spreadsheet=True,
        unneutralise=table.apostrophes,
    )  # fmt: skip
    # A workbook whose numbers are all typed cells has no number style to tell.
    label = style.label if numbers or options.locale or table.kind != "xlsx" else "typed numbers"
    read_as = ", ".join([*table.read_as, label])

    typed = plan.typed_positions()
    head = [first] if first else []
    del first
    # What python-calamine does not tell, from a workbook's XML where it matters (see xlsx.XlsxTable.percent_cells)
    percent_cells = getattr(table, "percent_cells", None)
    formula_cells = getattr(table, "formula_cells", None)
    percent = plan.percent_positions()
    required_at = [table.header.index(name) for name in REQUIRED_FIELDS if name in table.header]

    def raw() -> Iterator[RawBatch]:
        while head:
            yield filled(head.pop())
        for chunk in chunks:
            yield filled(chunk)

    def filled(chunk: Chunk) -> RawBatch:
        if percent_cells is not None and percent:
            percent_cells(chunk, percent)
        columns = plan.fill(table.columns(chunk.rows, style, typed))
        formulas = formula_cells(chunk.numbers, columns, required_at) if formula_cells is not None else {}
        return RawBatch(columns, chunk.numbers, chunk.broken, formulas)

    def finish(read: RawBatch) -> NumberedBatch:
        batch = plan.validate_filled(read.columns)
        for i, cells in read.formulas.items():  # an empty cell that is a formula's: not "is required", but why
            found = batch.problems.get(i, [])
            for column, formula in cells:
                reason = (
                    f"the cell holds the formula {formula} but no value computed from it (the file was not saved "
                    "by Excel, or Excel did not calculate it): open the file in Excel and save it, or write the value"
                )
                found = [Problem(column, reason) if p.column == column and p.reason == "is required" else p
                         for p in found]  # fmt: skip
            batch.problems[i] = found
        if read.broken:
            shape = {i: [Problem("", reason)] for i, reason in read.broken.items()}
            for i in shape:  # a stand-in's sku cell that is not an sku (a shifted cell) names no product
                if any(problem.column == "sku" for problem in batch.problems.get(i, ())):
                    batch.rejected_skus[i] = ""
            batch.reject(shape)
            batch.problems.update(shape)  # the stand-in's own problems would only be noise
        if missing_required:
            batch.products, batch.indexes, batch.stock = [], [], {}
        return NumberedBatch(batch=batch, row_numbers=read.row_numbers)

    filled_batches = raw()
    return TableRead(
        read_as=read_as, problems=problems, batches=map(finish, filled_batches), raw=filled_batches, finish=finish,
        release=table.release, style=style if label == style.label else None,
    )  # fmt: skip


# -- writing --------------------------------------------------------------------------------------------------------


def export_rows(products: Iterable[Mapping[str, Any]]) -> tuple[list[str], list[dict[str, str]]]:
    """Product records as dotted cells (a model with variants as one row per variant), and the union of their
    columns in a stable order."""
    rows = [flatten_record(row)[0] for product in products for row in variant_rows(product)[0]]
    columns: dict[str, None] = {}
    for row in rows:
        for column in row:
            columns.setdefault(column, None)
    return list(columns), rows


def write_csv(products: Iterable[Mapping[str, Any]], out: io.TextIOBase | Any) -> None:
    """Write product records as CSV with the union of their columns, in a stable order.

    A text that a spreadsheet would run as a formula (=, +, -, @ first) gets an apostrophe before it, as OWASP
    recommends against CSV injection; importing the file takes it off again.
    """
    columns, rows = export_rows(products)
    writer = csv.writer(out, lineterminator="\r\n")  # as Excel writes; a cell with either line end is quoted
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row.get(column, "")) for column in columns])
