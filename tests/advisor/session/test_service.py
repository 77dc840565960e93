"""The advice session service: commands, snapshot, restore with bad parts dropped, events, rebase."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.engine import InvalidAnswer
from advisor.questionnaire.library import load_library
from advisor.questionnaire.model import DONT_CARE, Questionnaire
from advisor.session import events as ev
from advisor.session.service import (
    MAX_COMPARE,
    AdviceSession,
    SessionError,
    Snapshot,
    answer_from_form,
)
from tests.helpers.index import sample_index

TENT_ANSWERS = {
    "region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 2, "extra_space": False,
    "body_height": 205, "weight_importance": "ultralight", "extras": ("two_entrances",),
}  # fmt: skip


@pytest.fixture(scope="module")
def questionnaires() -> dict[str, Questionnaire]:
    return load_library().questionnaires


@pytest.fixture
def tents(questionnaires: dict[str, Questionnaire]) -> Questionnaire:
    return questionnaires["tent-finder"]


def walked(tents: Questionnaire, answers: dict[str, Any] = TENT_ANSWERS) -> AdviceSession:
    session = AdviceSession.start(tents, index=sample_index("tents"), locale="de", run="run-1")
    while session.state.current is not None:
        session.answer(session.state.current, answers[session.state.current])
    return session


def test_a_walk_reaches_the_results_and_logs_each_step_once(tents: Questionnaire) -> None:
    seen: list[ev.DomainEvent] = []
    session = AdviceSession.start(
        tents, index=sample_index("tents"), run="r", subscribers=[lambda _s, e: seen.append(e)]
    )
    while session.state.current is not None:
        session.answer(session.state.current, TENT_ANSWERS[session.state.current])
    result = session.recommendation()
    session.recommendation()  # asked again for a repaint: logged once
    kinds = [event.kind for event in seen]
    assert kinds[0] == "started"
    assert kinds.count("completed") == 1
    assert kinds.count("results_shown") == 1
    assert kinds.count("step_answered") == len(session.state.answers)
    assert result.count > 0 and session.complete


def test_a_product_on_the_results_says_why_it_fits_and_reading_it_logs_nothing(tents: Questionnaire) -> None:
    seen: list[ev.DomainEvent] = []
    session = AdviceSession.start(
        tents, index=sample_index("tents"), run="r", subscribers=[lambda _s, e: seen.append(e)]
    )
    first = next(iter(session.index.position))  # type: ignore[union-attr]
    assert session.fit(first) is None, "no reasons before the answers are given"
    while session.state.current is not None:
        session.answer(session.state.current, TENT_ANSWERS[session.state.current])
    assert session.fit(first) is None or first in {item.sku for item in session.recommendation().products}
    assert "results_shown" not in [event.kind for event in seen], "reading a product's fit logs no results"
    shown = session.recommendation().products
    seen.clear()
    top = session.fit(shown[0].sku)
    assert top is shown[0] and top.reasons, "the same reasons as on the results"
    assert seen == [], "reading a product's fit logs nothing"
    assert any("2\u00a0Personen" in reason.text for reason in top.reasons)
    left_out = next(sku for sku in session.index.position if sku not in {item.sku for item in shown})  # type: ignore[union-attr]
    assert session.fit(left_out) is None, "a product that does not fit has no reasons to give"


def test_the_live_count_counts_products_while_advising_and_nothing_in_help_with_an_owned_product(
    tents: Questionnaire,
) -> None:
    advice = AdviceSession.start(tents, index=sample_index("tents"), locale="de")
    everything = advice.live_count()
    assert everything == len(sample_index("tents").products)
    advice.answer("region", TENT_ANSWERS["region"])
    assert advice.live_count() is not None and advice.live_count() <= everything  # type: ignore[operator]
    help_flow = load_library().everything["tent-help"]
    assert help_flow.is_service
    helping = AdviceSession.start(help_flow, index=sample_index("tents"), locale="de")
    assert helping.live_count() is None, "the shopper has their tent: no count of tents that fit"


def test_snapshot_round_trip_keeps_everything(tents: Questionnaire, questionnaires: dict[str, Questionnaire]) -> None:
    session = walked(tents)
    result = session.recommendation()
    critique = result.critiques[0]
    session.critique(critique.key)
    session.view(result.products[0].sku)
    session.compare(result.products[0].sku)
    restored = AdviceSession.restore(session.snapshot(), questionnaires, index=sample_index("tents"), version=3)
    assert restored.snapshot() == session.snapshot()
    assert restored.dropped == ()
    again = restored.recommendation()
    assert [item.sku for item in again.products] == [item.sku for item in session.recommendation().products]
    assert [[r.text for r in item.reasons] for item in again.products] == [
        [r.text for r in item.reasons] for item in session.recommendation().products
    ]


def test_restore_drops_and_names_what_the_questionnaire_no_longer_accepts(
    questionnaires: dict[str, Questionnaire],
) -> None:
    snapshot = Snapshot(
        "tent-finder", answers={"region": "rough", "persons": 99, "gone": "x", "trip": "to-the-moon"},
        critiques=({"attribute": "weight_g"}, {"attribute": "weight_g", "direction": "lower", "reference": 2000}),
        position="nowhere", locale="fr",
    )  # fmt: skip
    session = AdviceSession.restore(snapshot, questionnaires, index=sample_index("tents"))
    assert session.state.answers == {"region": "rough"}
    text = " | ".join(session.dropped)
    assert "'persons'" in text and "'gone'" in text and "'trip'" in text and "critique" in text and "fr" in text
    assert session.state.current == "trip"  # where the answers left off
    assert len(session.critiques) == 1
    assert session.locale == tents_default(questionnaires)


def tents_default(questionnaires: dict[str, Questionnaire]) -> str:
    return questionnaires["tent-finder"].default_locale


def test_restore_of_an_unknown_questionnaire_says_so(questionnaires: dict[str, Questionnaire]) -> None:
    with pytest.raises(SessionError, match="not offered"):
        AdviceSession.restore(Snapshot("gone-finder"), questionnaires)


def test_a_critique_or_relaxation_no_longer_offered_is_refused(tents: Questionnaire) -> None:
    session = walked(tents)
    with pytest.raises(SessionError, match="no longer offered"):
        session.critique("weight_g:lower:1")
    with pytest.raises(SessionError, match="no longer offered"):
        session.relax(("region",))


def test_a_refinement_tapped_after_another_device_changed_an_answer_applies_to_the_results_now(
    tents: Questionnaire,
) -> None:
    """The phone showed "Cheaper than 649.95" for the results before staff changed an answer: the tap means cheaper
    than what fits now (its old reference is gone), not nothing."""
    session = walked(tents)
    now = next(c for c in session.recommendation().critiques if (c.attribute, c.direction) == ("price", "lower"))
    stale = f"price:lower:{now.reference + 50:g}"  # the key the phone's button still carried
    session.critique(stale)
    assert [c.key for c in session.critiques] == [now.key]
    assert all(p.product.price < now.reference for p in session.recommendation().products)
    session.clear_critiques()
    session.critique("inner_length_cm:higher")  # a key without a value (the API's clients): longer than now
    assert [c.attribute for c in session.critiques] == ["inner_length_cm"]
    with pytest.raises(SessionError, match="no longer offered"):
        session.critique("price:higher:1")  # a direction not offered stays refused


def test_every_offered_relaxation_brings_back_the_products_it_promises(tents: Questionnaire) -> None:
    # "ultralight" asks weight_kg <= 0.7 + 0.6 * persons: dropping persons changes that requirement too.
    impossible = {**TENT_ANSWERS, "persons": 4, "weight_importance": "ultralight", "body_height": 210}
    result = walked(tents, impossible).recommendation()
    assert result.count == 0 and result.relaxations
    for relaxation in result.relaxations:
        session = walked(tents, impossible)
        session.recommendation()
        seen: list[ev.DomainEvent] = []
        session.subscribe(lambda _s, e, seen=seen: seen.append(e))
        session.relax(relaxation.drop)
        assert session.recommendation().count == relaxation.count, relaxation.text
        assert ev.RelaxationApplied(relaxation.drop, relaxation.count) in seen
        assert session.snapshot().relaxations[-1]["applied"] is True
        restored = AdviceSession.restore(session.snapshot(), {tents.id: tents}, index=sample_index("tents"))
        assert restored.recommendation().count == relaxation.count and restored.complete


def test_a_wish_dropped_so_that_something_fits_keeps_the_shoppers_answer_in_every_list_of_answers(
    tents: Questionnaire,
) -> None:
    """Four people, ultralight: nothing fits, the shopper drops wishes. The answers they gave stay readable (the
    take-away, the kiosk's and phone's answer list, staff's sheet: one function), marked as dropped; after a restore
    too; an answer given again afterwards is shown as it is."""
    from advisor.recommend.explain import say_dropped
    from advisor.rendering.summary import answer_lines

    impossible = {**TENT_ANSWERS, "persons": 4, "weight_importance": "ultralight", "body_height": 210}
    session = walked(tents, impossible)
    offer = next(r for r in session.recommendation().relaxations if any(key.startswith("persons") for key in r.drop))
    session.relax(offer.drop)
    assert session.state.answers["persons"] == DONT_CARE
    assert session.answer_text("persons") == "4\u00a0Personen – verzichtet, damit etwas passt"
    assert session.answer_text("persons", "en") == "4\u00a0people – dropped so that something fits"
    assert session.answer_text("region") == answer_lines(tents, session.state.answers, "de")[0][1]
    said = say_dropped(tents, session.state.answers, session.given(), "de")
    assert said.startswith("Darauf hast du verzichtet: ") and "4\u00a0Personen" in said, "the results say it too"
    lines = dict(answer_lines(tents, session.state.answers, "de", session.given()))
    assert lines["Wie viele Personen schlafen im Zelt?"] == "4\u00a0Personen – verzichtet, damit etwas passt"
    restored = AdviceSession.restore(session.snapshot(), {tents.id: tents}, index=sample_index("tents"))
    assert restored.answer_text("persons") == "4\u00a0Personen – verzichtet, damit etwas passt"
    restored.change_answer("persons", 2)
    assert restored.answer_text("persons") == "2\u00a0Personen"
    assert "4 Personen" not in say_dropped(tents, restored.state.answers, restored.given(), "de")


def test_compare_holds_at_most_three_known_products(tents: Questionnaire) -> None:
    session = walked(tents)
    skus = sample_index("tents").skus[: MAX_COMPARE + 1].tolist()
    for sku in skus[:MAX_COMPARE]:
        session.compare(sku)
    with pytest.raises(SessionError, match="at most"):
        session.compare(skus[-1])
    session.compare(skus[0], on=False)
    assert session.compared == skus[1:MAX_COMPARE]
    with pytest.raises(SessionError, match="no product"):
        session.compare("NOPE")


def test_a_compared_product_that_no_longer_fits_the_changed_answers_names_the_wishes_it_misses(
    tents: Questionnaire,
) -> None:
    """The shopper ticks the top pick for easy camping, then changes the region to high mountains and winter: the
    comparison keeps the tent (it is the shopper's choice) but says what of the new answers it does not meet."""
    easy = {step: DONT_CARE for step in ("region", "trip")}
    session = walked(tents, {**TENT_ANSWERS, **easy, "body_height": 170, "weight_importance": "medium"})
    camping = next(item.sku for item in session.recommendation().products
                   if "alpine" not in sample_index("tents").products[sample_index("tents").position[item.sku]]
                   .attributes["use"])  # fmt: skip
    session.compare(camping)
    assert session.compared_misses() == {}, "it fits the answers it was ticked for"
    session.change_answer("region", "alpine")
    alpine = session.recommendation().products[0].sku
    session.compare(alpine)
    missed = session.compared_misses()
    assert list(missed) == [camping], "the tent that fits the new answers is not marked"
    assert missed[camping] and all(isinstance(label, str) and label for label in missed[camping])
    assert missed == session.compared_misses("de")
    assert session.compared_misses("en")[camping] != missed[camping], "named in the language asked for"


def test_closing_an_unfinished_kept_session_is_not_abandonment(tents: Questionnaire) -> None:
    seen: list[str] = []
    session = AdviceSession.start(
        tents, index=sample_index("tents"), run="r", subscribers=[lambda _s, e: seen.append(e.kind)]
    )
    session.close()
    assert seen[-1] == "abandoned"
    seen.clear()
    session.saved(1)  # stored: it may go on elsewhere
    session.close()
    assert "abandoned" not in seen


def test_rebase_re_applies_unsaved_commands_on_the_newer_stored_session(
    tents: Questionnaire, questionnaires: dict[str, Questionnaire]
) -> None:
    kiosk = AdviceSession.start(tents, index=sample_index("tents"), run="r")
    kiosk.answer("region", "rough")
    kiosk.saved(1)
    staff = AdviceSession.restore(kiosk.snapshot(), questionnaires, index=sample_index("tents"), version=1)
    staff.change_answer("region", "mild")
    staff.saved(2)
    kiosk.answer("trip", "trekking")  # not yet written
    skipped = kiosk.rebase(staff.snapshot(), 2)
    assert skipped == ()
    assert kiosk.state.answers["region"] == "mild" and kiosk.state.answers["trip"] == "trekking"
    assert kiosk.pending and kiosk.version == 2


def test_rebase_takes_the_language_the_other_device_chose_and_keeps_its_own_when_it_chose_again(
    tents: Questionnaire, questionnaires: dict[str, Questionnaire]
) -> None:
    phone = AdviceSession.start(tents, index=sample_index("tents"), locale="de", run="r")
    phone.answer("region", "rough")
    phone.saved(1)
    kiosk = AdviceSession.restore(phone.snapshot(), questionnaires, index=sample_index("tents"), version=1)
    kiosk.set_locale("en")
    kiosk.saved(2)

    phone.answer("trip", "trekking")  # not yet written when the kiosk's English was stored
    phone.rebase(kiosk.snapshot(), 2)
    assert phone.locale == "en" and phone.state.answers["trip"] == "trekking"

    phone.set_locale("de")  # chosen on the phone after the kiosk's: re-applied on top of it
    phone.rebase(kiosk.snapshot(), 2)
    assert phone.locale == "de"


def test_form_answers() -> None:
    tents = load_library().questionnaires["tent-finder"]
    assert answer_from_form(tents.step("persons"), ["2,0"]) == 2
    assert answer_from_form(tents.step("extras"), ["two_entrances", "vestibule"]) == ("two_entrances", "vestibule")
    assert answer_from_form(tents.step("region"), [DONT_CARE]) == DONT_CARE
    assert answer_from_form(tents.step("persons"), ["9007199254740993"]) == 9007199254740993  # exact, not rounded
    for step_id, values in (("persons", ["nan"]), ("persons", ["zwei"]), ("extra_space", ["maybe"]),
                            ("region", ["a", "b"]), ("persons", ["1e400"]),
                            ("persons", ["1" + "0" * 5000])):  # fmt: skip
        with pytest.raises(InvalidAnswer, match=step_id):
            answer_from_form(tents.step(step_id), values)


COMMANDS = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.integers(0, 20)),
        st.tuples(st.just("back"), st.just(0)),
        st.tuples(st.just("go_to"), st.integers(0, 10)),
        st.tuples(st.just("locale"), st.sampled_from(["de", "en", "fr"])),
        st.tuples(st.just("view"), st.integers(0, 30)),
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(commands=COMMANDS)
def test_any_command_sequence_snapshots_and_restores_to_the_same_session(commands: list[tuple[str, int]]) -> None:
    questionnaires = load_library().questionnaires
    tents = questionnaires["tent-finder"]
    index = sample_index("tents")
    session = AdviceSession.start(tents, index=index, run="r")
    for name, number in commands:
        try:
            if name == "answer" and session.step is not None:
                step = session.step
                choices: list[Any] = (
                    [o.id for o in step.options] if step.kind == "single"
                    else [(o.id,) for o in step.options] if step.kind == "multiple"
                    else [True, False] if step.kind == "yes_no" else [step.min, step.max, number]
                )  # fmt: skip
                session.answer(step.id, choices[number % len(choices)])
            elif name == "back":
                session.back()
            elif name == "go_to":
                session.go_to(tents.steps[number % len(tents.steps)].id)
            elif name == "locale":
                session.set_locale(str(number))
            elif name == "view":
                session.view(str(index.skus[number % index.size]))
        except (SessionError, InvalidAnswer):
            pass
        path = [s for s in (session.state.current,) if s]
        assert all(step_id in tents.positions for step_id in path)
    restored = AdviceSession.restore(session.snapshot(), questionnaires, index=index)
    assert restored.snapshot() == session.snapshot()
    assert restored.dropped == ()


@pytest.mark.parametrize(("scale", "grade", "about"), [("grades", 0, "advice"), ("grades", 7, "advice"),
                                                        ("stars", 6, "advice"), ("percent", 3, "advice"),
                                                        ("grades", 1, "the weather")])  # fmt: skip
def test_ratings_outside_the_scale_are_refused(tents: Questionnaire, scale: str, grade: int, about: str) -> None:
    session = AdviceSession.start(tents, index=sample_index("tents"), run="r")
    with pytest.raises(SessionError):
        session.rate(grade, scale=scale, about=about)
    assert session.rated == set()


def test_one_rating_per_subject_and_run(tents: Questionnaire) -> None:
    seen: list[ev.DomainEvent] = []
    session = AdviceSession.start(
        tents, index=sample_index("tents"), run="r", subscribers=[lambda _s, e: seen.append(e)]
    )
    session.rate(1)
    session.rate(3)  # a second tap
    session.rate(2, about="contact")
    assert [e for e in seen if isinstance(e, ev.Rated)] == [
        ev.Rated(1, "grades", "advice"),
        ev.Rated(2, "grades", "contact"),
    ]
