"""The questionnaire file format, declared once: the loader checks files against it, `advisor schema` prints it.

Each node validates a parsed YAML value, reports findings at the value's position and returns the value
(or INVALID), and describes itself as JSON Schema (draft-07) for editors. A mistyped key with a close
known name is reported once and read as that key, so the typo does not also make a required key "missing".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from advisor.questionnaire.document import Document, Path, Span
from advisor.questionnaire.findings import ERROR, Finding, Fix, closest
from advisor.questionnaire.model import KINDS, MEASUREMENTS, OUTCOME_KINDS, QUESTIONNAIRE_KINDS

INVALID: Any = object()
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")  # 3,5 as German writes three and a half
ID_PATTERN = r"^[a-z][a-z0-9_-]{0,63}$"
ICONS = (
    "hiking", "mountain", "family", "bike", "festival", "canoe", "snow", "sun", "rain", "city", "travel", "tent",
    "person", "people", "ruler", "scale", "feather", "thermometer", "backpack", "jacket", "star", "leaf", "euro",
    "clock", "wind", "sleeping_bag", "zip", "care", "repair",
)  # fmt: skip
NEEDED_LOCALES = ("de", "en")  # every questionnaire has these (the app's own texts are in them)
UNITS = ("persons", "cm", "eur", "kg", "l", "nights", "°C", "g", "mm", "months")


@dataclass
class Context:
    """The file being read (where each key and value is written) and the findings so far."""

    file: str
    document: Document = field(default_factory=lambda: Document(""))
    findings: list[Finding] = field(default_factory=list)
    locales: tuple[str, ...] = NEEDED_LOCALES
    # A mistyped key read as the key it was meant to be: the meant path -> the written one.
    renamed: dict[Path, Path] = field(default_factory=dict)

    def written(self, path: Path) -> Path:
        """The path as written in the file (a mistyped key read as the meant one stays where it is written)."""
        if not self.renamed:
            return path
        result: Path = ()
        for part in path:
            result = (*result, part)
            result = self.renamed.get(result, result)
        return result

    def source(self, path: Path, *, key: bool = False) -> str:
        """A value (or its key) as it is written in the file ('' when it is not at hand)."""
        span = (self.document.keys if key else self.document.values).get(self.written(path))
        if span is None:
            return ""
        return self.document.text[self.document.offset(span[:2]) : self.document.offset(span[2:])]

    def span(self, path: Path, *, key: bool = False) -> Span:
        """0-based span of a value (or its key); the nearest known ancestor's when it is not written."""
        probe = self.written(path)
        document = self.document
        while probe:
            if key and probe in document.keys:
                return document.keys[probe]
            if probe in document.values:
                return document.values[probe]
            probe = probe[:-1]
        return document.values.get((), (0, 0, 0, 0))

    def text_span(self, path: Path, start: int, end: int) -> Span:
        """The span of characters start..end of the text value at `path`."""
        written = self.written(path)
        if written not in self.document.values:
            return self.span(path)
        return (*self.document.locate(written, start), *self.document.locate(written, end))

    def inner_span(self, path: Path, *, key: bool = False) -> Span:
        """A text value's span without its quotes (a key's span for keys)."""
        value = self.raw(path)
        if key or not isinstance(value, str):
            return self.span(path, key=key)
        return self.text_span(path, 0, len(value))

    def raw(self, path: Path) -> Any:
        """The value as written at `path` (None when absent)."""
        value = self.document.value
        for part in self.written(path):
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        return value

    def has(self, path: Path, key: str) -> bool:
        """Whether the mapping at `path` has `key` written (even with a value that is not valid); True when the
        file is not at hand (a questionnaire checked without where it was written)."""
        if self.document.value is None:
            return True
        mapping = self.raw(path)
        return isinstance(mapping, Mapping) and (key in mapping or (*self.written(path), key) in self.renamed)

    def position(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """1-based line and column of a value (or its key)."""
        line, column = self.span(path, key=key)[:2]
        return line + 1, column + 1

    def finding(
        self,
        path: Path,
        code: str,
        message: str,
        *,
        severity: str = ERROR,
        key: bool = False,
        offset: int | None = None,
        length: int = 1,
        fix: str | tuple[str, ...] | None = None,
    ) -> Finding:
        """A finding about a value (or its key, or characters offset.. of a text value), with a fix if given (or
        several to choose from)."""
        span = self.text_span(path, offset, offset + length) if offset is not None else self.span(path, key=key)
        fixes: tuple[Fix, ...] = ()
        if fix is not None:
            where = span if offset is not None else self.inner_span(path, key=key)
            fixes = tuple(
                Fix(f"Change to '{text}'", text, where[0] + 1, where[1] + 1, where[2] + 1, where[3] + 1)
                for text in ((fix,) if isinstance(fix, str) else fix)
            )
        return Finding(self.file, span[0] + 1, span[1] + 1, code, severity, message, span[2] + 1, span[3] + 1,
                       fixes)  # fmt: skip

    def add(
        self,
        path: Path,
        code: str,
        message: str,
        *,
        severity: str = ERROR,
        key: bool = False,
        offset: int | None = None,
        length: int = 1,
        fix: str | tuple[str, ...] | None = None,
    ) -> None:
        self.findings.append(
            self.finding(path, code, message, severity=severity, key=key, offset=offset, length=length, fix=fix)
        )

    def describe(self, path: Path) -> str:
        """Where a value is, as a merchandiser reads it: step 'trip', option 'bike', label."""
        return describe(path, self.document.value)


# A list's items as a merchandiser names them (by id, an example by name; a guide's steps by number).
_NOUNS = {
    "steps": "step", "options": "option", "examples": "example", "outcomes": "outcome", "guides": "guide",
    "charts": "chart",
}  # fmt: skip


def describe(path: Path, document: Any = None) -> str:
    """A path in words, with the ids of steps and options and the names of examples where they are written."""
    words: list[str] = []
    node = document
    for i, part in enumerate(path):
        parent = path[i - 1] if i else None
        child = None
        if isinstance(node, Mapping):
            child = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            child = node[part]
        if parent in _NOUNS and isinstance(part, int):
            noun = _NOUNS[str(parent)]
            named = child.get("name" if parent == "examples" else "id") if isinstance(child, Mapping) else None
            words[-1] = f"{noun} '{named}'" if isinstance(named, str) else f"{noun} {part + 1}"
        elif isinstance(part, int):
            words[-1] = f"{words[-1] if words else ''}[{part}]"
        else:
            words.append(str(part))
        node = child
    return ", ".join(words) or "the file"


def _hint(suggestion: str | None) -> str:
    return f" (did you mean '{suggestion}'?)" if suggestion else ""


def _decimal_comma(before: tuple[Any, Any], key: Any, value: Any, written: str) -> tuple[str, str]:
    """What `weight: 3,5` in { } means: the comma ended the entry, the decimals became a key of their own. Returns
    the words to add to the finding and the entry as meant (`weight: 3.5`); ("", "") for any other key."""
    name, number = before
    if value is not None or isinstance(number, bool) or not isinstance(number, int) or not isinstance(key, int):
        return "", ""
    decimals = written if written.isdigit() else str(key)
    point = f"{name}: {number}.{decimals}"
    return (
        f": inside {{ }} a comma separates entries, so '{name}: {number},{decimals}' reads as {name} {number} and a "
        f"key '{decimals}'; decimals take a point: write {point}"
    ), point


_ENDS_IN_NUMBER = re.compile(r"[-+]?\d+$")


def _list_decimal_comma(before: Any, item: Any, at: Path, i: int, ctx: Context) -> bool:
    """`[price <= budget, burn_time_h >= 2,5]`: inside [ ] the comma ended the entry, so '2,5' reads as the entries
    `... >= 2` and 5. Said (Q004, with the entry as meant) and True; False for any other entry."""
    if isinstance(item, bool) or not isinstance(item, int) or item < 0 or not isinstance(before, str):
        return False
    path = (*at, i)
    written, previous = ctx.source(path), ctx.source((*at, i - 1))
    number = _ENDS_IN_NUMBER.search(before)
    if number is None or not written.isdigit() or previous != before or not ctx.source(at).startswith("["):
        return False
    start, end = ctx.span((*at, i - 1)), ctx.span(path)
    if (start[2], start[3] + 1) != end[:2]:
        return False  # `10, 5`: a comma and a blank part two entries; only `2,5` is a number split in two
    comma = f"{number.group()},{written}"
    meant = f"{before[: number.start()]}{number.group()}.{written}"
    finding = ctx.finding(
        path,
        "Q004",
        f"{ctx.describe(path)}: inside [ ] a comma separates entries, so '{comma}' reads as {number.group()} and "
        f"{written}; decimals take a point: write {meant}",
    )
    fix = Fix(f"Change to '{meant}'", meant, start[0] + 1, start[1] + 1, end[2] + 1, end[3] + 1)
    ctx.findings.append(replace(finding, fixes=(fix,)))
    return True


def _counts_whole(path: Path, ctx: Context) -> str:
    """For a number step's min, max or default: why it must be a whole number (' (the step counts in whole numbers:
    step 1)'), when the step counts in whole numbers (its step, and its min, are whole: advisor.engine.whole_steps);
    '' for any other value."""
    if len(path) != 3 or path[0] != "steps" or path[2] not in ("min", "max", "default"):
        return ""
    step = ctx.raw(path[:2])
    if not isinstance(step, Mapping):
        return ""
    stride, low = step.get("step"), 0 if path[2] == "min" else step.get("min", 0)
    numbers = [number for number in (stride, low) if isinstance(number, int | float) and not isinstance(number, bool)]
    if len(numbers) < 2 or not all(float(number).is_integer() for number in numbers):
        return ""
    return f" (the step counts in whole numbers: step {stride:g})"


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "nothing" if value is None else type(value).__name__


class Node:
    description = ""

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def _wrong(self, value: Any, path: Path, ctx: Context, wanted: str) -> Any:
        ctx.add(path, "Q004", f"{ctx.describe(path)} must be {wanted}, not {_type_name(value)}")
        return INVALID


@dataclass
class Str(Node):
    description: str = ""
    pattern: str | None = None
    pattern_hint: str = ""

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        if not isinstance(value, str):
            return self._wrong(value, path, ctx, "text")
        if self.pattern and not re.match(self.pattern, value):
            ctx.add(path, "Q004", f"{ctx.describe(path)}: {value!r} must be {self.pattern_hint}")
            return INVALID
        return str(value)

    def schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": "string", "description": self.description}
        if self.pattern:
            result["pattern"] = self.pattern
        return result


@dataclass
class Num(Node):
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        whole = "" if self.integer else _counts_whole(path, ctx)  # why a number step's setting must be whole
        wanted = "a whole number" if self.integer or whole else "a number"
        if isinstance(value, str) and _DECIMAL_COMMA.fullmatch(value.strip()):
            written = value.strip()
            point = written.replace(",", ".")
            if self.integer or whole:  # no decimals here: the whole numbers around it
                self._not_whole(float(point), f"the text '{written}'{whole}", path, ctx)
            else:
                ctx.add(path, "Q004", f"{ctx.describe(path)} must be {wanted}, not the text '{written}': "
                                      f"decimals take a point here; write {point}", fix=point)  # fmt: skip
            return INVALID
        if isinstance(value, bool) or not isinstance(value, int | float):
            return self._wrong(value, path, ctx, wanted)
        if self.integer and (not math.isfinite(value) or value != int(value)):
            self._not_whole(float(value), f"{value:g}", path, ctx)
            return INVALID
        if whole and path[-1] == "default" and math.isfinite(value) and value != int(value):
            self._not_whole(float(value), f"{value:g}{whole}", path, ctx)  # a default the slider can never show
            return INVALID
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            if self.minimum is not None and self.maximum is not None:
                bounds = f"between {self.minimum:g} and {self.maximum:g}"
            else:  # one bound only (a cost from 0, a step from 0)
                bounds = f"at least {self.minimum:g}" if self.minimum is not None else f"at most {self.maximum:g}"
            ctx.add(path, "Q004", f"{ctx.describe(path)} must be {bounds}, not {value}")
            return INVALID
        return int(value) if self.integer else float(value)

    def _not_whole(self, value: float, written: str, path: Path, ctx: Context) -> None:
        """A number with decimals where a whole number is needed: the whole numbers either side of it (within the
        bounds) to write instead."""
        around = [math.floor(value), math.ceil(value)] if math.isfinite(value) else []
        allowed = [
            number
            for number in dict.fromkeys(around)
            if (self.minimum is None or number >= self.minimum) and (self.maximum is None or number <= self.maximum)
        ]
        if allowed:
            advice = "; write " + " or ".join(str(number) for number in allowed)
        elif self.minimum is not None and self.maximum is not None:
            advice = f"; write one from {self.minimum:g} to {self.maximum:g}"
        else:
            advice = ""
        ctx.add(path, "Q004", f"{ctx.describe(path)} must be a whole number, not {written}{advice}",
                fix=tuple(str(number) for number in allowed) or None)  # fmt: skip

    def schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": "integer" if self.integer else "number", "description": self.description}
        if self.minimum is not None:
            result["minimum"] = self.minimum
        if self.maximum is not None:
            result["maximum"] = self.maximum
        return result


@dataclass
class Bool(Node):
    description: str = ""

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        if not isinstance(value, bool):
            return self._wrong(value, path, ctx, "true or false")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean", "description": self.description}


@dataclass
class Choice(Node):
    values: tuple[str, ...] = ()
    description: str = ""

    # What a merchandiser reads after the list of allowed values (the kind: what is skipped until it is fixed).
    consequence: str = ""

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        if value not in self.values:
            suggestion = closest(value, self.values) if isinstance(value, str) else None
            allowed = ", ".join(self.values)
            message = (
                f"{ctx.describe(path)} is empty; write one of {allowed}"
                if value is None
                else f"{ctx.describe(path)} must be one of {allowed}, not {value!r}{_hint(suggestion)}"
            )
            ctx.add(path, "Q004", message + self.consequence, fix=suggestion)
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        return {"enum": list(self.values), "description": self.description}


@dataclass
class Unit(Choice):
    """A number step's unit: one of the units the kiosk shows in words. A unit of another kind (`lm`, a category's
    unit for lumens) is not one of them: the message says so, and suggests a unit only for a slip of the same
    length or longer (`mn`, `Cm`) or a plural (`cms`), never a shorter, other unit (`l` for `lm`)."""

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        if value is None or value in self.values:
            return super().validate(value, path, ctx)
        suggestion = closest(value, self.values) if isinstance(value, str) else None
        if suggestion is not None and len(suggestion) < len(value) and value.casefold() != f"{suggestion}s".casefold():
            suggestion = None  # (`lm` is not `l` mistyped; `cms` is `cm`)
        allowed = ", ".join(self.values)
        advice = (
            _hint(suggestion)
            if suggestion
            else "; a number step shows only these units: for another unit, leave unit out and name the unit in the "
            "question's text"
        )
        ctx.add(path, "Q004", f"{ctx.describe(path)} must be one of {allowed}, not {value!r}{advice}", fix=suggestion)
        return INVALID


_LANGUAGES = {"de": "German", "en": "English", "fr": "French", "it": "Italian"}  # a locale as a merchandiser names it


def _comma_spills(value: Mapping[Any, Any], path: Path, ctx: Context) -> dict[Any, list[str]]:
    """In `{de: Mehrere Tage, Übernachtung auf Hütten, en: ...}` the comma ended the German text: the rest stands as
    a key without ':' or value. Per locale whose text a comma ended so, the pieces that follow it (in order)."""
    spills: dict[Any, list[str]] = {}
    owner: Any = None  # the locale whose text the keys without value go on
    document, written = ctx.document, ctx.written(path)
    previous: Span | None = None
    for key, item in value.items():
        key_span = document.keys.get((*written, str(key)))
        value_span = document.values.get((*written, str(key)))
        if key_span is None or value_span is None:
            owner, previous = None, None
            continue
        between = document.text[document.offset(previous[2:]) : document.offset(key_span[:2])] if previous else ""
        spilt = item is None and value_span[:2] == value_span[2:] and isinstance(key, str) and key not in ctx.locales
        spilt = spilt and between.strip() == ","
        if spilt and owner is not None:
            spills.setdefault(owner, []).append(key)
        else:
            owner = key if key in ctx.locales and isinstance(item, str) else None
        previous = value_span
    return spills


@dataclass
class Texts(Node):
    """A visible text in every declared locale."""

    description: str = ""

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        where = ctx.describe(path)
        if isinstance(value, str):
            ctx.add(path, "Q015", f"{where} needs a text per locale ({', '.join(ctx.locales)}), not one text")
            return {locale: str(value) for locale in ctx.locales}
        if not isinstance(value, Mapping):
            return self._wrong(value, path, ctx, f"texts per locale ({', '.join(ctx.locales)})")
        texts: dict[str, str] = {}
        missing = [locale for locale in ctx.locales if locale not in value]
        spills = _comma_spills(value, path, ctx)
        spilt = {piece for pieces in spills.values() for piece in pieces}
        if spills:  # one finding, at the first piece; the texts are read as they were meant
            self._comma(value, spills, path, ctx)
        for locale, text in value.items():
            if locale in spilt:
                continue
            if isinstance(text, str) and locale in spills:
                text = ", ".join([text, *spills[locale]])
            if locale not in ctx.locales:
                suggestion = closest(str(locale), missing)
                ctx.add(
                    (*path, str(locale)),
                    "Q002",
                    f"{where} has a text for '{locale}', which is not among the locales "
                    f"({', '.join(ctx.locales)}){_hint(suggestion or closest(str(locale), ctx.locales))}",
                    key=True,
                    fix=suggestion,
                )
                if suggestion is None:
                    continue
                missing.remove(suggestion)  # read as the locale it was meant to be: not "missing" as well
                locale = suggestion
            if not isinstance(text, str) or not text.strip():
                ctx.add((*path, str(locale)), "Q015", f"{where}: the '{locale}' text is empty")
            else:
                texts[str(locale)] = str(text)
        for locale in missing:
            ctx.add(path, "Q015", f"{where} has no '{locale}' text; add '{locale}: ...'")
        return texts

    @staticmethod
    def _comma(value: Mapping[Any, Any], spills: dict[Any, list[str]], path: Path, ctx: Context) -> None:
        """`{de: Mehrere Tage, Übernachtung auf Hütten, en: ...}`: the comma ended the text; say so once, with the
        quotes that keep it whole."""
        said, quoted = [], []
        for locale, pieces in spills.items():
            language = _LANGUAGES.get(locale, f"'{locale}'")
            rest = " and ".join(f"'{piece}'" for piece in pieces)
            reads = "reads as a locale of its own" if len(pieces) == 1 else "read as locales of their own"
            said.append(f"the {language} text ends at '{value[locale]}' and {rest} {reads}")
            whole = ", ".join([value[locale], *pieces]).replace("\\", "\\\\").replace('"', '\\"')
            quoted.append(f'{locale}: "{whole}"')
        name = path[-1] if path and isinstance(path[-1], str) else "it"
        lines = " and ".join(f"'{locale}: ...'" for locale in ctx.locales)
        ctx.add(
            (*path, spills[next(iter(spills))][0]),
            "Q002",
            f"{ctx.describe(path)}: inside {{ }} a comma separates entries, so {'; '.join(said)}; put a text with a "
            f"comma in quotes ({', '.join(quoted)}), or write the texts as {lines} lines under {name}:",
            key=True,
        )

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "description": self.description + " (one text per locale)",
            "properties": {"de": {"type": "string"}, "en": {"type": "string"}},
            "required": ["de", "en"],
            "additionalProperties": {"type": "string"},
        }


