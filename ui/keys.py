"""The four-key mode (up, down, select, back) and where keyboard focus goes on every screen and dialog.

A shopper who cannot see the screen operates the kiosk with a keypad (docs/deploying.md, "Speech guidance"):

| Action | Keys |
|---|---|
| speech guidance on (from anywhere); when on, the keys explained | F1, or ↑ or ↓ while it is off |
| previous / next control, in reading order; a number being changed: its value | ↑ / ↓ (a keypad's 8 / 2) |
| select: press the button, choose the answer; on a number: start or end changing it | Enter, Return, Space |
| back one screen, close the dialog, end changing a number | Escape, Backspace (not while typing a code or a text) |
| repeat, pause or continue, slower, faster | F2 or *, F3 or /, -, + |

A number (the number question's value) changes only on purpose: select starts changing it, ↑ and ↓ then change
the value (each said), select ends the change with the value kept and what it comes to said ("2 Zelte passen") and
goes on to Next, or, where nothing fits, to the nearest value that does (back ends it and stays); otherwise ↑ and ↓
pass it by like any control. Return, Enter and Space press a focused button in any mode; Escape and Backspace go
back in any mode (in the locked kiosk Escape only with speech guidance on). Whatever closes a dialog, focus returns
to a sensible control: the one that opened it, else the screen's first. A control that gets focus inside a
scrolling area is scrolled into view, so no page needs a pointer to scroll.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QScrollArea,
    QScrollBar,
    QWidget,
)

from ui import spoken
from ui.focus import FocusVisible
from ui.speech import Speech, belongs_to, describe
from ui.widgets import NumberSlider

if TYPE_CHECKING:
    from ui.window import KioskWindow

UP, DOWN = {Qt.Key.Key_Up}, {Qt.Key.Key_Down}
SELECT = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space}
BACK = {Qt.Key.Key_Escape, Qt.Key.Key_Backspace}
GUIDANCE = {Qt.Key.Key_F1}
REPEAT, PAUSE = {Qt.Key.Key_F2, Qt.Key.Key_Asterisk}, {Qt.Key.Key_F3, Qt.Key.Key_Slash}
FASTER, SLOWER = {Qt.Key.Key_Plus}, {Qt.Key.Key_Minus}
VISIBLE_MARGIN = 24  # px kept around a focused control when its scrolling area follows it (the ring fits in)


def reachable(widget: QWidget) -> bool:
    """Whether keyboard focus can go to `widget` now (shown, enabled, taking focus by key; a text only while it has
    something to say: an empty message is no stop)."""
    return (
        bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and widget.isVisible()
        and widget.isEnabled()
        and not isinstance(widget, QScrollBar)
        and widget.width() > 0
        and widget.height() > 0
        and not _silent(widget)
    )


def _silent(widget: QWidget) -> bool:
    """A text that would say nothing when reached (a message with no words yet)."""
    return isinstance(widget, QLabel) and not describe(widget, "").strip()


def reading_order(scope: QWidget) -> list[QWidget]:
    """Every control focus can go to in `scope`, in reading order: rows from top to bottom, left to right within a
    row (a tall item and what stands beside it form one row); a scrolling area's controls where the area stands,
    in their own reading order, however far they are scrolled."""
    return _ordered([widget for widget in scope.findChildren(QWidget) if reachable(widget)], scope)


def _outer_area(widget: QWidget, container: QWidget) -> QScrollArea | None:
    """The outermost scrolling area between `widget` and `container`, if any."""
    found = None
    node = widget.parentWidget()
    while node is not None and node is not container:
        if isinstance(node, QScrollArea) and (content := node.widget()) is not None and content.isAncestorOf(widget):
            found = node
        node = node.parentWidget()
    return found


def _rect(widget: QWidget, container: QWidget) -> QRect:
    return QRect(widget.mapTo(container, QPoint(0, 0)), widget.size())


def _ordered(widgets: Iterable[QWidget], container: QWidget) -> list[QWidget]:
    entries: list[tuple[QRect, list[QWidget]]] = []
    areas: dict[QScrollArea, list[QWidget]] = {}
    for widget in widgets:
        area = _outer_area(widget, container)
        if area is None:
            entries.append((_rect(widget, container), [widget]))
        else:
            areas.setdefault(area, []).append(widget)
    for area, inside in areas.items():
        content = area.widget()
        assert content is not None  # (_outer_area finds only areas whose content holds the widget)
        entries.append((_rect(area, container), _ordered(inside, content)))
    entries.sort(key=lambda entry: (entry[0].top(), entry[0].left()))
    rows: list[list[tuple[QRect, list[QWidget]]]] = []
    for entry in entries:
        if rows and _same_row(rows[-1][0][0], entry[0]):
            rows[-1].append(entry)
        else:
            rows.append([entry])
    ordered: list[QWidget] = []
    for row in rows:
        for _, members in sorted(row, key=lambda entry: (entry[0].left(), entry[0].top())):
            ordered += members
    return ordered


def _same_row(first: QRect, other: QRect) -> bool:
    """Whether `other` stands in the row `first` opens: they overlap for at least half the smaller height."""
    overlap = min(first.bottom(), other.bottom()) - max(first.top(), other.top()) + 1
    return overlap >= min(first.height(), other.height()) / 2


def scroll_into_view(widget: QWidget) -> None:
    """Scroll every area `widget` lies in so that it shows (with room for the focus ring); one taller than the
    area shows from its top, where reading starts, and does not move while its top shows (a product page opens at
    its name, not scrolled to the middle of its first section)."""
    node = widget.parentWidget()
    while node is not None:
        if isinstance(node, QScrollArea) and (content := node.widget()) is not None and content.isAncestorOf(widget):
            height = node.viewport().height()
            if widget.height() + 2 * VISIBLE_MARGIN > height:
                top = widget.mapTo(content, QPoint(0, 0)).y()
                bar = node.verticalScrollBar()
                if not bar.value() <= top - VISIBLE_MARGIN <= bar.value() + height // 2:
                    bar.setValue(top - VISIBLE_MARGIN)
            else:
                node.ensureWidgetVisible(widget, VISIBLE_MARGIN, VISIBLE_MARGIN)
        node = node.parentWidget()


def _value_words(slider: NumberSlider) -> str:
    """A number's value as said ("4 Personen"), or its position where its screen gives no words."""
    words = getattr(slider, "value_words", None)
    return str(words()) if callable(words) else str(slider.value())


