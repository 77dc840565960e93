"""Load a questionnaire file: YAML 1.2 with positions kept, migrated, checked against the format, built.

Loading never raises for a bad file: every problem is a Finding with file, line and column.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from advisor.expressions import Expression, ExpressionError, parse
from advisor.questionnaire import spec
from advisor.questionnaire.findings import ERROR, WARNING, Finding, has_errors
from advisor.questionnaire.migrate import CURRENT_VERSION, migrate
from advisor.questionnaire.model import (
    Diversity,
    Example,
    Option,
    Preference,
    Questionnaire,
    Requirement,
    Results,
    Route,
    Step,
)
from advisor.questionnaire.spec import Context
from advisor.questionnaire.spec import Path as SpecPath


@dataclass(frozen=True)
class Loaded:
    """A loaded file: the questionnaire (None when it cannot be built) and the findings."""

    questionnaire: Questionnaire | None
    findings: tuple[Finding, ...]
    context: Context | None = None

    @property
    def ok(self) -> bool:
        return self.questionnaire is not None and not has_errors(self.findings)


def yaml_round_trip() -> YAML:
    """The YAML reader/writer for questionnaire files: 1.2, comments and quotes kept."""
    yaml = YAML(typ="rt")
    yaml.version = (1, 2)
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def _record_positions(node: Any, path: SpecPath, ctx: Context) -> None:
    if isinstance(node, CommentedMap):
        for key in node:
            try:
                ctx.keys[(*path, str(key))] = node.lc.key(key)
                ctx.values[(*path, str(key))] = node.lc.value(key)
            except (KeyError, TypeError, AttributeError):
                continue
            _record_positions(node[key], (*path, str(key)), ctx)
    elif isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            try:
                ctx.values[(*path, i)] = node.lc.item(i)
            except (KeyError, TypeError, AttributeError):
                continue
            _record_positions(item, (*path, i), ctx)


def _quoted(node: Any) -> int:
    """1 when a scalar was written in quotes (its text starts one column later)."""
    return 1 if type(node).__name__ in ("DoubleQuotedScalarString", "SingleQuotedScalarString") else 0


def load_file(path: Path) -> Loaded:
    """Load one questionnaire file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return Loaded(None, (Finding(str(path), 1, 1, "Q001", ERROR, f"the file is not UTF-8 (byte {error.start})"),))
    except OSError as error:
        return Loaded(None, (Finding(str(path), 0, 0, "Q001", ERROR, f"cannot read the file: {error.strerror}"),))
    return load_text(text, str(path))


def parse_yaml(text: str, file: str) -> tuple[Any, list[Finding]]:
    """The round-trip document, or findings for a YAML syntax error."""
    try:
        return yaml_round_trip().load(text), []
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or error.context or "not valid YAML"
        return None, [Finding(file, line, column, "Q001", ERROR, f"YAML syntax: {problem}")]
    except (YAMLError, ValueError, TypeError, RecursionError) as error:
        return None, [Finding(file, 1, 1, "Q001", ERROR, f"YAML syntax: {error}")]


def load_text(text: str, file: str) -> Loaded:
    """Load questionnaire text; `file` names it in findings."""
    document, findings = parse_yaml(text, file)
    if findings:
        return Loaded(None, tuple(findings))
    if not isinstance(document, CommentedMap):
        return Loaded(None, (Finding(file, 1, 1, "Q004", ERROR, "a questionnaire file must be a mapping of keys"),))
    ctx = Context(file=file)
    _record_positions(document, (), ctx)
    version = document.get("format_version")
    if version is None:
        ctx.add((), "Q003", "the file needs 'format_version' (the current version is 2)")
        return Loaded(None, tuple(ctx.findings), ctx)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        ctx.add(("format_version",), "Q004", f"format_version must be a whole number, not {version!r}")
        return Loaded(None, tuple(ctx.findings), ctx)
    if version > CURRENT_VERSION:
        ctx.add(
            ("format_version",),
            "Q016",
            f"format_version {version} is newer than this app knows (up to {CURRENT_VERSION}); update the app",
        )
        return Loaded(None, tuple(ctx.findings), ctx)
    if version < CURRENT_VERSION:
        ctx.add(
            ("format_version",),
            "Q020",
            f"format_version {version} is migrated to {CURRENT_VERSION} on load; run `advisor migrate {file}`",
            severity=WARNING,
        )
        migrate(document)
    locales = document.get("locales")
    if isinstance(locales, list) and all(isinstance(locale, str) for locale in locales) and locales:
        ctx.locales = tuple(str(locale) for locale in locales)
    data = spec.QUESTIONNAIRE.validate(document, (), ctx)
    questionnaire = None
    if isinstance(data, dict) and {"id", "category", "steps"} <= set(data):
        questionnaire = _build(data, document, ctx, hashlib.sha256(text.encode()).hexdigest()[:12])
    return Loaded(questionnaire, tuple(ctx.findings), ctx)


