"""The one analysis of a questionnaire file: format, file checks and what it means for the catalog.

`advisor check`, `advisor preview` and `advisor lsp` all call `analyse_text`/`analyse_file`, so they never
disagree. Catalog checks run on every file that can be built, each finding standing on its own:

- A005, per requirement (of a step, of each option, single or multiple choice, wherever it is on the path):
  no product meets it whatever the answers it looks at; per option also when its requirements only fail
  together. An error where the option can be chosen, a warning in a step no path reaches.
- A006: an example names a sku the category does not have.
- The path walk answers the steps in path order, trying every option ("doesn't matter" too), each option of
  a multiple-choice step on its own, and a grid of values for number steps. It prunes a branch when the same
  step is reached with the same remaining products and the same answers that later steps still look at, so
  large catalogs stay cheap. A001: per answer, the shortest path after which no product fits (unless A005
  already says the answer alone cannot be met); A002: options that never change which products fit (where an
  expression names the step, only when it comes out the same for the option as for "doesn't matter"); A003:
  products no path leads to.
- A004: the examples. Q003 (no catalog needed): an example that skips a step on its path but answers steps
  after it (a new step); its answers after the gap would not be read, so its expectations wait.
- Q024 (no catalog needed): the routing walk tries every answer of the steps that conditions look at and names
  a step no answers lead to (its show_if never true, no goto to it taken) and a goto never taken.

What rests on a broken part is left out rather than reported twice: the walk's findings through a step with
an error, the whole walk while a step id is written twice, examples that answer such a step or have an error of
their own, A003 while any step has an error, A005 for a requirement with a finding of its own, in a step with an
error or looking at one (a mistyped kind too). After a YAML syntax error the item around the broken line (a step,
an example, a header key) is left out as well.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import multiprocessing
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from advisor import engine
from advisor.catalog.dictionary import Dictionary
from advisor.engine import InvalidAnswer, SessionState
from advisor.expressions import Expression, evaluate, evaluate_columns, settled
from advisor.i18n import pick
from advisor.questionnaire.checks import check_questionnaire, meant_category, unique, written_lines
from advisor.questionnaire.document import Problem, decode
from advisor.questionnaire.files import questionnaire_files
from advisor.questionnaire.findings import ERROR, WARNING, Finding, closest, has_errors
from advisor.questionnaire.load import Loaded, load_text
from advisor.questionnaire.model import (
    DONT_CARE,
    RESULTS_STEP,
    Example,
    Option,
    Outcome,
    Questionnaire,
    Requirement,
    Results,
    Route,
    Step,
)
from advisor.questionnaire.model import Path as SpecPath
from advisor.questionnaire.spec import Context
from advisor.recommend.core import recommend
from advisor.recommend.index import CatalogIndex, CategoryIndex, Mask
from advisor.recommend.sizes import SizeCharts, check_sizing, size_charts_in_use
from advisor.service.guides import Guides, guides_in_use
from advisor.service.outcomes import holds, outcomes_for, parts_of, product_values

MAX_NUMBER_VALUES = 12
MAX_COMBINATIONS = 4096  # answer combinations tried per requirement for A005


class Cancelled(Exception):
    """The analysis was stopped on the way: its `stop` said it is no longer wanted (the editor has a newer text)."""


STOP_EVERY = 256  # the path walk asks `stop` at its first path, then once per this many (a few milliseconds)


@dataclass
class WalkReport:
    """What the path walk found (by step and option ids, so it outlives the positions of one edit)."""

    nodes: int = 0
    leaves: int = 0
    pruned: int = 0
    # Per answer that left no product (step id, option id or None): the shortest answers leading there.
    empty: dict[tuple[str, str | None], dict[str, Any]] = field(default_factory=dict)
    useless_options: list[tuple[str, str]] = field(default_factory=list)
    never_recommended: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def shortest_empty(self) -> dict[str, Any] | None:
        return min(self.empty.values(), key=len) if self.empty else None


def candidate_answers(step: Step) -> list[Any]:
    """The answers the walk tries for a step (a step of unknown kind: "doesn't matter" only)."""
    answers: list[Any]
    if step.kind == "single":
        answers = [option.id for option in step.options]
    elif step.kind == "multiple":
        answers = [(option.id,) for option in step.options]
    elif step.kind == "yes_no":
        answers = [True, False]
    elif step.kind == "number":
        low, high = step.min if step.min is not None else 0, step.max if step.max is not None else 0
        stride = step.step or 1
        grid = [low + i * stride for i in range(max(0, int(round((high - low) / stride))) + 1)]
        if len(grid) > MAX_NUMBER_VALUES:
            picks = np.linspace(0, len(grid) - 1, MAX_NUMBER_VALUES).round().astype(int)
            grid = sorted({grid[i] for i in picks} | ({step.default} if step.default is not None else set()))
        answers = [int(v) if float(v).is_integer() else v for v in grid]
    else:
        return [DONT_CARE]
    if step.dont_care:
        answers.append(DONT_CARE)
    return answers


def _later_names(questionnaire: Questionnaire) -> list[set[str]]:
    """For each step position, the step ids that expressions of that step or later ones refer to."""
    step_ids = set(questionnaire.step_ids)
    needed: list[set[str]] = []
    running: set[str] = set()
    for step in reversed(questionnaire.steps):
        expressions = [step.show_if, *(route.condition for route in step.routes)]
        expressions += [r.expression for r in (*step.requires, *(r for o in step.options for r in o.requires))]
        expressions += [p.target for p in (*step.prefers, *(p for o in step.options for p in o.prefers))]
        for expression in expressions:
            if expression is not None:
                running |= expression.names & step_ids
        for preference in (*step.prefers, *(p for o in step.options for p in o.prefers)):
            if preference.importance:
                running.add(preference.importance)
        needed.append(set(running))
    return list(reversed(needed))


class _Walker:
    def __init__(
        self, questionnaire: Questionnaire, index: CategoryIndex, max_nodes: int, stop: Callable[[], bool] | None = None
    ) -> None:
        self.questionnaire = questionnaire
        self.index = index
        self.max_nodes = max_nodes
        self.stop = stop
        self.report = WalkReport()
        self.seen: set[tuple[Any, ...]] = set()
        self.mask_cache: dict[tuple[Any, ...], Mask] = {}
        self.position = {step.id: i for i, step in enumerate(questionnaire.steps)}
        self.later = _later_names(questionnaire)
        self.changed: dict[tuple[str, str], bool] = {}
        self.fitting = np.zeros(index.size, dtype=bool)
        self.candidates = {step.id: candidate_answers(step) for step in questionnaire.steps}
        self.later_sorted = [sorted(names) for names in self.later]
        self.names: dict[int, tuple[str, ...]] = {}

    def requirement_mask(self, requirement: Requirement, values: Mapping[str, Any]) -> Mask:
        names = self.names.get(id(requirement))
        if names is None:
            names = self.names[id(requirement)] = tuple(sorted(requirement.expression.names & set(self.position)))
        key = (requirement.key, tuple(_hashable(values.get(name)) for name in names))
        mask = self.mask_cache.get(key)
        if mask is None:
            mask = evaluate_columns(requirement.expression, values, self.index)
            self.mask_cache[key] = mask
        return mask

    def shown_from(
        self, position: int, values: Mapping[str, Any], seen: frozenset[str]
    ) -> tuple[int | None, frozenset[str]]:
        """The next step shown from `position` on (None: the results), as engine.walk goes: hidden steps skipped."""
        steps = self.questionnaire.steps
        while position < len(steps) and steps[position].id not in seen:
            step = steps[position]
            seen = seen | {step.id}
            if step.show_if is None or bool(evaluate(step.show_if, values)):
                return position, seen
            position += 1
        return None, seen

    def after(self, position: int, values: Mapping[str, Any]) -> int:
        """Where the routing goes after the step at `position` is answered."""
        step = self.questionnaire.steps[position]
        for route in step.routes:
            if route.condition is None or bool(evaluate(route.condition, values)):
                return self.questionnaire.positions.get(route.goto, len(self.questionnaire.steps))
        return position + 1

    def step_mask(self, step: Step, answer: Any, values: Mapping[str, Any]) -> Mask | None:
        if answer == DONT_CARE or (step.kind == "yes_no" and answer is not True):
            return None
        chosen = [answer] if step.kind == "single" else list(answer) if step.kind == "multiple" else []
        requirements = [*step.requires, *(r for o in step.options if o.id in chosen for r in o.requires)]
        if not requirements:
            return None
        if len(requirements) == 1:
            return self.requirement_mask(requirements[0], values)
        mask = self.requirement_mask(requirements[0], values).copy()
        for requirement in requirements[1:]:
            mask &= self.requirement_mask(requirement, values)
        return mask

    def walk(
        self,
        answers: dict[str, Any],
        values: dict[str, Any],
        pending: int | None,
        seen: frozenset[str],
        passing: Mask,
        fitting: int | None = None,
    ) -> None:
        """Answer the pending step (its index; None at the results) every way, and walk on from each answer.

        The path is followed as engine.walk follows it, one step at a time: an answer given later never changes
        a routing decision or a `show_if` taken earlier on the path, so nothing before the pending step changes.
        """
        self.report.nodes += 1
        if self.report.nodes > self.max_nodes:
            self.report.truncated = True
            return
        if self.stop is not None and self.report.nodes % STOP_EVERY == 1 and self.stop():
            raise Cancelled(f"stopped after {self.report.nodes} paths")
        if pending is None:
            self.leaf(passing, values)
            return
        step = self.questionnaire.steps[pending]
        later = self.later_sorted[pending + 1] if pending + 1 < len(self.later_sorted) else []
        before = int(np.count_nonzero(passing)) if fitting is None else fitting
        for answer in self.candidates[step.id]:
            trial = {**answers, step.id: answer}
            trial_values = {**values, step.id: engine.answer_value(step, answer)}
            mask = self.step_mask(step, answer, trial_values)
            after = passing if mask is None else passing & mask
            count = before if mask is None else int(np.count_nonzero(after))  # after is a subset of passing
            option = None
            if step.kind in ("single", "multiple") and answer != DONT_CARE:
                option = answer if step.kind == "single" else answer[0]
                self.changed[(step.id, option)] = self.changed.get((step.id, option), False) or count != before
            if count == 0:
                known = self.report.empty.get((step.id, option))
                if known is None or len(trial) < len(known):
                    self.report.empty[(step.id, option)] = trial
                continue
            key = (
                step.id,
                np.packbits(after).tobytes(),
                tuple(_hashable(trial_values.get(n)) for n in later),
            )
            if key in self.seen:
                self.report.pruned += 1
                continue
            self.seen.add(key)
            following, path_seen = self.shown_from(self.after(pending, trial_values), trial_values, seen)
            self.walk(trial, trial_values, following, path_seen, after, count)

    def leaf(self, passing: Mask, values: Mapping[str, Any]) -> None:
        self.report.leaves += 1
        self.fitting |= passing


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def walk_paths(
    questionnaire: Questionnaire,
    index: CategoryIndex,
    *,
    max_nodes: int = 200_000,
    stop: Callable[[], bool] | None = None,
) -> WalkReport:
    """Walk every answer path against the category's products (Cancelled as soon as `stop` says so)."""
    walker = _Walker(questionnaire, index, max_nodes, stop)
    first, seen = walker.shown_from(0, {}, frozenset())
    walker.walk({}, {}, first, seen, np.ones(index.size, dtype=bool))
    report = walker.report
    looked_at = walker.later[0] if walker.later else set()  # steps whose answers expressions or weights use
    for step in questionnaire.steps:
        for option in step.options:
            key = (step.id, option.id)
            if key not in walker.changed or walker.changed[key] or option.prefers:
                continue
            if step.id in looked_at and _tells_apart(questionnaire, index, step, option):
                continue
            report.useless_options.append(key)
    # Exact despite the pruning (branches are pruned by their product set): a product that fits no answer
    # path can never be recommended. (Whether one that fits is always outranked is not decided here.)
    report.never_recommended = sorted(index.skus[~walker.fitting].tolist())
    return report


