"""The staff console on a laptop at 150 % (1366x768: 911x512 logical): who waits, my cases with their unread mark and
the chat readable at a glance; the notes, changing an answer and the tools still at hand (the tools as icons, named
by their tooltips and to screen readers); on a larger screen, the console as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from advisor.handoff import chat
from tests.ui.test_console_keys import press
from tests.ui.test_console_layout_busy import asked, console_for, styled  # noqa: F401 - the style sheet, as run
from tests.ui.test_kiosk import click
from tests.ui.test_staff_console import database
from ui.layout_check import layout_problems
from ui.session import KioskSession
from ui.staff import StaffConsole

LAPTOP_150 = QSize(911, 512)  # 1366x768 at 150 %

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")  # the offscreen platform


@pytest.fixture
def busy(qtbot: QtBot, session: KioskSession, tmp_path: Path) -> StaffConsole:
    """A Saturday: 30 customers waiting, and two cases of Anna's: one open with its chat, one with a new message."""
    engine = database(tmp_path, "compact")
    opened, _ = asked(engine, session, None, "chat", "rain-jacket-finder")
    other, _ = asked(engine, session, "kiosk-zelte", "consultant")
    for _ in range(30):
        asked(engine, session, "kiosk-zelte", "consultant", "backpack-finder")
    console = console_for(qtbot, engine, session)
    qtbot.waitUntil(lambda: console.queue.count() == 32)
    for row in (1, 0):  # the other first: the open one is claimed last, and shown
        console.queue.setCurrentRow(row)
        click(qtbot, console.claim_button)
        qtbot.waitUntil(lambda: console.cases.count() == 2 - row)  # noqa: B023 - waited for here
    qtbot.waitUntil(lambda: "Regenjacken" in console.case_text())
    for number in range(1, 7):
        chat.post_message(engine, opened, sender="shopper", text=f"Zeile {number}: gut")
    chat.post_message(engine, other, sender="shopper", text="Hallo, ist jemand da?")
    qtbot.waitUntil(lambda: console.chat.count() == 6 and 1 in console.unread().values())
    return console


def resized(qtbot: QtBot, console: StaffConsole, size: QSize) -> None:
    console.resize(size)
    qtbot.waitUntil(lambda: console.size() == size)
    QApplication.processEvents()  # laid out at this size, the lists measured again
    for widget in (console.queue, console.cases, console.chat):
        widget.doItemsLayout()


def whole_rows(widget: QListWidget) -> list[int]:
    """The lines of a list shown whole in its viewport, as it is scrolled now."""
    area = widget.viewport().rect()
    return [row for row in range(widget.count()) if area.contains(widget.visualItemRect(widget.item(row)))]


def on_screen(console: StaffConsole, widget: QWidget) -> bool:
    """Shown, and whole inside the console's window."""
    return widget.isVisible() and console.rect().contains(QRect(widget.mapTo(console, QPoint(0, 0)), widget.size()))


