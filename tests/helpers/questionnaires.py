"""Small questionnaires written in tests, loaded through the real loader."""

from __future__ import annotations

import textwrap

from advisor.questionnaire.load import Loaded, load_text
from advisor.questionnaire.model import Questionnaire

HEADER = """\
format_version: 2
id: test-finder
category: tents
locales: [de, en]
default_locale: de
address: {de: du, en: du}
title: {de: Test, en: Test}
intro: {de: Hallo, en: Hello}
"""


def load(body: str, header: str = HEADER) -> Loaded:
    return load_text(header + textwrap.dedent(body), "test.yaml")


def questionnaire(body: str) -> Questionnaire:
    loaded = load(body)
    assert loaded.questionnaire is not None, loaded.findings
    assert not [f for f in loaded.findings if f.severity == "error"], loaded.findings
    return loaded.questionnaire


ROUTED = """\
steps:
  - id: activity
    kind: single
    question: {de: Wofür?, en: What for?}
    dont_care: true
    options:
      - id: trekking
        label: {de: Trekking, en: Trekking}
        require: ['"trekking" in use']
      - id: family
        label: {de: Familie, en: Family}
        require: ['"camping" in use']
      - id: alpine
        label: {de: Alpin, en: Alpine}
        require: ['"alpine" in use']
    next:
      - if: activity == "family"
        goto: persons
  - id: body_height
    kind: number
    question: {de: Wie groß?, en: How tall?}
    min: 150
    max: 210
    step: 10
    default: 180
    require: [inner_length_cm >= body_height + 15]
  - id: persons
    kind: number
    question: {de: Wie viele?, en: How many?}
    min: 1
    max: 6
    step: 1
    dont_care: true
    require:
      - expr: capacity >= persons
        label: {de: "Platz für {persons}", en: "Room for {persons}"}
  - id: light
    kind: yes_no
    show_if: activity != "family"
    question: {de: Leicht?, en: Light?}
    require:
      - expr: weight_kg <= 2
        label: {de: unter 2 kg, en: under 2 kg}
  - id: extras
    kind: multiple
    question: {de: Extras?, en: Extras?}
    dont_care: true
    options:
      - id: freestanding
        label: {de: Freistehend, en: Freestanding}
        require: [freestanding]
      - id: two_doors
        label: {de: Zwei Eingänge, en: Two doors}
        require: [entrances >= 2]
    prefer:
      - {attribute: weight_kg, direction: lower, weight: 2}
results:
  show: 3
  tie_break: [price]
"""


def of_steps(questionnaire_id: str, category: str, steps: list[dict[str, object]]) -> Questionnaire:
    """A German and English questionnaire of these steps (written as Python data), checked as a file is."""
    import json

    document = {"format_version": 2, "id": questionnaire_id, "category": category, "locales": ["de", "en"],
                "default_locale": "de", "address": {"de": "du", "en": "du"}, "title": {"de": "R", "en": "B"},
                "intro": {"de": "R", "en": "B"}, "steps": steps}  # fmt: skip
    loaded = load_text(json.dumps(document), f"{questionnaire_id}.yaml")
    assert loaded.questionnaire is not None, loaded.findings
    return loaded.questionnaire
