"""A shopper who booked an appointment checks in at the kiosk: they type their resume code on the code dialog's keys,
their advice opens, the kiosk tells them (in their language and form of address) that they are checked in for their
time and who comes; the console's appointments list them as checked in, with the prepared case and the held tents
on their shelf. A code whose session has no appointment today only resumes the advice, whose results then lead to
the appointment still to come."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from advisor.appointments import booking
from advisor.db import make_engine, upgrade
from advisor.handoff.codes import shown
from advisor.handoff.staff import set_pin
from advisor.session import store
from advisor.session.arrival import CheckedIn
from advisor.session.service import AdviceSession
from tests.helpers.appointments import add_consultants, add_stock
from tests.ui.test_console_appointments import (
    FAMILY,
    SHELF,
    always_open,
    next_quarter_hour,
    open_appointments,
    signed_in,
    this_quarter_hour,
)
from tests.ui.test_kiosk import click, current
from ui import session as views
from ui.booking import DONE_PAGE, BookingDialog
from ui.code import CodeDialog, NotYet, checked_in_text
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.window import KioskWindow


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    engine = make_engine(f"sqlite:///{tmp_path / 'kiosk-check-in.sqlite3'}")
    upgrade(engine)
    add_consultants(engine, ["Anna"], span=(0, 24 * 60))
    set_pin(engine, "Anna", "4711")
    return engine


def stored_advice(engine: Any, session: KioskSession, *, held: bool) -> tuple[store.Record, dict[str, str]]:
    """The family's tent advice, stored as if started on the web: (its record, the three top tents by SKU -> name),
    two of each in stock on the shelf when `held`."""
    tents = session.questionnaires["tent-finder"]
    advice = AdviceSession.start(tents, index=session.catalog.categories["tents"], locale="de")  # type: ignore[union-attr]
    advice.set_answers(FAMILY)
    result = advice.recommendation()
    assert result is not None
    names = {ranked.sku: ranked.product.name["de"] for ranked in result.products[:3]}
    if held:
        add_stock(engine, dict.fromkeys(names, 2), names=names, location=(SHELF, "Tents, 1st floor, shelf 4"))
    record = store.create(engine, advice, store_id=session.store_id, consent=True, origin="web")
    return record, names


def code_dialog(qtbot: QtBot, window: KioskWindow) -> CodeDialog:
    """From the welcome screen to the code dialog, as a shopper taps it."""
    click(qtbot, window.screens["welcome"].start)  # type: ignore[attr-defined]
    click(qtbot, current(window).code)
    dialog = current(window).code_dialog
    assert isinstance(dialog, CodeDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_a_booked_shopper_checks_in_at_the_kiosk_and_the_console_sees_the_case_and_what_to_fetch(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    config = always_open()
    session.configure(config)
    record, names = stored_advice(engine, session, held=True)
    starts_at = next_quarter_hour(config)  # (on time)
    booked = booking.book(
        engine, config=config, category_id="tents", starts_at=starts_at, name="Kim Berger",
        contact="kim@example.com", locale="de", channel="web", session_id=record.id, products=list(names),
        now=starts_at - timedelta(minutes=1),
    )  # fmt: skip
    assert set(booked.held) == set(names)
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    qtbot.waitUntil(lambda: view.entries.count() == 1 and "gebucht" in view.entries.item(0).text())

    session.engine = engine
    session.set_accessible(True)  # read aloud, too
    dialog = code_dialog(qtbot, window)
    keys = {key.text(): key for key in dialog.findChildren(QPushButton) if len(key.text()) == 1}
    for character in record.resume_code:
        click(qtbot, keys[character])
    assert dialog.shown.text() == shown(record.resume_code)
    with qtbot.waitSignal(dialog.accepted):  # the code is looked up and the appointment checked in on a worker
        click(qtbot, dialog.open_button)
    assert session.stored_id == record.id and session.view == views.RESULTS, "the advice goes on where it was"
    assert session.checked_in is not None
    assert session.checked_in == CheckedIn(booked.appointment_id, starts_at, "Anna",
                                           checked_in_at=session.checked_in.checked_in_at)  # fmt: skip
    assert not session.checked_in.late, "on time: Anna comes"
    assert session.booked is not None and session.booked.appointment_id == booked.appointment_id, (
        "their appointment on the results (even when its time is over: late), not an offer to book more")  # fmt: skip
    qtbot.waitUntil(window.arrival.isVisible)
    assert window.arrival.text() == (
        f"Du bist für {starts_at:%H:%M} Uhr angemeldet – Anna weiß Bescheid und kommt zu dir."
    )
    voice = window.speech.voice
    assert isinstance(voice, RecordingVoice) and window.arrival.text() in voice.spoken, "said as it appears"
    found = booking.details(engine, appointment_id=booked.appointment_id)
    assert found is not None and found.state == "checked_in"
    with qtbot.waitSignal(session.locale_changed):
        click(qtbot, window.top_bar.language)
    assert window.arrival.text() == f"You're checked in for {starts_at:%H:%M} – Anna knows and will come to you."

    view.refresh()  # as the console's timer does every few seconds
    qtbot.waitUntil(lambda: "eingecheckt" in view.entries.item(0).text())
    assert "Kim Berger" in view.entries.item(0).text()
    view.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: "Vorbereitete Beratung" in view.details_text() and "Antworten" in view.details_text())
    details = view.details_text()
    assert "eingecheckt" in details
    for name in names.values():
        assert name in details, f"{name} is named to fetch"
    assert details.count(SHELF) == 3, "each held tent with the shelf to fetch it from"
    assert "Empfehlungen" in details and shown(record.resume_code).replace("-", "\u2011") in details, "the case"
    assert not view.check_in_button.isEnabled(), "checked in already"

    session.reset()  # the shopper leaves: the notice goes with their advice
    assert not window.arrival_box.isVisible()
    view.close()
    console.close()


def test_a_shopper_checked_in_early_is_shown_their_appointment_not_offered_another(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    """Checked in by their code half an hour early: the results name their appointment (as for one tomorrow), and
    do not invite them to book one more."""
    config = always_open()
    session.configure(config)
    record, _names = stored_advice(engine, session, held=False)
    starts_at = this_quarter_hour(config) + timedelta(minutes=30)
    booked = booking.book(engine, config=config, category_id="tents", starts_at=starts_at, name="Kim Berger",
                          contact="kim@example.com", locale="de", channel="web", session_id=record.id)  # fmt: skip
    session.engine = engine
    dialog = code_dialog(qtbot, window)
    keys = {key.text(): key for key in dialog.findChildren(QPushButton) if len(key.text()) == 1}
    for character in record.resume_code:
        click(qtbot, keys[character])
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.open_button)
    assert session.checked_in is not None and session.checked_in.appointment_id == booked.appointment_id
    assert session.booked is not None and session.booked.appointment_id == booked.appointment_id


def test_a_code_with_an_appointment_on_another_day_resumes_saying_its_day_without_a_check_in(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    config = always_open()
    session.configure(config)
    record, _names = stored_advice(engine, session, held=False)
    tomorrow = datetime.combine(datetime.now(config.store.zone).date() + timedelta(days=1), time(11),
                                tzinfo=config.store.zone)  # fmt: skip
    booked = booking.book(
        engine, config=config, category_id="tents", starts_at=tomorrow, name="Kim Berger", contact="kim@example.com",
        locale="de", channel="web", session_id=record.id,
    )  # fmt: skip
    session.engine = engine
    dialog = code_dialog(qtbot, window)
    qtbot.keyClicks(dialog, shown(record.resume_code).lower())  # a keyboard or a scanner types like the keys
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert session.stored_id == record.id and session.view == views.RESULTS
    assert isinstance(session.checked_in, NotYet), "not checked in: the notice says when instead"
    qtbot.waitUntil(window.arrival_box.isVisible)
    weekday = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")[tomorrow.weekday()]
    assert window.arrival.text() == (
        f"Dein Termin ist am {weekday}, {tomorrow:%d.%m.} um 11:00 Uhr. Einchecken kannst du an dem Tag ab einer "
        "Stunde vorher."
    ), "its day, and when check-in opens"
    found = booking.details(engine, appointment_id=booked.appointment_id)
    assert found is not None and found.state == "booked", "tomorrow's appointment is left for tomorrow"

    # The results lead to tomorrow's appointment instead of offering a second booking.
    screen = window.screen_for(views.RESULTS)
    qtbot.waitUntil(lambda: current(window) is screen and screen.ready())  # type: ignore[attr-defined]
    assert screen.book.isVisible() and screen.book.text() == "Dein Termin: Morgen, 11:00 Uhr"  # type: ignore[attr-defined]
    click(qtbot, screen.book)  # type: ignore[attr-defined]
    shown_again = window.findChild(BookingDialog)
    assert isinstance(shown_again, BookingDialog)
    qtbot.waitUntil(shown_again.isVisible)
    assert shown_again.pages.currentIndex() == DONE_PAGE
    assert shown_again.done_when.text() == f"{weekday}, {tomorrow:%d.%m.%Y}, 11:00 Uhr mit Anna"
    assert shown_again.done_code.text().endswith(shown(record.resume_code).replace("-", "\u2011"))
    assert not shown_again.done_mail.isVisible(), "nothing said of an e-mail sent on another day"
    shown_again.reject()


def test_the_notice_speaks_as_the_advice_does() -> None:
    checked_in = CheckedIn("a-1", datetime(2026, 12, 5, 14, 30), "Anna")
    assert checked_in_text(checked_in, "de", "Sie") == (
        "Sie sind für 14:30 Uhr angemeldet – Anna weiß Bescheid und kommt zu Ihnen."
    )
    assert (
        checked_in_text(checked_in, "de", "du")
        == "Du bist für 14:30 Uhr angemeldet – Anna weiß Bescheid und kommt zu dir."
    )
    assert checked_in_text(checked_in, "en", "du") == "You're checked in for 14:30 – Anna knows and will come to you."
    off = CheckedIn("a-1", datetime(2026, 12, 5, 14, 30), "Anna", staff_here=False)  # ill, nobody took it over
    assert checked_in_text(off, "de", "du") == (
        "Du bist für 14:30 Uhr angemeldet – das Team weiß Bescheid, jemand kommt so bald wie möglich zu dir."
    )  # fmt: skip


def test_a_shopper_too_early_is_told_from_when_they_can_check_in(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    """90 minutes early: the advice opens, and the notice says the time and from when to type the code again."""
    config = always_open()
    session.configure(config)
    record, _names = stored_advice(engine, session, held=False)
    now = datetime.now(config.store.zone)
    starts_at = this_quarter_hour(config) + timedelta(minutes=120)
    if starts_at.date() != now.date():  # (the last two hours of the day: the test's time is tomorrow's)
        pytest.skip("too close to midnight for an appointment two hours ahead today")
    booked = booking.book(engine, config=config, category_id="tents", starts_at=starts_at, name="Kim Berger",
                          contact="kim@example.com", locale="de", channel="web", session_id=record.id)  # fmt: skip
    session.engine = engine
    dialog = code_dialog(qtbot, window)
    qtbot.keyClicks(dialog, record.resume_code)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert session.stored_id == record.id and session.view == views.RESULTS, "the advice opens all the same"
    qtbot.waitUntil(window.arrival_box.isVisible)
    opens = starts_at - timedelta(hours=1)
    assert window.arrival.text() == (
        f"Dein Termin ist heute um {starts_at:%H:%M} Uhr. Einchecken kannst du ab {opens:%H:%M} Uhr – gib dann "
        "deinen Code noch einmal ein."
    )
    found = booking.details(engine, appointment_id=booked.appointment_id)
    assert found is not None and found.state == "booked", "not checked in"
    with qtbot.waitSignal(session.locale_changed):
        click(qtbot, window.top_bar.language)
    assert window.arrival.text() == (
        f"Your appointment is today at {starts_at:%H:%M}. You can check in from {opens:%H:%M} – just type your code "
        "again then."
    )


def test_a_shopper_checked_in_at_the_counter_is_told_so_again_at_the_kiosk(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    from advisor.session.arrival import check_in_by_code

    config = always_open()
    session.configure(config)
    record, _names = stored_advice(engine, session, held=False)
    starts_at = next_quarter_hour(config)  # (on time)
    booking.book(engine, config=config, category_id="tents", starts_at=starts_at, name="Kim Berger",
                 contact="kim@example.com", locale="de", channel="web", session_id=record.id,
                 now=starts_at - timedelta(minutes=1))  # fmt: skip
    assert check_in_by_code(engine, config=config, code=record.resume_code, client="console:test").checked_in
    session.engine = engine
    dialog = code_dialog(qtbot, window)
    qtbot.keyClicks(dialog, record.resume_code)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(window.arrival_box.isVisible)
    assert (
        window.arrival.text() == f"Du bist für {starts_at:%H:%M} Uhr angemeldet – Anna weiß Bescheid und kommt zu dir."
    )


def test_why_not_checked_in_speaks_as_the_advice_does() -> None:
    from advisor.session.arrival import NotCheckedIn

    zone = ZoneInfo("Europe/Berlin")
    starts = datetime(2026, 12, 5, 6, 30, tzinfo=zone)
    early = NotYet("a-1", starts, "Anna", why=NotCheckedIn("not_due", "a-1", "Eva", starts, "Anna",
                                                          opens=starts.replace(hour=5)))  # fmt: skip
    assert checked_in_text(early, "de", "du") == (
        "Dein Termin ist heute um 06:30 Uhr. Einchecken kannst du ab 05:30 Uhr – gib dann deinen Code noch einmal ein."
    )
    assert checked_in_text(early, "de", "Sie") == (
        "Ihr Termin ist heute um 06:30 Uhr. Einchecken können Sie ab 05:30 Uhr – geben Sie dann Ihren Code noch "
        "einmal ein."
    )
    sunday = starts.replace(day=6, hour=10, minute=0)
    later = NotYet("a-2", sunday, "Anna", why=NotCheckedIn("later_day", "a-2", "Eva", sunday, "Anna"))
    assert checked_in_text(later, "de", "du") == (
        "Dein Termin ist am Sonntag, 06.12. um 10:00 Uhr. Einchecken kannst du an dem Tag ab einer Stunde vorher."
    )
    assert checked_in_text(later, "en", "Sie") == (
        "Your appointment is on Sunday, 6 Dec at 10:00. You can check in on the day, from an hour before."
    )
    missed = NotYet("a-1", starts, "Anna", why=NotCheckedIn("no_show", "a-1", "Eva", starts, "Anna"))
    assert checked_in_text(missed, "de", "Sie").startswith("Ihren Termin heute um 06:30 Uhr haben Sie verpasst.")
    assert "Termin vereinbaren" in checked_in_text(missed, "de", "du")
    assert checked_in_text(missed, "en", "du").startswith("You missed your appointment today at 06:30.")


def test_a_shopper_who_missed_their_appointment_is_told_so_and_offered_a_new_one(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    config = always_open()
    session.configure(config)
    record, _names = stored_advice(engine, session, held=False)
    earlier = this_quarter_hour(config) - timedelta(minutes=30)
    if earlier.date() != datetime.now(config.store.zone).date():
        pytest.skip("just after midnight: no earlier appointment today to have missed")
    missed = booking.book(engine, config=config, category_id="tents", starts_at=earlier, name="Kim Berger",
                          contact="kim@example.com", locale="de", channel="web", session_id=record.id,
                          now=earlier - timedelta(hours=1))  # fmt: skip
    assert booking.mark_no_show(engine, config=config, appointment_id=missed.appointment_id)
    session.engine = engine
    dialog = code_dialog(qtbot, window)
    qtbot.keyClicks(dialog, record.resume_code)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(window.arrival_box.isVisible)
    assert window.arrival.text().startswith(f"Deinen Termin heute um {earlier:%H:%M} Uhr hast du verpasst.")
    assert session.booked is None, "the missed appointment is not shown as theirs: the results offer a new one"
