"""`advisor staff`: the staff console. Sign in, see the live queue (an alert repeats until someone claims),
claim a request, see the whole case (answers, recommendations with reasons), close it."""

from __future__ import annotations

import asyncio
from typing import Any

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

from advisor.i18n import pick
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.index import CatalogIndex
from ui.wakeup import start_listening
from ui.widgets import button, label

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
        from advisor.handoff.requests import ChangeWatcher

        super().__init__()
        self.engine = engine
        self.public_base_url = public_base_url
        self.phone_link: str | None = None
        self.questionnaires = questionnaires
        self.catalog = catalog
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

        name = self.name.text().strip()
        if sign_in(self.engine, name, self.pin.text()):
            self.staff = name
            self.pin.clear()
            self._report_presence()
            self.presence.start()
            self.pages.setCurrentIndex(1)
            self.refresh(force=True)
            self.poll.start()
        else:
            self.sign_in_error.setText("Name or PIN wrong / Name oder PIN falsch")
            self.pin.clear()

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
        self.cases.currentItemChanged.connect(
            lambda *_: (self.show_case(), self.show_chat(), self._fill_steps(), self.show_notes())
        )
        left.addWidget(self.cases, 1)
        self.close_button = button("Close case / Abschließen")
        self.close_button.clicked.connect(self.close_case)
        left.addWidget(self.close_button)
        self.phone_button = button("To the phone / Aufs Handy", "", "phone")
        self.phone_button.clicked.connect(self.to_phone)
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

    def _case_questionnaire(self) -> tuple[Any, Any, Any] | None:
        """The selected case's stored session, questionnaire and state."""
        from advisor.audit import state_for
        from advisor.handoff.requests import session_of

        case = self._current_case()
        stored = session_of(self.engine, case[1]) if case else None
        questionnaire = self.questionnaires.get(stored.questionnaire_id) if stored else None
        if stored is None or questionnaire is None:
            return None
        return stored, questionnaire, state_for(questionnaire, stored.answers)

    def _fill_steps(self) -> None:
        from advisor import engine as advice

        self.edit_step.clear()
        found = self._case_questionnaire()
        if found is None:
            return
        stored, questionnaire, state = found
        for step_id in advice.path_of(questionnaire, state.answers):
            self.edit_step.addItem(pick(questionnaire.step(step_id).question, stored.locale), step_id)

    def _fill_values(self) -> None:
        from advisor.questionnaire.model import DONT_CARE

        self.edit_value.clear()
        found = self._case_questionnaire()
        step_id = self.edit_step.currentData()
        if found is None or step_id is None:
            return
        stored, questionnaire, state = found
        step = questionnaire.step(step_id)
        self.edit_number.setVisible(step.kind == "number")
        self.edit_value.setVisible(step.kind != "number")
        if step.kind == "number":
            self.edit_number.setRange(int(step.min or 0), int(step.max or 100))
            current = state.answers.get(step_id)
            self.edit_number.setValue(int(current) if isinstance(current, int | float) else int(step.default or 0))
        elif step.kind == "yes_no":
            self.edit_value.addItem("ja / yes", True)
            self.edit_value.addItem("nein / no", False)
        else:
            for option in step.options:
                value = option.id if step.kind == "single" else (option.id,)
                self.edit_value.addItem(pick(option.label, stored.locale), value)
        if step.dont_care:
            self.edit_value.addItem("egal / doesn't matter", DONT_CARE)

    def change_answer(self) -> None:
        """Change one answer for the shopper and re-run the advice; the kiosk shows the new results."""
        from advisor import engine as advice
        from advisor.handoff.requests import save_answers

        found = self._case_questionnaire()
        step_id = self.edit_step.currentData()
        if found is None or step_id is None:
            return
        stored, questionnaire, state = found
        step = questionnaire.step(step_id)
        value = self.edit_number.value() if step.kind == "number" else self.edit_value.currentData()
        try:
            changed = advice.change_answer(questionnaire, state, step_id, value)
        except advice.InvalidAnswer as error:
            self.alert.setText(str(error))
            return
        save_answers(self.engine, stored.id, changed.answers)
        self.show_case()

    def _current_case(self) -> tuple[int | None, str] | None:
        item = self.cases.currentItem()
        return tuple(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None  # type: ignore[return-value]

    def save_notes(self) -> None:
        from advisor.handoff.requests import HandoffError, save_notes

        case = self._current_case()
        if case is None or case[0] is None:
            return
        try:
            save_notes(self.engine, case[0], self.notes.toPlainText())
        except HandoffError as error:
            self.alert.setText(str(error))

    def show_notes(self) -> None:
        from advisor.handoff.requests import notes_of

        case = self._current_case()
        has_request = case is not None and case[0] is not None
        self.notes.setEnabled(has_request)
        self.save_notes_button.setEnabled(has_request)
        self.notes.setPlainText(notes_of(self.engine, case[0]) if case is not None and case[0] is not None else "")

    def open_code(self) -> None:
        """Open a session by the code a shopper reads out (rate-limited like the kiosks)."""
        from advisor.handoff.codes import InvalidCode, TooManyAttempts
        from advisor.handoff.requests import HandoffError, open_by_code
        from ui.code import LIMITER

        try:
            stored = open_by_code(self.engine, self.code.text(), client=f"console:{self.staff}", limiter=LIMITER)
        except (InvalidCode, TooManyAttempts, HandoffError) as error:
            self.alert.setText(str(error))
            return
        self.opened[stored.id] = f"code {self.code.text().upper()} · {self._title(stored.questionnaire_id)}"
        self.code.clear()
        self.refresh(force=True)
        for row in range(self.cases.count()):
            if self.cases.item(row).data(Qt.ItemDataRole.UserRole)[1] == stored.id:
                self.cases.setCurrentRow(row)

    def show_chat(self) -> None:
        from advisor.handoff.requests import messages

        case = self._current_case()
        self.chat.clear()
        if case is None or case[0] is None:
            return
        for line in messages(self.engine, case[0]):
            who = line.author if line.sender == "staff" else "Kunde/Customer"
            self.chat.addItem(f"{who}: {line.text}")
        self.chat.scrollToBottom()

    def send(self) -> None:
        from advisor.handoff.requests import HandoffError, post_message

        case = self._current_case()
        if case is None or case[0] is None or not self.message.text().strip():
            return
        try:
            post_message(self.engine, case[0], sender="staff", author=self.staff, text=self.message.text())
        except HandoffError as error:
            self.alert.setText(str(error))
            return
        self.message.clear()
        self.show_chat()

    def refresh(self, force: bool = False) -> None:
        """Re-read queue and cases when the tables changed (the database is the truth)."""
        from advisor.handoff import requests as handoff

        if self.staff is None or not (self.watcher.changed() or force):
            return
        waiting = handoff.queue(self.engine)
        self.queue.clear()
        for entry in waiting:
            stored = handoff.session_of(self.engine, entry.session_id)
            title = self._title(stored.questionnaire_id) if stored else "?"
            item = QListWidgetItem(f"{entry.position}. {entry.kind} · {title} · {entry.requested_at:%H:%M}")
            item.setData(Qt.ItemDataRole.UserRole, entry.request_id)
            self.queue.addItem(item)
        if waiting:
            self.queue.setCurrentRow(0)
            if not self.alert_timer.isActive():
                self.alert_timer.start()
        else:
            self.alert_timer.stop()
            self.alert.setText("")
        selected = self.cases.currentItem().data(Qt.ItemDataRole.UserRole) if self.cases.currentItem() else None
        self.cases.blockSignals(True)  # rebuilding the list is not the user choosing another case
        self.cases.clear()
        entries = [
            ((entry.request_id, entry.session_id), f"{entry.kind} · {self._title_of_session(entry.session_id)}")
            for entry in handoff.claimed_by(self.engine, self.staff)
        ]
        entries += [((None, session_id), text) for session_id, text in self.opened.items()]
        for data, text in entries:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, data)
            self.cases.addItem(item)
            if selected is not None and tuple(selected) == data:
                self.cases.setCurrentItem(item)
        self.cases.blockSignals(False)
        self.claim_button.setEnabled(bool(waiting))
        self.close_button.setEnabled(self.cases.count() > 0)
        self.show_chat()

    def _title_of_session(self, session_id: str) -> str:
        from advisor.handoff.requests import session_of

        stored = session_of(self.engine, session_id)
        return self._title(stored.questionnaire_id) if stored else "?"

    def _title(self, questionnaire_id: str) -> str:
        questionnaire = self.questionnaires.get(questionnaire_id)
        return pick(questionnaire.title, "de") if questionnaire else questionnaire_id

    def _blink(self) -> None:
        """The alert repeats (text and a beep) until someone claims the request."""
        count = self.queue.count()
        shown = bool(self.alert.text())
        self.alert.setText("" if shown else f"⚠ {count} waiting / wartend")
        if not shown:
            QApplication.beep()

    def claim(self) -> None:
        from advisor.handoff.requests import claim

        item = self.queue.currentItem()
        if item is None or self.staff is None:
            return
        request_id = int(item.data(Qt.ItemDataRole.UserRole))
        if not claim(self.engine, request_id, staff=self.staff):
            self.alert.setText("Someone else was faster / Schon übernommen")
        self.refresh(force=True)
        for row in range(self.cases.count()):
            if self.cases.item(row).data(Qt.ItemDataRole.UserRole)[0] == request_id:
                self.cases.setCurrentRow(row)

    def show_case(self) -> None:
        """The whole case: the answers and what the advice recommends, with its reasons."""
        from advisor import engine as advice
        from advisor.audit import state_for
        from advisor.handoff.requests import session_of
        from advisor.recommend.core import display_answer, recommend

        self.case.clear()
        item = self.cases.currentItem()
        if item is None:
            return
        _, session_id = item.data(Qt.ItemDataRole.UserRole)
        stored = session_of(self.engine, session_id)
        if stored is None:
            return
        questionnaire = self.questionnaires.get(stored.questionnaire_id)
        if questionnaire is None:
            self.case.addItem(f"Unknown questionnaire {stored.questionnaire_id}")
            return
        locale = stored.locale
        state = state_for(questionnaire, stored.answers)
        self.case.addItem(f"{pick(questionnaire.title, locale)} ({locale})")
        for step_id in advice.path_of(questionnaire, state.answers):
            if step_id in state.answers:
                step = questionnaire.step(step_id)
                answer = display_answer(step, state.answers[step_id], locale)
                self.case.addItem(f"{pick(step.question, locale)} → {answer}")
        index = self.catalog.categories.get(questionnaire.category)
        if index is None:
            return
        result = recommend(index=index, questionnaire=questionnaire, state=state, locale=locale)
        self.case.addItem(f"{result.count} products fit")
        for relaxation in result.relaxations:
            self.case.addItem(f"offered now: {relaxation.text}")
        for met in stored.relaxations:
            labels = ", ".join(str(name) for name in met.get("labels", met.get("drop", [])))
            verb = "took" if met.get("applied") else "was offered"
            self.case.addItem(f"Shopper {verb}: without {labels} ({met.get('count', '?')})")
        if stored.viewed:
            names = [
                pick(index.products[index.position[sku]].name, locale) if sku in index.position else sku
                for sku in stored.viewed
            ]
            self.case.addItem("Viewed / Angesehen: " + ", ".join(names))
        for rank, ranked in enumerate(result.products, start=1):
            self.case.addItem(f"{rank}. {pick(ranked.product.name, locale)} ({ranked.sku})")
            for reason in ranked.reasons:
                self.case.addItem(f"    ✓ {reason.text}")

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
        from PySide6.QtCore import QByteArray
        from PySide6.QtSvgWidgets import QSvgWidget
        from PySide6.QtWidgets import QDialog, QVBoxLayout

        from advisor.handoff.codes import shown
        from advisor.handoff.requests import session_of
        from advisor.handoff.tokens import issue_token
        from advisor.rendering.qr import qr_svg

        item = self.cases.currentItem()
        if item is None:
            self.alert.setText("Choose a case first / Erst einen Fall wählen")
            return
        _, session_id = item.data(Qt.ItemDataRole.UserRole)
        stored = session_of(self.engine, session_id)
        if stored is None:
            return
        self.phone_link = f"{self.public_base_url}/c/{issue_token(self.engine, session_id)}"
        dialog = QDialog(self)
        dialog.setWindowTitle("To the phone / Aufs Handy")
        layout = QVBoxLayout(dialog)
        qr = QSvgWidget()
        qr.load(QByteArray(qr_svg(self.phone_link).encode()))
        qr.setFixedSize(280, 280)
        qr.setAccessibleName("QR code for the shopper's phone")
        layout.addWidget(qr)
        layout.addWidget(label(f"Scan once within 5 minutes · Code {shown(stored.resume_code)}"))
        done = button("Close / Schließen", "Primary")
        done.clicked.connect(dialog.accept)
        layout.addWidget(done)
        self.phone_dialog = dialog
        dialog.open()

    def close_case(self) -> None:
        from advisor.handoff.requests import HandoffError, transition

        item = self.cases.currentItem()
        if item is None:
            return
        request_id, _ = item.data(Qt.ItemDataRole.UserRole)
        if request_id is None:  # opened by code, no request: just put it away
            self.opened.pop(item.data(Qt.ItemDataRole.UserRole)[1], None)
            self.refresh(force=True)
            self.case.clear()
            return
        try:
            transition(self.engine, request_id, "close")
        except HandoffError as error:
            self.alert.setText(str(error))
        self.refresh(force=True)
        self.case.clear()

    def _report_presence(self) -> None:
        from advisor.handoff.staff import report_presence

        if self.staff is not None:
            report_presence(self.engine, self.staff)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        from advisor.handoff.staff import sign_out

        if self.staff is not None:
            sign_out(self.engine, self.staff)  # kiosks stop offering chat and consultants at once
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
    engine = open_database(db_url or database_url_of(config))
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
