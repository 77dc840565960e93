"""Results with reasons, relaxations and critiques; a product's details; up to three side by side."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor.i18n import number
from advisor.paths import sample_catalog_dir
from advisor.recommend.core import Ranked, Relaxation, attribute_label, category_noun, format_value
from advisor.recommend.index import PRICE, CategoryIndex, ProductInfo
from ui.screens.base import Screen
from ui.session import MAX_COMPARE, KioskSession
from ui.widgets import CardGrid, FlowLayout, OptionCard, button, clear, label, svg_pixmap

CARE_TEXT = {
    "wash": {"machine_30": ("Maschinenwäsche 30 °C", "Machine wash 30 °C"),
             "machine_40": ("Maschinenwäsche 40 °C", "Machine wash 40 °C"),
             "hand": ("Handwäsche", "Hand wash"), "sponge": ("Mit Schwamm reinigen", "Clean with a sponge"),
             "no_wash": ("Nicht waschen", "Do not wash")},
    "dry": {"air": ("An der Luft trocknen", "Air dry"), "tumble_low": ("Trockner, niedrige Stufe", "Tumble dry low"),
            "no_tumble": ("Nicht in den Trockner", "Do not tumble dry")},
    "reproof": {"spray": ("Imprägnieren mit Spray", "Reproof with a spray"),
                "wash_in": ("Imprägnieren beim Waschen", "Wash-in reproofing"), "none": ("", "")},
}  # fmt: skip


def product_image(product: ProductInfo, size: QSize) -> QPixmap:
    """The product's picture (rendered once per size and kept), or an empty one when it has none."""
    if not product.image:
        empty = QPixmap(size)
        empty.fill(Qt.GlobalColor.transparent)
        return empty
    return svg_pixmap(sample_catalog_dir() / product.image, size)


def price_text(product: ProductInfo, locale: str) -> str:
    return (
        f"{number(product.price, locale, 2)} €"
        if product.currency == "EUR"
        else f"{product.price:.2f} {product.currency}"
    )


class ProductCard(QFrame):
    """One recommended product: picture, name, price, reasons and trade-offs; details and compare."""

    def __init__(self, screen: ResultsScreen, item: Ranked) -> None:
        super().__init__()
        self.setObjectName("ProductCard")
        session = screen.session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        picture = label("")
        picture.setPixmap(product_image(item.product, QSize(200, 150)))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(picture)
        name = screen.pick(item.product.name)
        layout.addWidget(label(name, "CardTitle"))
        layout.addWidget(label(price_text(item.product, session.locale), "Price"))
        if item.reasons:
            layout.addWidget(label("\n".join("✓ " + reason.text for reason in item.reasons[:4]), "Reason"))
        if item.tradeoffs:
            layout.addWidget(label("\n".join("– " + tradeoff.text for tradeoff in item.tradeoffs[:2]), "Tradeoff"))
        if item.facts:
            layout.addWidget(label(" · ".join(item.facts[:3]), "Muted"))
        layout.addStretch(1)
        row = QHBoxLayout()
        details = button(screen.t("results.details"), "Primary")
        details.setAccessibleName(f"{screen.t('results.details')}: {name}")
        details.clicked.connect(lambda: session.show_detail(item.sku))
        compare = button(screen.t("results.compare"), "", "compare")
        compare.setCheckable(True)
        compare.setChecked(item.sku in session.compare_skus)
        compare.setEnabled(item.sku in session.compare_skus or len(session.compare_skus) < MAX_COMPARE)
        compare.setAccessibleName(f"{screen.t('results.compare')}: {name}")
        compare.clicked.connect(lambda: session.toggle_compare(item.sku))
        row.addWidget(details, 1)
        row.addWidget(compare)
        layout.addLayout(row)