class _Builder:
    """Builds the model from validated data, parsing expressions at their file positions."""

    def __init__(self, document: Any, ctx: Context) -> None:
        self.document = document
        self.ctx = ctx

    def node(self, path: SpecPath) -> Any:
        node = self.document
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def expression(self, source: Any, path: SpecPath) -> Expression | None:
        if not isinstance(source, str):
            return None
        try:
            return parse(source)
        except ExpressionError as error:
            self.ctx.add(path, "Q007", f"{error.message}", offset=error.offset + _quoted(self.node(path)))
            return None

    def position(self, path: SpecPath) -> tuple[int, int]:
        return self.ctx.position(path)

    def text_position(self, path: SpecPath) -> tuple[int, int]:
        """Where an expression's first character is (after an opening quote)."""
        line, column = self.ctx.position(path)
        return line, column + _quoted(self.node(path))

    def requirements(
        self, raw: list[Any], path: SpecPath, step_id: str, option_id: str | None
    ) -> tuple[Requirement, ...]:
        built = []
        for i, item in enumerate(raw):
            source_path: SpecPath = (*path, i) if isinstance(item, str) else (*path, i, "expr")
            source = item if isinstance(item, str) else item.get("expr")
            expression = self.expression(source, source_path)
            if expression is not None:
                label = None if isinstance(item, str) else item.get("label")
                built.append(Requirement(expression, label, step_id, option_id, self.text_position(source_path)))
        return tuple(built)

    def preferences(self, raw: list[Any], path: SpecPath) -> tuple[Preference, ...]:
        built = []
        for i, item in enumerate(raw):
            if "attribute" not in item:
                continue
            target = self.expression(item["target"], (*path, i, "target")) if "target" in item else None
            built.append(
                Preference(
                    attribute=item["attribute"],
                    direction=item.get("direction"),
                    target=target,
                    contains=item.get("contains"),
                    equals=item.get("equals"),
                    weight=float(item.get("weight", 1.0)),
                    importance=item.get("importance"),
                    position=self.position((*path, i)),
                    target_position=self.text_position((*path, i, "target")) if target else (0, 0),
                )
            )
        return tuple(built)

    def step(self, raw: Mapping[str, Any], i: int) -> Step | None:
        if "id" not in raw or "kind" not in raw:
            return None
        path: SpecPath = ("steps", i)
        options = []
        for j, option in enumerate(raw.get("options", [])):
            if "id" not in option:
                continue
            option_path: SpecPath = (*path, "options", j)
            options.append(
                Option(
                    id=option["id"],
                    label=option.get("label", {}),
                    description=option.get("description", {}),
                    icon=option.get("icon"),
                    value=option.get("value"),
                    requires=self.requirements(
                        option.get("require", []), (*option_path, "require"), raw["id"], option["id"]
                    ),
                    prefers=self.preferences(option.get("prefer", []), (*option_path, "prefer")),
                )
            )
        routes = []
        for j, route in enumerate(raw.get("next", [])):
            if "goto" in route:
                condition_path: SpecPath = (*path, "next", j, "if")
                condition = self.expression(route["if"], condition_path) if "if" in route else None
                goto_position = self.position((*path, "next", j, "goto"))
                where = self.text_position(condition_path) if condition else goto_position
                routes.append(Route(route["goto"], condition, where, goto_position))
        show_if = self.expression(raw["show_if"], (*path, "show_if")) if "show_if" in raw else None
        return Step(
            id=raw["id"],
            kind=raw["kind"],
            question=raw.get("question", {}),
            help=raw.get("help", {}),
            options=tuple(options),
            dont_care=raw.get("dont_care", False),
            min=raw.get("min"),
            max=raw.get("max"),
            step=raw.get("step"),
            default=raw.get("default"),
            unit=raw.get("unit"),
            show_if=show_if,
            show_if_position=self.text_position((*path, "show_if")) if show_if else (0, 0),
            routes=tuple(routes),
            requires=self.requirements(raw.get("require", []), (*path, "require"), raw["id"], None),
            prefers=self.preferences(raw.get("prefer", []), (*path, "prefer")),
            position=self.position(path),
            field_positions={key: self.position((*path, key)) for key in raw},
        )


def _build(data: dict[str, Any], document: Any, ctx: Context, version: str) -> Questionnaire:
    builder = _Builder(document, ctx)
    steps = tuple(step for i, raw in enumerate(data["steps"]) if (step := builder.step(raw, i)) is not None)
    raw_results = data.get("results", {})
    diversity = raw_results.get("diversity")
    results = Results(
        show=raw_results.get("show", 5),
        tie_break=tuple(raw_results.get("tie_break", ("price",))),
        diversity=Diversity(diversity["attribute"], diversity["max_per_value"])
        if diversity and {"attribute", "max_per_value"} <= set(diversity)
        else None,
    )
    examples = tuple(
        Example(
            name=raw["name"],
            answers=raw["answers"],
            top=raw.get("top", results.show),
            include=tuple(raw.get("include", ())),
            exclude=tuple(raw.get("exclude", ())),
            count_at_least=raw.get("count_at_least"),
            no_match=raw.get("no_match", False),
            position=ctx.position(("examples", i)),
        )
        for i, raw in enumerate(data.get("examples", []))
        if {"name", "answers"} <= set(raw)
    )
    return Questionnaire(
        id=data["id"],
        category=data["category"],
        locales=tuple(data.get("locales", ("de", "en"))),
        default_locale=data.get("default_locale", "de"),
        address=data.get("address", {}),
        title=data.get("title", {}),
        intro=data.get("intro", {}),
        steps=steps,
        results=results,
        examples=examples,
        format_version=CURRENT_VERSION,
        version=version,
        path=ctx.file,
    )
