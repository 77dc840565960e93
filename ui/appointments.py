"""The staff console's appointments: today's and the coming days' bookings, each with what to fetch from which shelf
and the prepared advice; check-in by the code a shopper reads out at the counter, no-show after the grace time,
notes; the team's skills and shifts; booking for a caller on the phone. Every database read and write runs on a
lane (off the GUI thread); the work functions touch no widget."""

from __future__ import annotations

import html
import socket
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from advisor.db.retry import short_reason
from advisor.i18n import day_text, pick, text
from ui.ops import ChangeLine, Lane
from ui.staff import WrappedLines
from ui.widgets import ask_first, button, chosen_item, fit_to_screen, keep_within, label, scrolling_page

if TYPE_CHECKING:
    from advisor.appointments.agenda import Entry, HeldProduct
    from advisor.appointments.booking import Handover
    from advisor.appointments.slots import Slot, Span
    from advisor.appointments.staff import Schedule
    from advisor.config import Config
    from advisor.handoff.chat import SavedNotes
    from advisor.questionnaire.model import Questionnaire
    from advisor.recommend.index import CatalogIndex
    from advisor.session.arrival import Arrival
    from advisor.session.cases import Case, Desk, IndexFor, Sheet

REFRESH_MS = 15_000  # the list is read again this often (a booking from the web shows within it; a no-show button)
RANGES = (("console.appt.range.today", 1), ("console.appt.range.week", 7), ("console.appt.range.all", None))


@dataclass(frozen=True)
class AgendaView:
    """The appointments as of one read, and the selected one with its prepared case."""

    entries: tuple[Entry, ...]
    selected: Entry | None
    sheet: Sheet | None
    now: datetime
    problem: str = ""


def read_agenda(
    engine: Engine, *, config: Config, days: int | None, selected: str | None,
    questionnaires: Mapping[str, Questionnaire], index_for: IndexFor, desk: Desk, now: datetime,
) -> AgendaView:  # fmt: skip
    """The store's appointments from today's midnight for `days` days (None: to the booking horizon), and the
    selected one's advice session worked out as the console's sheet (runs on a worker)."""
    from advisor.appointments.agenda import agenda
    from advisor.appointments.slots import local_day
    from advisor.session.cases import open_case
    from advisor.session.service import SessionError

    zone = config.store.zone
    today = local_day(now, zone)
    span = days if days is not None else config.appointments.horizon_days + 1
    since = datetime.combine(today, time(0), tzinfo=zone)
    until = datetime.combine(today + timedelta(days=span), time(0), tzinfo=zone)
    entries = tuple(agenda(engine, store_id=config.store.id, since=since, until=until, zone=zone, locale=desk.locale))
    chosen = next((entry for entry in entries if entry.appointment_id == selected), None)
    sheet, problem = None, ""
    if chosen is not None and chosen.session_id is not None:
        try:
            case = open_case(engine, (None, chosen.session_id), questionnaires, index_for, desk, kind="appointment",
                             now=now, appointments=False)  # fmt: skip
        except SessionError as error:
            problem = desk.t("console.problem.session", reason=str(error))
        else:
            sheet = case.sheet if case is not None else None
    return AgendaView(entries, chosen, sheet, now, problem)


def category_name(catalog: CatalogIndex | None, category_id: str, locale: str) -> str:
    index = catalog.categories.get(category_id) if catalog is not None else None
    return pick(index.category.label, locale) if index is not None else category_id


