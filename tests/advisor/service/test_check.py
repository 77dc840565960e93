"""`advisor check` on service flows and guides: each planted mistake is reported once, at its line and column.

Faults are planted into the shipped tent-help.yaml (and guides.json) and checked as `advisor check` checks them,
against the sample catalog with its service products (tests/helpers/service.py).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from advisor.audit import analyse_text, check_guides, reached_outcomes
from advisor.paths import questionnaires_dir, sample_catalog_dir
from advisor.questionnaire.findings import Finding
from advisor.service.guides import guides_in_use, load_guides, load_guides_text
from tests.advisor.test_cli import advisor
from tests.helpers.service import FLOWS, merged_catalog, merged_dictionary, shipped_flow, write_merged_catalog

CATALOG = merged_catalog()
DICTIONARY = merged_dictionary()
TENT_HELP = (questionnaires_dir() / "tent-help.yaml").read_text(encoding="utf-8")
FINDER = (questionnaires_dir() / "tent-finder.yaml").read_text(encoding="utf-8")


def analyse(text: str, name: str = "tent-help.yaml") -> list[Finding]:
    return list(analyse_text(text, name, dictionary=DICTIONARY, catalog=CATALOG, guides=guides_in_use()).findings)


@pytest.mark.parametrize("name", FLOWS)
def test_the_shipped_flows_pass_with_their_examples(name: str) -> None:
    text = (questionnaires_dir() / name).read_text(encoding="utf-8")
    assert analyse(text, name) == []
    assert shipped_flow(name).examples, "each flow has examples that `advisor check` runs"


def test_the_guides_in_use_name_only_products_of_the_catalog() -> None:
    assert check_guides(guides_in_use(), CATALOG, DICTIONARY) == []


@dataclass(frozen=True)
class Fault:
    name: str
    old: str
    new: str
    code: str
    at: str  # where the finding points: the first place of this text in the planted file


FAULTS = (
    # against the catalog and the guides
    Fault("part_not_in_catalog", "parts: {skus: [NG-PART-0004]}", "parts: {skus: [NG-PART-0044]}", "A007",
          "NG-PART-0044"),
    Fault("guide_unknown", "guide: tent-pole-splint", "guide: tent-pole-splnt", "A009", "tent-pole-splnt"),
    Fault("outcome_unreachable", "    if: vents_open\n", '    if: vents_open and problem == "leak"\n', "A008",
          "condensation-talk"),  # the example that expects it is left to this finding
    Fault("example_outcomes", "outcomes: [tear-repair, talk]", "outcomes: [tear-repair]", "A010",
          "[tear-repair]"),
    Fault("example_product", "product: NG-TENT-0001", "product: NG-TENT-0999", "A006", "NG-TENT-0999"),
    # the file on its own
    Fault("require_in_a_service_step", "    question: {de: Seit wann?, en: Since when?}\n",
          "    question: {de: Seit wann?, en: Since when?}\n    require: ['capacity >= 2']\n", "Q004", "require"),
    Fault("outcome_without_its_key", "    guide: tent-patch\n", "\n", "Q003", "guide\n\n    title: {de: Loch"),
    Fault("key_of_another_kind", "    kind: person\n    title: {de: Lieber",
          "    kind: person\n    guide: tent-patch\n    title: {de: Lieber", "Q004",
          "guide: tent-patch\n    title: {de: Lieber"),
    Fault("purchased_unknown", "purchased: bought_months", "purchased: bought_month", "Q006", "bought_month\n"),
    Fault("outcome_condition_name", 'if: problem == "condensation"', 'if: problem == "condensaton"', "Q006",
          "condensaton"),
    Fault("outcome_condition_attribute", "if: tear_cm > 3", "if: tear_cm > 3 and capcity > 1", "Q008", "capcity"),
    Fault("outcome_id_twice", "  - id: talk\n", "  - id: patches\n    kind: person\n    title: {de: X, en: X}\n"
          "  - id: talk\n", "Q005", "patches\n    kind: person"),
    Fault("example_outcome_unknown", "outcomes: [patch-guide, patches, talk]",
          "outcomes: [patch-guide, pathces, talk]", "Q006", "pathces"),
    Fault("parts_rule_attribute", 'rule: care_type == "proofing_spray"', 'rule: care_typ == "proofing_spray"',
          "Q008", "care_typ =="),
    Fault("parts_category", "category: care", "category: cares", "Q017", "cares"),
)  # fmt: skip


def plant(fault: Fault, text: str = TENT_HELP) -> tuple[str, tuple[int, int]]:
    assert text.count(fault.old) >= 1, fault.name
    planted = text.replace(fault.old, fault.new, 1)
    offset = planted.index(fault.at)  # its first place in the file
    line = planted.count("\n", 0, offset) + 1
    column = offset - (planted.rfind("\n", 0, offset) + 1) + 1
    return planted, (line, column)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_each_planted_fault_is_reported_once_where_it_is(fault: Fault) -> None:
    planted, spot = plant(fault)
    findings = analyse(planted)
    assert [(f.code, f.line, f.column) for f in findings] == [(fault.code, *spot)], [f.as_text() for f in findings]


def test_a_warranty_needs_a_number_step_in_months() -> None:
    planted = TENT_HELP.replace("purchased: bought_months", "purchased: tear_cm")
    [finding] = analyse(planted)
    line = planted.splitlines().index("    purchased: tear_cm") + 1
    assert (finding.code, finding.line, finding.column) == ("Q011", line, 16)
    assert "purchased needs a number step in months" in finding.message and "number step in cm" in finding.message


def test_the_guide_typo_offers_the_right_id_as_a_fix() -> None:
    planted, _ = plant(next(f for f in FAULTS if f.name == "guide_unknown"))
    [finding] = analyse(planted)
    assert (
        "(did you mean 'tent-pole-splint'?)" in finding.message and finding.fixes[0].replacement == "tent-pole-splint"
    )


def test_all_planted_faults_together_are_each_reported() -> None:
    text = TENT_HELP
    for fault in FAULTS:
        if fault.name != "outcome_id_twice":  # it adds an outcome every example would then lead to
            text = text.replace(fault.old, fault.new, 1)
    codes = sorted(f.code for f in analyse(text))
    expected = sorted(f.code for f in FAULTS if f.name != "outcome_id_twice")
    # What rests on a broken part waits until it is fixed: reachability (A008) behind a step with an error, the
    # examples (A006, A010) while an outcome has one.
    for waiting in ("A008", "A006", "A010"):
        expected.remove(waiting)
    assert codes == expected


def test_an_outcome_no_path_reaches_is_found_by_the_walk() -> None:
    flow = shipped_flow("tent-help.yaml")
    assert reached_outcomes(flow, CATALOG.categories["tents"]) == {outcome.id for outcome in flow.outcomes}


def test_outcomes_that_look_at_the_product_are_reached_through_some_product() -> None:
    planted = TENT_HELP.replace("    if: vents_open\n", '    if: vents_open and tent_type == "tunnel"\n')
    findings = analyse(planted)  # reached (through a tunnel tent), but not by the example that names no product
    assert [f.code for f in findings] == ["A010"]
    assert "the outcomes are condensation-guide, talk, not condensation-guide, condensation-talk, talk" in (
        findings[0].message
    )
    unreachable = TENT_HELP.replace("    if: vents_open\n", "    if: vents_open and capacity > 20\n")
    assert [f.code for f in analyse(unreachable)] == ["A008"]


def test_outcomes_in_a_finder_are_a_finding() -> None:
    text = FINDER + "outcomes:\n  - id: talk\n    kind: person\n    title: {de: Reden, en: Talk}\n"
    findings = analyse(text, "tent-finder.yaml")
    assert [f.code for f in findings if f.severity == "error"] == ["Q004"]
    assert "outcomes belong to a service flow" in next(f.message for f in findings if f.code == "Q004")


def test_a_guide_naming_a_product_the_catalog_lacks_is_named_at_its_line(tmp_path: Path) -> None:
    text = (sample_catalog_dir() / "guides.json").read_text(encoding="utf-8")
    planted = text.replace('"NG-PART-0006"', '"NG-PART-0066"', 1)
    guides = load_guides_text(planted, "guides.json")
    findings = check_guides(guides, CATALOG, DICTIONARY)
    line = next(i for i, row in enumerate(planted.splitlines(), start=1) if "NG-PART-0066" in row)
    assert [(f.code, f.line) for f in findings] == [("A007", line)]
    assert "guide 'tent-pole-splint' needs NG-PART-0066, which is not in the catalog" in findings[0].message
    family = planted.replace('"category": "sleeping_bags"', '"category": "sleepingbags"', 1)
    codes = [f.code for f in check_guides(load_guides_text(family, "guides.json"), CATALOG, DICTIONARY)]
    assert codes == ["A007", "Q017"]


def test_advisor_check_passes_the_service_flows_and_guides_once_the_service_products_are_in_the_catalog(
    tmp_path: Path,
) -> None:
    categories, products = write_merged_catalog(tmp_path / "catalog")
    shutil.copytree(sample_catalog_dir() / "images", tmp_path / "catalog" / "images")
    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    assert advisor("catalog", "import", str(categories), env_db=db).returncode == 0
    imported = advisor("catalog", "import", str(products), env_db=db)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    flows = [str(questionnaires_dir() / name) for name in FLOWS]
    result = advisor("check", *flows, env_db=db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("4 file(s) checked: 0 error(s), 0 warning(s)")
    broken = tmp_path / "guides.json"
    document = json.loads((sample_catalog_dir() / "guides.json").read_text(encoding="utf-8"))
    document["guides"][0]["steps"][0]["image"] = "images/guides/missing.svg"
    broken.write_text(json.dumps(document, indent=2), encoding="utf-8")
    (tmp_path / "images").symlink_to(sample_catalog_dir() / "images")
    result = advisor("check", *flows, "--guides", str(broken), env_db=db)
    line = next(i for i, row in enumerate(broken.read_text().splitlines(), start=1) if "missing.svg" in row)
    assert result.returncode == 1
    assert f"{broken}:{line}:" in result.stdout and "G001 error: guide 'tent-seam-sealing', step 1" in result.stdout
    assert load_guides(broken).findings[0].code == "G001"


def test_a_mistyped_kind_is_named_once_and_the_flow_checked_as_a_service_flow() -> None:
    planted = TENT_HELP.replace("kind: service", "kind: servce", 1)
    findings = analyse(planted)
    assert [(f.code, f.line) for f in findings] == [("Q004", 3)]
    assert "(did you mean 'service'?)" in findings[0].message and findings[0].fixes[0].replacement == "service"


def test_the_library_keeps_service_flows_apart_from_the_finders() -> None:
    from advisor.questionnaire.library import load_library

    library = load_library()
    assert set(library.service_flows) == {"tent-help", "zip-help", "sleeping-bag-help"}
    assert not set(library.questionnaires) & set(library.service_flows)  # the kiosk's choice shows finders only
    assert "tent-finder" in library.questionnaires
    assert all(not q.is_service and not q.outcomes for q in library.questionnaires.values())


def test_a_parts_rule_that_selects_nothing_leaves_its_outcome_unreached() -> None:
    planted = TENT_HELP.replace(
        'care_type == "proofing_spray" and', 'care_type == "proofing_spray" and volume_ml > 9000 and'
    )
    findings = analyse(planted)
    line = planted.splitlines().index("  - id: reproof-spray") + 1
    assert [(f.code, f.line) for f in findings] == [("A008", line)]


def test_a_variants_sku_is_one_of_the_catalog() -> None:
    variants = [v.sku for index in CATALOG.categories.values() for p in index.products for v in p.variants]
    variant = next(sku for sku in variants if sku not in CATALOG.categories["sleeping_bags"].position)
    planted = TENT_HELP.replace("parts: {skus: [NG-PART-0004]}", f"parts: {{skus: [NG-PART-0004, {variant}]}}")
    assert analyse(planted) == []


def test_a_negative_repair_cost_is_said_not_a_crash() -> None:
    """A bound on one side only (a cost from 0) names that bound."""
    planted = TENT_HELP.replace("cost: {min: 25, max: 60}", "cost: {min: -25, max: 60}", 1)
    assert planted != TENT_HELP
    findings = analyse(planted)
    assert any(f.code == "Q004" and "must be at least 0, not -25" in f.message for f in findings), findings
