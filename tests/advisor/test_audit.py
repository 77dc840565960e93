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


def test_an_analysis_no_longer_wanted_stops_on_its_walk_and_leaves_the_memo_as_it_was() -> None:
    """The editor's older text: its path walk stops at the next check (the newer text is analysed instead), and
    what was remembered of the file is not taken for that unfinished walk."""
    memo = AuditMemo()
    changed = TENT_TEXT.replace("waterproof_fly_mm >= 3000\n", "waterproof_fly_mm >= 4000\n", 1)
    asked = []

    def stop() -> bool:
        asked.append(1)
        return True

    with pytest.raises(audit.Cancelled):
        analyse_text(changed, "t.yaml", dictionary=DICTIONARY, catalog=CATALOG, memo=memo, stop=stop)
    assert len(asked) == 1, "asked at the first path"
    finished = analyse_text(changed, "t.yaml", dictionary=DICTIONARY, catalog=CATALOG, memo=memo, stop=lambda: False)
    alone = analyse_text(changed, "t.yaml", dictionary=DICTIONARY, catalog=CATALOG)
    assert [f.as_text() for f in finished.findings] == [f.as_text() for f in alone.findings]
    help_text = (questionnaires_dir() / "tent-help.yaml").read_text(encoding="utf-8")
    with pytest.raises(audit.Cancelled):  # a service flow's outcome walk stops alike
        analyse_text(help_text, "h.yaml", dictionary=DICTIONARY, catalog=CATALOG, stop=lambda: True)


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


# -- what a merchandiser sees after adding a step or a "doesn't matter" option --------------------------------------

BASE_TEXT = (Path(__file__).parent / "questionnaire" / "faults" / "tent-base.yaml").read_text(encoding="utf-8")
TENT_SHAPE = """  - id: tent_shape
    kind: single
    question: {de: Welche Zeltform magst du?, en: Which tent shape do you like?}
    options:
      - id: dome
        label: {de: Kuppelzelt, en: Dome}
        require: ['tent_type == "dome"']
      - id: tunnel
        label: {de: Tunnelzelt, en: Tunnel}
        require: ['tent_type == "tunnel"']
"""
EGAL = """      - id: egal
        label: {de: Egal, en: Doesn't matter}
"""


def with_step(step: str, text: str = BASE_TEXT) -> str:
    """The clean tent finder with a step added after 'persons' (before 'extra_space')."""
    assert text.count("  - id: extra_space\n") == 1
    return text.replace("  - id: extra_space\n", step + "\n  - id: extra_space\n")


def findings_of(text: str, *codes: str) -> list[str]:
    analysis = analyse_text(text, "tent-finder.yaml", dictionary=DICTIONARY, catalog=CATALOG)
    return [f"{f.line}:{f.column}: {f.code} {f.message}" for f in analysis.findings if f.code in codes]


def test_an_example_that_skips_a_new_step_names_it_instead_of_failing_on_answers_it_does_not_read() -> None:
    text = with_step(TENT_SHAPE)
    lines = text.splitlines()
    trekking = next(i for i, line in enumerate(lines, start=1) if line == "  - name: Trekking for two") + 1
    festival = next(i for i, line in enumerate(lines, start=1) if line == "  - name: Festival") + 1
    # Before: the answers after tent_shape were silently dropped, so "Trekking for two" failed its include and
    # count_at_least (A004) although the shopper with those answers gets other products.
    assert findings_of(text, "Q003", "A004") == [
        f"{trekking}:5: Q003 example 'Trekking for two' does not answer step 'tent_shape' (a new step?), so the "
        "answers after it are not read (extra_space, body_height, weight_importance, extras); add tent_shape: "
        "<one of dome, tunnel>",
        f"{festival}:5: Q003 example 'Festival' does not answer step 'tent_shape' (a new step?), so the answers after "
        "it are not read (extra_space, body_height, extras); add tent_shape: <one of dome, tunnel>",
    ]  # "Alpine solo" answers nothing after it: it stops there on purpose, and its results are for what it answers
    answered = text.replace("persons: 2, extra_space: false", "persons: 2, tent_shape: dome, extra_space: false")
    assert [f for f in findings_of(answered, "Q003") if "tent_shape" in f] == []


