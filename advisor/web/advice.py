"""One stored advice session as the web companion works on it: read, change, recommend, save (no HTTP here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.engine import Engine

from advisor import engine as flow
from advisor.handoff import requests as handoff
from advisor.questionnaire.model import DONT_CARE, Questionnaire, Step
from advisor.recommend import core
from advisor.recommend.index import CategoryIndex

RESULTS = "results"


class AdviceError(ValueError):
    """Something a shopper asked for that does not fit the session (the message says what)."""


def form_answer(step: Step, values: list[str]) -> Any:
    """A submitted form field as the engine's answer (InvalidAnswer / AdviceError for nonsense)."""
    if values == [DONT_CARE]:
        return DONT_CARE
    if step.kind == "multiple":
        return tuple(value for value in values if value != DONT_CARE)
    if len(values) != 1:
        raise AdviceError(f"step '{step.id}' takes one answer")
    value = values[0]
    if step.kind == "yes_no":
        if value not in ("yes", "no"):
            raise AdviceError(f"step '{step.id}' takes yes or no")
        return value == "yes"
    if step.kind == "number":
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise AdviceError(f"step '{step.id}' takes a number") from None
        return int(number) if number.is_integer() else number
    return value


@dataclass
class Advice:
    """A stored session with its questionnaire, engine state and critiques."""

    stored: handoff.StoredSession
    questionnaire: Questionnaire
    state: flow.SessionState
    critiques: tuple[core.Critique, ...]
    locale: str

    @classmethod
    def of(cls, stored: handoff.StoredSession, questionnaires: Mapping[str, Questionnaire]) -> Advice:
        questionnaire = questionnaires.get(stored.questionnaire_id)
        if questionnaire is None:
            raise AdviceError(f"the questionnaire {stored.questionnaire_id!r} is not offered here any more")
        answers = flow.usable_answers(questionnaire, stored.answers)
        placed = flow.with_answers(questionnaire, flow.SessionState(questionnaire.id, {}, None), answers)
        path = flow.path_of(questionnaire, placed.answers)
        if stored.position in path:
            placed = replace(placed, current=stored.position)
        elif stored.position == RESULTS or stored.position is None:
            placed = replace(placed, current=flow.first_unanswered(questionnaire, placed.answers))
        critiques = tuple(
            core.Critique(str(item["attribute"]), str(item["direction"]), float(item["reference"]))
            for item in stored.critiques
            if {"attribute", "direction", "reference"} <= set(item)
        )
        locale = stored.locale if stored.locale in questionnaire.locales else questionnaire.default_locale
        return cls(stored, questionnaire, placed, critiques, locale)

    @property
    def address(self) -> str:
        return self.questionnaire.address.get(self.locale, "du")

    @property
    def step(self) -> Step | None:
        return self.questionnaire.step(self.state.current) if self.state.current else None

    def recommend(self, index: CategoryIndex) -> core.Recommendation:
        return core.recommend(
            index=index,
            questionnaire=self.questionnaire,
            state=self.state,
            locale=self.locale,
            critiques=self.critiques,
        )

    # -- changes -----------------------------------------------------------------------------------------

    def answer(self, step_id: str, values: list[str]) -> None:
        step = self._step(step_id)
        self.state = flow.answer(self.questionnaire, self.state, step_id, form_answer(step, values))
        self.critiques = ()

    def change(self, step_id: str, values: list[str]) -> None:
        step = self._step(step_id)
        self.state = flow.change_answer(self.questionnaire, self.state, step_id, form_answer(step, values))
        self.critiques = ()

    def back(self) -> None:
        self.state = flow.back(self.questionnaire, self.state)

    def go_to(self, step_id: str) -> None:
        self.state = flow.go_to(self.questionnaire, self.state, step_id)

    def relax(self, index: CategoryIndex, keys: list[str]) -> None:
        offered = {tuple(relaxation.drop): relaxation for relaxation in self.recommend(index).relaxations}
        relaxation = offered.get(tuple(keys))
        if relaxation is None:
            raise AdviceError("this suggestion is no longer offered")
        self.state = core.relax(self.questionnaire, self.state, relaxation.drop)
        self._remember_relaxation(relaxation)

    def critique(self, index: CategoryIndex, key: str) -> None:
        offered = {critique.key: critique for critique in self.recommend(index).critiques}
        if key not in offered:
            raise AdviceError("this suggestion is no longer offered")
        self.critiques = core.with_critique(self.critiques, offered[key])

    def clear_critiques(self) -> None:
        self.critiques = ()

    def _step(self, step_id: str) -> Step:
        try:
            return self.questionnaire.step(step_id)
        except KeyError:
            raise AdviceError(f"the questionnaire has no step {step_id!r}") from None

    def _remember_relaxation(self, relaxation: core.Relaxation) -> None:
        met = [dict(item) for item in self.stored.relaxations]
        met.append({"drop": list(relaxation.drop), "labels": list(relaxation.labels), "count": relaxation.count,
                    "applied": True})  # fmt: skip
        self.stored = replace(self.stored, relaxations=tuple(met))

    def save(self, engine: Engine) -> None:
        handoff.save_progress(
            engine,
            self.stored.id,
            answers=self.state.answers,
            position=self.state.current or RESULTS,
            locale=self.locale,
            relaxations=self.stored.relaxations,
            critiques=[
                {"attribute": c.attribute, "direction": c.direction, "reference": c.reference} for c in self.critiques
            ],
        )
