"""Help with a product the shopper owns: which help, which product (barcode, name, picture, an earlier advice's
code), and at the end what to do: a guide with pictures, the part on this store's shelf, a repair, a person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from advisor.i18n import pick
from advisor.recommend.core import category_noun
from advisor.recommend.index import ProductInfo
from advisor.rendering.service import OutcomeView, PartView, StepView
from ui import spoken
from ui.screens.base import Screen
from ui.screens.results import product_image
from ui.screens.start import CATEGORY_ICONS
from ui.session import KioskSession
from ui.widgets import CardGrid, Group, OptionCard, button, clear, label, readable, svg_pixmap

if TYPE_CHECKING:
    from advisor.service.find import Found
    from advisor.session.store import Record

OWNED_PICTURE = QSize(80, 60)  # the shopper's product beside its name on the help's last screen


class HelpScreen(Screen):
    """One card per service flow: what is wrong, with which kind of product."""

    def __init__(self, session: KioskSession) -> None:
        super().__init__(session)
        self.title = label("", "Title")
        self.outer.addWidget(self.title)
        self.subtitle = label("", "Subtitle")
        self.outer.addWidget(self.subtitle)
        self.grid = CardGrid(420)
        self.scrolling(self.grid)
        row = self.footer()
        row.addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.grid.cards[0] if self.grid.cards else None

    def spoken(self) -> str:
        return spoken.sentences(self.title.text(), self.subtitle.text(),
                                spoken.choose(count=len(self.grid.cards), locale=self.session.locale,
                                              address=self.session.address, titled=False))  # fmt: skip

    def refresh(self) -> None:
        self.title.setText(self.t("help.choose"))
        self.subtitle.setText(self.t("help.start.hint"))
        self.back.setText(self.t("question.back"))
        flows = list(self.session.service_flows.values())
        cards: list[OptionCard] = []
        for flow in flows:
            card = OptionCard(
                self.pick(flow.title), self.pick(flow.intro), flow.icon or CATEGORY_ICONS.get(flow.category, "star")
            )
            card.setCheckable(False)
            card.clicked.connect(lambda _=False, qid=flow.id: self.session.start(qid))
            card.place = (len(cards) + 1, len(flows))  # type: ignore[attr-defined]
            cards.append(card)
        self.grid.set_cards(cards)


class ProductChoice(OptionCard):
    """A product to pick as the shopper's own: its picture, its name and, quieter, its brand."""

    def __init__(self, product: ProductInfo, locale: str) -> None:
        name = pick(product.name, locale)
        super().__init__(name, product.brand)
        self.setCheckable(False)
        self.sku = product.sku
        self.picture = QLabel()
        self.picture.setPixmap(product_image(product, QSize(120, 90)))
        self.picture.setFixedSize(120, 90)
        self.row.insertWidget(0, self.picture)
        self.setMinimumHeight(112)  # said as its name, then its brand (the card's description)


