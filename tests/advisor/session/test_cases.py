"""The staff console's case, without a screen: who and where, answers with their questions, the shortlist in the
kiosk's order with price and stock, reasons about the customer, one language, the store's time, changes that keep
every other answer, unread messages and cases the shopper ended."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from advisor.db import make_engine, upgrade
from advisor.handoff import chat, requests
from advisor.questionnaire.library import load_library
from advisor.questionnaire.model import DONT_CARE, Questionnaire
from advisor.recommend.index import CategoryIndex
from advisor.rendering.facts import stock_in
from advisor.session import store
from advisor.session.cases import Desk, change_answer, console_view, open_case, staff_recommendation
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index

LIBRARY = load_library().questionnaires
TENTS = LIBRARY["tent-finder"]
SEVEN = {  # a shopper at the tent kiosk: seven answers on the path
    "region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 2, "extra_space": True,
    "body_height": 185, "weight_importance": "medium",
}  # fmt: skip
BERLIN = ZoneInfo("Europe/Berlin")
PLACES = {"kiosk-zelte": "Zeltabteilung, 1. OG"}
INDEXES: dict[str, CategoryIndex] = {}


def index_for(questionnaire: Questionnaire) -> CategoryIndex:
    if questionnaire.category not in INDEXES:
        INDEXES[questionnaire.category] = sample_index(questionnaire.category)
    return INDEXES[questionnaire.category]


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'cases.sqlite3'}")
    upgrade(engine)
    return engine


def stored(engine: Engine, answers: dict[str, Any] = SEVEN, *, locale: str = "de", relax: bool = False) -> str:
    advice = AdviceSession.start(TENTS, index=index_for(TENTS), locale=locale)
    advice.set_answers(answers)
    if relax and not advice.recommendation().count:
        advice.relax(advice.recommendation().relaxations[0].drop)
    return store.create(engine, advice, store_id="muc-01", kiosk_id="kiosk-zelte", consent=True).id


def test_a_staff_change_keeps_every_other_answer_and_names_what_it_opens(engine: Engine) -> None:
    session_id = stored(engine)
    opened = change_answer(engine, session_id, "persons", 3, questionnaires=LIBRARY, index_for=index_for)
    record = store.read(engine, session_id)
    assert record is not None
    assert dict(record.snapshot.answers) == {**SEVEN, "persons": 3}
    assert opened == ()
    opened = change_answer(engine, session_id, "region", "alpine", questionnaires=LIBRARY, index_for=index_for)
    record = store.read(engine, session_id)
    assert record is not None
    kept = {key: value for key, value in SEVEN.items() if key != "trip"}  # alpine skips the trip question
    assert {**kept, "region": "alpine", "persons": 3} == dict(record.snapshot.answers)


def test_a_question_a_change_brings_up_is_named(engine: Engine) -> None:
    family = {key: value for key, value in SEVEN.items() if key != "weight_importance"} | {"trip": "family"}
    session_id = stored(engine, family)
    opened = change_answer(engine, session_id, "trip", "trekking", questionnaires=LIBRARY, index_for=index_for)
    assert opened == ("weight_importance",), "weight matters on foot: the question appears, waiting for an answer"
    record = store.read(engine, session_id)
    assert record is not None
    assert dict(record.snapshot.answers) == {**family, "trip": "trekking"}


def test_the_sheet_speaks_the_consoles_language_and_the_stores_time(engine: Engine) -> None:
    session_id = stored(engine, locale="de")
    requested = datetime(2026, 7, 4, 12, 4, tzinfo=UTC)  # 14:04 in Berlin in summer
    request_id = requests.request_handoff(engine, session_id=session_id, kind="consultant", now=requested)
    desk = Desk("en", BERLIN, PLACES)
    case = open_case(engine, (request_id, session_id), LIBRARY, index_for, desk, kind="consultant",
                     requested_at=requested, now=requested + timedelta(minutes=6))  # fmt: skip
    assert case is not None and case.sheet is not None
    sheet = case.sheet
    assert sheet.header.kind == "In person at the kiosk"
    assert sheet.header.where == "Kiosk Zeltabteilung, 1. OG"
    assert sheet.header.since == "asked at 14:04"
    assert sheet.header.language == "speaks German"
    assert [row.step_id for row in sheet.answers][:7] == list(SEVEN)
    assert sheet.answers[0].question == "Where will you pitch your tent most of the time?"
    assert sheet.answers[3].answer == "2\u00a0people"  # the number and its unit on one line
    assert sheet.fit.endswith("fit every answer") and "Produkte" not in sheet.fit
    assert all("€" in pick.price or "EUR" in pick.price for pick in sheet.picks)
    assert all(pick.stock for pick in sheet.picks)
    german = open_case(engine, (request_id, session_id), LIBRARY, index_for, Desk("de", BERLIN, PLACES),
                       kind="consultant", requested_at=requested)  # fmt: skip
    assert german is not None and german.sheet is not None
    assert german.sheet.header.kind == "Beratung vor Ort" and "passen" in german.sheet.fit


def test_a_case_with_nothing_answered_yet_does_not_claim_its_products_fit_the_answers(engine: Engine) -> None:
    session_id = stored(engine, {})
    request_id = requests.request_handoff(engine, session_id=session_id, kind="chat")
    case = open_case(engine, (request_id, session_id), LIBRARY, index_for, Desk("de", BERLIN, PLACES), kind="chat")
    assert case is not None and case.sheet is not None
    total = index_for(TENTS).size
    assert case.sheet.fit == f"Noch keine Antworten: alle {total} Zelte kommen in Frage"


def test_the_shortlist_is_in_the_kiosks_order_and_speaks_about_the_customer(engine: Engine) -> None:
    session_id = stored(engine, {**SEVEN, "extras": ("two_entrances",)})
    record = store.read(engine, session_id)
    assert record is not None
    kiosk = store.load(record, LIBRARY, index_for=index_for)
    case = open_case(engine, (None, session_id), LIBRARY, index_for, Desk("de"))
    assert case is not None and case.sheet is not None
    assert [pick.sku for pick in case.sheet.picks] == list(kiosk.decision().display_order())
    reasons = [reason for pick in case.sheet.picks for reason in pick.reasons]
    assert reasons and not any(word in reason for reason in reasons for word in ("dein", "Ihrem", " du "))


def test_the_shortlists_stock_reads_as_at_the_kiosk_in_the_consoles_language(engine: Engine) -> None:
    session_id = stored(engine)
    record = store.read(engine, session_id)
    assert record is not None
    kiosk = store.load(record, LIBRARY, index_for=index_for)
    lines: dict[str, list[str]] = {}
    for locale in ("de", "en"):
        shown = {
            ranked.sku: stock_in(ranked.product, "muc-01", locale, ranked.variants, index_for(TENTS)).text(locale)
            for ranked in kiosk.recommendation().products
        }
        case = open_case(engine, (None, session_id), LIBRARY, index_for, Desk(locale))
        assert case is not None and case.sheet is not None
        assert {pick.sku: pick.stock for pick in case.sheet.picks} == shown
        lines[locale] = [pick.stock for pick in case.sheet.picks]
    assert any("in Grau, Sand" in line for line in lines["de"]), f"the colours in the dictionary's words: {lines}"


def test_a_number_wish_is_phrased_about_the_customer() -> None:
    bags = LIBRARY["sleeping-bag-finder"]  # (a figure the customer gave: the coldest night, 0 °C)
    advice = AdviceSession.start(bags, index=index_for(bags), locale="de")
    advice.set_answers({"activity": ("trekking",), "lowest_temp": 0, "sleeper": "normal", "who": "dont_care",
                        "body_height": 180, "fill_choice": "dont_care", "weight_importance": "medium"})  # fmt: skip
    shopper = [r.text for item in advice.recommendation().products for r in item.reasons if r.kind == "close_to"]
    staff = [r.text for item in staff_recommendation(advice, "de").products for r in item.reasons
             if r.kind == "close_to"]  # fmt: skip
    assert shopper
    assert all(line.endswith(("nah an deinem Wunsch (0\u00a0°C)", "genau dein Wunsch")) for line in shopper)
    assert len(staff) == len(shopper)
    assert all(line.endswith(("nah am Kundenwunsch (0\u00a0°C)", "genau der Kundenwunsch")) for line in staff)


def test_queue_lines_say_kind_place_and_waiting_time(engine: Engine) -> None:
    session_id = stored(engine)
    now = datetime.now(UTC)
    requests.request_handoff(engine, session_id=session_id, kind="consultant", now=now - timedelta(minutes=4))
    view = console_view(engine, staff="Anna", opened={}, selected=None, questionnaires=LIBRARY, index_for=index_for,
                        desk=Desk("de", BERLIN, PLACES), now=now)  # fmt: skip
    desk = Desk("de", BERLIN, PLACES)
    assert [line.shown(desk, now) for line in view.queue] == [
        "1. wartet seit 4 Min.\nKiosk Zeltabteilung, 1. OG\nBeratung vor Ort · Zeltberater"
    ]
    assert view.queue[0].shown(desk, now + timedelta(minutes=3)).startswith("1. wartet seit 7 Min."), (
        "the wait counts up from the request's time, without reading again"
    )
    later = [view.queue[0].shown(desk, now + timedelta(minutes=m)).split("\n")[0] for m in (91, 24 * 60 + 60)]
    assert later == ["1. wartet seit 1 Std. 35 Min.", "1. wartet seit 1 T. 1 Std."], "hours and days, not 1,504 Min."
    assert Desk("en", BERLIN, PLACES).waiting(now, now + timedelta(minutes=95)) == "waiting 1 h 35 min"


def test_a_claim_between_the_queue_and_the_cases_is_read_once(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The console reads the queue, then its cases: a claim that commits in between shows as the staff member's
    case only, not also as a customer still waiting (claiming that line again would do nothing)."""
    import advisor.session.cases as cases

    first, second = (requests.request_handoff(engine, session_id=stored(engine), kind="consultant") for _ in range(2))
    read_queue = cases.queue

    def queue_then_a_claim(engine: Engine) -> list[requests.QueueEntry]:
        waiting = read_queue(engine)
        assert requests.claim(engine, first, staff="Anna")
        return waiting

    monkeypatch.setattr(cases, "queue", queue_then_a_claim)
    view = console_view(engine, staff="Anna", opened={}, selected=None, questionnaires=LIBRARY, index_for=index_for,
                        desk=Desk("de", BERLIN, PLACES))  # fmt: skip
    assert [line.key[0] for line in view.cases] == [first]
    assert [line.entry.request_id for line in view.queue] == [second]


