"""What the shopper reads fits the product they own: no spray for a silicone tent, no down guide for a synthetic bag,
no pole repair for a tent without poles, and a warranty card that speaks of the manufacturer's warranty too."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from advisor import engine
from advisor.expressions import parse
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.index import ProductInfo
from advisor.rendering.service import outcome_views
from advisor.service.guides import guides_in_use
from advisor.service.outcomes import Applied, outcomes_for
from advisor.service.warranty import ENDED, MANUFACTURER, STATUTORY, UNKNOWN, WarrantyNote, warranty_notes
from tests.helpers.service import merged_catalog, shipped_flow

CATALOG = merged_catalog()
GUIDES = guides_in_use()
SILICONE_TENT = "NG-TENT-0001"  # Karwendel UL 1: silicone-coated, pitched with a trekking pole
PU_TENT = "NG-TENT-0003"  # a semi-geodesic tent with a PU coating and its own poles
SYNTHETIC_BAG = "NG-SBAG-0015"  # Nebelmeer 800
DOWN_BAG = "NG-SBAG-0001"


def _product(sku: str | None) -> ProductInfo | None:
    if sku is None:
        return None
    for index in CATALOG.categories.values():
        if sku in index.position:
            return index.products[index.position[sku]]
    raise KeyError(sku)


def _applied(flow: Questionnaire, answers: dict[str, Any], sku: str | None) -> tuple[Applied, ...]:
    state = engine.start(flow)
    for step_id, value in answers.items():
        state = engine.answer(flow, state, step_id, value)
    return outcomes_for(flow=flow, answers=state.answers, guides=GUIDES, product=_product(sku), catalog=CATALOG)


def _read(flow: Questionnaire, answers: dict[str, Any], sku: str | None, locale: str = "en") -> list[tuple[str, str]]:
    """The cards as the shopper reads them: (title, text and what they offer) in order."""
    views = outcome_views(_applied(flow, answers, sku), catalog=CATALOG, store_id="ham-01", locale=locale,
                          address=flow.address[locale])  # fmt: skip
    read = []
    for view in views:
        said = [view.text, view.repair, *view.warranty]
        if view.guide is not None:
            said += [view.guide.title, *(step.text for step in view.guide.steps), *(p.name for p in view.guide.needs)]
        said += [part.name for part in view.parts]
        read.append((view.title, " ".join(s for s in said if s)))
    return read


def _ids(flow: Questionnaire, answers: dict[str, Any], sku: str | None) -> list[str]:
    return [item.id for item in _applied(flow, answers, sku)]


def _flow_with_condition(flow: Questionnaire, outcome_id: str, condition: str) -> Questionnaire:
    outcomes = tuple(replace(o, condition=parse(condition)) if o.id == outcome_id else o for o in flow.outcomes)
    return replace(flow, outcomes=outcomes)


# -- defect 1: a guide whose family leaves the product out is never offered for it ---------------------------------

FLY = {"problem": "leak", "leak_where": "fly", "leak_since": "after_years"}
FEATHERS = {"bag_problem": "down_leak", "leak_kind": "single_feathers"}


def test_a_guide_whose_family_leaves_the_shoppers_product_out_is_not_chosen() -> None:
    tent = _product(SILICONE_TENT)
    assert tent is not None and tent.attributes["tent_type"] == "trekking_pole"
    assert GUIDES.chosen("tent-reproofing", sku=SILICONE_TENT, category="tents", attributes=tent.attributes) is None
    unknown = GUIDES.chosen("tent-reproofing", sku=None, category="tents", attributes={})
    assert unknown is not None and unknown.id == "tent-reproofing"  # product not named: the general guide
    bag = _product(SYNTHETIC_BAG)
    assert bag is not None
    assert GUIDES.chosen("sleeping-bag-feathers", sku=SYNTHETIC_BAG, category="sleeping_bags",
                         attributes=bag.attributes) is None  # fmt: skip


def test_the_core_leaves_out_a_guide_outcome_even_when_the_flows_condition_lets_the_product_through() -> None:
    """Kiosk and web both take the outcomes from outcomes_for: a flow that forgets the product's kind still never
    shows a guide its family's condition excludes."""
    tent_flow = _flow_with_condition(shipped_flow("tent-help.yaml"), "reproof-guide",
                                     'leak_where == "fly" and leak_since == "after_years"')  # fmt: skip
    assert "reproof-guide" not in _ids(tent_flow, FLY, SILICONE_TENT)
    assert "Reproof the flysheet" not in [title for title, _ in _read(tent_flow, FLY, SILICONE_TENT)]
    for sku in (PU_TENT, None):
        assert "reproof-guide" in _ids(tent_flow, FLY, sku)
    bag_flow = _flow_with_condition(shipped_flow("sleeping-bag-help.yaml"), "feathers-guide",
                                    'leak_kind == "single_feathers"')  # fmt: skip
    assert "feathers-guide" not in _ids(bag_flow, FEATHERS, SYNTHETIC_BAG)
    for sku in (DOWN_BAG, None):
        assert "feathers-guide" in _ids(bag_flow, FEATHERS, sku)


