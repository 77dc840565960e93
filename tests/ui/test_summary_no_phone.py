"""The take-away summary on a kiosk without a printer: with no public web address (a phone could not open the QR
code's link) it offers no phone and its note names no QR code, but the code in the summary to continue with; with
one, the phone is offered beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from advisor.config import default_config
from advisor.db import make_engine, upgrade
from tests.ui.test_continuity import open_talk
from tests.ui.test_kiosk import answer_by_click, click, start
from ui import talk
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.talk import SUMMARY_PAGE
from ui.window import KioskWindow


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    engine = make_engine(f"sqlite:///{tmp_path / 'summary.sqlite3'}")
    upgrade(engine)
    return engine


@pytest.mark.parametrize("public", [False, True])
def test_the_summary_offers_the_phone_only_where_a_phone_can_open_it(
    qtbot: QtBot,
    window: KioskWindow,
    session: KioskSession,
    engine: Any,
    monkeypatch: pytest.MonkeyPatch,
    public: bool,
) -> None:
    monkeypatch.setattr(talk, "_printer_found", [False])  # the kiosk has no printer
    config = default_config()  # [web] public_base_url not set: http://localhost:8000
    session.configure(config)
    if public:
        session.public_base_url = "https://beratung.example.org"
    assert session.public_web is public
    session.engine = engine
    session.set_accessible(True)  # the page is read aloud
    start(qtbot, window, "tent-finder")
    answer_by_click(qtbot, window)
    dialog = open_talk(qtbot, window)
    assert dialog.phone.isHidden() is not public
    voice = window.speech.voice
    assert isinstance(voice, RecordingVoice)
    mark = len(voice.spoken)
    click(qtbot, dialog.summary)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == SUMMARY_PAGE)
    assert not dialog.print_button.isVisible()
    assert dialog.summary_phone.isVisible() is public
    note = dialog.summary_note.text()
    if public:
        assert note == "Hier gibt es keinen Drucker: nimm die Zusammenfassung per QR-Code aufs Handy mit."
    else:
        assert "QR" not in note and "Handy" not in note
        assert note.startswith("Hier gibt es keinen Drucker: Notier dir den Code zum Weitermachen")
        assert "Dein Code zum Weitermachen:" in dialog.summary_view.toPlainText(), "the code the note speaks of"
    qtbot.waitUntil(lambda: f"Zusammenfassung mitnehmen. {note}" in voice.spoken[mark:])  # the page, said as it opens
    assert ("QR" in " ".join(voice.spoken[mark:])) is public
