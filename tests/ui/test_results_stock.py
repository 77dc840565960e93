"""Every product on the results says whether this store has it, not only the top pick."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from advisor.appointments import booking
from advisor.rendering.facts import stock_in
from advisor.session import store
from tests.helpers.appointments import add_consultants, add_stock, store_config
from tests.ui.test_decision import ANSWERS, results
from tests.ui.test_kiosk import current
from ui.screens.results import AlternativeRow
from ui.session import KioskSession
from ui.window import KioskWindow


def test_each_alternative_row_says_its_stock_here(qtbot: QtBot, window: KioskWindow, session: KioskSession) -> None:
    screen = results(qtbot, window, session, QSize(1920, 1080))

    def shown_rows() -> list[AlternativeRow]:
        return [card for card in screen.products.cards if isinstance(card, AlternativeRow)]

    # (the shelf's holds are read after the first paint; the rows are built again once they are in)
    qtbot.waitUntil(lambda: bool(shown_rows()) and all(row.stock.isVisible() for row in shown_rows()), timeout=5000)
    rows = shown_rows()
    items = {item.sku: item for item in session.advice.recommendation().products}  # type: ignore[union-attr]
    for row in rows:
        item = items[row.sku]
        expected = stock_in(
            item.product,
            session.store_id,
            session.locale,
            item.variants,
            session.index,
            store_named=session.store_named,
        )  # (out of stock here: where else)
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
    expected = stock_in(
        item.product,
        session.store_id,
        session.locale,
        item.variants,
        session.index,
        session.held,
        store_named=session.store_named,
    )
    assert expected.count == 0

    def said() -> str:  # the card as it is now (the screen builds its cards anew when the holds come in)
        return "\n".join(card_text(c) for c in current(window).products.cards if getattr(c, "sku", None) == item.sku)

    qtbot.waitUntil(lambda: expected.text(session.locale) in said(), timeout=5_000)
    # The voice reads the same stock as the screen: a blind shopper is not sent to an empty shelf.
    spoken = current(window).item_words[item.sku]
    assert expected.text(session.locale) in spoken, spoken  # (where else it is, too)


def card_text(card: QWidget) -> str:
    return "\n".join(label.text() for label in card.findChildren(QLabel))


def test_the_product_set_aside_for_this_shoppers_appointment_reads_as_theirs_and_gone_for_the_next(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, engine: Engine
) -> None:
    """Hans booked the last one of a product to try and opens his advice at the kiosk: his results, its details and
    the comparison say it is set aside for him (on screen and in speech, in German and English), not that it is
    gone; the next shopper at the kiosk reads it as not on the shelf."""
    results(qtbot, window, session, QSize(1920, 1080))
    assert session.advice is not None
    item = next(i for i in session.advice.recommendation().products
                if len(i.product.variants) <= 1 and i.product.stock.get(session.store_id, (0, {}))[0])  # fmt: skip
    here = item.product.stock[session.store_id][0]
    add_consultants(engine, ["anna"])
    add_stock(engine, {item.sku: here}, store_id=session.store_id)
    record = store.create(engine, session.advice, store_id=session.store_id)
    config = store_config()
    after = datetime.now(UTC)
    for hans in [True] + [False] * (here - 1):  # every one held: one for Hans, the rest for other shoppers
        slot = booking.free_slots(engine, config=config, category_id="tents", after=after, count=1)[0]
        after = slot.starts_at
        booking.book(engine, config=config, category_id="tents", starts_at=slot.starts_at, name="Hans",
                     contact="hans@example.com", locale="de", channel="web", products=[item.sku],
                     session_id=record.id if hans else None)  # fmt: skip
    session.engine = engine  # the kiosk's database, as when it starts
    session.resume(record)  # Hans types his code
    mine = f"Für dich zurückgelegt – {stock_in(item.product, session.store_id, 'de').location}"

    def card() -> str:
        return "\n".join(card_text(c) for c in current(window).products.cards if getattr(c, "sku", None) == item.sku)

    qtbot.waitUntil(lambda: mine in card(), timeout=5_000)
    assert "nicht vorrätig" not in card()
    assert mine in current(window).item_words[item.sku], "the voice says it is set aside for him too"
    session.show_detail(item.sku)
    qtbot.waitUntil(lambda: mine in card_text(current(window)), timeout=5_000)
    assert "nicht vorrätig" not in card_text(current(window))
    session.toggle_compare(item.sku)
    session.show_compare()
    qtbot.waitUntil(lambda: mine in card_text(current(window)), timeout=5_000)
    session.set_locale("en")
    qtbot.waitUntil(lambda: "Set aside for you – " in card_text(current(window)), timeout=5_000)

    session.start("tent-finder")  # the next shopper, with the same answers
    session.set_answers(ANSWERS)
    qtbot.waitUntil(lambda: "Currently out of stock" in card(), timeout=5_000)
    assert "Set aside" not in card() and "Set aside" not in current(window).item_words[item.sku]
    session.set_locale("de")
    qtbot.waitUntil(lambda: "Derzeit nicht vorrätig" in card(), timeout=5_000)
    assert "zurückgelegt" not in card()
