"""A run started in the period that reaches its results after the period's end counts with them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from advisor.db import make_engine, upgrade
from advisor.insights.events import Event, write_events
from advisor.insights.report import LATE_OUTCOME, read_report
from advisor.rendering.report import render_report
from tests.advisor.insights.test_report import TENTS, figure

START, END = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)  # November
FIRST = TENTS.steps[0].id


def run(name: str, started: datetime, results_after: timedelta | None) -> list[Event]:
    """A tent run: started, shown the first question, and (when given) the results that long after its start."""
    stream = [Event("started", TENTS.id, started, name), Event("step_shown", TENTS.id, started, name, step_id=FIRST)]
    if results_after is not None:
        at = started + results_after
        stream += [
            Event("results_shown", TENTS.id, at, name, value=[], number=3),
            Event("completed", TENTS.id, at, name, number=3),
        ]
    return stream


def test_a_run_crossing_the_periods_end_counts_with_its_results(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'late.sqlite3'}")
    upgrade(engine)
    write_events(engine, sorted(
        run("crosses-midnight", END - timedelta(minutes=5), timedelta(minutes=10))  # results on 1 December
        + run("gave-up", END - timedelta(minutes=10), None)
        + run("back-next-day", END - timedelta(minutes=1), LATE_OUTCOME + timedelta(hours=1))  # too late to follow
        + run("in-december", END + timedelta(minutes=1), timedelta(minutes=5))  # the next period's
        + run("before", START - timedelta(minutes=2), timedelta(minutes=5)),  # October's, with results in November
        key=lambda event: event.at,
    ))  # fmt: skip
    report = read_report(
        engine, questionnaires={TENTS.id: TENTS}, products_by_category={}, locale="de", start=START, end=END,
        now=datetime(2026, 12, 5, tzinfo=UTC),
    )  # fmt: skip
    figures = report.figures(TENTS.id)
    assert figures is not None
    assert (figures.started, figures.completed) == (3, 1)
    assert figures.steps[0].dropped == 2  # "gave-up" and "back-next-day", not "crosses-midnight"
    html = render_report(report)
    assert figure(html, TENTS.id, "results") == "33\u00a0%"
    # The period before follows its runs across its end (into November) by the same rule.
    results = next(h for h in figures.headlines if h.key == "results")
    assert results.previous.startswith("Vorperiode: 100\u00a0%")
