"""Kiosk test fixtures: the shipped questionnaires and sample catalog, a window at a kiosk size."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from advisor.recommend.index import CatalogIndex
from tests.helpers.index import sample_index
from ui.app import load_questionnaires
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.theme import Theme, style_sheet
from ui.window import KioskWindow

CATEGORIES = ("tents", "sleeping_bags", "backpacks", "rain_jackets")
PUBLIC_ADDRESS = "https://beratung.nordgrat.example"


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
