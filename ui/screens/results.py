"""Results with reasons, relaxations and critiques; a product's details; up to three side by side."""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayoutItem,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from advisor.catalog.images import image_file
from advisor.i18n import rating_question
from advisor.recommend.core import Ranked, Recommendation, Relaxation, category_noun
from advisor.recommend.explain import (
    Decision,
    say_apart,
    say_count,
    say_dropped,
    say_group,
    say_no_match,
    say_relaxation,
    say_results_count,
    say_shared,
    say_versus_top,
    wished_directions,
)
from advisor.recommend.index import ProductInfo
from advisor.rendering.compare import can_compare, compare_action, compare_prices, compare_rows
from advisor.rendering.facts import price_text, product_facts, size_text, stock_in
from advisor.session.service import MAX_COMPARE
from ui import spoken
from ui.screens.base import Screen
from ui.screens.start import CATEGORY_ICONS
from ui.session import KioskSession
from ui.theme import Theme
from ui.widgets import (
    FlowLayout,
    Group,
    PlacedLayout,
    RatingRow,
    WrapButton,
    button,
    clear,
    fit_fields,
    icon_pixmap,
    label,
    picture,
    readable,
    saying,
)


def product_image(product: ProductInfo, size: QSize, category: str | None = None) -> QPixmap:
    """The product's picture (rendered once per size and kept). Without one (pictures are optional in a
    merchandiser's own catalog, or the file is gone) a calm placeholder in the same area, so that a card or the
    details do not show a hole that looks broken: the icon of the product's `category` as the start screen shows
    it, muted; with no category given, an empty area."""
    path = image_file(product.image) if product.image else None
    if path is not None:
        return picture(path, size)
    return _placeholder(CATEGORY_ICONS.get(category, "star") if category else None, size.width(), size.height())


