"""When nothing fits, the wishes offered for dropping are the same, in the same order, in every language (ties go by
the questionnaire's order, never by the words); and once dropped, the results name them in the button's words:
„bis 50 €" weglassen, then "Darauf hast du verzichtet: bis 50 €" (the kiosk and the web both say say_dropped)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.i18n import euros
from advisor.questionnaire.library import load_library
from advisor.questionnaire.model import DONT_CARE
from advisor.recommend.explain import say_dropped
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index

QUESTIONNAIRES = load_library().questionnaires
BACKPACK = QUESTIONNAIRES["backpack-finder"]
JACKET = QUESTIONNAIRES["rain-jacket-finder"]
CHILD_ON_AN_ALPINE_TREK = {
    "who": "kids",
    "activity": "alpine",
    "nights": 21,
    "load": 30,
    "torso_length": 60,
    "carry_pref": "frameless",
    "shared": False,
    "extras": ("cover", "hydration", "laptop"),
}
CHEAP_ALPINE_JACKET = {
    "activity": "alpine",
    "rain": "persistent",
    "sweat": "intense",
    "cut": "men",
    "budget": 50,
    "weight_importance": "low",
    "extras": DONT_CARE,
    "chest_cm": 100,
    "body_height": 180,
}


def at_results(answers: dict[str, Any], locale: str, questionnaire: Any = BACKPACK) -> AdviceSession:
    session = AdviceSession.start(questionnaire, index=sample_index(questionnaire.category), locale=locale)
    session.set_answers(answers)
    assert session.state.complete, session.state.current
    return session


def offered(answers: dict[str, Any], locale: str) -> list[tuple[str, ...]]:
    return [relaxation.drop for relaxation in at_results(answers, locale).recommendation().relaxations]


def test_the_child_on_an_alpine_trek_is_offered_the_same_ways_out_in_german_and_english() -> None:
    german, english = offered(CHILD_ON_AN_ALPINE_TREK, "de"), offered(CHILD_ON_AN_ALPINE_TREK, "en")
    assert german and german == english
    assert german[0] == ("who", "extras.laptop"), "the same count: the wish asked first comes first"


@settings(max_examples=25, deadline=None)
@given(
    who=st.sampled_from(["women", "men", "kids"]),
    activity=st.sampled_from(["hut_tour", "trekking", "alpine", "travel"]),
    nights=st.integers(min_value=0, max_value=21),
    load=st.integers(min_value=2, max_value=30),
    torso=st.integers(min_value=30, max_value=60),
    carry=st.sampled_from(["ventilated", "contact", "frameless"]),
    shared=st.booleans(),
    extras=st.lists(st.sampled_from(["cover", "hydration", "laptop"]), unique=True),
)
def test_the_ways_out_do_not_depend_on_the_language(
    who: str, activity: str, nights: int, load: int, torso: int, carry: str, shared: bool, extras: list[str]
) -> None:
    answers = {"who": who, "activity": activity, "nights": nights, "load": load, "torso_length": torso,
               "carry_pref": carry, "shared": shared, "extras": tuple(extras) or DONT_CARE}  # fmt: skip
    assert offered(answers, "de") == offered(answers, "en")


def dropped_with(answers: dict[str, Any], drop: tuple[str, ...], locale: str, questionnaire: Any) -> tuple[str, str]:
    """The button's wishes and then the results' line."""
    session = at_results(answers, locale, questionnaire)
    relaxation = next(r for r in session.recommendation().relaxations if r.drop == drop)
    session.relax(drop)
    said = say_dropped(session.questionnaire, session.state.answers, session.given(), locale, session.address)
    return ", ".join(relaxation.labels), said


def test_a_dropped_budget_is_named_as_its_button_named_it() -> None:
    button, said = dropped_with(CHEAP_ALPINE_JACKET, ("budget",), "de", JACKET)
    assert button == f"bis {euros(50, 'de')}" and said == f"Darauf hast du verzichtet: bis {euros(50, 'de')}"
    button, said = dropped_with(CHEAP_ALPINE_JACKET, ("budget",), "en", JACKET)
    assert button == "up to €50" and said == "You dropped: up to €50"


def test_a_dropped_torso_length_and_option_are_named_as_their_button_named_them() -> None:
    drop = ("torso_length", "extras.laptop")
    button, said = dropped_with(CHILD_ON_AN_ALPINE_TREK, drop, "en", BACKPACK)
    assert said == f"You dropped: {button}" == "You dropped: fits a 60\u00a0cm torso, with laptop sleeve"
    button, said = dropped_with(CHILD_ON_AN_ALPINE_TREK, drop, "de", BACKPACK)
    assert said == f"Darauf hast du verzichtet: {button}"
