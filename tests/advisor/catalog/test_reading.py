"""A table read and validated by a forked process while the importer writes: the same batches, problems and
errors as read in line, and no reader left behind."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.catalog import formats, importer
from advisor.catalog.formats import FileProblem, NumberedBatch, RawBatch, ReadOptions, TableRead, read_table, write_csv
from advisor.catalog.importer import import_file
from advisor.catalog.reading import _decoded, _encoded, _read, read_in_process
from advisor.catalog.store import ImportReport, prepare_single
from advisor.catalog.validate import Problem, ValidBatch
from advisor.db.engine import make_engine, upgrade
from tests.helpers.catalog import sample_dictionary, stored_tables, tent, with_dictionary


def _records(count: int) -> list[dict[str, Any]]:
    records = [tent(sku=f"T-{n:04d}", price=100.0 + n) for n in range(count)]
    records[3]["attributes"]["capacity"] = "two"  # a bad cell in the first batch ...
    records[-2]["sku"] = "T-0001"  # ... and a sku the file already had, in the last
    return records


def _csv(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "products.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(_records(count), handle)
    return path


def _batches(path: Path) -> tuple[Iterator[NumberedBatch], list[FileProblem]]:
    read = _table(path)
    return read.batches, read.problems


def _table(path: Path) -> TableRead:
    return read_table(path, sample_dictionary(), kind="csv", options=ReadOptions())


def _no_reader_left() -> bool:
    return not [child for child in multiprocessing.active_children() if child.name == "catalog-reader"]


def test_a_forked_reader_gives_the_batches_read_in_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "CHUNK_ROWS", 4)  # three batches of 4, one of 2
    path = _csv(tmp_path, 14)
    in_line, _ = _batches(path)
    forked_batches, problems = _batches(path)
    expected = list(in_line)
    got = list(read_in_process(forked_batches, problems))
    assert len(got) == 4
    assert got == expected
    assert got[0].batch.problems[3][0].column == "attributes.capacity"
    assert problems == []
    assert _no_reader_left()


def test_batches_validated_by_either_process_are_those_read_in_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given raw batches, the reader validates some and leaves others to the writer: the same batches in order."""
    monkeypatch.setattr(formats, "CHUNK_ROWS", 3)
    path = _csv(tmp_path, 17)
    expected = list(_table(path).batches)
    read = _table(path)
    assert read.finish is not None
    got = list(read_in_process(read.raw, read.problems, read.finish))
    assert got == expected
    assert len(got) == 6
    assert [(row, problem.column) for numbered in got for i, found in numbered.batch.problems.items()
            for row, problem in [(numbered.row_numbers[i], found[0])]] == [(5, "attributes.capacity")]  # fmt: skip
    assert _no_reader_left()


def test_the_writer_lets_go_of_the_files_text_once_the_reader_has_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the reader reads the file once it has started: the writer's copy of the text is let go (the reader's
    own copy, made at the fork, reads on), so a large file is not held twice."""
    monkeypatch.setattr(formats, "CHUNK_ROWS", 3)
    path = _csv(tmp_path, 17)
    expected = list(_table(path).batches)
    read = _table(path)
    assert read.finish is not None and read.release is not None
    table = read.release.__self__  # type: ignore[attr-defined]
    assert table.lines.text == path.read_bytes().decode("utf-8")
    batches = read_in_process(read.raw, read.problems, read.finish, started=read.release)
    got = [next(batches)]
    assert table.lines.text == ""
    got += list(batches)
    assert got == expected


def test_a_writer_that_waited_gets_the_next_batch_unvalidated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader's choice, batch by batch: the writer had to wait, so the next batch goes as read (and the writer's
    finishing it gives the batch read in line); then, the writer busy, the reader validates and prepares them."""
    monkeypatch.setattr(formats, "CHUNK_ROWS", 4)
    path = _csv(tmp_path, 10)
    expected = list(_table(path).batches)
    read = _table(path)
    assert read.finish is not None
    receiving, sending = multiprocessing.Pipe(duplex=False)
    waited = multiprocessing.RawValue("b", 1)
    prepared: list[int] = []

    def prepare(numbered: NumberedBatch) -> NumberedBatch:
        prepared.append(numbered.row_numbers[0])
        return numbered

    _read(read.raw, read.problems, sending, read.finish, prepare, waited)
    messages = []
    while receiving.poll():
        messages.append(_decoded(receiving.recv_bytes()))
    assert [kind for kind, _, _ in messages] == ["raw", "batch", "batch", "end"]
    assert waited.value == 0
    assert isinstance(messages[0][1], RawBatch)
    assert read.finish(messages[0][1]) == expected[0]
    assert [payload for _, payload, _ in messages[1:3]] == expected[1:]
    assert prepared == [6, 10]  # the rows the reader's two batches begin with


