"""A firm number (the sleepers a tent must hold) is pointed only to where the wish is still met: at "0 Zelte passen"
for six the screen offers no "Auf 3 Personen stellen", which is no way out (AdviceSession.nearest_fitting)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.questionnaire.library import load_library
from advisor.recommend.index import CategoryIndex
from advisor.session.service import AdviceSession
from tests.helpers.index import made_up_index, sample_index

FINDER = load_library().questionnaires["tent-finder"]
SOLO_ULTRALIGHT = {"region": "mild", "trip": "trekking", "frequency": "often", "persons": 1, "extra_space": False,
                   "body_height": 180, "weight_importance": "ultralight"}  # fmt: skip


def at_persons(answers: dict[str, object], index: CategoryIndex | None = None) -> AdviceSession:
    session = AdviceSession.start(FINDER, index=index or sample_index(FINDER.category), locale="de")
    session.set_answers(answers)
    return session


def test_six_sleepers_in_the_high_mountains_are_not_offered_a_tent_for_three() -> None:
    session = at_persons({"region": "alpine", "frequency": "often"})
    assert session.state.current == "persons"
    assert session.live_count_if("persons", 6) == 0 and session.live_count_if("persons", 3), "tents for 3 fit"
    for persons in (4, 5, 6):
        assert session.nearest_fitting("persons", persons) is None, f"no tent holds {persons}: nothing to point to"


def test_a_solo_hiker_wanting_ultralight_is_pointed_to_a_tent_with_room_for_two() -> None:
    """Ultralight allows 600 g more per sleeper: with no 1.3 kg tent on the shelf, a light tent for two holds one."""
    tents = sample_index(FINDER.category).products
    index = made_up_index(FINDER.category, [tent for tent in tents if tent.attributes.get("weight_kg", 9) > 1.3])
    session = at_persons(SOLO_ULTRALIGHT, index)
    assert session.live_count_if("persons", 1) == 0
    found = session.nearest_fitting("persons", 1)
    assert found is not None and found[0] == 2, "more room: a tent for two holds one"
    assert found[1] == session.live_count_if("persons", 2) and found[1] > 0
    assert session.live_count_if("persons", 3), "three fit, but a tent for three is no way out for four"
    assert session.nearest_fitting("persons", 4) is None


def test_a_wish_that_is_not_firm_still_points_either_way() -> None:
    jackets = load_library().questionnaires["rain-jacket-finder"]
    session = AdviceSession.start(jackets, index=sample_index(jackets.category), locale="de")
    session.set_answers({"activity": "alpine", "rain": "persistent", "sweat": "intense", "cut": "men"})
    found = session.nearest_fitting("budget", 200)
    assert found is not None and found[0] > 200, "a higher budget"


@settings(max_examples=30, deadline=None)
@given(
    region=st.sampled_from(["mild", "rough", "alpine"]),
    frequency=st.sampled_from(["rarely", "regularly", "often"]),
    persons=st.integers(min_value=1, max_value=6),
)
def test_a_firm_number_is_never_pointed_to_fewer_sleepers(region: str, frequency: str, persons: int) -> None:
    session = at_persons({"region": region, "trip": "trekking", "frequency": frequency})
    found = session.nearest_fitting("persons", persons)
    if found is not None:
        assert found[0] > persons and found[1] == session.live_count_if("persons", found[0]) and found[1] > 0
