"""What every screen shares: the session, translated texts, a title area and a scrolling body."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from advisor.i18n import pick, text
from ui.session import KioskSession


class Screen(QWidget):
    """A full-window screen; `refresh` rebuilds it from the session."""

    def __init__(self, session: KioskSession) -> None:
        super().__init__()
        self.setObjectName("Screen")
        self.session = session
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(32, 24, 32, 24)
        self.outer.setSpacing(16)

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.session.locale, self.session.address, **params)

    def pick(self, texts: Any) -> str:
        return pick(texts, self.session.locale)

    def footer(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(12)
        return row

    def refresh(self) -> None:
        raise NotImplementedError

    def first_focus(self) -> QWidget | None:
        """Where keyboard focus goes when the screen appears (the first thing to answer or press)."""
        return None
