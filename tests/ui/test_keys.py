"""The four keys and where focus goes: every function reachable, select and back on every screen and dialog, the
number question by up and down, focus never on nothing and never off screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QScrollArea, QSlider, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.test_kiosk import click, current, start, wait_for_products
from tests.ui.test_public_kiosk import PIN_HASH, press
from tests.ui.test_speech import Pad, focused, staff_present
from ui import session as views
from ui.code import CodeDialog
from ui.keys import reading_order
from ui.screens.question import QuestionScreen
from ui.screens.results import DetailScreen, ResultsScreen
from ui.screenshots import open_kiosk, tour
from ui.session import KioskSession
from ui.talk import TalkDialog
from ui.widgets import NumberSlider
from ui.window import KioskWindow


def key(qtbot: QtBot, window: KioskWindow, pressed: Qt.Key) -> None:
    """A key as a keyboard sends it: to the control with focus."""
    qtbot.keyClick(focused() or QApplication.activeModalWidget() or window, pressed)
    qtbot.wait(10)


def on_screen(widget: QWidget) -> bool:
    """Whether the whole control shows: inside the window and inside every scrolling area it is in."""
    window = widget.window()
    shown = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    if not window.rect().contains(shown):
        return False
    node = widget.parentWidget()
    while node is not None and node is not window:
        if isinstance(node, QScrollArea):
            viewport = node.viewport()
            if not QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size()).contains(shown):
                return False
        node = node.parentWidget()
    return True


@pytest.fixture
def pad(qtbot: QtBot, window: KioskWindow) -> Pad:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.waitUntil(lambda: focused() is not None)
    return Pad(qtbot, window)


def to_question(pad: Pad, session: KioskSession, step_id: str) -> QuestionScreen:
    answers = {"region": "mild", "trip": "family", "frequency": "rarely", "persons": 4, "extra_space": True}
    session.start("tent-finder")
    while session.state is not None and session.state.current != step_id:
        session.answer(answers[session.state.current])
    pad.settle()
    screen = current(pad.window)
    assert isinstance(screen, QuestionScreen)
    return screen


def test_return_and_enter_press_buttons_and_escape_goes_back_without_the_mode(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    assert focused() is current(window).start
    key(qtbot, window, Qt.Key.Key_Return)
    assert session.view == views.CHOOSE, "Return presses the focused button"
    pad.settle()
    assert focused() is current(window).grid.cards[0]
    key(qtbot, window, Qt.Key.Key_Enter)
    assert session.view == views.QUESTION, "and so does Enter (a keypad's)"
    pad.settle()
    key(qtbot, window, Qt.Key.Key_Escape)
    assert session.view == views.CHOOSE, "Escape goes back one screen"
    invitation = [
        "Für die Sprachführung drücke eine Pfeiltaste oder F1.",
        "For speech guidance, press an arrow key or F1.",
    ]
    assert not session.guided and window.speech.voice.spoken == invitation, "only how to switch guidance on, once"


def test_the_four_keys_reach_every_control_of_every_screen(qtbot: QtBot, tmp_path: Path) -> None:
    app, session, window = open_kiosk(locale="de", size=QSize(1024, 768), db_url=f"sqlite:///{tmp_path / 'k.db'}")
    qtbot.addWidget(window)
    missing = []
    for name, shown in tour(app, session, window, accessible=True):
        reached = set(reading_order(shown))
        controls = [w for w in shown.findChildren(QWidget) if isinstance(w, QAbstractButton | QSlider | QLineEdit)
                    and w.isVisible() and w.isEnabled()]  # fmt: skip
        missing += [f"{name}: {type(w).__name__} {w.accessibleName() or w.text()!r}" for w in controls
                    if w not in reached]  # fmt: skip
    window.close()
    session.writes.wait()
    assert missing == []


def test_down_and_up_walk_the_screen_in_reading_order_and_wrap(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = to_question(pad, session, "region")
    pad.press("down")  # speech guidance on
    assert session.guided
    order = reading_order(window)
    top_bar = [w for w in order if window.top_bar.isAncestorOf(w)]
    assert order[: len(top_bar)] == top_bar, "the top bar first"
    cards = list(screen.cards.values())
    assert [w for w in order if w in cards] == cards, "the answers in their order"
    assert order.index(screen.question) < order.index(cards[0]) < order.index(screen.back), "question, answers, back"
    assert focused() is cards[0]
    pad.move_to("Frage 1 von", key="up")
    assert focused() is screen.question, "up from the answers: the question, with progress and count"
    pad.move_to("Mit einer Person sprechen", key="up")
    assert focused() is window.top_bar.talk_button
    pad.press("up", len(top_bar) - 1)
    assert focused() is order[0]
    pad.press("up")
    assert focused() is order[-1] and "Ganz unten." in pad.heard()
    pad.press("down")
    assert focused() is order[0] and "Wieder oben." in pad.heard()


def test_back_rereads_the_question_with_the_answer_given(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    to_question(pad, session, "region")
    pad.press("down")
    pad.move_to("Mittelgebirge, Küste")
    pad.press("select")
    assert session.state is not None and session.state.current == "trip"
    pad.press("back")
    assert session.state.current == "region"
    said = pad.heard().split("Frage 1 von")[-1]
    assert "Deine Antwort: Mittelgebirge, Küste & Norden" in said
    assert "Mittelgebirge, Küste & Norden, ausgewählt, 2 von 4" in pad.last(), "focus is on the chosen answer"
    pad.press("back")
    assert session.view == views.CHOOSE


def test_why_do_we_ask_is_read_when_opened(qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad) -> None:
    screen = to_question(pad, session, "region")
    pad.press("down")
    pad.move_to("Warum fragen wir das?", key="up")
    pad.press("select")
    assert screen.help.isVisible()
    assert "Aufgeklappt" in pad.last() and "Das Gelände bestimmt die Bauweise" in pad.last()
    assert "ausgewählt" not in pad.last(), "a text shown, not a tick box"


def test_a_number_changes_only_after_select_and_up_and_down_pass_it_by_otherwise(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = to_question(pad, session, "persons")
    pad.press("down")
    slider = screen.slider
    assert isinstance(slider, NumberSlider) and focused() is slider
    assert "2\u00a0Personen" in pad.last() and "Zum Ändern Eingabe, dann Pfeil hoch und runter" in pad.last()
    pad.press("down")
    assert focused() is not slider and slider.value() == 1, "down passes the number by, its value stays"
    pad.press("up")
    assert focused() is slider and slider.value() == 1, "and up comes back without changing it"

    pad.press("select")
    assert "Pfeil hoch und runter, Eingabe oder Zurück beendet" in pad.last()
    pad.press("down")
    assert pad.last() == "1\u00a0Person, der kleinste Wert"
    pad.press("down")
    assert focused() is slider and pad.last() == "1\u00a0Person, der kleinste Wert", "the end of the scale, said again"
    pad.press("up", 6)
    assert pad.last() == "6\u00a0Personen, der größte Wert" and focused() is slider
    pad.press("down", 3)
    assert pad.last() == "3\u00a0Personen"
    pad.press("select")
    assert pad.voice.spoken[-2:] == ["Fertig: 3\u00a0Personen. 14 Zelte passen.", "Weiter."], "the change over, on"
    assert session.state is not None and session.state.current == "persons", "select ends the change only"
    assert focused() is screen.next and slider.value() == 2

    pad.move_to("3\u00a0Personen", key="up")
    assert focused() is slider and slider.value() == 2, "up and down pass the number by again"
    pad.press("select")
    pad.press("up")
    pad.press("back")
    assert session.state.current == "persons" and focused() is slider, "back ends the change, not the question"
    assert pad.last() == "Fertig: 4\u00a0Personen. 7 Zelte passen."
    pad.move_to("Weiter")
    pad.press("select")
    assert session.state.answers["persons"] == 4 and session.state.current != "persons"


def test_the_window_back_in_front_says_nothing_when_the_focus_did_not_move(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    to_question(pad, session, "persons")
    pad.press("down")
    pad.press("select")  # change the number
    pad.press("down")
    assert pad.last() == "1\u00a0Person, der kleinste Wert"
    heard = len(pad.voice.spoken)
    other = QWidget()  # another program's window takes the front for a moment (a system notice), then the kiosk
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window and focused() is current(window).slider)
    pad.settle()
    assert pad.voice.spoken[heard:] == [], "the slider the shopper is on is not said again"
    pad.press("up")
    assert pad.last() == "2\u00a0Personen", "and the next key is answered as before"


def test_f1_switches_guidance_on_from_anywhere_and_then_says_the_keys(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    to_question(pad, session, "trip")
    key(qtbot, window, Qt.Key.Key_F1)
    assert session.guided and session.accessible
    pad.settle()
    assert "Sprachführung an." in pad.heard() and "Frage 2 von" in pad.heard()
    key(qtbot, window, Qt.Key.Key_F1)
    assert pad.last().startswith("Mit Pfeil hoch und runter gehst du")


def test_repeat_pause_and_speed(qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad) -> None:
    to_question(pad, session, "region")
    pad.press("down")
    said = pad.voice.spoken[-2:]
    key(qtbot, window, Qt.Key.Key_F2)
    assert pad.last() == " ".join(said), "the screen and the focused answer again"
    key(qtbot, window, Qt.Key.Key_F3)
    assert pad.voice.paused
    key(qtbot, window, Qt.Key.Key_F3)
    assert not pad.voice.paused
    key(qtbot, window, Qt.Key.Key_Plus)
    assert pad.last() == "Tempo 4 von 5" and pad.voice.rate > 0
    key(qtbot, window, Qt.Key.Key_Minus)
    key(qtbot, window, Qt.Key.Key_Minus)
    assert pad.last() == "Tempo 2 von 5" and pad.voice.rate < 0


def test_the_welcome_screen_invites_to_speech_guidance_after_a_quiet_while(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    welcome = current(window)
    assert welcome.speech_hint.isVisible() and "F1" in welcome.speech_hint.text()
    voice = window.speech.voice
    window.speech.prompt.setInterval(50)
    window.speech.prompt.start()
    qtbot.waitUntil(lambda: "Für die Sprachführung drücke eine Pfeiltaste oder F1." in voice.spoken)
    assert not session.accessible, "said on the welcome screen in any mode"
    heard = len(voice.spoken)
    click(qtbot, welcome.start)
    with qtbot.assertNotEmitted(window.speech.prompt.timeout, wait=150):
        pass
    assert len(voice.spoken) == heard, "not away from the welcome screen"


def test_results_and_details_follow_focus_on_a_small_screen_in_accessibility_mode(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    window.resize(1280, 800)
    session.set_accessible(True)
    to_question(pad, session, "body_height")
    session.answer(180)
    session.answer(("headroom",))
    screen = wait_for_products(qtbot, window)
    assert isinstance(screen, ResultsScreen)
    pad.settle()
    pad.press("down")  # guidance on
    for _ in range(len(reading_order(window))):
        widget = focused()
        assert widget is not None and on_screen(widget), describe_widget(widget)
        if screen.products.cards[-1].isAncestorOf(widget):
            break
        pad.press("down")
    pad.move_to("Empfehlung 1 von", key="up")
    pad.press("select")
    details = current(window)
    assert isinstance(details, DetailScreen) and focused() is details.sections[0]
    for section in details.sections[1:]:
        pad.press("down")
        assert focused() is section and on_screen(section.findChildren(QWidget)[0])


def test_a_product_page_opens_at_its_name_in_accessibility_mode(qtbot: QtBot, window: KioskWindow) -> None:
    """Larger text on a 1280 x 800 kiosk: the first section under the product's name is taller than the screen, and
    the page still opens at the name (not scrolled to the middle of that section, the name cut off above)."""
    from tests.ui.test_speech_walk import FAMILY
    from ui.app import follow_accessibility

    session = window.session
    follow_accessibility(window)
    window.resize(1280, 800)
    session.set_accessible(True)
    session.start("tent-finder")
    session.set_answers(FAMILY)
    screen = wait_for_products(qtbot, window)
    details = next(b for b in screen.products.cards[0].findChildren(QAbstractButton) if b.text() == "Details")
    click(qtbot, details)
    qtbot.waitUntil(lambda: session.view == views.DETAIL)
    page = current(window)
    assert isinstance(page, DetailScreen)
    qtbot.waitUntil(lambda: focused() is page.sections[0])
    name = next(widget for widget in page.findChildren(QLabel) if widget.objectName() == "Title")
    qtbot.waitUntil(lambda: name.visibleRegion().boundingRect().height() == name.height(), timeout=2000)
    assert on_screen(name)


def describe_widget(widget: QWidget | None) -> str:
    return f"{type(widget).__name__} {widget.accessibleName() if widget else ''} is off screen"


def test_after_every_dialog_focus_returns_to_what_opened_it(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    staff_present(session, tmp_path)
    click(qtbot, current(window).start)
    pad.settle()
    pad.press("down")  # guidance on
    code = current(window).code
    pad.move_to("Mit Code weitermachen")
    pad.press("select")
    dialog = current(window).code_dialog
    assert isinstance(dialog, CodeDialog)
    qtbot.waitUntil(lambda: focused() is not None and dialog.isAncestorOf(focused()))
    assert "Gib deinen Code ein" in pad.heard()
    assert focused() is dialog.shown and "Gib deinen Code ein" in pad.last()
    pad.press("down")
    pad.press("select")  # the pad's first key types its character, and the code so far is said
    assert len(dialog.code) == 1 and pad.last() == dialog.code
    pad.press("back")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: focused() is code)
    assert "Mit Code weitermachen" in pad.last()

    window.watch_idle(0.2, 20)
    guard = window.idle_guard
    qtbot.waitUntil(lambda: guard.warning is not None, timeout=3000)
    guard.idle.setInterval(60_000)
    warning = guard.warning
    qtbot.waitUntil(lambda: focused() is warning.go_on)  # type: ignore[union-attr]
    pad.press("back")  # back on the warning: still here
    qtbot.waitUntil(lambda: focused() is code)
    assert guard.warning is None and session.view == views.CHOOSE


def test_in_the_locked_kiosk_escape_closes_a_dialog_only_with_guidance(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    window.lock(PIN_HASH)
    qtbot.waitExposed(window)
    window.activateWindow()
    start(qtbot, window, "tent-finder")
    click(qtbot, window.top_bar.talk_button)
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    qtbot.waitUntil(dialog.isVisible)
    press(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible(), "without guidance Escape stays swallowed"
    session.set_guided(True)
    qtbot.waitUntil(lambda: focused() is not None and dialog.isAncestorOf(focused()))
    qtbot.waitUntil(lambda: "Sprachführung an." in pad.heard() and "Mit einer Person sprechen" in pad.heard())
    key(qtbot, window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    # Guidance came on inside the dialog: after it, the screen is said and focus starts on its first answer.
    qtbot.waitUntil(lambda: focused() is next(iter(current(window).cards.values())))
    assert "Frage 1 von" in pad.heard().split("Sprachführung an.")[-1]
    assert window.isVisible() and session.view == views.QUESTION


def test_backspace_in_a_text_field_deletes_and_does_not_go_back(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    to_question(pad, session, "region")
    session.set_guided(True)
    pad.settle()
    field = QLineEdit(current(window))
    field.show()
    field.setFocus()
    qtbot.keyClicks(field, "ab+")
    key(qtbot, window, Qt.Key.Key_Backspace)
    assert field.text() == "ab" and session.view == views.QUESTION
    assert "Textfeld" in pad.last() or field.hasFocus()


def test_without_a_voice_nothing_is_said_and_nothing_breaks(qtbot: QtBot, session: KioskSession) -> None:
    from ui.speech import QtVoice

    voice = QtVoice(engine="no-such-engine")
    assert not voice.available
    voice.set_language("en")
    voice.set_rate(0.5)
    voice.say("Hallo", interrupt=True)
    voice.say("Hallo", interrupt=False)
    voice.pause()
    voice.resume()
    voice.stop()
    window = KioskWindow(session, voice)
    qtbot.addWidget(window)
    window.show()
    session.set_guided(True)
    session.show_choices()
    qtbot.waitUntil(lambda: not window.speech.holding)
    assert session.view == views.CHOOSE
