"""A shopper at the results of the tent finder books an appointment at the kiosk: here and now (a day, a free time,
the top tents set aside, name and contact with consent; nothing is stored without it), told when, with whom and
their code, read aloud; the confirmation e-mail with the `.ics` is queued for an e-mail address, none for a phone
number; a time someone else took first offers the next free ones. Or on their phone: a one-time QR code that
opens their advice at the booking page."""

from __future__ import annotations

import email
import re
from datetime import datetime, time, timedelta
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from advisor.appointments import booking, staff
from advisor.appointments.slots import Slot
from advisor.appointments.tables import APPOINTMENT
from advisor.config import Config
from advisor.db import make_engine, upgrade
from advisor.handoff.codes import shown
from advisor.handoff.tokens import redeem_token
from advisor.i18n import day_text
from advisor.session.service import AdviceSession
from tests.helpers.appointments import add_consultants, add_stock
from tests.ui.conftest import PUBLIC_ADDRESS
from tests.ui.test_console_appointments import FAMILY, SHELF, always_open, queued_mails, with_mail
from tests.ui.test_kiosk import click, current
from ui import session as views
from ui import spoken
from ui.booking import DONE_PAGE, PHONE_PAGE, WHEN_PAGE, WHO_PAGE, BookingDialog
from ui.session import Booked, KioskSession
from ui.speech import RecordingVoice
from ui.talk import summary_html
from ui.window import KioskWindow


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    engine = make_engine(f"sqlite:///{tmp_path / 'kiosk-booking.sqlite3'}")
    upgrade(engine)
    add_consultants(engine, ["Anna"], span=(0, 24 * 60))
    return engine


def kiosk_config(*, mail: bool) -> Config:
    """The store open around the clock with tent appointments, its web companion public (QR codes work)."""
    config = always_open()
    config = config.model_copy(update={"web": config.web.model_copy(update={"public_base_url": PUBLIC_ADDRESS})})
    return with_mail(config) if mail else config


def top_tents(session: KioskSession) -> dict[str, str]:
    """The family's three top tents, SKU -> German name (two of each on the shelf)."""
    advice = AdviceSession.start(session.questionnaires["tent-finder"], index=session.catalog.categories["tents"],  # type: ignore[union-attr]
                                 locale="de")  # fmt: skip
    advice.set_answers(FAMILY)
    result = advice.recommendation()
    assert result is not None
    return {ranked.sku: ranked.product.name["de"] for ranked in result.products[:3]}


def booking_dialog(qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any, config: Config,
                   locale: str = "de") -> BookingDialog:  # fmt: skip
    """The family's tent advice at its results, on a kiosk with the store's configuration and database; the shopper
    taps "Termin vereinbaren"."""
    session.configure(config)
    session.set_locale(locale)
    session.engine = engine
    session.start("tent-finder")
    session.set_answers(FAMILY)
    screen = window.screen_for(views.RESULTS)
    qtbot.waitUntil(lambda: session.view == views.RESULTS and current(window) is screen and screen.ready())
    assert screen.book.text() == {"de": "Termin vereinbaren", "en": "Book an appointment"}[locale]  # type: ignore[attr-defined]
    click(qtbot, screen.book)  # type: ignore[attr-defined]
    dialog = window.findChild(BookingDialog)
    assert isinstance(dialog, BookingDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def choose_a_time(qtbot: QtBot, dialog: BookingDialog, position: int = 4) -> Slot:
    """Here and now: tomorrow (today may be over), a free time, then on to name and contact."""
    click(qtbot, dialog.here)
    assert dialog.pages.currentIndex() == WHEN_PAGE
    click(qtbot, dialog.day_buttons[1])
    assert dialog.day_buttons[1].text() == "Morgen"
    qtbot.waitUntil(lambda: len(dialog.slot_buttons) > 10)
    time_button, slot = list(dialog.slot_buttons.items())[position]
    click(qtbot, time_button)
    click(qtbot, dialog.next_button)
    assert dialog.pages.currentIndex() == WHO_PAGE
    return slot


def appointments(engine: Any) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(sa.select(APPOINTMENT)).all())


