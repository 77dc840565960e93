"""What a questionnaire means for the catalog: walk every answer path, run the file's examples; `advisor check`.

The walk answers the steps in path order, trying every option ("doesn't matter" too), each option of a
multiple-choice step on its own, and a grid of values for number steps. It prunes a branch when the same
step is reached with the same remaining products and the same answers that later steps still look at, so
large catalogs stay cheap: the remaining product sets shrink fast. Checking files runs the file-level checks
(questionnaire/) and then this audit, one file per core.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from advisor import engine
from advisor.catalog.dictionary import Dictionary
from advisor.engine import InvalidAnswer, SessionState
from advisor.expressions import evaluate_columns
from advisor.i18n import pick
from advisor.questionnaire.checks import check_questionnaire, unique
from advisor.questionnaire.files import questionnaire_files
from advisor.questionnaire.findings import ERROR, WARNING, Finding, has_errors
from advisor.questionnaire.load import load_file
from advisor.questionnaire.model import DONT_CARE, Example, Questionnaire, Requirement, Step
from advisor.recommend.core import recommend
from advisor.recommend.index import CatalogIndex, CategoryIndex, Mask

MAX_NUMBER_VALUES = 12


@dataclass
class WalkReport:
    """What the path walk found."""

    nodes: int = 0
    leaves: int = 0
    pruned: int = 0
    shortest_empty: dict[str, Any] | None = None
    useless_options: list[tuple[Step, str]] = field(default_factory=list)
    never_recommended: list[str] = field(default_factory=list)
    truncated: bool = False


def candidate_answers(step: Step) -> list[Any]:
    """The answers the walk tries for a step."""
    answers: list[Any]
    if step.kind == "single":
        answers = [option.id for option in step.options]
    elif step.kind == "multiple":
        answers = [(option.id,) for option in step.options]
    elif step.kind == "yes_no":
        answers = [True, False]
    else:
        low, high = step.min if step.min is not None else 0, step.max if step.max is not None else 0
        stride = step.step or 1
        grid = [low + i * stride for i in range(int(round((high - low) / stride)) + 1)]
        if len(grid) > MAX_NUMBER_VALUES:
            picks = np.linspace(0, len(grid) - 1, MAX_NUMBER_VALUES).round().astype(int)
            grid = sorted({grid[i] for i in picks} | ({step.default} if step.default is not None else set()))
        answers = [int(v) if float(v).is_integer() else v for v in grid]
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
    def __init__(self, questionnaire: Questionnaire, index: CategoryIndex, max_nodes: int) -> None:
        self.questionnaire = questionnaire
        self.index = index
        self.max_nodes = max_nodes
        self.report = WalkReport()
        self.seen: set[tuple[Any, ...]] = set()
        self.mask_cache: dict[tuple[Any, ...], Mask] = {}
        self.position = {step.id: i for i, step in enumerate(questionnaire.steps)}
        self.later = _later_names(questionnaire)
        self.changed: dict[tuple[str, str], bool] = {}
        self.fitting = np.zeros(index.size, dtype=bool)

    def requirement_mask(self, requirement: Requirement, values: Mapping[str, Any]) -> Mask:
        names = tuple(sorted(requirement.expression.names & set(self.position)))
        key = (requirement.key, tuple(_hashable(values.get(name)) for name in names))
        mask = self.mask_cache.get(key)
        if mask is None:
            mask = evaluate_columns(requirement.expression, values, self.index)
            self.mask_cache[key] = mask
        return mask

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

    def walk(self, answers: dict[str, Any], passing: Mask, depth: int, fitting: int | None = None) -> None:
        self.report.nodes += 1
        if self.report.nodes > self.max_nodes:
            self.report.truncated = True
            return
        path, values = engine.walk(self.questionnaire, answers)
        pending = next((step_id for step_id in path if step_id not in answers), None)
        if pending is None:
            self.leaf(passing)
            return
        step = self.questionnaire.step(pending)
        later = self.later[self.position[pending] + 1] if self.position[pending] + 1 < len(self.later) else set()
        before = int(np.count_nonzero(passing)) if fitting is None else fitting
        for answer in candidate_answers(step):
            trial = {**answers, step.id: answer}
            # The new answer is the last one on the known path: the earlier answers' values do not change.
            trial_values = {**values, step.id: engine.answer_value(step, answer)}
            mask = self.step_mask(step, answer, trial_values)
            after = passing if mask is None else passing & mask
            count = before if mask is None else int(np.count_nonzero(after))  # after is a subset of passing
            if step.kind in ("single", "multiple") and answer != DONT_CARE:
                option = answer if step.kind == "single" else answer[0]
                self.changed[(step.id, option)] = self.changed.get((step.id, option), False) or count != before
            if count == 0:
                if self.report.shortest_empty is None or len(trial) < len(self.report.shortest_empty):
                    self.report.shortest_empty = trial
                continue
            key = (
                step.id,
                np.packbits(after).tobytes(),
                tuple(_hashable(trial_values.get(n)) for n in sorted(later)),
            )
            if key in self.seen:
                self.report.pruned += 1
                continue
            self.seen.add(key)
            self.walk(trial, after, depth + 1, count)

    def leaf(self, passing: Mask) -> None:
        self.report.leaves += 1
        self.fitting |= passing


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def walk_paths(questionnaire: Questionnaire, index: CategoryIndex, *, max_nodes: int = 200_000) -> WalkReport:
    """Walk every answer path against the category's products."""
    walker = _Walker(questionnaire, index, max_nodes)
    walker.walk({}, np.ones(index.size, dtype=bool), 0)
    report = walker.report
    looked_at = walker.later[0] if walker.later else set()  # steps whose answers expressions or weights use
    for step in questionnaire.steps:
        if step.id in looked_at:
            continue
        for option in step.options:
            key = (step.id, option.id)
            if key in walker.changed and not walker.changed[key] and not option.prefers:
                report.useless_options.append((step, option.id))
    # Exact despite the pruning (branches are pruned by their product set): a product that fits no answer
    # path can never be recommended. (Whether one that fits is always outranked is not decided here.)
    report.never_recommended = sorted(index.skus[~walker.fitting].tolist())
    return report


