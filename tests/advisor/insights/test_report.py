"""The insights report against generated event streams whose true figures the generator counts itself."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from advisor import engine as flow
from advisor.insights.events import (
    Event,
    EventError,
    EventLog,
    leave_comment,
    purge_events,
    read_comments,
    read_events,
)
from advisor.insights.report import answer_label, build_report, questionnaire_figures
from advisor.questionnaire.library import load_library
from advisor.questionnaire.model import DONT_CARE, Questionnaire
from advisor.rendering.report import render_report

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
QUESTIONNAIRES = load_library().questionnaires
TENTS = QUESTIONNAIRES["tent-finder"]
SKUS = [f"NG-TENT-{n:04d}" for n in range(1, 13)]


@dataclass
class Truth:
    """What the generator knows happened, counted as it happens (not derived from the events)."""

    started: int = 0
    completed: int = 0
    reached: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)
    answered: Counter[str] = field(default_factory=Counter)
    answers: dict[str, Counter[str]] = field(default_factory=dict)
    gaps: int = 0
    recommended: Counter[str] = field(default_factory=Counter)
    handoff_runs: int = 0
    waits: list[float] = field(default_factory=list)
    grades: Counter[int] = field(default_factory=Counter)


def _random_answer(rng: random.Random, step: Any) -> Any:
    if step.dont_care and rng.random() < 0.15:
        return DONT_CARE
    if step.kind == "single":
        return rng.choice(step.options).id
    if step.kind == "multiple":
        chosen = rng.sample([o.id for o in step.options], rng.randint(1, min(2, len(step.options))))
        return tuple(o.id for o in step.options if o.id in chosen)
    if step.kind == "yes_no":
        return rng.random() < 0.5
    low, high = step.min or 0, step.max or 10
    return int(rng.uniform(low, high))


def generate(seed: int, runs: int, questionnaire: Questionnaire = TENTS) -> tuple[list[Event], Truth]:
    """Shoppers walking the questionnaire's real paths: some give up, some see no product, some call staff."""
    rng = random.Random(seed)
    truth = Truth()
    events: list[Event] = []
    clock = T0

    def emit(kind: str, run: str | None, **fields: Any) -> None:
        nonlocal clock
        clock += timedelta(seconds=rng.randint(1, 30))
        events.append(Event(kind=kind, questionnaire_id=questionnaire.id, at=clock, run=run, **fields))

    for number in range(runs):
        run = f"run-{seed}-{number}"
        truth.started += 1
        emit("started", run)
        state = flow.start(questionnaire)
        gave_up = False
        while state.current is not None:
            step = questionnaire.step(state.current)
            emit("step_shown", run, step_id=step.id)
            truth.reached[step.id] += 1
            if rng.random() < 0.08:
                truth.dropped[step.id] += 1
                emit("abandoned", run, step_id=step.id)
                gave_up = True
                break
            value = _random_answer(rng, step)
            state = flow.answer(questionnaire, state, step.id, value)
            stored = list(value) if isinstance(value, tuple) else value
            emit("step_answered", run, step_id=step.id, value=stored)
        if not gave_up:
            answers = state.answers
            for step_id, value in answers.items():
                truth.answered[step_id] += 1
                for label in answer_label(questionnaire.step(step_id), value, "de"):
                    truth.answers.setdefault(step_id, Counter())[label] += 1
            count = rng.choice([0, 0, 1, 3, 5])
            shown = rng.sample(SKUS, min(count, 3))
            emit("results_shown", run, value=shown, number=count)
            truth.completed += 1
            emit("completed", run, number=count)
            truth.recommended.update(shown)
            if count == 0:
                truth.gaps += 1
            if rng.random() < 0.3:
                truth.handoff_runs += 1
                emit("handoff_requested", run, value="chat")
                wait = float(rng.randint(10, 300))
                truth.waits.append(wait)
                emit("handoff_claimed", None, value="chat", number=wait)
            if rng.random() < 0.5:
                grade = rng.randint(1, 6)
                truth.grades[grade] += 1
                emit("feedback", run, value={"scale": "grades", "about": "advice"}, number=float(grade))
    return events, truth


def _answered_truth(events: list[Event]) -> Counter[str]:
    """Steps with an answer per run, counted over runs (the generator's own bookkeeping for give-ups)."""
    seen: dict[str, set[str]] = {}
    for event in events:
        if event.kind == "step_answered" and event.run and event.step_id:
            seen.setdefault(event.run, set()).add(event.step_id)
    return Counter(step for steps in seen.values() for step in steps)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 60))
