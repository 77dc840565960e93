"""A salesperson's busy day at the console: the waits count up on their own, the queue stays readable on a laptop,
a double click or a customer who walked away is told apart from a colleague's claim, a wrong code is said in the
console's language, two customers who leave at once are both named, the keyboard gets everywhere, one window per
tool, and a second console of the same person keeps the kiosks offering help."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from advisor.appointments import booking
from advisor.config import Config
from advisor.handoff import chat, requests
from advisor.handoff.staff import available, report_presence, set_pin
from advisor.session import store
from advisor.session.service import AdviceSession
from tests.ui.conftest import PUBLIC_ADDRESS
from tests.ui.test_console_appointments import always_open, this_quarter_hour
from tests.ui.test_console_appointments import engine as appointments_engine  # noqa: F401 - a fixture
from tests.ui.test_console_appointments import signed_in as signed_in_with_appointments
from tests.ui.test_kiosk import click
from tests.ui.test_staff_console import database
from ui.appointments import AppointmentsView
from ui.ops import Lane
from ui.session import KioskSession
from ui.staff import StaffConsole

PLACES = {"kiosk-zelte": "Zeltabteilung, 1. OG", "kiosk-eingang": "Eingang, EG"}


def console_at(qtbot: QtBot, engine: Any, session: KioskSession) -> StaffConsole:
    """A console of a store whose kiosks have places, signed in as Anna, at a laptop's size."""
    config = Config.model_validate({"store": {"places": PLACES}, "appointments": {"kinds": {"tents": {}}}})
    console = StaffConsole(engine, session.questionnaires, session.catalog, PUBLIC_ADDRESS, config=config)  # type: ignore[arg-type]
    qtbot.addWidget(console)
    console.resize(1280, 720)
    console.show()
    console.name.setText("Anna")
    console.pin.setText("4711")
    click(qtbot, console.sign_in_button)
    qtbot.waitUntil(lambda: console.view is not None)
    return console


def waiting(engine: Any, session: KioskSession, *, kiosk: str | None = "kiosk-zelte", kind: str = "consultant",
            ago: timedelta = timedelta(0), finder: str = "tent-finder") -> int:  # fmt: skip
    questionnaire = session.questionnaires[finder]
    advice = AdviceSession.start(questionnaire, index=session.catalog.categories.get(questionnaire.category),  # type: ignore[union-attr]
                                 locale="de")  # fmt: skip
    record = store.create(engine, advice, store_id="muc-01", consent=True, kiosk_id=kiosk,
                          origin="kiosk" if kiosk else "web")  # fmt: skip
    return requests.request_handoff(engine, session_id=record.id, kind=kind, now=datetime.now(UTC) - ago)


def settled(qtbot: QtBot, lane: Lane) -> None:
    """Every answer the lane's work so far sends back has arrived (a serial lane answers in order)."""
    arrived: list[bool] = []
    lane.run(lambda: None, lambda _: arrived.append(True))
    qtbot.waitUntil(lambda: arrived == [True])


def choose(console: StaffConsole, request_id: int) -> None:
    rows = [console.queue.item(row).data(Qt.ItemDataRole.UserRole) for row in range(console.queue.count())]
    console.queue.setCurrentRow(rows.index(request_id))


def queue_texts(console: StaffConsole) -> list[str]:
    return [console.queue.item(row).text() for row in range(console.queue.count())]


def test_the_wait_counts_up_without_reading_the_database(qtbot: QtBot, session: KioskSession, tmp_path: Path) -> None:
    engine = database(tmp_path, "tick")
    waiting(engine, session, ago=timedelta(seconds=57))
    console = console_at(qtbot, engine, session)
    qtbot.waitUntil(lambda: queue_texts(console) != [])
    assert queue_texts(console)[0].startswith("1. wartet seit eben\nKiosk Zeltabteilung, 1. OG")
    console.poll.stop()  # no more reads: what changes now is the clock only (on PostgreSQL nothing wakes the reads)
    console.presence.stop()
    qtbot.waitUntil(lambda: queue_texts(console)[0].startswith("1. wartet seit 1 Min."), timeout=10_000)
    console.close()


def test_who_waits_how_long_and_where_stays_readable_on_a_laptop(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "laptop")
    for minutes, kiosk, kind, finder in ((7, "kiosk-zelte", "consultant", "tent-finder"),
                                         (5, "kiosk-eingang", "chat", "sleeping-bag-finder"),
                                         (4, None, "chat", "rain-jacket-finder"),
                                         (3, "kiosk-zelte", "consultant", "backpack-finder"),
                                         (1, "kiosk-eingang", "consultant", "tent-finder"),
                                         (0, "kiosk-eingang", "consultant", "sleeping-bag-finder")):  # fmt: skip
        waiting(engine, session, kiosk=kiosk, kind=kind, ago=timedelta(minutes=minutes), finder=finder)
    console = console_at(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 6)
    queue = console.queue
    for row in range(queue.count()):  # the phone customer first (the longest line), chosen or not
        queue.setCurrentRow(row)
        QApplication.processEvents()
        for shown_row in range(queue.count()):
            item = queue.item(shown_row)
            rect = queue.visualItemRect(item)
            room = QRect(0, 0, rect.width() - 12, 10_000)  # the item's border and padding (console_style)
            needed = queue.fontMetrics().boundingRect(room, Qt.TextFlag.TextWordWrap, item.text()).height()
            assert rect.height() >= needed + 12, f"{item.text()!r} is cut: {rect.height()} < {needed + 12}"
    queue.setCurrentRow(0)
    queue.scrollToTop()
    QApplication.processEvents()
    whole = [
        row for row in range(queue.count()) if queue.viewport().rect().contains(queue.visualItemRect(queue.item(row)))
    ]
    assert len(whole) >= 3, "with nobody in my cases, the queue gets the room"
    assert console.cases.height() < queue.height() / 2
    console.close()


