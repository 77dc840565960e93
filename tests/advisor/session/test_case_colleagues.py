"""A busy Saturday at the consoles, without a screen: a customer opened by the code they read out is claimed as from
the queue (two consoles at once: one wins, the other is told who has them); a colleague on the customer and the
answers they changed are named; a finished case's chat and notes come back with the code; a checked-in appointment's
notes are the appointment's; a console's own working-out records no offer the shopper never saw; a request past the
store's limit no longer waits in the queue."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from advisor.appointments import agenda, booking
from advisor.db import make_engine, upgrade
from advisor.handoff import chat, requests
from advisor.handoff.codes import shown
from advisor.handoff.staff import report_presence, set_pin, sign_out
from advisor.session import store
from advisor.session.cases import Desk, change_answer, console_view, open_case, open_code, save_case_notes
from tests.advisor.session.test_cases import BERLIN, LIBRARY, PLACES, SEVEN, index_for, stored

DESK = Desk("de", BERLIN, PLACES)
HALF_AN_HOUR = timedelta(minutes=30)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'colleagues.sqlite3'}")
    upgrade(engine)
    return engine


def code_of(engine: Engine, session_id: str) -> str:
    record = store.read(engine, session_id)
    assert record is not None
    return record.resume_code


def view(engine: Engine, staff: str, **more: object) -> object:
    return console_view(engine, staff=staff, opened={}, selected=None, questionnaires=LIBRARY, index_for=index_for,
                        desk=DESK, unclaimed_after=HALF_AN_HOUR, **more)  # type: ignore[arg-type]  # fmt: skip


def test_a_customer_opened_by_code_while_their_chat_waits_is_claimed_and_leaves_the_queue(engine: Engine) -> None:
    session_id = stored(engine)
    request_id = requests.request_handoff(engine, session_id=session_id, kind="chat")
    chat.post_message(engine, request_id, sender="shopper", text="Kann mir jemand helfen? Ich stehe am Eingang.")
    opened = open_code(engine, code_of(engine, session_id), client="console:a", staff="Anna Berger",
                       unclaimed_after=HALF_AN_HOUR)  # fmt: skip
    assert opened.request_id == request_id and opened.held_by is None
    assert requests.request_state(engine, request_id) == (requests.State.CLAIMED, "Anna Berger")
    after = console_view(engine, staff="Anna Berger", opened={}, selected=(request_id, session_id),
                         questionnaires=LIBRARY, index_for=index_for, desk=DESK)  # fmt: skip
    assert after.queue == (), "no longer waiting: no banner, no chime"
    assert after.case is not None and after.case.sheet is not None
    assert [line.text for line in after.case.messages] == ["Kann mir jemand helfen? Ich stehe am Eingang."]
    assert after.case.sheet.asked == "Kann mir jemand helfen? Ich stehe am Eingang."
    again = open_code(engine, code_of(engine, session_id), client="console:a", staff="Anna Berger")
    assert again.request_id == request_id, "opened again: the same case of hers"


def test_a_customer_who_asked_twice_is_opened_by_code_and_leaves_the_queue_with_both_asks(engine: Engine) -> None:
    session_id = stored(engine)
    asked_chat = requests.request_handoff(engine, session_id=session_id, kind="chat")
    asked_person = requests.request_handoff(engine, session_id=session_id, kind="consultant")
    opened = open_code(engine, code_of(engine, session_id), client="console:a", staff="Anna Berger",
                       unclaimed_after=HALF_AN_HOUR)  # fmt: skip
    assert opened.request_id == asked_person, "what they asked last is the case opened"
    assert requests.request_state(engine, asked_chat) == (requests.State.CLAIMED, "Anna Berger")
    for colleague in ("Anna Berger", "Ben Koch"):
        seen = console_view(engine, staff=colleague, opened={}, selected=None, questionnaires=LIBRARY,
                            index_for=index_for, desk=DESK)  # fmt: skip
        assert seen.queue == (), f"{colleague} is sent to nobody: the customer is served"


def test_two_consoles_opening_the_same_code_at_once_one_wins_the_other_is_told_who(engine: Engine) -> None:
    session_id = stored(engine)
    request_id = requests.request_handoff(engine, session_id=session_id, kind="chat")
    code, results = code_of(engine, session_id), {}
    start = threading.Barrier(2)

    def open_as(staff: str) -> None:
        start.wait()
        results[staff] = open_code(engine, code, client=f"console:{staff}", staff=staff)

    threads = [threading.Thread(target=open_as, args=(name,)) for name in ("Anna Berger", "Ben Koch")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [staff for staff, result in results.items() if result.request_id == request_id]
    assert len(winners) == 1
    (loser,) = [staff for staff in results if staff not in winners]
    assert results[loser].request_id is None and results[loser].held_by == winners[0]
    assert requests.request_state(engine, request_id) == (requests.State.CLAIMED, winners[0])


def test_a_colleague_on_the_customer_and_the_answer_they_changed_are_named(engine: Engine) -> None:
    session_id = stored(engine)
    request_id = requests.request_handoff(engine, session_id=session_id, kind="consultant")
    assert requests.claim(engine, request_id, staff="Anna Berger")
    opened = open_code(engine, code_of(engine, session_id), client="console:b", staff="Ben Koch")
    assert opened.request_id is None and opened.held_by == "Anna Berger"
    bens = open_case(engine, (None, session_id), LIBRARY, index_for, DESK, kind="code", staff="Ben Koch")
    assert bens is not None and bens.sheet is not None
    assert bens.sheet.colleagues == ("Anna Berger betreut diesen Kunden – Sie können mitlesen und helfen.",)
    assert bens.chat_note == "Den Chat führt Anna Berger – Sie lesen mit."
    change_answer(engine, session_id, "persons", 3, questionnaires=LIBRARY, index_for=index_for, staff="Ben Koch")
    annas = open_case(engine, (request_id, session_id), LIBRARY, index_for, DESK, kind="consultant",
                      staff="Anna Berger")  # fmt: skip
    assert annas is not None and annas.sheet is not None
    (said,) = annas.sheet.colleagues
    assert said.startswith("Ben Koch hat „Personen“ geändert (")
    assert said in annas.sheet.history
    bens = open_case(engine, (None, session_id), LIBRARY, index_for, DESK, kind="code", staff="Ben Koch")
    assert bens is not None and bens.sheet is not None
    assert not any("geändert" in line for line in bens.sheet.colleagues), "his own change is no news to him"


def test_a_finished_case_opened_by_code_shows_its_chat_and_notes(engine: Engine) -> None:
    session_id = stored(engine)
    request_id = requests.request_handoff(engine, session_id=session_id, kind="chat")
    assert requests.claim(engine, request_id, staff="Anna Berger")
    chat.post_message(engine, request_id, sender="shopper", text="Ich bin in 10 Minuten im Laden.")
    chat.save_notes(engine, request_id, "Jacke M zurückgelegt, Kasse 2")
    requests.transition(engine, request_id, requests.Action.CLOSE)
    case = open_case(engine, (None, session_id), LIBRARY, index_for, DESK, kind="code", staff="Ben Koch")
    assert case is not None
    ((heading, said),) = case.earlier
    assert heading.startswith("— Frühere Anfrage, ") and "Chat am Kiosk" in heading
    assert [line.text for line in said] == ["Ich bin in 10 Minuten im Laden."]
    assert case.notes == "Jacke M zurückgelegt, Kasse 2" and case.notes_key == ("request", request_id)
    assert case.chat_note.startswith("— Nur zum Nachlesen")
    save_case_notes(engine, ("request", request_id), "Jacke M zurückgelegt, Kasse 2\nAbgeholt 15:10")
    assert chat.notes_of(engine, request_id).endswith("Abgeholt 15:10")
    # the customer asks again later: the new request's case brings the earlier notes along
    again = requests.request_handoff(engine, session_id=session_id, kind="consultant")
    later = open_case(engine, (again, session_id), LIBRARY, index_for, DESK, kind="consultant", staff="Ben Koch")
    assert later is not None and later.sheet is not None and later.notes == ""
    assert len(later.sheet.notes_before) == 1 and "Jacke M zurückgelegt" in later.sheet.notes_before[0]


def test_a_checked_in_appointments_case_keeps_its_notes_with_the_appointment(engine: Engine) -> None:
    from tests.helpers.appointments import add_consultants, store_config

    config = store_config()
    add_consultants(engine, ["Anna"])
    session_id = stored(engine)
    saturday = datetime(2026, 12, 5, 11, 0, tzinfo=BERLIN)
    morning = datetime(2026, 12, 5, 10, 50, tzinfo=BERLIN)
    booked = booking.book(engine, config=config, category_id="tents", starts_at=saturday, name="Familie Keller",
                          contact="keller@example.de", locale="de", channel="kiosk", session_id=session_id,
                          now=morning - timedelta(days=1))  # fmt: skip
    assert booking.check_in(engine, appointment_id=booked.appointment_id, now=morning)
    case = open_case(engine, (None, session_id), LIBRARY, index_for, DESK, kind="appointment", now=morning,
                     staff="Anna")  # fmt: skip
    assert case is not None
    assert case.notes_key == ("appointment", booked.appointment_id)
    assert case.chat_note.startswith("Kein Chat: der Kunde ist zum Termin hier.")
    save_case_notes(engine, case.notes_key, "Will das Zelt gleich mitnehmen")
    (entry,) = agenda.upcoming(engine, session_id=session_id, zone=BERLIN, locale="de", now=morning,
                               states=("checked_in",))  # fmt: skip
    assert entry.notes == "Will das Zelt gleich mitnehmen", "the notes the appointments window shows"


def test_a_change_so_that_nothing_fits_is_offered_once_and_not_recorded_as_declined(engine: Engine) -> None:
    session_id = stored(engine, {**SEVEN, "weight_importance": "ultralight", "extras": ("quick_pitch",)})
    change_answer(engine, session_id, "persons", 4, questionnaires=LIBRARY, index_for=index_for, staff="Ben Koch")
    case = open_case(engine, (None, session_id), LIBRARY, index_for, DESK, kind="code", staff="Anna")
    assert case is not None and case.sheet is not None and case.sheet.fit.startswith("0 ")
    offered = [line for line in case.sheet.history if line.startswith("Jetzt angeboten")]
    assert offered, "the kiosk offers to drop a wish"
    assert not any(line.startswith("Angeboten, nicht genommen") for line in case.sheet.history)
    assert case.session.relaxations == []
    record = store.read(engine, session_id)
    assert record is not None and record.snapshot.relaxations == ()


def test_a_request_past_the_stores_limit_no_longer_waits_in_the_queue(engine: Engine) -> None:
    now = datetime.now(UTC)
    old = requests.request_handoff(engine, session_id=stored(engine), kind="chat", now=now - timedelta(minutes=95))
    fresh = requests.request_handoff(engine, session_id=stored(engine), kind="chat", now=now - timedelta(minutes=3))
    shown = view(engine, "Anna", now=now)
    assert [line.entry.request_id for line in shown.queue] == [fresh]  # type: ignore[attr-defined]
    assert shown.queue[0].entry.position == 1  # type: ignore[attr-defined]
    opened = open_code(engine, code_of(engine, requests_session(engine, old)), client="console:a", staff="Anna",
                       unclaimed_after=HALF_AN_HOUR, now=now)  # fmt: skip
    assert opened.request_id is None, "an expired wait is not claimed by opening the code"
    assert requests.state_of(engine, old) == requests.State.REQUESTED


def requests_session(engine: Engine, request_id: int) -> str:
    from advisor.db.prepared import reading
    from advisor.handoff.requests import REQUEST

    with reading(engine) as connection:
        row = connection.execute(REQUEST.select().where(REQUEST.c.id == request_id)).first()
    assert row is not None
    return str(row.session_id)


def test_a_customer_checked_in_after_their_slot_ended_keeps_the_appointment_and_its_notes(engine: Engine) -> None:
    """Booked 12:15-12:35, checked in by code 28 minutes late (their slot over): the case says the appointment, is
    named with it in "my cases" and its heading, and its notes are the appointment's, kept and read back."""
    from advisor.session.arrival import check_in_today
    from tests.helpers.appointments import add_consultants, store_config

    config = store_config()
    add_consultants(engine, ["Anna Berger"])
    session_id = stored(engine)
    starts = datetime(2026, 12, 5, 12, 15, tzinfo=BERLIN)
    late = starts + timedelta(minutes=28)
    booked = booking.book(engine, config=config, category_id="tents", starts_at=starts, name="Kim Keller",
                          contact="kim@example.de", locale="de", channel="web", session_id=session_id,
                          now=starts - timedelta(days=1))  # fmt: skip
    arrived = check_in_today(engine, config=config, session_id=session_id, now=late)
    assert arrived is not None and arrived.appointment_id == booked.appointment_id and arrived.late
    opened = console_view(engine, staff="Anna Berger", opened={session_id: "appointment"}, selected=(None, session_id),
                          questionnaires=LIBRARY, index_for=index_for, desk=DESK, now=late)  # fmt: skip
    (line,) = opened.cases
    assert line.text.startswith("Kim Keller · ") and line.text.endswith(" · Gebuchter Termin · 12:15")
    case = opened.case
    assert case is not None and case.sheet is not None
    assert case.sheet.header.customer == "Kim Keller · Termin 12:15 Uhr"
    assert case.sheet.appointments == ("Termin: Heute 12:15–12:35 Uhr · bei Anna Berger · eingecheckt",)
    assert case.notes_key == ("appointment", booked.appointment_id), "the notes field is open"
    save_case_notes(engine, case.notes_key, "Kam spät, will das Zelt gleich mitnehmen")
    again = open_case(engine, (None, session_id), LIBRARY, index_for, DESK, kind="appointment",
                      now=late + timedelta(minutes=5), staff="Anna Berger")  # fmt: skip
    assert again is not None and again.notes == "Kam spät, will das Zelt gleich mitnehmen"
    entry = agenda.entry(engine, appointment_id=booked.appointment_id, zone=BERLIN, locale="de")
    assert entry is not None and entry.notes == "Kam spät, will das Zelt gleich mitnehmen", "as the window shows"
    assert agenda.upcoming(engine, session_id=session_id, zone=BERLIN, locale="de", now=late,
                           states=("booked", "checked_in")) == [], "what is ahead stays what is ahead"  # fmt: skip
    tomorrow = open_case(engine, (None, session_id), LIBRARY, index_for, DESK, kind="appointment",
                         now=late + timedelta(days=1), staff="Anna Berger")  # fmt: skip
    assert tomorrow is not None and tomorrow.notes_key is None and tomorrow.sheet is not None
    assert tomorrow.sheet.appointments == () and tomorrow.sheet.header.customer == ""


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("de", "Kim Keller ist eingecheckt – Termin 12:15 Uhr. Die Beratung steht unter „Meine Fälle“. Kim Keller "
         "kam 28 Min. zu spät – Anna Berger ist schon beim nächsten Termin oder die Zeit fast um: bitte übernimmt "
         "jemand."),
        ("en", "Kim Keller is checked in – appointment at 12:15. The advice is under “My cases”. Kim Keller came 28 "
         "min late – Anna Berger is already with the next appointment or the time is nearly up: someone please take "
         "over."),
    ],
)  # fmt: skip
def test_the_late_check_in_notice_gives_each_sentence_its_subject(locale: str, said: str) -> None:
    from advisor.i18n import text

    notice = text("console.appt.checked_in", locale, name="Kim Keller", time="12:15")
    assert f"{notice} {text('console.appt.late', locale, name='Kim Keller', minutes=28, staff='Anna Berger')}" == said


