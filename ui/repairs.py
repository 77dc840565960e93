"""The staff console's repairs: the store's open repair orders (code, product, problem, state, age) and, for the
chosen one, a button for each action its state allows. Every database read and write runs on a lane (off the GUI
thread); the work functions touch no widget."""

from __future__ import annotations

import html
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from advisor.handoff.codes import InvalidCode, normalise, shown
from advisor.i18n import day_text, text
from advisor.repairs.days import expected_text
from advisor.repairs.orders import Action, IllegalMove, Order, State
from advisor.repairs.words import cost_line
from advisor.session.help import workshop_view
from ui.ops import Lane
from ui.theme import Theme
from ui.widgets import ask_first, button, chosen_item, label

if TYPE_CHECKING:
    from advisor.config import Config
    from advisor.questionnaire.model import Questionnaire
    from advisor.recommend.index import CatalogIndex
    from advisor.session.cases import Desk
    from ui.repair_intake import RepairIntakeDialog

REFRESH_MS = 15_000  # the list is read again this often (an order taken in at a kiosk shows within it)
# The actions that end an order (it leaves the list, and no action brings it back): asked first.
ENDING = frozenset({Action.HAND_OVER, Action.RETURN_UNREPAIRED, Action.CANCEL})


@dataclass(frozen=True)
class RepairsList:
    """The store's open orders as of one read, with their products' names in the console's language."""

    orders: tuple[Order, ...]
    names: Mapping[str, str]
    now: datetime


def read_repairs(engine: Engine, *, store_id: str, locale: str, now: datetime) -> RepairsList:
    """The store's open orders, oldest first, and their products' names (runs on a worker)."""
    from advisor.repairs.orders import open_orders, product_names

    orders = tuple(open_orders(engine, store_id=store_id))
    return RepairsList(orders, product_names(engine, [order.product_sku for order in orders], locale), now)


def move_order(engine: Engine, *, config: Config, order_id: int, action: Action, staff: str) -> tuple[Order, bool]:
    """Apply a staff member's action; the order as it is now and whether a ready mail was queued (runs on a
    worker)."""
    from advisor.repairs.mail import MailSettings
    from advisor.repairs.orders import advance

    mail = MailSettings.of(config)
    order = advance(engine, order_id=order_id, action=action, staff=staff, mail=mail)
    return order, order.state == State.READY and mail is not None and order.reachable_by_mail