def _not_a_choice(path: Path, ctx: Context) -> str | None:
    """The kind of the step whose `options` are at `path` when it takes none (number, yes/no), else None."""
    if len(path) < 2 or path[-1] != "options" or path[0] != "steps":
        return None
    step = ctx.raw(path[:-1])
    kind = step.get("kind") if isinstance(step, Mapping) else None
    return {"number": "number", "yes_no": "yes/no"}.get(kind) if isinstance(kind, str) else None


@dataclass
class ListOf(Node):
    item: Node = field(default_factory=Str)
    description: str = ""
    min_items: int = 0

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        kind = _not_a_choice(path, ctx)
        if kind is not None and not value:  # `options: []` (or nothing) on a number or yes/no step
            written = f"options: {ctx.source(path)}".rstrip()
            ctx.add(
                path,
                "Q004",
                f"step '{ctx.raw(path[:-1]).get('id')}' is a {kind} step, and a {kind} step has no options; remove "
                f"the line '{written}'",
            )
            return [] if isinstance(value, list) else INVALID
        if not isinstance(value, list):
            return self._wrong(value, path, ctx, "a list")
        if len(value) < self.min_items:
            ctx.add(
                path,
                "Q004",
                f"{ctx.describe(path)} needs at least {self.min_items} {'entry' if self.min_items == 1 else 'entries'}",
            )
        results: list[Any] = []
        for i, item in enumerate(value):
            if i and _list_decimal_comma(value[i - 1], item, path, i, ctx):
                if results and results[-1] is value[i - 1]:
                    results.pop()  # (`>= 2` is not what was meant either)
                continue
            if (result := self.item.validate(item, (*path, i), ctx)) is not INVALID:
                results.append(result)
        return results

    def schema(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": "array", "description": self.description, "items": self.item.schema()}
        if self.min_items:
            result["minItems"] = self.min_items
        return result


@dataclass
class MapOf(Node):
    """A mapping with free keys (answers by step id, address by locale)."""

    value: Node | None = None
    description: str = ""

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        if not isinstance(value, Mapping):
            return self._wrong(value, path, ctx, "a mapping")
        if self.value is None:
            return {str(key): _plain(item) for key, item in value.items()}
        result = {}
        for key, item in value.items():
            checked = self.value.validate(item, (*path, str(key)), ctx)
            if checked is not INVALID:
                result[str(key)] = checked
        return result

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "description": self.description,
            "additionalProperties": self.value.schema() if self.value else {},
        }