MAX_LISTED_OPTIONS = 8  # a multiple-choice step with more options is left open when conditions are compared


def _answer_values(step: Step) -> list[Any] | None:
    """Every value an expression can see for a step (None when unanswered, hidden or "doesn't matter"), or None
    when there are too many to list (a number step, a long multiple-choice step, a step of unknown kind)."""
    if step.kind == "single":
        return [*(option.answer_value for option in step.options), None]
    if step.kind == "yes_no":
        return [True, False, None]
    if step.kind == "multiple" and len(step.options) <= MAX_LISTED_OPTIONS:
        subsets = (
            chosen for size in range(1, len(step.options) + 1) for chosen in itertools.combinations(step.options, size)
        )
        return [*([option.answer_value for option in chosen] for chosen in subsets), None]
    return None


def _same_either_way(
    questionnaire: Questionnaire,
    index: CategoryIndex,
    step_id: str,
    values: tuple[Any, Any],
    expression: Expression,
    role: str,
) -> bool:
    """Whether an expression comes out the same with either of two values for a step, whatever the other answers.

    `role`: "condition" (a show_if or route: true or false), "requirement" (which products pass) or "target" (the
    value itself). The other steps' answers are tried one by one where they can be listed; the rest are left open,
    and the expression must be decided without them. False when that cannot be shown.
    """
    step_ids = set(questionnaire.positions)
    others = sorted((expression.names & step_ids) - {step_id})
    domains = {name: _answer_values(questionnaire.step(name)) for name in others}
    listed = [name for name in others if domains[name] is not None]
    open_names = expression.names - set(listed) - {step_id}
    count = 1
    for name in listed:
        count *= len(domains[name] or ())
    if count > MAX_COMBINATIONS or (role == "target" and open_names):
        return False
    for combination in itertools.product(*(domains[name] or () for name in listed)):
        known = dict(zip(listed, combination, strict=True))
        first, second = ({**known, step_id: value} for value in values)
        if role == "target":
            if evaluate(expression, first) != evaluate(expression, second):
                return False
            continue
        decided = settled(expression, first)
        if decided is not None and decided == settled(expression, second):
            continue
        if role != "requirement" or open_names & step_ids:
            return False
        if not np.array_equal(evaluate_columns(expression, first, index), evaluate_columns(expression, second, index)):
            return False
    return True


def _tells_apart(questionnaire: Questionnaire, index: CategoryIndex, step: Step, option: Option) -> bool:
    """Whether something looking at a step's answer could treat an option otherwise than "doesn't matter" (which
    expressions see as no answer): a show_if or route, another step's requirement or a preference's target that
    comes out differently for the two, or an importance taken from the step. When that cannot be ruled out, it could.

    The step's own requirements are left out: the walk itself sees whether choosing the option narrows the products.
    """
    if step.kind != "single":
        return True
    values = (option.answer_value, None)
    for other in questionnaire.steps:
        preferences = (*other.prefers, *(p for o in other.options for p in o.prefers))
        if any(preference.importance == step.id for preference in preferences):
            return True
        looked_at: list[tuple[Expression | None, str]] = [(other.show_if, "condition")]
        looked_at += [(route.condition, "condition") for route in other.routes]
        looked_at += [(preference.target, "target") for preference in preferences]
        if other.id != step.id:
            requirements = (*other.requires, *(r for o in other.options for r in o.requires))
            looked_at += [(requirement.expression, "requirement") for requirement in requirements]
        for expression, role in looked_at:
            if expression is None or step.id not in expression.names:
                continue
            if not _same_either_way(questionnaire, index, step.id, values, expression, role):
                return True
    return False