def annas_chat(engine: Engine) -> tuple[str, int]:
    """A customer's chat that Anna Berger claimed at her console (Ben Koch works here too): its session and request."""
    for name in ("Anna Berger", "Ben Koch"):
        set_pin(engine, name, "4711")
    session_id = stored(engine)
    request_id = requests.request_handoff(engine, session_id=session_id, kind="chat")
    report_presence(engine, "Anna Berger")
    assert requests.claim(engine, request_id, staff="Anna Berger")
    return session_id, request_id


def test_a_signed_out_colleagues_chat_is_in_the_queue_as_theirs_and_read_as_going_on(engine: Engine) -> None:
    """Shift change: Anna signed out with a chat she held. The queue shows it as hers ("war bei …"); a colleague who
    opens the customer while she is at work reads her chat as going on, not as an earlier request."""
    session_id, request_id = annas_chat(engine)
    chat.post_message(engine, request_id, sender="staff", author="Anna Berger", text="Ich bin gleich bei Ihnen")
    bens = open_case(engine, (None, session_id), LIBRARY, index_for, DESK, kind="code", staff="Ben Koch")
    assert bens is not None
    [(heading, said)] = bens.earlier
    assert heading.startswith("— Laufende Anfrage bei Anna Berger, ") and [line.text for line in said] == [
        "Ich bin gleich bei Ihnen"
    ]
    assert view(engine, "Ben Koch").queue == ()  # type: ignore[attr-defined]

    sign_out(engine, "Anna Berger")
    [line] = view(engine, "Ben Koch").queue  # type: ignore[attr-defined]
    assert line.entry.request_id == request_id and line.asked.endswith(" · war bei Anna Berger (abgemeldet)")


def test_a_queue_line_names_a_language_other_than_the_consoles(engine: Engine) -> None:
    """With thirty waiting, staff who speak no English see who does at a glance, without opening each line."""
    english, german = stored(engine, locale="en"), stored(engine)
    for session_id in (english, german):
        requests.request_handoff(engine, session_id=session_id, kind="chat")
    lines = view(engine, "Anna Berger").queue  # type: ignore[attr-defined]
    assert [line.asked.endswith(" · spricht Englisch") for line in lines] == [True, False]


def test_the_old_holders_console_is_told_who_took_the_case_over(engine: Engine) -> None:
    session_id, request_id = annas_chat(engine)
    sign_out(engine, "Anna Berger")  # (her laptop slept)
    report_presence(engine, "Ben Koch")
    assert requests.claim_outcome(engine, request_id, staff="Ben Koch").taken_from == "Anna Berger"
    code = shown(code_of(engine, session_id))
    annas = view(engine, "Anna Berger", known=[request_id])
    said = f"Fall {code}: Ben Koch hat ihn übernommen (Sie waren abgemeldet)."
    assert annas.ended == ((request_id, said),)  # type: ignore[attr-defined]
