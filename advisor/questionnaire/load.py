"""Load a questionnaire file: YAML 1.2 with positions kept, migrated, checked against the format, built.

Loading never raises for a bad file: every problem is a Finding with file, line and column. Whatever can be
built is built, so the other checks still run: a step with a mistyped kind is kept (checks that need its
kind skip it), an id that breaks the naming rule is kept as written.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.expressions import Expression, ExpressionError, parse
from advisor.questionnaire import spec
from advisor.questionnaire.document import LINE_BREAK, Document, Problem, decode, read_document, value_at
from advisor.questionnaire.findings import ERROR, WARNING, Finding, closest, has_errors
from advisor.questionnaire.migrate import CURRENT_VERSION, migrate
from advisor.questionnaire.model import (
    FINDER,
    QUESTIONNAIRE_KINDS,
    Diversity,
    Example,
    Option,
    Outcome,
    Parts,
    Preference,
    Questionnaire,
    Repair,
    Requirement,
    Results,
    Route,
    Sizing,
    Step,
)
from advisor.questionnaire.model import Path as SpecPath
from advisor.questionnaire.spec import NEEDED_LOCALES, Context

if TYPE_CHECKING:
    from ruamel.yaml import YAML


@dataclass(frozen=True)
class Loaded:
    """A loaded file: the questionnaire (None when it cannot be built) and the findings."""

    questionnaire: Questionnaire | None
    findings: tuple[Finding, ...]
    context: Context | None = None

    @property
    def ok(self) -> bool:
        return self.questionnaire is not None and not has_errors(self.findings)

    @property
    def document(self) -> Document | None:
        return self.context.document if self.context else None


def yaml_round_trip() -> YAML:
    """The YAML reader/writer for rewriting questionnaire files (`advisor migrate`): 1.2, comments and quotes kept."""
    from ruamel.yaml import YAML  # only for rewriting: reading uses libyaml (advisor.questionnaire.document)

    yaml = YAML(typ="rt")
    yaml.version = (1, 2)
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def parse_yaml(text: str, file: str) -> tuple[Any, list[Finding]]:
    """The round-trip document for rewriting a file, or findings for a YAML syntax error."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return yaml_round_trip().load(text), []
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or error.context or "not valid YAML"
        return None, [Finding(file, line, column, "Q001", ERROR, f"YAML syntax: {problem}")]
    except (YAMLError, ValueError, TypeError, RecursionError) as error:
        return None, [Finding(file, 1, 1, "Q001", ERROR, f"YAML syntax: {error}")]


def migrated_text(text: str, file: str) -> tuple[str | None, list[Finding]]:
    """A file's text rewritten in the current format (None when it is in it already), or why it cannot be read.

    Comments and quotes are kept, and so are the file's line endings and a byte order mark; nothing is written above
    its first line (no `%YAML` directive or `---` above `# yaml-language-server: ...`).
    """
    mark = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(mark) :]
    first_break = LINE_BREAK.search(body)
    newline = first_break.group() if first_break else "\n"
    # Read as `advisor check` reads it first, so a YAML slip or a version that cannot be migrated is reported in the
    # same words and at the same place.
    read = read_document(body)
    ctx = Context(file=file, document=read)
    ctx.findings.extend(_finding(file, problem) for problem in read.problems)
    if not ctx.findings and isinstance(read.value, dict):
        _, version = _version(read.value, ctx)
        if version > CURRENT_VERSION:
            _too_new(version, ctx)
    errors = [finding for finding in ctx.findings if finding.severity == ERROR]
    if errors:
        return None, errors
    document, findings = parse_yaml(LINE_BREAK.sub("\n", body), file)
    if findings or not migrate(document):
        return None, findings
    writer = yaml_round_trip()
    writer.version = None  # YAML 1.2 is what the reader assumes; a directive would push the schema line down
    out = io.StringIO()
    writer.dump(document, out)
    return mark + out.getvalue().replace("\n", newline), []