class ResultsScreen(Screen):
    """The recommended products; when nothing fits, what to drop; critiques to refine."""

    filled = Signal()  # the product cards and offers are on screen

    def __init__(self, session: KioskSession) -> None:
        super().__init__(session)
        self._generation = 0
        self.title = label("", "Title")
        self.subtitle = label("", "Subtitle")
        self.outer.addWidget(self.title)
        self.outer.addWidget(self.subtitle)
        # Critiques in a wrapping row; relaxations below, one per line (their labels can be long).
        self.offers = QWidget()
        offers_box = QVBoxLayout(self.offers)
        offers_box.setContentsMargins(0, 0, 0, 0)
        row = QWidget()
        self.offers_layout = FlowLayout(row)
        offers_box.addWidget(row)
        self.relax_layout = QVBoxLayout()
        self.relax_layout.setSpacing(8)
        offers_box.addLayout(self.relax_layout)
        self.outer.addWidget(self.offers)
        self.grid = CardGrid(360, fit_height=True)
        self.scrolling(self.grid)
        row = self.footer()
        self.overview = button("", "", "check")
        self.overview.clicked.connect(session.show_overview)
        self.compare = button("", "", "compare")
        self.compare.clicked.connect(session.show_compare)
        self.restart = button("", "", "home")
        self.restart.clicked.connect(session.reset)
        row.addWidget(self.overview)
        row.addStretch(1)
        row.addWidget(self.compare)
        row.addWidget(self.restart)

    def first_focus(self) -> QWidget | None:
        offers = self.offers.findChildren(QPushButton)
        cards = self.grid.cards
        if cards:
            return next((b for b in cards[0].findChildren(QPushButton) if b.objectName() == "Primary"), None)
        return offers[0] if offers else None

    def refresh(self) -> None:
        """Show the screen at once with what is cheap (titles, the count); the products follow a moment later.

        Working out and laying out the products takes longer than a frame on a large catalog: deferring it to
        the next turn of the event loop lets the new screen paint first (docs/architecture.md).
        """
        session = self.session
        self.back.setText(self.t("question.back"))
        self.overview.setText(self.t("overview.title"))
        self.restart.setText(self.t("results.restart"))
        self.compare.setText(f"{self.t('results.compare')} ({len(session.compare_skus)})")
        self.compare.setEnabled(bool(session.compare_skus))
        clear(self.offers_layout)
        clear(self.relax_layout)
        self.grid.set_cards([])
        count = session.live_count()
        if count is None:
            self.title.setText("…")
            self.subtitle.setText("")
            return
        category = category_noun(session.index, session.locale) if session.index else ""
        if count == 0:
            self.title.setText(self.t("results.none"))
            self.subtitle.setText(self.t("results.relax_hint"))
        else:
            self.title.setText(self.t("results.title"))
            self.subtitle.setText(self.t("question.live_count", count=count, category=category))
        self._generation += 1
        generation = self._generation
        QTimer.singleShot(0, self, lambda: self._fill(generation))

    def _fill(self, generation: int) -> None:
        """Offers and product cards for the recommendation (unless the screen has changed since)."""
        session = self.session
        result = session.recommendation()
        if generation != self._generation or result is None or session.view != "results":
            return
        if result.count == 0:
            for relaxation in result.relaxations:
                self._relaxation(relaxation)
        else:
            if result.critiques:
                self.offers_layout.addWidget(label(self.t("results.critiques"), "Muted", wrap=False))
            for critique in result.critiques[:4]:
                offer = button(f"{critique.label} ({critique.count})", "", "star")
                offer.clicked.connect(lambda _=False, c=critique: session.critique(c))
                self.offers_layout.addWidget(offer)
            for relaxation in [r for r in session.more_choice() if len(r.drop) == 1][:2]:
                self._relaxation(relaxation)
            if session.critiques:
                undo = button("×", "Link")
                undo.setAccessibleName("clear")
                undo.clicked.connect(session.clear_critiques)
                self.offers_layout.addWidget(undo)
        self.grid.set_cards([ProductCard(self, item) for item in result.products])
        self.filled.emit()

    def _relaxation(self, relaxation: Relaxation) -> None:
        """One tap drops the wishes and shows what fits then."""
        offer = OptionCard(relaxation.text, "", "check")
        offer.setCheckable(False)
        offer.setMinimumHeight(64)
        offer.clicked.connect(lambda _=False, r=relaxation: self.session.relax(r))
        self.relax_layout.addWidget(offer)


def spec_rows(index: CategoryIndex, product: ProductInfo, locale: str) -> list[tuple[str, str]]:
    rows = []
    for name in index.category.attributes:
        value = product.attributes.get(name)
        if value is not None:
            rows.append((attribute_label(index, name, locale), format_value(index, name, value, locale)))
    return rows


