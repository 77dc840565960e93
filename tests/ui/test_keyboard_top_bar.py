"""The top bar on a portrait kiosk in the large text of accessibility mode: the language button keeps a readable
"EN" beside its globe while the accessibility button can show its icon alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.app import follow_accessibility
from ui.session import KioskSession
from ui.theme import Theme, style_sheet
from ui.window import KioskWindow


@pytest.fixture
def large_text(qapp: QApplication, window: KioskWindow, session: KioskSession) -> Iterator[KioskWindow]:
    follow_accessibility(window)
    session.set_accessible(True)
    yield window
    qapp.setStyleSheet(style_sheet(Theme()))  # (the next test starts in the normal look)


def test_at_1080x1920_in_large_text_the_language_keeps_its_en(qtbot: QtBot, large_text: KioskWindow) -> None:
    bar = large_text.top_bar
    large_text.resize(QSize(1080, 1920))
    qtbot.waitUntil(lambda: bar.width() == 1080 and bar.accessible.text() == "")
    assert bar.language.text() == "EN", "a bare globe says no language; EN beside it fits"
    assert bar.language.accessibleName() == "English" and bar.accessible.accessibleName() == "Barrierefrei"
    assert bar.compact._needed() <= bar.width()


def test_where_even_that_does_not_fit_both_show_their_icons(qtbot: QtBot, large_text: KioskWindow) -> None:
    bar = large_text.top_bar
    large_text.resize(QSize(900, 1600))
    qtbot.waitUntil(lambda: bar.width() == 900 and bar.accessible.text() == "")
    assert bar.language.text() == "", "the language's EN gives way last"
    assert bar.language.accessibleName() == "English", "said in full"
