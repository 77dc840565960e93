"""Read and write product files: JSON (nested) and CSV (the same fields as dotted column names)."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.catalog.dictionary import Dictionary
from advisor.catalog.validate import (
    REQUIRED_FIELDS,
    BatchPlan,
    Problem,
    UnknownColumn,
    ValidBatch,
    flatten_record,
    validate_records,
)

FORMATS = ("csv", "json")


class UnusableInput(ValueError):
    """The whole file cannot be imported (unreadable, wrong encoding, missing columns); nothing changes."""


def detect_format(path: Path, explicit: str | None = None) -> str:
    """The file format from --format or the file name's ending."""
    if explicit:
        return explicit
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise UnusableInput(f"{path}: cannot tell the format from the name; use --format csv or --format json")


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnusableInput(f"{path}: cannot read the file: {error.strerror}") from error
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
    """Validate nested records (from read_json) as one batch, numbered as in the file."""
    batch = validate_records([record for _, record in records], dictionary)
    return [NumberedBatch(batch=batch, row_numbers=[row_number for row_number, _ in records])]


@dataclass
class NumberedBatch:
    """A validated batch and each of its rows' number in the file."""

    batch: ValidBatch
    row_numbers: list[int]


def read_csv(path: Path, dictionary: Dictionary) -> Iterator[NumberedBatch]:
    """Read and validate a CSV file; rows are numbered as a spreadsheet shows them (the header is row 1).

    The header is checked at once; a missing required column or an unknown column, or broken CSV quoting
    found later while iterating, makes the whole file unusable (UnusableInput).
    """
    text = _read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise UnusableInput(f"{path}: the file is empty; expected a header row") from None
    except csv.Error as error:
        raise UnusableInput(f"{path}:1: cannot read the header: {error}") from error
    header = [name.strip() for name in header]
    missing = [name for name in REQUIRED_FIELDS if name not in header]
    if missing:
        raise UnusableInput(f"{path}:1: missing required column(s): {', '.join(missing)}")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise UnusableInput(f"{path}:1: column {duplicates[0]!r} appears twice")
    try:
        plan = BatchPlan(header, dictionary)
    except UnknownColumn as error:
        raise UnusableInput(f"{path}:1:{error.position + 1}: {error}") from error
    return _csv_batches(path, reader, plan)


CHUNK_ROWS = 20_000


def _csv_batches(path: Path, reader: Iterator[list[str]], plan: BatchPlan) -> Iterator[NumberedBatch]:
    """Validate the rows chunk by chunk, so that writing one chunk can overlap reading the next."""
    width = len(plan.header)
    row_number = 1
    while True:
        try:
            rows = [cells for cells in itertools.islice(reader, CHUNK_ROWS) if cells]
        except csv.Error as error:
            raise UnusableInput(f"{path}: broken CSV after row {row_number}: {error}") from error
        if not rows:
            return
        misshapen = {i: len(cells) for i, cells in enumerate(rows) if len(cells) != width}
        if misshapen:
            padded = [cells if i not in misshapen else [""] * width for i, cells in enumerate(rows)]
            batch = plan.validate(padded)
            shape = {i: [Problem("", f"has {n} cells, the header has {width}")] for i, n in misshapen.items()}
            batch.reject(shape)
            batch.problems.update(shape)  # the padding's own problems would only be noise
        else:
            batch = plan.validate(rows)
        yield NumberedBatch(batch=batch, row_numbers=list(range(row_number + 1, row_number + 1 + len(rows))))
        row_number += len(rows)


def write_csv(products: Iterable[Mapping[str, Any]], out: io.TextIOBase | Any) -> None:
    """Write product records as CSV with the union of their columns, in a stable order."""
    rows = [flatten_record(product)[0] for product in products]
    columns: dict[str, None] = {}
    for row in rows:
        for column in row:
            columns.setdefault(column, None)
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