def test_a_shopper_books_here_with_consent_is_told_when_and_gets_the_confirmation_mail(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    names = top_tents(session)
    add_stock(engine, dict.fromkeys(names, 2), names=names, location=(SHELF, "Tents, 1st floor, shelf 4"))
    session.set_accessible(True)  # the confirmation is read aloud
    dialog = booking_dialog(qtbot, window, session, engine, kiosk_config(mail=True))
    assert dialog.phone.isVisible() and dialog.here.isVisible(), "on the phone first, here and now second"
    slot = choose_a_time(qtbot, dialog)
    cards = dialog.product_cards
    assert list(cards) == list(names) and all(card.isChecked() for card in cards.values()), "the top tents, ticked"
    assert dialog.chosen_label.text() == f"Gewählt: {dialog._when(slot)}"
    dialog.name.setText("Kim Berger")
    dialog.contact.setText("kim@example.com")

    click(qtbot, dialog.book_button)  # without consent
    assert dialog.who_problem.text() == "Bitte stimme der Speicherung zu, damit wir den Termin eintragen können."
    assert session.stored_id is None and appointments(engine) == [], "nothing is stored"

    click(qtbot, dialog.consent)
    click(qtbot, dialog.book_button)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == DONE_PAGE, timeout=10_000)
    [row] = appointments(engine)
    assert row.channel == "kiosk" and row.session_id == session.stored_id and row.name == "Kim Berger"
    found = booking.details(engine, appointment_id=row.id)
    assert found is not None and set(found.held) == set(names), "the three tents are set aside"
    assert found.starts_at == slot.starts_at
    assert session.resume_code is not None
    code = shown(session.resume_code).replace("-", "\u2011")
    weekday = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")[
        slot.starts_at.weekday()
    ]
    assert dialog.done_title.text() == "Termin gebucht"
    assert dialog.done_when.text() == f"{weekday}, {slot.starts_at:%d.%m.%Y}, {slot.starts_at:%H:%M} Uhr mit Anna"
    assert dialog.done_code.text() == f"Dein Code zum Einchecken und Weitermachen: {code}"
    assert dialog.done_held.text() == f"Zurückgelegt: {', '.join(names.values())}"
    assert dialog.done_mail.text().startswith("Die Bestätigung mit dem Kalendereintrag kommt")
    assert dialog.name.text() == "" and dialog.contact.text() == "", "the contact leaves the public screen"
    assert dialog.done_qr.isVisible() and dialog.done_qr_hint.isVisible(), "the appointment to take along"
    link = dialog.phone_link
    assert link.startswith(f"{PUBLIC_ADDRESS}/c/") and link.endswith("?to=booked")
    token = link.removeprefix(f"{PUBLIC_ADDRESS}/c/").removesuffix("?to=booked")
    assert redeem_token(engine, token).id == session.stored_id, "it opens this advice (the web shows its appointment)"

    [mail] = queued_mails(engine)
    assert mail.address == "kim@example.com" and mail.session_id == session.stored_id
    message = email.message_from_bytes(mail.message, policy=default)
    assert [part.get_content_type() for part in message.walk()].count("text/calendar") == 1, "with the .ics"
    assert shown(session.resume_code) in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    voice = window.speech.voice
    assert isinstance(voice, RecordingVoice)
    said = voice.said()
    when = spoken.speakable(dialog.done_when.text(), "de")  # (the date said as a date: "6. Dezember 2026")
    assert when in said and "Die Bestätigung" in said, "the confirmation is read aloud"
    assert re.search(r"\b\d{1,2}\. [A-Z][a-zä]+ \d{4}\b", when), f"a date, not a decimal: {when}"
    assert "in deinen Kalender eintragen, verschieben oder absagen" in said, "and what the code is for"

    # Closed, the results lead back to the appointment instead of a second booking, with a fresh code for the phone.
    done_when = dialog.done_when.text()
    dialog.accept()
    qtbot.waitUntil(lambda: window.findChild(BookingDialog) is None or not dialog.isVisible())
    screen = window.screen_for(views.RESULTS)
    assert screen.book.text() == f"Dein Termin: Morgen, {slot.starts_at:%H:%M} Uhr"  # type: ignore[attr-defined]
    click(qtbot, screen.book)  # type: ignore[attr-defined]
    again = next(found for found in window.findChildren(BookingDialog) if found is not dialog and found.isVisible())
    assert again.pages.currentIndex() == DONE_PAGE and again.done_when.text() == done_when
    assert again.done_held.text() == f"Zurückgelegt: {', '.join(names.values())}", "by name, shown again"
    qtbot.waitUntil(lambda: again.done_qr.isVisible())
    assert again.phone_link.endswith("?to=booked") and again.phone_link != link, "a fresh one-time code"
    assert len(appointments(engine)) == 1, "nothing booked twice"
    assert ", ".join(session.resume_code) in said, "the code character by character"
    # The summary to take along names the appointment the tents are held for, as the phone's and the e-mail do.
    printed = summary_html(session, session.resume_code)
    assert f"{done_when} – die Produkte sind dafür zurückgelegt." in printed