def load_file(path: Path) -> Loaded:
    """Load one questionnaire file (bytes that are not UTF-8 are reported where they are, and read on)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return Loaded(None, (Finding(str(path), 0, 0, "Q001", ERROR, f"cannot read the file: {error.strerror}"),))
    text, problems = decode(data)
    return load_text(text, str(path), problems=problems)


def _finding(file: str, problem: Problem) -> Finding:
    line, column, end_line, end_column = problem.span
    return Finding(file, line + 1, column + 1, problem.code, ERROR, problem.message, end_line + 1, end_column + 1)


def load_text(text: str, file: str, *, problems: Sequence[Problem] = ()) -> Loaded:
    """Load questionnaire text; `file` names it in findings."""
    document = read_document(text)
    ctx = Context(file=file, document=document)
    ctx.findings.extend(_finding(file, problem) for problem in [*problems, *document.problems])
    root = document.value
    if not isinstance(root, dict):
        if document.readable or not ctx.findings:
            ctx.add(
                (), "Q004", "a questionnaire file must be a mapping of keys (format_version: 2, id: ..., steps: ...)"
            )
        return Loaded(None, tuple(ctx.findings), ctx)
    root, version = _version(root, ctx)
    if version > CURRENT_VERSION:
        _too_new(version, ctx)
        return Loaded(None, tuple(ctx.findings), ctx)
    if version < CURRENT_VERSION:
        ctx.add(
            ("format_version",),
            "Q020",
            f"format_version {version} is migrated to {CURRENT_VERSION} on load; run `advisor migrate {file}`",
            severity=WARNING,
        )
        root = copy.deepcopy(root)
        renamed: list[tuple[str, str, SpecPath]] = []
        migrate(root, renamed)
        for old, new, path in renamed:
            ctx.renamed[(*path, new)] = (*path, old)
    locales = root.get("locales")
    if isinstance(locales, list) and all(isinstance(locale, str) for locale in locales) and locales:
        ctx.locales = _meant_locales([str(locale) for locale in locales], ctx)
    data = spec.QUESTIONNAIRE.validate(root, (), ctx)
    _at_first_key(ctx)
    if isinstance(data, dict) and "locales" in data:
        data["locales"] = list(ctx.locales)
    questionnaire = None
    if isinstance(data, dict):
        questionnaire = _build(data, ctx, hashlib.sha256(text.encode()).hexdigest()[:12])
    return Loaded(questionnaire, tuple(ctx.findings), ctx)


def _at_first_key(ctx: Context) -> None:
    """A key a mapping misses (the file, a step, an option) is reported at the mapping's first key, not over all its
    lines."""
    document = ctx.document
    firsts: dict[tuple[int, int, int, int], tuple[int, int, int, int]] = {}
    for path, span in document.keys.items():
        mapping = value_at(document.value, path[:-1])
        if isinstance(mapping, dict) and str(next(iter(mapping), None)) == path[-1] and path[:-1] in document.values:
            whole = document.values[path[:-1]]
            firsts[(whole[0] + 1, whole[1] + 1, whole[2] + 1, whole[3] + 1)] = (
                span[0] + 1,
                span[1] + 1,
                span[2] + 1,
                span[3] + 1,
            )
    narrowed = []
    for finding in ctx.findings:
        first = firsts.get((finding.line, finding.column, finding.end_line, finding.end_column))
        if finding.code == "Q003" and first is not None:
            line, column, end_line, end_column = first
            finding = dataclasses.replace(finding, line=line, column=column, end_line=end_line, end_column=end_column)
        narrowed.append(finding)
    ctx.findings[:] = narrowed


_SUPPORTED = f"this app reads format versions 1 to {CURRENT_VERSION}"


def _too_new(version: int, ctx: Context) -> None:
    ctx.add(
        ("format_version",),
        "Q016",
        f"format_version {version} is newer than this app knows (up to {CURRENT_VERSION}); update the app",
    )


def _version(root: dict[str, Any], ctx: Context) -> tuple[dict[str, Any], int]:
    """The file's format version; a missing, mistyped or unreadable one is reported once (at its line) and the file
    read as the current version, so the rest is still checked."""
    version = root.get("format_version")
    if version is None:
        written = [key for key in root if isinstance(key, str) and key not in spec.QUESTIONNAIRE.fields]
        typo = closest("format_version", written)
        if typo is None:
            first = next(iter(root), None)
            ctx.add(
                (str(first),) if first is not None else (),
                "Q003",
                f"the file needs 'format_version: {CURRENT_VERSION}' (the format's version) among its first keys "
                f"({_SUPPORTED}); checked as version {CURRENT_VERSION}",
                key=first is not None,
            )
            return {**root, "format_version": CURRENT_VERSION}, CURRENT_VERSION
        ctx.renamed[("format_version",)] = (typo,)  # findings about it point where it is written
        ctx.add(
            ("format_version",),
            "Q003",
            f"the file needs 'format_version' ({_SUPPORTED}); '{typo}' is not a key (did you mean 'format_version'?)",
            key=True,
            fix="format_version",
        )
        root = {("format_version" if key == typo else key): value for key, value in root.items()}
        version = root["format_version"]

    def read_as(meant: int, message: str) -> tuple[dict[str, Any], int]:
        """A format_version that cannot be taken as written: Q004, and the file checked as version `meant`."""
        ctx.add(("format_version",), "Q004", message, fix=str(meant))
        return {**root, "format_version": meant}, meant

    if isinstance(version, str) and version.strip().isdigit() and 1 <= int(version) <= CURRENT_VERSION:
        # '1' in quotes is text: the version meant is plain, so the file is checked as what it says
        meant = int(version)
        return read_as(
            meant,
            f"format_version is the text '{version}' (in quotes), not a number; write "
            f"format_version: {meant} without quotes (the file is checked as version {meant})",
        )
    if isinstance(version, int) and not isinstance(version, bool) and version < 1:
        return read_as(
            CURRENT_VERSION,
            f"format_version {version} is unknown: {_SUPPORTED}; write the version the "
            f"file is written in: 1 (steps with type and text) or {CURRENT_VERSION} "
            f"(kind and question); the file is checked as version {CURRENT_VERSION}",
        )
    if not isinstance(version, int) or isinstance(version, bool):
        return read_as(
            CURRENT_VERSION,
            f"format_version must be a whole number, not {version!r}: {_SUPPORTED}; "
            f"write format_version: {CURRENT_VERSION} (the file is checked as version "
            f"{CURRENT_VERSION})",
        )
    return root, version


def _meant_locales(written: list[str], ctx: Context) -> tuple[str, ...]:
    """The locales as meant: a mistyped one (`eng`) of those every questionnaire needs is reported once and read as
    the one it was meant to be, so no text is also reported for it."""
    missing = [locale for locale in NEEDED_LOCALES if locale not in written]
    meant = []
    for i, locale in enumerate(written):
        suggestion = closest(locale, missing)
        if suggestion is not None:
            missing.remove(suggestion)
            ctx.add(
                ("locales", i),
                "Q015",
                f"locales must include {' and '.join(NEEDED_LOCALES)}; '{locale}' is not one of them "
                f"(did you mean '{suggestion}'?)",
                fix=suggestion,
            )
            locale = suggestion
        meant.append(locale)
    return tuple(meant)


class _Builder:
    """Builds the model from validated data, parsing expressions at their file positions."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def expression(self, source: Any, path: SpecPath) -> Expression | None:
        if not isinstance(source, str):
            return None
        try:
            return parse(source)
        except ExpressionError as error:
            self.ctx.add(path, "Q007", error.message, offset=error.offset, length=error.length)
            return None

    def position(self, path: SpecPath) -> tuple[int, int]:
        return self.ctx.position(path)

    def text_position(self, path: SpecPath) -> tuple[int, int]:
        """Where a text's first character is (after an opening quote)."""
        line, column = self.ctx.text_span(path, 0, 0)[:2]
        return line + 1, column + 1

    def written_id(self, raw: Mapping[str, Any], path: SpecPath) -> str | None:
        """The id as validated, or as written when it breaks the naming rule (the finding says so)."""
        if "id" in raw:
            return str(raw["id"])
        written = self.ctx.raw((*path, "id"))
        return written if isinstance(written, str) and written else None

    def requirements(self, raw: Any, path: SpecPath, step_id: str, option_id: str | None) -> tuple[Requirement, ...]:
        built = []
        for i, item in _aligned(raw, self.ctx, path, (str, Mapping)):
            source_path: SpecPath = (*path, i) if isinstance(item, str) else (*path, i, "expr")
            source = item if isinstance(item, str) else item.get("expr")
            expression = self.expression(source, source_path)
            if expression is not None:
                label = None if isinstance(item, str) else item.get("label")
                built.append(
                    Requirement(expression, label, step_id, option_id, self.text_position(source_path), source_path)
                )
        return tuple(built)

    def preferences(self, raw: Any, path: SpecPath) -> tuple[Preference, ...]:
        built = []
        for i, item in _aligned(raw, self.ctx, path):
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
                    path=(*path, i),
                )
            )
        return tuple(built)

    def step(self, raw: Mapping[str, Any], i: int) -> Step | None:
        path: SpecPath = ("steps", i)
        step_id = self.written_id(raw, path)
        if step_id is None:
            return None
        kind = raw.get("kind")
        if kind is None:
            written = self.ctx.raw((*path, "kind"))
            kind = written if isinstance(written, str) else ""
        options = []
        for j, option in _aligned(raw.get("options"), self.ctx, (*path, "options")):
            option_path: SpecPath = (*path, "options", j)
            option_id = self.written_id(option, option_path)
            if option_id is None:
                continue
            options.append(
                Option(
                    id=option_id,
                    label=option.get("label", {}),
                    description=option.get("description", {}),
                    icon=option.get("icon"),
                    value=option.get("value"),
                    requires=self.requirements(option.get("require"), (*option_path, "require"), step_id, option_id),
                    prefers=self.preferences(option.get("prefer"), (*option_path, "prefer")),
                    path=option_path,
                )
            )
        routes = []
        for j, route in _aligned(raw.get("next"), self.ctx, (*path, "next")):
            if "goto" in route:
                condition_path: SpecPath = (*path, "next", j, "if")
                condition = self.expression(route["if"], condition_path) if "if" in route else None
                goto_position = self.position((*path, "next", j, "goto"))
                where = self.text_position(condition_path) if condition else goto_position
                routes.append(Route(route["goto"], condition, where, goto_position, (*path, "next", j)))
        show_if = self.expression(raw["show_if"], (*path, "show_if")) if "show_if" in raw else None
        return Step(
            id=step_id,
            kind=str(kind),
            question=raw.get("question", {}),
            help=raw.get("help", {}),
            short=raw.get("short", {}),
            options=tuple(options),
            dont_care=raw.get("dont_care", False),
            firm=raw.get("firm", False),
            min=raw.get("min"),
            max=raw.get("max"),
            step=raw.get("step"),
            default=raw.get("default"),
            unit=raw.get("unit"),
            show_if=show_if,
            show_if_position=self.text_position((*path, "show_if")) if show_if else (0, 0),
            routes=tuple(routes),
            requires=self.requirements(raw.get("require"), (*path, "require"), step_id, None),
            prefers=self.preferences(raw.get("prefer"), (*path, "prefer")),
            position=self.position(path),
            field_positions={key: self.position((*path, key)) for key in raw},
            path=path,
        )

    def outcome(self, raw: Mapping[str, Any], i: int) -> Outcome | None:
        path: SpecPath = ("outcomes", i)
        outcome_id = self.written_id(raw, path)
        if outcome_id is None:
            return None
        kind = raw.get("kind")
        if kind is None:
            written = self.ctx.raw((*path, "kind"))
            kind = written if isinstance(written, str) else ""
        parts = None
        if isinstance(raw.get("parts"), Mapping):
            written_parts = raw["parts"]
            rule_path: SpecPath = (*path, "parts", "rule")
            rule = self.expression(written_parts["rule"], rule_path) if "rule" in written_parts else None
            parts = Parts(tuple(written_parts.get("skus", ())), written_parts.get("category"), rule)
        repair = None
        if isinstance(raw.get("repair"), Mapping) and "by" in raw["repair"]:
            cost = raw["repair"].get("cost") or {}
            repair = Repair(raw["repair"]["by"], raw["repair"].get("days"), cost.get("min"), cost.get("max"))
        condition = self.expression(raw["if"], (*path, "if")) if "if" in raw else None
        return Outcome(
            id=outcome_id,
            kind=str(kind),
            title=raw.get("title", {}),
            text=raw.get("text", {}),
            condition=condition,
            guide=raw.get("guide"),
            parts=parts,
            repair=repair,
            purchased=raw.get("purchased"),
            position=self.position(path),
            field_positions={key: self.position((*path, key)) for key in raw},
            path=path,
        )