def test_the_step_to_add_to_an_example_names_its_answers_doesnt_matter_too() -> None:
    text = with_step(TENT_SHAPE.replace("    options:\n", "    dont_care: true\n    options:\n"))
    found = findings_of(text, "Q003")
    assert len(found) == 2 and all(f.endswith("add tent_shape: <one of dome, tunnel, or dont_care>") for f in found)
    numbers = with_step(
        "  - id: nights\n    kind: number\n    question: {de: Nächte?, en: Nights?}\n    min: 1\n    max: 14\n"
    )
    found = findings_of(numbers, "Q003")
    assert len(found) == 2 and all(f.endswith("add nights: <a number from 1 to 14>") for f in found)


def test_an_option_that_means_doesnt_matter_is_told_to_be_dont_care_not_removed() -> None:
    text = with_step(TENT_SHAPE + EGAL)
    text = text.replace("persons: 2, extra_space: false", "persons: 2, tent_shape: egal, extra_space: false")
    line = text.splitlines().index("      - id: egal") + 1
    assert findings_of(text, "A002") == [
        f"{line}:13: A002 option 'egal' of step 'tent_shape' never changes which products fit; for \"doesn't "
        "matter\", remove it and write dont_care: true in step 'tent_shape' (the kiosk then offers \"doesn't "
        'matter", and examples answer tent_shape: dont_care); else give it a requirement or a preference'
    ]
    # Done as advised: the step's own "doesn't matter" is never A002, and the examples answer it.
    marked = with_step(TENT_SHAPE.replace("    options:\n", "    dont_care: true\n    options:\n"))
    marked = marked.replace("persons: 2, extra_space: false", "persons: 2, tent_shape: dont_care, extra_space: false")
    assert findings_of(marked, "A002", "Q003", "Q006", "A004") == []


def test_a_useless_option_that_does_not_look_like_doesnt_matter_keeps_the_advice_and_mentions_dont_care() -> None:
    colourful = "      - id: colourful\n        label: {de: Bunt, en: Colourful}\n"
    text = with_step(TENT_SHAPE + colourful)
    text = text.replace("persons: 2, extra_space: false", "persons: 2, tent_shape: dome, extra_space: false")
    (finding,) = findings_of(text, "A002")
    assert finding.endswith(
        "A002 option 'colourful' of step 'tent_shape' never changes which products fit; give it a requirement or a "
        "preference, or remove it (for \"doesn't matter\", write dont_care: true in step 'tent_shape' instead)"
    )
    # In a step that already offers "doesn't matter": the advice as it was, and a second "egal" is to go.
    extras = BASE_TEXT.replace("      - id: quick_pitch\n", colourful + EGAL + "      - id: quick_pitch\n")
    assert [f.split(" A002 ")[1] for f in findings_of(extras, "A002")] == [
        "option 'colourful' of step 'extras' never changes which products fit; give it a requirement or a "
        "preference, or remove it",
        "option 'egal' of step 'extras' never changes which products fit; the step already offers \"doesn't "
        'matter" (dont_care: true), so remove the option',
    ]


def test_a_step_id_written_twice_gives_no_walk_findings_that_rest_on_which_step_is_meant() -> None:
    """The shipped tent finder with its step `extra_space` renamed to `persons`: the walk cannot tell which step a
    path answers, so it says nothing (before: "option 'freestanding_wish' never changes which products fit")."""
    text = SHIPPED["tent-finder.yaml"].replace("  - id: extra_space\n", "  - id: persons\n")
    assert findings_of(text, "Q005") and findings_of(text, "A001", "A002", "A003") == []


# -- what stands in a step with a YAML slip, and "doesn't matter" written as an option ------------------------------

BUDGET_SLIPPED = """  - id: budget
    kind: number
    question: {de: Wie viel höchstens?, en: At most how much?}
    min: 100
    max: 800
    step: 50
    default: 300
      unit: eur
    require:
      - expr: price <= budjet
"""


