"""A kiosk whose configuration has many mistakes: store IT can read every one on the welcome screen, and the shopper
is told that this kiosk cannot advise, not that a connection will come back."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui import session as views
from ui.app import KioskStart
from ui.layout_check import hidden_below, layout_problems
from ui.screens.start import WelcomeScreen
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.talk import TalkDialog
from ui.theme import Theme, style_sheet
from ui.window import KioskWindow

# The QA walk's file: one mistake a line of the journal, 17 in all.
MISTAKES = """\
[store]
id = "muc-01"
name = "Nordgrat Test"
locales = "de"
default_locale = "fr"
timezone = "Europe/Berln"
colour = "red"

[store.opening_hours]
mon = "9-18"
tue = "18:00-09:00"
wed = "25:00-26:00"
thu = "closed "
fri = 930
funday = "09:00-10:00"

[kiosk]
idle_timeout_seconds = "90"
idle_warning_seconds = 100
fullscreen = "yes"

[database]
url = "mysql://root:hunter2@db/advisor"

[smtp]
host = "smtp.invalid.example"
port = 70000
sender = "not-an-address"

[content]
questionnaires = "/nonexistent/questionnaires"
guides = "missing/guides.json"

[bogus]
x = 1
"""


@pytest.fixture
def broken_kiosk(qtbot: QtBot, qapp: QApplication, tmp_path: Path) -> Iterator[KioskStart]:
    """A kiosk started like `advisor kiosk --config bad.toml`; stopped and deleted on the GUI thread afterwards."""
    config = tmp_path / "bad.toml"
    config.write_text(MISTAKES, encoding="utf-8")
    qapp.setStyleSheet(style_sheet(Theme()))
    window = KioskWindow(KioskSession({}), RecordingVoice())
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    kiosk = KioskStart(window, db_url=None, config_file=str(config), fullscreen=False)
    kiosk.begin()
    qtbot.waitUntil(lambda: kiosk.problem is not None, timeout=10_000)
    yield kiosk
    kiosk.stop()
    window.close()
    window.deleteLater()
    kiosk.session.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.mark.parametrize("size", [(1280, 800), (1024, 768)])
def test_store_it_can_read_every_mistake_on_the_welcome_screen(
    qtbot: QtBot, broken_kiosk: KioskStart, size: tuple[int, int]
) -> None:
    window = broken_kiosk.window
    welcome = window.screens[views.WELCOME]
    assert isinstance(welcome, WelcomeScreen)
    window.resize(*size)
    qtbot.wait(200)
    assert broken_kiosk.problem is not None
    journal = broken_kiosk.problem.splitlines()
    assert len(journal) == 17
    assert welcome.problem_lines.text().splitlines() == journal, "every line of the journal, in its order"
    assert welcome.problems_title.text() == "Für die IT – in der Konfiguration zu korrigieren (steht auch im Journal):"
    assert layout_problems(window) == [], "nothing clipped, nothing outside the window"

    area = welcome.problem_area
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0, "17 mistakes do not fit at this size: they scroll"
    assert welcome.problems_more.isVisible() and "Weitere Fehler weiter unten" in welcome.problems_more.text()
    assert hidden_below(window) == []
    top_of_lines = welcome.problem_lines.mapTo(welcome, welcome.problem_lines.rect().topLeft()).y()
    assert top_of_lines >= area.mapTo(welcome, area.rect().topLeft()).y(), "the first line is not cut at the top"

    welcome.problems_more.mousePressEvent(None)  # tapped until the end: the last mistake comes into view
    for _tap in range(10):
        if bar.value() == bar.maximum():
            break
        welcome.problems_more.mousePressEvent(None)
    assert bar.value() == bar.maximum()
    lines = welcome.problem_lines
    bottom = lines.mapTo(area.viewport(), lines.rect().bottomLeft()).y()
    assert bottom <= area.viewport().height(), "the last mistake is on screen once scrolled"
    assert not welcome.problems_more.isVisible()


def test_the_shopper_is_asked_to_ask_in_the_store_not_to_wait_for_a_connection(
    qtbot: QtBot, broken_kiosk: KioskStart
) -> None:
    window = broken_kiosk.window
    welcome = window.screens[views.WELCOME]
    assert isinstance(welcome, WelcomeScreen)
    assert welcome.status.text() == "Dieser Kiosk kann gerade nicht beraten. Frag bitte im Laden nach."
    assert not welcome.start.isVisible() and not welcome.picture.isVisible()

    window.top_bar.talk_button.click()
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    qtbot.waitUntil(lambda: dialog.presence_known, timeout=5000)
    said = dialog.explanation.text()
    assert said.startswith("Unser Team ist von diesem Kiosk aus gerade nicht erreichbar.")
    assert "Verbindung" not in said and "Sprich bitte jemanden im Laden direkt an" in said
    for offer in (dialog.call, dialog.chat, dialog.phone, dialog.summary):
        assert not offer.isVisible()
    dialog.done(0)

    window.top_bar.language.click()
    assert welcome.status.text() == "This kiosk cannot give advice right now. Please ask in the store."
    assert welcome.problems_title.text() == "For store IT – to correct in the configuration (also in the journal):"
    assert len(welcome.problem_lines.text().splitlines()) == 17, "the mistakes stay after a change of language"
