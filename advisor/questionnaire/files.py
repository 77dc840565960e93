"""Finding questionnaire files, checking them all, and parsing answers given as text."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.catalog.convert import BOOLEANS
from advisor.catalog.dictionary import Dictionary
from advisor.questionnaire.checks import check_questionnaire, unique
from advisor.questionnaire.findings import ERROR, Finding, has_errors
from advisor.questionnaire.load import Loaded, load_file
from advisor.questionnaire.model import DONT_CARE, Questionnaire, Step
from advisor.recommend.index import CatalogIndex

SUFFIXES = (".yaml", ".yml")


def questionnaire_files(paths: Iterable[Path]) -> list[Path]:
    """The questionnaire files named, folders expanded to their .yaml files (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


@dataclass(frozen=True)
class Checked:
    """A file's questionnaire (when it loads) and every finding about it."""

    path: Path
    questionnaire: Questionnaire | None
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return self.questionnaire is not None and not has_errors(self.findings)


def check_file(path: Path, dictionary: Dictionary | None, index: CatalogIndex | None, *, walk: bool = True) -> Checked:
    """Load and check one file: format, file-level checks, then (when those pass) the catalog audit."""
    from advisor.audit import audit

    loaded: Loaded = load_file(path)
    findings = list(loaded.findings)
    questionnaire = loaded.questionnaire
    if questionnaire is not None:
        findings += check_questionnaire(questionnaire, dictionary, str(path))
        category = index.categories.get(questionnaire.category) if index else None
        if walk and category is not None and not has_errors(findings):
            findings += audit(questionnaire, category, str(path))
    return Checked(path, questionnaire, tuple(unique(findings)))


@dataclass(frozen=True)
class FileReport:
    """What checking one file found (plain data: it crosses process boundaries)."""

    path: Path
    questionnaire_id: str | None
    findings: tuple[Finding, ...]


def _report(path: Path, dictionary: Dictionary | None, index: CatalogIndex | None) -> FileReport:
    checked = check_file(path, dictionary, index)
    return FileReport(path, checked.questionnaire.id if checked.questionnaire else None, checked.findings)


_shared: tuple[Dictionary | None, CatalogIndex | None] = (None, None)


def _report_in_worker(path: Path) -> FileReport:
    return _report(path, *_shared)


def check_files(paths: Sequence[Path], dictionary: Dictionary | None, index: CatalogIndex | None) -> list[FileReport]:
    """Check every file (on every core: the path walks are independent) and that ids are unique across them."""
    global _shared
    files = questionnaire_files(paths)
    workers = min(len(files), os.cpu_count() or 1)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        # Forked workers inherit the catalog index instead of rebuilding it.
        _shared = (dictionary, index)
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(_report_in_worker, files))
        _shared = (None, None)
    else:
        results = [_report(path, dictionary, index) for path in files]
    first: dict[str, Path] = {}
    for i, result in enumerate(results):
        if result.questionnaire_id is None:
            continue
        other = first.setdefault(result.questionnaire_id, result.path)
        if other != result.path:
            duplicate = Finding(str(result.path), 1, 1, "Q005", ERROR,
                                f"questionnaire id '{result.questionnaire_id}' is also used by {other}")  # fmt: skip
            results[i] = FileReport(result.path, result.questionnaire_id, (*result.findings, duplicate))
    return results


def parse_answer(step: Step, text: str) -> Any:
    """An answer typed on the command line: option ids (comma-separated for multiple), a number, yes/no."""
    value = text.strip()
    if value == DONT_CARE:
        return DONT_CARE
    if step.kind == "multiple":
        return tuple(item.strip() for item in value.split(",") if item.strip())
    if step.kind == "yes_no":
        lowered = value.lower()
        return BOOLEANS.get(lowered, value)
    if step.kind == "number":
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    return value
