"""Kiosk and staff console on one database: consent, call, queue, alert, claim, the case, close."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from advisor.db import make_engine, upgrade
from advisor.handoff import chat, requests, sessions
from advisor.handoff.staff import report_presence, set_pin
from advisor.recommend.index import CatalogIndex
from tests.helpers.index import sample_index
from tests.ui.conftest import CATEGORIES, PUBLIC_ADDRESS
from tests.ui.test_kiosk import answer_by_click, click, start
from ui.session import KioskSession
from ui.staff import StaffConsole
from ui.talk import TalkDialog
from ui.window import KioskWindow


def staffed(session: KioskSession, url: str, staff: str = "Anna", pin: str = "4711") -> Engine:
    """The kiosk on a fresh database while `staff` is signed in at a console somewhere; the database's engine."""
    engine = make_engine(url)
    upgrade(engine)
    set_pin(engine, staff, pin)
    report_presence(engine, staff)
    session.engine = engine
    return engine


def open_talk(qtbot: QtBot, window: KioskWindow) -> TalkDialog:
    """The shopper's tap on "Mit einer Person sprechen"."""
    click(qtbot, window.top_bar.talk_button)
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    return dialog


def signed_in_console(qtbot: QtBot, engine: Any, session: KioskSession, name: str, pin: str) -> StaffConsole:
    """A staff console on the same database, after a sign-in with this PIN (checked on a worker): signed in, or
    saying why not. Signed in, it has shown its first read of the queue and cases."""
    console = StaffConsole(engine, session.questionnaires, CatalogIndex(1, {c: sample_index(c) for c in CATEGORIES}),
                           PUBLIC_ADDRESS)  # fmt: skip
    qtbot.addWidget(console)
    console.show()
    console.name.setText(name)
    console.pin.setText(pin)
    click(qtbot, console.sign_in_button)
    qtbot.waitUntil(lambda: console.view is not None or bool(console.sign_in_error.text()))
    return console


def call_staff(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, database_url: str, kind: str, *,
    staff: str = "Anna", pin: str = "4711", answers: int = 2,
) -> Any:  # fmt: skip
    """A shopper who answered `answers` questions of the tent finder and, with consent, called a consultant (or
    opened a chat) while `staff` is signed in at a console somewhere; the database's engine."""
    engine = staffed(session, database_url, staff, pin)
    start(qtbot, window, "tent-finder")
    for _ in range(answers):
        answer_by_click(qtbot, window)
    dialog = open_talk(qtbot, window)
    dialog.consent.setChecked(True)
    click(qtbot, dialog.call if kind == "consultant" else dialog.chat)
    qtbot.waitUntil(lambda: dialog.request_id is not None)
    return engine


def test_a_consultant_is_called_claimed_and_the_case_closed(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, database_url: str
) -> None:
    """The same on the SQLite file and on the real PostgreSQL server."""
    engine = staffed(session, database_url)
    start(qtbot, window, "tent-finder")
    answer_by_click(qtbot, window)
    answer_by_click(qtbot, window)

    dialog = open_talk(qtbot, window)
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.call.isEnabled(), "nothing may go to staff without consent"
    assert requests.queue(engine) == []
    dialog.consent.setChecked(True)
    click(qtbot, dialog.call)
    qtbot.waitUntil(lambda: "Nummer 1" in dialog.status.text())
    assert "Code" in dialog.code.text()
    talk = window.top_bar.talk_button
    qtbot.waitUntil(lambda: talk.text() == "Deine Anfrage läuft")  # the dialog closed, the request still open

    console = signed_in_console(qtbot, engine, session, "Anna", "0000")
    assert console.staff is None
    assert "falsch" in console.sign_in_error.text()
    console.pin.setText("4711")
    click(qtbot, console.sign_in_button)
    qtbot.waitUntil(lambda: console.staff == "Anna")
    assert console.pages.currentIndex() == 1, "signed in, the console shows the queue"
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    assert "Beratung vor Ort" in console.queue.item(0).text() and "wartet seit" in console.queue.item(0).text()
    qtbot.waitUntil(lambda: console.alert.isVisible())  # a red banner and a sound until someone claims
    assert "Ein Kunde wartet" in console.alert_text.text()
    assert console.rings >= 1

    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.cases.count() == 1)

    def case_shown() -> None:
        shown = console.case_text()
        assert "Antworten" in shown and "Region" in shown, "the answers are in the case, by their short labels"
        assert "✓" in shown, "the recommendations come with their reasons"
        assert "€" in shown, "with their price"

    qtbot.waitUntil(case_shown)  # the claimed case is selected and read
    qtbot.waitUntil(lambda: console.queue.count() == 0)
    assert not console.alert.isVisible()
    qtbot.waitUntil(lambda: "Anna ist auf dem Weg" in dialog.status.text())
    assert not dialog.cancel.isVisible()
    qtbot.waitUntil(lambda: talk.text() == "Anna kommt zu dir")

    console.notes.setFocus()
    console.notes.setPlainText("Kunde möchte ein leichteres Zelt; Karwendel gezeigt.")  # saved as typed
    request_id = requests.claimed_by(engine, "Anna")[0].request_id
    qtbot.waitUntil(lambda: chat.notes_of(engine, request_id).startswith("Kunde möchte"))
    qtbot.waitUntil(lambda: "Gespeichert" in console.notes_state.text())
    click(qtbot, console.close_button)
    qtbot.waitUntil(lambda: "beendet" in dialog.status.text())
    qtbot.waitUntil(lambda: talk.text() == "Mit einer Person sprechen")
    qtbot.waitUntil(lambda: console.cases.count() == 0)
    assert "Kein Fall gewählt" in console.case_text(), "the closed case leaves the screen"
    dialog.done(0)
    console.close()
    QApplication.processEvents()


