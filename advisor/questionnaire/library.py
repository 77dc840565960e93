"""The questionnaires a running app offers: reloaded when a file changes, the last good version kept."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from advisor.catalog.dictionary import Dictionary
from advisor.paths import questionnaires_dir
from advisor.questionnaire.checks import check_questionnaire, unique
from advisor.questionnaire.files import questionnaire_files
from advisor.questionnaire.findings import Finding, has_errors
from advisor.questionnaire.load import load_file
from advisor.questionnaire.model import FINDER, SERVICE, Questionnaire


@dataclass(frozen=True)
class Reloaded:
    """What reading a file again gave: the questionnaire now in use, the findings, and whether it is new."""

    path: Path
    questionnaire: Questionnaire | None
    findings: tuple[Finding, ...]
    updated: bool


@dataclass
class QuestionnaireLibrary:
    """Questionnaires by file; a file with errors never replaces a working version (nor crashes anything)."""

    dictionary: Dictionary | None = None
    by_path: dict[Path, Questionnaire] = field(default_factory=dict)

    def load(self, paths: Iterable[Path]) -> list[Reloaded]:
        return [self.reload(path) for path in paths]

    def reload(self, path: Path) -> Reloaded:
        """Read a file again: use it if it has no errors, else keep the last good version."""
        loaded = load_file(path)
        findings = list(loaded.findings)
        if loaded.questionnaire is not None:
            findings += check_questionnaire(loaded.questionnaire, self.dictionary, str(path), loaded.context)
        if loaded.questionnaire is None or has_errors(findings):
            return Reloaded(path, self.by_path.get(path), tuple(unique(findings)), updated=False)
        self.by_path[path] = loaded.questionnaire
        return Reloaded(path, loaded.questionnaire, tuple(unique(findings)), updated=True)

    def forget(self, path: Path) -> None:
        self.by_path.pop(path, None)

    @property
    def questionnaires(self) -> dict[str, Questionnaire]:
        """The working finders by id (the first file wins when two share an id); service flows are apart."""
        return self._working(FINDER)

    @property
    def service_flows(self) -> dict[str, Questionnaire]:
        """The working service flows by id (help with a product the shopper owns)."""
        return self._working(SERVICE)

    @property
    def everything(self) -> dict[str, Questionnaire]:
        """The working finders, then the service flows, by id (what a surface offers and can restore)."""
        return {**self.questionnaires, **self.service_flows}

    def _working(self, kind: str) -> dict[str, Questionnaire]:
        found: dict[str, Questionnaire] = {}
        for path in sorted(self.by_path):
            if self.by_path[path].kind == kind:
                found.setdefault(self.by_path[path].id, self.by_path[path])
        return found


def load_library(paths: list[Path] | None = None) -> QuestionnaireLibrary:
    """The questionnaires that load without errors (broken files are reported on stderr, never shown to a shopper)."""
    library = QuestionnaireLibrary()
    for result in library.load(questionnaire_files(paths or [questionnaires_dir()])):
        for finding in result.findings:
            if finding.severity == "error":
                sys.stderr.write(finding.as_text() + "\n")
    return library


class LibraryWatch:
    """The questionnaires of a folder for a server: a file saved, added or removed is taken in within `every`
    seconds (its modification times are looked at no more often; a broken save keeps the last good version)."""

    def __init__(self, folder: Path | None = None, *, every: float = 2.0) -> None:
        self.folder = folder or questionnaires_dir()
        self.every = every
        self.library = QuestionnaireLibrary()
        self._seen: dict[Path, float] = {}
        self._checked = time.monotonic()
        self._lock = threading.Lock()
        self._questionnaires: dict[str, Questionnaire] = {}
        self._service_flows: dict[str, Questionnaire] = {}
        self._refresh()

    def _refresh(self) -> None:
        files = {path: path.stat().st_mtime for path in questionnaire_files([self.folder]) if path.exists()}
        for path in set(self._seen) - set(files):
            self.library.forget(path)
        for path, changed in files.items():
            if self._seen.get(path) != changed:
                for finding in self.library.reload(path).findings:
                    if finding.severity == "error":
                        sys.stderr.write(finding.as_text() + "\n")
        self._seen = files
        self._questionnaires = self.library.questionnaires
        self._service_flows = self.library.service_flows

    def refresh(self) -> None:
        """Look at the files now (a server's housekeeping thread, so no request waits for the disk: its watch is
        made with `every=math.inf`)."""
        with self._lock:
            self._checked = time.monotonic()
            self._refresh()

    def service_flows(self) -> dict[str, Questionnaire]:
        """The working service flows by id, as of at most `every` seconds ago."""
        self.questionnaires()
        return self._service_flows

    def questionnaires(self) -> dict[str, Questionnaire]:
        """The working questionnaires by id, as of at most `every` seconds ago."""
        now = time.monotonic()
        if now - self._checked >= self.every and self._lock.acquire(blocking=False):
            try:
                self._checked = now
                self._refresh()
            finally:
                self._lock.release()
        return self._questionnaires