def test_an_unclosed_quote_found_by_the_reader_comes_with_its_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer learns of a problem of the whole file as soon as the reader finds it, to stop writing."""
    monkeypatch.setattr(formats, "CHUNK_ROWS", 4)
    path = _csv(tmp_path, 14)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[10].split(",")
    cells[3] = '"' + cells[3]  # row 11, line 11: name.de opens a quote that nothing closes
    lines[10] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    batches, problems = _batches(path)
    seen = []
    for numbered in read_in_process(batches, problems):
        seen.append((numbered.row_numbers[0], [p.line for p in problems]))
    assert seen[:2] == [(2, []), (6, [])]
    assert [p.line for p in problems] == [11]
    assert "never closed" in problems[0].reason


def test_an_error_in_the_reader_is_raised_in_the_writer(tmp_path: Path) -> None:
    batches, problems = _batches(_csv(tmp_path, 5))

    def failing() -> Iterator[NumberedBatch]:
        yield from batches
        raise ValueError("row 7: the disk said no")

    read = read_in_process(failing(), problems)
    assert next(read).row_numbers == [2, 3, 4, 5, 6]
    with pytest.raises(ValueError, match="row 7: the disk said no"):
        next(read)
    assert _no_reader_left()


def test_a_reader_that_dies_is_an_error_not_a_short_file(tmp_path: Path) -> None:
    batches, problems = _batches(_csv(tmp_path, 5))

    def dying() -> Iterator[NumberedBatch]:
        yield from batches
        os._exit(3)  # as the kernel's OOM killer would end it: no message, no end

    read = read_in_process(dying(), problems)
    with pytest.raises(RuntimeError, match=r"ended before the end of the file \(exit code 3\)"):
        list(read)  # (the batch it had read may or may not have been sent before it died: never a short file)


def test_a_writer_that_stops_early_ends_the_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "CHUNK_ROWS", 2)
    batches, problems = _batches(_csv(tmp_path, 14))
    read = read_in_process(batches, problems)
    next(read)
    assert not _no_reader_left()
    read.close()
    assert _no_reader_left()


def test_an_import_with_a_reader_process_stores_and_reports_what_one_in_line_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader validates and prepares batches (table rows and JSON), the writer the others: the tables and the
    report are those of an import read in line."""
    monkeypatch.setattr(formats, "CHUNK_ROWS", 3)
    monkeypatch.setattr(importer, "can_fork", lambda: True)  # (pytest may run threads of its own)
    path = _csv(tmp_path, 17)
    found = []
    for reader in (False, True):
        engine = make_engine(f"sqlite:///{tmp_path / f'{reader}.sqlite3'}")
        upgrade(engine)
        with_dictionary(engine)
        report = import_file(engine, path, reader_process=reader)
        assert isinstance(report, ImportReport)
        found.append((report.imported, [(r.row, r.column, r.reason) for r in report.rejected], stored_tables(engine)))
        engine.dispose()
    assert found[0] == found[1]
    imported, rejected, tables = found[1]
    assert imported == 15
    assert [(row, column) for row, column, _ in rejected] == [(5, "attributes.capacity"), (17, "sku")]
    assert len(tables[0]) == len(tables[1]) == 15


_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(
    products=st.lists(st.tuples(st.text(max_size=10), _VALUE, _VALUE), max_size=5),
    problems=st.dictionaries(
        st.integers(0, 9),
        st.lists(st.builds(Problem, st.text(max_size=8), st.text(max_size=20)), min_size=1, max_size=2),
        max_size=3,
    ),  # fmt: skip
    found=st.lists(st.builds(FileProblem, st.text(max_size=20), st.none() | st.integers(1, 10**6)), max_size=2),
    odd=st.booleans(),
    prepared=st.booleans(),
)
def test_a_batch_crosses_the_pipe_unchanged(
    products: list[tuple[Any, ...]], problems: dict[int, list[Problem]], found: list[FileProblem], odd: bool,
    prepared: bool,
) -> None:  # fmt: skip
    """Whatever a batch holds, it arrives as it was sent: plain values marshalled, anything else pickled."""
    if odd:
        products = [*products, ("x", Decimal("1.5"), None)]  # a value marshal does not know
    batch = ValidBatch(
        products=products, indexes=list(range(len(products))), stock={0: [("T-1", "s1", 2, "A", "3")]},
        problems=problems, rejected_skus={9: "T-9"}, variants={0: ("T-1-L", None)},
    )  # fmt: skip
    sent = NumberedBatch(batch=batch, row_numbers=[n + 2 for n in range(len(products))], prepared=prepared)
    assert _decoded(_encoded("batch", sent, found)) == ("batch", sent, found)


@settings(max_examples=100, deadline=None)
@given(
    columns=st.lists(st.lists(st.text(max_size=6), min_size=2, max_size=2).map(tuple), max_size=4),
    broken=st.dictionaries(st.integers(0, 1), st.text(max_size=12), max_size=2),
    found=st.lists(st.builds(FileProblem, st.text(max_size=20), st.none() | st.integers(1, 10**6)), max_size=2),
)
def test_a_raw_batch_crosses_the_pipe_unchanged(
    columns: list[tuple[str, ...]], broken: dict[int, str], found: list[FileProblem]
) -> None:
    sent = RawBatch(columns=list(columns), row_numbers=[7, 8], broken=broken)
    assert _decoded(_encoded("raw", sent, found)) == ("raw", sent, found)


def test_a_prepared_batch_is_its_table_rows_with_the_options_after_them() -> None:
    """A tent's colours vary in the sample dictionary: they become its variant's options; the objects JSON text."""
    dictionary = sample_dictionary()
    order = {category.id: tuple(category.varying) for category in dictionary.categories.values()}
    values = (
        "T-1",
        "tents",
        "Nordgrat",
        "Zelt",
        "Tent",
        "",
        "",
        9950,
        "EUR",
        None,
        {"capacity": 2, "colours": ["green"]},
        {"wash": "hand"},
        {},
        {},
    )
    numbered = NumberedBatch(batch=ValidBatch(products=[values], indexes=[0]), row_numbers=[2])
    prepared = prepare_single(numbered, order)
    assert prepared.prepared
    row = prepared.batch.products[0]
    assert row[:10] == values[:10]
    assert row[10:] == ('{"capacity":2}', '{"wash":"hand"}', "{}", "{}", '{"colours":["green"]}')
