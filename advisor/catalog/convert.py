"""Cell converters: text in, typed value out or ValueError with a reason; each with a whole-column fast path.

A converter takes one cell's text. Its fast path (`.column`) takes a whole column of non-empty cells and
returns all of them converted, or None if any is bad; only then are the cells converted one by one, to name
the bad ones. The fast paths do their per-cell work in C (`map(int, ...)`, set inclusion, min/max).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from math import isfinite
from typing import Any

from advisor.catalog.numbers import ENGLISH, STYLES, NumberStyle, quoted

SET_SEPARATOR = "|"
_TRUE = frozenset({"true", "yes", "ja", "1"})
_FALSE = frozenset({"false", "no", "nein", "0"})

Converter = Callable[[str], Any]
ColumnConverter = Callable[[Sequence[str]], list[Any] | None]


class DateCell(str):
    """A workbook's date cell as the validation reads it, its ISO date, that knows it was a date: in a column that
    holds no dates, Excel most likely made it of what was typed (German Excel turns 1.2 into 01.02.2026)."""

    day: date

    def __new__(cls, day: date) -> DateCell:
        cell = super().__new__(cls, day.isoformat())
        cell.day = day
        return cell

    def __getnewargs__(self) -> tuple[date]:  # type: ignore[override]  # (pickled, copied: made of its date)
        return (self.day,)

    def reason(self) -> str:
        """Why the cell is refused: it holds a date, as German Excel shows it, and what Excel probably made it of."""
        day, month = self.day.day, self.day.month
        return (
            f"the cell holds the date {self.day:%d.%m.%Y} (Excel probably made it of a number or text typed as "
            f"{day}.{month} or {day},{month}): format the column as text (or as a number) and type the value again"
        )


def with_column(convert: Converter, column: Callable[[Sequence[str]], list[Any] | None]) -> Converter:
    """Attach a whole-column fast path to a cell converter (see fast_column)."""
    convert.column = column  # type: ignore[attr-defined]
    return convert


def text(limit: int) -> Converter:
    def convert(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"is {len(value)} characters long; at most {limit} are allowed")
        return value

    def column(values: Sequence[str]) -> list[Any] | None:
        return list(values) if max(map(len, values), default=0) <= limit else None

    return with_column(convert, column)


BOOLEANS = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
# What spreadsheets write for yes and no: German Excel's WAHR and FALSCH too.
CELL_BOOLEANS = {**BOOLEANS, "wahr": True, "falsch": False}


def boolean(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in CELL_BOOLEANS:
        return CELL_BOOLEANS[lowered]
    raise ValueError(f"expected true or false (or WAHR, FALSCH, ja, nein), got {quoted(value)}")


def _without_percent(value: str) -> str | None:
    """The number of a cell like `80 %`, or None without a percent sign."""
    stripped = value.strip()
    if not stripped.endswith("%"):
        return None
    return stripped[:-1].rstrip(" \u00a0")


def _bound(limit: float, style: NumberStyle) -> str:
    """A range's end as the file writes numbers (0,3 and 1.000.000 in German numbers, 1000000 in English ones)."""
    if float(limit).is_integer() and abs(limit) >= 10_000 and style.locale == "de":
        return f"{int(limit):,}".replace(",", ".")
    return style.render(float(limit))


def _read_as(shown: str, number: float, style: NumberStyle) -> str | None:
    """A cell whose text is not the number read, as written and as read, and why (2.350 in German numbers is 2350:
    the point groups thousands); None for a plain number, which reads as written."""
    written = _without_percent(shown) or shown
    read = style.render(number)
    if style.locale == "de" and "." in written:
        why = "a point groups thousands in German numbers"
        try:  # 2.350: meant as 2,35 by someone who writes a point
            meant = float(written) if written.count(".") == 1 and "," not in written else None
        except ValueError:  # (a unit or a sign beside it: no suggestion)
            meant = None
        if meant is not None:
            if meant.is_integer():
                why += f"; write {style.render(meant)} if you mean {style.render(meant)}"
            else:
                why += f"; for {ENGLISH.render(meant)} write {style.render(meant)} with a decimal comma"
    elif style.locale == "en" and "_" in written:
        why = "an underscore groups digits"
    elif style.locale == "en" and "e" in written.lower():
        why = "an e means times a power of ten: 1e3 is 1000"
    else:
        return None
    return f"{shown} was read as {read} ({why})"