@functools.lru_cache(maxsize=64)
def _placeholder(icon_name: str | None, width: int, height: int) -> QPixmap:
    """The category's icon, centred and small in a picture's area, in one muted colour (its accent too) and faint:
    decorative, it stands back behind the name and price. Made once per icon and size (cards reuse it)."""
    canvas = QPixmap(width, height)
    canvas.fill(Qt.GlobalColor.transparent)
    if icon_name is None:
        return canvas
    side = round(min(width, height) * 0.4)
    tinted = QPixmap(side, side)
    tinted.fill(Qt.GlobalColor.transparent)
    painter = QPainter(tinted)
    painter.drawPixmap(0, 0, icon_pixmap(icon_name, side))
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)  # the drawing's shape, one colour
    painter.fillRect(tinted.rect(), QColor(Theme().muted))
    painter.end()
    painter = QPainter(canvas)
    painter.setOpacity(0.35)
    painter.drawPixmap((width - side) // 2, (height - side) // 2, tinted)
    painter.end()
    return canvas


def _category(session: KioskSession) -> str | None:
    """The category of the products on screen (for their placeholder picture), when a catalog is loaded."""
    return session.index.category.id if session.index is not None else None


def _compare_full(session: KioskSession, sku: str) -> bool:
    """Whether `sku` cannot join the comparison: it is not in it, and the most it holds are (the session's rule)."""
    return sku not in session.compare_skus and len(session.compare_skus) >= MAX_COMPARE


def _show_compare(compare: QPushButton, screen: Screen, sku: str, name: str) -> None:
    """A product's Compare toggle as the comparison stands: on while compared. When three others are, it stays in
    reach (a disabled button would drop out of the keys' order without a word) and says why it cannot be chosen:
    said when reached, shown on a tap and as its tooltip."""
    session = screen.session
    compared = sku in session.compare_skus
    # The state in the words too, not only in the button's colour (as the web's "Vergleichen ✓")
    words = screen.t("results.compare") + (" ✓" if compared else "")
    compare.setText(words)
    compare.setChecked(compared)
    compare.setEnabled(True)
    compare.setAccessibleName(f"{words}: {name}")
    compare.focus_key = f"compare:{sku}"  # type: ignore[attr-defined]  # (the same toggle, ticked or not)
    full = _compare_full(session, sku)
    compare.setToolTip(spoken.compare_refused(session.locale) if full else "")
    compare.setAccessibleDescription(compare.toolTip())
    locale, said = session.locale, compare.accessibleName()
    compare.spoken = (lambda: spoken.compare_full(name=said, locale=locale)) if full else None  # type: ignore[attr-defined]


def _toggle_compare(compare: QPushButton, screen: Screen, sku: str) -> None:
    """A tap (or select) on a product's Compare toggle: in or out of the comparison; when it is full, nothing
    changes and the shopper is told why (aloud, and beside the toggle)."""
    session = screen.session
    if not _compare_full(session, sku):
        session.toggle_compare(sku)
        return
    from ui.speech import tell

    compare.setChecked(False)  # (the tap has ticked it)
    words = spoken.compare_refused(session.locale)
    QToolTip.showText(compare.mapToGlobal(compare.rect().bottomLeft()), words, compare)
    tell(compare, words)


def _compare_button(screen: ResultsScreen, sku: str, name: str) -> QPushButton:
    compare = button("", "", "compare")
    compare.setCheckable(True)
    _show_compare(compare, screen, sku, name)
    compare.clicked.connect(lambda: _toggle_compare(compare, screen, sku))
    return compare


def _details_button(screen: ResultsScreen, sku: str, name: str, kind: str = "Primary") -> QPushButton:
    details = button(screen.t("results.details"), kind)
    details.setAccessibleName(f"{screen.t('results.details')}: {name}")
    details.clicked.connect(lambda: screen.session.show_detail(sku))
    return details


class TopPickCard(QFrame):
    """The best match: picture, name, price, what sets it apart, where it stands in the store; details, compare."""

    def __init__(self, screen: ResultsScreen, item: Ranked, standouts: list[str]) -> None:
        super().__init__()
        self.setObjectName("TopPick")
        self.sku = item.sku
        self.owner = screen  # (not self.screen: that would shadow QWidget.screen())
        session = screen.session
        readable(self, lambda: screen.item_words.get(self.sku, ""))
        name = screen.pick(item.product.name)
        columns = QHBoxLayout(self)
        columns.setContentsMargins(20, 16, 20, 16)
        columns.setSpacing(20)
        picture = label("")
        picture.setPixmap(product_image(item.product, QSize(220, 165), _category(session)))
        picture.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        columns.addWidget(picture)
        texts = QVBoxLayout()
        texts.setSpacing(6)
        badge = label(screen.t("decide.top"), "Badge", wrap=False)
        badge.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        texts.addWidget(badge)
        heading = QHBoxLayout()
        self.name = label(name, "TopName")
        heading.addWidget(self.name, 1)
        self.price = label(price_text(item.product, session.locale, item.variants), "Price", wrap=False)
        heading.addWidget(self.price, 0, Qt.AlignmentFlag.AlignTop)
        texts.addLayout(heading)
        self.reasons = [label("✓ " + reason, "Reason") for reason in standouts]
        for reason in self.reasons:
            texts.addWidget(reason)
        stock = stock_in(item.product, session.store_id, session.locale, item.variants, screen.session.index,
                         session.held, session.address, store_named=session.store_named)  # fmt: skip
        texts.addWidget(label(stock.text(session.locale), "Muted"))
        size = screen.size_words(item.sku)
        if size:
            texts.addWidget(label(size, "Reason"))
        texts.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(_details_button(screen, item.sku, name))
        row.addWidget(_compare_button(screen, item.sku, name))
        row.addStretch(1)
        texts.addLayout(row)
        columns.addLayout(texts, 1)

    def on_select(self) -> None:
        """Select on a result: its details."""
        self.owner.session.show_detail(self.sku)


class AlternativeRow(QFrame):
    """Another product that fits, in one row: how it differs from the top pick; details, compare."""

    def __init__(self, screen: ResultsScreen, item: Ranked, versus_top: str) -> None:
        super().__init__()
        self.setObjectName("AltRow")
        self.sku = item.sku
        self.owner = screen
        session = screen.session
        readable(self, lambda: screen.item_words.get(self.sku, ""))
        name = screen.pick(item.product.name)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.setSpacing(14)
        picture = label("")
        picture.setPixmap(product_image(item.product, QSize(80, 60), _category(session)))
        row.addWidget(picture)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        heading = QHBoxLayout()
        heading.addWidget(label(name, "CardTitle"), 1)
        heading.addWidget(label(price_text(item.product, session.locale, item.variants), "AltPrice", wrap=False))
        texts.addLayout(heading)
        self.versus = label(versus_top, "Muted")
        texts.addWidget(self.versus)
        # Whether it is here, as on the top pick's card: in the store the shopper can go and look at it.
        self.stock = label(stock_in(item.product, session.store_id, session.locale, item.variants,
                                    session.index, session.held, session.address,
                                    store_named=session.store_named).text(session.locale),
                           "Muted")  # fmt: skip
        texts.addWidget(self.stock)
        size = screen.size_words(item.sku)
        if size:
            texts.addWidget(label(size, "Muted"))
        row.addLayout(texts, 1)
        row.addWidget(_details_button(screen, item.sku, name, ""))
        row.addWidget(_compare_button(screen, item.sku, name))

    def on_select(self) -> None:
        """Select on a result: its details."""
        self.owner.session.show_detail(self.sku)


class DecisionView(QWidget):
    """The top pick, then the other products grouped by what they trade against it."""

    def __init__(self) -> None:
        super().__init__()
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(10)
        self.cards: list[QWidget] = []  # the top pick and the alternatives' rows, in order

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        """Be as tall as the wrapped texts need: a scroll area would otherwise squeeze the rows together."""
        width = self.width()
        if width <= 0:
            return
        needed = self.box.totalHeightForWidth(width) if self.box.hasHeightForWidth() else self.box.sizeHint().height()
        needed = max(needed, self.box.totalMinimumSize().height())
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def show_decision(self, screen: ResultsScreen, result: Recommendation, decision: Decision) -> None:
        clear(self.box)
        self.cards = []
        index, locale = screen.session.index, screen.session.locale
        if index is None or not result.products:
            self.setMinimumHeight(
                0
            )  # no products: the ways out come straight under the title, not a list's height below
            return
        items = {item.sku: item for item in result.products}
        top = result.products[0]
        card = TopPickCard(screen, top, say_apart(decision, top, index, locale, screen.session.address))
        self.box.addWidget(card)
        self.cards.append(card)
        for (gain, cost), alternatives in decision.groups():
            self.box.addWidget(label(say_group(gain, cost, index, locale), "Section"))
            for alternative in alternatives:
                row = AlternativeRow(screen, items[alternative.sku], say_versus_top(alternative, index, locale))
                self.box.addWidget(row)
                self.cards.append(row)
        self._fit_height()
        QTimer.singleShot(0, self, self._fit_height)  # again once the new rows are laid out at their width


class ResultsScreen(Screen):
    """The recommended products; when nothing fits, what to drop; critiques to refine."""

    filled = Signal()  # the product cards and offers are on screen
    talk_requested = Signal()  # "talk to a person" when nothing fits
    restart_requested = Signal()  # "start again": the window wipes the advice (and says so to a listener)

    def __init__(self, session: KioskSession) -> None:
        super().__init__(session)
        self._generation = 0
        self._filled = -1  # the generation whose products are on screen
        self.item_words: dict[str, str] = {}  # what each shown product says when it gets focus (ui/spoken.py)
        self.ways_out: list[QPushButton] = []  # the critiques, relaxations and "ask staff" of this recommendation
        self.title = label("", "Title")
        readable(self.title, self.spoken)  # up from the top pick: the summary again (how many fit, what was dropped)
        self.subtitle = label("", "Subtitle")
        self.outer.addWidget(self.title)
        self.outer.addWidget(self.subtitle)
        # Critiques in a wrapping row; relaxations below, one per line (their labels can be long).
        self.offers = QWidget()
        offers_box = QVBoxLayout(self.offers)
        offers_box.setContentsMargins(0, 0, 0, 0)
        offers_row = QWidget()
        self.offers_layout = FlowLayout(offers_row)
        offers_box.addWidget(offers_row)
        self.relax_layout = QVBoxLayout()
        self.relax_layout.setSpacing(8)
        offers_box.addLayout(self.relax_layout)
        self.shared = label("", "Muted")  # what every product that fits has, said once
        self.products = DecisionView()
        # Below the products, in the same scrolling body: the products keep the screen, the rating follows them.
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.shared)
        body_layout.addWidget(self.products)
        body_layout.addWidget(self.offers)  # critiques and "more choice" after the products they refine
        self.scrolling(body)
        self.feedback = RatingRow()
        self.feedback.rated.connect(lambda grade: session.rate(grade))
        body_layout.addWidget(self.feedback)
        self.thanks = label("", "Muted")
        readable(self.thanks)  # reached after a grade or a comment, and said: the shopper knows it went through
        body_layout.addWidget(self.thanks)
        # After the grade: an optional comment, for kiosks with a keyboard (or an on-screen one).
        self.comment_row = QWidget()
        comment_layout = QHBoxLayout(self.comment_row)
        comment_layout.setContentsMargins(0, 0, 0, 0)
        self.comment = QLineEdit()
        self.comment.setMaxLength(500)
        self.comment.returnPressed.connect(self._send_comment)
        self.send_comment = button("", "")
        self.send_comment.clicked.connect(self._send_comment)
        comment_layout.addWidget(self.comment, 1)
        comment_layout.addWidget(self.send_comment)
        body_layout.addWidget(self.comment_row)
        body_layout.addStretch(1)
        row = self.footer()
        self.overview = button("", "", "check")
        self.overview.clicked.connect(session.show_overview)
        self.compare = button("", "", "compare")
        self.compare.clicked.connect(session.show_compare)
        self.restart = button("", "", "home")
        self.restart.clicked.connect(self.restart_requested.emit)
        self.book = button("", "", "clock")  # "book an appointment" where the category has an appointment kind
        self.book.clicked.connect(self.open_booking)
        row.addWidget(self.overview)
        row.addStretch(1)
        row.addWidget(self.book)
        row.addWidget(self.compare)
        row.addWidget(self.restart)

    def size_words(self, sku: str) -> str:
        """The size to try for a product (with the neighbour and this store's stock), or "" when none is advised."""
        advice = self.session.advice
        found = advice.size_advice(sku) if advice is not None else None
        return size_text(found, self.session.locale, self.session.address) if found is not None else ""

    def first_focus(self) -> QWidget | None:
        """The top pick (read as the first of the list), else the first way out of "nothing fits" (built a moment
        before it shows: the window waits for it)."""
        if self.products.cards:
            return self.products.cards[0]
        return self.ways_out[0] if self.ways_out else None

    def kept_focus(self) -> QWidget | None:
        """After a grade or a comment: the thanks that took the place of the grades or the comment."""
        return self.thanks if "advice" in self.session.rated else None

    def compare_opener(self) -> QWidget | None:
        """The footer's "Compare (3)": where focus returns from the comparison (while something is compared)."""
        return self.compare if self.compare.isEnabled() else None

    def product_card(self, sku: str | None) -> QWidget | None:
        """The shown product `sku` (its card or row): where focus returns from its details."""
        return next((card for card in self.products.cards if getattr(card, "sku", None) == sku), None)

    def ready(self) -> bool:
        return self._filled == self._generation

    def spoken(self) -> str:
        return spoken.results(
            title=self.title.text(), subtitle=self.subtitle.text(), shared=self.shared.text(),
            shown=len(self.products.cards), offers=len(self.ways_out), locale=self.session.locale,
            address=self.session.address,
        )  # fmt: skip

    def refresh(self) -> None:
        """Show the screen at once with what is cheap (titles, the count); the products follow a moment later.

        Working out and laying out the products takes longer than a frame on a large catalog: deferring it to
        the next turn of the event loop lets the new screen paint first (docs/architecture.md).
        """
        session = self.session
        self.back.setText(self.t("question.back"))
        self.overview.setText(self.t("overview.title"))
        self.restart.setText(self.t("results.restart"))
        # From two products (the web's rule): with one ticked, the button asks for another, in its words and speech
        ticked = len(session.compare_skus)
        self.compare.setText(compare_action(ticked, session.locale))
        self.compare.setEnabled(can_compare(ticked))
        from ui.booking import bookable

        self._show_book()
        self.book.setVisible(bookable(session))
        clear(self.offers_layout)
        clear(self.relax_layout)
        self.ways_out = []
        self.products.show_decision(self, Recommendation(0, ()), Decision(0, (), (), {}, ()))
        self.shared.setText("")
        count = session.live_count()
        self._show_feedback(nothing_fits=count == 0)
        self._generation += 1
        self.item_words = {}
        if count is None:
            self.title.setText("…")
            self.subtitle.setText("")
            self._filled = self._generation
            return
        if count == 0:
            self.title.setText(self.t("results.none"))  # the best repair replaces it once it is worked out
            self.subtitle.setText("")
        else:
            assert session.index is not None
            self.title.setText(self.t("results.title"))
            self.subtitle.setText(say_count(count, session.index, session.locale, session.address))
        generation = self._generation
        QTimer.singleShot(0, self, lambda: self._fill(generation))

    def _fill(self, generation: int) -> None:
        """Offers and product cards for the recommendation (unless the screen has changed since)."""
        session = self.session
        result = session.recommendation()
        if generation != self._generation:
            return
        self._filled = generation
        if result is None or session.view != "results":
            return
        if result.count == 0:
            assert session.index is not None
            if result.relaxations:
                self.title.setText(say_no_match(result, session.index, session.locale, session.address))
                self.subtitle.setText(self.t("results.none"))
            else:
                self.subtitle.setText(self.t("results.nothing_to_drop"))
            for position, relaxation in enumerate(result.relaxations):
                self._relaxation(relaxation, primary=position == 0)
            talk = button(self.t("results.ask_staff"), "", "chat")
            talk.clicked.connect(self.talk_requested.emit)
            self.relax_layout.addWidget(talk, 0, Qt.AlignmentFlag.AlignLeft)
            self.ways_out.append(talk)
        else:
            assert session.index is not None
            count = say_results_count(result, session.index, session.locale, session.address)
            advice = session.advice
            dropped = say_dropped(advice.questionnaire, advice.state.answers, advice.given(), session.locale,
                                  session.address) if advice is not None else ""  # fmt: skip
            self.subtitle.setText(f"{count} · {dropped}" if dropped else count)
            if result.critiques:
                heading = label(self.t("results.critiques"), "Muted", wrap=False)
                self.offers_layout.addWidget(heading)
                for critique in result.critiques[:4]:
                    offer = button(f"{critique.label} ({critique.count})", "", "star")
                    offer.setAccessibleName(spoken.critique(label=critique.label, count=critique.count,
                                                            noun=category_noun(session.index, session.locale,
                                                                               critique.count)))  # fmt: skip
                    offer.clicked.connect(lambda _=False, c=critique: session.critique(c))
                    self.offers_layout.addWidget(offer)
                    self.ways_out.append(offer)
                Group(heading, self.ways_out)  # "Like the first, but:" said on the way to the first critique
            for relaxation in [r for r in session.more_choice() if len(r.drop) == 1][:2]:
                self._relaxation(relaxation)
            if session.critiques:
                undo = button("×", "Link")
                undo.setAccessibleName(self.t("results.clear_critiques"))
                undo.clicked.connect(session.clear_critiques)
                self.offers_layout.addWidget(undo)
        if result.products and session.advice is not None and session.index is not None:
            decision = session.advice.decision()
            self.shared.setText(say_shared(decision, result, session.advice.questionnaire, session.advice.state.answers,
                                           session.index, session.locale, session.address))  # fmt: skip
            self.item_words = spoken.result_items(result, decision, session.index, locale=session.locale,
                                                  address=session.address, store_id=session.store_id,
                                                  held=session.held, store_named=session.store_named)  # fmt: skip
            self.products.show_decision(self, result, decision)
        self.filled.emit()

    def open_booking(self) -> None:
        """The booking dialog: on the shopper's phone, or here and now (ui/booking.py); once booked, its
        confirmation."""
        from ui.booking import open_booking

        open_booking(self.session, self.window()).finished.connect(self._show_book)

    def _show_book(self) -> None:
        """The booking button's words: "Termin vereinbaren", or when the advice's appointment is."""
        from ui.booking import book_label

        self.book.setText(book_label(self.session))
        self.book.setAccessibleName(self.book.text())
        self.fit_footer()

    def _send_comment(self) -> None:
        if self.session.comment(self.comment.text()):
            self.comment.clear()

    def _show_feedback(self, nothing_fits: bool = False) -> None:
        rated = "advice" in self.session.rated
        commented = "advice" in self.session.commented
        self.feedback.setVisible(not rated and self.session.engine is not None and not nothing_fits)
        self.thanks.setVisible(rated)
        self.thanks.setText(self.t("feedback.comment_sent" if commented else "feedback.thanks"))
        self.comment_row.setVisible(rated and not commented)
        fit_fields((self.comment,), self.thanks)  # as large as the screen's texts (and a finger)
        self.comment.setPlaceholderText(self.t("feedback.comment"))
        self.comment.setAccessibleName(self.t("feedback.comment"))
        self.send_comment.setText(self.t("talk.send"))
        self.feedback.set_scale(
            rating_question("feedback.question", self.session.scale, self.session.locale, self.session.address),
            rating_choices(self.session.scale, self.t),
        )

    def _relaxation(self, relaxation: Relaxation, *, primary: bool = False) -> None:
        """One tap drops the wishes and shows what fits then; the button says what changes."""
        session = self.session
        assert session.index is not None
        words = say_relaxation(relaxation, session.index, session.locale, session.address,
                               questionnaire=session.questionnaire,
                               answers=session.state.answers if session.state else None)  # fmt: skip
        offer = WrapButton(words, "Primary" if primary else "")  # (a long one wraps rather than runs off the edge)
        offer.setMinimumHeight(64)
        offer.clicked.connect(lambda _=False, r=relaxation: session.relax(r))
        self.relax_layout.addWidget(offer, 0, Qt.AlignmentFlag.AlignLeft)
        self.ways_out.append(offer)