def test_a_requirement_in_a_step_with_a_yaml_slip_waits_instead_of_blaming_the_catalog() -> None:
    """The indentation slip is the one finding; before, the requirement beside it (whose typo 'budjet' waits too)
    came out as A005 "none of the … tents in the catalog meets this requirement … check the products' data"."""
    text = with_step(BUDGET_SLIPPED)
    lines = text.splitlines()
    unit = lines.index("      unit: eur") + 1
    assert findings_of(text, "Q001", "Q008", "A005") == [
        f"{unit}:7: Q001 this line is indented more than the key 'default:' above it (line {unit - 1}), so it reads "
        "as that key's value going on; line it up with default:"
    ]
    fixed = text.replace("      unit: eur", "    unit: eur")
    expr = lines.index("      - expr: price <= budjet") + 1
    assert findings_of(fixed, "Q001", "Q008", "A005") == [
        f"{expr}:24: Q008 'budjet' is not a step or a product attribute (did you mean 'budget'?)"
    ]


TENT_SHAPE_EGAL = TENT_SHAPE.replace("    options:\n", "    dont_care: true\n    options:\n") + EGAL
PORCH = """
  - id: porch
    kind: yes_no
    show_if: {condition}
    question: {{de: Mit Vorzelt?, en: With a porch?}}
    require: ['entrances >= 2']
"""


def _egal_findings(condition: str) -> list[str]:
    return findings_of(with_step(TENT_SHAPE_EGAL + PORCH.format(condition=condition)), "A002")


def test_an_egal_option_stays_flagged_when_the_conditions_naming_its_step_treat_it_as_doesnt_matter() -> None:
    text = with_step(TENT_SHAPE_EGAL)
    line = text.splitlines().index("      - id: egal") + 1
    flagged = [
        f"{line}:13: A002 option 'egal' of step 'tent_shape' never changes which products fit; the step already "
        'offers "doesn\'t matter" (dont_care: true), so remove the option'
    ]
    assert findings_of(text, "A002") == flagged
    # 'egal' and "doesn't matter" both make the comparison false: they route alike (before: no A002 at all).
    assert _egal_findings('tent_shape == "dome" and persons > 1') == flagged
    # Conditions that tell 'egal' from "doesn't matter" keep the option: it decides whether 'porch' is asked.
    assert _egal_findings('tent_shape == "egal"') == []
    assert _egal_findings('tent_shape != "dome" and persons == 2') == []


