"""The advice session state machine: answers, path, back, changing an answer, progress, completion.

Everything that decides which step comes next lives here. States are frozen; every transition takes a
state and returns a new one. Answers are kept in their "answer form": a single-choice answer is the option
id, a multiple-choice answer a tuple of option ids, a number step's a number, a yes/no step's a bool, and
"doesn't matter" is DONT_CARE. Expressions see answers in their "value form" (see `answer_values`).
"""

from __future__ import annotations

import math
from collections import ChainMap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, cast

from advisor.expressions import evaluate
from advisor.questionnaire.model import DONT_CARE, RESULTS_STEP, Preference, Questionnaire, Requirement, Step

MAX_NUMBER = 2**53  # the largest whole number a float (and JSON everywhere) holds exactly


class InvalidAnswer(ValueError):
    """An answer that the step does not accept; the message says why."""


@dataclass(frozen=True)
class SessionState:
    """Where a shopper is: their answers and the step on screen (None: the results)."""

    questionnaire_id: str
    answers: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    current: str | None = None

    @property
    def complete(self) -> bool:
        return self.current is None


@dataclass(frozen=True)
class Progress:
    """Steps answered and steps left on the current path, and where on it the step shown stands."""

    done: int
    left: int
    at: int = 0  # the step shown, counted from 1 ("Frage 4 von 8"); 0: the next after the answered ones

    @property
    def total(self) -> int:
        return self.done + self.left

    @property
    def position(self) -> int:
        """The number of the step shown: an answered step opened again keeps its own number."""
        return self.at or min(self.done + 1, max(self.total, 1))


def _frozen(answers: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(answers))


def answer_value(step: Step, answer: Any) -> Any:
    """An answer in value form: what expressions see (None for "doesn't matter" and unanswered)."""
    if answer is None or answer == DONT_CARE:
        return None
    if step.kind == "single":
        option = step.option(answer)
        return option.answer_value if option else None
    if step.kind == "multiple":
        return [option.answer_value for option in step.options if option.id in answer]
    return answer


# Walks already made: a request asks for its session's path several times (restoring it, the progress, the
# overview, the requirements), and shoppers give the same answers again and again. Keyed by the questionnaire's
# id and kept with the questionnaire itself, so a reloaded questionnaire file never meets an old path.
# (Each answer's type is part of the key: 1, 1.0 and True are equal, but not the same answer.)
_WALKS: dict[tuple[int, frozenset[tuple[str, type, Any]]], tuple[Questionnaire, tuple[str, ...], dict[str, Any]]] = {}
_MAX_WALKS = 4096