def test_without_a_database_the_dialog_says_how_to_find_staff(qtbot: QtBot, window: KioskWindow) -> None:
    dialog = open_talk(qtbot, window)
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.call.isVisible()
    assert not dialog.consent.isVisible()
    dialog.done(0)


def test_cancelling_while_waiting(qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path) -> None:
    engine = staffed(session, f"sqlite:///{tmp_path / 'cancel.sqlite3'}")
    start(qtbot, window, "backpack-finder")
    dialog = open_talk(qtbot, window)
    dialog.consent.setChecked(True)
    click(qtbot, dialog.call)
    qtbot.waitUntil(lambda: dialog.request_id is not None)
    click(qtbot, dialog.cancel)
    qtbot.waitUntil(lambda: requests.state_of(engine, dialog.request_id or 0) == requests.State.CANCELLED)
    qtbot.waitUntil(lambda: "beendet" in dialog.status.text())
    with engine.connect() as connection:  # the report tells a withdrawal within seconds from a real need
        withdrawn = connection.exec_driver_sql(
            "SELECT value, number FROM advice_event WHERE kind = 'handoff_cancelled'"
        ).all()
    assert len(withdrawn) == 1 and 0 <= withdrawn[0][1] < 30
    assert Qt.WindowModality.NonModal != dialog.windowModality()
    dialog.done(0)


def test_chat_between_the_shopper_and_staff(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    engine = staffed(session, f"sqlite:///{tmp_path / 'chat.sqlite3'}", "Ben", "1234")
    start(qtbot, window, "rain-jacket-finder")
    dialog = open_talk(qtbot, window)
    dialog.consent.setChecked(True)
    click(qtbot, dialog.chat)
    qtbot.waitUntil(dialog.message.isVisible)
    dialog.message.setText("Welche Jacke ist leichter?")
    click(qtbot, dialog.send)
    qtbot.waitUntil(lambda: dialog.lines.count() == 1)

    console = signed_in_console(qtbot, engine, session, "Ben", "1234")
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.chat.count() == 1)
    assert "Welche Jacke ist leichter?" in console.chat.item(0).text()
    console.message.setText("Die Föhnsturm wiegt 390 g.")
    click(qtbot, console.send_button)
    qtbot.waitUntil(lambda: dialog.lines.count() == 2)
    assert dialog.lines.item(1).text() == "Ben: Die Föhnsturm wiegt 390 g."
    qtbot.waitUntil(lambda: "Ben ist jetzt für dich im Chat" in dialog.status.text())
    dialog.done(0)  # the shopper closes the chat window: the chat goes on, and the top bar leads back to it
    qtbot.waitUntil(lambda: window.top_bar.talk_button.text() == "Zum Chat mit Ben")
    console.close()


