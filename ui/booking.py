""" "Book an appointment" on the kiosk's results: on the shopper's phone (a one-time QR code that opens this advice at
the booking page, so their name and contact stay off the public screen), or here and now: a day, a free time,
products to set aside, name and contact with consent; then when, with whom, the resume code and whether the
confirmation e-mail went out.

Every read and write runs off the GUI thread (the session's lane for storing the advice, the dialog's lanes for the
free times and the booking): nothing on the GUI thread waits for the database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from advisor.i18n import counted, day_text, pick, text
from ui.ops import Lane
from ui.session import Booked, KioskSession
from ui.speech import Unsaid, describe, tell, unsaid_until
from ui.spoken import control, listing, sentences, spelled
from ui.talk import shown_code
from ui.widgets import (
    FlowLayout,
    Group,
    OptionCard,
    QrPanel,
    button,
    clear,
    enter_presses_nothing,
    fit_fields,
    fit_to_screen,
    label,
    labelled_field,
    readable,
    screen_room,
    tick_card,
    touch_scroll_area,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from advisor.appointments.booking import Booking
    from advisor.appointments.slots import Slot
    from advisor.config import Config
    from advisor.session.store import Record

CHOOSE_PAGE, PHONE_PAGE, WHEN_PAGE, WHO_PAGE, DONE_PAGE = range(5)
DAYS = 7  # the days offered: today (when open) and the next open ones
SHOWN_PRODUCTS = 3  # of the shortlist, offered to be set aside (at most booking.MAX_HOLDS)
FIRST_READ_MS = 1000  # the longest the focus on the first day stays unsaid while its free times are read


def phone_token(engine: Engine, session_id: str) -> str | None:
    """A one-time token for the shopper's phone, or None when it cannot be stored (the booking stands all the same:
    the confirmation then shows no QR code)."""
    from sqlalchemy.exc import SQLAlchemyError

    from advisor.handoff.tokens import TokenError, issue_token

    try:
        return issue_token(engine, session_id)
    except (SQLAlchemyError, TokenError):
        return None


def booked_ahead(
    engine: Engine, config: Config, session_id: str, locale: str, checked_in: str | None = None
) -> Booked | None:
    """The advice's next appointment (booked, or checked in and not over; or `checked_in`, the one the code just
    checked in, a late shopper's too), as the kiosk shows it, or None (read on a worker: a typed code)."""
    from advisor.appointments.agenda import entry, upcoming

    ahead = upcoming(
        engine, session_id=session_id, zone=config.store.zone, locale=locale, states=("booked", "checked_in")
    )
    if checked_in is not None and not any(found.appointment_id == checked_in for found in ahead):
        arrived = entry(engine, appointment_id=checked_in, zone=config.store.zone, locale=locale)
        ahead = [arrived, *ahead] if arrived is not None else ahead
    if not ahead:
        return None
    first = ahead[0]
    return Booked(first.appointment_id, first.starts_at, first.staff_name, tuple(held.name for held in first.held))


def bookable(session: KioskSession) -> bool:
    """Whether the kiosk offers a booking: the questionnaire's category has an appointment kind, and the kiosk has
    its configuration and a database."""
    from advisor.appointments.booking import offered

    config, questionnaire = session.config, session.questionnaire
    return (
        config is not None and session.engine is not None and questionnaire is not None
        and offered(config, questionnaire.category)
    )  # fmt: skip


