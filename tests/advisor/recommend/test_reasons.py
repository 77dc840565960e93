"""What a shopper reads about the shown products, checked against what the shopper said in the walks QA made: the
fitting variant's figures, "your wish" only for a figure given, no praise for room the group does not need, a price
difference that matters named, one money format per language, the dictionary's words and order."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from advisor.i18n import counted
from advisor.questionnaire.library import load_library
from advisor.recommend.core import Relaxation, constraint_label, display_answer, format_value
from advisor.recommend.explain import decide, say_relaxation, say_shared, say_standout, say_versus_top
from advisor.recommend.index import CategoryIndex, model_values
from advisor.session.service import AdviceSession
from tests.helpers.index import made_up_index, sample_index

QUESTIONNAIRES = load_library().questionnaires
COLD_TREK = {  # a cold sleeper, 190 cm: only the long version of the lightest bag fits
    "activity": ("trekking",), "lowest_temp": 3, "sleeper": "cold", "who": "dont_care", "body_height": 190,
    "fill_choice": "dont_care", "weight_importance": "high",
}  # fmt: skip
HUT_TOUR = {  # no question about the volume; a rain cover asked for
    "who": "men", "activity": "hut_tour", "nights": 2, "load": "dont_care", "torso_length": 47,
    "carry_pref": "dont_care", "shared": False, "extras": ("cover",),
}  # fmt: skip
BIKE_TOUR = {
    "region": "dont_care", "trip": "bike", "frequency": "regularly", "persons": 2, "extra_space": False,
    "body_height": 190, "weight_importance": "medium", "extras": "dont_care",
}  # fmt: skip
HIKING_JACKET = {
    "activity": "hiking", "rain": "rainy_days", "sweat": "moderate", "cut": "dont_care", "budget": 220,
    "weight_importance": "medium", "extras": "dont_care", "chest_cm": "dont_care", "body_height": 175,
}  # fmt: skip


def advised(questionnaire_id: str, answers: dict[str, Any], locale: str = "de") -> AdviceSession:
    questionnaire = QUESTIONNAIRES[questionnaire_id]
    session = AdviceSession.start(questionnaire, index=sample_index(questionnaire.category), locale=locale)
    session.set_answers(answers)
    return session


def lines(session: AdviceSession) -> list[str]:
    return [r.text for item in session.recommendation().products for r in (*item.reasons, *item.tradeoffs)]


def as_the_database_builds(category: str) -> CategoryIndex:
    """The sample catalog with each model's best values of what varies, as the database's index has them (the
    lightest variant's weight, the longest's length)."""
    index = sample_index(category)
    less = {name: spec.more_is_better is False for name, spec in index.category.attributes.items()}
    return made_up_index(category, [
        replace(p, attributes={**p.attributes, **model_values([v.options for v in p.variants], less)})
        for p in index.products
    ])  # fmt: skip


def test_a_model_of_which_only_the_long_version_fits_is_explained_by_the_long_version() -> None:
    questionnaire = QUESTIONNAIRES["sleeping-bag-finder"]
    session = AdviceSession.start(questionnaire, index=as_the_database_builds("sleeping_bags"), locale="de")
    session.set_answers(COLD_TREK)
    top = session.recommendation().products[0]
    assert top.product.attributes["weight_kg"] == 1.05, "the model's weight is its lightest variant's"
    assert [v.options["length"] for v in top.variants] == ["long"], "Hochkar 600: only the long one fits 190 cm"
    regular = next(v for v in top.product.variants if v not in top.variants)
    assert regular.options["weight_kg"] == 1.05 and regular.price < top.variants[0].price
    weights = [r for r in top.reasons if r.attribute == "weight_kg"]
    assert weights and all(r.value == 1.11 and "1,11\u00a0kg" in r.text for r in weights)
    assert not any("1,05\u00a0kg" in line for line in lines(session))


def test_your_wish_quotes_only_a_figure_the_shopper_gave_and_only_when_close() -> None:
    said = lines(advised("sleeping-bag-finder", COLD_TREK))
    assert not [line for line in said if "Wunsch" in line], said  # not "195 cm", not -5 °C "nah an" 3 °C
    normal = advised("sleeping-bag-finder", {**COLD_TREK, "sleeper": "normal", "lowest_temp": 0})
    wishes = [r for item in normal.recommendation().products for r in item.reasons if r.kind == "close_to"]
    assert wishes, "a comfort rating within 2 °C of the coldest night given is close to the wish"
    assert all(abs(r.value) <= 2 and r.text.endswith(("(0\u00a0°C)", "genau dein Wunsch")) for r in wishes), wishes
    backpacks = lines(advised("backpack-finder", HUT_TOUR, "en"))
    assert not [line for line in backpacks if "wish" in line], backpacks  # no volume was asked
    assert "with rain cover" in backpacks and not [line for line in backpacks if "(Yes)" in line]


def test_no_extra_room_wanted_more_places_are_no_gain_and_fewer_no_drawback() -> None:
    tents = QUESTIONNAIRES["tent-finder"]
    family = advised("tent-finder", dict(tents.examples[1].answers))  # 4 people, gear outside
    result = family.recommendation()
    assert result.products[0].product.attributes["capacity"] < 6, "the six-person tent is not ranked up"
    decision = family.decision()
    assert not [s for standouts in decision.standouts.values() for s in standouts if s.attribute == "capacity"]
    assert not [d for a in decision.alternatives for d in a.differences if d.attribute == "capacity"]
    festival = advised("tent-finder", dict(tents.examples[2].answers))
    index = festival.index
    assert index is not None
    said = [say_versus_top(a, index, "de") for a in festival.decision().alternatives]
    said += [say_standout(s, index, "de") for ss in festival.decision().standouts.values() for s in ss]
    assert not [line for line in said if "Schlafplätze" in line], said


def test_against_the_top_pick_a_large_price_difference_is_named() -> None:
    session = advised("tent-finder", BIKE_TOUR)
    index = session.index
    assert index is not None
    nebelhorn = next(a for a in session.decision().alternatives if a.sku == "NG-TENT-0009")
    assert "220\u00a0€ günstiger" in say_versus_top(nebelhorn, index, "de"), 'one line: never "220" / "€ günstiger"'


def test_money_reads_one_way_per_language() -> None:
    budget = QUESTIONNAIRES["rain-jacket-finder"].step("budget")
    assert display_answer(budget, 200, "en") == "€200" and display_answer(budget, 200, "de") == "200 €"
    said = lines(advised("rain-jacket-finder", HIKING_JACKET, "en"))
    assert "up to €220 (€149.95)" in said and not [line for line in said if "220 €" in line], said


def test_sizes_read_in_the_dictionarys_order() -> None:
    index = sample_index("rain_jackets")
    assert format_value(index, "sizes", ["L", "M", "S", "XL", "XS"], "de") == "XS, S, M, L, XL"


def test_a_sleeping_bags_length_reads_as_long_enough_not_as_a_maximum() -> None:
    session = advised("sleeping-bag-finder", COLD_TREK, "en")
    constraint = next(c for c in session.recommendation().constraints if c.step_id == "body_height")
    assert constraint_label(session.questionnaire, session.state.answers, constraint, "de") == (
        "lang genug für 190\u00a0cm Körpergröße"
    )
    assert constraint_label(session.questionnaire, session.state.answers, constraint, "en") == (
        "long enough for someone 190\u00a0cm tall"
    )


def test_pack_size_is_shorter_or_smaller_and_english_puts_the_amount_after_packs() -> None:
    de = lines(advised("tent-finder", BIKE_TOUR))
    assert "Packmaß (Länge): 42\u00a0cm – kürzer gepackt als 60\u00a0% der passenden Zelte" in de
    assert not [line for line in de if "niedriger" in line or "höher" in line], de
    session = advised("tent-finder", BIKE_TOUR, "en")
    index = session.index
    assert index is not None
    said = [say_versus_top(a, index, "en") for a in session.decision().alternatives]
    assert any("packs 3\u00a0cm longer" in line for line in said), said
    assert not [line for line in said if "cm packs" in line], said


def test_a_wish_that_quotes_already_is_not_quoted_again() -> None:
    index = sample_index("tents")
    de = say_relaxation(Relaxation(("trip",), ("passt zu „Festival“",), 15), index, "de")
    assert de == "passt zu „Festival“ weglassen – 15 Zelte zeigen"
    en = say_relaxation(Relaxation(("fill",), ("suits “Down”",), 1), index, "en")
    assert en == "Drop suits “Down” – show 1 tent"
    plain = say_relaxation(Relaxation(("persons", "trip"), ("Platz für 4 Personen", "leicht"), 7), index, "de")
    assert plain == "„Platz für 4 Personen“, „leicht“ weglassen – 7 Zelte zeigen"
    assert counted("relaxation.without", 2, "de", labels="„leicht“", category="Zelte") == "ohne „leicht“: 2 Zelte"


def test_what_all_products_share_agrees_with_all_of_them() -> None:
    tents = QUESTIONNAIRES["tent-finder"]
    session = advised("tent-finder", dict(tents.examples[2].answers))
    index = session.index
    assert index is not None
    result = session.recommendation()
    decision = decide(result=result, index=index, questionnaire=tents, answers=session.state.answers)
    shared = say_shared(decision, result, tents, session.state.answers, index, "de")
    assert shared.startswith("Alle 3 Zelte: passen zu „Festival“"), shared
    english = say_shared(decision, result, tents, session.state.answers, index, "en")
    assert english.startswith("All 3 tents: suit “Festival”"), english


def test_a_tent_for_rough_weather_used_often_names_the_flysheet_once() -> None:
    """The region asks for a 3,000 mm flysheet and frequent use for a tough floor: neither the shared line nor a
    product's reasons say the flysheet's requirement twice."""
    tents = QUESTIONNAIRES["tent-finder"]
    session = advised("tent-finder", {"region": "rough", "trip": "trekking", "frequency": "often", "persons": 2})
    index = session.index
    assert index is not None
    result = session.recommendation()
    decision = decide(result=result, index=index, questionnaire=tents, answers=session.state.answers)
    shared = say_shared(decision, result, tents, session.state.answers, index, "de")
    assert shared.count("Außenzelt ab 3.000") == 1 and "Boden ab 5.000" in shared, shared
    for item in result.products:
        said = " | ".join(reason.text for reason in item.reasons)
        assert said.count("3.000") == 1, said


def test_a_warm_jacket_wished_is_said_on_the_padded_ones_and_missed_on_the_unlined() -> None:
    """ "Soll die Jacke auch wärmen? Ja": the padded jacket says it is, each unlined one shown says it is not as
    wished. A "no" is the questionnaire's leaning to a shell, not a wish: nothing is said of padding then."""
    town = {"activity": "city", "rain": "rainy_days", "warmth": True}
    shown = advised("rain-jacket-finder", town).recommendation().products
    padded = [item for item in shown if item.product.attributes["insulated"]]
    unlined = [item for item in shown if not item.product.attributes["insulated"]]
    assert padded and unlined, "the sample has both for a town jacket"
    assert all("Wattiert: Ja" in [r.text for r in item.reasons] for item in padded)
    assert all("Wattiert: Nein (anders als gewünscht)" in [r.text for r in item.tradeoffs] for item in unlined)
    assert not [line for line in lines(advised("rain-jacket-finder", {**town, "warmth": False})) if "Wattiert" in line]


