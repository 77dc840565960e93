"""What a merchandiser reads in the report's gaps about a wish whose requirement depends on another answer: the
sleeping bag's "Ganz normal" asks for a comfort rating down to the coldest night, so a gap names that night, is
counted over the consultations with the same night and names the bag nearest that comfort rating. Runs driven
through the real recommender on the sample catalog, logged as the kiosk logs them."""

from __future__ import annotations

import html as markup
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from advisor import engine as flow
from advisor.insights.events import Event
from advisor.insights.report import build_report
from advisor.questionnaire.library import load_library
from advisor.questionnaire.model import Questionnaire
from advisor.recommend import core
from advisor.recommend.index import CategoryIndex
from advisor.rendering.report import render_report
from tests.helpers.index import sample_index

BAGS = load_library().questionnaires["sleeping-bag-finder"]
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
# The walker's consultation: a normal sleeper wanting a synthetic bag for −20 °C. Nothing fitted; the advice
# offered "without coldest night and feeling the cold" and "without feeling the cold and fill".
WINTER = {"activity": ["alpine"], "lowest_temp": -20, "sleeper": "normal", "who": "dont_care", "body_height": 180,
          "fill_choice": "synthetic", "weight_importance": "high", "couple": False}  # fmt: skip
SUMMER = {**WINTER, "activity": ["camping"], "lowest_temp": 10, "fill_choice": "dont_care"}
WINTER_DOWN = {**WINTER, "fill_choice": "down"}


def index_for(questionnaire: Questionnaire) -> CategoryIndex:
    return sample_index(questionnaire.category)


def kiosk_run(run: str, answers: Mapping[str, Any]) -> list[Event]:
    """One shopper's run as the kiosk logs it: the answers, the results and the relaxations offered."""
    index = index_for(BAGS)
    events: list[Event] = []

    def emit(kind: str, **fields: Any) -> None:
        events.append(Event(kind, BAGS.id, T0 + timedelta(seconds=len(events)), run, BAGS.version, **fields))

    emit("started")
    state = flow.start(BAGS)
    while state.current is not None:
        step_id = state.current
        emit("step_shown", step_id=step_id)
        state = flow.answer(BAGS, state, step_id, answers[step_id])
        emit("step_answered", step_id=step_id, value=answers[step_id])
    result = core.recommend(index=index, questionnaire=BAGS, state=state, locale="de")
    emit("results_shown", value=[item.sku for item in result.products], number=result.count)
    emit("completed", number=result.count)
    for relaxation in result.relaxations:
        emit("relaxation_offered", value=list(relaxation.drop), number=relaxation.count)
    return events


def gap_rows(runs: Sequence[tuple[str, Mapping[str, Any]]], locale: str = "de") -> list[str]:
    """The gap section's rows as a merchandiser reads them (cells joined by " | ")."""
    events = [event for run, answers in runs for event in kiosk_run(run, answers)]
    names = {"sleeping_bags": [(p.sku, p.name[locale]) for p in index_for(BAGS).products]}
    html = render_report(build_report(events, {BAGS.id: BAGS}, names, locale=locale, index_for=index_for))
    section = re.split(r"<h3>(?:Sortimentslücken|Assortment gaps)", html, maxsplit=1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr data-gap=[^>]*>(.*?)(?=<tr|</table>)", section, re.S)
    cells = [[markup.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in row.split("<td>")[1:]] for row in rows]
    return [" | ".join(row) for row in cells]


def test_the_walk_is_what_the_recommender_does_on_the_sample_catalog() -> None:
    offered = [event.value for event in kiosk_run("r", WINTER) if event.kind == "relaxation_offered"]
    assert offered == [["lowest_temp", "sleeper"], ["sleeper", "fill_choice"]]
    assert [e.number for e in kiosk_run("r", SUMMER) if e.kind == "results_shown"] != [0], "summer nights fit"


def test_a_wish_resolved_with_the_coldest_night_names_it_and_counts_only_that_night() -> None:
    rows = gap_rows([("winter", WINTER), *((f"summer-{i}", SUMMER) for i in range(5))])
    row = next(row for row in rows if "Kälteempfinden" in row.split(" | ")[0])
    assert row.startswith("Kälteempfinden: Ganz normal bei \u221220 °C | 1 von 1 (100\u00a0%) | "), rows


def test_the_same_wish_at_another_night_is_another_gap() -> None:
    rows = gap_rows([("winter", WINTER), ("colder", {**WINTER, "lowest_temp": -18})])
    labels = [row.split(" | ")[0] for row in rows]
    assert "Kälteempfinden: Ganz normal bei \u221220 °C" in labels
    assert "Kälteempfinden: Ganz normal bei \u221218 °C" in labels


def test_the_closest_bag_is_the_one_nearest_the_comfort_rating_asked_for() -> None:
    row = next(row for row in gap_rows([("down", WINTER_DOWN)]) if row.startswith("Kälteempfinden"))
    label, count, closest = row.split(" | ")[:3]
    assert (label, count) == ("Kälteempfinden: Ganz normal bei \u221220 °C", "1 von 1 (100\u00a0%)")
    assert closest.startswith("Eiskar 900 (\u221215 °C statt bis \u221220 °C)"), row


def test_in_english_the_night_is_named_too() -> None:
    rows = gap_rows([("winter", WINTER)], locale="en")
    assert any(row.startswith("Feeling the cold: About average at \u221220 °C | ") for row in rows), rows
