"""Completion as a merchandiser meets it while typing: what is offered is what `advisor check` accepts there."""

from __future__ import annotations

from functools import cache

import pytest

from advisor.audit import Analysis, analyse_text
from advisor.lsp import assist
from advisor.recommend.index import CatalogIndex
from tests.advisor.questionnaire.test_checks import BASE, check
from tests.helpers.catalog import sample_dictionary
from tests.helpers.index import made_up_index, product, sample_index

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


def test_each_value_says_how_many_products_have_it_in_plain_words() -> None:
    text = typed("      - expr: capacity >= persons\n", f'      - expr: tent_type == "{CURSOR}\n')
    offset = text.index(CURSOR)
    clean = text.replace(CURSOR, "", 1)
    line, column = clean.count("\n", 0, offset), offset - (clean.rfind("\n", 0, offset) + 1)
    tents = [product("T-1", {"tent_type": "dome"}), product("T-2", {"tent_type": "dome"}),
             product("T-3", {"tent_type": "tunnel"})]  # fmt: skip
    knowledge = assist.Knowledge(sample_dictionary(), CatalogIndex(1, {"tents": made_up_index("tents", tents)}),
                                 analysis())  # fmt: skip
    details = {item.label: item.detail for item in assist.complete(clean, line, column, knowledge).items}
    assert details == {"dome": "2 products", "tunnel": "1 product", "geodesic": "0 products",
                       "semi_geodesic": "0 products", "trekking_pole": "0 products"}  # fmt: skip


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


def test_tie_break_offers_each_number_attribute_ascending_and_descending() -> None:
    offered = labels(typed("tie_break: [price, -capacity]", f"tie_break: [{CURSOR}"))
    assert {"price", "-price", "capacity", "-capacity", "weight_kg", "-weight_kg"} <= offered
    descending = labels(typed("tie_break: [price, -capacity]", f"tie_break: [price, -{CURSOR}"))
    assert "-price" in descending and all(name.startswith("-") for name in descending)


@pytest.mark.parametrize(
    ("typed_text", "offered", "choice", "line"),
    [
        (f"weight_importance == {CURSOR}", {"0", "3"}, "3", "weight_importance == 3"),
        (f"weight_importance != {CURSOR}", {"0", "3"}, "0", "weight_importance != 0"),
        (f"trip == {CURSOR}", {'"trekking"', '"family"', '"festival"'}, '"family"', 'trip == "family"'),
        (f"trip == fest{CURSOR}", {'"festival"'}, '"festival"', 'trip == "festival"'),
        (f'trip in ["family", {CURSOR}]', {'"trekking"', '"family"', '"festival"'}, '"festival"',
         'trip in ["family", "festival"]'),
    ],
)  # fmt: skip
def test_after_a_comparison_without_a_quote_the_values_of_the_step_are_offered_in_the_form_that_works(
    typed_text: str, offered: set[str], choice: str, line: str
) -> None:
    old, new = SHOW_IF
    text = typed(old, new.format(typed_text))
    assert labels(text) == offered
    written = chosen(text, choice)
    assert written == f"    show_if: '{line}'"
    assert check(typed(old, old + written + "\n")) == []


@pytest.mark.parametrize("typed_text", [f"extras == {CURSOR}", f'extras != "{CURSOR}', f'extras in ["{CURSOR}'])
def test_a_multiple_choice_answer_compared_as_one_value_is_offered_none_of_its_options(typed_text: str) -> None:
    """Its answer is a list, which equals no single value (the check says to write "x" in extras): completion offers
    nothing the check would reject; a value tested for membership is offered."""
    old, new = SHOW_IF
    options = {"freestanding_wish", "quick_pitch", '"freestanding_wish"', '"quick_pitch"'}
    assert not labels(typed(old, new.format(typed_text))) & options
    assert {"freestanding_wish", "quick_pitch"} <= labels(typed(old, new.format(f'"{CURSOR}" in extras')))


def test_a_condition_in_double_quotes_is_offered_text_values_in_single_quotes() -> None:
    text = typed(SHOW_IF[0], SHOW_IF[0] + f'    show_if: "trip == {CURSOR}"\n')
    assert labels(text) == {"'trekking'", "'family'", "'festival'"}
    line = chosen(text, "'family'")
    assert line == "    show_if: \"trip == 'family'\""
    assert check(typed(SHOW_IF[0], SHOW_IF[0] + line + "\n")) == []


def knowledge_of(text: str) -> assist.Knowledge:
    catalog = CatalogIndex(1, {"tents": sample_index("tents")})
    analysed = analyse_text(text, "tent-faults.yaml", dictionary=sample_dictionary(), catalog=catalog, walk=False)
    return assist.Knowledge(sample_dictionary(), catalog, analysed)


def at(text: str, needle: str, into: int) -> tuple[str, int, int]:
    """The text without the needle's marker, and the line and column `into` characters into the needle."""
    offset = text.index(needle) + into
    return text, text.count("\n", 0, offset), offset - (text.rfind("\n", 0, offset) + 1)


def shown(text: str, needle: str, into: int) -> str | None:
    text, line, column = at(text, needle, into)
    found = assist.hover(text, line, column, knowledge_of(text))
    return found.markdown if found else None