class FindScreen(Screen):
    """Which product does the shopper have? A barcode scanner types into the field (digits and Enter) wherever
    the focus is; words search the names; pictures of the category; the code of an earlier advice."""

    def __init__(self, session: KioskSession) -> None:
        super().__init__(session)
        self.title = label("", "Title")
        self.outer.addWidget(self.title)
        self.subtitle = label("", "Subtitle")
        self.outer.addWidget(self.subtitle)
        row = QHBoxLayout()
        self.field = QLineEdit()
        self.field.setMaxLength(80)
        self.field.setMinimumHeight(64)
        self.field.returnPressed.connect(self.search)
        row.addWidget(self.field, 1)
        self.search_button = button("", "Primary")
        self.search_button.clicked.connect(self.search)
        row.addWidget(self.search_button)
        self.outer.addLayout(row)
        self.hint = label("", "Muted")
        self.outer.addWidget(self.hint)
        self.message = label("", "Tradeoff")
        readable(self.message)
        self.message.setVisible(False)
        self.outer.addWidget(self.message)
        self.heading = label("", "Section")
        self.outer.addWidget(self.heading)
        self.grid = CardGrid(340)
        self.grid.grid.setContentsMargins(8, 8, 16, 8)  # room for the focus ring beside the scroll bar
        holder = QWidget()  # the cards at the top, however few
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.grid)
        column.addStretch(1)
        self.scrolling(holder)
        footer = self.footer()
        footer.addStretch(1)
        self.code_button = button("", "", "clock")
        self.code_button.clicked.connect(self._code)
        footer.addWidget(self.code_button)
        self.skip = button("", "")
        self.skip.clicked.connect(session.skip_product)
        footer.addWidget(self.skip)
        self.found: list[Found] | None = None  # what the last search found (None: no search yet)
        self.query = ""
        self.shown_for: object = None  # the advice whose product is sought (a new one clears the field)

    def first_focus(self) -> QWidget | None:
        return self.field

    def spoken(self) -> str:
        return spoken.sentences(self.title.text(), self.subtitle.text(), self.hint.text(),
                                self.message.text() if self.message.isVisible() else "")  # fmt: skip

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """A scanner's digits arriving while a picture or button has the focus go into the field."""
        typed = event.text()
        if typed and typed.isdigit():  # (the field's own keys never arrive here: it takes them)
            self.field.setFocus(Qt.FocusReason.OtherFocusReason)
            self.field.insert(typed)
            return
        super().keyPressEvent(event)

    def search(self) -> None:
        """Look the field's code or words up in the flow's category (in memory: no waiting)."""
        from advisor.service.find import find, gtin_key

        index = self.session.index
        self.query = self.field.text().strip()
        if index is None or not self.query:  # nothing to look up: an earlier search's message goes, what to do is said
            self.found = None
            self._say("")
            self._show()
            if index is not None:
                from ui.speech import tell

                tell(self, self.t("help.find.empty"))
            return
        found = find(index, self.query)
        if len(found) == 1 and found[0].how in ("gtin", "sku"):  # a barcode names exactly one article: take it
            self.field.clear()
            self.session.set_product(found[0].sku, found[0].variant.sku if found[0].variant else None)
            return
        self.found = found
        if not found:
            noun = category_noun(index, self.session.locale)
            key = gtin_key(self.query)
            self._say(self.t("help.find.code_unknown", code=self.query, category=noun) if key else
                      self.t("help.find.none", query=self.query, category=noun))  # fmt: skip
        self._show()
        self._announce()

    def _say(self, words: str) -> None:
        self.message.setText(words)
        self.message.setVisible(bool(words))
        if words:
            from ui.speech import tell

            tell(self, words)

    def _code(self) -> None:
        from ui.code import CodeDialog

        self.code_dialog = CodeDialog(self.session, self, on_record=self._from_code)
        self.code_dialog.open()

    def _from_code(self, record: Record) -> None:
        """An earlier advice's products of this category: the one it was about, those looked at, then those it
        recommended."""
        from advisor.handoff.codes import shown
        from advisor.session.help import of_advice

        index = self.session.index
        if index is None:
            return
        self.found = of_advice(index, record, self.session.questionnaires)
        self.query = shown(record.resume_code)
        if not self.found:
            self._say(self.t("help.find.none", query=self.query, category=category_noun(index, self.session.locale)))
        self._show(self.t("help.find.from_code", code=self.query))
        self._announce()

    def _announce(self) -> None:
        """What a search found, said (the focus stays on the search): how many, and the first of them; after what
        found nothing, that the pictures below are there to pick from, and the first of them."""
        cards = self.grid.cards if self.found is not None else []
        if cards:
            from ui.speech import describe, tell

            tell(self, spoken.sentences(self.heading.text(), describe(cards[0], self.session.locale)))

    def refresh(self) -> None:
        session = self.session
        if self.shown_for is not session.advice:  # another shopper's search is not shown to the next
            self.shown_for = session.advice
            self.field.clear()
            self.found, self.query = None, ""
            self._say("")
        flow = session.questionnaire
        self.title.setText(self.t("help.find.title"))
        self.subtitle.setText(self.pick(flow.title) if flow else "")
        self.field.setPlaceholderText(self.t("help.find.field"))
        self.field.setAccessibleName(self.t("help.find.field"))
        self.search_button.setText(self.t("help.find.search"))
        self.hint.setText(self.t("help.find.hint"))
        self.back.setText(self.t("question.back"))
        self.code_button.setText(self.t("help.find.resume"))
        self.code_button.setVisible(session.engine is not None)
        self.skip.setText(self.t("help.find.skip"))
        self._fit_field()
        self._show()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        """Left for another screen: what the last search said is not shown (nor said) on the next visit."""
        super().hideEvent(event)
        if not event.spontaneous():
            self._say("")

    def _fit_field(self) -> None:
        """The field's text as large as the screen's (the theme styles labels and buttons, not fields)."""
        self.subtitle.ensurePolished()
        size = max(18, self.subtitle.font().pixelSize())
        self.field.setStyleSheet(f"QLineEdit {{ font-size: {size}px; padding: 0 {size // 2}px; }}")

    def _show(self, heading: str | None = None) -> None:
        from advisor.service.find import PICTURES, Found

        index = self.session.index
        if index is None:
            self.grid.set_cards([])
            return
        if not self.found:  # no search yet, or nothing found: the category's pictures (below what it said)
            found = [Found(product) for product in index.products[:PICTURES]]
            self.heading.setText(self.t("help.find.pick"))
        else:
            found = self.found
            self.heading.setText(heading or self.t("help.find.found", query=self.query, count=len(found)))
            self._say("")
        cards: list[ProductChoice] = []
        for item in found:
            card = ProductChoice(item.product, self.session.locale)
            card.clicked.connect(lambda _=False, sku=item.sku: self.session.set_product(sku))
            card.place = (len(cards) + 1, len(found))  # type: ignore[attr-defined]
            cards.append(card)
        self.grid.set_cards(cards)


