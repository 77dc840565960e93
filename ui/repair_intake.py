"""Taking in a repair at the counter: staff find the customer's product (a scanned barcode, its SKU or words of its
name; one not in the catalog as typed), say what is wrong, the turnaround, the expected cost and, with the customer's
consent, how to reach them; the order is stored as received in the staff member's name, on a lane (off the GUI
thread), and its pickup code is shown big for the customer. Everything typed stays when the order is refused."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, Signal
from PySide6.QtGui import QIntValidator, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import Engine

from advisor.handoff.codes import shown
from advisor.i18n import LOCALES, day_text, pick, text
from advisor.repairs.days import closed_text, expected_text, ready_day
from advisor.repairs.orders import MAX_NAME, MAX_PHONE, MAX_PROBLEM, Order
from advisor.service.find import in_catalog
from advisor.session.help import DEFAULT_DAYS
from ui.ops import Lane
from ui.widgets import button, chosen_item, fit_to_screen, label, screen_room, scrolling_page

if TYPE_CHECKING:
    from advisor.config import Config, StoreConfig
    from advisor.recommend.index import CatalogIndex, CategoryIndex
    from advisor.service.find import Found
    from advisor.session.cases import Desk

FORM_PAGE, DONE_PAGE = 0, 1
MAX_DAYS = 365
MAX_TYPED_PRODUCT = 64  # a product taken in as typed is stored as its SKU (the column's length)
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}


@dataclass(frozen=True)
class Article:
    """What is taken in: the catalog's product (and variant, when a barcode or a variant's SKU named it), or a
    product not in the catalog as staff typed it (its SKU and name both the typed text)."""

    product_sku: str
    variant_sku: str | None
    name: str


def article_of(index: CategoryIndex, found: Found, locale: str) -> tuple[Article, str]:
    """A found product as it is taken in, and its line in the list: name, what sets the variant apart, SKU."""
    from advisor.rendering.facts import variant_name

    product, variant = found.product, found.variant
    name = pick(product.name, locale)
    if variant is None:
        return Article(product.sku, None, name), f"{name} · {product.sku}"
    named = variant_name(product, variant.sku, locale, index)
    line = f"{name} · {named} · {variant.sku}" if named else f"{name} · {variant.sku}"
    return Article(product.sku, variant.sku, name), line


def _now() -> datetime:
    return datetime.now(UTC)


def ready_words(store: StoreConfig, now: datetime, days: int, locale: str) -> str:
    """The ready day a turnaround gives from `now` (the order is received then), moved to a day the store is open,
    and on a line of its own why it moved: "fertig bis Sa 26.12." and "(Fr 25.12. ist geschlossen)"."""
    ready = ready_day(store, now, days)
    words = text("console.repair.expected", locale, date=day_text(ready.day, locale, weekday="short"))
    return f"{words}\n({closed_text(ready.closed, locale)})" if ready.closed else words


def take_in(engine: Engine, **request: Any) -> Order:
    """Store the order as received (runs on a worker)."""
    from advisor.repairs.orders import create_order

    return create_order(engine, received=True, **request)


class FieldMessage(QLabel):
    """What is wrong with the field above it, in red; hidden while there is nothing to say."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("Tradeoff")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setVisible(False)

    def setText(self, words: str) -> None:  # noqa: N802 - Qt override
        super().setText(words)
        self.setVisible(bool(words))


