"""What a questionnaire file says on its own, checked against the catalog's attribute dictionary.

References, cycles, reachability, conditions that look ahead, names and values in expressions, number
settings, the form of address of German texts. Every finding points at the key or value it is about, with
a fix when the mistake looks like a typo. A step whose kind is mistyped is skipped by the checks that need
its kind (its own finding says so). (What a file means for the catalog's products, the path walk and the
examples, is advisor.audit.)
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from advisor.catalog.dictionary import IN_STOCK, PRICE, CategorySpec, Dictionary
from advisor.expressions import Expression, settled
from advisor.questionnaire.address import wrong_address
from advisor.questionnaire.findings import ERROR, WARNING, Finding, closest
from advisor.questionnaire.model import (
    DONT_CARE,
    KINDS,
    OUTCOME_KINDS,
    RESULTS_STEP,
    SERVICE,
    Example,
    Outcome,
    Path,
    Preference,
    Questionnaire,
    Step,
)
from advisor.questionnaire.spec import ICONS, NEEDED_LOCALES, Context

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_-]*)\}")
_KIND_NAMES = {"single": "single-choice", "multiple": "multiple-choice", "yes_no": "yes/no"}
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")  # 1,5: a decimal written as German writes it
# The settings only a number step takes (the kiosk shows them on a number step only).
NUMBER_KEYS = ("min", "max", "step", "default", "unit")


def fits_kind(key: str, kind: str | None) -> bool:
    """Whether a step of `kind` takes `key`: the number settings are a number step's, options a choice step's; a
    step whose kind is mistyped (or not written yet) takes every key."""
    if kind not in KINDS:
        return True
    if key in NUMBER_KEYS:
        return kind == "number"
    if key == "options":
        return kind in ("single", "multiple")
    return True


def _hint(suggestion: str | None) -> str:
    return f" (did you mean '{suggestion}'?)" if suggestion else ""


def attribute_hint(name: str, known: Iterable[str], category: CategorySpec | None) -> tuple[str | None, str]:
    """The name meant by a mistyped one and ' (did you mean ...?)': by the names, else by the attributes' labels in
    every locale (`farbe` → colour, whose German label is "Farbe": " (did you mean 'colour' (Farbe)?)")."""

    def labels_of(candidate: str) -> Iterable[str]:
        spec = category.attributes.get(candidate) if category is not None else None
        return spec.label.values() if spec is not None else ()

    return _named_or_labelled(name, list(known), labels_of, name.casefold().replace("_", " "))


def value_hint(
    value: str, allowed: Sequence[str], value_labels: Mapping[str, Mapping[str, str]] | None
) -> tuple[str | None, str]:
    """The value meant by a mistyped one and ' (did you mean ...?)': by the values, else by their labels in every
    locale (`Daune` → down, whose German label is "Daune": " (did you mean 'down' (Daune)?)")."""
    return _named_or_labelled(value, allowed, lambda candidate: (value_labels or {}).get(candidate, {}).values(),
                              value.casefold())  # fmt: skip


def _named_or_labelled(
    written: str, known: Sequence[str], labels_of: Callable[[str], Iterable[str]], wanted: str
) -> tuple[str | None, str]:
    """The one of `known` meant by `written`: the same in other capitals, else the closest, else the one whose label
    (any locale, `wanted` as compared) it is or is close to; with the hint that says so."""
    labels: dict[str, tuple[str, str]] = {}  # a label, casefolded -> the name and the label as written
    for candidate in known:
        for label in labels_of(candidate):
            labels.setdefault(label.casefold(), (candidate, label))
    same = next((candidate for candidate in known if candidate.casefold() == written.casefold()), None)
    if same is None and wanted not in labels:  # no name nor label in other capitals: the closest name, else label
        same = closest(written, known)
        close = difflib.get_close_matches(wanted, labels, n=1, cutoff=0.75) if same is None else []
        wanted = close[0] if close else wanted
    if same is not None or wanted not in labels:
        return same, _hint(same)
    meant, label = labels[wanted]
    return meant, f" (did you mean '{meant}' ({label})?)"


def _or_dont_care(step: Step, value: Any) -> str:
    """For an example's answer a step does not take: that the step's 'doesn't matter' answer is written dont_care."""
    if not step.dont_care:
        return ""
    return f", or dont_care for 'doesn't matter'; {_shown(value)} is neither"


