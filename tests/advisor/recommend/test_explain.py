"""Distinctive reasons and trade-offs: every one is true of the data of the shown products, in both languages."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.questionnaire.library import load_library
from advisor.questionnaire.model import DONT_CARE, Step
from advisor.recommend.core import SHARE_AMONG_AT_LEAST, Relaxation, category_noun, display_answer
from advisor.recommend.explain import (
    compared_attributes,
    compared_targets,
    decide,
    fitted,
    say_apart,
    say_count,
    say_group,
    say_no_match,
    say_relaxation,
    say_results_count,
    say_shared,
    say_standout,
    say_versus_top,
)
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index

QUESTIONNAIRES = load_library().questionnaires


def pick(step: Step, rnd: random.Random) -> Any:
    if step.dont_care and rnd.random() < 0.3:
        return DONT_CARE
    if step.kind == "single":
        return rnd.choice(step.options).id
    if step.kind == "multiple":
        return tuple(sorted({rnd.choice(step.options).id for _ in range(rnd.randint(1, 2))}))
    if step.kind == "yes_no":
        return rnd.random() < 0.5
    low, high = int(step.min or 0), int(step.max or 10)
    return rnd.randint(low, high)


def walked(questionnaire_id: str, seed: int) -> AdviceSession:
    questionnaire = QUESTIONNAIRES[questionnaire_id]
    session = AdviceSession.start(questionnaire, index=sample_index(questionnaire.category))
    rnd = random.Random(seed)
    while session.step is not None:
        session.answer(session.step.id, pick(session.step, rnd))
    return session


def value(index: Any, sku: str, attribute: str) -> Any:
    return index.value(attribute, index.position[sku])


@settings(max_examples=80, deadline=None)
@given(questionnaire_id=st.sampled_from(sorted(QUESTIONNAIRES)), seed=st.integers(0, 10_000))
def test_every_standout_and_trade_off_is_true_of_the_shown_products(questionnaire_id: str, seed: int) -> None:
    session = walked(questionnaire_id, seed)
    result = session.recommendation()
    index = session.index
    assert index is not None
    decision = decide(result=result, index=index, questionnaire=session.questionnaire, answers=session.state.answers)
    index = fitted(index, result)  # a model of which only some variants fit is compared by those
    better = dict(compared_attributes(index, session.questionnaire, session.state.answers))
    targets = compared_targets(index, session.questionnaire, session.state.answers)
    skus = [item.sku for item in result.products]
    assert list(decision.skus) == skus and decision.top == (skus[0] if skus else None)
    assert decision.shared == tuple(constraint.key for constraint in result.constraints)
    for sku, standouts in decision.standouts.items():
        others = [other for other in skus if other != sku]
        for standout in standouts:
            assert standout.among == len(skus) and others
            mine = value(index, sku, standout.attribute)
            assert standout.value == mine
            if standout.kind == "best":
                for other in others:
                    theirs = value(index, other, standout.attribute)
                    assert (mine > theirs) if better[standout.attribute] else (mine < theirs), (sku, other, standout)
            else:
                assert standout.kind == "only" and mine is True
                assert all(value(index, other, standout.attribute) is not True for other in others)
    fit = decision.fit
    if fit is not None:  # the top pick's strongest fit to a wish: its own value, beating as many as it says
        mine = value(index, skus[0], fit.attribute)
        assert fit.kind == "fit" and fit.value == mine and fit.among == len(skus)
        theirs = [value(index, other, fit.attribute) for other in skus[1:]]
        beaten = [v for v in theirs if isinstance(v, int | float) and ((v < mine) if fit.higher else (v > mine))]
        assert fit.beaten == (len(beaten) if fit.higher is not None else 0)
    for alternative in decision.alternatives:
        for difference in alternative.differences:
            delta = value(index, alternative.sku, difference.attribute) - value(index, skus[0], difference.attribute)
            assert difference.delta == pytest.approx(delta) and delta != 0
            if difference.attribute in targets:  # near a figure: short of it is worse, nearer from that side better
                target, more = targets[difference.attribute]
                short = [max(0.0, (target - v) if more else (v - target))
                         for v in (value(index, alternative.sku, difference.attribute),
                                   value(index, skus[0], difference.attribute))]  # fmt: skip
                assert short[0] != short[1] and difference.better == (short[0] < short[1])
            else:
                assert difference.better == ((delta > 0) == better[difference.attribute])
        if alternative.gain is not None:
            assert any(d.attribute == alternative.gain.attribute and d.better for d in alternative.differences)
        if alternative.cost is not None:
            assert any(d.attribute == alternative.cost.attribute and not d.better for d in alternative.differences)
    for locale in ("de", "en"):
        lines = [say_shared(decision, result, session.questionnaire, session.state.answers, index, locale)]
        lines += [say_standout(s, index, locale) for standouts in decision.standouts.values() for s in standouts]
        lines += [say_versus_top(a, index, locale) for a in decision.alternatives]
        lines += [say_group(gain, cost, index, locale) for (gain, cost), _ in decision.groups()]
        for line in lines:
            assert "{" not in line and "}" not in line, line


def test_the_words_read_right_for_a_known_case() -> None:
    session = walked("tent-finder", 3)
    index = session.index
    assert index is not None
    result = session.recommendation()
    decision = decide(result=result, index=index, questionnaire=session.questionnaire, answers=session.state.answers)
    shared = say_shared(decision, result, session.questionnaire, session.state.answers, index, "de")
    assert shared.startswith((f"Alle {result.count} Zelte", "Beide Zelte")) or not result.constraints
    texts = [say_versus_top(a, index, "en") for a in decision.alternatives]
    assert all(t.startswith(("Against the top pick: ", "Much like the top pick")) for t in texts)


@pytest.mark.parametrize(
    ("answer", "locale", "shown"),
    [(1, "de", "1\u00a0Person"), (2, "de", "2\u00a0Personen"), (1, "en", "1\u00a0person"),
     (4, "en", "4\u00a0people"), (1.0, "de", "1\u00a0Person"), (DONT_CARE, "de", "egal")],
)  # fmt: skip
def test_an_answer_of_one_reads_in_the_singular(answer: Any, locale: str, shown: str) -> None:
    persons = load_library().questionnaires["tent-finder"].step("persons")
    assert display_answer(persons, answer, locale).lower() == shown.lower()


@settings(max_examples=120, deadline=None)
@given(questionnaire_id=st.sampled_from(sorted(QUESTIONNAIRES)), seed=st.integers(0, 10_000),
       locale=st.sampled_from(["de", "en"]))  # fmt: skip
def test_counts_read_right_for_one_and_none(questionnaire_id: str, seed: int, locale: str) -> None:
    """ "1 Zelt passt", never "1 Zelte passen", "1 Produkt" beside "5 Zelte" or "Alle 1 Zelte"; when nothing
    fits, the title promises no more than one of its buttons brings."""
    session = walked(questionnaire_id, seed)
    index = session.index
    assert index is not None
    result = session.recommendation()
    counted = say_count(result.count, index, locale)
    one = category_noun(index, locale, 1)  # the category's own word for one: "Zelt", "sleeping bag"
    assert one not in ("Produkt", "product") and one != category_noun(index, locale)
    if result.count == 1:
        assert counted == {"de": f"1 {one} passt", "en": f"1 {one} fits"}[locale]
    else:
        assert counted.startswith(f"{result.count} ") and counted.endswith(("passen", "fit")), counted
    for item in result.products:  # a reason names the product's value only where the wish does not say it already
        if result.count < SHARE_AMONG_AT_LEAST:  # no "lighter than 50 % of the 2 tents that fit"
            assert not [r for r in (*item.reasons, *item.tradeoffs) if r.kind in ("better_than", "worse_than")]
        for reason in item.reasons:
            aside = re.fullmatch(r"(.*) \(([^()]*)\)", reason.text)
            if aside is not None:
                named = re.search(rf"(?<![\d.,\-−]){re.escape(aside[2])}(?!\d)", aside[1])
                assert named is None and not re.fullmatch(r"[\d.,-]+", aside[2]), reason.text
    for (
        critique
    ) in result.critiques:  # "mehr Zuladung" / "more load capacity", the catalog's words, not "more Max. load"
        assert not re.search(r"\b(more|less|mehr|weniger) \w+\.", critique.label), critique.label
        assert not re.search(r"\b(more|less) [A-Z]", critique.label), critique.label
    listed = say_results_count(result, index, locale)
    fewer = 1 < len(result.products) < result.count  # the list shows the best few: it says so
    assert listed.startswith(counted), listed
    assert bool(re.search(rf"\b{len(result.products)}\b", listed[len(counted) :])) == fewer, listed
    decision = decide(result=result, index=index, questionnaire=session.questionnaire, answers=session.state.answers)
    shared = say_shared(decision, result, session.questionnaire, session.state.answers, index, locale)
    assert not re.search(r"\b(Alle|All) [01] ", shared), shared
    for relaxation in result.relaxations:
        button = say_relaxation(relaxation, index, locale, questionnaire=session.questionnaire,
                                answers=session.state.answers)  # fmt: skip
        assert str(relaxation.count) in button
        assert (relaxation.count == 1) == ({"de": f"1 {one} zeigen", "en": f"show 1 {one}"}[locale] in button)
    if result.count == 0 and result.relaxations:
        # The title is true of the highlighted (first) button: its count, "up to" only when it brings the most.
        title = say_no_match(result, index, locale)
        first = result.relaxations[0]
        brought = {r.count for r in result.relaxations if len(r.drop) == len(first.drop)}
        if first.count < max(brought):
            assert title.endswith(("passt wieder etwas", "something fits again")), title
        else:
            assert int(re.findall(r"\d+", title)[-1]) == first.count, title
            assert (len(brought) > 1) == ({"de": "bis zu", "en": "up to"}[locale] in title), title


def test_nothing_fits_the_title_agrees_with_the_first_button_which_names_the_answer_tapped() -> None:
    """The UX review's tents: "bis zu 5" above a first button showing 3 read false, and "„hochgebirgstauglich“"
    was not what the shopper tapped ("Hochgebirge & Winter")."""
    tents = QUESTIONNAIRES["tent-finder"]
    session = AdviceSession.start(tents, index=sample_index(tents.category))
    session.set_answers(next(example for example in tents.examples if example.no_match).answers)
    index, answers = session.index, session.state.answers
    assert index is not None
    result = session.recommendation()
    assert [(r.drop, r.count) for r in result.relaxations] == [(("region",), 3), (("weight_importance",), 5)]

    def buttons(locale: str) -> list[str]:
        return [say_relaxation(r, index, locale, questionnaire=tents, answers=answers) for r in result.relaxations]

    assert say_no_match(result, index, "de") == "Mit einer Änderung passt wieder etwas"
    assert buttons("de") == [
        "„Region: Hochgebirge & Winter“ weglassen – 3 Zelte zeigen",  # the answer tapped, after its question
        "„Gewicht: Ultraleicht“ weglassen – 5 Zelte zeigen",
    ]
    assert say_no_match(result, index, "en") == "With one change, something fits again"
    assert buttons("en") == [
        "Drop “Region: High mountains & winter” – show 3 tents",
        "Drop “Weight: Ultralight” – show 5 tents",
    ]
    most_first = result.__class__(0, (), tuple(reversed(result.relaxations)))  # the first brings the most: "up to"
    assert say_no_match(most_first, index, "de") == "Mit einer Änderung passen bis zu 5 Zelte"
    alone = result.__class__(0, (), result.relaxations[:1])
    assert say_no_match(alone, index, "en") == "With one change, 3 tents fit"
    # A wish not from a choice (a number answered) keeps its requirement's words, the answer filled in.
    persons = Relaxation(("persons",), ("Platz für 2\u00a0Personen",), 4)
    said = say_relaxation(persons, index, "de", questionnaire=tents, answers=answers)
    assert said == "„Platz für 2\u00a0Personen“ weglassen – 4 Zelte zeigen"


def test_nothing_fits_and_nothing_to_drop_says_so() -> None:
    session = walked("tent-finder", 3)
    assert session.index is not None
    empty = session.recommendation().__class__(0, ())
    assert say_no_match(empty, session.index, "de") == "Leider passt nichts zu allen deinen Wünschen."


@settings(max_examples=60, deadline=None)
@given(questionnaire_id=st.sampled_from(sorted(QUESTIONNAIRES)), seed=st.integers(0, 10_000))
def test_what_is_said_beside_a_product_never_repeats_the_line_all_share(questionnaire_id: str, seed: int) -> None:
    """Beside the top pick: what sets it apart, else its own reasons; never a wish the line "Alle 4 Zelte: …" above
    it says of every product already, and at most three lines."""
    session = walked(questionnaire_id, seed)
    result = session.recommendation()
    if not result.products:
        return
    index, decision = session.index, session.decision()
    assert index is not None
    shared = say_shared(decision, result, session.questionnaire, session.state.answers, index, "de")
    for item in result.products:
        said = say_apart(decision, item, index, "de")
        assert len(said) <= 3
        if shared:
            repeated = [r.text for r in item.reasons if r.constraint in decision.shared and r.text in said]
            assert not repeated, (shared, said)


def test_a_top_pick_without_a_standout_says_its_own_wish_not_the_shared_ones() -> None:
    """Rain jacket for the city, women's cut, to keep warm: every jacket that fits shares the first two; the top
    pick's lines name what is its own (padded), not "passt zu „Stadt & Alltag“" again."""
    questionnaire = QUESTIONNAIRES["rain-jacket-finder"]
    session = AdviceSession.start(questionnaire, index=sample_index(questionnaire.category))
    session.set_answers({"activity": "city", "rain": "showers", "sweat": "easy", "cut": "women", "warmth": True,
                         "budget": DONT_CARE, "weight_importance": "low", "extras": ("vents",),
                         "chest_cm": DONT_CARE, "body_height": DONT_CARE})  # fmt: skip
    result = session.recommendation()
    decision = session.decision()
    assert session.index is not None and result.products and decision.count > 1
    top = result.products[0]
    said = say_apart(decision, top, session.index, "de")
    shared = say_shared(decision, result, questionnaire, session.state.answers, session.index, "de")
    assert "Stadt & Alltag" in shared
    assert said and not any("Stadt & Alltag" in line for line in said), said