def test_a_double_click_on_claim_is_no_error_and_a_customer_who_left_is_told_so(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "claims")
    set_pin(engine, "Ben", "1234")
    first, walked_away = (waiting(engine, session, ago=timedelta(minutes=m)) for m in (3, 2))
    console = console_at(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 2)
    qtbot.mouseClick(console.claim_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(console.claim_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: console.cases.count() == 1 and console.queue.count() == 1)
    settled(qtbot, console.writes)
    assert requests.request_state(engine, first) == (requests.State.CLAIMED, "Anna")
    assert console.notice == "", "the second click of the same person: the case is theirs"

    console.poll.stop()  # she looks at the screen; the customer walks away before her next read
    choose(console, walked_away)
    requests.transition(engine, walked_away, requests.Action.CANCEL)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.notice != "")
    assert "Der Kunde hat die Anfrage beendet" in console.notice and "übernommen wurde" in console.notice
    console.dismiss()
    colleagues = waiting(engine, session)
    console.refresh(force=True)
    qtbot.waitUntil(lambda: [console.queue.item(row).data(Qt.ItemDataRole.UserRole)
                             for row in range(console.queue.count())] == [colleagues])  # fmt: skip
    report_presence(engine, "Ben")  # (Ben at his console: a signed-out colleague's case would be taken over)
    assert requests.claim(engine, colleagues, staff="Ben"), "Ben is faster"
    choose(console, colleagues)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.notice == "Ben hat diesen Kunden schon übernommen.")
    console.close()


