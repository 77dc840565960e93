"""The appointments window on a laptop and while the database takes nothing: it fits a 1024 × 768 screen with each
appointment's line whole (who, what, with whom, what to fetch); a note typed while a backup holds the store file's
write lock waits and is stored once the lock is gone, the notice saying so and going; a check-in button for an
appointment later today says from when it can be pressed."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from advisor.appointments import booking
from advisor.appointments.agenda import agenda
from advisor.db import make_engine, upgrade
from advisor.handoff.staff import set_pin
from advisor.session import store
from advisor.session.service import AdviceSession
from tests.helpers.appointments import add_consultants, add_stock
from tests.ui.test_console_appointments import FAMILY, always_open, open_appointments, signed_in, this_quarter_hour
from tests.ui.test_kiosk import click
from ui.appointments import AppointmentsView
from ui.session import KioskSession


def quick_database(tmp_path: Path) -> Any:
    """A store database whose writes give up after a moment when another program holds the file's write lock."""
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}", busy_timeout_ms=200)
    upgrade(engine)
    add_consultants(engine, ["Anna"], span=(0, 24 * 60))
    set_pin(engine, "Anna", "4711")
    return engine


def booked_and_listed(
    qtbot: QtBot, session: KioskSession, engine: Any, starts_at: datetime, name: str, **details: Any
) -> tuple[booking.Booking, Any, AppointmentsView]:
    """An appointment booked on the web for `name`, and the signed-in console's appointments window listing it."""
    config = always_open()
    booked = booking.book(engine, config=config, category_id="tents", starts_at=starts_at, name=name,
                          contact="kim@example.com", locale="de", channel="web", **details)  # fmt: skip
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    qtbot.waitUntil(lambda: view.entries.count() == 1)
    return booked, console, view


