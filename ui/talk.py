""" "Talk to a person" on the kiosk: consent first, then call a consultant here and see the queue live."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from advisor.i18n import text
from ui.session import KioskSession
from ui.wakeup import start_listening
from ui.widgets import OptionCard, button, label

POLL_MS = 250  # PRAGMA data_version (or a tiny summary query): cheap enough to ask four times a second


def _available(session: KioskSession) -> list[str]:
    """Staff at a console now (presence): only then are chat and a consultant offered."""
    from advisor.handoff.staff import available

    return available(session.engine) if session.engine is not None else []


class TalkDialog(QDialog):
    """Consent, the call, then the queue position and estimated wait until someone claims the request."""

    def __init__(self, session: KioskSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.request_id: int | None = None
        self.kind = "consultant"
        self.session_id: str | None = None
        self.watcher: Any = None
        self.listening: asyncio.Event | None = None
        self.setModal(True)
        self.setMinimumSize(860, 520)
        self.setWindowTitle(self.t("talk.button"))
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)

        ask = QWidget()
        ask_layout = QVBoxLayout(ask)
        ask_layout.addWidget(label(self.t("talk.button"), "Question"))
        connected = session.engine is not None and session.state is not None
        can_call = connected and bool(_available(session))
        if can_call:
            explanation = self.t("talk.intro")
        else:
            explanation = self.t("talk.nobody") if connected else self.t("talk.find_staff")
        ask_layout.addWidget(label(explanation))
        # A large card to tap (a check box's text would not wrap); checked means consent.
        self.consent = OptionCard(self.t("talk.consent"), "", "check")
        self.consent.setVisible(can_call)
        ask_layout.addWidget(self.consent)
        ask_layout.addStretch(1)
        row = QHBoxLayout()
        self.call = button(self.t("talk.call"), "Primary")
        self.call.setVisible(can_call)
        self.call.setEnabled(False)
        self.consent.toggled.connect(self.call.setEnabled)
        self.call.clicked.connect(lambda: self._call("consultant"))
        self.chat = button(self.t("talk.chat"), "Primary")
        self.chat.setVisible(can_call)
        self.chat.setEnabled(False)
        self.consent.toggled.connect(self.chat.setEnabled)
        self.chat.clicked.connect(lambda: self._call("chat"))
        close = button(self.t("talk.close"))
        close.clicked.connect(self.reject)
        row.addWidget(close)
        row.addStretch(1)
        row.addWidget(self.chat)
        row.addWidget(self.call)
        ask_layout.addLayout(row)
        for widget in (self.chat, self.call):
            widget.setMinimumWidth(300)
        self.pages.addWidget(ask)

        wait = QWidget()
        wait_layout = QVBoxLayout(wait)
        self.status = label("", "Question")
        self.detail = label("")
        self.code = label("", "Muted")
        wait_layout.addWidget(self.status)
        wait_layout.addWidget(self.detail)
        wait_layout.addWidget(self.code)
        self.lines = QListWidget()
        self.lines.setAccessibleName(self.t("talk.chat"))
        self.lines.setWordWrap(True)
        self.message = QLineEdit()
        self.message.setAccessibleName(self.t("talk.message"))
        self.message.setPlaceholderText(self.t("talk.message"))
        self.message.setMaxLength(1000)
        self.message.returnPressed.connect(self._send)
        self.send = button(self.t("talk.send"), "Primary")
        self.send.clicked.connect(self._send)
        chat_row = QHBoxLayout()
        chat_row.addWidget(self.message, 1)
        chat_row.addWidget(self.send)
        wait_layout.addWidget(self.lines, 1)
        wait_layout.addLayout(chat_row)
        for widget in (self.lines, self.message, self.send):
            widget.setVisible(False)
        row = QHBoxLayout()
        self.cancel = button(self.t("talk.cancel"))
        self.cancel.clicked.connect(self._cancel)
        done = button(self.t("talk.close"), "Primary")
        done.clicked.connect(self.accept)
        row.addWidget(self.cancel)
        row.addStretch(1)
        row.addWidget(done)
        wait_layout.addLayout(row)
        self.pages.addWidget(wait)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.session.locale, self.session.address, **params)

    def _call(self, kind: str) -> None:
        """File the request; if the database cannot be reached, say so (the advice itself keeps working)."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            self._file(kind)
        except SQLAlchemyError:
            self.pages.setCurrentIndex(1)
            self.status.setText(self.t("talk.offline"))
            self.detail.setText("")
            self.cancel.setVisible(False)

    def _file(self, kind: str) -> None:
        """Store the session (the shopper consented) and file the request."""
        from advisor.handoff import requests as handoff
        from advisor.handoff.codes import shown

        engine, questionnaire, state = self.session.engine, self.session.questionnaire, self.session.state
        assert engine is not None and questionnaire is not None and state is not None and self.consent.isChecked()
        stored = handoff.create_session(
            engine, questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version,
            answers=state.answers, locale=self.session.locale, store_id=self.session.store_id,
            kiosk_id=socket.gethostname(), consent=True,
        )  # fmt: skip
        self.kind = kind
        self.session_id = stored.id
        self.request_id = handoff.request_handoff(engine, session_id=stored.id, kind=kind)
        for widget in (self.lines, self.message, self.send):
            widget.setVisible(kind == "chat")
        self.session.handoff_request_id = self.request_id
        self.code.setText(self.t("talk.code", code=shown(stored.resume_code)))
        self.watcher = handoff.ChangeWatcher(engine)
        self.pages.setCurrentIndex(1)
        self._poll()
        self.timer.start()
        self.listening = start_listening(engine, self._poll, self.timer)

    def _poll(self) -> None:
        """Re-read the request (the database is the truth) when something changed; outages wait quietly."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            self._read()
        except SQLAlchemyError:
            self.detail.setText(self.t("talk.offline"))

    def _read(self) -> None:
        from advisor.handoff import requests as handoff

        engine = self.session.engine
        if engine is None or self.request_id is None or self.watcher is None or not self.watcher.changed():
            return
        current = handoff.request_state(engine, self.request_id)
        self._show_messages()
        if self.session_id is not None:
            stored = handoff.session_of(engine, self.session_id)
            if stored is not None:
                self.session.apply_answers(stored.answers)  # staff changed an answer: the advice re-runs here
        if current is None or current[0] not in handoff.OPEN_STATES:
            self.status.setText(self.t("talk.ended"))
            self.detail.setText("")
            self.cancel.setVisible(False)
            self.timer.stop()
        elif current[0] == handoff.CLAIMED:
            claimed = "talk.claimed_chat" if self.kind == "chat" else "talk.claimed"
            self.status.setText(self.t(claimed, name=current[1] or "?"))
            self.detail.setText("")
            self.cancel.setVisible(False)
        else:
            position = next(
                (
                    e.position
                    for e in handoff.queue(engine, store_id=self.session.store_id)
                    if e.request_id == self.request_id
                ),
                1,
            )
            self.status.setText(self.t("talk.queue", position=position))
            wait = handoff.estimated_wait(engine)
            minutes = max(1, round(wait.total_seconds() / 60)) if wait else None
            self.detail.setText(self.t("talk.wait", minutes=minutes) if minutes else self.t("talk.wait_unknown"))

    def _show_messages(self) -> None:
        from advisor.handoff import requests as handoff

        if self.session.engine is None or self.request_id is None or not self.lines.isVisible():
            return
        lines = handoff.messages(self.session.engine, self.request_id)
        if len(lines) != self.lines.count():
            self.lines.clear()
            for line in lines:
                who = self.t("talk.you") if line.sender == "shopper" else (line.author or "Team")
                self.lines.addItem(f"{who}: {line.text}")
            self.lines.scrollToBottom()

    def _send(self) -> None:
        from advisor.handoff import requests as handoff

        if self.session.engine is None or self.request_id is None or not self.message.text().strip():
            return
        try:
            handoff.post_message(self.session.engine, self.request_id, sender="shopper", text=self.message.text())
        except handoff.HandoffError as error:
            self.detail.setText(str(error))
            return
        self.message.clear()
        self._show_messages()

    def _cancel(self) -> None:
        from advisor.handoff import requests as handoff

        if self.session.engine is not None and self.request_id is not None:
            # Claimed or closed meanwhile: then the cancel is refused, and the next poll shows why.
            with contextlib.suppress(handoff.HandoffError):
                handoff.transition(self.session.engine, self.request_id, "cancel")
        self._poll()

    def done(self, result: int) -> None:
        if self.listening is not None:
            self.listening.set()
        self.timer.stop()
        if self.watcher is not None:
            self.watcher.close()
        super().done(result)
