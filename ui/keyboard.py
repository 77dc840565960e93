"""The kiosk's own keyboard on the screen, for a touch screen without keys.

It appears at the bottom of the window or dialog when a shopper taps a text field (the booking's name, a chat
message, a product's name, a comment), and goes away with "Fertig", when the focus leaves the text fields, or when a
real keyboard or a code scanner types into the field (a key the system delivers). What is above it keeps its room:
under a screen the top bar and the screen's row of buttons step aside; a dialog grows within the kiosk window and
counts only its page on show; the field scrolls into view. With speech guidance, Select on a text field opens it
and the four keys walk its keys (ui/keys.py).

It types as a keyboard does, with key events to the field: a field's length limit, its Return and the kiosk's
filters (idle, speech) work as they do with a real one; only the four keys let them pass (their Space is Select).
Walked by the four keys, each key says what it typed by name ("Punkt", "acht", "Leerzeichen").

What a field asks for decides the keys shown first (Qt's input method hints): a phone number gets a telephone pad
(`ImhDialableCharactersOnly`, `ImhDigitsOnly`), an e-mail address starts in small letters (`ImhEmailCharactersOnly`,
`ImhNoAutoUppercase`); elsewhere the first letter of the text and of each sentence is a capital, and in a name
(`ImhPreferUppercase`) the first of every word.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from advisor.i18n import text
from ui import spoken
from ui.keys import scroll_into_view
from ui.session import KioskSession
from ui.speech import belongs_to, tell
from ui.widgets import button

if TYPE_CHECKING:
    from ui.window import KioskWindow

LETTERS, SYMBOLS, DIAL = "letters", "symbols", "dial"
# The rows of characters per layout; the last row of letters and symbols gets Shift before it and Delete after it.
ROWS: dict[tuple[str, str], Sequence[str]] = {
    ("de", LETTERS): ("1234567890ß", "qwertzuiopü", "asdfghjklöä", "yxcvbnm-"),
    ("en", LETTERS): ("1234567890", "qwertyuiop", "asdfghjkl'", "zxcvbnm-"),
    ("de", SYMBOLS): ("1234567890", "#€&_-+()/=", "!?:;\"',%*§", "$£<>[]~"),  # "@" and "." are below
    ("en", SYMBOLS): ("1234567890", "#€&_-+()/=", "!?:;\"',%*§", "$£<>[]~"),
    ("de", DIAL): ("123", "456", "789", "+0"),
    ("en", DIAL): ("123", "456", "789", "+0"),
}
KEY_HEIGHT = 52  # at least the 44 px of a touch target (WCAG 2.5.5), five rows fit under a 1280 x 800 dialog
WIDE = {"shift": 3, "delete": 3, "space": 9, "done": 4, "switch": 3}  # how many key widths (of 2) the others take
DIALOG_MARGIN = 8  # between a grown dialog and the edge of the kiosk window
AT = "@"
IGNORED = QSizePolicy.Policy.Ignored
key_name = spoken.character_name  # a key's name aloud: "eins", "Punkt", "Leerzeichen", a letter as itself


def wanted_layer(hints: Qt.InputMethodHint) -> str:
    """The keys a field is given first: a telephone pad for numbers, else letters."""
    dial = Qt.InputMethodHint.ImhDialableCharactersOnly | Qt.InputMethodHint.ImhDigitsOnly
    return DIAL if hints & dial else LETTERS


def capital_next(hints: Qt.InputMethodHint, before: str) -> bool:
    """Whether the next letter typed after `before` starts as a capital (Shift, set by itself)."""
    small = Qt.InputMethodHint.ImhNoAutoUppercase | Qt.InputMethodHint.ImhEmailCharactersOnly
    if hints & small:
        return False
    stripped = before.rstrip(" ")
    if not stripped or stripped.endswith((".", "!", "?")) and stripped != before:
        return True  # the start of the text, or of a sentence
    return bool(hints & Qt.InputMethodHint.ImhPreferUppercase) and before.endswith((" ", "-"))


def key_code(character: str) -> int:
    """The key a keyboard would send for a character (letters and digits have theirs; the rest is "unknown")."""
    upper = character.upper()
    if len(upper) == 1 and ("A" <= upper <= "Z" or "0" <= upper <= "9"):
        return ord(upper)
    return {" ": Qt.Key.Key_Space.value}.get(character, Qt.Key.Key_unknown.value)


class TouchKeyboard(QFrame):
    """One keyboard per kiosk window, moved into the window or dialog whose text field it types into."""

    def __init__(self, window: KioskWindow, session: KioskSession) -> None:
        super().__init__(window)
        self.setObjectName("TouchKeyboard")
        self.window_ = window
        self.session = session
        self.field: QLineEdit | None = None
        self.layer = LETTERS
        self.shifted = False  # the next letter is a capital (tapped, or set by the field's start)
        self.grown: dict[QDialog, QRect] = {}  # dialogs made taller for the keyboard, and their size before
        self.set_aside: list[tuple[QWidget, QSizePolicy]] = []  # a dialog's pages not on show, and their policies
        self.pages = QStackedWidget(self)
        self.page_of: dict[tuple[str, str], QWidget] = {}
        self.letter_keys: dict[QWidget, list[tuple[QPushButton, str]]] = {}  # per page: its letters' keys
        self.shift_keys: dict[QWidget, QPushButton] = {}  # per page of letters: its Shift
        self.switch_keys: dict[QWidget, QPushButton] = {}  # per page: the key to the other characters
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.pages)
        self.setVisible(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.listening = False
        self.sending = False  # a key of these is typing into the field (the four keys' filter lets it pass)

    def enabled(self) -> bool:
        """Whether this kiosk offers it: `[kiosk] on_screen_keyboard` (on unless a store turns it off)."""
        config = self.session.config
        return config is None or config.kiosk.on_screen_keyboard

    def listen(self, on: bool) -> None:
        """Watch taps on text fields and real keys while the window is open (see ui/keys.FourKeys.listen)."""
        app = QApplication.instance()
        if not isinstance(app, QApplication) or on == self.listening:
            return
        self.listening = on
        if on:
            app.installEventFilter(self)
            app.focusChanged.connect(self._focus_changed)
        else:
            app.removeEventFilter(self)
            app.focusChanged.disconnect(self._focus_changed)
            self.put_away()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.MouseButtonRelease and isinstance(watched, QLineEdit):
            if watched.isEnabled() and not watched.isReadOnly() and belongs_to(watched, self.window_):
                self.show_for(watched)
        elif (
            kind == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.spontaneous()
            and watched is self.field
            and self.isVisible()
        ):
            typed = event.text()
            if typed and typed.isprintable():
                self.put_away()  # a real keyboard (or a scanner) types: it needs no keys on the screen
        return False

    def open_by_keys(self, field: QLineEdit) -> bool:
        """Speech guidance's Select on a text field: the keys come up and the four keys walk them (up and down),
        type the one reached (Select) and close them (Back, or "Fertig"), back to the field."""
        self.show_for(field)
        if not self.isVisible():
            return False
        page = self.pages.currentWidget()
        assert page is not None  # (the keys' pages are made with the keyboard)
        first = next((key for key in page.findChildren(QPushButton) if key.isVisible()), None)
        tell(self, text("keyboard.guide", self.session.locale, self.session.address))
        if first is not None:
            first.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def has_keys_focus(self) -> bool:
        """Whether the four keys are walking the keys (the focus is on one of them)."""
        focus = QApplication.focusWidget()
        return self.isVisible() and focus is not None and self.isAncestorOf(focus)

    # -- where it shows ----------------------------------------------------------------------------------------

    def show_for(self, field: QLineEdit) -> None:
        """Type into `field`, at the bottom of its window or dialog, with the keys it asks for."""
        if not self.enabled():
            return
        host = field.window()
        content = host.centralWidget() if isinstance(host, QMainWindow) else host
        layout = content.layout() if content is not None else None
        if not isinstance(layout, QBoxLayout) or not (host is self.window_ or belongs_to(host, self.window_)):
            return
        if self.field is not field:
            self.layer = wanted_layer(field.inputMethodHints())
        self.field = field
        if layout.indexOf(self) < 0:
            self._restore_hosts()
            layout.addWidget(self)  # moves it here from the window or dialog it was in
        self._show_layer()
        self._set_shift(self._auto_shift())
        self.setVisible(True)
        if isinstance(host, QDialog):
            self._fit(host)
        else:
            self.window_.typing(True)
        QTimer.singleShot(0, self, lambda: self._keep_in_view(field))

    def put_away(self) -> None:
        """Hide, give a grown dialog back its size, and wait in the window (a dialog may be deleted)."""
        if self.field is None and not self.isVisible():
            return
        field, walked = self.field, self.has_keys_focus()
        if walked and field is not None and shiboken6.isValid(field) and field.isVisible():
            # The four keys go on from the field, which is said; before the keys hide, so that the focus does not
            # pass by (and say) the control Qt would give it on the way.
            field.setFocus(Qt.FocusReason.TabFocusReason)
        self.field = None
        self.setVisible(False)
        self._restore_hosts()
        if self.parentWidget() is not self.window_:
            self.setParent(self.window_)
            self.setVisible(False)

    def _keep_in_view(self, field: QLineEdit) -> None:
        if shiboken6.isValid(field) and field is self.field:
            scroll_into_view(field)

    def _fit(self, dialog: QDialog) -> None:
        """Make a dialog taller by the keyboard as far as the kiosk window has room (its content keeps what it had,
        else what it needs), and only the page on show counts (a stack of pages needs the room of its largest)."""
        for stack in dialog.findChildren(QStackedWidget):
            if stack is self.pages or self.isAncestorOf(stack):
                continue
            for number in range(stack.count()):
                page = stack.widget(number)
                if page is None or page is stack.currentWidget():
                    continue
                if page.sizePolicy().verticalPolicy() != IGNORED:
                    self.set_aside.append((page, page.sizePolicy()))
                    page.setSizePolicy(page.sizePolicy().horizontalPolicy(), IGNORED)
        layout = dialog.layout()
        assert layout is not None
        layout.activate()
        room = self.window_.geometry().adjusted(DIALOG_MARGIN, DIALOG_MARGIN, -DIALOG_MARGIN, -DIALOG_MARGIN)
        before = self.grown.setdefault(dialog, dialog.geometry())
        needed = max(before.height() + self.sizeHint().height(), layout.totalMinimumSize().height())
        height = min(needed, room.height())
        width = min(before.width(), room.width())
        left = room.left() + (room.width() - width) // 2
        top = max(room.top(), min(before.top(), room.bottom() + 1 - height))
        dialog.setGeometry(left, top, width, height)

    def _restore_hosts(self) -> None:
        """The window's top bar and buttons back; dialogs their pages' policies and their size."""
        self.window_.typing(False)
        for page, policy in self.set_aside:
            if shiboken6.isValid(page):
                page.setSizePolicy(policy)
        self.set_aside.clear()
        for dialog, geometry in self.grown.items():
            if shiboken6.isValid(dialog) and dialog.isVisible():
                dialog.setGeometry(geometry)
        self.grown.clear()

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Focus on another text field takes the keyboard along; anywhere else puts it away."""
        if not (shiboken6.isValid(self) and shiboken6.isValid(self.window_)):
            return  # the window has gone (the application is closing)
        if not self.isVisible() or new is self.field or (new is not None and self.isAncestorOf(new)):
            return
        if isinstance(new, QLineEdit) and belongs_to(new, self.window_) and not new.isReadOnly():
            self.show_for(new)
        else:
            self.put_away()

    # -- the keys ----------------------------------------------------------------------------------------------

    def _show_layer(self) -> None:
        locale = self.session.locale if (self.session.locale, self.layer) in ROWS else "de"
        key = (locale, self.layer)
        if key not in self.page_of:
            self.page_of[key] = self._page(locale, self.layer)
            self.pages.addWidget(self.page_of[key])
        self.pages.setCurrentWidget(self.page_of[key])
        self._label_letters()

    def _page(self, locale: str, layer: str) -> QWidget:
        page = QWidget()
        page.setAccessibleName(text("keyboard.name", locale))
        rows = QVBoxLayout(page)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(6)
        letters: list[tuple[QPushButton, str]] = []
        characters = ROWS[(locale, layer)]
        for number, line in enumerate(characters):
            row = QHBoxLayout()
            row.setSpacing(6)
            last = number == len(characters) - 1
            if last and layer == LETTERS:
                shift = self._key("⇧", text("keyboard.shift", locale), self._toggle_shift, checkable=True)
                self.shift_keys[page] = shift
                row.addWidget(shift, WIDE["shift"])
            for character in line:
                key = self._key(character, key_name(character, locale), lambda _=False, c=character: self.type_text(c))
                if character.isalpha():
                    letters.append((key, character))
                row.addWidget(key, 2)
            if last:
                delete = self._key("⌫", text("keyboard.delete", locale), self.delete)
                delete.setAutoRepeat(True)  # held down, it keeps deleting
                row.addWidget(delete, WIDE["delete"])
            if layer == DIAL:
                row.insertStretch(0, 3)
                row.addStretch(3)
            rows.addLayout(row)
        bottom = QHBoxLayout()
        bottom.setSpacing(6)
        switch_to = SYMBOLS if layer == LETTERS else LETTERS
        switcher = self._key(text(f"keyboard.{switch_to}", locale), text(f"keyboard.{switch_to}_name", locale),
                             lambda _=False: self.switch(switch_to))  # fmt: skip
        self.switch_keys[page] = switcher
        bottom.addWidget(switcher, WIDE["switch"])
        if layer != DIAL:
            bottom.addWidget(self._key(AT, key_name(AT, locale), lambda _=False: self.type_text(AT)), 2)
        bottom.addWidget(self._key("", text("keyboard.space", locale), lambda _=False: self.type_text(" ")),
                         WIDE["space"])  # fmt: skip
        if layer != DIAL:
            bottom.addWidget(self._key(".", key_name(".", locale), lambda _=False: self.type_text(".")), 2)
        done = self._key(text("keyboard.done", locale), text("keyboard.done", locale), self.put_away)
        done.setObjectName("Primary")
        bottom.addWidget(done, WIDE["done"])
        rows.addLayout(bottom)
        self.letter_keys[page] = letters
        return page

    def _key(self, shown: str, name: str, pressed: Any, *, checkable: bool = False) -> QPushButton:
        key = button(shown, "Key")
        key.setAccessibleName(name)
        # A tap leaves the focus (and the cursor) in the field; the four keys of speech guidance reach every key.
        key.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        key.setMinimumHeight(KEY_HEIGHT)
        key.setMinimumWidth(24)
        key.setCheckable(checkable)
        key.clicked.connect(pressed)
        return key

    def _label_letters(self) -> None:
        page = self.pages.currentWidget()
        if page is None:  # (no page yet: no letters to label)
            return
        locale = self.session.locale if (self.session.locale, self.layer) in ROWS else "de"
        for key, character in self.letter_keys.get(page, ()):
            typed = _capital(character) if self.shifted else character
            key.setText(typed)  # (no "&" among letters)
            # Said as it types: "großes A" while Shift is on (a voice reads "A" and "a" alike)
            key.setAccessibleName(typed if typed == character else text("keyboard.capital", locale, letter=typed))
        if page in self.shift_keys:
            self.shift_keys[page].setChecked(self.shifted)

    def _set_shift(self, on: bool) -> None:
        if on != self.shifted:
            self.shifted = on
            self._label_letters()

    def _auto_shift(self) -> bool:
        field = self.field
        if field is None or self.layer != LETTERS:
            return False
        return capital_next(field.inputMethodHints(), field.text()[: field.cursorPosition()])

    def _toggle_shift(self) -> None:
        self._set_shift(not self.shifted)

    def switch(self, layer: str) -> None:
        walked = self.has_keys_focus()
        self.layer = layer
        self._show_layer()
        self._set_shift(self._auto_shift())
        if walked:  # the four keys stay on the key that switches, now switching back
            page = self.pages.currentWidget()
            assert page is not None  # (the layer just shown)
            self.switch_keys[page].setFocus(Qt.FocusReason.TabFocusReason)

    def type_text(self, character: str) -> None:
        """Type one character into the field, as a key of a keyboard would; a capital once after Shift."""
        if self.shifted and character.isalpha():
            character = _capital(character)
        self._send(key_code(character), character, key_name(character, self.session.locale))
        self._set_shift(self._auto_shift())

    def delete(self) -> None:
        field = self.field
        locale = self.session.locale
        before = field.text()[: field.cursorPosition()] if field is not None and shiboken6.isValid(field) else ""
        gone = text("keyboard.deleted", locale, character=key_name(before[-1], locale)) if before else ""
        self._send(Qt.Key.Key_Backspace.value, "", gone)
        self._set_shift(self._auto_shift())

    def _send(self, key: int, typed: str, said: str) -> None:
        """The key's event to the field, past the four keys' filter (their Space would be Select, not a space).
        With the four keys, `said` after it: the character typed or deleted, by name ("Punkt", "acht"); the field
        says all it holds when the keys are closed."""
        field = self.field
        if field is None or not shiboken6.isValid(field):
            return
        before = field.text()
        self.sending = True
        try:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(field, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, typed))
        finally:
            self.sending = False
        if self.has_keys_focus():
            locale = self.session.locale
            changed = field.text() != before and said
            # (nothing typed, a full field or a character it does not take: what it holds)
            tell(self, said if changed else spoken.typed(field.text(), locale) or text("keyboard.empty", locale))


def _capital(character: str) -> str:
    """A letter's capital where it has one of its own ("ß" stays: its capital is rarely typed)."""
    upper = character.upper()
    return upper if len(upper) == 1 else character
