"""Every product on the results says whether this store has it, not only the top pick."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from advisor.appointments import booking
from advisor.rendering.facts import stock_in
from tests.helpers.appointments import add_consultants, add_stock, store_config
from tests.ui.test_decision import ANSWERS, results
from tests.ui.test_kiosk import current
from ui.screens.results import AlternativeRow
from ui.session import KioskSession
from ui.window import KioskWindow


def test_each_alternative_row_says_its_stock_here(qtbot: QtBot, window: KioskWindow, session: KioskSession) -> None:
    screen = results(qtbot, window, session, QSize(1920, 1080))
    rows = [card for card in screen.products.cards if isinstance(card, AlternativeRow)]
    assert rows
    items = {item.sku: item for item in session.advice.recommendation().products}  # type: ignore[union-attr]
    for row in rows:
        item = items[row.sku]
        expected = stock_in(item.product, session.store_id, session.locale, item.variants, session.index)
        assert row.stock.isVisible() and row.stock.text() == expected.text(session.locale) != ""


def test_a_product_set_aside_for_an_appointment_is_not_shown_as_on_the_shelf(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Engine
) -> None:
    """A phone shopper booked an appointment and the store set the product aside: the kiosk's results read the
    holds off the GUI thread and show one fewer here (the last one held: not here)."""
    results(qtbot, window, session, QSize(1920, 1080))
    items = session.advice.recommendation().products  # type: ignore[union-attr]
    item = next(i for i in items if len(i.product.variants) <= 1 and i.product.stock.get(session.store_id, (0, {}))[0])
    here = item.product.stock[session.store_id][0]
    add_consultants(engine, ["anna"])
    add_stock(engine, {item.sku: here}, store_id=session.store_id)
    config = store_config()
    after = datetime.now(UTC)
    for _ in range(here):  # every one of them held, each for an appointment of its own (Anna's next free time)
        slot = booking.free_slots(engine, config=config, category_id="tents", after=after, count=1)[0]
        after = slot.starts_at
        booking.book(engine, config=config, category_id="tents", starts_at=slot.starts_at, name="Kim",
                     contact="kim@example.com", locale="de", channel="web", products=[item.sku])  # fmt: skip
    session.engine = engine  # the kiosk's database, as when it starts
    session.set_answers(ANSWERS)  # the results shown again: the holds are read
    qtbot.waitUntil(lambda: session.held.get(item.sku) == here, timeout=5_000)
    expected = stock_in(item.product, session.store_id, session.locale, item.variants, session.index, session.held)
    assert expected.count == 0

    def said() -> str:  # the card as it is now (the screen builds its cards anew when the holds come in)
        return "\n".join(card_text(c) for c in current(window).products.cards if getattr(c, "sku", None) == item.sku)

    qtbot.waitUntil(lambda: expected.text(session.locale) in said(), timeout=5_000)
    # The voice reads the same stock as the screen: a blind shopper is not sent to an empty shelf.
    spoken = current(window).item_words[item.sku]
    assert expected.text(session.locale) in spoken and "vorrätig –" not in spoken, spoken


def card_text(card: QWidget) -> str:
    return "\n".join(label.text() for label in card.findChildren(QLabel))