def open_booking(session: KioskSession, parent: QWidget | None) -> BookingDialog:
    """The booking dialog over the kiosk window, gone when closed; once the advice has an appointment, its
    confirmation (with a fresh code for the phone) instead of a second booking."""
    dialog = BookingDialog(session, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if session.booked is not None:
        dialog.show_booked(session.booked)
    dialog.open()
    return dialog


def short_day(day: date, today: date, locale: str, address: str) -> str:
    """ "Heute", "Morgen", or "Fr 04.12." for a day button or a button that names an appointment."""
    if day == today:
        return text("booking.today", locale, address)
    if day == today + timedelta(days=1):
        return text("booking.tomorrow", locale, address)
    return day_text(day, locale, weekday="short")


def store_today(session: KioskSession) -> date:
    """Today on the store's clock (the kiosk's own before the configuration is loaded)."""
    config = session.config
    return datetime.now(config.store.zone).date() if config is not None else datetime.now().date()


def book_label(session: KioskSession) -> str:
    """The booking button's words: "Termin vereinbaren", or "Dein Termin: Morgen, 09:30 Uhr" once the advice has an
    appointment."""
    if session.booked is None:
        return text("booking.button", session.locale, session.address)
    locale, address, starts = session.locale, session.address, session.booked.starts_at
    day = short_day(starts.date(), store_today(session), locale, address)
    when = text("web.appointments.at", locale, address, day=day, time=f"{starts:%H:%M}")
    return text("web.appointments.yours", locale, address, when=when)


class BookingDialog(QDialog):
    """The two ways to book; here and now in two steps (when, then who), then the confirmation."""

    def __init__(self, session: KioskSession, parent: QWidget | None = None) -> None:
        from advisor.appointments.booking import MAX_HOLDS

        super().__init__(parent)
        self.session = session
        self.reads = Lane(self)  # a day's free times
        self.writes = Lane(self, serial=True)  # the booking
        self.setModal(True)
        self.setMinimumSize(QSize(860, 560).boundedTo(screen_room(self)))  # (portrait at 150 %: 720 wide)
        self.setWindowTitle(self.t("booking.button"))
        self.day = store_today(self.session)
        self.chosen: Slot | None = None
        self.slot_buttons: dict[QPushButton, Slot] = {}
        self.resume_code = ""
        self.phone_link = ""
        self.booking = False  # a booking is on its way
        self._reading = 0  # the generation of the last read of free times (an older answer is dropped)
        self._unsaid: Unsaid | None = None  # the days are said once their times are read (`show_here`)
        self._after_share: Callable[[Record], None] | None = None
        self.max_holds = MAX_HOLDS
        self._refit = QTimer(self, singleShot=True, interval=0)  # the page's needs, measured once it is laid out
        self._refit.timeout.connect(self._fit_page)
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._phone_page())
        self.pages.addWidget(self._when_page())
        self.pages.addWidget(self._who_page())
        self.pages.addWidget(self._done_page())
        session.stored.connect(self._shared)

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.session.locale, self.session.address, **params)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not enter_presses_nothing(event):  # (Enter on a text never makes the shopper's choice)
            super().keyPressEvent(event)

    # -- what is said, where focus goes ---------------------------------------------------------------------

    def spoken(self) -> str:
        """What is said when the dialog appears or turns a page."""
        page = self.pages.currentIndex()
        if page == CHOOSE_PAGE:
            return sentences(self.t("booking.button"), self.intro.text())
        if page == PHONE_PAGE:
            return self.phone_words()
        if page == WHEN_PAGE:
            status = self.slots_status.text()
            return sentences(self.t("booking.here_note"), "" if status == self.t("booking.loading") else status)
        if page == WHO_PAGE:
            return sentences(self.chosen_label.text(), self.held_words(), self.who_problem.text())
        return self.done_words()

    def held_words(self) -> str:
        """The products ticked to be set aside, said as name and contact are asked (their cards stand above the
        fields: heard only on the way back up otherwise)."""
        held = [card.accessibleName() for card in self.product_cards.values() if card.isChecked()]
        return self.t("booking.held_said", products=listing(held)) if held else ""

    def phone_words(self) -> str:
        code = self.t("talk.code", code=spelled(self.resume_code)) if self.resume_code else ""
        return sentences(self.t("booking.on_phone"), self.phone_hint.text(), code)

    def done_words(self) -> str:
        """The confirmation: when, with whom, the code read character by character, what is held, the e-mail."""
        code = self.t("booking.code", code=spelled(self.resume_code)) if self.resume_code else ""
        qr = self.done_qr_hint.text() if not self.done_qr_hint.isHidden() else ""
        return sentences(self.done_title.text(), self.done_when.text(), code, self.done_held.text(),
                         self.done_not_held.text(), self.done_mail.text(), qr)  # fmt: skip

    def first_focus(self) -> QWidget:
        page = self.pages.currentIndex()
        if page == CHOOSE_PAGE:
            return self.phone if self.phone.isVisible() else self.here
        if page == PHONE_PAGE:
            return self.phone_hint
        if page == WHEN_PAGE:
            checked = [
                day_button for day_button in self.day_buttons if day_button.isChecked() and not day_button.isHidden()
            ]
            return checked[0] if checked else self.slots_status
        if page == WHO_PAGE:
            return self.name
        return self.done_when

    def _show_page(self, page: int) -> None:
        """Another page: said, and focus on its first item (not first on whatever follows the control that hid
        with the old page)."""
        focus, shown = self.focusWidget(), self.pages.currentWidget()
        if focus is not None and shown is not None and shown.isAncestorOf(focus):
            focus.clearFocus()
        self.pages.setCurrentIndex(page)
        self._refit.start()
        if self.isVisible():
            tell(self, self.spoken())
            self.first_focus().setFocus(Qt.FocusReason.OtherFocusReason)

    def reject(self) -> None:
        """Back (Escape, the back key) goes back one page, as the page's own Back does: the time, name and consent
        given stay; on the first page and the confirmation it closes the dialog."""
        back = {PHONE_PAGE: CHOOSE_PAGE, WHEN_PAGE: CHOOSE_PAGE, WHO_PAGE: WHEN_PAGE}.get(self.pages.currentIndex())
        if back is None or not self.isVisible():
            super().reject()
            return
        self._show_page(back)

    # -- the pages ----------------------------------------------------------------------------------------------

    def _choose_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(label(self.t("booking.button"), "Question"))
        # (a help flow has answers but no shortlist)
        self.intro = label(self.t("booking.intro_help" if self.session.service else "booking.intro"))
        readable(self.intro)
        layout.addWidget(self.intro)
        # Cards, not buttons: their texts wrap with larger text or a narrow screen.
        self.phone = OptionCard(self.t("booking.on_phone"), self.t("booking.on_phone_note"), "phone")
        self.phone.clicked.connect(self.show_phone)
        self.here = OptionCard(self.t("booking.here"), self.t("booking.here_note"), "clock")
        self.here.clicked.connect(self.show_here)
        for card in (self.phone, self.here):
            card.setCheckable(False)
            layout.addWidget(card)
        # Without a public web address a phone could not open the link: no QR code is offered.
        self.phone.setVisible(self.session.public_web)
        self.choose_problem = label("", "Tradeoff")
        layout.addWidget(self.choose_problem)
        layout.addStretch(1)
        row = QHBoxLayout()
        close = button(self.t("talk.close"))
        close.clicked.connect(self.reject)
        row.addWidget(close)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    def _phone_page(self) -> QWidget:
        panel = QrPanel(self.t("booking.on_phone"), self.t("booking.phone_qr"), self.t("booking.phone_hint"),
                        self.phone_words)  # fmt: skip
        page, layout = panel.page, panel.layout
        self.qr, self.phone_hint, self.phone_code = panel.qr, panel.hint, panel.code
        buttons = QHBoxLayout()
        back = button(self.t("question.back"), "", "back")
        back.clicked.connect(lambda: self._show_page(CHOOSE_PAGE))
        done = button(self.t("talk.close"), "Primary")
        done.clicked.connect(self.accept)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(done)
        layout.addLayout(buttons)
        return page

    def _when_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        self.day_heading = day_heading = label(self.t("web.appointment.day"), "Section")
        body_layout.addWidget(day_heading)
        days = QWidget()
        days_layout = FlowLayout(days)
        self.day_buttons: list[QPushButton] = []
        from advisor.appointments.booking import open_days

        config = self.session.config
        offered = open_days(config, self.day, DAYS) if config is not None else []
        offered = offered or [self.day + timedelta(days=offset) for offset in range(DAYS)]
        self.day = offered[0]  # (today, unless the store is closed today; `show_here` reads the first with times)
        self.offered_days = offered
        for day in offered:
            day_button = button(self._day_name(day, short=True))
            day_button.setAccessibleName(self._day_name(day))
            day_button.setCheckable(True)
            day_button.setMinimumWidth(120)
            day_button.clicked.connect(lambda _=False, d=day: self.read_slots(d))
            self.day_buttons.append(day_button)
            days_layout.addWidget(day_button)
        Group(day_heading, self.day_buttons)  # "Tag" said on the way into the days, "Uhrzeit" into the times
        body_layout.addWidget(days)
        self.time_heading = label(self.t("web.appointment.time"), "Section")
        body_layout.addWidget(self.time_heading)
        self.slots_status = label("")
        readable(self.slots_status)
        body_layout.addWidget(self.slots_status)
        slots = QWidget()
        self.slots_layout = FlowLayout(slots)
        body_layout.addWidget(slots)
        body_layout.addStretch(1)
        layout.addWidget(touch_scroll_area(body), 1)
        buttons = QHBoxLayout()
        back = button(self.t("question.back"), "", "back")
        back.clicked.connect(lambda: self._show_page(CHOOSE_PAGE))
        self.next_button = button(self.t("booking.next"), "Primary")
        self.next_button.clicked.connect(self.show_who)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        layout.addLayout(buttons)
        return page

    def _who_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        self.chosen_label = label("", "Section")
        readable(self.chosen_label)
        body_layout.addWidget(self.chosen_label)
        self.products_title = label(self.t("web.appointment.products", count=self.max_holds))
        body_layout.addWidget(self.products_title)
        self.product_cards: dict[str, OptionCard] = {}
        self.products_layout = QHBoxLayout()
        body_layout.addLayout(self.products_layout)
        fields = QHBoxLayout()
        self.name = labelled_field(fields, self.t("web.appointment.name"), 200)
        self.contact = labelled_field(fields, self.t("web.appointment.contact"), 320)
        self.name.setInputMethodHints(Qt.InputMethodHint.ImhPreferUppercase)  # the on-screen keys: Kim Berger
        self.contact.setInputMethodHints(Qt.InputMethodHint.ImhNoAutoUppercase)  # an address or a number
        body_layout.addLayout(fields)
        self.consent = tick_card(self.t("web.appointment.consent"))
        self.remind = OptionCard(self.t("web.appointment.remind"), "", "clock")
        self.remind.setChecked(True)
        for card in (self.consent, self.remind):
            card.setMinimumHeight(72)
            body_layout.addWidget(card)
        body_layout.addStretch(1)
        layout.addWidget(touch_scroll_area(body), 1)
        self.who_problem = label("", "Tradeoff")
        readable(self.who_problem)
        self.who_problem.setVisible(False)  # (shown with a problem: an empty stop would say nothing)
        layout.addWidget(self.who_problem)
        buttons = QHBoxLayout()
        back = button(self.t("question.back"), "", "back")
        back.clicked.connect(lambda: self._show_page(WHEN_PAGE))
        self.book_button = button(self.t("web.appointment.button"), "Primary")
        self.book_button.clicked.connect(self.book)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.book_button)
        layout.addLayout(buttons)
        return page

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        fit_fields((self.name, self.contact), self.intro)
        fit_to_screen(self, self.size())  # never wider or taller than the kiosk's screen
        super().showEvent(event)
        self._refit.start()

    def _fit_page(self) -> None:
        """As large as the page shown needs (with larger text the confirmation's lines, the products to set aside
        need more than the dialog opened with: squeezed, they would be cut off or run into each other), within the
        kiosk's screen and kept over the middle of the kiosk window; what still does not fit scrolls. Never smaller
        (a page that needs less does not make the dialog jump); a day's times scroll as a list."""
        page = self.pages.currentWidget()
        if not self.isVisible() or page is None or self.pages.currentIndex() == WHEN_PAGE:
            return
        area = page.findChild(QScrollArea)
        inner = area.widget() if area is not None else None
        shown = area.viewport().size() if area is not None else page.size()
        if inner is None:
            inner = page
        for widget in inner.findChildren(QWidget):  # (a text shown since: measured in the larger text it will have)
            widget.ensurePolished()
            widget.updateGeometry()
        wider = max(0, inner.minimumSizeHint().width() - shown.width())
        width = shown.width() + wider
        tall = inner.heightForWidth(width) if inner.hasHeightForWidth() else inner.sizeHint().height()
        size = (self.size() + QSize(wider, max(0, tall - shown.height()))).boundedTo(screen_room(self))
        if size == self.size():
            if area is not None and inner.height() < inner.heightForWidth(inner.width()):
                area.setWidgetResizable(True)  # (the page sized again for what it holds now: it scrolls, if need be)
            return
        geometry = QRect(QPoint(0, 0), size)
        geometry.moveCenter(self.geometry().center())
        parent = self.parentWidget()
        if parent is not None:  # (not off the kiosk window's edge)
            room = parent.window().geometry()
            geometry.moveLeft(max(room.left(), min(geometry.left(), room.right() + 1 - size.width())))
            geometry.moveTop(max(room.top(), min(geometry.top(), room.bottom() + 1 - size.height())))
        self.setGeometry(geometry)
        self._refit.start()  # measured again once laid out at that size (a scroll bar gone, a line less wrapped)

    def _done_page(self) -> QWidget:
        from PySide6.QtSvgWidgets import QSvgWidget

        page = QWidget()
        layout = QVBoxLayout(page)
        self.done_title = label(self.t("web.appointment.done"), "Question")
        layout.addWidget(self.done_title)
        body = QWidget()  # (scrolls where even the whole kiosk window is too small for it: see `_fit_page`)
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        # The appointment to take along: a one-time code that opens it on the phone (calendar, move, cancel).
        self.done_qr = QSvgWidget()
        self.done_qr.setFixedSize(220, 220)
        self.done_qr.setAccessibleName(self.t("booking.done_qr"))
        self.done_qr.hide()
        row.addWidget(self.done_qr, 0, Qt.AlignmentFlag.AlignTop)
        row.addSpacing(24)
        texts = QVBoxLayout()
        self.done_when = label("", "Section")
        readable(self.done_when, self.done_words)
        self.done_code = label("", "Section")
        self.done_held = label("")
        self.done_not_held = label("", "Muted")
        self.done_mail = label("")
        self.done_qr_hint = label(self.t("booking.done_qr_hint"))
        self.done_qr_hint.hide()
        for widget in (self.done_when, self.done_code, self.done_held, self.done_not_held, self.done_mail,
                       self.done_qr_hint):  # fmt: skip
            texts.addWidget(widget)
        texts.addStretch(1)
        row.addLayout(texts, 1)
        layout.addWidget(touch_scroll_area(body), 1)
        row = QHBoxLayout()
        row.addStretch(1)
        close = button(self.t("talk.close"), "Primary")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        return page

    # -- on the phone -------------------------------------------------------------------------------------------

    def show_phone(self) -> None:
        """A fresh one-time QR code (5 minutes) that opens this advice on the phone at the booking page."""
        self._after_share = self._phone_ready
        self.session.share()

    def _phone_ready(self, record: Record) -> None:
        from advisor.handoff.tokens import issue_token

        engine = self.session.engine
        assert engine is not None
        self.session.writes.run(
            lambda: issue_token(engine, record.id),
            lambda token: self._show_qr(f"{self.session.phone_link(token)}?to=appointment", record.resume_code),
            lambda _error: self._offline(),
        )

    def _show_qr(self, link: str, resume_code: str) -> None:
        from advisor.rendering.qr import qr_svg

        self.phone_link = link
        self.qr.load(QByteArray(qr_svg(link).encode()))
        self.resume_code = resume_code
        self.phone_code.setText(self.t("talk.code", code=shown_code(resume_code)))
        self._show_page(PHONE_PAGE)

    # -- here and now: when ----------------------------------------------------------------------------------

    def show_here(self) -> None:
        """The days and today's free times (the day's choice reads the next); focus on the day chosen, and how many
        times are free is said once they are read."""
        if self.chosen is None:
            # The focus lands on the day without a word until its times are read: then the day found is said with
            # how many times it has, or, with no time free at all, only that (not first a day that will go away).
            self._unsaid = unsaid_until(self, FIRST_READ_MS)
            self.read_slots(self.day, first_free=True)
        self._show_page(WHEN_PAGE)

    def _day_name(self, day: date, *, short: bool = False) -> str:
        today = store_today(self.session)
        if short or day in (today, today + timedelta(days=1)):
            return short_day(day, today, self.session.locale, self.session.address)
        return day_text(day, self.session.locale)

    def _fill_products(self) -> None:
        if self.product_cards:
            return
        result = self.session.recommendation()
        shortlist = list(result.products[: min(SHOWN_PRODUCTS, self.max_holds)]) if result is not None else []
        for item in shortlist:
            card = OptionCard(pick(item.product.name, self.session.locale), item.product.brand)
            card.setChecked(True)  # the top picks, to try at the appointment (the shopper unticks what they want not)
            self.product_cards[item.sku] = card
            self.products_layout.addWidget(card)
        self.products_title.setVisible(bool(shortlist))
        Group(self.products_title, list(self.product_cards.values()))  # said on the way to the first product

    def read_slots(self, day: date, *, first_free: bool = False) -> None:
        """The free times of `day`, read off the GUI thread; `first_free` (no day chosen by the shopper yet): of
        the first day offered from `day` on that has a free time, said when that is not today."""
        from advisor.appointments.booking import first_day_with_times, first_day_words, nothing_free, slots_on

        engine, config, questionnaire = self.session.engine, self.session.config, self.session.questionnaire
        if engine is None or config is None or questionnaire is None:
            self._offline()
            return
        self._mark_day(day)
        self._reading += 1
        generation, category = self._reading, questionnaire.category
        self._show_slots([], self.t("booking.loading"))
        later = [offered for offered in self.offered_days if offered >= day] if first_free else []

        def read() -> tuple[date, list[Slot], bool]:
            shown = first_day_with_times(engine, config=config, category_id=category, days=later) if later else day
            slots = slots_on(engine, config=config, category_id=category, day=shown)
            return shown, slots, bool(later) and not slots and nothing_free(engine, config=config, category_id=category)

        def done(found: tuple[date, list[Slot], bool]) -> None:
            if generation != self._reading:  # (another day was chosen meanwhile: its times come next)
                return
            shown, slots, none = found
            self._none_free(none)
            if none:  # said once, instead of "nothing free on this day" on each day tried
                self._show_slots([], self.t("booking.none_free", days=config.appointments.horizon_days))
                self._focus_when_read(say=False)  # (the message was just said: the focus rests on it)
                return
            if shown != day:
                self._mark_day(shown)
            self._focus_when_read(say=True)
            words = first_day_words(store_today(self.session), later[0] if later else day, shown)
            self._show_slots(slots, self.t(words, day=day_text(shown, self.session.locale)) if words else None)

        def failed(_error: Exception) -> None:
            if generation == self._reading:
                self._focus_when_read(say=True)
                self._show_slots([], self.t("booking.offline"))

        self.reads.run(read, done, failed)

    def _focus_when_read(self, *, say: bool) -> None:
        """The first read of free times is in: the focus goes to the day it found (or to the message when no day is
        offered), said when `say`."""
        unsaid, self._unsaid = self._unsaid, None
        if unsaid is None:
            return
        shown = self.isVisible() and self.pages.currentIndex() == WHEN_PAGE
        if shown:
            self.first_focus().setFocus(Qt.FocusReason.OtherFocusReason)
        unsaid(say=shown and say)

    def _none_free(self, none: bool) -> None:
        """With no time free within the horizon, the days and Next are put away: there is nothing to choose."""
        for widget in (*self.day_buttons, self.day_heading, self.time_heading, self.next_button):
            widget.setVisible(not none)

    def _mark_day(self, day: date) -> None:
        self.day = day
        for day_button in self.day_buttons:  # one chosen (not a Qt button group: it takes the others off Tab)
            day_button.setChecked(day_button.accessibleName() == self._day_name(day))

    def _show_slots(self, slots: list[Slot], status: str | None = None, *, with_day: bool = False) -> None:
        """The times to choose from (`with_day`: the next free ones, on any day); the status above them."""
        clear(self.slots_layout)
        self.slot_buttons = {}
        self.chosen = None
        for slot in slots:
            words = f"{slot.starts_at:%H:%M}"
            if with_day:
                words = f"{self._day_name(slot.starts_at.date(), short=True)} {words}"
            slot_button = button(words)
            slot_button.setAccessibleName(self._when(slot))  # (complete for a screen reader that reads it alone)
            slot_button.setCheckable(True)
            if not with_day:  # the day was just said (its button, then how many times it has): the time alone
                slot_button.spoken = lambda b=slot_button, s=slot: self._time_words(b, s)  # type: ignore[attr-defined]
            slot_button.setMinimumWidth(110)
            slot_button.clicked.connect(lambda _=False, s=slot: self._choose(s))
            self.slot_buttons[slot_button] = slot
            self.slots_layout.addWidget(slot_button)
        Group(self.time_heading, list(self.slot_buttons))
        if status is None:
            status = "" if slots else self.t("web.appointment.no_slots")
        self.slots_status.setText(status)
        self.slots_status.setVisible(bool(status))
        shown = self.isVisible() and self.pages.currentIndex() == WHEN_PAGE
        if status and shown and status != self.t("booking.loading"):
            tell(self, status)
        elif slots and shown:  # how many times there are to go through, down from the day
            tell(self, counted("speech.free_times", len(slots), self.session.locale, self.session.address))

    def _choose(self, slot: Slot) -> None:
        """A time chosen: it is said as chosen, and the focus goes on to Next (not through every later time)."""
        self.chosen = slot
        focused = False
        for slot_button, shown in self.slot_buttons.items():  # one chosen, every time reachable by the four keys
            slot_button.setChecked(shown == slot)
            if shown == slot and slot_button.hasFocus():
                focused = True
                tell(self, describe(slot_button, self.session.locale))
        if focused and self.next_button.isVisible():
            self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _time_words(self, slot_button: QPushButton, slot: Slot) -> str:
        """A free time as its button says it within the day chosen: "08:15 Uhr, nicht ausgewählt"."""
        return control(name=self.t("booking.time", time=f"{slot.starts_at:%H:%M}"), checked=slot_button.isChecked(),
                       locale=self.session.locale)  # fmt: skip

    def _when(self, slot: Slot) -> str:
        return self.t("booking.when", day=day_text(slot.starts_at, self.session.locale), time=f"{slot.starts_at:%H:%M}")

    def show_who(self) -> None:
        if self.chosen is None:
            self.slots_status.setText(self.t("booking.choose_time"))
            self.slots_status.setVisible(True)
            tell(self, self.slots_status.text())
            return
        from advisor.appointments.booking import reminds

        self._fill_products()
        self.chosen_label.setText(self.t("booking.chosen", when=self._when(self.chosen)))
        # Offered only when a reminder the day before can still go out (not for a time today): the core's rule.
        config = self.session.config
        self.remind.setVisible(config is not None and reminds(config, self.chosen.starts_at))
        self.who_problem.setText("")
        self.who_problem.setVisible(False)
        self._show_page(WHO_PAGE)

    # -- here and now: who, and the booking ------------------------------------------------------------------

    def _refuse(self, words: str) -> None:
        self.who_problem.setText(words)
        self.who_problem.setVisible(bool(words))
        tell(self, words)

    def book(self) -> None:
        """Nothing is stored without consent; with it, the advice is stored (for its id and code) and the time
        booked off the GUI thread."""
        if self.booking:
            return  # (a second tap while the first booking is on its way)
        if self.chosen is None:
            self._show_page(WHEN_PAGE)
            return
        if not self.consent.isChecked():
            self._refuse(self.t("web.appointment.consent_needed"))
            return
        if not self.name.text().strip() or not self.contact.text().strip():
            self._refuse(self.t("appointment.error.no_contact"))
            return
        self.who_problem.setText("")
        self.who_problem.setVisible(False)
        self.booking = True  # (Book stays enabled: the focus stays on it, not on the products above)
        self._after_share = self._book_for
        self.session.share(consent=True)

    def _book_for(self, record: Record) -> None:
        from advisor.appointments.booking import book
        from advisor.rendering.mail import MailError
        from advisor.session.confirmation import confirm_by_mail

        session, slot = self.session, self.chosen
        engine, config, questionnaire = session.engine, session.config, session.questionnaire
        assert engine is not None and config is not None and questionnaire is not None and slot is not None
        category, locale, starts_at = questionnaire.category, session.locale, slot.starts_at
        name, contact = self.name.text(), self.contact.text()
        remind = self.remind.isChecked() and not self.remind.isHidden()  # (not offered: no reminder can go out)
        skus = [sku for sku, card in self.product_cards.items() if card.isChecked()][: self.max_holds]
        questionnaires = dict(session.questionnaires)
        categories = dict(session.catalog.categories) if session.catalog is not None else {}

        public_web = session.public_web

        def work() -> tuple[Booking, bool, str | None]:
            booked = book(engine, config=config, category_id=category, starts_at=starts_at, name=name,
                          contact=contact, locale=locale, channel="kiosk", session_id=record.id, products=skus,
                          remind=remind)  # fmt: skip
            try:
                mailed = confirm_by_mail(engine, config, booked, session_id=record.id, locale=locale, contact=contact,
                                         questionnaires=questionnaires, categories=categories)  # fmt: skip
            except MailError:  # (booked all the same: the shopper is told no e-mail goes out)
                mailed = False
            return booked, mailed, phone_token(engine, record.id) if public_web else None

        self.writes.run(work, lambda outcome: self._show_done(*outcome, resume_code=record.resume_code),
                        self._refused)  # fmt: skip

    def _refused(self, error: Exception) -> None:
        from advisor.appointments.booking import BookingError, SlotTaken

        self.booking = False
        if isinstance(error, SlotTaken):  # someone was faster: the message, and the next free times to choose
            self._show_page(WHEN_PAGE)
            self._show_slots(list(error.next_slots), str(error), with_day=True)
        elif isinstance(error, BookingError):
            self._refuse(str(error))
        else:
            self._refuse(self.t("booking.offline"))

    def show_booked(self, shown: Booked) -> None:
        """The advice's appointment again (booked in this visit or before), and a fresh code for the phone (the last
        may be used)."""
        self._show_booked(shown, None, resume_code=self.session.resume_code or "")
        engine, stored_id = self.session.engine, self.session.stored_id
        if self.session.public_web and engine is not None and stored_id is not None:
            self.session.writes.run(lambda: phone_token(engine, stored_id), self._show_done_qr)

    def _show_done_qr(self, token: str | None) -> None:
        """The QR code that opens the appointment on the shopper's phone (none without a `token`)."""
        from advisor.rendering.qr import qr_svg

        self.phone_link = f"{self.session.phone_link(token)}?to=booked" if token else ""
        if token:
            self.done_qr.load(QByteArray(qr_svg(self.phone_link).encode()))
        self.done_qr.setVisible(bool(token))
        self.done_qr_hint.setVisible(bool(token))
        self._refit.start()  # (room for the hint under the code, which may arrive after the page)

    def _show_done(self, booked: Booking, mailed: bool, token: str | None, *, resume_code: str) -> None:
        """A booking just made: its confirmation (the products by their names on the shortlist), kept as the
        advice's appointment; with a `token`, the QR code that opens it on the shopper's phone."""
        self.booking = False
        self._fill_products()
        names = {sku: card.accessibleName() for sku, card in self.product_cards.items()}
        shown = Booked(booked.appointment_id, booked.starts_at, booked.staff_name,
                       held=tuple(names.get(sku, sku) for sku in booked.held),
                       not_held=tuple(names.get(sku, sku) for sku in booked.not_held), mailed=mailed)  # fmt: skip
        self.session.booked = shown
        # The contact leaves the public screen once it is booked.
        self.name.clear()
        self.contact.clear()
        self._show_booked(shown, token, resume_code=resume_code)

    def _show_booked(self, shown: Booked, token: str | None, *, resume_code: str) -> None:
        self.resume_code = resume_code
        self._show_done_qr(token)
        starts = shown.starts_at
        day = day_text(starts, self.session.locale, year=True)
        self.done_when.setText(self.t("web.appointment.when", day=day, time=f"{starts:%H:%M}",
                                      staff=shown.staff_name))  # fmt: skip
        self.done_code.setText(self.t("booking.code", code=shown_code(resume_code)))
        self.done_code.setVisible(bool(resume_code))
        held, not_held = ", ".join(shown.held), ", ".join(shown.not_held)
        self.done_held.setText(self.t("web.appointment.held", products=held) if held else "")
        self.done_held.setVisible(bool(held))
        self.done_not_held.setText(self.t("web.appointment.not_held", products=not_held) if not_held else "")
        self.done_not_held.setVisible(bool(not_held))
        mail = {True: self.t("web.appointment.mailed"), False: self.t("booking.no_mail"), None: ""}[shown.mailed]
        self.done_mail.setText(mail)
        self.done_mail.setVisible(bool(mail))
        self._show_page(DONE_PAGE)

    # -- the stored session -------------------------------------------------------------------------------------

    def _shared(self, outcome: tuple[Record | None]) -> None:
        """The advice is stored (or the database could not be reached): go on with what was asked."""
        (record,) = outcome
        then, self._after_share = self._after_share, None
        if then is None:
            return
        if record is None:
            self._offline()
            return
        then(record)

    def _offline(self) -> None:
        self.booking = False
        words = self.t("booking.offline")
        page = self.pages.currentIndex()
        if page == WHO_PAGE:
            self._refuse(words)
        elif page == WHEN_PAGE:
            self._show_slots([], words)
        else:
            self.choose_problem.setText(words)
            tell(self, words)
