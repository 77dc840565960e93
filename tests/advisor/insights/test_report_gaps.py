"""What a merchandiser reads in the report about "nothing fits", renamed options and periods not yet over: runs
driven through the real recommender on the sample catalog, logged as the kiosk logs them."""

from __future__ import annotations

import html as markup
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from advisor import engine as flow
from advisor.insights.events import Event, write_events
from advisor.insights.report import build_report, read_report
from advisor.questionnaire.library import load_library
from advisor.questionnaire.model import Questionnaire
from advisor.recommend import core
from advisor.recommend.index import CategoryIndex
from advisor.rendering.report import render_report
from tests.helpers.index import sample_index

LIBRARY = load_library().questionnaires
TENTS = LIBRARY["tent-finder"]
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
# The walk's six "nothing fits" runs: alpine and ultralight together (the kiosk offered "without the region: 3"
# and "without ultralight: 5"); two persons, 180 cm and "often" were incidental.
ALPINE_UL = {"region": "alpine", "frequency": "often", "persons": 2, "extra_space": False, "body_height": 180,
             "weight_importance": "ultralight", "extras": "dont_care"}  # fmt: skip
MEADOW = {**ALPINE_UL, "region": "mild", "trip": "trekking", "weight_importance": "medium"}
CONFLICT = "Region: Hochgebirge & Winter + Gewicht: Ultraleicht"


def index_for(questionnaire: Questionnaire) -> CategoryIndex:
    return sample_index(questionnaire.category)


def kiosk_run(
    run: str, answers: Mapping[str, Any], *, take: int | None = None, offers: bool = True, at: datetime = T0
) -> list[Event]:
    """One shopper's run as the kiosk logs it: the answers, the results, the relaxations offered (and the one
    taken, by its place among the offers)."""
    index = index_for(TENTS)
    events: list[Event] = []

    def emit(kind: str, **fields: Any) -> None:
        events.append(Event(kind, TENTS.id, at + timedelta(seconds=len(events)), run, TENTS.version, **fields))

    emit("started")
    state = flow.start(TENTS)
    while state.current is not None:
        step_id = state.current
        emit("step_shown", step_id=step_id)
        state = flow.answer(TENTS, state, step_id, answers[step_id])
        emit("step_answered", step_id=step_id, value=answers[step_id])
    result = core.recommend(index=index, questionnaire=TENTS, state=state, locale="de")
    emit("results_shown", value=[item.sku for item in result.products], number=result.count)
    emit("completed", number=result.count)
    for relaxation in result.relaxations if offers else ():
        emit("relaxation_offered", value=list(relaxation.drop), number=relaxation.count)
    if take is not None:
        relaxation = result.relaxations[take]
        state = core.relax(TENTS, state, relaxation.drop)
        emit("relaxation_applied", value=list(relaxation.drop), number=relaxation.count)
        again = core.recommend(index=index, questionnaire=TENTS, state=state, locale="de")
        emit("results_shown", value=[item.sku for item in again.products], number=again.count)
    return events


def walk(*, offers: bool = True) -> list[Event]:
    events: list[Event] = []
    for i in range(6):
        events += kiosk_run(f"alpine-{i}", ALPINE_UL, take=1 if i % 2 else None, offers=offers)
    for i in range(6):
        events += kiosk_run(f"meadow-{i}", MEADOW)
    return events


