"""The staff console as a sales person uses it, beside a real kiosk on one database: change one answer of a case
and both screens agree; unread marks; notes saved as typed; closing asks about what is unsaved; messages stay
until dismissed; the console's own language; a shopper who ends the request is told."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QToolTip
from pytestqt.qtbot import QtBot

from advisor.config import Config
from advisor.db import make_engine, upgrade
from advisor.handoff import chat, requests
from advisor.handoff.staff import report_presence, set_pin
from advisor.session import store
from advisor.session.service import AdviceSession, plain_answers
from tests.ui.test_handoff import signed_in_console
from tests.ui.test_kiosk import answer_by_click, click, current, start, wait_for_products
from ui import session as views
from ui.session import KioskSession
from ui.staff import StaffConsole
from ui.talk import TalkDialog
from ui.window import KioskWindow


def database(tmp_path: Path, name: str) -> Any:
    engine = make_engine(f"sqlite:///{tmp_path / f'{name}.sqlite3'}")
    upgrade(engine)
    set_pin(engine, "Anna", "4711")
    report_presence(engine, "Anna")  # a console is signed in somewhere
    return engine


def walk_seven(qtbot: QtBot, window: KioskWindow) -> None:
    """The tent finder for a family: seven questions on the path (how much weight matters is not asked)."""
    start(qtbot, window, "tent-finder")
    while window.session.view == views.QUESTION:
        answer_by_click(qtbot, window, prefer="family")
    wait_for_products(qtbot, window)


def kiosk_order(window: KioskWindow) -> list[str]:
    screen = current(window)
    return [card.sku for card in screen.products.cards]


def console_order(console: StaffConsole) -> list[str]:
    case = console.view.case if console.view is not None else None
    return [pick.sku for pick in case.sheet.picks] if case is not None and case.sheet is not None else []


def test_one_answer_changed_at_the_console_keeps_the_other_six_and_both_screens_agree(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "seven")
    session.engine = engine
    walk_seven(qtbot, window)
    before = plain_answers(session.state.answers)  # type: ignore[union-attr]  # as stored: JSON lists
    assert len(before) == 7 and before["trip"] == "family"
    click(qtbot, window.top_bar.talk_button)
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    dialog.consent.setChecked(True)
    click(qtbot, dialog.call)
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console_order(console) != [])
    assert console_order(console) == kiosk_order(window), "the console lists the shortlist as the kiosk shows it"

    console.edit_step.setCurrentIndex(console.edit_step.findData("persons"))
    assert console.edit_number.isVisible()
    assert console.edit_number.value() == before["persons"], "the editor starts at the customer's answer"
    console.edit_number.setValue(int(before["persons"]) + 1)
    click(qtbot, console.save_answer)
    session_id = console.view.case.key[1] if console.view and console.view.case else ""
    qtbot.waitUntil(lambda: (store.read(engine, session_id) or store.read(engine, "")) is not None
                    and store.read(engine, session_id).snapshot.answers.get("persons") == before["persons"] + 1)  # type: ignore[union-attr]  # fmt: skip
    saved = dict(store.read(engine, session_id).snapshot.answers)  # type: ignore[union-attr]
    assert {key: value for key, value in saved.items() if key != "persons"} == {
        key: value for key, value in before.items() if key != "persons"
    }, "the other six answers are kept"
    qtbot.waitUntil(lambda: "Geändert" in console.notice)

    qtbot.waitUntil(lambda: session.state is not None and session.state.answers.get("persons") == before["persons"] + 1)
    wait_for_products(qtbot, window)
    qtbot.waitUntil(lambda: console.view is not None and console.view.case is not None
                    and console.view.case.session.state.answers.get("persons") == before["persons"] + 1)  # fmt: skip
    qtbot.waitUntil(lambda: kiosk_order(window) != [] and kiosk_order(window) == console_order(console))
    dialog.done(0)
    console.close()


def test_a_change_that_brings_up_a_question_flags_it(qtbot: QtBot, session: KioskSession, tmp_path: Path) -> None:
    engine = database(tmp_path, "opened")
    tents = session.questionnaires["tent-finder"]
    advice = AdviceSession.start(tents, index=session.catalog.categories["tents"], locale="de")  # type: ignore[union-attr]
    advice.set_answers({"region": "rough", "trip": "family", "frequency": "regularly", "persons": 4,
                        "extra_space": True, "body_height": 185, "extras": ("two_entrances",)})  # fmt: skip
    record = store.create(engine, advice, store_id="muc-01", consent=True)
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    console.code.setText(record.resume_code)
    click(qtbot, console.open_code_button)
    qtbot.waitUntil(lambda: console.edit_step.findData("trip") >= 0)
    console.edit_step.setCurrentIndex(console.edit_step.findData("trip"))
    assert console.edit_value.currentData() == "family", "the current answer is chosen"
    console.edit_value.setCurrentIndex(console.edit_value.findData("trekking"))
    click(qtbot, console.save_answer)
    qtbot.waitUntil(lambda: "neu offen" in console.notice)
    assert "geringes Gewicht" in console.notice
    qtbot.waitUntil(lambda: "neu – bitte fragen" in console.case_text())
    qtbot.waitUntil(lambda: console.edit_step.currentData() == "weight_importance")
    assert console.edit_step.currentText() == "Gewicht (neu – fragen)", "by its short label, flagged to ask"
    tip = console.edit_step.itemData(console.edit_step.currentIndex(), Qt.ItemDataRole.ToolTipRole)
    assert tip == "Wie wichtig ist dir ein geringes Gewicht?", "the question word for word, to ask it"
    assert console.edit_value.currentIndex() == -1, "an open question shows no answer as if it were the customer's"
    assert console.edit_value.placeholderText() == "Antwort wählen …"
    click(qtbot, console.save_answer)
    assert console.notice == "Antwort wählen …"
    console.close()


def test_unread_marks_notes_as_typed_and_closing_asks(qtbot: QtBot, session: KioskSession, tmp_path: Path) -> None:
    engine = database(tmp_path, "marks")
    tents = session.questionnaires["tent-finder"]
    ids = []
    for origin in ("kiosk", "web"):
        advice = AdviceSession.start(tents, index=session.catalog.categories["tents"], locale="de")  # type: ignore[union-attr]
        record = store.create(engine, advice, store_id="muc-01", consent=True, origin=origin, kiosk_id="k1")
        ids.append(requests.request_handoff(engine, session_id=record.id, kind="chat"))
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    qtbot.waitUntil(lambda: console.queue.count() == 2)
    assert "Chat am Kiosk" in console.queue.item(0).text() and "Chat vom Handy" in console.queue.item(1).text()
    for claimed in (1, 2):
        console.queue.setCurrentRow(0)
        click(qtbot, console.claim_button)
        qtbot.waitUntil(lambda claimed=claimed: console.cases.count() == claimed)  # type: ignore[misc]
    qtbot.waitUntil(lambda: console.cases.count() == 2 and console.queue.count() == 0)
    # the case claimed last is the one on screen
    qtbot.waitUntil(lambda: console.view is not None and console.view.case is not None
                    and console.view.case.key[0] == ids[1])  # fmt: skip
    other = ids[0]
    chat.post_message(engine, other, sender="shopper", text="Sind Sie noch da?")
    qtbot.waitUntil(lambda: any(count == 1 for count in console.unread().values()))
    marked = next(row for row in range(console.cases.count()) if "1 neue Nachricht" in console.cases.item(row).text())
    console.cases.setCurrentRow(marked)
    qtbot.waitUntil(lambda: console.chat.count() == 1 and "Sind Sie noch da?" in console.chat.item(0).text())
    qtbot.waitUntil(lambda: all(count == 0 for count in console.unread().values()))

    console.notes.setFocus()
    console.notes.setPlainText("Sucht Familienzelt, Budget 400 €")
    qtbot.waitUntil(lambda: chat.notes_of(engine, other) == "Sucht Familienzelt, Budget 400 €")
    qtbot.waitUntil(lambda: console.notes_state.text().startswith("Gespeichert"))
    console.message.setText("Ich komme gleich")
    click(qtbot, console.close_button)
    qtbot.waitUntil(lambda: getattr(console, "close_prompt", None) is not None and console.close_prompt.isVisible())
    assert "nicht gesendet" in console.close_prompt.text()
    keep = next(b for b in console.close_prompt.buttons()
                if console.close_prompt.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)  # fmt: skip
    keep.click()
    assert requests.state_of(engine, other) == requests.State.CLAIMED, "keep editing: nothing is closed"
    assert console.message.text() == "Ich komme gleich"
    click(qtbot, console.close_button)
    qtbot.waitUntil(lambda: console.close_prompt.isVisible())
    save = next(b for b in console.close_prompt.buttons()
                if console.close_prompt.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)  # fmt: skip
    save.click()
    qtbot.waitUntil(lambda: requests.state_of(engine, other) == requests.State.CLOSED)
    assert [m.text for m in chat.messages(engine, other)][-1] == "Ich komme gleich", "saved means sent"
    qtbot.waitUntil(lambda: console.cases.count() == 1)
    assert "Kein Fall gewählt" in console.case_text()
    console.close()


def test_messages_stay_until_dismissed_and_a_shopper_who_ends_is_told(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "notices")
    tents = session.questionnaires["tent-finder"]
    advice = AdviceSession.start(tents, index=session.catalog.categories["tents"], locale="de")  # type: ignore[union-attr]
    record = store.create(engine, advice, store_id="muc-01", consent=True, kiosk_id="kiosk-zelte")
    first = requests.request_handoff(engine, session_id=record.id, kind="consultant")
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    assert requests.claim(engine, first, staff="Ben"), "a colleague claims it first"
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: "schon übernommen" in console.notice)
    for _ in range(8):  # several reads later, the message is still there
        console.refresh(force=True)
        qtbot.waitUntil(lambda: not console._reading)
    assert "schon übernommen" in console.notice
    click(qtbot, console.dismiss_button)
    assert console.notice == ""

    other = store.create(engine, advice, store_id="muc-01", consent=True, kiosk_id="kiosk-zelte")  # the next shopper
    second = requests.request_handoff(engine, session_id=other.id, kind="consultant")
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.cases.count() == 1)
    requests.transition(engine, second, requests.Action.CANCEL)  # the shopper walked away from the kiosk
    qtbot.waitUntil(lambda: "verlassen" in console.notice)
    qtbot.waitUntil(lambda: console.cases.count() == 0)
    console.close()


def test_a_database_that_stays_away_is_logged_once_and_its_return_too(
    qtbot: QtBot, session: KioskSession, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    engine = database(tmp_path, "away")
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    capfd.readouterr()
    with engine.begin() as connection:  # every reading of the queue fails while the table is away
        connection.exec_driver_sql("ALTER TABLE handoff_request RENAME TO handoff_request_away")
    for _ in range(6):
        console.refresh(force=True)
        qtbot.waitUntil(lambda: not console._reading)
    assert "nicht erreichbar" in console.notice
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE handoff_request_away RENAME TO handoff_request")
    console.refresh(force=True)
    qtbot.waitUntil(lambda: console.notice == "")
    journal = capfd.readouterr().err
    assert journal.count("advisor staff: database unreachable") == 1, journal
    assert journal.count("advisor staff: database reachable again") == 1, journal
    console.close()


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")  # the offscreen platform, at a list
def test_the_console_speaks_its_staff_members_language(qtbot: QtBot, session: KioskSession, tmp_path: Path) -> None:
    engine = database(tmp_path, "english")
    tents = session.questionnaires["tent-finder"]
    advice = AdviceSession.start(tents, index=session.catalog.categories["tents"], locale="de")  # type: ignore[union-attr]
    advice.set_answers({"region": "rough", "trip": "trekking"})
    record = store.create(engine, advice, store_id="muc-01", consent=True, kiosk_id="kiosk-zelte")
    requests.request_handoff(engine, session_id=record.id, kind="consultant")
    places = {"kiosk-zelte": {"de": "Zeltabteilung, 1. OG", "en": "Tents, 1st floor"}}  # the chosen language's
    config = Config.model_validate({"store": {"places": places}})
    console = StaffConsole(engine, session.questionnaires, session.catalog, config=config)  # type: ignore[arg-type]
    qtbot.addWidget(console)
    console.show()
    console.language.setCurrentIndex(console.language.findData("en"))
    assert console.sign_in_button.text() == "Sign in"
    console.name.setText("Anna")
    console.pin.setText("4711")
    click(qtbot, console.sign_in_button)
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    line = console.queue.item(0).text()
    assert line == (  # (a German customer at an English console: said on the line, for who can serve them)
        "1. waiting since just now\nKiosk Tents, 1st floor\nIn person at the kiosk · Tent finder · speaks German"
    )
    assert "A customer is waiting" in console.alert_text.text()
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: "Shortlist" in console.case_text())
    shown = console.case_text()
    assert "speaks German" in shown and "Region" in shown and "Where will you pitch your tent" not in shown
    assert "passen" not in shown and "Antworten" not in shown, "one language per console"
    console.resize(1280, 720)  # a store laptop: the case sheet, what staff read, is the widest column
    qtbot.waitUntil(lambda: console.width() == 1280 and console.case.width() >= 480)
    assert console.case.width() > max(console.queue.width(), console.chat.width())
    question = console.edit_step  # the question by its short label: whole in its box, as the tooltip too
    qtbot.waitUntil(lambda: question.currentText() == "Region")  # (filled with the case's questions once it shows)
    assert question.shown_text() == "Region"
    QApplication.sendEvent(question, QHelpEvent(QEvent.Type.ToolTip, QPoint(5, 5), question.mapToGlobal(QPoint(5, 5))))
    qtbot.waitUntil(lambda: QToolTip.text() == question.currentText())
    question.showPopup()
    qtbot.waitUntil(lambda: question.view().isVisible())
    assert question.view().width() >= question.view().sizeHintForColumn(0)
    question.hidePopup()
    console.close()


def test_the_console_starts_while_the_database_is_away_and_opens_once_it_is_back(tmp_path: Path) -> None:
    """A real `advisor staff` process: no traceback, one plain line for store IT, the console opens by itself."""
    folder = tmp_path / "not-yet"
    log = tmp_path / "staff.log"
    (tmp_path / "config.toml").write_text("")  # every default
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ADVISOR_CONFIG": str(tmp_path / "config.toml")}
    command = [str(Path(sys.executable).with_name("advisor")), "staff", "--db", f"sqlite:///{folder / 'store.sqlite3'}"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_line(log, "database unreachable", process)
        folder.mkdir()  # store IT fixes the share
        wait_for_line(log, "console open", process)
    finally:
        process.terminate()
        process.wait(timeout=20)
    written = log.read_text()
    assert "Traceback" not in written
    assert written.count("database unreachable") == 1, "said once per cause, not every retry"


def wait_for_line(log: Path, words: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while words not in log.read_text():
        assert process.poll() is None, f"advisor staff ended: {log.read_text()}"
        assert time.monotonic() < deadline, f"no {words!r} in: {log.read_text()}"
        time.sleep(0.1)  # a separate process: polling its log, not the Qt event loop


def _bag_chat(engine: Any, session: KioskSession, *, viewed: bool) -> str:
    """A shopper at the entrance kiosk asks in the chat about "the sleeping bag", nothing answered yet."""
    bags = session.questionnaires["sleeping-bag-finder"]
    advice = AdviceSession.start(bags, index=session.catalog.categories["sleeping_bags"], locale="de")  # type: ignore[union-attr]
    sku = advice.recommendation().products[-1].sku
    if viewed:
        advice.view(sku)
    record = store.create(engine, advice, store_id="muc-01", consent=True, kiosk_id="kiosk-eingang")
    request_id = requests.request_handoff(engine, session_id=record.id, kind="chat")
    chat.post_message(engine, request_id, sender="shopper", text="Habt ihr den Schlafsack auch in lang?")
    return sku


def test_the_case_shows_the_picks_first_and_the_answers_by_short_labels(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "picks-first")
    tents = session.questionnaires["tent-finder"]
    advice = AdviceSession.start(tents, index=session.catalog.categories["tents"], locale="de")  # type: ignore[union-attr]
    advice.set_answers({"region": "rough", "trip": "family", "frequency": "regularly", "persons": 4})
    record = store.create(engine, advice, store_id="muc-01", consent=True, kiosk_id="kiosk-zelte")
    requests.request_handoff(engine, session_id=record.id, kind="consultant")
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    console.resize(1280, 800)
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: "Empfehlungen" in console.case_text() and "Wartet" not in console.case_text())
    shown = console.case_text()
    assert shown.index("Empfehlungen") < shown.index("Antworten"), "what to fetch first, then what was answered"
    top = shown.split("\nAntworten\n")[0]
    assert "€" in top and "Regal" in top, "price and shelf up top"
    assert "Region" in shown and "Personen" in shown and "Wo schlägst du" not in shown, "answers by short labels"
    assert "3 noch offen: Gepäck im Innenzelt, Größte Person, Ausstattung" in shown, "the open ones on one line"
    assert shown.count("noch offen") == 1
    console.close()


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")
def test_a_shopper_at_the_kiosk_stands_out_and_a_waiting_case_is_previewed(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "preview")
    tents = session.questionnaires["tent-finder"]
    advice = AdviceSession.start(tents, index=session.catalog.categories["tents"], locale="de")  # type: ignore[union-attr]
    record = store.create(engine, advice, store_id="muc-01", consent=True, kiosk_id="kiosk-zelte")
    _bag_chat(engine, session, viewed=True)
    requests.request_handoff(engine, session_id=record.id, kind="consultant")
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    qtbot.waitUntil(lambda: console.queue.count() == 2)
    assert console.cases.shown_empty_text() == "Noch keine Fälle – eine Anfrage aus der Warteschlange übernehmen"
    assert console.cases.height() >= console.cases.empty_height(), "the empty text is whole"
    chat_line, kiosk_line = console.queue.item(0), console.queue.item(1)
    assert kiosk_line.icon().isNull() is False and chat_line.icon().isNull(), "the one standing at the kiosk is marked"
    said = kiosk_line.data(Qt.ItemDataRole.AccessibleTextRole)
    assert said.startswith("Kunde wartet am Kiosk: 2. wartet seit"), said
    assert not chat_line.data(Qt.ItemDataRole.AccessibleTextRole).startswith("Kunde wartet am Kiosk")

    qtbot.waitUntil(lambda: "Wartet – noch nicht übernommen" in console.case_text())  # the first line, chosen
    shown = console.case_text()
    assert "Schlafsackberater" in shown and "Fragt: „Habt ihr den Schlafsack auch in lang?“" in shown
    assert "Zuletzt angesehen:" in shown and "Empfehlungen" in shown
    console.queue.setCurrentRow(1)
    qtbot.waitUntil(lambda: "Zeltberater · Beratung vor Ort" in console.case_text())
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.cases.count() == 1 and console.cases.shown_empty_text() == "")
    qtbot.waitUntil(lambda: "Wartet" not in console.case_text() and "Zeltberater" in console.case_text())
    where = console.queue.visualItemRect(console.queue.item(0)).center()
    qtbot.mouseClick(console.queue.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a click in the queue
    qtbot.waitUntil(lambda: "Fragt: „Habt ihr" in console.case_text())  # previews the waiting one again
    assert console.cases.count() == 1, "the claimed case waits in my cases"
    console.close()


def test_a_chat_case_names_the_product_last_viewed_and_its_picks_heading_stays_short(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = database(tmp_path, "viewed")
    sku = _bag_chat(engine, session, viewed=True)
    name = (
        session.catalog.categories["sleeping_bags"]
        .products[  # type: ignore[union-attr]
            session.catalog.categories["sleeping_bags"].position[sku]  # type: ignore[union-attr]
        ]
        .name["de"]
    )
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: "Zuletzt angesehen" in console.case_text() and "Fragt" not in console.case_text())
    lines = console.case_text().splitlines()
    viewed = next(row for row, line in enumerate(lines) if line.startswith("Zuletzt angesehen:"))
    assert name in " ".join(lines[viewed : viewed + 2]), "which sleeping bag they mean"
    assert viewed < lines.index("Empfehlungen"), "above the shortlist, before anything else of the advice"
    assert "7 noch offen" in console.case_text()
    console.close()


@pytest.mark.parametrize("size", [(1280, 800), (1024, 768)])
def test_each_question_to_change_reads_whole(
    qtbot: QtBot, session: KioskSession, tmp_path: Path, size: tuple[int, int]
) -> None:
    engine = database(tmp_path, "whole")
    _bag_chat(engine, session, viewed=False)
    console = signed_in_console(qtbot, engine, session, "Anna", "4711")
    console.resize(*size)
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.edit_step.count() >= 7 and console.width() == size[0])
    box = console.edit_step
    for row in range(box.count()):
        box.setCurrentIndex(row)
        assert box.shown_text() == box.currentText(), f"{box.currentText()!r} is cut off at {size}"
        assert box.currentText().endswith("(offen)")
    assert box.itemData(0, Qt.ItemDataRole.ToolTipRole) == "Wofür brauchst du den Schlafsack?"
    console.close()
