"""A number with which nothing fits points to the nearest one with which something does: "Auf 300 € stellen – dann
passen 2 Regenjacken" (AdviceSession.nearest_fitting), so a shopper at "0 Regenjacken passen" knows where to go."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.questionnaire.library import load_library
from advisor.session import service
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index

FINDER = load_library().questionnaires["rain-jacket-finder"]
ALPINE = {"activity": "alpine", "rain": "persistent", "sweat": "intense", "cut": "men"}  # then: the budget


def at_budget() -> AdviceSession:
    session = AdviceSession.start(FINDER, index=sample_index(FINDER.category), locale="de")
    session.set_answers(ALPINE)
    assert session.state.current == "budget"
    return session


def test_nothing_at_200_euros_points_to_the_cheapest_budget_with_which_jackets_fit() -> None:
    session = at_budget()
    assert session.live_count_if("budget", 200) == 0, "the alpine jackets cost more"
    found = session.nearest_fitting("budget", 200)
    assert found is not None
    budget, count = found
    assert count == session.live_count_if("budget", budget) and count > 0
    assert session.live_count_if("budget", budget - 10) == 0, "the nearest: ten euros less fits nothing"
    assert session.nearest_fitting("budget", budget) is None, "something fits there: nothing to point to"
    assert session.nearest_fitting("budget", 500) is None


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=45))
def test_the_value_pointed_to_is_the_nearest_on_the_scale_with_which_something_fits(position: int) -> None:
    session = at_budget()
    value = 50 + position * 10
    found = session.nearest_fitting("budget", value)
    counts = {budget: session.live_count_if("budget", budget) for budget in range(50, 501, 10)}
    if counts[value]:
        assert found is None
        return
    assert found is not None
    budget, count = found
    assert counts[budget] == count > 0
    assert all(not counts[other] for other in counts if abs(other - value) < abs(budget - value))


def test_the_search_is_bounded_on_a_long_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    """(A scale of 0 to 100,000 in steps of 1 is possible: the kiosk asks on its screen's thread, so the search looks
    NEAREST_TRIES steps to each side at most.)"""
    session = at_budget()
    asked: list[object] = []
    counting = session.live_count_if

    def count(step_id: str, answer: object) -> int | None:
        asked.append(answer)
        return counting(step_id, answer)

    monkeypatch.setattr(service, "NEAREST_TRIES", 3)
    monkeypatch.setattr(session, "live_count_if", count)
    assert session.nearest_fitting("budget", 200) is None, "250 € is five steps away"
    assert len(asked) <= 1 + 2 * 3
    monkeypatch.setattr(service, "NEAREST_TRIES", 5)
    assert session.nearest_fitting("budget", 200) == (250, 1)