def test_a_request_reopened_after_a_language_switch_speaks_the_new_language(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    call_staff(qtbot, window, session, f"sqlite:///{tmp_path / 'lang.sqlite3'}", "chat")
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    qtbot.waitUntil(lambda: "Warteschlange" in dialog.status.text())
    assert (dialog.send.text(), dialog.cancel.text()) == ("Senden", "Anfrage zurückziehen")
    dialog.done(0)  # back to the advice; the request stays open
    session.set_locale("en")
    click(qtbot, window.top_bar.talk_button)
    assert window.talk_dialog is dialog, "the open request shows again"
    assert (dialog.send.text(), dialog.cancel.text()) == ("Send", "Cancel the request")
    assert dialog.message.accessibleName() == "Message" and dialog.lines.accessibleName() == "Messages with staff"
    qtbot.waitUntil(lambda: "queue" in dialog.status.text())


def test_staff_change_an_answer_and_the_kiosk_shows_the_new_advice(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    from tests.ui.test_kiosk import wait_for_products
    from ui import session as views

    engine = staffed(session, f"sqlite:///{tmp_path / 'change.sqlite3'}")
    start(qtbot, window, "tent-finder")
    while session.view == views.QUESTION:
        answer_by_click(qtbot, window)
    wait_for_products(qtbot, window)
    before = dict(session.state.answers)  # type: ignore[union-attr]
    dialog = open_talk(qtbot, window)
    dialog.consent.setChecked(True)
    click(qtbot, dialog.call)

    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.edit_step.count() > 0)
    console.edit_step.setCurrentIndex(console.edit_step.findData("region"))
    new = next(i for i in range(console.edit_value.count()) if console.edit_value.itemData(i) != before["region"])
    console.edit_value.setCurrentIndex(new)
    click(qtbot, console.save_answer)
    qtbot.waitUntil(lambda: session.state is not None and session.state.answers.get("region") != before["region"])
    click(qtbot, console.close_button)  # hand back
    qtbot.waitUntil(lambda: "beendet" in dialog.status.text())
    dialog.done(0)
    assert session.view in (views.RESULTS, views.QUESTION)  # the new answers may bring up a step not yet asked
    console.close()


def test_with_nobody_at_a_console_no_call_is_offered(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nobody.sqlite3'}")
    upgrade(engine)
    set_pin(engine, "Anna", "4711")  # known, but not signed in
    session.engine = engine
    start(qtbot, window, "tent-finder")
    dialog = open_talk(qtbot, window)
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.call.isVisible()
    assert not dialog.chat.isVisible()
    assert any("niemand" in child.text() for child in dialog.findChildren(QLabel))
    dialog.done(0)


def test_the_consent_is_an_empty_box_until_ticked(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """Not a check mark beside "I agree" before anyone agreed: the consent reads as a box to tick."""
    from ui.widgets import icon_pixmap

    staffed(session, f"sqlite:///{tmp_path / 'consent.sqlite3'}")
    start(qtbot, window, "tent-finder")
    dialog = open_talk(qtbot, window)
    qtbot.waitUntil(dialog.consent.isVisible)
    consent, picture = dialog.consent, dialog.consent.picture
    assert picture is not None

    def shows(name: str) -> bool:
        return picture.pixmap().toImage() == icon_pixmap(name, 48).toImage()

    assert shows("tickbox") and not dialog.call.isEnabled()
    click(qtbot, consent)
    assert shows("tickbox_checked") and dialog.call.isEnabled()
    assert not consent.badge.isVisible(), "the ticked box says it; no second check mark"
    click(qtbot, consent)
    assert shows("tickbox") and not dialog.call.isEnabled()
    dialog.done(0)


def test_the_greyed_out_call_says_why_and_is_as_large_as_the_cards_under_it(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """Grey, dashed and without a word, the call and the chat looked broken until the consent was ticked."""
    from ui.speech import describe

    staffed(session, f"sqlite:///{tmp_path / 'hint.sqlite3'}")
    start(qtbot, window, "tent-finder")
    dialog = open_talk(qtbot, window)
    qtbot.waitUntil(dialog.consent.isVisible)
    hint = dialog.consent_first
    qtbot.waitUntil(hint.isVisible)
    assert hint.text() == "Erst oben zustimmen – dann kommt jemand zu dir."
    why = "Erst oben zustimmen – dann kommt jemand zu dir."
    assert describe(hint, "de") == f"Jetzt chatten, Beratung hierher rufen, nicht verfügbar. {why}", "reached by keys"
    assert dialog.call.accessibleDescription() == hint.text(), "a screen reader on the button hears why too"
    chat, call, phone, summary = (w.geometry() for w in (dialog.chat, dialog.call, dialog.phone, dialog.summary))
    assert (chat.left(), chat.width(), chat.height()) == (phone.left(), phone.width(), phone.height())
    assert (call.right(), call.width(), call.height()) == (summary.right(), summary.width(), summary.height())
    below = phone.top()
    click(qtbot, dialog.consent)
    qtbot.waitUntil(lambda: not hint.isVisible())
    assert dialog.call.isEnabled() and dialog.call.accessibleDescription() == ""
    assert dialog.phone.geometry().top() == below, "the cards stay where the shopper saw them"
    click(qtbot, dialog.consent)
    qtbot.waitUntil(hint.isVisible)
    dialog.done(0)


def test_a_session_reopens_by_its_code_at_another_kiosk(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    from ui import session as views
    from ui.code import CodeDialog

    engine = make_engine(f"sqlite:///{tmp_path / 'code.sqlite3'}")
    upgrade(engine)
    stored = sessions.create_session(
        engine,
        questionnaire_id="backpack-finder",
        answers={"who": "women", "shared": "maybe"},
        locale="en",
        consent=True,
    )
    session.engine = engine
    click(qtbot, window.screens["welcome"].start)  # type: ignore[attr-defined]
    click(qtbot, window.stack.currentWidget().code)
    dialog = window.stack.currentWidget().code_dialog
    assert isinstance(dialog, CodeDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.shown.text() == "····-····", "eight places in two groups of four, like the printed ABCD-2345"
    for character in "ZZZZZZZZ":
        dialog.type(character)
    assert dialog.shown.text() == "ZZZZ-ZZZZ"
    click(qtbot, dialog.open_button)
    qtbot.waitUntil(lambda: bool(dialog.message.text()))  # the lookup runs on a worker
    assert "no advice" in dialog.message.text().lower() or "keine beratung" in dialog.message.text().lower()
    assert dialog.code == "", "a wrong code is cleared for the next try"
    keys = {key.text(): key for key in dialog.findChildren(QPushButton) if len(key.text()) == 1}
    for character in stored.resume_code:
        click(qtbot, keys[character])
    click(qtbot, dialog.open_button)
    qtbot.waitUntil(lambda: session.questionnaire is not None and session.questionnaire.id == "backpack-finder")
    assert session.locale == "en"
    assert session.state is not None
    assert session.state.answers.get("who") == "women"
    assert "shared" not in session.state.answers  # an answer this version no longer accepts is dropped
    assert session.view == views.QUESTION


def test_staff_open_a_session_by_its_code(qtbot: QtBot, session: KioskSession, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'console-code.sqlite3'}")
    upgrade(engine)
    set_pin(engine, "Anna", "4711")
    stored = sessions.create_session(
        engine, questionnaire_id="tent-finder", answers={"region": "alpine"}, locale="de", consent=True
    )
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    assert console.staff == "Anna"
    assert console.code.placeholderText() == "Code (ABCD-2345)"
    console.code.setText("ABC-DEF")
    click(qtbot, console.open_code_button)
    qtbot.waitUntil(lambda: "Kein gültiger Code" in console.notice)
    assert console.cases.count() == 0
    console.code.setText(stored.resume_code.lower())
    click(qtbot, console.open_code_button)
    qtbot.waitUntil(lambda: console.cases.count() == 1)
    qtbot.waitUntil(lambda: "Hochgebirge" in console.case_text())
    assert console.cases.currentRow() == 0, "the opened case is selected"
    assert console.code.text() == ""
    click(qtbot, console.close_button)
    qtbot.waitUntil(lambda: console.cases.count() == 0)
    console.close()


def test_a_lost_database_connection_is_said_plainly(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    engine = staffed(session, f"sqlite:///{tmp_path / 'gone.sqlite3'}")
    start(qtbot, window, "tent-finder")
    dialog = open_talk(qtbot, window)
    dialog.consent.setChecked(True)
    with engine.begin() as connection:  # the handoff tables are gone: every handoff query now fails
        connection.exec_driver_sql("DROP TABLE chat_message")
        connection.exec_driver_sql("DROP TABLE handoff_request")
    click(qtbot, dialog.call)
    qtbot.waitUntil(lambda: "gestört" in dialog.status.text())
    dialog.done(0)


def test_when_the_database_is_lost_the_talk_dialog_says_so_not_that_nobody_is_there(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    engine = staffed(session, f"sqlite:///{tmp_path / 'lost.sqlite3'}")  # Anna is at a console
    start(qtbot, window, "tent-finder")
    with engine.begin() as connection:  # the database fails every read from now on (the kiosk has not noticed yet)
        connection.exec_driver_sql("DROP TABLE staff_member")
    dialog = open_talk(qtbot, window)
    qtbot.waitUntil(lambda: dialog.lost)
    assert "nicht erreichbar" in dialog.explanation.text() and "niemand" not in dialog.explanation.text()
    assert not dialog.summary.isVisible() and not dialog.phone.isVisible(), "nothing offered that needs the database"
    assert not dialog.call.isVisible() and not dialog.book.isVisible()
    dialog.done(0)


def test_a_request_nobody_claims_in_time_tells_the_shopper_so(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """Nobody takes the consultant call within the store's time for a request: the kiosk says nobody could come
    and stops waiting, at that moment (not at the next hourly clean-up)."""
    from datetime import UTC, datetime, timedelta

    from advisor.config import Config

    session.config = Config.model_validate({"privacy": {"unclaimed_request_minutes": 1}})
    engine = call_staff(qtbot, window, session, f"sqlite:///{tmp_path / 'late.sqlite3'}", "consultant")
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog) and dialog.request_id is not None
    assert dialog.expiry.isActive() and 60_000 <= dialog.expiry.interval() <= 62_000
    with engine.begin() as connection:  # asked longer ago than the store waits for a claim
        connection.exec_driver_sql(
            "UPDATE handoff_request SET requested_at = ? WHERE id = ?",
            (datetime.now(UTC) - timedelta(minutes=2), dialog.request_id),
        )
    dialog.expiry.timeout.emit()  # (the minute is up)
    qtbot.waitUntil(
        lambda: dialog.status.text() == "Leider konnte in der Zeit niemand aus dem Team antworten – das tut uns leid."
    )
    assert requests.state_of(engine, dialog.request_id) == requests.State.EXPIRED
    assert not dialog.cancel.isVisible() and not dialog.expiry.isActive()
    dialog.done(0)


def test_a_phone_chat_asked_for_again_at_the_kiosk_goes_on_there_with_its_lines(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """She chatted from her phone, typed her code at the kiosk and asks again: she agreed already (the box is
    ticked), the chat is the same one with its lines, and she waits behind nobody but the team's other customers."""
    from advisor.session import store

    engine = staffed(session, f"sqlite:///{tmp_path / 'moved.sqlite3'}")
    stored = sessions.create_session(engine, questionnaire_id="tent-finder", answers={"persons": 2}, locale="de",
                                     origin="web", consent=True)  # fmt: skip
    asked = requests.request_handoff(engine, session_id=stored.id, kind="chat", channel="web")
    requests.claim(engine, asked, staff="Anna")
    chat.post_message(engine, asked, sender="shopper", text="Ist das Zelt sturmfest?")
    chat.post_message(engine, asked, sender="staff", text="Ja, bis 9 Beaufort.", author="Anna")
    record = store.read(engine, stored.id)
    assert record is not None
    session.resume(record)  # (her code typed at the kiosk)
    dialog = open_talk(qtbot, window)
    qtbot.waitUntil(dialog.chat.isVisible)
    assert dialog.consent.isChecked() and dialog.chat.isEnabled(), "not asked to agree twice"
    click(qtbot, dialog.chat)
    qtbot.waitUntil(lambda: dialog.lines.count() == 2)
    assert [dialog.lines.item(row).text() for row in range(2)][1] == "Anna: Ja, bis 9 Beaufort."
    assert requests.requests_of(engine, stored.id) == [(asked, requests.State.CLAIMED, "Anna")]
    assert requests.channel_of(engine, asked) == "kiosk"
    dialog.done(0)


def test_a_kiosk_closed_with_a_request_open_ends_it(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """Store IT closes the kiosk (its exit PIN) while a call is open: nobody walks to a kiosk that is off."""
    engine = call_staff(qtbot, window, session, f"sqlite:///{tmp_path / 'closed.sqlite3'}", "consultant")
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog) and dialog.request_id is not None
    qtbot.waitUntil(lambda: session.handoff is not None)
    request_id = dialog.request_id
    dialog.done(0)
    session.shutdown()
    assert requests.state_of(engine, request_id) == requests.State.CANCELLED