def test_a_phone_number_gets_no_mail_and_a_time_taken_meanwhile_offers_the_next_ones(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    config = kiosk_config(mail=True)
    dialog = booking_dialog(qtbot, window, session, engine, config, "en")
    click(qtbot, dialog.here)
    click(qtbot, dialog.day_buttons[1])
    assert dialog.day_buttons[1].text() == "Tomorrow"
    qtbot.waitUntil(lambda: len(dialog.slot_buttons) > 10)
    time_button, slot = list(dialog.slot_buttons.items())[2]
    click(qtbot, time_button)
    click(qtbot, dialog.next_button)
    dialog.name.setText("Jo Weber")
    dialog.contact.setText("0171 555 0199")
    click(qtbot, dialog.consent)
    # Someone on the web is faster (Anna is the only consultant).
    booking.book(engine, config=config, category_id="tents", starts_at=slot.starts_at, name="Kim",
                 contact="kim@example.com", locale="de", channel="web")  # fmt: skip
    click(qtbot, dialog.book_button)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == WHEN_PAGE and bool(dialog.slot_buttons), timeout=10_000)
    assert dialog.slots_status.text() == "Someone else has just booked this time. These times are still free:"
    offered = list(dialog.slot_buttons.values())
    assert offered and all(free.starts_at > slot.starts_at for free in offered)
    first = next(iter(dialog.slot_buttons))
    assert first.text() == f"Tomorrow {offered[0].starts_at:%H:%M}"
    click(qtbot, first)
    click(qtbot, dialog.next_button)
    assert dialog.contact.text() == "0171 555 0199", "what was typed stays for the next try"
    click(qtbot, dialog.book_button)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == DONE_PAGE, timeout=10_000)
    assert dialog.done_when.text().endswith(f"{offered[0].starts_at:%H:%M} with Anna")
    assert dialog.done_mail.text() == "No e-mail is sent: please note the time and the code."
    assert queued_mails(engine) == [], "a phone number gets no e-mail"
    kiosk = [row for row in appointments(engine) if row.channel == "kiosk"]
    assert len(kiosk) == 1 and kiosk[0].contact == "0171 555 0199" and kiosk[0].session_id == session.stored_id


def test_without_a_public_web_address_the_confirmation_shows_no_code_to_scan(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    dialog = booking_dialog(qtbot, window, session, engine, always_open())
    assert not dialog.phone.isVisible(), "no QR code a phone could not open"
    choose_a_time(qtbot, dialog)
    dialog.name.setText("Kim Berger")
    dialog.contact.setText("0171 555 0199")
    click(qtbot, dialog.consent)
    click(qtbot, dialog.book_button)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == DONE_PAGE, timeout=10_000)
    assert len(appointments(engine)) == 1
    assert not dialog.done_qr.isVisible() and not dialog.done_qr_hint.isVisible() and dialog.phone_link == ""
    assert dialog.done_code.isVisible(), "the code to note stays"


def test_on_the_phone_a_one_time_qr_code_opens_the_advice_at_the_booking_page(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    dialog = booking_dialog(qtbot, window, session, engine, kiosk_config(mail=False))
    click(qtbot, dialog.phone)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PHONE_PAGE, timeout=10_000)
    assert session.stored_id is not None and session.resume_code is not None
    link = dialog.phone_link
    assert link.startswith(f"{PUBLIC_ADDRESS}/c/") and link.endswith("?to=appointment")
    assert dialog.phone_code.text().endswith(shown(session.resume_code).replace("-", "\u2011"))
    token = link.removeprefix(f"{PUBLIC_ADDRESS}/c/").removesuffix("?to=appointment")
    assert redeem_token(engine, token).id == session.stored_id, (
        "the link opens this advice (the web test follows it on)"
    )
    assert appointments(engine) == [], "nothing booked at the kiosk"


