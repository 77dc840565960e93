"""`advisor check` on content that does nothing: a step whose answer nothing uses (Q025), an example that expects
nothing (Q026). Each is a warning where it is written; a step or example that does something is not reported.

The slips are planted into the clean `faults/tent-base.yaml` (and the shipped tent-help.yaml), checked as
`advisor check` checks them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.audit import analyse_text
from advisor.paths import questionnaires_dir
from advisor.questionnaire.findings import WARNING, Finding, has_errors
from advisor.recommend.index import CatalogIndex
from advisor.service.guides import guides_in_use
from tests.helpers.catalog import sample_dictionary
from tests.helpers.index import sample_index
from tests.helpers.service import merged_catalog, merged_dictionary

BASE = Path(__file__).parent / "faults" / "tent-base.yaml"
RESULTS = "\nresults:\n"
COLOUR = "  - id: colour_wish\n    kind: yes_no\n    question: {de: Soll es bunt sein?, en: Should it be colourful?}\n"


def check(text: str) -> list[Finding]:
    catalog = CatalogIndex(1, {"tents": sample_index("tents")})
    analysis = analyse_text(text, "tent-faults.yaml", dictionary=sample_dictionary(), catalog=catalog, walk=False)
    return list(analysis.findings)


def planted(old: str, new: str, text: str | None = None) -> str:
    text = BASE.read_text(encoding="utf-8") if text is None else text
    assert text.count(old) == 1, old
    return text.replace(old, new)


def at(text: str, needle: str) -> tuple[int, int]:
    """The 1-based line and column of the first `needle`."""
    before = text[: text.index(needle)]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def test_a_yes_no_step_nothing_uses_is_a_warning_at_its_id() -> None:
    text = planted(RESULTS, "\n" + COLOUR + RESULTS)
    [finding] = check(text)
    assert (finding.code, finding.severity) == ("Q025", WARNING)
    assert (finding.line, finding.column) == at(text, "colour_wish")
    assert finding.message == (
        "step 'colour_wish' changes nothing: it has no require or prefer, and no condition, target or importance "
        "names its answer; give it a requirement or a preference, use it in a show_if or next, or remove the step"
    )
    assert not has_errors([finding])  # `advisor check` passes, and says so


ASKED = (RESULTS, "\n" + COLOUR + RESULTS)  # the step, asked last
SHADE = "  - id: shade\n    kind: yes_no\n    question: {de: Knallig?, en: Bright?}\n    show_if: colour_wish\n"
PREFERENCE = "    prefer: [{attribute: price, direction: lower}]\n"


@pytest.mark.parametrize(
    "edits",
    [
        [(RESULTS, "\n" + COLOUR + PREFERENCE + RESULTS)],
        [(RESULTS, "\n" + COLOUR + "\n" + SHADE + PREFERENCE + RESULTS)],
        [ASKED, ("require: [inner_length_cm >= body_height + 10]",
                 "require: ['inner_length_cm >= body_height + (20 if colour_wish else 10)']")],
        [ASKED, ("if extra_space else", "if extra_space or colour_wish else")],
    ],
    ids=["its own preference", "a later step's show_if", "another step's requirement", "a preference's target"],
)  # fmt: skip
def test_a_step_whose_answer_is_used_is_not_reported(edits: list[tuple[str, str]]) -> None:
    text = BASE.read_text(encoding="utf-8")
    for old, new in edits:
        text = planted(old, new, text)
    assert check(text) == []


def test_a_step_nothing_uses_in_a_service_flow_names_what_a_flow_can_use() -> None:
    flow = (questionnaires_dir() / "tent-help.yaml").read_text(encoding="utf-8")
    text = planted("\noutcomes:", "\n" + COLOUR + "\noutcomes:", flow)
    findings = analyse_text(text, "tent-help.yaml", dictionary=merged_dictionary(), catalog=merged_catalog(),
                            guides=guides_in_use()).findings  # fmt: skip
    assert [(f.code, f.message) for f in findings] == [
        ("Q025", "step 'colour_wish' changes nothing: no show_if, next or outcome's if names its answer, and it is "
                 "not the problem; use it in a condition, or remove the step"),
    ]  # fmt: skip


EXPECTATIONS = "    top: 3\n    include: [NG-TENT-0017]\n"


@pytest.mark.parametrize("left", ["    top: 3\n", "    top: 3\n    include: []\n"], ids=["none", "an empty include"])
def test_an_example_that_expects_nothing_is_a_warning_at_its_name(left: str) -> None:
    text = planted(EXPECTATIONS, left)
    [finding] = check(text)
    assert (finding.code, finding.severity) == ("Q026", WARNING)
    assert (finding.line, finding.column) == at(text, "Alpine solo")
    assert finding.message == (
        "example 'Alpine solo' expects nothing, so it can never fail; add what these answers must lead to: include "
        "or exclude (skus among the first products), count_at_least, or no_match: true"
    )


@pytest.mark.parametrize("expects", ["exclude: [NG-TENT-0002]", "count_at_least: 1", "no_match: true"])
def test_an_example_with_any_expectation_is_not_reported(expects: str) -> None:
    assert check(planted(EXPECTATIONS, f"    top: 3\n    {expects}\n")) == []
