"""A merchandiser's own catalog with only what it must have: no pictures, no care, repair or sustainability facts.

The kiosk shows what there is and no empty headings; where a picture would be, the category's icon, faint.
"""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from advisor.recommend.index import CatalogIndex, ProductInfo
from tests.helpers.index import made_up_index, sample_index
from tests.ui.conftest import CATEGORIES
from tests.ui.test_kiosk import current, texts, wait_for_products
from ui import session as views
from ui.app import load_questionnaires
from ui.screens.results import AlternativeRow, CompareScreen, DetailScreen, TopPickCard
from ui.session import KioskSession
from ui.theme import Theme
from ui.window import KioskWindow

BARE = "BB-TREK-45W"  # as the merchandiser's backpack without a picture and without the optional facts
WITH_CARE = "BB-CARE-ONLY"  # as that one, with care instructions only


def bare(product: ProductInfo, sku: str, care: dict[str, str] | None = None) -> ProductInfo:
    """`product` as a merchandiser's own: no picture; no repair or sustainability facts, nor care unless given."""
    return dataclasses.replace(product, sku=sku, image=None, care=care or {}, repair={}, sustainability={})


@pytest.fixture
def session() -> KioskSession:
    """The shipped catalog, but the backpacks as a merchandiser imported them: none has a picture."""
    backpacks = sample_index("backpacks")
    first = backpacks.products[0]
    products = [dataclasses.replace(product, image=None) for product in backpacks.products]
    products += [bare(first, BARE), bare(first, WITH_CARE, care={"wash": "hand"})]
    indexes = {category: sample_index(category) for category in CATEGORIES}
    indexes["backpacks"] = made_up_index("backpacks", products)
    session = KioskSession(load_questionnaires(), locale="de")
    session.set_catalog(CatalogIndex(1, indexes))
    return session


def detail(qtbot: QtBot, window: KioskWindow, session: KioskSession, sku: str) -> DetailScreen:
    session.start("backpack-finder")
    session.show_detail(sku)
    screen = current(window)
    assert isinstance(screen, DetailScreen)
    qtbot.waitUntil(lambda: session.view == views.DETAIL and bool(screen.sections))
    return screen


def picture_of(widget: QLabel) -> QImage:
    pixmap = widget.pixmap()
    assert pixmap is not None and not pixmap.isNull()
    return pixmap.toImage()


def pictures(widget: QWidget) -> list[QImage]:
    """The pictures shown in a card or screen (labels showing a pixmap)."""
    return [picture_of(label) for label in widget.findChildren(QLabel) if not label.pixmap().isNull()]


def assert_faint_icon_in_the_middle(image: QImage) -> None:
    """Something is drawn in the middle of the picture's area, nothing at its edges, in the muted colour, faint."""
    width, height = image.width(), image.height()
    assert image.pixelColor(1, 1).alpha() == 0 and image.pixelColor(width - 2, height - 2).alpha() == 0
    drawn = [image.pixelColor(x, y) for x in range(width) for y in range(height) if image.pixelColor(x, y).alpha()]
    assert drawn, "a placeholder, not an empty area"
    xs = [x for x in range(width) for y in range(height) if image.pixelColor(x, y).alpha()]
    assert abs((min(xs) + max(xs)) / 2 - width / 2) <= width * 0.1, "centred"
    muted = QColor(Theme().muted)
    strongest = max(drawn, key=lambda colour: colour.alpha())
    assert strongest.alpha() < 160, "faint: it stands back behind the name and price"
    assert (strongest.red(), strongest.green(), strongest.blue()) == pytest.approx(
        (muted.red(), muted.green(), muted.blue()), abs=8
    ), "one muted colour, not the icon's green and orange"


def test_a_product_without_care_repair_or_sustainability_shows_no_empty_headings(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    screen = detail(qtbot, window, session, BARE)
    shown = texts(screen)
    assert "Technische Daten" in shown
    for heading in ("Pflege", "Reparatur", "Nachhaltigkeit"):
        assert heading not in shown
    assert len(screen.sections) == 2, "the product and its specifications: nothing empty to stop at"
    assert screen.spoken().endswith("2 Abschnitte folgen.")
    specs = screen.sections[1]
    assert specs.width() > screen.content.width() * 0.8, "the specifications use the width the right column left"


def test_only_the_sections_with_something_in_them_show(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    screen = detail(qtbot, window, session, WITH_CARE)
    shown = texts(screen)
    assert "Pflege" in shown and "• Handwäsche" in shown
    assert "Reparatur" not in shown and "Nachhaltigkeit" not in shown
    assert len(screen.sections) == 3 and screen.sections[2].spoken().startswith("Pflege")  # type: ignore[attr-defined]


def test_the_details_show_the_category_icon_where_the_picture_would_be(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    screen = detail(qtbot, window, session, BARE)
    (placeholder,) = pictures(screen)
    assert placeholder.size() == QSize(320, 240), "the picture's area, as with a picture"
    assert_faint_icon_in_the_middle(placeholder)


def test_result_cards_and_the_comparison_show_the_category_icon_without_pictures(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    session.start("backpack-finder")
    example = next(e for e in session.questionnaires["backpack-finder"].examples if not e.no_match and e.include)
    session.set_answers(example.answers)
    screen = wait_for_products(qtbot, window)
    top = next(card for card in screen.products.cards if isinstance(card, TopPickCard))
    (top_picture,) = pictures(top)
    assert_faint_icon_in_the_middle(top_picture)
    row = next(card for card in screen.products.cards if isinstance(card, AlternativeRow))
    (row_picture,) = pictures(row)
    assert_faint_icon_in_the_middle(row_picture)
    for card in screen.products.cards[:2]:
        session.toggle_compare(card.sku)  # type: ignore[attr-defined]
    session.show_compare()
    compare = current(window)
    assert isinstance(compare, CompareScreen)
    qtbot.waitUntil(lambda: len(compare.headers) == 2)
    for header in compare.headers:
        (header_picture,) = pictures(header)
        assert_faint_icon_in_the_middle(header_picture)


def test_a_product_with_a_picture_still_shows_it(qtbot: QtBot, window: KioskWindow, session: KioskSession) -> None:
    session.start("tent-finder")
    assert session.index is not None
    sku = session.index.products[0].sku
    session.show_detail(sku)
    screen = current(window)
    qtbot.waitUntil(lambda: isinstance(screen, DetailScreen) and bool(screen.sections))
    (shown,) = pictures(screen)
    colours = {shown.pixelColor(x, y).name() for x in range(0, 320, 8) for y in range(0, 240, 8)}
    assert len(colours) > 3, "the product's drawing, not a one-colour placeholder"