def _shown(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else "a list" if isinstance(value, list) else str(value)


def written_lines(ctx: Context, path: Path) -> range:
    """The 1-based lines a value is written on (empty when it is not written)."""
    span = ctx.document.values.get(ctx.written(path))
    if span is None:
        return range(0)
    # A block's end is where the next token starts: that line belongs to it only if the block wrote on it.
    ends_on_its_line = span[2] == span[0] or ctx.document.line_text(span[2])[: span[3]].strip()
    last = span[2] if ends_on_its_line else span[2] - 1
    return range(span[0] + 1, last + 2)


def damaged_steps(questionnaire: Questionnaire, ctx: Context) -> set[str]:
    """The steps with a line left out after a YAML syntax error: what is read of their options may be incomplete."""
    damaged = {line + 1 for line in ctx.document.damaged}
    if not damaged:
        return set()
    return {step.id for step in questionnaire.steps if damaged.intersection(written_lines(ctx, step.path))}


def _a(kind: str) -> str:
    """A kind of attribute with its article: a number, an enum."""
    return ("an " if kind[:1] in "aeiou" else "a ") + kind


# The key each outcome kind needs (the others belong to other kinds).
_OUTCOME_KEYS = {"guide": "guide", "parts": "parts", "repair": "repair", "warranty": "purchased"}


@dataclass
class _Checker:
    questionnaire: Questionnaire
    category: CategorySpec | None
    ctx: Context
    dictionary: Dictionary | None = None

    def __post_init__(self) -> None:
        self.findings: list[Finding] = []
        self.steps = {step.id: step for step in self.questionnaire.steps}
        self.order = {step.id: i for i, step in enumerate(self.questionnaire.steps)}
        self.importance_checked: set[str] = set()
        # A step with a line left out (a YAML slip) may have lost options: "not an option" waits until it is fixed.
        self.damaged = damaged_steps(self.questionnaire, self.ctx)
        # A step id written twice: which of the two an answer, a name or a goto means is unclear, so what rests on
        # that id waits until one is renamed (its Q005 is the one finding).
        ids = [step.id for step in self.questionnaire.steps]
        self.duplicated = {step_id for step_id in ids if ids.count(step_id) > 1}

    def add(
        self,
        path: Path,
        code: str,
        message: str,
        severity: str = ERROR,
        *,
        key: bool = False,
        offset: int | None = None,
        length: int = 1,
        fix: str | tuple[str, ...] | None = None,
    ) -> None:
        self.findings.append(
            self.ctx.finding(path, code, message, severity=severity, key=key, offset=offset, length=length, fix=fix)
        )

    # -- names and values inside expressions -------------------------------------------------------------

    def attribute_kind(self, name: str) -> str | None:
        if name == PRICE:
            return "number"
        if name == IN_STOCK:
            return "boolean"
        if self.category is None or name not in self.category.attributes:
            return None
        kind = self.category.attributes[name].type
        return "number" if kind == "integer" else kind

    def check_expression(self, expression: Expression, path: Path, *, products: bool, owner: int | None) -> None:
        """Names known, conditions not looking ahead, values allowed, types matching.

        `owner`: the index of the last step answered where the expression is read (-1: none, as for the first
        step's show_if): a step after it is asked later (Q014); None: no order (requirements, targets, service).
        """
        _ExpressionCheck(self, expression, path, products=products, owner=owner).run()

    def check_value(self, attribute: str, value: str, path: Path, offset: int | None) -> None:
        assert self.category is not None
        spec = self.category.attributes[attribute]
        allowed = spec.values or ()
        if value not in allowed:
            suggestion, hint = value_hint(value, allowed, spec.value_labels)
            self.add(
                path,
                "Q010",
                f"'{value}' is not a value of {attribute}; use one of {', '.join(allowed)}{hint}",
                offset=offset,
                length=len(value),
                fix=suggestion,
            )

    # -- the file's structure -------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        questionnaire = self.questionnaire
        if any(locale not in questionnaire.locales for locale in NEEDED_LOCALES):
            self.add(("locales",), "Q015", "locales must include de and en, e.g. locales: [de, en]")
        if questionnaire.default_locale not in questionnaire.locales:
            suggestion = closest(questionnaire.default_locale, questionnaire.locales)
            self.add(
                ("default_locale",),
                "Q004",
                f"default_locale '{questionnaire.default_locale}' is not among the locales "
                f"({', '.join(questionnaire.locales)}){_hint(suggestion)}",
                fix=suggestion,
            )
        written = self.ctx.raw(("address",))
        for locale in questionnaire.locales:
            if isinstance(written, Mapping) and locale in written:
                continue  # written with a form that is not du or Sie: reported where it is written
            if locale not in questionnaire.address and self.ctx.has((), "address"):
                self.add(
                    ("address",),
                    "Q003",
                    f"address needs the form (du or Sie) for '{locale}': add {locale}: du",
                    key=True,
                )
        if questionnaire.icon:
            self.check_icon(questionnaire.icon, ("icon",))
        self.check_ids()
        for index, step in enumerate(questionnaire.steps):
            self.check_step(step, index)
        self.check_routing()
        self.check_results()
        self.check_examples()
        self.check_service()
        self.check_address()
        self.check_unused_steps()
        return self.findings

    # -- service flows ---------------------------------------------------------------------------------

    def check_service(self) -> None:
        """A finder ends in products and a service flow in outcomes; each has only what its kind uses."""
        questionnaire = self.questionnaire
        if questionnaire.kind != SERVICE:
            if self.ctx.has((), "outcomes") and self.ctx.raw(("outcomes",)) is not None:
                self.add(
                    ("outcomes",),
                    "Q004",
                    "outcomes belong to a service flow (kind: service); a finder ends in products",
                    key=True,
                )
            for example in questionnaire.examples:
                for key in ("outcomes", "product"):
                    if self.ctx.has(example.path, key) and self.ctx.raw((*example.path, key)) is not None:
                        self.add(
                            (*example.path, key),
                            "Q004",
                            f"example '{example.name}': '{key}' is for service flows (kind: service)",
                            key=True,
                        )
            return
        if not self.ctx.has((), "outcomes"):
            self.add(("kind",), "Q003", "a service flow needs 'outcomes': where it ends (guide, parts, repair, ...)")
        if self.ctx.document.value is not None and self.ctx.raw(("results",)) is not None:
            self.add(("results",), "Q004", "a service flow ends in outcomes, not products; remove results", key=True)
        if questionnaire.problem is not None and questionnaire.problem not in self.steps:
            suggestion = closest(questionnaire.problem, self.steps)
            self.add(
                ("problem",),
                "Q006",
                f"problem names step '{questionnaire.problem}', which does not exist{_hint(suggestion)}",
                fix=suggestion,
            )
        for step in questionnaire.steps:
            owners: list[tuple[Path, str]] = [(step.path, f"step '{step.id}'")]
            owners += [(option.path, f"step '{step.id}', option '{option.id}'") for option in step.options]
            for path, where in owners:
                for key in ("require", "prefer"):
                    if self.ctx.document.value is not None and self.ctx.raw((*path, key)) is not None:
                        self.add(
                            (*path, key),
                            "Q004",
                            f"{where}: a service flow asks about the shopper's own product; '{key}' selects "
                            "products and does nothing here; remove it",
                            key=True,
                        )
        seen: dict[str, Outcome] = {}
        for outcome in questionnaire.outcomes:
            if outcome.id in seen:
                self.add(
                    (*outcome.path, "id"),
                    "Q005",
                    f"outcome id '{outcome.id}' is used twice (first at line {seen[outcome.id].position[0]}); "
                    "rename one",
                )
            seen.setdefault(outcome.id, outcome)
            self.check_outcome(outcome)
        for example in questionnaire.examples:
            for key in ("include", "exclude", "count_at_least", "no_match"):
                if self.ctx.has(example.path, key) and self.ctx.raw((*example.path, key)) is not None:
                    self.add(
                        (*example.path, key),
                        "Q004",
                        f"example '{example.name}': a service flow's example expects outcomes, not products; "
                        f"write outcomes: [...] instead of {key}",
                        key=True,
                    )
            if example.outcomes is None and self.ctx.has(example.path, "answers"):
                self.add(
                    (*example.path, "name"),
                    "Q003",
                    f"example '{example.name}' needs 'outcomes': the outcomes these answers lead to, in order",
                )
            for i, outcome_id in enumerate(example.outcomes or ()):
                if outcome_id not in seen:
                    suggestion = closest(outcome_id, seen)
                    self.add(
                        (*example.path, "outcomes", i),
                        "Q006",
                        f"example '{example.name}': '{outcome_id}' is not an outcome{_hint(suggestion)}",
                        fix=suggestion,
                    )

    def check_outcome(self, outcome: Outcome) -> None:
        path = outcome.path
        if outcome.condition is not None:
            # An outcome's condition may look at every answer and at the shopper's product's attributes.
            self.check_expression(outcome.condition, (*path, "if"), products=True, owner=None)
        needed = _OUTCOME_KEYS.get(outcome.kind)
        if needed is not None and not self.ctx.has(path, needed):
            self.add(
                (*path, "kind"), "Q003", f"outcome '{outcome.id}' is a {outcome.kind} outcome and needs '{needed}'"
            )
        for kind, key in _OUTCOME_KEYS.items():
            if kind != outcome.kind and outcome.kind in OUTCOME_KINDS and self.ctx.raw((*path, key)) is not None:
                self.add(
                    (*path, key),
                    "Q004",
                    f"outcome '{outcome.id}' is a {outcome.kind} outcome; '{key}' is for {kind} outcomes",
                    key=True,
                )
        if outcome.kind == "parts" and outcome.parts is not None:
            self.check_parts(outcome)
        if outcome.kind == "warranty" and outcome.purchased is not None:
            step = self.steps.get(outcome.purchased)
            where = (*path, "purchased")
            if step is None:
                suggestion = closest(outcome.purchased, self.steps)
                message = f"purchased names step '{outcome.purchased}', which does not exist{_hint(suggestion)}"
                self.add(where, "Q006", message, fix=suggestion)
            elif (
                step.kind_known and step.id not in self.duplicated and (step.kind != "number" or step.unit != "months")
            ):
                self.add(
                    where,
                    "Q011",
                    f"purchased needs a number step in months (how long ago it was bought); '{step.id}' is "
                    + ("a number step in " + str(step.unit) if step.kind == "number" else f"a {step.kind} step"),
                )

    def check_parts(self, outcome: Outcome) -> None:
        parts = outcome.parts
        assert parts is not None
        path = (*outcome.path, "parts")
        if not parts.skus and parts.rule is None and not self.ctx.has(path, "rule"):
            self.add(path, "Q003", f"outcome '{outcome.id}': parts needs skus, or a category and a rule", key=True)
        if (parts.rule is not None or self.ctx.has(path, "rule")) and parts.category is None:
            if not self.ctx.has(path, "category"):
                self.add((*path, "rule"), "Q003", "a parts rule needs the category it selects from (category: care)",
                         key=True)  # fmt: skip
            return
        if parts.category is None or self.dictionary is None:
            return
        meant, hint = category_hint(parts.category, self.dictionary.categories)
        if meant != parts.category:
            self.add(
                (*path, "category"),
                "Q017",
                f"category '{parts.category}' is not in the catalog; use one of "
                f"{', '.join(self.dictionary.categories)}{hint}",
                fix=meant,
            )
        if parts.rule is not None and meant is not None:
            # The rule looks at the parts' attributes, and may use the answers and the shopper's product's attributes
            # (the parts' win where both have a name).
            own = self.category.attributes if self.category is not None else {}
            looked_at = self.dictionary.categories[meant]
            seen = replace(looked_at, attributes={**own, **looked_at.attributes})
            sub = _Checker(self.questionnaire, seen, self.ctx, self.dictionary)
            sub.check_expression(parts.rule, (*path, "rule"), products=True, owner=None)
            self.findings.extend(sub.findings)

    def check_ids(self) -> None:
        seen: dict[str, Step] = {}
        for step in self.questionnaire.steps:
            id_path = (*step.path, "id")
            if step.id in seen:
                first = seen[step.id].position[0]
                self.add(id_path, "Q005", f"step id '{step.id}' is used twice (first at line {first}); rename one")
            seen.setdefault(step.id, step)
            if self.attribute_kind(step.id) is not None:
                self.add(
                    id_path,
                    "Q018",
                    f"step id '{step.id}' is also a product attribute; rename the step (e.g. '{step.id}_wish')",
                )
            if step.id == RESULTS_STEP:
                self.add(id_path, "Q005", "'results' is reserved for the end of the questions; rename the step")
            options: set[str] = set()
            for option in step.options:
                if option.id in options:
                    self.add(
                        (*option.path, "id"),
                        "Q005",
                        f"option id '{option.id}' is used twice in step '{step.id}'; rename one",
                    )
                options.add(option.id)

    def check_step(self, step: Step, index: int) -> None:
        if step.kind_known:
            if step.kind in ("single", "multiple") and not self.ctx.has(step.path, "options"):
                self.add(
                    (*step.path, "kind"), "Q003", f"step '{step.id}' is a {step.kind}-choice step and needs options"
                )
            if step.kind in ("number", "yes_no") and step.options:
                self.add(
                    (*step.path, "options"),
                    "Q004",
                    f"step '{step.id}' is a {step.kind.replace('_', '/')} step; remove its options (they are "
                    "never shown)",
                    key=True,
                )
            if step.kind == "number":
                self.check_number(step)
            else:
                self.check_number_keys(step)
        # A service flow's conditions on steps also see the shopper's product (a finder's products are not known yet).
        owned = self.questionnaire.is_service
        if step.show_if is not None:
            self.check_expression(step.show_if, (*step.path, "show_if"), products=owned, owner=index - 1)
        for route in step.routes:
            if route.condition is not None:
                self.check_expression(route.condition, (*route.path, "if"), products=owned, owner=index)
        for requirement in (*step.requires, *(r for option in step.options for r in option.requires)):
            self.check_expression(requirement.expression, requirement.path, products=True, owner=None)
            if requirement.label and requirement.path[-1] == "expr":
                self.check_label_placeholders(requirement.label, (*requirement.path[:-1], "label"))
        self.check_never_filters(step)
        for preference in (*step.prefers, *(p for option in step.options for p in option.prefers)):
            self.check_preference(preference)
        for option in step.options:
            if option.icon and "." not in option.icon and "/" not in option.icon:
                self.check_icon(option.icon, (*option.path, "icon"))

    def check_number_keys(self, step: Step) -> None:
        """A number setting (min, max, step, default, unit) on a step of another kind: the kiosk never uses it."""
        kind = _KIND_NAMES.get(step.kind, step.kind)
        for key in NUMBER_KEYS:
            if self.ctx.document.value is None:
                written = getattr(step, key) is not None  # checked without the file: what was read
            else:
                written = self.ctx.has(step.path, key)
            if written:
                self.add(
                    (*step.path, key),
                    "Q004",
                    f"step '{step.id}' is a {kind} step; '{key}' is for number steps, so it is never used here; "
                    "remove it",
                    key=True,
                )

    def check_never_filters(self, step: Step) -> None:
        """Q023: a requirement that every answer it applies with makes true, whatever the product: it never filters
        (and the kiosk would never name it). A yes/no step's requirements apply to yes only; a choice's to its
        options (an option's to itself)."""
        if not step.kind_known or step.kind not in ("yes_no", "single"):
            return
        answers = [True] if step.kind == "yes_no" else [option.answer_value for option in step.options]
        owned = [(requirement, answers) for requirement in step.requires if answers]
        owned += [(requirement, [option.answer_value]) for option in step.options for requirement in option.requires]
        for requirement, applies in owned:
            if all(settled(requirement.expression, {step.id: answer}) is True for answer in applies):
                when = "yes (a yes/no step's requirement applies to yes only)" if step.kind == "yes_no" else (
                    f"{step.id} = {applies[0]!r}" if len(applies) == 1 else f"every answer to {step.id}")  # fmt: skip
                self.add(
                    requirement.path, "Q023",
                    f"'{requirement.expression.source}' is true for every product with {when}: it never filters; "
                    "write what that answer asks of the products, or remove it (a preference can favour products "
                    "for the other answers)",
                    WARNING,
                )  # fmt: skip

    def check_icon(self, name: str, path: Path) -> None:
        if name not in ICONS:
            suggestion = closest(name, ICONS)
            self.add(path, "Q004", f"'{name}' is not an icon name ({', '.join(ICONS)}){_hint(suggestion)}",
                     fix=suggestion)  # fmt: skip

    def check_number(self, step: Step) -> None:
        if not self.ctx.has(step.path, "min") or not self.ctx.has(step.path, "max"):
            missing = " and ".join(key for key in ("min", "max") if not self.ctx.has(step.path, key))
            self.add((*step.path, "kind"), "Q003", f"number step '{step.id}' needs {missing}")
            return
        if step.min is None or step.max is None:
            return  # written, but not a number: reported where it is written
        if step.min >= step.max:
            key, hint, fix = self.thousands(step, "min", "max")
            self.add(
                (*step.path, key),
                "Q019",
                f"step '{step.id}': min {step.min:g} must be below max {step.max:g}{hint}; correct one of them",
                fix=fix,
            )
        elif step.default is not None and not step.min <= step.default <= step.max:
            key, hint, fix = self.thousands(step, "default", "max", "min")
            self.add(
                (*step.path, key),
                "Q019",
                f"step '{step.id}': default {step.default:g} is outside {step.min:g}–{step.max:g}{hint}; "
                "put it between min and max",
                fix=fix,
            )
        if step.step is not None and step.step <= 0:
            self.add((*step.path, "step"), "Q019", f"step '{step.id}': step must be above 0, e.g. step: 1")

    def thousands(self, step: Step, *keys: str) -> tuple[str, str, str | None]:
        """Which of a number step's settings a contradiction is about (the first of `keys` unless one is written
        with a thousands separator, `max: 2.100`), what that number reads as, and the number meant."""
        for key in keys:
            written = self.ctx.source((*step.path, key)).strip()
            if _THOUSANDS.fullmatch(written):
                whole = written.replace(".", "")
                hint = f"{key} '{written}' reads as {float(written):g}: a point starts the decimals here"
                return key, f" ({hint}; write {whole} for {int(whole):,})", whole
        return keys[0], "", None

    def check_label_placeholders(self, label: Mapping[str, str], path: Path) -> None:
        for locale, text in label.items():
            for match in _PLACEHOLDER.finditer(text):
                name = match.group(1)
                if name not in self.steps:
                    suggestion = closest(name, self.steps)
                    self.add(
                        (*path, locale),
                        "Q006",
                        f"the label uses {{{name}}}, which is not a step{_hint(suggestion)}",
                        offset=match.start(1),
                        length=len(name),
                        fix=suggestion,
                    )

    def check_preference(self, preference: Preference) -> None:
        path = preference.path
        kind = self.attribute_kind(preference.attribute)
        if kind is None:
            if self.category is not None:
                known = [PRICE, IN_STOCK, *self.category.attributes]
                suggestion, hint = attribute_hint(preference.attribute, known, self.category)
                self.add(
                    (*path, "attribute"),
                    "Q009",
                    f"'{preference.attribute}' is not an attribute of {self.category.id}{hint}",
                    fix=suggestion,
                )
            return
        written = self.ctx.raw(path)
        # (a mistyped key, `directon`, is reported where it is written and read as the one meant)
        ways = [
            w
            for w in ("direction", "target", "contains", "equals")
            if isinstance(written, Mapping) and self.ctx.has(path, w)
        ]
        if len(ways) != 1:
            self.add(
                path,
                "Q003",
                "a preference needs exactly one of direction, target, contains, equals"
                + (f" (it has {', '.join(ways)})" if ways else ""),
            )
        for way in ("direction", "target"):
            if way in ways and kind not in ("number", "boolean"):
                self.add(
                    (*path, way),
                    "Q011",
                    f"'{preference.attribute}' is {_a(kind)} attribute"
                    + self._preference_way(preference.attribute, kind),
                    key=True,
                )
        if preference.contains is not None:
            if kind != "set":
                self.add(
                    (*path, "contains"),
                    "Q011",
                    f"'contains' needs a set attribute; '{preference.attribute}' is {kind}"
                    + self._preference_way(preference.attribute, kind),
                    key=True,
                )
            else:
                self.check_value(preference.attribute, preference.contains, (*path, "contains"), 0)
        if preference.equals is not None:
            if kind != "enum":
                self.add(
                    (*path, "equals"),
                    "Q011",
                    f"'equals' needs an enum attribute; '{preference.attribute}' is {kind}"
                    + self._preference_way(preference.attribute, kind),
                    key=True,
                )
            else:
                self.check_value(preference.attribute, preference.equals, (*path, "equals"), 0)
        if preference.target is not None:
            self.check_expression(preference.target, (*path, "target"), products=False, owner=None)
        if preference.importance is not None and preference.importance not in self.steps:
            suggestion = closest(preference.importance, self.steps)
            self.add(
                (*path, "importance"),
                "Q006",
                f"importance names step '{preference.importance}', which does not exist{_hint(suggestion)}",
                fix=suggestion,
            )
        elif preference.importance is not None:
            self.check_importance(self.steps[preference.importance], (*path, "importance"))

    def _preference_way(self, attribute: str, kind: str) -> str:
        """How a preference for an attribute of this kind is written: `; use equals, like {attribute: power, equals:
        rechargeable}` for an enum, contains for a set, direction or target for a number or yes/no attribute."""
        spec = self.category.attributes.get(attribute) if self.category is not None else None
        value = spec.values[0] if spec is not None and spec.values else "VALUE"
        if kind == "enum":
            return f"; use equals, like {{attribute: {attribute}, equals: {value}}}"
        if kind == "set":
            return f"; use contains, like {{attribute: {attribute}, contains: {value}}}"
        if kind in ("number", "boolean"):
            return f"; use direction (higher or lower) or target, like {{attribute: {attribute}, direction: higher}}"
        return f"; {_a(kind)} attribute takes no preference"

    def check_importance(self, step: Step, where: Path) -> None:
        """An importance step's answer multiplies a weight: a number step, or options whose values are numbers."""
        if not step.kind_known or step.id in self.duplicated:
            return
        if step.kind not in ("number", "single"):
            self.add(
                where,
                "Q011",
                f"importance needs a step whose answer is a number (a number step, or a single-choice step whose "
                f"options have number values); '{step.id}' is a {_KIND_NAMES.get(step.kind, step.kind)} step, so it "
                "would never change the weight",
            )
            return
        if step.id in self.importance_checked:
            return  # its options are reported once, however many preferences name it
        self.importance_checked.add(step.id)
        for option in step.options if step.kind == "single" else ():
            value = option.answer_value
            if not isinstance(value, str):
                continue
            where_value = (*option.path, "value") if option.value is not None else (*option.path, "id")
            about = f"step '{step.id}', option '{option.id}'"
            if _DECIMAL_COMMA.fullmatch(value.strip()):
                point = value.strip().replace(",", ".")
                self.add(
                    where_value,
                    "Q004",
                    f"{about}: value '{value}' is text, so it would not multiply the weight (importance); "
                    f"decimals take a point: write {point}",
                    fix=point,
                )
            else:
                written = (
                    f"value '{value}'" if option.value is not None else f"no number value (it stands for '{value}')"
                )
                self.add(
                    where_value,
                    "Q004",
                    f"{about} has {written}, but step '{step.id}' is an importance whose answer multiplies a "
                    "weight; give the option a number value, e.g. value: 1",
                )

    def edges(self, meant: Mapping[str, str] | None = None) -> dict[str, list[str]]:
        """Which steps can follow which: the routes' targets (a mistyped one read as `meant`), and the next step in
        the file."""
        steps = self.questionnaire.steps
        graph: dict[str, list[str]] = {}
        for i, step in enumerate(steps):
            following = steps[i + 1].id if i + 1 < len(steps) else RESULTS_STEP
            targets = [(meant or {}).get(route.goto, route.goto) for route in step.routes]
            if not any(route.condition is None for route in step.routes) or step.show_if is not None:
                targets.append(following)
            # (a step id written twice: both steps' targets, so neither makes a step look unreached)
            graph[step.id] = [
                target
                for target in dict.fromkeys([*graph.get(step.id, []), *targets])
                if target in self.steps or target == RESULTS_STEP
            ]
        return graph

    def check_routing(self) -> None:
        meant: dict[str, str] = {}  # mistyped gotos and the steps they were meant to name
        unknown: list[str] = []  # gotos that name no step, and none close to it
        for step in self.questionnaire.steps:
            for route in step.routes:
                if route.goto != RESULTS_STEP and route.goto not in self.steps:
                    suggestion = closest(route.goto, [*self.steps, RESULTS_STEP])
                    self.add(
                        (*route.path, "goto"),
                        "Q006",
                        f"goto '{route.goto}' is not a step{_hint(suggestion)}",
                        fix=suggestion,
                    )
                    if suggestion is not None:
                        meant[route.goto] = suggestion
                    else:
                        unknown.append(f"'{route.goto}' (line {self.ctx.position((*route.path, 'goto'))[0]})")
        graph = self.edges()
        for cycle in _cycles(graph):
            if self.duplicated.intersection(cycle):
                continue  # a circle through a step id written twice may be the two steps: its Q005 comes first
            last = self.steps[cycle[-1]]
            closing = next((route for route in last.routes if route.goto == cycle[0]), None)
            where = (*closing.path, "goto") if closing else (*last.path, "id")
            self.add(
                where, "Q012", "the routing runs in a circle: " + " → ".join([*cycle, cycle[0]]) + "; change one goto"
            )
        if not self.questionnaire.steps:
            return
        # A step that a mistyped goto was meant to reach is not reported: fixing the goto (reported) reaches it.
        reached = self.reached(graph) | (self.reached(self.edges(meant)) if meant else set())
        cause = f" (goto {', '.join(unknown)} names no step: is this the step it is meant for?)" if unknown else ""
        for step in self.questionnaire.steps:
            if step.id not in reached and step.id not in self.duplicated:
                self.add(
                    (*step.path, "id"),
                    "Q013",
                    f"no path reaches step '{step.id}'; route to it with goto, or remove it{cause}",
                    WARNING,
                )

    def reached(self, graph: Mapping[str, list[str]]) -> set[str]:
        """The steps a path from the first step reaches."""
        reached = {self.questionnaire.steps[0].id}
        frontier = [self.questionnaire.steps[0].id]
        while frontier:
            for target in graph.get(frontier.pop(), []):
                if target not in reached:
                    reached.add(target)
                    frontier.append(target)
        return reached

    def check_results(self) -> None:
        results = self.questionnaire.results
        if self.category is None:
            return
        known = [PRICE, *self.category.attributes]
        for i, item in enumerate(results.tie_break):
            name = item.lstrip("-")
            if name == IN_STOCK:
                reason = "tie_break: in_stock depends on the store; prefer it instead (prefer: attribute: in_stock)"
                self.add(("results", "tie_break", i), "Q009", reason)
            elif (kind := self.attribute_kind(name)) is None:
                suggestion, hint = attribute_hint(name, known, self.category)
                self.add(
                    ("results", "tie_break", i),
                    "Q009",
                    f"tie_break: '{name}' is not an attribute of {self.category.id}{hint}",
                    fix=item[: len(item) - len(name)] + suggestion if suggestion else None,
                )
            elif kind not in ("number", "boolean"):
                self.add(
                    ("results", "tie_break", i),
                    "Q011",
                    f"tie_break needs a number (or yes/no) attribute to order by; '{name}' is {_a(kind)} attribute, "
                    "whose values have no order, so it would be skipped; remove it, or order by a number attribute",
                )
        if results.diversity:
            path = ("results", "diversity", "attribute")
            attribute = results.diversity.attribute
            kind = None if attribute == IN_STOCK else self.attribute_kind(attribute)
            if kind is None:
                groups = [a for a in known if self.attribute_kind(a) in ("enum", "boolean")]
                suggestion, hint = attribute_hint(attribute, groups, self.category)
                self.add(path, "Q009", f"diversity: '{attribute}' is not an attribute{hint}", fix=suggestion)
            elif kind not in ("enum", "boolean"):
                self.add(path, "Q011", f"diversity needs an enum or yes/no attribute; '{attribute}' is {kind}")
        if results.size is not None:
            self.check_size()

    def check_size(self) -> None:
        """The size block: an attribute that varies and holds sizes, and number steps in cm for the measurements."""
        assert self.category is not None and self.questionnaire.results.size is not None
        size = self.questionnaire.results.size
        attributes = self.category.attributes
        varying = [name for name in self.category.varying if attributes[name].type in ("enum", "set")]
        attribute = self.category.attributes.get(size.attribute)
        if attribute is None:
            suggestion, hint = attribute_hint(size.attribute, varying, self.category)
            self.add(
                (*size.path, "attribute"),
                "Q009",
                f"size: '{size.attribute}' is not an attribute of {self.category.id}{hint}",
                fix=suggestion,
            )
        elif not attribute.varies or attribute.type not in ("enum", "set"):
            self.add(
                (*size.path, "attribute"),
                "Q011",
                f"size needs an enum or set attribute that varies between a model's variants (its values are the "
                f"sizes); '{size.attribute}' does not" + (f": use {', '.join(varying)}" if varying else ""),
            )
        if not size.measurements and self.ctx.has(size.path, "measurements"):
            self.add(
                (*size.path, "measurements"), "Q003", "size: measurements needs at least one, e.g. chest: chest_cm"
            )
        for measurement, step_id in size.measurements.items():
            where = (*size.path, "measurements", measurement)
            step = self.steps.get(step_id)
            if step is None:
                suggestion = closest(step_id, self.steps)
                message = f"size: {measurement} names step '{step_id}', which does not exist{_hint(suggestion)}"
                self.add(where, "Q006", message, fix=suggestion)
            elif step.kind_known and step.id not in self.duplicated and (step.kind != "number" or step.unit != "cm"):
                self.add(
                    where,
                    "Q011",
                    f"size: {measurement} needs a number step in cm; '{step.id}' is "
                    + (
                        f"a number step in {step.unit or 'no unit'}" if step.kind == "number" else f"a {step.kind} step"
                    ),
                )

    def check_examples(self) -> None:
        for example in self.questionnaire.examples:
            if not self.questionnaire.is_service:  # (a service flow's example without outcomes is a Q003)
                self.check_example_expects(example)
            answers_path = (*example.path, "answers")
            for step_id, value in example.answers.items():
                step = self.steps.get(step_id)
                here = (*answers_path, step_id)
                if step is None:
                    suggestion = closest(step_id, self.steps)
                    self.add(
                        here,
                        "Q006",
                        f"example '{example.name}': '{step_id}' is not a step{_hint(suggestion)}",
                        key=True,
                        fix=suggestion,
                    )
                    continue
                if not step.kind_known or step.id in self.damaged | self.duplicated:
                    continue
                if value == DONT_CARE:
                    if not step.dont_care:
                        self.check_example_dont_care(example.name, step, here)
                    continue
                self.check_example_answer(example.name, step, value, here)

    def check_example_expects(self, example: Example) -> None:
        """Q026: a finder's example with answers but no expectation (include, exclude, count_at_least, no_match):
        it can never fail, so it tests nothing."""
        if self.ctx.document.value is None:
            expects = bool(example.include or example.exclude or example.no_match or example.count_at_least)
        else:  # (as written: one written with a value that is not valid has its own finding)
            expects = any(self.ctx.raw((*example.path, key)) not in (None, False, [], {}) for key in _EXPECTATIONS)
        if expects or not example.answers:
            return
        if set(written_lines(self.ctx, example.path)) & {line + 1 for line in self.ctx.document.damaged}:
            return  # a line of it is left out (a YAML slip): its expectation may be on it
        self.add(
            (*example.path, "name"),
            "Q026",
            f"example '{example.name}' expects nothing, so it can never fail; add what these answers must lead to: "
            "include or exclude (skus among the first products), count_at_least, or no_match: true",
            WARNING,
        )

    def check_example_dont_care(self, name: str, step: Step, here: Path) -> None:
        """`red: dont_care` in an example's answers, for a step that offers no 'doesn't matter' answer."""
        options = [option.id for option in step.options]
        fixes: tuple[str, ...] | None = None
        if step.kind == "yes_no":
            answer, fixes = "answer true or false", ("true", "false")
        elif step.kind == "number":
            answer = "answer a number"
        else:
            answer = f"answer {'one' if step.kind == 'single' else 'some'} of its options ({', '.join(options)})"
            fixes = tuple(options) if step.kind == "single" and options else None
        self.add(
            here,
            "Q011",
            f"example '{name}': step '{step.id}' has no 'doesn't matter' answer; {answer}, or add dont_care: true to "
            "the step",
            fix=fixes,
        )

    def check_example_answer(self, name: str, step: Step, value: Any, here: Path) -> None:
        options = [option.id for option in step.options]
        if step.kind in ("single", "multiple"):
            if step.kind == "single" and isinstance(value, list):
                self.add(here, "Q011", f"example '{name}': '{step.id}' takes one option, not a list")
                return
            chosen = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
            labels = {option.id: option.label for option in step.options}
            for i, item in chosen:
                if item not in options:
                    # (by the id, else by an option's label in any locale: `Laufen` for run)
                    suggestion, hint = value_hint(str(item), options, labels)
                    self.add(
                        here if i is None else (*here, i),
                        "Q006",
                        f"example '{name}': '{item}' is not an option of '{step.id}'{hint}",
                        fix=suggestion,
                    )
        elif step.kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
            self.add(
                here,
                "Q011",
                f"example '{name}': '{step.id}' takes a number{_or_dont_care(step, value)}",
                fix=DONT_CARE if step.dont_care and isinstance(value, str) else None,
            )
        elif step.kind == "yes_no" and not isinstance(value, bool):
            self.add(here, "Q011", f"example '{name}': '{step.id}' takes true or false{_or_dont_care(step, value)}")

    # -- steps whose answer nothing uses -------------------------------------------------------------------

    def used_steps(self) -> set[str]:
        """The steps whose answer something uses: their own or their options' requirements and preferences, a
        condition, requirement, target or rule that names them, an importance, a size measurement, a warranty's
        purchase, a service flow's problem, a requirement's label that shows the answer."""
        questionnaire = self.questionnaire
        used: set[str] = set()
        expressions: list[Expression | None] = []
        for step in questionnaire.steps:
            requires = (*step.requires, *(r for option in step.options for r in option.requires))
            prefers = (*step.prefers, *(p for option in step.options for p in option.prefers))
            if requires or prefers:
                used.add(step.id)
            expressions += [step.show_if, *(route.condition for route in step.routes)]
            expressions += [requirement.expression for requirement in requires]
            expressions += [preference.target for preference in prefers]
            used.update(preference.importance for preference in prefers if preference.importance)
            for requirement in requires:
                for text in (requirement.label or {}).values():
                    used.update(match.group(1) for match in _PLACEHOLDER.finditer(text))
        for outcome in questionnaire.outcomes:
            expressions += [outcome.condition, outcome.parts.rule if outcome.parts else None]
            if outcome.purchased:
                used.add(outcome.purchased)
        if questionnaire.results.size is not None:
            used.update(questionnaire.results.size.measurements.values())
        if questionnaire.is_service and questionnaire.problem_step:
            used.add(questionnaire.problem_step)
        for expression in expressions:
            if expression is not None:
                used.update(expression.names)
        return used

    def check_unused_steps(self) -> None:
        """Q025: a step whose answer nothing uses: the shopper is asked a question that changes nothing. Said only
        of a file without errors (an expression that cannot be read may be the one that names the step), and not of
        a step no path reaches (its Q013 says so)."""
        errors = [finding for finding in (*self.ctx.findings, *self.findings) if finding.severity == ERROR]
        if errors or self.ctx.document.damaged:
            return
        unreached = {(finding.line, finding.column) for finding in self.findings if finding.code == "Q013"}
        used = self.used_steps()
        for step in self.questionnaire.steps:
            if step.id in used or step.id in self.duplicated or self.ctx.position((*step.path, "id")) in unreached:
                continue
            if self.questionnaire.is_service:
                names = "no show_if, next or outcome's if names its answer, and it is not the problem"
                fix = "use it in a condition, or remove the step"
            else:
                names = "it has no require or prefer, and no condition, target or importance names its answer"
                fix = "give it a requirement or a preference, use it in a show_if or next, or remove the step"
            self.add((*step.path, "id"), "Q025", f"step '{step.id}' changes nothing: {names}; {fix}", WARNING)

    # -- the form of address ---------------------------------------------------------------------------

    def texts(self) -> Iterator[tuple[Path, Mapping[str, str]]]:
        """Every visible text with where it is written."""
        questionnaire = self.questionnaire
        yield ("title",), questionnaire.title
        yield ("intro",), questionnaire.intro
        for step in questionnaire.steps:
            yield (*step.path, "question"), step.question
            yield (*step.path, "help"), step.help
            yield (*step.path, "short"), step.short
            for option in step.options:
                yield (*option.path, "label"), option.label
                yield (*option.path, "description"), option.description
            for requirement in (*step.requires, *(r for option in step.options for r in option.requires)):
                if requirement.label and requirement.path[-1] == "expr":
                    yield (*requirement.path[:-1], "label"), requirement.label
        for outcome in questionnaire.outcomes:
            yield (*outcome.path, "title"), outcome.title
            yield (*outcome.path, "text"), outcome.text

    def check_address(self) -> None:
        forms = {locale: form for locale, form in self.questionnaire.address.items() if locale.startswith("de")}
        for path, texts in self.texts():
            for locale, form in forms.items():
                text = texts.get(locale)
                if not text:
                    continue
                for wrong in wrong_address(text, form):
                    other = "Sie" if form == "du" else "du"
                    self.add(
                        (*path, locale),
                        "Q021",
                        f"'{wrong.word}' is the {other} form, but this questionnaire says {form} to German shoppers "
                        f"(address: {locale}: {form}); write '{wrong.instead}' (and the verb to match)",
                        WARNING,
                        offset=wrong.offset,
                        length=len(wrong.word),
                    )


_EXPECTATIONS = ("include", "exclude", "count_at_least", "no_match")  # what a finder's example expects
_STEPS_SHOWN = 6  # the steps a Q008 without a close name lists, at most
_THOUSANDS = re.compile(r"\d{1,3}\.\d{3}")  # 3.000, 12.500: a thousands separator as German writes it


class _ExpressionCheck:
    """The checks of one expression: its names, comparisons and values, at their characters."""

    def __init__(
        self, checker: _Checker, expression: Expression, path: Path, *, products: bool, owner: int | None
    ) -> None:
        self.checker = checker
        self.steps = checker.steps
        self.path = path
        self.products = products
        self.owner = owner
        # The expression parser allows leading blanks; ast does not. Offsets shift by what is stripped.
        self.source = expression.source.lstrip(" \t")
        self.indent = len(expression.source) - len(self.source)
        self.utf8 = self.source.encode()

    def offset(self, byte_offset: int) -> int:
        """ast counts columns in UTF-8 bytes; a merchandiser counts characters."""
        return self.indent + len(self.utf8[:byte_offset].decode(errors="ignore"))

    def add(self, node: ast.expr, code: str, message: str, fix: str | None = None, *, inside: bool = False,
            severity: str = ERROR) -> None:  # fmt: skip
        start, end = self.offset(node.col_offset), self.offset(node.end_col_offset or node.col_offset + 1)
        if inside:  # the text inside the quotes of a string constant
            start, end = start + 1, end - 1
        self.checker.add(self.path, code, message, severity, offset=start, length=max(1, end - start), fix=fix)

    def run(self) -> None:
        tree = ast.parse(self.source, mode="eval")
        called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id not in ("true", "false") and id(node) not in called:
                self.check_name(node)
            elif isinstance(node, ast.Compare):
                self.check_compare(node)
            elif isinstance(node, ast.Constant) and isinstance(node.value, float):
                self.check_thousands(node)

    def check_thousands(self, node: ast.Constant) -> None:
        """`3.000` as a German writes three thousand: the expression reads three."""
        written = self.source.encode()[node.col_offset : node.end_col_offset].decode(errors="ignore")
        if _THOUSANDS.fullmatch(written):
            whole, read = written.replace(".", ""), float(written)
            self.add(
                node,
                "Q022",
                f"'{written}' reads as {read:g} (a point starts the decimals here), not {int(whole):,} with a "
                f"thousands separator; write {whole} for {int(whole):,}, or {read:g} if you mean that",
                fix=whole,
                severity=WARNING,
            )

    def check_name(self, node: ast.Name) -> None:
        name = node.id
        checker = self.checker
        if name in self.steps:
            if name in checker.duplicated:
                return  # which of the two steps it means is unclear: the id's Q005 says so
            if self.owner is not None and checker.order[name] > self.owner:  # (the first step's show_if: -1)
                self.add(
                    node,
                    "Q014",
                    f"'{name}' is asked after this step, so its answer is not known yet here; "
                    "move the step or the condition",
                )
            return
        known = [step_id for step_id in self.steps if step_id.isidentifier()]  # (one an expression can name)
        if self.products:
            if checker.attribute_kind(name) is not None or checker.category is None:
                return  # a product attribute (or, without the catalog's dictionary, possibly one)
            known += [PRICE, IN_STOCK, *checker.category.attributes]
        elif checker.attribute_kind(name) is not None:
            self.add(node, "Q008", f"'{name}' is a product attribute; conditions on steps can only use answers")
            return
        what = "a step or a product attribute" if self.products else "a step"
        spelt = next((step_id for step_id in self.steps if step_id.replace("-", "_") == name != step_id), None)
        if spelt is not None:  # the step is there, under an id no expression can name
            self.add(node, "Q008", f"'{name}' is not {what}: step '{spelt}' cannot be named in an expression "
                                   f"('-' would subtract); rename the step {name}")  # fmt: skip
            return
        suggestion, hint = attribute_hint(name, known, checker.category if self.products else None)
        if not hint and not self.products:  # no close name: which steps a condition here can name
            hint = self.steps_to_name(known)
        self.add(node, "Q008", f"'{name}' is not {what}{hint}", suggestion)

    def steps_to_name(self, known: list[str]) -> str:
        """'; a condition here names a step answered before it: trip, budget' (at most six, then '…'): the steps
        that this expression can name (a preference's target any step; a condition those answered before it)."""
        if self.path[-1] == "target":
            steps, told = known, "; a target names a step: "
        else:  # (a step's show_if has the step before it as its owner; the first step's, -1: none)
            owner = -1 if self.owner is None else self.owner
            steps = [step_id for step_id in known if self.checker.order[step_id] <= owner]
            told = "; a condition here names a step answered before it: "
        if not steps:
            return "; no step is answered before this condition: remove it, or move the step after the one it is about"
        return told + ", ".join(steps[:_STEPS_SHOWN]) + (", …" if len(steps) > _STEPS_SHOWN else "")

    def check_compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
            if isinstance(op, ast.In | ast.NotIn):
                self.check_membership(left, right)
            else:
                self.check_comparison(op, left, right)
                self.check_comparison(op, right, left)

    def answer_values(self, step: Step) -> list[str]:
        return [str(option.answer_value) for option in step.options]

    def literal(self, value: Any) -> str:
        """A value as the expression writes it: a number bare, a text in the quotes the YAML value leaves free."""
        if not isinstance(value, str):
            return f"{value:g}" if isinstance(value, float) else str(value)
        ctx = self.checker.ctx
        quote = "'" if ctx.document.styles.get(ctx.written(self.path)) == '"' else '"'
        return f"{quote}{value}{quote}"

    def check_option_value(self, constant: ast.expr, value: str | float, step: Step) -> None:
        """A text or number compared with a choice step's answer: the value of one of its options, of its type."""
        if step.id in self.checker.damaged:
            return  # its options are not all read (a YAML slip in the step): the slip's Q001 is the one finding
        values = [option.answer_value for option in step.options]
        if any(v == value and isinstance(v, str) == isinstance(value, str) for v in values):
            return
        same_text = next((o for o in step.options if str(o.answer_value) == str(value)), None)
        if same_text is None and isinstance(value, str):
            same_text = next((o for o in step.options if o.id == value and o.value is not None), None)
        if same_text is not None:
            self.mismatch(constant, value, step, same_text.id, same_text.answer_value)
            return
        if isinstance(value, str):
            suggestion = closest(value, self.answer_values(step))
            meant = None if suggestion else step.option(closest(value, [o.id for o in step.options]) or "")
            if meant is not None and meant.answer_value != meant.id:
                # A mistyped option id where the option stands for its value: the value, in the form it takes.
                fix = self.literal(meant.answer_value)
                self.add(
                    constant,
                    "Q006",
                    f"'{value}' is not an option of step '{step.id}' (did you mean '{meant.id}'? it stands for its "
                    f"value {fix} in conditions; write {fix})",
                    fix,
                )
                return
            suggestion = meant.id if meant is not None else suggestion
            self.add(
                constant,
                "Q006",
                f"'{value}' is not an option of step '{step.id}'{_hint(suggestion)}",
                suggestion,
                inside=True,
            )
            return
        shown = ", ".join(self.literal(v) for v in values)
        self.add(constant, "Q006", f"{value:g} is not the value of an option of step '{step.id}' (they are {shown})")

    def mismatch(self, constant: ast.expr, value: str | float, step: Step, option: str, meant: Any) -> None:
        """A comparison that is never true: the option's value is a number and the text compared is not (or the
        other way round), or an option's id compared where the option stands for its value."""
        written, fix = self.literal(value), self.literal(meant)
        kind = "text" if isinstance(meant, str) else "number"
        if isinstance(value, str) and value == option and str(meant) != value:
            reason = f"option '{option}' of step '{step.id}' stands for its value {fix} in conditions, not its id"
        else:
            reason = (
                f"{written} is {'text' if isinstance(value, str) else 'a number'}, but option '{option}' of step "
                f"'{step.id}' has the {kind} {fix} as its value"
            )
        self.add(constant, "Q011", f"{reason}, so this is never true; write {fix}", fix)

    def check_membership(self, left: ast.expr, right: ast.expr) -> None:
        if not isinstance(right, ast.Name):
            if isinstance(left, ast.Name) and isinstance(right, ast.List | ast.Tuple):
                for item in right.elts:
                    self.check_comparison(ast.Eq(), left, item)
            return
        constant = left.value if isinstance(left, ast.Constant) else None
        name = right.id
        step = self.steps.get(name)
        if step is not None:
            if not step.kind_known or name in self.checker.duplicated:
                return
            if step.kind != "multiple":
                self.add(
                    right,
                    "Q011",
                    f"'{name}' is a {step.kind.replace('_', '/')} step with one answer; compare it with ==, not 'in'",
                )
            elif isinstance(constant, str | int | float) and not isinstance(constant, bool):
                self.check_option_value(left, constant, step)
            return
        kind = self.checker.attribute_kind(name)
        if kind not in (None, "set", "text"):
            self.add(right, "Q011", f"'{name}' is {_a(kind)} attribute; 'in' needs a set attribute")
        elif kind == "set" and isinstance(constant, str):
            self.checker.check_value(name, constant, self.path, self.offset(left.col_offset) + 1)

    def check_comparison(self, op: ast.cmpop, name_node: ast.expr, other: ast.expr) -> None:
        if not isinstance(name_node, ast.Name):
            return
        name = name_node.id
        constant = other.value if isinstance(other, ast.Constant) and not isinstance(other.value, bool) else None
        step = self.steps.get(name)
        if step is not None:
            if not step.kind_known or name in self.checker.duplicated:
                return
            if step.kind == "multiple" and isinstance(op, ast.Eq | ast.NotEq) and isinstance(constant, str):
                self.add(
                    name_node,
                    "Q011",
                    f"'{name}' is a multiple-choice step (a list of answers); test it with \"{constant}\" in {name}",
                )
            elif step.kind == "single" and (
                isinstance(constant, str) or (isinstance(constant, int | float) and isinstance(op, ast.Eq | ast.NotEq))
            ):
                self.check_option_value(other, constant, step)
            elif step.kind == "number" and isinstance(constant, str):
                self.add(other, "Q011", f"'{name}' is a number; it cannot equal the text '{constant}'")
            return
        kind = self.checker.attribute_kind(name)
        if kind == "number" and isinstance(constant, str):
            self.add(other, "Q011", f"'{name}' is a number attribute; it cannot equal the text '{constant}'")
        elif kind in ("enum", "set") and isinstance(constant, int | float):
            self.add(other, "Q011", f"'{name}' holds text values, not numbers")
        elif kind == "enum" and isinstance(constant, str):
            self.checker.check_value(name, constant, self.path, self.offset(other.col_offset) + 1)
        elif kind == "set" and isinstance(op, ast.Eq | ast.NotEq) and isinstance(constant, str):
            self.add(name_node, "Q011", f"'{name}' is a set of values; test it with \"{constant}\" in {name}")


def _cycles(graph: dict[str, list[str]]) -> Iterator[list[str]]:
    """Each distinct cycle of the routing graph once (as found by depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []
    reported: set[frozenset[str]] = set()

    def visit(node: str) -> Iterator[list[str]]:
        state[node] = 1
        stack.append(node)
        for target in graph.get(node, []):
            if state.get(target) == 1:
                cycle = stack[stack.index(target) :]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    yield cycle
            elif target in graph and state.get(target) is None:
                yield from visit(target)
        stack.pop()
        state[node] = 2

    for node in graph:
        if state.get(node) is None:
            yield from visit(node)


def meant_category(name: str, categories: Iterable[str]) -> str | None:
    """The category a questionnaire names, or the one it was meant to name when it is mistyped (or named by its
    label, where `categories` maps the ids to their categories or indexes: "Wanderschuhe" → hiking_boots)."""
    return category_hint(name, categories)[0]


def category_hint(name: str, categories: Iterable[str]) -> tuple[str | None, str]:
    """The category meant and ' (did you mean ...?)': by the ids, else by the labels in every locale, as the product
    import takes them (" (did you mean 'hiking_boots' (Wanderschuhe)?)")."""
    known = list(categories)
    if not name or name in known:
        return (name or None), ""
    labels: dict[str, tuple[str, str]] = {}  # a label, casefolded -> the category and the label as written
    for category in known:
        value = categories[category] if isinstance(categories, Mapping) else None
        spec = value if isinstance(value, CategorySpec) else getattr(value, "category", None)  # (an index's)
        for label in spec.label.values() if isinstance(spec, CategorySpec) else ():
            labels.setdefault(label.casefold(), (category, label))
    wanted = name.casefold().replace("_", " ")
    if wanted not in labels:
        same = closest(name, known)
        if same is not None:
            return same, _hint(same)
        close = difflib.get_close_matches(wanted, labels, n=1, cutoff=0.75)
        if not close:
            return None, ""
        wanted = close[0]
    category, label = labels[wanted]
    return category, f" (did you mean '{category}' ({label})?)"


def check_questionnaire(
    questionnaire: Questionnaire, dictionary: Dictionary | None, file: str, context: Context | None = None
) -> list[Finding]:
    """The file-level findings for a built questionnaire (`context`: where things are written, from loading).

    A mistyped category is reported once and checked as the category it was meant to be.
    """
    ctx = context or Context(file=file)
    findings: list[Finding] = []
    category = None
    if dictionary is not None:
        meant, hint = category_hint(questionnaire.category, dictionary.categories)
        category = dictionary.categories.get(meant) if meant else None
        if questionnaire.category and meant != questionnaire.category:
            findings.append(
                ctx.finding(
                    ("category",),
                    "Q017",
                    f"category '{questionnaire.category}' is not in the catalog; use one of "
                    f"{', '.join(dictionary.categories)}{hint}",
                    fix=meant,
                )
            )
    return findings + _Checker(questionnaire, category, ctx, dictionary).run()


def unique(findings: Iterable[Finding]) -> list[Finding]:
    """Findings sorted by position, each once."""
    return sorted(set(findings))