def test_a_row_beside_the_top_pick_names_the_wish_it_misses_and_the_top_pick_meets() -> None:
    """Beside a padded top pick, "450 g leichter, 120 € günstiger" alone reads like a plain gain: the unlined row says
    that it is not what was wished; a padded row does not."""
    session = advised("rain-jacket-finder", {"activity": "city", "rain": "rainy_days", "warmth": True})
    index = session.index
    assert index is not None
    decision = session.decision()
    insulated = {item.sku: item.product.attributes["insulated"] for item in session.recommendation().products}
    assert insulated[decision.skus[0]], "a padded jacket is the top pick"
    said = {a.sku: say_versus_top(a, index, "de") for a in decision.alternatives}
    missed = [line for sku, line in said.items() if not insulated[sku]]
    assert missed and all(line.endswith("Wattiert: Nein (anders als gewünscht)") for line in missed), said
    assert not [line for sku, line in said.items() if insulated[sku] and "Wattiert" in line], said


def test_of_two_products_a_fact_is_said_as_a_comparison_not_a_superlative() -> None:
    """ "am leichtesten von den 2" reads oddly: of two, the top pick is "leichter als die Alternative"."""
    from advisor.recommend.explain import Standout

    index = sample_index("tents")
    assert (
        say_standout(Standout("best", "weight_kg", 1.18, 2), index, "de")
        == "leichter als die Alternative (1,18\u00a0kg)"
    )
    assert (
        say_standout(Standout("best", "weight_kg", 1.18, 2), index, "en") == "lighter than the other one (1.18\u00a0kg)"
    )
    assert say_standout(Standout("best", "price", 349.95, 2), index, "de") == "günstiger als die Alternative (349,95 €)"
    assert say_standout(Standout("best", "weight_kg", 1.18, 3), index, "de").startswith("am leichtesten von den 3")