def test_at_1024_by_768_the_window_fits_and_each_line_says_what_to_fetch(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    config = always_open()
    engine = quick_database(tmp_path)
    tents = session.questionnaires["tent-finder"]
    advice = AdviceSession.start(tents, index=session.catalog.categories["tents"], locale="de")  # type: ignore[union-attr]
    advice.set_answers(FAMILY)
    names = {ranked.sku: ranked.product.name["de"] for ranked in advice.recommendation().products[:2]}
    add_stock(engine, dict.fromkeys(names, 2), names=names, location=("Zelte, 1. OG, Regal 4", "Tents, shelf 4"))
    record = store.create(engine, advice, store_id=config.store.id, consent=True, origin="web")
    starts_at = this_quarter_hour(config) + timedelta(days=1)
    _booked, console, view = booked_and_listed(qtbot, session, engine, starts_at, "Kim Berger",
                                               session_id=record.id, products=list(names))  # fmt: skip
    for width, height in ((1024, 768), (1280, 800)):
        assert view.minimumSizeHint().width() <= width, "no wider than the screen, as the console"
        view.resize(width, height)
        qtbot.waitUntil(lambda: view.width() == width)  # noqa: B023 - waited for here, in this round
        window = view.rect()
        parts: list[QWidget] = [view.code, view.code_button, view.phone_button, view.team_button,
                                view.check_in_button, view.notes_button, view.entries, view.details]  # fmt: skip
        for widget in parts:
            shown = QRect(widget.mapTo(view, widget.rect().topLeft()), widget.size())
            assert window.contains(shown), f"{widget.accessibleName() or widget.objectName()} whole on the screen"
        line = view.entries.item(0).text()
        assert "Kim Berger · Zelte · bei Anna · gebucht · 2 Produkte holen" in line
        row = view.entries.visualItemRect(view.entries.item(0))
        needed = view.entries.fontMetrics().boundingRect(
            QRect(0, 0, view.entries.viewport().width() - 16, 10_000),
            0x1000,
            line,  # (Qt.TextWordWrap)
        )
        assert row.right() <= view.entries.viewport().width(), "the line is not cut at the list's edge"
        assert row.height() >= needed.height(), "wrapped onto as many lines as its words need, none cut off"
    view.close()
    console.close()


def test_a_note_typed_while_the_file_is_locked_is_stored_once_the_lock_is_gone(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    config = always_open()
    engine = quick_database(tmp_path)
    starts_at = this_quarter_hour(config) + timedelta(days=1)
    booked, console, view = booked_and_listed(qtbot, session, engine, starts_at, "Kim Berger")
    view.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: view.notes.isEnabled())
    backup = sqlite3.connect(str(tmp_path / "store.sqlite3"), isolation_level=None, check_same_thread=False)
    backup.execute("BEGIN IMMEDIATE")
    view.notes.setPlainText("Bringt eigenes Zelt mit")
    click(qtbot, view.notes_button)
    qtbot.waitUntil(lambda: view.notice.text().startswith("Die Datenbank nimmt gerade nichts an. Eine Änderung"))
    assert view.notes_state.text() == "Speichert …"
    view.refresh()  # reads go on meanwhile: the note stays on screen and the notice stays true
    qtbot.waitUntil(lambda: not view._reading)
    assert view.notes.toPlainText() == "Bringt eigenes Zelt mit"
    assert "Eine Änderung wartet" in view.notice.text()

    backup.execute("ROLLBACK")
    backup.close()

    def stored() -> str:
        since = datetime.now(config.store.zone) - timedelta(days=1)
        entries = agenda(engine, store_id=config.store.id, since=since, until=since + timedelta(days=3),
                         zone=config.store.zone, locale="de")  # fmt: skip
        return next(entry.notes for entry in entries if entry.appointment_id == booked.appointment_id)

    qtbot.waitUntil(lambda: stored() == "Bringt eigenes Zelt mit", timeout=10_000)
    qtbot.waitUntil(lambda: view.notice.text() == "")
    qtbot.waitUntil(lambda: view.notes_state.text().startswith("Gespeichert"))
    view.close()
    console.close()


def test_a_read_the_database_did_not_answer_is_no_longer_said_once_one_works(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    from sqlalchemy.exc import OperationalError

    config = always_open()
    engine = quick_database(tmp_path)
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    view._problem(OperationalError("SELECT", {}, Exception("database is locked")), reading=True)
    assert view.notice.text() == view.t("console.problem.database")
    view.refresh()
    qtbot.waitUntil(lambda: view.notice.text() == "")
    view.close()
    console.close()


def test_the_check_in_button_of_an_appointment_later_today_says_from_when_it_can_be_pressed(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    config = always_open()
    starts_at = this_quarter_hour(config) + timedelta(hours=3)
    if starts_at.date() != datetime.now(config.store.zone).date():
        pytest.skip("late in the evening: three hours on is tomorrow")
    engine = quick_database(tmp_path)
    _booked, console, view = booked_and_listed(qtbot, session, engine, starts_at, "Jo Weber")
    assert f"Heute {starts_at:%H:%M}" in view.entries.item(0).text()
    view.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: "Jo Weber" in view.details_text())
    assert not view.check_in_button.isEnabled()
    opens = starts_at - timedelta(hours=1)
    assert view.check_in_button.toolTip() == (
        f"Noch nicht einchecken: Jo Weber hat den Termin heute um {starts_at:%H:%M} – einchecken geht ab {opens:%H:%M}."
    )
    view.close()
    console.close()


def test_a_code_read_out_while_the_file_is_locked_checks_the_shopper_in_once_the_lock_is_gone(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    config = always_open()
    engine = quick_database(tmp_path)
    tents = session.questionnaires["tent-finder"]
    advice = AdviceSession.start(tents, index=session.catalog.categories["tents"], locale="de")  # type: ignore[union-attr]
    record = store.create(engine, advice, store_id=config.store.id, consent=True, origin="web")
    starts_at = this_quarter_hour(config)
    booked, console, view = booked_and_listed(qtbot, session, engine, starts_at, "Kim Berger", session_id=record.id,
                                              now=starts_at - timedelta(minutes=1))  # fmt: skip
    backup = sqlite3.connect(str(tmp_path / "store.sqlite3"), isolation_level=None, check_same_thread=False)
    backup.execute("BEGIN IMMEDIATE")
    view.code.setText(record.resume_code)
    click(qtbot, view.code_button)
    qtbot.waitUntil(lambda: "Eine Änderung wartet" in view.notice.text())
    click(qtbot, view.code_button)  # pressed again while it waits: the same shopper, once
    assert view.waiting == 1
    backup.execute("ROLLBACK")
    backup.close()
    qtbot.waitUntil(lambda: "eingecheckt" in view.notice.text(), timeout=10_000)
    found = booking.details(engine, appointment_id=booked.appointment_id)
    assert found is not None and found.state == "checked_in"
    assert view.code.text() == ""
    view.close()
    console.close()


def test_a_code_read_out_hours_early_or_after_a_no_show_says_why_nobody_is_checked_in(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """Not "no booked appointment today" for a shopper who has one: early, they hear from when; marked a no-show,
    staff read that and book anew."""
    config = always_open()
    starts_at = this_quarter_hour(config) + timedelta(hours=3)
    if starts_at.date() != datetime.now(config.store.zone).date():
        pytest.skip("late in the evening: three hours on is tomorrow")
    engine = quick_database(tmp_path)
    tents = session.questionnaires["tent-finder"]
    advice = AdviceSession.start(tents, index=session.catalog.categories["tents"], locale="de")  # type: ignore[union-attr]
    record = store.create(engine, advice, store_id=config.store.id, consent=True, origin="web")
    booked, console, view = booked_and_listed(qtbot, session, engine, starts_at, "Kim Berger", session_id=record.id)
    view.code.setText(record.resume_code)
    click(qtbot, view.code_button)
    early = f"Noch nicht einchecken: Kim Berger hat den Termin heute um {starts_at:%H:%M} – einchecken geht ab "
    qtbot.waitUntil(lambda: view.notice.text().startswith(early))
    qtbot.waitUntil(lambda: view.entries.currentRow() == 0, timeout=5000)  # chosen in the list
    assert booking.mark_no_show(engine, config=config, appointment_id=booked.appointment_id,
                                now=starts_at + timedelta(hours=1))  # fmt: skip
    view.refresh()
    qtbot.waitUntil(lambda: not view._reading)
    click(qtbot, view.code_button)
    qtbot.waitUntil(lambda: view.notice.text() == (
        f"Der Termin von Kim Berger heute um {starts_at:%H:%M} ist als „nicht erschienen“ vermerkt: bitte einen neuen "
        "vereinbaren."
    ))  # fmt: skip
    view.close()
    console.close()