class DetailScreen(Screen):
    """Everything about one product: specifications, care, repair, sustainability, and where it is in the store."""

    def __init__(self, session: KioskSession) -> None:
        super().__init__(session)
        self.content = QWidget()
        self.content_layout = QVBoxLayout(self.content)
        self.content_layout.setSpacing(10)
        self.scrolling(self.content)
        self.footer().addStretch(1)

    def refresh(self) -> None:
        session = self.session
        index = session.index
        self.back.setText(self.t("question.back"))
        clear(self.content_layout)
        if index is None or session.detail_sku not in index.position:
            return
        product = index.products[index.position[session.detail_sku]]
        locale = session.locale
        head = QHBoxLayout()
        picture = label("")
        picture.setPixmap(product_image(product, QSize(320, 240)))
        head.addWidget(picture)
        texts = QVBoxLayout()
        texts.addWidget(label(self.pick(product.name), "Title"))
        texts.addWidget(label(price_text(product, locale), "Price"))
        texts.addWidget(label(self.pick(product.description)))
        stock = product.stock.get(session.store_id)
        texts.addWidget(label(self.t("detail.where"), "Section"))
        if stock and stock[0] > 0:
            texts.addWidget(label(self.t("detail.in_stock", count=stock[0], location=self.pick(stock[1]))))
        else:
            texts.addWidget(label(self.t("detail.out_of_stock")))
        texts.addStretch(1)
        head.addLayout(texts, 1)
        self.content_layout.addLayout(head)
        columns = QHBoxLayout()
        columns.setSpacing(32)
        specs = QVBoxLayout()
        facts = QVBoxLayout()
        for column in (specs, facts):
            column.setAlignment(Qt.AlignmentFlag.AlignTop)  # lines keep their height; the columns differ in length
            column.setSpacing(6)
        columns.addLayout(specs, 1)
        columns.addLayout(facts, 1)
        self.content_layout.addLayout(columns)
        specs.addWidget(label(self.t("detail.specs"), "Section"))
        for name, value in spec_rows(index, product, locale):
            specs.addWidget(label(f"{name}: {value}"))
        specs.addStretch(1)
        self._facts(facts, product)
        self.content_layout.addStretch(1)

    def _facts(self, layout: QVBoxLayout, product: ProductInfo) -> None:
        """Care, repair and sustainability facts."""
        locale = self.session.locale
        de = locale == "de"
        layout.addWidget(label(self.t("detail.care"), "Section"))
        for key in ("wash", "dry", "reproof"):
            code = product.care.get(key)
            if code and CARE_TEXT[key].get(code, ("", ""))[0 if de else 1]:
                layout.addWidget(label("• " + CARE_TEXT[key][code][0 if de else 1]))
        for step in product.care.get("instructions", {}).get(locale, []):
            layout.addWidget(label("• " + step))
        layout.addWidget(label(self.t("detail.repair"), "Section"))
        repair = product.repair
        if repair.get("repairability") is not None:
            rating = number(repair["repairability"], locale)
            layout.addWidget(label(("Reparierbarkeit" if de else "Repairability") + f": {rating}/10"))
        if repair.get("spare_parts_until"):
            layout.addWidget(label(self.t("fact.spare_parts_until", date=repair["spare_parts_until"])))
        parts = repair.get("spare_parts", {}).get(locale)
        if parts:
            layout.addWidget(label(("Ersatzteile: " if de else "Spare parts: ") + ", ".join(parts)))
        if repair.get("repair_service"):
            layout.addWidget(label(self.t("fact.repair_service")))
        if repair.get("repair_guide"):
            guide = self.pick(repair["repair_guide"])
            layout.addWidget(label(("Anleitung: " if de else "Guide: ") + guide))
        layout.addWidget(label(self.t("detail.sustainability"), "Section"))
        facts = product.sustainability
        if facts.get("certifications"):
            layout.addWidget(label(self.t("fact.certified", names=", ".join(facts["certifications"]))))
        materials = ", ".join(
            f"{m['material']} {number(m['share'], locale)} %"
            + (" (recycelt)" if de and m["recycled"] else " (recycled)" if m["recycled"] else "")
            for m in facts.get("materials", [])
        )
        if materials:
            layout.addWidget(label(("Material: " if de else "Materials: ") + materials))
        if facts.get("recycled_share") is not None:
            layout.addWidget(label(self.t("fact.recycled", share=number(facts["recycled_share"], locale))))
        if facts.get("pfc_free"):
            layout.addWidget(label(self.t("fact.pfc_free")))
        if facts.get("country_of_origin"):
            layout.addWidget(label(("Herkunft: " if de else "Made in: ") + facts["country_of_origin"]))
        layout.addStretch(1)


class CompareScreen(Screen):
    """Up to three products side by side, attribute by attribute."""

    def __init__(self, session: KioskSession) -> None:
        super().__init__(session)
        self.title = label("", "Title")
        self.outer.addWidget(self.title)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.outer.addWidget(self.table, 1)
        self.footer().addStretch(1)

    def refresh(self) -> None:
        session = self.session
        index = session.index
        self.title.setText(self.t("results.compare"))
        self.back.setText(self.t("question.back"))
        if index is None:
            return
        products = [index.products[index.position[sku]] for sku in session.compare_skus if sku in index.position]
        names = [attribute_label(index, PRICE, session.locale), *(attribute_label(index, n, session.locale)
                                                                 for n in index.category.attributes)]  # fmt: skip
        self.table.clear()
        self.table.setColumnCount(len(products))
        self.table.setRowCount(len(names))
        self.table.setHorizontalHeaderLabels([self.pick(product.name) for product in products])
        self.table.setVerticalHeaderLabels(names)
        for column, product in enumerate(products):
            self.table.setItem(0, column, QTableWidgetItem(price_text(product, session.locale)))
            for row, name in enumerate(index.category.attributes, start=1):
                value = product.attributes.get(name)
                shown = "–" if value is None else format_value(index, name, value, session.locale)
                self.table.setItem(row, column, QTableWidgetItem(shown))
