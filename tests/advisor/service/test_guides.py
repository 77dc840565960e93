"""Guides as data: the shipped file, what a guide is for, and mistakes named with file, line, guide and step."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.paths import sample_catalog_dir
from advisor.service.guides import DIFFICULTIES, Guides, guides_in_use, guides_path, load_guides, load_guides_text

SHIPPED_TEXT = guides_path().read_text(encoding="utf-8")


def test_the_guides_in_use_load_without_findings_and_every_step_has_its_picture() -> None:
    guides = guides_in_use()
    assert guides.ok and not guides.findings, [f.as_text() for f in guides.findings]
    assert len(guides.by_id) >= 10
    for guide in guides.by_id.values():
        assert guide.difficulty in DIFFICULTIES and guide.minutes > 0
        assert guide.title["de"] and guide.title["en"]
        assert [step.number for step in guide.steps] == list(range(1, len(guide.steps) + 1))
        for step in guide.steps:
            assert step.text["de"] and step.text["en"]
            picture = (sample_catalog_dir() / step.image).read_text(encoding="utf-8")
            # the kiosk and the web say the step's number beside the picture: the picture draws none of its own
            assert picture.startswith("<svg") and "<text" not in picture


def test_a_guide_is_for_its_skus_and_for_its_family() -> None:
    guides = guides_in_use()
    silnylon = {"tent_type": "trekking_pole"}
    ids = [g.id for g in guides.for_product(sku="NG-TENT-0001", category="tents", attributes=silnylon)]
    assert "tent-silnylon-seams" in ids and "tent-seam-sealing" in ids
    assert "tent-reproofing" not in ids  # the family's condition: not for trekking-pole tents
    dome = [g.id for g in guides.for_product(sku="NG-TENT-0002", category="tents", attributes={"tent_type": "dome"})]
    assert "tent-silnylon-seams" not in dome and "tent-reproofing" in dome
    down = [g.id for g in guides.for_product(sku=None, category="sleeping_bags", attributes={"fill": "down"})]
    assert "sleeping-bag-down-wash" in down and "sleeping-bag-synthetic-wash" not in down


def _document() -> dict[str, Any]:
    return dict(json.loads(SHIPPED_TEXT))


def _load(document: dict[str, Any], tmp_path: Path) -> tuple[Guides, list[str]]:
    path = tmp_path / "guides.json"
    text = json.dumps(document, ensure_ascii=False, indent=2)
    path.write_text(text, encoding="utf-8")
    (tmp_path / "images").symlink_to(sample_catalog_dir() / "images")
    return load_guides(path), text.splitlines()


def _line_of(lines: list[str], fragment: str, after: int = 0) -> int:
    return next(i for i, line in enumerate(lines, start=1) if i > after and fragment in line)


def test_a_missing_text_names_the_guide_the_step_and_its_line(tmp_path: Path) -> None:
    document = _document()
    del document["guides"][0]["steps"][1]["text"]["en"]
    guides, lines = _load(document, tmp_path)
    guide_id = document["guides"][0]["id"]
    [finding] = guides.findings
    assert finding.code == "Q015" and finding.file == str(tmp_path / "guides.json")
    assert f"guide '{guide_id}', step 2, text has no 'en' text" in finding.message
    assert finding.line == _line_of(lines, document["guides"][0]["steps"][1]["text"]["de"]) - 1


def test_a_mistyped_key_is_read_as_meant_and_named_with_a_fix(tmp_path: Path) -> None:
    document = _document()
    guide = document["guides"][2]
    guide["minuts"] = guide.pop("minutes")
    guides, lines = _load(document, tmp_path)
    [finding] = guides.findings
    assert finding.code == "Q002" and "(did you mean 'minutes'?)" in finding.message
    assert finding.line == _line_of(lines, '"minuts"') and finding.fixes[0].replacement == "minutes"
    assert guides.by_id[guide["id"]].minutes == guide["minuts"]


def test_a_picture_that_is_not_there_is_named_at_its_step(tmp_path: Path) -> None:
    document = _document()
    document["guides"][3]["steps"][2]["image"] = "images/guides/nowhere.svg"
    guides, lines = _load(document, tmp_path)
    [finding] = guides.findings
    assert finding.code == "G001" and f"guide '{document['guides'][3]['id']}', step 3" in finding.message
    line = _line_of(lines, "nowhere.svg")
    assert (finding.line, finding.column) == (line, lines[line - 1].index('"images/guides/nowhere') + 1)


def test_duplicate_ids_bad_values_and_conditions_are_findings(tmp_path: Path) -> None:
    document = _document()
    document["guides"].append(dict(document["guides"][0]))
    document["guides"][1]["difficulty"] = "tricky"
    document["guides"][2]["for"] = {"category": "tents", "when": "tent_type =="}
    document["guides"][4]["for"] = {}
    guides, lines = _load(document, tmp_path)
    assert sorted(f.code for f in guides.findings) == ["Q003", "Q004", "Q005", "Q007"]
    duplicate = next(f for f in guides.findings if f.code == "Q005")
    first_id = f'"id": "{document["guides"][0]["id"]}"'
    assert duplicate.line == _line_of(lines, first_id, _line_of(lines, first_id))
    assert (
        "must be one of easy, medium, hard, not 'tricky'"
        in next(f for f in guides.findings if f.code == "Q004").message
    )


def test_text_that_is_not_json_is_a_finding_with_its_line() -> None:
    text = SHIPPED_TEXT.replace('"difficulty": "easy",', '"difficulty": "easy"', 1)
    guides = load_guides_text(text, "guides.json")
    broken = next(i for i, line in enumerate(text.splitlines(), start=1) if line.endswith('"difficulty": "easy"'))
    [finding] = guides.findings
    assert (finding.code, finding.line) == ("Q001", broken + 1)  # where the comma is missed: before the next key
    assert finding.message == "not valid JSON: Expecting ',' delimiter"


MUTATIONS = st.sampled_from(["", ":", ",", "{", "}", "[", "]", '"', "\\", "x", "1", "\t", "\x07", "ä", "null"])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 40_000), st.integers(0, 4), MUTATIONS), min_size=1, max_size=4))
def test_mangled_guides_files_never_raise_and_findings_stay_inside(edits: list[tuple[int, int, str]]) -> None:
    text = SHIPPED_TEXT
    for position, length, insert in edits:
        position %= len(text) + 1
        text = text[:position] + insert + text[position + length :]
    guides = load_guides_text(text, "guides.json")
    lines = text.splitlines() or [""]
    for finding in guides.findings:
        assert 0 <= finding.line <= len(lines) + 1 and re.fullmatch(r"[A-Z]\d{3}", finding.code)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 1000) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["de", "en", "x", "text"]), inner),
    max_leaves=6,
)
KEYS = st.sampled_from(["id", "for", "title", "difficulty", "minutes", "tools", "needs", "steps", "zzz"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 100), KEYS, JSON_VALUES, st.integers(0, 10), JSON_VALUES)
def test_guides_with_values_of_any_shape_never_raise(guide: int, key: str, value: Any, step: int, image: Any) -> None:
    """Every value a guide can be given is either read or named in a finding."""
    document = _document()
    target = document["guides"][guide % len(document["guides"])]
    target[key] = value
    steps = target.get("steps")
    if isinstance(steps, list) and steps and isinstance(steps[step % len(steps)], dict):
        steps[step % len(steps)]["image"] = image
    guides = load_guides_text(json.dumps(document), "guides.json")
    if guides.ok:
        assert all(g.steps and g.title for g in guides.by_id.values())


def test_a_products_own_guide_stands_in_for_the_familys_and_a_wrong_replaces_is_found() -> None:
    guides = guides_in_use()
    silicone = guides.chosen("tent-seam-sealing", sku="NG-TENT-0001", category="tents", attributes={})
    other = guides.chosen("tent-seam-sealing", sku="NG-TENT-0003", category="tents", attributes={})
    assert silicone is not None and silicone.id == "tent-silnylon-seams"
    assert other is not None and other.id == "tent-seam-sealing"
    data = json.loads(guides_path().read_text(encoding="utf-8"))
    own = next(guide for guide in data["guides"] if guide.get("replaces"))
    own["replaces"] = "tent-seam-sealin"
    text = json.dumps(data, ensure_ascii=False, indent=2)
    found = load_guides_text(text, "guides.json")
    line = text.splitlines().index(next(row for row in text.splitlines() if '"replaces"' in row)) + 1
    assert [(f.code, f.line) for f in found.findings] == [("A009", line)], "a reference, not a missing key"
    assert "'tent-seam-sealin', which is not a guide of this file (did you mean 'tent-seam-sealing'?)" in (
        found.findings[0].message
    )
    assert [fix.replacement for fix in found.findings[0].fixes] == ["tent-seam-sealing"]