def test_with_no_time_left_today_the_booking_opens_on_the_next_day_and_says_why(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """Late in the day (here: Ben is off today), the shopper is not shown an empty day to leaf on from."""
    config = kiosk_config(mail=False)
    today = datetime.now(config.store.zone).date()
    engine = make_engine(f"sqlite:///{tmp_path / 'off-today.sqlite3'}")
    upgrade(engine)
    add_consultants(engine, ["Ben"], span=(0, 24 * 60))
    staff.set_shift(engine, staff_name="Ben", weekday=today.weekday(), span=None)
    dialog = booking_dialog(qtbot, window, session, engine, config)
    click(qtbot, dialog.here)
    tomorrow = today + timedelta(days=1)
    qtbot.waitUntil(lambda: bool(dialog.slot_buttons))
    assert [button.text() for button in dialog.day_buttons if button.isChecked()] == ["Morgen"]
    assert dialog.slots_status.text() == (
        f"Heute ist keine Zeit mehr frei. Hier sind die freien Zeiten am {day_text(tomorrow, 'de')}"
    ), "one dot after the date's own"
    assert dialog.slots_status.text().endswith(f"{tomorrow:%d.%m}.") and not dialog.slots_status.text().endswith("..")
    assert {slot.starts_at.astimezone(config.store.zone).date() for slot in dialog.slot_buttons.values()} == {tomorrow}
    click(qtbot, dialog.day_buttons[0])  # the shopper asks for today after all: told plainly
    qtbot.waitUntil(lambda: dialog.slots_status.text() == "An diesem Tag ist keine Zeit mehr frei.")
    assert not dialog.slot_buttons


def test_with_the_store_closed_today_the_first_free_day_is_named_without_calling_today_full(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """A Sunday with the store closed, the consultant in only from the day after tomorrow: the days start tomorrow,
    and the times found later are "the next free times", not "today has no time left" (today is not offered)."""
    config = kiosk_config(mail=False)
    today = datetime.now(config.store.zone).date()
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[today.weekday()]
    hours = config.store.opening_hours.model_copy(update={weekday: "closed"})
    config = config.model_copy(update={"store": config.store.model_copy(update={"opening_hours": hours})})
    engine = make_engine(f"sqlite:///{tmp_path / 'closed-today.sqlite3'}")
    upgrade(engine)
    add_consultants(engine, ["Ben"], span=(0, 24 * 60))
    tomorrow, later = today + timedelta(days=1), today + timedelta(days=2)
    staff.set_shift(engine, staff_name="Ben", weekday=tomorrow.weekday(), span=None)
    dialog = booking_dialog(qtbot, window, session, engine, config)
    click(qtbot, dialog.here)
    qtbot.waitUntil(lambda: bool(dialog.slot_buttons))
    assert dialog.day_buttons[0].text() == "Morgen", "today is not offered"
    assert dialog.slots_status.text() == f"Die nächsten freien Zeiten sind am {day_text(later, 'de')}"
    assert {slot.starts_at.astimezone(config.store.zone).date() for slot in dialog.slot_buttons.values()} == {later}


def test_with_no_time_free_in_the_whole_horizon_the_booking_says_so_once_and_offers_no_days(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """Nobody's shifts cover tents (a store that has just set up appointments): the shopper is told once that no
    appointment is free and to ask in the store, not "no time is free on this day" on each of seven days."""
    config = kiosk_config(mail=False)
    engine = make_engine(f"sqlite:///{tmp_path / 'nobody.sqlite3'}")
    upgrade(engine)
    dialog = booking_dialog(qtbot, window, session, engine, config)
    click(qtbot, dialog.here)
    said = (f"In den nächsten {config.appointments.horizon_days} Tagen ist leider kein Termin frei. Sprich gern "
            "jemanden im Laden an.")  # fmt: skip
    qtbot.waitUntil(lambda: dialog.slots_status.text() == said)
    assert dialog.slots_status.isVisible() and not dialog.slot_buttons
    assert not any(day.isVisible() for day in dialog.day_buttons), "no days to leaf through"
    assert not dialog.next_button.isVisible()


def test_no_booking_is_offered_without_an_appointment_kind_or_a_database(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    session.start("tent-finder")
    session.set_answers(FAMILY)
    screen = window.screen_for(views.RESULTS)
    qtbot.waitUntil(lambda: current(window) is screen and screen.ready())
    assert not screen.book.isVisible(), "no configuration, no database"  # type: ignore[attr-defined]
    config = kiosk_config(mail=False)
    session.configure(config.model_copy(update={"appointments": config.appointments.model_copy(update={"kinds": {}})}))
    session.engine = engine
    session.set_answers(dict(FAMILY, persons=3))
    qtbot.waitUntil(screen.ready)
    assert not screen.book.isVisible(), "tents have no appointment kind in this store"  # type: ignore[attr-defined]
    session.configure(config)
    session.set_answers(FAMILY)
    qtbot.waitUntil(lambda: screen.ready() and screen.book.isVisible())  # type: ignore[attr-defined]


def test_with_nobody_at_a_console_talking_offers_an_appointment_instead(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    """ "Mit einer Person sprechen" while no console is signed in: the shopper is told so and offered an appointment
    (the tents have one); the tap leads from the talk dialog into the booking. Someone at a console: a call and a
    chat, no appointment in their way. A backpack's advice, which has no appointment kind, offers none."""
    from advisor.handoff.staff import report_presence, sign_out
    from ui.talk import TalkDialog

    session.configure(kiosk_config(mail=False))
    session.engine = engine
    session.start("tent-finder")

    def talk() -> TalkDialog:
        click(qtbot, window.top_bar.talk_button)
        dialog = window.talk_dialog
        assert isinstance(dialog, TalkDialog)
        qtbot.waitUntil(lambda: dialog.isVisible() and dialog.presence_known)
        return dialog

    session.set_accessible(True)  # read aloud: the offer too
    dialog = talk()
    assert "niemand an der Beratungskonsole" in dialog.explanation.text()
    assert dialog.book.isVisible() and dialog.book.accessibleName() == "Termin vereinbaren"
    voice = window.speech.voice
    assert isinstance(voice, RecordingVoice)
    qtbot.waitUntil(lambda: "Termin vereinbaren. Jemand aus dem Team nimmt sich Zeit für dich" in voice.said())
    assert not dialog.call.isVisible() and not dialog.chat.isVisible()
    click(qtbot, dialog.book)
    booking_dialog = window.findChild(BookingDialog)
    assert isinstance(booking_dialog, BookingDialog)
    qtbot.waitUntil(booking_dialog.isVisible)
    assert not dialog.isVisible(), "the talk dialog gave way to the booking"
    assert booking_dialog.phone.isVisible() and booking_dialog.here.isVisible()
    booking_dialog.reject()

    # With an appointment booked for this advice, the card names it and opens it instead of a second booking.
    zone = session.config.store.zone  # type: ignore[union-attr]
    tomorrow = datetime.combine(datetime.now(zone).date() + timedelta(days=1), time(11), tzinfo=zone)
    session.booked = Booked("appointment-1", tomorrow, "Anna", ("Sonnalm 5",), mailed=True)
    dialog = talk()
    assert dialog.book.accessibleName() == "Dein Termin: Morgen, 11:00 Uhr"
    qtbot.waitUntil(lambda: "Dein Termin: Morgen, 11:00 Uhr. Dort nimmt sich jemand aus dem Team Zeit" in voice.said())
    click(qtbot, dialog.book)
    shown_again = next(found for found in window.findChildren(BookingDialog) if found.isVisible())
    assert shown_again.pages.currentIndex() == DONE_PAGE and shown_again.done_held.text() == "Zurückgelegt: Sonnalm 5"
    shown_again.reject()
    session.booked = None
    dialog = talk()
    assert dialog.book.accessibleName() == "Termin vereinbaren", "a new advice: a booking is offered again"
    dialog.reject()

    report_presence(engine, "Anna")  # a console is signed in
    dialog = talk()
    qtbot.waitUntil(dialog.call.isVisible)
    assert dialog.chat.isVisible() and not dialog.book.isVisible()
    dialog.reject()

    session.start("backpack-finder")
    sign_out(engine, "Anna")  # nobody at a console again
    dialog = talk()
    assert "niemand an der Beratungskonsole" in dialog.explanation.text()
    assert not dialog.book.isVisible()


def test_the_reminder_the_day_before_is_offered_only_for_a_time_it_can_still_go_out_for(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    """Booked for later today, no reminder the day before can go out: the kiosk does not offer one (as the phone)."""
    config = kiosk_config(mail=True)
    dialog = booking_dialog(qtbot, window, session, engine, config)
    click(qtbot, dialog.here)
    soon = datetime.now(config.store.zone) + timedelta(minutes=30)
    dialog.chosen = Slot(soon, soon + timedelta(minutes=20), ("anna",))
    dialog.show_who()
    assert dialog.pages.currentIndex() == WHO_PAGE and dialog.remind.isHidden(), "today: no reminder offered"
    later = soon + timedelta(days=2)
    dialog.chosen = Slot(later, later + timedelta(minutes=20), ("anna",))
    dialog.show_who()
    assert not dialog.remind.isHidden() and dialog.remind.isChecked(), "the day after tomorrow: offered, ticked"
