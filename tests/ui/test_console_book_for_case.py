"""A sales person books an appointment for the customer of the case they have open: tied to her advice (the kiosk and
her phone show it when she opens her code, check-in by her code finds it), in her language, with the shortlist's
first tents set aside; asked again, her appointment moves instead of a second one being booked."""

from __future__ import annotations

import email
from datetime import date, datetime, time, timedelta
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from advisor.appointments import booking
from advisor.appointments.tables import APPOINTMENT
from advisor.config import Config, SmtpConfig
from advisor.db import make_engine, upgrade
from advisor.handoff import requests
from advisor.handoff.staff import set_pin
from advisor.recommend.index import CatalogIndex
from advisor.session import store
from advisor.session.confirmation import OUTBOX
from advisor.session.service import AdviceSession
from tests.helpers.appointments import add_consultants, add_stock
from tests.helpers.index import sample_index
from tests.ui.conftest import CATEGORIES, PUBLIC_ADDRESS
from tests.ui.test_kiosk import click
from ui.appointments import BookingDialog
from ui.session import KioskSession
from ui.staff import StaffConsole

FAMILY = {"region": "rough", "trip": "family", "frequency": "regularly", "persons": 4, "extra_space": True,
          "body_height": 185, "extras": ("two_entrances",)}  # fmt: skip


def open_store() -> Config:
    """Open around the clock, tents for 10 minutes and 5 to tidy up, e-mail set up (confirmations are queued)."""
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    config = Config.model_validate({
        "store": {"timezone": "Europe/Berlin", "opening_hours": dict.fromkeys(days, "00:00-24:00")},
        "appointments": {"step_minutes": 15, "kinds": {"tents": {"length_minutes": 10, "buffer_minutes": 5}}},
    })  # fmt: skip
    return config.model_copy(update={"smtp": SmtpConfig(host="smtp.example.org", sender="advice@example.org")})


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    engine = make_engine(f"sqlite:///{tmp_path / 'book-for-case.sqlite3'}")
    upgrade(engine)
    add_consultants(engine, ["Anna"], span=(0, 24 * 60))
    set_pin(engine, "Anna", "4711")
    return engine


def claimed_case(qtbot: QtBot, engine: Any, session: KioskSession, config: Config, questionnaire: str,
                 category: str, answers: dict[str, Any]) -> tuple[StaffConsole, str, list[str]]:  # fmt: skip
    """An English-speaking shopper's advice asks for a chat; Anna's German console claims it. The advice's id and
    its first three picks (in stock, two each) come back."""
    advice = AdviceSession.start(session.questionnaires[questionnaire], index=session.catalog.categories[category],  # type: ignore[union-attr]
                                 locale="en")  # fmt: skip
    advice.set_answers(answers)
    first = [ranked.sku for ranked in advice.recommendation().products[:3]]
    add_stock(engine, dict.fromkeys(first, 2))
    record = store.create(engine, advice, store_id=config.store.id, consent=True, kiosk_id="kiosk-zelte")
    requests.request_handoff(engine, session_id=record.id, kind="chat")
    catalog = CatalogIndex(1, {name: sample_index(name) for name in CATEGORIES})
    console = StaffConsole(engine, session.questionnaires, catalog, PUBLIC_ADDRESS, zone=config.store.zone,
                           config=config)  # fmt: skip
    qtbot.addWidget(console)
    console.show()
    console.name.setText("Anna")
    console.pin.setText("4711")
    click(qtbot, console.sign_in_button)
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: "Antworten" in console.case_text() and console._selected_case() is not None)
    return console, record.id, first


def booking_dialog(qtbot: QtBot, console: StaffConsole) -> BookingDialog:
    assert console.book_button.isVisible() and console.book_button.text() == "Termin buchen"
    click(qtbot, console.book_button)
    dialog = console.booking_dialog
    assert isinstance(dialog, BookingDialog) and dialog.isVisible()
    return dialog


def choose(qtbot: QtBot, dialog: BookingDialog, day: date, at: str) -> None:
    dialog.day.setDate(QDate(day.year, day.month, day.day))
    qtbot.waitUntil(lambda: dialog.slots.count() > 10 and dialog.slots.item(0).text().startswith("00:00"))
    times = [dialog.slots.item(row).text()[:5] for row in range(dialog.slots.count())]
    dialog.slots.setCurrentRow(times.index(at))


