"""The kiosk in public space: lockdown (no way out but the hidden gesture and the PIN) and the idle wipe.

- Lockdown: close, Alt+F4, Esc, Ctrl+Q, Ctrl+W and the like do nothing; five taps on the logo within four
  seconds open the exit PIN pad (a PIN hash from the configuration; 5 wrong tries lock it for 5 minutes).
- Idle: after `idle_timeout` without a touch, a warning counts down (at least 20 s; one tap continues,
  WCAG 2.2.1); then everything of the shopper is wiped and the welcome screen returns.
- While a person is on the way or a chat is open, the warning asks about that ("Still there? Anna is on the way")
  and waits HANDOFF_GRACE times as long: the shopper may have stepped aside to look at a tent. Only "I'm leaving"
  or no answer at all wipes then (the kiosk ends the request; see KioskWindow.wipe).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from advisor.handoff.exitpin import ExitGuard, ExitLocked
from advisor.i18n import text
from ui.spoken import sentences
from ui.widgets import button, label, readable

ACTIVITY = {
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove, QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.Wheel,
}  # fmt: skip
BLOCKED_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_F4, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Meta}
BLOCKED_SEQUENCES = {
    QKeySequence.StandardKey.Close, QKeySequence.StandardKey.Quit, QKeySequence.StandardKey.Open,
    QKeySequence.StandardKey.Save, QKeySequence.StandardKey.Print, QKeySequence.StandardKey.New,
}  # fmt: skip
GESTURE_TAPS, GESTURE_SECONDS = 5, 4.0
HANDOFF_GRACE = 3  # a person is coming or chatting: the countdown is this many times the usual one
LEFT = 2  # the result of a warning that ends with the shopper gone (they said so, or the countdown ran out)


def blocked(event: QKeyEvent) -> bool:
    """Keys that would leave, close or open something else: Esc, Alt+F4, Ctrl+Q/W/O/S/P/N, the system key."""
    key = Qt.Key(event.key())
    modifiers = event.modifiers()
    if key in BLOCKED_KEYS and (key != Qt.Key.Key_F4 or modifiers & Qt.KeyboardModifier.AltModifier):
        return True
    if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier) and key == Qt.Key.Key_Tab:
        return True
    return any(event.matches(sequence) for sequence in BLOCKED_SEQUENCES)


def _plain_escape(event: QKeyEvent) -> bool:
    return event.key() == Qt.Key.Key_Escape and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


class Lockdown(QObject):
    """An application-wide event filter: swallows the keys that leave, counts taps for the hidden gesture."""

    gesture = Signal()

    def __init__(
        self, window: QWidget, gesture_target: QWidget, *, back_key: Callable[[], bool] = lambda: False
    ) -> None:
        super().__init__(window)
        self.window = window
        self.gesture_target = gesture_target
        self.back_key = back_key  # whether Escape is the back key now (speech guidance): then it goes through
        self.taps: list[float] = []
        self.active = True
        app = QApplication.instance()
        assert app is not None  # (made before any window)
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if not self.active:
            return False
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(event, QKeyEvent):
            if blocked(event) and not (_plain_escape(event) and self.back_key()):
                event.accept()
                return True
        elif kind == QEvent.Type.MouseButtonRelease and watched is self.gesture_target:
            now = time.monotonic()
            self.taps = [tap for tap in self.taps if now - tap < GESTURE_SECONDS] + [now]
            if len(self.taps) >= GESTURE_TAPS:
                self.taps = []
                self.gesture.emit()
        return False


class ExitDialog(QDialog):
    """Staff type the exit PIN on a keypad; the right one closes the kiosk."""

    types_keys = True  # digits and Backspace type the PIN (ui/keys.py leaves them alone)

    def __init__(self, guard: ExitGuard, locale: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guard = guard
        self.shown_locale = locale
        self.pin = ""
        self.setModal(True)
        self.setWindowTitle("PIN")
        layout = QVBoxLayout(self)
        layout.addWidget(label(text("exit.title", locale), "Question"))
        self.shown = label("", "NumberValue")
        self.shown.setAccessibleName(text("exit.title", locale))
        layout.addWidget(self.shown)
        keys = QGridLayout()
        for i, digit in enumerate("123456789"):
            key = button(digit)
            key.setMinimumSize(72, 64)
            key.clicked.connect(lambda _=False, d=digit: self.type(d))
            keys.addWidget(key, i // 3, i % 3)
        zero = button("0")
        zero.clicked.connect(lambda: self.type("0"))
        keys.addWidget(zero, 3, 1)
        layout.addLayout(keys)
        self.message = label("", "Tradeoff")
        layout.addWidget(self.message)
        row = QHBoxLayout()
        close = button(text("talk.close", locale))
        close.clicked.connect(self.reject)
        self.ok = button("OK", "Primary")
        self.ok.clicked.connect(self.submit)
        row.addWidget(close)
        row.addStretch(1)
        row.addWidget(self.ok)
        layout.addLayout(row)
        self._show()

    def spoken(self) -> str:
        return text("exit.title", self.shown_locale)

    def type(self, digit: str) -> None:
        if len(self.pin) < 12:
            self.pin += digit
        self._show()

    def _show(self) -> None:
        self.shown.setText("•" * len(self.pin) or "····")

    def submit(self) -> None:
        try:
            right = self.guard.check(self.pin, datetime.now(UTC))
        except ExitLocked as error:
            self.message.setText(text("exit.locked", self.shown_locale, seconds=error.seconds))
            right = False
        else:
            if not right:
                self.message.setText(text("exit.wrong", self.shown_locale))
        self.pin = ""
        self._show()
        if right:
            self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.text().isdigit():
            self.type(event.text())
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif event.key() == Qt.Key.Key_Backspace:
            self.pin = self.pin[:-1]
            self._show()


class IdleWarning(QDialog):
    """ "Are you still there?" with a countdown; one tap anywhere on it continues."""

    COUNTDOWN = "idle.countdown"
    urgent = True  # speech stops what it says and says this at once (ui/speech.py)

    def __init__(
        self, seconds: int, locale: str, address: str, parent: QWidget | None = None, *, question: str | None = None
    ) -> None:
        super().__init__(parent)
        self.shown_locale, self.address = locale, address
        self.left = seconds
        question = question or text("idle.title", locale, address)
        self.setModal(True)
        self.setWindowTitle(question)
        self.column = QVBoxLayout(self)
        self.column.addWidget(label(question, "Question"))
        self.question = question
        self.countdown = label("", "Subtitle")
        self.countdown.setAccessibleName(question)
        readable(self.countdown, self.spoken)
        self.column.addWidget(self.countdown)
        self.go_on = button(text("idle.continue", locale, address), "Primary")
        self.go_on.setMinimumHeight(96)
        self.go_on.clicked.connect(self.accept)
        self.column.addWidget(self.go_on)
        self._show()

    def spoken(self) -> str:
        """The question and the countdown ("… starts over in 20 s"), said when the warning appears."""
        return sentences(self.question, self.countdown.text())

    def first_focus(self) -> QWidget:
        return self.go_on

    def tick(self) -> None:
        self.left -= 1
        self._show()

    def _show(self) -> None:
        self.countdown.setText(text(self.COUNTDOWN, self.shown_locale, self.address, seconds=max(0, self.left)))

    def mousePressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.accept()


class HandoffWarning(IdleWarning):
    """ "Still there? Anna is on the way": "Yes, I'm here" keeps everything, "I'm leaving" ends the request."""

    COUNTDOWN = "idle.handoff_countdown"

    def __init__(self, question: str, seconds: int, locale: str, address: str, parent: QWidget | None = None) -> None:
        super().__init__(seconds, locale, address, parent, question=question)
        self.go_on.setText(text("idle.here", locale, address))
        self.leave = button(text("idle.leave", locale, address))
        self.leave.setMinimumHeight(72)
        self.leave.clicked.connect(lambda: self.done(LEFT))
        self.column.addWidget(self.leave)


class IdleGuard(QObject):
    """Watches for touches; warns after `timeout_s` idle, wipes after `warning_s` more unless someone taps.

    `handoff_question` says what to ask while a person is on the way or a chat is open (None: nothing is open);
    then the countdown is HANDOFF_GRACE times as long.
    """

    wiped = Signal()
    continued = Signal()  # the shopper answered the warning and stays

    def __init__(
        self,
        window: QWidget,
        *,
        timeout_s: float,
        warning_s: int,
        is_idle_worthy: Callable[[], bool],
        wipe: Callable[[], None],
        locale: Callable[[], tuple[str, str]],
        handoff_question: Callable[[], str | None],
        tick_ms: int = 1000,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.warning_s = max(20, warning_s)  # WCAG 2.2.1: time enough to react
        self.is_idle_worthy = is_idle_worthy
        self.wipe = wipe
        self.locale = locale
        self.handoff_question = handoff_question
        self.warning: IdleWarning | None = None
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(int(timeout_s * 1000))
        self.idle.timeout.connect(self._warn)
        self.second = QTimer(self)
        self.second.setInterval(tick_ms)  # one second of the countdown (tests make it shorter)
        self.second.timeout.connect(self._tick)
        app = QApplication.instance()
        assert app is not None  # (made before any window)
        app.installEventFilter(self)
        self.idle.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in ACTIVITY and self.warning is None:
            self.idle.start()  # any touch starts the wait again
        return False

    def _warn(self) -> None:
        if not self.is_idle_worthy():
            self.idle.start()
            return
        locale, address = self.locale()
        question = self.handoff_question()
        if question is None:
            self.warning = IdleWarning(self.warning_s, locale, address, self.window)
        else:
            self.warning = HandoffWarning(question, self.warning_s * HANDOFF_GRACE, locale, address, self.window)
        self.warning.finished.connect(self._answered)
        self.warning.open()
        self.second.start()

    def _tick(self) -> None:
        if self.warning is None:
            return
        self.warning.tick()
        if self.warning.left <= 0:
            self.warning.done(LEFT)  # nobody answered: the shopper is gone

    def _answered(self, result: int) -> None:
        self.second.stop()
        warning, self.warning = self.warning, None
        if warning is not None:
            warning.finished.disconnect(self._answered)  # the wipe closes every dialog, this one too
            warning.deleteLater()
        if result == LEFT:
            self.wipe()
            self.wiped.emit()
        else:
            self.continued.emit()
        self.idle.start()