class OutcomeCard(QFrame):
    """One way to help: a guide, parts, a repair, warranty guidance or a person. A person's card offers the talk
    (and the booking) only with `talk`: a screen has one talk button, under its last person card; an earlier one
    ("Your tent has no pole of its own") says only its words."""

    def __init__(self, screen: OutcomesScreen, view: OutcomeView, *, talk: bool = True) -> None:
        super().__init__()
        self.setObjectName("Card")
        self.view = view
        self.owner = screen  # (not self.screen: that would shadow QWidget.screen())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        title = self.title = label(view.title, "CardTitle")
        readable(title, self.spoken)  # the card's texts that have no focus stop of their own, said with its title
        layout.addWidget(title)
        if view.text:
            layout.addWidget(label(view.text))
        match view.kind:
            case "guide":
                self._guide(layout)
            case "parts":
                for part in view.parts:
                    layout.addWidget(PartRow(screen, part))
            case "repair":
                layout.addWidget(label(view.repair, "Muted"))
                row = QHBoxLayout()
                if screen.has_product():
                    if self.ordered_words():  # ordered before (Back, or a return later): said, with its code
                        layout.addWidget(label(self.ordered_words(), "Reason"))
                    words = screen.t("help.order.change" if self.ordered_words() else "help.order")
                    order = button(words, "Primary", "repair")
                    order.setAccessibleName(f"{words}: {view.title}")
                    order.clicked.connect(lambda: screen.order_requested.emit(view.id))
                    row.addWidget(order)
                else:  # as the web's card: no order without the product, the way to name it instead
                    layout.addWidget(label(self.needs_product(), "Tradeoff"))
                    row.addWidget(screen.product_button())
                row.addStretch(1)
                layout.addLayout(row)
            case "warranty":
                for note in view.warranty:
                    layout.addWidget(label(note))
            case _ if talk:
                from ui.booking import bookable  # the booking shows the talk dialog's code

                to_person = button(screen.t("help.talk"), "Accent", "chat")
                to_person.clicked.connect(screen.talk_requested.emit)
                row = QHBoxLayout()
                row.addWidget(to_person)
                if bookable(screen.session):  # or later, at a time that suits: as the web's help offers
                    self.book = button("", "", "clock")
                    self._show_book()
                    self.book.clicked.connect(self._open_booking)
                    row.addWidget(self.book)
                row.addStretch(1)
                layout.addLayout(row)

    def _open_booking(self) -> None:
        """The booking dialog; once the advice has an appointment, its confirmation."""
        from ui.booking import open_booking

        open_booking(self.owner.session, self.owner.window()).finished.connect(self._show_book)

    def _show_book(self) -> None:
        """The booking button's words: "Termin vereinbaren", or when the advice's appointment is."""
        from ui.booking import book_label

        self.book.setText(book_label(self.owner.session))
        self.book.setAccessibleName(self.book.text())

    def ordered_words(self) -> str:
        """A repair card's notice once this advice has ordered the repair for the product: its pickup code (ordering
        it again brings that order up to date); else nothing. As the web's card says it."""
        from advisor.handoff.codes import shown

        code = self.owner.session.ordered.get(self.view.id) if self.view.kind == "repair" else None
        return self.owner.t("help.order.already", code=shown(code)) if code else ""

    def needs_product(self) -> str:
        """A repair card's notice while no product is named (the order needs one); else nothing."""
        if self.view.kind != "repair" or self.owner.has_product():
            return ""
        return self.owner.t("help.order.needs_product")

    def spoken(self) -> str:
        """The title, what the card says, and what is on it without a stop of its own: the repair's terms (and that
        it needs the product), the warranty's advice, the guide's own title, difficulty, time and tools (its steps
        and parts are said each)."""
        view, guide = self.view, self.view.guide
        about = [view.repair, self.ordered_words(), self.needs_product(), *view.warranty]
        if view.kind == "guide" and guide is not None:
            about += [
                guide.title if guide.title != view.title else "",
                spoken.listing((guide.difficulty, guide.minutes)),
                self.owner.t("help.tools", tools=", ".join(guide.tools)) if guide.tools else "",
            ]
        return spoken.sentences(view.title, view.text, *about)

    def _guide(self, layout: QVBoxLayout) -> None:
        guide, screen = self.view.guide, self.owner
        if guide is None:
            return
        if guide.title != self.view.title:  # the product's own guide, standing in for the family's
            layout.addWidget(label(guide.title, "Section"))
        facts = " · ".join([guide.difficulty, guide.minutes])
        layout.addWidget(label(facts, "Muted"))
        if guide.tools:
            layout.addWidget(label(screen.t("help.tools", tools=", ".join(guide.tools))))
        if guide.needs:
            needs = label(screen.t("help.needs"), "Section")
            layout.addWidget(needs)
            parts = [PartRow(screen, part) for part in guide.needs]
            for part_row in parts:
                layout.addWidget(part_row)
            Group(needs, parts)  # "What you need" said on the way to the first part
        for step in guide.steps:
            row = QHBoxLayout()
            row.setSpacing(16)
            if step.image is not None:
                drawing = label("")
                drawing.setPixmap(svg_pixmap(step.image, QSize(180, 135)))
                drawing.setAlignment(Qt.AlignmentFlag.AlignTop)
                row.addWidget(drawing)
            words = label(f"{step.number}. {step.text}")

            def step_words(s: StepView = step) -> str:  # (this step's, not the loop's last)
                return spoken.sentences(screen.t("help.step", number=s.number), s.text)

            readable(words, step_words)
            row.addWidget(words, 1)
            layout.addLayout(row)