def test_unread_messages_and_a_case_the_shopper_ended(engine: Engine) -> None:
    session_id = stored(engine)
    request_id = requests.request_handoff(engine, session_id=session_id, kind="chat")
    assert requests.claim(engine, request_id, staff="Anna")
    for words in ("Hallo?", "Ist das Zelt da?"):
        chat.post_message(engine, request_id, sender="shopper", text=words)
    chat.post_message(engine, request_id, sender="staff", author="Anna", text="Ja, Regal 1.")
    desk = Desk("de", BERLIN, PLACES)
    view = console_view(engine, staff="Anna", opened={}, selected=None, questionnaires=LIBRARY, index_for=index_for,
                        desk=desk)  # fmt: skip
    (line,) = view.cases
    assert line.shopper_messages == 2
    code = view.cases[0].text.split(" · ")[0]
    assert len(code) == 9 and code[4] == "-", "the code as the customer reads it out (ABCD-2345)"
    assert line.text.startswith(f"{code} · Zeltberater · Chat am Kiosk · ")
    requests.transition(engine, request_id, requests.Action.CANCEL)
    view = console_view(engine, staff="Anna", opened={}, selected=None, questionnaires=LIBRARY, index_for=index_for,
                        desk=desk, known=(request_id,))  # fmt: skip
    assert view.cases == ()
    assert len(view.ended) == 1 and view.ended[0][0] == request_id and "verlassen" in view.ended[0][1]