@dataclass
class Obj(Node):
    """A mapping with known keys; unknown keys are findings with a did-you-mean."""

    fields: dict[str, tuple[Node, bool]] = field(default_factory=dict)
    description: str = ""

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        if not isinstance(value, Mapping):
            return self._wrong(value, path, ctx, "a mapping of " + ", ".join(self.fields))
        result: dict[str, Any] = {}
        meant: set[str] = set()
        before: tuple[Any, Any] = (None, None)  # the key and value in front of this one
        for key, item in value.items():
            name = key
            if key not in self.fields:
                open_fields = [f for f in self.fields if f not in value and f not in meant]
                suggestion = closest(key, open_fields) if isinstance(key, str) else None
                hint = suggestion or (closest(key, self.fields) if isinstance(key, str) else None)
                comma, point = _decimal_comma(before, key, item, ctx.source((*path, str(key)), key=True))
                finding = ctx.finding((*path, str(key)), "Q002", f"unknown key '{key}' in {ctx.describe(path)}"
                                      f"{_hint(hint)}{comma}", key=True, fix=suggestion)  # fmt: skip
                if point:  # the fix rewrites the entry from its key to the decimals: `weight: 2.5`
                    start = ctx.span((*path, str(before[0])), key=True)
                    end = ctx.span((*path, str(key)), key=True)
                    fix = Fix(f"Change to '{point}'", point, start[0] + 1, start[1] + 1, end[2] + 1, end[3] + 1)
                    finding = replace(finding, fixes=(fix,))
                ctx.findings.append(finding)
                before = (key, item)
                if suggestion is None:
                    continue
                # Read it as the key it was meant to be, so that the typo is the only finding about it.
                meant.add(suggestion)
                ctx.renamed[(*ctx.written(path), suggestion)] = (*ctx.written(path), str(key))
                name = suggestion
            node, _ = self.fields[name]
            checked = node.validate(item, (*path, name), ctx)
            if checked is not INVALID:
                result[name] = checked
            before = (name, item)
        for key, (node, required) in self.fields.items():
            if required and key not in value and key not in meant:
                what = f" ({node.description})" if node.description else ""
                ctx.add(path, "Q003", f"{ctx.describe(path)} needs '{key}'{what}", key=bool(path))
        return result

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "description": self.description,
            "properties": {key: node.schema() for key, (node, _) in self.fields.items()},
            "required": [key for key, (_, required) in self.fields.items() if required],
            "additionalProperties": False,
        }


