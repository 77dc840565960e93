"""A shopper who cannot see the screen completes the advice with four keys and speech: the whole journey, with
every text sent to the voice recorded (a RecordingVoice) and every key press counted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from advisor.db import make_engine, upgrade
from advisor.handoff import requests
from advisor.handoff.staff import report_presence, set_pin
from ui import session as views
from ui import spoken
from ui.guard import IdleWarning
from ui.screens.results import DetailScreen, ResultsScreen
from ui.session import KioskSession
from ui.speech import RecordingVoice, describe
from ui.talk import TalkDialog
from ui.window import KioskWindow

PAD = {"up": Qt.Key.Key_Up, "down": Qt.Key.Key_Down, "select": Qt.Key.Key_Return, "back": Qt.Key.Key_Escape}


class Pad:
    """A four-key pad (up, down, select, back) in a shopper's hand: each press goes where the keyboard focus is,
    like a real key, and is counted; the shopper knows only what the voice said."""

    def __init__(self, qtbot: QtBot, window: KioskWindow) -> None:
        self.qtbot = qtbot
        self.window = window
        self.presses = 0
        voice = window.speech.voice
        assert isinstance(voice, RecordingVoice)
        self.voice = voice

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            modal = QApplication.activeModalWidget()
            target = QApplication.focusWidget() or modal or self.window
            self.qtbot.keyClick(target, PAD[key])
            self.presses += 1
            self.settle()

    def settle(self) -> None:
        """Wait until the kiosk has done what the key asked (a new screen is up and said)."""
        self.qtbot.wait(10)  # what the key started on the next turn of the event loop
        self.qtbot.waitUntil(lambda: not self.window.speech.holding, timeout=5000)

    def heard(self) -> str:
        return self.voice.said()

    def last(self) -> str:
        return self.voice.spoken[-1] if self.voice.spoken else ""

    def move_to(self, words: str, *, key: str = "down", limit: int = 40) -> None:
        """Press down (or up) until the voice says `words` for the control reached."""
        for _ in range(limit):
            self.press(key)
            if words in self.last():
                return
        raise AssertionError(f"{words!r} never reached; last heard {self.last()!r}")

    def wait_to_hear(self, words: str, timeout: int = 5000) -> None:
        self.qtbot.waitUntil(lambda: words in self.heard(), timeout=timeout)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


@pytest.fixture
def pad(qtbot: QtBot, window: KioskWindow) -> Pad:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.waitUntil(lambda: focused() is not None)
    return Pad(qtbot, window)


def staff_present(session: KioskSession, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'journey.sqlite3'}")
    upgrade(engine)
    set_pin(engine, "Anna", "4711")
    report_presence(engine, "Anna")  # a console is signed in somewhere
    session.engine = engine


def test_a_blind_shopper_completes_the_advice_with_four_keys(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    staff_present(session, tmp_path)

    # Welcome: down switches speech guidance on; it says so, the keys, where the shopper is.
    pad.press("down")
    assert session.guided and session.accessible
    assert "Sprachführung an." in pad.heard() and "Pfeil hoch und runter" in pad.heard()
    assert "Finde, was zu dir passt" in pad.heard()
    assert "Beratung starten" in pad.last()

    pad.press("select")
    assert session.view == views.CHOOSE
    # Four finders and the help with a product.
    assert "Was suchst du?" in pad.heard() and "5 Möglichkeiten" in pad.heard()
    pad.move_to("Zeltberater")
    pad.press("select")
    assert session.view == views.QUESTION

    # The tent finder, every kind of step: single choices, a number, yes/no, several answers.
    kinds = set()
    while session.view == views.QUESTION:
        step = session.questionnaire.step(session.state.current)  # type: ignore[union-attr]
        kinds.add(step.kind)
        progress = session.progress()
        assert progress is not None
        assert f"Frage {progress.done + 1} von {progress.total}" in pad.heard()
        assert re.search(r"\d+ Zelte passen", pad.heard())
        if step.kind == "number":
            assert "Zum Ändern Eingabe, dann Pfeil hoch und runter" in pad.last()
            if step.id == "persons":
                assert "2\u00a0Personen" in pad.last()
                pad.press("select")  # change the value
                pad.press("up", 2)
                assert pad.last() == "4\u00a0Personen"
            else:
                pad.press("select")  # change the value (it stays as it is)
            pad.press("select")  # done changing: the value and how many fit are said, and the focus is on Next
            done = "4\u00a0Personen" if step.id == "persons" else "180\u00a0cm"
            assert re.search(rf"Fertig: {done}\. \d+ Zelte? pass(en|t)\.\nWeiter\.$", pad.heard()), pad.heard()[-200:]
            pad.press("select")
        elif step.kind == "multiple":
            assert "nicht ausgewählt, 1 von" in pad.last()
            pad.move_to("Viel Kopffreiheit")
            pad.press("select")
            assert "Viel Kopffreiheit, ausgewählt, 4 von 6" in pad.last()
            pad.move_to("Weiter")
            pad.press("select")
        else:
            assert "1 von" in pad.last()
            if step.id == "trip":
                pad.move_to("Familie & Autocamping")
            pad.press("select")
    assert kinds == {"single", "number", "yes_no", "multiple"}
    assert "Frage 4 von 7. Wie viele Personen" in pad.heard()
    assert session.state is not None and session.state.answers["persons"] == 4

    # Results, read as a list: every product with name, price and reasons.
    assert session.view == views.RESULTS
    results = window.stack.currentWidget()
    assert isinstance(results, ResultsScreen)
    result = session.recommendation()
    assert result is not None and result.products
    assert f"{result.count} Zelte passen" in pad.heard()
    items = list(results.item_words.values())
    assert len(items) == len(results.products.cards) > 1
    assert f"Empfehlung 1 von {len(items)}" in pad.last()
    pad.move_to(f"Empfehlung {len(items)} von {len(items)}")
    for item in result.products:
        words = results.item_words[item.sku]
        assert spoken.speakable(words, "de") in pad.heard()
        assert pad.heard().count(item.product.name["de"]) >= 1
        assert any(reason.text in words for reason in item.reasons) or "von den" in words or "einzige" in words
    assert "€" in items[0] and "Unser Favorit" in items[0]

    # The top product's details, by section.
    pad.move_to("Empfehlung 1 von", key="up")
    pad.press("select")
    assert session.view == views.DETAIL and session.detail_sku == result.products[0].sku
    details = window.stack.currentWidget()
    assert isinstance(details, DetailScreen)
    assert "5 Abschnitte folgen" in pad.heard()
    pad.move_to("Nachhaltigkeit")
    for section in details.sections:
        words = spoken.speakable(describe(section, "de"), "de")
        if section is details.sections[0]:  # its first sentence (name, price) is the heading's: said once, there
            head, _, words = words.partition(". ")
            heading = spoken.speakable(details.heading, "de")  # (the price in words: "599 Euro 95")
            assert heading.startswith(f"{head}. ") and f"{heading}\n{words}" in pad.heard()
        assert words in pad.heard()
    for title in ("Technische Daten", "Pflege", "Reparatur", "Nachhaltigkeit"):
        assert title in pad.heard()

    # Talk to a person: consent, the call, the queue, cancel.
    pad.move_to("Mit einer Person sprechen", key="up")
    pad.press("select")
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    pad.qtbot.waitUntil(lambda: dialog.consent.hasFocus())
    pad.wait_to_hear("Ich bin einverstanden")
    assert "niemand an der Beratungskonsole" not in pad.heard(), "staff are there: never said that nobody is"
    pad.press("select")
    assert dialog.consent.isChecked() and "ausgewählt" in pad.last()
    pad.move_to("Beratung hierher rufen")
    pad.press("select")
    pad.wait_to_hear("Du bist Nummer 1 in der Warteschlange.")
    code = dialog.resume_code
    assert ", ".join(code) in pad.heard(), "the resume code is read character by character"
    pad.qtbot.waitUntil(lambda: "Geschätzte Wartezeit" in pad.heard() or "Gleich ist jemand für dich da" in pad.heard())
    pad.move_to("Anfrage zurückziehen")
    pad.press("select")
    pad.wait_to_hear("Die Anfrage ist beendet.")
    assert requests.state_of(session.engine, dialog.request_id) == requests.State.CANCELLED  # type: ignore[arg-type]
    pad.press("back")
    pad.qtbot.waitUntil(lambda: not dialog.isVisible())
    pad.qtbot.waitUntil(lambda: focused() is window.top_bar.talk_button)

    # The idle warning is said, and select continues.
    window.watch_idle(0.3, 20)
    guard = window.idle_guard
    pad.qtbot.waitUntil(lambda: isinstance(guard.warning, IdleWarning), timeout=3000)
    pad.wait_to_hear("Bist du noch da?")
    assert "beginnt die Beratung in 20 Sekunden von vorn" in pad.heard(), "seconds said in full"
    guard.idle.setInterval(60_000)
    pad.qtbot.waitUntil(lambda: focused() is guard.warning.go_on)  # type: ignore[union-attr]
    pad.press("select")
    assert guard.warning is None and session.view == views.DETAIL

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"takes {pad.presses} key presses" in readme, f"the README states the journey's {pad.presses} presses"


def test_the_voice_speaks_the_shoppers_language(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    session.start("tent-finder")
    pad.settle()
    pad.press("down")
    assert pad.voice.language == "de" and "Frage 1 von" in pad.heard()
    pad.move_to("English", key="up")
    pad.press("select")
    assert session.locale == "en" and pad.voice.language == "en"
    english = pad.heard().split("Question 1 of")[-1]
    assert "Where will you pitch your tent" in english and "Choose one of 4 answers." in english
    assert pad.last() == "Meadows & campsites, 1 of 4. Mild weather, sheltered pitches."
