"""The kiosk walk of every finder example (QA, 2026-12): what a shopper reads beside the top pick and the others."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.questionnaire.library import load_library
from advisor.recommend.core import constraint_label, format_value
from advisor.recommend.explain import Decision, decide, say_apart, say_group, say_shared, say_versus_top
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index

QUESTIONNAIRES = load_library().questionnaires


def example(questionnaire_id: str, number: int, locale: str) -> tuple[AdviceSession, Any, Decision]:
    questionnaire = QUESTIONNAIRES[questionnaire_id]
    session = AdviceSession.start(questionnaire, index=sample_index(questionnaire.category), locale=locale)
    for step_id, answer in questionnaire.examples[number].answers.items():
        session.answer(step_id, answer)
    result = session.recommendation(log=False)
    assert session.index is not None
    decision = decide(result=result, index=session.index, questionnaire=questionnaire, answers=session.state.answers)
    return session, result, decision


def rows(session: AdviceSession, decision: Decision, locale: str) -> dict[str, tuple[str, str]]:
    """Each alternative's group heading and its line against the top pick, by SKU."""
    index = session.index
    return {alternative.sku: (say_group(gain, cost, index, locale), say_versus_top(alternative, index, locale))
            for (gain, cost), group in decision.groups() for alternative in group}  # fmt: skip


def plain(words: str) -> str:
    return words.replace("\u00a0", " ").replace("\u2060", "")


def test_a_wish_for_more_load_is_set_against_an_alternative_with_less() -> None:
    session, _, decision = example("backpack-finder", 1, "de")
    assert decision.top == "NG-PACK-0022"  # Weitblick 70, 30 kg
    heading, line = rows(session, decision, "de")["NG-PACK-0020"]  # Fernweg 65+10, 28 kg
    assert "2 kg weniger Zuladung" in plain(line) and "10 € günstiger" in plain(line)
    assert heading.endswith("aber weniger Zuladung")


def test_a_target_is_a_cost_only_short_of_it() -> None:
    session, _, decision = example("backpack-finder", 0, "en")  # a day pack: near 22 l
    _, line = rows(session, decision, "en")["NG-PACK-0005"]  # Hörnle 20: 20 l against 22 l
    assert "2 l less" in plain(line)


@pytest.mark.parametrize(("locale", "said"), [("de", "mehr Kopfhöhe als 2 der 3 anderen (195 cm)"),
                                              ("en", "more headroom than 2 of the 3 others (195 cm)")])  # fmt: skip
def test_the_top_pick_always_says_its_strongest_fit_to_a_wish(locale: str, said: str) -> None:
    session, result, decision = example("tent-finder", 1, locale)  # a family of four, "lots of headroom"
    assert decision.top == "NG-TENT-0029"  # Sonnalm 5: 195 cm; Sonnalm 6, shown too, has 200 cm
    assert session.index is not None
    assert [plain(line) for line in say_apart(decision, result.products[0], session.index, locale)] == [said]


@pytest.mark.parametrize("questionnaire_id", sorted(q for q in QUESTIONNAIRES if QUESTIONNAIRES[q].examples))
def test_no_top_pick_of_an_example_stands_bare(questionnaire_id: str) -> None:
    for number in range(len(QUESTIONNAIRES[questionnaire_id].examples)):
        session, result, decision = example(questionnaire_id, number, "de")
        if result.products:
            assert session.index is not None
            assert say_apart(decision, result.products[0], session.index, "de")


@pytest.mark.parametrize(("locale", "said"), [
    ("de", "Einsatzbereich: Trekking, Alpin (gewünscht: Radreisen, Reisen)"),
    ("en", "Use: Trekking, Alpine (wished: Cycle touring, Travel)")])  # fmt: skip
def test_the_options_of_one_question_missed_are_said_once(locale: str, said: str) -> None:
    _, result, _ = example("sleeping-bag-finder", 4, locale)
    hochkar = next(item for item in result.products if item.sku == "NG-SBAG-0002")
    assert [reason.text for reason in hochkar.tradeoffs if reason.kind == "lacks"] == [said]


@pytest.mark.parametrize(("locale", "has", "lacks"), [
    ("de", "Belüftungsreißverschlüsse: Ja", "Belüftungsreißverschlüsse: Nein (anders als gewünscht)"),
    ("en", "Pit zips: Yes", "Pit zips: No (not as wished)")])  # fmt: skip
def test_a_ticked_yes_no_wish_is_said_met_and_missed(locale: str, has: str, lacks: str) -> None:
    session, result, decision = example("rain-jacket-finder", 0, locale)  # extras: helmet hood, pit zips
    top = result.products[0]
    assert has in [reason.text for reason in top.reasons]
    _, line = rows(session, decision, locale)["NG-JACK-0031"]  # Gratwind: no pit zips
    assert lacks in line


def test_a_group_is_named_by_the_differences_that_matter() -> None:
    session, _, decision = example("sleeping-bag-finder", 4, "en")
    heading, line = rows(session, decision, "en")["NG-SBAG-0002"]  # Hochkar 400: 0.02 kg heavier, €170 pricier
    assert heading.endswith("but pricier") and "heavier" not in heading
    session, _, decision = example("tent-finder", 3, "de")
    heading, _ = rows(session, decision, "de")["NG-TENT-0020"]  # Donauradler 1: 220 € cheaper, 5 cm shorter packed
    assert heading.startswith("Günstiger, aber ")
    session, _, decision = example("backpack-finder", 0, "en")
    heading, line = rows(session, decision, "en")["NG-PACK-0012"]  # Kettenweg 22: 0.04 kg lighter, no more
    assert "0.04 kg lighter" in plain(line) and not heading.startswith("Lighter")


def test_a_number_and_its_slashed_unit_stay_on_one_line() -> None:
    session, result, decision = example("rain-jacket-finder", 0, "de")
    index, questionnaire, answers = session.index, session.questionnaire, session.state.answers
    assert index is not None
    shared = say_shared(decision, result, questionnaire, answers, index, "de")
    assert "15.000\u00a0g/\u2060m²/\u206024h" in shared
    assert format_value(index, "breathability_g", 20000, "de") == "20.000\u00a0g/\u2060m²/\u206024h"
    labels = [constraint_label(questionnaire, answers, constraint, "en") for constraint in result.constraints]
    assert any("15,000\u00a0g/\u2060m²/\u206024h" in label for label in labels)
    assert not any("/\u2060 " in label or " /\u2060" in label for label in labels)  # "On foot / trekking" stays


@pytest.mark.parametrize("number", [0, 1, 2, 3, 4])
def test_the_bounds_of_a_range_every_shown_product_fits_are_no_difference(number: int) -> None:
    """Every pack shown fits the shopper's torso length (`torso_min_cm <= torso_length <= torso_max_cm`): one that
    fits from a few centimetres further up or down is no gain or cost to this shopper, in no line and no heading."""
    session, _, decision = example("backpack-finder", number, "de")
    for heading, line in rows(session, decision, "de").values():
        assert "Rückenlänge" not in heading and "Rückenlänge" not in line, (heading, line)


@pytest.mark.parametrize("number", [0, 1, 2, 3, 4])
def test_no_critique_asks_for_more_of_a_range_every_shown_product_fits(number: int) -> None:
    _, result, _ = example("backpack-finder", number, "de")  # (example 2: one pack fits, nothing to critique)
    assert result.critiques or result.count == 1, "the classic ones are still offered"
    assert not {critique.attribute for critique in result.critiques} & {"torso_min_cm", "torso_max_cm"}, [
        critique.label for critique in result.critiques
    ]
