"""The comparison at the moment of decision: each price once (in its column's header, the cheaper marked there), a
way from each column to that product's details and back to the comparison, and a Compare toggle that says its
state in words (as the web's "Vergleichen ✓")."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from advisor.rendering.facts import price_text
from tests.ui.test_decision import results
from tests.ui.test_kiosk import click, current
from ui import session as views
from ui.screens.results import CompareScreen, DetailScreen, ResultsScreen
from ui.session import KioskSession
from ui.window import KioskWindow


def compare_two(qtbot: QtBot, window: KioskWindow, session: KioskSession) -> CompareScreen:
    """The results' first two products side by side (the cheaper of them not first: its mark is not the default)."""
    results(qtbot, window, session, QSize(1280, 800))
    index = session.index
    assert index is not None
    skus = session.advice.decision().skus  # type: ignore[union-attr]
    prices = {sku: index.products[index.position[sku]].price for sku in skus}
    first = max(skus, key=lambda sku: prices[sku])
    second = next(sku for sku in skus if prices[sku] < prices[first])
    for sku in (first, second):
        session.toggle_compare(sku)
    session.show_compare()
    compare = current(window)
    assert isinstance(compare, CompareScreen) and len(compare.headers) == 2
    built(qtbot, compare)
    return compare


def built(qtbot: QtBot, compare: CompareScreen) -> None:
    """The comparison's new build on screen (its widgets show on the next pass of the event loop)."""
    qtbot.waitUntil(lambda: all(price.isVisible() for price in compare.prices))