class AppointmentsView(QWidget):
    """The appointments window: the list on the left, the chosen appointment in the middle (when, who, what to
    fetch from where, the prepared advice), notes and what to do on the right."""

    def __init__(
        self, engine: Engine, *, config: Config, questionnaires: Mapping[str, Questionnaire],
        catalog: CatalogIndex | None, desk: Desk, on_checked_in: Callable[[str, str, str], None] | None = None,
        on_check_in_undone: Callable[[str], None] | None = None,
    ) -> None:  # fmt: skip
        super().__init__()
        self.engine, self.config, self.questionnaires, self.catalog, self.desk = engine, config, questionnaires, \
            catalog, desk  # fmt: skip
        categories = catalog.categories if catalog is not None else {}
        self._index_for: IndexFor = lambda q: categories.get(q.category)
        self.on_checked_in = on_checked_in
        self.on_check_in_undone = on_check_in_undone  # (the advice the check-in opened leaves "my cases")
        self.reads = Lane(self, serial=True)
        self.writes = Lane(self, serial=True)
        self.view: AgendaView | None = None
        self._reading = False
        self._again = False
        self._notes_for: str | None = None
        self.notes_saved = ""
        self._checking_in: set[str] = set()  # codes typed at the counter being checked in (a second Enter: the same)
        self._undoing: set[str] = set()  # appointments whose check-in is being taken back (a second tap: the same)
        self._pending_said = ""  # the notice that says changes wait, as last shown
        self._said_about: tuple[str, str] | None = None  # an appointment and the notice about it, while it shows
        self._database_said = ""  # the notice that a read found the database out of reach (gone once one works)
        self._notes_waiting: dict[str, str] = {}  # appointment -> notes handed on and not stored yet
        self._notes_base: dict[str, str] = {}  # appointment -> its notes as last read or stored here
        self.setObjectName("Appointments")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._build()
        self.cancel_prompt: QMessageBox | None = None
        self.no_show_prompt: QMessageBox | None = None
        self.booking_dialog: BookingDialog | None = None
        self.team_dialog: TeamDialog | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        # Changes the database could not take (locked, unreachable): kept in the order staff made them and tried
        # again until it takes them, as the console's are; the notice says so while any wait.
        self.changes = ChangeLine(self.writes, self, stored=self._change_stored, waiting=self._say_pending,
                                  refused=self._problem, log="advisor staff: appointments")  # fmt: skip

    def t(self, key: str, **params: Any) -> str:
        return self.desk.t(key, **params)

    def _build(self) -> None:
        t = self.t
        self.setWindowTitle(t("console.appointments"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        # Two rows, so the window fits a 1024-pixel screen as the console does: what to see and the windows to open
        # above, the code a shopper reads out at the counter below (its field takes the width there is).
        top = QHBoxLayout()
        self.heading = label(t("console.appointments"), "Section", wrap=False)
        top.addWidget(self.heading)
        self.range = QComboBox()
        self.range.setAccessibleName("range")
        for key, days in RANGES:
            self.range.addItem(t(key), days)
        self.range.setCurrentIndex(1)
        self.range.currentIndexChanged.connect(lambda *_: self.refresh())
        top.addWidget(self.range)
        top.addStretch(1)
        self.code = QLineEdit()
        self.code.setPlaceholderText(t("console.appt.code"))
        self.code.setAccessibleName(t("console.appt.code"))
        self.code.setMinimumWidth(260)
        self.code.returnPressed.connect(self.check_in_code)
        self.code_button = button(t("console.appt.check_in_code"), "Primary")
        self.code_button.clicked.connect(self.check_in_code)
        self.phone_button = button(t("console.appt.phone"), "", "phone")
        self.phone_button.clicked.connect(self.book_for_caller)
        self.team_button = button(t("console.appt.team"))
        self.team_button.clicked.connect(self.edit_team)
        top.addWidget(self.phone_button)
        top.addWidget(self.team_button)
        outer.addLayout(top)
        counter = QHBoxLayout()
        self.code.setMaximumWidth(520)  # (a code is short: the field need not cross a wide screen)
        counter.addWidget(self.code, 1)
        counter.addWidget(self.code_button)
        counter.addStretch(1)
        outer.addLayout(counter)
        self.notice = label("", "Saved")
        self.notice.setAccessibleName("notice")
        outer.addWidget(self.notice)
        columns = QHBoxLayout()
        outer.addLayout(columns, 1)
        self.entries = QListWidget()
        self.entries.setObjectName("Agenda")
        self.entries.setAccessibleName(t("console.appointments"))
        self.entries.setWordWrap(True)
        self.entries.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # lines wrap instead
        self.entries.setItemDelegate(WrappedLines(self.entries))  # (whole, never "… bei Anna Berger · geb…")
        self.entries.itemSelectionChanged.connect(self._chosen)
        columns.addWidget(self.entries, 3)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.details.setAccessibleName("appointment")
        columns.addWidget(self.details, 5)
        actions = QWidget()  # scrolls on a small (or scaled) screen: the window's least height stays small
        right = QVBoxLayout(actions)
        right.setContentsMargins(0, 0, 0, 0)
        self.check_in_button = button(t("console.appt.check_in"), "Primary")
        self.check_in_button.clicked.connect(self.check_in_selected)
        self.undo_check_in_button = button(t("console.appt.undo_check_in"))  # the wrong line tapped: taken back
        self.undo_check_in_button.clicked.connect(self.undo_check_in)
        self.no_show_button = button(t("console.appt.no_show"))
        self.no_show_button.clicked.connect(self.no_show)
        self.cancel_button = button(t("console.appt.cancel"))
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.move_button = button(t("console.appt.move"))
        self.move_button.clicked.connect(self.move_selected)
        for widget in (self.check_in_button, self.undo_check_in_button, self.no_show_button, self.move_button,
                       self.cancel_button):  # fmt: skip
            right.addWidget(widget)
        self.notes_heading = label(t("console.section.notes"), "Section")
        right.addWidget(self.notes_heading)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName(t("console.section.notes"))
        self.notes.setTabChangesFocus(True)  # Tab goes on to "save", as everywhere else in the console
        self.notes.textChanged.connect(self._limit_notes)  # (no more than the database takes can be typed)
        right.addWidget(self.notes, 1)
        notes_row = QHBoxLayout()
        self.notes_state = label("", "Saved", wrap=False)
        self.notes_button = button(t("console.appt.notes_save"))
        self.notes_button.clicked.connect(self.save_notes)
        notes_row.addWidget(self.notes_state, 1)
        notes_row.addWidget(self.notes_button)
        right.addLayout(notes_row)
        columns.addWidget(scrolling_page(actions), 3)
        self._show_selected()

    # -- reading -------------------------------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        item = chosen_item(self.entries)
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def refresh(self, select: str | None = None) -> None:
        """Read the list (and the chosen appointment's prepared case) again, off the GUI thread."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        engine, config, questionnaires, index_for, desk = (self.engine, self.config, self.questionnaires,
                                                           self._index_for, self.desk)  # fmt: skip
        days, selected = self.range.currentData(), select or self.selected_id()

        def read() -> AgendaView:
            return read_agenda(engine, config=config, days=days, selected=selected, questionnaires=questionnaires,
                               index_for=index_for, desk=desk, now=datetime.now(UTC))  # fmt: skip

        def failed(error: Exception) -> None:
            self._reading = False
            self._problem(error, reading=True)
            if self._again:
                self._again = False
                self.refresh()

        self.reads.run(read, self._show_view, failed)

    def _show_view(self, view: AgendaView) -> None:
        self._reading = False
        self.view = view
        if self._database_said and self.notice.text() == self._database_said:
            self.say("")  # the database answers again: what it did not take can be done again now
        self._database_said = ""
        chosen = view.selected.appointment_id if view.selected is not None else None
        self.entries.blockSignals(True)
        self.entries.clear()
        for entry in view.entries:
            item = QListWidgetItem(self.entry_line(entry, view.now))
            item.setData(Qt.ItemDataRole.UserRole, entry.appointment_id)
            if entry.state in ("no_show", "done"):
                item.setForeground(Qt.GlobalColor.darkGray)
            self.entries.addItem(item)
            if entry.appointment_id == chosen:
                self.entries.setCurrentItem(item)
        if not view.entries:
            empty = QListWidgetItem(self.t("console.appt.none"))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.entries.addItem(empty)
        self.entries.blockSignals(False)
        if view.problem:
            self.say(view.problem)
        self._show_selected()
        if self._again:
            self._again = False
            self.refresh()

    def entry_line(self, entry: Entry, now: datetime) -> str:
        """One appointment in the list: when, who for what with whom, its state and what to fetch."""
        today = now.astimezone(self.config.store.zone).date()
        day = self.desk.day(entry.starts_at.date(), today)
        when = self.t("console.appt.when", day=day, start=entry.starts_at.strftime("%H:%M"),
                      end=entry.ends_at.strftime("%H:%M"))  # fmt: skip
        parts = [
            entry.name,
            category_name(self.catalog, entry.category_id, self.desk.locale),
            self.t("console.appt.with", staff=entry.staff_name),
            self.t(f"console.appt.state.{entry.state}"),
        ]
        if self.overdue(entry, now):  # not checked in by the end of the grace time ("Nicht erschienen" can be marked)
            from advisor.appointments.booking import no_show_grace

            since = (entry.starts_at + no_show_grace(self.config)).astimezone(self.config.store.zone)
            parts.append(self.t("console.appt.overdue", time=f"{since:%H:%M}"))
        if entry.held and entry.state == "booked":
            count = len(entry.held)
            parts.append(self.t("console.appt.fetch_count.one" if count == 1 else "console.appt.fetch_count.other",
                                count=count))  # fmt: skip
        return f"{when}\n{' · '.join(parts)}"

    def overdue(self, entry: Entry, now: datetime) -> bool:
        """Booked and its grace time over (the core's no-show rule): the shopper has not come."""
        from advisor.appointments.booking import no_show_due

        return entry.state == "booked" and no_show_due(self.config, entry.starts_at, now)

    def _chosen(self) -> None:
        if self.notes_unsaved:
            self.save_notes()
        self.refresh()

    def _show_selected(self) -> None:
        entry = self.view.selected if self.view is not None else None
        said = self._said_about
        if said is not None and (entry is None or entry.appointment_id != said[0]):
            if self.notice.text() == said[1]:  # (about the appointment chosen before: not read as this one's)
                self.say("")
            self._said_about = None
        for widget in (self.check_in_button, self.cancel_button, self.move_button, self.no_show_button, self.notes,
                       self.notes_button):  # fmt: skip
            widget.setEnabled(entry is not None)
        self.undo_check_in_button.setEnabled(entry is not None and self.undoable(entry))
        if entry is None:
            self.details.setPlainText(self.t("console.appt.choose"))
            self._set_notes(None, "")
            return
        from advisor.appointments.booking import check_in_due

        booked = entry.state == "booked"
        due = self.view is not None and check_in_due(self.config, entry.starts_at, self.view.now)
        self.check_in_button.setEnabled(booked and due)  # (the typed code's rule: on the day, an hour before on)
        self.check_in_button.setToolTip("" if due or not booked else self.not_due(entry))
        self.cancel_button.setEnabled(booked)
        self.move_button.setEnabled(booked)
        self.no_show_button.setEnabled(booked and self.view is not None and self.overdue(entry, self.view.now))
        scroll = self.details.verticalScrollBar().value()
        self.details.setHtml(self.entry_html(entry))
        self.details.verticalScrollBar().setValue(scroll)
        if entry.appointment_id != self._notes_for or not (self.notes.hasFocus() or self.notes_unsaved):
            # (notes still on their way are what was typed last, not what the database had before)
            if entry.appointment_id not in self._notes_waiting:
                self._notes_base[entry.appointment_id] = entry.notes  # (what a save builds on: `save_notes`)
            self._set_notes(entry.appointment_id, self._notes_waiting.get(entry.appointment_id, entry.notes))

    def held_name(self, held: HeldProduct) -> str:
        """A product to fetch as the rest of the console names an article: the model and what sets its variant apart
        ("Wetterstein 3 · Grün"), so the right colour or size comes to the counter; the model alone when it has one."""
        from advisor.rendering.facts import variant_name
        from advisor.rendering.service import located

        found = located(self.catalog, held.model_sku) if held.model_sku else None
        named = variant_name(found[1], held.sku, self.desk.locale, found[0]) if found is not None else None
        return f"{held.name} · {named}" if named else held.name

    def state_text(self, entry: Entry) -> str:
        """The appointment's state on its sheet; a check-in too late for the consultant (the core's rule, read from
        the consultant's next appointment in the list) says how late, so someone else takes the customer."""
        from advisor.session.arrival import arrived_late, minutes_late

        if entry.state == "checked_in" and entry.checked_in_at is not None:
            entries = self.view.entries if self.view is not None else ()
            active = ("booked", "checked_in", "done")
            following = [other.starts_at for other in entries if other.staff_name == entry.staff_name
                         and other.starts_at > entry.starts_at and other.state in active]  # fmt: skip
            if arrived_late(starts_at=entry.starts_at, ends_at=entry.ends_at, arrived_at=entry.checked_in_at,
                            next_starts=min(following, default=None)):  # fmt: skip
                return self.t("console.appt.state.late", minutes=minutes_late(entry.starts_at, entry.checked_in_at))
        return self.t(f"console.appt.state.{entry.state}")

    def entry_html(self, entry: Entry) -> str:
        """The chosen appointment as a sales person reads it: when and who, what to fetch from where (first: it has
        to be on the counter before the shopper comes), then the prepared advice."""
        from ui.staff import sheet_html

        e = html.escape
        now = self.view.now if self.view is not None else datetime.now(self.config.store.zone)
        today = now.astimezone(self.config.store.zone).date()  # "Heute", as its line in the list says
        when = self.t("console.appt.when", day=self.desk.day(entry.starts_at.date(), today),
                      start=entry.starts_at.strftime("%H:%M"), end=entry.ends_at.strftime("%H:%M"))  # fmt: skip
        category = category_name(self.catalog, entry.category_id, self.desk.locale)
        who = self.t("console.appt.with", staff=entry.staff_name)
        state = self.state_text(entry)
        parts = [
            f"<h2 style='margin:0'>{e(when)} · {e(entry.name)}</h2>",
            f"<p style='margin:2px 0 8px 0'><b>{e(category)}</b> · {e(who)} · {e(state)} · {e(entry.contact)}</p>",
            f"<h3>{e(self.t('console.appt.fetch'))}</h3>",
        ]
        if entry.held:
            parts.append("<table cellspacing='0' cellpadding='3'>")
            for held in entry.held:
                shelf = held.location or self.t("console.appt.no_location")
                parts.append(f"<tr><td><b>{e(self.held_name(held))}</b> <span style='color:#4d5a53'>({e(held.sku)})"
                             f"</span></td><td>→ {e(shelf)}</td></tr>")  # fmt: skip
            parts.append("</table>")
        else:
            parts.append(f"<p>{e(self.t('console.appt.nothing_held'))}</p>")
        sheet = self.view.sheet if self.view is not None else None
        parts.append(f"<h3>{e(self.t('console.appt.prepared'))}</h3>")
        if sheet is None:
            parts.append(f"<p>{e(self.t('console.appt.no_session'))}</p>")
        else:
            parts.append(sheet_html(sheet, self.t))
        return "".join(parts)

    def details_text(self) -> str:
        return self.details.toPlainText()

    # -- notes ---------------------------------------------------------------------------------------------------

    def _set_notes(self, appointment_id: str | None, notes: str) -> None:
        if appointment_id != self._notes_for:
            self.notes_state.setText("")  # ("Gespeichert 14:05" stays with its appointment's notes)
        self._notes_for, self.notes_saved = appointment_id, notes
        if self.notes.toPlainText() != notes:
            self.notes.setPlainText(notes)
        if appointment_id is not None and appointment_id in self._notes_waiting:
            self.notes_state.setText(self.t("console.notes.saving"))

    def _limit_notes(self) -> None:
        """Keep the notes within what is stored (`agenda.MAX_NOTES`), as a line edit's maximum length does; the
        notice says so, naming the limit."""
        from advisor.appointments.agenda import MAX_NOTES

        if keep_within(self.notes, MAX_NOTES):
            self.say(self.t("console.appt.notes_limit", count=MAX_NOTES), about=self._notes_for)

    @property
    def notes_unsaved(self) -> bool:
        return self._notes_for is not None and self.notes.toPlainText() != self.notes_saved

    def save_notes(self) -> None:
        """Hand the notes on to be stored, in line with the other changes: kept (and tried again) while the database
        takes nothing, also when staff choose another appointment meanwhile. They build on the notes as this window
        last read or stored them: what a colleague wrote since is kept (the field then shows both, and says so)."""
        from advisor.appointments.agenda import MAX_NOTES
        from advisor.session.cases import save_case_notes

        appointment_id, notes = self._notes_for, self.notes.toPlainText()
        if appointment_id is None:
            return
        self.notes_saved = self._notes_waiting[appointment_id] = notes
        self.notes_state.setText(self.t("console.notes.saving"))

        def stored() -> None:
            if self._notes_waiting.get(appointment_id) == notes:
                del self._notes_waiting[appointment_id]

        def saved(result: SavedNotes) -> None:
            stored()
            kept = self._notes_base[appointment_id] = result.notes
            if self._notes_for != appointment_id or self.notes.toPlainText() != notes:
                return
            if kept != notes.replace("\t", " "):  # a colleague's notes came first: both are in (or what is not)
                self.notes_saved = kept
                self.notes.setPlainText(kept)
                if result.cut:  # (kept on the clipboard, to paste where it still has room)
                    QApplication.clipboard().setText(result.cut)
                self.say(self.t("console.notes.merged_cut", count=MAX_NOTES, cut=len(result.cut)) if result.cut
                         else self.t("console.notes.merged"), about=appointment_id)  # fmt: skip
            self.notes_state.setText(self.t("console.appt.notes_saved",
                                            time=datetime.now(self.desk.zone).strftime("%H:%M")))  # fmt: skip

        def refused(error: Exception) -> None:  # (not a passing failure): said, and the notes stay on screen
            from advisor.appointments.agenda import NotesTooLong

            stored()
            if self._notes_for == appointment_id:
                self.notes_saved = ""
                self.notes_state.setText(self.t("console.notes.failed"))
            if isinstance(error, NotesTooLong):  # (what to do about it, not "try again")
                self.say(self.t("console.appt.notes_too_long", count=MAX_NOTES))
                return
            self._problem(error)

        engine, base = self.engine, self._notes_base.get(appointment_id)
        self._write(lambda: save_case_notes(engine, ("appointment", appointment_id), notes, base=base),
                    saved, refused, replaces=f"notes:{appointment_id}")  # fmt: skip

    # -- what staff do -------------------------------------------------------------------------------------------

    def say(self, words: str, *, about: str | None = None) -> None:
        """A notice at the top; one `about` an appointment (its notes) goes when another appointment is chosen."""
        self.notice.setText(words)
        self._said_about = (about, words) if about is not None else None

    def _problem(self, error: Exception, *, reading: bool = False) -> None:
        """A refusal or a failure, said in the staff member's language (the details go to the log). The database out
        of reach is said until a read works again (changes that wait say so instead, until they are stored)."""
        from sqlalchemy.exc import SQLAlchemyError

        from advisor.session.refusals import refusal

        if isinstance(error, SQLAlchemyError):
            if not self._database_said:  # once, not at every read while it stays out of reach
                sys.stderr.write(f"advisor staff: appointments: database ({short_reason(error)})\n")
            if reading and self.changes.retrying:  # (what waits to be stored is the news that matters)
                self._say_pending()
                return
            self.say(self.t("console.problem.database"))
            self._database_said = self.notice.text()
            return
        sys.stderr.write(f"advisor staff: appointments: {type(error).__name__}: {error}\n")
        if isinstance(error, ValueError):  # a refusal: a wrong code, an appointment no longer booked …
            self.say(refusal(error, self.desk.locale))
        else:
            self.say(self.t("console.problem.refused", reason=type(error).__name__))

    def _write(
        self, work: Callable[[], Any], then: Callable[[Any], None] | None = None,
        refused: Callable[[Exception], None] | None = None, *, replaces: str | None = None,
    ) -> None:  # fmt: skip
        """A change off the GUI thread, in line with the others (`ChangeLine`, as in the console); then the list is
        read again."""
        self.changes.write(work, then, refused, replaces=replaces)

    def _change_stored(self) -> None:
        if not self.changes.pending and self._pending_said and self.notice.text() == self._pending_said:
            self.say("")  # every change is stored: the notice is no longer true
        self.refresh()

    @property
    def waiting(self) -> int:
        """How many changes wait to be stored."""
        return len(self.changes.pending)

    def _say_pending(self) -> None:
        count = len(self.changes.pending)
        self._pending_said = self.t(f"console.problem.waiting.{'one' if count == 1 else 'other'}", count=count)
        self.say(self._pending_said)

    def check_in_code(self) -> None:
        """The shopper reads out their code at the counter: their appointment today is checked in, and their advice
        opens in the console's cases (continued live as with a handoff)."""
        from advisor.session.arrival import check_in_by_code

        code, config, client = self.code.text(), self.config, f"console:{socket.gethostname()}"
        typed = code.strip().upper()
        if not typed or typed in self._checking_in:  # a second Enter while the first checks in: the same shopper
            return
        self._checking_in.add(typed)

        def done(arrival: Arrival) -> None:
            self._checking_in.discard(typed)
            why = arrival.why
            if arrival.checked_in is None and (why is None or why.reason != "checked_in"):
                self.say(self._not_checked_in(arrival))
            else:  # checked in now, or already (at a kiosk, or the code typed twice): their advice opens all the same
                if self.code.text() == code:  # (not another shopper's code, typed while this one waited)
                    self.code.clear()
                self._arrived(arrival)

        def refused(error: Exception) -> None:
            self._checking_in.discard(typed)
            self._problem(error)

        engine = self.engine
        self._write(lambda: check_in_by_code(engine, config=config, code=code, client=client),
                    done, refused)  # fmt: skip

    def _not_checked_in(self, arrival: Arrival) -> str:
        """Why a code read out at the counter checked nobody in, as the core read it from the database: their
        appointment today is not due yet (said with from when it is, and chosen in the list), it is on a later day, or
        today's was marked a no-show; else there is none today."""
        why = arrival.why
        if why is None or why.starts_at is None or why.reason not in ("not_due", "later_day", "no_show"):
            return self.t("console.appt.no_booking")
        starts = why.starts_at.astimezone(self.config.store.zone)
        if why.reason == "no_show":
            return self.t("console.appt.was_no_show", name=why.name, time=f"{starts:%H:%M}")
        if why.appointment_id is not None:
            self.refresh(select=why.appointment_id)
        return self._not_due_text(why.name, starts, why.opens if why.reason == "not_due" else None)

    def _arrived(self, arrival: Arrival) -> None:
        """Checked in (now, or already before): said with the appointment's time, and the advice opens under "my
        cases"."""
        zone, why = self.config.store.zone, arrival.why
        already = why if arrival.checked_in is None and why is not None and why.reason == "checked_in" else None
        appointment_id = arrival.appointment_id or (already.appointment_id if already is not None else None)
        session_id, shown = arrival.session_id, arrival.code
        entries = self.view.entries if self.view is not None else ()
        entry = next((e for e in entries if e.appointment_id == appointment_id), None)
        name = already.name if already is not None and already.name else entry.name if entry is not None else shown
        starts = arrival.checked_in.starts_at if arrival.checked_in is not None else (
            already.starts_at if already is not None else None)  # fmt: skip
        time_ = f"{starts.astimezone(zone):%H:%M}" if starts is not None else ""
        open_case = self.on_checked_in if session_id else None
        opened = open_case is not None
        if open_case is not None:
            open_case(session_id, shown, arrival.questionnaire_id)
        from advisor.session.arrival import minutes_late

        # Too late for the consultant (the core's rule, as the kiosk tells the shopper): said, so someone takes over.
        came = arrival.checked_in or already
        arrived_at = arrival.checked_in.checked_in_at if arrival.checked_in is not None else (
            already.since if already is not None else None)  # fmt: skip
        late = ""
        if came is not None and came.late and starts is not None and arrived_at is not None:
            late = " " + self.t("console.appt.late", name=name, minutes=minutes_late(starts, arrived_at),
                                staff=came.staff_name)  # fmt: skip
        if already is not None:
            since = f"{already.since.astimezone(zone):%H:%M}" if already.since is not None else "?"
            key = "console.appt.already" if opened else "console.appt.already_plain"
            self.say(self.t(key, name=name, since=since, time=time_) + late)
        elif opened:
            self.say(self.t("console.appt.checked_in", name=name, time=time_) + late)
        else:
            self.say(self.t("console.appt.checked_in_plain", name=name) + late)
        self.refresh(select=appointment_id)

    def not_due(self, entry: Entry) -> str:
        """Why an appointment cannot be checked in yet: when it is, and for one later today from when it can be (as
        its line says "Heute", not the date)."""
        from advisor.appointments.booking import check_in_opens

        zone = self.config.store.zone
        starts = entry.starts_at.astimezone(zone)
        now = self.view.now if self.view is not None else datetime.now(UTC)
        today = starts.date() == now.astimezone(zone).date()
        return self._not_due_text(entry.name, starts, check_in_opens(self.config, entry.starts_at) if today else None)

    def _not_due_text(self, name: str, starts: datetime, opens: datetime | None) -> str:
        """Not yet: today's appointment with from when it can be checked in (`opens`), else its day and time."""
        zone = self.config.store.zone
        starts = starts.astimezone(zone)
        if opens is not None:
            return self.t("console.appt.not_due_today", name=name, time=f"{starts:%H:%M}",
                          opens=f"{opens.astimezone(zone):%H:%M}")  # fmt: skip
        return self.t("console.appt.not_due", name=name, time=f"{starts:%H:%M}",
                      day=day_text(starts.date(), self.desk.locale, weekday="short"))  # fmt: skip

    def check_in_selected(self) -> None:
        """Staff recognise the shopper (no code needed): the chosen appointment is checked in, as a typed code would
        (on its day, from an hour before): a mis-tap on a later day's line is refused, saying when it is."""
        from advisor.appointments.booking import check_in, check_in_due
        from advisor.handoff.sessions import session_of
        from advisor.session.arrival import Arrival, CheckedIn

        entry = self.view.selected if self.view is not None else None
        if entry is None:
            return
        appointment_id, session_id, config = entry.appointment_id, entry.session_id, self.config
        booked = CheckedIn(appointment_id, entry.starts_at, entry.staff_name)

        def work(engine: Engine = self.engine) -> Arrival | None:
            from advisor.handoff.codes import shown

            if not check_in_due(config, entry.starts_at):
                return None
            stored = session_of(engine, session_id) if session_id is not None else None
            checked = booked if check_in(engine, appointment_id=appointment_id) else None
            if stored is None:
                return Arrival("", "", "", checked)
            return Arrival(stored.id, shown(stored.resume_code), stored.questionnaire_id, checked)

        def done(arrival: Arrival | None) -> None:
            if arrival is None:
                self.say(self.not_due(entry))
            elif arrival.checked_in is not None:
                self._arrived(arrival)

        self._write(work, done)

    def undoable(self, entry: Entry) -> bool:
        """Whether the chosen appointment's check-in can be taken back: checked in, for today (the core decides the
        rest when asked: served, or taken up since, keeps it)."""
        if entry.state != "checked_in" or self.view is None or entry.appointment_id in self._undoing:
            return False
        zone = self.config.store.zone
        return entry.starts_at.astimezone(zone).date() == self.view.now.astimezone(zone).date()

    def undo_check_in(self) -> None:
        """Take back a check-in made by mistake (the wrong customer's line tapped): no question first (it is undone
        by checking in again), the notice says what happened, and the list shows the appointment booked again. A
        check-in taken back at another console first, or taken up since, is said so and left as it is."""
        from advisor.appointments.booking import undo_check_in

        entry = self.view.selected if self.view is not None else None
        if entry is None or not self.undoable(entry):
            return
        appointment_id, name, config, session_id = entry.appointment_id, entry.name, self.config, entry.session_id
        self._undoing.add(appointment_id)
        self.undo_check_in_button.setEnabled(False)  # (a second tap while it is taken back: the same)

        def done(outcome: str) -> None:
            self._undoing.discard(appointment_id)
            self.say(self.t(f"console.appt.undo.{outcome}", name=name))
            if outcome == "undone" and session_id and self.on_check_in_undone is not None:
                self.on_check_in_undone(session_id)

        def refused(error: Exception) -> None:
            self._undoing.discard(appointment_id)
            self._problem(error)

        engine = self.engine
        self._write(lambda: undo_check_in(engine, config=config, appointment_id=appointment_id), done, refused)

    def no_show(self) -> None:
        """Ask first, as a cancellation does (a no-show gives back what was set aside and is not taken back), naming
        the customer and the time; "Keep waiting" is the choice Enter and Escape make."""
        entry = self.view.selected if self.view is not None else None
        if entry is None:
            return
        question = [self.t("console.appt.no_show_confirm.text", name=entry.name,
                           when=when_text(self.desk, entry.starts_at, entry.ends_at))]  # fmt: skip
        if entry.held:
            question.append(self.t("console.appt.no_show_confirm.held"))

        def answered(confirmed: bool) -> None:
            self.no_show_prompt = None
            if confirmed:
                self._no_show(entry)

        self.no_show_prompt = ask_first(self, self.t("console.appt.no_show_confirm.title"), " ".join(question),
                                        self.t("console.appt.no_show_confirm.yes"),
                                        self.t("console.appt.no_show_confirm.no"), answered)  # fmt: skip

    def _no_show(self, entry: Entry) -> None:
        from advisor.appointments.booking import mark_no_show

        appointment_id, config = entry.appointment_id, self.config
        marked_words = "console.appt.no_show_done" if entry.held else "console.appt.no_show_done_none_held"

        def done(marked: bool) -> None:
            self.say(self.t(marked_words) if marked else
                     self.t("console.appt.too_early", minutes=config.appointments.no_show_grace_minutes))  # fmt: skip

        engine = self.engine
        self._write(lambda: mark_no_show(engine, config=config, appointment_id=appointment_id),
                    done)  # fmt: skip

    def cancel_selected(self) -> None:
        """Ask first (a cancellation gives back what was set aside and mails the customer: a slip is not undone),
        saying what happens: the products go back only when some were set aside, the mail only when e-mail is set
        up and the contact is an e-mail address (else staff tell the customer themselves). "Keep the appointment"
        is the choice Enter and Escape make."""
        from advisor.session.confirmation import mails_to

        entry = self.view.selected if self.view is not None else None
        if entry is None:
            return
        mails = mails_to(self.config, entry.contact)  # as the cancellation's mail decides
        question = [self.t("console.appt.cancel_confirm.text", name=entry.name,
                           when=when_text(self.desk, entry.starts_at, entry.ends_at))]  # fmt: skip
        if entry.held:
            question.append(self.t("console.appt.cancel_confirm.held"))
        question.append(self.t("console.appt.cancel_confirm.mail", contact=entry.contact) if mails
                        else self.t("console.appt.cancel_confirm.no_mail"))  # fmt: skip

        def answered(confirmed: bool) -> None:
            self.cancel_prompt = None
            if confirmed:
                self._cancel(entry)

        self.cancel_prompt = ask_first(self, self.t("console.appt.cancel_confirm.title"), " ".join(question),
                                       self.t("console.appt.cancel_confirm.yes"),
                                       self.t("console.appt.cancel_confirm.no"), answered)  # fmt: skip

    def _cancel(self, entry: Entry) -> None:
        from advisor.appointments.booking import cancel

        appointment_id, config, questionnaires = entry.appointment_id, self.config, dict(self.questionnaires)
        categories = self.catalog.categories if self.catalog is not None else {}
        freed = "console.appt.cancelled" if entry.held else "console.appt.cancelled_none_held"

        def work(engine: Engine = self.engine) -> tuple[bool, bool, str | None]:
            from advisor.appointments.booking import details
            from advisor.session.confirmation import cancellation_by_mail

            if not cancel(engine, appointment_id=appointment_id):  # (cancelled meanwhile by the customer's link, …)
                found = details(engine, appointment_id=appointment_id)
                return False, False, found.state if found is not None else None
            return True, cancellation_by_mail(engine, config, appointment_id, questionnaires=questionnaires,
                                              categories=categories), "cancelled"  # fmt: skip

        def done(outcome: tuple[bool, bool, str | None]) -> None:
            cancelled, mailed, state = outcome
            if cancelled:
                words = self.t(freed)
                self.say(f"{words} {self.t('console.appt.cancel_mailed')}" if mailed else words)
            elif state is None:
                self.say(self.t("console.appt.cancel_gone"))
            else:
                self.say(self.t("console.appt.cancel_ended", state=self.t(f"console.appt.state.{state}")))

        self._write(work, done)

    def move_selected(self) -> None:
        """Move the chosen appointment for a customer who called: the same dialog as a caller's booking, its area
        fixed, its day chosen; the customer gets the new time by mail, with the old one named."""
        entry = self.view.selected if self.view is not None else None
        if entry is None:
            return
        dialog = BookingDialog(self.engine, config=self.config, catalog=self.catalog, desk=self.desk, parent=self,
                               moving=entry)  # fmt: skip
        dialog.booked.connect(self._booked)
        self.booking_dialog = dialog
        dialog.open()

    def book_for_caller(self) -> None:
        dialog = BookingDialog(self.engine, config=self.config, catalog=self.catalog, desk=self.desk, parent=self)
        dialog.booked.connect(self._booked)
        self.booking_dialog = dialog
        dialog.open()

    def _booked(self, words: str, appointment_id: str) -> None:
        """A booking dialog booked (or moved) an appointment: said, and the list read again with it selected."""
        self.say(words)
        self.refresh(select=appointment_id)

    def edit_team(self) -> None:
        dialog = TeamDialog(self.engine, config=self.config, catalog=self.catalog, desk=self.desk, parent=self,
                            questionnaires=self.questionnaires)  # fmt: skip
        self.team_dialog = dialog
        dialog.open()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Escape closes the window, as it does a dialog (notes typed are saved on closing)."""
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        """Closing keeps typed notes (handed on to be stored) and closes the dialogs opened from here (a caller's
        booking, the team's shifts, a question), so none stays open without the window it works for."""
        if self.notes_unsaved:
            self.save_notes()
        for window in self.findChildren(QWidget):
            if window.isWindow() and window.isVisible():
                window.close()
        self.timer.stop()
        self.changes.close()  # closing: the changes that wait get one last try (the log says when not stored)
        super().closeEvent(event)


def _categories(config: Config, catalog: CatalogIndex | None) -> list[str]:
    """The categories that can be booked (an appointment kind is configured), then the catalog's others."""
    booked = list(config.appointments.kinds)
    others = sorted(set(catalog.categories) - set(booked)) if catalog is not None else []
    return booked + others


def python_date(day: QDate) -> date:
    """`QDate.toPython()`, typed: PySide6's stubs say it returns an object; it is a `datetime.date`."""
    value = day.toPython()
    assert isinstance(value, date)
    return value


def when_text(desk: Desk, starts_at: datetime, ends_at: datetime) -> str:
    """ "Sa 05.12. 12:00–12:10 Uhr" in the staff member's language."""
    return desk.t("console.appt.when", day=day_text(starts_at, desk.locale, weekday="short"),
                  start=f"{starts_at:%H:%M}", end=f"{ends_at:%H:%M}")  # fmt: skip


OFFERED_HOLDS = 5  # of a case's shortlist, offered to be set aside (the first booking.MAX_HOLDS ticked)


@dataclass(frozen=True)
class CaseBooking:
    """A customer's advice to book an appointment for from their case in the console: booked with it (the kiosk
    and the phone show it when they open the code; check-in by the code finds it), in their language."""

    session_id: str
    category_id: str
    locale: str  # the customer's: the appointment's, its confirmation's and its reminder's language
    title: str  # the advice and its code, as the dialog's title names them ("Zeltberater · ABCD-2345")
    products: tuple[tuple[str, str], ...]  # (sku, name) of the shortlist as the kiosk offers them to set aside
    questionnaires: Mapping[str, Questionnaire]  # (the mail names the advice, as the kiosk's does)
    booked: Entry | None = None  # the advice's upcoming appointment: moved, never a second one booked


def case_booking(
    case: Case, *, config: Config, desk: Desk, questionnaires: Mapping[str, Questionnaire]
) -> CaseBooking | None:
    """What booking for `case` takes, or None when its advice's area has no appointment kind."""
    from advisor.appointments.agenda import to_move
    from advisor.appointments.booking import offered
    from advisor.handoff.codes import shown

    session = case.session
    category_id = session.questionnaire.category
    if not offered(config, category_id):
        return None
    products = tuple((item.sku, pick(item.product.name, desk.locale))
                     for item in (case.recommendation.products if case.recommendation is not None else ())
                     )[:OFFERED_HOLDS]  # fmt: skip
    title = f"{pick(session.questionnaire.title, desk.locale)} · {shown(case.record.resume_code)}"
    return CaseBooking(case.record.id, category_id, session.locale, title, products, dict(questionnaires),
                       to_move(case.appointments, category_id, datetime.now(UTC)))  # fmt: skip


class BookingDialog(QDialog):
    """Booking on the phone for a caller, or for the customer of a case (`for_case`: with their advice, in their
    language, the products to set aside ticked): area, day, a free time, name and contact with their consent."""

    booked = Signal(str, str)  # what to tell staff, the appointment's id

    def __init__(
        self, engine: Engine, *, config: Config, catalog: CatalogIndex | None, desk: Desk,
        parent: QWidget | None = None, moving: Entry | None = None, for_case: CaseBooking | None = None,
    ) -> None:  # fmt: skip
        """`moving`: the booked appointment to move (its area fixed, its day chosen, no contact asked again);
        `for_case`: the advice to book for (its area fixed; the appointment it has already is moved instead)."""
        super().__init__(parent)
        if for_case is not None and moving is None:
            moving = for_case.booked
        self.engine, self.config, self.catalog, self.desk, self.moving = engine, config, catalog, desk, moving
        self.for_case = for_case
        self.lane = Lane(self, serial=True)
        t = desk.t
        case_key = "console.book.case." if for_case is not None else "console.book."  # (a customer, not a caller)
        self.case_key = case_key
        if moving is not None:
            self.setWindowTitle(t("console.move.title", name=moving.name))
        elif for_case is not None:
            self.setWindowTitle(t("console.book.case.title", advice=for_case.title))
        else:
            self.setWindowTitle(t("console.book.title"))
        body = QWidget()
        form = self.form = QFormLayout(body)
        form.setContentsMargins(0, 0, 0, 0)
        self.category = QComboBox()
        for category_id in config.appointments.kinds:
            self.category.addItem(category_name(catalog, category_id, desk.locale), category_id)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd dd.MM.yyyy")
        self.day.setLocale(QLocale(desk.locale))
        today = datetime.now(config.store.zone).date()
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.day.setMinimumDate(self.day.date())
        self.day.setMaximumDate(self.day.date().addDays(config.appointments.horizon_days))
        self.slots = QListWidget()
        self.slots.setAccessibleName(t("console.book.slots"))
        self.name = QLineEdit()
        self.contact = QLineEdit()
        self.consent = QCheckBox(t(f"{case_key}consent"))
        self.products: dict[str, QCheckBox] = {}  # sku -> its tick box (a case's shortlist)
        self.remind = QCheckBox(t("console.book.remind"))
        self.remind.setChecked(True)
        self.problem = label("", "Tradeoff")
        self.book_button = button(t("console.book.book"), "Primary")
        self.book_button.clicked.connect(self.book)
        self.book_button.setDefault(True)  # Enter books (or moves); it never closes the dialog with what was typed
        close = button(t("console.book.close"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        if for_case is not None:
            self.category.setCurrentIndex(max(0, self.category.findData(for_case.category_id)))
            self.category.setEnabled(False)
            form.addRow(label(t(f"console.book.case.mail_in.{for_case.locale}")))
        if moving is not None:
            if for_case is not None:  # one appointment per advice: the one it has is moved
                form.addRow(label(t("console.book.case.has")))
            when = f"{self._when(moving.starts_at, moving.ends_at)} {t('console.appt.with', staff=moving.staff_name)}"
            form.addRow(label(t("console.move.now", when=when)))
            self.category.setCurrentIndex(max(0, self.category.findData(moving.category_id)))
            self.category.setEnabled(False)
            day = moving.starts_at.astimezone(config.store.zone).date()
            if python_date(self.day.minimumDate()) <= day <= python_date(self.day.maximumDate()):
                self.day.setDate(QDate(day.year, day.month, day.day))
            self.book_button.setText(t("console.move.move"))
        form.addRow(t("console.book.category"), self.category)
        form.addRow(t("console.book.day"), self.day)
        form.addRow(t("console.book.slots"), self.slots)
        if moving is None:  # a move keeps the customer's name, contact and wishes
            if for_case is not None and for_case.products:
                from advisor.appointments.booking import MAX_HOLDS

                form.addRow(label(t("console.book.case.products", count=MAX_HOLDS), "Section"))
                for sku, name in for_case.products:
                    tick = QCheckBox(f"{name} ({sku})")
                    tick.setChecked(len(self.products) < MAX_HOLDS)  # the first ones, as the kiosk offers them
                    tick.toggled.connect(lambda *_: self._limit_holds())
                    self.products[sku] = tick
                    form.addRow(tick)
                self._limit_holds()
            form.addRow(t(f"{case_key}name"), self.name)
            form.addRow(t("console.book.contact"), self.contact)
            form.addRow(self.consent)
            form.addRow(self.remind)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.book_button)
        # On a small (or scaled) screen the form scrolls; what went wrong and the buttons stay in view under it.
        QVBoxLayout(self).addWidget(scrolling_page(body, self.problem, buttons))
        fit_to_screen(self, QSize(max(640, body.minimumSizeHint().width() + 48), 640))  # (+ margins, scroll bar)
        self.category.currentIndexChanged.connect(lambda *_: self.read_slots())
        self.day.dateChanged.connect(lambda *_: self.read_slots())
        self.slots.itemSelectionChanged.connect(self._offer_reminder)
        self.slots.installEventFilter(self)  # Enter on a chosen time books (the scroll area keeps it from the dialog)
        self._reading = 0  # the last read of free times (an older one's answer is dropped)
        self.read_slots()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (watched is self.slots and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):  # fmt: skip
            self.book_button.click()
            return True
        return super().eventFilter(watched, event)

    def read_slots(self) -> None:
        from advisor.appointments.booking import slots_on

        category_id, config, day = self.category.currentData(), self.config, python_date(self.day.date())
        if category_id is None:
            return
        self.slots.clear()
        self._offer_reminder()
        self._reading += 1
        generation = self._reading

        def show(slots: list[Slot]) -> None:
            if generation == self._reading:  # (another day or area was chosen meanwhile: its times come next)
                self._show_slots(slots)

        skip = self.moving.appointment_id if self.moving is not None else None  # its own time is free to it
        engine = self.engine
        self.lane.run(lambda: slots_on(engine, config=config, category_id=category_id, day=day,
                                       skip_appointment=skip),
                      show, self._failed)  # fmt: skip

    def _show_slots(self, slots: list[Slot]) -> None:
        """The free times to choose from; one on another day than the day field's (the next free ones after a time
        was taken) names its day, as the kiosk's do."""
        self.slots.clear()
        chosen_day = python_date(self.day.date())
        for slot in slots:
            zone = self.config.store.zone
            starts, ends = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
            words = f"{starts:%H:%M}–{ends:%H:%M} · {', '.join(slot.staff)}"
            if starts.date() != chosen_day:
                words = f"{day_text(starts.date(), self.desk.locale, weekday='short')} {words}"
            if self.moving is not None and slot.starts_at == self.moving.starts_at:
                words = f"{words} · {self.desk.t('console.move.current')}"
            item = QListWidgetItem(words)
            item.setData(Qt.ItemDataRole.UserRole, slot.starts_at.isoformat())  # a Qt date-time drops the zone
            self.slots.addItem(item)
        if not slots:
            empty = QListWidgetItem(self.desk.t("console.book.no_slots"))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.slots.addItem(empty)

    def _offer_reminder(self) -> None:
        """ "Remind the day before" only where a reminder can still go out (the core's rule, as on the kiosk and the
        web): for the chosen time, or before one is chosen for the day shown (not today)."""
        from advisor.appointments.booking import reminds, reminds_on

        if self.moving is not None:
            return
        item = chosen_item(self.slots)
        chosen = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        offered = (reminds(self.config, datetime.fromisoformat(chosen)) if chosen is not None
                   else reminds_on(self.config, python_date(self.day.date())))  # fmt: skip
        self.form.setRowVisible(self.remind, offered)

    def _limit_holds(self) -> None:
        """No more products ticked than can be set aside (booking.MAX_HOLDS): the others wait, greyed, until one is
        unticked."""
        from advisor.appointments.booking import MAX_HOLDS

        full = len(self.held_skus()) >= MAX_HOLDS
        for tick in self.products.values():
            tick.setEnabled(tick.isChecked() or not full)

    def held_skus(self) -> list[str]:
        """The products ticked to be set aside, in the shortlist's order."""
        return [sku for sku, tick in self.products.items() if tick.isChecked()]

    def _failed(self, error: Exception) -> None:
        sys.stderr.write(f"advisor staff: booking: {type(error).__name__}: {error}\n")
        self.book_button.setEnabled(True)
        self.problem.setText(str(error) if isinstance(error, ValueError) else self.desk.t("console.problem.database"))

    def book(self) -> None:
        from advisor.appointments.booking import book

        t = self.desk.t
        item = chosen_item(self.slots)
        chosen = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if chosen is None:
            self.problem.setText(t("console.book.choose_slot"))
            return
        if self.moving is not None:
            if datetime.fromisoformat(chosen) == self.moving.starts_at:
                self.problem.setText(t("console.move.same"))
                return
            self.reschedule(datetime.fromisoformat(chosen), self.moving)
            return
        if not self.consent.isChecked():
            self.problem.setText(t(f"{self.case_key}consent_needed"))
            return
        starts_at = datetime.fromisoformat(chosen)
        config, category_id = self.config, self.category.currentData()
        remind = self.remind.isChecked() and not self.remind.isHidden()  # (not offered: no reminder can go out)
        name, contact, locale = self.name.text(), self.contact.text(), self.desk.locale
        case = self.for_case  # (with it: tied to the advice, in the customer's language, the products set aside)
        session_id, products = (case.session_id, self.held_skus()) if case is not None else (None, [])
        questionnaires = dict(case.questionnaires) if case is not None else {}
        if case is not None:
            locale = case.locale
        names = dict(case.products) if case is not None else {}  # (the names the tick boxes show)
        self.book_button.setEnabled(False)
        self.problem.setText("")

        categories = dict(self.catalog.categories) if self.catalog is not None else {}

        def work(engine: Engine = self.engine) -> Any:
            from advisor.rendering.mail import MailError
            from advisor.session.confirmation import confirm_by_mail

            booked = book(engine, config=config, category_id=category_id, starts_at=starts_at, name=name,
                          contact=contact, locale=locale, channel="console", session_id=session_id,
                          products=products, remind=remind)  # fmt: skip
            try:  # the same confirmation as the web's and the kiosk's, when the contact is an e-mail address
                mailed = confirm_by_mail(engine, config, booked, session_id=session_id, locale=locale,
                                         contact=contact, questionnaires=questionnaires, categories=categories,
                                         moved_from=booked.moved_from)  # fmt: skip
            except MailError:
                mailed = False
            return booked, mailed

        def done(outcome: Any) -> None:
            booked, mailed = outcome
            self.book_button.setEnabled(True)
            who = t("console.appt.with", staff=booked.staff_name)
            when = self._when(booked.starts_at, booked.ends_at)
            if booked.moved_from is not None:  # (booked meanwhile, on the kiosk or the phone: moved, not doubled)
                words = t("console.move.moved", name=name.strip(), when=when, staff=who)
            else:
                words = t("console.book.booked", name=name.strip(), when=when, staff=who)
            held, not_held = [names.get(sku, sku) for sku in booked.held], [names.get(sku, sku)
                                                                            for sku in booked.not_held]  # fmt: skip
            if held:
                words = f"{words} {t('console.book.case.held', products=', '.join(held))}"
            if not_held:
                words = f"{words} {t('console.book.case.not_held', products=', '.join(not_held))}"
            if mailed:
                words = f"{words} {t(f'{self.case_key}mailed')}"
            self.booked.emit(words, booked.appointment_id)
            self.accept()

        self.lane.run(work, done, self._refused)

    def _when(self, starts_at: datetime, ends_at: datetime) -> str:
        return when_text(self.desk, starts_at, ends_at)

    def _refused(self, error: Exception) -> None:
        """A booking or move refused: why, and for a time taken meanwhile the next free ones to choose from."""
        from advisor.appointments.booking import SlotTaken

        self._failed(error)
        if isinstance(error, SlotTaken):
            self._show_slots(list(error.next_slots))

    def reschedule(self, starts_at: datetime, entry: Entry) -> None:  # (not move(): QWidget.move places the window)
        """Move `entry` to `starts_at` on a worker; the customer gets the new time (and the old one) by mail, in
        the language they booked in."""
        from advisor.appointments.booking import details, reschedule_by_id

        t, config, locale = self.desk.t, self.config, self.desk.locale
        categories = dict(self.catalog.categories) if self.catalog is not None else {}
        questionnaires = dict(self.for_case.questionnaires) if self.for_case is not None else {}
        self.book_button.setEnabled(False)
        self.problem.setText("")

        def work(engine: Engine = self.engine) -> Any:
            from advisor.rendering.mail import MailError
            from advisor.session.confirmation import confirm_by_mail

            moved = reschedule_by_id(engine, config=config, appointment_id=entry.appointment_id,
                                        starts_at=starts_at, locale=locale)  # fmt: skip
            found = details(engine, appointment_id=entry.appointment_id)
            try:
                mailed = confirm_by_mail(engine, config, moved, session_id=entry.session_id,
                                         locale=found.locale if found is not None else locale, contact=entry.contact,
                                         questionnaires=questionnaires, categories=categories,
                                         moved_from=entry.starts_at)  # fmt: skip
            except MailError:
                mailed = False
            return moved, mailed

        def done(outcome: Any) -> None:
            moved, mailed = outcome
            self.book_button.setEnabled(True)
            words = t("console.move.moved", name=entry.name, when=self._when(moved.starts_at, moved.ends_at),
                      staff=t("console.appt.with", staff=moved.staff_name))  # fmt: skip
            self.booked.emit(f"{words} {t('console.move.mailed')}" if mailed else words, moved.appointment_id)
            self.accept()

        self.lane.run(work, done, self._refused)


class TeamDialog(QDialog):
    """Who advises on what and when: a person's skills, weekly shifts and dated exceptions."""

    def __init__(
        self, engine: Engine, *, config: Config, catalog: CatalogIndex | None, desk: Desk,
        parent: QWidget | None = None, questionnaires: Mapping[str, Questionnaire] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.engine, self.config, self.desk = engine, config, desk
        self.questionnaires = dict(questionnaires or {})  # (a hand-over's mail speaks as its advice: du or Sie)
        self.categories = dict(catalog.categories) if catalog is not None else {}
        self.lane = Lane(self, serial=True)
        t = desk.t
        self.setWindowTitle(t("console.team.title"))
        body = QWidget()
        outer = QHBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        left = QFormLayout()
        self.person = QComboBox()
        self.person.setAccessibleName(t("console.team.person"))
        self.person.currentIndexChanged.connect(lambda *_: self.read())
        left.addRow(t("console.team.person"), self.person)
        self.skills = QListWidget()
        self.skills.setAccessibleName(t("console.team.skills"))
        for category_id in _categories(config, catalog):
            item = QListWidgetItem(category_name(catalog, category_id, desk.locale))
            item.setData(Qt.ItemDataRole.UserRole, category_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.skills.addItem(item)
        left.addRow(t("console.team.skills"), self.skills)
        left.addRow(label(t("console.team.shifts"), "Section"))
        self.shifts: list[QLineEdit] = []
        for weekday in range(7):
            field = QLineEdit()
            field.setAccessibleName(text(f"weekday.{weekday}", desk.locale))
            field.setPlaceholderText(t("console.team.off"))
            self.shifts.append(field)
            left.addRow(text(f"weekday.{weekday}", desk.locale), field)
        self.problem = label("", "Tradeoff")
        self.save_button = button(t("console.team.save"), "Primary")
        self.save_button.clicked.connect(self.save)
        self.save_button.setDefault(True)  # Enter in a shift saves; it never closes the dialog
        finish = QHBoxLayout()  # under the form, in view however small the screen (the form scrolls above it)
        finish.addWidget(self.problem, 1)
        finish.addWidget(self.save_button)
        outer.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(label(t("console.team.exceptions"), "Section"))
        self.exceptions = QListWidget()
        self.exceptions.setAccessibleName(t("console.team.exceptions"))
        right.addWidget(self.exceptions, 1)
        self.exception_day = QDateEdit()
        self.exception_day.setCalendarPopup(True)
        self.exception_day.setDisplayFormat("ddd dd.MM.yyyy")
        self.exception_day.setLocale(QLocale(desk.locale))
        today = datetime.now(config.store.zone).date()
        self.exception_day.setDate(QDate(today.year, today.month, today.day))
        self.exception_span = QLineEdit()
        self.exception_span.setPlaceholderText(t("console.team.exception_span"))
        self.exception_span.setAccessibleName(t("console.team.exception_span"))
        self.add_exception_button = button(t("console.team.add_exception"))
        self.add_exception_button.clicked.connect(self.add_exception)
        self.remove_exception_button = button(t("console.team.remove_exception"))
        self.remove_exception_button.clicked.connect(self.remove_exception)
        for widget in (self.exception_day, self.exception_span, self.add_exception_button,
                       self.remove_exception_button):  # fmt: skip
            right.addWidget(widget)
        for side in (self.add_exception_button, self.remove_exception_button):
            side.setAutoDefault(False)
        outer.addLayout(right, 2)
        QVBoxLayout(self).addWidget(scrolling_page(body, finish))
        fit_to_screen(self, QSize(760, 680))
        engine = self.engine
        self.lane.run(lambda: _staff_names(engine), self._show_people, self._failed)

    def _show_people(self, names: list[str]) -> None:
        self.person.clear()
        for name in names:
            self.person.addItem(name, name)

    def _failed(self, error: Exception) -> None:
        sys.stderr.write(f"advisor staff: team: {type(error).__name__}: {error}\n")
        self.problem.setText(str(error) if isinstance(error, ValueError) else self.desk.t("console.problem.database"))

    def read(self, *, keep_message: bool = False) -> None:
        from advisor.appointments.staff import schedule_of

        name, since = self.person.currentData(), datetime.now(self.config.store.zone).date()
        if name is None:
            return
        engine = self.engine
        self.lane.run(lambda: schedule_of(engine, staff_name=name, since=since),
                      lambda schedule: self._show(schedule, keep_message=keep_message), self._failed)  # fmt: skip

    def _show(self, schedule: Schedule, *, keep_message: bool = False) -> None:
        from advisor.appointments.staff import span_text

        if schedule.staff_name != self.person.currentData():
            return
        for row in range(self.skills.count()):
            item = self.skills.item(row)
            chosen = item.data(Qt.ItemDataRole.UserRole) in schedule.skills
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
        for weekday, field in enumerate(self.shifts):
            field.setText(span_text(schedule.shifts.get(weekday)))
        self.exceptions.clear()
        for day, span in schedule.exceptions.items():
            shown = span_text(span) or self.desk.t("console.team.off")
            item = QListWidgetItem(f"{day_text(day, self.desk.locale, weekday='short', year=True)} · {shown}")
            item.setData(Qt.ItemDataRole.UserRole, day.isoformat())
            self.exceptions.addItem(item)
        if not keep_message:
            self.problem.setText("")

    def _spans(self, fields: list[QLineEdit]) -> list[Span | None] | None:
        """The typed spans, or None when one is no span (named under the form, nothing saved)."""
        from advisor.appointments import staff

        spans: list[Span | None] = []
        for field in fields:
            try:
                spans.append(staff.parse_span(field.text()))
            except ValueError:
                self.problem.setText(self.desk.t("console.team.bad_span", typed=field.text().strip()))
                field.setFocus()
                return None
        return spans

    def _changed(self, work: Callable[[Engine], None], name: str) -> None:
        """Write a change of `name`'s hours, then hand their bookings the new hours no longer hold to a free colleague;
        what was handed over, and what nobody can take, is said under the form."""
        from advisor.appointments.booking import hand_over

        config = self.config

        questionnaires, categories = self.questionnaires, self.categories

        def write(engine: Engine = self.engine) -> list[tuple[Handover, bool]]:
            from advisor.session.confirmation import handover_by_mail

            work(engine)
            return [(item, handover_by_mail(engine, config, item, handed_from=name, questionnaires=questionnaires,
                                            categories=categories))  # the customer learns who advises them now
                    for item in hand_over(engine, config=config, staff_name=name)]  # fmt: skip

        self.lane.run(write, self._handed, self._failed)

    def _handed(self, handed: list[tuple[Handover, bool]]) -> None:
        t, locale = self.desk.t, self.desk.locale
        lines = [t("console.team.saved")]
        for item, mailed in handed:
            when = f"{day_text(item.starts_at, locale, weekday='short')} {item.starts_at:%H:%M}"
            key = ("console.team.handed_mailed" if mailed else "console.team.handed") if item.to else (
                "console.team.stranded")  # fmt: skip
            lines.append(t(key, when=when, name=item.name, staff=item.to or ""))
        self.problem.setText("\n".join(lines))
        self.read(keep_message=True)

    def save(self) -> None:
        """Skills and the weekly shifts of the chosen person (a span that is no span is named, nothing saved)."""
        from advisor.appointments import staff

        name = self.person.currentData()
        if name is None:
            return
        spans = self._spans(self.shifts)
        if spans is None:
            return
        skills = [
            self.skills.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.skills.count())
            if self.skills.item(row).checkState() == Qt.CheckState.Checked
        ]  # fmt: skip

        def work(engine: Engine) -> None:
            staff.set_skills(engine, staff_name=name, categories=skills)
            for weekday, span in enumerate(spans):
                staff.set_shift(engine, staff_name=name, weekday=weekday, span=span)

        self._changed(work, name)

    def add_exception(self) -> None:
        from advisor.appointments import staff

        name, day = self.person.currentData(), python_date(self.exception_day.date())
        if name is None:
            return
        spans = self._spans([self.exception_span])
        if spans is None:
            return
        self._changed(lambda engine: staff.set_exception(engine, staff_name=name, day=day, span=spans[0]), name)

    def remove_exception(self) -> None:
        from advisor.appointments import staff

        item, name = chosen_item(self.exceptions), self.person.currentData()
        if item is None or name is None:
            return
        day = date.fromisoformat(item.data(Qt.ItemDataRole.UserRole))
        self._changed(lambda engine: staff.clear_exception(engine, staff_name=name, day=day), name)


def _staff_names(engine: Engine) -> list[str]:
    from advisor.appointments.staff import staff_names

    return staff_names(engine)