def rating_choices(scale: str, t: Callable[..., str]) -> list[tuple[int, str, str]]:
    """The rating buttons: school grades 1 (best) to 6, or one to five stars."""
    if scale == "stars":
        return [(count, "★" * count, t("feedback.stars", count=count)) for count in range(1, 6)]
    return [(grade, str(grade), t(f"feedback.grade.{grade}")) for grade in range(1, 7)]


def _section(words: str, layout: QHBoxLayout | QVBoxLayout) -> QFrame:
    """A part of the details that keyboard focus stops at, read as a whole (the details are read by section)."""
    section = QFrame()
    section.setObjectName("DetailSection")
    section.setLayout(layout)
    layout.setContentsMargins(0, 0, 0, 0)
    readable(section, lambda: words)
    return section


class DetailScreen(Screen):
    """Everything about one product: specifications, care, repair, sustainability, and where it is in the store."""

    def __init__(self, session: KioskSession) -> None:
        super().__init__(session)
        self.content = QWidget()
        self.content_layout = QVBoxLayout(self.content)
        self.content_layout.setSpacing(10)
        self.scrolling(self.content)
        self.footer().addStretch(1)
        # Deciding here: this product into the comparison (or out), without going back to the list first.
        self.compare = button("", "", "compare")
        self.compare.setCheckable(True)
        self.compare.clicked.connect(lambda: _toggle_compare(self.compare, self, self.session.detail_sku or ""))
        self.footer_row.addWidget(self.compare)
        self.sections: list[QFrame] = []
        self.heading = ""

    def first_focus(self) -> QWidget | None:
        return self.sections[0] if self.sections else None

    def spoken(self) -> str:
        return self.heading

    def refresh(self) -> None:
        session = self.session
        index = session.index
        self.back.setText(self.t("question.back"))
        clear(self.content_layout)
        self.sections, self.heading = [], ""
        self.compare.setVisible(False)
        if index is None or session.detail_sku not in index.position:
            if index is not None and session.detail_sku:  # taken out of the catalog while on show: said, Back below
                self.heading = self.t("detail.gone")
                gone = QVBoxLayout()
                gone.addWidget(label(self.heading, "Question"))
                self.sections.append(_section(self.heading, gone))
                self.content_layout.addWidget(self.sections[-1])
                self.content_layout.addStretch(1)
            return
        product = index.products[index.position[session.detail_sku]]
        fitting = session.advice.fitting_variants(product.sku) if session.advice else None
        facts = product_facts(
            index,
            product,
            session.locale,
            session.store_id,
            fitting,
            session.held,
            session.address,
            store_named=session.store_named,
        )
        self.compare.setVisible(session.advice is not None)
        _show_compare(self.compare, self, product.sku, facts.name)
        fit = session.advice.fit(product.sku) if session.advice is not None else None
        why = [reason.text for reason in fit.reasons] if fit is not None else []
        bear = [tradeoff.text for tradeoff in fit.tradeoffs] if fit is not None else []
        said = spoken.detail_sections(facts, locale=session.locale, address=session.address, why=why, bear=bear)
        # Specifications, care, repair and sustainability are each optional in a merchandiser's catalog: a section
        # with nothing in it is not shown, reached or counted (a heading over nothing looks as if it failed to load).
        parts = (("detail.specs", [f"{name}: {value}" for name, value in facts.specs]),
                 ("detail.care", ["• " + line for line in facts.care]),
                 ("detail.repair", ["• " + line for line in facts.repair]),
                 ("detail.sustainability", ["• " + line for line in facts.sustainability]))  # fmt: skip
        filled = [(title, lines, words) for (title, lines), (_, words) in zip(parts, said[1:], strict=True) if lines]
        self.heading = spoken.detail(facts, sections=1 + len(filled), locale=session.locale, address=session.address)
        head = QHBoxLayout()
        picture = label("")
        picture.setPixmap(product_image(product, QSize(320, 240), index.category.id))
        head.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.addWidget(label(facts.name, "Title"))
        texts.addWidget(label(facts.price, "Price"))
        texts.addWidget(label(facts.description))
        texts.addWidget(label(self.t("detail.where"), "Section"))
        texts.addWidget(label(facts.stock.text(session.locale)))
        if why or bear:  # the answers this product was chosen for, at the moment of deciding on it
            texts.addWidget(label(self.t("detail.why"), "Section"))
            texts.addWidget(label("\n".join("✓ " + line for line in why), "Reason"))
            if bear:
                texts.addWidget(label(self.t("summary.tradeoffs") + "\n" + "\n".join("– " + line for line in bear),
                                      "Tradeoff"))  # fmt: skip
        texts.addStretch(1)
        head.addLayout(texts, 1)
        self.sections.append(_section(said[0][1], head))
        self.content_layout.addWidget(self.sections[-1])
        columns = QHBoxLayout()
        columns.setSpacing(32)
        specs = QVBoxLayout()
        right = QVBoxLayout()
        for column in (specs, right):
            column.setAlignment(Qt.AlignmentFlag.AlignTop)  # lines keep their height; the columns differ in length
            column.setSpacing(6)
        shown = {title for title, _, _ in filled}
        if "detail.specs" in shown:
            columns.addLayout(specs, 1)
        if shown - {"detail.specs"}:  # else the specifications have the whole width
            columns.addLayout(right, 1)
        self.content_layout.addLayout(columns)
        for title, shown_lines, words in filled:
            lines = QVBoxLayout()
            lines.setSpacing(6)
            lines.addWidget(label(self.t(title), "Section"))
            for line in shown_lines:
                lines.addWidget(label(line))
            self.sections.append(_section(words, lines))
            (specs if title == "detail.specs" else right).addWidget(self.sections[-1])
        specs.addStretch(1)
        right.addStretch(1)
        self.content_layout.addStretch(1)


