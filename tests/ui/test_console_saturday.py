"""The staff console on a busy Saturday: a no-show is asked about before it is marked, an appointment past its grace
time says so in the list, closing the console (signing out) closes the appointments window and its dialogs with the
notes typed there kept, a typed and unsent chat message is named by the close question, and a notice about one case
goes when another case is shown."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from advisor.appointments import booking
from advisor.appointments.tables import APPOINTMENT
from advisor.config import Config
from advisor.handoff import chat
from tests.ui.test_console_appointments import always_open, next_quarter_hour, open_appointments, signed_in
from tests.ui.test_console_appointments import engine as engine  # noqa: F401 - the fixture, used by name
from tests.ui.test_console_cases_by_code import a_shopper, open_by_code
from tests.ui.test_console_day import settled
from tests.ui.test_console_notes_shared import claimed_with_no_notes, type_at_end
from tests.ui.test_kiosk import click
from tests.ui.test_staff_console import database
from ui.session import KioskSession


def with_grace(config: Config, minutes: int) -> Config:
    return config.model_copy(update={"appointments": config.appointments.model_copy(
        update={"no_show_grace_minutes": minutes})})  # fmt: skip


def lines(view: Any) -> list[str]:
    return [view.entries.item(row).text() for row in range(view.entries.count())]


def test_a_no_show_is_asked_about_first_and_an_overdue_appointment_says_so_in_the_list(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """Lou booked a quarter of an hour ago and has not come; the grace time is 5 minutes: her line reads "gebucht ·
    überfällig seit" the end of her grace time, Kim's tomorrow only "gebucht". "Nicht erschienen" asks first, naming
    Lou and her time; Enter and Escape keep waiting (nothing marked), confirmed she is marked."""
    config = with_grace(always_open(), 5)
    now = datetime.now(config.store.zone)
    starts_at = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0) - timedelta(minutes=15)
    if starts_at.date() != now.date():
        pytest.skip("a quarter of an hour after midnight: no appointment of today's has passed its grace time")
    lou = booking.book(engine, config=config, category_id="tents", starts_at=starts_at, name="Lou",
                       contact="0171 555 0101", locale="de", channel="console",
                       now=starts_at - timedelta(minutes=1))  # fmt: skip
    tomorrow = datetime.combine(now.date() + timedelta(days=1), time(12), tzinfo=config.store.zone)
    booking.book(engine, config=config, category_id="tents", starts_at=tomorrow, name="Kim", contact="0171 555 0102",
                 locale="de", channel="console")  # fmt: skip
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    qtbot.waitUntil(lambda: len(lines(view)) == 2)
    overdue_since = (starts_at + timedelta(minutes=5)).strftime("%H:%M")
    assert f"gebucht · überfällig seit {overdue_since}" in lines(view)[0] and "Lou" in lines(view)[0]
    assert "Kim" in lines(view)[1] and "gebucht" in lines(view)[1] and "überfällig" not in lines(view)[1]

    view.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: view.no_show_button.isEnabled())
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):
        click(qtbot, view.no_show_button)
        prompt = view.no_show_prompt
        assert prompt is not None and prompt.isVisible() and prompt.windowTitle() == "Nicht erschienen?"
        assert prompt.text().startswith("Lou – ") and starts_at.strftime("%H:%M") in prompt.text()
        assert "nicht zurücknehmen" in prompt.text()
        QTest.keyClick(prompt, key)
        qtbot.waitUntil(prompt.isHidden)
    found = booking.details(engine, appointment_id=lou.appointment_id)
    assert found is not None and found.state == "booked", "kept waiting"
    assert view.no_show_button.isEnabled() and view.cancel_button.isEnabled()

    click(qtbot, view.no_show_button)
    prompt = view.no_show_prompt
    assert prompt is not None
    [confirm] = [b for b in prompt.buttons() if b.text() == "Als nicht erschienen vermerken"]
    assert isinstance(confirm, QPushButton)
    click(qtbot, confirm)
    qtbot.waitUntil(lambda: view.notice.text() == "Als nicht erschienen vermerkt.")
    qtbot.waitUntil(lambda: "nicht erschienen" in lines(view)[0] and "überfällig" not in lines(view)[0])
    found = booking.details(engine, appointment_id=lou.appointment_id)
    assert found is not None and found.state == "no_show"
    console.close()


def test_closing_the_console_closes_the_appointments_window_and_its_dialog_keeping_the_notes_typed_there(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """Anna has the appointments open, "Team und Schichten …" over them and a note typed, not saved; she closes
    the console (signs out): the appointments window and the dialog close too, and her note is stored."""
    config = always_open()
    starts_at = next_quarter_hour(config)
    eva = booking.book(engine, config=config, category_id="tents", starts_at=starts_at, name="Eva",
                       contact="eva@example.com", locale="de", channel="web",
                       now=starts_at - timedelta(minutes=1))  # fmt: skip
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    qtbot.waitUntil(lambda: view.entries.count() == 1)
    view.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: view.notes.isEnabled())
    view.notes.setPlainText("Bringt das alte Zelt zum Vergleich")
    click(qtbot, view.team_button)
    team = view.team_dialog
    assert team is not None and team.isVisible()

    console.close()

    assert not console.isVisible()
    assert not view.isVisible() and not team.isVisible(), "nothing stays open for nobody signed in"
    assert not [w for w in console.findChildren(QWidget) if w.isWindow() and w.isVisible()]

    def stored() -> str:
        with engine.connect() as connection:
            query = sa.select(APPOINTMENT.c.notes).where(APPOINTMENT.c.id == eva.appointment_id)
            return str(connection.execute(query).scalar_one())

    qtbot.waitUntil(lambda: stored() == "Bringt das alte Zelt zum Vergleich")


def test_closing_with_a_typed_unsent_message_asks_first(qtbot: QtBot, session: KioskSession, tmp_path: Path) -> None:
    """Anna typed to her customer and did not send it: closing asks, naming the message; Enter keeps the console open
    with her words; "Trotzdem schließen" closes it."""
    engine = database(tmp_path, "unsent")
    console, _request_id = claimed_with_no_notes(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.message.isEnabled())
    console.message.setText("Ich komme gleich zu Ihnen")

    console.close()

    prompt = console.quit_prompt
    assert prompt is not None and prompt.isVisible()
    assert prompt.text() == "1 getippte Nachricht an einen Kunden ist noch nicht gesendet – trotzdem schließen?"
    QTest.keyClick(prompt, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: console.quit_prompt is None)
    assert console.isVisible() and console.message.text() == "Ich komme gleich zu Ihnen"

    console.close()
    prompt = console.quit_prompt
    assert prompt is not None
    [anyway] = [b for b in prompt.buttons() if b.text() == "Trotzdem schließen"]
    assert isinstance(anyway, QPushButton)
    click(qtbot, anyway)
    qtbot.waitUntil(lambda: not console.isVisible())


def test_a_notice_about_one_case_goes_when_another_case_is_shown(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """A colleague added to the notes of Anna's customer while she typed: she is told both are in. She opens the
    next customer by code: the notice, about the case before, goes."""
    engine = database(tmp_path, "notice-goes")
    console, request_id = claimed_with_no_notes(qtbot, engine, session)
    type_at_end(qtbot, console, "Anna: Zelt zurückgelegt")
    console.notes_timer.stop()
    chat.save_notes(engine, request_id, "Ben: will auch Isomatte", base="")
    console.notes_timer.start()
    merged = "Ein Kollege hat die Notizen inzwischen ergänzt – beides ist jetzt drin."
    qtbot.waitUntil(lambda: console.notice == merged, timeout=10_000)

    record = a_shopper(engine, session)
    open_by_code(qtbot, console, record.resume_code)
    qtbot.waitUntil(lambda: console._current_case() == (None, record.id))
    qtbot.waitUntil(lambda: console.notice == "")
    console.close()


def test_a_note_merged_in_the_appointments_window_is_not_said_beside_another_appointment(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """The appointments window's notice that a colleague's note is kept beside Anna's goes when she chooses another
    appointment."""
    from advisor.appointments import agenda

    config = always_open()
    tomorrow = datetime.now(config.store.zone).date() + timedelta(days=1)
    first, second = (
        booking.book(engine, config=config, category_id="tents", name=name, contact="0171 555 0101", locale="de",
                     starts_at=datetime.combine(tomorrow, time(hour), tzinfo=config.store.zone), channel="console")
        for name, hour in (("Kim", 12), ("Lou", 14))
    )  # fmt: skip
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    qtbot.waitUntil(lambda: view.entries.count() == 2)
    view.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: view._notes_for == first.appointment_id)
    agenda.set_notes(engine, appointment_id=first.appointment_id, notes="Ben: bringt das alte Zelt mit")
    view.notes.setPlainText("Anna: Isomatte zeigen")
    click(qtbot, view.notes_button)
    qtbot.waitUntil(lambda: view.notice.text().startswith("Ein Kollege hat die Notizen"))
    qtbot.waitUntil(lambda: "Gespeichert" in view.notes_state.text())
    settled(qtbot, view.reads)  # (the list read after the save is shown: a choice made meanwhile is not read over)

    view.entries.setCurrentRow(1)

    qtbot.waitUntil(lambda: view._notes_for == second.appointment_id)
    assert view.notice.text() == ""
    console.close()
