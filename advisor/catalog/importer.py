"""Import a catalog file: an attribute dictionary or products, CSV or JSON."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from advisor.catalog.dictionary import Dictionary, is_dictionary_document, load_dictionary_file, parse_dictionary
from advisor.catalog.formats import detect_format, read_csv, read_json, validated_json
from advisor.catalog.store import ImportReport, import_products, load_dictionary, save_dictionary
from advisor.paths import sample_catalog_dir


@dataclass(frozen=True)
class DictionaryImport:
    """An attribute dictionary that was read (and, unless a dry run, stored)."""

    dictionary: Dictionary
    dry_run: bool


@contextlib.contextmanager
def _bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while a batch builds millions of objects that are all still in use.

    Each collection would walk every object built so far: it cost a third of a 100,000-row import.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_file(
    engine: Engine, path: Path, *, input_format: str | None = None, dry_run: bool = False
) -> ImportReport | DictionaryImport:
    """Import one file; UnusableInput (or DictionaryError) means nothing was changed."""
    kind = detect_format(path, input_format)
    with _bulk_allocation():
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
        batch = validated_json(records, dictionary) if kind == "json" else read_csv(path, dictionary)
        return import_products(engine, batch, dry_run=dry_run)