class PartRow(QFrame):
    """A spare part or care product: picture, name, price; whether it is here, and on which shelf."""

    def __init__(self, screen: OutcomesScreen, part: PartView) -> None:
        super().__init__()
        self.setObjectName("AltRow")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.setSpacing(14)
        product = screen.product_of(part.sku)
        if product is not None:
            drawing = label("")
            drawing.setPixmap(product_image(product, QSize(80, 60)))
            row.addWidget(drawing)
        texts = QVBoxLayout()
        heading = QHBoxLayout()
        heading.addWidget(label(part.name, "CardTitle"), 1)
        heading.addWidget(label(part.price, "AltPrice", wrap=False))
        texts.addLayout(heading)
        self.stock = label(part.stock, "Reason" if part.count > 0 else "Muted")
        texts.addWidget(self.stock)
        row.addLayout(texts, 1)
        readable(self, lambda: spoken.sentences(part.name, part.price, part.stock))


class OutcomesScreen(Screen):
    """What the shopper can do now, in the flow's order."""

    order_requested = Signal(str)  # a repair outcome's id
    talk_requested = Signal()

    def __init__(self, session: KioskSession) -> None:
        super().__init__(session)
        self.title = label("", "Title")
        self.outer.addWidget(self.title)
        product_row = QHBoxLayout()
        product_row.setSpacing(14)
        self.picture = QLabel()  # the product named, to recognise at a glance: the help is for this one
        self.picture.setFixedSize(OWNED_PICTURE)
        product_row.addWidget(self.picture)
        self.product = label("", "Subtitle")
        product_row.addWidget(self.product, 1)
        self.change = self.product_button()
        product_row.addWidget(self.change)
        self.outer.addLayout(product_row)
        self.body = QWidget()
        self.cards = QVBoxLayout(self.body)
        self.cards.setContentsMargins(0, 0, 0, 0)
        self.cards.setSpacing(16)
        self.scrolling(self.body)
        row = self.footer()
        row.addStretch(1)
        self.views: tuple[OutcomeView, ...] = ()
        self.ordering: str | None = None  # the repair whose order was opened last (its card rebuilt with the order)

    def kept_focus(self) -> QWidget | None:
        """Back from a repair order that rebuilt the cards (its button now changes the order): that repair's card,
        which says it is registered and its pickup code."""
        for card in self.body.findChildren(OutcomeCard):
            if card.view.id == self.ordering and card.view.kind == "repair":
                return card.title
        return None

    def has_product(self) -> bool:
        """Whether the shopper named the product, one the catalog knows (a repair is ordered for one; as the web)."""
        advice = self.session.advice
        return advice is not None and advice.owned() is not None

    def product_button(self) -> QPushButton:
        """The button to name the product (another one, once one is named): to the product search, and from there
        back here. The screen's own, beside the product, and a repair card's while it needs one."""
        product = button(self.product_words(), "Link")
        product.clicked.connect(self.session.find_product)
        return product

    def product_words(self) -> str:
        return self.t("help.product.change") if self.has_product() else self.t("help.find.title")

    def product_of(self, sku: str) -> ProductInfo | None:
        from advisor.rendering.service import product_anywhere

        return product_anywhere(self.session.catalog, sku)

    def spoken(self) -> str:
        return spoken.sentences(self.title.text(), self.product.text(),
                                spoken.listing(view.title for view in self.views))  # fmt: skip

    def refresh(self) -> None:
        session = self.session
        self.title.setText(self.t("help.outcomes"))
        readable(self.title, self.spoken)
        owned = session.advice.owned() if session.advice is not None else None
        self.product.setText(self.t("help.product", name=self.pick(owned.name)) if owned else "")
        self.product.setVisible(owned is not None)
        if owned is not None:
            self.picture.setPixmap(product_image(owned, OWNED_PICTURE))
        self.picture.setVisible(owned is not None)
        self.change.setText(self.product_words())
        self.back.setText(self.t("question.back"))
        self.views = session.outcome_views()
        clear(self.cards)
        if not self.views:
            self.cards.addWidget(label(self.t("help.outcomes.none")))
        talking = [view for view in self.views if view.kind not in ("guide", "parts", "repair", "warranty")]
        for view in self.views:
            self.cards.addWidget(OutcomeCard(self, view, talk=view is talking[-1]))
        self.cards.addStretch(1)
