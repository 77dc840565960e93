""" "Talk to a person" on the kiosk: consent first, then call a consultant here and see the queue live.

Whatever the kind of request, its chat goes both ways (a consultant on the way may write "at the tills, 2 minutes").
Closed while its request is open, the dialog keeps following it: the idle wipe asks first then, and the talk
button shows it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QKeyEvent, QPageSize, QPdfWriter, QShowEvent, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QListWidget,
    QSizePolicy,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from advisor.handoff.staff import available
from advisor.i18n import rating_question, text
from ui.ops import Lane
from ui.screens.results import rating_choices
from ui.session import KioskSession, OpenHandoff
from ui.speech import describe, tell, unsaid, unsaid_until
from ui.spoken import control, document, listing, sentences, spelled
from ui.theme import HIGH_CONTRAST, Theme
from ui.wakeup import start_listening
from ui.widgets import (
    OptionCard,
    QrPanel,
    RatingRow,
    button,
    enter_presses_nothing,
    fit_fields,
    fit_to_screen,
    label,
    readable,
    screen_room,
    tick_card,
)

if TYPE_CHECKING:
    from advisor.session.store import Record
    from advisor.session.watch import RequestView

POLL_MS = 250  # PRAGMA data_version (or a tiny summary query): cheap enough to ask four times a second
PRESENCE_WAIT_MS = 1500  # the dialog says its focus at the latest this long after it opens, known who is there or not
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
    today = now.astimezone(back.tzinfo).date()
    days = (back.date() - today).days
    when = "today" if days == 0 else "tomorrow" if days == 1 else "day"
    return text(f"talk.back.{when}", session.locale, session.address, day=text(f"weekday.{back.weekday()}",
                session.locale), time=f"{back:%H:%M}")  # fmt: skip


def default_printer() -> QPrinter | None:
    """The kiosk's default printer, or None where it has none."""
    info = QPrinterInfo.defaultPrinter()
    return None if info.isNull() else QPrinter(info, QPrinter.PrinterMode.HighResolution)


_printer_found: list[bool] = []  # whether the kiosk has a printer, once asked (the print system can be slow)


def has_printer() -> bool:
    """Whether the kiosk has a default printer: asked of the print system once, off the GUI thread."""
    if not _printer_found:
        _printer_found.append(not QPrinterInfo.defaultPrinter().isNull())
    return _printer_found[0]


def printer_known() -> bool:
    """A printer was found (False too while the print system has not been asked yet): no asking here."""
    return _printer_found == [True]


def resume_address(session: KioskSession) -> str:
    """Where a resume code is typed, as people type it: the address without "https://" (the phone page and the
    printed summary show it alike)."""
    return session.public_base_url.split("://", 1)[-1].rstrip("/") + "/resume"


def store_name_of(session: KioskSession) -> str:
    """The store's name in the shopper's language as the phone's summary and the repair page say it (the catalog's,
    read with it: "Munich City Centre"); the configured name without one."""
    return session.store_names.get(session.locale) or session.store_names.get("de") or session.store_name


def screen_theme(session: KioskSession) -> Theme:
    """The kiosk's look now: the accessibility mode's larger, high-contrast one, or the standard one."""
    return HIGH_CONTRAST if session.accessible else Theme()


def summary_html(session: KioskSession, resume_code: str, *, on_screen: bool = False) -> str:
    """The take-away summary (the same templates as the web page and the e-mail) for this kiosk session: as it
    prints, or (`on_screen`) as the kiosk shows it, in accessibility mode as large and high-contrast as the rest."""
    from datetime import datetime

    from advisor.rendering.summary import ScreenLook, build_summary, render_summary

    recommendation = session.recommendation()
    assert session.questionnaire is not None and session.state is not None and session.index is not None
    assert recommendation is not None
    summary = build_summary(
        questionnaire=session.questionnaire, state=session.state, recommendation=recommendation, index=session.index,
        locale=session.locale, created=datetime.now(session.zone), store_id=session.store_id,
        store_name=store_name_of(session),
        resume_code=resume_code, continue_url=resume_address(session) if session.public_web else None,
        fitting=session.advice.fitting_variants if session.advice else None, held=session.held,
        given=session.advice.given() if session.advice else None, appointment=session.booked,
    )  # fmt: skip
    look = None
    if on_screen:  # read on the kiosk at arm's length: the screen's text size, not the paper's 10pt
        theme = screen_theme(session)
        look = ScreenLook(size=theme.base_size, text=theme.text, title=theme.primary, muted=theme.muted)
    return render_summary(summary, "print", look)


