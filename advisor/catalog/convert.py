"""Cell converters: text in, typed value out or ValueError with a reason; each with a whole-column fast path.

A converter takes one cell's text. Its fast path (`.column`) takes a whole column of non-empty cells and
returns all of them converted, or None if any is bad; only then are the cells converted one by one, to name
the bad ones. The fast paths do their per-cell work in C (`map(int, ...)`, set inclusion, min/max).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from math import isfinite
from typing import Any

SET_SEPARATOR = "|"
_TRUE = frozenset({"true", "yes", "ja", "1"})
_FALSE = frozenset({"false", "no", "nein", "0"})

Converter = Callable[[str], Any]
ColumnConverter = Callable[[Sequence[str]], list[Any] | None]


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


def boolean(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in BOOLEANS:
        return BOOLEANS[lowered]
    raise ValueError(f"expected true or false, got {value!r}")


def number(low: float, high: float, *, whole: bool = False) -> Converter:
    def convert(value: str) -> float | int:
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"expected a number, got {value!r}") from None
        if not low <= number <= high:
            raise ValueError(f"{value} is outside {low:g} to {high:g}")
        if whole:
            if not number.is_integer():
                raise ValueError(f"expected a whole number, got {value!r}")
            return int(number)
        return number

    def column(values: Sequence[str]) -> list[Any] | None:
        try:
            numbers: list[Any] = list(map(int if whole else float, values))
        except ValueError:
            return None
        if not numbers or (low <= min(numbers) and max(numbers) <= high and (whole or all(map(isfinite, numbers)))):
            return numbers
        return None

    return with_column(convert, column)


def choice(allowed: Sequence[str]) -> Converter:
    allowed_set = frozenset(allowed)
    listed = ", ".join(allowed)

    def convert(value: str) -> str:
        if value not in allowed_set:
            raise ValueError(f"{value!r} is not one of: {listed}")
        return value

    def column(values: Sequence[str]) -> list[Any] | None:
        return list(values) if allowed_set.issuperset(values) else None

    return with_column(convert, column)


def text_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(SET_SEPARATOR) if item.strip()]


def choices(allowed: Sequence[str]) -> Converter:
    """Any of the allowed values, `|`-separated; the result is in the allowed values' order, without repeats."""
    check = choice(allowed)
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


def convert_column(convert: Converter, values: Sequence[str]) -> tuple[list[Any], dict[int, str]]:
    """Convert one column of cells: empty cells become None; bad ones None, with their reason by index."""
    errors: dict[int, str] = {}
    if "" in values:
        present = [i for i, value in enumerate(values) if value != ""]
        converted: list[Any] = [None] * len(values)
        inner, inner_errors = convert_column(convert, [values[i] for i in present])
        for i, value in zip(present, inner, strict=True):
            converted[i] = value
        return converted, {present[j]: reason for j, reason in inner_errors.items()}
    result = fast_column(convert)(values)
    if result is not None:
        return result, errors
    converted = []
    for i, value in enumerate(values):
        try:
            converted.append(convert(value))
        except ValueError as error:
            errors[i] = str(error)
            converted.append(None)
    return converted, errors
