"""The session state machine: path, back, changing answers, progress; random walks never go stale."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import engine
from advisor.engine import InvalidAnswer
from advisor.questionnaire.model import DONT_CARE, Questionnaire
from tests.helpers.questionnaires import ROUTED, questionnaire

Q = questionnaire(ROUTED)


def test_the_path_follows_routing_and_conditions() -> None:
    # light is asked only when activity != "family", which is false while activity is unanswered (null)
    assert engine.path_of(Q, {}) == ("activity", "body_height", "persons", "extras")
    assert engine.path_of(Q, {"activity": "trekking"}) == ("activity", "body_height", "persons", "light", "extras")
    assert engine.path_of(Q, {"activity": "family"}) == ("activity", "persons", "extras")


def test_answering_moves_forward_and_completes() -> None:
    state = engine.start(Q)
    assert state.current == "activity"
    state = engine.answer(Q, state, "activity", "trekking")
    assert state.current == "body_height"
    for step, value in (("body_height", 190), ("persons", 2), ("light", True), ("extras", ["freestanding"])):
        state = engine.answer(Q, state, step, value)
    assert state.complete
    assert engine.progress(Q, state) == engine.Progress(done=5, left=0)
    assert state.answers["extras"] == ("freestanding",)


def test_back_keeps_answers_and_changing_one_drops_the_steps_that_fall_off() -> None:
    state = engine.start(Q)
    state = engine.answer(Q, state, "activity", "trekking")
    state = engine.answer(Q, state, "body_height", 180)
    state = engine.answer(Q, state, "persons", 2)
    state = engine.answer(Q, state, "light", True)
    state = engine.back(Q, engine.back(Q, state))
    assert state.current == "persons"
    assert state.answers["light"] is True
    shown = engine.progress(Q, state)  # "Frage 3 von 5", not the count of answers given plus one
    assert (shown.position, shown.total) == (3, 5)
    state = engine.change_answer(Q, state, "activity", "family")
    assert "body_height" not in state.answers
    assert "light" not in state.answers
    assert state.answers["persons"] == 2
    assert state.current == "extras"


def test_unanswered_and_dont_care_are_null_for_expressions() -> None:
    values = engine.answer_values(Q, {"activity": DONT_CARE})
    assert values == {"activity": None}
    assert engine.path_of(Q, {"activity": DONT_CARE}) == ("activity", "body_height", "persons", "extras")


@pytest.mark.parametrize(
    ("step", "value", "message"),
    [
        ("activity", "kayak", "'kayak' is not an option of step 'activity'"),
        ("body_height", 120, "takes a number from 150 to 210"),
        ("body_height", "tall", "takes a number"),
        ("light", "maybe", "takes yes or no"),
        ("light", DONT_CARE, "has no 'doesn't matter' answer"),
        ("extras", [], "takes one or more of"),
        ("body_height", 10**400, "takes a number from 150 to 210"),  # compared exactly: no float overflow
        ("body_height", -(10**400), "takes a number from 150 to 210"),
        ("body_height", float("inf"), "takes a number"),
        ("body_height", float("nan"), "takes a number"),
        ("body_height", 210 + 1e-9, "takes a number from 150 to 210"),
    ],
)
def test_bad_answers_are_refused(step: str, value: Any, message: str) -> None:
    with pytest.raises(InvalidAnswer, match=message):
        engine.check_answer(Q.step(step), value)


def _valid_answers(q: Questionnaire, step_id: str) -> st.SearchStrategy[Any]:
    step = q.step(step_id)
    choices: list[st.SearchStrategy[Any]] = []
    if step.kind == "single":
        choices.append(st.sampled_from([o.id for o in step.options]))
    elif step.kind == "multiple":
        choices.append(st.lists(st.sampled_from([o.id for o in step.options]), min_size=1, unique=True))
    elif step.kind == "yes_no":
        choices.append(st.booleans())
    else:
        assert step.min is not None and step.max is not None
        choices.append(st.integers(int(step.min), int(step.max)))
    if step.dont_care:
        choices.append(st.just(DONT_CARE))
    return st.one_of(choices)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_random_walks_never_keep_stale_answers_and_always_reach_the_results(data: st.DataObject) -> None:
    state = engine.start(Q)
    for _ in range(data.draw(st.integers(0, 25))):
        action = data.draw(st.sampled_from(["answer", "back", "change"]))
        if action == "back":
            state = engine.back(Q, state)
        elif action == "change" and state.answers:
            step_id = data.draw(st.sampled_from(sorted(state.answers)))
            state = engine.change_answer(Q, state, step_id, data.draw(_valid_answers(Q, step_id)))
        elif state.current is not None:
            state = engine.answer(Q, state, state.current, data.draw(_valid_answers(Q, state.current)))
        path = engine.path_of(Q, state.answers)
        assert set(state.answers) <= set(path), "an answer of a step off the path survived"
        assert state.current is None or state.current in path
        progress = engine.progress(Q, state)
        assert progress.total >= len(path)
        if state.current is not None:  # the question shown says its own place on the path, within the total
            assert progress.position == path.index(state.current) + 1 <= progress.total
        deciding = engine.deciding_steps(Q)  # (a deciding question shown again is open: its answer may change)
        if state.current not in deciding and all(step_id in state.answers for step_id in path if step_id in deciding):
            assert progress.total == len(path), "nothing left to decide: the path itself"
    for _ in range(len(Q.steps) + 1):
        if state.current is None:
            break
        state = engine.answer(Q, state, state.current, data.draw(_valid_answers(Q, state.current)))
    assert state.complete
    assert engine.first_unanswered(Q, state.answers) is None


def test_stored_answers_the_questionnaire_no_longer_accepts_are_dropped() -> None:
    usable = engine.usable_answers(Q, {"activity": "kayak", "persons": 3, "extras": ["freestanding"], "gone": 1})
    assert usable == {"persons": 3, "extras": ("freestanding",)}


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_remembered_walk_is_the_walk_and_cannot_be_changed_by_its_caller(data: st.DataObject) -> None:
    answers = {
        step.id: data.draw(_valid_answers(Q, step.id)) for step in Q.steps if data.draw(st.booleans(), label=step.id)
    }
    fresh = engine._walk(Q, answers)
    first = engine.walk(Q, answers)
    first[1]["spoiled"] = True  # a caller that changes the values it got
    assert engine.walk(Q, answers) == first[0:1] + (fresh[1],) == fresh
    # Another questionnaire object (a reloaded file) never gets this one's remembered path.
    other = questionnaire(ROUTED)
    assert engine.walk(other, answers) == engine._walk(other, answers) == fresh


def test_answers_equal_in_value_but_not_in_kind_are_walked_apart() -> None:
    numbers = {"activity": "trekking", "persons": 1}
    truth = {"activity": "trekking", "persons": True}
    assert engine.walk(Q, numbers)[1]["persons"] == 1
    assert engine.walk(Q, truth)[1]["persons"] is True


def test_the_first_question_of_a_flow_counts_the_steps_its_answers_open() -> None:
    """A step shown only for some answers ("where does it leak?") is counted before it is decided: the first
    question of a help flow says "1 of 4", not "1 of 1", and the count is that of the longest way on."""
    from advisor.questionnaire.library import load_library

    flow = load_library().everything["tent-help"]
    first = flow.steps[0]
    state = engine.start(flow)
    assert engine.path_of(flow, {}) == (first.id,)

    def longest(answers: dict[str, Any]) -> int:
        path = engine.path_of(flow, answers)
        pending = next((s for s in path if s not in answers and flow.step(s).kind in ("single", "yes_no")), None)
        if pending is None:
            return len(path)
        step = flow.step(pending)
        values = [o.id for o in step.options] if step.kind == "single" else [True, False]
        return max(longest({**answers, pending: value}) for value in values)

    progress = engine.progress(flow, state)
    assert progress.done == 0
    assert progress.total == longest({}) > 1
    answered = engine.answer(flow, state, first.id, first.options[0].id)
    after = engine.progress(flow, answered)
    assert after.done == 1
    assert after.total == longest({first.id: first.options[0].id})


def test_a_yes_no_preference_that_reads_its_own_answer_holds_for_no_too() -> None:
    """The tent finder's `persons + 1 if extra_space else persons`: "no" prefers the tent that fits the group
    exactly; a preference of a yes/no step that does not read the answer holds only for yes."""
    from advisor.paths import questionnaires_dir
    from advisor.questionnaire.load import load_file

    tents = load_file(questionnaires_dir() / "tent-finder.yaml").questionnaire
    assert tents is not None
    answers: dict[str, Any] = {"region": "mild", "trip": "trekking", "frequency": "regularly", "persons": 3}
    for said in (True, False):
        found = engine.active_preferences(tents, {**answers, "extra_space": said})
        reading = [p for p in found if p.target is not None and "extra_space" in p.target.names]
        assert [p.attribute for p in reading] == ["capacity"], said
    plain = questionnaire(
        "steps:\n"
        "  - id: light\n    kind: yes_no\n    question: {de: Leicht?, en: Light?}\n"
        "    prefer:\n      - {attribute: weight_kg, direction: lower}\n"
    )
    assert engine.active_preferences(plain, {"light": False}) == []
    assert [p.attribute for p in engine.active_preferences(plain, {"light": True})] == ["weight_kg"]


def _shipped() -> list[Questionnaire]:
    from advisor.questionnaire.library import load_library

    return [q for _, q in sorted(load_library().questionnaires.items())]


SHIPPED = _shipped()


@pytest.mark.parametrize("q", SHIPPED, ids=[q.id for q in SHIPPED])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_random_walks_never_skip_ahead_of_the_first_unanswered_step(q: Questionnaire, data: st.DataObject) -> None:
    """Answers, Back, the browser's ?at=<any step of the path> (go_to, also beyond the first unanswered one, and
    the results), answers sent for any step of the path, changes from the overview: the results only with every
    step of the path answered, and never a step beyond the first unanswered one on screen."""
    state = engine.start(q)
    for _ in range(data.draw(st.integers(1, 30), label="moves")):
        path = engine.path_of(q, state.answers)
        action = data.draw(st.sampled_from(["answer", "answer", "back", "go_to", "answer_any", "change"]))
        if action == "back":
            state = engine.back(q, state)
        elif action == "go_to":
            target = data.draw(st.sampled_from([*path, "results"]), label="go_to")
            try:
                state = engine.go_to(q, state, target)
            except InvalidAnswer:
                assert target == "results" and engine.first_unanswered(q, state.answers) is not None
        elif action == "answer_any" and path:
            step_id = data.draw(st.sampled_from(path), label="answer_any")
            state = engine.answer(q, state, step_id, data.draw(_valid_answers(q, step_id), label=step_id))
        elif action == "change" and state.answers:
            step_id = data.draw(st.sampled_from(sorted(state.answers)), label="changed")
            state = engine.change_answer(q, state, step_id, data.draw(_valid_answers(q, step_id), label=step_id))
        elif state.current is not None:
            state = engine.answer(q, state, state.current, data.draw(_valid_answers(q, state.current)))
        path = engine.path_of(q, state.answers)
        first = engine.first_unanswered(q, state.answers)
        if state.complete:
            assert first is None, f"at the results with '{first}' never answered"
        else:
            assert state.current in path
            if first is not None:
                assert path.index(state.current) <= path.index(first), (state.current, first)