def write_summary_pdf(session: KioskSession, path: str, resume_code: str) -> None:
    """The summary as a PDF file (tests read it)."""
    document = QTextDocument()
    document.setHtml(summary_html(session, resume_code))
    writer = QPdfWriter(path)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(150)
    document.print_(writer)


def shown_code(resume_code: str) -> str:
    """A resume code as shown: ABCD-2345, with a non-breaking hyphen so it stays on one line."""
    from advisor.handoff.codes import shown

    return shown(resume_code).replace("-", "\u2011")


def _holding(layout: QLayout, widget: QWidget) -> QBoxLayout:
    """The box layout, `layout` or one nested in it, that holds `widget` (a shared page gets a line added)."""
    if isinstance(layout, QBoxLayout) and layout.indexOf(widget) >= 0:
        return layout
    for index in range(layout.count()):
        item = layout.itemAt(index)
        inner = item.layout() if item is not None else None
        if inner is not None:
            with contextlib.suppress(LookupError):
                return _holding(inner, widget)
    raise LookupError(f"{widget.objectName() or widget} is not in this layout")


def _is_database(error: Exception) -> bool:
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(error, SQLAlchemyError)


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
        self.resume_code = ""  # of the stored session once the shopper has called, spoken character by character
        self.said = ""  # the request's state as last said
        self.cancel_had_focus = False  # "Anfrage zurückziehen" went with the focus on it: said after the news
        self.summary_whole = False  # the summary's focus says all of it (the page just opened), not its start
        self.asked = False  # the call or the chat was tapped: one request per tap, whatever the consent does after
        self.setModal(True)
        self.setMinimumSize(QSize(860, 520).boundedTo(screen_room(self)))  # (portrait at 150 %: 720 wide)
        self.setWindowTitle(self.t("talk.button"))
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)

        ask = QWidget()
        ask_layout = QVBoxLayout(ask)
        ask_layout.addWidget(label(self.t("talk.button"), "Question"))
        connected = session.online and session.state is not None
        can_call = False  # until the presence of staff is known (read off the GUI thread, below)
        self.explanation = label("")
        # Not said before it is known who is at a console (the first words would be "nobody is there").
        readable(self.explanation, lambda: self.explanation.text() if self.presence_known else "")
        ask_layout.addWidget(self.explanation)
        # A large card to tap (a check box's text would not wrap); checked means consent.
        self.consent = tick_card(self.t("talk.consent", days=session.retention_days))
        self.consent.setChecked(session.consented)  # given before (on the phone, at another kiosk): shown as given
        self.consent.setVisible(can_call)
        ask_layout.addWidget(self.consent)
        # While nobody is at a console: an appointment instead, where this advice's category has one.
        self.book = OptionCard(self.t("booking.button"), self.t("talk.book_note"), "clock")
        self.book.setCheckable(False)
        self.book.clicked.connect(self.open_booking)
        self.book.setVisible(False)
        ask_layout.addWidget(self.book)
        # The two ways to a person, as wide and as tall as the cards under them (each half the row, like them).
        staff_row = QHBoxLayout()
        self.call = button(self.t("talk.call"), "Primary")
        self.call.clicked.connect(lambda: self._call("consultant"))
        self.chat = button(self.t("talk.chat"), "Primary")
        self.chat.clicked.connect(lambda: self._call("chat"))
        for way in (self.chat, self.call):
            way.setVisible(can_call)
            way.setEnabled(False)
            way.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # as tall: see showEvent
            staff_row.addWidget(way, 1)
        ask_layout.addLayout(staff_row)
        # Greyed out until the consent is ticked, the buttons would look broken: this says why (and is what focus
        # reaches in their place, as a disabled button takes no focus). Its room is kept once ticked: the cards
        # under it do not jump while the shopper reaches for a button.
        self.consent_first = label(self.t("talk.consent_first"))
        readable(self.consent_first, self.consent_first_words)
        policy = self.consent_first.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.consent_first.setSizePolicy(policy)
        self.consent_first.setVisible(can_call)
        ask_layout.addWidget(self.consent_first)
        self.consent.toggled.connect(self._consented)
        self._consented(self.consent.isChecked())
        # Cards, not buttons: their texts wrap with larger text or a narrow screen.
        takeaways = QHBoxLayout()
        self.phone = OptionCard(self.t("talk.phone"), "", "phone")
        self.phone.clicked.connect(self.show_phone)
        # A printer icon only where there is a printer: until the print system has answered, the summary's own.
        self.summary = OptionCard(self.t("talk.summary"), "", "print" if printer_known() else "info")
        self.summary.clicked.connect(self.show_summary)
        for widget in (self.phone, self.summary):
            widget.setCheckable(False)
            widget.setMinimumHeight(72)
            widget.setVisible(connected)
            takeaways.addWidget(widget)
        # Without a public web address a phone could not open the link: no QR code is offered (store IT is told).
        self.phone.setVisible(connected and session.public_web)
        self.summary.setVisible(connected and not session.service)  # help has outcomes, no shortlist to sum up
        ask_layout.addLayout(takeaways)
        ask_layout.addStretch(1)  # what is offered stays together under the explanation; Close at the bottom
        row = QHBoxLayout()
        close = button(self.t("talk.close"))
        close.clicked.connect(self.reject)
        self.close_button = close
        row.addWidget(close)
        row.addStretch(1)
        ask_layout.addLayout(row)
        self.pages.addWidget(ask)

        wait = QWidget()
        wait_layout = QVBoxLayout(wait)
        self.status = label("", "Question")
        readable(self.status, self.request_words)  # where the request stands, with the wait and the code
        self.detail = label("")
        self.code = label("", "Muted")
        wait_layout.addWidget(self.status)
        wait_layout.addWidget(self.detail)
        wait_layout.addWidget(self.code)
        self.lines = QListWidget()
        self.lines.setWordWrap(True)
        self.message = QLineEdit()
        self.message.setMaxLength(1000)
        self.message.returnPressed.connect(self._send)
        self.send = button("", "Primary")
        self.send.clicked.connect(self._send)
        chat_row = QHBoxLayout()
        chat_row.addWidget(self.message, 1)
        chat_row.addWidget(self.send)
        wait_layout.addWidget(self.lines, 1)
        wait_layout.addLayout(chat_row)
        for chat_widget in (self.lines, self.message, self.send):
            chat_widget.setVisible(False)
        self.contact_rating = RatingRow()
        self.contact_rating.rated.connect(self._rate_contact)
        self.contact_rating.setVisible(False)
        wait_layout.addWidget(self.contact_rating)
        row = QHBoxLayout()
        self.cancel = button("")
        self.cancel.clicked.connect(self._cancel)
        # Nobody answered in time: back to what the first page offers now (a call again, or an appointment).
        self.again = button("")
        self.again.clicked.connect(self.ask_again)
        self.again.setVisible(False)
        done = button("", "Primary")
        done.clicked.connect(self.accept)
        self.done_button = done
        row.addWidget(self.cancel)
        row.addWidget(self.again)
        row.addStretch(1)
        row.addWidget(done)
        wait_layout.addLayout(row)
        self.pages.addWidget(wait)
        self.pages.addWidget(self._phone_page())
        self.pages.addWidget(self._summary_page())
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        self.expiry = QTimer(self)  # nobody claimed it in time: read once more, and the request expires as read
        self.expiry.setSingleShot(True)
        self.expiry.timeout.connect(lambda: self._poll(force=True))
        self.reads = Lane(self)
        if not _printer_found:  # asked once per kiosk, off the GUI thread
            self.reads.run(has_printer, lambda found: self.summary.set_icon("print" if found else "info"))
        self._reading = False
        self.presence_known = not connected  # who is at a console is read below (not said before it is known)
        self._presence_wait: Callable[[], None] = lambda: None
        self.lost = False  # the database failed the read: nothing that needs it is offered
        self._presence([])  # nobody, until the read below says otherwise
        engine = session.engine
        if connected and engine is not None:
            self.reads.run(lambda: available(engine), self._staff_read, self._presence_failed)
        self._after_share: Callable[[Record], None] | None = None
        session.stored.connect(self._shared)
        self._wait_texts()

    def _wait_texts(self) -> None:
        """The fixed words of the request page, in the shopper's language now."""
        self.setWindowTitle(self.t("talk.button"))
        self.lines.setAccessibleName(self.t("talk.messages"))
        self.message.setAccessibleName(self.t("talk.message"))
        self.message.setPlaceholderText(self.t("talk.message"))
        self.send.setText(self.t("talk.send"))
        self.cancel.setText(self.t("talk.cancel"))
        self.again.setText(self.t("talk.again"))
        self.done_button.setText(self.t("talk.close"))
        asked = rating_question("feedback.contact", self.session.scale, self.session.locale, self.session.address)
        self.contact_rating.set_scale(asked, rating_choices(self.session.scale, self.t))

    def follow_language(self) -> None:
        """The shopper switched the language while a request stayed open: the request page speaks it now (its
        fixed words at once, where the request stands with the next reading)."""
        self._wait_texts()
        self.said = ""
        self._poll(force=True)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """The chat as large as the kiosk's texts (the theme styles labels and buttons, not fields or lists); the
        call and the chat as tall as the cards under them (after the theme's own button height, set on polish)."""
        fit_fields((self.message,), self.detail)
        for widget in (self.chat, self.call, self.summary):
            widget.ensurePolished()
        for way in (self.chat, self.call):
            way.setMinimumHeight(max(way.sizeHint().height(), self.summary.minimumHeight()))
        self.lines.setStyleSheet(f"QListWidget {{ font-size: {max(16, self.detail.font().pixelSize())}px; }}")
        if not self.presence_known:  # its focus waits on "Schließen" unsaid until it knows what it offers
            self._presence_wait = unsaid_until(self, PRESENCE_WAIT_MS)
        fit_to_screen(self, self.size())  # never wider or taller than the kiosk's screen
        super().showEvent(event)

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.session.locale, self.session.address, **params)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not enter_presses_nothing(event):  # (Enter on a text never makes the shopper's choice)
            super().keyPressEvent(event)

    def spoken(self) -> str:
        """What is said when the dialog appears (or shows again while a request is open)."""
        return self.page_words(self.pages.currentIndex())

    def page_words(self, page: int) -> str:
        """What is said of a page: its title and what it says (the focus on it says its first item after)."""
        if page == 0:
            return sentences(self.t("talk.button"), self.presence_words() if self.presence_known else "")
        if page == PHONE_PAGE:
            return self.phone_words()
        if page == SUMMARY_PAGE:
            return sentences(self.t("talk.summary"), self.summary_note.text())
        return self.request_words()

    def presence_words(self) -> str:
        """What the dialog offers now: the explanation, and the appointment where it stands in for a person, as its
        card says itself (the focus goes to it next: said once, not again as the focus lands)."""
        card = self.book
        booking = describe(card, self.session.locale) if not card.isHidden() else ""
        return sentences(self.explanation.text(), booking)

    def request_words(self) -> str:
        """The request: where it stands (number 1 in the queue, on the way, ended), the wait, the resume code read
        character by character."""
        code = self.t("talk.code", code=spelled(self.resume_code)) if self.resume_code else ""
        return sentences(self.status.text(), self.detail.text(), code)

    def phone_words(self) -> str:
        """The phone page as it reads: the hint, the code character by character, where it is typed."""
        if not self.resume_code:
            return sentences(self.t("talk.phone"), self.phone_hint.text())
        code = f"{self.phone_code.text()} {spelled(self.resume_code)}"
        return sentences(self.t("talk.phone"), self.phone_hint.text(), code, self.phone_address.text())

    def first_focus(self) -> QWidget:
        """Consent first, where a call is possible; else the appointment offered instead; else what the dialog
        explains."""
        page = self.pages.currentIndex()
        if page == 0:
            if not self.presence_known:  # the close button waits; focus moves on when presence arrives
                return self.close_button
            if self.consent.isVisible():
                return self.consent
            return self.explanation if self.book.isHidden() else self.book
        if page == PHONE_PAGE:
            return self.phone_hint
        if page == SUMMARY_PAGE:
            return self.summary_view
        return self.status

    def _say_request(self) -> None:
        """Say the request's state when it changed (the queue moved on, someone claimed it, it ended)."""
        words = sentences(self.status.text(), self.detail.text())
        if words != self.said and self.isVisible():
            first = not self.said
            self.said = words
            tell(self, self.request_words() if first else words)

    def _presence_failed(self, error: Exception) -> None:
        """Who is at a console could not be read: the database is gone, so neither staff nor a phone link nor a
        summary can be offered; said so, not "nobody is there" (staff may well be)."""
        sys.stderr.write(f"advisor kiosk: who is at a console cannot be read ({type(error).__name__}): "
                         "the talk dialog offers nothing that needs the database\n")  # fmt: skip
        self.lost = True
        self._staff_read([])

    def _staff_read(self, staff: list[str]) -> None:
        first = not self.presence_known
        self.presence_known = True
        self._presence_wait()  # (what it offers is said now, then the focus it moves to)
        self._presence(staff, say=first)

    def _presence(self, staff: list[str], *, say: bool = False) -> None:
        """Who is at a console now decides what is offered: a call and a chat only while someone is."""
        from ui.booking import book_label, bookable  # the booking shows this dialog's shown_code

        session = self.session
        connected = session.online and session.state is not None and not self.lost
        can_call = connected and bool(staff)
        if can_call:
            explanation = self.t("talk.intro")
        elif not session.online or self.lost:  # the database is down: no call, chat, phone or summary can work
            explanation = self.t("talk.unreachable")
        else:
            explanation = self.t("talk.nobody") if connected else self.t("talk.find_staff")
            back = _staff_back(session)
            if connected and back and session.service:  # no summary in help: the phone, or coming back then
                explanation = self.t("talk.back_at_help" if session.public_web else "talk.back_at_return", when=back)
            elif connected and back:
                explanation = self.t("talk.back_at", when=back)
        changed = explanation != self.explanation.text()
        self.explanation.setText(explanation)
        for widget in (self.consent, self.call, self.chat):
            widget.setVisible(can_call)
        policy = self.consent_first.sizePolicy()
        policy.setRetainSizeWhenHidden(can_call)  # (no room kept where nobody can be called)
        self.consent_first.setSizePolicy(policy)
        self._consented(self.consent.isChecked())
        self.book.setVisible(connected and not can_call and bookable(session))
        self.summary.setVisible(connected and not session.service)  # (as the web companion: none for help)
        self.phone.setVisible(connected and session.public_web)
        if session.booked is not None:  # the advice has an appointment: it is named, and opened instead of a second
            self.book.set_texts(book_label(session), self.t("talk.booked_note"))
        else:
            self.book.set_texts(self.t("booking.button"), self.t("talk.book_note"))
        self._fit_height()
        if (changed or say) and self.presence_known and self.isVisible() and self.pages.currentIndex() == 0:
            tell(self, self.presence_words())  # who is there decides what is offered: said as it arrives
            if self.focusWidget() in (None, self.explanation, self.close_button):
                self.first_focus().setFocus(Qt.FocusReason.OtherFocusReason)

    def _fit_height(self) -> None:
        """As tall as what the dialog now offers needs at its width (the consent, the call and the hint under them
        arrive after it opened, sized for less: squeezed, the consent's text would be cut off), kept centred and
        never taller than the kiosk window it stands over."""
        if not self.isVisible():
            return
        parent = self.parentWidget()
        room = parent.height() if parent is not None else self.screen().availableGeometry().height()
        needed = min(self.heightForWidth(self.width()), room)
        if needed > self.height():
            grown = needed - self.height()
            self.setGeometry(self.x(), max(0, self.y() - grown // 2), self.width(), needed)

    def _consented(self, checked: bool) -> None:
        """The consent ticked: the call and the chat can be tapped. Not yet: they say why not, on the screen and to
        a screen reader."""
        why = "" if checked else self.t("talk.consent_first")
        for widget in (self.call, self.chat):
            widget.setEnabled(checked and not self.asked)
            widget.setAccessibleDescription(why)
        self.consent_first.setVisible(not checked and not self.consent.isHidden())

    def consent_first_words(self) -> str:
        """The hint where focus would reach the greyed-out buttons: which they are, not available yet, and why."""
        names = listing((self.chat.text(), self.call.text()))
        return control(name=names, description=self.consent_first.text(), enabled=False, locale=self.session.locale)

    def open_booking(self) -> None:
        """Nobody to talk to now: this dialog gives way to the booking (on the phone, or here and now)."""
        from ui.booking import open_booking

        parent = self.parentWidget()
        self.reject()
        open_booking(self.session, parent)

    # -- continue on the phone, take the summary -------------------------------------------------------------

    def _phone_page(self) -> QWidget:
        panel = QrPanel(self.t("talk.phone"), self.t("talk.phone_qr"), self.t("talk.phone_hint"), self.phone_words)
        page, layout = panel.page, panel.layout
        self.qr, self.phone_hint, self.phone_code = panel.qr, panel.hint, panel.code
        # The code to remember large on a line of its own, where it is typed in the line under it (not at the end of
        # a sentence that wraps it anywhere).
        self.phone_code.setText(self.t("summary.code"))
        self.phone_code_value = label("", "Title")
        self.phone_address = label("")
        texts = _holding(layout, self.phone_code)
        at = texts.indexOf(self.phone_code)
        texts.insertWidget(at + 1, self.phone_code_value)
        texts.insertWidget(at + 2, self.phone_address)
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
        # Reached by the keys, its start and how to hear the rest (not thousands of characters at every pass); Select
        # (and the page opening) reads all of it.
        self.summary_view.spoken = self._summary_words  # type: ignore[attr-defined]
        self.summary_view.on_select = self._read_summary  # type: ignore[attr-defined]
        self.summary_font = QFont(self.summary_view.document().defaultFont())
        layout.addWidget(self.summary_view, 1)
        self.summary_note = label("", "Muted")
        layout.addWidget(self.summary_note)
        buttons = QHBoxLayout()
        to_phone = button(self.t("talk.phone"), "", "phone")
        to_phone.clicked.connect(self.show_phone)
        to_phone.setVisible(self.session.public_web)  # (no QR code a phone could not open: see the first page)
        self.summary_phone = to_phone
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
        self._after_share = self._phone_ready
        self.session.share()

    def _phone_ready(self, record: Record) -> None:
        from advisor.handoff.tokens import issue_token

        engine = self.session.engine
        assert engine is not None
        self.session.writes.run(
            lambda: issue_token(engine, record.id),
            lambda token: self._show_qr(self.session.phone_link(token), record.resume_code),
            lambda _error: self._offline(),
        )

    def _show_qr(self, link: str, resume_code: str) -> None:
        from advisor.rendering.qr import qr_svg

        self.phone_link = link
        self.qr.load(QByteArray(qr_svg(link).encode()))
        self.phone_code.setText(self.t("summary.code"))
        self.phone_code_value.setText(shown_code(resume_code))
        self.phone_code_value.setAccessibleName(spelled(resume_code))
        self.phone_address.setText(f"{self.t('summary.continue_at')} {resume_address(self.session)}")
        self.resume_code = resume_code
        self._show_page(PHONE_PAGE)

    def show_summary(self) -> None:
        """The take-away summary as it prints; printing where the kiosk has a printer. Help with a product has
        outcomes, not a shortlist: no summary (its card is not offered)."""
        if self.session.service:
            return
        self._after_share = self._summary_ready
        self.session.share()

    def _summary_ready(self, record: Record) -> None:
        # Qt sizes the headings from the document's default font (not from the style sheet): the screen's text size,
        # so that the titles stand out above the text as on paper.
        font = QFont(self.summary_font)
        font.setPointSizeF(screen_theme(self.session).base_size * 72 / max(1, self.summary_view.logicalDpiY()))
        self.summary_view.document().setDefaultFont(font)
        self.summary_view.setHtml(summary_html(self.session, record.resume_code, on_screen=True))
        printer, public = printer_known(), self.session.public_web
        self.print_button.setVisible(printer)
        self.summary_phone.setVisible(public)
        self.summary_note.setText("" if printer else self.t("talk.no_printer" if public else "talk.no_printer_code"))
        self.resume_code = record.resume_code
        self._show_page(SUMMARY_PAGE)

    def _shared(self, outcome: tuple[Record | None]) -> None:
        """The session is stored (or the database could not be reached): go on with what was asked."""
        (record,) = outcome
        then, self._after_share = self._after_share, None
        if then is None:
            return
        if record is None:  # (a summary or the phone was asked for, not staff: that it cannot be had is the news)
            key = "talk.offline"
            if then == self._summary_ready:
                key = "talk.no_summary"
            elif then == self._phone_ready:
                key = "talk.no_phone"
            self._offline(key)
            return
        then(record)

    def _summary_whole(self) -> str:
        view = self.summary_view
        return document(view.accessibleName(), view.toPlainText(), self.session.locale)

    def _summary_words(self) -> str:
        """The summary as its focus says it: all of it as its page opens, else its name, its first line and that
        Select reads it all."""
        if self.summary_whole:
            return self._summary_whole()
        first = document("", self.summary_view.toPlainText(), self.session.locale).split(". ")[0]
        return sentences(self.summary_view.accessibleName(), first, self.t("talk.summary_more"))

    def _read_summary(self) -> None:
        """Select on the summary: all of it, from its start."""
        tell(self, self._summary_whole())

    def print_summary(self) -> None:
        printer = default_printer()
        if printer is None:
            return
        document = QTextDocument()  # the paper's 10pt, whatever the screen shows
        document.setHtml(summary_html(self.session, self.resume_code))
        document.print_(printer)
        self.summary_note.setText(self.t("talk.printed"))

    def _rate_contact(self, grade: int) -> None:
        self.session.rate(grade, about="contact")
        self.contact_rating.setVisible(False)
        self.detail.setText(self.t("feedback.thanks"))

    def _show_page(self, page: int) -> None:
        """Another page: said (its title first, before the page turns: the focus that moves with it must not say
        its item first), and focus on its first item."""
        if self.isVisible():
            tell(self, self.page_words(page))
        self.summary_whole = True  # asked for: said whole as it opens (the focus may move as the page turns)
        self.pages.setCurrentIndex(page)
        if self.isVisible():
            self.first_focus().setFocus(Qt.FocusReason.OtherFocusReason)
        self.summary_whole = False

    def _offline(self, key: str = "talk.offline") -> None:
        self.pages.setCurrentIndex(1)
        self.status.setText(self.t(key))
        self.detail.setText("")
        self.cancel.setVisible(False)
        self._say_request()

    def _call(self, kind: str) -> None:
        """Store the session (the shopper consented) and file the request; if the database cannot be reached,
        say so (the advice itself keeps working)."""
        assert self.consent.isChecked()
        self.kind = kind
        with unsaid(self):  # (a disabled button would pass the focus on at random; the request is said when filed)
            self.explanation.setFocus(Qt.FocusReason.OtherFocusReason)
        self.asked = True
        for widget in (self.call, self.chat):
            widget.setEnabled(False)  # one request per tap
        self._after_share = self._file
        self.session.share(consent=True)

    def _file(self, record: Record) -> None:
        from advisor.handoff.requests import request_handoff

        engine, kiosk_id = self.session.engine, self.session.kiosk_id
        assert engine is not None
        kind = self.kind
        self.session_id = record.id
        self.code.setText(self.t("talk.code", code=shown_code(record.resume_code)))
        self.resume_code = record.resume_code
        self.session.writes.run(
            lambda: request_handoff(engine, session_id=record.id, kind=kind, channel="kiosk", kiosk_id=kiosk_id),
            self._filed,
            lambda _e: self._offline(),
        )

    def _filed(self, request_id: int) -> None:
        from advisor.handoff.watching import ChangeWatcher

        engine = self.session.engine
        assert engine is not None
        self.request_id = request_id
        self.session.handoff_request_id = request_id
        self.session.handoff = OpenHandoff(request_id, self.kind, None)
        if self.session.advice is not None:
            self.session.advice.request_handoff(self.kind)  # logged like every other event of the session
        for widget in (self.lines, self.message, self.send):
            widget.setVisible(True)
        for widget in (self.message, self.send):
            widget.setEnabled(True)
        self.status.setText(self.t("talk.queue", position=1))  # (shown until the first read: said from that read)
        with unsaid(self):  # the first read says where the request stands, once, with the code
            self.pages.setCurrentIndex(1)
            if self.isVisible():
                self.status.setFocus(Qt.FocusReason.OtherFocusReason)
        self.watcher = ChangeWatcher(engine)
        self._poll(force=True)
        self.timer.start()
        unclaimed = self._unclaimed_after()
        if unclaimed is not None:
            self.expiry.start(int(unclaimed.total_seconds() * 1000) + 1000)
        self.listening = start_listening(engine, lambda: self._poll(force=True), self.timer)

    def _poll(self, force: bool = False) -> None:
        """Read the request (the database is the truth) off the GUI thread when something changed."""
        from advisor.session.watch import request_view

        engine, request_id, watcher = self.session.engine, self.request_id, self.watcher
        if engine is None or request_id is None or watcher is None or self._reading:
            return
        if self.session.handoff_request_id != request_id:  # the shopper is gone (the idle wipe, or home)
            self.stop_following()
            return
        self._reading = True
        session_id, store_id = self.session_id, self.session.store_id

        unclaimed = self._unclaimed_after()

        def read() -> RequestView | None:
            if not (watcher.changed() or force):
                return None
            return request_view(engine, request_id, session_id, store_id=store_id, chat=True,
                                unclaimed_after=unclaimed)  # fmt: skip

        self.reads.run(read, self._show_view, self._unreachable)

    def _unreachable(self, _error: Exception) -> None:
        self._reading = False
        self.detail.setText(self.t("talk.offline"))
        self._say_request()

    def _show_view(self, view: RequestView | None) -> None:
        self._reading = False
        if view is None:
            return
        if self.request_id is None or self.session.handoff_request_id != self.request_id:  # gone while reading
            self.stop_following()
            return
        holder = None if view.left_by else view.claimed_by  # (signed out: the top bar names nobody, as while waiting)
        self.session.handoff = OpenHandoff(self.request_id, self.kind, holder) if view.open else None
        self._show_messages(view)
        if view.record is not None:
            self.session.take_stored(view.record)  # staff changed an answer: the advice re-runs here
        if not view.open:
            self.status.setText(self.t("talk.expired" if view.state == "expired" else "talk.ended"))
            self.detail.setText("")
            for widget in (self.message, self.send):  # (nobody reads what is written to an ended chat)
                widget.setEnabled(False)
            if view.record is None:  # the advice itself is gone (a customer's erasure): no code that opens nothing
                self.resume_code = ""
                self.code.setText("")
            if view.state == "expired":  # no chat to show or write to: what the shopper can do instead
                for pane in (self.lines, self.message, self.send):
                    pane.setVisible(False)
                self.again.setVisible(True)
            claimed = view.state == "closed" and view.claimed_by is not None
            self.contact_rating.setVisible(claimed and "contact" not in self.session.rated)
            self._hide_cancel()
            self.stop_following()
        elif view.state == "claimed" and view.left_by:  # the colleague signed out: it waits for the next one
            left_key = "talk.left_by" if self.kind == "chat" else "talk.left_by_call"
            self.status.setText(self.t(left_key, name=view.left_by))
            back = _staff_back(self.session) if view.team_away else None
            away = self.t("web.chat.back_at", when=back) if back else self.t("talk.nobody")
            self.detail.setText(away if view.team_away else "")
            self._hide_cancel()
        elif view.state == "claimed":
            claimed_key = "talk.claimed_chat" if self.kind == "chat" else "talk.claimed"
            self.status.setText(self.t(claimed_key, name=view.claimed_by or "?"))
            self.detail.setText("")
            self._hide_cancel()
        else:
            self.status.setText(self.t("talk.queue", position=view.position or 1))
            minutes = max(1, round(view.wait.total_seconds() / 60)) if view.wait else None
            self.detail.setText(self.t("talk.wait", minutes=minutes) if minutes else self.t("talk.wait_unknown"))
        self._say_request()
        if self.cancel_had_focus:  # what happened first, then where the focus went
            self.cancel_had_focus = False
            focus = self.focusWidget()
            if focus is not None and focus.isVisible():
                tell(self, describe(focus, self.session.locale))

    def ask_again(self) -> None:
        """After an expired request: the first page again, as it is now (who is at a console read anew: a call, or
        an appointment where nobody is)."""
        self.asked, self.request_id = False, None
        self.lines.clear()
        self.again.setVisible(False)
        self.cancel.setVisible(True)
        self.consent.setChecked(False)  # (asked anew: consent given anew)
        self._consented(False)
        self._show_page(0)
        engine = self.session.engine
        if engine is not None:
            self.reads.run(lambda: available(engine), self._staff_read, self._presence_failed)

    def _hide_cancel(self) -> None:
        """The request is no longer the shopper's to withdraw: its button goes, without a word where it had the
        focus (Qt moves the focus on; that is said after the request's news, in `_show_view`)."""
        self.cancel_had_focus = self.cancel_had_focus or self.cancel.hasFocus()
        with unsaid(self):
            self.cancel.setVisible(False)

    def _show_messages(self, view: RequestView) -> None:
        from advisor.handoff.chat import SYSTEM

        if len(view.messages) == self.lines.count():
            return
        new = view.messages[self.lines.count() :]
        if not self.isVisible() and any(line.sender == "staff" for line in new):
            self.open()  # staff wrote to a shopper who had put the dialog away: it comes back to be read
        self.lines.clear()
        for line in view.messages:
            who = self.t("talk.you") if line.sender == "shopper" else (line.author or "Team")
            self.lines.addItem(line.shown(self.session.locale) if line.sender == SYSTEM else f"{who}: {line.text}")
        self.lines.scrollToBottom()
        for line in new:
            if line.sender == "staff":
                tell(self, f"{line.author or 'Team'}: {line.text}")  # read out as it arrives

    def _send(self) -> None:
        from advisor.handoff.chat import post_message

        engine, request_id, words = self.session.engine, self.request_id, self.message.text()
        if engine is None or request_id is None or not words.strip():
            return
        self.message.clear()

        def refused(error: Exception) -> None:  # said in the shopper's words; what they typed is theirs again
            from advisor.session.refusals import refusal

            if not self.message.text():
                self.message.setText(words)
            if _is_database(error):
                self.detail.setText(self.t("talk.offline"))
                return
            self.detail.setText(refusal(error if isinstance(error, ValueError) else ValueError(), self.session.locale))
            self._poll(force=True)  # (ended meanwhile: the next read says so)

        self.session.writes.run(
            lambda: post_message(engine, request_id, sender="shopper", text=words),
            lambda _id: self._poll(force=True),
            refused,
        )

    def _cancel(self) -> None:
        from advisor.handoff.requests import Action, HandoffError, transition
        from advisor.insights.events import record_cancel

        engine, request_id = self.session.engine, self.request_id
        if engine is None or request_id is None:
            return

        def cancel() -> None:
            # Claimed or closed meanwhile: then the cancel is refused, and the next read shows why.
            with contextlib.suppress(HandoffError):
                transition(engine, request_id, Action.CANCEL, in_transaction=record_cancel)

        self.session.writes.run(cancel, lambda _none: self._poll(force=True), self._unreachable)

    @property
    def following(self) -> bool:
        """Whether this dialog's request is open and still this shopper's (then it is read even while closed)."""
        handoff = self.session.handoff
        return self.watcher is not None and handoff is not None and handoff.request_id == self.request_id

    def stop_following(self) -> None:
        """No more reads: the request ended, or the shopper it belonged to is gone."""
        if self.listening is not None:
            self.listening.set()
            self.listening = None
        self.timer.stop()
        self.expiry.stop()
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None

    def _unclaimed_after(self) -> timedelta | None:
        """How long a request waits for someone to claim it before it expires (the store's configuration)."""
        config = self.session.config
        return config.privacy.unclaimed_after if config is not None else None

    def done(self, result: int) -> None:
        if not self.following:
            self.stop_following()
        super().done(result)