def test_a_case_deleted_with_the_customers_data_is_said_not_left_to_vanish(engine: Engine) -> None:
    """The customer asks to be forgotten (by their code) while Anna has their case open: her console says the case
    is gone because the data was deleted, once."""
    from advisor.privacy_requests import customer, forget

    session_id = stored(engine)
    request_id = requests.request_handoff(engine, session_id=session_id, kind="chat")
    assert requests.claim(engine, request_id, staff="Anna")
    desk = Desk("de", BERLIN, PLACES)
    view = console_view(engine, staff="Anna", opened={}, selected=None, questionnaires=LIBRARY, index_for=index_for,
                        desk=desk)  # fmt: skip
    record = store.read(engine, session_id)
    assert record is not None and len(view.cases) == 1
    forget(engine, customer([record.resume_code]))
    view = console_view(engine, staff="Anna", opened={}, selected=None, questionnaires=LIBRARY, index_for=index_for,
                        desk=desk, known=(request_id,))  # fmt: skip
    assert view.cases == ()
    assert view.ended == ((request_id, "Ein Fall ist nicht mehr da: Die Daten des Kunden wurden inzwischen gelöscht."),)


STEP_VALUES = {
    step.id: st.sampled_from([option.id for option in step.options] + ([DONT_CARE] if step.dont_care else []))
    if step.kind == "single"
    else st.booleans() if step.kind == "yes_no"
    else st.integers(int(step.min or 0), int(step.max or 10)) if step.kind == "number"
    else st.lists(st.sampled_from([option.id for option in step.options]), min_size=1, unique=True).map(tuple)
    for step in TENTS.steps
}  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_change_keeps_the_answers_still_on_the_path(engine: Engine, data: st.DataObject) -> None:
    """Whatever staff change, every other answer that is still asked stays as it was."""
    session_id = stored(engine)
    record = store.read(engine, session_id)
    assert record is not None
    step_id = data.draw(st.sampled_from([s for s in SEVEN if s in TENTS.positions]))
    value = data.draw(STEP_VALUES[step_id])
    change_answer(engine, session_id, step_id, value, questionnaires=LIBRARY, index_for=index_for)
    after = store.read(engine, session_id)
    assert after is not None
    from advisor.engine import path_of

    path = path_of(TENTS, after.snapshot.answers)
    for other, before in SEVEN.items():
        if other != step_id and other in path:
            assert after.snapshot.answers[other] == before, other


