"""The one analysis behind `advisor check`, the preview and the language server: catalog checks on every file
that can be built, findings where they belong, the helpers the preview uses, and the memo an editor relies on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import audit
from advisor.audit import AuditMemo, analyse_text, answers_reaching, check_files, state_for, step_at, verdicts
from advisor.paths import questionnaires_dir
from advisor.questionnaire.files import questionnaire_files
from advisor.recommend.index import CatalogIndex
from tests.advisor.questionnaire.test_load import EDITS, SHIPPED, assert_placed, mutated
from tests.helpers.catalog import sample_dictionary
from tests.helpers.index import made_up_index, product, sample_index
from tests.helpers.questionnaires import HEADER, ROUTED

DICTIONARY = sample_dictionary()
CATALOG = CatalogIndex(1, {c: sample_index(c) for c in ("tents", "sleeping_bags", "backpacks", "rain_jackets")})
TENT_TEXT = (questionnaires_dir() / "tent-finder.yaml").read_text(encoding="utf-8")


def test_products_no_path_leads_to_are_named_at_the_category() -> None:
    text = HEADER + ROUTED
    tents = [
        product("T-1", {"use": ["trekking", "camping", "alpine"], "capacity": 6, "inner_length_cm": 230,
                        "weight_kg": 1.5, "freestanding": True, "entrances": 2}),
        product("T-2", {"use": ["canoe"], "capacity": 1, "inner_length_cm": 150, "weight_kg": 3.0,
                        "freestanding": False, "entrances": 1}),
    ]  # fmt: skip
    catalog = CatalogIndex(1, {"tents": made_up_index("tents", tents)})
    analysis = analyse_text(text, "t.yaml", dictionary=DICTIONARY, catalog=catalog)
    found = [f for f in analysis.findings if f.code == "A003"]
    assert [(f.line, f.column) for f in found] == [(3, 11)]
    assert "1 of 2 tents fit no answer path" in found[0].message and "T-2" in found[0].message


def test_questionnaire_ids_used_twice_are_named_at_the_id(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(questionnaires_dir() / "tent-finder.yaml", tmp_path / name)
    reports = check_files(questionnaire_files([tmp_path]), DICTIONARY, CATALOG)
    twice = [f for report in reports for f in report.findings if f.code == "Q005"]
    line = next(i for i, text in enumerate(TENT_TEXT.splitlines(), start=1) if text.startswith("id: "))
    assert [(f.file, f.line, f.column) for f in twice] == [(str(tmp_path / "b.yaml"), line, 5)]


def test_the_preview_finds_the_step_of_a_line_and_answers_that_lead_to_it() -> None:
    analysis = analyse_text(TENT_TEXT, "tent.yaml", dictionary=DICTIONARY, catalog=CATALOG)
    questionnaire = analysis.questionnaire
    assert questionnaire is not None
    lines = TENT_TEXT.splitlines()
    persons = next(i for i, text in enumerate(lines, start=1) if text == "  - id: persons")
    assert step_at(analysis, persons) == "persons"
    assert step_at(analysis, persons - 1) is None or step_at(analysis, persons - 1) == "frequency"
    assert step_at(analysis, 3) is None  # the header
    for step in questionnaire.steps:
        answers = answers_reaching(questionnaire, step.id)
        assert answers is not None
        assert state_for(questionnaire, answers).current == step.id


def test_every_product_is_in_or_out_with_its_reasons() -> None:
    questionnaire = analyse_text(TENT_TEXT, "t.yaml", dictionary=DICTIONARY, catalog=CATALOG).questionnaire
    assert questionnaire is not None
    index = CATALOG.categories["tents"]
    state = state_for(questionnaire, {"region": "alpine", "frequency": "often", "persons": 2})
    found = verdicts(index=index, questionnaire=questionnaire, state=state, locale="en")
    assert len(found) == index.size
    for verdict in found:
        attributes = index.products[index.position[verdict.sku]].attributes
        alpine = "alpine" in attributes["use"] and attributes["capacity"] >= 2
        tough = attributes["waterproof_floor_mm"] >= 5000 and attributes["waterproof_fly_mm"] >= 3000
        assert (verdict.rank is not None) == (alpine and tough), verdict
        if verdict.rank is None:
            assert verdict.reasons  # what it breaks
    assert [v.rank for v in found if v.rank] == list(range(1, sum(1 for v in found if v.rank) + 1))
    assert sum(v.shown for v in found) == min(5, sum(1 for v in found if v.rank))


def test_an_edit_of_texts_reuses_the_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    walks = []
    real = audit.walk_paths
    monkeypatch.setattr(audit, "walk_paths", lambda *a, **k: walks.append(1) or real(*a, **k))
    memo = AuditMemo()
    first = analyse_text(TENT_TEXT, "t.yaml", dictionary=DICTIONARY, catalog=CATALOG, memo=memo)
    edited = TENT_TEXT.replace("Wo schlägst du dein Zelt", "Wo baust du dein Zelt")
    second = analyse_text(edited, "t.yaml", dictionary=DICTIONARY, catalog=CATALOG, memo=memo)
    assert len(walks) == 1
    assert [f.as_text() for f in first.findings] == [f.as_text() for f in second.findings]
    analyse_text(TENT_TEXT.replace("persons >= 1", "persons >= 2"), "t.yaml", dictionary=DICTIONARY, catalog=CATALOG,
                 memo=memo)  # fmt: skip
    changed = TENT_TEXT.replace("waterproof_fly_mm >= 3000\n", "waterproof_fly_mm >= 4000\n", 1)
    analyse_text(changed, "t.yaml", dictionary=DICTIONARY, catalog=CATALOG, memo=memo)
    assert len(walks) == 2  # a requirement changed: walked again


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SHIPPED))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=EDITS, seed=st.integers(0, 3))
def test_mutated_shipped_files_with_the_catalog(name: str, edits: list[tuple[int, int, str]], seed: int) -> None:
    """The whole analysis, catalog checks included, on mangled copies: no crash, no finding adrift."""
    source = SHIPPED[name]
    text = mutated(source, edits)
    analysis = analyse_text(text, name, dictionary=DICTIONARY, catalog=CATALOG)
    assert_placed(analysis.findings, text, source)


def test_the_walk_follows_the_path_as_the_engine_does() -> None:
    """Each answer path the walk reports is one a shopper can take: the engine accepts its answers in order."""
    for name, text in SHIPPED.items():
        questionnaire = analyse_text(text, name, dictionary=DICTIONARY, catalog=None).questionnaire
        assert questionnaire is not None
        if questionnaire.is_service:
            continue  # it ends in outcomes, not products (tests/advisor/service/test_check.py walks those)
        report = audit.walk_paths(questionnaire, CATALOG.categories[questionnaire.category])
        assert report.empty and report.nodes > 100
        for trial in report.empty.values():
            state = state_for(questionnaire, trial)
            assert dict(state.answers) == {k: tuple(v) if isinstance(v, list) else v for k, v in trial.items()}
