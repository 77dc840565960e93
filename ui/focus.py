"""The focus ring only for keyboard users: a tap draws no ring, Tab and the arrow keys do (like :focus-visible)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

POINTER_EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)


class FocusVisible(QObject):
    """Marks the focused control with `focusVisible="true"` while the keyboard is in use; the style draws the ring
    from that property, so a touch screen never shows a ring that looks like a selection."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.keyboard = False
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.KeyPress and not self.keyboard:
            self.keyboard = True
            self._mark(QApplication.focusWidget(), True)
        elif kind in POINTER_EVENTS and self.keyboard:
            self.keyboard = False
            self._mark(QApplication.focusWidget(), False)
        elif kind == QEvent.Type.FocusIn and isinstance(watched, QWidget):
            self._mark(watched, self.keyboard)
        elif kind == QEvent.Type.FocusOut and isinstance(watched, QWidget):
            self._mark(watched, False)
        return False

    @staticmethod
    def _mark(widget: QWidget | None, visible: bool) -> None:
        if widget is None or (widget.property("focusVisible") == "true") == visible:
            return
        widget.setProperty("focusVisible", "true" if visible else "false")
        widget.style().unpolish(widget)
        widget.style().polish(widget)
