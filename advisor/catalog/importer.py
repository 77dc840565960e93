"""Import a catalog file: an attribute dictionary or products (JSON, CSV, TSV or xlsx), with their photos."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from sqlalchemy.engine import Engine

from advisor.catalog.dictionary import Dictionary, is_dictionary_document, load_dictionary_file, parse_dictionary
from advisor.catalog.formats import (
    FileProblem,
    NumberedBatch,
    ReadOptions,
    UnusableInput,
    detect_format,
    read_json,
    read_table,
    validated_json,
)
from advisor.catalog.images import ImageCheck, ImageSource, each_checked
from advisor.catalog.numbers import NumberStyle
from advisor.catalog.reading import can_fork, read_in_process
from advisor.catalog.store import ImportReport, import_products, load_dictionary, prepare_batch, save_dictionary
from advisor.memory import bulk_allocation
from advisor.paths import sample_catalog_dir


@dataclass(frozen=True)
class DictionaryImport:
    """An attribute dictionary that was read (and, unless a dry run, stored)."""

    dictionary: Dictionary
    dry_run: bool


def import_file(
    engine: Engine,
    path: Path,
    *,
    input_format: str | None = None,
    dry_run: bool = False,
    all_or_nothing: bool = False,
    options: ReadOptions | None = None,
    images: Path | None = None,
    reader_process: bool = False,
    remove_missing: bool = False,
) -> ImportReport | DictionaryImport:
    """Import one file; UnusableInput (or DictionaryError) means it could not be read at all and nothing changed.

    A table (CSV, TSV, xlsx) with problems of the whole file is reported, not raised: `report.unusable` names
    them, with every bad cell, and nothing is written. With `reader_process`, a CSV or TSV file is read and
    validated by a forked process while this one writes (see advisor.catalog.reading), where this process has no
    other thread. With `remove_missing` the file is the whole assortment of its categories: their products that it
    does not contain are removed (see import_products).
    """
    kind = detect_format(path, input_format)
    options = options or ReadOptions()
    if kind == "json" and options.columns is not None:
        raise UnusableInput(f"{path}: --columns maps a table's column names (CSV, TSV or xlsx); a JSON file has none")
    source = ImageSource(images) if images is not None else None
    with bulk_allocation():
        if kind == "json":
            document, records = read_json(path)
            if is_dictionary_document(document):
                dictionary = parse_dictionary(document, str(path))
                if not dry_run:
                    save_dictionary(engine, dictionary)
                return DictionaryImport(dictionary=dictionary, dry_run=dry_run)
        dictionary = load_dictionary(engine)
        if not dictionary.categories:
            # A new database: products are checked against the shipped dictionary, which is stored with them.
            dictionary = load_dictionary_file(sample_catalog_dir() / "categories.json")
            if not dry_run:
                save_dictionary(engine, dictionary)
        read_as: str | None = None
        style: NumberStyle | None = None
        unusable: list[FileProblem] = []
        batches: Iterator[NumberedBatch]
        if kind == "json":
            batches = iter(validated_json(records, dictionary))
        else:
            table = read_table(path, dictionary, kind=kind, options=options)
            read_as, unusable, batches, style = table.read_as, table.problems, table.batches, table.style
            prepare: Callable[[NumberedBatch], NumberedBatch] | None = None
            if not dry_run and source is None:  # (a dry run compares, a photo check changes, the products as read)
                order = {category.id: tuple(category.varying) for category in dictionary.categories.values()}
                prepare = partial(prepare_batch, varying_order=order)
            # A workbook is read in line: its reader holds the whole workbook, which two processes would hold twice.
            if reader_process and kind != "xlsx" and can_fork():
                # The reader validates and prepares batches while this process writes, and leaves a batch to this
                # process whenever it had to wait for one (balanced so: bench_variants' import).
                batches = read_in_process(table.raw, unusable, table.finish, prepare, table.release)
            elif prepare is not None:
                batches = map(prepare, batches)
        check = ImageCheck(source) if source is not None else None
        if check is not None:
            batches = each_checked(batches, check)
        report = import_products(
            engine, batches, dry_run=dry_run, all_or_nothing=all_or_nothing, unusable=unusable, read_as=read_as,
            dictionary=dictionary, remove_missing=remove_missing, number_style=style,
        )  # fmt: skip
    if check is not None:
        if report.written:
            folder = check.copy()
            report.notes.append(f"{len(check.accepted)} photo(s) copied to {folder}")
        report.notes.extend(f"{name}: no product of the file has this photo" for name in check.source.unused())
    if options.columns is not None:  # problems name the columns as the file does
        shown = options.columns.shown
        report.rejected = [replace(rejection, column=shown(rejection.column)) for rejection in report.rejected]
        report.unusable = [replace(problem, column=shown(problem.column)) for problem in report.unusable]
    return report