def defined(text: str, needle: str, into: int) -> str | None:
    """The line the definition of what is under the cursor starts on (stripped), or None."""
    text, line, column = at(text, needle, into)
    found = assist.definition(text, line, column, knowledge_of(text))
    return text.splitlines()[found.line].strip() if found else None


# An option named as a product attribute (the extras option 'freestanding'), and a step after extras whose
# condition tests it.
NAMESAKE = typed("      - id: freestanding_wish\n", "      - id: freestanding\n").replace(
    "\nresults:\n",
    "\n  - id: done\n    kind: yes_no\n    question: {de: Fertig?, en: Done?}\n"
    '    show_if: \'"freestanding" in extras and trip == "festival"\'\n    require: [\'"quick_pitch" in extras\']\n'
    "\nresults:\n",
)


@pytest.mark.parametrize(
    ("needle", "into", "about", "line"),
    [
        ("show_if: '\"freestanding\" in extras", len("show_if: '\"free"), "option `freestanding` of step `extras`",
         "id: freestanding"),
        ('trip == "festival"', len('trip == "fest'), "option `festival` of step `trip`", "id: festival"),
        ("require: ['\"quick_pitch\"", len("require: ['\"quick"), "option `quick_pitch` of step `extras`",
         "id: quick_pitch"),
        ("{if: 'region == \"alpine\"'", len("{if: 'region == \"alp"), "option `alpine` of step `region`",
         "id: alpine"),
        ("{region: rough,", len("{region: ro"), "option `rough` of step `region`", "id: rough"),
    ],
)  # fmt: skip
def test_an_option_in_a_condition_or_an_answer_is_described_and_found_as_that_option(
    needle: str, into: int, about: str, line: str
) -> None:
    markdown = shown(NAMESAKE, needle, into)
    assert markdown is not None and about in markdown
    assert "Freistehend / Freestanding" not in markdown.split("\n\n")[0]  # not the attribute 'freestanding'
    assert defined(NAMESAKE, needle, into) == f"- {line}"


def test_the_option_hover_names_its_labels_and_value() -> None:
    text = typed(SHOW_IF[0], SHOW_IF[1].format('weight_importance in [0, 3] and trip == "family"'))
    markdown = shown(text, 'trip == "family"', len('trip == "fam'))
    assert markdown is not None
    assert "Mit dem Auto" in markdown and "By car" in markdown
    assert "**trip**" not in markdown  # the option, not the step's question


def test_a_step_in_goto_is_described_and_found_but_a_unit_named_like_a_step_is_not_a_step() -> None:
    markdown = shown(NAMESAKE, "next: [{goto: extras}]", len("next: [{goto: ex"))
    assert markdown is not None and "What else matters to you?" in markdown
    assert defined(NAMESAKE, "next: [{goto: extras}]", len("next: [{goto: ex")) == "- id: extras"
    assert shown(NAMESAKE, "unit: persons", len("unit: per")) is None
    assert defined(NAMESAKE, "unit: persons", len("unit: per")) is None


@pytest.mark.parametrize(
    ("step", "offered", "not_offered"),
    [
        (
            "  - id: weight_importance\n    kind: single\n",
            {"help", "dont_care", "short"},
            {"min", "max", "step", "default", "unit"},
        ),
        ("  - id: extra_space\n    kind: yes_no\n", {"help", "require", "next"}, {"min", "unit", "options"}),
        ("  - id: body_height\n    kind: number\n", {"help", "show_if", "next"}, {"options"}),
    ],
)
def test_a_step_is_offered_only_the_keys_of_its_kind(step: str, offered: set[str], not_offered: set[str]) -> None:
    keys = labels(typed(step, f"{step}    {CURSOR}\n"))
    assert offered <= keys
    assert not not_offered & keys
    for key in keys - {"options", "next", "require", "prefer", "help", "short", "show_if"}:  # each checks clean
        value = {"dont_care": "true", "firm": "true"}.get(key, "1")
        assert check(typed(step, f"{step}    {key}: {value}\n")) == [], key


def test_a_help_flows_condition_on_a_step_offers_the_products_attributes_a_finders_does_not() -> None:
    from advisor.paths import questionnaires_dir

    help_text = (questionnaires_dir() / "tent-help.yaml").read_text(encoding="utf-8")
    pole = '    show_if: problem == "pole" and not (tent_type == "trekking_pole")'
    assert pole in help_text
    flow = help_text.replace(pole, f"    show_if: problem == 'pole' and not {CURSOR}")
    offset = flow.index(CURSOR)
    flow = flow.replace(CURSOR, "", 1)
    line, column = flow.count("\n", 0, offset), offset - (flow.rfind("\n", 0, offset) + 1)
    catalog = CatalogIndex(1, {"tents": sample_index("tents")})
    knowledge = assist.Knowledge(sample_dictionary(), catalog, analyse_text(
        help_text, "tent-help.yaml", dictionary=sample_dictionary(), catalog=catalog, walk=False))  # fmt: skip
    offered = {item.label for item in assist.complete(flow, line, column, knowledge).items}
    assert {"tent_type", "problem"} <= offered  # the shopper's product, and the answers before the step
    old, new = SHOW_IF
    assert "tent_type" not in labels(typed(old, new.format(CURSOR)))  # a finder: the products are not known yet