def gap_rows(html: str) -> list[str]:
    """The gap section's rows as a merchandiser reads them (cells joined by " | ")."""
    section = html.split("<h3>Sortimentslücken", 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr data-gap=[^>]*>(.*?)(?=<tr|</table>)", section, re.S)
    cells = [[markup.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in row.split("<td>")[1:]] for row in rows]
    return [" | ".join(row) for row in cells]


def test_the_walk_is_what_the_recommender_does_on_the_sample_catalog() -> None:
    offered = [event.value for event in kiosk_run("r", ALPINE_UL) if event.kind == "relaxation_offered"]
    assert offered == [["region"], ["weight_importance"]], "each wish alone can be dropped: together they conflict"


def test_the_conflicting_combination_is_the_gap_not_the_incidental_wishes() -> None:
    report = build_report(walk(), LIBRARY, {}, locale="de", index_for=index_for)
    figures = report.figures(TENTS.id)
    assert figures is not None and figures.gap_runs == 6
    assert [(gap.label, gap.runs, gap.base) for gap in figures.conflicts] == [(CONFLICT, 6, 6)]
    assert figures.gaps == () and [gap.label for gap in figures.gap_pairs] == [CONFLICT], "the app's two tables"
    rows = gap_rows(render_report(report))
    assert len(rows) == 1 and rows[0].startswith(f"{CONFLICT} | 6 von 6 (100\u00a0%) | ")
    for incidental in ("Personen", "Größte Person", "Nutzung"):
        assert incidental not in rows[0].split(" | ")[0]


def test_the_closest_products_meet_every_other_wish_and_say_which_of_the_conflict_they_miss() -> None:
    report = build_report(walk(), LIBRARY, {"tents": [(p.sku, p.name["de"]) for p in index_for(TENTS).products]},
                          locale="de", index_for=index_for)  # fmt: skip
    figures = report.figures(TENTS.id)
    assert figures is not None
    closest = figures.conflicts[0].closest
    assert closest and len(closest) <= 4
    index = index_for(TENTS)
    names = {p.name["de"]: p.sku for p in index.products}
    state = flow.with_answers(TENTS, flow.start(TENTS), ALPINE_UL)
    without = {
        drop: {
            r.sku
            for r in core.recommend(
                index=index, questionnaire=TENTS, state=core.relax(TENTS, state, [drop]), locale="de", show=50
            ).products
        }  # fmt: skip
        for drop in ("region", "weight_importance")
    }
    sides = set()
    for shown in closest:
        name, _, missed = shown.partition(" (nicht ")
        assert missed in ("Hochgebirge & Winter)", "Ultraleicht)"), shown
        drop = "region" if missed.startswith("Hochgebirge") else "weight_importance"
        assert names[name] in without[drop], f"{name} fits once only {drop} is dropped"
        sides.add(drop)
    assert sides == {"region", "weight_importance"}, "both sides of the conflict are named"


def test_without_logged_offers_the_conflict_is_found_in_the_catalog() -> None:
    figures = build_report(walk(offers=False), LIBRARY, {}, index_for=index_for).figures(TENTS.id)
    assert figures is not None
    assert [(gap.label, gap.runs) for gap in figures.conflicts] == [(CONFLICT, 6)]


def test_a_single_wish_is_a_gap_only_when_it_alone_blocks() -> None:
    """Offered only "without A and B" (dropping either alone does not help): each of A and B blocks alone."""
    stream = [
        Event("started", TENTS.id, T0, "r1"),
        *(Event("step_answered", TENTS.id, T0, "r1", step_id=k, value=v) for k, v in ALPINE_UL.items()),
        Event("results_shown", TENTS.id, T0, "r1", value=[], number=0),
        Event("relaxation_offered", TENTS.id, T0, "r1", value=["region", "weight_importance"], number=7),
    ]
    figures = build_report(stream, LIBRARY, {}).figures(TENTS.id)
    assert figures is not None
    assert sorted(gap.label for gap in figures.conflicts) == ["Gewicht: Ultraleicht", "Region: Hochgebirge & Winter"]


def test_a_renamed_option_is_marked_and_the_change_is_said() -> None:
    trip = TENTS.step("trip")
    renamed = replace(
        TENTS, version="new",
        steps=tuple(replace(step, options=tuple(replace(o, id="festival_weekend") if o.id == "festival" else o
                                                for o in step.options)) if step is trip else step
                    for step in TENTS.steps),
    )  # fmt: skip
    stream = [
        Event("started", TENTS.id, T0, "r1", TENTS.version),
        Event("step_shown", TENTS.id, T0, "r1", TENTS.version, step_id="trip"),
        Event("step_answered", TENTS.id, T0, "r1", TENTS.version, step_id="trip", value="festival"),
    ]
    for locale, marked, note in (
        ("de", "festival (nicht mehr im Fragebogen)", "Der Fragebogen wurde seit diesem Zeitraum geändert"),
        ("en", "festival (no longer in the questionnaire)", "The questionnaire has changed since this period"),
    ):
        report = build_report(stream, {TENTS.id: renamed}, {}, locale=locale)
        answers = dict(report.questionnaires[0].steps[0].answers)
        assert answers[marked] == 1 and "festival" not in answers
        assert answers["Festival"] == 0, "the renamed option is still there, with its own (new) answers"
        html = render_report(report)
        assert note in html and marked in html
    both = [*stream, Event("started", TENTS.id, T0, "r2", "new")]
    html = render_report(build_report(both, {TENTS.id: renamed}, {}, locale="de"))
    assert "Der Fragebogen wurde in diesem Zeitraum geändert (2 Fassungen)" in html
    assert "geändert" not in render_report(build_report(stream, {TENTS.id: TENTS}, {}, locale="de"))


def test_a_period_that_has_not_begun_says_so_and_compares_with_nothing(engine: Engine) -> None:
    now = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    write_events(engine, kiosk_run("today", MEADOW, at=now - timedelta(hours=2)))
    start, end = datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC)
    report = read_report(engine, questionnaires=LIBRARY, products_by_category={}, locale="de", start=start, end=end,
                         now=now)  # fmt: skip
    assert report.previous_start is None and report.events == 0
    html = render_report(report)
    assert "Dieser Zeitraum hat noch nicht begonnen (heute ist der 04.12.2026)" in html
    assert "verglichen mit" not in html and "01.01.2027 – 31.01.2027" in html
    assert "Keine Beratung in diesem Zeitraum." not in html, "not begun says it all"


