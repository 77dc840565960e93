"""`advisor staff`: the staff console. Sign in (and choose the console's language), see the live queue (a red
banner and a sound repeat until someone claims), claim a request, read the whole case at a glance, chat with
the customer, change an answer for them, keep notes, close the case."""

from __future__ import annotations

import asyncio
import html
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPaintEvent, QPalette, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionFrame,
    QStyleOptionViewItem,
    QSystemTrayIcon,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from advisor.config import is_public_address
from advisor.handoff.chat import MAX_NOTES, SavedNotes
from advisor.handoff.codes import shown as shown_code
from advisor.i18n import LOCALES, pick, text, unit_text
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.core import display_answer
from advisor.recommend.index import CatalogIndex, CategoryIndex
from ui.app import OutageJournal
from ui.ops import ChangeLine, Lane
from ui.wakeup import start_listening
from ui.widgets import (
    ICONS,
    ShortenedComboBox,
    ask_first,
    button,
    chosen_item,
    code_points,
    fit_to_screen,
    keep_within,
    label,
    utf16_length,
)

if TYPE_CHECKING:
    from advisor.config import Config
    from advisor.handoff.requests import Claimed
    from advisor.questionnaire.library import QuestionnaireLibrary
    from advisor.session.cases import Case, CaseKey, ConsoleView, Desk, NotesKey, QueueLine, Sheet
    from ui.appointments import AppointmentsView

PRESENCE_MS = 20_000  # a console reports in; kiosks count it available for a minute after
POLL_MS = 250  # PRAGMA data_version (or a tiny summary query): cheap enough to ask four times a second
RING_MS = 6_000  # the waiting sound repeats this often until someone claims
NOTES_MS = 700  # notes are saved this long after the last key press
ITEM_INSET = 16  # a list line's border and padding across (console_style), and a pixel or two to spare
WAITS_SAID_S = 30.0  # the journal says again how many changes wait for the database when their number changed, at most
# this often
WAIT_TICK_MS = 1_000  # the queue's "waiting 3 min" counts up from the times read, with no database read
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}
ANSWERS_SIDE_BY_SIDE = 440  # the case sheet's width from which two answers share a line
IN_PERSON = "#fbe3c8"  # a queue line of a customer standing at a kiosk: warm, apart from the chats' white
COMPACT_BELOW = 640  # a console lower than this (a laptop at 150 %: 512) is arranged compactly (`_arrange`)
COMPACT_TOOL = "padding: 0 10px;"  # its tools' buttons: icons, named by their tooltips
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"


KEYS: dict[str, tuple[str, ...]] = {  # the console's keys, the first of each shown in its tool tip
    "claim": ("Ctrl+Return", "Ctrl+Enter"),
    "code": ("Ctrl+F",),
    "queue": ("Ctrl+1",),
    "cases": ("Ctrl+2",),
    "message": ("Ctrl+3",),
    "notes": ("Ctrl+4",),
    "save_notes": ("Ctrl+S",),
    "appointments": ("Ctrl+T",),
    "repairs": ("Ctrl+R",),
    "phone": ("Ctrl+H",),
    "insights": ("Ctrl+I",),
}


def console_style(base: int = 16) -> str:
    """The console's look: the kiosk's colours at a desk's size (it is read from a chair, not a metre away)."""
    from ui.theme import Theme

    t = Theme()
    chevron = (ICONS / "chevron_down.svg").as_posix()  # the fields' drop-down arrow in the house colour
    chevron_up = (ICONS / "chevron_up.svg").as_posix()  # a number field's "one more"
    return f"""
QLabel, QListWidget, QLineEdit, QPlainTextEdit, QComboBox, QSpinBox, QTextBrowser, QDateEdit, QCheckBox {{
    font-size: {base}px; }}
QPushButton {{ font-size: {base}px; min-height: 48px; padding: 0 {base - 4}px; }}
QLabel#Section {{ font-size: {round(base * 1.1)}px; }}
QListWidget, QPlainTextEdit, QTextBrowser, QLineEdit, QComboBox, QSpinBox, QDateEdit {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 6px; min-height: 36px; }}
QComboBox, QDateEdit {{ padding: 0 8px; }}
QPlainTextEdit#Notes {{ min-height: {round(base * 5.5)}px; }}
QSpinBox {{ padding: 0 8px; }}
QSpinBox::up-button, QSpinBox::down-button {{ width: 32px; border-left: 1px solid {t.border}; }}
QSpinBox::up-button {{ subcontrol-position: top right; border-bottom: 1px solid {t.border}; }}
QSpinBox::down-button {{ subcontrol-position: bottom right; }}
QSpinBox::up-arrow {{ image: url("{chevron_up}"); width: 14px; height: 14px; }}
QSpinBox::down-arrow {{ image: url("{chevron}"); width: 14px; height: 14px; }}
QComboBox::drop-down, QDateEdit::drop-down {{ border: none; width: 32px; }}
QComboBox::down-arrow, QDateEdit::down-arrow {{ image: url("{chevron}"); width: 14px; height: 14px; }}
QListWidget::item {{ padding: 6px 4px; border-bottom: 1px solid {t.border}; border-left: 4px solid transparent; }}
QListWidget::item:selected {{ background: {t.selected}; border-left: 4px solid {t.primary}; color: {t.text}; }}
QFrame#Alert {{ background: {t.negative}; border-radius: 8px; }}
QFrame#Alert QLabel {{ color: #ffffff; font-size: {round(base * 1.25)}px; font-weight: bold; }}
QFrame#Notice {{ background: {t.selected}; border: 2px solid {t.accent}; border-radius: 8px; }}
QLabel#Saved {{ color: {t.muted}; font-size: {base - 2}px; }}
QLabel#Figure {{ font-size: {round(base * 1.75)}px; font-weight: bold; color: {t.primary}; }}
QLabel#Improved {{ color: {t.positive}; }}
QLabel#Worsened {{ color: {t.negative}; }}
QWidget#Insights, QWidget#Appointments, QWidget#Repairs, QDialog {{ background: {t.background}; }}
QWidget#Insights QTableWidget {{ font-size: {base}px; }}
"""


