"""A help flow's questions fit the product the shopper owns: a step's show_if (and a route's condition) reads the
product's attributes, so a tent pitched with a trekking pole is not asked what its pole looks like. The session, its
stored form, the outcomes and `advisor check` all walk the flow for the product."""

from __future__ import annotations

from pathlib import Path

from advisor.audit import analyse_text
from advisor.paths import questionnaires_dir
from advisor.questionnaire.model import Questionnaire
from advisor.session.service import AdviceSession
from tests.helpers.service import merged_catalog, merged_dictionary, shipped_flow

CATALOG = merged_catalog()
TENTS = CATALOG.categories["tents"]
TREKKING_POLE_TENT = "NG-TENT-0001"  # Karwendel UL 1, pitched with a trekking pole
POLED_TENT = "NG-TENT-0003"  # a semi-geodesic tent with its own poles
TEXT = (questionnaires_dir() / "tent-help.yaml").read_text(encoding="utf-8")
POLE_STEP = '    show_if: problem == "pole" and not (tent_type == "trekking_pole")'


def started(sku: str = "") -> AdviceSession:
    session = AdviceSession.start(shipped_flow("tent-help.yaml"), index=TENTS, locale="en")
    session.catalog = CATALOG
    if sku:
        session.set_product(sku)
    return session


def outcome_ids(session: AdviceSession) -> list[str]:
    return [item.id for item in session.outcomes()]


def test_the_owner_of_a_trekking_pole_tent_is_not_asked_about_its_poles() -> None:
    session = started(TREKKING_POLE_TENT)
    session.answer("problem", "pole")
    assert session.state.complete  # straight to what helps: no "what does the pole look like?", no purchase date
    assert outcome_ids(session) == ["no-pole", "talk"]
    assert session.progress().total == 1


def test_a_tent_with_poles_and_an_unnamed_tent_are_asked_as_before() -> None:
    for sku in (POLED_TENT, ""):
        session = started(sku)
        session.answer("problem", "pole")
        assert session.state.current == "pole_damage", sku
        session.answer("pole_damage", "broken")
        assert session.state.current == "bought_months", sku


def test_naming_another_product_at_the_outcomes_asks_what_it_now_needs_and_drops_what_it_does_not() -> None:
    session = started(TREKKING_POLE_TENT)
    session.answer("problem", "pole")
    assert session.state.complete
    session.set_product(POLED_TENT)  # "it is the other tent": its pole is asked about now
    assert session.state.current == "pole_damage"
    session.answer("pole_damage", "bent")
    assert outcome_ids(session) == ["splint-guide", "pole-splint", "talk"]
    session.set_product(TREKKING_POLE_TENT)  # and back: the pole answer no longer counts
    assert session.state.complete
    assert dict(session.state.answers) == {"problem": "pole"}
    assert outcome_ids(session) == ["no-pole", "talk"]
    session.set_product("")  # "I do not know which one": asked again
    assert session.state.current == "pole_damage"


def test_a_stored_run_is_read_back_walked_for_its_product() -> None:
    session = started(TREKKING_POLE_TENT)
    session.answer("problem", "pole")
    stored = session.snapshot()
    flows = {"tent-help": shipped_flow("tent-help.yaml")}
    again = AdviceSession.restore(stored, flows, index=TENTS)
    again.catalog = CATALOG
    assert again.state.complete and again.dropped == ()
    assert outcome_ids(again) == ["no-pole", "talk"]


def test_a_finders_condition_on_a_step_still_cannot_read_a_product() -> None:
    text = (questionnaires_dir() / "tent-finder.yaml").read_text(encoding="utf-8")
    changed = text.replace("kind: yes_no\n", 'kind: yes_no\n    show_if: tent_type == "dome"\n', 1)
    assert changed != text
    analysis = analyse_text(changed, "tent-finder.yaml", dictionary=merged_dictionary(), catalog=None, walk=False)
    assert any(f.code == "Q008" and "'tent_type' is a product attribute" in f.message for f in analysis.findings)


def analysed(text: str) -> list[str]:
    analysis = analyse_text(text, str(Path("tent-help.yaml")), dictionary=merged_dictionary(), catalog=CATALOG)
    return [f"{f.code} {f.message}" for f in analysis.findings]


def test_check_accepts_the_shipped_flow_and_names_a_misspelt_attribute() -> None:
    assert POLE_STEP in TEXT
    assert analysed(TEXT) == []
    misspelt = analysed(TEXT.replace(POLE_STEP, POLE_STEP.replace("tent_type", "tent_typ")))
    assert any(m.startswith("Q008 'tent_typ' is not a step or a product attribute") for m in misspelt), misspelt


def test_check_walks_each_kind_of_product_a_step_may_depend_on() -> None:
    # Only for trekking-pole tents: asked for some products, so not "never asked" (it would be, walked without one).
    only_trekking = analysed(TEXT.replace(POLE_STEP, '    show_if: problem == "pole" and tent_type == "trekking_pole"'))
    assert not any(m.startswith("Q024") for m in only_trekking), only_trekking
    # No tent of the catalog has more than 50 persons' room: the step is never asked, whatever the product.
    never = analysed(TEXT.replace(POLE_STEP, '    show_if: problem == "pole" and capacity > 50'))
    assert any(m.startswith("Q024 step 'pole_damage' is never asked") for m in never), never


def test_check_finds_an_outcome_no_product_reaches_once_its_question_depends_on_the_product() -> None:
    # The splint guide needs a bent pole of a tent with poles; asked only for trekking-pole tents, it is never reached.
    changed = TEXT.replace(POLE_STEP, '    show_if: problem == "pole" and tent_type == "trekking_pole"')
    findings = analysed(changed)
    assert any(m.startswith("A008 no answer path reaches outcome 'splint-guide'") for m in findings), findings


def test_an_example_is_run_for_its_product() -> None:
    # The trekking-pole example answers only the problem: walked without its product it would stop at the pole.
    flow: Questionnaire = shipped_flow("tent-help.yaml")
    example = next(e for e in flow.examples if e.name == "Pole of a trekking-pole tent")
    assert dict(example.answers) == {"problem": "pole"} and example.product == TREKKING_POLE_TENT
    wrong = TEXT.replace("    outcomes: [no-pole, talk]", "    outcomes: [no-pole]")
    assert any(m.startswith("A010 example 'Pole of a trekking-pole tent'") for m in analysed(wrong))
