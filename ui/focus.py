"""The focus ring only for keyboard users: a tap draws no ring, Tab and the arrow keys do (like :focus-visible)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

POINTER_EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)


class FocusVisible(QObject):
    """Marks the focused control with `focusVisible="true"` while the keyboard is in use; the style draws the ring
    from that property, so a touch screen never shows a ring that looks like a selection."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.keyboard = False
        self.marked: QWidget | None = None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.KeyPress and not self.keyboard:
            self.keyboard = True
            self._mark(QApplication.focusWidget())
        elif kind in POINTER_EVENTS and self.keyboard:
            self.keyboard = False
            self._mark(None)
        elif kind == QEvent.Type.FocusIn and isinstance(watched, QWidget):
            self._mark(watched if self.keyboard else None)
        return False

    def _mark(self, widget: QWidget | None) -> None:
        """Draw the ring on `widget` (None: on nothing)."""
        previous, self.marked = self.marked, widget
        if previous is not None and previous is not widget and shiboken6.isValid(previous):
            _set(previous, False)
        if widget is not None:
            _set(widget, True)


def _set(widget: QWidget, visible: bool) -> None:
    if (widget.property("focusVisible") == "true") == visible:
        return
    widget.setProperty("focusVisible", "true" if visible else "false")
    widget.style().unpolish(widget)
    widget.style().polish(widget)