def _text(data: Mapping[str, Any], ctx: Context, key: str, default: str) -> str:
    """A header value as validated, or as written when it is text but not valid (the finding says so)."""
    if key in data:
        return str(data[key])
    written = ctx.raw((key,))
    return written if isinstance(written, str) else default


def _kind(data: Mapping[str, Any], ctx: Context) -> str:
    """Finder or service; a mistyped kind (reported) is read as the one it was meant to be, when one is close."""
    if "kind" in data:
        return str(data["kind"])
    written = ctx.raw(("kind",))
    meant = closest(written, QUESTIONNAIRE_KINDS) if isinstance(written, str) else None
    return meant or FINDER


def _build(data: dict[str, Any], ctx: Context, version: str) -> Questionnaire:
    builder = _Builder(ctx)
    steps = tuple(
        step for i, raw in _aligned(data.get("steps"), ctx, ("steps",)) if (step := builder.step(raw, i)) is not None
    )
    raw_results = data.get("results", {})
    diversity = raw_results.get("diversity")
    results = Results(
        show=raw_results.get("show", 5),
        tie_break=tuple(raw_results.get("tie_break", ("price",))),
        diversity=Diversity(diversity["attribute"], diversity["max_per_value"])
        if diversity and {"attribute", "max_per_value"} <= set(diversity)
        else None,
        size=_sizing(raw_results.get("size")),
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
            path=("examples", i),
            outcomes=tuple(raw["outcomes"]) if "outcomes" in raw else None,
            product=raw.get("product"),
        )
        for i, raw in _aligned(data.get("examples"), ctx, ("examples",))
        if {"name", "answers"} <= set(raw)
    )
    return Questionnaire(
        id=_text(data, ctx, "id", ""),
        category=_text(data, ctx, "category", ""),
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
        kind=_kind(data, ctx),
        outcomes=tuple(
            outcome
            for i, raw in _aligned(data.get("outcomes"), ctx, ("outcomes",))
            if (outcome := builder.outcome(raw, i)) is not None
        ),
        problem=data.get("problem"),
        icon=data.get("icon") if isinstance(data.get("icon"), str) else None,
    )


def _sizing(raw: Any) -> Sizing | None:
    """The size block, when it names its attribute (the measurements: those written as text)."""
    if not isinstance(raw, Mapping) or "attribute" not in raw:
        return None
    measurements = raw.get("measurements")
    named = dict(measurements) if isinstance(measurements, Mapping) else {}
    return Sizing(str(raw["attribute"]), named)


def _aligned(
    validated: Any, ctx: Context, path: SpecPath, kinds: type | tuple[type, ...] = Mapping
) -> list[tuple[int, Any]]:
    """The validated items of a list with their index in the file.

    Validation drops the items that are not of the item's kind (a mapping, or a text for requirements); every
    item of that kind is kept, so the rest line up with the written items of that kind.
    """
    written = ctx.raw(path)
    if not isinstance(written, list) or not isinstance(validated, list):
        return []
    return list(zip((i for i, raw in enumerate(written) if isinstance(raw, kinds)), validated, strict=False))
