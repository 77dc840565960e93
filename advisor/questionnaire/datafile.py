"""Catalog data files that merchandisers write in JSON beside the catalog (repair guides, size charts): read with
positions kept (JSON is YAML, so the questionnaire's reader serves), checked against their spec, every finding
naming file and line."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from advisor.questionnaire.document import decode, read_document
from advisor.questionnaire.findings import ERROR, Finding, Fix, has_errors
from advisor.questionnaire.spec import Context, Obj


def read_data_text(
    text: str, file: str, *, spec: Obj, not_a_mapping: str, locales: tuple[str, ...]
) -> tuple[Any, Context | None, list[Finding]]:
    """The file's data as `spec` validates it (None when it is no JSON mapping), its context and its findings.

    `not_a_mapping` is said when the file is JSON but no mapping (what it should look like); a file that is no JSON
    at all is said in JSON's words, where JSON's reader stopped (then there is no context).
    """
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return None, None, [_not_json(error, file)]
    except RecursionError:
        return None, None, [Finding(file, 1, 1, "Q001", ERROR, "not valid JSON: nested too deeply")]
    document = read_document(text)
    ctx = Context(file=file, document=document, locales=locales)
    for problem in document.problems:
        line, column, end_line, end_column = problem.span
        ctx.findings.append(
            Finding(file, line + 1, column + 1, problem.code, ERROR, problem.message, end_line + 1, end_column + 1)
        )
    if not isinstance(document.value, dict):
        if document.readable or not ctx.findings:
            ctx.add((), "Q004", not_a_mapping)
        return None, ctx, ctx.findings
    return spec.validate(document.value, (), ctx), ctx, ctx.findings


def _not_json(error: json.JSONDecodeError, file: str) -> Finding:
    """Where JSON's reader stopped and why; a comma before a closing bracket (which JSON does not allow, though
    JavaScript and Python do) is named at the comma."""
    text, position = error.doc, error.pos
    before = text[:position].rstrip()
    if text[position : position + 1] in ("]", "}") and before.endswith(","):
        comma = len(before) - 1
        line = text.count("\n", 0, comma) + 1
        column = comma - (text.rfind("\n", 0, comma) + 1) + 1
        closing = text[position]
        message = f"not valid JSON: a comma before {closing} is not allowed; remove this comma"
        remove = Fix("Remove the comma", "", line, column, line, column + 1)
        return Finding(file, line, column, "Q001", ERROR, message, line, column + 1, (remove,))
    return Finding(file, error.lineno, error.colno, "Q001", ERROR, f"not valid JSON: {error.msg}")


def read_data_file(path: Path, what: str) -> tuple[str | None, tuple[Finding, ...]]:
    """A data file's text, and what its encoding did not allow (a BOM, a wrong byte); None when it cannot be read
    (`what` names the file in the finding: "the guides file")."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, (Finding(str(path), 0, 0, "Q001", ERROR, f"cannot read {what}: {error.strerror}"),)
    text, problems = decode(data)
    return text, tuple(
        Finding(str(path), p.span[0] + 1, p.span[1] + 1, p.code, ERROR, p.message, p.span[2] + 1, p.span[3] + 1)
        for p in problems
    )


class _DataFile(Protocol):
    @property
    def findings(self) -> tuple[Finding, ...]: ...


D = TypeVar("D", bound=_DataFile)


Stamp = tuple[int, int, int, int]


def _stamp(path: Path) -> Stamp | None:
    """What tells a saved file from the one read before (None: not there): its inode (an editor that saves by
    replacing), its modification and change times and its size."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns, found.st_ctime_ns, found.st_size


class KeptFile(Generic[D]):
    """A data file read once per process and kept. `refresh` reads it again when it was saved since (its stamp
    moved); a new version with errors leaves the last good one in use, as a broken questionnaire save does."""

    def __init__(self, load: Callable[[Path], D]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._kept: dict[Path, tuple[Stamp | None, D]] = {}

    def get(self, path: Path) -> D:
        """The version in use (the file is read on first use)."""
        with self._lock:
            kept = self._kept.get(path)
        if kept is None:
            stamp, loaded = _stamp(path), self._load(path)
            with self._lock:
                kept = self._kept.setdefault(path, (stamp, loaded))
        return kept[1]

    def refresh(self, path: Path) -> tuple[Finding, ...]:
        """Read the file again if it was saved since it was read (never when it was not read yet: `get` reads the
        current one); the findings of a new version with errors, which is not used (empty otherwise)."""
        stamp = _stamp(path)
        with self._lock:
            kept = self._kept.get(path)
        if kept is None or kept[0] == stamp:
            return ()
        new = self._load(path)
        broken = has_errors(new.findings)
        with self._lock:
            self._kept[path] = (stamp, kept[1] if broken else new)  # a broken save is read once, not every look
        return new.findings if broken else ()