# A unit's smaller ones, as a number in them is mistaken for one in the unit (grams in a kg column): how many make one.
_SMALLER_UNITS = {"kg": (("g", 1000),), "l": (("ml", 1000),), "m": (("cm", 100), ("mm", 1000)), "cm": (("mm", 10),)}


def _in_smaller_unit(number: float, low: float, high: float, units: Sequence[str], style: NumberStyle) -> str:
    """For a number above the range that fits it in a smaller unit: "; 1250 g would be 1,25 kg" (else "")."""
    unit = next((unit for unit in units if unit in _SMALLER_UNITS), None)
    if unit is None or number <= high:
        return ""
    for smaller, factor in _SMALLER_UNITS[unit]:
        meant = round(number / factor, 9)
        if low <= meant <= high:
            return f"; {style.render(number)} {smaller} would be {style.render(meant)} {unit}"
    return ""


_NUMBER_IN = re.compile(r"[-\u2212]?\d[\d.,]*")  # a number somewhere in a cell ('ca. 40 l'), as either style writes it


def _without_unit(value: str, units: Sequence[str]) -> str:
    """A cell without one of the attribute's units after its number (`15 kg`, `15kg`: 15); else as it is."""
    stripped = value.strip()
    folded = stripped.casefold()
    for unit in sorted(units, key=len, reverse=True):  # (the longer first: 'Personen' before 'Person')
        if folded.endswith(unit.casefold()):
            rest = stripped[: len(stripped) - len(unit)].rstrip(" \u00a0")
            if rest[-1:].isdigit():
                return rest
    return value


def number(
    low: float,
    high: float,
    *,
    whole: bool = False,
    style: NumberStyle = ENGLISH,
    percent: bool = False,
    units: Sequence[str] = (),
) -> Converter:
    """A number in [low, high] written in the file's style; with `percent`, a trailing % sign is allowed; with
    `units` (the attribute's unit as the dictionary and the shopper's locales name it: kg, Personen), one of them
    after the number (`15 kg`).

    A workbook's typed number (a float, not text) is taken as it is, whatever the style. A cell out of range is
    named as written and, where the text is not the plain number read (2.350 in German numbers), as read.
    """
    bounds = f"{_bound(low, style)} to {_bound(high, style)}"

    def convert(value: Any) -> float | int:
        if isinstance(value, float | int):
            number, shown = float(value), style.render(float(value))
        else:
            number, shown = _parse(value), value.strip()
        if not low <= number <= high:
            read_as = _read_as(shown, number, style) if isinstance(value, str) else None
            if read_as is not None:
                raise ValueError(f"{read_as}; it is outside {bounds}")
            raise ValueError(f"{shown} is outside {bounds}{_in_smaller_unit(number, low, high, units, style)}")
        if whole:
            if not number.is_integer():
                raise ValueError(f"expected a whole number, got {quoted(shown)}")
            return int(number)
        return number

    def _parse(value: str) -> float:
        text = _without_unit(value, units) if units else value
        if "%" in value:
            bare = _without_percent(value)
            if bare is None or not percent:
                raise ValueError(f"a percent sign only belongs in a percent column, got {quoted(value)}")
            text = bare
        if whole and style.ambiguous_whole(text):
            raise ValueError(style.reason(text))
        try:
            number = style.parse(text)
        except ValueError:
            raise ValueError(_reason(value)) from None
        if not isfinite(number):
            raise ValueError(_reason(value))
        return number

    def _reason(value: str) -> str:
        """Why a cell is not a number; a whole number's column gives a whole number as the example, a column with
        a unit an example in that unit (`like 15 or 15 kg`), and words around the number are named to leave out."""
        said = style.reason(value)
        if units:
            return _unit_reason(value, said)
        return said.replace(f"a number like {style.example}", "a whole number like 2") if whole else said

    def _unit_reason(value: str, said: str) -> str:
        bare = _without_unit(value, units).strip()
        if bare != value.strip():  # the number's own problem, with the cell as written
            said = style.reason(bare).replace(f"got {quoted(bare)}", f"got {quoted(value)}")
        if f"a number like {style.example}" not in said:  # the decimal mark: that is what to fix, in the unit
            try:
                example = style.render(STYLES["en" if style.locale == "de" else "de"].parse(bare))
            except ValueError:
                return said
            return said.replace(f"like {style.example}", f"like {example} or {example} {units[0]}")
        what = "a whole number" if whole else "a number"
        found = _NUMBER_IN.search(value)
        example = found.group().rstrip(".,") if found else ""
        try:
            number = style.parse(example)
        except ValueError:
            number = None
        if number is None or not low <= number <= high or (whole and not number.is_integer()):
            inside = [n for n in (2, 15, 1.5, low, high) if low <= n <= high and (not whole or float(n).is_integer())]
            example = style.render(float(inside[0])) if inside else "2"
        shown = f"expected {what} like {example} or {example} {units[0]}, got {quoted(value)}"
        if found is None:
            return shown
        own = {unit.casefold() for unit in units}
        rest = f"{value[: found.start()]} {value[found.end() :]}".split()
        words = " ".join(word for word in rest if word.casefold() not in own)
        smaller = dict(_SMALLER_UNITS.get(units[0], ()))
        if number is not None and words.casefold() in smaller:  # "1250 g" in a kg column: the number it means
            meant = round(number / smaller[words.casefold()], 9)
            if low <= meant <= high and not (whole and not meant.is_integer()):
                return (f"{shown}: {style.render(number)} {words} would be {style.render(meant)} {units[0]}; write "
                        f"{style.render(meant)}")  # fmt: skip
        return f"{shown}: write the number alone, without '{words}'" if words else shown

    def column(values: Sequence[Any]) -> list[Any] | None:
        numbers: list[Any] | None
        if whole and style is ENGLISH:
            try:
                numbers = list(map(int, values))
            except ValueError:
                return None
            if float in map(type, values):  # a workbook's typed numbers: int() would cut 2.5 to 2
                floats = values if set(map(type, values)) == {float} else [v for v in values if type(v) is float]
                if not all(map(float.is_integer, floats)):
                    return None
        else:
            numbers = style.parse_column(values)
            if numbers is None or (whole and not all(map(float.is_integer, numbers))):
                return None
            if whole:
                numbers = list(map(int, numbers))
        if not numbers or (low <= min(numbers) and max(numbers) <= high and (whole or all(map(isfinite, numbers)))):
            return numbers
        return None

    return with_column(convert, column)


