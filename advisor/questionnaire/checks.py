"""What a questionnaire file says on its own, checked against the catalog's attribute dictionary.

References, cycles, reachability, conditions that look ahead, names and values in expressions, number
settings. (What a file means for the catalog's products, the path walk and the examples, is advisor.audit.)
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from advisor.catalog.dictionary import PRICE, CategorySpec, Dictionary
from advisor.expressions import Expression
from advisor.questionnaire.findings import ERROR, WARNING, Finding, did_you_mean
from advisor.questionnaire.model import DONT_CARE, RESULTS_STEP, Position, Questionnaire, Step

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_-]*)\}")


@dataclass
class _Checker:
    questionnaire: Questionnaire
    category: CategorySpec | None
    file: str

    def __post_init__(self) -> None:
        self.findings: list[Finding] = []
        self.source = ""  # the expression being checked (for character positions)
        self.steps = {step.id: step for step in self.questionnaire.steps}
        self.order = {step.id: i for i, step in enumerate(self.questionnaire.steps)}

    def add(self, position: Position, code: str, message: str, severity: str = ERROR, offset: int = 0) -> None:
        line, column = position
        self.findings.append(Finding(self.file, line, column + self.characters(offset), code, severity, message))

    def characters(self, byte_offset: int) -> int:
        """ast counts columns in UTF-8 bytes; a merchandiser counts characters."""
        return len(self.source.encode()[:byte_offset].decode(errors="ignore")) if self.source else byte_offset

    # -- names and values inside expressions -------------------------------------------------------------

    def attribute_kind(self, name: str) -> str | None:
        if name == PRICE:
            return "number"
        if self.category is None or name not in self.category.attributes:
            return None
        kind = self.category.attributes[name].type
        return "number" if kind == "integer" else kind

    def check_expression(self, expression: Expression, position: Position, *, products: bool, owner: int) -> None:
        """Names known, conditions not looking ahead, values allowed, types matching."""
        # The expression parser allows leading blanks; ast does not. Positions shift by what is stripped.
        source = expression.source.lstrip(" \t")
        position = (position[0], position[1] + len(expression.source) - len(source))
        self.source = source
        tree = ast.parse(source, mode="eval")
        called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id not in ("true", "false") and id(node) not in called:
                self.check_name(node, position, products=products, owner=owner)
            elif isinstance(node, ast.Compare):
                self.check_compare(node, position)

    def check_name(self, node: ast.Name, position: Position, *, products: bool, owner: int) -> None:
        name = node.id
        if name in self.steps:
            if owner >= 0 and self.order[name] > owner:
                self.add(
                    position,
                    "Q014",
                    f"'{name}' is asked after this step, so its answer is not known yet here",
                    offset=node.col_offset,
                )
            return
        known = list(self.steps)
        if products:
            if self.attribute_kind(name) is not None or self.category is None:
                return  # a product attribute (or, without the catalog's dictionary, possibly one)
            known += [PRICE, *(self.category.attributes if self.category else ())]
        elif self.attribute_kind(name) is not None:
            self.add(
                position,
                "Q008",
                f"'{name}' is a product attribute; conditions on steps can only use answers",
                offset=node.col_offset,
            )
            return
        what = "a step or a product attribute" if products else "a step"
        self.add(
            position,
            "Q008",
            f"'{name}' is not {what}{did_you_mean(name, known)}",
            offset=node.col_offset,
        )

    def answer_values(self, step: Step) -> set[Any]:
        return {option.answer_value for option in step.options}

    def check_compare(self, node: ast.Compare, position: Position) -> None:
        operands = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
            if isinstance(op, ast.In | ast.NotIn):
                self.check_membership(left, right, position)
            else:
                self.check_comparison(op, left, right, position)
                self.check_comparison(op, right, left, position)

    def check_membership(self, left: ast.expr, right: ast.expr, position: Position) -> None:
        if not isinstance(right, ast.Name):
            if isinstance(left, ast.Name) and isinstance(right, ast.List | ast.Tuple):
                for item in right.elts:
                    self.check_comparison(ast.Eq(), left, item, position)
            return
        constant = left.value if isinstance(left, ast.Constant) else None
        name = right.id
        step = self.steps.get(name)
        if step is not None:
            if step.kind != "multiple":
                self.add(
                    position,
                    "Q011",
                    f"'{name}' is a {step.kind.replace('_', '/')} step with one answer; compare it with ==, not 'in'",
                    offset=right.col_offset,
                )
            elif isinstance(constant, str) and constant not in self.answer_values(step):
                hint = did_you_mean(constant, [str(v) for v in self.answer_values(step)])
                self.add(
                    position, "Q006", f"'{constant}' is not an option of step '{name}'{hint}", offset=left.col_offset
                )
            return
        kind = self.attribute_kind(name)
        if kind not in (None, "set", "text"):
            self.add(
                position, "Q011", f"'{name}' is a {kind} attribute; 'in' needs a set attribute", offset=right.col_offset
            )
        elif kind == "set" and isinstance(constant, str):
            self.check_value(name, constant, position, left.col_offset)

    def check_comparison(self, op: ast.cmpop, name_node: ast.expr, other: ast.expr, position: Position) -> None:
        if not isinstance(name_node, ast.Name):
            return
        name = name_node.id
        constant = other.value if isinstance(other, ast.Constant) and not isinstance(other.value, bool) else None
        step = self.steps.get(name)
        if step is not None:
            if step.kind == "multiple" and isinstance(op, ast.Eq | ast.NotEq) and isinstance(constant, str):
                self.add(
                    position,
                    "Q011",
                    f"'{name}' is a multiple-choice step (a list of answers); test it with \"{constant}\" in {name}",
                    offset=name_node.col_offset,
                )
            elif step.kind == "single" and isinstance(constant, str) and constant not in self.answer_values(step):
                hint = did_you_mean(constant, [str(v) for v in self.answer_values(step)])
                self.add(
                    position, "Q006", f"'{constant}' is not an option of step '{name}'{hint}", offset=other.col_offset
                )
            elif step.kind == "number" and isinstance(constant, str):
                self.add(position, "Q011", f"'{name}' is a number; it cannot equal the text '{constant}'",
                         offset=other.col_offset)  # fmt: skip
            return
        kind = self.attribute_kind(name)
        if kind == "number" and isinstance(constant, str):
            self.add(position, "Q011", f"'{name}' is a number attribute; it cannot equal the text '{constant}'",
                     offset=other.col_offset)  # fmt: skip
        elif kind in ("enum", "set") and isinstance(constant, int | float):
            self.add(position, "Q011", f"'{name}' holds text values, not numbers", offset=other.col_offset)
        elif kind == "enum" and isinstance(constant, str):
            self.check_value(name, constant, position, other.col_offset)
        elif kind == "set" and isinstance(op, ast.Eq | ast.NotEq) and isinstance(constant, str):
            self.add(
                position,
                "Q011",
                f"'{name}' is a set of values; test it with \"{constant}\" in {name}",
                offset=name_node.col_offset,
            )

    def check_value(self, attribute: str, value: str, position: Position, offset: int) -> None:
        assert self.category is not None
        allowed = self.category.attributes[attribute].values or ()
        if value not in allowed:
            self.add(
                position,
                "Q010",
                f"'{value}' is not a value of {attribute} ({', '.join(allowed)}){did_you_mean(value, allowed)}",
                offset=offset,
            )

    # -- the file's structure -------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        questionnaire = self.questionnaire
        if "de" not in questionnaire.locales or "en" not in questionnaire.locales:
            self.add((1, 1), "Q015", "locales must include de and en")
        if questionnaire.default_locale not in questionnaire.locales:
            self.add((1, 1), "Q004", f"default_locale '{questionnaire.default_locale}' is not among the locales")
        for locale in questionnaire.locales:
            if locale not in questionnaire.address:
                self.add((1, 1), "Q003", f"address needs the form (du or Sie) for '{locale}'")
        self.check_ids()
        for index, step in enumerate(questionnaire.steps):
            self.check_step(step, index)
        self.check_routing()
        self.check_results()
        self.check_examples()
        return self.findings

    def check_ids(self) -> None:
        seen: dict[str, Position] = {}
        for step in self.questionnaire.steps:
            if step.id in seen:
                self.add(step.at("id"), "Q005", f"step id '{step.id}' is used twice (first at line {seen[step.id][0]})")
            seen.setdefault(step.id, step.position)
            if self.attribute_kind(step.id) is not None:
                self.add(
                    step.at("id"),
                    "Q018",
                    f"step id '{step.id}' is also a product attribute; rename the step (e.g. '{step.id}_wish')",
                )
            if step.id == RESULTS_STEP:
                self.add(step.position, "Q005", "'results' is reserved for the end of the questions")
            options: set[str] = set()
            for option in step.options:
                if option.id in options:
                    self.add(step.position, "Q005", f"option id '{option.id}' is used twice in step '{step.id}'")
                options.add(option.id)

    def check_step(self, step: Step, index: int) -> None:
        if step.kind in ("single", "multiple") and not step.options:
            self.add(step.position, "Q003", f"step '{step.id}' is a {step.kind}-choice step and needs options")
        if step.kind in ("number", "yes_no") and step.options:
            self.add(step.at("options"), "Q004", f"step '{step.id}' is a {step.kind} step; options are ignored there")
        if step.kind == "number":
            self.check_number(step)
        if step.show_if is not None:
            self.check_expression(step.show_if, step.show_if_position, products=False, owner=index - 1)
        for route in step.routes:
            if route.condition is not None:
                self.check_expression(route.condition, route.position, products=False, owner=index)
        for requirement in (*step.requires, *(r for option in step.options for r in option.requires)):
            self.check_expression(requirement.expression, requirement.position, products=True, owner=-1)
            self.check_label_placeholders(requirement.label or {}, requirement.position)
        for preference in (*step.prefers, *(p for option in step.options for p in option.prefers)):
            self.check_preference(preference)

    def check_number(self, step: Step) -> None:
        if step.min is None or step.max is None:
            self.add(step.position, "Q003", f"number step '{step.id}' needs min and max")
            return
        if step.min >= step.max:
            self.add(step.at("min"), "Q019", f"step '{step.id}': min {step.min:g} must be below max {step.max:g}")
        if step.default is not None and not step.min <= step.default <= step.max:
            self.add(
                step.position,
                "Q019",
                f"step '{step.id}': default {step.default:g} is outside {step.min:g}–{step.max:g}",
            )
        if step.step is not None and step.step <= 0:
            self.add(step.at("step"), "Q019", f"step '{step.id}': step must be above 0")

    def check_label_placeholders(self, label: Any, position: Position) -> None:
        for text in label.values():
            for name in _PLACEHOLDER.findall(text):
                if name not in self.steps:
                    self.add(
                        position,
                        "Q006",
                        f"the label uses {{{name}}}, which is not a step{did_you_mean(name, self.steps)}",
                    )

    def check_preference(self, preference: Any) -> None:
        kind = self.attribute_kind(preference.attribute)
        if kind is None:
            if self.category is not None:
                known = [PRICE, *self.category.attributes]
                self.add(
                    preference.position,
                    "Q009",
                    f"'{preference.attribute}' is not an attribute of {self.category.id}"
                    f"{did_you_mean(preference.attribute, known)}",
                )
            return
        ways = [w for w in ("direction", "target", "contains", "equals") if getattr(preference, w) is not None]
        if len(ways) != 1:
            self.add(
                preference.position, "Q003", "a preference needs exactly one of direction, target, contains, equals"
            )
        if (preference.direction or preference.target) and kind not in ("number", "boolean"):
            self.add(
                preference.position, "Q011", f"'{preference.attribute}' is a {kind} attribute; use contains or equals"
            )
        if preference.contains is not None:
            if kind != "set":
                self.add(
                    preference.position, "Q011", f"'contains' needs a set attribute; '{preference.attribute}' is {kind}"
                )
            else:
                self.check_value(preference.attribute, preference.contains, preference.position, 0)
        if preference.equals is not None:
            if kind != "enum":
                self.add(
                    preference.position, "Q011", f"'equals' needs an enum attribute; '{preference.attribute}' is {kind}"
                )
            else:
                self.check_value(preference.attribute, preference.equals, preference.position, 0)
        if preference.target is not None:
            self.check_expression(preference.target, preference.target_position, products=False, owner=-1)
        if preference.importance is not None and preference.importance not in self.steps:
            self.add(
                preference.position,
                "Q006",
                f"importance names step '{preference.importance}', which does not exist"
                f"{did_you_mean(preference.importance, self.steps)}",
            )

    def edges(self) -> dict[str, list[str]]:
        """Which steps can follow which: the routes' targets, and the next step in the file."""
        steps = self.questionnaire.steps
        graph: dict[str, list[str]] = {}
        for i, step in enumerate(steps):
            following = steps[i + 1].id if i + 1 < len(steps) else RESULTS_STEP
            targets = [route.goto for route in step.routes]
            if not any(route.condition is None for route in step.routes) or step.show_if is not None:
                targets.append(following)
            graph[step.id] = [
                target for target in dict.fromkeys(targets) if target in self.steps or target == RESULTS_STEP
            ]
        return graph

    def check_routing(self) -> None:
        for step in self.questionnaire.steps:
            for route in step.routes:
                if route.goto != RESULTS_STEP and route.goto not in self.steps:
                    self.add(
                        route.goto_position,
                        "Q006",
                        f"goto '{route.goto}' is not a step{did_you_mean(route.goto, [*self.steps, RESULTS_STEP])}",
                    )
        graph = self.edges()
        for cycle in _cycles(graph):
            first = self.steps[cycle[0]]
            self.add(first.position, "Q012", "the routing runs in a circle: " + " → ".join([*cycle, cycle[0]]))
        if not self.questionnaire.steps:
            return
        reached = {self.questionnaire.steps[0].id}
        frontier = [self.questionnaire.steps[0].id]
        while frontier:
            for target in graph.get(frontier.pop(), []):
                if target not in reached:
                    reached.add(target)
                    frontier.append(target)
        for step in self.questionnaire.steps:
            if step.id not in reached:
                self.add(step.position, "Q013", f"no path reaches step '{step.id}'", WARNING)

    def check_results(self) -> None:
        results = self.questionnaire.results
        for item in results.tie_break:
            name = item.lstrip("-")
            if self.category is not None and self.attribute_kind(name) is None:
                self.add(
                    (1, 1),
                    "Q009",
                    f"tie_break: '{name}' is not an attribute{did_you_mean(name, [PRICE, *self.category.attributes])}",
                )
        if results.diversity and self.category is not None:
            kind = self.attribute_kind(results.diversity.attribute)
            if kind is None:
                self.add((1, 1), "Q009", f"diversity: '{results.diversity.attribute}' is not an attribute")
            elif kind not in ("enum", "boolean"):
                self.add(
                    (1, 1), "Q011", f"diversity needs an enum attribute; '{results.diversity.attribute}' is {kind}"
                )

    def check_examples(self) -> None:
        for example in self.questionnaire.examples:
            for step_id, value in example.answers.items():
                step = self.steps.get(step_id)
                if step is None:
                    self.add(
                        example.position,
                        "Q006",
                        f"example '{example.name}': '{step_id}' is not a step{did_you_mean(step_id, self.steps)}",
                    )
                    continue
                if value == DONT_CARE:
                    continue
                options = {option.id for option in step.options}
                chosen = value if isinstance(value, list) else [value]
                if step.kind in ("single", "multiple"):
                    if step.kind == "single" and isinstance(value, list):
                        self.add(
                            example.position,
                            "Q011",
                            f"example '{example.name}': '{step_id}' takes one option, not a list",
                        )
                    for item in chosen:
                        if item not in options:
                            self.add(
                                example.position,
                                "Q006",
                                f"example '{example.name}': '{item}' is not an option of '{step_id}'"
                                + did_you_mean(str(item), options),
                            )
                elif step.kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
                    self.add(example.position, "Q011", f"example '{example.name}': '{step_id}' takes a number")
                elif step.kind == "yes_no" and not isinstance(value, bool):
                    self.add(example.position, "Q011", f"example '{example.name}': '{step_id}' takes true or false")


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


def check_questionnaire(questionnaire: Questionnaire, dictionary: Dictionary | None, file: str) -> list[Finding]:
    """The file-level findings for a built questionnaire."""
    category = dictionary.categories.get(questionnaire.category) if dictionary else None
    findings: list[Finding] = []
    if dictionary is not None and category is None:
        findings.append(
            Finding(file, 1, 1, "Q017", ERROR,
                    f"category '{questionnaire.category}' is not in the catalog"
                    f"{did_you_mean(questionnaire.category, dictionary.categories)}")
        )  # fmt: skip
    return findings + _Checker(questionnaire, category, file).run()


def unique(findings: Iterable[Finding]) -> list[Finding]:
    """Findings sorted by position, each once."""
    return sorted(set(findings))