def appointments_of(engine: Any, session_id: str) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(sa.select(APPOINTMENT).where(APPOINTMENT.c.session_id == session_id)).all())


def test_staff_book_for_the_customer_of_a_case_with_her_advice_and_a_second_booking_moves_it(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    config = open_store()
    console, session_id, first = claimed_case(qtbot, engine, session, config, "tent-finder", "tents", FAMILY)
    dialog = booking_dialog(qtbot, console)
    assert not dialog.category.isEnabled() and dialog.category.currentData() == "tents", "the advice's area"
    words = " ".join(widget.text() for widget in dialog.findChildren(type(dialog.problem)))
    assert "auf Englisch" in words, "staff read that the customer's mail goes out in her language"
    assert dialog.held_skus() == first, "the shortlist's first three tents ticked, as the kiosk offers them"
    unticked = [tick for sku, tick in dialog.products.items() if sku not in first]
    assert unticked and not any(tick.isEnabled() for tick in unticked), "no fourth can be ticked"

    tomorrow = datetime.now(config.store.zone).date() + timedelta(days=1)
    choose(qtbot, dialog, tomorrow, "11:00")
    dialog.name.setText("Kim Berger")
    dialog.contact.setText("kim@example.com")
    click(qtbot, dialog.book_button)
    assert dialog.problem.text() == "Bitte erst die Zustimmung des Kunden einholen und ankreuzen."
    assert appointments_of(engine, session_id) == [], "nothing booked without consent"
    dialog.consent.setChecked(True)
    with qtbot.waitSignal(dialog.booked) as signal:
        click(qtbot, dialog.book_button)
    assert signal.args[0].startswith("Gebucht: Kim Berger") and "11:00" in signal.args[0]
    assert "Zurückgelegt:" in signal.args[0] and "an den Kunden" in signal.args[0]

    [row] = appointments_of(engine, session_id)
    assert (row.locale, row.channel, row.category_id) == ("en", "console", "tents"), "her language, not the console's"
    found = booking.details(engine, appointment_id=row.id)
    assert found is not None and sorted(found.held) == sorted(first), "the ticked tents set aside"
    assert found.starts_at == datetime.combine(tomorrow, time(11), tzinfo=config.store.zone)
    with engine.connect() as connection:
        [mail] = connection.execute(sa.select(OUTBOX)).all()
    assert (mail.session_id, mail.locale, mail.address) == (session_id, "en", "kim@example.com")
    message = email.message_from_bytes(mail.message, policy=default)
    assert "Termin" not in str(message["Subject"]), "the confirmation in English"

    qtbot.waitUntil(lambda: "Termin: " in console.case_text() and "11:00–11:10 Uhr" in console.case_text())
    assert "Gebucht: Kim Berger" in console.notice

    moving = booking_dialog(qtbot, console)
    assert moving.moving is not None and moving.moving.appointment_id == row.id, "her appointment, to be moved"
    assert moving.book_button.text() == "Verschieben" and not moving.name.isVisible()
    words = " ".join(widget.text() for widget in moving.findChildren(type(moving.problem)))
    assert "schon einen Termin" in words
    choose(qtbot, moving, tomorrow, "15:00")
    with qtbot.waitSignal(moving.booked) as signal:
        click(qtbot, moving.book_button)
    assert signal.args[0].startswith("Verschoben: Kim Berger, jetzt") and "15:00" in signal.args[0]
    [again] = appointments_of(engine, session_id)
    assert again.id == row.id, "moved, not doubled"
    moved = booking.details(engine, appointment_id=row.id)
    assert moved is not None and moved.starts_at == datetime.combine(tomorrow, time(15), tzinfo=config.store.zone)
    assert sorted(moved.held) == sorted(first), "the tents follow"
    qtbot.waitUntil(lambda: "15:00–15:10 Uhr" in console.case_text() and "11:00–11:10" not in console.case_text())

    console.set_locale("en")
    assert console.book_button.text() == "Book an appointment"
    console.close()


def test_a_case_whose_area_has_no_appointments_offers_no_booking(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    config = open_store()
    console, _, _ = claimed_case(qtbot, engine, session, config, "sleeping-bag-finder", "sleeping_bags", {})
    assert not console.book_button.isVisible(), "sleeping bags have no appointment kind here"
    console.close()