class RepairIntakeDialog(QDialog):
    """Reparatur annehmen (take in a repair): the product, the problem, turnaround and cost, the customer's
    language and, with their consent, their contact; then the pickup code."""

    taken = Signal(object)  # the Order just stored

    def __init__(
        self,
        engine: Engine,
        *,
        config: Config,
        desk: Desk,
        staff: str,
        catalog: CatalogIndex | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine, self.config, self.desk, self.staff, self.catalog = engine, config, desk, staff, catalog
        self.writes = Lane(self, serial=True)
        self.order: Order | None = None
        self.searched = ""  # the text the list shows the products of ("" : no search since the field changed)
        self.setModal(True)
        self.setWindowTitle(self.t("console.repair.take_in"))
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)
        self.pages.addWidget(self._form_page())
        self.pages.addWidget(self._done_page())
        self._tab_order()
        fit_to_screen(self, QSize(1040, 660))
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def t(self, key: str, **params: Any) -> str:
        return self.desk.t(key, **params)

    # -- the form ------------------------------------------------------------------------------------------------

    def _form_page(self) -> QWidget:
        t = self.t
        body = self.form_body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(4, 0, 4, 0)
        outer.addWidget(label(t("console.repair.take_in"), "Section"))
        outer.addWidget(label(t("console.repair.intake.intro"), "Muted"))
        outer.addSpacing(8)

        # The product: scanned, typed or searched; what was found to choose from.
        self.field = QLineEdit()
        self.field.setMaxLength(MAX_TYPED_PRODUCT)
        outer.addWidget(self._title(t("console.repair.intake.product"), self.field))
        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        self.search_button = button(t("console.repair.intake.search"))
        self.search_button.setAutoDefault(False)
        self.search_button.clicked.connect(self.search)
        row.addWidget(self.search_button)
        outer.addLayout(row)
        self.field.textEdited.connect(self._product_edited)
        self.results = QListWidget()
        self.results.setAccessibleName(t("console.repair.intake.product"))
        self.results.setWordWrap(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setStyleSheet("QListWidget { min-height: 100px; }")  # (the console's sheet says 36 px)
        outer.addWidget(self.results, 1)
        self.product_message = self._message(outer)
        self.results.itemSelectionChanged.connect(lambda: self.product_message.setText(""))

        # What is wrong beside turnaround, cost and the customer's language.
        columns = QHBoxLayout()
        columns.setSpacing(24)
        outer.addLayout(columns)
        left = QVBoxLayout()
        self.problem = QPlainTextEdit()
        self.problem.setTabChangesFocus(True)  # Tab leaves the field (a repair's problem has no tabs)
        self.problem.setStyleSheet("QPlainTextEdit { min-height: 90px; }")
        left.addWidget(self._title(t("console.repair.intake.problem"), self.problem))
        left.addWidget(self.problem, 1)
        self.problem_message = self._message(left)
        columns.addLayout(left, 3)
        right = QVBoxLayout()
        self.days = QLineEdit(str(DEFAULT_DAYS))
        self.days.setValidator(QIntValidator(0, MAX_DAYS, self.days))
        self.days.setMaxLength(3)
        self.days.setFixedWidth(90)
        self.ready = label("", "Muted", wrap=False)
        self.cost = QLineEdit()
        self.cost.setMaxLength(40)
        self.cost.setPlaceholderText(t("console.repair.intake.cost_hint"))
        self.cost_message = FieldMessage()
        self.days_message = FieldMessage()
        self.cost.textEdited.connect(lambda _: self.cost_message.setText(""))
        self.language = QComboBox()
        for code in self.config.store.locales or LOCALES:
            self.language.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(self.config.store.default_locale)))
        self.days.textChanged.connect(self._show_ready)
        rows: list[tuple[str, list[QWidget]]] = [
            (t("console.repair.intake.days"), [self.days, self.ready]),
            (t("console.repair.intake.cost"), [self.cost]),
            (t("console.repair.intake.locale"), [self.language]),
        ]
        self.row_titles = [self._title(words, widgets[0], wrap=False) for words, widgets in rows]
        for title, (_, widgets) in zip(self.row_titles, rows, strict=True):
            line = QHBoxLayout()
            line.addWidget(title)
            for widget in widgets:
                line.addWidget(widget, 1 if widget is widgets[-1] else 0)
            right.addLayout(line)
            if widgets[0] is self.cost:
                right.addWidget(self.cost_message)
            if widgets[0] is self.days:
                right.addWidget(self.days_message)
        right.addStretch(1)
        columns.addLayout(right, 2)

        # The customer's contact, only with their consent.
        consent = QHBoxLayout()
        consent.setSpacing(16)
        self.consent = QCheckBox(t("console.repair.intake.consent"))
        self.consent.setMinimumHeight(48)  # a target for a finger too: the console may run on a touch screen
        self.consent.toggled.connect(self._consent_changed)
        consent.addWidget(self.consent)
        consent.addWidget(label(t("console.repair.intake.consent_hint"), "Muted"), 1)
        outer.addLayout(consent)
        contact = QHBoxLayout()
        contact.setSpacing(16)
        self.contact_message = FieldMessage()
        self.name, _ = self._contact_field(contact, t("console.repair.intake.name"), MAX_NAME, 2)
        self.email, self.email_message = self._contact_field(contact, t("console.repair.intake.email"), 320, 3)
        self.phone, self.phone_message = self._contact_field(contact, t("console.repair.intake.phone"), MAX_PHONE, 2)
        outer.addLayout(contact)
        outer.addWidget(self.contact_message)

        buttons = QHBoxLayout()
        self.notice = label("", "Tradeoff")
        self.notice.setAccessibleName("notice")
        buttons.addWidget(self.notice, 1)
        self.close_button = button(t("console.repair.intake.close"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.close_button)
        self.accept_button = button(t("console.repair.intake.accept"), "Primary")
        self.accept_button.setDefault(True)  # Enter in a field of the form takes it in (not in the search)
        self.accept_button.clicked.connect(self.submit)
        buttons.addWidget(self.accept_button)
        buttons.setContentsMargins(4, 0, 4, 0)
        self._consent_changed(False)
        self._show_ready()
        return scrolling_page(body, buttons)  # on a small screen the form scrolls; its buttons stay in view

    @staticmethod
    def _title(words: str, field: QWidget, *, wrap: bool = True) -> QLabel:
        """A field's label: its buddy, and the name assistive technology says for it."""
        title = label(words, wrap=wrap)
        title.setBuddy(field)
        field.setAccessibleName(words)
        return title

    @staticmethod
    def _message(layout: QVBoxLayout) -> FieldMessage:
        message = FieldMessage()
        layout.addWidget(message)
        return message

    def _contact_field(self, row: QHBoxLayout, words: str, length: int, stretch: int) -> tuple[QLineEdit, FieldMessage]:
        """A contact field under its label, with what is wrong with it below, as a column of `row`."""
        column = QVBoxLayout()
        field = QLineEdit()
        field.setMaxLength(length)
        message = FieldMessage()

        def edited() -> None:
            message.setText("")
            self.contact_message.setText("")

        field.textEdited.connect(edited)
        column.addWidget(self._title(words, field))
        column.addWidget(field)
        column.addWidget(message)
        column.addStretch(1)
        row.addLayout(column, stretch)
        return field, message

    def _tab_order(self) -> None:
        order: list[QWidget] = [self.field, self.search_button, self.results, self.problem, self.days, self.cost,
                                self.language, self.consent, self.name, self.email, self.phone, self.close_button,
                                self.accept_button]  # fmt: skip
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _consent_changed(self, on: bool) -> None:
        """Without the customer's consent no contact is kept: the fields are off (and what was typed is not sent)."""
        for field in (self.name, self.email, self.phone):
            field.setEnabled(on)
        if not on:
            for message in (self.email_message, self.phone_message, self.contact_message):
                message.setText("")

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """The fields beside their labels start in one column (as wide as the longest label in the font shown)."""
        width = max(title.sizeHint().width() for title in self.row_titles)
        for title in self.row_titles:
            title.setFixedWidth(width)
        super().showEvent(event)
        self.fit()

    def fit(self) -> None:
        """As tall as the texts shown need (a message wraps onto more lines than the dialog had room for), as far as
        the screen has room: beyond that the form scrolls. The form's own layout is asked: a stacked widget answers
        with its preferred height, not the least it needs."""
        current = self.pages.currentWidget()
        outer, page = self.layout(), current.layout() if current is not None else None
        if outer is None or page is None:
            return
        outer.activate()
        needed = outer.totalMinimumSize().height()
        area = current.findChild(QScrollArea) if current is not None else None
        body = area.widget() if area is not None else None
        if area is not None and body is not None and body.layout() is not None:
            form = body.layout()
            assert form is not None
            viewport = area.viewport()
            needed += form.totalMinimumHeightForWidth(viewport.width()) - viewport.height()
            needed = max(needed, outer.totalMinimumSize().height())
        else:
            chrome = outer.totalMinimumSize().height() - page.totalMinimumSize().height()
            needed = max(page.totalMinimumHeightForWidth(self.pages.width()) + chrome, needed)
        needed = min(needed, screen_room(self).height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def turnaround(self) -> int | None:
        """The days typed (None: none, or more than MAX_DAYS)."""
        typed = self.days.text().strip()
        return int(typed) if typed.isdigit() and int(typed) <= MAX_DAYS else None

    def _show_ready(self) -> None:
        """The ready date the turnaround gives, counted from today (the order is received now)."""
        days = self.turnaround()
        self.days_message.setText("")
        if days is None:
            self.ready.setText("")
            return
        self.ready.setText(ready_words(self.config.store, _now(), days, self.desk.locale))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """Enter in the search field searches (a scanner types the code and Enter) and takes nothing in; Enter on
        a found product chooses it and goes on to what is wrong."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.focusWidget() is self.field:
                self.search()
                return
            if self.focusWidget() is self.results and chosen_item(self.results) is not None:
                self.problem.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        super().keyPressEvent(event)

    # -- the product ---------------------------------------------------------------------------------------------

    def _product_edited(self) -> None:
        """A new text: what the last search found no longer answers it."""
        self.searched = ""
        self.results.clear()
        self.product_message.setText("")

    def search(self) -> None:
        """Look the code or words up in the catalog (in memory: no waiting); the article a code names, or the typed
        text when nothing is found, is chosen at once and the focus goes on to what is wrong; products found by
        their names (one or several) staff choose."""
        typed = self.field.text().strip()
        self.results.clear()
        self.searched = typed
        if not typed:
            self.product_message.setText(self.t("console.repair.intake.no_product"))
            return
        found = in_catalog(self.catalog, typed)
        for index, hit in found:
            article, line = article_of(index, hit, self.desk.locale)
            self._add(article, line)
        code_hit = len(found) == 1 and found[0][1].how in ("gtin", "sku")
        if not code_hit:  # words (or a code the catalog does not know): it can be taken in as typed
            self._add(Article(typed, None, typed), self.t("console.repair.intake.as_typed", typed=typed))
        if code_hit or not found:  # a barcode or sku names the article; nothing found: as typed
            self.results.setCurrentRow(0)
            self.product_message.setText("" if found else self.t("console.repair.intake.not_found"))
            self.problem.setFocus(Qt.FocusReason.OtherFocusReason)
        else:  # words match inside names ("tent" in "Hüttentraum"): staff choose, even among one
            self.results.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.product_message.setText(self.t("console.repair.intake.found", count=len(found)))
            self.results.setFocus(Qt.FocusReason.OtherFocusReason)
        self.fit()

    def _add(self, article: Article, line: str) -> None:
        item = QListWidgetItem(line)
        item.setData(Qt.ItemDataRole.UserRole, article)
        self.results.addItem(item)

    def chosen(self) -> Article | None:
        item = chosen_item(self.results)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    # -- taking it in --------------------------------------------------------------------------------------------

    def submit(self) -> None:
        """Check what was typed, then store the order off the GUI thread; the pickup code comes back to `_done`.
        What is wrong is said at its field, and nothing is sent."""
        from advisor.repairs.orders import RepairError, parse_cost

        t = self.t
        for message in (self.product_message, self.problem_message, self.cost_message, self.email_message,
                        self.phone_message, self.contact_message, self.days_message):  # fmt: skip
            message.setText("")
        self.notice.setText("")
        if self.chosen() is None and self.field.text().strip() and self.field.text().strip() != self.searched:
            self.search()  # scanned or typed, and taken in without a search: search now
            if self.chosen() is not None:
                self.product_message.setText("")
        article = self.chosen()
        problem = self.problem.toPlainText().strip()
        try:
            cost = parse_cost(self.cost.text())
            cost_problem = ""
        except RepairError:
            cost, cost_problem = None, t("console.repair.intake.cost_invalid")
        refusals: list[tuple[FieldMessage, str, QWidget]] = []
        if article is None:
            words = t("console.repair.intake.choose" if self.results.count() else "console.repair.intake.no_product")
            refusals.append((self.product_message, words, self.results if self.results.count() else self.field))
        if not problem:
            refusals.append((self.problem_message, t("console.repair.intake.problem_missing"), self.problem))
        elif len(problem) > MAX_PROBLEM:
            words = t("console.repair.intake.problem_long", limit=MAX_PROBLEM, count=len(problem))
            refusals.append((self.problem_message, words, self.problem))
        days = self.turnaround()
        if days is None:
            refusals.append((self.days_message, t("console.repair.intake.days_invalid", limit=MAX_DAYS), self.days))
        if cost_problem:
            refusals.append((self.cost_message, cost_problem, self.cost))
        if refusals:
            for message, words, _ in refusals:
                message.setText(words)
            refusals[0][2].setFocus(Qt.FocusReason.OtherFocusReason)
            self.fit()
            return
        assert article is not None
        consent = self.consent.isChecked()
        contact = {"contact_name": self.name.text(), "contact_email": self.email.text(),
                   "contact_phone": self.phone.text()} if consent else {}  # fmt: skip
        request = {
            "store_id": self.config.store.id, "product_sku": article.product_sku, "variant_sku": article.variant_sku,
            "problem": problem, "turnaround_days": days, "cost_cents": cost, "consent": consent,
            "locale": self.language.currentData(), "staff": self.staff, **contact,
        }  # fmt: skip
        engine = self.engine
        self.accept_button.setEnabled(False)
        self.writes.run(lambda: take_in(engine, **request), self._done, self._failed)

    def _failed(self, error: Exception) -> None:
        """Refused: said at the field it is about; everything typed stays for another try."""
        from advisor.repairs.orders import ContactProblem, RepairError

        self.accept_button.setEnabled(True)
        self.accept_button.setDefault(True)  # (a click moved the default off it: Enter takes it in again)
        if isinstance(error, ContactProblem):  # the customer's words, as staff read them out, each at its field
            at = {"email": (self.email_message, self.email), "phone": (self.phone_message, self.phone)}
            for problem, key in reversed(error.problems):  # (the focus ends on the first)
                message, field = at.get(problem, (self.contact_message, self.email))
                message.setText(text(key, self.desk.locale, "Sie"))
                field.setFocus(Qt.FocusReason.OtherFocusReason)
            self.fit()
        elif isinstance(error, RepairError):
            self.notice.setText(self.t("console.repair.intake.refused", reason=str(error)))
        else:  # the database is away
            sys.stderr.write(f"advisor staff: repair intake: {type(error).__name__}: {error}\n")
            self.notice.setText(self.t("console.problem.database"))

    # -- the pickup code -----------------------------------------------------------------------------------------

    def _done_page(self) -> QWidget:
        t = self.t
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(label(t("console.repair.intake.done"), "Section"))
        layout.addSpacing(16)
        layout.addWidget(label(t("console.repair.intake.code"), "Muted"))
        self.code = label("", "Figure", wrap=False)
        self.code.setStyleSheet("font-size: 64px; letter-spacing: 4px;")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a stop of the keyboard: read out by a screen reader
        layout.addWidget(self.code)
        self.done_ready = label("", "Section")
        layout.addWidget(self.done_ready)
        self.done_what = label("")
        layout.addWidget(self.done_what)
        self.done_contact = label("", "Muted")
        layout.addWidget(self.done_contact)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.another_button = button(t("console.repair.intake.another"))
        self.another_button.clicked.connect(self.another)
        buttons.addWidget(self.another_button)
        self.done_button = button(t("console.repair.intake.close"), "Primary")
        self.done_button.clicked.connect(self.accept)
        buttons.addWidget(self.done_button)
        buttons.setContentsMargins(4, 0, 4, 0)
        return scrolling_page(body, buttons)

    def _done(self, order: Order) -> None:
        self.order = order
        self.accept_button.setEnabled(True)
        code = shown(order.pickup_code)
        self.code.setText(code)
        self.code.setAccessibleName(f"{self.t('console.repair.intake.code')}: {code}")
        if order.expected_ready is not None:  # on a day the store is open
            date = expected_text(order, self.config.store, self.desk.locale)
            self.done_ready.setText(self.t("console.repair.expected", date=date))
        article = self.chosen()
        name = article.name if article is not None else order.product_sku
        what = f"{name} · {order.variant_sku}" if order.variant_sku else name
        self.done_what.setText(f"{what} · {order.problem}")
        contact = order.contact
        if contact is not None:
            reach = " · ".join(part for part in (contact.name, contact.email, contact.phone) if part)
            self.done_contact.setText(self.t("console.repair.contact", contact=reach))
        else:
            self.done_contact.setText(self.t("console.repair.no_contact"))
        self.pages.setCurrentIndex(DONE_PAGE)
        self.done_button.setDefault(True)
        self.done_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.taken.emit(order)

    def another(self) -> None:
        """The form again, empty, for the next customer."""
        self.field.clear()
        self._product_edited()
        self.problem.clear()
        self.days.setText(str(DEFAULT_DAYS))
        self.cost.clear()
        self.language.setCurrentIndex(max(0, self.language.findData(self.config.store.default_locale)))
        for field in (self.name, self.email, self.phone):
            field.clear()
        self.consent.setChecked(False)
        self.done_button.setDefault(False)
        self.accept_button.setDefault(True)
        self.order = None
        self.pages.setCurrentIndex(FORM_PAGE)
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