@dataclass
class Either(Node):
    """Text, or a mapping (a requirement written short or long)."""

    text: Node = field(default_factory=Str)
    mapping: Node = field(default_factory=Obj)
    description: str = ""

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        return (self.text if isinstance(value, str) else self.mapping).validate(value, path, ctx)

    def schema(self) -> dict[str, Any]:
        return {"description": self.description, "oneOf": [self.text.schema(), self.mapping.schema()]}


@dataclass
class Scalar(Node):
    """A number or a text (an option's value, a number step's default)."""

    description: str = ""

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return self._wrong(value, path, ctx, "a number or a text")
        return _plain(value)

    def schema(self) -> dict[str, Any]:
        return {"type": ["number", "string"], "description": self.description}


def _plain(value: Any) -> Any:
    """A read value as plain Python values (a copy: aliases in the file share their values)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, Sequence):
        return [_plain(item) for item in value]
    return value


EXPRESSION = Str("an expression over answers (by step id) and product attributes; see docs/questionnaires.md")
REQUIREMENT = Either(
    EXPRESSION,
    Obj(
        {
            "expr": (EXPRESSION, True),
            "label": (Texts("how the requirement is named to the shopper; {step} inserts that answer"), False),
        }
    ),
    "a hard requirement: products that do not satisfy it are not shown",
)
PREFERENCE = Obj(
    {
        "attribute": (Str("the product attribute this preference is about"), True),
        "direction": (Choice(("lower", "higher"), "lower or higher values are better"), False),
        "target": (EXPRESSION, False),
        "contains": (Str("for a set attribute: products containing this value are better"), False),
        "equals": (Str("for an enum attribute: products with this value are better"), False),
        "weight": (Num("how much it counts", 0.1, 10), False),
        "importance": (Str("a step whose answer (a number or an option's value) multiplies the weight"), False),
    },
    "a soft, weighted wish that orders the products that remain",
)
ID = Str("an identifier", ID_PATTERN, "lower case letters, digits, '-' and '_', starting with a letter")
# A step is named by its id in expressions, where '-' would subtract ("extra-space" reads as extra minus space).
STEP_ID = Str(
    "the step's id (its answer's name in expressions)",
    r"^[a-z][a-z0-9_]{0,63}$",
    "lower case letters, digits and '_', starting with a letter (expressions name the step by it, and '-' there "
    "would subtract: write extra_space, not extra-space)",
)
OPTION = Obj(
    {
        "id": (ID, True),
        "label": (Texts("the option as shown"), True),
        "description": (Texts("a short line under the label"), False),
        "icon": (Str("an icon name (" + ", ".join(ICONS) + ") or an image path relative to the file"), False),
        "value": (Scalar("what the answer stands for in expressions (default: the option id)"), False),
        "require": (ListOf(REQUIREMENT, "requirements that hold when this option is chosen"), False),
        "prefer": (ListOf(PREFERENCE, "preferences that hold when this option is chosen"), False),
    },
    "one choice of a single- or multiple-choice step",
)
ROUTE = Obj(
    {
        "if": (EXPRESSION, False),
        "goto": (Str("a step id, or 'results' to end the questions"), True),
    },
    "go to a step when the condition holds (a route without 'if' always applies)",
)
STEP = Obj(
    {
        "id": (STEP_ID, True),
        "kind": (
            Choice(
                KINDS,
                "single choice, multiple choice, a number, or yes/no",
                "; until it is fixed, the checks that need the step's kind skip this step",
            ),
            True,
        ),
        "question": (Texts("the question"), True),
        "help": (Texts("why we ask: the expert explanation"), False),
        "short": (
            Texts("the question in a word or two, for the insights report's wishes ('Rückenlänge: 45–49 cm')"),
            False,
        ),
        "options": (ListOf(OPTION, "the choices", 1), False),
        "dont_care": (Bool("offer a 'doesn't matter' answer"), False),
        "firm": (
            Bool(
                "a wish shoppers cannot do without (how many sleep in the tent, how tall they are): when nothing "
                "fits, offered for dropping only after the others"
            ),
            False,
        ),
        "min": (Num("the smallest number"), False),
        "max": (Num("the largest number"), False),
        "step": (Num("the step between numbers", 0), False),
        "default": (Num("the number the step starts at"), False),
        "unit": (Unit(UNITS, "the unit of a number step"), False),
        "show_if": (EXPRESSION, False),
        "next": (ListOf(ROUTE, "routing; without it the following step comes next", 1), False),
        "require": (ListOf(REQUIREMENT, "requirements that hold when the step is answered"), False),
        "prefer": (ListOf(PREFERENCE, "preferences that hold when the step is answered"), False),
    },
    "one question",
)
EXAMPLE = Obj(
    {
        "name": (Str("what the example is about"), True),
        "answers": (
            MapOf(None, "answers by step id: option id, list of option ids, number, true/false or dont_care"),
            True,
        ),
        "top": (Num("how many of the first products to look at", 1, 100, integer=True), False),
        "include": (ListOf(Str("a sku"), "skus that must be among the first `top` products"), False),
        "exclude": (ListOf(Str("a sku"), "skus that must not be among the first `top` products"), False),
        "count_at_least": (Num("at least this many products must fit", 0, integer=True), False),
        "no_match": (Bool("no product may fit"), False),
        "outcomes": (
            ListOf(Str("an outcome id"), "a service flow: exactly these outcomes apply, in this order"),
            False,
        ),
        "product": (Str("a service flow: the sku of the shopper's product"), False),
    },
    "a test of the questionnaire that `advisor check` runs",
)
RESULTS = Obj(
    {
        "show": (Num("how many products to show", 1, 20, integer=True), False),
        "tie_break": (
            ListOf(Str("an attribute or price; '-' in front for descending"), "the order among equal scores"),
            False,
        ),
        "diversity": (
            Obj(
                {
                    "attribute": (Str("an enum attribute"), True),
                    "max_per_value": (Num("at most this many products with the same value", 1, integer=True), True),
                },
                "keep the shown products varied",
            ),
            False,
        ),
        "size": (
            Obj(
                {
                    "attribute": (Str("the attribute that varies between a model's variants and holds sizes"), True),
                    "measurements": (
                        Obj(
                            {
                                name: (Str(f"the number step (in cm) that asks the {name}"), False)
                                for name in MEASUREMENTS
                            },
                            "a body measurement (" + ", ".join(MEASUREMENTS) + ") -> the number step that asks it",
                        ),
                        True,
                    ),
                },
                "size advice: the size to try (and its neighbour), from the answers and the brand's size chart",
            ),
            False,
        ),
    },
    "how the results are shown",
)
PARTS = Obj(
    {
        "skus": (ListOf(Str("a sku"), "spare parts or care products by sku"), False),
        "category": (Str("the catalog category the rule selects from (care, spare_parts)"), False),
        "rule": (EXPRESSION, False),
    },
    "the spare parts or care products offered: skus, and those of a category a rule selects",
)
REPAIR = Obj(
    {
        "by": (Choice(("store", "manufacturer"), "a repair order at the store or the manufacturer's service"), True),
        "days": (Num("the turnaround in days", 1, 365, integer=True), False),
        "cost": (
            Obj(
                {"min": (Num("the lowest cost in EUR", 0), True), "max": (Num("the highest cost in EUR", 0), True)},
                "what the repair costs, in EUR",
            ),
            False,
        ),
    },
    "a repair",
)
OUTCOME = Obj(
    {
        "id": (ID, True),
        "kind": (Choice(OUTCOME_KINDS, "guide, parts, repair, warranty or person"), True),
        "if": (EXPRESSION, False),
        "title": (Texts("the outcome as shown"), True),
        "text": (Texts("a short explanation under the title"), False),
        "guide": (Str("a guide's id (catalog/sample/guides.json)"), False),
        "parts": (PARTS, False),
        "repair": (REPAIR, False),
        "purchased": (Str("a number step (unit months): how many months ago the product was bought"), False),
    },
    "where a service flow ends when its condition holds; every outcome that holds is shown, in file order",
)
QUESTIONNAIRE = Obj(
    {
        "format_version": (Num("the file format's version", 1, integer=True), True),
        "kind": (
            Choice(QUESTIONNAIRE_KINDS, "finder (ends in products, the default) or service (ends in outcomes)"),
            False,
        ),
        "id": (ID, True),
        "category": (Str("the catalog category this questionnaire advises on"), True),
        "locales": (ListOf(Str("a locale such as de or en"), "the locales every visible text has", 2), True),
        "default_locale": (Str("the locale shown first"), True),
        "address": (MapOf(Choice(("du", "Sie")), "the form of address per locale: du or Sie"), True),
        "title": (Texts("the questionnaire's title"), True),
        "intro": (Texts("the welcome text"), True),
        "icon": (
            Str(
                "the picture on the start and help screens: an icon name (" + ", ".join(ICONS) + "); "
                "without it, the category's"
            ),
            False,
        ),  # fmt: skip
        "steps": (ListOf(STEP, "the questions, in order", 1), True),
        "results": (RESULTS, False),
        "examples": (ListOf(EXAMPLE, "tests that `advisor check` runs"), False),
        "outcomes": (ListOf(OUTCOME, "a service flow's outcomes, in the order they are shown", 1), False),
        "problem": (Str("a service flow's step whose answer names the problem (default: the first step)"), False),
    },
    "A step-by-step needs questionnaire (or service flow) for one catalog category.",
)


def json_schema() -> dict[str, Any]:
    """The questionnaire format as JSON Schema (draft-07), for editors with YAML language support."""
    schema = QUESTIONNAIRE.schema()
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://nordgrat.example/questionnaire.schema.json",
        "title": "Nordgrat Advisor questionnaire",
        **schema,
    }