def test_the_price_shows_once_in_each_header_with_the_cheaper_marked_there(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    compare = compare_two(qtbot, window, session)
    index = session.index
    assert index is not None
    products = [index.products[index.position[sku]] for sku in session.compare_skus]
    fitting = [session.advice.fitting_variants(p.sku) for p in products]  # type: ignore[union-attr]
    wanted = [price_text(p, "de", chosen) for p, chosen in zip(products, fitting, strict=True)]
    assert [price.text() for price in compare.prices] == wanted
    for only_differences in (True, False):
        assert "price" not in {name for name, _ in compare.rows}, "no row repeats the price"
        shown = [w.text() for w in compare.sheet.findChildren(QLabel) if w.isVisibleTo(compare.sheet)]
        assert "Preis" not in shown
        for price in wanted:
            assert shown.count(price) == 1, (price, shown)
        if only_differences:
            click(qtbot, compare.only_differences)
            built(qtbot, compare)
    # The cheaper (the second column) marked as the rows mark the better value, in words for the ear too
    first, second = compare.headers
    marks = [
        [w.text() for w in header.findChildren(QLabel) if w.objectName() == "Better"] for header in (first, second)
    ]
    assert marks == [[], ["✓\u00a0günstiger"]]
    assert compare.prices[1].accessibleName() == f"{wanted[1]} (günstiger)" and compare.prices[0].accessibleName() == ""
    names = [compare.pick(p.name) for p in products]
    said = [
        stop.spoken() for header in (first, second) for stop in header.findChildren(QWidget) if hasattr(stop, "spoken")
    ]  # type: ignore[attr-defined]
    assert said == [f"{names[0]}, {wanted[0]}.", f"{names[1]}, {wanted[1]}, günstiger."]
    session.set_locale("en")
    compare = current(window)
    assert [[w.text() for w in h.findChildren(QLabel) if w.objectName() == "Better"] for h in compare.headers] == [
        [], ["✓\u00a0cheaper"]]  # fmt: skip


def test_details_from_a_column_and_back_return_to_the_comparison_with_focus_on_that_columns_details(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    window.activateWindow()  # (focus goes to the window's controls while it is the active one)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    compare = compare_two(qtbot, window, session)
    sku = session.compare_skus[1]
    details = compare.details[sku]
    name = compare.pick(session.index.products[session.index.position[sku]].name)  # type: ignore[union-attr]
    assert details.text() == "Details" and details.accessibleName() == f"Details: {name}"
    click(qtbot, details)
    assert session.view == views.DETAIL and session.detail_sku == sku
    screen = current(window)
    assert isinstance(screen, DetailScreen)
    qtbot.waitUntil(lambda: window.shown_key == session.screen_key())  # the details settled (focus on them)
    click(qtbot, screen.back)
    assert session.view == views.COMPARE, "back to the comparison it was opened from, not to the results"
    assert current(window) is compare
    qtbot.waitUntil(lambda: QApplication.focusWidget() is compare.product_card(sku))
    assert QApplication.focusWidget().accessibleName() == f"Details: {name}"  # type: ignore[union-attr]
    click(qtbot, compare.back)
    assert session.view == views.RESULTS, "Back from the comparison still goes to the results"
    results_screen = current(window)
    assert isinstance(results_screen, ResultsScreen)
    qtbot.waitUntil(results_screen.ready)
    # Details opened from the results go back to the results, comparison or not
    card = results_screen.products.cards[0]
    session.show_detail(card.sku)  # type: ignore[attr-defined]
    session.back()
    assert session.view == views.RESULTS


def test_details_from_the_comparison_go_back_to_the_results_once_nothing_is_compared(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    compare = compare_two(qtbot, window, session)
    first, second = session.compare_skus
    click(qtbot, compare.details[first])
    session.back()
    assert session.view == views.COMPARE
    session.show_detail(second)
    session.toggle_compare(second)  # taken out of the comparison on its details: one left is nothing to compare
    session.back()
    assert session.view == views.RESULTS, "no comparison of one (or none) to go back to"


def test_the_results_compare_toggle_says_in_its_words_whether_the_product_is_compared(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    screen = results(qtbot, window, session, QSize(1280, 800))
    top = screen.products.cards[0]
    name = top.name.text()  # type: ignore[attr-defined]

    def toggle() -> QPushButton:
        found = [b for b in screen.products.findChildren(QPushButton) if b.accessibleName().endswith(f": {name}")
                 and b.isCheckable()]  # fmt: skip
        assert len(found) == 1, [b.accessibleName() for b in found]
        return found[0]

    before = toggle()
    assert (before.text(), before.accessibleName(), before.isChecked()) == ("Vergleichen", f"Vergleichen: {name}",
                                                                           False)  # fmt: skip
    click(qtbot, before)
    qtbot.waitUntil(lambda: screen.ready() and toggle().isChecked())
    after = toggle()
    assert (after.text(), after.accessibleName()) == ("Vergleichen ✓", f"Vergleichen ✓: {name}")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is after)  # the same toggle keeps focus across the rebuild
    session.set_locale("en")
    qtbot.waitUntil(lambda: screen.ready() and toggle().text() == "Compare ✓")
    assert toggle().accessibleName() == f"Compare ✓: {name}"
    click(qtbot, toggle())
    qtbot.waitUntil(lambda: screen.ready() and not toggle().isChecked())
    assert (toggle().text(), toggle().accessibleName()) == ("Compare", f"Compare: {name}")


def test_the_details_compare_toggle_says_its_state_in_words_too(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    screen = results(qtbot, window, session, QSize(1280, 800))
    sku = screen.products.cards[0].sku  # type: ignore[attr-defined]
    session.show_detail(sku)
    details = current(window)
    assert isinstance(details, DetailScreen)
    assert details.compare.text() == "Vergleichen" and not details.compare.isChecked()
    click(qtbot, details.compare)
    qtbot.waitUntil(lambda: details.compare.text() == "Vergleichen ✓")
    assert details.compare.isChecked() and details.compare.accessibleName().startswith("Vergleichen ✓: ")


def test_a_columns_details_and_remove_sit_level_in_their_line(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    """(A link beside a framed button: centred in the line, not hung from its top.)"""
    compare = compare_two(qtbot, window, session)
    for header in compare.headers:
        details = next(b for b in header.findChildren(QPushButton) if b.text() == "Details")
        remove = next(b for b in header.findChildren(QPushButton) if b.text() == "Entfernen")
        qtbot.waitUntil(lambda d=details, r=remove: d.isVisible() and r.isVisible())
        assert remove.y() > details.y(), "the smaller link is not at the top of the line"
        assert abs(details.geometry().center().y() - remove.geometry().center().y()) <= 1


def test_a_product_ticked_before_the_answers_changed_says_in_its_column_what_it_misses(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    """The shopper ticks a trekking tent, then changes the region to high mountains and winter and ticks the new top
    pick: the first tent's column says it does not fit the answers and which wish it misses (on screen and said),
    the new one's says nothing of the kind."""
    results(qtbot, window, session, QSize(1280, 800))
    index = session.index
    assert index is not None and session.advice is not None
    before = next(item.sku for item in session.advice.recommendation().products
                  if "alpine" not in index.products[index.position[item.sku]].attributes["use"])  # fmt: skip
    session.toggle_compare(before)
    session.change_answer("region", "alpine")
    after = session.advice.recommendation().products[0].sku
    session.toggle_compare(after)
    session.show_compare()
    compare = current(window)
    assert isinstance(compare, CompareScreen)
    built(qtbot, compare)
    marks = [
        [w.text() for w in header.findChildren(QLabel) if w.objectName() == "Tradeoff"] for header in compare.headers
    ]
    assert marks == [["Passt nicht zu deinen Antworten: hochgebirgstauglich"], []]
    said = [stop.spoken() for stop in compare.headers[0].findChildren(QWidget) if hasattr(stop, "spoken")]  # type: ignore[attr-defined]
    assert said and said[0].endswith("Passt nicht zu deinen Antworten: hochgebirgstauglich")