def test_on_a_laptop_at_150_percent_who_waits_my_cases_and_the_chat_read_at_a_glance(
    qtbot: QtBot, busy: StaffConsole
) -> None:
    console = busy
    resized(qtbot, console, LAPTOP_150)
    console.queue.scrollToTop()
    assert len(whole_rows(console.queue)) >= 2, "two waiting customers read whole: who, how long, where"
    cases = console.cases
    unread = next(row for row in range(cases.count()) if "● " in cases.item(row).text())
    assert "1 neue Nachricht" in cases.item(unread).text()
    cases.scrollToItem(cases.item(unread))
    qtbot.waitUntil(lambda: unread in whole_rows(cases))  # the case with the new message whole, its mark too
    if len(whole_rows(cases)) < cases.count():
        assert cases.verticalScrollBar().isVisible(), "the other cases a scroll away, and a bar that says so"
    chat_list = console.chat
    chat_list.scrollToBottom()
    qtbot.waitUntil(lambda: chat_list.verticalScrollBar().value() == chat_list.verticalScrollBar().maximum())
    assert len(whole_rows(chat_list)) >= 4, "four messages at once"
    assert chat_list.viewport().height() >= 4 * chat_list.fontMetrics().lineSpacing() + 4 * 12
    for widget in (console.message, console.send_button, console.notes, console.edit_step, console.save_answer,
                   console.close_button, console.claim_button, console.code, console.open_code_button):  # fmt: skip
        assert on_screen(console, widget), f"{widget.accessibleName() or widget.objectName()} at hand"
    assert console.notes.height() >= 3 * console.notes.fontMetrics().lineSpacing(), "a few lines of notes"
    assert layout_problems(console) == [], "nothing cut off, no button smaller than a finger"
    console.cases.clearSelection()  # a waiting customer looked at instead: the console still fits the screen
    console.queue.setCurrentRow(3)
    qtbot.waitUntil(lambda: "Wartet" in console.case_text())
    assert console.minimumSizeHint().height() <= LAPTOP_150.height(), "the console still fits the screen"
    # (held at the screen's size: offscreen has no window manager, and a passing layout step can grow the window)
    resized(qtbot, console, LAPTOP_150)
    assert layout_problems(console) == [], "nothing cut off with the waiting customer shown"


def test_on_a_laptop_the_tools_are_icons_named_by_tooltips_and_their_keys_still_work(
    qtbot: QtBot, busy: StaffConsole
) -> None:
    console = busy
    resized(qtbot, console, LAPTOP_150)
    tools = {console.phone_button: "Aufs Handy", console.appointments_button: "Termine",
             console.repairs_button: "Reparaturen", console.insights_button: "Auswertung"}  # fmt: skip
    rows = {button.mapTo(console, QPoint(0, 0)).y() for button in tools}
    assert len(rows) == 1, "one row of icons"
    for button, name in tools.items():
        assert on_screen(console, button) and not button.icon().isNull()
        assert button.text() == "" and button.accessibleName() == name and button.toolTip().startswith(name)
        assert "Strg+" in button.toolTip(), "the key says itself too"
    console.set_locale("en")
    assert console.appointments_button.accessibleName() == "Appointments" and console.appointments_button.text() == ""
    console.set_locale("de")
    press(qtbot, console, Qt.Key.Key_4)  # the notes' key: the notes under the case now
    qtbot.waitUntil(lambda: console.notes.hasFocus())
    press(qtbot, console, Qt.Key.Key_T)  # the appointments' key: their button an icon now
    qtbot.waitUntil(lambda: getattr(console, "appointments", None) is not None and console.appointments.isVisible())
    console.appointments.close()


@pytest.mark.parametrize("size", [QSize(1280, 720), QSize(1366, 768), QSize(1920, 1080)], ids=str)
def test_on_a_larger_screen_the_console_is_as_before_and_back_after_a_laptop(
    qtbot: QtBot, busy: StaffConsole, size: QSize
) -> None:
    console = busy
    resized(qtbot, console, size)
    before = places(console)
    assert console.appointments_button.text() == "Termine" and console.appointments_button.toolTip() == "Taste: Strg+T"
    resized(qtbot, console, LAPTOP_150)
    assert places(console) != before
    resized(qtbot, console, size)
    assert places(console) == before, "every part where it was"
    assert console.appointments_button.text() == "Termine" and console.appointments_button.toolTip() == "Taste: Strg+T"
    assert layout_problems(console) == []


def places(console: StaffConsole) -> dict[str, tuple[int, int, int, int]]:
    """Where each of the console's parts is shown, and how large."""
    shown = {}
    for widget in console.findChildren(QWidget):
        if widget.isVisible() and not isinstance(widget.parentWidget(), QAbstractScrollArea):
            corner = widget.mapTo(console, QPoint(0, 0))
            shown[f"{type(widget).__name__} {widget.accessibleName() or widget.objectName()} {id(widget)}"] = (
                corner.x(),
                corner.y(),
                widget.width(),
                widget.height(),
            )
    return shown
