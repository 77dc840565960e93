"""The recommender: order, reasons that are true, relaxations checked against brute force, critiques, why-not."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import engine
from advisor.audit import state_for
from advisor.expressions import evaluate, evaluate_columns
from advisor.questionnaire.model import DONT_CARE
from advisor.recommend import core
from advisor.recommend.index import CategoryIndex
from tests.helpers.index import made_up_index, product, sample_index
from tests.helpers.questionnaires import ROUTED, questionnaire

Q = questionnaire(ROUTED)
TENTS = sample_index("tents")


def _recommend(index: CategoryIndex, answers: dict[str, Any], **options: Any) -> core.Recommendation:
    state = state_for(Q, answers)
    return core.recommend(index=index, questionnaire=Q, state=state, locale="en", **options)


def test_filter_and_order_follow_requirements_preferences_and_tie_breaks() -> None:
    def tent(sku: str, capacity: int, weight: float, length: int, doors: int, use: str, price: float) -> Any:
        attributes = {"capacity": capacity, "weight_kg": weight, "inner_length_cm": length, "entrances": doors,
                      "freestanding": True, "use": [use]}  # fmt: skip
        return product(sku, attributes, price)

    index = made_up_index(
        "tents",
        [
            tent("A", 2, 2.0, 210, 1, "trekking", 300),
            tent("B", 2, 1.5, 220, 2, "trekking", 500),
            tent("C", 3, 1.5, 220, 2, "trekking", 400),
            tent("D", 1, 1.0, 220, 2, "trekking", 200),
            tent("E", 4, 0.9, 220, 2, "camping", 100),
        ],
    )
    result = _recommend(index, {"activity": "trekking", "body_height": 180, "persons": 2, "light": True,
                                "extras": ["freestanding"]})  # fmt: skip
    assert result.count == 3  # D is too small, E is not for trekking
    # B and C weigh the same: the tie-break is the lower price
    assert [item.sku for item in result.products] == ["C", "B", "A"]
    assert result.products[0].score == 1.0
    assert result.products[-1].score == 0.0


def test_every_reason_is_true_of_its_product() -> None:
    for answers in (
        {"activity": "trekking", "body_height": 190, "persons": 2, "light": False, "extras": DONT_CARE},
        {"activity": "family", "persons": 4, "extras": ["two_doors"]},
        {"activity": DONT_CARE, "body_height": 170, "persons": 1, "extras": ["freestanding", "two_doors"]},
    ):
        state = state_for(Q, answers)
        result = core.recommend(index=TENTS, questionnaire=Q, state=state, locale="en")
        assert result.products
        _check_reasons(TENTS, result, Q, state)


def _count_after(index: CategoryIndex, state: engine.SessionState, keys: tuple[str, ...]) -> int:
    relaxed = core.relax(Q, state, keys)
    return core.live_count(index=index, questionnaire=Q, answers=relaxed.answers)


TENT_ATTRIBUTES = st.fixed_dictionaries(
    {
        "capacity": st.integers(1, 4),
        "weight_kg": st.sampled_from([0.9, 1.5, 2.0, 3.5]),
        "inner_length_cm": st.sampled_from([200, 215, 230]),
        "entrances": st.integers(1, 2),
        "freestanding": st.booleans(),
        "use": st.lists(st.sampled_from(["trekking", "camping", "alpine"]), min_size=1, max_size=2, unique=True),
    }
)
ANSWERS = st.fixed_dictionaries(
    {
        "activity": st.sampled_from(["trekking", "family", "alpine", DONT_CARE]),
        "body_height": st.sampled_from([150, 180, 210]),
        "persons": st.integers(1, 6),
        "light": st.booleans(),
        "extras": st.sampled_from([["freestanding"], ["two_doors"], ["freestanding", "two_doors"], DONT_CARE]),
    }
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TENT_ATTRIBUTES, min_size=1, max_size=12), ANSWERS)
def test_relaxations_match_brute_force(products: list[dict[str, Any]], answers: dict[str, Any]) -> None:
    index = made_up_index("tents", [product(f"P{i:02d}", a, 100 + i) for i, a in enumerate(products)])
    state = state_for(Q, answers)
    result = core.recommend(index=index, questionnaire=Q, state=state, locale="en")
    if result.count:
        assert result.relaxations == ()
        return
    keys = [constraint.key for constraint in result.constraints]
    minimal = []
    for size in range(1, core.MAX_RELAXATION_SIZE + 1):
        for subset in combinations(keys, size):
            if any(set(smaller) <= set(subset) for smaller in minimal):
                continue
            if _count_after(index, state, subset) > 0:
                minimal.append(subset)
    offered = [tuple(relaxation.drop) for relaxation in result.relaxations]
    for relaxation in result.relaxations:
        assert _count_after(index, state, relaxation.drop) == relaxation.count  # exactly the announced count
        for size in range(1, len(relaxation.drop)):
            for smaller in combinations(relaxation.drop, size):
                assert _count_after(index, state, smaller) == 0  # no proper subset would have been enough
    assert {tuple(sorted(o)) for o in offered} <= {tuple(sorted(m)) for m in minimal}
    if len(offered) < core.MAX_RELAXATIONS:
        assert {tuple(sorted(o)) for o in offered} == {tuple(sorted(m)) for m in minimal}  # none is missing


def test_at_least_n_offers_relaxations_that_bring_back_enough() -> None:
    answers = {"activity": "trekking", "body_height": 190, "persons": 2, "light": True, "extras": ["two_doors"]}
    state = state_for(Q, answers)
    result = core.recommend(index=TENTS, questionnaire=Q, state=state, locale="en", at_least=10)
    assert result.count < 10
    assert result.relaxations
    for relaxation in result.relaxations:
        assert relaxation.count >= 10
        assert _count_after(TENTS, state, relaxation.drop) == relaxation.count


def test_critiques_count_products_that_fit_and_beat_the_first() -> None:
    answers = {"activity": "trekking", "body_height": 180, "persons": 2, "light": False, "extras": DONT_CARE}
    state = state_for(Q, answers)
    result = core.recommend(index=TENTS, questionnaire=Q, state=state, locale="en")
    lighter = next(c for c in result.critiques if c.attribute == "weight_kg")
    first = result.products[0].product.attributes["weight_kg"]
    refined = core.recommend(index=TENTS, questionnaire=Q, state=state, locale="en", critiques=[lighter])
    assert refined.count == lighter.count
    assert all(item.product.attributes["weight_kg"] < first for item in refined.products)


def test_why_not_names_the_broken_requirement_and_the_change_that_lets_the_product_in() -> None:
    answers = {"activity": "trekking", "body_height": 200, "persons": 3, "light": True, "extras": DONT_CARE}
    state = state_for(Q, answers)
    result = core.recommend(index=TENTS, questionnaire=Q, state=state, locale="en")
    shown = {item.sku for item in result.products}
    outsider = next(p for p in TENTS.products if p.sku not in shown and "trekking" in p.attributes["use"])
    answer = core.why_not(index=TENTS, questionnaire=Q, state=state, sku=outsider.sku, locale="en")
    assert answer.broken
    changed = engine.with_answers(Q, state, {**state.answers, **dict(answer.changes)})
    context_count = core.live_count(index=TENTS, questionnaire=Q, answers=changed.answers)
    assert context_count >= 1
    after = core.why_not(index=TENTS, questionnaire=Q, state=changed, sku=outsider.sku, locale="en")
    assert after.broken == ()


def test_why_not_says_where_a_product_that_meets_every_wish_stands_and_why_it_is_not_shown() -> None:
    """A merchandiser asks about a product that fits: the answer names its place among all that fit and that the
    results show fewer (or that it is on them), never nothing."""
    state = state_for(Q, {"activity": DONT_CARE, "body_height": 170, "persons": 1, "light": False, "extras": DONT_CARE})
    result = core.recommend(index=TENTS, questionnaire=Q, state=state, locale="en", show=500)
    assert result.count > Q.results.show
    everything = [item.sku for item in result.products]
    shown = [item.sku for item in core.recommend(index=TENTS, questionnaire=Q, state=state, locale="en").products]
    for sku in (shown[0], *[s for s in everything if s not in shown][-1:]):
        answer = core.why_not(index=TENTS, questionnaire=Q, state=state, sku=sku, locale="en")
        assert answer.broken == () and answer.changes == () and len(answer.text) == 1
        if sku in shown:
            assert answer.text[0] == f"meets every wish and is on the results (place 1; {result.count} fit)"
        else:
            assert answer.text[0].startswith("meets every wish") and f"of {result.count}" in answer.text[0]
            assert f"the results show {Q.results.show}" in answer.text[0] or "variety rule" in answer.text[0]


def _check_reasons(index: CategoryIndex, result: core.Recommendation, questionnaire: Any, state: Any) -> None:
    """Every reason and trade-off shown is true of its product."""
    values = engine.answer_values(questionnaire, state.answers)
    passing = np.ones(index.size, dtype=bool)
    requirements = [requirement.expression for constraint in result.constraints
                    for requirement in constraint.requirements]  # fmt: skip
    for expression in requirements:
        passing &= evaluate_columns(expression, values, index)
    for i, model in enumerate(index.products):  # a model with variants fits when one of its variants meets all
        if len(model.variants) > 1 and requirements:
            passing[i] = any(
                all(evaluate(expression, {**values, **model.variant_attributes(variant), "price": variant.price})
                    for expression in requirements)
                for variant in model.variants
            )  # fmt: skip
    assert result.count == int(passing.sum())
    candidates = [index.products[i] for i in np.flatnonzero(passing)]
    keys = {c.key for c in result.constraints}
    for item in result.products:
        assert passing[index.position[item.sku]], "a shown product does not meet the requirements"
        # (a model of which only some variants fit is explained by those: the long version's weight and price)
        fitted = {**item.product.attributes, "price": item.product.price,
                  **core.fitted_values(index, item.product, item.variants)}  # fmt: skip
        for reason in (*item.reasons, *item.tradeoffs):
            value = fitted.get(reason.attribute or "")
            if isinstance(reason.value, tuple):  # a range ("38–47 cm"): as the shown variants cover it together
                low, high = reason.attribute or "", (reason.attribute or "").replace("_min", "_max")
                rows = [item.product.variant_attributes(v) for v in item.variants] or [item.product.attributes]
                assert reason.value == (min(r[low] for r in rows), max(r[high] for r in rows)), reason
            elif reason.kind in ("requirement", "better_than", "worse_than") and reason.attribute is not None:
                assert value == reason.value, reason
            if reason.kind == "requirement":
                assert reason.constraint in keys
            if reason.kind in ("better_than", "worse_than"):
                column = [
                    p.price if reason.attribute == "price" else p.attributes.get(reason.attribute) for p in candidates
                ]
                column = [v for v in column if v is not None]
                lower = sum(v < value for v in column) * 100 // len(column)
                higher = sum(v > value for v in column) * 100 // len(column)
                assert reason.share in (lower, higher), reason
            if reason.kind == "has":
                assert reason.value in (value if isinstance(value, list) else [value])
            if reason.kind == "lacks" and isinstance(value, list):
                assert reason.value not in value


def test_shipped_examples_show_only_true_reasons() -> None:
    from advisor.paths import questionnaires_dir
    from advisor.questionnaire.files import questionnaire_files
    from advisor.questionnaire.load import load_file

    checked = 0
    for path in questionnaire_files([questionnaires_dir()]):
        questionnaire = load_file(path).questionnaire
        assert questionnaire is not None
        index = sample_index(questionnaire.category)
        for example in questionnaire.examples:
            state = state_for(questionnaire, example.answers)
            for locale in ("de", "en"):
                result = core.recommend(index=index, questionnaire=questionnaire, state=state, locale=locale)
                _check_reasons(index, result, questionnaire, state)
                checked += len(result.products)
    assert checked > 50


def test_each_critique_word_is_offered_once() -> None:
    """Floor area and interior height both read "roomier": the shopper sees one "roomier", the stronger one."""
    from advisor.questionnaire.library import load_library
    from tests.helpers.index import sample_index

    tents = load_library().questionnaires["tent-finder"]
    index = sample_index("tents")
    offered = 0
    for example in tents.examples:
        result = core.recommend(index=index, questionnaire=tents, state=state_for(tents, example.answers), locale="de")
        labels = [critique.label for critique in result.critiques]
        assert len(labels) == len(set(labels)), labels
        offered += len(labels)
    assert offered > 0


@settings(max_examples=100, deadline=None)
@given(st.lists(ANSWERS, min_size=1, max_size=8), st.integers(1, 3))
def test_a_live_count_worked_out_before_is_the_count_of_those_answers(asked: list[dict[str, Any]], kept: int) -> None:
    """Live counts and requirement masks are kept per index (shoppers give the same answers): what is kept is
    never another answers' count, also when the memos are full and forget the oldest, and a new index (catalog)
    is counted afresh."""

    def fresh(index: CategoryIndex, answers: dict[str, Any]) -> int:
        with pytest.MonkeyPatch.context() as patch:  # every requirement evaluated, nothing kept
            patch.setattr(core, "_requirement_mask", lambda index, requirement, values: evaluate_columns(
                requirement.expression, values, index))  # fmt: skip
            return int(core._passing(core._prepare(index, Q, answers, "en")).sum())

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(core, "COUNTS_KEPT", kept)
        patch.setattr(core, "MASKS_KEPT", kept)
        for answers in [*asked, *asked]:  # every answers twice: the second time from the memo, if still kept
            state = state_for(Q, answers)
            assert core.live_count(index=TENTS, questionnaire=Q, answers=state.answers) == fresh(TENTS, state.answers)
    fewer = made_up_index("tents", TENTS.products[:3])
    state = state_for(Q, asked[0])
    assert core.live_count(index=fewer, questionnaire=Q, answers=state.answers) == fresh(fewer, state.answers)


def test_a_kept_requirement_mask_cannot_be_changed_in_place() -> None:
    state = state_for(Q, {"activity": "trekking", "persons": 2})
    context = core._prepare(TENTS, Q, state.answers, "en")
    requirement = context.constraints[0].requirements[0]
    kept = core._requirement_mask(TENTS, requirement, context.values)
    assert core._requirement_mask(TENTS, requirement, context.values) is kept
    with pytest.raises(ValueError, match="read-only"):
        kept &= False


def test_a_requirement_the_answer_makes_true_for_every_product_is_no_reason_given() -> None:
    """Asking for warmth makes `not insulated or warmth` true for every jacket: a padded jacket must not be praised as
    "unlined" (its label), and nothing is said to fit "unlined" on the results (`advisor check` warns: Q023)."""
    from advisor.paths import shipped_questionnaires_dir
    from advisor.questionnaire.load import load_text

    shipped = (shipped_questionnaires_dir() / "rain-jacket-finder.yaml").read_text(encoding="utf-8")
    marker = '    prefer:\n      - {attribute: insulated, target: "1 if warmth else 0", weight: 5}\n'
    assert marker in shipped
    planted = shipped.replace(
        marker,
        '    require:\n      - expr: not insulated or warmth\n        label: {de: "ohne Wattierung", en: "unlined"}\n'
        + marker,
    )
    loaded = load_text(planted, "rain-jacket-finder.yaml")
    finder = loaded.questionnaire
    assert finder is not None
    jackets = sample_index("rain_jackets")
    answers = {"activity": "city", "warmth": True, "rain": "showers", "sweat": "easy"}
    state = state_for(finder, answers)
    result = core.recommend(index=jackets, questionnaire=finder, state=state, locale="en", show=40)
    assert any(item.product.attributes.get("insulated") for item in result.products)
    assert all("unlined" not in reason.text for item in result.products for reason in item.reasons)
    assert all(constraint.step_id != "warmth" for constraint in result.constraints)


def test_two_wishes_on_the_price_say_the_same_drawback_once() -> None:
    """Both "little sweating" and "not much use" prefer a lower price: a dear jacket's price is one drawback."""
    from advisor.questionnaire.library import load_library

    finder = load_library().questionnaires["rain-jacket-finder"]
    answers = {"activity": "city", "rain": "showers", "sweat": "easy", "cut": DONT_CARE, "warmth": True,
               "budget": DONT_CARE, "weight_importance": "low", "extras": DONT_CARE}  # fmt: skip
    result = core.recommend(index=sample_index("rain_jackets"), questionnaire=finder, state=state_for(finder, answers),
                            locale="de", show=40)  # fmt: skip
    assert any(t.text.startswith("Preis:") for item in result.products for t in item.tradeoffs)
    for item in result.products:
        for said in (item.reasons, item.tradeoffs):
            assert len({reason.text for reason in said}) == len(said), item.sku