class RepairsView(QWidget):
    """The repairs window: the open orders on the left, the chosen one in the middle, what can be done on the right."""

    def __init__(
        self,
        engine: Engine,
        *,
        config: Config,
        desk: Desk,
        staff: str,
        questionnaires: Mapping[str, Questionnaire] | None = None,
        catalog: CatalogIndex | None = None,
    ) -> None:
        super().__init__()
        self.engine, self.config, self.desk, self.staff = engine, config, desk, staff
        self.questionnaires, self.catalog = questionnaires or {}, catalog  # for an order's answers and article
        self.reads = Lane(self, serial=True)
        self.writes = Lane(self, serial=True)
        self.listed: RepairsList | None = None
        self._reading = False
        self._again = False
        self._select_id: int | None = None  # an order taken in here, to select once listed
        self._find_pending = False  # a code searched before the list was first read: searched once it is
        self.intake: RepairIntakeDialog | None = None
        self.end_prompt: QMessageBox | None = None  # "end this order?", while it is asked
        self.setObjectName("Repairs")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    def t(self, key: str, **params: Any) -> str:
        return self.desk.t(key, **params)

    def _build(self) -> None:
        t = self.t
        self.setWindowTitle(t("console.repairs"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        header = QHBoxLayout()
        header.addWidget(label(t("console.repairs"), "Section", wrap=False))
        header.addStretch(1)
        code_label = label(t("console.repair.find.code"), wrap=False)
        self.code_field = QLineEdit()
        self.code_field.setAccessibleName(t("console.repair.find.code"))
        self.code_field.setPlaceholderText("ABCD-2345")
        self.code_field.setMaxLength(20)
        self.code_field.returnPressed.connect(self.find_code)
        code_label.setBuddy(self.code_field)
        self.find_button = button(t("console.repair.find.search"))
        self.find_button.clicked.connect(self.find_code)
        header.addWidget(code_label)
        header.addWidget(self.code_field)
        header.addWidget(self.find_button)
        self.take_in_button = button(t("console.repair.take_in"), "Primary")
        self.take_in_button.clicked.connect(self.take_in)
        header.addWidget(self.take_in_button)
        outer.addLayout(header)
        self.notice = label("", "Saved")
        self.notice.setAccessibleName("notice")
        outer.addWidget(self.notice)
        columns = QHBoxLayout()
        outer.addLayout(columns, 1)
        self.orders = QListWidget()
        self.orders.setAccessibleName(t("console.repairs"))
        self.orders.setWordWrap(True)
        self.orders.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # lines wrap instead
        self.orders.itemSelectionChanged.connect(self._show_selected)
        columns.addWidget(self.orders, 3)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.details.setAccessibleName("repair")
        columns.addWidget(self.details, 4)
        right = QVBoxLayout()
        self.action_buttons: dict[Action, QPushButton] = {}
        for action in Action:
            widget = button(t(f"repair.action.{action}"), "Primary" if action != Action.RETURN_UNREPAIRED else "")
            widget.clicked.connect(lambda _=False, chosen=action: self.apply(chosen))
            self.action_buttons[action] = widget
            right.addWidget(widget)
        right.addStretch(1)
        columns.addLayout(right, 2)
        self._show_selected()

    # -- reading -------------------------------------------------------------------------------------------------

    def selected(self) -> Order | None:
        item = chosen_item(self.orders)
        if item is None or self.listed is None:
            return None
        order_id = item.data(Qt.ItemDataRole.UserRole)
        return next((order for order in self.listed.orders if order.id == order_id), None)

    def refresh(self) -> None:
        """Read the store's open orders again, off the GUI thread."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        engine, store_id, locale = self.engine, self.config.store.id, self.desk.locale

        def failed(error: Exception) -> None:
            self._reading = False
            self._problem(error)

        self.reads.run(lambda: read_repairs(engine, store_id=store_id, locale=locale, now=datetime.now(UTC)),
                       self._show_list, failed)  # fmt: skip

    def _show_list(self, listed: RepairsList) -> None:
        self._reading = False
        if self.notice.text() == self.t("console.problem.database"):
            self.say("")  # the database answers again: its notice goes (any other notice stays)
        chosen = self.selected()
        wanted = chosen.id if chosen is not None else None
        if any(order.id == self._select_id for order in listed.orders):  # taken in here: chosen now
            wanted, self._select_id = self._select_id, None
        self.listed = listed
        self.orders.blockSignals(True)
        self.orders.clear()
        for order in listed.orders:
            item = QListWidgetItem(self.order_line(order))
            item.setData(Qt.ItemDataRole.UserRole, order.id)
            if self.overdue(order):
                item.setForeground(QColor(Theme().negative))
            self.orders.addItem(item)
            if order.id == wanted:
                self.orders.setCurrentItem(item)
                self.orders.scrollToItem(item)
        if not listed.orders:
            empty = QListWidgetItem(self.t("console.repair.none"))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.orders.addItem(empty)
        self.orders.blockSignals(False)
        self._show_selected()
        if self._find_pending:
            self._find_pending = False
            self.find_code()
        if self._again:
            self._again = False
            self.refresh()

    def product_name(self, order: Order) -> str:
        return self.listed.names.get(order.product_sku, order.product_sku) if self.listed else order.product_sku

    def age(self, order: Order) -> str:
        """How long the product has been in the store (counted from its hand-in), or, while it is only registered, how
        long ago it was registered; and whether it is past its expected ready date."""
        now = self.listed.now if self.listed is not None else datetime.now(UTC)
        zone = self.config.store.zone  # days as the store counts them: yesterday evening is not "today"
        since = order.received_at or order.created_at  # registered (not handed in yet): when the shopper registered it
        days = (now.astimezone(zone).date() - since.astimezone(zone).date()).days
        if order.state == State.REGISTERED:  # not here yet: "registered … ago", never "taken in"
            key = "console.repair.age.today_registered" if days < 1 else "console.repair.age.registered_one" if \
                days == 1 else "console.repair.age.registered_other"  # fmt: skip
        else:
            key = "console.repair.age.today" if days < 1 else "console.repair.age.one" if days == 1 else \
                "console.repair.age.other"  # fmt: skip
        words = self.t(key, days=days)
        if self.overdue(order):
            words = f"{words} · {self.t('console.repair.overdue')}"
        return words

    def overdue(self, order: Order) -> bool:
        """Past its expected ready day (a day the store is open) and not ready yet (listed in red), as of the list's
        reading."""
        from advisor.repairs.days import overdue

        return overdue(order, self.config.store, self.listed.now if self.listed is not None else datetime.now(UTC))

    def order_line(self, order: Order) -> str:
        """One order in the list: code, product and problem, then its state and age."""
        state = self.t(f"repair.state.{order.state}")
        return f"{shown(order.pickup_code)} · {self.product_name(order)} · {order.problem}\n{state} · {self.age(order)}"

    def _show_selected(self) -> None:
        order = self.selected()
        allowed = order.actions if order is not None else ()
        for action, widget in self.action_buttons.items():
            widget.setVisible(action in allowed)
            widget.setEnabled(action in allowed)
        if order is None:
            none = self.listed is not None and not self.listed.orders
            self.details.setPlainText(self.t("console.repair.none_hint" if none else "console.repair.choose"))
            return
        self.details.setHtml(self.order_html(order))

    def order_html(self, order: Order) -> str:
        """The chosen order as staff read it: what, what is wrong, the article and the answers, what was tried, the
        expected date and cost, who to call, and its history."""
        e = html.escape
        zone = self.config.store.zone
        if order.received_at is None:  # registered: the turnaround counts from the hand-in
            expected = self.t("console.repair.expected_after", days=order.turnaround_days)
        else:  # on a day the store is open
            expected = self.t("console.repair.expected", date=expected_text(order, self.config.store, self.desk.locale))
        parts = [
            f"<h2 style='margin:0'>{e(shown(order.pickup_code))} · {e(self.product_name(order))}</h2>",
            f"<p style='margin:2px 0 8px 0'><b>{e(self.t(f'repair.state.{order.state}'))}</b> · {e(self.age(order))}"
            f" · {e(expected)}</p>",
            f"<p>{e(order.problem)}</p>",
        ]
        view = workshop_view(order, questionnaires=self.questionnaires, catalog=self.catalog, locale=self.desk.locale)
        if view.article:
            parts.append(f"<p>{e(self.t('console.repair.article', article=view.article))}</p>")
        if view.answers:
            rows = "".join(f"<li>{e(question)}{'' if question.endswith(('?', ':')) else ':'} <b>{e(answer)}</b></li>"
                           for question, answer in view.answers)  # fmt: skip
            parts.append(f"<p style='margin-bottom:0'>{e(self.t('console.repair.answers'))}</p><ul>{rows}</ul>")
        if order.tried:
            parts.append(f"<p>{e(self.t('console.repair.tried', steps=', '.join(order.tried)))}</p>")
        if order.warranty:  # as the customer is addressed: the slip goes to them
            parts.append(f"<p><b>{e(text('repair.warranty', self.desk.locale, order.address))}</b></p>")
        cost = cost_line(order.cost_cents, self.desk.locale, warranty=order.warranty)
        if cost:
            parts.append(f"<p>{e(self.t('repair.cost', cost=cost))}</p>")
        contact = order.contact
        if contact is not None:
            reach = " · ".join(part for part in (contact.name, contact.email, contact.phone) if part)
            parts.append(f"<p>{e(self.t('console.repair.contact', contact=reach))}</p>")
        else:
            parts.append(f"<p>{e(self.t('console.repair.no_contact'))}</p>")
        parts.append("<ul>")
        for change in order.history:
            at = change.at.astimezone(zone)
            when = f"{day_text(at, self.desk.locale, weekday='short')} {at:%H:%M}"
            who = f" · {e(change.staff_name)}" if change.staff_name else ""
            parts.append(f"<li>{e(when)} · {e(self.t(f'repair.state.{change.state}'))}{who}</li>")
        parts.append("</ul>")
        return "".join(parts)

    # -- finding by pickup code -------------------------------------------------------------------------------------

    def find_code(self) -> None:
        """Choose the open order with the typed pickup code (case, spaces and dashes as the customer writes them), in
        the list as last read (no database read on the GUI thread); say so when no open order has it."""
        typed = self.code_field.text().strip()
        if not typed:
            return
        if self.listed is None:  # not read yet: searched once it is
            self._find_pending = True
            return
        try:
            code = normalise(typed)
        except InvalidCode:
            code = None
        for row in range(self.orders.count()):
            item = self.orders.item(row)
            order_id = item.data(Qt.ItemDataRole.UserRole)
            order = next((order for order in self.listed.orders if order.id == order_id), None)
            if order is not None and order.pickup_code == code:
                self.orders.setCurrentItem(item)
                self.orders.scrollToItem(item)
                self.say("")
                return
        self.say(self.t("console.repair.find.none", code=typed))

    # -- taking in at the counter ---------------------------------------------------------------------------------

    def take_in(self) -> None:
        """The dialog to take in a customer's product at the counter (one at a time)."""
        from ui.repair_intake import RepairIntakeDialog

        if self.intake is not None and self.intake.isVisible():
            self.intake.raise_()
            self.intake.activateWindow()
            return
        self.intake = RepairIntakeDialog(self.engine, config=self.config, desk=self.desk, staff=self.staff,
                                         catalog=self.catalog, parent=self)  # fmt: skip
        self.intake.taken.connect(self._taken)
        self.intake.open()

    def _taken(self, order: Order) -> None:
        """A repair taken in: said, and chosen in the list once it is read again."""
        self.say(self.t("console.repair.taken_in", code=shown(order.pickup_code)))
        self._select_id = order.id
        self.refresh()

    # -- moving --------------------------------------------------------------------------------------------------

    def apply(self, action: Action) -> None:
        """Apply a staff action to the chosen order, off the GUI thread; the list follows. An action that ends the
        order (handed over, returned unrepaired, struck) is asked first, naming the code and the product, as the
        appointments window asks before a cancellation; "Cancel" is the choice Enter and Escape make."""
        order = self.selected()
        if order is None:
            return
        if action not in ENDING:
            self._move(order, action)
            return
        question = self.t(f"console.repair.end_confirm.{action}", code=shown(order.pickup_code),
                          product=self.product_name(order))  # fmt: skip

        def answered(confirmed: bool) -> None:
            self.end_prompt = None
            if confirmed:
                self._move(order, action)

        self.end_prompt = ask_first(self, self.t("console.repair.end_confirm.title"), question,
                                    self.t(f"repair.action.{action}"), self.t("console.repair.end_confirm.no"),
                                    answered)  # fmt: skip

    def _move(self, order: Order, action: Action) -> None:
        engine, config, staff, order_id = self.engine, self.config, self.staff, order.id
        for widget in self.action_buttons.values():
            widget.setEnabled(False)

        def done(outcome: tuple[Order, bool]) -> None:
            moved, mailed = outcome
            words = self.t("console.repair.moved", code=shown(moved.pickup_code),
                           state=self.t(f"repair.state.{moved.state}"))  # fmt: skip
            self.say(f"{words} {self.t('console.repair.mailed')}" if mailed else words)
            self.refresh()

        def refused(error: Exception) -> None:
            self._problem(error)
            self.refresh()

        self.writes.run(lambda: move_order(engine, config=config, order_id=order_id, action=action, staff=staff),
                        done, refused)  # fmt: skip

    def say(self, words: str) -> None:
        self.notice.setText(words)

    def _problem(self, error: Exception) -> None:
        from advisor.session.refusals import refusal

        sys.stderr.write(f"advisor staff: repairs: {type(error).__name__}: {error}\n")
        self.say(
            refusal(error, self.desk.locale) if isinstance(error, IllegalMove) else self.t("console.problem.database")
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Escape closes the window, as it does a dialog."""
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.timer.stop()
        super().closeEvent(event)
