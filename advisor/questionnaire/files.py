"""Finding questionnaire files and parsing answers typed as text."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from advisor.catalog.convert import BOOLEANS
from advisor.questionnaire.model import DONT_CARE, Step

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
