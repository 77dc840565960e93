"""The questionnaire file format, declared once: the loader checks files against it, `advisor schema` prints it.

Each node validates a parsed YAML value, reports findings at the value's position and returns the value
(or INVALID), and describes itself as JSON Schema (draft-07) for editors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from advisor.questionnaire.findings import ERROR, Finding, did_you_mean

Path = tuple[str | int, ...]
INVALID: Any = object()
ID_PATTERN = r"^[a-z][a-z0-9_-]{0,63}$"
ICONS = (
    "hiking", "mountain", "family", "bike", "festival", "canoe", "snow", "sun", "rain", "city", "travel", "tent",
    "person", "people", "ruler", "scale", "feather", "thermometer", "backpack", "jacket", "star", "leaf", "euro",
    "clock", "wind",
)  # fmt: skip
UNITS = ("persons", "cm", "eur", "kg", "l", "nights", "°C", "g", "mm")
KINDS = ("single", "multiple", "number", "yes_no")


@dataclass
class Context:
    """Where values sit in the file, and the findings so far."""

    file: str
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    locales: tuple[str, ...] = ("de", "en")

    def position(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """1-based line and column of a value (or its key); the nearest known ancestor otherwise."""
        table = self.keys if key else self.values
        probe = path
        while probe:
            if probe in table:
                line, column = table[probe]
                return line + 1, column + 1
            if probe in self.values:
                line, column = self.values[probe]
                return line + 1, column + 1
            probe = probe[:-1]
        return 1, 1

    def add(
        self, path: Path, code: str, message: str, *, severity: str = ERROR, key: bool = False, offset: int = 0
    ) -> None:
        line, column = self.position(path, key=key)
        self.findings.append(Finding(self.file, line, column + offset, code, severity, message))


def describe(path: Path) -> str:
    """A path as a merchandiser reads it: steps[2].options[0].label."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "the file"


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
        ctx.add(path, "Q004", f"{describe(path)} must be {wanted}, not {_type_name(value)}")
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
            ctx.add(path, "Q004", f"{describe(path)} {value!r} must be {self.pattern_hint}")
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
        wanted = "a whole number" if self.integer else "a number"
        if isinstance(value, bool) or not isinstance(value, int | float) or (self.integer and value != int(value)):
            return self._wrong(value, path, ctx, wanted)
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            ctx.add(
                path, "Q004", f"{describe(path)} must be between {self.minimum:g} and {self.maximum:g}, not {value}"
            )
            return INVALID
        return int(value) if self.integer else float(value)

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

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        if value not in self.values:
            hint = did_you_mean(str(value), self.values) if isinstance(value, str) else ""
            ctx.add(path, "Q004", f"{describe(path)} must be one of {', '.join(self.values)}, not {value!r}{hint}")
            return INVALID
        return value

    def schema(self) -> dict[str, Any]:
        return {"enum": list(self.values), "description": self.description}


@dataclass
class Texts(Node):
    """A visible text in every declared locale."""

    description: str = ""

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        if isinstance(value, str):
            ctx.add(path, "Q015", f"{describe(path)} needs a text per locale ({', '.join(ctx.locales)}), not one text")
            return {locale: str(value) for locale in ctx.locales}
        if not isinstance(value, Mapping):
            return self._wrong(value, path, ctx, f"texts per locale ({', '.join(ctx.locales)})")
        texts: dict[str, str] = {}
        for locale, text in value.items():
            if locale not in ctx.locales:
                ctx.add(
                    (*path, locale),
                    "Q002",
                    f"{describe(path)} has a text for '{locale}', which is not among the locales "
                    f"({', '.join(ctx.locales)}){did_you_mean(str(locale), ctx.locales)}",
                    key=True,
                )
            elif not isinstance(text, str) or not text.strip():
                ctx.add((*path, locale), "Q015", f"{describe(path)}.{locale} is empty")
            else:
                texts[locale] = str(text)
        for locale in ctx.locales:
            if locale not in value:
                ctx.add(path, "Q015", f"{describe(path)} has no '{locale}' text")
        return texts

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "description": self.description + " (one text per locale)",
            "properties": {"de": {"type": "string"}, "en": {"type": "string"}},
            "required": ["de", "en"],
            "additionalProperties": {"type": "string"},
        }


@dataclass
class ListOf(Node):
    item: Node = field(default_factory=Str)
    description: str = ""
    min_items: int = 0

    def validate(self, value: Any, path: Path, ctx: Context) -> Any:
        if not isinstance(value, list):
            return self._wrong(value, path, ctx, "a list")
        if len(value) < self.min_items:
            ctx.add(path, "Q004", f"{describe(path)} needs at least {self.min_items} entries")
        return [
            result
            for i, item in enumerate(value)
            if (result := self.item.validate(item, (*path, i), ctx)) is not INVALID
        ]

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
        for key, item in value.items():
            if key not in self.fields:
                where = describe(path)
                ctx.add(
                    (*path, str(key)),
                    "Q002",
                    f"unknown key '{key}' in {where}{did_you_mean(str(key), self.fields)}",
                    key=True,
                )
                continue
            node, _ = self.fields[key]
            checked = node.validate(item, (*path, key), ctx)
            if checked is not INVALID:
                result[key] = checked
        for key, (_, required) in self.fields.items():
            if required and key not in value:
                ctx.add(path, "Q003", f"{describe(path)} needs '{key}'", key=bool(path))
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
    """ruamel's scalar and container types as plain Python values."""
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
        "id": (ID, True),
        "kind": (Choice(KINDS, "single choice, multiple choice, a number, or yes/no"), True),
        "question": (Texts("the question"), True),
        "help": (Texts("why we ask: the expert explanation"), False),
        "options": (ListOf(OPTION, "the choices", 1), False),
        "dont_care": (Bool("offer a 'doesn't matter' answer"), False),
        "min": (Num("the smallest number"), False),
        "max": (Num("the largest number"), False),
        "step": (Num("the step between numbers", 0), False),
        "default": (Num("the number the step starts at"), False),
        "unit": (Choice(UNITS, "the unit of a number step"), False),
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
    },
    "how the results are shown",
)
QUESTIONNAIRE = Obj(
    {
        "format_version": (Num("the file format's version", 1, integer=True), True),
        "id": (ID, True),
        "category": (Str("the catalog category this questionnaire advises on"), True),
        "locales": (ListOf(Str("a locale such as de or en"), "the locales every visible text has", 2), True),
        "default_locale": (Str("the locale shown first"), True),
        "address": (MapOf(Choice(("du", "Sie")), "the form of address per locale: du or Sie"), True),
        "title": (Texts("the questionnaire's title"), True),
        "intro": (Texts("the welcome text"), True),
        "steps": (ListOf(STEP, "the questions, in order", 1), True),
        "results": (RESULTS, False),
        "examples": (ListOf(EXAMPLE, "tests that `advisor check` runs"), False),
    },
    "A step-by-step needs questionnaire for one catalog category.",
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