def test_a_service_run_asking_for_a_person_shows_staff_the_product_and_what_was_offered(engine: Engine) -> None:
    """Help with a tent: the case names the shopper's own tent, the answers and the outcomes the flow offered; no
    product list is worked out for it."""
    library = load_library()
    flow = library.service_flows["tent-help"]
    advice = AdviceSession.start(flow, index=index_for(flow), locale="de")
    advice.set_product("NG-TENT-0003")
    advice.set_answers({"problem": "leak", "leak_where": "seams", "leak_since": "after_years"})
    session_id = store.create(engine, advice, store_id="muc-01", consent=True).id
    from tests.helpers.service import merged_catalog

    case = open_case(engine, (None, session_id), library.everything, index_for, catalog=merged_catalog())
    assert case is not None and case.recommendation is None and case.sheet is not None
    name = index_for(flow).products[index_for(flow).position["NG-TENT-0003"]].name["de"]
    assert case.sheet.fit == f"Eigenes Produkt: {name} (NG-TENT-0003)"
    assert [row.question for row in case.sheet.answers][:2] == [
        "Was ist mit deinem Zelt?",
        "Wo kommt das Wasser herein?",
    ]
    assert case.sheet.picks == ()
    assert case.sheet.history[0].startswith("Angeboten: Nähte selbst abdichten, Der passende Nahtdichter")


def test_the_sheet_says_when_the_customer_has_an_appointment(engine: Engine) -> None:
    """A customer who booked asks for help at a kiosk: the case names their appointment, its consultant and its
    state (today's checked in one too); a cancelled one and one of another customer are not named."""
    from advisor.appointments import booking
    from tests.helpers.appointments import add_consultants, store_config

    config = store_config()
    add_consultants(engine, ["Anna"])
    session_id, other_id = stored(engine), stored(engine)
    saturday = datetime(2026, 12, 5, 11, 0, tzinfo=BERLIN)
    morning = datetime(2026, 12, 5, 9, 0, tzinfo=BERLIN)
    booked = {"config": config, "category_id": "tents", "name": "Kim", "contact": "kim@example.com", "locale": "de",
              "channel": "web", "now": morning - timedelta(days=3)}  # fmt: skip
    today = booking.book(engine, starts_at=saturday, session_id=session_id, **booked)  # type: ignore[arg-type]
    assert booking.check_in(engine, appointment_id=today.appointment_id, now=morning)
    # An advice holds one upcoming booked appointment: booked again once the one before is checked in or cancelled.
    booked["now"] = morning
    gone = booking.book(engine, starts_at=saturday + timedelta(days=3), session_id=session_id, **booked)  # type: ignore[arg-type]
    assert booking.cancel(engine, appointment_id=gone.appointment_id, now=morning)
    monday = booking.book(engine, starts_at=saturday + timedelta(days=2), session_id=session_id, **booked)  # type: ignore[arg-type]
    booking.book(engine, starts_at=saturday + timedelta(hours=2), session_id=other_id, **booked)  # type: ignore[arg-type]
    request_id = requests.request_handoff(engine, session_id=session_id, kind="consultant", now=morning)

    case = open_case(engine, (request_id, session_id), LIBRARY, index_for, Desk("de", BERLIN, PLACES),
                     kind="consultant", requested_at=morning, now=morning)  # fmt: skip
    assert case is not None and case.sheet is not None
    assert case.sheet.appointments == (
        "Termin: Heute 11:00–11:20 Uhr · bei Anna · eingecheckt",
        "Termin: Mo 07.12. 11:00–11:20 Uhr · bei Anna · gebucht",
    )
    assert monday.staff_name == "Anna"
    later = open_case(engine, (request_id, session_id), LIBRARY, index_for, Desk("en", BERLIN, PLACES),
                      kind="consultant", requested_at=morning, now=saturday + timedelta(hours=1))  # fmt: skip
    assert later is not None and later.sheet is not None
    assert later.sheet.appointments == ("Appointment: Mon 7 Dec 11:00–11:20 · with Anna · booked",), "past: gone"
    from_agenda = open_case(engine, (None, session_id), LIBRARY, index_for, Desk("de", BERLIN, PLACES),
                            kind="appointment", now=morning, appointments=False)  # fmt: skip
    assert from_agenda is not None and from_agenda.sheet is not None
    assert from_agenda.sheet.appointments == (), "opened from the appointment itself, which says when already"


