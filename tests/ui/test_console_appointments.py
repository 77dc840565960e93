"""The console's appointments as a sales person uses them: a shopper booked with their advice and three tents held;
the console lists the appointment with what to fetch from which shelf and the prepared case; the shopper reads out
their code at the counter and is checked in, their advice opening among "my cases". Booking for a caller and
keeping a consultant's shifts go through the console's dialogs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from advisor.appointments import booking, staff
from advisor.appointments.tables import APPOINTMENT
from advisor.config import Config
from advisor.db import make_engine, upgrade
from advisor.handoff.codes import shown
from advisor.handoff.staff import set_pin
from advisor.recommend.index import CatalogIndex
from advisor.session import store
from advisor.session.service import AdviceSession
from tests.helpers.appointments import add_consultants, add_stock
from tests.helpers.index import sample_index
from tests.ui.conftest import CATEGORIES, PUBLIC_ADDRESS
from tests.ui.test_kiosk import click
from ui.appointments import AppointmentsView, BookingDialog, TeamDialog
from ui.session import KioskSession
from ui.staff import StaffConsole

ZONE = "Europe/Berlin"
SHELF = "Zelte, 1. OG, Regal 4"
FAMILY = {"region": "rough", "trip": "family", "frequency": "regularly", "persons": 4, "extra_space": True,
          "body_height": 185, "extras": ("two_entrances",)}  # fmt: skip


def always_open() -> Config:
    """A store open around the clock (the test books today, whenever it runs), tents for 10 minutes and 5 to tidy up,
    so that even the quarter hour before midnight holds a whole appointment of today's."""
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return Config.model_validate({
        "store": {"timezone": ZONE, "opening_hours": dict.fromkeys(days, "00:00-24:00")},
        "appointments": {"step_minutes": 15, "kinds": {"tents": {"length_minutes": 10, "buffer_minutes": 5}}},
    })  # fmt: skip


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    engine = make_engine(f"sqlite:///{tmp_path / 'appointments.sqlite3'}")
    upgrade(engine)
    add_consultants(engine, ["Anna"], span=(0, 24 * 60))
    set_pin(engine, "Anna", "4711")
    return engine


def signed_in(qtbot: QtBot, engine: Any, session: KioskSession, config: Config) -> StaffConsole:
    catalog = CatalogIndex(1, {category: sample_index(category) for category in CATEGORIES})
    console = StaffConsole(engine, session.questionnaires, catalog, PUBLIC_ADDRESS, zone=config.store.zone,
                           config=config)  # fmt: skip
    qtbot.addWidget(console)
    console.show()
    console.name.setText("Anna")
    console.pin.setText("4711")
    click(qtbot, console.sign_in_button)
    qtbot.waitUntil(lambda: console.view is not None)
    return console


def open_appointments(qtbot: QtBot, console: StaffConsole) -> AppointmentsView:
    click(qtbot, console.appointments_button)
    view = console.appointments
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.view is not None)
    return view


def this_quarter_hour(config: Config) -> datetime:
    """The start of the current quarter hour on the store's clock (today, even a minute after midnight)."""
    now = datetime.now(config.store.zone)
    return now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)


def next_quarter_hour(config: Config) -> datetime:
    """The start of the coming quarter hour today on the store's clock: a shopper checking in now is on time for it
    (not late, as one could be for the current quarter hour's 10 minutes). Skips the test just before midnight."""
    coming = this_quarter_hour(config) + timedelta(minutes=15)
    if coming.date() != datetime.now(config.store.zone).date():
        pytest.skip("just before midnight: no appointment left today to be on time for")
    return coming