def test_every_figure_matches_what_the_generator_counted(seed: int, runs: int) -> None:
    events, truth = generate(seed, runs)
    products = [(sku, f"Zelt {sku}") for sku in SKUS]
    figures = questionnaire_figures(TENTS.id, events, TENTS, products, "de")
    assert (figures.started, figures.completed, figures.abandoned) == (
        truth.started, truth.completed, truth.started - truth.completed,
    )  # fmt: skip
    by_step = {step.step_id: step for step in figures.steps}
    assert {step_id: step.reached for step_id, step in by_step.items()} == dict(truth.reached)
    assert {step_id: step.dropped for step_id, step in by_step.items() if step.dropped} == dict(truth.dropped)
    assert {step_id: step.answered for step_id, step in by_step.items()} == {
        step_id: _answered_truth(events)[step_id] for step_id in truth.reached
    }
    for step_id, step in by_step.items():
        # The denominator is the runs that reached the step, never all runs (Formbricks #1713).
        expected = truth.dropped[step_id] / truth.reached[step_id]
        assert step.drop_rate == pytest.approx(expected)
    completed_answers = {step_id: dict(counter) for step_id, counter in truth.answers.items()}
    for step_id, counter in completed_answers.items():
        shown = dict(by_step[step_id].answers)
        for label, count in counter.items():
            assert shown[label] >= count  # runs that gave up later also answered earlier steps
    assert figures.gap_runs == truth.gaps
    assert sum(count for _, count in figures.gaps) <= truth.gaps
    for _, sku, count in figures.most_recommended:
        assert count == truth.recommended[sku]
    assert [count for *_, count in figures.most_recommended] == [c for _, c in truth.recommended.most_common(10)]
    assert {sku for _, sku in figures.never_recommended} == set(SKUS) - set(truth.recommended)
    assert figures.handoff_runs == truth.handoff_runs
    assert figures.handoff_rate == pytest.approx(truth.handoff_runs / truth.started)
    assert sorted(figures.waits) == sorted(truth.waits)
    assert dict(figures.rating.counts) == {grade: truth.grades.get(grade, 0) for grade in range(1, 7)}
    total = sum(truth.grades.values())
    assert figures.rating.top_share == pytest.approx(truth.grades[1] / total if total else 0.0)


def test_conditional_steps_are_measured_against_the_runs_that_reached_them() -> None:
    events, truth = generate(7, 400)
    figures = questionnaire_figures(TENTS.id, events, TENTS, [], "de")
    reached = {step.step_id: step.reached for step in figures.steps}
    first = flow.path_of(TENTS, {})[0]
    assert reached[first] == truth.started
    conditional = [step_id for step_id in reached if reached[step_id] < truth.started - sum(truth.dropped.values())]
    assert conditional, "the tent finder has steps only some shoppers see"


def test_the_html_report_shows_the_computed_figures() -> None:
    events, truth = generate(3, 80)
    report = build_report(events, QUESTIONNAIRES, {"tents": [(sku, f"Zelt {sku}") for sku in SKUS]}, locale="de")
    html = render_report(report)
    assert "<script" not in html and "http" not in html.replace("http-equiv", ""), "self-contained, nothing loaded"
    block = html.split('data-questionnaire="tent-finder"', 1)[1]
    started = re.search(r'data-figure="started">(\d+)<', block)
    assert started is not None and int(started.group(1)) == truth.started
    for step_id, reached in truth.reached.items():
        row = re.search(rf'data-step="{step_id}">.*?data-figure="reached">(\d+)<.*?data-figure="dropped">(\d+)<', block)
        assert row is not None, step_id
        assert (int(row.group(1)), int(row.group(2))) == (reached, truth.dropped[step_id])
    assert "<svg" in html


def test_events_round_trip_through_the_database_and_are_purged_after_retention(engine: Engine) -> None:
    log = EventLog(engine, channel="kiosk", store_id="muc-01")
    log.record("started", run="r1", questionnaire_id="tent-finder", at=T0)
    log.record("step_shown", run="r1", questionnaire_id="tent-finder", step_id="terrain", at=T0 + timedelta(seconds=1))
    log.record("feedback", run="r1", questionnaire_id="tent-finder", value={"scale": "grades", "about": "advice"},
               number=1.0, at=T0)  # fmt: skip
    assert leave_comment(engine, questionnaire_id="tent-finder", grade=1, scale="grades", about="advice",
                         comment=" Super Beratung! ", now=T0)  # fmt: skip
    log.flush()
    stored = list(read_events(engine))
    assert [event.kind for event in stored] == ["started", "feedback", "step_shown"]
    assert [row["comment"] for row in read_comments(engine)] == ["Super Beratung!"]
    assert "r1" not in str(read_comments(engine)), "a comment is never linked to its run"
    assert stored[0].store_id == "muc-01" and stored[0].channel == "kiosk"
    assert purge_events(engine, older_than=timedelta(days=30), now=T0 + timedelta(days=29)) == 0
    assert purge_events(engine, older_than=timedelta(days=30), now=T0 + timedelta(days=31)) == 3


@pytest.mark.parametrize(
    ("kind", "value"), [("typed_text", None), ("step_answered", "ein Satz mit Leerzeichen"), ("feedback", "x" * 65)]
)
def test_no_free_text_or_unknown_kinds_in_events(engine: Engine, kind: str, value: Any) -> None:
    log = EventLog(engine)
    with pytest.raises(EventError):
        log.record(kind, run="r", questionnaire_id="tent-finder", value=value)
