"""Findings: what a check says about a questionnaire file, with where (file, line, column) and a code."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"

# Every code a merchandiser can meet, with a one-line meaning (docs/questionnaires.md explains each).
CODES: dict[str, str] = {
    "Q001": "the file is not valid YAML",
    "Q002": "unknown key",
    "Q003": "a required key is missing",
    "Q004": "a value has the wrong type or is out of range",
    "Q005": "an id is used twice",
    "Q006": "a reference to a step or option that does not exist",
    "Q007": "an expression cannot be read",
    "Q008": "an expression uses a name that is neither a step nor a product attribute",
    "Q009": "a product attribute that the category does not have",
    "Q010": "a value that the attribute does not allow",
    "Q011": "a type mismatch (number against text, single against multiple choice)",
    "Q012": "the routing runs in a circle",
    "Q013": "a step that no path reaches",
    "Q014": "a condition that refers to a later step (its answer is never known in time)",
    "Q015": "a visible text misses a declared locale",
    "Q016": "a format version this app does not know",
    "Q017": "a category that the catalog does not have",
    "Q018": "a step id that hides a product attribute of the same name",
    "Q019": "number settings that contradict each other",
    "Q020": "an older format version (it is migrated on load; `advisor migrate` rewrites the file)",
    "Q021": "a German text that does not use the declared form of address (du or Sie)",
    "Q022": "a number in an expression written with a German thousands separator (3.000 reads as 3)",
    "Q023": "a requirement that the answers it applies with always make true (it never filters)",
    "Q024": "a step no answers lead to (its show_if never true, no goto to it taken), or a goto never taken",
    "Q025": "a step whose answer nothing uses (no requirement or preference, no condition names it)",
    "Q026": "an example that expects nothing (no include, exclude, count_at_least or no_match)",
    "A001": "an answer path that leaves no product",
    "A002": "an option that never changes the result",
    "A003": "a product that the questionnaire can never recommend",
    "A004": "an example whose expectation does not hold",
    "A005": "a requirement that no product can ever satisfy",
    "A006": "an example that names a product the catalog does not have",
    "A007": "a sku (a service outcome's or guide's part, a size chart's model) that the catalog does not have",
    "A008": "a service flow's outcome that no answer path reaches",
    "A009": "a guide id that no guide has",
    "A010": "a service flow's example whose outcomes differ",
    "G001": "a guide step's image that is not there",
    "S001": "a size chart whose ranges are out of order, leave a gap or overlap, or whose sizes are out of order",
    "S002": "a size chart that does not cover the whole range a questionnaire's measurement step allows",
    "S003": "a product that comes in sizes, but that no size chart applies to",
    "S004": "a size chart that advises a size a product it applies to does not come in",
}


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(message: str) -> str:
    """A message on one line: control characters and line breaks shown as escapes (\\n, \\x07)."""
    return _UNPRINTABLE.sub(lambda match: repr(match.group())[1:-1], message)


@dataclass(frozen=True, order=True)
class Fix:
    """A replacement that fixes a finding: the text for lines and columns (1-based, end exclusive)."""

    title: str
    replacement: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, order=True)
class Finding:
    """One finding: 1-based line and column (0 when the whole file is meant), where it ends, and fixes."""

    file: str
    line: int
    column: int
    code: str
    severity: str
    message: str
    end_line: int = field(default=0, compare=False)
    end_column: int = field(default=0, compare=False)
    fixes: tuple[Fix, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", one_line(self.message))
        if self.end_line < self.line or (self.end_line == self.line and self.end_column <= self.column):
            object.__setattr__(self, "end_line", self.line)
            object.__setattr__(self, "end_column", self.column + 1 if self.line else 0)

    def as_text(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.code} {self.severity}: {self.message}"

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "fixes": [
                {"title": fix.title, "replacement": fix.replacement, "line": fix.line, "column": fix.column,
                 "end_line": fix.end_line, "end_column": fix.end_column}
                for fix in self.fixes
            ],
        }  # fmt: skip


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name closest to a mistyped one, if one is close enough: first the same word in other capitals
    ('Du' for du, 'DE' for de), else the most similar."""
    candidates = list(known)
    same = [candidate for candidate in candidates if candidate.casefold() == name.casefold()]
    if same:
        return same[0]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a known name is close, else ''."""
    close = closest(name, known)
    return f" (did you mean '{close}'?)" if close else ""


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(finding.severity == ERROR for finding in findings)