def test_a_booked_shopper_is_listed_with_what_to_fetch_and_the_prepared_case_and_checked_in_by_code(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    config = always_open()
    tents = session.questionnaires["tent-finder"]
    advice = AdviceSession.start(tents, index=session.catalog.categories["tents"], locale="de")  # type: ignore[union-attr]
    advice.set_answers(FAMILY)
    shortlist = advice.recommendation().products[:3]
    names = {ranked.sku: ranked.product.name["de"] for ranked in shortlist}
    add_stock(engine, dict.fromkeys(names, 2), names=names, location=(SHELF, "Tents, 1st floor, shelf 4"))
    record = store.create(engine, advice, store_id=config.store.id, consent=True, origin="web")
    starts_at = next_quarter_hour(config)  # (checked in on time below)
    booked = booking.book(
        engine, config=config, category_id="tents", starts_at=starts_at, name="Kim Berger",
        contact="kim@example.com", locale="de", channel="web", session_id=record.id, products=list(names),
        now=starts_at - timedelta(minutes=1),
    )  # fmt: skip
    assert set(booked.held) == set(names)

    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    qtbot.waitUntil(lambda: view.entries.count() == 1 and "Kim Berger" in view.entries.item(0).text())
    line = view.entries.item(0).text()
    assert f"Heute {starts_at:%H:%M}–" in line and "bei Anna" in line and "gebucht" in line
    assert "3 Produkte holen" in line, "the list says at a glance that products wait to be fetched"

    view.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: "Vorbereitete Beratung" in view.details_text() and "Antworten" in view.details_text())
    details = view.details_text()
    for name in names.values():
        assert name in details, f"{name} is named to fetch"
    assert details.count(SHELF) == 3, "each held tent with the shelf to fetch it from"
    assert details.index("Vorher holen") < details.index("Vorbereitete Beratung"), "what to fetch comes first"
    assert "Gebuchter Termin" in details and shown(record.resume_code).replace("-", "\u2011") in details  # (one line)
    assert f"Heute {starts_at:%H:%M}–" in details, "the same day's words as its line in the list"
    assert "Empfehlungen" in details, "the shortlist as the shopper saw it"
    assert not view.no_show_button.isEnabled(), "no no-show before the grace time is over"

    view.code.setText(record.resume_code.lower())
    click(qtbot, view.code_button)
    qtbot.waitUntil(lambda: "eingecheckt" in view.notice.text())
    assert view.notice.text().startswith(f"Kim Berger ist eingecheckt – Termin {starts_at:%H:%M} Uhr."), (
        "the appointment's time, not the moment of check-in")  # fmt: skip
    found = booking.details(engine, appointment_id=booked.appointment_id)
    assert found is not None and found.state == "checked_in"
    qtbot.waitUntil(lambda: "eingecheckt" in view.entries.item(0).text())
    assert not view.check_in_button.isEnabled()
    # the advice goes on live in the console, as after a handoff
    qtbot.waitUntil(lambda: console.view is not None and console.view.case is not None
                    and console.view.case.key == (None, record.id))  # fmt: skip
    assert "Gebuchter Termin" in console.cases.currentItem().text()
    qtbot.waitUntil(lambda: "Zeltberater · Gebuchter Termin" in console.case_text())
    assert "Per Code geöffnet" not in console.case_text(), "the list and the case's heading name it alike"
    case = console.case_text()
    # What is set aside for Kim is said so, with how many more the shelf has (not counted as on the shelf). (The
    # sample catalog's stock: a model with variants keeps its variants' stock lines, its hold is on the model.)
    held = [line for line in case.splitlines() if any(line.startswith(f"{name} · ") for name in names.values())]
    plain = [line for line in held if "Vorrätig in" not in line]
    assert len(held) == 3 and len(plain) >= 2, case
    for line in plain:
        assert " · Für den Kunden zurückgelegt – " in line and " weitere vorrätig (" in line, line
        assert " vorrätig – " not in line, "a held tent is not counted as on the shelf"

    # The code read out again (staff typed it twice, or the shopper checked in at a kiosk before): checked in
    # already, said with since when and the appointment's time, and the advice opens under "my cases" again.
    console._close((None, record.id))  # (put away meanwhile)
    qtbot.waitUntil(lambda: console.view is not None and all(line.key != (None, record.id)
                                                             for line in console.view.cases))  # fmt: skip
    (standing,) = booking.session_standing(engine, config=config, session_id=record.id)
    assert standing.checked_in_at is not None
    since = standing.checked_in_at.astimezone(config.store.zone)
    view.code.setText(record.resume_code)
    click(qtbot, view.code_button)
    qtbot.waitUntil(lambda: "schon eingecheckt" in view.notice.text())
    assert view.notice.text() == (
        f"Kim Berger ist schon eingecheckt (seit {since:%H:%M} Uhr) – Termin {starts_at:%H:%M} Uhr. Die Beratung "
        "steht unter „Meine Fälle“."
    )
    assert not view.code.text(), "taken, as a fresh check-in"
    qtbot.waitUntil(lambda: console.view is not None and console.view.case is not None
                    and console.view.case.key == (None, record.id))  # fmt: skip
    view.close()
    console.close()


def test_notes_and_no_show_after_the_grace_time(qtbot: QtBot, session: KioskSession, engine: Any) -> None:
    config = always_open()
    starts_at = this_quarter_hour(config) - timedelta(minutes=15)
    if starts_at.date() != datetime.now(config.store.zone).date():
        pytest.skip("a quarter of an hour after midnight: no appointment of today's has passed its grace time")
    booked = booking.book(
        engine, config=config, category_id="tents", starts_at=starts_at, name="Lou", contact="0171 555 0101",
        locale="de", channel="console", now=starts_at - timedelta(minutes=1),
    )  # fmt: skip
    config = config.model_copy(update={"appointments": config.appointments.model_copy(
        update={"no_show_grace_minutes": 0})})  # fmt: skip
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    qtbot.waitUntil(lambda: view.entries.count() == 1 and "Lou" in view.entries.item(0).text())
    view.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: "Ohne vorbereitete Beratung" in view.details_text())
    assert "Keine Produkte zurückgelegt" in view.details_text()
    view.notes.setPlainText("Ruft zurück, wenn es später wird")
    click(qtbot, view.notes_button)
    qtbot.waitUntil(lambda: "Gespeichert" in view.notes_state.text())
    qtbot.waitUntil(lambda: view.no_show_button.isEnabled())
    click(qtbot, view.no_show_button)
    prompt = view.no_show_prompt  # (asked first, as a cancellation is)
    assert prompt is not None
    [confirm] = [b for b in prompt.buttons() if b.text() == "Als nicht erschienen vermerken"]
    click(qtbot, confirm)
    qtbot.waitUntil(lambda: "nicht erschienen" in view.entries.item(0).text())
    found = booking.details(engine, appointment_id=booked.appointment_id)
    assert found is not None and found.state == "no_show"
    view.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: view.notes.toPlainText() == "Ruft zurück, wenn es später wird")
    view.close()
    console.close()


