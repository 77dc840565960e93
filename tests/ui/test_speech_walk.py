"""What a blind shopper hears on the way through the kiosk's corners with four keys: footers in the language they
show, a refused code, nothing that fits, a grade and a comment thanked, the booking page by page, the help's whole
cards, group headings, the idle warning and the wipe; every text sent to a RecordingVoice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QTextEdit
from pytestqt.qtbot import QtBot

from advisor.db import make_engine, upgrade
from tests.helpers.appointments import add_consultants
from tests.ui.test_kiosk import current
from tests.ui.test_kiosk_booking import kiosk_config
from tests.ui.test_speech import Pad, focused, staff_present
from tests.ui.test_speech import pad as pad  # the fixture: the four keys at the kiosk window
from ui import session as views
from ui.booking import WHEN_PAGE, WHO_PAGE, BookingDialog
from ui.code import CodeDialog
from ui.screens.help import FindScreen, OutcomeCard, OutcomesScreen
from ui.screens.question import QuestionScreen
from ui.screens.results import ResultsScreen
from ui.session import KioskSession
from ui.speech import RecordingVoice, describe
from ui.window import KioskWindow

FAMILY = {"region": "dont_care", "trip": "family", "frequency": "rarely", "persons": 4, "extra_space": True,
          "body_height": 180, "extras": ("freestanding_wish", "two_entrances")}  # fmt: skip
NOTHING_FITS = {"region": "alpine", "frequency": "often", "persons": 2, "extra_space": False, "body_height": 180,
                "weight_importance": "ultralight", "extras": "dont_care"}  # fmt: skip


def results(pad: Pad, session: KioskSession, answers: dict[str, Any] = FAMILY) -> ResultsScreen:
    """The tent finder answered, its results on screen, speech guidance on."""
    session.start("tent-finder")
    session.set_answers(answers)
    screen = pad.window.screen_for(views.RESULTS)
    assert isinstance(screen, ResultsScreen)
    pad.qtbot.waitUntil(lambda: session.view == views.RESULTS and current(pad.window) is screen and screen.ready())
    pad.settle()
    pad.press("down")  # guidance on
    pad.qtbot.waitUntil(lambda: focused() is not None and screen.isAncestorOf(focused()))
    return screen


def said_since(pad: Pad, mark: int) -> str:
    return "\n".join(pad.voice.spoken[mark:])


def test_the_footer_says_its_buttons_in_the_language_and_with_the_count_they_show(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = results(pad, session)
    back = screen.back
    assert back.accessibleName() == back.text() == "Zurück"
    pad.move_to("Vergleichen: ")
    pad.press("select")
    # (one ticked is nothing to compare yet: the button says it needs another, and is said so)
    qtbot.waitUntil(lambda: screen.compare.text() == "Noch eins zum Vergleichen wählen")
    assert screen.compare.accessibleName() == "Noch eins zum Vergleichen wählen", "what the button shows"
    pad.move_to("English", key="up")
    pad.press("select")
    assert session.locale == "en"
    assert (back.text(), back.accessibleName()) == ("Back", "Back")
    assert (
        screen.overview.accessibleName() == "Your answers"
        and screen.compare.accessibleName() == "Pick one more to compare"
    )
    pad.move_to("Your answers")
    assert "Deine Antworten" not in pad.last()


def test_selecting_compare_or_a_grade_keeps_the_place_and_says_what_happened(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    staff_present(session, tmp_path)  # (the rating is offered with a database)
    screen = results(pad, session)
    pad.move_to("Note 1")
    pad.press("select")
    qtbot.waitUntil(lambda: focused() is screen.thanks)
    assert pad.last() == "Danke für die Rückmeldung!"
    pad.move_to("Empfehlung 2 von")
    pad.move_to("Vergleichen: ")
    name = pad.last().split(",")[0]
    pad.press("select")
    qtbot.waitUntil(lambda: session.compare_skus != [])
    pad.settle()
    ticked = name.replace("Vergleichen:", "Vergleichen ✓:", 1)  # its words say it is compared (as the web's)
    assert focused() is not None and focused().accessibleName() == ticked, "focus stays on the toggle"
    assert pad.last().startswith(f"{name}, ausgewählt"), "the tick not said: the state is"
    screen.comment.setText("Sehr hilfreich")
    pad.move_to("Senden")
    pad.press("select")
    qtbot.waitUntil(lambda: "Danke, dein Kommentar ist gesendet." in pad.heard())
    assert focused() is screen.thanks


def test_when_nothing_fits_the_ways_out_are_counted_and_focus_starts_on_the_first(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = results(pad, session, NOTHING_FITS)
    assert not screen.products.cards and len(screen.ways_out) == 3  # two answers to drop, or a person
    assert "3 Vorschläge folgen." in pad.heard()
    assert focused() is screen.ways_out[0] and "weglassen" in pad.last()


def test_a_group_heading_is_said_on_the_way_into_the_group_only(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    staff_present(session, tmp_path)
    results(pad, session)
    pad.move_to("geräumiger: ")  # (the screen's "geräumiger (3)", said with what it counts)
    assert pad.last().startswith("Wie das erste, aber: geräumiger: ")
    pad.press("down")
    assert "Wie das erste" not in pad.last()
    pad.move_to("Note 1")
    assert pad.last() == "Wie gut hat dich die Beratung unterstützt? (Schulnote). Note 1 – sehr gut."
    pad.press("down")
    assert pad.last() == "Note 2 – gut."
    pad.press("up")
    assert pad.last() == "Note 1 – sehr gut.", "within the group, the heading is not said again"


def test_symbols_and_raw_names_are_said_in_words(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = results(pad, session)
    assert "Vorrätig in Sand – 1. Obergeschoss, Zeltwelt, Regal 17, nicht in Orange" in pad.heard()
    assert "·" not in pad.heard()
    pad.move_to("Startseite", key="up")  # the logo, in German
    pad.move_to("günstiger: ")
    pad.press("select")
    qtbot.waitUntil(lambda: bool(session.critiques))
    pad.settle()
    undo = next(button for button in screen.offers.findChildren(QPushButton) if button.text() == "×")
    assert describe(undo, "de") == "Verfeinerung aufheben."
    session.go_to("persons")
    question = window.screen_for(views.QUESTION)
    assert isinstance(question, QuestionScreen)
    qtbot.waitUntil(lambda: current(window) is question)
    names = [button.accessibleName() for button in question.body.findChildren(QPushButton)
             if button.text() in ("−", "+")]  # fmt: skip
    assert names == ["Weniger Personen", "Mehr Personen"]


def test_the_minus_and_plus_buttons_say_the_new_value(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    session.start("tent-finder")
    session.set_answers({"region": "mild", "trip": "family", "frequency": "rarely"})
    question = window.screen_for(views.QUESTION)
    assert isinstance(question, QuestionScreen)
    qtbot.waitUntil(lambda: current(window) is question and session.state is not None)
    assert session.state.current == "persons"
    pad.settle()
    pad.press("down")  # guidance on
    pad.move_to("Mehr Personen")
    before = question.slider.value()
    mark = len(pad.voice.spoken)
    pad.press("select")
    assert question.slider.value() == before + 1
    qtbot.waitUntil(lambda: question.number_label.text() in said_since(pad, mark))


def test_a_wrong_code_is_said_and_the_focus_waits_on_why(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    staff_present(session, tmp_path)
    session.show_choices()
    pad.settle()
    pad.press("down")  # guidance on
    pad.move_to("Mit Code weitermachen")
    mark = len(pad.voice.spoken)
    pad.press("select")
    dialog = current(window).code_dialog
    assert isinstance(dialog, CodeDialog)
    qtbot.waitUntil(lambda: focused() is dialog.shown)
    assert said_since(pad, mark).count("Gib deinen Code ein") == 1, "said once on opening"
    pad.press("down")
    pad.press("select", 8)  # the same key eight times
    assert len(dialog.code) == 8
    pad.move_to("Öffnen")
    mark = len(pad.voice.spoken)
    pad.press("select")
    qtbot.waitUntil(lambda: "Zu diesem Code gibt es keine Beratung" in said_since(pad, mark))
    assert focused() is dialog.message and dialog.code == ""
    assert "2, 2, 2, 2" not in said_since(pad, mark), "the old code is not said after Open"


def test_back_from_the_choice_reaches_the_welcome_and_home_says_the_answers_are_gone(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    session.start("tent-finder")
    session.answer("mild")
    pad.settle()
    pad.press("down")
    pad.press("back")
    pad.press("back")
    assert session.view == views.CHOOSE
    pad.press("back")
    assert session.view == views.WELCOME, "not the first question of the advice left behind"
    session.start("tent-finder")
    session.answer("mild")
    pad.settle()
    pad.move_to("Startseite", key="up")
    pad.press("select")
    assert session.view == views.WELCOME
    assert "Neue Beratung – deine Antworten sind gelöscht." in pad.heard()
    assert pad.last() == "Beratung starten."


def test_start_over_at_the_results_says_the_answers_are_gone(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    results(pad, session)
    pad.move_to("Neu beginnen")
    mark = len(pad.voice.spoken)
    pad.press("select")
    assert session.view == views.WELCOME
    qtbot.waitUntil(lambda: "Neue Beratung – deine Antworten sind gelöscht." in said_since(pad, mark))


def test_switching_accessibility_off_says_so_before_it_falls_silent(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    pad.press("down")  # guidance on, on the welcome screen
    pad.move_to("Normale Darstellung")
    pad.press("select")
    assert not session.accessible
    assert pad.last() == "Sprachausgabe aus."
    pad.press("down")  # guidance on again; the top bar's switch says it too
    pad.move_to("Barrierefrei, ausgewählt", key="up")
    pad.press("select")
    assert not session.accessible and pad.last() == "Sprachausgabe aus."


def test_closing_a_dialog_says_where_the_focus_lands(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    staff_present(session, tmp_path)  # (codes are offered with a database)
    session.show_choices()
    pad.settle()
    pad.press("down")
    pad.move_to("Mit Code weitermachen")
    opener = focused()
    pad.press("select")
    dialog = current(window).code_dialog
    qtbot.waitUntil(lambda: focused() is dialog.shown)
    # The window system hands the focus back as the kiosk window comes to the front, before the dialog's close is
    # handled (that focus, on the control said last, is not said as a change).
    window.speech.focus_widget = opener
    mark = len(pad.voice.spoken)
    pad.press("back")
    qtbot.waitUntil(lambda: not dialog.isVisible() and focused() is opener)
    pad.settle()
    assert "Mit Code weitermachen" in said_since(pad, mark)


def test_the_help_card_says_the_warranty_advice_and_the_guides_facts(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    session.show_help()
    session.start("tent-help")
    find = window.screen_for(views.FIND)
    assert isinstance(find, FindScreen)
    find.field.setText("Karwendel UL 1")
    find.search()
    assert find.found
    session.set_product(find.found[0].sku)
    for step_id, value in {"problem": "leak", "leak_where": "seams", "leak_since": "from_new",
                           "bought_months": 1}.items():  # fmt: skip
        if session.state is not None and session.state.current == step_id:
            session.answer(value)
    assert session.view == views.OUTCOMES
    screen = window.screen_for(views.OUTCOMES)
    assert isinstance(screen, OutcomesScreen)
    cards = {card.view.kind: card for card in screen.findChildren(OutcomeCard)}
    warranty, guide = cards["warranty"].view, cards["guide"].view
    assert warranty.warranty and guide.guide is not None
    said = cards["warranty"].spoken()
    assert all(note in said for note in warranty.warranty)
    said = cards["guide"].spoken()
    steps = guide.guide
    assert f"{steps.difficulty}, {steps.minutes}" in said and ", ".join(steps.tools) in said
    assert steps.title in said, "the product's own guide, by its title"


def test_a_summary_is_read_line_by_line_without_its_link_and_with_the_code_spelled(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    session.set_accessible(True)
    summary = QTextEdit(window)
    summary.setAccessibleName("Zusammenfassung mitnehmen")
    summary.setPlainText("Deine Beratung: Zeltberater\nDein Code zum Weitermachen: PBGG-NRYY\n"
                         "Weitermachen unter https://beratung.nordgrat.example/resume\n"
                         "Pflege: Spülen · Trocknen")  # fmt: skip
    words = describe(summary, "de")
    assert words == ("Zusammenfassung mitnehmen. Deine Beratung: Zeltberater. "
                     "Dein Code zum Weitermachen: P, B, G, G, N, R, Y, Y. Pflege: Spülen, Trocknen.")  # fmt: skip
    speech, voice = window.speech, window.speech.voice
    assert isinstance(voice, RecordingVoice)
    speech.new_turn()
    speech.say("Zusammenfassung mitnehmen. Hier gibt es keinen Drucker.")
    speech.say_focus(summary)
    assert voice.spoken[-1].startswith("Deine Beratung: Zeltberater."), "its name said once"


def test_the_idle_warning_counts_down_aloud_and_the_wipe_is_said(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    session.start("tent-finder")
    pad.settle()
    pad.press("down")
    window.watch_idle(0.1, 20)
    guard = window.idle_guard
    guard.second.setInterval(30)  # a second of the countdown, in a test
    qtbot.waitUntil(lambda: guard.warning is not None, timeout=3000)
    pad.wait_to_hear("beginnt die Beratung in 20 Sekunden von vorn")
    pad.wait_to_hear("beginnt die Beratung in 10 Sekunden von vorn")
    pad.wait_to_hear("beginnt die Beratung in 5 Sekunden von vorn")
    qtbot.waitUntil(lambda: session.view == views.WELCOME and not session.accessible, timeout=5000)
    assert "Die Beratung beginnt von vorn." in pad.heard()
    guard.idle.stop()


@pytest.fixture
def booking_engine(tmp_path: Path) -> Any:
    engine = make_engine(f"sqlite:///{tmp_path / 'booking.sqlite3'}")
    upgrade(engine)
    add_consultants(engine, ["Anna"], span=(0, 24 * 60))
    return engine


def test_the_booking_by_keys_goes_back_page_by_page_and_says_each_once(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, booking_engine: Any
) -> None:
    session.configure(kiosk_config(mail=False))
    session.engine = booking_engine
    screen = results(pad, session)
    pad.move_to("Termin vereinbaren", key="up")
    pad.press("select")
    dialog = window.findChild(BookingDialog)
    assert isinstance(dialog, BookingDialog)
    qtbot.waitUntil(lambda: focused() is dialog.phone)
    pad.move_to("Hier am Terminal buchen")
    mark = len(pad.voice.spoken)
    pad.press("select")
    assert dialog.pages.currentIndex() == WHEN_PAGE
    assert focused() is dialog.day_buttons[0], "on the day, not on Back"
    qtbot.waitUntil(lambda: bool(dialog.slot_buttons))
    pad.wait_to_hear("freie Uhrzeiten")
    heard = said_since(pad, mark)
    assert heard.index("Tag und Uhrzeit wählen") < heard.index("Heute, ausgewählt") < heard.index("freie Uhrzeiten"), (
        "the page, then the day, then how many times it has"
    )
    assert heard.count("Heute") == 1
    pad.press("down")  # the day after tomorrow: a reminder the day before is offered only while its time is ahead
    pad.press("down")  # (tomorrow's first time, just after midnight here, was due already)
    assert focused() is dialog.day_buttons[2]
    mark = len(pad.voice.spoken)
    pad.press("select")
    qtbot.waitUntil(lambda: "freie Uhrzeiten" in said_since(pad, mark) and bool(dialog.slot_buttons))
    pad.move_to("Uhrzeit. ")  # the first time, with its heading
    pad.press("select")
    assert focused() is dialog.next_button and pad.last() == "Weiter.", "the time chosen: on to Next"
    mark = len(pad.voice.spoken)
    pad.press("select")
    assert dialog.pages.currentIndex() == WHO_PAGE and focused() is dialog.name
    assert said_since(pad, mark).count("Gewählt:") == 1
    dialog.name.setText("Kim")
    pad.move_to("Am Tag vorher erinnern")
    pad.press("down")
    assert focused() is not dialog.who_problem and pad.last() == "Zurück.", "no silent stop"
    pad.move_to("Gewählt:")
    pad.press("down")
    assert pad.last().startswith("Bis zu 3 Produkte zum Ausprobieren zurücklegen lassen. ")
    chosen = dialog.chosen
    pad.press("back")  # one page back, like the page's own Back
    assert dialog.isVisible() and dialog.pages.currentIndex() == WHEN_PAGE
    assert dialog.chosen == chosen and dialog.name.text() == "Kim", "nothing given is lost"
    pad.press("back")
    assert dialog.pages.currentIndex() != WHEN_PAGE
    pad.press("back")  # the first page: the dialog closes
    qtbot.waitUntil(lambda: focused() is screen.book)


def test_words_this_turn_has_said_are_not_said_again(qtbot: QtBot, window: KioskWindow, session: KioskSession) -> None:
    session.set_accessible(True)
    speech, voice = window.speech, window.speech.voice
    assert isinstance(voice, RecordingVoice)
    chosen = QLabel("Gewählt: Samstag, 05.12., 09:30 Uhr", window)
    speech.new_turn()
    speech.say_focus(chosen)  # focus lands on the page's status first …
    speech.say("Auf dem Handy weitermachen. Scanne den Code.")
    speech.say("Gewählt: Samstag, 05.12., 09:30 Uhr.")  # … then the page says it, as a sentence
    speech.say("Auf dem Handy weitermachen. Scanne den Code.")
    assert voice.spoken[-2:] == ["Gewählt: Samstag, 5. Dezember, 09:30 Uhr",
                                 "Auf dem Handy weitermachen. Scanne den Code."]  # fmt: skip
    speech.new_turn()
    speech.say("Gib deinen Code ein")
    speech.say_focus(QLabel("Gib deinen Code ein.", window))
    assert voice.spoken[-1] == "Gib deinen Code ein"