def value_names(
    allowed: Sequence[str], labels: Mapping[str, Mapping[str, str]] | None
) -> tuple[dict[str, str], dict[str, str]]:
    """The values' labels (in every locale, case folded) -> the value, leaving out a label two values share; and
    each value's first label, as a suggestion names it."""
    named: dict[str, set[str]] = {}
    first: dict[str, str] = {}
    for value in allowed:
        for label in (labels or {}).get(value, {}).values():
            named.setdefault(label.strip().casefold(), set()).add(value)
            first.setdefault(value, label)
    return {label: next(iter(values)) for label, values in named.items() if len(values) == 1}, first


def value_matcher(
    allowed: Sequence[str], labels: Mapping[str, Mapping[str, str]] | None = None
) -> tuple[Callable[[str], str | None], Callable[[str], str]]:
    """How a cell names one of the allowed values (as choice reads it, and the category column): the value it
    names (the value itself, or a value's label in any locale, in any case), or None; and for a cell that names
    none, the near miss it suggests (" (did you mean ventilated_mesh (Netzrücken)?)", or "")."""
    allowed_set = frozenset(allowed)
    by_label, first = value_names(allowed, labels)

    def match(value: str) -> str | None:
        if value in allowed_set:
            return value
        return by_label.get(value.strip().casefold())

    def did_you_mean(value: str) -> str:
        folded = value.strip().casefold()
        names = {**by_label, **{name.casefold(): name for name in allowed}}
        close = difflib.get_close_matches(folded, names, n=1, cutoff=0.6)
        if not close:
            return ""
        meant = names[close[0]]
        label = f" ({first[meant]})" if meant in first and first[meant] != meant else ""
        return f" (did you mean {meant}{label}?)"

    return match, did_you_mean


def choice(allowed: Sequence[str], labels: Mapping[str, Mapping[str, str]] | None = None) -> Converter:
    """One of the allowed values, or (with `labels`, the dictionary's value_labels) a value's label in any locale,
    in any case (`Netzrücken` is ventilated_mesh)."""
    allowed_set = frozenset(allowed)
    listed = ", ".join(allowed)
    match, did_you_mean = value_matcher(allowed, labels)

    def convert(value: str) -> str:
        meant = match(value)
        if meant is not None:
            return meant
        raise ValueError(f"{quoted(value)} is not one of: {listed}{did_you_mean(value)}")

    def column(values: Sequence[str]) -> list[Any] | None:
        return list(values) if allowed_set.issuperset(values) else None

    return with_column(convert, column)