def test_a_silicone_tents_owner_gets_no_proofing_spray_but_the_workshop_for_a_leaking_flysheet() -> None:
    flow = shipped_flow("tent-help.yaml")
    read = _read(flow, FLY, SILICONE_TENT)
    assert [title for title, _ in read] == ["Have the flysheet checked in our workshop", "Rather talk to someone?"]
    everything = " ".join(said for _, said in read)
    assert "Spray evenly" not in everything and "reproofing spray" not in everything
    assert "do not spray" in read[0][1] and "In our workshop · about 14 days" in read[0][1]
    german = _read(flow, FLY, SILICONE_TENT, "de")
    assert german[0][0] == "Außenzelt in unserer Werkstatt prüfen lassen" and "nicht sprühen" in german[0][1]


def test_a_pu_tent_and_an_unknown_tent_still_get_the_reproofing_guide_and_spray() -> None:
    flow = shipped_flow("tent-help.yaml")
    for sku in (PU_TENT, None):
        read = _read(flow, FLY, sku)
        assert [title for title, _ in read] == ["Reproof the flysheet", "Rather talk to someone?"], sku
        assert "Tent reproofing spray 500 ml" in read[0][1]  # the spray, under what the guide needs
        assert _ids(flow, FLY, sku) == ["reproof-guide", "reproof-spray", "talk"]


def test_a_synthetic_bag_losing_single_fibres_is_told_it_has_no_down() -> None:
    flow = shipped_flow("sleeping-bag-help.yaml")
    read = _read(flow, FEATHERS, SYNTHETIC_BAG)
    assert [title for title, _ in read] == ["Your sleeping bag has no down", "Rather talk to someone?"]
    assert "synthetic fibres" in read[0][1] and "feather" not in " ".join(said for _, said in read)
    assert _read(flow, FEATHERS, SYNTHETIC_BAG, "de")[0][0] == "Dein Schlafsack hat keine Daunen"
    for sku in (DOWN_BAG, None):
        assert [title for title, _ in _read(flow, FEATHERS, sku)] == [
            "Single feathers are normal",
            "Rather talk to someone?",
        ]


# -- defect 4: the pole path fits a tent without poles -----------------------------------------------------------


def test_a_trekking_pole_tent_is_offered_no_pole_section_splint_or_warranty_for_its_pole() -> None:
    flow = shipped_flow("tent-help.yaml")
    for damage in ({"pole_damage": "broken", "bought_months": 30}, {"pole_damage": "bent"}):
        answers = {"problem": "pole", **damage}
        read = _read(flow, answers, SILICONE_TENT)
        assert [title for title, _ in read] == ["Your tent has no pole of its own", "Rather talk to someone?"]
        assert "trekking pole" in read[0][1]
        everything = " ".join(f"{title} {said}" for title, said in read)
        assert "A new section" not in everything and "splint" not in everything.lower()
    german = _read(flow, {"problem": "pole", "pole_damage": "broken", "bought_months": 30}, SILICONE_TENT, "de")
    assert german[0][0] == "Dein Zelt hat kein eigenes Gestänge"


def test_a_tent_with_poles_and_an_unknown_tent_keep_the_pole_repair() -> None:
    flow = shipped_flow("tent-help.yaml")
    broken = {"problem": "pole", "pole_damage": "broken", "bought_months": 30}
    for sku in (PU_TENT, None):
        assert [title for title, _ in _read(flow, broken, sku)] == [
            "Statutory and manufacturer warranty",
            "The pole splint",
            "A new section from the manufacturer",
            "Rather talk to someone?",
        ], sku
        assert _ids(flow, {"problem": "pole", "pole_damage": "bent"}, sku) == ["splint-guide", "pole-splint", "talk"]


# -- defect 6: the warranty card speaks of the manufacturer's warranty ---------------------------------------------


def test_without_a_manufacturer_warranty_the_card_says_so_in_one_line_and_to_ask_us() -> None:
    flow = shipped_flow("tent-help.yaml")
    floor = {"problem": "leak", "leak_where": "floor", "leak_since": "from_new"}
    for sku in (PU_TENT, None):
        for months, basis in ((5, STATUTORY), (30, ENDED)):
            read = dict(_read(flow, {**floor, "bought_months": months}, sku))
            said = read["Statutory and manufacturer warranty"]
            assert "We have no manufacturer warranty beyond the statutory one on record for this product; ask us." in (
                said
            ), (sku, months)
            assert said.count("manufacturer warranty") == 1
            assert [n.basis for n in warranty_notes(months, _product(sku))] == [basis]
    du = dict(_read(flow, {**floor, "bought_months": 5}, PU_TENT, "de"))["Gewährleistung und Garantie"]
    assert "Herstellergarantie" in du and "frag uns gern danach" in du
    sie = WarrantyNote(UNKNOWN, no_manufacturer=True).say("de", "Sie")
    assert "fragen Sie uns gern danach" in sie and " frag uns " not in sie


def test_a_manufacturer_warranty_the_catalog_gives_is_described_as_before() -> None:
    tent = _product(PU_TENT)
    assert tent is not None
    tent = replace(tent, repair={"warranty_years": 5})
    notes = warranty_notes(12, tent)
    assert notes == (WarrantyNote(STATUTORY, 12), WarrantyNote(MANUFACTURER, 48, 5.0))
    said = " ".join(note.say("en") for note in notes)
    assert "The manufacturer gives a warranty of 5 years" in said and "no manufacturer warranty" not in said
    assert "no manufacturer warranty" not in warranty_notes(70, tent)[0].say("en")