def state_for(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> SessionState:
    """A session with these answers given in path order (answers of steps off the path are ignored)."""
    state = engine.start(questionnaire)
    given = {key: tuple(value) if isinstance(value, list) else value for key, value in answers.items()}
    while state.current is not None and state.current in given:
        state = engine.answer(questionnaire, state, state.current, given[state.current])
    return state


def run_example(questionnaire: Questionnaire, index: CategoryIndex, example: Example) -> list[str]:
    """What fails in one example (empty when it holds)."""
    try:
        state = state_for(questionnaire, example.answers)
    except InvalidAnswer as error:
        return [str(error)]
    result = recommend(index=index, questionnaire=questionnaire, state=state, locale="en", show=example.top)
    top = [item.sku for item in result.products[: example.top]]
    failures = []
    for sku in example.include:
        if sku not in index.position:
            failures.append(f"{sku} is not a product of {questionnaire.category}")
        elif sku not in top:
            failures.append(f"{sku} is not among the first {example.top} (they are: {', '.join(top) or 'none'})")
    failures += [f"{sku} is among the first {example.top}" for sku in example.exclude if sku in top]
    if example.count_at_least is not None and result.count < example.count_at_least:
        failures.append(f"{result.count} products fit, fewer than {example.count_at_least}")
    if example.no_match and result.count:
        failures.append(f"{result.count} products fit, but no product should")
    return failures


def audit(questionnaire: Questionnaire, index: CategoryIndex, file: str) -> list[Finding]:
    """Catalog-level findings: the path walk and the examples."""
    findings = []
    report = walk_paths(questionnaire, index)
    if report.shortest_empty is not None:
        answers = ", ".join(f"{step}={_shown(value)}" for step, value in report.shortest_empty.items())
        findings.append(Finding(file, 1, 1, "A001", WARNING, f"no product fits after: {answers}"))
    for step, option_id in report.useless_options:
        findings.append(
            Finding(file, step.position[0], step.position[1], "A002", WARNING,
                    f"option '{option_id}' of step '{step.id}' never changes which products fit")
        )  # fmt: skip
    if report.never_recommended and not report.truncated:
        shown = ", ".join(report.never_recommended[:10]) + (" …" if len(report.never_recommended) > 10 else "")
        findings.append(
            Finding(file, 1, 1, "A003", WARNING,
                    f"{len(report.never_recommended)} of {index.size} {pick(index.category.label, 'en').lower()} fit "
                    f"no answer path, so they are never recommended: {shown}")
        )  # fmt: skip
    for example in questionnaire.examples:
        for failure in run_example(questionnaire, index, example):
            findings.append(
                Finding(
                    file,
                    example.position[0],
                    example.position[1],
                    "A004",
                    ERROR,
                    f"example '{example.name}': {failure}",
                )
            )
    return findings


def _shown(value: Any) -> str:
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
    """Load and check one file: format, file-level checks, then (when those pass) the catalog audit."""
    loaded = load_file(path)
    findings = list(loaded.findings)
    questionnaire = loaded.questionnaire
    if questionnaire is not None:
        findings += check_questionnaire(questionnaire, dictionary, str(path))
        category = index.categories.get(questionnaire.category) if index else None
        if walk and category is not None and not has_errors(findings):
            findings += audit(questionnaire, category, str(path))
    return Checked(path, questionnaire, tuple(unique(findings)))


@dataclass(frozen=True)
class FileReport:
    """What checking one file found (plain data: it crosses process boundaries)."""

    path: Path
    questionnaire_id: str | None
    findings: tuple[Finding, ...]


def _report(path: Path, dictionary: Dictionary | None, index: CatalogIndex | None) -> FileReport:
    checked = check_file(path, dictionary, index)
    return FileReport(path, checked.questionnaire.id if checked.questionnaire else None, checked.findings)


_shared: tuple[Dictionary | None, CatalogIndex | None] = (None, None)


def _report_in_worker(path: Path) -> FileReport:
    return _report(path, *_shared)


def check_files(paths: Sequence[Path], dictionary: Dictionary | None, index: CatalogIndex | None) -> list[FileReport]:
    """Check every file (on every core: the path walks are independent) and that ids are unique across them."""
    global _shared
    files = questionnaire_files(paths)
    workers = min(len(files), os.cpu_count() or 1)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        # Forked workers inherit the catalog index instead of rebuilding it.
        _shared = (dictionary, index)
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(_report_in_worker, files))
        _shared = (None, None)
    else:
        results = [_report(path, dictionary, index) for path in files]
    first: dict[str, Path] = {}
    for i, result in enumerate(results):
        if result.questionnaire_id is None:
            continue
        other = first.setdefault(result.questionnaire_id, result.path)
        if other != result.path:
            duplicate = Finding(str(result.path), 1, 1, "Q005", ERROR,
                                f"questionnaire id '{result.questionnaire_id}' is also used by {other}")  # fmt: skip
            results[i] = FileReport(result.path, result.questionnaire_id, (*result.findings, duplicate))
    return results
