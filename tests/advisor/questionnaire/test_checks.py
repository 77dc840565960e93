"""What the file checks say about a merchandiser's slip: once, in their words, with a quick fix that fixes it.

Each slip is an edit of the clean `faults/tent-base.yaml`; the file is checked as `advisor check` checks it (without
the path walk, which has nothing to say about these).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.audit import analyse_text
from advisor.questionnaire.findings import Finding, Fix, has_errors
from advisor.recommend.index import CatalogIndex
from tests.helpers.catalog import sample_dictionary
from tests.helpers.index import sample_index

BASE = Path(__file__).parent / "faults" / "tent-base.yaml"


def check(text: str) -> list[Finding]:
    catalog = CatalogIndex(1, {"tents": sample_index("tents")})
    analysis = analyse_text(text, "tent-faults.yaml", dictionary=sample_dictionary(), catalog=catalog, walk=False)
    return list(analysis.findings)


def planted(old: str, new: str) -> str:
    text = BASE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new)


def applied(text: str, fix: Fix) -> str:
    """The text with a quick fix applied as an editor applies it (lines and columns in characters, 1-based)."""
    starts = [0]
    starts += [i + 1 for i, char in enumerate(text) if char == "\n"]
    start = starts[fix.line - 1] + fix.column - 1
    end = starts[fix.end_line - 1] + fix.end_column - 1
    return text[:start] + fix.replacement + text[end:]


# A wrong word where a value ends (its line, a comment, a comma or bracket, or the value goes on before it): the
# text as it is, with the slip, and (where it is not the text as it was) as the quick fix leaves it.
TYPOS = {
    "thousands separator": ("expr: waterproof_fly_mm >= 3000", "expr: waterproof_fly_mm >= 3.000"),
    "attribute before a comma": ("{attribute: setup_minutes,", "{attribute: setup_mintues,"),
    "kind before a comment": (
        "  - id: trip\n    kind: single\n",
        "  - id: trip\n    kind: singel   # Auswahl\n",
        "  - id: trip\n    kind: single   # Auswahl\n",
    ),
    "icon at the end of its line": ("icon: clock", "icon: clokc"),
    "category": ("category: tents", "category: tent"),
    "goto before a brace": ("next: [{goto: extras}]", "next: [{goto: extars}]"),
    "example answer before a comma": ("{region: rough, trip: trekking,", "{region: rough, trip: trekkin,"),
    "name ending a requirement": (
        "[inner_length_cm >= body_height + 10]",
        "[inner_length_cm - 10 >= body_heigth]",
        "[inner_length_cm - 10 >= body_height]",
    ),
    "name ending a line": (
        "      - expr: capacity >= persons\n",
        "      - expr: persons <= capacty\n",
        "      - expr: persons <= capacity\n",
    ),
    "unit": ("unit: cm", "unit: cms"),
    "tie break before a bracket": ("tie_break: [price, -capacity]", "tie_break: [price, -capcity]"),
    "enum value before a comma": ("equals: geodesic, weight: 2", "equals: geodesik, weight: 2"),
    "enum value by its German label": ("equals: geodesic, weight: 2", "equals: Geodät, weight: 2"),
}


def test_the_base_checks_clean() -> None:
    assert check(BASE.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("typo", TYPOS.values(), ids=TYPOS.keys())
def test_the_quick_fix_of_a_typo_replaces_the_whole_word_and_the_file_checks_clean(typo: tuple[str, ...]) -> None:
    old, new, *fixed = typo
    text = planted(old, new)
    (finding,) = check(text)
    (fix,) = finding.fixes
    assert applied(text, fix) == planted(old, fixed[0] if fixed else old)
    assert check(applied(text, fix)) == []


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, [finding.as_text() for finding in findings]
    return findings[0]


def test_a_mistyped_locale_is_reported_once_and_read_as_the_one_meant() -> None:
    text = planted("locales: [de, en]", "locales: [de, eng]")
    finding = only(check(text))
    assert (finding.code, finding.line, finding.column) == ("Q015", 6, text.splitlines()[5].index("eng") + 1)
    assert finding.message == "locales must include de and en; 'eng' is not one of them (did you mean 'en'?)"
    assert check(applied(text, finding.fixes[0])) == []


@pytest.mark.parametrize(
    ("old", "line", "written", "meant"),
    [
        ("address: {de: du, en: du}", "address: {{de: {}, en: du}}", "Du", "du"),
        ("address: {de: du, en: du}", "address: {{de: {}, en: du}}", "sie", "Sie"),
        ("default_locale: de", "default_locale: {}", "DE", "de"),
    ],
)
def test_a_value_in_other_capitals_is_one_finding_with_the_value_meant(
    old: str, line: str, written: str, meant: str
) -> None:
    text = planted(old, line.format(written))
    finding = only(check(text))
    assert finding.code == "Q004"
    assert f"'{written}'" in finding.message
    assert finding.message.endswith(f"(did you mean '{meant}'?)")
    assert applied(text, finding.fixes[0]) == planted(old, line.format(meant))


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("Geodät", "'geodesic' (Geodät)"),
        ("kuppelzelt", "'dome' (Kuppelzelt)"),
        ("Semi-geodesic", "'semi_geodesic' (Semi-geodesic)"),
    ],
)
def test_a_value_written_by_its_label_is_told_the_value_it_labels(written: str, said: str) -> None:
    """As an attribute or a category written by its label: "did you mean 'geodesic' (Geodät)?", with the fix."""
    text = planted("equals: geodesic, weight: 2", f"equals: {written}, weight: 2")
    finding = only(check(text))
    assert finding.code == "Q010"
    assert finding.message == (
        f"'{written}' is not a value of tent_type; use one of dome, tunnel, geodesic, semi_geodesic, trekking_pole "
        f"(did you mean {said}?)"
    )
    assert [fix.replacement for fix in finding.fixes] == [said.split("'")[1]]


def test_an_empty_kind_says_it_is_empty() -> None:
    finding = only(check(planted("  - id: trip\n    kind: single\n", "  - id: trip\n    kind:\n")))
    assert finding.message.startswith("step 'trip', kind is empty; write one of single, multiple, number, yes_no")
    assert "None" not in finding.message


def test_a_decimal_comma_in_braces_says_the_comma_ended_the_entry() -> None:
    text = planted("{attribute: setup_minutes, direction: lower, weight: 3}",
                   "{attribute: setup_minutes, direction: lower, weight: 2,5}")  # fmt: skip
    finding = only(check(text))
    assert finding.code == "Q002"
    assert "so 'weight: 2,5' reads as weight 2 and a key '5'; decimals take a point: write weight: 2.5" in (
        finding.message
    )
    (fix,) = finding.fixes  # as a decimal comma in a setting (Q004 'show: 5,5') offers one
    assert (fix.title, fix.replacement) == ("Change to 'weight: 2.5'", "weight: 2.5")
    fixed = applied(text, fix)
    assert "{attribute: setup_minutes, direction: lower, weight: 2.5}" in fixed
    assert check(fixed) == []


def test_a_decimal_comma_in_a_number_setting_is_fixed_to_a_point() -> None:
    text = planted("    step: 10\n", "    step: 2,5\n")
    finding = only(check(text))
    assert finding.message == "step 'body_height', step must be a number, not the text '2,5': decimals take a point " \
        "here; write 2.5"  # fmt: skip
    assert check(applied(text, finding.fixes[0])) == []


def test_a_thousands_separator_in_a_number_setting_is_one_finding_that_says_how_it_reads() -> None:
    text = planted("    min: 150\n    max: 190\n", "    min: 150\n    max: 1.900\n")
    finding = only(check(text))
    assert (finding.code, finding.line) == ("Q019", text[: text.index("max: 1.900")].count("\n") + 1)
    assert "(max '1.900' reads as 1.9: a point starts the decimals here; write 1900 for 1,900)" in finding.message
    assert [fix.replacement for fix in finding.fixes] == ["1900"]


def test_the_worked_example_of_the_docs_checks_without_errors() -> None:
    docs = (Path(__file__).parents[3] / "docs" / "questionnaires.md").read_text(encoding="utf-8")
    section = docs.split("## A worked example", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```\n", 1)[0]
    catalog = CatalogIndex(1, {"tents": sample_index("tents")})
    analysis = analyse_text(example, "tent-finder.yaml", dictionary=sample_dictionary(), catalog=catalog)
    assert not has_errors(analysis.findings), [finding.as_text() for finding in analysis.findings]
    assert analysis.questionnaire is not None and analysis.questionnaire.examples  # its example was run


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


SHOW_IF_AT_EXTRAS = ("  - id: extras\n    kind: multiple\n", "  - id: extras\n    kind: multiple\n    show_if: '{}'\n")


@pytest.mark.parametrize(
    ("condition", "message", "fixed"),
    [
        (
            'weight_importance == "3"',
            "\"3\" is text, but option 'high' of step 'weight_importance' has the number 3 as its value, so this is "
            "never true; write 3",
            "weight_importance == 3",
        ),
        (
            'weight_importance in ["0", 3]',
            "\"0\" is text, but option 'low' of step 'weight_importance' has the number 0 as its value, so this is "
            "never true; write 0",
            "weight_importance in [0, 3]",
        ),
        (
            'weight_importance == "high"',
            "option 'high' of step 'weight_importance' stands for its value 3 in conditions, not its id, so this is "
            "never true; write 3",
            "weight_importance == 3",
        ),
    ],
)
def test_a_number_value_compared_as_text_is_a_type_mismatch_at_the_comparison(
    condition: str, message: str, fixed: str
) -> None:
    old, new = SHOW_IF_AT_EXTRAS
    text = planted(old, new.format(condition))
    finding = only(check(text))
    quoted = '"0"' if '"0"' in condition else '"3"' if '"3"' in condition else '"high"'
    row = text.splitlines()[finding.line - 1]
    assert (finding.code, finding.line) == ("Q011", line_of(text, "show_if: 'weight"))
    assert row[finding.column - 1 : finding.end_column - 1] == quoted
    assert finding.message == message
    assert check(applied(text, finding.fixes[0])) == [] and fixed in applied(text, finding.fixes[0])


def test_a_text_value_compared_as_a_number_is_a_type_mismatch() -> None:
    text = planted("        value: 3\n", '        value: "3"\n')
    old, new = SHOW_IF_AT_EXTRAS
    text = text.replace(old, new.format("weight_importance == 3"))
    messages = [f.message for f in check(text) if f.code == "Q011"]
    assert messages == [
        "3 is a number, but option 'high' of step 'weight_importance' has the text \"3\" as its value, so this is "
        'never true; write "3"'
    ]


def test_a_number_no_option_stands_for_is_named_with_the_values_there_are() -> None:
    old, new = SHOW_IF_AT_EXTRAS
    finding = only(check(planted(old, new.format("weight_importance == 5"))))
    assert finding.message == "5 is not the value of an option of step 'weight_importance' (they are 0, 3)"


def test_an_importance_value_with_a_decimal_comma_says_where_and_what() -> None:
    text = planted("        value: 3\n", "        value: 1,5\n")
    finding = only(check(text))
    assert (finding.code, finding.line, finding.column) == ("Q004", line_of(text, "value: 1,5"), 16)
    assert finding.message == (
        "step 'weight_importance', option 'high': value '1,5' is text, so it would not multiply the weight "
        "(importance); decimals take a point: write 1.5"
    )
    assert check(applied(text, finding.fixes[0])) == []


def test_an_importance_that_names_a_step_without_a_number_answer_is_reported() -> None:
    text = planted("importance: weight_importance", "importance: extras")
    finding = only(check(text))
    assert (finding.code, finding.line) == ("Q011", line_of(text, "importance: extras"))
    assert finding.message.startswith("importance needs a step whose answer is a number")
    assert "'extras' is a multiple-choice step" in finding.message
    option = only(check(planted("        value: 3\n", "        value: sehr\n")))
    assert option.message.startswith("step 'weight_importance', option 'high' has value 'sehr', but step ")


def test_a_mistyped_format_version_is_one_finding_at_its_line_and_the_rest_is_still_checked() -> None:
    text = planted("format_version: 2", "format_versin: 2").replace(
        "expr: capacity >= persons", "expr: capacty >= persons"
    )
    version, other = check(text)
    assert (version.code, version.line, version.column, version.end_line) == ("Q003", 3, 1, 3)
    assert version.message == (
        "the file needs 'format_version' (this app reads format versions 1 to 2); 'format_versin' is not a key "
        "(did you mean 'format_version'?)"
    )
    assert other.code == "Q008" and "capacty" in other.message
    assert check(applied(text, version.fixes[0])) == [other]


@pytest.mark.parametrize("written", ["format_version: zwei", ""])
def test_an_unreadable_or_missing_format_version_still_checks_the_rest(written: str) -> None:
    text = planted("format_version: 2\n", written + "\n" if written else "").replace("unit: cm", "unit: cms")
    found = check(text)
    assert [f.code for f in found] == ["Q004" if written else "Q003", "Q004"]
    assert "this app reads format versions 1 to 2" in found[0].message
    assert found[0].line == found[0].end_line == 3


def test_tie_break_on_an_attribute_without_order_is_reported() -> None:
    text = planted("tie_break: [price, -capacity]", "tie_break: [price, tent_type]")
    finding = only(check(text))
    assert (finding.code, finding.line) == ("Q011", line_of(text, "tie_break"))
    assert finding.message.startswith(
        "tie_break needs a number (or yes/no) attribute to order by; 'tent_type' is an enum attribute"
    )


def test_a_mistyped_goto_does_not_make_the_step_it_meant_unreachable() -> None:
    finding = only(check(planted("      - {goto: trip}", "      - {goto: trp}")))
    assert finding.message == "goto 'trp' is not a step (did you mean 'trip'?)"


def test_an_unknown_goto_is_named_as_the_possible_cause_of_an_unreachable_step() -> None:
    text = planted("      - {goto: trip}", "      - {goto: zzzqq}")
    unreachable = [f.message for f in check(text) if f.code == "Q013"]
    assert unreachable == [
        f"no path reaches step 'trip'; route to it with goto, or remove it (goto 'zzzqq' (line "
        f"{line_of(text, 'zzzqq')}) names no step: is this the step it is meant for?)"
    ]


@pytest.mark.parametrize("label", ["{de: Festival #1, en: Festival}", "[Festival #1, x]"])
def test_a_hash_in_a_plain_flow_text_says_it_starts_a_comment(label: str) -> None:
    text = planted("label: {de: Festival, en: Festival}", f"label: {label}")
    finding = only(check(text))
    assert (finding.line, finding.column) == (line_of(text, "#1"), text.splitlines()[finding.line - 1].index("#") + 1)
    assert finding.message.startswith("' #' starts a comment, so the rest of this line is left out")


def test_a_hash_in_quotes_is_no_comment_for_an_unclosed_brace() -> None:
    text = planted("label: {de: Festival, en: Festival}", 'label: {de: "Festival #1", en: Festival')
    finding = only(check(text))
    assert finding.message == "the { } opened here is not closed on its line; add '}'"


def test_a_mistyped_preference_key_is_reported_once() -> None:
    text = planted("{attribute: setup_minutes, direction: lower, weight: 3}",
                   "{attribute: setup_minutes, directon: lower, weight: 3}")  # fmt: skip
    finding = only(check(text))
    assert finding.code == "Q002" and finding.message.endswith("(did you mean 'direction'?)")


@pytest.mark.parametrize(
    ("old", "new", "key_line"),
    [
        ("address: {de: du, en: du}\n", "", "format_version: 2"),
        ("  - id: extra_space\n    kind: yes_no\n", "  - id: extra_space\n", "  - id: extra_space"),
        ("        label: {de: Festival, en: Festival}\n", "", "      - id: festival"),
    ],
)
def test_a_missing_key_is_reported_on_the_first_line_of_its_mapping(old: str, new: str, key_line: str) -> None:
    text = planted(old, new)
    finding = only(check(text))
    assert finding.code == "Q003"
    assert finding.line == finding.end_line == line_of(text, key_line)


@pytest.mark.parametrize(
    ("old", "new", "message", "offered"),
    [
        ("  show: 5\n", "  show: 5,5\n", "results, show must be a whole number, not the text '5,5'; write 5 or 6",
         ("5", "6")),
        ("  show: 5\n", "  show: 0,5\n", "results, show must be a whole number, not the text '0,5'; write 1", ("1",)),
        ("  show: 5\n", "  show: 5.5\n", "results, show must be a whole number, not 5.5; write 5 or 6", ("5", "6")),
        ("    top: 3\n", "    top: 2,0\n", "example 'Alpine solo', top must be a whole number, not the text '2,0'; "
         "write 2", ("2",)),
        ("    default: 2\n", "    default: 1,5\n", "step 'persons', default must be a whole number, not the text "
         "'1,5' (the step counts in whole numbers: step 1); write 1 or 2", ("1", "2")),
        ("    default: 2\n", "    default: 1.5\n", "step 'persons', default must be a whole number, not 1.5 (the step "
         "counts in whole numbers: step 1); write 1 or 2", ("1", "2")),
        ("    max: 2\n", "    max: 2,5\n", "step 'persons', max must be a whole number, not the text '2,5' (the step "
         "counts in whole numbers: step 1); write 2 or 3", ("2", "3")),
        ("    min: 150\n", "    min: 150,5\n", "step 'body_height', min must be a whole number, not the text '150,5' "
         "(the step counts in whole numbers: step 10); write 150 or 151", ("150", "151")),
    ],
)  # fmt: skip
def test_a_decimal_in_a_whole_number_setting_says_it_must_be_whole_and_offers_no_decimal(
    old: str, new: str, message: str, offered: tuple[str, ...]
) -> None:
    text = planted(old, new)
    finding = only(check(text))
    assert (finding.code, finding.line) == ("Q004", line_of(text, new.strip()))
    row = text.splitlines()[finding.line - 1]
    assert row[finding.column - 1 : finding.end_column - 1] == new.split(": ")[1].strip()
    assert finding.message == message
    assert tuple(fix.replacement for fix in finding.fixes) == offered
    for fix in finding.fixes:
        assert check(applied(text, fix)) == [], fix


def test_a_decimal_comma_where_the_step_counts_in_decimals_is_fixed_to_a_point() -> None:
    text = planted("    step: 1\n    default: 2\n", "    step: 0.5\n    default: 1,5\n")
    finding = only(check(text))
    assert finding.message == (
        "step 'persons', default must be a number, not the text '1,5': decimals take a point here; write 1.5"
    )
    assert [fix.replacement for fix in finding.fixes] == ["1.5"]
    assert check(applied(text, finding.fixes[0])) == []


@pytest.mark.parametrize(
    ("condition", "message", "fixed", "marked"),
    [
        (
            'weight_importance == "hgh"',
            "'hgh' is not an option of step 'weight_importance' (did you mean 'high'? it stands for its value 3 in "
            "conditions; write 3)",
            "weight_importance == 3",
            '"hgh"',  # the fix replaces the quotes too: the value is a number
        ),
        (
            'weight_importance in [0, "hihg"]',
            "'hihg' is not an option of step 'weight_importance' (did you mean 'high'? it stands for its value 3 in "
            "conditions; write 3)",
            "weight_importance in [0, 3]",
            '"hihg"',
        ),
        (
            '"quick_pich" in extras',
            "'quick_pich' is not an option of step 'extras' (did you mean 'quick_pitch'?)",
            '"quick_pitch" in extras',
            "quick_pich",
        ),
    ],
)
def test_a_mistyped_option_in_a_condition_gets_a_did_you_mean_and_a_fix(
    condition: str, message: str, fixed: str, marked: str
) -> None:
    if "extras" in condition:  # a condition on the answer to extras: a step after it
        text = planted(
            "results:\n",
            f"  - id: done\n    kind: yes_no\n    question: {{de: Fertig?, en: Done?}}\n"
            f"    show_if: '{condition}'\n    prefer: [{{attribute: price, direction: lower}}]\n\nresults:\n",
        )
    else:
        text = planted(SHOW_IF_AT_EXTRAS[0], SHOW_IF_AT_EXTRAS[1].format(condition))
    finding = only(check(text))
    row = text.splitlines()[finding.line - 1]
    assert (finding.code, finding.line) == ("Q006", line_of(text, condition))
    assert row[finding.column - 1 : finding.end_column - 1] == marked
    assert finding.message == message
    (fix,) = finding.fixes
    assert fixed in applied(text, fix)
    assert check(applied(text, fix)) == []


def test_a_mis_indented_line_in_a_step_is_the_one_finding_not_its_options_missing_everywhere() -> None:
    """A line indented less than its step ends the step there, so YAML leaves its options out with it: the
    examples and conditions that name those options wait until the line is fixed (the docs' promise)."""
    text = planted(
        "    kind: single\n    question: {de: Wie bist du unterwegs?",
        "    kind: single\n  question: {de: Wie bist du unterwegs?",
    )
    finding = only(check(text))
    assert (finding.code, finding.line, finding.column) == ("Q001", line_of(text, "  question: {de: Wie bist"), 3)
    kind = line_of(text, "    kind: single\n  question: {de: Wie bist")
    assert finding.message == (
        "'question:' stands at the column of the '- ' of the list items above, where only a new item ('- ...') can "
        f"start; to give it to the item above (line {kind - 1}), indent it to column 5, in line with its keys (kind: "
        f"on line {kind})"
    )
    # A mistyped option of a step that reads whole is still named.
    mistyped = planted("{region: rough, trip: trekking,", "{region: rough, trip: trekkin,")
    assert [f.code for f in check(mistyped)] == ["Q006"]


@pytest.mark.parametrize(("setting", "kind"), [("min: 1", "single-choice"), ("unit: kg", "single-choice")])
def test_a_number_setting_on_a_choice_step_is_reported_at_its_key(setting: str, kind: str) -> None:
    text = planted("  - id: weight_importance\n    kind: single\n",
                   f"  - id: weight_importance\n    kind: single\n    {setting}\n")  # fmt: skip
    finding = only(check(text))
    key = setting.split(":")[0]
    line = line_of(text, "  - id: weight_importance") + 2
    assert (finding.code, finding.line, finding.column) == ("Q004", line, 5)
    assert text.splitlines()[line - 1] == f"    {setting}"
    assert finding.message == (
        f"step 'weight_importance' is a {kind} step; '{key}' is for number steps, so it is never used here; remove it"
    )


def test_a_number_setting_on_a_yes_no_step_names_its_kind() -> None:
    text = planted("  - id: extra_space\n    kind: yes_no\n", "  - id: extra_space\n    kind: yes_no\n    default: 1\n")
    finding = only(check(text))
    assert (finding.code, finding.line) == ("Q004", line_of(text, "    default: 1\n"))
    assert finding.message.startswith("step 'extra_space' is a yes/no step; 'default' is for number steps")


@pytest.mark.parametrize(
    ("step", "kind", "written"),
    [
        ("  - id: persons\n    kind: number\n", "number", "options: []"),
        ("  - id: extra_space\n    kind: yes_no\n", "yes/no", "options: [ ]"),
        ("  - id: extra_space\n    kind: yes_no\n", "yes/no", "options:"),
    ],
)
def test_empty_options_on_a_step_without_options_say_to_remove_the_line(step: str, kind: str, written: str) -> None:
    """`options: []` on a number (or yes/no) step: such a step has no options, not 'options needs an entry'."""
    text = planted(step, f"{step}    {written}\n")
    finding = only(check(text))
    assert (finding.code, finding.line) == ("Q004", line_of(text, step) + 2)
    assert text.splitlines()[finding.line - 1] == f"    {written}"
    step_id = step.split()[2]
    assert finding.message == (
        f"step '{step_id}' is a {kind} step, and a {kind} step has no options; remove the line '{written}'"
    )


def test_a_german_und_in_an_expression_says_to_write_and_at_the_word() -> None:
    text = planted("expr: waterproof_fly_mm >= 3000", "expr: waterproof_floor_mm >= 5000 und waterproof_fly_mm >= 3000")
    finding = only(check(text))
    row = text.splitlines()[finding.line - 1]
    assert (finding.code, finding.line) == ("Q007", line_of(text, "5000 und"))
    assert row[finding.column - 1 : finding.end_column - 1] == "und"
    assert finding.message == "use 'and' instead of 'und': expressions are written with and, or, not"


def test_a_step_id_used_twice_is_the_one_finding_not_the_answers_and_conditions_that_name_it() -> None:
    """Which of the two steps an example's answer or a condition means is unclear: the id's Q005 is the finding
    (not "'persons' takes true or false" for every example that answers the number step)."""
    text = planted(
        "  - id: body_height\n",
        "  - id: persons\n    kind: yes_no\n    question: {de: Gepäck im Zelt?, en: Gear inside?}\n\n"
        "  - id: body_height\n",
    )
    finding = only(check(text))
    assert (finding.code, finding.line) == ("Q005", line_of(text, "  - id: persons\n    kind: yes_no"))
    assert finding.message == "step id 'persons' is used twice (first at line 73); rename one"


@pytest.mark.parametrize(
    ("old", "new", "key", "above"),
    [
        ("    default: 2\n    unit: persons\n", "    default: 2\n      unit: persons\n", "unit", "default"),
        (
            "      - expr: capacity >= persons\n        label:",
            "    - expr: capacity >= persons\n        label:",
            "label",
            "expr",
        ),
    ],
)
def test_a_key_indented_more_than_the_key_above_it_says_so_at_its_line(
    old: str, new: str, key: str, above: str
) -> None:
    """YAML reads such a line as the value above going on, and stops at its ':'."""
    text = planted(old, new)
    finding = only(check(text))
    line = line_of(text, new) + 1
    assert (finding.code, finding.line) == ("Q001", line)
    assert text.splitlines()[line - 1].lstrip().startswith(f"{key}:")
    assert finding.message == (
        f"this line is indented more than the key '{above}:' above it (line {line - 1}), so it reads as that key's "
        f"value going on; line it up with {above}:"
    )


def test_a_colon_in_a_text_that_goes_on_is_still_explained_as_a_colon() -> None:
    """Only a line that is one key before its ':' is taken for a mis-indented key."""
    text = planted("    default: 2\n", "    default: 2\n      ab 2 Personen: mehr\n")
    assert "indented more" not in only(check(text)).message


def test_a_step_id_with_a_hyphen_is_refused_at_the_id_and_never_offered_where_an_expression_names_a_step() -> None:
    """'extra-space' in an expression reads as extra minus space: the id says so, and 'extra_space' still named in
    a condition is not "did you mean 'extra-space'?" (whose fix would break the expression)."""
    text = planted("  - id: extra_space\n", "  - id: extra-space\n")
    found = check(text)
    at_id = [f for f in found if f.code == "Q004" and "extra-space" in f.message]
    assert at_id and "'-' there would subtract" in at_id[0].message
    named = [f for f in found if f.code == "Q008" and "'extra_space'" in f.message]
    assert named and all(not f.fixes and "rename the step extra_space" in f.message for f in named), named


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("show_if: 'not (trip in", "show_if: 'not (tour_lenght in",
         "; a condition here names a step answered before it: region, trip, persons, extra_space, body_height"),
        ("""{if: 'region == "alpine"'""", """{if: 'tour_lenght == "alpine"'""",
         "; a condition here names a step answered before it: region"),
        ("target: \"persons + 1 if extra_space", "target: \"persons + 1 if tour_lenght",
         "; a target names a step: region, trip, persons, extra_space, body_height, weight_importance, …"),
    ],
    ids=["show_if", "next", "target"],
)  # fmt: skip
def test_a_name_close_to_no_step_is_told_which_steps_it_can_name(old: str, new: str, hint: str) -> None:
    """No step's name is close to 'tour_lenght': the message says which steps the expression can name there (six
    at most), as a close one would have been suggested (before: "'tour_lenght' is not a step" and nothing else)."""
    found = [f for f in check(planted(old, new)) if f.code == "Q008"]
    assert [f.message for f in found] == [f"'tour_lenght' is not a step{hint}"]


def test_a_name_in_the_first_steps_show_if_is_told_that_no_step_comes_before() -> None:
    text = planted("  - id: region\n    kind: single\n", "  - id: region\n    show_if: tour_lenght\n    kind: single\n")
    found = [f for f in check(text) if f.code == "Q008"]
    assert [f.message for f in found] == [
        "'tour_lenght' is not a step; no step is answered before this condition: remove it, or move the step after the "
        "one it is about"
    ]
