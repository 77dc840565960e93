"""The merchandisers' figures, computed from the event log: one computation for the HTML report and the app.

Definitions (docs/insights.md says the same):
- a run is one shopper's advice from start to results (or giving up); `started` counts runs with a start;
- a step is *reached* by the runs that were shown it; its drop-off is the runs that gave up there (it was the
  last step they were shown and they never saw results) divided by the runs that reached it, so conditional
  steps are measured against the shoppers who actually got them;
- the answer distribution counts each run's last answer to a step;
- an assortment gap is the combination of answers at a moment the results showed no product;
- a product is recommended in a run when it was among the products shown.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from advisor.i18n import pick, text
from advisor.insights.events import Event
from advisor.questionnaire.model import DONT_CARE, Questionnaire, Step


@dataclass(frozen=True)
class StepFigures:
    step_id: str
    question: str
    reached: int
    answered: int
    dropped: int
    answers: tuple[tuple[str, int], ...]

    @property
    def drop_rate(self) -> float:
        return self.dropped / self.reached if self.reached else 0.0


@dataclass(frozen=True)
class Rating:
    scale: str
    counts: tuple[tuple[int, int], ...]  # grade -> count, best first

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)

    @property
    def rows(self) -> list[tuple[str, int]]:
        return [(str(grade), count) for grade, count in self.counts]

    @property
    def top_share(self) -> float:
        return self.counts[0][1] / self.total if self.total else 0.0


@dataclass(frozen=True)
class QuestionnaireFigures:
    questionnaire_id: str
    title: str
    started: int
    completed: int
    steps: tuple[StepFigures, ...]
    gaps: tuple[tuple[str, int], ...]  # the ten most frequent combinations
    gap_runs: int  # runs that were shown no product at least once
    relaxations: tuple[tuple[str, int], ...]
    most_recommended: tuple[tuple[str, str, int], ...]  # name, sku, runs
    never_recommended: tuple[tuple[str, str], ...]
    handoff_runs: int
    waits: tuple[float, ...]
    rating: Rating
    contact_rating: Rating

    @property
    def funnel_rows(self) -> list[tuple[str, int]]:
        return [(step.question, step.reached) for step in self.steps]

    @property
    def most_rows(self) -> list[tuple[str, int]]:
        return [(name, count) for name, _, count in self.most_recommended]

    @property
    def abandoned(self) -> int:
        return self.started - self.completed

    @property
    def completion_rate(self) -> float:
        return self.completed / self.started if self.started else 0.0

    @property
    def handoff_rate(self) -> float:
        return self.handoff_runs / self.started if self.started else 0.0

    @property
    def median_wait(self) -> float | None:
        return statistics.median(self.waits) if self.waits else None

    @property
    def p90_wait(self) -> float | None:
        if not self.waits:
            return None
        ordered = sorted(self.waits)
        return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


@dataclass(frozen=True)
class Report:
    start: datetime | None
    end: datetime | None
    locale: str
    events: int
    questionnaires: tuple[QuestionnaireFigures, ...]
    comments: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)


def answer_label(step: Step | None, value: Any, locale: str) -> list[str]:
    """The labels one stored answer counts under (a multiple choice counts under each chosen option)."""
    if value == DONT_CARE:
        return [text("answer.dont_care", locale)]
    if step is None:
        return [str(value)]
    if step.kind == "multiple" and isinstance(value, list | tuple):
        return [pick(option.label, locale) if (option := step.option(str(item))) else str(item) for item in value]
    if step.kind == "single":
        option = step.option(str(value))
        return [pick(option.label, locale) if option else str(value)]
    if step.kind == "yes_no":
        return [text("answer.yes" if value else "answer.no", locale)]
    if isinstance(value, int | float) and step.min is not None and step.max is not None and step.max > step.min:
        low, width = _bins(step)
        start = low + width * min(int((value - low) // width), NUMBER_BINS - 1)
        return [f"{start:g}–{min(start + width, step.max):g}"]
    return [f"{value:g}" if isinstance(value, int | float) else str(value)]


NUMBER_BINS = 6


def _bins(step: Step) -> tuple[float, float]:
    """Equal ranges for a number step's answers (so 60 different heights read as six bars)."""
    assert step.min is not None and step.max is not None
    span = step.max - step.min
    width = span / NUMBER_BINS
    if width >= 1:
        width = float(round(width + 0.4999))
    return step.min, width


def _step(questionnaire: Questionnaire | None, step_id: str | None) -> Step | None:
    if questionnaire is None or step_id is None:
        return None
    try:
        return questionnaire.step(step_id)
    except KeyError:
        return None


def _constraint_label(questionnaire: Questionnaire | None, key: str, locale: str) -> str:
    step_id, _, option_id = str(key).partition(".")
    step = _step(questionnaire, step_id)
    if step is None:
        return str(key)
    question = pick(step.question, locale).rstrip("?")
    if option_id and (option := step.option(option_id)):
        return f"{question}: {pick(option.label, locale)}"
    return question


def _rating(events: Iterable[Event], about: str) -> Rating:
    scale = "grades"
    counts: Counter[int] = Counter()
    for event in events:
        if event.kind == "feedback" and isinstance(event.value, dict) and event.value.get("about") == about:
            scale = str(event.value.get("scale", "grades"))
            counts[int(event.number or 0)] += 1
    grades = range(1, 7) if scale == "grades" else range(5, 0, -1)  # best first
    return Rating(scale, tuple((grade, counts.get(grade, 0)) for grade in grades))


