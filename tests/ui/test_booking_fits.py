"""A shopper with low vision books at the kiosk in accessibility mode (larger text): every page of the booking, the
confirmation above all (when, with whom, the code, what is set aside, the QR code to take it along), shows whole on
the kiosk's screen, landscape and portrait, in German and English; nothing sliced, nothing over the line above."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from advisor.db import make_engine, upgrade
from tests.helpers.appointments import add_consultants, add_stock
from tests.ui.test_console_appointments import FAMILY, SHELF
from tests.ui.test_kiosk import click, current
from tests.ui.test_kiosk_booking import kiosk_config, top_tents
from ui import session as views
from ui.app import follow_accessibility
from ui.booking import CHOOSE_PAGE, DONE_PAGE, WHEN_PAGE, WHO_PAGE, BookingDialog
from ui.layout_check import layout_problems
from ui.session import KioskSession
from ui.window import KioskWindow


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    engine = make_engine(f"sqlite:///{tmp_path / 'booking-fits.sqlite3'}")
    upgrade(engine)
    add_consultants(engine, ["Anna Berger"], span=(0, 24 * 60))  # a full name: the longest line of the confirmation
    return engine


@pytest.mark.parametrize(
    ("locale", "size"),
    [("de", QSize(1366, 768)), ("en", QSize(1366, 768)), ("de", QSize(1080, 1920)), ("en", QSize(1920, 1080))],
)
def test_in_accessibility_mode_every_booking_page_shows_whole_up_to_the_confirmation(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any, locale: str, size: QSize
) -> None:
    names = top_tents(session)
    add_stock(engine, dict.fromkeys(names, 2), names=names, location=(SHELF, "Tents, 1st floor, shelf 4"))
    window.resize(size)
    follow_accessibility(window)  # larger text, as the kiosk switches to it
    session.set_accessible(True)
    session.configure(kiosk_config(mail=True))
    session.set_locale(locale)
    session.engine = engine
    session.start("tent-finder")
    session.set_answers(FAMILY)
    screen = window.screen_for(views.RESULTS)
    qtbot.waitUntil(lambda: session.view == views.RESULTS and current(window) is screen and screen.ready())
    click(qtbot, screen.book)  # type: ignore[attr-defined]
    dialog = window.findChild(BookingDialog)
    assert isinstance(dialog, BookingDialog)
    qtbot.waitUntil(dialog.isVisible)
    problems: dict[int, list[str]] = {}

    def check(page: int) -> None:
        assert dialog.pages.currentIndex() == page
        qtbot.wait(50)  # (the layout settles)
        assert window.rect().contains(dialog.geometry()), "the dialog stays within the kiosk window"
        problems[page] = layout_problems(dialog)

    check(CHOOSE_PAGE)
    click(qtbot, dialog.here)
    click(qtbot, dialog.day_buttons[1])
    qtbot.waitUntil(lambda: len(dialog.slot_buttons) > 10)
    check(WHEN_PAGE)
    click(qtbot, list(dialog.slot_buttons)[4])
    click(qtbot, dialog.next_button)
    dialog.name.setText("Kim Berger")
    dialog.contact.setText("kim@example.com")
    click(qtbot, dialog.consent)
    check(WHO_PAGE)
    click(qtbot, dialog.book_button)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == DONE_PAGE, timeout=10_000)
    qtbot.waitUntil(dialog.done_qr.isVisible)
    assert "Anna Berger" in dialog.done_when.text() and dialog.done_held.isVisible() and dialog.done_mail.isVisible()
    check(DONE_PAGE)
    assert problems == dict.fromkeys(problems, [])