def walk(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The path the answers lead through (shown steps, in order) and the value form of their answers.

    A step whose `show_if` is false is skipped; routing is decided with the answers known so far; the walk
    goes on past unanswered steps (conditions on them are false), so the path also says what is left.
    """
    try:
        key = (id(questionnaire), frozenset((step, type(value), value) for step, value in answers.items()))
    except TypeError:  # an answer in a form that does not hash (a list): walked every time
        return _walk(questionnaire, answers)
    known = _WALKS.get(key)
    if known is not None and known[0] is questionnaire:
        return known[1], dict(known[2])
    path, values = _walk(questionnaire, answers)
    if len(_WALKS) >= _MAX_WALKS:
        _WALKS.clear()
    _WALKS[key] = (questionnaire, path, values)
    return path, dict(values)


def _walk(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> tuple[tuple[str, ...], dict[str, Any]]:
    steps = questionnaire.steps
    index = questionnaire.positions
    values: dict[str, Any] = {}
    # A service flow walked for the shopper's product: its conditions see the product's attributes beneath the answers.
    seen_by_conditions: Mapping[str, Any] = (
        ChainMap(values, cast(dict[str, Any], questionnaire.product_facts)) if questionnaire.product_facts else values
    )
    path: list[str] = []
    seen: set[str] = set()
    position = 0 if steps else None
    while position is not None and position < len(steps) and steps[position].id not in seen:
        step = steps[position]
        seen.add(step.id)
        shown = step.show_if is None or bool(evaluate(step.show_if, seen_by_conditions))
        following = position + 1
        if shown:
            path.append(step.id)
            if step.id in answers:
                values[step.id] = answer_value(step, answers[step.id])
            for route in step.routes:
                if route.condition is None or bool(evaluate(route.condition, seen_by_conditions)):
                    following = index.get(route.goto, len(steps))
                    break
        position = following
    return tuple(path), values


def path_of(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> tuple[str, ...]:
    return walk(questionnaire, answers)[0]


def answer_values(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The value form of the answers of the steps on the path (what requirements are evaluated with)."""
    return walk(questionnaire, answers)[1]


def _pruned(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers of steps that fall off the path are dropped (until nothing more falls off)."""
    kept = dict(answers)
    while True:
        path = set(path_of(questionnaire, kept))
        stale = [step_id for step_id in kept if step_id not in path]
        if not stale:
            return kept
        for step_id in stale:
            del kept[step_id]


def check_answer(step: Step, answer: Any) -> Any:
    """The answer in canonical form, or InvalidAnswer."""
    if answer == DONT_CARE:
        if not step.dont_care:
            raise InvalidAnswer(f"step '{step.id}' has no 'doesn't matter' answer")
        return DONT_CARE
    known = [option.id for option in step.options]
    if step.kind == "single":
        if answer not in known:
            raise InvalidAnswer(f"'{answer}' is not an option of step '{step.id}' ({', '.join(known)})")
        return answer
    if step.kind == "multiple":
        chosen = [answer] if isinstance(answer, str) else list(answer) if isinstance(answer, list | tuple) else None
        if chosen is None or not chosen:
            raise InvalidAnswer(f"step '{step.id}' takes one or more of: {', '.join(known)}")
        unknown = [item for item in chosen if item not in known]
        if unknown:
            raise InvalidAnswer(f"'{unknown[0]}' is not an option of step '{step.id}' ({', '.join(known)})")
        return tuple(option for option in known if option in chosen)
    if step.kind == "yes_no":
        if not isinstance(answer, bool):
            raise InvalidAnswer(f"step '{step.id}' takes yes or no")
        return answer
    # Python compares int and float exactly; only turning a huge int into a float could overflow, so the bounds
    # are checked first and the float conversion comes last.
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        raise InvalidAnswer(f"step '{step.id}' takes a number")
    if isinstance(answer, float) and not math.isfinite(answer):
        raise InvalidAnswer(f"step '{step.id}' takes a number")
    if (step.min is not None and answer < step.min) or (step.max is not None and answer > step.max):
        raise InvalidAnswer(f"step '{step.id}' takes a number from {step.min:g} to {step.max:g}")
    if not -MAX_NUMBER <= answer <= MAX_NUMBER:
        raise InvalidAnswer(f"step '{step.id}' takes a number from {-MAX_NUMBER} to {MAX_NUMBER}")
    if isinstance(answer, float) and not answer.is_integer() and whole_steps(step):
        raise InvalidAnswer(f"step '{step.id}' takes a whole number")
    return answer if isinstance(answer, int) else int(answer) if answer.is_integer() else answer


def whole_steps(step: Step) -> bool:
    """Whether a number step counts in whole numbers (its step and its lower end are whole: 2 people, not 2.5;
    any whole number of cm between the slider's steps of 5)."""
    return step.step is not None and float(step.step).is_integer() and float(step.min or 0).is_integer()


def start(questionnaire: Questionnaire) -> SessionState:
    """A new session at the first step on the path."""
    path = path_of(questionnaire, {})
    return SessionState(questionnaire.id, _frozen({}), path[0] if path else None)


def answer(questionnaire: Questionnaire, state: SessionState, step_id: str, value: Any) -> SessionState:
    """Answer a step (the current one, or an earlier one again) and move to the step after it."""
    step = questionnaire.step(step_id)
    answers = _pruned(questionnaire, {**state.answers, step_id: check_answer(step, value)})
    path = path_of(questionnaire, answers)
    if step_id not in path:
        raise InvalidAnswer(f"step '{step_id}' is not on the current path")
    following = path.index(step_id) + 1
    after = path[following] if following < len(path) else None
    return replace(state, answers=_frozen(answers), current=placed(questionnaire, answers, after))


def change_answer(questionnaire: Questionnaire, state: SessionState, step_id: str, value: Any) -> SessionState:
    """Change an answer from the overview: then go to the first unanswered step on the path, or the results."""
    moved = answer(questionnaire, state, step_id, value)
    return replace(moved, current=first_unanswered(questionnaire, moved.answers))


def with_answers(questionnaire: Questionnaire, state: SessionState, answers: Mapping[str, Any]) -> SessionState:
    """Replace the answers (a relaxation, staff changing answers): stale ones dropped, still on screen if possible."""
    kept = _pruned(questionnaire, answers)
    path = path_of(questionnaire, kept)
    current = state.current if state.current in path else first_unanswered(questionnaire, kept)
    return replace(state, answers=_frozen(kept), current=placed(questionnaire, kept, current))


def usable_answers(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Stored answers that this version of the questionnaire still accepts (others are dropped, not guessed)."""
    usable = {}
    for step_id, value in answers.items():
        if step_id not in questionnaire.positions:
            continue
        try:
            usable[step_id] = check_answer(
                questionnaire.step(step_id), tuple(value) if isinstance(value, list) else value
            )
        except InvalidAnswer:
            continue
    return usable


def first_unanswered(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> str | None:
    return next((step_id for step_id in path_of(questionnaire, answers) if step_id not in answers), None)


def placed(questionnaire: Questionnaire, answers: Mapping[str, Any], current: str | None) -> str | None:
    """Where the walk may stand when it is asked to stand at `current` (a step, or None: the results): never past
    the first unanswered step of the path, and at the results only when no step of the path is unanswered. A step
    beyond the first unanswered one (a typed address, the browser's Forward, an answer sent for a later step)
    lands on the first unanswered step: every question before it is asked first."""
    path = path_of(questionnaire, answers)
    first = first_unanswered(questionnaire, answers)
    if first is None:
        return current if current is None or current in path else None
    if current is None or current not in path or path.index(current) > path.index(first):
        return first
    return current


def back(questionnaire: Questionnaire, state: SessionState) -> SessionState:
    """One step back on the path (answers kept); from the first step, nothing changes."""
    path = path_of(questionnaire, state.answers)
    if not path:
        return state
    if state.current is None:
        return replace(state, current=path[-1])
    position = path.index(state.current) if state.current in path else 0
    return replace(state, current=path[max(0, position - 1)])


def go_to(questionnaire: Questionnaire, state: SessionState, step_id: str) -> SessionState:
    """Show a step of the path again (from the overview of answers), or the results (RESULTS_STEP) once every
    step of the path is answered. A step beyond the first unanswered one is not shown before the steps ahead of
    it are answered: the walk lands on the first unanswered step instead (see `placed`)."""
    if step_id == RESULTS_STEP and first_unanswered(questionnaire, state.answers) is None:
        return replace(state, current=None)
    if step_id not in path_of(questionnaire, state.answers):
        raise InvalidAnswer(f"step '{step_id}' is not on the current path")
    return replace(state, current=placed(questionnaire, state.answers, step_id))


def progress(questionnaire: Questionnaire, state: SessionState) -> Progress:
    """Steps answered, and steps left on the longest path the open steps' answers can lead to: a step shown only
    for some answers ("where does it leak?") is counted before it is decided, so the first question of a flow
    never says "1 of 1" when more follow. The question on screen is open too, though answered before (opened
    again with Back or from the overview): its answer may still change and open a step ("Gebrochen" asks when
    the tent was bought, "Geknickt" does not), so it never says "2 of 2" right before a third question."""
    answers = state.answers
    path = path_of(questionnaire, answers)
    done = sum(1 for step_id in path if step_id in answers)
    at = path.index(state.current) + 1 if state.current in path else 0
    reopened = state.current if state.current in answers and state.current in deciding_steps(questionnaire) else None
    try:
        key = (id(questionnaire), frozenset((step, type(value), value) for step, value in answers.items()), reopened)
    except TypeError:  # an answer in a form that does not hash (a list): worked out every time
        return Progress(done=done, left=_total(questionnaire, answers, path, reopened) - done, at=at)
    known = _TOTALS.get(key)
    if known is None or known[0] is not questionnaire:
        known = (questionnaire, _total(questionnaire, answers, path, reopened))
        if len(_TOTALS) >= _MAX_WALKS:
            _TOTALS.clear()
        _TOTALS[key] = known
    return Progress(done=done, left=known[1] - done, at=at)


def _total(questionnaire: Questionnaire, answers: Mapping[str, Any], path: Sequence[str], reopened: str | None) -> int:
    """The most steps the path can come to: the longest way on from the open steps, with `reopened` (the answered
    step on screen) open again; never fewer than the path the answers give now."""
    if reopened is None:
        return _longest(questionnaire, answers, path, LOOKAHEAD_WALKS)[0]
    longest, budget = len(path), LOOKAHEAD_WALKS
    for value in _sample_answers(questionnaire.step(reopened)):  # each of its answers walked, whatever the budget
        tried = {**answers, reopened: value}
        length, budget = _longest(questionnaire, tried, path_of(questionnaire, tried), budget - 1)
        longest = max(longest, length)
    return longest


_TOTALS: dict[tuple[int, frozenset[tuple[str, type, Any]], str | None], tuple[Questionnaire, int]] = {}


LOOKAHEAD_WALKS = 64  # how many answers ahead `progress` tries at most (a few walks of a few microseconds each)


def _longest(
    questionnaire: Questionnaire, answers: Mapping[str, Any], path: Sequence[str], budget: int
) -> tuple[int, int]:
    """The longest path the unanswered steps' answers can lead to (tried depth first, at most `budget` walks),
    and the budget left."""
    deciding = deciding_steps(questionnaire)
    pending = next((step_id for step_id in path if step_id not in answers and step_id in deciding), None)
    longest = len(path)
    if pending is None:
        return longest, budget
    for value in _sample_answers(questionnaire.step(pending)):
        if budget <= 0:
            break
        tried = {**answers, pending: value}
        budget -= 1
        length, budget = _longest(questionnaire, tried, path_of(questionnaire, tried), budget)
        longest = max(longest, length)
    return longest, budget


_DECIDING: dict[int, tuple[Questionnaire, frozenset[str]]] = {}


def deciding_steps(questionnaire: Questionnaire) -> frozenset[str]:
    """The steps whose answers decide which steps are shown (named by a `show_if` or a route's condition)."""
    known = _DECIDING.get(id(questionnaire))
    if known is not None and known[0] is questionnaire:
        return known[1]
    names: set[str] = set()
    for step in questionnaire.steps:
        if step.show_if is not None:
            names |= step.show_if.names
        for route in step.routes:
            if route.condition is not None:
                names |= route.condition.names
    if len(_DECIDING) >= _MAX_WALKS:
        _DECIDING.clear()
    _DECIDING[id(questionnaire)] = (questionnaire, frozenset(names))
    return frozenset(names)


def _sample_answers(step: Step) -> list[Any]:
    """Answers that reach each way on from a step: every option, yes and no, a number's ends and default, and
    "doesn't matter" where the step has it (expressions see it as null: a way on of its own)."""
    skipped = [DONT_CARE] if step.dont_care else []
    if step.kind == "single":
        return [option.id for option in step.options] + skipped
    if step.kind == "multiple":
        return [(option.id,) for option in step.options] + skipped  # (a tuple: the walk it leads to is kept)
    if step.kind == "yes_no":
        return [True, False]
    return [value for value in (step.min, step.max, step.default) if value is not None] + skipped


def active_requirements(
    questionnaire: Questionnaire, answers: Mapping[str, Any], path: Sequence[str] | None = None
) -> list[Requirement]:
    """The requirements the answers imply: of answered steps on the path and of their chosen options."""
    steps = _answered_steps(questionnaire, answers, path)
    return [item for step, answer in steps for item in _of(step, answer, "requires")]


def active_preferences(
    questionnaire: Questionnaire, answers: Mapping[str, Any], path: Sequence[str] | None = None
) -> list[Preference]:
    """The preferences the answers imply (as for requirements), and those of a yes/no step answered "no" whose
    target reads the answer (`persons + 1 if extra_space else persons`: the tent that fits the group exactly)."""
    if path is None:
        path = path_of(questionnaire, answers)
    steps = _answered_steps(questionnaire, answers, path)
    found = [item for step, answer in steps for item in _of(step, answer, "prefers")]
    for step_id in path:
        step = questionnaire.step(step_id)
        if step.kind == "yes_no" and answers.get(step_id) is False:
            found.extend(p for p in step.prefers if p.target is not None and step_id in p.target.names)
    return found


def _answered_steps(
    questionnaire: Questionnaire, answers: Mapping[str, Any], path: Sequence[str] | None = None
) -> list[tuple[Step, Any]]:
    """Steps on the path whose answer asks something of products: not "doesn't matter", and for yes/no, yes."""
    return [
        (step, answers[step_id])
        for step_id in (path if path is not None else path_of(questionnaire, answers))
        if step_id in answers
        and answers[step_id] != DONT_CARE
        and ((step := questionnaire.step(step_id)).kind != "yes_no" or answers[step_id] is True)
    ]


def _of(step: Step, answer: Any, kind: str) -> list[Any]:
    found = list(getattr(step, kind))
    chosen = [answer] if step.kind == "single" else list(answer) if step.kind == "multiple" else []
    for option in step.options:
        if option.id in chosen:
            found.extend(getattr(option, kind))
    return found
