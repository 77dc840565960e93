""" "Talk to a person" on the kiosk: consent first, then call a consultant here and see the queue live."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer
from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from advisor.i18n import text
from ui.screens.results import rating_choices
from ui.session import KioskSession
from ui.wakeup import start_listening
from ui.widgets import OptionCard, RatingRow, button, label

POLL_MS = 250  # PRAGMA data_version (or a tiny summary query): cheap enough to ask four times a second
PHONE_PAGE, SUMMARY_PAGE = 2, 3


def _staff_back(session: KioskSession) -> str | None:
    """When staff are in the store next (opening hours from the configuration), as the shopper reads it."""
    from datetime import UTC, datetime

    config = session.config
    if config is None:
        return None
    from advisor.config import is_open, staff_back_at

    now = datetime.now(UTC)
    if is_open(config, now):
        return None
    back = staff_back_at(config, now)
    if back is None:
        return None
    day = text(f"weekday.{back.weekday()}", session.locale) if back.date() != now.astimezone(back.tzinfo).date() else ""
    return f"{day} {back:%H:%M}".strip()


def default_printer() -> QPrinter | None:
    """The kiosk's default printer, or None where it has none."""
    info = QPrinterInfo.defaultPrinter()
    return None if info.isNull() else QPrinter(info, QPrinter.PrinterMode.HighResolution)


def summary_html(session: KioskSession) -> str:
    """The take-away summary (the same templates as the web page and the e-mail) for this kiosk session."""
    from datetime import UTC, datetime

    from advisor.rendering.summary import build_summary, render_summary

    stored = session.store()
    recommendation = session.recommendation()
    assert session.questionnaire is not None and session.state is not None and session.index is not None
    assert recommendation is not None
    summary = build_summary(
        questionnaire=session.questionnaire, state=session.state, recommendation=recommendation, index=session.index,
        locale=session.locale, created=datetime.now(UTC), store_id=session.store_id, store_name=session.store_name,
        resume_code=stored.resume_code, continue_url=f"{session.public_base_url}/resume",
    )  # fmt: skip
    return render_summary(summary, "print")