def questionnaire_figures(
    questionnaire_id: str,
    events: Sequence[Event],
    questionnaire: Questionnaire | None,
    products: Sequence[tuple[str, str]],
    locale: str,
) -> QuestionnaireFigures:
    """The figures of one questionnaire from its events (in time order)."""
    runs: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.run is not None:
            runs[event.run].append(event)
    started = {run for run, items in runs.items() if any(e.kind == "started" for e in items)}
    completed = {run for run in started if any(e.kind == "completed" for e in runs[run])}
    reached: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    distribution: dict[str, Counter[str]] = defaultdict(Counter)
    gaps: Counter[str] = Counter()
    relaxations: Counter[str] = Counter()
    recommended: Counter[str] = Counter()
    handoff_runs: set[str] = set()
    gap_runs = 0
    for run in started:
        items = runs[run]
        shown = [e.step_id for e in items if e.kind == "step_shown" and e.step_id]
        reached.update(set(shown))
        last_answers: dict[str, Any] = {}
        seen_products: set[str] = set()
        run_gaps: set[str] = set()
        for event in items:
            if event.kind == "step_answered" and event.step_id:
                last_answers[event.step_id] = event.value
            elif event.kind == "results_shown":
                seen_products.update(str(sku) for sku in (event.value or []))
                if event.number == 0:
                    combination = " · ".join(
                        f"{pick(step.question, locale).rstrip('?')}: {', '.join(answer_label(step, value, locale))}"
                        if (step := _step(questionnaire, step_id)) else f"{step_id}: {value}"
                        for step_id, value in sorted(last_answers.items(), key=lambda kv: _order(questionnaire, kv[0]))
                    )  # fmt: skip
                    run_gaps.add(combination)
            elif event.kind == "relaxation_applied":
                keys = event.value if isinstance(event.value, list) else [event.value]
                relaxations[" + ".join(_constraint_label(questionnaire, key, locale) for key in keys)] += 1
            elif event.kind == "handoff_requested":
                handoff_runs.add(run)
        gaps.update(run_gaps)
        gap_runs += bool(run_gaps)
        answered.update(last_answers.keys())
        for step_id, value in last_answers.items():
            for label in answer_label(_step(questionnaire, step_id), value, locale):
                distribution[step_id][label] += 1
        recommended.update(seen_products)
        if run not in completed and shown:
            dropped[shown[-1]] += 1
    steps = tuple(
        StepFigures(
            step_id=step_id,
            question=pick(step.question, locale) if (step := _step(questionnaire, step_id)) else step_id,
            reached=reached[step_id],
            answered=answered[step_id],
            dropped=dropped[step_id],
            answers=_ordered(step, distribution[step_id]),
        )  # fmt: skip
        for step_id in sorted(reached, key=lambda step_id: _order(questionnaire, step_id))
    )
    names = dict(products)
    waits = tuple(float(e.number) for e in events if e.kind == "handoff_claimed" and e.number is not None)
    return QuestionnaireFigures(
        questionnaire_id=questionnaire_id,
        title=pick(questionnaire.title, locale) if questionnaire else questionnaire_id,
        started=len(started),
        completed=len(completed),
        steps=steps,
        gaps=tuple(gaps.most_common(10)),
        gap_runs=gap_runs,
        relaxations=tuple(relaxations.most_common(10)),
        most_recommended=tuple((names.get(sku, sku), sku, count) for sku, count in recommended.most_common(10)),
        never_recommended=tuple((name, sku) for sku, name in products if sku not in recommended),
        handoff_runs=len(handoff_runs),
        waits=waits,
        rating=_rating(events, "advice"),
        contact_rating=_rating(events, "contact"),
    )


def _ordered(step: Step | None, counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    """Options by how often they were chosen; number ranges in their own order."""
    if step is not None and step.kind == "number":
        return tuple(sorted(counts.items(), key=lambda item: float(item[0].split("–")[0])))
    return tuple(counts.most_common())


def _order(questionnaire: Questionnaire | None, step_id: str) -> tuple[int, str]:
    if questionnaire is None:
        return (0, step_id)
    return (questionnaire.positions.get(step_id, len(questionnaire.steps)), step_id)


def build_report(
    events: Iterable[Event],
    questionnaires: Mapping[str, Questionnaire],
    products_by_category: Mapping[str, Sequence[tuple[str, str]]],
    *,
    locale: str = "de",
    start: datetime | None = None,
    end: datetime | None = None,
    comments: Sequence[Mapping[str, Any]] = (),
) -> Report:
    """All figures for the period: one block per questionnaire that has events (or is offered)."""
    by_questionnaire: dict[str, list[Event]] = defaultdict(list)
    count = 0
    for event in events:
        by_questionnaire[event.questionnaire_id].append(event)
        count += 1
    ids = sorted(set(by_questionnaire) | set(questionnaires))
    figures = tuple(
        questionnaire_figures(
            questionnaire_id,
            by_questionnaire.get(questionnaire_id, []),
            questionnaires.get(questionnaire_id),
            products_by_category.get(questionnaires[questionnaire_id].category, ())
            if questionnaire_id in questionnaires
            else (),
            locale,
        )  # fmt: skip
        for questionnaire_id in ids
    )
    return Report(start, end, locale, count, figures, tuple(comments))
