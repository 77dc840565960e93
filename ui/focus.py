"""The focus ring only for keyboard users: a tap draws no ring, Tab and the arrow keys do (like :focus-visible).

The ring (`FocusRing`) is drawn around the focused control, outside it, on top of everything: a dark ring of
RING px in the theme's focus colour with a light halo of HALO px between it and the control. So the dark ring has
at least 3:1 contrast against both of its neighbours (the background outside, the halo inside) on any control,
dark buttons included, in both themes (WCAG 2.2 focus appearance; the colour pairs are checked in `ui/theme.py`).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QFrame, QWidget

from ui.theme import HALO, RING

POINTER_EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)
FOLLOWED = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide)


class FocusVisible(QObject):
    """Marks the focused control with `focusVisible="true"` while the keyboard is in use and draws the focus ring
    around it, so a touch screen never shows a ring that looks like a selection."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.keyboard = False
        self.marked: QWidget | None = None
        app.installEventFilter(self)

    @staticmethod
    def of(app: QObject | None) -> FocusVisible | None:
        """The application's instance, if a kiosk window made one."""
        return app.findChild(FocusVisible) if app is not None else None

    def keyboard_used(self) -> None:
        """A key was pressed (also one the four-key mode took before this filter saw it)."""
        if not self.keyboard:
            self.keyboard = True
            self._mark(QApplication.focusWidget())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.KeyPress and not self.keyboard and event.spontaneous():  # (not the on-screen keys)
            self.keyboard_used()
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
            ring = FocusRing.on(previous.window(), make=False)
            if ring is not None:
                ring.follow(None)
        if widget is not None:
            _set(widget, True)
            ring = FocusRing.on(widget.window())
            if ring is not None:
                ring.follow(widget)


def _set(widget: QWidget, visible: bool) -> None:
    if (widget.property("focusVisible") == "true") == visible:
        return
    widget.setProperty("focusVisible", "true" if visible else "false")
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class FocusRing(QFrame):
    """The ring around the focused control: a child of its window on top of everything, transparent for the pointer,
    following the control as it moves, scrolls or resizes; kept inside the window and the visible part of any
    scrolling area the control is in. Its colours come from the style sheet (#FocusRing, #FocusHalo)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("FocusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.halo = QFrame(self)
        self.halo.setObjectName("FocusHalo")
        self.halo.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.target: QWidget | None = None
        self.watched: list[QWidget] = []
        self.hide()

    @staticmethod
    def on(window: QWidget | None, *, make: bool = True) -> FocusRing | None:
        """The ring of a window (made on first use)."""
        if window is None or not shiboken6.isValid(window):
            return None
        ring = window.findChild(FocusRing, options=Qt.FindChildOption.FindDirectChildrenOnly)
        if ring is None and make:
            ring = FocusRing(window)
        return ring

    def follow(self, widget: QWidget | None) -> None:
        for watched in self.watched:
            if shiboken6.isValid(watched):
                watched.removeEventFilter(self)
        self.target, self.watched = widget, []
        if widget is None or widget is self.window() or not shiboken6.isValid(widget):
            self.target = None
            self.hide()
            return
        node: QWidget | None = widget
        while node is not None and node is not self.window():
            node.installEventFilter(self)  # it moves when it or anything around it moves, scrolls or resizes
            self.watched.append(node)
            node = node.parentWidget()
        self.place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in FOLLOWED and self.target is not None:
            self.place()
        return False

    def place(self) -> None:
        """Around the visible part of the control, clipped to the window."""
        target, window = self.target, self.window()
        if target is None or not shiboken6.isValid(target) or not target.isVisible():
            self.hide()
            return
        shown = QRect(target.mapTo(window, QPoint(0, 0)), target.size())
        node = target.parentWidget()
        while node is not None and node is not window:
            parent = node.parentWidget()
            if isinstance(parent, QAbstractScrollArea) and parent.viewport() is node:
                shown = shown.intersected(QRect(node.mapTo(window, QPoint(0, 0)), node.size()))
            node = parent
        if shown.isEmpty():
            self.hide()
            return
        width = RING + HALO
        ring = shown.adjusted(-width, -width, width, width).intersected(window.rect())
        self.setGeometry(ring)
        self.halo.setGeometry(self.rect().adjusted(RING, RING, -RING, -RING))
        self.show()
        self.raise_()
