"""The kiosk's on-screen keyboard: a shopper at a touch screen without keys books, searches and writes by tapping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from advisor.config import default_config
from advisor.db import make_engine, upgrade
from advisor.i18n import text
from tests.helpers.appointments import add_consultants
from tests.ui.test_handoff import call_staff, signed_in_console
from tests.ui.test_kiosk import click, current
from tests.ui.test_kiosk_booking import appointments, booking_dialog, choose_a_time, kiosk_config
from tests.ui.test_speech import Pad
from ui.booking import DONE_PAGE, BookingDialog
from ui.focus import FocusVisible
from ui.keyboard import DIAL, LETTERS, SYMBOLS, TouchKeyboard, capital_next
from ui.screens.help import FindScreen
from ui.session import KioskSession
from ui.talk import TalkDialog
from ui.window import KioskWindow

HINT = Qt.InputMethodHint


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    engine = make_engine(f"sqlite:///{tmp_path / 'kiosk-keyboard.sqlite3'}")
    upgrade(engine)
    add_consultants(engine, ["Anna"], span=(0, 24 * 60))
    return engine


def keys(keyboard: TouchKeyboard) -> dict[str, QPushButton]:
    """The keys on show, by what a screen reader calls them (a letter, "Leerzeichen", "Fertig" …)."""
    page = keyboard.pages.currentWidget()
    shown = {key.accessibleName(): key for key in page.findChildren(QPushButton) if key.isVisible()}
    for key in list(shown.values()):  # and by what a character key shows ("1", said "eins"; "A", said "großes A")
        shown.setdefault(key.text().replace("&&", "&"), key)
        shown.setdefault(key.text().lower(), key)  # (a letter by its small one, whatever Shift shows)
    return shown


def tap(qtbot: QtBot, keyboard: TouchKeyboard, *names: str) -> None:
    """Tap keys one after another, as a finger would (each a press and release on the key)."""
    for name in names:
        shown = keys(keyboard)
        assert name in shown, f"no key {name!r} on the {keyboard.layer} keys: {sorted(shown)}"
        qtbot.mouseClick(shown[name], Qt.MouseButton.LeftButton)


def tap_letters(qtbot: QtBot, keyboard: TouchKeyboard, words: str) -> None:
    space = text("keyboard.space", keyboard.session.locale)
    tap(qtbot, keyboard, *(space if character == " " else character for character in words))


def tap_field(qtbot: QtBot, field: QLineEdit) -> None:
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)


def rect_in_window(widget: QWidget) -> QRect:
    top_left = widget.mapToGlobal(QPoint(0, 0))
    return QRect(top_left, widget.size())


def test_a_shopper_books_with_the_keys_on_the_screen(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    dialog = booking_dialog(qtbot, window, session, engine, kiosk_config(mail=False))
    choose_a_time(qtbot, dialog)
    keyboard = window.keyboard
    assert not keyboard.isVisible(), "no keys until a field is tapped"
    before = dialog.geometry()

    tap_field(qtbot, dialog.name)
    qtbot.waitUntil(keyboard.isVisible)
    assert keyboard.parentWidget() is dialog, "the keys come up in the dialog in front (the window behind is blocked)"
    tap_letters(qtbot, keyboard, "kim berger")
    assert dialog.name.text() == "Kim Berger", "a name's words start with capitals by themselves"

    # The dialog keeps its room: inside the kiosk window, the field above the keys and shown.
    assert window.geometry().contains(dialog.geometry())
    assert dialog.height() >= before.height()
    assert not rect_in_window(dialog.name).intersects(rect_in_window(keyboard))
    assert not dialog.name.visibleRegion().isEmpty()

    tap_field(qtbot, dialog.contact)
    assert keyboard.isVisible() and keyboard.field is dialog.contact, "the keys follow to the next field"
    tap_letters(qtbot, keyboard, "kim")
    tap(qtbot, keyboard, "@")
    tap_letters(qtbot, keyboard, "example")
    tap(qtbot, keyboard, ".")
    tap_letters(qtbot, keyboard, "de")
    tap(qtbot, keyboard, "Großbuchstabe", "x", "Zeichen löschen")
    assert dialog.contact.text() == "kim@example.de", "a contact starts small; Shift makes one capital; ⌫ deletes"

    tap(qtbot, keyboard, "Fertig")
    assert not keyboard.isVisible()
    assert dialog.geometry() == before, "the dialog gets its size back"
    click(qtbot, dialog.consent)
    click(qtbot, dialog.book_button)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == DONE_PAGE, timeout=10_000)
    [row] = appointments(engine)
    assert row.name == "Kim Berger" and row.contact == "kim@example.de"


def test_a_shopper_chats_with_the_keys_and_the_console_keeps_its_own(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    engine = call_staff(qtbot, window, session, f"sqlite:///{tmp_path / 'chat.sqlite3'}", "chat", staff="Ben",
                        pin="1234", answers=0)  # fmt: skip
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    qtbot.waitUntil(dialog.message.isVisible)
    keyboard = window.keyboard
    tap_field(qtbot, dialog.message)
    qtbot.waitUntil(keyboard.isVisible)
    assert dialog.send.isVisible() and not rect_in_window(dialog.send).intersects(rect_in_window(keyboard))
    tap_letters(qtbot, keyboard, "ist sie leichter")
    tap(qtbot, keyboard, "Ziffern und Zeichen", "?")
    click(qtbot, dialog.send)
    qtbot.waitUntil(lambda: dialog.lines.count() == 1)

    console = signed_in_console(qtbot, engine, session, "Ben", "1234")
    qtbot.waitUntil(lambda: console.queue.count() == 1)
    click(qtbot, console.claim_button)
    qtbot.waitUntil(lambda: console.chat.count() == 1)
    assert "Ist sie leichter?" in console.chat.item(0).text()
    tap_field(qtbot, console.message)
    assert not keyboard.isVisible() and console.findChild(TouchKeyboard) is None, "staff type on their keyboard"
    dialog.done(0)
    console.close()


def test_keys_follow_what_a_field_asks_for(qtbot: QtBot, window: KioskWindow) -> None:
    phone = QLineEdit(window.stack.currentWidget())
    phone.setInputMethodHints(HINT.ImhDialableCharactersOnly)
    phone.show()
    tap_field(qtbot, phone)
    keyboard = window.keyboard
    qtbot.waitUntil(keyboard.isVisible)
    assert keyboard.layer == DIAL
    shown = keys(keyboard)
    assert {"0", "1", "9", "+"} <= set(shown) and "a" not in shown, "a telephone pad for a number"
    tap(qtbot, keyboard, "+", "4", "9", "Leerzeichen", "8", "9")
    assert phone.text() == "+49 89"

    tap(qtbot, keyboard, "Buchstaben")
    assert keyboard.layer == LETTERS and "q" in keys(keyboard)
    tap(qtbot, keyboard, "Ziffern und Zeichen")
    assert keyboard.layer == SYMBOLS
    tap(qtbot, keyboard, "&", "#")
    assert phone.text() == "+49 89&#", "the & is typed, not taken for a shortcut"
    assert keys(keyboard)["&"].text() == "&&"


def test_english_keys_and_sentences(qtbot: QtBot, window: KioskWindow, session: KioskSession) -> None:
    session.set_locale("en")
    field = QLineEdit(window.stack.currentWidget())
    field.show()
    tap_field(qtbot, field)
    keyboard = window.keyboard
    qtbot.waitUntil(keyboard.isVisible)
    shown = keys(keyboard)
    assert "ü" not in shown and "'" in shown and "Done" in shown, "a QWERTY layout, labelled in English"
    tap_letters(qtbot, keyboard, "hi")
    tap(qtbot, keyboard, ".", "Space")
    tap_letters(qtbot, keyboard, "is it in stock")
    assert field.text() == "Hi. Is it in stock", "sentences start with a capital, words in them do not"


def test_a_real_keyboard_or_a_scanner_puts_the_keys_away(qtbot: QtBot, window: KioskWindow) -> None:
    window.session.show_help()
    window.session.start("tent-help")
    find = window.screen_for("find")
    assert isinstance(find, FindScreen)
    qtbot.waitUntil(lambda: current(window) is find)
    keyboard = window.keyboard
    tap_field(qtbot, find.field)
    qtbot.waitUntil(keyboard.isVisible)
    assert keyboard.parentWidget() is window.centralWidget(), "on a screen, the keys sit below it"
    assert rect_in_window(find.field).bottom() < rect_in_window(keyboard).top()
    assert not window.top_bar.isVisible() and not find.footer_box.isVisible(), "the screen keeps its room"
    assert find.search_button.isVisible(), "the field's own button stays"
    tap_letters(qtbot, keyboard, "karw")
    assert find.field.text() == "Karw"
    visible = FocusVisible.of(QApplication.instance())
    assert visible is not None and not visible.keyboard, "taps on the keys draw no focus ring"

    qtbot.keyClicks(find.field, "endel")  # keys from the window system: a keyboard or a code scanner
    assert not keyboard.isVisible()
    assert find.field.text() == "Karwendel"
    assert window.top_bar.isVisible() and find.footer_box.isVisible(), "top bar and buttons come back"

    tap_field(qtbot, find.field)
    qtbot.waitUntil(keyboard.isVisible)
    click(qtbot, find.search_button)  # the focus leaves the text fields
    assert not keyboard.isVisible()


def test_a_blind_shopper_types_with_the_four_keys(qtbot: QtBot, window: KioskWindow, session: KioskSession) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    pad = Pad(qtbot, window)
    pad.press("down")  # speech guidance comes on
    session.show_help()
    session.start("tent-help")
    find = window.screen_for("find")
    assert isinstance(find, FindScreen)
    pad.settle()
    pad.move_to("Auswahl öffnet die Tasten auf dem Bildschirm")
    assert QApplication.focusWidget() is find.field
    keyboard = window.keyboard

    pad.press("select")
    assert keyboard.isVisible() and keyboard.has_keys_focus()
    assert "Auf und ab wählt eine Taste, Auswahl tippt sie, Zurück ist fertig." in pad.heard()
    assert QApplication.focusWidget().text() == "1", "the walk starts at the first key"
    pad.press("down", 29)  # 1 … ß, q … ü, a s d f g h j k
    assert pad.last().startswith("großes K"), "said as it types (Shift at the start)"
    pad.press("select")
    assert find.field.text() == "K" and pad.last() == "K", "typed (a capital at the start) and said"
    pad.press("up", 7)
    pad.press("select")
    assert find.field.text() == "Ka"
    pad.press("up", 30)  # round the top: the walk wraps, it never leaves the keys
    assert keyboard.has_keys_focus()
    pad.move_to("Ziffern und Zeichen")
    pad.press("select")
    assert keyboard.layer == SYMBOLS and QApplication.focusWidget().accessibleName() == "Buchstaben"
    pad.press("up")
    assert pad.last().startswith("Zeichen löschen"), "the symbols' last key before the bottom row"

    pad.press("back")
    assert not keyboard.isVisible()
    assert QApplication.focusWidget() is find.field and "Ka" in pad.last(), "back at the field, said with its text"


def test_wiping_the_kiosk_with_the_keys_up_keeps_them_for_the_next_shopper(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Any
) -> None:
    dialog = booking_dialog(qtbot, window, session, engine, kiosk_config(mail=False))
    choose_a_time(qtbot, dialog)
    tap_field(qtbot, dialog.name)
    keyboard = window.keyboard
    qtbot.waitUntil(keyboard.isVisible)
    tap_letters(qtbot, keyboard, "kim")
    window.wipe()  # the idle countdown ran out
    qtbot.waitUntil(lambda: not any(isinstance(child, BookingDialog) for child in window.findChildren(BookingDialog)))
    assert not keyboard.isVisible() and keyboard.parentWidget() is window, "the keys wait in the window"

    next_dialog = booking_dialog(qtbot, window, session, engine, kiosk_config(mail=False))
    choose_a_time(qtbot, next_dialog)
    assert next_dialog.name.text() == ""
    tap_field(qtbot, next_dialog.name)
    qtbot.waitUntil(keyboard.isVisible)
    tap_letters(qtbot, keyboard, "a")
    assert next_dialog.name.text() == "A"


def test_a_store_with_keys_fitted_turns_it_off(qtbot: QtBot, window: KioskWindow, session: KioskSession) -> None:
    config = default_config()
    kiosk = config.kiosk.model_copy(update={"on_screen_keyboard": False})
    session.configure(config.model_copy(update={"kiosk": kiosk}))
    session.show_help()
    session.start("tent-help")
    find = window.screen_for("find")
    qtbot.waitUntil(lambda: current(window) is find)
    tap_field(qtbot, find.field)  # type: ignore[attr-defined]
    assert not window.keyboard.isVisible(), "the tap is taken at once: no keys come up"


@pytest.mark.parametrize(
    ("hints", "before", "capital"),
    [
        (HINT.ImhNone, "", True),
        (HINT.ImhNone, "Hallo", False),
        (HINT.ImhNone, "Hallo ", False),
        (HINT.ImhNone, "Hallo. ", True),
        (HINT.ImhNone, "z.B", False),
        (HINT.ImhNone, "Wirklich?  ", True),
        (HINT.ImhPreferUppercase, "Kim ", True),
        (HINT.ImhPreferUppercase, "Anna-", True),
        (HINT.ImhPreferUppercase, "Kim", False),
        (HINT.ImhEmailCharactersOnly, "", False),
        (HINT.ImhNoAutoUppercase, "Ja. ", False),
    ],
)
def test_when_a_letter_starts_as_a_capital(hints: Qt.InputMethodHint, before: str, capital: bool) -> None:
    assert capital_next(hints, before) is capital
