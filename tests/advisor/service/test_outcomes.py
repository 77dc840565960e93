"""Which outcomes of a service flow apply: the shipped flows by hand, and random answers against the conditions."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import engine
from advisor.expressions import evaluate, evaluate_columns
from advisor.questionnaire.model import DONT_CARE, Questionnaire
from advisor.recommend.index import ProductInfo
from advisor.service.guides import guides_in_use
from advisor.service.outcomes import condition_values, outcomes_for
from advisor.service.warranty import ENDED, MANUFACTURER, STATUTORY, UNKNOWN, WarrantyNote, warranty_notes
from tests.helpers.service import FLOWS, merged_catalog, shipped_flow

CATALOG = merged_catalog()
GUIDES = guides_in_use()


def _answered(flow: Questionnaire, answers: dict[str, Any]) -> engine.SessionState:
    state = engine.start(flow)
    for step_id, value in answers.items():
        state = engine.answer(flow, state, step_id, value)
    return state


def _product(sku: str) -> ProductInfo:
    for index in CATALOG.categories.values():
        if sku in index.position:
            return index.products[index.position[sku]]
    raise KeyError(sku)


def test_leaking_seams_lead_to_the_guide_the_sealer_and_a_person_in_file_order() -> None:
    flow = shipped_flow("tent-help.yaml")
    state = _answered(flow, {"problem": "leak", "leak_where": "seams", "leak_since": "after_years"})
    applied = outcomes_for(flow=flow, answers=state.answers, guides=GUIDES, catalog=CATALOG)
    assert [item.id for item in applied] == ["seam-guide", "seam-sealer", "seam-repair", "talk"]
    assert applied[0].guide is not None and applied[0].guide.id == "tent-seam-sealing"
    assert applied[0].guide.steps[0].number == 1 and applied[0].guide.needs == ("NG-CARE-0001",)
    assert applied[1].parts == ("NG-CARE-0001",)


def test_a_parts_rule_selects_from_its_category() -> None:
    flow = shipped_flow("zip-help.yaml")
    state = _answered(flow, {"zip_problem": "splits", "bought_months": 3})
    applied = {item.id: item for item in outcomes_for(flow=flow, answers=state.answers, catalog=CATALOG)}
    assert applied["slider-set"].parts == ("NG-PART-0001", "NG-PART-0002")
    # Without the catalog at hand a rule selects nothing, and a parts outcome that offers nothing is left out.
    assert "slider-set" not in [item.id for item in outcomes_for(flow=flow, answers=state.answers)]


def test_conditions_see_the_products_attributes_and_null_without_a_product() -> None:
    flow = shipped_flow("sleeping-bag-help.yaml")
    answers = _answered(flow, {"bag_problem": "dirty"}).answers
    synthetic = _product("NG-SBAG-0015")
    down = _product("NG-SBAG-0001")
    assert synthetic.attributes["fill"] == "synthetic" and down.attributes["fill"] == "down"
    ids = [item.id for item in outcomes_for(flow=flow, answers=answers, product=synthetic, catalog=CATALOG)]
    assert ids == ["synthetic-wash-guide", "tech-wash", "talk"]
    for product in (down, None):  # not named: the down guide ("not synthetic" holds for null)
        ids = [item.id for item in outcomes_for(flow=flow, answers=answers, product=product, catalog=CATALOG)]
        assert ids == ["down-wash-guide", "down-wash", "talk"]


def test_warranty_guidance_from_the_months_since_purchase() -> None:
    # Without a manufacturer warranty in the catalog (or a product), the last note says none is on record.
    assert warranty_notes(0, None) == (WarrantyNote(STATUTORY, 24, no_manufacturer=True),)
    assert warranty_notes(23, None) == (WarrantyNote(STATUTORY, 1, no_manufacturer=True),)
    assert warranty_notes(24, None) == (WarrantyNote(ENDED, no_manufacturer=True),)
    assert warranty_notes(None, None) == (WarrantyNote(UNKNOWN, no_manufacturer=True),)
    tent = replace(_product("NG-TENT-0002"), repair={"warranty_years": 5})
    assert warranty_notes(30, tent) == (WarrantyNote(MANUFACTURER, 30, 5.0),)
    assert warranty_notes(12, tent) == (WarrantyNote(STATUTORY, 12), WarrantyNote(MANUFACTURER, 48, 5.0))
    assert warranty_notes(60, tent) == (WarrantyNote(ENDED, None, 5.0),)
    assert warranty_notes(12, replace(tent, repair={"warranty_years": "5"})) == (
        WarrantyNote(STATUTORY, 12, no_manufacturer=True),
    )


def test_warranty_wording_is_guidance_in_both_languages_and_both_forms() -> None:
    note = WarrantyNote(STATUTORY, 1)
    assert "Gewährleistung" in note.say("en") and "not a legal decision" in note.say("en")
    assert "1 month left" in note.say("en")
    assert "Bring den Kassenbon" in note.say("de", "du") and "keine rechtliche Entscheidung" in note.say("de")
    assert "Bringen Sie den Kassenbon" in note.say("de", "Sie") and " dich " not in note.say("de", "Sie")
    assert "5 Jahre Garantie" in WarrantyNote(MANUFACTURER, 20, 5.0).say("de")
    assert "ended" in WarrantyNote(ENDED, None, 5.0).say("en") and "5 years" in WarrantyNote(ENDED, None, 5.0).say("en")


def test_a_warranty_outcome_carries_its_notes() -> None:
    flow = shipped_flow("tent-help.yaml")
    state = _answered(flow, {"problem": "leak", "leak_where": "floor", "leak_since": "from_new", "bought_months": 5})
    warranty = next(item for item in outcomes_for(flow=flow, answers=state.answers) if item.kind == "warranty")
    assert warranty.warranty == (WarrantyNote(STATUTORY, 19, no_manufacturer=True),)
    state = _answered(
        flow, {"problem": "leak", "leak_where": "floor", "leak_since": "from_new", "bought_months": DONT_CARE}
    )
    warranty = next(item for item in outcomes_for(flow=flow, answers=state.answers) if item.kind == "warranty")
    assert warranty.warranty == (WarrantyNote(UNKNOWN, no_manufacturer=True),)


@st.composite
def runs(draw: st.DrawFn, names: tuple[str, ...] = FLOWS) -> tuple[Questionnaire, dict[str, Any], ProductInfo | None]:
    """A shipped flow answered at random to its end, and a product of its category (or none)."""
    flow = shipped_flow(draw(st.sampled_from(names)))
    state = engine.start(flow)
    while state.current is not None:
        step = flow.step(state.current)
        choices: list[st.SearchStrategy[Any]] = []
        if step.kind == "single":
            choices.append(st.sampled_from([option.id for option in step.options]))
        elif step.kind == "yes_no":
            choices.append(st.booleans())
        elif step.kind == "number":
            assert step.min is not None and step.max is not None
            choices.append(st.integers(int(step.min), int(step.max)))
        if step.dont_care:
            choices.append(st.just(DONT_CARE))
        state = engine.answer(flow, state, step.id, draw(st.one_of(choices)))
    products = CATALOG.categories[flow.category].products
    product = draw(st.one_of(st.none(), st.sampled_from(products)))
    return flow, dict(state.answers), product


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs())
def test_outcomes_for_random_answers_are_exactly_those_whose_conditions_hold(
    run: tuple[Questionnaire, dict[str, Any], ProductInfo | None],
) -> None:
    flow, answers, product = run
    applied = outcomes_for(flow=flow, answers=answers, guides=GUIDES, product=product, catalog=CATALOG)
    values = condition_values(flow, answers, product)
    holding = [o.id for o in flow.outcomes if o.condition is None or bool(evaluate(o.condition, values))]
    offering = [item.id for item in applied if item.kind != "parts" or item.parts]
    assert [item.id for item in applied] == offering == holding  # all that hold, none other, in file order
    assert applied, "every shipped flow ends with a person to talk to"
    for item in applied:
        outcome = item.outcome
        if outcome.kind == "guide":
            assert item.guide is not None
            # the outcome's guide, or the product's own guide that `replaces` it (a silnylon tent's seams)
            assert outcome.guide in (item.guide.id, item.guide.replaces)
            if product is not None:  # never a guide whose family leaves the shopper's product out
                assert item.guide.is_for(sku=product.sku, category=flow.category, attributes=product.attributes)
        else:
            assert item.guide is None
        if outcome.kind == "parts":
            assert outcome.parts is not None and item.parts[: len(outcome.parts.skus)] == outcome.parts.skus
            for sku in item.parts[len(outcome.parts.skus) :]:
                assert outcome.parts.category is not None and outcome.parts.rule is not None
                index = CATALOG.categories[outcome.parts.category]
                assert evaluate_columns(outcome.parts.rule, values, index)[index.position[sku]]
            assert len(set(item.parts)) == len(item.parts)
        if outcome.kind == "warranty":
            assert outcome.purchased is not None
            months = values.get(outcome.purchased)
            bases = {note.basis for note in item.warranty}
            assert (STATUTORY in bases) == (months is not None and months < 24)
            assert (UNKNOWN in bases) == (months is None)


@pytest.mark.parametrize("name", FLOWS)
def test_every_outcome_of_the_shipped_flows_is_reached_by_some_random_run(name: str) -> None:
    """The examples and the walk agree with plain enumeration: each outcome applies after some answers."""
    flow = shipped_flow(name)
    seen: set[str] = set()

    @settings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(runs((name,)))
    def collect(run: tuple[Questionnaire, dict[str, Any], ProductInfo | None]) -> None:
        seen.update(item.id for item in outcomes_for(flow=flow, answers=run[1], product=run[2], catalog=CATALOG))

    collect()
    assert seen == {outcome.id for outcome in flow.outcomes}


def test_a_parts_rule_can_pick_what_fits_the_shoppers_product() -> None:
    from advisor.audit import analyse_text
    from advisor.paths import questionnaires_dir
    from tests.helpers.service import merged_dictionary

    text = (questionnaires_dir() / "zip-help.yaml").read_text(encoding="utf-8")
    fitted = text.replace(
        'rule: part_type == "zip_slider" and "tents" in for_categories',
        'rule: part_type == "zip_slider" and (capacity >= 3 and zip_size == 8 or capacity < 3 and zip_size == 5)',
    )
    assert fitted != text
    analysis = analyse_text(fitted, "zip-help.yaml", dictionary=merged_dictionary(), catalog=CATALOG, guides=GUIDES)
    flow = analysis.questionnaire
    assert flow is not None
    # The example without a product now gets no slider from the rule: the only finding is that example's.
    assert [f.code for f in analysis.findings] == ["A010"]
    answers = _answered(flow, {"zip_problem": "splits", "bought_months": 3}).answers
    tents = CATALOG.categories["tents"].products
    small = next(p for p in tents if p.attributes["capacity"] == 1)
    large = next(p for p in tents if p.attributes["capacity"] >= 3)

    def sliders(product: ProductInfo) -> tuple[str, ...]:
        applied = outcomes_for(flow=flow, answers=answers, product=product, catalog=CATALOG)
        return next(item.parts for item in applied if item.id == "slider-set")

    assert sliders(small) == ("NG-PART-0001",) and sliders(large) == ("NG-PART-0002",)
    assert "slider-set" not in [item.id for item in outcomes_for(flow=flow, answers=answers, catalog=CATALOG)]