def test_a_period_without_any_consultation_says_so_above_the_zeros(engine: Engine) -> None:
    now = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    write_events(engine, kiosk_run("long ago", MEADOW, at=now - timedelta(days=40)))
    report = read_report(engine, questionnaires=LIBRARY, products_by_category={}, locale="de",
                         start=now - timedelta(days=7), end=now, now=now)  # fmt: skip
    html = render_report(report)
    assert '<p class=m data-notice="no_advice">Keine Beratung in diesem Zeitraum.</p>' in html
    write_events(engine, kiosk_run("this week", MEADOW, at=now - timedelta(days=1)))
    report = read_report(engine, questionnaires=LIBRARY, products_by_category={}, locale="de",
                         start=now - timedelta(days=7), end=now, now=now)  # fmt: skip
    assert "Keine Beratung in diesem Zeitraum." not in render_report(report)


def test_a_period_that_ends_in_the_future_is_counted_and_compared_up_to_today(engine: Engine) -> None:
    now = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    write_events(engine, kiosk_run("today", MEADOW, at=now - timedelta(hours=2)))
    start, end = datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    report = read_report(engine, questionnaires=LIBRARY, products_by_category={}, locale="de", start=start, end=end,
                         now=now)  # fmt: skip
    assert report.previous_end is not None and report.previous_end <= start, "the period before is before"
    html = render_report(report)
    assert "Zeitraum: 01.12.2026 – 04.12.2026 · verglichen mit 27.11.2026 – 30.11.2026" in html
    assert "Der Zeitraum endet erst am 31.12.2026: gezählt bis heute" in html
    assert report.figures(TENTS.id).started == 1  # type: ignore[union-attr]


def test_a_wish_in_every_offer_that_does_not_block_alone_is_no_gap_of_its_own() -> None:
    """Five trekkers wanting an ultralight tent with two entrances: the advice offers only "without 5 persons and
    ultralight" and "without trekking and ultralight", so ultralight is in every offer, yet ultralight alone leaves
    tents. The report names what nothing meets together, never "Gewicht: Ultraleicht" on its own."""
    five = {"region": "dont_care", "trip": "trekking", "frequency": "often", "persons": 5, "extra_space": False,
            "body_height": 180, "weight_importance": "ultralight", "extras": ("two_entrances",)}  # fmt: skip
    events = kiosk_run("five", five)
    offered = [set(event.value) for event in events if event.kind == "relaxation_offered"]
    assert offered and all("weight_importance" in offer and len(offer) > 1 for offer in offered), offered
    figures = build_report(events, LIBRARY, {}, locale="de", index_for=index_for).figures(TENTS.id)
    assert figures is not None and figures.gap_runs == 1
    assert sorted(gap.label for gap in figures.conflicts) == [
        "Personen: 5 Personen + Gewicht: Ultraleicht",  # no ultralight tent sleeps 5
        "Unterwegs: Zu Fuß / Trekking + Personen: 5 Personen",  # nor does a trekking tent
    ]