def _typing(widget: QWidget) -> bool:
    """Whether keys type here (a text field, the code and PIN pads): Backspace deletes, + and - are characters."""
    if isinstance(widget, QLineEdit):
        return True
    dialog = widget.window()
    return bool(getattr(dialog, "types_keys", False))


class FourKeys(QObject):
    """An application-wide event filter for one kiosk window: the four keys, speech's keys, Return and Enter on
    buttons, and focus that enters each dialog and comes back after it."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.openers: list[tuple[QDialog, QWidget | None]] = []  # dialogs shown, and what had focus before each
        self.adjusting: NumberSlider | None = None  # the number whose value ↑ and ↓ change now (select began it)
        self.typed = False  # the last key typed a character (a scanner's code or a keyboard's word, not a keypad)

    def listen(self, on: bool) -> None:
        """Take the keys while the window is open (see Speech.listen)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
            if on:
                app.installEventFilter(self)

    @property
    def speech(self) -> Speech:
        return self.window.speech

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if not isinstance(watched, QWidget):
            return False
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if not belongs_to(watched, self.window):
                return False
            self.speech.new_turn()
            typed_before, self.typed = self.typed, bool(event.text().strip()) and event.text().isprintable()
            if not self.session.guided and not typed_before and self._invites(watched, event):
                self.speech.key_invite()  # what she pressed still acts (a sighted shopper's keyboard); she hears how
            # (the keys on the screen type past the four keys: their Space types a space)
            handled = not self.window.keyboard.sending and self._key(watched, event)
            if handled:
                visible = FocusVisible.of(QApplication.instance())
                if visible is not None:
                    visible.keyboard_used()
            return handled
        passing = (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason)  # its window, a moment
        leaving = kind == QEvent.Type.FocusOut and isinstance(event, QFocusEvent) and event.reason() not in passing
        if leaving and watched is self.adjusting:
            self.adjusting = None  # the focus left the number: its change is over
        if kind == QEvent.Type.FocusIn and isinstance(event, QFocusEvent):
            if event.reason() != Qt.FocusReason.MouseFocusReason and belongs_to(watched, self.window):
                scroll_into_view(watched)
        elif kind == QEvent.Type.Show and isinstance(watched, QDialog) and belongs_to(watched, self.window):
            self.openers.append((watched, QApplication.focusWidget()))
            QTimer.singleShot(0, self, lambda: self._enter(watched))
        elif kind == QEvent.Type.Hide and isinstance(watched, QDialog) and any(d is watched for d, _ in self.openers):
            QTimer.singleShot(0, self, lambda: self._leave(watched))
        return False

    # -- the keys ----------------------------------------------------------------------------------------------

    def _key(self, watched: QWidget, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        characters = REPEAT | PAUSE | FASTER | SLOWER  # (+ and * need Shift on some keyboards)
        if modifiers & ~Qt.KeyboardModifier.ShiftModifier or (modifiers and key not in characters):
            return False
        guided = self.session.guided
        typing = _typing(watched)
        if key in GUIDANCE:
            if guided:
                self.speech.keys()
            else:
                self.session.set_guided(True)
            return True
        if key in UP | DOWN:
            if isinstance(watched, QLineEdit) and not guided:
                return False
            if not guided:
                self.session.set_guided(True)
            elif isinstance(watched, NumberSlider) and watched is self.adjusting:
                self._adjust(watched, up=key in UP)
            else:
                self._move(watched, forward=key in DOWN)
            return True
        if key in SELECT and guided and isinstance(watched, NumberSlider):
            self._adjusting(watched, on=watched is not self.adjusting, onward=True)
            return True
        if key in SELECT:
            if guided and isinstance(watched, QLineEdit) and self.window.keyboard.open_by_keys(watched):
                return True  # the keys on the screen come up and take the four keys
            if ((typing or not guided) and key == Qt.Key.Key_Space) or isinstance(watched, QLineEdit):
                return False  # Space types, or presses a button as Qt does; Return in a text field sends it
            return self._select(watched, everything=guided)
        if key in BACK:
            if key == Qt.Key.Key_Backspace and typing:
                return False
            if key == Qt.Key.Key_Escape and self.window.locked and not guided:
                return False  # the locked kiosk swallows Escape (ui/guard.py) unless it is the back key of guidance
            if isinstance(watched, NumberSlider) and watched is self.adjusting:
                self._adjusting(watched, on=False)  # back ends the change, on the same screen
                return True
            self._back(watched)
            return True
        if key in REPEAT | PAUSE | FASTER | SLOWER:
            if not self.session.accessible or (typing and key not in (Qt.Key.Key_F2, Qt.Key.Key_F3)):
                return False
            if key in REPEAT:
                self.speech.repeat()
            elif key in PAUSE:
                self.speech.toggle_pause()
            else:
                self.speech.change_rate(1 if key in FASTER else -1)
            return True
        return False

    def _invites(self, watched: QWidget, event: QKeyEvent) -> bool:
        """Whether a key pressed with guidance off is a keypad's Select or Back, which says how to switch guidance on:
        not in a text field or a code pad (Return sends, Backspace deletes), not after a scanner's or keyboard's
        characters (its Return ends the code), not with a modifier."""
        key = Qt.Key(event.key())
        if key not in SELECT | BACK or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        return not _typing(watched) and not event.isAutoRepeat()

    def scope(self) -> QWidget:
        """Where the keys move now: the keys on the screen while one has the focus, else the dialog in front, else
        the window (top bar and the screen on show)."""
        if self.window.keyboard.has_keys_focus():
            return self.window.keyboard
        modal = QApplication.activeModalWidget()
        if modal is not None and belongs_to(modal, self.window):
            return modal
        shown = [dialog for dialog, _ in self.openers if shiboken6.isValid(dialog) and dialog.isVisible()]
        return shown[-1] if shown else self.window

    def _adjusting(self, slider: NumberSlider, *, on: bool, onward: bool = False) -> None:
        """Start changing a number (select on it), or end the change (select again, back): said either way, the end
        with what the value comes to where the screen says it ("2 Zelte passen"). Select ends it `onward`: to the
        control that takes the value (the question's Next, or the nearest value that fits), where the screen names
        one."""
        self.adjusting = slider if on else None
        outcome = getattr(slider, "outcome", None)
        words = spoken.number_change(value=_value_words(slider), on=on, locale=self.session.locale,
                                     address=self.session.address,
                                     outcome=str(outcome()) if callable(outcome) and not on else "")  # fmt: skip
        self.speech.say(words)
        after = getattr(slider, "after_change", None)
        target = after() if callable(after) and onward and not on else None
        if isinstance(target, QWidget) and reachable(target):
            target.setFocus(Qt.FocusReason.TabFocusReason)

    def _adjust(self, slider: NumberSlider, *, up: bool) -> None:
        """Up or down on a number being changed: one step up or down (the new value is said as it changes); at the
        end of its scale the value is said again."""
        target = slider.value() + (1 if up else -1)
        if slider.minimum() <= target <= slider.maximum():
            slider.setValue(target)
        else:
            self.speech.say(_value_words(slider))

    def _move(self, watched: QWidget, *, forward: bool) -> None:
        """Up or down: to the previous or next control."""
        scope = self.scope()
        order = reading_order(scope)
        if not order:
            return
        focus = scope.focusWidget()
        position = next((i for i, widget in enumerate(order) if widget is focus), None)
        if position is None:
            target, wrapped = order[0 if forward else -1], False
        else:
            step = 1 if forward else -1
            target = order[(position + step) % len(order)]
            wrapped = position + step in (-1, len(order))
        if wrapped:
            self.speech.say(spoken.wrapped(to_top=forward, locale=self.session.locale))
        target.setFocus(Qt.FocusReason.TabFocusReason)

    def _select(self, watched: QWidget, *, everything: bool) -> bool:
        """Select: press the button, confirm the number, open the result; on a text, say it again."""
        select = getattr(watched, "on_select", None)
        before = describe(watched, self.session.locale)
        if isinstance(watched, QAbstractButton):
            if not watched.isEnabled() or not watched.isVisible():
                return True
            watched.click()
        elif callable(select):
            select()
        elif everything and callable(getattr(watched, "spoken", None)):
            self.speech.fresh = True
            self.speech.say_focus(watched)
            return True
        else:
            return False
        # A choice that stays on the screen (several answers, consent, "why do we ask?"): its new state is said. (Not
        # a typing key's: it said what it typed; its new name, "k" after "großes K", is said when it is reached.)
        typing_key = isinstance(watched, QAbstractButton) and not watched.isCheckable()
        if not (typing_key and self.window.keyboard.isAncestorOf(watched)):
            QTimer.singleShot(0, self, lambda: self._said_after(watched, before))
        return True

    def _said_after(self, widget: QWidget, before: str) -> None:
        """A choice's new state, then what it changed elsewhere where it says so (its `news`: "4 Zelte passen")."""
        if not shiboken6.isValid(widget) or not widget.isVisible() or not widget.hasFocus() or self.speech.holding:
            return
        if describe(widget, self.session.locale) != before:
            self.speech.say_focus(widget)
        news = getattr(widget, "news", None)
        if callable(news):
            self.speech.say(str(news()))

    def _back(self, watched: QWidget) -> None:
        """Back: close the keys on the screen, else the dialog in front, else the screen's Back (the welcome screen
        has none)."""
        scope = self.scope()
        if scope is self.window.keyboard:
            self.window.keyboard.put_away()  # back to the field, which is said with what it holds
            return
        if isinstance(scope, QDialog):
            scope.reject()
            return
        back = getattr(self.window.stack.currentWidget(), "back", None)
        if isinstance(back, QAbstractButton) and back.isVisible() and back.isEnabled():
            back.click()

    # -- focus into and out of dialogs --------------------------------------------------------------------------

    def _enter(self, dialog: QDialog) -> None:
        """A dialog appeared: focus goes to its first control (its own choice, else the first in reading order)."""
        if not shiboken6.isValid(dialog) or not dialog.isVisible():
            return
        chosen = getattr(dialog, "first_focus", None)
        target = chosen() if callable(chosen) else None
        if target is None or not reachable(target):
            order = reading_order(dialog)
            target = order[0] if order else None
        if target is not None:
            dialog.activateWindow()
            target.setFocus(Qt.FocusReason.TabFocusReason)

    def _leave(self, dialog: QDialog) -> None:
        """A dialog closed: focus returns to what opened it, or to the screen's first control, or the dialog below."""
        opener = None
        for index, (shown, before) in enumerate(self.openers):
            if shown is dialog:
                opener = before
                del self.openers[index]
                break
        self.openers = [(shown, before) for shown, before in self.openers if shiboken6.isValid(shown)]
        if not shiboken6.isValid(self.window) or not self.window.isVisible():
            return
        below = [shown for shown, _ in self.openers if shown.isVisible()]
        if below:
            self._enter(below[-1])
            return
        self.window.focus_after_dialog(opener)
