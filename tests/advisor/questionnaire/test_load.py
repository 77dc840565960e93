"""Loading questionnaire files: every mistake is a finding with the right code, line and column."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.audit import check_file
from advisor.paths import questionnaires_dir
from advisor.questionnaire.checks import check_questionnaire
from advisor.questionnaire.files import questionnaire_files
from advisor.questionnaire.findings import Finding
from advisor.questionnaire.load import load_text, migrated_text
from advisor.questionnaire.migrate import CURRENT_VERSION
from tests.helpers.catalog import sample_dictionary
from tests.helpers.questionnaires import HEADER, ROUTED, load

DICTIONARY = sample_dictionary()


def findings_of(body: str, header: str = HEADER) -> list[Finding]:
    loaded = load(body, header)
    found = list(loaded.findings)
    if loaded.questionnaire is not None:
        found += check_questionnaire(loaded.questionnaire, DICTIONARY, "test.yaml", loaded.context)
    return found


def codes(found: list[Finding]) -> list[tuple[str, int, int]]:
    return sorted((f.code, f.line, f.column) for f in found)


HEADER_LINES = HEADER.count("\n")


def test_the_routed_example_is_clean() -> None:
    assert [f for f in findings_of(ROUTED) if f.severity == "error"] == []


def test_yaml_syntax_error_names_line_and_column() -> None:
    found = findings_of("steps:\n  - id: a\n    kind: [single\n")
    assert found[0].code == "Q001"
    assert found[0].line > HEADER_LINES


def test_no_stays_text_in_yaml_1_2() -> None:
    loaded = load(ROUTED.replace("id: trekking", "id: no"))
    assert loaded.questionnaire is not None
    assert loaded.questionnaire.step("activity").options[0].id == "no"


def test_unknown_key_with_did_you_mean() -> None:
    body = ROUTED.replace("    dont_care: true\n    options:", "    dont_cares: true\n    options:", 1)
    found = [f for f in findings_of(body) if f.code == "Q002"]
    assert len(found) == 1
    assert "did you mean 'dont_care'?" in found[0].message
    assert (found[0].line, found[0].column) == (HEADER_LINES + 5, 5)


def test_expression_errors_point_into_the_expression() -> None:
    body = ROUTED.replace("[inner_length_cm >= body_height + 15]", "[inner_lenght_cm >= body_height + 15]")
    found = [f for f in findings_of(body) if f.code == "Q008"]
    assert len(found) == 1
    assert "did you mean 'inner_length_cm'?" in found[0].message
    line = next(i for i, text in enumerate(body.splitlines(), start=HEADER_LINES + 1) if "inner_lenght_cm" in text)
    column = body.splitlines()[line - HEADER_LINES - 1].index("inner_lenght_cm") + 1
    assert (found[0].line, found[0].column) == (line, column)


@pytest.mark.parametrize(
    ("old", "new", "code", "needle"),
    [
        ('"trekking" in use', '"trekkking" in use', "Q010", "did you mean 'trekking'?"),
        ("goto: persons", "goto: person", "Q006", "did you mean 'persons'?"),
        ("activity != \"family\"", "extras != \"family\"", "Q014", "asked after this step"),
        ("capacity >= persons", "capacity >= persons +", "Q007", ""),
        ("capacity >= persons", "capacity.max >= persons", "Q007", ""),
        ("weight_kg <= 2", 'weight_kg == "light"', "Q011", "number attribute"),
        ("activity == \"family\"", "activity == \"familie\"", "Q006", "not an option of step 'activity'"),
        ("kind: yes_no", "kind: yesno", "Q004", "did you mean 'yes_no'?"),
        ("{attribute: weight_kg, direction: lower, weight: 2}", "{attribute: weigth_kg, direction: lower, weight: 2}",
         "Q009", "did you mean 'weight_kg'?"),
        ("id: persons", "id: capacity", "Q018", "also a product attribute"),
        ("id: light", "id: body_height", "Q005", "used twice"),
        ("min: 1\n", "min: 9\n", "Q019", "must be below max"),
    ],
)  # fmt: skip
def test_broken_copies_get_the_right_code(old: str, new: str, code: str, needle: str) -> None:
    assert old in ROUTED
    body = ROUTED.replace(old, new, 1)
    found = [f for f in findings_of(body) if f.code == code]
    assert found, findings_of(body)
    assert needle in found[0].message
    changed = next(i for i, (a, b) in enumerate(zip(ROUTED.splitlines(), body.splitlines(), strict=False)) if a != b)
    assert found[0].line == HEADER_LINES + changed + 1


def test_missing_locale_text_and_required_keys() -> None:
    body = ROUTED.replace("question: {de: Wie groß?, en: How tall?}", "question: {de: Wie groß?}")
    found = findings_of(body)
    assert any(f.code == "Q015" and "no 'en' text" in f.message for f in found)
    assert any(f.code == "Q003" for f in findings_of(ROUTED.replace("    kind: yes_no\n", "")))


def test_routing_cycle_is_named_whole() -> None:
    body = ROUTED.replace('      - if: activity == "family"\n        goto: persons', "      - goto: persons")
    light_rule = "    require:\n      - expr: weight_kg <= 2"
    body = body.replace(light_rule, "    next: [{goto: activity}]\n" + light_rule)
    found = [f for f in findings_of(body) if f.code == "Q012"]
    assert found
    assert "activity → persons → light → activity" in found[0].message


def test_unreachable_step() -> None:
    body = ROUTED.replace('      - if: activity == "family"\n        goto: persons', "      - goto: persons")
    found = [f for f in findings_of(body) if f.code == "Q013"]
    assert [f.message for f in found] == ["no path reaches step 'body_height'; route to it with goto, or remove it"]


def test_newer_format_version_is_refused_and_older_migrated() -> None:
    newer = findings_of(ROUTED, HEADER.replace("format_version: 2", "format_version: 9"))
    assert [f.code for f in newer] == ["Q016"]
    v1 = HEADER.replace("format_version: 2", "format_version: 1")
    old_body = ROUTED.replace("kind: single", "type: choice").replace("kind: yes_no", "type: boolean")
    loaded = load(old_body, v1)
    assert loaded.questionnaire is not None
    assert loaded.questionnaire.step("activity").kind == "single"
    assert [f.code for f in loaded.findings] == ["Q020"]
    assert CURRENT_VERSION == 2


def test_format_version_0_is_unknown_not_a_whole_number_mistake() -> None:
    """Before: "format_version must be a whole number, not 0" (0 is one)."""
    (finding, *_) = findings_of(ROUTED, HEADER.replace("format_version: 2", "format_version: 0"))
    assert (finding.code, finding.line, finding.column) == ("Q004", 1, 17)
    assert finding.message == (
        "format_version 0 is unknown: this app reads format versions 1 to 2; write the version the file is written "
        "in: 1 (steps with type and text) or 2 (kind and question); the file is checked as version 2"
    )


def test_a_quoted_format_version_is_text_and_the_file_is_checked_as_the_version_it_names() -> None:
    """Before: '1' in quotes asked for "format_version: 2" and checked a version-1 file as version 2 (38 errors)."""
    v1 = HEADER.replace("format_version: 2", 'format_version: "1"')
    old_body = ROUTED.replace("kind: single", "type: choice").replace("kind: yes_no", "type: boolean")
    loaded = load(old_body, v1)
    assert loaded.questionnaire is not None and loaded.questionnaire.step("activity").kind == "single"
    assert [(f.code, f.message) for f in loaded.findings] == [
        ("Q004", "format_version is the text '1' (in quotes), not a number; write format_version: 1 without quotes "
                 "(the file is checked as version 1)"),
        ("Q020", "format_version 1 is migrated to 2 on load; run `advisor migrate test.yaml`"),
    ]  # fmt: skip
    assert loaded.findings[0].fixes[0].replacement == "1"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("format_version: 0", "Q004 error: format_version 0 is unknown: this app reads format versions 1 to 2"),
        ('format_version: "1"', "Q004 error: format_version is the text '1' (in quotes), not a number"),
        ("format_version: '2'", "Q004 error: format_version is the text '2' (in quotes), not a number"),
        ("format_version: 9", "Q016 error: format_version 9 is newer than this app knows (up to 2)"),
        ("", "Q003 error: the file needs 'format_version: 2' (the format's version) among its first keys"),
    ],
)
def test_migrating_refuses_a_version_it_cannot_read_as_check_says_it(written: str, message: str) -> None:
    """Before: 0 crashed (KeyError), and '1' in quotes was "already at format_version 2"."""
    text = HEADER.replace("format_version: 2\n", written + "\n" if written else "") + textwrap.dedent(ROUTED)
    migrated, findings = migrated_text(text, "old.yaml")
    assert migrated is None
    assert [f.as_text() for f in findings] == [
        f.as_text() for f in load_text(text, "old.yaml").findings if f.severity == "error" and f.line == 1
    ]
    assert findings[0].as_text().startswith(f"old.yaml:1:{1 if not written else 17}: {message}")


def test_migrating_reports_a_yaml_slip_as_check_does() -> None:
    """Before: migrate said "YAML syntax: could not find expected ':'", a line further down than check."""
    text = HEADER + textwrap.dedent(ROUTED).replace("min: 150", "min 150", 1)
    migrated, findings = migrated_text(text, "old.yaml")
    assert migrated is None
    assert [f.as_text() for f in findings] == [f.as_text() for f in load_text(text, "old.yaml").findings]
    (finding,) = findings
    assert finding.message == "'min' needs a ':' after it (write min: ...)"
    assert finding.line == text.splitlines().index("    min 150") + 1


def test_missing_format_version() -> None:
    assert [f.code for f in findings_of(ROUTED, HEADER.replace("format_version: 2\n", ""))] == ["Q003"]


def test_shipped_questionnaires_pass_the_file_checks() -> None:
    files = questionnaire_files([questionnaires_dir()])
    assert len(files) >= 4
    for path in files:
        result = check_file(path, DICTIONARY, None, walk=False)
        assert result.ok, [f.as_text() for f in result.findings]


MUTATIONS = st.sampled_from(
    ["", ":", "-", " ", "\n", "[", "]", "{", "}", '"', "'", "#", "x", "1", "&a", "*a", "!!", "\t", "\x07", "ä", "  "]
)
SOURCE = HEADER + textwrap.dedent(ROUTED)
SHIPPED = {path.name: path.read_text(encoding="utf-8") for path in questionnaire_files([questionnaires_dir()])}
EDITS = st.lists(st.tuples(st.integers(0, 20_000), st.integers(0, 4), MUTATIONS), min_size=1, max_size=4)


def mutated(source: str, edits: list[tuple[int, int, str]]) -> str:
    text = source
    for position, length, insert in edits:
        position %= len(text) + 1
        text = text[:position] + insert + text[position + length :]
    return text


def assert_placed(findings: tuple[Finding, ...] | list[Finding], text: str, source: str) -> None:
    """Each finding on one line, inside the file, and at 1:1 only when it is about the whole file or is there."""
    lines = text.splitlines() or [""]
    for finding in findings:
        assert finding.code and "\n" not in finding.message and "\r" not in finding.message
        assert 0 <= finding.line <= len(lines) + 1
        if (finding.line, finding.column) == (1, 1):
            assert lines[0] != source.splitlines()[0] or finding.code in ("Q003", "Q004"), finding


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EDITS)
def test_mutated_files_never_raise(edits: list[tuple[int, int, str]]) -> None:
    """Thousands of mangled files: the loader and the checker report findings and never crash."""
    text = mutated(SOURCE, edits)
    loaded = load_text(text, "fuzz.yaml")
    findings = list(loaded.findings)
    if loaded.questionnaire is not None:
        findings += check_questionnaire(loaded.questionnaire, DICTIONARY, "fuzz.yaml", loaded.context)
    assert_placed(findings, text, SOURCE)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SHIPPED))
@settings(max_examples=1750, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=EDITS)
def test_mutated_shipped_files_never_raise_and_findings_sit_where_they_are(
    name: str, edits: list[tuple[int, int, str]]
) -> None:
    """7,000 mangled copies of the shipped files (with the 2,000 above, 9,000): no crash, no finding adrift."""
    source = SHIPPED[name]
    text = mutated(source, edits)
    loaded = load_text(text, name)
    findings = list(loaded.findings)
    if loaded.questionnaire is not None:
        findings += check_questionnaire(loaded.questionnaire, DICTIONARY, name, loaded.context)
    assert_placed(findings, text, source)


def test_the_shipped_json_schema_is_the_generated_one() -> None:
    import json

    from advisor.questionnaire.spec import json_schema

    shipped = json.loads((questionnaires_dir() / "questionnaire.schema.json").read_text(encoding="utf-8"))
    assert shipped == json_schema()
    assert shipped["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "kind" in shipped["properties"]["steps"]["items"]["properties"]


def test_every_shipped_file_references_the_schema_on_its_first_line() -> None:
    for path in questionnaire_files([questionnaires_dir()]):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=questionnaire.schema.json", path


def test_leading_blanks_in_an_expression_are_fine_and_positions_stay_right() -> None:
    body = ROUTED.replace(
        "require: [inner_length_cm >= body_height + 15]", "require: ['  inner_lenght_cm >= body_height']"
    )
    found = [f for f in findings_of(body) if f.code == "Q008"]
    line = next(i for i, text in enumerate(body.splitlines(), start=HEADER_LINES + 1) if "inner_lenght_cm" in text)
    column = body.splitlines()[line - HEADER_LINES - 1].index("inner_lenght_cm") + 1
    assert [(f.line, f.column) for f in found] == [(line, column)]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("mark", ["", "\ufeff"])
def test_migrating_keeps_the_schema_line_first_and_the_line_endings(newline: str, mark: str) -> None:
    old = (
        "# yaml-language-server: $schema=questionnaire.schema.json\n"
        "format_version: 1   # the old one\n"
        "id: tents\n"
        "steps:\n"
        "  - id: trip\n"
        "    type: choice    # Auswahl\n"
        "    text: {de: 'no', en: no}\n"
    )
    migrated, findings = migrated_text(mark + old.replace("\n", newline), "old.yaml")
    assert findings == []
    assert migrated is not None
    assert migrated.startswith(mark + "# yaml-language-server: $schema=questionnaire.schema.json" + newline)
    assert migrated.replace(newline, "") == mark + "".join(
        old.replace("format_version: 1 ", "format_version: 2 ")
        .replace("type: choice", "kind: single")
        .replace("text: ", "question: ")
        .splitlines()
    )
    assert migrated_text(migrated, "old.yaml") == (None, [])