def state_for(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> SessionState:
    """A session with these answers given in path order (answers of steps off the path are ignored).

    The same state as answering one step after the other (engine.answer), with one walk of the path per
    answer: an answer to the last step on the path never takes an earlier step off it.
    """
    given = {key: tuple(value) if isinstance(value, list) else value for key, value in answers.items()}
    kept: dict[str, Any] = {}
    current = engine.first_unanswered(questionnaire, kept)
    while current is not None and current in given:
        kept[current] = engine.check_answer(questionnaire.step(current), given[current])
        current = engine.first_unanswered(questionnaire, kept)
    return SessionState(questionnaire.id, MappingProxyType(kept), current)


def answers_reaching(questionnaire: Questionnaire, step_id: str) -> dict[str, Any] | None:
    """Answers to the steps before `step_id` that lead to it (the first such answers found), or None."""
    if step_id not in questionnaire.positions:
        return None
    pending: list[dict[str, Any]] = [{}]
    tried = 0
    while pending and tried < 2000:
        answers = pending.pop()
        tried += 1
        path = engine.path_of(questionnaire, answers)
        current = next((s for s in path if s not in answers), None)
        if current == step_id:
            return answers
        if current is None or step_id in answers:
            continue
        step = questionnaire.step(current)
        pending.extend({**answers, current: answer} for answer in reversed(candidate_answers(step)))
    return None


# -- steps never asked ---------------------------------------------------------------------------------------

MAX_LISTED_NUMBERS = 1000  # a number step a condition looks at, with more whole numbers than this, is left open
MAX_ROUTING_STATES = 20_000  # (about half a second: beyond it nothing is known to be never asked)


@dataclass
class Routing:
    """Where some answers lead (without products): the steps shown, the steps whose `show_if` is looked at, the
    routes taken (step id, index) and the routes whose condition is true somewhere. `complete` is False when not
    every answer could be tried (then nothing is known to be never asked)."""

    asked: set[str] = field(default_factory=set)
    arrived: set[str] = field(default_factory=set)
    taken: set[tuple[str, int]] = field(default_factory=set)
    holding: set[tuple[str, int]] = field(default_factory=set)
    complete: bool = True


def _every_answer(step: Step) -> list[Any] | None:
    """Every value a condition can see for a shown step's answer, or None when there are too many to list."""
    values: list[Any] | None
    if step.kind == "number" and step.min is not None and step.max is not None and engine.whole_steps(step):
        low, high = math.ceil(step.min), math.floor(step.max)
        values = list(range(low, high + 1)) if high - low < MAX_LISTED_NUMBERS else None
    elif step.kind == "number" or not step.kind_known:
        values = None
    else:
        values = [value for value in (_answer_values(step) or [None]) if value is not None] or None
    if values is not None and step.dont_care:
        values.append(None)
    return values


def routing_walk(questionnaire: Questionnaire, products: Sequence[Mapping[str, Any]] = ({},)) -> Routing:
    """Follow every answer of the steps that a `show_if` or a `next` condition looks at, as engine.walk goes; a
    service flow's walk starts from each of the `products` (what its conditions on steps read of the shopper's
    product, `step_facts`)."""
    steps = questionnaire.steps
    facts = {name for product in products for name in product}
    deciding = engine.deciding_steps(questionnaire) & set(questionnaire.positions)
    domains: dict[str, list[Any]] = {}
    for step in steps:
        if step.id in deciding:
            every = _every_answer(step)
            if every is None:
                return Routing(complete=False)
            domains[step.id] = every
    # Two ways to a step that differ only in answers no later condition reads lead on alike: a state is known by
    # the answers still read at or after its step (with a goto back to an earlier step, by every deciding answer
    # and the steps already passed, as those may be read or skipped again).
    backward = any(
        questionnaire.positions.get(route.goto, len(steps)) <= position
        for position, step in enumerate(steps)
        for route in step.routes
    )
    live: list[frozenset[str]] = [frozenset(deciding | facts)] * (len(steps) + 1)
    if not backward:
        later: set[str] = set()
        for position in range(len(steps) - 1, -1, -1):
            step = steps[position]
            for condition in (step.show_if, *(route.condition for route in step.routes)):
                if condition is not None:
                    later |= condition.names
            live[position] = frozenset(later & (deciding | facts))
    routing = Routing()
    visited: set[tuple[Any, ...]] = set()
    pending: list[tuple[int, frozenset[str], dict[str, Any]]] = [(0, frozenset(), dict(p)) for p in products]
    while pending:
        position, seen, values = pending.pop()
        shown = None
        while position < len(steps) and steps[position].id not in seen:
            step = steps[position]
            seen |= {step.id}
            routing.arrived.add(step.id)
            if step.show_if is None or bool(evaluate(step.show_if, values)):
                shown = step
                break
            position += 1
        if shown is None:
            continue  # the results
        read_later = live[position]
        key = (
            position,
            seen if backward else None,
            tuple(sorted((name, _hashable(value)) for name, value in values.items() if name in read_later)),
        )
        if key in visited:
            continue
        visited.add(key)
        if len(visited) > MAX_ROUTING_STATES:
            return Routing(complete=False)
        routing.asked.add(shown.id)
        for value in domains.get(shown.id, [None]):
            trial = {**values, shown.id: value} if shown.id in domains else values
            following = None
            for i, route in enumerate(shown.routes):
                if route.condition is None or bool(evaluate(route.condition, trial)):
                    routing.holding.add((shown.id, i))
                    if following is None:
                        routing.taken.add((shown.id, i))
                        following = questionnaire.positions.get(route.goto, len(steps))
            pending.append((position + 1 if following is None else following, seen, trial))
    return routing


def _never_asked(questionnaire: Questionnaire, routing: Routing, ctx: Context, unreachable: set[str]) -> list[Finding]:
    """Q024: steps no answers lead to (their show_if never true, or no route to them ever taken), and gotos never
    taken although their step is asked."""
    if not routing.complete:
        return []
    out: list[Finding] = []
    for i, step in enumerate(questionnaire.steps):
        if step.id in routing.asked or step.id in unreachable:
            continue
        answered = [f"'{example.name}'" for example in questionnaire.examples if step.id in example.answers]
        named = ", ".join(answered[:3]) + (", …" if len(answered) > 3 else "")
        unread = f"; what examples answer it is not read ({named})" if answered else ""
        if step.id in routing.arrived and step.show_if is not None:
            why, fix = f"its show_if ({step.show_if.source}) is never true on any path", "correct the show_if"
        else:
            why = "no path leads to it: " + "; ".join(_routes_not_taken(questionnaire, routing, ctx, i))
            fix = "correct the routing before it"
        out.append(
            ctx.finding(
                (*step.path, "id"),
                "Q024",
                f"step '{step.id}' is never asked: {why}{unread}; {fix}, or remove the step",
                severity=WARNING,
            )
        )
    for step in questionnaire.steps:
        if step.id not in routing.asked:
            continue
        for j, route in enumerate(step.routes):
            if (step.id, j) in routing.taken or route.condition is None or route.goto not in routing.asked:
                continue  # (a goto to a step never asked: that step's finding says why)
            out.append(
                ctx.finding(
                    (*route.path, "if"),
                    "Q024",
                    f"goto '{route.goto}' of step '{step.id}' is never taken: {_why_not_taken(routing, step, j)}; "
                    "correct the condition, or remove this goto",
                    severity=WARNING,
                )
            )
    return out


def _why_not_taken(routing: Routing, step: Step, index: int) -> str:
    condition = step.routes[index].condition
    if (step.id, index) in routing.holding:
        return f"when its condition ({condition.source if condition else ''}) is true, a goto above it comes first"
    return f"its condition ({condition.source if condition else ''}) is never true on any path"


def _routes_not_taken(questionnaire: Questionnaire, routing: Routing, ctx: Context, position: int) -> list[str]:
    """Why no path comes to the step at `position`: each way to it, and why it is not gone."""
    step = questionnaire.steps[position]
    reasons: list[str] = []
    before = questionnaire.steps[position - 1] if position else None
    for other in questionnaire.steps:
        for j, route in enumerate(other.routes):
            if route.goto != step.id:
                continue
            line = ctx.position((*route.path, "goto"))[0]
            if other.id not in routing.asked:
                reasons.append(f"it comes after step '{other.id}' (line {line}), which is never asked")
            else:
                why = _why_not_taken(routing, other, j)
                reasons.append(f"goto '{step.id}' of step '{other.id}' (line {line}) is never taken: {why}")
    if before is not None and not any(route.condition is None for route in before.routes):
        if before.id not in routing.asked:
            reasons.append(f"it comes after step '{before.id}' above it, which is never asked")
        else:
            reasons.append(f"step '{before.id}' above it always goes on to a goto of its next")
    return reasons


# -- the examples ------------------------------------------------------------------------------------------


def example_failures(
    questionnaire: Questionnaire, index: CategoryIndex, example: Example
) -> list[tuple[SpecPath, str]]:
    """What fails in one example, each with where in the example it is written (empty when it holds)."""
    try:
        state = state_for(questionnaire, example.answers)
    except InvalidAnswer as error:
        return [((*example.path, "answers"), str(error))]
    try:
        result = recommend(index=index, questionnaire=questionnaire, state=state, locale="en", show=example.top)
    except Exception as error:  # a defect in the recommender: said at the example, the other checks go on
        return [(example.path, f"the recommender failed on this example ({type(error).__name__}: {error}); "
                               "please report it")]  # fmt: skip
    top = [item.sku for item in result.products[: example.top]]
    failures: list[tuple[SpecPath, str]] = []
    for i, sku in enumerate(example.include):
        if sku in index.position and sku not in top:
            failures.append(
                (
                    (*example.path, "include", i),
                    f"{sku} is not among the first {example.top} (they are: {', '.join(top) or 'none'})",
                )
            )
    failures += [
        ((*example.path, "exclude", i), f"{sku} is among the first {example.top}")
        for i, sku in enumerate(example.exclude)
        if sku in top
    ]
    if example.count_at_least is not None and result.count < example.count_at_least:
        failures.append(
            ((*example.path, "count_at_least"), f"{result.count} products fit, fewer than {example.count_at_least}")
        )
    if example.no_match and result.count:
        failures.append(((*example.path, "no_match"), f"{result.count} products fit, but no product should"))
    return failures


def run_example(questionnaire: Questionnaire, index: CategoryIndex, example: Example) -> list[str]:
    """What fails in one example, in words (empty when it holds)."""
    return [message for _, message in example_failures(questionnaire, index, example)]


# -- requirements no product can meet -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Unmet:
    path: SpecPath
    step: Step
    option: Option | None
    message: str


def _values_for(questionnaire: Questionnaire, step: Step, option: Option | None, names: set[str]) -> list[list[Any]]:
    """For each step an expression looks at, the answers' values to try (the owner's own answer fixed)."""
    choices = []
    for name in sorted(names):
        other = questionnaire.step(name)
        if other.id == step.id:
            if option is not None:
                answers: list[Any] = [option.id if step.kind == "single" else (option.id,)]
            else:
                answers = [answer for answer in candidate_answers(step) if answer != DONT_CARE]
                answers = [True] if step.kind == "yes_no" else answers
            choices.append([engine.answer_value(step, answer) for answer in answers])
        else:
            choices.append([*(engine.answer_value(other, a) for a in candidate_answers(other)), None])
    return choices


def _can_be_met(
    questionnaire: Questionnaire,
    index: CategoryIndex,
    step: Step,
    option: Option | None,
    requirements: Sequence[Requirement],
) -> bool | None:
    """Whether some answers let some product meet all these requirements (None: too many answers to try)."""
    names = set().union(*(r.expression.names for r in requirements)) & set(questionnaire.positions)
    ordered = sorted(names)
    choices = _values_for(questionnaire, step, option, names)
    combinations = itertools.product(*choices)
    for tried, combination in enumerate(combinations):
        if tried >= MAX_COMBINATIONS:
            return None
        values = dict(zip(ordered, combination, strict=True))
        mask = evaluate_columns(requirements[0].expression, values, index)
        for requirement in requirements[1:]:
            mask = mask & evaluate_columns(requirement.expression, values, index)
        if mask.any():
            return True
    return False


def unmet_requirements(
    questionnaire: Questionnaire, index: CategoryIndex, *, usable: Iterable[Requirement] | None = None
) -> list[_Unmet]:
    """Requirements (and options' requirements together) that no product meets, whatever the answers."""
    allowed = {id(r) for r in usable} if usable is not None else None
    noun = pick(index.category.label, "en").lower()
    found: list[_Unmet] = []
    for step in questionnaire.steps:
        if not step.kind_known:
            continue
        owners: list[tuple[Option | None, tuple[Requirement, ...]]] = [(None, step.requires)]
        owners += [(option, option.requires) for option in step.options]
        step_ok = True
        for option, requirements in owners:
            own_ok = True
            for requirement in requirements:
                if allowed is not None and id(requirement) not in allowed:
                    own_ok = False
                    continue
                if _can_be_met(questionnaire, index, step, option, [requirement]) is False:
                    own_ok = False
                    chooser = f"whoever chooses '{option.id}'" if option else f"whoever answers '{step.id}'"
                    found.append(
                        _Unmet(
                            requirement.path,
                            step,
                            option,
                            f"none of the {index.size} {noun} in the catalog meets this requirement, whatever the "
                            f"answers, so {chooser} finds nothing; widen it, or check the products' data",
                        )
                    )
            if option is None:
                step_ok = own_ok
            elif own_ok and step_ok and option.requires and step.requires:
                together = [*step.requires, *option.requires]
                usable_together = allowed is None or all(id(r) in allowed for r in together)
                if usable_together and _can_be_met(questionnaire, index, step, option, together) is False:
                    found.append(
                        _Unmet(
                            (*option.path, "id"),
                            step,
                            option,
                            f"none of the {index.size} {noun} meets the requirements of step '{step.id}' and option "
                            f"'{option.id}' together; widen one of them",
                        )
                    )
            elif own_ok and option is not None and len(requirements) > 1:  # noqa: SIM102
                if _can_be_met(questionnaire, index, step, option, list(requirements)) is False:
                    found.append(
                        _Unmet(
                            (*option.path, "id"),
                            step,
                            option,
                            f"none of the {index.size} {noun} meets all the requirements of option '{option.id}' "
                            "together; "
                            "widen one of them",
                        )
                    )
    return found


# -- for the preview: which step a line is in, and why each product is in or out ------------------------------


def step_at(analysis: Analysis, line: int) -> str | None:
    """The id of the step written on a 1-based line of the analysed file (None outside the steps)."""
    if analysis.questionnaire is None or analysis.context is None:
        return None
    for step in analysis.questionnaire.steps:
        if line in _lines(analysis.context, step.path):
            return step.id
    return None


@dataclass(frozen=True)
class Verdict:
    """Whether a product is in for the answers (its rank, and shown or not) or out, and why."""

    sku: str
    name: str
    rank: int | None  # 1-based among the products that fit; None when it is out
    shown: bool
    reasons: tuple[str, ...]  # the requirements it meets (in) or breaks (out)


def verdicts(*, index: CategoryIndex, questionnaire: Questionnaire, state: SessionState, locale: str) -> list[Verdict]:
    """For every product of the category: in (with its rank) or out, and the requirements that decide it."""
    from advisor.recommend.core import constraint_label, constraints_of, why_not

    everything = recommend(index=index, questionnaire=questionnaire, state=state, locale=locale, show=index.size)
    shown = recommend(index=index, questionnaire=questionnaire, state=state, locale=locale)
    shown_skus = {item.sku for item in shown.products}
    met = tuple(
        constraint_label(questionnaire, state.answers, constraint, locale)
        for constraint in constraints_of(questionnaire, state.answers)
    )
    # The shown products first, in the kiosk's order (diversity included), then the others that fit.
    order = [item.sku for item in shown.products] + [i.sku for i in everything.products if i.sku not in shown_skus]
    ranks = {sku: rank for rank, sku in enumerate(order, start=1)}
    found = []
    for product in index.products:
        name = pick(product.name, locale)
        if product.sku in ranks:
            found.append(Verdict(product.sku, name, ranks[product.sku], product.sku in shown_skus, met))
            continue
        answer = why_not(index=index, questionnaire=questionnaire, state=state, sku=product.sku, locale=locale)
        found.append(Verdict(product.sku, name, None, False, answer.labels))
    return sorted(found, key=lambda v: (v.rank is None, v.rank or 0, v.sku))


# -- the analysis --------------------------------------------------------------------------------------------


def fingerprint(questionnaire: Questionnaire) -> str:
    """What the walk and the examples depend on (not texts, not positions): the same after most edits."""
    parts: list[Any] = [questionnaire.category, questionnaire.results]
    for step in questionnaire.steps:
        parts.append(
            (
                step.id,
                step.kind,
                step.dont_care,
                step.min,
                step.max,
                step.step,
                step.default,
                step.show_if.source if step.show_if else None,
                [(route.goto, route.condition.source if route.condition else None) for route in step.routes],
                [r.expression.source for r in step.requires],
                [_preference_key(p) for p in step.prefers],
                [
                    (o.id, o.value, [r.expression.source for r in o.requires], [_preference_key(p) for p in o.prefers])
                    for o in step.options
                ],
            )
        )
    for example in questionnaire.examples:
        parts.append(
            (example.answers, example.top, example.include, example.exclude, example.count_at_least, example.no_match)
        )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _preference_key(preference: Any) -> tuple[Any, ...]:
    target = preference.target.source if preference.target else None
    return (
        preference.attribute,
        preference.direction,
        target,
        preference.contains,
        preference.equals,
        preference.weight,
        preference.importance,
    )


class AuditMemo:
    """The walk and the examples' outcomes of the last few versions of a file, by what they depend on.

    An editor re-analyses a file after every pause in typing; most edits change texts, not what the walk and
    the examples look at, so their outcomes are taken from here.
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._walks: OrderedDict[tuple[str, int, int], WalkReport] = OrderedDict()
        self._examples: OrderedDict[tuple[str, int, int, int], list[tuple[SpecPath, str]]] = OrderedDict()

    def walk(
        self, questionnaire: Questionnaire, index: CategoryIndex, key: str, stop: Callable[[], bool] | None = None
    ) -> WalkReport:
        memo_key = (key, id(index), index.size)
        report = self._walks.get(memo_key)
        if report is None:
            report = walk_paths(questionnaire, index, stop=stop)
            self._walks[memo_key] = report
            while len(self._walks) > self.size:
                self._walks.popitem(last=False)
        return report

    def example(
        self, questionnaire: Questionnaire, index: CategoryIndex, key: str, number: int
    ) -> list[tuple[SpecPath, str]]:
        memo_key = (key, id(index), index.size, number)
        failures = self._examples.get(memo_key)
        if failures is None:
            failures = example_failures(questionnaire, index, questionnaire.examples[number])
            self._examples[memo_key] = failures
            while len(self._examples) > self.size * 16:
                self._examples.popitem(last=False)
        return [((*questionnaire.examples[number].path, *path[2:]), message) for path, message in failures]


@dataclass(frozen=True)
class Analysis:
    """Everything said about one file: its questionnaire (when it can be built), the findings, where things are."""

    file: str
    questionnaire: Questionnaire | None
    findings: tuple[Finding, ...]
    context: Context | None = None

    @property
    def ok(self) -> bool:
        return self.questionnaire is not None and not has_errors(self.findings)


def analyse_text(
    text: str,
    file: str,
    *,
    dictionary: Dictionary | None,
    catalog: CatalogIndex | None,
    problems: Sequence[Problem] = (),
    walk: bool = True,
    memo: AuditMemo | None = None,
    guides: Guides | None = None,
    size_charts: SizeCharts | None = None,
    stop: Callable[[], bool] | None = None,
) -> Analysis:
    """Analyse questionnaire text: format, file checks, catalog checks (with `catalog`), examples.

    `guides`: what a service flow's guide outcomes name (the shipped guides when None); `size_charts`: what a
    finder's size block is checked against (the shipped size charts when None); `stop`: asked now and then on
    the long path walks, Cancelled when it says the analysis is no longer wanted (an editor's older text).
    """
    loaded = load_text(text, file, problems=problems)
    return _analyse(
        loaded, dictionary, catalog, walk=walk, memo=memo, guides=guides, size_charts=size_charts, stop=stop
    )


def analyse_file(
    path: Path,
    *,
    dictionary: Dictionary | None,
    catalog: CatalogIndex | None,
    walk: bool = True,
    memo: AuditMemo | None = None,
    guides: Guides | None = None,
    size_charts: SizeCharts | None = None,
) -> Analysis:
    """Analyse one file (bytes that are not UTF-8 are reported where they are, and the rest read on)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        finding = Finding(str(path), 0, 0, "Q001", ERROR, f"cannot read the file: {error.strerror}")
        return Analysis(str(path), None, (finding,))
    text, problems = decode(data)
    return analyse_text(
        text, str(path), dictionary=dictionary, catalog=catalog, problems=problems, walk=walk, memo=memo,
        guides=guides, size_charts=size_charts,
    )  # fmt: skip


def _analyse(
    loaded: Loaded,
    dictionary: Dictionary | None,
    catalog: CatalogIndex | None,
    *,
    walk: bool,
    memo: AuditMemo | None,
    guides: Guides | None = None,
    size_charts: SizeCharts | None = None,
    stop: Callable[[], bool] | None = None,
) -> Analysis:
    ctx = loaded.context
    questionnaire = loaded.questionnaire
    file = ctx.file if ctx else ""
    findings = list(loaded.findings)
    if questionnaire is None or ctx is None:
        return Analysis(file, questionnaire, tuple(unique(findings)), ctx)
    findings += check_questionnaire(questionnaire, dictionary, file, ctx)
    findings = _without_damage(findings, ctx)
    meant = meant_category(questionnaire.category, catalog.categories) if catalog else None
    index = catalog.categories.get(meant) if catalog and meant else None
    routing = _routing(questionnaire, ctx, findings, index)
    # An example with a gap is an error on its lines, so the catalog checks leave its outcome out (it is not read).
    findings += _unanswered_steps(questionnaire, ctx, findings, routing)
    if routing is not None:
        unreachable_lines = {f.line for f in findings if f.code == "Q013"}
        unreachable = {s.id for s in questionnaire.steps if set(_lines(ctx, (*s.path, "id"))) & unreachable_lines}
        findings += _never_asked(questionnaire, routing, ctx, unreachable)
    if index is not None and not index.size:  # said once, not as every sku and outcome the catalog lacks
        findings.append(
            ctx.finding(
                ("category",),
                "Q017",
                f"{questionnaire.id or file} offers no products (the catalog has no products of category "
                f"'{meant}'): left out of the kiosk and the web until its products are imported",
            )
        )
    elif index is not None and walk and catalog is not None and questionnaire.is_service:
        findings += _service_findings(questionnaire, index, catalog, ctx, findings, guides or guides_in_use(), stop)
    elif index is not None and walk:
        findings += _catalog_findings(questionnaire, index, ctx, findings, memo or AuditMemo(1), stop)
        if questionnaire.results.size is not None:
            findings += check_sizing(questionnaire, ctx, size_charts or size_charts_in_use(), index)
    return Analysis(file, questionnaire, tuple(unique(findings)), ctx)


def _routing(
    questionnaire: Questionnaire, ctx: Context, findings: list[Finding], index: CategoryIndex | None = None
) -> Routing | None:
    """Where the answers lead, when that can be known: not while a step has an error (a condition or goto in it
    may not read as meant) or a step id is written twice, nor for a service flow whose conditions on steps read the
    shopper's product without the catalog to know its products."""
    ids = [step.id for step in questionnaire.steps]
    errors = {f.line for f in findings if f.severity == ERROR}
    if not ids or len(set(ids)) != len(ids) or _broken_steps(questionnaire, ctx, errors):
        return None
    products = step_facts(questionnaire, index)
    return routing_walk(questionnaire, products) if products is not None else None


def product_names_in_steps(flow: Questionnaire) -> set[str]:
    """What a service flow's conditions on steps (show_if, routes) read of the shopper's product: the names that are
    no step (a finder's read only answers)."""
    if not flow.is_service:
        return set()
    conditions = [c for step in flow.steps for c in (step.show_if, *(r.condition for r in step.routes)) if c]
    return {name for condition in conditions for name in condition.names} - set(flow.positions)


def step_facts(
    flow: Questionnaire, index: CategoryIndex | None, also: Iterable[str] = ()
) -> list[dict[str, Any]] | None:
    """Each distinct way the products of the category look to a service flow's conditions on steps (and to the
    names `also`), after "no product named" ({}); [{}] when those conditions read no product; None when they do
    and there is no catalog to know the products."""
    reads = product_names_in_steps(flow)
    if not reads:
        return [{}]
    names = sorted(reads | set(also))
    if index is None:
        return None
    return kinds_of_product(index, names)


def kinds_of_product(index: CategoryIndex, names: Iterable[str]) -> list[dict[str, Any]]:
    """Each distinct way the category's products look to conditions reading `names` (once each), after "the product
    is not named" ({})."""
    seen = {tuple((name, _attribute(product, name)) for name in names) for product in index.products}
    return [{}, *({n: list(v) if isinstance(v, tuple) else v for n, v in items} for items in sorted(seen, key=repr))]


def _lines(ctx: Context, path: SpecPath) -> range:
    """The 1-based lines a value is written on (empty when it is not written)."""
    return written_lines(ctx, path)


def _items(ctx: Context, key: str) -> list[SpecPath]:
    written = ctx.raw((key,))
    return [(key, i) for i in range(len(written))] if isinstance(written, list) else []


def _without_damage(findings: list[Finding], ctx: Context) -> list[Finding]:
    """Leave out what a blanked line (after a YAML syntax error) caused: findings in the item around it."""
    damaged = ctx.document.damaged
    if not damaged:
        return findings
    root = _lines(ctx, ())
    regions: list[range] = []
    for line in (d + 1 for d in damaged):
        around = [r for p in (*_items(ctx, "steps"), *_items(ctx, "examples")) if line in (r := _lines(ctx, p))]
        if around:
            regions.append(around[0])
            continue
        top = [r for key in (ctx.raw(()) or {}) if line in (r := _lines(ctx, (str(key),)))]
        regions.append(top[0] if top else range(line, line + 1))
        regions.append(range(root.start, root.start + 1))  # "the file needs ..." sits where the file begins
    return [f for f in findings if f.code == "Q001" or not any(f.line in region for region in regions)]


def _answer_form(step: Step) -> str:
    """What an answer to a step is written as in an example, in words."""
    if step.kind == "single":
        form = "one of " + ", ".join(option.id for option in step.options)
    elif step.kind == "multiple":
        form = "a list of any of " + ", ".join(option.id for option in step.options)
    elif step.kind == "number":
        low, high = (f"{value:g}" if value is not None else "?" for value in (step.min, step.max))
        form = f"a number from {low} to {high}"
    elif step.kind == "yes_no":
        form = "true or false"
    else:  # a mistyped kind: such a step is broken, and examples wait until it is fixed
        form = "an answer"
    return f"<{form}, or {DONT_CARE}>" if step.dont_care else f"<{form}>"


def _unanswered_steps(
    questionnaire: Questionnaire, ctx: Context, findings: list[Finding], routing: Routing | None
) -> list[Finding]:
    """Q003 at an example that skips a step on its path although it answers steps after it: its answers are read in
    path order up to the first step it does not answer, so those after it would silently not count (a new step)."""
    if not questionnaire.examples:
        return []
    errors = {f.line for f in findings if f.severity == ERROR}
    broken = _broken_steps(questionnaire, ctx, errors)
    routed = _routed_as_meant(questionnaire)
    positions = routed.positions
    out: list[Finding] = []
    for example in questionnaire.examples:
        if set(example.answers) & broken or any(line in errors for line in _lines(ctx, example.path)):
            continue  # what it answers, or the example itself, has an error of its own
        try:
            state = state_for(routed, example.answers)
        except InvalidAnswer:
            continue  # an answer that is not valid: reported as such (Q006, Q011, A004 or A010)
        if state.current is None or state.current in broken:
            continue
        gap = routed.step(state.current)
        unread = [
            step_id
            for step_id in example.answers
            if step_id not in state.answers and positions.get(step_id, -1) > positions[gap.id]
        ]
        if not unread:
            continue  # it stops early on purpose: the results for the answers so far
        skip = _skip_never_taken(routed, routing, state.answers, unread)
        if skip is not None:
            came_from, route = skip
            message = (
                f"example '{example.name}' does not answer step '{gap.id}': it counts on goto '{route.goto}' of step "
                f"'{came_from.id}' (line {ctx.position((*route.path, 'goto'))[0]}), which is never taken, "
                f"so the answers after it are not read ({', '.join(unread)}); correct that goto's "
                f"condition, or add {gap.id}: {_answer_form(gap)}"
            )
        else:
            message = (
                f"example '{example.name}' does not answer step '{gap.id}' (a new step?), so the answers after it are "
                f"not read ({', '.join(unread)}); add {gap.id}: {_answer_form(gap)}"
            )
        out.append(ctx.finding((*example.path, "answers"), "Q003", message, key=True))
    return out


def _skip_never_taken(
    questionnaire: Questionnaire, routing: Routing | None, answered: Mapping[str, Any], unread: list[str]
) -> tuple[Step, Route] | None:
    """A goto, of the last step an example answers, that leads to a step the example answers but is never taken:
    the example counts on it to skip the step it does not answer."""
    if routing is None or not routing.complete or not answered:
        return None
    last = questionnaire.step(list(answered)[-1])
    for i, route in enumerate(last.routes):
        if route.goto in unread and (last.id, i) not in routing.taken and last.id in routing.asked:
            return last, route
    return None


def _broken_steps(questionnaire: Questionnaire, ctx: Context, errors: set[int]) -> set[str]:
    broken = {step.id for step in questionnaire.steps if not step.kind_known}
    for step in questionnaire.steps:
        if any(line in errors for line in _lines(ctx, step.path)):
            broken.add(step.id)
    return broken


def _catalog_findings(
    questionnaire: Questionnaire,
    index: CategoryIndex,
    ctx: Context,
    findings: list[Finding],
    memo: AuditMemo,
    stop: Callable[[], bool] | None = None,
) -> list[Finding]:
    errors = {f.line for f in findings if f.severity == ERROR}
    flagged = {f.line for f in findings}
    unreachable_lines = {f.line for f in findings if f.code == "Q013"}
    unreachable = {s.id for s in questionnaire.steps if set(_lines(ctx, (*s.path, "id"))) & unreachable_lines}
    broken = _broken_steps(questionnaire, ctx, errors)
    out: list[Finding] = []
    # A005: requirements (and options) no product can meet; none with a finding of its own, none of a step with
    # an error (a YAML slip in it: what stands there waits until it is fixed), none naming a step with an error.
    usable = [
        requirement
        for step in questionnaire.steps
        if step.id not in broken
        for requirement in (*step.requires, *(r for o in step.options for r in o.requires))
        if not (requirement.expression.names & broken)
        and not any(line in flagged for line in _lines(ctx, requirement.path))
    ]
    unmet = unmet_requirements(questionnaire, index, usable=usable) if index.size else []
    for item in unmet:
        severity = WARNING if item.step.id in unreachable else ERROR
        out.append(ctx.finding(item.path, "A005", item.message, severity=severity))
    unmet_answers = {(item.step.id, item.option.id if item.option else None) for item in unmet}
    # A006: examples naming products the category does not have.
    noun = pick(index.category.label, "en").lower()
    for example in questionnaire.examples:
        for key, skus in (("include", example.include), ("exclude", example.exclude)):
            for i, sku in enumerate(skus):
                if sku not in index.position:
                    out.append(
                        ctx.finding(
                            (*example.path, key, i),
                            "A006",
                            f"example '{example.name}': {sku} is not one of the {noun} in the catalog; correct the sku",
                        )
                    )
    routed = _routed_as_meant(questionnaire)
    key = fingerprint(routed)
    ids = [step.id for step in questionnaire.steps]
    walkable = index.size and len(set(ids)) == len(ids)  # (a step id written twice: no path is known to be walked)
    report = memo.walk(routed, index, key, stop) if walkable else WalkReport()
    for (step_id, option_id), trial in report.empty.items():
        step = questionnaire.step(step_id)
        if set(trial) & broken or (step_id, option_id) in unmet_answers or (step_id, None) in unmet_answers:
            continue
        option = step.option(option_id) if option_id else None
        where = (*option.path, "id") if option else (*step.path, "id")
        answers = ", ".join(f"{s}={_shown(value)}" for s, value in trial.items())
        out.append(
            ctx.finding(
                where,
                "A001",
                f"no product fits after: {answers} (the shopper is offered what to drop)",
                severity=WARNING,
            )
        )
    for step_id, option_id in report.useless_options:
        step = questionnaire.step(step_id)
        option = step.option(option_id)
        if step_id in broken or option is None:
            continue
        out.append(ctx.finding((*option.path, "id"), "A002", _useless_option(step, option), severity=WARNING))
    if report.never_recommended and not report.truncated and not broken:
        shown = ", ".join(report.never_recommended[:10]) + (" …" if len(report.never_recommended) > 10 else "")
        out.append(
            ctx.finding(
                ("category",),
                "A003",
                f"{len(report.never_recommended)} of {index.size} {noun} fit no answer path, so they "
                f"are never recommended: {shown}",
                severity=WARNING,
            )
        )
    # Examples run with the results' settings that can be used (a mistyped tie-break is left out, not guessed).
    for_examples = replace(routed, results=_usable_results(questionnaire.results, index))
    examples_key = fingerprint(for_examples)
    for number, example in enumerate(questionnaire.examples):
        if set(example.answers) & broken or any(line in errors for line in _lines(ctx, example.path)):
            continue
        if _chosen(example) & unmet_answers:
            continue  # it chooses what no product can meet: A005 says so
        for path, message in memo.example(for_examples, index, examples_key, number):
            out.append(ctx.finding(path, "A004", f"example '{example.name}': {message}"))
    return out


# -- service flows and guides --------------------------------------------------------------------------------


class _OutcomeWalker(_Walker):
    """The path walk of a service flow: the outcomes that some answers (and some product, or none) reach."""

    def __init__(
        self,
        flow: Questionnaire,
        index: CategoryIndex,
        max_nodes: int,
        catalog: CatalogIndex | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(flow, index, max_nodes, stop)
        self.catalog = catalog
        step_ids = set(flow.step_ids)
        names: set[str] = set()  # what conditions and parts rules look at (answers, the shopper's product)
        for outcome in flow.outcomes:
            for expression in (outcome.condition, outcome.parts.rule if outcome.parts else None):
                names |= expression.names if expression is not None else set()
        # Branches that differ in an answer an outcome looks at are never pruned as the same (after the last step
        # too: the entry past the steps is what the outcomes look at).
        self.later = [*(later | (names & step_ids) for later in self.later), names & step_ids]
        self.later_sorted = [sorted(later) for later in self.later]
        self.looked_at = looked_at = sorted(names - step_ids)
        # The products as the conditions see them (each distinct one once), and "the product is not named".
        self.products = kinds_of_product(index, looked_at)
        self.reached: set[str] = set()

    def leaf(self, passing: Mask, values: Mapping[str, Any]) -> None:
        super().leaf(passing, values)
        for outcome in self.questionnaire.outcomes:
            if outcome.id not in self.reached and any(self.applies(outcome, {**p, **values}) for p in self.products):
                self.reached.add(outcome.id)

    def applies(self, outcome: Outcome, values: Mapping[str, Any]) -> bool:
        """As outcomes_for decides: the condition holds, and a parts outcome offers some product."""
        if not holds(outcome, values):
            return False
        return outcome.kind != "parts" or self.catalog is None or bool(parts_of(outcome, values, self.catalog))


def _attribute(product: Any, name: str) -> Any:
    value = product.price if name == "price" else product.attributes.get(name)
    return tuple(value) if isinstance(value, list) else value


def reached_outcomes(
    flow: Questionnaire,
    index: CategoryIndex,
    *,
    catalog: CatalogIndex | None = None,
    max_nodes: int = 200_000,
    stop: Callable[[], bool] | None = None,
) -> set[str] | None:
    """The ids of the outcomes some answer path reaches, for some product of `index` or none (None: too many paths
    to be sure); with the `catalog`, a parts outcome only where its rule selects some product."""
    walker = _OutcomeWalker(flow, index, max_nodes, catalog, stop)
    if not product_names_in_steps(flow):
        first, seen = walker.shown_from(0, {}, frozenset())
        walker.walk({}, {}, first, seen, np.ones(index.size, dtype=bool))
        return None if walker.report.truncated else walker.reached
    # The steps shown depend on the product: the answers are walked for each way the products look (and for none).
    for product in step_facts(flow, index, walker.looked_at) or [{}]:
        walker.products, walker.seen = [product], set()
        first, seen = walker.shown_from(0, product, frozenset())
        walker.walk({}, dict(product), first, seen, np.ones(index.size, dtype=bool))
    return None if walker.report.truncated else walker.reached


def catalog_skus(catalog: CatalogIndex) -> set[str]:
    """Every sku of the catalog, whatever its category: the models' and their variants'."""
    skus = {sku for index in catalog.categories.values() for sku in index.position}
    skus |= {v.sku for index in catalog.categories.values() for p in index.products for v in p.variants}
    return skus


def _service_findings(
    flow: Questionnaire,
    index: CategoryIndex,
    catalog: CatalogIndex,
    ctx: Context,
    findings: list[Finding],
    guides: Guides,
    stop: Callable[[], bool] | None = None,
) -> list[Finding]:
    """A service flow against the catalog and the guides: skus (A007), guide ids (A009), outcomes no path reaches
    (A008), the examples (A006, A010)."""
    errors = {f.line for f in findings if f.severity == ERROR}
    broken = _broken_steps(flow, ctx, errors)
    skus = catalog_skus(catalog)
    out: list[Finding] = []
    for outcome in flow.outcomes:
        for i, sku in enumerate(outcome.parts.skus if outcome.parts else ()):
            if sku not in skus:
                out.append(
                    ctx.finding(
                        (*outcome.path, "parts", "skus", i),
                        "A007",
                        f"outcome '{outcome.id}': {sku} is not in the catalog; correct the sku, or add the product",
                    )
                )
        if outcome.kind == "guide" and outcome.guide is not None and guides.get(outcome.guide) is None:
            suggestion = closest(outcome.guide, guides.by_id)
            out.append(
                ctx.finding(
                    (*outcome.path, "guide"),
                    "A009",
                    f"outcome '{outcome.id}': no guide has the id '{outcome.guide}' (in {guides.file})"
                    + (f" (did you mean '{suggestion}'?)" if suggestion else ""),
                    fix=suggestion,
                )
            )
    broken_outcomes = {o.id for o in flow.outcomes if any(line in errors for line in _lines(ctx, o.path))}
    reached = reached_outcomes(flow, index, catalog=catalog, stop=stop) if not broken else None
    unreached = {o.id for o in flow.outcomes if reached is not None and o.id not in reached} - broken_outcomes
    for outcome in flow.outcomes:
        if outcome.id in unreached:
            out.append(
                ctx.finding(
                    (*outcome.path, "id"),
                    "A008",
                    f"no answer path reaches outcome '{outcome.id}': it applies after no answers (for no product "
                    "of the catalog; a parts outcome also when its rule selects nothing); correct it, or remove it",
                )
            )
    noun = pick(index.category.label, "en").lower()
    for example in flow.examples:
        # An example waits while an outcome has an error (what it leads to may change), and one that expects an
        # outcome no path reaches is left to A008.
        if example.outcomes is None or set(example.answers) & broken or broken_outcomes:
            continue
        if set(example.outcomes) & unreached:
            continue
        if any(line in errors for line in _lines(ctx, example.path)):
            continue
        product = None
        if example.product is not None:
            position = index.position.get(example.product)
            if position is None:
                out.append(
                    ctx.finding(
                        (*example.path, "product"),
                        "A006",
                        f"example '{example.name}': {example.product} is not one of the {noun} in the catalog; "
                        "correct the sku",
                    )
                )
                continue
            product = index.products[position]
        try:
            state = state_for(flow.for_product(product, product_values(product)), example.answers)
        except InvalidAnswer as error:
            out.append(ctx.finding((*example.path, "answers"), "A010", f"example '{example.name}': {error}"))
            continue
        applied = outcomes_for(flow=flow, answers=state.answers, guides=guides, product=product, catalog=catalog)
        got = [item.id for item in applied]
        if got != list(example.outcomes):
            out.append(
                ctx.finding(
                    (*example.path, "outcomes"),
                    "A010",
                    f"example '{example.name}': the outcomes are {', '.join(got) or 'none'}, "
                    f"not {', '.join(example.outcomes) or 'none'}",
                )
            )
    return out


def check_guides(guides: Guides, catalog: CatalogIndex | None, dictionary: Dictionary | None) -> list[Finding]:
    """A guides file against the catalog: skus it names (A007), families' categories (Q017) and attributes (Q008)."""
    ctx = guides.context
    if ctx is None:
        return []
    skus = catalog_skus(catalog) if catalog is not None else None
    categories = dictionary.categories if dictionary is not None else None
    out: list[Finding] = []
    for guide in guides.by_id.values():
        for key, named in ((("for", "skus"), guide.skus), (("needs",), guide.needs)):
            for i, sku in enumerate(named):
                if skus is not None and sku not in skus:
                    what = "is for" if key[0] == "for" else "needs"
                    out.append(
                        ctx.finding(
                            (*guide.path, *key, i),
                            "A007",
                            f"guide '{guide.id}' {what} {sku}, which is not in the catalog; correct the sku, or add "
                            "the product",
                        )
                    )
        if guide.category is None or categories is None:
            continue
        if guide.category not in categories:
            suggestion = closest(guide.category, categories)
            out.append(
                ctx.finding(
                    (*guide.path, "for", "category"),
                    "Q017",
                    f"guide '{guide.id}': category '{guide.category}' is not in the catalog; use one of "
                    f"{', '.join(categories)}" + (f" (did you mean '{suggestion}'?)" if suggestion else ""),
                    fix=suggestion,
                )
            )
            continue
        attributes = categories[guide.category].attributes
        for name in sorted(guide.when.names if guide.when else ()):
            if name not in attributes and name != "price":
                suggestion = closest(name, attributes)
                out.append(
                    ctx.finding(
                        (*guide.path, "for", "when"),
                        "Q008",
                        f"guide '{guide.id}': '{name}' is not an attribute of {guide.category}"
                        + (f" (did you mean '{suggestion}'?)" if suggestion else ""),
                    )
                )
    return out


def _routed_as_meant(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire with each mistyped goto read as the step it was meant to name (dropped if none is close)."""
    known = [*questionnaire.step_ids, RESULTS_STEP]
    if all(route.goto in known for step in questionnaire.steps for route in step.routes):
        return questionnaire
    steps = []
    for step in questionnaire.steps:
        routes = []
        for route in step.routes:
            goto = route.goto if route.goto in known else closest(route.goto, known)
            if goto is not None:
                routes.append(replace(route, goto=goto))
        steps.append(replace(step, routes=tuple(routes)))
    return replace(questionnaire, steps=tuple(steps))


# Words of an option that means "doesn't matter" (its id or a label, any locale), as merchandisers write them.
_DONT_CARE_WORDS = re.compile(
    r"\b(egal|gleich|beliebig|any|anything|either|whatever|no preference|keine (präferenz|vorliebe|angabe)|"
    r"(does ?n[o']?t|does not|no) matter|dont[ _]?care|don'?t care|not important|nicht wichtig|alles)\b",
    re.IGNORECASE,
)


def _means_dont_care(option: Option) -> bool:
    return any(_DONT_CARE_WORDS.search(text.replace("_", " ")) for text in (option.id, *option.label.values()))


def _useless_option(step: Step, option: Option) -> str:
    """A002's message: an option that never changes which products fit, and what to do about it."""
    said = f"option '{option.id}' of step '{step.id}' never changes which products fit"
    if step.dont_care:
        if _means_dont_care(option):
            return f'{said}; the step already offers "doesn\'t matter" (dont_care: true), so remove the option'
        return f"{said}; give it a requirement or a preference, or remove it"
    if _means_dont_care(option):
        return (
            f"{said}; for \"doesn't matter\", remove it and write dont_care: true in step '{step.id}' (the kiosk then "
            f'offers "doesn\'t matter", and examples answer {step.id}: dont_care); else give it a requirement or a '
            "preference"
        )
    return (
        f'{said}; give it a requirement or a preference, or remove it (for "doesn\'t matter", write dont_care: true '
        f"in step '{step.id}' instead)"
    )


def _chosen(example: Example) -> set[tuple[str, str | None]]:
    """The steps an example answers and the options it chooses, as A005 names them."""
    chosen: set[tuple[str, str | None]] = set()
    for step_id, answer in example.answers.items():
        if answer == DONT_CARE:
            continue
        chosen.add((step_id, None))
        for item in answer if isinstance(answer, list) else [answer]:
            if isinstance(item, str):
                chosen.add((step_id, item))
    return chosen


def _usable_results(results: Results, index: CategoryIndex) -> Results:
    tie_break = tuple(item for item in results.tie_break if index.kind(item.lstrip("-")) is not None)
    diversity = results.diversity
    if diversity is not None and index.kind(diversity.attribute) not in ("enum", "boolean"):
        diversity = None
    return Results(show=results.show, tie_break=tie_break, diversity=diversity)


def _shown(value: Any) -> str:
    """An answer as a merchandiser writes it in the file: true/false as YAML has them, not Python's True/False."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "+".join(str(item) for item in value)
    return str(value)


def examples_pass(findings: Iterable[Finding]) -> bool:
    return not any(finding.code == "A004" for finding in findings)


@dataclass(frozen=True)
class Checked:
    """A file's questionnaire (when it loads) and every finding about it."""

    path: Path
    questionnaire: Questionnaire | None
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return self.questionnaire is not None and not has_errors(self.findings)


def check_file(path: Path, dictionary: Dictionary | None, index: CatalogIndex | None, *, walk: bool = True) -> Checked:
    """Load and check one file: format, file-level checks and the catalog checks (see analyse_file)."""
    analysis = analyse_file(path, dictionary=dictionary, catalog=index, walk=walk)
    return Checked(path, analysis.questionnaire, analysis.findings)


@dataclass(frozen=True)
class FileReport:
    """What checking one file found (plain data: it crosses process boundaries)."""

    path: Path
    questionnaire_id: str | None
    findings: tuple[Finding, ...]
    id_position: tuple[int, int, int, int] = (0, 0, 0, 0)  # 1-based span of the file's `id` value
    service: bool = False  # a service flow (its guide outcomes name the guides file)
    sized: bool = False  # a finder with a size block (it names the size charts file)


def _report(
    path: Path,
    dictionary: Dictionary | None,
    index: CatalogIndex | None,
    guides: Guides | None = None,
    size_charts: SizeCharts | None = None,
) -> FileReport:
    analysis = analyse_file(path, dictionary=dictionary, catalog=index, guides=guides, size_charts=size_charts)
    questionnaire = analysis.questionnaire
    span = analysis.context.span(("id",)) if analysis.context else (0, 0, 0, 0)
    return FileReport(
        path,
        questionnaire.id if questionnaire and questionnaire.id else None,
        analysis.findings,
        (span[0] + 1, span[1] + 1, span[2] + 1, span[3] + 1),
        questionnaire is not None and questionnaire.is_service,
        questionnaire is not None and questionnaire.results.size is not None,
    )


_shared: tuple[Dictionary | None, CatalogIndex | None, Guides | None, SizeCharts | None] = (None, None, None, None)


def _report_in_worker(path: Path) -> FileReport:
    return _report(path, *_shared)


def _in_workers(
    files: list[Path],
    dictionary: Dictionary | None,
    index: CatalogIndex | None,
    guides: Guides | None,
    size_charts: SizeCharts | None = None,
) -> Iterator[FileReport]:
    global _shared
    # Forked workers inherit the catalog index instead of rebuilding it.
    _shared = (dictionary, index, guides, size_charts)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(len(files), os.cpu_count() or 1), mp_context=context) as pool:
        yield from pool.map(_report_in_worker, files)
    _shared = (None, None, None, None)


def check_files(
    paths: Sequence[Path],
    dictionary: Dictionary | None,
    index: CatalogIndex | None,
    guides: Guides | None = None,
    size_charts: SizeCharts | None = None,
) -> list[FileReport]:
    """Check every file (on every core: the files are independent) and that ids are unique across them.

    `guides`: what service flows' guide outcomes name (the shipped guides when None); `size_charts`: what size
    blocks are checked against (the shipped size charts when None).
    """
    files = questionnaire_files(paths)
    parallel = len(files) > 2 and (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()
    results = (
        list(_in_workers(files, dictionary, index, guides, size_charts))
        if parallel
        else [_report(p, dictionary, index, guides, size_charts) for p in files]
    )
    first: dict[str, Path] = {}
    for i, result in enumerate(results):
        if result.questionnaire_id is None:
            continue
        other = first.setdefault(result.questionnaire_id, result.path)
        if other != result.path:
            line, column, end_line, end_column = result.id_position
            duplicate = Finding(
                str(result.path),
                line,
                column,
                "Q005",
                ERROR,
                f"questionnaire id '{result.questionnaire_id}' is also used by {other}; rename one",
                end_line,
                end_column,
            )
            results[i] = replace(result, findings=(*result.findings, duplicate))
    return results
