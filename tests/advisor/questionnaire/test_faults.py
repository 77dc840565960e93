"""Planted faults: each kind of mistake a merchandiser makes, planted into a clean tent finder, is reported
exactly once, at its line and column, when it is alone in the file and when it is there with all the others.

Each fault is an edit of `faults/tent-base.yaml` and the spot (a part of the new text) where the finding must
point. The faulty files are written and checked as `advisor check` checks them: bytes, then the one analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from advisor.audit import analyse_file
from advisor.questionnaire.findings import Finding
from advisor.recommend.index import CatalogIndex
from tests.helpers.catalog import sample_dictionary
from tests.helpers.index import sample_index

BASE = Path(__file__).parent / "faults" / "tent-base.yaml"
NOT_UTF8 = "\ufdd0"  # stands for a byte that is not UTF-8 (0xE4: "ä" saved as Latin-1) until the file is written


@dataclass(frozen=True)
class Fault:
    name: str
    old: str
    new: str
    code: str
    at: str  # where the finding points (its first character): a part of `new`, else a part of the file


FAULTS = (
    # YAML, encoding and control characters
    Fault("yaml_missing_colon", "    question: {de: Soll dein Gepäck", "    question {de: Soll dein Gepäck", "Q001",
          " {de: Soll"),
    Fault("yaml_tab", "    top: 5\n    include: [NG-TENT-0002", "\ttop: 5\n    include: [NG-TENT-0002", "Q001", "\t"),
    Fault("not_utf8", "en: A few questions", f"en: A f{NOT_UTF8}w questions", "Q001", NOT_UTF8),
    Fault("control_character", "title: {de: Zeltberater", "title: {de: Zelt\x07berater", "Q001", "\x07"),
    # the format
    Fault("unknown_key", "    show_if: 'not (trip", "    show_iff: 'not (trip", "Q002", "show_iff"),
    Fault("missing_key", "      - id: high\n        value: 3\n        label: {de: Sehr wichtig, en: Very important}\n",
          "      - id: high\n        value: 3\n", "Q003", "id: high"),
    Fault("address_missing", "address: {de: du, en: du}", "address: {de: du}", "Q003", "address"),
    Fault("kind_typo", "  - id: trip\n    kind: single", "  - id: trip\n    kind: singel", "Q004", "singel"),
    Fault("default_locale", "default_locale: de", "default_locale: dee", "Q004", "dee"),
    Fault("icon_typo", "icon: feather", "icon: fether", "Q004", "fether"),
    Fault("questionnaire_icon", "\nicon: tent\n\nsteps:", "\nicon: tnet\n\nsteps:", "Q004", "tnet"),
    Fault("duplicate_option", "      - id: high\n",
          "      - id: low\n        value: 1\n        label: {de: Egal, en: Never mind}\n      - id: high\n", "Q005",
          "low"),  # (with a number value: an importance step's option without one is a fault of its own)
    # references, expressions, attributes
    Fault("goto_unknown", "[{goto: extras}]", "[{goto: extra}]", "Q006", "extra}"),
    Fault("example_step", "body_height: 180, extras: dont_care", "body_hight: 180, extras: dont_care", "Q006",
          "body_hight"),
    Fault("expression_syntax", "[inner_length_cm >= body_height + 10]", "[inner_length_cm >= body_height +]", "Q007",
          "+]"),
    Fault("unknown_name", """'"trekking" in use'""", """'"trekking" in uses'""", "Q008", "uses"),
    Fault("unknown_attribute", "attribute: weight_kg", "attribute: weigth_kg", "Q009", "weigth_kg"),
    Fault("tie_break", "tie_break: [price, -capacity]", "tie_break: [price, -capcity]", "Q009", "-capcity"),
    Fault("value_not_allowed", """'"festival" in use'""", """'"festivals" in use'""", "Q010", "festivals"),
    Fault("type_mismatch", "{attribute: inner_height_cm, direction: higher, weight: 1}",
          "{attribute: tent_type, direction: higher, weight: 1}", "Q011", "direction"),
    Fault("diversity", "diversity: {attribute: tent_type", "diversity: {attribute: capacity", "Q011", "capacity"),
    # routing and order
    Fault("routing_circle", "    unit: cm\n", "    unit: cm\n    next: [{if: 'persons > 1', goto: persons}]\n",
          "Q012", "persons}"),
    Fault("unreachable_step", "  - id: trip\n",
          "  - id: colour\n    kind: yes_no\n    question: {de: Bunt?, en: Colourful?}\n\n  - id: trip\n", "Q013",
          "colour"),
    Fault("look_ahead", "  - id: body_height\n    kind: number\n",
          "  - id: body_height\n    kind: number\n    show_if: 'weight_importance > 0'\n", "Q014",
          "weight_importance >"),
    Fault("missing_locale", "question: {de: Wie groß ist die größte Person?, en: How tall is the tallest person?}",
          "question: {de: Wie groß ist die größte Person?}", "Q015", "{de: Wie groß"),
    Fault("category", "category: tents", "category: tent", "Q017", "tent"),
    Fault("step_is_attribute", "  - id: persons\n",
          "  - id: seasons\n    kind: yes_no\n    show_if: 'trip == \"family\"'\n"
          "    question: {de: Vier Jahreszeiten?, en: Four seasons?}\n\n  - id: persons\n", "Q018", "seasons"),
    Fault("number_settings", "    step: 10\n    default: 180", "    step: 10\n    default: 200", "Q019", "200"),
    Fault("form_of_address", "dann zeigen wir dir passende", "dann zeigen wir Ihnen passende", "Q021", "Ihnen"),
    # (1.000 reads as 1, so the requirement and every example stay as they are: only the warning is new)
    Fault("thousands_separator", "      - expr: capacity >= persons\n", "      - expr: capacity >= persons * 1.000\n",
          "Q022", "1.000"),
    # with "alpine" chosen, this requirement of its own is true for every product: it never filters
    Fault("never_filters", """        require: ['"alpine" in use']\n""",
          """        require: ['"alpine" in use', 'region == "alpine" or seasons >= 4']\n""", "Q023",
          "'region == \"alpine\" or"),
    # against the catalog
    Fault("unsatisfiable_option", "expr: waterproof_fly_mm >= 3000", "expr: waterproof_fly_mm >= 30000", "A005",
          "waterproof_fly_mm >= 30000"),
    Fault("unsatisfiable_multiple_choice", "          - expr: freestanding\n",
          "          - expr: freestanding and capacity >= 7\n", "A005", "freestanding and"),
    Fault("empty_path", "    min: 1\n    max: 2\n", "    min: 1\n    max: 4\n", "A001",
          "persons\n    kind: number\n    question: {de: Wie viele"),
    Fault("useless_option", "      - id: quick_pitch\n",
          "      - id: colourful\n        label: {de: Bunt, en: Colourful}\n      - id: quick_pitch\n", "A002",
          "colourful"),
    Fault("example_fails", "    include: [NG-TENT-0017]", "    include: [NG-TENT-0016]", "A004", "NG-TENT-0016"),
    Fault("example_unknown_sku", "    exclude: [NG-TENT-0002]", "    exclude: [NG-TENT-0200]", "A006", "NG-TENT-0200"),
)  # fmt: skip


def catalog() -> CatalogIndex:
    return CatalogIndex(1, {"tents": sample_index("tents")})


def plant(text: str, faults: tuple[Fault, ...]) -> tuple[str, dict[str, tuple[int, int]]]:
    """The text with the faults planted, and where each fault's finding must point (1-based line, column)."""
    for fault in faults:
        assert text.count(fault.old) == 1, fault.name
        text = text.replace(fault.old, fault.new)
    spots = {}
    for fault in faults:
        assert text.count(fault.new) == 1, fault.name
        if fault.at in fault.new:
            offset = text.index(fault.new) + fault.new.index(fault.at)
        else:
            assert text.count(fault.at) == 1, fault.name
            offset = text.index(fault.at)
        before = text[:offset]
        spots[fault.name] = (before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)
    return text, spots


