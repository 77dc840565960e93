"""With display scaling (a 1366x768 laptop at 150 %: 911x512 logical; a portrait kiosk at 150 %: 720 wide) every
window and dialog fits its screen: none opens or insists on a size larger, and the button that finishes it (Annehmen,
Speichern, Buchen, Schließen) is in view without scrolling; what does not fit scrolls above it."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from advisor.bootstrap import open_database
from advisor.handoff.staff import set_pin
from advisor.i18n import text
from tests.ui.test_console_appointments import always_open, open_appointments, signed_in
from tests.ui.test_kiosk import click
from ui.booking import BookingDialog
from ui.repair_order import RepairDialog
from ui.screens.start import WelcomeScreen
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.staff import StaffConsole
from ui.talk import TalkDialog
from ui.widgets import fit_to_screen, scrolling_page
from ui.window import KioskWindow

LAPTOP_150 = QSize(911, 512)  # 1366x768 at 150 %
PORTRAIT_150 = QSize(720, 1280)  # 1080x1920 at 150 %


def in_view(widget: QWidget) -> bool:
    """Whether all of `widget` is on its window and not cut off by a scroll area: what a user can reach."""
    window = widget.window()
    placed = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return (
        widget.isVisible() and window.rect().contains(placed) and widget.visibleRegion().boundingRect() == widget.rect()
    )


def fits(window: QWidget, screen: QSize) -> bool:
    return window.width() <= screen.width() and window.height() <= screen.height()


# -- the helper ----------------------------------------------------------------------------------------------------


def test_a_window_wanting_more_than_the_screen_gets_the_screen_and_its_body_scrolls(qtbot: QtBot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.setMinimumSize(860, 520)
    body = QWidget()
    rows = QVBoxLayout(body)
    for number in range(30):
        rows.addWidget(QLabel(f"Zeile {number}"))
    done = QPushButton("Fertig")
    QVBoxLayout(dialog).addWidget(scrolling_page(body, done))
    size = fit_to_screen(dialog, QSize(1040, 900), room=QSize(720, 400))
    dialog.show()
    qtbot.waitExposed(dialog)
    assert size == dialog.size() == QSize(720, 400)
    assert dialog.minimumSize().width() <= 720 and dialog.minimumSize().height() <= 400
    assert in_view(done)


def test_a_window_that_fits_gets_what_it_wants(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    assert fit_to_screen(widget, QSize(640, 480), room=QSize(1280, 800)) == QSize(640, 480)


# -- the staff console on a laptop at 150 % ------------------------------------------------------------------------


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    engine = open_database(f"sqlite:///{tmp_path / 'scaled.sqlite3'}")
    set_pin(engine, "Anna", "4711")
    yield engine
    engine.dispose()


@pytest.fixture
def console(qtbot: QtBot, engine: Any, session: KioskSession) -> StaffConsole:
    console = signed_in(qtbot, engine, session, always_open())
    console.resize(LAPTOP_150)  # as large as the laptop's screen (offscreen: the console stands for the display)
    qtbot.waitUntil(lambda: console.size() == LAPTOP_150)
    return console


def test_the_console_windows_open_no_larger_than_the_laptops_screen(qtbot: QtBot, console: StaffConsole) -> None:
    for button, name in ((console.appointments_button, "appointments"), (console.repairs_button, "repairs"),
                         (console.insights_button, "insights")):  # fmt: skip
        click(qtbot, button)
        view = getattr(console, name)
        qtbot.addWidget(view)
        qtbot.waitUntil(view.isVisible)
        assert fits(view, LAPTOP_150), (name, view.size())
        assert view.minimumSize().height() <= LAPTOP_150.height(), (name, view.minimumSize())
        view.close()


def test_the_repair_intake_fits_and_annehmen_is_in_view(qtbot: QtBot, console: StaffConsole) -> None:
    click(qtbot, console.repairs_button)
    view = console.repairs
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.listed is not None)
    click(qtbot, view.take_in_button)
    dialog = view.intake
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert fits(dialog, LAPTOP_150), dialog.size()
    assert in_view(dialog.accept_button) and in_view(dialog.close_button)


def test_phone_booking_and_the_team_fit_and_their_buttons_are_in_view(qtbot: QtBot, console: StaffConsole) -> None:
    view = open_appointments(qtbot, console)
    view.book_for_caller()
    booking = view.booking_dialog
    qtbot.waitUntil(booking.isVisible)
    assert fits(booking, LAPTOP_150), booking.size()
    assert in_view(booking.book_button)
    booking.reject()
    view.edit_team()
    team = view.team_dialog
    qtbot.waitUntil(team.isVisible)
    assert fits(team, LAPTOP_150), team.size()
    assert in_view(team.save_button)


# -- the kiosk: portrait at 150 %, a small landscape screen at 200 % ---------------------------------------------------


@pytest.fixture
def portrait(window: KioskWindow, qtbot: QtBot) -> KioskWindow:
    window.resize(PORTRAIT_150)
    qtbot.waitUntil(lambda: window.size() == PORTRAIT_150)
    return window


def test_the_kiosk_dialogs_are_no_wider_than_a_portrait_screen(
    qtbot: QtBot, portrait: KioskWindow, session: KioskSession
) -> None:
    repair: Any = SimpleNamespace(title="Nähte abdichten lassen", repair="In unserer Werkstatt · etwa 7 Tage")
    talk, booking = TalkDialog(session, portrait), BookingDialog(session, portrait)
    order = RepairDialog(session, repair, [], portrait)
    page = booking.pages.currentWidget()
    assert page is not None
    [close] = [widget for widget in page.findChildren(QPushButton) if widget.text() == text("talk.close", "de")]
    for dialog, finish in ((talk, talk.close_button), (booking, close), (order, order.send)):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert fits(dialog, PORTRAIT_150), (type(dialog).__name__, dialog.size())
        assert in_view(finish), type(dialog).__name__
        dialog.reject()


def test_the_welcome_buttons_show_their_whole_words_on_a_portrait_screen(qtbot: QtBot, portrait: KioskWindow) -> None:
    screen = portrait.screen_for("welcome")
    assert isinstance(screen, WelcomeScreen)
    buttons = (screen.help, screen.accessible)
    qtbot.waitUntil(lambda: all(button.width() >= button.sizeHint().width() for button in buttons))
    assert all(in_view(button) for button in buttons)


def test_the_kiosk_window_fits_a_screen_lower_than_600(
    qtbot: QtBot, session: KioskSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1920x1080 at 200 %: 960x540 logical; the window's least height was 600."""
    monkeypatch.setattr("ui.window.screen_room", lambda _window: QSize(960, 540), raising=False)
    window = KioskWindow(session, RecordingVoice())
    qtbot.addWidget(window)
    window.resize(960, 540)
    window.show()
    qtbot.waitExposed(window)
    assert window.size() == QSize(960, 540)
