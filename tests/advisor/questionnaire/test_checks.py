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