def text_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(SET_SEPARATOR) if item.strip()]


def choices(allowed: Sequence[str], labels: Mapping[str, Mapping[str, str]] | None = None) -> Converter:
    """Any of the allowed values (or their labels, see choice), `|`-separated; the result is in the allowed values'
    order, without repeats."""
    check = choice(allowed, labels)
    order = {value: index for index, value in enumerate(allowed)}.__getitem__

    def convert(value: str) -> list[str]:
        return sorted({check(item) for item in text_list(value)}, key=order)

    return convert


def pattern_column(pattern: re.Pattern[str]) -> Callable[[Sequence[str]], list[Any] | None]:
    def column(values: Sequence[str]) -> list[Any] | None:
        return list(values) if all(map(pattern.fullmatch, values)) else None

    return column


def fast_column(convert: Converter) -> ColumnConverter:
    """The whole-column fast path for a converter: all values converted, or None if any is bad.

    Without a fast path of its own, a converter runs once per distinct value: catalog columns repeat
    themselves (materials, certifications, dates, enums), so this is far cheaper than once per cell.
    """
    fast = getattr(convert, "column", None)
    if fast is not None:
        return fast  # type: ignore[no-any-return]

    def per_distinct_value(values: Sequence[str]) -> list[Any] | None:
        try:
            converted = {value: convert(value) for value in set(values)}
        except ValueError:
            return None
        return list(map(converted.__getitem__, values))

    return per_distinct_value


MEMO_LIMIT = 20_000  # distinct values a column's memo keeps (catalog columns without a fast path have far fewer)


def _memoised(convert: Converter, values: Sequence[str], memo: dict[Any, Any]) -> list[Any] | None:
    """Like per_distinct_value, remembering each good value's conversion across the batches of a file."""
    try:
        for value in set(values).difference(memo):
            memo[value] = convert(value)
    except ValueError:
        return None
    return list(map(memo.__getitem__, values))


def convert_column(
    convert: Converter, values: Sequence[str], memo: dict[Any, Any] | None = None
) -> tuple[list[Any], dict[int, str]]:
    """Convert one column of cells: empty cells become None; bad ones None, with their reason by index.

    With `memo` (one per converter and file), a converter without a fast path of its own converts each distinct
    value once per file, not once per batch; its results are shared, as they are within a batch.
    """
    errors: dict[int, str] = {}
    if "" in values:
        present = [i for i, value in enumerate(values) if value != ""]
        converted: list[Any] = [None] * len(values)
        inner, inner_errors = convert_column(convert, [values[i] for i in present], memo)
        for i, value in zip(present, inner, strict=True):
            converted[i] = value
        return converted, {present[j]: reason for j, reason in inner_errors.items()}
    if memo is not None and len(memo) < MEMO_LIMIT and getattr(convert, "column", None) is None:
        result = _memoised(convert, values, memo)
    else:
        result = fast_column(convert)(values)
    if result is not None:
        return result, errors
    converted = []
    for i, value in enumerate(values):
        try:
            converted.append(convert(value))
        except ValueError as error:
            errors[i] = value.reason() if isinstance(value, DateCell) else str(error)
            converted.append(None)
    return converted, errors


# A spreadsheet runs a cell beginning with one of these as a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEUTRALISED = (*FORMULA_STARTS, "'")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def neutralise(cell: str) -> str:
    """A text cell that no spreadsheet runs as a formula: an apostrophe before =, +, -, @, tab and return.

    Negative numbers stay numbers. A cell that already begins with an apostrophe gets one more, so that
    `unneutralise` gives back exactly what was written.
    """
    if cell.startswith(_NEUTRALISED) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def unneutralise(cell: str) -> str:
    """A cell as it was before `neutralise`."""
    if cell.startswith("'") and cell[1:2] and cell[1:].startswith(_NEUTRALISED):
        return cell[1:]
    return cell


def unneutralise_column(cells: Sequence[str]) -> Sequence[str]:
    """A column without the apostrophes that `neutralise` wrote (most columns have none: checked in C)."""
    try:
        if "'" not in "".join(cells):
            return cells
    except TypeError:
        return cells  # a workbook's column of typed numbers
    return [unneutralise(cell) for cell in cells]