class StaffConsole(QMainWindow):
    """The console a sales person or a remote adviser works from."""

    def __init__(
        self,
        engine: Engine,
        questionnaires: dict[str, Questionnaire],
        catalog: CatalogIndex,
        public_base_url: str = "http://localhost:8000",
        *,
        locale: str = "de",
        zone: tzinfo = UTC,
        places: dict[str, str] | None = None,
        config: Config | None = None,
    ) -> None:
        from advisor.handoff.watching import ChangeWatcher

        super().__init__()
        self.setObjectName("StaffConsole")
        self.setStyleSheet(console_style())
        self.reads = Lane(self, serial=True)  # views of the queue and cases, in order, off the GUI thread
        self.writes = Lane(self, serial=True)  # claims, closes, answers, chat, notes
        self.view: ConsoleView | None = None
        self._reading = False
        self._again = False
        self.staff_locale = locale if locale in LOCALES else "de"
        self.zone = zone
        self.places = dict(places or {})
        self.config = config  # the store's appointments (none without a configuration)
        self._select: str | None = None  # a session opened by code, to select once listed
        self._select_request: int | None = None  # a claimed request, to select once listed
        self._closing: set[int] = set()  # requests this console closes (their end is no news to it)
        self._known: set[int] = set()  # claimed requests shown last time (one that vanishes was ended elsewhere)
        self._seen: dict[int, int] = {}  # request -> the shopper's messages already read
        self._alerted: set[int] = set()  # queued requests already rung for
        self._ended_said: list[str] = []  # the cases shoppers ended, as the notice shows them
        self._said_about: tuple[CaseKey, str] | None = None  # a case and the notice about it, while it shows
        self._case_shown: CaseKey | None = None  # the case whose sheet shows (another one's notices go)
        self._database_down = False
        # The journal's lines on an outage: one when it begins (the database named, its password never), the changes
        # that wait once (again when their number changed, at most every WAITS_SAID_S), one when it answers again.
        self.journal = OutageJournal("advisor staff", engine.url.render_as_string(hide_password=True))
        self._waits_said: tuple[int, float] | None = None  # changes said waiting, and when (monotonic), this outage
        self._stored_since = 0  # changes stored since they were said waiting
        self._notes_waiting: dict[NotesKey, str] = {}  # where kept -> notes handed to the line and not stored yet
        # where kept -> the notes as this console last read or stored them: what a save builds on (a colleague's
        # notes stored since are merged, not overwritten)
        self._notes_base: dict[NotesKey, str] = {}
        self._notes_stores = 0  # notes this console stored: a read begun before the latest of them is older
        self._read_stamp = 0  # `_notes_stores` when the view shown was read
        self._close_anyway = False  # closing while changes wait for the database: confirmed
        self.quit_prompt: QMessageBox | None = None  # "1 change is not saved yet – close anyway?", while it shows
        self._pending_said = ""  # the notice that changes wait for the database, as last shown
        self._drafts: dict[CaseKey, str] = {}  # a message typed to a case, kept while another case is shown
        self._draft_for: CaseKey | None = None  # the case the message field's text is for
        self._focus_message = False  # a case claimed by the keys: the message field takes the focus when it shows
        self._unsent: list[tuple[CaseKey, str, datetime]] = []  # messages sent and not yet stored
        self._ended_chat: tuple[str, ...] = ()  # the chat of the case on screen whose customer left, still readable
        self.reported_at: datetime | None = None  # when this console last said its staff member is there
        self.rings = 0  # how often the waiting sound rang (a console test listens to it this way)
        self.sound: Any = None
        self.engine = engine
        self.public_base_url = public_base_url
        self.public_web = is_public_address(public_base_url)
        self.phone_link: str | None = None
        self.questionnaires = questionnaires
        self.catalog = catalog
        categories = catalog.categories  # a plain function for workers (no Qt object in their closures)
        self._index_for: Callable[[Questionnaire], CategoryIndex | None] = lambda q: categories.get(q.category)
        self.staff: str | None = None
        self.opened: dict[str, str] = {}  # sessions opened without a request, by id: "code" or "appointment"
        self.notes_saved = ""  # the notes as last stored for the shown case
        self._notes_case: NotesKey | None = None  # where the shown notes are kept (a request, an appointment)
        self._want_step: str | None = None  # a question a change brought up, to show in the editor
        self.new_steps: dict[str, set[str]] = {}  # session -> questions staff changes brought up, not yet answered
        self.watcher = ChangeWatcher(engine)
        self._compact = False  # arranged for a low screen (`_arrange`)
        self.pages = QStackedWidget()
        self.setCentralWidget(self.pages)
        self.pages.addWidget(self._sign_in_page())
        self.pages.addWidget(self._console_page())
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self.refresh)
        self.ring_timer = QTimer(self)
        self.ring_timer.setInterval(RING_MS)
        self.ring_timer.timeout.connect(self._ring)
        self.notes_timer = QTimer(self)
        self.notes_timer.setSingleShot(True)
        self.notes_timer.setInterval(NOTES_MS)
        self.notes_timer.timeout.connect(self.save_notes)
        # Changes the database could not take (unreachable, locked): kept, in the order staff made them, and tried
        # again until it takes them; the notice says so while any wait.
        self.changes = ChangeLine(self.writes, self, stored=self._change_stored, waiting=self._say_pending,
                                  refused=self._problem, log="advisor staff")  # fmt: skip
        self.wait_timer = QTimer(self)
        self.wait_timer.setInterval(WAIT_TICK_MS)
        self.wait_timer.timeout.connect(self._show_waits)
        self._queue_lines: tuple[QueueLine, ...] = ()  # the queue as last read, its waits said anew every tick
        self.listening = start_listening(engine, lambda: self.refresh(force=True), self.poll)
        self.presence = QTimer(self)
        self.presence.setInterval(PRESENCE_MS)
        self.presence.timeout.connect(self._report_presence)
        self.tray: QSystemTrayIcon | None = None
        self.retranslate()
        self._fill_steps()

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.staff_locale, "staff", **params)

    def desk(self) -> Desk:
        from advisor.session.cases import Desk

        # The kiosks' places in the language the staff member chose (given per language in the configuration).
        places = self.config.store.place_names(self.staff_locale) if self.config is not None else self.places
        return Desk(self.staff_locale, self.zone, dict(places))

    # -- sign in -------------------------------------------------------------------------------------------

    def _sign_in_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(200, 24, 200, 24)
        layout.addStretch(1)
        self.sign_in_title = label("", "Title")
        layout.addWidget(self.sign_in_title)
        self.language = QComboBox()
        for locale in LOCALES:
            self.language.addItem(LANGUAGE_NAMES[locale], locale)
        self.language.setCurrentIndex(self.language.findData(self.staff_locale))
        self.language.currentIndexChanged.connect(lambda *_: self.set_locale(self.language.currentData()))
        self.language_label = label("")
        self.language_label.setBuddy(self.language)
        self.name = QLineEdit()
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.returnPressed.connect(self.sign_in)
        # Enter in the name goes on to the PIN (or signs in when the PIN is typed already).
        self.name.returnPressed.connect(lambda: self.sign_in() if self.pin.text() else self.pin.setFocus())
        self.sign_in_error = label("", "Tradeoff")
        self.sign_in_button = button("", "Primary")
        self.sign_in_button.clicked.connect(self.sign_in)
        for widget in (self.language_label, self.language, self.name, self.pin, self.sign_in_error,
                       self.sign_in_button):  # fmt: skip
            layout.addWidget(widget)
        layout.addStretch(2)
        return page

    def set_locale(self, locale: str) -> None:
        """The console's language (the staff member's choice): every text, the case and the queue."""
        if locale not in LOCALES or locale == self.staff_locale:
            return
        self.staff_locale = locale
        self.retranslate()
        self.refresh(force=True)

    def retranslate(self) -> None:
        t = self.t
        self.setWindowTitle(t("console.title"))
        self.sign_in_title.setText(t("console.sign_in.title"))
        self.language_label.setText(t("console.sign_in.language"))
        self.name.setPlaceholderText(t("console.sign_in.name"))
        self.name.setAccessibleName(t("console.sign_in.name"))
        self.pin.setPlaceholderText(t("console.sign_in.pin"))
        self.pin.setAccessibleName(t("console.sign_in.pin"))
        self.sign_in_button.setText(t("console.sign_in.button"))
        self.queue_heading.setText(t("console.queue"))
        self.claim_button.setText(t("console.claim"))
        self.cases_heading.setText(t("console.my_cases"))
        self.cases.set_empty_text(t("console.cases.empty"))
        self._fit_cases()
        self.code.setPlaceholderText(t("console.code"))
        self.code.setAccessibleName(t("console.code"))
        self.open_code_button.setText(t("console.open_code"))
        self.close_button.setText(t("console.close_case"))
        self.book_button.setText(t("console.book.case"))
        self.dismiss_button.setText(t("console.dismiss"))
        self.chat_heading.setText(t("console.section.chat"))
        self.message.setPlaceholderText(t("console.message"))
        self.message.setAccessibleName(t("console.message"))
        self.send_button.setText(t("console.send"))
        self.notes_heading.setText(t("console.section.notes"))
        self.notes.setAccessibleName(t("console.section.notes"))
        self.change_heading.setText(t("console.section.change"))
        self.save_answer.setText(t("console.change"))
        self.case.setAccessibleName(t("console.my_cases"))
        for name, widget in self._key_widgets().items():
            widget.setToolTip(t("console.key.hint", keys=self._key_hint(name)))
        self._name_tools()
        if self.view is None:
            self.case.setPlainText(t("console.empty_case"))

    def _name_tools(self) -> None:
        """The tools' names on their buttons; compact, icons alone, named by their tooltips and to screen readers."""
        tools = ((self.phone_button, "phone", "console.to_phone"), (self.repairs_button, "repairs", "console.repairs"),
                 (self.appointments_button, "appointments", "console.appointments"),
                 (self.insights_button, "insights", "console.insights"))  # fmt: skip
        for widget, name, key in tools:
            words = self.t(key)
            hint = self.t("console.key.hint", keys=self._key_hint(name))
            widget.setText("" if self._compact else words)
            widget.setAccessibleName(words)
            widget.setToolTip(f"{words} · {hint}" if self._compact else hint)
            widget.setStyleSheet(COMPACT_TOOL if self._compact else "")

    def _key_widgets(self) -> dict[str, QWidget]:
        return {
            "claim": self.claim_button, "code": self.code, "queue": self.queue, "cases": self.cases,
            "message": self.message, "notes": self.notes, "appointments": self.appointments_button,
            "repairs": self.repairs_button, "phone": self.phone_button, "insights": self.insights_button,
        }  # fmt: skip

    def sign_in(self) -> None:
        from advisor.handoff.staff import TooManyWrongPins, sign_in
        from advisor.i18n import duration

        name, pin = self.name.text().strip(), self.pin.text()
        self.pin.clear()
        self.sign_in_button.setEnabled(False)

        def checked(ok: bool) -> None:
            self.sign_in_button.setEnabled(True)
            if not ok:
                self.sign_in_error.setText(self.t("console.sign_in.wrong"))
                return
            self.staff = name
            if not self.public_web:  # said to staff, who can tell store IT; shoppers never see the address
                self._say(self.t("console.no_public"))
            self._report_presence()
            self.presence.start()
            self.pages.setCurrentIndex(1)
            self.refresh(force=True)
            self.poll.start()
            self.wait_timer.start()

        def failed(error: Exception) -> None:
            self.sign_in_button.setEnabled(True)
            if isinstance(error, TooManyWrongPins):  # even the right PIN waits; said, and noted for store IT
                wait = duration(error.seconds, self.staff_locale)
                self.sign_in_error.setText(self.t("console.sign_in.wait", wait=wait))
                sys.stderr.write(f"advisor staff: sign-in of {name!r} refused: {error}\n")
                return
            self.sign_in_error.setText(self.t("console.sign_in.unreachable"))
            sys.stderr.write(f"advisor staff: sign-in: {error}\n")

        # On the writes lane, off the GUI thread: the check counts an attempt in the database and hashes the PIN.
        engine = self.engine
        self.writes.run(lambda: sign_in(engine, name, pin), checked, failed)

    # -- the console -----------------------------------------------------------------------------------------

    def _console_page(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.setSpacing(6)
        self.alert = QFrame()  # red, steady, until someone claims: never blinking text
        self.alert.setObjectName("Alert")
        alert_row = QHBoxLayout(self.alert)
        self.alert_text = label("")
        self.alert_text.setAccessibleName("alert")
        alert_row.addWidget(self.alert_text, 1)
        self.alert.hide()
        self._top = QHBoxLayout()  # compact: the tools' icons beside the alert (`_arrange`)
        self._top.addWidget(self.alert, 1)
        outer.addLayout(self._top)
        self.notice_box = QFrame()  # a message for staff: stays until dismissed
        self.notice_box.setObjectName("Notice")
        notice_row = QHBoxLayout(self.notice_box)
        self.notice_text = label("")
        self.notice_text.setAccessibleName("notice")
        self.dismiss_button = button("")
        self.dismiss_button.clicked.connect(self.dismiss)
        notice_row.addWidget(self.notice_text, 1)
        notice_row.addWidget(self.dismiss_button)
        self.notice_box.hide()
        outer.addWidget(self.notice_box)
        columns = QHBoxLayout()
        outer.addLayout(columns, 1)

        left = QVBoxLayout()
        self._left = left
        self.queue_heading = label("", "Section")
        self._queue_top = QHBoxLayout()  # compact: the heading and "claim" on one line
        self._queue_top.addWidget(self.queue_heading, 1)
        left.addLayout(self._queue_top)
        self.queue = QListWidget()
        self.queue.setAccessibleName("queue")
        self.queue.setWordWrap(True)
        self.queue.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # lines wrap instead
        self.queue.setResizeMode(QListWidget.ResizeMode.Adjust)  # wrapped again when a scroll bar takes room
        self.queue.setItemDelegate(QueueLines(self.queue))
        self.queue.setIconSize(QSize(22, 22))
        self.queue.itemActivated.connect(lambda *_: self.claim())  # Enter on a chosen line claims it
        self.queue.itemSelectionChanged.connect(self._queue_chosen)  # (rebuilding the list blocks it)
        self.queue.itemClicked.connect(lambda *_: self._queue_chosen())  # the chosen line again, after a case
        left.addWidget(self.queue, 1)
        self.claim_button = button("", "Primary")
        self.claim_button.clicked.connect(self.claim)
        left.addWidget(self.claim_button)
        self.cases_heading = label("", "Section")
        left.addWidget(self.cases_heading)
        self.cases = EmptySaid()  # "no cases yet", and how to get one, while it is empty
        self.cases.setAccessibleName("my cases")
        self.cases.setWordWrap(True)
        self.cases.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # lines wrap instead
        self.cases.setResizeMode(QListWidget.ResizeMode.Adjust)  # wrapped again when a scroll bar takes room
        self.cases.setItemDelegate(WrappedLines(self.cases))
        self.cases.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)  # a line taller than the list: a bar
        self.cases.itemSelectionChanged.connect(self._case_chosen)
        self.cases.installEventFilter(self)  # its lines wrap anew at another width: measured again
        left.addWidget(self.cases, 1)
        code_row = QHBoxLayout()
        self.code = QLineEdit()
        self.code.returnPressed.connect(self.open_code)
        self.open_code_button = button("")
        self.open_code_button.clicked.connect(self.open_code)
        code_row.addWidget(self.code, 1)
        code_row.addWidget(self.open_code_button)
        left.addLayout(code_row)
        tools = QGridLayout()  # two by two: the queue column stays narrow, the case beside it gets the room
        self._tools = tools
        self.phone_button = button("", "", "phone")
        self.phone_button.clicked.connect(self.to_phone)
        self.phone_button.setEnabled(self.public_web)
        self.insights_button = button("", "", "scale")
        self.insights_button.clicked.connect(self.show_insights)
        self.appointments_button = button("", "", "clock")
        self.appointments_button.clicked.connect(self.show_appointments)
        self.appointments_button.setEnabled(self.config is not None)
        self.repairs_button = button("", "", "repair")
        self.repairs_button.clicked.connect(self.show_repairs)
        self.repairs_button.setEnabled(self.config is not None)
        tools.addWidget(self.phone_button, 0, 0)
        tools.addWidget(self.appointments_button, 0, 1)
        tools.addWidget(self.repairs_button, 1, 0)
        tools.addWidget(self.insights_button, 1, 1)
        left.addLayout(tools)
        columns.addLayout(left, 3)

        middle = QVBoxLayout()
        self._middle = middle
        self.case = QTextBrowser()  # the sheet: who and where, answers, shortlist, what happened
        self.case.setOpenLinks(False)
        self.case.installEventFilter(self)  # a width that changes the answers' columns: laid out again
        self._columns = 0
        middle.addWidget(self.case, 1)
        close_row = QHBoxLayout()
        self.book_button = button("", "", "clock")  # an appointment for the customer, with their advice
        self.book_button.clicked.connect(self.book_for_case)
        self.book_button.hide()  # (a case whose area has appointments)
        close_row.addWidget(self.book_button)
        close_row.addStretch(1)
        self.close_button = button("")
        self.close_button.clicked.connect(self.close_case)
        close_row.addWidget(self.close_button)
        middle.addLayout(close_row)
        columns.addLayout(middle, 5)

        right = QVBoxLayout()
        self._right = right
        self.chat_heading = label("", "Section")
        right.addWidget(self.chat_heading)
        self.chat = QListWidget()
        self.chat.setAccessibleName("chat")
        self.chat.setWordWrap(True)
        self.chat.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # lines wrap instead
        self.chat.setResizeMode(QListWidget.ResizeMode.Adjust)  # wrapped again when a scroll bar takes room
        self.chat.setItemDelegate(WrappedLines(self.chat))  # a long line whole ("… — wird gesendet …"), not cut
        self.chat.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)  # the newest line at the very bottom
        right.addWidget(self.chat, 5)  # the room the notes and "change an answer" leave: several messages at once
        send_row = QHBoxLayout()
        self.message = WholePlaceholder()  # "Nachricht an den Kunden" whole, not "Nachricht an den Kun…"
        self.message.returnPressed.connect(self.send)
        self.send_button = button("", "Primary")
        self.send_button.clicked.connect(self.send)
        send_row.addWidget(self.message, 1)
        send_row.addWidget(self.send_button)
        right.addLayout(send_row)
        notes_row = QHBoxLayout()
        self._notes_top = notes_row
        self.notes_heading = label("", "Section")
        self.notes_state = label("", "Saved", wrap=False)
        self.notes_state.setAccessibleName("notes saved")
        notes_row.addWidget(self.notes_heading, 1)
        notes_row.addWidget(self.notes_state)
        right.addLayout(notes_row)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)  # Tab moves on to "change an answer", as in every other field
        self.notes.textChanged.connect(self._notes_typed)
        self.notes.setObjectName("Notes")  # four lines high at least (console_style); the chat gets the rest
        right.addWidget(self.notes, 1)
        self.change_heading = label("", "Section")
        right.addWidget(self.change_heading)
        self.edit_step = ShortenedComboBox()  # a long question does not widen the column
        self.edit_step.setAccessibleName("question")
        self.edit_step.currentIndexChanged.connect(lambda *_: self._fill_values())
        self.edit_value = ShortenedComboBox()
        self.edit_value.setAccessibleName("answer")
        self.edit_number = QSpinBox()
        self.edit_number.setAccessibleName("answer")
        self.edit_number.hide()
        self.edit_multi = QListWidget()  # several answers: each option ticked or not
        self.edit_multi.setAccessibleName("answers")
        self.edit_multi.hide()
        for widget in (self.edit_step, self.edit_value, self.edit_number):
            right.addWidget(widget)
        right.addWidget(self.edit_multi, 2)
        self.save_answer = button("")
        self.save_answer.clicked.connect(self.change_answer)
        right.addWidget(self.save_answer)
        columns.addLayout(right, 4)
        self._add_keys(page)
        return page

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange()
        if self._compact:  # the lists' room, measured once laid out at this size
            QTimer.singleShot(0, self._fit_cases)

    def _arrange(self) -> None:
        """Lower than COMPACT_BELOW (a laptop at 150 %), who waits, my cases and the chat stay readable at a glance:
        "claim" beside the queue's heading, the tools as icons beside the alert, the notes under the case (the chat
        gets their room). Higher, as built."""
        compact = self.height() < COMPACT_BELOW
        if compact == self._compact:
            return
        self._compact = compact
        left, middle, right = self._left, self._middle, self._right
        tools = ((self.phone_button, 0, 0), (self.appointments_button, 0, 1), (self.repairs_button, 1, 0),
                 (self.insights_button, 1, 1))  # fmt: skip
        if compact:
            left.removeWidget(self.claim_button)
            self._queue_top.addWidget(self.claim_button)
            self._top.addStretch()  # (no alert: the icons stay at the right)
            for widget, _, _ in tools:
                self._tools.removeWidget(widget)
                self._top.addWidget(widget)
            self._move_notes(right, middle, middle.indexOf(self.case) + 1)
        else:
            self._queue_top.removeWidget(self.claim_button)
            left.insertWidget(left.indexOf(self.queue) + 1, self.claim_button)
            for widget, row, column in tools:
                self._top.removeWidget(widget)
                self._tools.addWidget(widget, row, column)
            self._top.takeAt(1)  # the stretch
            self._move_notes(middle, right, right.indexOf(self.change_heading))
        self.queue_heading.setWordWrap(not compact)  # beside "claim": whole, the column as wide as that takes
        self._name_tools()
        self._fit_cases()

    def _move_notes(self, source: QVBoxLayout, target: QVBoxLayout, at: int) -> None:
        """The notes, their heading first, from one column to the other at `at`."""
        source.removeItem(self._notes_top)
        source.removeWidget(self.notes)
        self._notes_top.setParent(None)  # (a layout is taken into another only without a parent)
        target.insertLayout(at, self._notes_top)
        target.insertWidget(at + 1, self.notes, 1)
        self.notes.setMaximumHeight(self.notes.minimumHeight() if target is self._middle else QWIDGETSIZE_MAX)

    def _add_keys(self, page: QWidget) -> None:
        """The console's keys (`KEYS`), live while the console is on screen (never on the sign-in page)."""

        def to_code() -> None:
            self.code.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.code.selectAll()

        def if_enabled(key: QPushButton, action: Callable[[], None]) -> None:
            if key.isEnabled():
                action()

        actions: dict[str, Callable[[], None]] = {
            "claim": self.claim_next,
            "code": to_code,
            "queue": lambda: self._focus_list(self.queue),
            "cases": lambda: self._focus_list(self.cases),
            "message": lambda: self.message.setFocus(Qt.FocusReason.ShortcutFocusReason),
            "notes": lambda: self.notes.setFocus(Qt.FocusReason.ShortcutFocusReason),
            "save_notes": lambda: self.save_notes() if self.notes_unsaved else None,
            "appointments": lambda: if_enabled(self.appointments_button, self.show_appointments),
            "repairs": lambda: if_enabled(self.repairs_button, self.show_repairs),
            "phone": lambda: if_enabled(self.phone_button, self.to_phone),
            "insights": self.show_insights,
        }
        for name, keys in KEYS.items():
            for sequence in keys:
                shortcut = QShortcut(QKeySequence(sequence), page)
                shortcut.setContext(Qt.ShortcutContext.WindowShortcut)  # (a hidden page's keys do nothing)
                shortcut.activated.connect(actions[name])

    def _focus_list(self, widget: QListWidget) -> None:
        """The keys reach a list: at its chosen line, else at its first, which is then chosen."""
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if chosen_item(widget) is None and widget.count():
            widget.setCurrentRow(0)

    def claim_next(self) -> None:
        """Claim the chosen waiting customer, or, with none chosen, the one waiting longest (the queue's first)."""
        if chosen_item(self.queue) is None:
            if not self.queue.count():
                return
            self.queue.setCurrentRow(0)
        self.queue.setFocus(Qt.FocusReason.ShortcutFocusReason)  # as Enter on its line: the case opens at the chat
        self.claim()

    def _key_hint(self, name: str) -> str:
        """A key as staff read it on their keyboard ("Strg+T" in German)."""
        shown = QKeySequence(KEYS[name][0]).toString(QKeySequence.SequenceFormat.PortableText)
        return shown.replace("Ctrl+", self.t("console.key.ctrl") + "+").replace("Return", self.t("console.key.enter"))

    def _current_case(self) -> CaseKey | None:
        item = chosen_item(self.cases)
        return tuple(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _selected_case(self) -> Case | None:
        case = self.view.case if self.view is not None else None
        return case if case is not None and case.key == self._current_case() else None

    def _write(
        self, work: Callable[[], Any], then: Callable[[Any], None] | None = None,
        refused: Callable[[Exception], None] | None = None, *, replaces: str | None = None,
    ) -> None:  # fmt: skip
        """A change off the GUI thread, in line with the others (`ChangeLine`); then the console reads again.
        Refusals are shown, not raised."""
        self.changes.write(work, then, refused, replaces=replaces)

    def _change_stored(self) -> None:
        if self._waits_said is not None:
            self._stored_since += 1
            if not self.changes.pending:
                self._journal_answered()
        if not self.changes.pending and self.notice and self.notice == self._pending_said:
            self.dismiss()  # every change is stored: the notice is no longer true
        self.refresh(force=True)

    def _pending_words(self) -> str:
        count = len(self.changes.pending)
        return self.t(f"console.problem.waiting.{'one' if count == 1 else 'other'}", count=count)

    def _say_pending(self) -> None:
        self._pending_said = self._pending_words()
        self._say(self._pending_said)
        count, now = len(self.changes.pending), time.monotonic()
        said = self._waits_said
        if said is None or (count != said[0] and now - said[1] >= WAITS_SAID_S):
            self._waits_said = (count, now)
            self.journal.down = True  # (its end is said with what was stored meanwhile)
            waits = "1 change waits" if count == 1 else f"{count} changes wait"
            self.journal.say(f"{waits} for the database ({self.journal.where}) and will be stored once it answers")

    def _journal_answered(self) -> None:
        """The database answers again: said once, with the changes stored since they waited; while some still
        wait, when the last of them is stored."""
        if self._waits_said is not None and self.changes.pending:
            return
        stored, self._stored_since = self._stored_since, 0
        detail = "" if self._waits_said is None else f"; {stored} change{'' if stored == 1 else 's'} stored"
        self._waits_said = None
        self.journal.answered(detail)

    def _problem(self, error: Exception, *, reading: bool = False) -> None:
        """A refusal or a failure, said in the console's language (the details go to the log). The database out of
        reach while `reading` is said until a reading works again; an action it did not take (opening a code, the
        phone's QR code) is said until dismissed, as staff must try it again."""
        from sqlalchemy.exc import SQLAlchemyError

        from advisor.session.refusals import refusal
        from advisor.session.store import SessionGone

        if isinstance(error, SQLAlchemyError):
            self.journal.failed(error)  # once per outage, not at every reading while it stays down
            if not reading:  # an action not taken (a code opened): said until dismissed, with what waits to be stored
                waiting = f" {self._pending_words()}" if self.changes.retrying else ""
                self._say(self.t("console.problem.not_done") + waiting)
            elif self.changes.retrying:  # (what waits to be stored is the news that matters)
                self._say_pending()
            else:
                self._say(self.t("console.problem.database"))
            self._database_down = True
            return
        sys.stderr.write(f"advisor staff: {type(error).__name__}: {error}\n")
        if isinstance(error, SessionGone):
            self._say(self.t("console.problem.gone"))
        elif isinstance(error, ValueError):  # a refusal: a wrong answer, a request already ended …
            self._say(refusal(error, self.staff_locale))
        else:
            self._say(self.t("console.problem.refused", reason=type(error).__name__))

    def _say(self, notice: str) -> None:
        """A message for the staff member: it stays until dismissed (or replaced by the next one)."""
        self.notice_text.setText(notice)
        self.notice_box.show()

    def _say_about(self, case: CaseKey | None, notice: str) -> None:
        """A notice about one case (its notes merged, an answer changed, whose it is): it goes when another case is
        shown, so it is not read as about that one. `case` may name only its request (0: none) or its session ("")."""
        self._say(notice)
        self._said_about = (case, notice) if case is not None else None

    def _forget_case_notice(self) -> None:
        """Another case shows: a notice about the one shown before goes."""
        shown = self._current_case()
        if shown == self._case_shown:
            return
        self._case_shown = shown
        said = self._said_about
        if said is None:
            return
        (request_id, session_id), notice = said
        if shown is not None and ((request_id and request_id == shown[0]) or (session_id and session_id == shown[1])):
            return  # (the case it is about, now selected: a claim's, a code's)
        self._said_about = None
        if self.notice == notice:
            self.dismiss()

    def _say_ended(self, notices: list[str]) -> None:
        """Cases the shoppers ended: each one named, added to those still shown (two who leave at once, or one
        read apart, are both told)."""
        if self.notice != "\n".join(self._ended_said):
            self._ended_said = []
        self._ended_said += notices
        self._say("\n".join(self._ended_said))

    @property
    def notice(self) -> str:
        return self.notice_text.text() if self.notice_box.isVisibleTo(self) else ""

    def dismiss(self) -> None:
        self.notice_text.setText("")
        self.notice_box.hide()

    def set_questionnaires(self, questionnaires: dict[str, Questionnaire]) -> None:
        """New versions of the questionnaire files: cases are read with them from now on (the shown case too)."""
        self.questionnaires = dict(questionnaires)
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> None:
        """Read the queue and cases again when the tables changed (the database is the truth), off the GUI thread."""
        from advisor.session.cases import console_view

        if self.staff is None:
            return
        if self._reading:
            self._again = self._again or force
            return
        self._reading = True
        staff, opened, selected, watcher = self.staff, dict(self.opened), self._current_case(), self.watcher
        engine, questionnaires, index_for, desk = self.engine, self.questionnaires, self._index_for, self.desk()
        catalog, unclaimed_after = self.catalog, self.unclaimed_after()
        known = tuple(self._known - self._closing)
        preview = self._previewed()
        stamp = self._notes_stores

        def read() -> ConsoleView | None:  # no Qt object in here: it runs on a worker
            if not (watcher.changed() or force):
                return None
            return console_view(engine, staff=staff, opened=opened, selected=selected, questionnaires=questionnaires,
                                index_for=index_for, desk=desk, known=known, catalog=catalog,
                                preview=preview, unclaimed_after=unclaimed_after)  # fmt: skip

        def failed(error: Exception) -> None:
            self._reading = False
            self._problem(error, reading=True)

        def shown(view: ConsoleView | None) -> None:
            if view is not None:  # (None: nothing changed, the view shown stays)
                self._read_stamp = stamp
            self._show_view(view, preview)

        self.reads.run(read, shown, failed)

    def unclaimed_after(self) -> timedelta:
        """How long a request waits for a claim before it expires (the store's privacy setting; 30 minutes by
        default): the queue no longer lists, nor rings for, one that waited longer."""
        from advisor.config import PrivacyConfig

        return (self.config.privacy if self.config is not None else PrivacyConfig()).unclaimed_after

    def _previewed(self) -> int | None:
        """The waiting request whose case the middle shows before it is claimed: the queue's chosen line, while no
        case of "my cases" is chosen."""
        item = chosen_item(self.queue)
        if item is None or self._current_case() is not None:
            return None
        return int(item.data(Qt.ItemDataRole.UserRole))

    def _queue_chosen(self) -> None:
        """A waiting customer chosen by hand (a click, the arrow keys): the middle previews their case, so staff see
        what they look for before claiming; the case chosen before waits in "my cases" (its notes saved, its typed
        message kept), one click away."""
        if chosen_item(self.queue) is None:
            return
        if self._current_case() is not None:
            self.cases.blockSignals(True)
            self.cases.setCurrentRow(-1)
            self.cases.blockSignals(False)
            self.close_button.setEnabled(False)
            self.show_case()
            self.show_chat()
            self.show_notes()
            self._fill_steps()
        self.refresh(force=True)

    def _show_view(self, view: ConsoleView | None, previewed: int | None = None) -> None:
        self._reading = False
        self._journal_answered()
        if self._database_down:  # the database answers again: its notice is no longer true
            self._database_down = False
            if self.notice == self.t("console.problem.database"):
                self.dismiss()
        if view is not None:
            shown = self._selected_case()
            if shown is not None and shown.key[0] in {request_id for request_id, _ in view.ended}:
                # headed by whose it was: beside the next customer's case it is not read as theirs
                heading = self.t("console.chat.ended_of", code=shown_code(shown.record.resume_code))
                self._ended_chat = (heading, *(self._chat_line(line) for line in shown.messages))
            self.view = view
            after = view.case
            if shown is not None and after is not None and after.key == shown.key and after.sheet and shown.sheet:
                # a colleague took or changed the customer shown: said, not only changed on the sheet
                said = [line for line in after.sheet.colleagues if line not in shown.sheet.colleagues]
                if said:
                    self._say_about(after.key, "\n".join(said))
            self._known = {key[0] for key in (line.key for line in view.cases) if key[0] is not None}
            if view.ended:
                self._say_ended([notice for _, notice in view.ended])
            for request_id, _ in view.ended:
                self._seen.pop(request_id, None)
            self._show_queue(view)
            self._show_cases(view)
            self.show_case()
            self.show_chat()
            self.show_notes()
            self._fill_steps()
            if view.problem:
                self._say(view.problem)
            if not view.present:  # the same staff member closed another console: this one is still here
                self._report_presence()
            if self._previewed() not in (None, previewed):  # (the queue's first line, chosen as it was listed)
                self._again = True
        if self._again:
            self._again = False
            self.refresh(force=True)

    def _show_queue(self, view: ConsoleView) -> None:
        current = chosen_item(self.queue)
        chosen = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self.queue.blockSignals(True)  # rebuilding the list is not the user choosing another customer
        self.queue.clear()
        self._queue_lines = view.queue
        desk, now = self.desk(), datetime.now(UTC)
        for line in view.queue:
            item = QListWidgetItem(line.shown(desk, now))
            item.setData(Qt.ItemDataRole.UserRole, line.entry.request_id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, line.said(desk, now))
            if line.in_person:  # someone stands at the kiosk: marked on the first line, to stand out from a chat
                item.setIcon(QIcon(str(ICONS / "person.svg")))
                item.setBackground(QColor(IN_PERSON))
                item.setToolTip(self.t("console.in_person"))
            self.queue.addItem(item)
            if line.entry.request_id == chosen:
                self.queue.setCurrentItem(item)
        if view.queue and chosen_item(self.queue) is None:
            self.queue.setCurrentRow(0)
        self.queue.blockSignals(False)
        waiting = len(view.queue)
        self.alert.setVisible(bool(waiting))
        if waiting:
            self.alert_text.setText(self.t("console.alert.one" if waiting == 1 else "console.alert.other",
                                           count=waiting))  # fmt: skip
            new = [line for line in view.queue if line.entry.request_id not in self._alerted]
            if new:
                self._alerted.update(line.entry.request_id for line in new)
                self._call_attention(new[0].shown(desk, now).replace("\n", " · "))
            if not self.ring_timer.isActive():
                self.ring_timer.start()
        else:
            self.ring_timer.stop()
        self.claim_button.setEnabled(bool(waiting))

    def _show_waits(self) -> None:
        """Say each waiting customer's wait anew from the request times already read (a minute passes without any
        change in the database)."""
        desk, now = self.desk(), datetime.now(UTC)
        for row, line in enumerate(self._queue_lines[: self.queue.count()]):
            item, shown = self.queue.item(row), line.shown(desk, now)
            if item.text() != shown:
                item.setText(shown)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, line.said(desk, now))

    def _call_attention(self, line: str) -> None:
        """A new customer waits: ring, flash the taskbar, raise a minimised console, and a desktop notification
        where the desktop has one."""
        self._ring()
        if QApplication.platformName() in ("offscreen", "minimal"):
            return  # no desktop to raise the window on or to notify
        QApplication.alert(self, 0)
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self.tray is None:
                self.tray = QSystemTrayIcon(self.windowIcon(), self)
                self.tray.show()
            self.tray.showMessage(self.t("console.notify.title"), line)

    def _ring(self) -> None:
        """The waiting sound (a chime where the machine has audio, else the system beep)."""
        self.rings += 1
        if self.sound is None:
            self.sound = _chime()
        if self.sound is not None:
            self.sound.play()
        else:
            QApplication.beep()

    def _show_cases(self, view: ConsoleView) -> None:
        selected = self._current_case()
        self.cases.blockSignals(True)  # rebuilding the list is not the user choosing another case
        self.cases.clear()
        for line in view.cases:
            request_id = line.key[0]
            if request_id in self._closing:
                continue  # closed here, its close perhaps still waiting for the database: off the screen at once
            if request_id is not None and request_id not in self._seen:
                self._seen[request_id] = 0
            unread = line.shopper_messages - self._seen.get(request_id, 0) if request_id is not None else 0
            if selected is not None and tuple(selected) == line.key:
                unread = 0
            shown = f"● {line.text}\n   {self._unread_text(unread)}" if unread > 0 else line.text
            item = QListWidgetItem(shown)
            item.setData(Qt.ItemDataRole.UserRole, line.key)
            item.setData(Qt.ItemDataRole.UserRole + 1, unread)
            if unread > 0:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.cases.addItem(item)
            if selected is not None and tuple(selected) == line.key:
                self.cases.setCurrentItem(item)
        self.cases.blockSignals(False)
        self.close_button.setEnabled(chosen_item(self.cases) is not None)
        self._fit_cases()

    def _fit_cases(self) -> None:
        """The list of my cases takes only the room its lines need (at least one line's): the queue above gets the
        rest, so who waits, how long and where stays readable on a laptop. The lines are measured as laid out, wrapped
        at the list's width (again when that changes)."""
        self.cases.doItemsLayout()
        rows = sum(self.cases.visualItemRect(self.cases.item(row)).height() for row in range(self.cases.count()))
        least = max(self.cases.fontMetrics().height() * 2, self.cases.empty_height()) + 12
        frames = 2 * self.cases.frameWidth()
        most = max(rows, least) + frames
        if self._compact:  # two waiting customers whole before all of my cases: the tallest whole, the rest scroll
            self.queue.doItemsLayout()
            queue = [self.queue.visualItemRect(self.queue.item(row)).height() for row in range(self.queue.count())]
            cases = [self.cases.visualItemRect(self.cases.item(row)).height() for row in range(self.cases.count())]
            two, tallest = sum(queue[:2]), max(cases, default=0)
            room = self.queue.height() + self.cases.height()  # the two lists' share of the column, as laid out
            most = max(min(most, room - two - 2 * self.queue.frameWidth()), tallest + frames, least + frames)
        self.cases.setMaximumHeight(most)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            watched is self.cases
            and event.type() == QEvent.Type.Resize
            and isinstance(event, QResizeEvent)
            and event.oldSize().width() != event.size().width()
        ):
            QTimer.singleShot(0, self._fit_cases)
        if (
            watched is getattr(self, "case", None)
            and event.type() == QEvent.Type.Resize
            and self._columns != self._answer_columns()
        ):
            self._columns = self._answer_columns()
            QTimer.singleShot(0, self.show_case)
        return super().eventFilter(watched, event)

    def _unread_text(self, count: int) -> str:
        return self.t("console.unread.one" if count == 1 else "console.unread.other", count=count)

    def unread(self) -> dict[CaseKey, int]:
        """The unread marks as shown: each case's shopper messages not yet read."""
        return {
            tuple(item.data(Qt.ItemDataRole.UserRole)): int(item.data(Qt.ItemDataRole.UserRole + 1) or 0)
            for item in (self.cases.item(row) for row in range(self.cases.count()))
        }

    def _case_chosen(self) -> None:
        self.close_button.setEnabled(chosen_item(self.cases) is not None)
        self.refresh(force=True)

    def show_case(self) -> None:
        """The whole case as a sheet: who and where, the answers, the shortlist as the customer sees it, what
        happened (worked out off the GUI thread with the same session service as the shopper's screens)."""
        self._apply_selection()
        self._forget_case_notice()
        case = self._selected_case()
        self.book_button.setVisible(self._bookable(case))
        if case is None or case.sheet is None:
            waiting = self.view.preview if self.view is not None else None
            if (
                case is None
                and waiting is not None
                and waiting.sheet is not None
                and (waiting.key[0] == self._previewed())
            ):  # a waiting customer chosen in the queue: what they look for, before claiming
                self.case.setHtml(sheet_html(waiting.sheet, self.t, preview=True, columns=self._answer_columns()))
                return
            self.case.setPlainText(self.t("console.empty_case"))
            return
        request_id = case.key[0]
        if request_id is not None:  # read now (its line in "my cases" already shows no mark: it is selected)
            self._seen[request_id] = sum(1 for line in case.messages if line.sender == "shopper")
        scroll = self.case.verticalScrollBar().value()
        new = frozenset(self.new_steps.get(case.key[1], ()))
        self.case.setHtml(sheet_html(case.sheet, self.t, new, columns=self._answer_columns()))
        self.case.verticalScrollBar().setValue(scroll)

    def _answer_columns(self) -> int:
        """Answers two to a line where the sheet is wide enough for two labels and answers without breaking a word
        (1280 wide), else one to a line (1024)."""
        return 2 if self.case.viewport().width() >= ANSWERS_SIDE_BY_SIDE else 1

    def case_text(self) -> str:
        """The case as the staff member reads it (plain text)."""
        return self.case.toPlainText()

    def _fill_steps(self) -> None:
        """The questions to change, by the short labels of the case's answers ("Einsatz (offen)"): whole in a
        narrow column; the question as the customer read it is each entry's tooltip, to ask it word for word."""
        case = self._selected_case()
        wanted = self._want_step or self.edit_step.currentData()
        self.edit_step.blockSignals(True)
        self.edit_step.clear()
        if case is not None and case.sheet is not None:
            for row in case.sheet.answers:
                shown = row.label or row.question
                if row.open:
                    new = row.step_id in self.new_steps.get(case.key[1], ())
                    flag = "console.new_step.short" if new else "console.open_step.short"
                    shown = f"{shown} ({self.t(flag)})"
                self.edit_step.addItem(shown, row.step_id)
                self.edit_step.setItemData(self.edit_step.count() - 1, row.question, Qt.ItemDataRole.ToolTipRole)
            if wanted is not None and self.edit_step.findData(wanted) >= 0:
                self.edit_step.setCurrentIndex(self.edit_step.findData(wanted))
                self._want_step = None
        self.edit_step.blockSignals(False)
        for widget in (self.change_heading, self.edit_step, self.save_answer):
            widget.setVisible(case is not None)
        self.save_answer.setEnabled(case is not None and self.edit_step.count() > 0)
        self._fill_values()

    def _fill_values(self) -> None:
        """The editor for the chosen question, with the customer's current answer chosen."""
        from advisor.questionnaire.model import DONT_CARE

        self.edit_value.clear()
        self.edit_multi.clear()
        case = self._selected_case()
        step_id = self.edit_step.currentData()
        if case is None or step_id is None:
            for widget in (self.edit_value, self.edit_number, self.edit_multi):
                widget.hide()
            return
        session = case.session
        step = session.questionnaire.step(step_id)
        current = session.state.answers.get(step_id)
        self.edit_number.setVisible(step.kind == "number")
        self.edit_multi.setVisible(step.kind == "multiple")
        self.edit_value.setVisible(step.kind in ("single", "yes_no") or bool(step.dont_care and step.kind == "number"))
        if step.kind == "number":
            self.edit_number.setRange(int(step.min or 0), int(step.max or 100))
            self.edit_number.setSingleStep(int(step.step or 1))
            unit = unit_text(step.unit, self.staff_locale)  # (a unit without a word, "cm", "°C", as written)
            self.edit_number.setSuffix(f" {unit}" if unit else "")
            self.edit_number.setValue(int(current) if isinstance(current, int | float) else int(step.default or 0))
            self.edit_value.addItem(self.t("console.number_value"), None)
        elif step.kind == "yes_no":
            self.edit_value.addItem(text("answer.yes", self.staff_locale), True)
            self.edit_value.addItem(text("answer.no", self.staff_locale), False)
        elif step.kind == "single":
            for option in step.options:
                self.edit_value.addItem(pick(option.label, self.staff_locale), option.id)
        else:
            chosen = set(current) if isinstance(current, tuple | list) else set()
            for option in step.options:
                item = QListWidgetItem(pick(option.label, self.staff_locale))
                item.setData(Qt.ItemDataRole.UserRole, option.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if option.id in chosen else Qt.CheckState.Unchecked)
                self.edit_multi.addItem(item)
        if step.dont_care and step.kind != "multiple":
            self.edit_value.addItem(display_answer(step, DONT_CARE, self.staff_locale,
                                                   service=session.questionnaire.is_service), DONT_CARE)  # fmt: skip
        found = self.edit_value.findData(DONT_CARE if current == DONT_CARE else current)
        self.edit_value.setPlaceholderText(self.t("console.choose_answer"))
        if current is None and step.kind in ("single", "yes_no"):
            self.edit_value.setCurrentIndex(-1)  # a question still open shows no answer as if it were the customer's
        elif step.kind != "number" or current == DONT_CARE:
            self.edit_value.setCurrentIndex(max(0, found))

    def chosen_answer(self) -> Any:
        """The answer the editor holds now."""
        from advisor.questionnaire.model import DONT_CARE

        case = self._selected_case()
        step_id = self.edit_step.currentData()
        if case is None or step_id is None:
            return None
        step = case.session.questionnaire.step(step_id)
        if step.kind == "multiple":
            return tuple(
                self.edit_multi.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.edit_multi.count())
                if self.edit_multi.item(row).checkState() == Qt.CheckState.Checked
            )  # fmt: skip
        if step.kind == "number":
            return DONT_CARE if self.edit_value.currentData() == DONT_CARE else self.edit_number.value()
        return self.edit_value.currentData()

    def change_answer(self) -> None:
        """Change one answer for the customer and re-run the advice; the kiosk shows the new results. Every other
        answer stays; a question the change brings up is named."""
        from advisor.session.cases import change_answer

        case = self._selected_case()
        step_id = self.edit_step.currentData()
        if case is None or step_id is None:
            return
        value = self.chosen_answer()
        if value is None:  # an open question, no answer chosen yet
            self._say_about(case.key, self.t("console.choose_answer"))
            return
        session_id, key = case.key[1], case.key
        questionnaire = case.session.questionnaire
        engine, questionnaires, index_for = self.engine, self.questionnaires, self._index_for

        def changed(opened: tuple[str, ...]) -> None:
            self.new_steps.setdefault(session_id, set()).update(opened)
            if opened:
                steps = ", ".join(pick(questionnaire.step(s).question, self.staff_locale) for s in opened)
                self._say_about(key, self.t("console.changed_opened", steps=steps))
                self._want_step = opened[0]
            else:
                self._say_about(key, self.t("console.changed"))

        staff = self.staff  # (named on a colleague's console showing this customer)
        self._write(lambda: change_answer(engine, session_id, step_id, value, questionnaires=questionnaires,
                                          index_for=index_for, staff=staff), changed)  # fmt: skip

    # -- notes: saved as typed -----------------------------------------------------------------------------

    def _notes_typed(self) -> None:
        if self.notes.isReadOnly() or self._notes_case is None:
            return
        if keep_within(self.notes, MAX_NOTES):  # (what the database takes; the cut calls this again)
            self._say_about(self._current_case(), self.t("console.appt.notes_limit", count=MAX_NOTES))
            return
        if self.notes.toPlainText() != self.notes_saved:
            self.notes_state.setText(self.t("console.notes.saving"))
            self.notes_timer.start()

    @property
    def notes_unsaved(self) -> bool:
        return self._notes_case is not None and self.notes.toPlainText() != self.notes_saved

    def save_notes(self) -> None:
        """Hand the notes on to be stored, in line with the other changes: kept (and tried again) while the database
        takes nothing, also when staff open another case or close this one meanwhile. They build on the notes as this
        console last read them: what a colleague wrote since is kept (the field then shows both, and the console
        says so)."""
        from advisor.session.cases import save_case_notes

        self.notes_timer.stop()
        kept, notes = self._notes_case, self.notes.toPlainText()
        if kept is None:
            return
        self.notes_saved = self._notes_waiting[kept] = notes
        self.notes_state.setText(self.t("console.notes.saving"))

        def saved(result: tuple[str, SavedNotes]) -> None:
            sent, stored, cut = result[0], result[1].notes, result[1].cut
            self._notes_stores += 1
            self._notes_base[kept] = stored
            latest = self._notes_waiting.get(kept)
            if latest == sent:
                del self._notes_waiting[kept]
            if stored != sent.replace("\t", " "):  # a colleague's notes came first: what is typed here builds on both
                self._rebase_notes(kept, sent, stored, cut)
            if self._notes_case == kept and self.notes.toPlainText() in (sent, stored):
                self.notes_state.setText(self.t("console.notes.saved",
                                                time=datetime.now(self.zone).strftime("%H:%M")))  # fmt: skip

        def refused(error: Exception) -> None:  # (the case ended meanwhile …): said, and the notes stay on screen
            if self._notes_waiting.get(kept) == notes:
                del self._notes_waiting[kept]
            if self._notes_case == kept:
                self.notes_saved = ""
                self.notes_state.setText(self.t("console.notes.failed"))
            self._problem(error)

        engine, waiting, bases = self.engine, self._notes_waiting, self._notes_base

        def store() -> tuple[str, SavedNotes]:  # (the notes typed last and the base as the database takes them)
            sent = waiting.get(kept, notes)
            return sent, save_case_notes(engine, kept, sent, base=bases.get(kept))

        self._write(store, saved, refused, replaces=f"notes:{kept[0]}:{kept[1]}")

    def _rebase_notes(self, kept: NotesKey, sent: str, stored: str, cut: str = "") -> None:
        """The notes stored are `sent` merged with a colleague's: what this console shows or still sends for them
        builds on the merged notes, and the console says that both are in (or, where together they came to more than
        a note holds, which end of this console's words is not: `cut`)."""
        from advisor.handoff.chat import rebased_notes

        if kept in self._notes_waiting:
            self._notes_waiting[kept] = rebased_notes(self._notes_waiting[kept], sent, stored)
        if self._notes_case != kept:
            return
        self.notes_saved = self._notes_waiting.get(kept, stored)
        self._put_notes(rebased_notes(self.notes.toPlainText(), sent, stored), from_end=True)
        if cut:  # (kept on the clipboard, to paste where it still has room)
            QApplication.clipboard().setText(cut)
        self._say_about(self._current_case(), self.t("console.notes.merged_cut", count=MAX_NOTES, cut=len(cut)) if cut
                        else self.t("console.notes.merged"))  # fmt: skip

    def _put_notes(self, notes: str, *, from_end: bool = False) -> None:
        """The notes field shows `notes` (no save follows), its cursor and scroll where they were; `from_end`: as far
        from the end as before (this console's words, added after a colleague's)."""
        shown = self.notes.toPlainText()
        if notes == shown:
            return
        at = code_points(shown, self.notes.textCursor().position())
        if from_end and notes.endswith(shown[at:]):
            at = len(notes) - len(shown[at:])
        scrolled = self.notes.verticalScrollBar().value()
        self.notes.blockSignals(True)
        self.notes.setPlainText(notes)
        self.notes.blockSignals(False)
        cursor = self.notes.textCursor()
        cursor.setPosition(utf16_length(notes[: min(at, len(notes))]))
        self.notes.setTextCursor(cursor)
        self.notes.verticalScrollBar().setValue(scrolled)

    def show_notes(self) -> None:
        """The notes of the case shown, where the case keeps them (its request; opened by code, the customer's
        latest request; a checked-in appointment, the appointment): shut only where there is no such place. A
        colleague's newer notes show at the next read while nothing typed here waits to be saved (the cursor stays);
        "Gespeichert 14:05" stays while the same case does."""
        case = self._selected_case()
        kept = case.notes_key if case is not None else None
        self.notes.setEnabled(kept is not None)
        same = kept == self._notes_case
        if same and kept is not None and (self.notes_unsaved or kept in self._notes_waiting):
            return  # never overwrite what the staff member is typing, nor what is on its way
        if self.notes_unsaved and self._notes_case is not None:
            self.save_notes()  # switching cases: what was typed is saved first
        self._notes_case = kept
        if case is None or kept is None:
            notes = ""
        elif kept in self._notes_waiting:  # (notes still on their way are what was typed last)
            notes = self._notes_waiting[kept]
        elif kept in self._notes_base and self._read_stamp != self._notes_stores:
            notes = self._notes_base[kept]  # (read before this console stored them: the next read is newer)
        else:
            notes = self._notes_base[kept] = case.notes
        self.notes_saved = notes
        if same:
            self._put_notes(notes)
            return
        self.notes.blockSignals(True)
        self.notes.setPlainText(notes)
        self.notes.blockSignals(False)
        self.notes_state.setText("")

    # -- opening by code, chat, claim ---------------------------------------------------------------------

    def open_code(self) -> None:
        """Open a session by the code a shopper reads out (wrong codes limited per console, like the kiosks)."""
        import socket

        from advisor.insights.events import record_claim
        from advisor.session.cases import CodeOpened, open_code

        code, console = self.code.text(), f"console:{socket.gethostname()}"
        if not code.strip() or self.staff is None:  # nothing typed: nothing to open, and no wrong code counted
            return
        staff, unclaimed_after = self.staff, self.unclaimed_after()

        def opened(result: CodeOpened) -> None:
            self.code.clear()
            if result.request_id is not None:  # their waiting request is this staff member's now (or was already)
                self.opened.pop(result.session_id, None)
                self._select_request = result.request_id
                if result.taken_from is not None:  # (a shift change: said, as the chat says it to the customer)
                    self._say_about((result.request_id, result.session_id),
                                    self.t("console.taken_over", staff=result.taken_from))  # fmt: skip
            else:
                self.opened.setdefault(result.session_id, "code")
                self._select = result.session_id
                if result.held_by is not None:  # a colleague has this customer: said before anything is changed
                    self._say_about((None, result.session_id), self.t("console.held_by", staff=result.held_by))
            self.refresh(force=True)

        def refused(error: Exception) -> None:
            from advisor.session.refusals import refusal

            if isinstance(error, ValueError):  # a wrong code: said as the kiosk says it, in the console's language
                sys.stderr.write(f"advisor staff: {type(error).__name__}: {error}\n")
                self._say(self.t("console.problem.code", reason=refusal(error, self.staff_locale)))
            else:
                self._problem(error)

        engine = self.engine
        self.writes.run(
            lambda: open_code(engine, code, client=console, staff=staff,
                              unclaimed_after=unclaimed_after, in_transaction=record_claim),
            opened, refused,
        )  # fmt: skip

    def show_chat(self) -> None:
        case = self._selected_case()
        if self._focus_message and case is not None and case.key[0] is not None:
            self._focus_message = False
            self.message.setEnabled(True)
            self.message.setFocus(Qt.FocusReason.OtherFocusReason)
        self.chat.clear()
        open_request = case is not None and case.key[0] is not None
        self._keep_draft(case.key if case is not None and open_request else None)
        self.message.setEnabled(open_request)
        self.send_button.setEnabled(open_request)
        if case is None:
            if self._ended_chat:  # the customer of the case on screen left: what was said stays readable
                self.chat.addItems([*self._ended_chat, self.t("console.chat.ended")])
                self.chat.scrollToBottom()
            return
        self._ended_chat = ()
        for heading, said in case.earlier:  # the customer's other requests (closed ones too): to read
            self.chat.addItem(heading)
            self.chat.addItems([self._chat_line(line) for line in said])
        self.chat.addItems([self._chat_line(line) for line in case.messages])
        if case.chat_note:  # why there is nothing to write in ("Kein Chat: …")
            self.chat.addItem(case.chat_note)
        for key, words, typed_at in self._unsent:
            if key == case.key:
                self.chat.addItem(f"{typed_at:%H:%M} {self.staff}: {words} — {self.t('console.chat.unsent')}")
        self.chat.scrollToBottom()

    def _chat_line(self, line: Any) -> str:
        when = line.sent_at.astimezone(self.zone).strftime("%H:%M")
        if line.sender == "system":  # the kiosk's own note ("the customer left the kiosk")
            return f"{when} — {line.shown(self.staff_locale)}"
        who = line.author if line.sender == "staff" else self.t("console.customer")
        return f"{when} {who}: {line.text}"

    def _keep_draft(self, key: CaseKey | None) -> None:
        """The message field holds what was typed to the case shown: another case's text is kept for it (and back
        when it is shown again), so nothing typed to one customer goes to the next; a case that ended takes its
        text with it."""
        if key == self._draft_for:
            return
        if self._draft_for is not None and self.message.text().strip():
            self._drafts[self._draft_for] = self.message.text()
        listed = {line.key for line in self.view.cases} if self.view is not None else set()
        self._drafts = {case: words for case, words in self._drafts.items() if case in listed}
        self.message.setText(self._drafts.pop(key, "") if key is not None else "")
        self._draft_for = key

    def send(self) -> None:
        from advisor.handoff.chat import post_message

        case = self._draft_for  # the case the typed words are for
        words = self.message.text()
        if case is None or case[0] is None or not words.strip():
            return
        request_id, staff = case[0], self.staff
        unsent = (case, words, datetime.now(self.zone))
        self._unsent.append(unsent)  # shown in the chat as on its way until stored (it waits while the database does)
        self.message.clear()
        self.show_chat()

        def sent(_: Any) -> None:
            self._unsent.remove(unsent)
            self.show_chat()

        def refused(error: Exception) -> None:  # (the case ended meanwhile …): the words come back to be sent again
            self._unsent.remove(unsent)
            if self._draft_for == case and not self.message.text():
                self.message.setText(words)
            self._problem(error)
            self.show_chat()

        engine = self.engine
        self._write(
            lambda: post_message(engine, request_id, sender="staff", author=staff, text=words),
            sent, refused,
        )  # fmt: skip

    def claim(self) -> None:
        from advisor.handoff.requests import Outcome, claim_outcome
        from advisor.insights.events import record_claim

        item = chosen_item(self.queue)
        if item is None or self.staff is None:
            return
        request_id, staff = int(item.data(Qt.ItemDataRole.UserRole)), self.staff

        def claimed(result: Claimed) -> None:
            if result.outcome in (Outcome.WON, Outcome.YOURS):  # a second click of the same person: theirs all the same
                self._select_request = request_id
                if result.taken_from is not None:  # (a shift change: said, as the chat says it to the customer)
                    self._say_about((request_id, ""), self.t("console.taken_over", staff=result.taken_from))
            elif result.outcome == Outcome.ENDED:
                self._say(self.t("console.claim_ended"))
            else:
                self._say(self.t("console.faster", staff=result.by))

        engine = self.engine
        self._write(
            lambda: claim_outcome(engine, request_id, staff=staff, in_transaction=record_claim),
            claimed,
        )

    def _apply_selection(self) -> None:
        """After a claim or an opened code, select that case once it is in the list."""
        for row in range(self.cases.count()):
            request_id, session_id = self.cases.item(row).data(Qt.ItemDataRole.UserRole)
            if (self._select_request is not None and request_id == self._select_request) or (
                self._select is not None and session_id == self._select
            ):
                claimed = self._select_request is not None
                self._select_request = self._select = None
                self.cases.setCurrentRow(row)  # reads again with this case selected
                if claimed and self.queue.hasFocus():  # claimed by the keys: they go on in the case, at the chat
                    self._focus_message = True
                return

    def _raised(self, name: str) -> bool:
        """Whether the console's window `name` is open already: then it is raised (one window each, however often
        its button is pressed). One closed meanwhile (its reading stopped) goes; a new one opens."""
        view = getattr(self, name, None)
        if view is None or not shiboken6.isValid(view):
            return False
        if not view.isVisible():
            view.deleteLater()
            return False
        if view.isMinimized():
            view.showNormal()
        view.raise_()
        view.activateWindow()
        return True

    def show_insights(self) -> None:
        """The merchandisers' figures (staff sign-in required), in a window of their own, read when opened."""
        from ui.insights import InsightsView

        if self.staff is None or self._raised("insights"):
            return
        view = InsightsView(self.engine, self.questionnaires, self.catalog, locale=self.staff_locale, zone=self.zone,
                            store=self.config.store.id if self.config is not None else None)  # fmt: skip
        view.setWindowTitle(self.t("console.insights"))
        view.setObjectName("Insights")
        view.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        view.setParent(self, Qt.WindowType.Window)
        fit_to_screen(view, QSize(1100, 700))
        view.refresh()
        view.show()
        self.insights = view

    def show_appointments(self) -> None:
        """Today's and the coming days' appointments in a window of their own (staff sign-in required); a shopper
        checked in there opens in "my cases", continued live as a handoff is."""
        from ui.appointments import AppointmentsView

        if self.staff is None or self.config is None or self._raised("appointments"):
            return
        view = AppointmentsView(self.engine, config=self.config, questionnaires=self.questionnaires,
                                catalog=self.catalog, desk=self.desk(), on_checked_in=self.open_arrived,
                                on_check_in_undone=self.close_arrived)  # fmt: skip
        view.setStyleSheet(self.styleSheet())
        view.setParent(self, Qt.WindowType.Window)
        fit_to_screen(view, QSize(1280, 720))
        view.refresh()
        view.show()
        self.appointments = view

    def show_repairs(self) -> None:
        """The store's open repair orders in a window of their own (staff sign-in required), moved on by their
        buttons in the staff member's name."""
        from ui.repairs import RepairsView

        if self.staff is None or self.config is None or self._raised("repairs"):
            return
        view = RepairsView(self.engine, config=self.config, desk=self.desk(), staff=self.staff,
                           questionnaires=self.questionnaires, catalog=self.catalog)  # fmt: skip
        view.setStyleSheet(self.styleSheet())
        view.setParent(self, Qt.WindowType.Window)
        fit_to_screen(view, QSize(1280, 720))
        view.refresh()
        view.show()
        self.repairs = view

    def _bookable(self, case: Case | None) -> bool:
        """Whether the case's advice can have an appointment: its area has an appointment kind here."""
        from advisor.appointments.booking import offered

        config = self.config
        return case is not None and config is not None and offered(config, case.session.questionnaire.category)

    def book_for_case(self) -> None:
        """Book an appointment for the customer of the case shown, with their advice: the appointments window's
        dialog, the area fixed, in the customer's language, the shortlist's products to set aside; the appointment
        the advice has already is moved instead of a second one booked. Booked, the sheet names it."""
        from ui.appointments import BookingDialog, case_booking

        case = self._selected_case()
        if case is None or self.config is None or self.staff is None:
            return
        desk = self.desk()
        wanted = case_booking(case, config=self.config, desk=desk, questionnaires=self.questionnaires)
        if wanted is None:
            return
        dialog = BookingDialog(self.engine, config=self.config, catalog=self.catalog, desk=desk, parent=self,
                               for_case=wanted)  # fmt: skip
        dialog.booked.connect(self._booked_for_case)
        self.booking_dialog = dialog
        dialog.open()

    def _booked_for_case(self, words: str, appointment_id: str) -> None:
        """Booked (or moved): said, the case read again (its sheet names the appointment), the appointments window
        too while it is open."""
        self._say(words)
        self.refresh(force=True)
        appointments = self._appointments_window()
        if appointments is not None:
            appointments.refresh(select=appointment_id)

    def open_arrived(self, session_id: str, code: str, questionnaire_id: str) -> None:
        """A shopper with an appointment has arrived: their advice session among "my cases", selected."""
        self.opened[session_id] = "appointment"
        self._select = session_id
        self.refresh(force=True)

    def close_arrived(self, session_id: str) -> None:
        """A check-in taken back (the wrong customer's line tapped): the advice it opened leaves "my cases" (one
        opened otherwise, by a request or a code, stays)."""
        if self.opened.get(session_id) == "appointment":
            del self.opened[session_id]
            self.refresh(force=True)

    def to_phone(self) -> None:
        """Hand the selected case to the shopper's phone: a one-time QR code (5 minutes) to scan."""
        from advisor.handoff.tokens import issue_token

        case = self._selected_case()
        if case is None:
            self._say(self.t("console.choose_case"))
            return
        session_id, resume_code = case.record.id, case.record.resume_code
        engine = self.engine
        self.writes.run(lambda: issue_token(engine, session_id),
                        lambda token: self._show_phone(token, resume_code), self._problem)  # fmt: skip

    def _show_phone(self, token: str, resume_code: str) -> None:
        from PySide6.QtCore import QByteArray
        from PySide6.QtSvgWidgets import QSvgWidget
        from PySide6.QtWidgets import QDialog

        from advisor.rendering.qr import qr_svg

        self.phone_link = f"{self.public_base_url}/c/{token}"
        dialog = QDialog(self)
        dialog.setWindowTitle(self.t("console.phone.title"))
        layout = QVBoxLayout(dialog)
        qr = QSvgWidget()
        qr.load(QByteArray(qr_svg(self.phone_link).encode()))
        qr.setFixedSize(280, 280)
        qr.setAccessibleName("QR code")
        layout.addWidget(qr)
        layout.addWidget(label(self.t("console.phone.scan", code=shown_code(resume_code))))
        done = button(self.t("console.phone.close"), "Primary")
        done.clicked.connect(dialog.accept)
        layout.addWidget(done)
        self.phone_dialog = dialog
        dialog.open()

    # -- closing a case ------------------------------------------------------------------------------------

    def close_case(self) -> None:
        """Close the chosen case; when notes or a typed message are not saved yet, ask first."""
        case = self._current_case()
        if case is None:
            return
        unsaved = []
        if self.notes_unsaved:  # (a case opened by code or for an appointment keeps notes too)
            unsaved.append(self.t("console.close.notes"))
        if self.message.text().strip():
            unsaved.append(self.t("console.close.message"))
        if not unsaved:
            self._close(case)
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.t("console.close.title"), "\n".join(unsaved), parent=self)
        save = box.addButton(self.t("console.close.save"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.t("console.close.discard"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.t("console.close.cancel"), QMessageBox.ButtonRole.RejectRole)

        def answered(clicked: QPushButton) -> None:
            if clicked is save:
                if self.message.text().strip():
                    self.send()
                if self.notes_unsaved:
                    self.save_notes()  # (stored before the close that follows it, in line)
                self._close(case)
            elif clicked is discard:
                self.notes_saved = self.notes.toPlainText()
                self.message.clear()
                self._close(case)

        box.buttonClicked.connect(answered)
        self.close_prompt = box
        box.open()

    def _close(self, case: CaseKey) -> None:
        from advisor.handoff.requests import Action, transition

        request_id, session_id = case
        self.notes_timer.stop()
        self._notes_case = None
        self.notes_saved = ""
        self.notes.blockSignals(True)
        self.notes.clear()
        self.notes.blockSignals(False)
        self.notes_state.setText("")
        self._ended_chat = ()
        self.chat.clear()
        self.case.setPlainText(self.t("console.empty_case"))
        self.cases.blockSignals(True)
        self.cases.setCurrentRow(-1)
        self.cases.blockSignals(False)
        if request_id is None:  # opened by code, no request: just put it away
            self.opened.pop(session_id, None)
            self.refresh(force=True)
            return
        self._closing.add(request_id)

        def refused(error: Exception) -> None:  # (not closed after all: the case is listed again, and why said)
            self._closing.discard(request_id)
            self._problem(error)

        engine = self.engine
        staff = self.staff
        self._write(lambda: transition(engine, request_id, Action.CLOSE, holder=staff), refused=refused)
        self.refresh(force=True)  # (listed without it at once, also while the close waits for the database)

    def _report_presence(self) -> None:
        from advisor.handoff.staff import report_presence

        if self.staff is not None:
            staff = self.staff
            moment = self.reported_at = datetime.now(UTC)  # taken here: a sign-out queued after it knows it at once
            engine = self.engine
            self.writes.run(
                lambda: report_presence(engine, staff, now=moment),
                failed=lambda error: self._problem(error, reading=True),
            )  # (no action of staff)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        """Closing signs out, and closes the windows and dialogs opened from here (the appointments, the repairs …):
        none goes on working for nobody signed in. Notes typed here or in the appointments window are kept. While
        changes wait for the database (it took nothing last time), or a message typed to a customer is not sent, the
        console asks first: closing would lose them ("1 Änderung ist noch nicht gespeichert – trotzdem schließen?";
        staying is the default)."""
        from advisor.handoff.staff import sign_out

        if self.notes_unsaved:
            self.save_notes()  # closing the window: what was typed is kept
        appointments = self._appointments_window()
        if appointments is not None and appointments.notes_unsaved:
            appointments.save_notes()  # (in its line: asked about below while the database takes nothing)
        if (self._waiting_changes() or self._unsent_messages()) and not self._close_anyway:
            event.ignore()
            self._ask_before_closing()
            return
        for window in self.findChildren(QWidget):  # (the appointments window first hands on its notes)
            if shiboken6.isValid(window) and window.isWindow() and window.isVisible():
                window.close()
        self.changes.close()  # closing: the changes that wait get one last try
        if self.staff is not None:
            staff, reported_at = self.staff, self.reported_at  # kiosks stop offering help at once, unless the staff
            # member's other console reported since this one did
            engine = self.engine
            self.writes.run(lambda: sign_out(engine, staff, reported_at=reported_at))
            self.writes.wait(2000)  # closing: a moment for the notes and the sign-out, never longer
            if appointments is not None:
                appointments.writes.wait(1000)  # (and for the appointments' notes)
        self.presence.stop()
        if self.listening is not None:
            self.listening.set()
        self.poll.stop()
        self.ring_timer.stop()
        self.notes_timer.stop()
        self.wait_timer.stop()
        self.watcher.close()
        super().closeEvent(event)

    def _appointments_window(self) -> AppointmentsView | None:
        """The console's appointments window while it is open."""
        view: AppointmentsView | None = getattr(self, "appointments", None)
        return view if view is not None and shiboken6.isValid(view) and view.isVisible() else None

    def _waiting_changes(self) -> int:
        """The changes waiting for the database that took nothing last time: the console's and its appointments
        window's (closing would lose them)."""
        lines = [self.changes]
        appointments = self._appointments_window()
        if appointments is not None:
            lines.append(appointments.changes)
        return sum(len(line.pending) for line in lines if line.retrying)

    def _unsent_messages(self) -> int:
        """Messages typed to customers and not sent: in the field, and kept for the other cases."""
        typed = [self.message.text(), *(words for case, words in self._drafts.items() if case != self._draft_for)]
        return sum(1 for words in typed if words.strip())

    def _ask_before_closing(self) -> None:
        if self.quit_prompt is not None:
            return  # (asked already: the question shows)
        count, unsent = self._waiting_changes(), self._unsent_messages()

        def answered(confirmed: bool) -> None:
            self.quit_prompt = None
            if confirmed:
                self._close_anyway = True
                self.close()

        what = [self.t(f"console.quit.pending.{'one' if count == 1 else 'other'}", count=count)] if count else []
        if unsent:
            what.append(self.t(f"console.quit.unsent.{'one' if unsent == 1 else 'other'}", count=unsent))
        said = what[0] if len(what) == 1 else self.t("console.quit.and", first=what[0], second=what[1])
        question = self.t("console.quit.question", what=said)
        self.quit_prompt = ask_first(self, self.t("console.quit.title"), question, self.t("console.quit.confirm"),
                                     self.t("console.quit.keep"), answered)  # fmt: skip


class WrappedLines(QStyledItemDelegate):
    """A list's word-wrapped lines sized for the width they are painted in: Qt sizes them for the whole row, leaves
    out the style sheet's item border and padding, and then elides the last line ("Kiosk Eingang, E…")."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:  # noqa: N802 - Qt override
        narrower = QStyleOptionViewItem(option)
        narrower.rect = option.rect.adjusted(0, 0, -ITEM_INSET, 0)
        return super().sizeHint(narrower, index)


class QueueLines(WrappedLines):
    """The queue's lines: a mark (a customer standing at the kiosk) at the top, beside the first line, not halfway
    down the three; a place wrapped only where its parts meet ("Kiosk Rucksäcke & Schlafsäcke," / "2. OG hinten
    links", never "2." / "OG"); a line's own background (IN_PERSON) painted under the style sheet's border, which
    would otherwise leave it white."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:  # noqa: N802 - Qt override
        super().initStyleOption(option, index)
        option.decorationAlignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        widget = option.widget
        room = (widget.viewport().width() if isinstance(widget, QListWidget) else option.rect.width()) - ITEM_INSET
        room -= option.decorationSize.width() + 8 if not option.icon.isNull() else 0
        lines = option.text.replace("\n", "\u2028").split("\u2028")  # (Qt has made the item's "\n" line separators)
        option.text = "\u2028".join(unbroken_place(line, option.fontMetrics.horizontalAdvance, room) for line in lines)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        own = index.data(Qt.ItemDataRole.BackgroundRole)
        if own is not None and not option.state & QStyle.StateFlag.State_Selected:  # chosen: the selection's look
            painter.fillRect(option.rect, own)
        super().paint(painter, option, index)


def unbroken_place(line: str, width: Callable[[str], int], room: int) -> str:
    """A queue line with its last part after a comma (a place's floor and corner: "2. OG hinten links") held
    together by no-break spaces, where that part fits on a line of `room` pixels (measured by `width`)."""
    head, comma, tail = line.rpartition(", ")
    if not comma or " " not in tail or width(tail) > room:
        return line
    return f"{head}{comma}{tail.replace(' ', chr(0xA0))}"


class WholePlaceholder(QLineEdit):
    """A text field never narrower than its placeholder ("Nachricht an den Kunden"): what it is for is read whole,
    not elided, in a narrow column (its column takes the room from the wider one beside it)."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), placeholder_width(self)), hint.height())

    def setPlaceholderText(self, words: str) -> None:  # noqa: N802 - Qt's name
        super().setPlaceholderText(words)
        self.updateGeometry()  # another language: another width


def placeholder_width(field: QLineEdit, wide: int = 1_000) -> int:
    """The width a line edit needs to paint its placeholder whole: the words, its frame and the style sheet's
    padding (measured on a `wide` field), its text margins and Qt's 2 px either side of the text."""
    option = QStyleOptionFrame()
    field.initStyleOption(option)
    option.rect = QRect(0, 0, wide, max(field.height(), 10))
    inner = field.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, field).width()
    margins = field.textMargins()
    words = field.fontMetrics().horizontalAdvance(field.placeholderText())
    return words + (wide - inner) + margins.left() + margins.right() + 2 * 2 + 1


class EmptySaid(QListWidget):
    """A list that says, while it is empty, why and what to do ("Noch keine Fälle – …"), instead of a blank box;
    to assistive technology too (as its description)."""

    def __init__(self) -> None:
        super().__init__()
        self.empty_text = ""

    def set_empty_text(self, words: str) -> None:
        self.empty_text = words
        self.setAccessibleDescription(words)
        self.viewport().update()

    def shown_empty_text(self) -> str:
        """What the list shows now in place of lines ("" while it has lines)."""
        return self.empty_text if self.count() == 0 else ""

    def _text_rect(self) -> QRect:
        return self.viewport().rect().adjusted(8, 6, -8, -6)

    def empty_height(self) -> int:
        """The height the empty text takes, wrapped at the list's width."""
        if not self.empty_text:
            return 0
        width = max(self._text_rect().width(), 40)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
        return self.fontMetrics().boundingRect(QRect(0, 0, width, 10_000), flags, self.empty_text).height()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self.shown_empty_text():
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self._text_rect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                             | Qt.TextFlag.TextWordWrap, self.empty_text)  # fmt: skip
            painter.end()


def _has_audio() -> bool:
    """Whether the machine has a sound card or a sound server to play on (else Qt's audio only warns)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    servers = [Path(runtime) / "pulse" / "native", Path(runtime) / "pipewire-0"] if runtime else []
    return (
        bool(os.environ.get("PULSE_SERVER"))
        or any(path.exists() for path in servers)
        or (Path("/dev/snd").is_dir() and any(Path("/dev/snd").glob("pcm*p")))
    )


def _chime() -> Any:
    """The waiting chime as a sound effect, or None where the machine plays no sound."""
    if not _has_audio():
        return None
    try:
        from PySide6.QtMultimedia import QSoundEffect
    except ImportError:  # pragma: no cover - QtMultimedia is part of PySide6's wheels
        return None
    effect = QSoundEffect()
    effect.setSource(QUrl.fromLocalFile(str(ICONS.parent / "sounds" / "waiting.wav")))
    effect.setVolume(0.8)
    return effect if effect.status() != QSoundEffect.Status.Error else None


def sheet_html(
    sheet: Sheet, t: Callable[..., str], new: frozenset[str] = frozenset(), *, preview: bool = False, columns: int = 2
) -> str:
    """The case as a sales person beside the customer reads it: who and where, the product they looked at last,
    then the top picks with price, stock and shelf (what to fetch) and the size to try where the finder advises one,
    then the answers as short labels, `columns` to a line, with the open ones collapsed into one line (`new`: questions
    a change of answer brought up, flagged on their own), then what happened. A `preview` (a waiting customer, not
    claimed yet) leads with that and with the question they asked, and names only the first three picks."""
    e = html.escape
    head = sheet.header
    muted = "color:#4d5a53"
    parts = []
    if preview:
        parts.append(f"<p style='margin:0 0 4px 0;color:#9c2f1c'><b>{e(t('console.preview'))}</b></p>")
    parts += [
        "<p style='margin:0;font-size:20px;font-weight:bold'>"
        + (f"{e(head.customer)} · " if head.customer else "")  # who came, for which appointment: named first
        + f"{e(head.title)} · {e(head.kind)}</p>",
        f"<p style='margin:2px 0 6px 0'><b>{e(head.where)}</b>"
        + (f" · {e(head.since)}" if head.since else "")
        + f" · {e(head.language)} · Code&nbsp;<b>{e(unbroken_code(head.code))}</b></p>",
    ]
    # a colleague on this customer, said before anything else (no one changes their advice unknowingly)
    parts += [f"<p style='margin:0 0 6px 0;color:#9c2f1c'><b>{e(line)}</b></p>" for line in sheet.colleagues]
    if preview and sheet.asked:
        parts.append(f"<p style='margin:0 0 6px 0'><b>{e(t('console.preview.asked', words=sheet.asked))}</b></p>")
    if sheet.last_viewed:
        parts.append(f"<p style='margin:0 0 6px 0;background:#eef3ef'><b>{e(sheet.last_viewed)}</b></p>")
    parts += [f"<p style='margin:0 0 6px 0;color:#1f4d3a'><b>{e(line)}</b></p>" for line in sheet.appointments]
    parts += [f"<p style='margin:0 0 6px 0;background:#eef3ef'>{e(line)}</p>" for line in sheet.notes_before]
    parts += [f"<p style='color:#9c2f1c'>{e(line)}</p>" for line in sheet.dropped]
    if sheet.fit:
        picks = sheet.picks[:3] if preview else sheet.picks
        if sheet.picks:  # one short heading; how many fit goes beneath it, in plain text (it may wrap)
            parts.append(f"<h3 style='margin:8px 0 0 0'>{e(t('console.section.picks'))}</h3>"
                         f"<p style='margin:0 0 2px 0;{muted}'>{e(t('console.picks.as_kiosk'))} · {e(sheet.fit)}</p>"
                         "<ol style='margin-top:0'>")  # fmt: skip
        else:  # a service flow: their own product, no shortlist
            parts.append(f"<p style='margin:6px 0'><b>{e(sheet.fit)}</b></p><ol style='margin-top:0'>")
        for item in picks:
            colour = "#0b4d26" if item.in_stock else "#9c2f1c"
            why = [f"✓ {e(reason)}" for reason in item.reasons] + [
                f"<span style='color:#9c2f1c'>– {e(tradeoff)}</span>" for tradeoff in item.tradeoffs
            ]
            reasons = (
                f"<br><span style='{muted};font-size:14px'>{' · '.join(why)}</span>" if why and not preview else ""
            )
            size = f"<br><b>{e(item.size)}</b>" if item.size else ""  # as the kiosk and phone say it
            parts.append(
                f"<li style='margin-bottom:4px'><b>{e(item.name)}</b> · {e(item.price)} · "
                f"<span style='color:{colour}'>{e(item.stock)}</span>"
                f" <span style='{muted}'>({e(item.sku)})</span>{size}{reasons}</li>"
            )
        parts.append("</ol>")
    parts.append(_answers_html(sheet, t, new, columns))
    if sheet.history and not preview:
        parts.append(f"<h3>{e(t('console.section.history'))}</h3><ul style='margin-top:0'>")
        parts += [f"<li>{e(line)}</li>" for line in sheet.history]
        parts.append("</ul>")
    return "".join(parts)


def unbroken_code(code: str) -> str:
    """A code as the sheet shows it, with a no-break hyphen: "DBUK‑ACNN" on one line, never "DBUK-" / "ACNN" (read out
    to a customer, half a code is misread); typed or pasted back, the code field takes it (codes.normalise)."""
    return code.replace("-", "\u2011")


def _answers_html(sheet: Sheet, t: Callable[..., str], new: frozenset[str], columns: int = 2) -> str:
    """The answers, two to a line, each under its short label ("Region" over "Mittelgebirge"); a question a
    change brought up stays among them, flagged to ask; the other open ones are one line ("3 noch offen: …")."""
    e = html.escape
    shown = [row for row in sheet.answers if not row.open or row.step_id in new]
    waiting = [row for row in sheet.answers if row.open and row.step_id not in new]
    parts = [f"<h3 style='margin:8px 0 2px 0'>{e(t('console.section.answers'))}</h3>"]
    if shown:
        parts.append("<table cellspacing='0' cellpadding='2' width='100%'>")
        for first in range(0, len(shown), columns):
            cells = []
            for row in shown[first : first + columns]:
                if row.open:
                    answer = f"<span style='color:#b5500f'><b>{e(t('console.new_step'))}</b></span>"
                else:
                    answer = f"<b>{e(row.answer)}</b>"
                # the label above its answer, each pair half the width: a narrow column of its own would break a
                # long answer mid-word ("Mittelgebirg e")
                cells.append(f"<td width='{100 // columns}%' valign='top'><span style='color:#4d5a53'>"
                             f"{e(row.label or row.question)}</span><br>{answer}</td>")  # fmt: skip
            parts.append(f"<tr>{''.join(cells)}</tr>")
        parts.append("</table>")
    if waiting:
        count = t("console.open_steps.one" if len(waiting) == 1 else "console.open_steps.other", count=len(waiting))
        labels = ", ".join(row.label or row.question for row in waiting)
        parts.append(f"<p style='margin:4px 0;color:#4d5a53'><b>{e(count)}</b>: {e(labels)}</p>")
    return "".join(parts)


def run_staff(*, db_url: str | None, config_file: str | None = None) -> int:
    """Open the staff console on the qasync loop (PostgreSQL notifications arrive on it). While the database cannot
    be reached, a small window says so and tries again every few seconds (off the GUI thread)."""
    import qasync

    from advisor.config import database_url_of, load_config, use_configured_content
    from advisor.db import database_url
    from advisor.db.engine import shown_url
    from ui.app import _unreachable_line, create_application

    config = load_config(config_file)
    use_configured_content(config)
    app = create_application()
    # resolved as the kiosk does (ADVISOR_DATABASE_URL, else SQLite): the line that says it is unreachable names it
    url = database_url(db_url or database_url_of(config))
    locale = config.store.default_locale
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)

    async def main() -> None:
        waiting = label(text("console.connecting", locale, "staff"), "Section")
        waiting.setWindowTitle(text("console.title", locale, "staff"))
        waiting.setStyleSheet("padding: 24px;")
        waiting.resize(640, 200)
        waiting.show()
        said = ""
        while not closing.is_set():
            try:
                engine, catalog, library = await loop.run_in_executor(None, lambda: _connect(url))
                break
            except Exception as error:  # noqa: BLE001 - any failure to reach the database: said, tried again
                line = _unreachable_line(error).format(where=shown_url(url))
                if line != said:  # once per cause, not every 3 s
                    said = line
                    sys.stderr.write(f"advisor staff: {line}\n")
                waiting.setText(text("console.unreachable_retry", locale, "staff", seconds=RETRY_S))
                await asyncio.sleep(RETRY_S)
        else:
            return
        console = StaffConsole(
            engine, library.everything, catalog, config.web.public_base_url,
            locale=locale, zone=config.store.zone, places=config.store.place_names(locale), config=config,
        )  # fmt: skip
        watch_questionnaires(console, library)
        fit_to_screen(console, QSize(1280, 720))  # (a laptop at 150 %: 911x512, no more)
        console.show()
        waiting.close()
        sys.stderr.write("advisor staff: database reachable, console open\n")
        await closing.wait()

    with loop:
        loop.run_until_complete(main())
    return 0


RETRY_S = 3


def _connect(url: str) -> tuple[Engine, CatalogIndex, QuestionnaireLibrary]:
    """The console's database, catalog and questionnaires (on a worker: it may wait for the network or the disk)."""
    from advisor.bootstrap import open_database
    from advisor.content import load_content
    from advisor.recommend.index import build_index

    engine = open_database(url, interactive=True)
    return engine, build_index(engine), load_content()


def watch_questionnaires(console: StaffConsole, library: QuestionnaireLibrary) -> None:
    """Take a questionnaire, guides or size charts file saved into the console, as the kiosks take it in (a case
    started with a new finder opens in the console; a file with errors keeps its last good version)."""
    from ui.reload import watch_content

    watch_content(console, library, lambda _result: console.set_questionnaires(library.everything))
