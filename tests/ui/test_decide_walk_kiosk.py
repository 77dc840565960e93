"""The kiosk after the QA walk: the compare button from two products, the comparison's marks kept whole in a
narrow column, and a product out of stock here saying which store has it."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from tests.ui.test_decision import results
from tests.ui.test_kiosk import current
from ui.screens.results import CompareScreen, ResultsScreen
from ui.session import COMPARE, RESULTS, KioskSession
from ui.speech import describe
from ui.window import KioskWindow


def test_one_product_ticked_asks_for_another_instead_of_comparing_it_alone(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    screen = results(qtbot, window, session, QSize(1080, 1920))
    first, second = session.advice.decision().skus[:2]  # type: ignore[union-attr]
    session.toggle_compare(first)
    qtbot.waitUntil(lambda: screen.compare.text() == "Noch eins zum Vergleichen wählen")
    assert not screen.compare.isEnabled()
    assert describe(screen.compare, "de").startswith("Noch eins zum Vergleichen wählen"), "said as it reads"
    session.show_compare()
    assert session.view == RESULTS and isinstance(current(window), ResultsScreen), "no comparison of one"
    session.set_locale("en")
    qtbot.waitUntil(lambda: screen.compare.text() == "Pick one more to compare")
    session.set_locale("de")
    session.toggle_compare(second)
    qtbot.waitUntil(lambda: screen.compare.text() == "Vergleichen (2)")
    assert screen.compare.isEnabled()
    session.show_compare()
    assert session.view == COMPARE


def test_removing_the_second_to_last_product_leaves_the_comparison(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    results(qtbot, window, session, QSize(1080, 1920))
    first, second = session.advice.decision().skus[:2]  # type: ignore[union-attr]
    session.toggle_compare(first)
    session.toggle_compare(second)
    session.show_compare()
    compare = current(window)
    assert isinstance(compare, CompareScreen)
    compare._remove(second)
    qtbot.waitUntil(lambda: session.view == RESULTS)


def test_the_comparison_marks_keep_the_tick_with_its_word(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    results(qtbot, window, session, QSize(1080, 1920))
    for sku in session.advice.decision().skus[:3]:  # type: ignore[union-attr]
        session.toggle_compare(sku)
    session.show_compare()
    compare = current(window)
    assert isinstance(compare, CompareScreen)
    marks = [lab.text() for lab in compare.findChildren(QLabel) if lab.text().startswith("✓")]
    assert "✓\u00a0günstiger" in marks
    assert marks and all(mark.startswith("✓\u00a0") for mark in marks), marks


def test_a_product_out_of_stock_here_names_the_store_that_has_it(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    window.resize(QSize(1080, 1920))
    session.start("backpack-finder")
    session.stores = {"ham-01": {"de": "Hamburg", "en": "Hamburg"}, "muc-01": {"de": "München", "en": "Munich"}}
    session.show_detail("NG-PACK-0005")  # Hörnle 20: none in Munich (the kiosk's store), 8 in Hamburg

    def shown() -> list[str]:
        return [lab.text() for lab in current(window).findChildren(QLabel)]

    qtbot.waitUntil(lambda: "Derzeit nicht vorrätig – in Hamburg: 8" in shown())
    session.set_locale("en")
    qtbot.waitUntil(lambda: "Currently out of stock – in Hamburg: 8" in shown())


def test_the_stores_names_are_read_once_the_database_is_there(
    qtbot: QtBot, session: KioskSession, engine: Engine
) -> None:
    from advisor.catalog.reads import STORE

    with engine.begin() as connection:
        connection.execute(STORE.insert().values(id="ham-01", name_de="Hamburg Altona", name_en=""))
    session._read_stores(engine)  # (attach_database does, off the GUI thread)
    qtbot.waitUntil(lambda: bool(session.stores), timeout=5_000)
    session.set_locale("en")  # (no English name: the German one)
    assert session.store_named("ham-01") == "Hamburg Altona" and session.store_named("nowhere") is None