def test_a_case_opened_without_a_request_is_named_alike_in_the_list_and_its_heading(engine: Engine) -> None:
    by_code, arrived = stored(engine), stored(engine)
    desk = Desk("de", BERLIN, PLACES)
    for session_id, kind in ((by_code, "Per Code geöffnet"), (arrived, "Gebuchter Termin")):
        view = console_view(engine, staff="Anna", opened={by_code: "code", arrived: "appointment"},
                            selected=(None, session_id), questionnaires=LIBRARY, index_for=index_for,
                            desk=desk)  # fmt: skip
        line = next(line for line in view.cases if line.key == (None, session_id))
        assert line.text.endswith(f" · Zeltberater · {kind}")
        assert view.case is not None and view.case.sheet is not None
        assert view.case.sheet.header.kind == kind


def test_the_sheet_names_answers_by_short_labels_the_last_viewed_product_and_the_question_asked(engine: Engine) -> None:
    """What a sales person beside the customer reads first: the product the shopper looked at last (with price and
    shelf), the answers by a word or two, and the chat's question; a waiting customer can be read before claiming."""
    advice = AdviceSession.start(TENTS, index=index_for(TENTS), locale="de")
    advice.set_answers(SEVEN)
    first, last = (item.sku for item in advice.recommendation().products[:2])
    advice.view(last)
    advice.view(first)  # the one opened last
    session_id = store.create(engine, advice, store_id="muc-01", kiosk_id="kiosk-zelte", consent=True).id
    request_id = requests.request_handoff(engine, session_id=session_id, kind="chat")
    chat.post_message(engine, request_id, sender="shopper", text="Habt ihr das auch in Grün?")
    desk = Desk("de", BERLIN, PLACES)
    view = console_view(engine, staff="Anna", opened={}, selected=None, questionnaires=LIBRARY, index_for=index_for,
                        desk=desk, preview=request_id)  # fmt: skip
    case = view.preview
    assert case is not None and case.sheet is not None, "the waiting customer's case, before anyone claims it"
    sheet = case.sheet
    assert [row.label for row in sheet.answers][:3] == ["Region", "Unterwegs", "Nutzung"]
    name = index_for(TENTS).products[index_for(TENTS).position[first]].name["de"]
    assert sheet.last_viewed.startswith(f"Zuletzt angesehen: {name} · ") and "€" in sheet.last_viewed
    assert sheet.asked == "Habt ihr das auch in Grün?"
    assert not view.queue[0].in_person and "wartet am Kiosk" not in view.queue[0].said(desk, datetime.now(UTC))
    nothing = console_view(engine, staff="Anna", opened={}, selected=None, questionnaires=LIBRARY,
                           index_for=index_for, desk=desk)  # fmt: skip
    assert nothing.preview is None, "no preview read unless one is asked for"


def test_a_customer_standing_at_the_kiosk_is_said_first(engine: Engine) -> None:
    session_id = stored(engine)
    requests.request_handoff(engine, session_id=session_id, kind="consultant")
    desk = Desk("de", BERLIN, PLACES)
    view = console_view(engine, staff="Anna", opened={}, selected=None, questionnaires=LIBRARY, index_for=index_for,
                        desk=desk)  # fmt: skip
    line = view.queue[0]
    assert line.in_person
    assert line.said(desk, datetime.now(UTC)).startswith("Kunde wartet am Kiosk: 1. wartet seit")