_SHAPE_TESTS = st.builds(
    lambda test, option: f"tent_shape {test} {option}",
    st.sampled_from(["==", "!="]),
    st.sampled_from(['"dome"', '"tunnel"', '"egal"']),
)
_CONDITIONS = st.one_of(
    _SHAPE_TESTS,
    st.builds(
        lambda shape, joiner, persons: f"{shape} {joiner} persons {persons}",
        _SHAPE_TESTS,
        st.sampled_from(["and", "or"]),
        st.sampled_from([">= 2", "< 2", "== 1"]),
    ),
    st.builds(lambda shape: f"not ({shape})", _SHAPE_TESTS),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(condition=_CONDITIONS)
def test_an_option_is_flagged_only_when_no_condition_can_tell_it_from_doesnt_matter(condition: str) -> None:
    """Sound: whenever A002 is given, the show_if comes out the same for 'egal' as for "doesn't matter" (no answer)
    with every answer the other step can have (1 or 2 persons, or none)."""
    from advisor.expressions import evaluate, parse

    expression = parse(condition)
    alike = all(
        bool(evaluate(expression, {"tent_shape": "egal", "persons": persons}))
        == bool(evaluate(expression, {"tent_shape": None, "persons": persons}))
        for persons in (1, 2, None)
    )
    if _egal_findings(condition):
        assert alike


# -- steps never asked, gotos never taken ---------------------------------------------------------------------------


def line_of(text: str, written: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if line == written)


def test_a_step_whose_show_if_is_never_true_is_named_with_the_examples_that_answer_it() -> None:
    """Before: the question silently never appeared, and the examples' answers to it were silently unused."""
    text = TENT_TEXT.replace("  - id: extra_space\n", "  - id: extra_space\n    show_if: persons > 8\n", 1)
    assert findings_of(text, "Q024") == [
        f"{line_of(text, '  - id: extra_space')}:9: Q024 step 'extra_space' is never asked: its show_if "
        "(persons > 8) is never true on any path; what examples answer it is not read ('Ultralight trekking for two, "
        "very tall', 'Family of four, camping often', 'Festival for three, skips the frequency question', …); "
        "correct the show_if, or remove the step"
    ]
    reachable = TENT_TEXT.replace("  - id: extra_space\n", "  - id: extra_space\n    show_if: persons > 5\n", 1)
    assert findings_of(reachable, "Q024") == []  # persons goes up to 6


def test_a_step_no_goto_leads_to_says_which_goto_is_never_taken() -> None:
    always = """      - {if: 'region == "alpine"', goto: frequency}\n      - {goto: trip}\n"""
    never = """      - {if: 'region == "alpine" and region == "mild"', goto: trip}\n      - {goto: frequency}\n"""
    text = TENT_TEXT.replace(always, never, 1)
    goto = line_of(text, never.splitlines()[0])
    assert findings_of(text, "Q024") == [
        f"{line_of(text, '  - id: trip')}:9: Q024 step 'trip' is never asked: no path leads to it: goto 'trip' of "
        f'step \'region\' (line {goto}) is never taken: its condition (region == "alpine" and region == "mild") '
        "is never true on any path; what examples answer it is not read ('Ultralight trekking for two, very tall', "
        "'Family of four, camping often', 'Festival for three, skips the frequency question', …); correct the "
        "routing before it, or remove the step"
    ]


def test_an_example_that_counts_on_a_goto_never_taken_is_told_so_not_asked_for_a_new_step() -> None:
    """Before: "does not answer step 'frequency' (a new step?)", although the goto meant to skip it is at fault."""
    festival = """      - {if: 'trip == "festival"', goto: persons}\n"""
    never = """      - {if: 'trip == "festival" and trip == "canoe"', goto: persons}\n"""
    text = TENT_TEXT.replace(festival, never, 1)
    goto = line_of(text, never.rstrip("\n"))
    example = line_of(text, "  - name: Festival for three, skips the frequency question") + 1
    assert findings_of(text, "Q024", "Q003") == [
        f"{goto}:14: Q024 goto 'persons' of step 'trip' is never taken: its condition (trip == \"festival\" and "
        'trip == "canoe") is never true on any path; correct the condition, or remove this goto',
        f"{example}:5: Q003 example 'Festival for three, skips the frequency question' does not answer step "
        f"'frequency': it counts on goto 'persons' of step 'trip' (line {goto}), which is never taken, so the answers "
        "after it are not read (persons, extra_space, body_height, extras); correct that goto's condition, or add "
        "frequency: <one of rarely, regularly, often>",
    ]


def test_the_shipped_questionnaires_ask_every_step_and_take_every_goto() -> None:
    for name, text in SHIPPED.items():
        analysis = analyse_text(text, name, dictionary=DICTIONARY, catalog=None)
        assert [f.as_text() for f in analysis.findings if f.code == "Q024"] == [], name


SLEEPING_BAG_TEXT = (questionnaires_dir() / "sleeping-bag-finder.yaml").read_text(encoding="utf-8")


def test_diversity_on_an_attribute_that_differs_between_variants_is_checked_with_the_examples() -> None:
    """Sleeping bags' length differs between a model's variants (regular and long): the examples are run with it
    (they used to fail with "unhashable type: 'list'")."""
    old = "diversity: {attribute: shape, max_per_value: 2}"
    assert SLEEPING_BAG_TEXT.count(old) == 1 and "\nexamples:" in SLEEPING_BAG_TEXT
    text = SLEEPING_BAG_TEXT.replace(old, "diversity: {attribute: length, max_per_value: 1}")
    analysis = analyse_text(text, "sleeping-bag-finder.yaml", dictionary=DICTIONARY, catalog=CATALOG)
    assert analysis.questionnaire is not None and analysis.questionnaire.examples
    assert [f for f in analysis.findings if f.severity == "error"] == []


def test_an_example_the_recommender_fails_on_is_a_finding_at_the_example_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(**_: object) -> None:
        raise TypeError("unhashable type: 'list'")

    monkeypatch.setattr(audit, "recommend", broken)
    analysis = analyse_text(TENT_TEXT, "tent-finder.yaml", dictionary=DICTIONARY, catalog=CATALOG)
    assert analysis.questionnaire is not None
    failed = [f for f in analysis.findings if "the recommender failed on this example" in f.message]
    assert len(failed) == len(analysis.questionnaire.examples) > 0
    assert "(TypeError: unhashable type: 'list')" in failed[0].message
    assert failed[0].line == analysis.questionnaire.examples[0].position[0] > 0
