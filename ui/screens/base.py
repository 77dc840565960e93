"""What every screen shares: the session, translated texts, a title area and a scrolling body."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from advisor.i18n import pick, text
from ui.session import KioskSession
from ui.widgets import CompactRow, button, touch_scroll_area

# The screen's margins and the room between its parts; in accessibility mode (larger text) less, so that the answers
# get more of the screen.
MARGINS, SPACING = (32, 24, 32, 24), 16
ACCESSIBLE_MARGINS, ACCESSIBLE_SPACING = (24, 12, 24, 12), 10


class Screen(QWidget):
    """A full-window screen; `refresh` rebuilds it from the session."""

    def __init__(self, session: KioskSession) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.session = session
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(*MARGINS)
        self.outer.setSpacing(SPACING)

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.session.locale, self.session.address, **params)

    def pick(self, texts: Any) -> str:
        return pick(texts, self.session.locale)

    def footer(self) -> QHBoxLayout:
        """The bottom row of buttons, starting with Back (as `self.back`); the caller adds the rest."""
        self.footer_box = QWidget()  # (hidden as a whole while the on-screen keyboard is up: ui/window.typing)
        row = QHBoxLayout(self.footer_box)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        self.back = button("", "", "back")
        self.back.clicked.connect(self.session.back)
        row.addWidget(self.back)
        self.outer.addWidget(self.footer_box)
        self.footer_row = row
        return row

    def fit_footer(self) -> None:
        """When the footer's texts do not fit (large text, a narrow screen), its buttons with icons show only
        the icons, the secondary ones first."""
        row = getattr(self, "footer_row", None)
        if row is None:
            return
        if getattr(self, "compact", None) is None:
            buttons = [row.itemAt(i).widget() for i in range(row.count())]
            droppable = [b for b in buttons if isinstance(b, QPushButton) and b.objectName() != "Primary"]
            self.compact = CompactRow(self, row, list(reversed(droppable)), around=self.outer)
        self.compact.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.fit_footer()

    def scrolling(self, content: QWidget) -> QScrollArea:
        """The screen's body: `content` in a touch-scrolling area taking the free height."""
        area = touch_scroll_area(content)
        self.outer.addWidget(area, 1)
        return area

    def set_roomy(self, accessible: bool) -> None:
        """The margins for the mode: narrower with the accessibility mode's larger text."""
        self.outer.setContentsMargins(*(ACCESSIBLE_MARGINS if accessible else MARGINS))
        self.outer.setSpacing(ACCESSIBLE_SPACING if accessible else SPACING)

    def refresh(self) -> None:
        raise NotImplementedError

    def first_focus(self) -> QWidget | None:
        """Where keyboard focus goes when the screen appears (the first thing to answer or press)."""
        return None

    def kept_focus(self) -> QWidget | None:
        """Where focus goes when the screen is rebuilt in answer to the shopper and the control they used is gone
        (a grade given: the thanks that replaced the grades)."""
        return None

    def ready(self) -> bool:
        """Whether the screen shows what it is about (the results fill their products a moment after they appear)."""
        return True

    def spoken(self) -> str:
        """What speech says when the screen appears: where the shopper is and what they can do (ui/spoken.py)."""
        return ""