def write_summary_pdf(session: KioskSession, path: str) -> None:
    """The summary as a PDF file (the staff console saves one; tests read it)."""
    document = QTextDocument()
    document.setHtml(summary_html(session))
    writer = QPdfWriter(path)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(150)
    document.print_(writer)


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
            back = _staff_back(session)
            if connected and back:
                explanation = self.t("talk.back_at", when=back)
        ask_layout.addWidget(label(explanation))
        # A large card to tap (a check box's text would not wrap); checked means consent.
        self.consent = OptionCard(self.t("talk.consent", days=session.retention_days), "", "check")
        self.consent.setVisible(can_call)
        ask_layout.addWidget(self.consent)
        ask_layout.addStretch(1)
        staff_row = QHBoxLayout()
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
        staff_row.addStretch(1)
        staff_row.addWidget(self.chat)
        staff_row.addWidget(self.call)
        ask_layout.addLayout(staff_row)
        row = QHBoxLayout()
        close = button(self.t("talk.close"))
        close.clicked.connect(self.reject)
        self.phone = button(self.t("talk.phone"), "", "phone")
        self.phone.clicked.connect(self.show_phone)
        self.summary = button(self.t("talk.summary"), "", "print")
        self.summary.clicked.connect(self.show_summary)
        for widget in (self.phone, self.summary):
            widget.setVisible(connected)
        row.addWidget(close)
        row.addStretch(1)
        row.addWidget(self.phone)
        row.addWidget(self.summary)
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
        self.contact_rating = RatingRow()
        self.contact_rating.set_scale(self.t("feedback.contact"), rating_choices(session.scale, self.t))
        self.contact_rating.rated.connect(self._rate_contact)
        self.contact_rating.setVisible(False)
        wait_layout.addWidget(self.contact_rating)
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
        self.pages.addWidget(self._phone_page())
        self.pages.addWidget(self._summary_page())
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.session.locale, self.session.address, **params)

    # -- continue on the phone, take the summary -------------------------------------------------------------

    def _phone_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(label(self.t("talk.phone"), "Question"))
        row = QHBoxLayout()
        self.qr = QSvgWidget()
        self.qr.setFixedSize(QSize(260, 260))
        self.qr.setAccessibleName(self.t("talk.phone_qr"))
        row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        row.addSpacing(24)
        texts = QVBoxLayout()
        self.phone_hint = label(self.t("talk.phone_hint"))
        self.phone_code = label("", "Section")
        texts.addWidget(self.phone_hint)
        texts.addWidget(self.phone_code)
        texts.addStretch(1)
        row.addLayout(texts, 1)
        layout.addLayout(row, 1)
        buttons = QHBoxLayout()
        again = button(self.t("talk.phone_new"))
        again.clicked.connect(self.show_phone)
        done = button(self.t("talk.close"), "Primary")
        done.clicked.connect(self.accept)
        buttons.addWidget(again)
        buttons.addStretch(1)
        buttons.addWidget(done)
        layout.addLayout(buttons)
        return page

    def _summary_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.summary_view = QTextBrowser()
        self.summary_view.setOpenLinks(False)  # a kiosk opens no other programs
        self.summary_view.setAccessibleName(self.t("talk.summary"))
        layout.addWidget(self.summary_view, 1)
        self.summary_note = label("", "Muted")
        layout.addWidget(self.summary_note)
        buttons = QHBoxLayout()
        to_phone = button(self.t("talk.phone"), "", "phone")
        to_phone.clicked.connect(self.show_phone)
        self.print_button = button(self.t("talk.print"), "Primary", "print")
        self.print_button.clicked.connect(self.print_summary)
        done = button(self.t("talk.close"))
        done.clicked.connect(self.accept)
        buttons.addWidget(done)
        buttons.addStretch(1)
        buttons.addWidget(to_phone)
        buttons.addWidget(self.print_button)
        layout.addLayout(buttons)
        return page

    def show_phone(self) -> None:
        """A fresh one-time QR code (5 minutes) that opens this session on the shopper's phone."""
        from sqlalchemy.exc import SQLAlchemyError

        from advisor.handoff.codes import shown
        from advisor.rendering.qr import qr_svg

        try:
            link = self.session.phone_link()
            stored = self.session.store()
        except SQLAlchemyError:
            self._offline()
            return
        self.phone_link = link
        self.qr.load(QByteArray(qr_svg(link).encode()))
        code = shown(stored.resume_code).replace("-", "\u2011")  # a non-breaking hyphen: the code stays on one line
        self.phone_code.setText(self.t("talk.code", code=code))
        self.pages.setCurrentIndex(PHONE_PAGE)

    def show_summary(self) -> None:
        """The take-away summary as it prints; printing where the kiosk has a printer."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            html = summary_html(self.session)
        except SQLAlchemyError:
            self._offline()
            return
        self.summary_view.setHtml(html)
        printer = default_printer()
        self.print_button.setVisible(printer is not None)
        self.summary_note.setText("" if printer else self.t("talk.no_printer"))
        self.pages.setCurrentIndex(SUMMARY_PAGE)

    def print_summary(self) -> None:
        printer = default_printer()
        if printer is None:
            return
        self.summary_view.document().print_(printer)
        self.summary_note.setText(self.t("talk.printed"))

    def _rate_contact(self, grade: int) -> None:
        self.session.rate(grade, about="contact")
        self.contact_rating.setVisible(False)
        self.detail.setText(self.t("feedback.thanks"))

    def _offline(self) -> None:
        self.pages.setCurrentIndex(1)
        self.status.setText(self.t("talk.offline"))
        self.detail.setText("")
        self.cancel.setVisible(False)

    def _call(self, kind: str) -> None:
        """File the request; if the database cannot be reached, say so (the advice itself keeps working)."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            self._file(kind)
        except SQLAlchemyError:
            self._offline()

    def _file(self, kind: str) -> None:
        """Store the session (the shopper consented) and file the request."""
        from advisor.handoff import requests as handoff
        from advisor.handoff.codes import shown

        engine = self.session.engine
        assert engine is not None and self.consent.isChecked()
        stored = self.session.store(consent=True)
        self.kind = kind
        self.session_id = stored.id
        self.request_id = handoff.request_handoff(engine, session_id=stored.id, kind=kind)
        self.session.log("handoff_requested", value=kind)
        for widget in (self.lines, self.message, self.send):
            widget.setVisible(kind == "chat")
        self.session.handoff_request_id = self.request_id
        self.code.setText(self.t("talk.code", code=shown(stored.resume_code).replace("-", "\u2011")))
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
            claimed = current is not None and current[0] == handoff.CLOSED and current[1] is not None
            self.contact_rating.setVisible(claimed and "contact" not in self.session.rated)
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
