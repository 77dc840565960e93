"""Kiosk test fixtures: the shipped questionnaires and sample catalog, a window at a kiosk size."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from advisor.recommend.index import CatalogIndex
from tests.helpers.index import sample_index
from ui.app import load_questionnaires
from ui.focus import FocusVisible
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.theme import Theme, style_sheet
from ui.window import KioskWindow

CATEGORIES = ("tents", "sleeping_bags", "backpacks", "rain_jackets")
PUBLIC_ADDRESS = "https://beratung.nordgrat.example"


@pytest.fixture(autouse=True)
def keyboard_forgotten(qapp: QApplication) -> Iterator[None]:
    """Each test starts as a kiosk does: nobody has used the keys yet. The application's focus-ring filter outlives
    the windows of a test; left in keyboard mode, it drew a ring on the next test's first parentless window while
    that window was being activated, which crashed Qt (a top-level dialog opened after a four-keys walk)."""
    yield
    visible = FocusVisible.of(qapp)
    if visible is not None:
        visible.keyboard = False
        visible.marked = None


@pytest.fixture
def session() -> KioskSession:
    session = KioskSession(load_questionnaires(), locale="de")
    session.public_base_url = PUBLIC_ADDRESS  # as a store configures it: phones can reach the web companion
    session.set_catalog(CatalogIndex(1, {category: sample_index(category) for category in CATEGORIES}))
    return session


@pytest.fixture
def window(qtbot: QtBot, session: KioskSession, qapp: object) -> KioskWindow:
    qapp.setStyleSheet(style_sheet(Theme()))  # type: ignore[attr-defined]
    window = KioskWindow(session, RecordingVoice())  # what would be said is recorded, nothing is spoken
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window
