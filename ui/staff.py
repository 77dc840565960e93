"""`advisor staff`: the staff console. Sign in, see the live queue (an alert repeats until someone claims),
claim a request, see the whole case (answers, recommendations with reasons), close it."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPlainTextEdit,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from advisor.config import is_public_address
from advisor.i18n import pick
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.index import CatalogIndex, CategoryIndex
from ui.ops import Lane
from ui.wakeup import start_listening
from ui.widgets import button, label

if TYPE_CHECKING:
    from advisor.session.cases import Case, CaseKey, ConsoleView

PRESENCE_MS = 20_000  # a console reports in; kiosks count it available for a minute after
POLL_MS = 250  # PRAGMA data_version (or a tiny summary query): cheap enough to ask four times a second
ALERT_MS = 800


class StaffConsole(QMainWindow):
    """The console a sales person or a remote adviser works from."""

    def __init__(
        self,
        engine: Engine,
        questionnaires: dict[str, Questionnaire],
        catalog: CatalogIndex,
        public_base_url: str = "http://localhost:8000",
    ) -> None:
        from advisor.handoff.watching import ChangeWatcher

        super().__init__()
        self.reads = Lane(self, serial=True)  # views of the queue and cases, in order, off the GUI thread
        self.writes = Lane(self, serial=True)  # claims, closes, answers, chat, notes
        self.view: ConsoleView | None = None
        self._reading = False
        self._again = False
        self.notice = ""  # the last message for the staff member
        self._select: str | None = None  # a session opened by code, to select once listed
        self._select_request: int | None = None  # a claimed request, to select once listed
        self.engine = engine
        self.public_base_url = public_base_url
        self.public_web = is_public_address(public_base_url)
        self.phone_link: str | None = None
        self.questionnaires = questionnaires
        self.catalog = catalog
        categories = catalog.categories  # a plain function for workers (no Qt object in their closures)
        self._index_for: Callable[[Questionnaire], CategoryIndex | None] = lambda q: categories.get(q.category)
        self.staff: str | None = None
        self.opened: dict[str, str] = {}  # sessions opened by code, by id: their line in "my cases"
        self.watcher = ChangeWatcher(engine)
        self.setWindowTitle("Nordgrat Advisor – staff console")
        self.pages = QStackedWidget()
        self.setCentralWidget(self.pages)
        self.pages.addWidget(self._sign_in_page())
        self.pages.addWidget(self._console_page())
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self.refresh)
        self.alert_timer = QTimer(self)
        self.alert_timer.setInterval(ALERT_MS)
        self.alert_timer.timeout.connect(self._blink)
        self.listening = start_listening(engine, lambda: self.refresh(force=True), self.poll)
        self.presence = QTimer(self)
        self.presence.setInterval(PRESENCE_MS)
        self.presence.timeout.connect(self._report_presence)

    # -- sign in -------------------------------------------------------------------------------------------

    def _sign_in_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(label("Staff sign-in / Anmeldung", "Title"))
        self.name = QLineEdit()
        self.name.setPlaceholderText("Name")
        self.name.setAccessibleName("Name")
        self.pin = QLineEdit()
        self.pin.setPlaceholderText("PIN")
        self.pin.setAccessibleName("PIN")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.returnPressed.connect(self.sign_in)
        self.sign_in_error = label("", "Tradeoff")
        self.sign_in_button = button("Sign in / Anmelden", "Primary")
        self.sign_in_button.clicked.connect(self.sign_in)
        for widget in (self.name, self.pin, self.sign_in_error, self.sign_in_button):
            layout.addWidget(widget)
        layout.addStretch(2)
        return page

    def sign_in(self) -> None:
        from advisor.handoff.staff import sign_in

        name, pin = self.name.text().strip(), self.pin.text()
        self.pin.clear()
        self.sign_in_button.setEnabled(False)

        def checked(ok: bool) -> None:
            self.sign_in_button.setEnabled(True)
            if not ok:
                self.sign_in_error.setText("Name or PIN wrong / Name oder PIN falsch")
                return
            self.staff = name
            if not self.public_web:  # said to staff, who can tell store IT; shoppers never see the address
                self._say("Public web address not set ([web] public_base_url): no QR codes for phones / "
                          "Öffentliche Webadresse fehlt: keine QR-Codes fürs Handy")  # fmt: skip
            self._report_presence()
            self.presence.start()
            self.pages.setCurrentIndex(1)
            self.refresh(force=True)
            self.poll.start()

        def failed(error: Exception) -> None:
            self.sign_in_button.setEnabled(True)
            self.sign_in_error.setText("Database unreachable / Datenbank nicht erreichbar")
            sys.stderr.write(f"advisor staff: sign-in: {error}\n")

        self.writes.run(lambda engine=self.engine: sign_in(engine, name, pin), checked, failed)

    # -- the console -----------------------------------------------------------------------------------------

    def _console_page(self) -> QWidget:
        page = QWidget()
        columns = QHBoxLayout(page)
        left = QVBoxLayout()
        self.alert = label("", "Question")
        self.alert.setAccessibleName("alert")
        left.addWidget(self.alert)
        left.addWidget(label("Waiting / Wartend", "Section"))
        self.queue = QListWidget()
        self.queue.setAccessibleName("queue")
        left.addWidget(self.queue, 1)
        self.claim_button = button("Claim / Übernehmen", "Primary")
        self.claim_button.clicked.connect(self.claim)
        left.addWidget(self.claim_button)
        left.addWidget(label("My cases / Meine Fälle", "Section"))
        self.cases = QListWidget()
        self.cases.setAccessibleName("my cases")
        self.cases.currentItemChanged.connect(lambda *_: self.refresh(force=True))
        left.addWidget(self.cases, 1)
        self.close_button = button("Close case / Abschließen")
        self.close_button.clicked.connect(self.close_case)
        left.addWidget(self.close_button)
        self.phone_button = button("To the phone / Aufs Handy", "", "phone")
        self.phone_button.clicked.connect(self.to_phone)
        self.phone_button.setEnabled(self.public_web)
        left.addWidget(self.phone_button)
        code_row = QHBoxLayout()
        self.code = QLineEdit()
        self.code.setPlaceholderText("Code (ABC-234)")
        self.code.setAccessibleName("resume code")
        self.code.returnPressed.connect(self.open_code)
        self.open_code_button = button("Open / Öffnen")
        self.open_code_button.clicked.connect(self.open_code)
        code_row.addWidget(self.code, 1)
        code_row.addWidget(self.open_code_button)
        left.addLayout(code_row)
        self.insights_button = button("Insights / Auswertung", "", "scale")
        self.insights_button.clicked.connect(self.show_insights)
        left.addWidget(self.insights_button)
        columns.addLayout(left, 1)
        right = QVBoxLayout()
        self.case = QListWidget()
        self.case.setAccessibleName("case")
        self.case.setWordWrap(True)
        right.addWidget(self.case, 3)
        edit = QHBoxLayout()
        self.edit_step = QComboBox()
        self.edit_step.setAccessibleName("step to change")
        self.edit_step.currentIndexChanged.connect(self._fill_values)
        self.edit_value = QComboBox()
        self.edit_value.setAccessibleName("new answer")
        self.edit_number = QSpinBox()
        self.edit_number.setAccessibleName("new number")
        self.edit_number.setVisible(False)
        self.save_answer = button("Change && re-run / Ändern", "")
        self.save_answer.clicked.connect(self.change_answer)
        for widget in (self.edit_step, self.edit_value, self.edit_number):
            edit.addWidget(widget, 1)
        edit.addWidget(self.save_answer)
        right.addLayout(edit)
        right.addWidget(label("Notes / Notizen", "Section"))
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("notes")
        self.notes.setMaximumHeight(90)
        right.addWidget(self.notes)
        self.save_notes_button = button("Save notes / Notizen speichern")
        self.save_notes_button.clicked.connect(self.save_notes)
        right.addWidget(self.save_notes_button)
        right.addWidget(label("Chat", "Section"))
        self.chat = QListWidget()
        self.chat.setAccessibleName("chat")
        self.chat.setWordWrap(True)
        right.addWidget(self.chat, 1)
        row = QHBoxLayout()
        self.message = QLineEdit()
        self.message.setAccessibleName("message")
        self.message.setMaxLength(1000)
        self.message.returnPressed.connect(self.send)
        self.send_button = button("Send / Senden", "Primary")
        self.send_button.clicked.connect(self.send)
        row.addWidget(self.message, 1)
        row.addWidget(self.send_button)
        right.addLayout(row)
        columns.addLayout(right, 2)
        return page

    def _current_case(self) -> CaseKey | None:
        item = self.cases.currentItem()
        return tuple(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None  # type: ignore[return-value]

    def _selected_case(self) -> Case | None:
        case = self.view.case if self.view is not None else None
        return case if case is not None and case.key == self._current_case() else None

    def _write(self, work: Callable[[], Any], then: Callable[[Any], None] | None = None) -> None:
        """A change off the GUI thread; then the console reads again. Refusals are shown, not raised."""

        def done(result: Any) -> None:
            if then is not None:
                then(result)
            self.refresh(force=True)

        self.writes.run(work, done, self._problem)

    def _problem(self, error: Exception) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(error, SQLAlchemyError):
            sys.stderr.write(f"advisor staff: database: {error}\n")
            self._say("Database unreachable – retrying / Datenbank nicht erreichbar – neuer Versuch")
        else:
            self._say(str(error))

    def _say(self, notice: str) -> None:
        """A message for the staff member that stays until the next one (the waiting alert blinks over it)."""
        self.notice = notice
        self.alert.setText(notice)

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
        engine, questionnaires, index_for = self.engine, self.questionnaires, self._index_for

        def read() -> ConsoleView | None:  # no Qt object in here: it runs on a worker
            if not (watcher.changed() or force):
                return None
            return console_view(engine, staff=staff, opened=opened, selected=selected,
                                questionnaires=questionnaires, index_for=index_for)  # fmt: skip

        def failed(error: Exception) -> None:
            self._reading = False
            self._problem(error)

        self.reads.run(read, self._show_view, failed)

    def _show_view(self, view: ConsoleView | None) -> None:
        self._reading = False
        if view is not None:
            self.view = view
            self._show_queue(view)
            self._show_cases(view)
            self.show_case()
            self.show_chat()
            self.show_notes()
            self._fill_steps()
            if view.problem:
                self._say(view.problem)
        if self._again:
            self._again = False
            self.refresh(force=True)

    def _show_queue(self, view: ConsoleView) -> None:
        self.queue.clear()
        for entry, title in view.queue:
            item = QListWidgetItem(f"{entry.position}. {entry.kind} · {title} · {entry.requested_at:%H:%M}")
            item.setData(Qt.ItemDataRole.UserRole, entry.request_id)
            self.queue.addItem(item)
        if view.queue:
            self.queue.setCurrentRow(0)
            if not self.alert_timer.isActive():
                self.alert_timer.start()
        elif self.alert_timer.isActive():
            self.alert_timer.stop()
            self.alert.setText(self.notice)
        self.claim_button.setEnabled(bool(view.queue))

    def _show_cases(self, view: ConsoleView) -> None:
        selected = self._current_case()
        self.cases.blockSignals(True)  # rebuilding the list is not the user choosing another case
        self.cases.clear()
        for key, text in view.cases:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.cases.addItem(item)
            if selected is not None and tuple(selected) == key:
                self.cases.setCurrentItem(item)
        self.cases.blockSignals(False)
        self.close_button.setEnabled(self.cases.count() > 0)

    def _fill_steps(self) -> None:
        from advisor import engine as advice

        case = self._selected_case()
        wanted = self.edit_step.currentData()
        self.edit_step.blockSignals(True)
        self.edit_step.clear()
        if case is not None:
            session = case.session
            for step_id in advice.path_of(session.questionnaire, session.state.answers):
                self.edit_step.addItem(pick(session.questionnaire.step(step_id).question, session.locale), step_id)
            if wanted is not None and self.edit_step.findData(wanted) >= 0:
                self.edit_step.setCurrentIndex(self.edit_step.findData(wanted))
        self.edit_step.blockSignals(False)
        self._fill_values()

    def _fill_values(self) -> None:
        from advisor.questionnaire.model import DONT_CARE

        self.edit_value.clear()
        case = self._selected_case()
        step_id = self.edit_step.currentData()
        if case is None or step_id is None:
            return
        session = case.session
        step = session.questionnaire.step(step_id)
        self.edit_number.setVisible(step.kind == "number")
        self.edit_value.setVisible(step.kind != "number")
        current = session.state.answers.get(step_id)
        if step.kind == "number":
            self.edit_number.setRange(int(step.min or 0), int(step.max or 100))
            self.edit_number.setValue(int(current) if isinstance(current, int | float) else int(step.default or 0))
        elif step.kind == "yes_no":
            self.edit_value.addItem("ja / yes", True)
            self.edit_value.addItem("nein / no", False)
        else:
            for option in step.options:
                value = option.id if step.kind == "single" else (option.id,)
                self.edit_value.addItem(pick(option.label, session.locale), value)
        if step.dont_care:
            self.edit_value.addItem("egal / doesn't matter", DONT_CARE)
        if step.kind != "number" and self.edit_value.findData(current) >= 0:
            self.edit_value.setCurrentIndex(self.edit_value.findData(current))

    def change_answer(self) -> None:
        """Change one answer for the shopper and re-run the advice; the kiosk shows the new results."""
        from advisor.session.cases import change_answer

        case = self._selected_case()
        step_id = self.edit_step.currentData()
        if case is None or step_id is None:
            return
        step = case.session.questionnaire.step(step_id)
        value = self.edit_number.value() if step.kind == "number" else self.edit_value.currentData()
        session_id = case.key[1]
        engine, questionnaires, index_for = self.engine, self.questionnaires, self._index_for
        self._write(lambda: change_answer(engine, session_id, step_id, value, questionnaires=questionnaires,
                                          index_for=index_for))  # fmt: skip

    def save_notes(self) -> None:
        from advisor.handoff.chat import save_notes

        case = self._current_case()
        if case is None or case[0] is None:
            return
        request_id, notes = case[0], self.notes.toPlainText()
        self._write(lambda engine=self.engine: save_notes(engine, request_id, notes))

    def show_notes(self) -> None:
        case = self._selected_case()
        has_request = case is not None and case.key[0] is not None
        self.notes.setEnabled(has_request)
        self.save_notes_button.setEnabled(has_request)
        if not self.notes.hasFocus():  # never overwrite what the staff member is typing
            self.notes.setPlainText(case.notes if case is not None else "")

    def open_code(self) -> None:
        """Open a session by the code a shopper reads out (rate-limited like the kiosks)."""
        from advisor.handoff.sessions import open_by_code
        from advisor.session.cases import title_of
        from ui.code import LIMITER

        code, staff = self.code.text(), self.staff

        def opened(stored: Any) -> None:
            self.opened[stored.id] = f"code {code.upper()} · {title_of(self.questionnaires, stored.questionnaire_id)}"
            self.code.clear()
            self._select = stored.id

        self._write(
            lambda engine=self.engine: open_by_code(engine, code, client=f"console:{staff}", limiter=LIMITER), opened
        )

    def show_chat(self) -> None:
        case = self._selected_case()
        self.chat.clear()
        if case is None:
            return
        for line in case.messages:
            who = line.author if line.sender == "staff" else "Kunde/Customer"
            self.chat.addItem(f"{who}: {line.text}")
        self.chat.scrollToBottom()

    def send(self) -> None:
        from advisor.handoff.chat import post_message

        case = self._current_case()
        words = self.message.text()
        if case is None or case[0] is None or not words.strip():
            return
        request_id, staff = case[0], self.staff
        self.message.clear()
        self._write(
            lambda engine=self.engine: post_message(engine, request_id, sender="staff", author=staff, text=words)
        )

    def _blink(self) -> None:
        """The alert repeats (text and a beep) until someone claims the request."""
        count = self.queue.count()
        shown = self.alert.text().startswith("⚠")
        self.alert.setText(self.notice if shown else f"⚠ {count} waiting / wartend")
        if not shown:
            QApplication.beep()

    def claim(self) -> None:
        from advisor.handoff.requests import claim
        from advisor.insights.events import record_claim

        item = self.queue.currentItem()
        if item is None or self.staff is None:
            return
        request_id, staff = int(item.data(Qt.ItemDataRole.UserRole)), self.staff

        def claimed(won: bool) -> None:
            if not won:
                self._say("Someone else was faster / Schon übernommen")
            self._select_request = request_id

        self._write(
            lambda engine=self.engine: claim(engine, request_id, staff=staff, in_transaction=record_claim), claimed
        )

    def show_case(self) -> None:
        """The whole case: the answers and what the advice recommends, with its reasons (worked out off the GUI
        thread with the same session service as the shopper's screens)."""
        from advisor.session.cases import case_lines

        self.case.clear()
        self._apply_selection()
        case = self._selected_case()
        if case is None:
            return
        for line in case_lines(case, self.questionnaires):
            self.case.addItem(line)

    def _apply_selection(self) -> None:
        """After a claim or an opened code, select that case once it is in the list."""
        for row in range(self.cases.count()):
            request_id, session_id = self.cases.item(row).data(Qt.ItemDataRole.UserRole)
            if (self._select_request is not None and request_id == self._select_request) or (
                self._select is not None and session_id == self._select
            ):
                self._select_request = self._select = None
                self.cases.setCurrentRow(row)  # reads again with this case selected
                return

    def show_insights(self) -> None:
        """The merchandisers' figures (staff sign-in required) as charts, in a window of their own."""
        from ui.insights import InsightsView

        if self.staff is None:
            return
        view = InsightsView(self.engine, self.questionnaires, self.catalog)
        view.setWindowTitle("Insights / Auswertung")
        view.setWindowFlag(Qt.WindowType.Window)
        view.setParent(self, Qt.WindowType.Window)
        view.resize(1100, 800)
        view.refresh()
        view.show()
        self.insights = view

    def to_phone(self) -> None:
        """Hand the selected case to the shopper's phone: a one-time QR code (5 minutes) to scan."""
        from advisor.handoff.tokens import issue_token

        case = self._selected_case()
        if case is None:
            self._say("Choose a case first / Erst einen Fall wählen")
            return
        session_id, resume_code = case.record.id, case.record.resume_code
        self.writes.run(lambda engine=self.engine: issue_token(engine, session_id),
                        lambda token: self._show_phone(token, resume_code), self._problem)  # fmt: skip

    def _show_phone(self, token: str, resume_code: str) -> None:
        from PySide6.QtCore import QByteArray
        from PySide6.QtSvgWidgets import QSvgWidget
        from PySide6.QtWidgets import QDialog, QVBoxLayout

        from advisor.handoff.codes import shown
        from advisor.rendering.qr import qr_svg

        self.phone_link = f"{self.public_base_url}/c/{token}"
        dialog = QDialog(self)
        dialog.setWindowTitle("To the phone / Aufs Handy")
        layout = QVBoxLayout(dialog)
        qr = QSvgWidget()
        qr.load(QByteArray(qr_svg(self.phone_link).encode()))
        qr.setFixedSize(280, 280)
        qr.setAccessibleName("QR code for the shopper's phone")
        layout.addWidget(qr)
        layout.addWidget(label(f"Scan once within 5 minutes · Code {shown(resume_code)}"))
        done = button("Close / Schließen", "Primary")
        done.clicked.connect(dialog.accept)
        layout.addWidget(done)
        self.phone_dialog = dialog
        dialog.open()

    def close_case(self) -> None:
        from advisor.handoff.requests import Action, transition

        case = self._current_case()
        if case is None:
            return
        request_id, session_id = case
        self.case.clear()
        if request_id is None:  # opened by code, no request: just put it away
            self.opened.pop(session_id, None)
            self.refresh(force=True)
            return
        self._write(lambda engine=self.engine: transition(engine, request_id, Action.CLOSE))

    def _report_presence(self) -> None:
        from advisor.handoff.staff import report_presence

        if self.staff is not None:
            staff = self.staff
            self.writes.run(lambda engine=self.engine: report_presence(engine, staff), failed=self._problem)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        from advisor.handoff.staff import sign_out

        if self.staff is not None:
            staff = self.staff  # kiosks stop offering chat and consultants at once
            self.writes.run(lambda engine=self.engine: sign_out(engine, staff))
            self.writes.wait(2000)  # closing: a moment for the sign-out, never longer
        self.presence.stop()
        if self.listening is not None:
            self.listening.set()
        self.poll.stop()
        self.alert_timer.stop()
        self.watcher.close()
        super().closeEvent(event)


def run_staff(*, db_url: str | None, config_file: str | None = None) -> int:
    """Open the staff console on the qasync loop (PostgreSQL notifications arrive on it)."""
    import qasync

    from advisor.bootstrap import open_database
    from advisor.config import database_url_of, load_config
    from advisor.recommend.index import build_index
    from ui.app import create_application, load_questionnaires

    config = load_config(config_file)
    app = create_application()
    engine = open_database(db_url or database_url_of(config), interactive=True)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)

    async def main() -> None:
        console = StaffConsole(engine, load_questionnaires(), build_index(engine), config.web.public_base_url)
        console.resize(1280, 800)
        console.show()
        await closing.wait()

    with loop:
        loop.run_until_complete(main())
    return 0