COMPARE_PICTURE = QSize(112, 84)  # a compared product's picture at its full size
SMALLEST_PICTURE = 56  # the narrowest it gets beside the name and price; narrower columns show it above them


class PictureBeside(PlacedLayout):
    """A compared product's picture beside its name and price, at full size where the column has the room, smaller
    where the name's longest word needs it; above them where even the smallest does not fit. The headers of one
    comparison (`headers`, this one among them) show their pictures alike: as large as the narrowest allows."""

    def __init__(self, picture: QLabel, texts: QWidget, headers: list[PictureBeside], spacing: int = 12) -> None:
        super().__init__(spacing=spacing)
        picture.setScaledContents(True)  # (drawn at the size it is given, smoothly)
        self.addWidget(picture)
        self.addWidget(texts)
        self.headers = headers
        self.room: int | None = None  # the width beside the name and price at the last placing
        headers.append(self)

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        # (the same whether the picture is beside or above: the columns' widths do not depend on where it goes)
        width = max(self._texts().minimumSize().width(), SMALLEST_PICTURE)
        return QSize(width, self.heightForWidth(width))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        texts = self._texts().sizeHint()
        return QSize(
            COMPARE_PICTURE.width() + self._spacing + texts.width(), max(COMPARE_PICTURE.height(), texts.height())
        )

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        room = self._room(rect.width())
        if room != self.room:
            self.room = room
            for other in self.headers:  # (their pictures follow this one's)
                if other is not self:
                    other.invalidate()
        self._place(rect, apply=True)

    def beside_width(self) -> int:
        """The width the picture needs beside the name and price, at its smallest."""
        return SMALLEST_PICTURE + self._spacing + self._texts().minimumSize().width()

    def _texts(self) -> QLayoutItem:
        return self._items[1]

    def _room(self, width: int) -> int:
        return width - self._spacing - self._texts().minimumSize().width()

    def _place(self, rect: QRect, *, apply: bool) -> int:
        """Place the picture and the texts in `rect` (or only measure, without `apply`); the height they take."""
        picture, texts = self._items
        rooms = [self._room(rect.width())] + [h.room for h in self.headers if h is not self and h.room is not None]
        beside = min([COMPARE_PICTURE.width(), *rooms])
        if beside >= SMALLEST_PICTURE:
            size = QSize(beside, beside * COMPARE_PICTURE.height() // COMPARE_PICTURE.width())
            words = QRect(rect.x() + beside + self._spacing, rect.y(), rect.width() - beside - self._spacing, 0)
        else:  # above
            width = min(COMPARE_PICTURE.width(), rect.width())
            size = QSize(width, width * COMPARE_PICTURE.height() // COMPARE_PICTURE.width())
            words = QRect(rect.x(), rect.y() + size.height() + self._spacing, rect.width(), 0)
        height = texts.heightForWidth(words.width()) if texts.hasHeightForWidth() else -1
        words.setHeight(height if height >= 0 else texts.sizeHint().height())
        if apply:
            picture.setGeometry(QRect(rect.topLeft(), size))
            texts.setGeometry(words)
        return max(size.height(), words.bottom() + 1 - rect.y())


class CompareScreen(Screen):
    """Up to three products side by side: a header per product (its price once, the cheaper marked; its details),
    then only the attributes where they differ (switchable), the better value of each row marked."""

    def __init__(self, session: KioskSession) -> None:
        super().__init__(session)
        self.title = label("", "Title")
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        self.only_differences = button("", "", "compare")
        self.only_differences.setCheckable(True)
        self.only_differences.setChecked(True)
        self.only_differences.toggled.connect(lambda _on: self.refresh())
        self.only_differences.spoken = lambda: spoken.control(  # type: ignore[attr-defined]
            name=self.only_differences.text(), locale=self.session.locale
        )  # its state said once, in its words ("Nur Unterschiede: an"), not again as "ausgewählt"
        heading.addWidget(self.only_differences)
        self.outer.addLayout(heading)
        self.sheet = QWidget()
        self.grid = QGridLayout(self.sheet)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(6)
        self.area = self.scrolling(self.sheet)
        self.area.viewport().installEventFilter(self)  # (its width decides where the attributes' names go)
        self.headers: list[QWidget] = []  # one per product
        self.prices: list[QLabel] = []  # each product's price, in its header
        self.details: dict[str, QPushButton] = {}  # each product's "Details", by sku
        self.rows: list[tuple[str, list[QLabel]]] = []  # attribute label and the values, per shown row
        self.names: list[QWidget] = []  # each shown row's attribute name
        self.pictures: list[PictureBeside] = []  # each header's picture with its name and price
        self.stacked: bool | None = None  # each name above its values (not in a column of their own), once placed
        self.footer().addStretch(1)

    def first_focus(self) -> QWidget | None:
        return self.only_differences

    def spoken(self) -> str:
        return spoken.compare(count=len(self.headers), locale=self.session.locale, address=self.session.address)

    def product_card(self, sku: str | None) -> QWidget | None:
        """The column's "Details" of product `sku`: where focus returns from its details."""
        return self.details.get(sku or "")

    def refresh(self) -> None:
        session = self.session
        index = session.index
        self.title.setText(self.t("results.compare"))
        self.back.setText(self.t("question.back"))
        only = self.only_differences.isChecked()  # the state in the words too, not only in the button's colour
        self.only_differences.setText(self.t("compare.showing_differences" if only else "compare.showing_all"))
        self.only_differences.setAccessibleName(self.only_differences.text())
        clear(self.grid)
        self.headers, self.rows, self.prices, self.details, self.names = [], [], [], {}, []
        self.stacked, self.pictures = None, []
        if index is None:
            return
        products = [index.products[index.position[sku]] for sku in session.compare_skus if sku in index.position]
        # (as on the results and the details: the variants that fit, the long version's price and weight)
        fitting = [session.advice.fitting_variants(product.sku) if session.advice else None for product in products]
        # The price once, in each header (no row repeats it), the cheaper marked there as the rows mark the better
        prices = compare_prices(index, products, session.locale, variants=fitting)
        cheaper = self.t("better.price")
        misses = session.advice.compared_misses() if session.advice else {}  # (ticked before the answers changed)
        for column, product in enumerate(products, start=1):
            name, price, marked = self.pick(product.name), prices.values[column - 1], column - 1 in prices.better
            missed = self.t("compare.misses", wishes=", ".join(misses[product.sku])) if product.sku in misses else ""
            header = QFrame()
            header.setObjectName("CompareHeader")
            box = QVBoxLayout(header)
            box.setContentsMargins(12, 12, 12, 12)
            # The picture beside the name and price (not above them, where the column has the room): the rows the
            # shopper decides by start higher
            picture = label("")
            picture.setPixmap(product_image(product, COMPARE_PICTURE, index.category.id))
            # Name and price, one stop for the keys: said with whether it is the cheaper
            said = spoken.compare_price(name=name, price=price, cheaper=marked, locale=session.locale)
            said = f"{said} {missed}" if missed else said
            title = readable(QWidget(), saying(said))
            title.setAccessibleName(said)
            texts = QVBoxLayout(title)
            texts.setContentsMargins(0, 0, 0, 0)
            texts.setSpacing(4)
            texts.addWidget(label(name, "CardTitle"))
            price_label = label(price, "Price", wrap=False)
            texts.addWidget(price_label)
            self.prices.append(price_label)
            if marked:
                price_label.setAccessibleName(f"{price} ({cheaper})")
                texts.addWidget(label(f"✓\u00a0{cheaper}", "Better"))  # (a narrow column breaks not after the ✓)
            if missed:
                texts.addWidget(label(missed, "Tradeoff"))
            texts.addStretch(1)
            box.addLayout(PictureBeside(picture, title, self.pictures))
            box.addStretch(1)  # (the buttons in one line across the headers)
            box.addSpacing(6)
            # Its details, and out of the comparison: side by side, one under the other in a narrow column
            actions = QWidget()
            flow = FlowLayout(actions, spacing=8)
            details = button(self.t("results.details"), "")
            details.setAccessibleName(f"{self.t('results.details')}: {name}")
            details.clicked.connect(lambda _=False, sku=product.sku: session.show_detail(sku))
            flow.addWidget(details)
            self.details[product.sku] = details
            remove = button(self.t("compare.remove"), "Link")
            remove.setMinimumHeight(details.sizeHint().height())  # (level with "Details" beside it)
            remove.setAccessibleName(f"{self.t('compare.remove')}: {name}")
            remove.clicked.connect(lambda _=False, sku=product.sku: self._remove(sku))
            flow.addWidget(remove)
            box.addWidget(actions)
            self.grid.addWidget(header, 0, column)
            self.headers.append(header)
        advice = session.advice
        wished = wished_directions(advice.questionnaire, advice.state.answers) if advice is not None else None
        rows = compare_rows(index, products, session.locale, only_differences=self.only_differences.isChecked(),
                            variants=fitting, store_id=session.store_id, held=session.held,
                            address=session.address, wished=wished, store_named=session.store_named)  # fmt: skip
        names = [self.pick(product.name) for product in products]
        for row, compared in enumerate(rows, start=1):
            said = spoken.compare_row(
                label=compared.label, locale=session.locale,
                values=[(name, shown, column in compared.better)
                        for column, (name, shown) in enumerate(zip(names, compared.values, strict=False))],
            )  # fmt: skip
            self.names.append(readable(label(compared.label, "CompareName"), saying(said)))
            self.grid.addWidget(self.names[-1], row, 0)
            cells = []
            for column, shown in enumerate(compared.values, start=1):
                marked = column - 1 in compared.better
                cell = label(("✓\u00a0" if marked else "") + shown, "Better" if marked else "")
                if marked:
                    cell.setAccessibleName(f"{shown} ({self.t('compare.better')})")
                self.grid.addWidget(cell, row, column)
                cells.append(cell)
            self.rows.append((compared.attribute, cells))
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and watched is self.area.viewport():
            self._fit()
        return super().eventFilter(watched, event)

    def _fit(self) -> None:
        """The attributes' names in a column of their own beside the values where it and the products' columns fit
        side by side in the width shown, each product's picture beside its name (all of it within that width: the
        kiosk does not scroll sideways); else each name on a line of its own above its values, the products' columns
        sharing the whole width (words wrap, pictures shrink)."""
        if not self.headers:
            return
        widths = []  # each product's column, its picture beside its name
        for n, (header, top) in enumerate(zip(self.headers, self.pictures, strict=True)):
            box = header.layout()
            assert box is not None  # (refresh gave each header its box)
            margins, frame = header.contentsMargins(), box.contentsMargins()
            around = margins.left() + margins.right() + frame.left() + frame.right()
            values = [cells[n].minimumSizeHint().width() for _, cells in self.rows if n < len(cells)]
            widths.append(max([header.minimumSizeHint().width(), around + top.beside_width(), *values]))
        names = max((name.minimumSizeHint().width() for name in self.names), default=0)
        room = self.area.viewport().width() - names - self.grid.horizontalSpacing() * len(widths)
        stacked = sum(widths) > room
        if not stacked and max(widths) * len(widths) <= room:
            widths = [max(widths)] * len(widths)  # (the products' columns alike where they can be)
        if stacked != self.stacked:
            self._arrange(stacked, [0] * len(widths) if stacked else widths)
        elif not stacked:
            for column, width in enumerate(widths, start=1):
                if self.grid.columnMinimumWidth(column) != width:
                    self.grid.setColumnMinimumWidth(column, width)

    def _arrange(self, stacked: bool, widths: list[int]) -> None:
        """Place the headers, names and values in the grid: each name beside its values, or above them (`stacked`);
        the products' columns at least `widths` wide (the names' column narrower first)."""
        self.stacked = stacked
        grid = self.grid
        count = len(self.headers)
        for widget in [*self.headers, *self.names, *(cell for _, cells in self.rows for cell in cells)]:
            grid.removeWidget(widget)
        for column in range(grid.columnCount()):
            grid.setColumnStretch(column, 0)
            grid.setColumnMinimumWidth(column, 0)
        for row in range(grid.rowCount()):
            grid.setRowStretch(row, 0)
        first = 0 if stacked else 1  # the products' first column
        for column, header in enumerate(self.headers, start=first):
            grid.addWidget(header, 0, column)
        row = 1
        for name, (_, cells) in zip(self.names, self.rows, strict=True):
            name.setContentsMargins(0, 8 if stacked else 0, 0, 0)  # (a stacked name nearer its own values)
            if stacked:
                grid.addWidget(name, row, 0, 1, count)
                row += 1
            else:
                grid.addWidget(name, row, 0)
            for column, cell in enumerate(cells, start=first):
                grid.addWidget(cell, row, column)
            row += 1
        for column, width in enumerate(widths, start=first):
            grid.setColumnStretch(column, 1)
            grid.setColumnMinimumWidth(column, width)
        grid.setRowStretch(row, 1)

    def _remove(self, sku: str) -> None:
        """Take a product out of the comparison, and say so (the button pressed is gone with it)."""
        from ui.speech import tell

        index = self.session.index
        name = self.pick(index.products[index.position[sku]].name) if index and sku in index.position else sku
        self.session.toggle_compare(sku)
        tell(self, self.t("compare.removed", name=name))
        if can_compare(len(self.session.compare_skus)):
            self.refresh()
        else:  # (one left is nothing to compare: back to the results, whose button asks for another)
            self.session.back()
