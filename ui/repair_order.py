"""Order a repair at the kiosk: what is known goes with it (product, problem, answers, the guides already tried);
a contact only with consent; then the pickup code, and a QR code to follow the repair on the phone."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from advisor.i18n import text
from ui.ops import Lane
from ui.session import KioskSession
from ui.speech import tell, unsaid
from ui.spoken import sentences, spelled
from ui.widgets import (
    OptionCard,
    button,
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
    from advisor.rendering.service import OutcomeView
    from advisor.repairs.orders import Order

FORM_PAGE, DONE_PAGE = 0, 1


class RepairDialog(QDialog):
    """The repair order: consent and contact, the guides tried; then its pickup code."""

    def __init__(
        self, session: KioskSession, repair: OutcomeView, guides: list[OutcomeView], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.repair = repair
        self.writes = Lane(self, serial=True)
        self.order: Order | None = None
        self.setModal(True)
        self.setMinimumSize(QSize(820, 560).boundedTo(screen_room(self)))  # (portrait at 150 %: 720 wide)
        self.setWindowTitle(self.t("help.order"))
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)
        self.pages.addWidget(self._form_page(guides))
        self.pages.addWidget(self._done_page())

    def t(self, key: str, **params: Any) -> str:
        return text(key, self.session.locale, self.session.address, **params)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not enter_presses_nothing(event):  # (Enter on a text never makes the shopper's choice)
            super().keyPressEvent(event)

    def spoken(self) -> str:
        if self.pages.currentIndex() == FORM_PAGE:
            return sentences(self.t("help.order"), self.repair.title, self.repair.repair, self.intro.text())
        return self.done_words()

    def done_words(self) -> str:
        code = self.order.pickup_code if self.order is not None else ""
        # What the page shows, only that: the line about the phone with its QR code (a public web address only),
        # then what to do with the product (its code spelled by the voice, ui/spoken.speakable).
        follow = "" if self.follow.isHidden() else self.follow.text()
        return sentences(
            self.t("help.order.done"), self.t("repair.code", code=spelled(code)), follow, self.bring.text()
        )

    def first_focus(self) -> QWidget:
        if self.pages.currentIndex() != FORM_PAGE:
            return self.done_code
        # The first choice on the form, in reading order: a guide already tried (above the consent), else the consent
        return next(iter(self.tried.values()), self.consent)

    # -- the form -------------------------------------------------------------------------------------------

    def _form_page(self, guides: list[OutcomeView]) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(label(self.repair.title, "Question"))
        inner.addWidget(label(self.repair.repair, "Section"))
        self.intro = label(self.t("help.order.intro"))
        readable(self.intro)
        inner.addWidget(self.intro)
        self.tried: dict[str, OptionCard] = {}
        for guide in guides:  # what the shopper already tried goes to the workshop with the product
            card = tick_card(self.t("console.repair.tried", steps=guide.title))
            card.setMinimumHeight(64)
            self.tried[guide.id] = card
            inner.addWidget(card)
        self.consent = tick_card(self.t("help.order.consent"))
        self.consent.setMinimumHeight(72)
        self.consent.toggled.connect(self._consent_changed)
        inner.addWidget(self.consent)
        fields = QHBoxLayout()
        self.name = labelled_field(fields, self.t("help.order.name"), 200)
        self.email = labelled_field(fields, self.t("help.order.email"), 320)
        self.phone = labelled_field(fields, self.t("help.order.phone"), 40)
        self.name.setInputMethodHints(Qt.InputMethodHint.ImhPreferUppercase)  # what the on-screen keys offer first
        self.email.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        inner.addLayout(fields)
        inner.addStretch(1)
        self.body = body
        layout.addWidget(touch_scroll_area(body), 1)
        self.problem = label("", "Tradeoff")
        readable(self.problem)
        self.problem.setVisible(False)  # (shown with a problem: an empty stop would say nothing)
        layout.addWidget(self.problem)
        buttons = QHBoxLayout()
        cancel = button(self.t("talk.close"), "", "back")
        cancel.clicked.connect(self.reject)
        self.send = button(self.t("help.order.send"), "Primary")
        self.send.clicked.connect(self.submit)
        buttons.addWidget(cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.send)
        layout.addLayout(buttons)
        self._consent_changed(False)
        return page

    def _consent_changed(self, on: bool) -> None:
        """Without consent no contact is kept: the fields are off (and what was typed is not sent)."""
        for field in (self.name, self.email, self.phone):
            field.setEnabled(on)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        fit_fields((self.name, self.email, self.phone), self.intro)
        fit_to_screen(self, self.size())  # never wider or taller than the kiosk's screen
        super().showEvent(event)
        self.fit()

    def fit(self) -> None:
        """As tall as the form needs (no field half hidden below the fold), within the kiosk's window, centred on
        it; what does not fit then scrolls."""
        parent = self.parentWidget()
        window = parent.window() if parent is not None else None
        if window is None or self.pages.currentIndex() != FORM_PAGE:
            return
        scroll = self.body.parentWidget()  # the scroll area's viewport
        if scroll is None:
            return
        for widget in (self, self.pages.currentWidget()):  # (a message just shown takes its room first)
            widget_layout = widget.layout() if widget is not None else None
            if widget_layout is not None:
                widget_layout.activate()
        layout = self.body.layout()
        content = layout.totalHeightForWidth(scroll.width()) if layout is not None else -1
        content = max(content, self.body.sizeHint().height())  # (the labels wrapped at the viewport's width)
        wanted = max(self.minimumHeight(), content + self.height() - scroll.height())
        height = min(wanted, window.height() - 32)
        if height != self.height():
            self.resize(self.width(), height)
            self.move(window.mapToGlobal(window.rect().center()) - self.rect().center())

    def _refuse(self, words: str) -> None:
        self._problem(words)
        self.fit()  # the message takes room: the fields stay in sight
        tell(self, words)

    def _problem(self, words: str) -> None:
        """The message under the form: shown (and a stop of the keys) only while it says something."""
        self.problem.setText(words)
        self.problem.setVisible(bool(words))

    def submit(self) -> None:
        """Store the order off the GUI thread; the pickup code comes back to `_done`."""
        from advisor.repairs.orders import create_order
        from advisor.session.help import repair_request
        from advisor.session.service import SessionError

        session, engine, advice = self.session, self.session.engine, self.session.advice
        if engine is None or advice is None:
            self._refuse(self.t("talk.offline"))
            return
        if not advice.product:
            self._refuse(self.t("help.order.needs_product"))  # (the outcomes screen names it: not offered)
            return
        consent = self.consent.isChecked()
        contact = {"name": self.name.text(), "email": self.email.text(), "phone": self.phone.text()} if consent else {}
        tried = [guide for guide, card in self.tried.items() if card.isChecked()]
        try:
            workshop = session.config.store.default_locale if session.config is not None else None
            request = repair_request(advice, self.repair.id, store_id=session.store_id, variant_sku=session.variant_sku,
                                     tried=tried, consent=consent, workshop_locale=workshop, **contact)  # fmt: skip
        except SessionError as error:
            self._refuse(self.t("help.order.failed", reason=str(error)))
            return
        with unsaid(self):  # the focus leaves the button it disables without a word: the pickup code is said next
            self.send.setEnabled(False)
        self._problem("")
        self.writes.run(lambda: create_order(engine, **request), self._done, self._failed)

    def _failed(self, error: Exception) -> None:
        from advisor.repairs.orders import ContactProblem, RepairError
        from advisor.session.service import SessionError

        self.send.setEnabled(True)
        if isinstance(error, ContactProblem):  # in the shopper's language, all at once; to the first one's field
            self._refuse(" ".join(self.t(key) for _field, key in error.problems))
            field = {"email": self.email, "phone": self.phone}.get(error.field, self.email)
            field.setFocus(Qt.FocusReason.OtherFocusReason)
        elif isinstance(error, RepairError | SessionError):
            self._refuse(self.t("help.order.failed", reason=str(error)))
        else:  # the database is away: everything typed stays for another try
            sys.stderr.write(f"advisor kiosk: a repair order could not be stored ({error})\n")
            self._refuse(self.t("talk.offline"))

    # -- the pickup code ----------------------------------------------------------------------------------------

    def _done_page(self) -> QWidget:
        from PySide6.QtSvgWidgets import QSvgWidget

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(label(self.t("help.order.done"), "Question"))
        row = QHBoxLayout()
        self.qr = QSvgWidget()
        self.qr.setFixedSize(QSize(240, 240))
        self.qr.setAccessibleName(self.t("help.order.follow"))
        row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        self.done_code = label("", "NumberValue")
        readable(self.done_code, self.done_words)
        texts.addWidget(self.done_code)
        self.follow = label(self.t("help.order.follow"))
        texts.addWidget(self.follow)
        self.bring = label("")
        texts.addWidget(self.bring)
        texts.addStretch(1)
        row.addLayout(texts, 1)
        layout.addLayout(row, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        close = button(self.t("talk.close"), "Primary")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        return page

    def _done(self, order: Order) -> None:
        from advisor.rendering.qr import qr_svg
        from ui.talk import shown_code

        self.order = order
        self.session.read_ordered()  # the outcomes behind the dialog say it is ordered, with this code
        code = shown_code(order.pickup_code)  # a no-break hyphen: "3D68‑JFJ2" on one line, never "3D68-" / "JFJ2"
        self.done_code.setText(self.t("repair.code", code=code))
        if order.expected_ready is None:  # registered: the product is still to be handed in
            self.bring.setText(self.t("repair.bring_in", code=code, days=order.turnaround_days))
        else:
            self.bring.setText(self.t("repair.bring", code=code))
        if self.session.public_web:
            self.qr.load(QByteArray(qr_svg(f"{self.session.public_base_url}/repair?code={order.pickup_code}").encode()))
        self.qr.setVisible(self.session.public_web)
        self.follow.setVisible(self.session.public_web)
        self.pages.setCurrentIndex(DONE_PAGE)
        tell(self, self.done_words())
        self.done_code.setFocus(Qt.FocusReason.OtherFocusReason)
