"""What the merchandisers' QA walk found in the report: steps no longer in the questionnaire, the changed
questionnaire's line, comments dated on the store's clock, and service runs that never reached an outcome."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from advisor.insights.events import Event, leave_comment, read_comments
from advisor.insights.report import build_report, changed_text, read_report
from advisor.insights.service import SERVICE_OUTCOMES, service_figures
from advisor.questionnaire.library import load_library
from advisor.rendering.report import render_report
from tests.helpers.service import shipped_flow

LIBRARY = load_library().questionnaires
TENTS = LIBRARY["tent-finder"]
T0 = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def old_run(run: str, answers: dict[str, Any], version: str = "oldversion") -> list[Event]:
    """A run logged with an older tent finder: some of its steps are not in today's."""
    events = [Event("started", TENTS.id, T0, run, version)]
    for step_id, value in answers.items():
        events.append(Event("step_shown", TENTS.id, T0, run, version, step_id=step_id))
        events.append(Event("step_answered", TENTS.id, T0, run, version, step_id=step_id, value=value))
    return events


def funnel(html: str) -> dict[str, tuple[str, str]]:
    """Each funnel row by its step: the question as shown and its answers as text."""
    rows = re.findall(r'<tr data-step="([^"]+)"><td>([^<]*)<td>\d+<td>[^<]*<td>(.*)', html)
    return {step: (question, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answers)).strip())
            for step, question, answers in rows}  # fmt: skip


def test_a_step_no_longer_in_the_questionnaire_is_marked_and_its_yes_no_reads_as_such() -> None:
    stream = [
        *old_run("r1", {"region": "mild", "ground_sheet": True, "weight_pref_old": "high", "pegs": 12}),
        *old_run("r2", {"region": "mild", "ground_sheet": False, "weight_pref_old": "high", "pegs": 12}),
        *old_run("r3", {"region": "mild", "ground_sheet": True}),
    ]
    for locale, marked, yes, no, twelve in (
        ("de", "(nicht mehr im Fragebogen)", "Ja", "Nein", "12"),
        ("en", "(no longer in the questionnaire)", "Yes", "No", "12"),
    ):
        report = build_report(stream, {TENTS.id: TENTS}, {}, locale=locale)
        steps = {step.step_id: step for step in report.questionnaires[0].steps}
        assert steps["ground_sheet"].question == f"ground_sheet {marked}", "no question text in the events: the id"
        assert dict(steps["ground_sheet"].answers) == {yes: 2, no: 1}
        assert steps["weight_pref_old"].question == f"weight_pref_old {marked}"
        assert dict(steps["weight_pref_old"].answers) == {"high": 2}, "an old option id is not mapped to a new one"
        assert dict(steps["pegs"].answers) == {twelve: 2}
        assert steps["region"].question == TENTS.step("region").question[locale], "today's steps as before"
        rows = funnel(render_report(report))
        assert rows["ground_sheet"] == (f"ground_sheet {marked}", f"{yes} 2 {no} 1")
        assert "True" not in rows["ground_sheet"][1] and "False" not in rows["ground_sheet"][1]


def test_the_changed_questionnaire_line_is_one_text_for_the_report_and_the_console() -> None:
    stream = [*old_run("r1", {"region": "mild"}), *old_run("r2", {"region": "mild"}, version=TENTS.version)]
    report = build_report(stream, {TENTS.id: TENTS}, {}, locale="de")
    figures = report.questionnaires[0]
    line = changed_text(figures, "de")
    assert line.startswith("Der Fragebogen wurde in diesem Zeitraum geändert (2 Fassungen)")
    assert f'data-notice="questionnaire_changed">{line}</p>' in render_report(report).replace("&#34;", '"')
    unchanged = build_report(old_run("r2", {"region": "mild"}, version=TENTS.version), {TENTS.id: TENTS}, {})
    assert changed_text(unchanged.questionnaires[0], "de") == ""


