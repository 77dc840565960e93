"""Completion as a merchandiser meets it while typing: what is offered is what `advisor check` accepts there."""

from __future__ import annotations

from functools import cache

import pytest

from advisor.audit import Analysis, analyse_text
from advisor.lsp import assist
from advisor.recommend.index import CatalogIndex
from tests.advisor.questionnaire.test_checks import BASE, check
from tests.helpers.catalog import sample_dictionary
from tests.helpers.index import sample_index

CURSOR = "‸"  # where the cursor is in a case's text
TENT_TYPES = {"dome", "tunnel", "geodesic", "semi_geodesic", "trekking_pole"}


@cache
def analysis() -> Analysis:
    catalog = CatalogIndex(1, {"tents": sample_index("tents")})
    return analyse_text(BASE.read_text(encoding="utf-8"), "tent-faults.yaml", dictionary=sample_dictionary(),
                        catalog=catalog, walk=False)  # fmt: skip


def typed(old: str, new: str) -> str:
    """The clean file with `old` replaced by `new` (which marks the cursor)."""
    text = BASE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new)


def completions(text: str) -> list[assist.Completion]:
    offset = text.index(CURSOR)
    text = text.replace(CURSOR, "", 1)
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    knowledge = assist.Knowledge(sample_dictionary(), CatalogIndex(1, {"tents": sample_index("tents")}), analysis())
    return list(assist.complete(text, line, column, knowledge).items)


def labels(text: str) -> set[str]:
    return {item.label for item in completions(text)}


@pytest.mark.parametrize(
    "expression",
    [
        f'tent_type == "{CURSOR}',
        f'capacity >= 2 and tent_type != "{CURSOR}',
        f'tent_type in ["dome", "{CURSOR}',
        f'tent_type in ["dome", "{CURSOR}"]',
    ],
)
def test_inside_a_string_of_a_requirement_the_values_of_its_attribute_are_offered(expression: str) -> None:
    text = typed("      - expr: capacity >= persons\n", f"      - expr: {expression}\n")
    assert labels(text) == TENT_TYPES


def test_inside_a_string_of_a_condition_the_options_of_its_step_are_offered() -> None:
    text = typed("  - id: extra_space\n", f'  - id: extra_space\n    show_if: trip == "fe{CURSOR}\n')
    assert labels(text) == {"festival"}


def test_diversity_offers_only_enum_and_yes_no_attributes() -> None:
    offered = labels(typed("diversity: {attribute: tent_type,", f"diversity: {{attribute: {CURSOR}"))
    assert "tent_type" in offered
    assert "price" not in offered
    for name in offered:  # each of them checks clean
        assert check(typed("diversity: {attribute: tent_type,", f"diversity: {{attribute: {name},")) == [], name


def test_a_key_the_step_has_already_is_not_offered_again() -> None:
    text = typed("  - id: persons\n    kind: number\n", f"  - id: persons\n    kind: number\n    {CURSOR}\n")
    offered = labels(text)
    assert {"show_if", "help", "prefer", "dont_care"} <= offered
    assert not {"id", "kind", "question", "min", "max", "step", "default", "unit", "require"} & offered


def test_an_example_answer_is_offered_with_its_colon_and_only_for_steps_not_answered_yet() -> None:
    answers = (
        "{region: rough, trip: trekking, persons: 2, extra_space: false, body_height: 180,\n"
        "              weight_importance: high, extras: [quick_pitch]}\n"
    )
    text = typed(answers, f"{{region: rough, trip: trekking, pers{CURSOR}}}\n")
    (item,) = completions(text)
    assert (item.label, item.insert) == ("persons", "persons: ")
    offered = labels(typed(answers, f"{{region: rough, trip: trekking, {CURSOR}}}\n"))
    assert offered == {"persons", "extra_space", "body_height", "weight_importance", "extras"}


def test_a_choice_made_inside_a_word_replaces_the_whole_word() -> None:
    text = typed("  - id: persons\n    kind: number\n", f"  - id: persons\n    kind: nu{CURSOR}mber\n")
    offset = text.index(CURSOR)
    clean = text.replace(CURSOR, "", 1)
    line = clean.count("\n", 0, offset)
    column = offset - (clean.rfind("\n", 0, offset) + 1)
    knowledge = assist.Knowledge(sample_dictionary(), CatalogIndex(1, {"tents": sample_index("tents")}), analysis())
    found = assist.complete(clean, line, column, knowledge)
    chosen = next(item for item in found.items if item.label == "number")
    row = clean.splitlines()[line]
    written = row[: found.replace.start] + (chosen.insert or chosen.label) + row[found.replace.end :]
    assert written == "    kind: number", "not 'numbermber'"


SHOW_IF = ("  - id: extras\n    kind: multiple\n", "  - id: extras\n    kind: multiple\n    show_if: '{}'\n")


def chosen(text: str, label: str) -> str:
    """The line the cursor is on after choosing the item `label` (its own range, or the word at the cursor)."""
    offset = text.index(CURSOR)
    clean = text.replace(CURSOR, "", 1)
    line = clean.count("\n", 0, offset)
    column = offset - (clean.rfind("\n", 0, offset) + 1)
    knowledge = assist.Knowledge(sample_dictionary(), CatalogIndex(1, {"tents": sample_index("tents")}), analysis())
    found = assist.complete(clean, line, column, knowledge)
    item = next(item for item in found.items if item.label == label)
    span = item.replace or found.replace
    row = clean.splitlines()[line]
    return row[: span.start] + (item.insert or item.label) + row[span.end :]


@pytest.mark.parametrize("typed_text", [f'weight_importance == "{CURSOR}', f'weight_importance == "{CURSOR}"'])
def test_a_number_value_in_quotes_is_offered_without_them_and_checks_clean(typed_text: str) -> None:
    old, new = SHOW_IF
    text = typed(old, new.format(typed_text))
    assert labels(text) == {"0", "3"}
    line = chosen(text, "3")
    assert line == "    show_if: 'weight_importance == 3'"
    assert check(typed(old, old + line + "\n")) == []


def test_importance_offers_only_steps_whose_answer_is_a_number() -> None:
    offered = labels(typed("importance: weight_importance", f"importance: {CURSOR}"))
    assert offered == {"persons", "body_height", "weight_importance"}


def test_tie_break_offers_only_what_the_check_accepts() -> None:
    offered = labels(typed("tie_break: [price, -capacity]", f"tie_break: [{CURSOR}"))
    assert "capacity" in offered and "tent_type" not in offered and "use" not in offered
    for name in offered:
        assert check(typed("tie_break: [price, -capacity]", f"tie_break: [{name}]")) == [], name


def test_a_condition_and_a_goto_offer_only_the_steps_the_check_accepts_there() -> None:
    old, new = SHOW_IF
    steps = {"region", "trip", "persons", "extra_space", "body_height", "weight_importance", "extras"}
    offered = labels(typed(old, new.format(CURSOR))) & steps
    assert offered == steps - {"extras"}
    assert labels(typed("next: [{goto: extras}]", f"next: [{{goto: {CURSOR}}}]")) == {"extras", "results"}
