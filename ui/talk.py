""" "Talk to a person" on the kiosk: consent first, then call a consultant here and see the queue live."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QDialog, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from advisor.i18n import text
from ui.session import KioskSession
from ui.wakeup import start_listening
from ui.widgets import button, label

POLL_MS = 250  # PRAGMA data_version (or a tiny summary query): cheap enough to ask four times a second
STORE = "muc-01"


class TalkDialog(QDialog):
    """Consent, the call, then the queue position and estimated wait until someone claims the request."""

    def __init__(self, session: KioskSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.request_id: int | None = None
        self.watcher: Any = None
        self.listening: asyncio.Event | None = None
        self.setModal(True)
        self.setMinimumWidth(560)
        self.setWindowTitle(self.t("talk.button"))
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)

        ask = QWidget()
        ask_layout = QVBoxLayout(ask)
        ask_layout.addWidget(label(self.t("talk.button"), "Question"))
        can_call = session.engine is not None and session.state is not None
        ask_layout.addWidget(label(self.t("talk.intro") if can_call else self.t("talk.find_staff")))
        self.consent = QCheckBox(self.t("talk.consent"))
        self.consent.setVisible(can_call)
        ask_layout.addWidget(self.consent)
        row = QHBoxLayout()
        self.call = button(self.t("talk.call"), "Primary", "chat")
        self.call.setVisible(can_call)
        self.call.setEnabled(False)
        self.consent.toggled.connect(self.call.setEnabled)
        self.call.clicked.connect(self._call)
        close = button(self.t("talk.close"))
        close.clicked.connect(self.reject)
        row.addWidget(close)
        row.addStretch(1)
        row.addWidget(self.call)
        ask_layout.addLayout(row)
        self.pages.addWidget(ask)

        wait = QWidget()
        wait_layout = QVBoxLayout(wait)
        self.status = label("", "Question")
        self.detail = label("")
        self.code = label("", "Muted")
        wait_layout.addWidget(self.status)
        wait_layout.addWidget(self.detail)
        wait_layout.addWidget(self.code)
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

    def _call(self) -> None:
        """Store the session (the shopper consented) and file the request."""
        from advisor.handoff import requests as handoff
        from advisor.handoff.codes import shown

        engine, questionnaire, state = self.session.engine, self.session.questionnaire, self.session.state
        assert engine is not None and questionnaire is not None and state is not None and self.consent.isChecked()
        stored = handoff.create_session(
            engine, questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version,
            answers=state.answers, locale=self.session.locale, store_id=STORE, kiosk_id=socket.gethostname(),
            consent=True,
        )  # fmt: skip
        self.request_id = handoff.request_handoff(engine, session_id=stored.id, kind="consultant")
        self.session.handoff_request_id = self.request_id
        self.code.setText(self.t("talk.code", code=shown(stored.resume_code)))
        self.watcher = handoff.ChangeWatcher(engine)
        self.pages.setCurrentIndex(1)
        self._poll()
        self.timer.start()
        self.listening = start_listening(engine, self._poll, self.timer)

    def _poll(self) -> None:
        """Re-read the request (the database is the truth) when something changed."""
        from advisor.handoff import requests as handoff

        engine = self.session.engine
        if engine is None or self.request_id is None or self.watcher is None or not self.watcher.changed():
            return
        current = handoff.request_state(engine, self.request_id)
        if current is None or current[0] not in handoff.OPEN_STATES:
            self.status.setText(self.t("talk.ended"))
            self.detail.setText("")
            self.cancel.setVisible(False)
            self.timer.stop()
        elif current[0] == handoff.CLAIMED:
            self.status.setText(self.t("talk.claimed", name=current[1] or "?"))
            self.detail.setText("")
            self.cancel.setVisible(False)
        else:
            position = next(
                (e.position for e in handoff.queue(engine, store_id=STORE) if e.request_id == self.request_id), 1
            )
            self.status.setText(self.t("talk.queue", position=position))
            wait = handoff.estimated_wait(engine)
            minutes = max(1, round(wait.total_seconds() / 60)) if wait else None
            self.detail.setText(self.t("talk.wait", minutes=minutes) if minutes else self.t("talk.wait_unknown"))

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