def check(tmp_path: Path, faults: tuple[Fault, ...]) -> tuple[list[Finding], dict[str, tuple[int, int]]]:
    text, spots = plant(BASE.read_text(encoding="utf-8"), faults)
    path = tmp_path / "tent-faults.yaml"
    path.write_bytes(text.encode().replace(NOT_UTF8.encode(), b"\xe4"))
    analysis = analyse_file(path, dictionary=sample_dictionary(), catalog=catalog())
    return list(analysis.findings), spots


def test_the_base_is_clean(tmp_path: Path) -> None:
    findings, _ = check(tmp_path, ())
    assert findings == []


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.name for fault in FAULTS])
def test_each_fault_alone_is_reported_once_where_it_is(tmp_path: Path, fault: Fault) -> None:
    findings, spots = check(tmp_path, (fault,))
    assert [(f.code, f.line, f.column) for f in findings] == [(fault.code, *spots[fault.name])], [
        f.as_text() for f in findings
    ]
    assert "\n" not in findings[0].message


def test_the_first_steps_show_if_looking_ahead_is_reported(tmp_path: Path) -> None:
    """The first step's show_if can only look at steps asked later (or itself): Q014, as for any other step."""
    fault = Fault("look_ahead_first_step", "  - id: region\n    kind: single\n",
                  "  - id: region\n    kind: single\n    show_if: persons > 2\n", "Q014", "persons > 2")  # fmt: skip
    findings, spots = check(tmp_path, (fault,))
    found = [f for f in findings if f.code == "Q014"]
    assert [(f.line, f.column) for f in found] == [spots[fault.name]], [f.as_text() for f in findings]
    assert found[0].message == (
        "'persons' is asked after this step, so its answer is not known yet here; move the step or the condition"
    )


def test_all_faults_together_are_each_reported_once_where_they_are(tmp_path: Path) -> None:
    findings, spots = check(tmp_path, FAULTS)
    expected = sorted((fault.code, *spots[fault.name]) for fault in FAULTS)
    assert sorted((f.code, f.line, f.column) for f in findings) == expected, "\n".join(f.as_text() for f in findings)


def test_every_code_of_the_table_is_planted_or_tested_elsewhere() -> None:
    from advisor.questionnaire.findings import CODES

    planted = {fault.code for fault in FAULTS}
    elsewhere = {"Q016", "Q020", "A003"}  # whole-file findings: test_load.py and test_analysis.py
    elsewhere |= {"A007", "A008", "A009", "A010", "G001"}  # service flows and guides: tests/advisor/service
    elsewhere |= {"S001", "S002", "S003", "S004"}  # size charts and size blocks: tests/advisor/recommend/test_sizes.py
    elsewhere |= {"Q024"}  # steps never asked and gotos never taken: tests/advisor/test_audit.py
    elsewhere |= {"Q025", "Q026"}  # steps and examples that do nothing: test_checks_idle.py
    assert set(CODES) == planted | elsewhere


def test_the_docs_list_every_code_with_an_example() -> None:
    from advisor.questionnaire.findings import CODES

    docs = (Path(__file__).parents[3] / "docs" / "questionnaires.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in docs.splitlines() if line.startswith("| ")}
    for code in CODES:
        assert code in rows, code
        assert len(rows[code].split("|")) == 7 and rows[code].split("|")[4].strip(), code  # an example