def test_enter_on_a_queue_line_claims_it(qtbot: QtBot, session: KioskSession, tmp_path: Path) -> None:
    engine = database(tmp_path, "enter")
    request_id = waiting(engine, session)
    console = console_at(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    console.queue.setFocus()
    console.queue.setCurrentRow(0)
    qtbot.keyClick(console.queue, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: requests.request_state(engine, request_id) == (requests.State.CLAIMED, "Anna"))
    qtbot.waitUntil(lambda: console.cases.count() == 1)
    console.close()


def test_the_code_field_says_a_wrong_code_in_the_consoles_language(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "codes")
    console = console_at(qtbot, engine, session)
    click(qtbot, console.open_code_button)  # nothing typed: nothing happens
    settled(qtbot, console.writes)
    assert console.notice == ""
    for typed in ("ABCD-0000", "ABCD-2345", "AB"):
        console.code.setText(typed)
        click(qtbot, console.open_code_button)
        settled(qtbot, console.writes)
        assert (
            console.notice == "Kein gültiger Code: Zu diesem Code gibt es keine Beratung (oder sie ist abgelaufen)."
        ), typed
        console.dismiss()
    console.close()


def test_two_customers_who_leave_at_once_are_both_named(qtbot: QtBot, session: KioskSession, tmp_path: Path) -> None:
    engine = database(tmp_path, "leave")
    ids = [waiting(engine, session, ago=timedelta(minutes=m)) for m in (3, 2, 1)]
    console = console_at(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 3)
    for claimed in (1, 2, 3):
        console.queue.setCurrentRow(0)
        click(qtbot, console.claim_button)
        qtbot.waitUntil(lambda claimed=claimed: console.cases.count() == claimed)  # type: ignore[misc]
    assert console.view is not None
    codes = {line.key[0]: line.text.split(" · ")[0] for line in console.view.cases}
    for request_id in ids[:2]:
        chat.shopper_left(engine, request_id)
    qtbot.waitUntil(lambda: console.cases.count() == 1)
    qtbot.waitUntil(lambda: all(codes[i] in console.notice for i in ids[:2]))
    assert codes[ids[2]] not in console.notice
    console.close()


def test_tab_leaves_the_notes_and_reaches_the_answer_editor(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "tab")
    request_id = waiting(engine, session)
    console = console_at(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.view is not None and console.view.case is not None and console.notes.isEnabled())
    console.activateWindow()
    console.notes.setFocus()
    console.notes.insertPlainText("Größe M")
    qtbot.keyClick(console.notes, Qt.Key.Key_Tab)
    assert "\t" not in console.notes.toPlainText()
    assert QApplication.focusWidget() is console.edit_step, "Tab moves on to the question to change"
    reached = []
    for _ in range(6):
        reached.append(QApplication.focusWidget())
        if reached[-1] is console.save_answer:
            break
        qtbot.keyClick(reached[-1], Qt.Key.Key_Tab)
    assert console.save_answer in reached, reached
    qtbot.waitUntil(lambda: chat.notes_of(engine, request_id) == "Größe M")
    console.close()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the offscreen platform, raising the window
def test_the_appointments_window_opens_once(qtbot: QtBot, session: KioskSession, appointments_engine: Any) -> None:  # noqa: F811
    console = signed_in_with_appointments(qtbot, appointments_engine, session, always_open())
    for _ in range(3):
        click(qtbot, console.appointments_button)
    assert len(console.findChildren(AppointmentsView)) == 1
    console.appointments.close()
    click(qtbot, console.appointments_button)
    assert len([view for view in console.findChildren(AppointmentsView) if view.isVisible()]) == 1
    console.close()


def test_a_second_enter_on_a_check_in_code_keeps_the_success(
    qtbot: QtBot,
    session: KioskSession,
    appointments_engine: Any,  # noqa: F811
) -> None:
    config = always_open()
    tents = session.questionnaires["tent-finder"]
    advice = AdviceSession.start(tents, index=session.catalog.categories["tents"], locale="de")  # type: ignore[union-attr]
    record = store.create(appointments_engine, advice, store_id=config.store.id, consent=True, origin="web")
    starts_at = this_quarter_hour(config)
    booking.book(appointments_engine, config=config, category_id="tents", starts_at=starts_at, name="Kim Berger",
                 contact="kim@example.com", locale="de", channel="web", session_id=record.id, products=[],
                 now=starts_at - timedelta(minutes=1))  # fmt: skip
    console = signed_in_with_appointments(qtbot, appointments_engine, session, config)
    click(qtbot, console.appointments_button)
    view = console.appointments
    qtbot.waitUntil(lambda: view.view is not None)
    view.code.setText(record.resume_code)
    qtbot.keyClick(view.code, Qt.Key.Key_Return)
    qtbot.keyClick(view.code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "eingecheckt" in view.notice.text())
    settled(qtbot, view.writes)
    assert "eingecheckt" in view.notice.text() and "keinen gebuchten Termin" not in view.notice.text()
    view.close()
    console.close()


def test_closing_one_of_two_consoles_of_the_same_person_keeps_them_available(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "two")
    counter = console_at(qtbot, engine, session)
    tablet = console_at(qtbot, engine, session)
    settled(qtbot, tablet.writes)
    counter.close()  # the tablet reported after the counter PC did
    assert available(engine) == ["Anna"], "the tablet is still signed in"

    counter = console_at(qtbot, engine, session)  # now the counter PC reported last
    settled(qtbot, counter.writes)
    assert counter.reported_at is not None and tablet.reported_at is not None
    assert counter.reported_at > tablet.reported_at
    counter.close()
    qtbot.waitUntil(lambda: available(engine) == ["Anna"], timeout=3000)  # the tablet said it is there again at once
    tablet.close()
    assert available(engine) == [], "the last console closed: the kiosks stop offering help at once"


def test_the_console_screenshots_name_the_kiosks_places(qtbot: QtBot, tmp_path: Path) -> None:
    from ui.screenshots import open_console

    _app, console = open_console(locale="de", size=QSize(1280, 720), db_url=f"sqlite:///{tmp_path / 'shots.sqlite3'}")
    qtbot.addWidget(console)
    texts = " ".join(queue_texts(console))
    assert "Kiosk Zeltabteilung, 1. OG" in texts and "kiosk-zelte" not in texts
    console.close()


def test_the_chat_of_a_customer_who_left_names_them_beside_the_next_case(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """Anna chats with one customer, who leaves; she looks at the next one waiting. The chat still shows what the
    one who left said, headed by their code, so it is not read as the waiting customer's."""
    engine = database(tmp_path, "left")
    chatting = waiting(engine, session, kind="chat", ago=timedelta(minutes=3))
    console = console_at(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.cases.count() == 1)
    assert console.view is not None
    code = console.view.cases[0].text.split(" · ")[0]
    chat.post_message(engine, chatting, sender="shopper", text="Gibt es das Zelt in Grün?")
    qtbot.waitUntil(lambda: any("in Grün" in console.chat.item(row).text() for row in range(console.chat.count())))
    next_one = waiting(engine, session)
    chat.shopper_left(engine, chatting)
    qtbot.waitUntil(lambda: console.cases.count() == 0 and console.queue.count() == 1)
    choose(console, next_one)
    qtbot.waitUntil(lambda: console.view is not None and console.view.preview is not None
                    and console.view.preview.key[0] == next_one)  # fmt: skip
    lines = [console.chat.item(row).text() for row in range(console.chat.count())]
    assert any("in Grün" in line for line in lines), "what the customer who left said stays readable"
    assert code in lines[0] and "beendet" in lines[0], lines
    console.close()