def test_a_colleagues_note_saved_meanwhile_is_kept_beside_this_windows(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """Anna has Kim's appointment open; Ben notes something on it at his console (read after Anna's window); Anna
    saves her note: both are stored and on her screen, and she is told so."""
    from advisor.appointments import agenda

    booked, console, view = kims_appointment_chosen(qtbot, session, engine, locale="de")
    qtbot.waitUntil(lambda: view._notes_for == booked.appointment_id)
    agenda.set_notes(engine, appointment_id=booked.appointment_id, notes="Ben: bringt das alte Zelt mit")
    view.notes.setPlainText("Anna: Isomatte zeigen")
    click(qtbot, view.notes_button)
    both = "Ben: bringt das alte Zelt mit\nAnna: Isomatte zeigen"
    qtbot.waitUntil(lambda: "Gespeichert" in view.notes_state.text())
    entry = agenda.entry(engine, appointment_id=booked.appointment_id, zone=view.desk.zone, locale="de")
    assert entry is not None and entry.notes == both
    assert view.notes.toPlainText() == both
    assert view.notice.text() == "Ein Kollege hat die Notizen inzwischen ergänzt – beides ist jetzt drin."
    view.close()
    console.close()


def booking_for_a_caller(
    qtbot: QtBot, engine: Any, session: KioskSession, config: Config
) -> tuple[StaffConsole, AppointmentsView, BookingDialog]:
    """A signed-in console's appointments window with its phone booking open."""
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    click(qtbot, view.phone_button)
    dialog = view.booking_dialog
    assert isinstance(dialog, BookingDialog)
    return console, view, dialog


def test_booking_for_a_caller_asks_for_consent_and_lists_the_appointment(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    config = always_open()
    console, view, dialog = booking_for_a_caller(qtbot, engine, session, config)
    tomorrow = datetime.now(config.store.zone).date() + timedelta(days=1)
    dialog.day.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    qtbot.waitUntil(lambda: dialog.slots.count() > 10)
    assert dialog.slots.item(0).text().startswith("00:00–00:10 · Anna")
    eleven = next(row for row in range(dialog.slots.count()) if dialog.slots.item(row).text().startswith("11:00"))
    dialog.slots.setCurrentRow(eleven)
    dialog.name.setText("Jo Weber")
    dialog.contact.setText("0171 555 0199")
    click(qtbot, dialog.book_button)
    assert "Zustimmung" in dialog.problem.text()
    dialog.consent.setChecked(True)
    with qtbot.waitSignal(dialog.booked) as signal:
        click(qtbot, dialog.book_button)
    assert "Gebucht: Jo Weber" in signal.args[0] and "11:00" in signal.args[0]
    qtbot.waitUntil(lambda: any("Jo Weber" in view.entries.item(row).text() for row in range(view.entries.count())))
    found = booking.details(engine, appointment_id=signal.args[1])
    assert found is not None and found.starts_at == datetime.combine(tomorrow, time(11), tzinfo=config.store.zone)
    assert queued_mails(engine) == [], "a phone number gets no e-mail"
    view.close()
    console.close()


def test_a_caller_is_offered_a_reminder_only_for_a_time_one_can_still_go_out_for(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    config = always_open()
    console, view, dialog = booking_for_a_caller(qtbot, engine, session, config)
    qtbot.waitUntil(lambda: dialog.slots.count() > 0)
    assert dialog.remind.isHidden(), "today: no reminder the day before can go out"
    later = datetime.now(config.store.zone).date() + timedelta(days=2)
    dialog.day.setDate(QDate(later.year, later.month, later.day))
    qtbot.waitUntil(lambda: dialog.slots.count() > 10)
    assert not dialog.remind.isHidden() and dialog.remind.isChecked(), "two days ahead: offered, ticked"
    dialog.slots.setCurrentRow(3)
    assert not dialog.remind.isHidden()

    if datetime.now(config.store.zone).time() > time(23, 30):
        pytest.skip("no time left today to book")
    today = datetime.now(config.store.zone).date()
    dialog.day.setDate(QDate(today.year, today.month, today.day))
    qtbot.waitUntil(lambda: dialog.slots.count() > 0 and dialog.slots.item(0).flags() != Qt.ItemFlag.NoItemFlags)
    dialog.slots.setCurrentRow(dialog.slots.count() - 1)
    assert dialog.remind.isHidden(), "a time today: not offered though still ticked from before"
    dialog.name.setText("Jo Weber")
    dialog.contact.setText("jo@example.org")
    dialog.consent.setChecked(True)
    with qtbot.waitSignal(dialog.booked) as signal:
        click(qtbot, dialog.book_button)
    import sqlalchemy as sa

    with engine.connect() as connection:
        row = connection.execute(sa.select(booking.APPOINTMENT).where(booking.APPOINTMENT.c.id == signal.args[1])).one()
    assert (row.remind, row.reminder_due_at) == (False, None), "booked without the wish no mail would answer"
    view.close()
    console.close()


def with_mail(config: Config) -> Config:
    """The store's configuration with e-mail set up ([smtp]): confirmations are queued in the mail outbox."""
    from advisor.config import SmtpConfig

    return config.model_copy(update={"smtp": SmtpConfig(host="smtp.example.org", sender="advice@example.org")})


def queued_mails(engine: Any) -> list[Any]:
    import sqlalchemy as sa

    from advisor.session.confirmation import OUTBOX

    with engine.connect() as connection:
        return list(connection.execute(sa.select(OUTBOX)).all())


def test_a_caller_booked_with_an_e_mail_address_gets_the_confirmation_with_the_calendar_entry(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    import email
    from email.policy import default

    config = with_mail(always_open())
    console, view, dialog = booking_for_a_caller(qtbot, engine, session, config)
    tomorrow = datetime.now(config.store.zone).date() + timedelta(days=1)
    dialog.day.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    qtbot.waitUntil(lambda: dialog.slots.count() > 10)
    dialog.slots.setCurrentRow(4)
    dialog.name.setText("Jo Weber")
    dialog.contact.setText("jo@example.com")
    dialog.consent.setChecked(True)
    with qtbot.waitSignal(dialog.booked) as signal:
        click(qtbot, dialog.book_button)
    assert "Bestätigung" in signal.args[0] and "E-Mail" in signal.args[0], "staff read that the caller gets a mail"
    [mail] = queued_mails(engine)
    assert mail.address == "jo@example.com" and mail.session_id is None
    message = email.message_from_bytes(mail.message, policy=default)
    assert message["To"] == "jo@example.com"
    calendar = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(calendar) == 1, "with the .ics"
    view.close()
    console.close()


def test_a_consultants_skills_shifts_and_leave_are_kept_in_the_console(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    config = always_open()
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    click(qtbot, view.team_button)
    dialog = view.team_dialog
    assert isinstance(dialog, TeamDialog)
    qtbot.waitUntil(lambda: dialog.person.currentData() == "Anna" and dialog.shifts[0].text() == "00:00-24:00")
    items = (dialog.skills.item(row) for row in range(dialog.skills.count()))
    skills = {item.data(Qt.ItemDataRole.UserRole): item for item in items}
    assert skills["tents"].checkState() == Qt.CheckState.Checked
    assert skills["backpacks"].checkState() == Qt.CheckState.Unchecked
    skills["backpacks"].setCheckState(Qt.CheckState.Checked)
    dialog.shifts[0].setText("9-18")
    dialog.shifts[6].setText("")
    dialog.shifts[5].setText("18-9")
    click(qtbot, dialog.save_button)
    assert dialog.problem.text().startswith("„18-9“ ist keine Zeitspanne"), "named in the console's words, not saved"
    dialog.shifts[5].setText("10:00-14:00")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.problem.text() == "Gespeichert.")
    leave = date.today() + timedelta(days=3)
    leave += timedelta(days=1 if leave.weekday() == 6 else 0)  # Anna works no Sundays now
    zone = config.store.zone
    booked = booking.book(
        engine, config=config, category_id="tents", starts_at=datetime.combine(leave, time(12, 0), tzinfo=zone),
        name="Kim Berger", contact="0171 555 0199", locale="de", channel="console", staff_name="Anna",
    )  # fmt: skip
    dialog.exception_day.setDate(QDate(leave.year, leave.month, leave.day))
    dialog.exception_span.setText("")
    click(qtbot, dialog.add_exception_button)
    qtbot.waitUntil(lambda: dialog.exceptions.count() == 1 and "frei" in dialog.exceptions.item(0).text())
    qtbot.waitUntil(lambda: "Kim Berger: niemand frei" in dialog.problem.text())
    assert "12:00" in dialog.problem.text(), "the booking her day off strands is named, with its time"
    assert booking.details(engine, appointment_id=booked.appointment_id).state == "booked"  # type: ignore[union-attr]
    schedule = staff.schedule_of(engine, staff_name="Anna", since=date.today())
    assert schedule.skills == ("backpacks", "tents")
    assert schedule.shifts[0] == (540, 1080) and schedule.shifts[5] == (600, 840) and 6 not in schedule.shifts
    assert dict(schedule.exceptions) == {leave: None}
    dialog.exceptions.setCurrentRow(0)
    click(qtbot, dialog.remove_exception_button)
    qtbot.waitUntil(lambda: dialog.exceptions.count() == 0)
    view.close()
    console.close()


def test_a_callers_taken_time_offers_the_next_free_ones_naming_their_other_day(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """The day's last time is taken meanwhile: the next free times are on the following day, and say so (the day
    field still shows the chosen day); the one chosen is booked on its own day."""
    from advisor.i18n import day_text

    config = always_open()
    console, view, dialog = booking_for_a_caller(qtbot, engine, session, config)
    tomorrow = datetime.now(config.store.zone).date() + timedelta(days=1)
    after = tomorrow + timedelta(days=1)
    dialog.day.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    qtbot.waitUntil(lambda: dialog.slots.count() > 10)
    last = dialog.slots.count() - 1
    assert dialog.slots.item(last).text().startswith("23:45–23:55 · Anna"), "the chosen day's times: no day named"
    dialog.slots.setCurrentRow(last)
    dialog.name.setText("Jo Weber")
    dialog.contact.setText("0171 555 0199")
    dialog.consent.setChecked(True)
    taken = datetime.combine(tomorrow, time(23, 45), tzinfo=config.store.zone)
    booking.book(engine, config=config, category_id="tents", name="Phone", contact="p@example.com", locale="de",
                 starts_at=taken, channel="web")  # fmt: skip
    click(qtbot, dialog.book_button)
    qtbot.waitUntil(lambda: "jemand anderes" in dialog.problem.text())
    offered = [dialog.slots.item(row).text() for row in range(dialog.slots.count())]
    assert offered and offered[0].startswith(f"{day_text(after, 'de', weekday='short')} 00:00–00:10"), offered
    dialog.slots.setCurrentRow(0)
    with qtbot.waitSignal(dialog.booked) as signal:
        click(qtbot, dialog.book_button)
    assert day_text(after, "de", weekday="short") in signal.args[0]
    found = booking.details(engine, appointment_id=signal.args[1])
    assert found is not None and found.starts_at == datetime.combine(after, time(0), tzinfo=config.store.zone)
    view.close()
    console.close()


def test_a_later_days_appointment_is_not_checked_in_by_a_tap_on_its_line(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """As with a typed code: check-in on the appointment's day from an hour before; tomorrow's is refused, saying
    when it is, and stays booked (its reminder and the shopper's links with it)."""
    config = always_open()
    tomorrow = datetime.now(config.store.zone).date() + timedelta(days=1)
    starts_at = datetime.combine(tomorrow, time(12), tzinfo=config.store.zone)
    booked = booking.book(engine, config=config, category_id="tents", starts_at=starts_at, name="Kim",
                          contact="kim@example.com", locale="de", channel="web", remind=True)  # fmt: skip
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    qtbot.waitUntil(lambda: view.entries.count() == 1 and "Kim" in view.entries.item(0).text())
    view.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: "Kim" in view.details_text())
    assert not view.check_in_button.isEnabled(), "not due yet: no one-tap check-in"
    assert "12:00" in view.check_in_button.toolTip() and "Noch nicht einchecken" in view.check_in_button.toolTip()
    assert view.cancel_button.isEnabled()
    view.check_in_selected()  # (a view read before midnight, say: the check-in itself refuses too)
    qtbot.waitUntil(lambda: "Noch nicht einchecken" in view.notice.text())
    assert "Kim" in view.notice.text() and "12:00" in view.notice.text()
    found = booking.details(engine, appointment_id=booked.appointment_id)
    assert found is not None and found.state == "booked"
    view.close()
    console.close()


def kims_appointment_chosen(
    qtbot: QtBot, session: KioskSession, engine: Any, *, locale: str
) -> tuple[booking.Booking, StaffConsole, AppointmentsView]:
    """Kim's appointment tomorrow at 12:00 (booked on the phone in `locale`, with an e-mail address, e-mail set up),
    chosen in the console's list."""
    config = with_mail(always_open())
    tomorrow = datetime.now(config.store.zone).date() + timedelta(days=1)
    starts_at = datetime.combine(tomorrow, time(12), tzinfo=config.store.zone)
    booked = booking.book(engine, config=config, category_id="tents", starts_at=starts_at, name="Kim",
                          contact="kim@example.com", locale=locale, channel="web")  # fmt: skip
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    qtbot.waitUntil(lambda: view.entries.count() == 1 and "Kim" in view.entries.item(0).text())
    view.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: view.cancel_button.isEnabled() and view.move_button.isEnabled())
    return booked, console, view


def test_a_cancellation_by_staff_mails_the_shopper_in_the_language_they_booked_in(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """Staff are asked first, with the customer and the time named, and Enter or Escape keeps the appointment (a slip
    is not undone); confirmed, the shopper's calendar drops the entry, as when they cancel themselves, and staff read
    that they are told."""
    import email
    from email.policy import default

    booked, console, view = kims_appointment_chosen(qtbot, session, engine, locale="en")
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):
        click(qtbot, view.cancel_button)
        prompt = view.cancel_prompt
        assert prompt is not None and prompt.isVisible() and prompt.windowTitle() == "Termin absagen?"
        assert prompt.text().startswith("Kim – ") and "12:00" in prompt.text()
        qtbot.keyClick(prompt, key)
        qtbot.waitUntil(lambda prompt=prompt: not prompt.isVisible())
    found = booking.details(engine, appointment_id=booked.appointment_id)
    assert found is not None and found.state == "booked" and queued_mails(engine) == [], "kept"
    click(qtbot, view.cancel_button)
    prompt = view.cancel_prompt
    assert prompt is not None
    [confirm] = [b for b in prompt.buttons() if b.text() == "Termin absagen"]
    click(qtbot, confirm)
    qtbot.waitUntil(lambda: view.notice.text().startswith("Termin abgesagt"))
    assert view.notice.text().endswith("Der Kunde bekommt die Absage per E-Mail.")
    [mail] = queued_mails(engine)
    message = email.message_from_bytes(mail.message, policy=default)
    assert message["To"] == "kim@example.com" and str(message["Subject"]).startswith("Appointment cancelled")
    calendar = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(calendar) == 1 and b"METHOD:CANCEL" in calendar[0].get_payload(decode=True)
    found = booking.details(engine, appointment_id=booked.appointment_id)
    assert found is not None and found.state == "cancelled"
    view.close()
    console.close()


def test_without_e_mail_set_up_the_cancel_question_promises_no_mail_and_names_the_products_set_aside(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """With no [smtp], the question says no e-mail goes out (staff tell the customer themselves), though the customer
    left an e-mail address; the tents set aside go back on the shelf, and the notice says so."""
    config = always_open()
    advice = AdviceSession.start(session.questionnaires["tent-finder"], index=session.catalog.categories["tents"],  # type: ignore[union-attr]
                                 locale="de")  # fmt: skip
    advice.set_answers(FAMILY)
    names = {ranked.sku: ranked.product.name["de"] for ranked in advice.recommendation().products[:2]}
    add_stock(engine, dict.fromkeys(names, 2), names=names, location=(SHELF, "Tents, 1st floor, shelf 4"))
    record = store.create(engine, advice, store_id=config.store.id, consent=True, origin="web")
    tomorrow = datetime.now(config.store.zone).date() + timedelta(days=1)
    booked = booking.book(engine, config=config, category_id="tents", locale="de", channel="web", name="Kim",
                          starts_at=datetime.combine(tomorrow, time(12), tzinfo=config.store.zone),
                          contact="kim@example.com", session_id=record.id, products=list(names))  # fmt: skip
    assert set(booked.held) == set(names)
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    qtbot.waitUntil(lambda: view.entries.count() == 1)
    view.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: view.cancel_button.isEnabled())
    click(qtbot, view.cancel_button)
    prompt = view.cancel_prompt
    assert prompt is not None
    assert prompt.text().endswith("Der Termin wird abgesagt. Die zurückgelegten Produkte kommen zurück ins Regal. Es "
                                  "geht keine E-Mail raus – bitte sagen Sie dem Kunden selbst Bescheid.")  # fmt: skip
    [confirm] = [b for b in prompt.buttons() if b.text() == "Termin absagen"]
    click(qtbot, confirm)
    qtbot.waitUntil(lambda: view.notice.text().startswith("Termin abgesagt"))
    assert view.notice.text() == "Termin abgesagt, die Produkte sind wieder frei."
    assert queued_mails(engine) == []
    view.close()
    console.close()


def test_with_e_mail_set_up_and_nothing_set_aside_the_cancellation_names_the_mail_and_no_products(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """The question says where the cancellation goes; with no products set aside, neither it nor the notice speaks of
    products."""
    booked, console, view = kims_appointment_chosen(qtbot, session, engine, locale="de")
    click(qtbot, view.cancel_button)
    prompt = view.cancel_prompt
    assert prompt is not None
    assert prompt.text().endswith("Der Termin wird abgesagt. Die Absage geht per E-Mail an kim@example.com.")
    [confirm] = [b for b in prompt.buttons() if b.text() == "Termin absagen"]
    click(qtbot, confirm)
    qtbot.waitUntil(lambda: view.notice.text().startswith("Termin abgesagt"))
    assert view.notice.text() == "Termin abgesagt. Der Kunde bekommt die Absage per E-Mail."
    assert len(queued_mails(engine)) == 1
    view.close()
    console.close()


def test_an_appointment_the_customer_cancelled_meanwhile_is_said_so_when_staff_cancel_it(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """Kim cancels with her link while her line is chosen in the console: staff confirming the cancellation read that
    nothing was cancelled because it is cancelled already, and no second mail goes out."""
    booked, console, view = kims_appointment_chosen(qtbot, session, engine, locale="de")
    assert booking.cancel(engine, appointment_id=booked.appointment_id)  # (her link, before the list is read again)
    click(qtbot, view.cancel_button)
    prompt = view.cancel_prompt
    assert prompt is not None
    [confirm] = [b for b in prompt.buttons() if b.text() == "Termin absagen"]
    click(qtbot, confirm)
    qtbot.waitUntil(lambda: view.notice.text() == "Nichts abgesagt: Der Termin steht inzwischen auf „abgesagt“.")
    assert queued_mails(engine) == []
    view.close()
    console.close()


def test_a_caller_s_appointment_is_moved_in_the_console_and_the_customer_mailed_the_new_time(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """The customer calls to come later: staff choose a free time in the same dialog as a caller's booking (the area
    fixed, the appointment's day chosen, its own time free to it); the products set aside follow, the customer gets
    the new time with the old one named, and the links of the first mail stop working."""
    import email
    from email.policy import default

    booked, console, view = kims_appointment_chosen(qtbot, session, engine, locale="de")
    tomorrow = booked.starts_at.date()
    click(qtbot, view.move_button)
    dialog = view.booking_dialog
    assert isinstance(dialog, BookingDialog) and dialog.moving is not None
    assert not dialog.category.isEnabled() and dialog.day.date().toPython() == tomorrow
    assert not dialog.name.isVisible() and dialog.book_button.text() == "Verschieben"
    qtbot.waitUntil(lambda: dialog.slots.count() > 10)
    times = [dialog.slots.item(row).text()[:5] for row in range(dialog.slots.count())]
    assert "12:00" in times, "its own time is free to it"
    current = dialog.slots.item(times.index("12:00"))
    assert current.text().endswith("· bisher")
    dialog.slots.setCurrentItem(current)
    click(qtbot, dialog.book_button)
    assert dialog.problem.text() == "Das ist die bisherige Zeit – bitte eine andere wählen."
    row = times.index("15:00")
    dialog.slots.setCurrentRow(row)
    dialog.slots.setFocus()
    with qtbot.waitSignal(dialog.booked) as signal:
        qtbot.keyClick(dialog.slots, Qt.Key.Key_Return)  # Enter on the chosen time moves it (it does not close)
    assert signal.args[0].startswith("Verschoben: Kim, jetzt") and "15:00" in signal.args[0]
    assert signal.args[0].endswith("Der Kunde bekommt die neue Zeit per E-Mail.")
    qtbot.waitUntil(lambda: "15:00" in view.entries.item(0).text())
    found = booking.details(engine, appointment_id=booked.appointment_id)
    assert found is not None and found.state == "booked"
    assert found.starts_at == datetime.combine(tomorrow, time(15), tzinfo=booked.starts_at.tzinfo)
    [mail] = queued_mails(engine)
    message = email.message_from_bytes(mail.message, policy=default)
    assert str(message["Subject"]).startswith("Termin verschoben")
    with pytest.raises(booking.BookingError):
        booking.cancel_by_link(engine, token=booked.links["cancel"], locale="de")
    view.activateWindow()
    qtbot.keyClick(view.entries, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not view.isVisible())  # Escape closes the appointments window
    console.close()


def test_a_code_read_out_a_day_early_or_after_a_no_show_is_told_from_the_database(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """Why a code checked nobody in comes from the core's answer, not the list: tomorrow's appointment is named with
    its day (whatever the list shows), and today's missed one as a no-show."""
    from advisor.handoff.sessions import create_session

    config = always_open()
    tomorrow = datetime.now(config.store.zone).date() + timedelta(days=1)
    starts_at = datetime.combine(tomorrow, time(12), tzinfo=config.store.zone)
    stored = create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de")
    booking.book(engine, config=config, category_id="tents", starts_at=starts_at, name="Kim Berger",
                 contact="kim@example.com", locale="de", channel="web", session_id=stored.id)  # fmt: skip
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    view.range.setCurrentIndex(0)  # today only: tomorrow's line is not even listed
    view.code.setText(stored.resume_code)
    click(qtbot, view.code_button)
    qtbot.waitUntil(lambda: "Noch nicht einchecken" in view.notice.text())
    weekday = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")[tomorrow.weekday()]
    assert view.notice.text().startswith(f"Noch nicht einchecken: Kim Berger hat den Termin erst am {weekday} "
                                         f"{tomorrow:%d.%m.} um 12:00")  # fmt: skip

    missed = create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de")
    earlier = this_quarter_hour(config) - timedelta(minutes=30)
    if earlier.date() != starts_at.date() - timedelta(days=1):
        view.close()
        console.close()
        return  # (just after midnight: no earlier appointment today to have missed)
    gone = booking.book(engine, config=config, category_id="tents", starts_at=earlier, name="Eva Test",
                        contact="eva@example.com", locale="de", channel="web", session_id=missed.id,
                        now=earlier - timedelta(hours=1))  # fmt: skip
    assert booking.mark_no_show(engine, config=config, appointment_id=gone.appointment_id)
    view.code.setText(missed.resume_code)
    click(qtbot, view.code_button)
    qtbot.waitUntil(lambda: "nicht erschienen" in view.notice.text())
    assert view.notice.text().startswith(f"Der Termin von Eva Test heute um {earlier:%H:%M} ist als")
    view.close()
    console.close()


def test_a_check_in_of_the_wrong_line_is_taken_back_and_the_appointment_is_booked_again(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """Staff tap Kim Keller's line instead of Lou's and check her in: "Check-in zurücknehmen" takes it back without
    a question, the notice says so, and her line shows her booked again (in the database too); tapped again, at a
    second console say, it is said to be taken back already."""
    config = always_open()
    kims_start = next_quarter_hour(config)
    lous_start = kims_start + timedelta(minutes=15)
    if lous_start.date() != kims_start.date():
        pytest.skip("just before midnight: no second appointment left today")
    tents = session.questionnaires["tent-finder"]
    advice = AdviceSession.start(tents, index=session.catalog.categories["tents"], locale="de")  # type: ignore[union-attr]
    record = store.create(engine, advice, store_id=config.store.id, consent=True, origin="web")
    kims = booking.book(engine, config=config, category_id="tents", starts_at=kims_start, name="Kim Keller",
                        contact="kim@example.com", locale="de", channel="web", session_id=record.id,
                        now=kims_start - timedelta(minutes=1))  # fmt: skip
    booking.book(engine, config=config, category_id="tents", starts_at=lous_start, name="Lou Berger",
                 contact="lou@example.com", locale="de", channel="web",
                 now=kims_start - timedelta(minutes=1))  # fmt: skip
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    qtbot.waitUntil(lambda: view.entries.count() == 2 and "Kim Keller" in view.entries.item(0).text())
    view.entries.setCurrentRow(0)  # the wrong line
    qtbot.waitUntil(lambda: view.check_in_button.isEnabled())
    assert not view.undo_check_in_button.isEnabled(), "nothing to take back while booked"
    click(qtbot, view.check_in_button)
    qtbot.waitUntil(lambda: "eingecheckt" in view.entries.item(0).text())
    qtbot.waitUntil(lambda: view.undo_check_in_button.isEnabled())
    assert view.undo_check_in_button.text() == "Check-in zurücknehmen"
    qtbot.waitUntil(lambda: any(line.key == (None, record.id) for line in console.view.cases))  # type: ignore[union-attr]

    click(qtbot, view.undo_check_in_button)
    qtbot.waitUntil(lambda: "zurückgenommen" in view.notice.text())
    assert view.notice.text().startswith("Check-in von Kim Keller zurückgenommen")
    assert view.cancel_prompt is None, "no question first: it is undone by checking in again"
    qtbot.waitUntil(lambda: "gebucht" in view.entries.item(0).text())
    assert "Kim Keller" in view.entries.item(0).text()
    found = booking.details(engine, appointment_id=kims.appointment_id)
    assert found is not None and found.state == "booked"
    standing = agenda_entry(engine, kims.appointment_id, config)
    assert standing.checked_in_at is None
    qtbot.waitUntil(lambda: view.check_in_button.isEnabled() and not view.undo_check_in_button.isEnabled())
    qtbot.waitUntil(lambda: console.view is not None and all(line.key != (None, record.id)
                                                             for line in console.view.cases))  # fmt: skip

    # Another console took it back first while this one still showed it checked in: told so, nothing breaks.
    assert booking.check_in(engine, appointment_id=kims.appointment_id)
    view.refresh()
    qtbot.waitUntil(lambda: view.undo_check_in_button.isEnabled())
    assert booking.undo_check_in(engine, config=config, appointment_id=kims.appointment_id) == "undone"
    click(qtbot, view.undo_check_in_button)
    qtbot.waitUntil(lambda: "nicht (mehr) eingecheckt" in view.notice.text())
    assert view.notice.text().startswith("Kim Keller ist nicht (mehr) eingecheckt")
    qtbot.waitUntil(lambda: "gebucht" in view.entries.item(0).text())
    view.close()
    console.close()


def agenda_entry(engine: Any, appointment_id: str, config: Config) -> Any:
    from advisor.appointments.agenda import entry

    found = entry(engine, appointment_id=appointment_id, zone=config.store.zone, locale="de")
    assert found is not None
    return found


def test_notes_longer_than_the_limit_cannot_be_typed_and_are_saved_on_closing(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """Pasting 4,500 characters of notes keeps the first 4,000 (what is stored), says the limit, and closing the window
    stores them: nothing is refused with "try again" and lost."""
    config = always_open()
    starts_at = next_quarter_hour(config)
    booked = booking.book(
        engine, config=config, category_id="tents", starts_at=starts_at, name="Eva", contact="eva@example.com",
        locale="de", channel="web", now=starts_at - timedelta(minutes=1),
    )  # fmt: skip
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    qtbot.waitUntil(lambda: view.entries.count() == 1)
    view.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: view.notes.isEnabled())
    pasted = "Kundin bringt altes Zelt mit. " * 150  # 4,500 characters

    view.notes.insertPlainText(pasted)

    assert view.notes.toPlainText() == pasted[:4000]
    assert "höchstens 4000 Zeichen" in view.notice.text()
    view.notes.insertPlainText("Noch mehr")
    assert view.notes.toPlainText() == pasted[:4000], "a full note takes nothing more"
    view.close()

    def stored() -> str:
        with engine.connect() as connection:
            query = sa.select(APPOINTMENT.c.notes).where(APPOINTMENT.c.id == booked.appointment_id)
            return str(connection.execute(query).scalar_one())

    qtbot.waitUntil(lambda: stored() == pasted[:4000])
    assert "Das ging nicht" not in view.notice.text()
    console.close()
