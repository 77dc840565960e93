""" "Frage N von M" is an honest estimate in every bundled questionnaire and help flow: the questions on the path so
far plus those still to come, never fewer than the question shown, and "N von N" only on a question after which
none follows. Random walks answer, go back, open a question again (the browser's ?at=) and change answers."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import engine
from advisor.engine import SessionState
from advisor.i18n import text
from advisor.questionnaire.library import load_library
from advisor.questionnaire.model import DONT_CARE, Questionnaire
from advisor.session.service import AdviceSession

LIBRARY = load_library().everything
FLOWS = sorted(LIBRARY)


def test_every_bundled_questionnaire_and_help_flow_is_walked() -> None:
    assert {"tent-finder", "tent-help", "zip-help", "sleeping-bag-help"} <= set(FLOWS)


def _answers(q: Questionnaire, step_id: str) -> st.SearchStrategy[Any]:
    step = q.step(step_id)
    choices: list[st.SearchStrategy[Any]] = []
    if step.kind == "single":
        choices.append(st.sampled_from([option.id for option in step.options]))
    elif step.kind == "multiple":
        choices.append(
            st.lists(st.sampled_from([option.id for option in step.options]), min_size=1, unique=True).map(tuple)
        )
    elif step.kind == "yes_no":
        choices.append(st.booleans())
    else:
        assert step.min is not None and step.max is not None
        choices.append(st.integers(math.ceil(step.min), math.floor(step.max)))
    if step.dont_care:
        choices.append(st.just(DONT_CARE))
    return st.one_of(choices)


def _shown(q: Questionnaire, state: SessionState) -> tuple[int, int]:
    """The question on screen as it says its place: (N, M) of "Frage N von M"."""
    progress = engine.progress(q, state)
    n, m = progress.position, progress.total
    assert 1 <= n <= m, (state.current, dict(state.answers), n, m)
    return n, m


@pytest.mark.parametrize("flow_id", FLOWS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_question_n_of_m_is_honest_on_random_walks(flow_id: str, data: st.DataObject) -> None:
    q = LIBRARY[flow_id]
    state = engine.start(q)
    for _ in range(data.draw(st.integers(1, 30), label="moves")):
        if state.current is not None:
            n, m = _shown(q, state)
        action = data.draw(st.sampled_from(["answer", "answer", "answer", "back", "visit", "change"]), label="action")
        if action == "back":
            state = engine.back(q, state)
        elif action == "visit":  # the browser's Back/Forward to a question of the path (?at=step)
            state = engine.go_to(q, state, data.draw(st.sampled_from(engine.path_of(q, state.answers))))
        elif action == "change" and state.answers:
            step_id = data.draw(st.sampled_from(sorted(state.answers)), label="changed")
            state = engine.change_answer(q, state, step_id, data.draw(_answers(q, step_id), label="value"))
        elif state.current is not None:
            asked = state.current
            state = engine.answer(q, state, asked, data.draw(_answers(q, asked), label=asked))
            if state.current is not None:  # another question follows: the one answered was not "N of N"
                assert n < m, (flow_id, asked, dict(state.answers), n, m)
                assert _shown(q, state)[0] == n + 1
        elif state.answers:
            state = engine.back(q, state)


def _said(advice: AdviceSession) -> str:
    progress = advice.progress()
    return text("question.progress", advice.locale, done=progress.position, total=progress.total)


def test_the_tent_help_pole_walk_never_says_2_of_2_before_a_third_question() -> None:
    """Help with the tent → pole bent or broken → bent → the results; back at the pole's question (?at=pole_damage)
    "Broken or split" opens a third question: the pole's question said 2 of 3 when it was opened again, not 2 of 2."""
    flow = LIBRARY["tent-help"]
    advice = AdviceSession.start(flow, locale="en")
    assert _said(advice) == "Question 1 of 4"  # the longest way on: leak → where → since → bought
    advice.answer("problem", "pole")
    assert _said(advice) == "Question 2 of 3"
    advice.answer("pole_damage", "bent")
    assert advice.position == "results"
    assert advice.visit("pole_damage")
    assert _said(advice) == "Question 2 of 3"
    advice.answer("pole_damage", "broken")
    assert advice.position == "bought_months"
    assert _said(advice) == "Question 3 of 3"
    advice.back()
    assert _said(advice) == "Question 2 of 3"
    advice.set_locale("de")
    assert _said(advice) == "Frage 2 von 3"