def test_when_nothing_fits_the_changes_that_keep_a_firm_wish_come_first() -> None:
    """Six sleepers, 210 cm, ultralight and every extra in the high mountains: dropping "room for 6" brings a tent
    back with the fewest changes, but a tent for fewer sleepers is no way out; it is offered after the others."""
    from dataclasses import replace

    from advisor.questionnaire.library import load_library

    tents = load_library().questionnaires["tent-finder"]
    assert tents.step("persons").firm and tents.step("body_height").firm
    answers = {"region": "alpine", "frequency": "often", "persons": 6, "extra_space": True, "body_height": 210,
               "weight_importance": "ultralight",
               "extras": ["freestanding_wish", "two_entrances", "quick_pitch", "headroom", "small_pack"]}  # fmt: skip

    def offers(questionnaire: Any) -> list[tuple[str, ...]]:
        state = state_for(questionnaire, answers)
        result = core.recommend(index=TENTS, questionnaire=questionnaire, state=state, locale="de")
        assert result.count == 0
        return [relaxation.drop for relaxation in result.relaxations]

    firm = offers(tents)
    assert not any(key.startswith(("persons", "body_height")) for key in firm[0]), firm
    assert any("persons" in drop for drop in firm), "dropping it is still offered, after the others"
    steps = tuple(replace(step, firm=False) for step in tents.steps)
    assert offers(replace(tents, steps=steps))[0] == ("persons", "weight_importance"), "without firm: fewest changes"