def test_comments_are_dated_on_the_stores_day_in_the_reports_format_and_named_by_title(engine: Engine) -> None:
    for when, words in ((datetime(2026, 11, 1, 0, 30, tzinfo=BERLIN), "left just after midnight"),
                        (datetime(2026, 11, 30, 23, 30, tzinfo=BERLIN), "left just before midnight")):  # fmt: skip
        leave_comment(engine, questionnaire_id=TENTS.id, grade=2, scale="grades", about="advice", comment=words,
                      now=when.astimezone(UTC))  # fmt: skip
    assert all(comment["at"].tzinfo is not None for comment in read_comments(engine))
    start = datetime(2026, 11, 1, tzinfo=BERLIN).astimezone(UTC)
    end = datetime(2026, 12, 1, tzinfo=BERLIN).astimezone(UTC)
    for locale, first, last in (("de", "01.11.2026", "30.11.2026"), ("en", "1 Nov 2026", "30 Nov 2026")):
        report = read_report(engine, questionnaires=LIBRARY, products_by_category={}, locale=locale, start=start,
                             end=end, now=datetime(2026, 12, 5, tzinfo=UTC), zone=BERLIN)  # fmt: skip
        html = render_report(report)
        rows = re.findall(r"<tr><td>([^<]*)<td>([^<]*)<td>(\d)<td>([^<\n]*)", html.split("<h2>", 1)[1])
        title = TENTS.title[locale]
        assert (first, title, "2", "left just after midnight") in rows, rows
        assert (last, title, "2", "left just before midnight") in rows, rows
        assert "2026-10-31" not in html and "2026-11-30" not in html


def service_run(run: str, *, outcome: bool, at: datetime = T0) -> list[Event]:
    flow = shipped_flow("tent-help.yaml")
    problem = flow.problem_step or ""
    events = [
        Event("started", flow.id, at, run, flow.version),
        Event("step_shown", flow.id, at, run, flow.version, step_id=problem),
    ]
    if outcome:
        events += [
            Event("step_answered", flow.id, at, run, flow.version, step_id=problem, value="leak"),
            Event(
                SERVICE_OUTCOMES,
                flow.id,
                at,
                run,
                flow.version,
                step_id=problem,
                value={
                    "problem": ["leak"],
                    "category": "tents",
                    "sku": None,
                    "outcomes": ["seam-guide"],
                    "resolution": "self_help",
                },
                number=1.0,
            ),  # fmt: skip
        ]
    else:
        events.append(Event("abandoned", flow.id, at, run, flow.version, step_id=problem))
    return events


def test_service_runs_that_stopped_before_an_outcome_count_as_started() -> None:
    flow = shipped_flow("tent-help.yaml")
    flows = {flow.id: flow}
    stream = [event for i in range(4) for event in service_run(f"s{i}", outcome=i < 3)]
    figures = service_figures(stream, flows)
    assert figures.runs == 3 and figures.started == {flow.id: 4} and figures.reached == {flow.id: 3}
    for locale, base, reach in (("de", "von 4 begonnenen (75\u00a0%)", "3 (75\u00a0%)"),
                                ("en", "of 4 started (75%)", "3 (75%)")):  # fmt: skip
        report = build_report(stream, {}, {}, locale=locale, service_flows=flows)
        section = report.service_section
        assert section is not None and (section.started, section.reached, section.runs) == (4, 3, 3)
        html = render_report(report)
        assert 'data-figure="service_started">4<' in html and 'data-figure="service_reached">3<' in html
        assert base in html
        assert f"<tr><td>{flow.title[locale]}<td>4<td>{reach}" in html
    only_left = build_report(service_run("gone", outcome=False), {}, {}, locale="de", service_flows=flows)
    html = render_report(only_left)
    assert 'data-figure="service_started">1<' in html and 'data-figure="service_reached">0<' in html
    assert "Keine Service-Beratung in diesem Zeitraum." not in html, "a run left early is a service consultation too"


def test_a_service_run_started_before_the_period_is_not_counted_as_reached() -> None:
    flow = shipped_flow("tent-help.yaml")
    events = [e for e in service_run("early", outcome=True) if e.kind != "started"]  # its start lies before
    figures = service_figures(events, {flow.id: flow})
    assert figures.runs == 1 and figures.started.total() == 0 and figures.reached.total() == 0


def test_a_service_run_keeps_out_of_the_finders_whatever_its_stop() -> None:
    flow = shipped_flow("tent-help.yaml")
    report = build_report(service_run("x", outcome=False, at=T0 + timedelta(hours=1)), {TENTS.id: TENTS}, {},
                          service_flows={flow.id: flow})  # fmt: skip
    assert [q.questionnaire_id for q in report.questionnaires] == [TENTS.id]
