"""How a file writes numbers: English (349.95) or German (349,95 and 1.234,56), and telling which from its cells."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_GERMAN = r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"
_GERMAN_CELL = re.compile(_GERMAN)
_GERMAN_COLUMN = re.compile(rf"{_GERMAN}(?:\n{_GERMAN})*")
# Evidence for detection: a decimal comma is German only; a decimal point that is no thousands group is English only.
_ONLY_GERMAN = re.compile(r"-?\d+,\d+|-?\d{1,3}(?:\.\d{3})+,\d+")
_ONLY_ENGLISH = re.compile(r"-?\d*\.\d+")
_THOUSANDS_GROUPS = re.compile(r"-?\d{1,3}(?:\.\d{3})+")
_GERMAN_WORDS = re.compile(r"(?i:wahr|falsch)|\d{1,2}\.\d{1,2}\.\d{4}")
_DECORATION = " \u00a0%€$£"


# Characters a spreadsheet shows as blank or not at all, named in a message rather than escaped ('1\xa0299,95').
_INVISIBLE = {
    "\u00a0": (" ", "a non-breaking space"), "\u202f": (" ", "a narrow non-breaking space"),
    "\u2007": (" ", "a figure space"), "\u2009": (" ", "a thin space"), "\t": (" ", "a tab"),
    "\n": (" ", "a line break"), "\r": (" ", "a line break"), "\u200b": ("", "a zero-width space"),
    "\ufeff": ("", "an invisible byte order mark"), "\u00ad": ("", "a soft hyphen"), "\u2060": ("", "a word joiner"),
}  # fmt: skip


def quoted(value: Any) -> str:
    """A cell as a message shows it: quoted, as the merchandiser sees it, with its invisible characters named
    ("'1 299,95' (with a non-breaking space)") rather than escaped; a typed cell (a number) as it is."""
    if not isinstance(value, str):
        return repr(value)
    quote = '"' if "'" in value and '"' not in value else "'"
    if value.isprintable():
        return f"{quote}{value}{quote}"
    seen: list[str] = []
    shown = []
    for character in value:
        if character.isprintable():
            shown.append(character)
            continue
        instead, name = _INVISIBLE.get(character, ("", f"the invisible character U+{ord(character):04X}"))
        shown.append(instead)
        if name not in seen:
            seen.append(name)
    return f"{quote}{''.join(shown)}{quote} (with {' and '.join(seen)})"


@dataclass(frozen=True)
class NumberStyle:
    """The decimal mark a file uses; German files may also group thousands with a dot (1.234,56)."""

    locale: str
    label: str  # as the import states it: "German numbers"
    example: str  # a price written this way

    def parse(self, text: str) -> float:
        """One cell as a number; ValueError when it is not a number written this way. A typographic minus (−, as
        word processors and some shop systems write it) is a minus."""
        stripped = text.strip().replace("\u2212", "-")
        if self.locale == "de":
            if not _GERMAN_CELL.fullmatch(stripped):
                raise ValueError(text)
            return float(stripped.replace(".", "").replace(",", "."))
        return float(stripped)

    def ambiguous_whole(self, text: str) -> bool:
        """Whether an English whole number reads differently in German (10.000 is ten thousand there, not 10)."""
        return self.locale == "en" and _THOUSANDS_GROUPS.fullmatch(text.strip()) is not None

    def parse_column(self, values: Sequence[Any]) -> list[float] | None:
        """All cells as numbers, or None if any is not a plain number written this way (the caller then looks at
        each); the German column is checked and converted as one string, in C."""
        if self.locale == "de":
            try:
                joined = "\n".join(values)
            except TypeError:  # a workbook's typed numbers among the text
                try:
                    return [float(value) if not isinstance(value, str) else self.parse(value) for value in values]
                except ValueError:
                    return None
            if not _GERMAN_COLUMN.fullmatch(joined):
                return None
            return list(map(float, joined.replace(".", "").replace(",", ".").split("\n")))
        try:
            return list(map(float, values))
        except ValueError:
            return None

    def render(self, number: float) -> str:
        """A number of a typed spreadsheet cell as text in this style (whole numbers without decimals)."""
        text = str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
        return text.replace(".", ",") if self.locale == "de" else text

    def reason(self, text: str) -> str:
        """Why a cell is not a number, with an example written as the file writes numbers."""
        stripped = text.strip()
        if self.locale == "de" and _ONLY_ENGLISH.fullmatch(stripped):
            return (
                f"expected a number with a decimal comma like {self.example} (read as {self.label}), got {quoted(text)}"
            )
        if self.locale == "en" and _ONLY_GERMAN.fullmatch(stripped):
            return (
                f"expected a number with a decimal point like {self.example} (read as {self.label}), got {quoted(text)}"
            )
        if self.locale == "en" and _THOUSANDS_GROUPS.fullmatch(stripped):
            return (
                f"{quoted(text)} is ambiguous: {stripped.replace('.', '')} in German, {float(stripped):g} in English; "
                f"write it without the dot, or import with --locale de if the file has German numbers"
            )
        return f"expected a number like {self.example}, got {quoted(text)}"


ENGLISH = NumberStyle("en", "English numbers", "349.95")
GERMAN = NumberStyle("de", "German numbers", "349,95")
STYLES = {"en": ENGLISH, "de": GERMAN}


def detect_style(cells: Iterable[str], words: Iterable[str] = ()) -> NumberStyle:
    """The style that the number cells show: the one with more cells written only its way.

    Cells such as 1.900 read in both styles and count for neither. Without any decimal, German words (WAHR,
    FALSCH) or dates (31.12.2035) in `words` say German: then only whole numbers are at stake, and their thousands
    dots must not be taken for decimal points.
    """
    german = english = 0
    for cell in cells:
        stripped = cell.strip(_DECORATION)
        if _ONLY_GERMAN.fullmatch(stripped):
            german += 1
        elif _ONLY_ENGLISH.fullmatch(stripped) and not _THOUSANDS_GROUPS.fullmatch(stripped):
            english += 1
    if german or english:
        return GERMAN if german > english else ENGLISH
    return GERMAN if any(_GERMAN_WORDS.fullmatch(word.strip()) for word in words) else ENGLISH
