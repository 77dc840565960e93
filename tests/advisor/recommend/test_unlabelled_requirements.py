"""A requirement the merchandiser gave no label is named by its step and the answer: an option names itself
(„Ein Tag“), but "Ja" or "50 €" alone says nothing to the shopper reading "ohne …" or "Alle 13 Rucksäcke: …"."""

from __future__ import annotations

import pytest

from advisor.engine import SessionState
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.core import constraint_label, recommend
from tests.helpers.index import sample_index
from tests.helpers.questionnaires import of_steps


def _finder(short: bool) -> Questionnaire:
    shorts = ({"short": {"de": "Regenhülle", "en": "Rain cover"}}, {"short": {"de": "Budget", "en": "Budget"}})
    rain, budget = shorts if short else ({}, {})
    steps = [
        {"id": "trip", "kind": "single", "question": {"de": "Wie lange?", "en": "How long?"},
         "options": [{"id": "day", "label": {"de": "Ein Tag", "en": "One day"}, "require": ['"hiking" in use']}]},
        {"id": "rain", "kind": "yes_no", "question": {"de": "Soll eine Regenhülle dabei sein?",
                                                       "en": "Should a rain cover come with it?"},
         "require_if_yes": ["rain_cover"], **rain},
        {"id": "budget", "kind": "number", "question": {"de": "Wie viel möchtest du ausgeben?",
                                                         "en": "How much would you like to spend?"},
         "min": 20, "max": 400, "step": 10, "unit": "eur", "require": ["price <= budget"], **budget},
    ]  # fmt: skip
    return of_steps("daypacks", "backpacks", steps)


@pytest.mark.parametrize(
    ("short", "locale", "expected"),
    [
        (False, "de", ["passt zu „Ein Tag“", "Soll eine Regenhülle dabei sein: Ja",
                       "Wie viel möchtest du ausgeben: 50 €"]),
        (False, "en", ["suits “One day”", "Should a rain cover come with it: Yes",
                       "How much would you like to spend: €50"]),
        (True, "de", ["passt zu „Ein Tag“", "Regenhülle: Ja", "Budget: 50 €"]),
        (True, "en", ["suits “One day”", "Rain cover: Yes", "Budget: €50"]),
    ],
)  # fmt: skip
def test_an_unlabelled_requirement_says_what_was_asked(short: bool, locale: str, expected: list[str]) -> None:
    finder = _finder(short)
    answers = {"trip": "day", "rain": True, "budget": 50}
    result = recommend(index=sample_index("backpacks"), questionnaire=finder, state=SessionState(finder.id, answers),
                       locale=locale)  # fmt: skip
    said = [constraint_label(finder, answers, constraint, locale) for constraint in result.constraints]
    assert said == expected
