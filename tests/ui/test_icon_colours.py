"""Icons are drawn in the colour of the words beside them: light on the dark "Reparatur beauftragen" and "talk"
buttons (the shipped drawings are dark green, the button's own colour, and vanished into it), the theme's colour on
plain buttons and cards; in accessibility mode and in a store's own colours too."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from tests.ui.test_kiosk import click, current
from tests.ui.test_kiosk_help import engine as engine  # the fixtures: a database, a kiosk with help and repairs
from tests.ui.test_kiosk_help import help_window as help_window
from tests.ui.test_kiosk_help import open_tent_help, tap_option
from ui import session as views
from ui.app import follow_accessibility
from ui.screens.help import HelpScreen, OutcomesScreen, ProductChoice
from ui.theme import HIGH_CONTRAST, Theme, style_sheet
from ui.widgets import OptionCard
from ui.window import KioskWindow


@pytest.fixture(autouse=True)
def normal_look(qapp: QApplication) -> Iterator[None]:
    yield
    qapp.setStyleSheet(style_sheet(Theme()))  # the next test starts in the normal look


def colours(image: QImage) -> Counter[str]:
    """The colours of an image's drawn pixels (its lines, not their soft edges), by how many there are."""
    found: Counter[str] = Counter()
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() == 255:
                found[pixel.name()] += 1
    return found


def icon_colours(button: QPushButton) -> Counter[str]:
    return colours(button.icon().pixmap(button.iconSize()).toImage())


def main_colour(button: QPushButton) -> str:
    found = icon_colours(button)
    assert found, f"{button.text()!r}: its icon draws nothing"
    return found.most_common(1)[0][0]


def repair_outcomes(qtbot: QtBot, window: KioskWindow) -> OutcomesScreen:
    """A leaking tent, named: its outcomes with the repair to order."""
    find = open_tent_help(qtbot, window)
    tent = next(card for card in find.grid.cards if isinstance(card, ProductChoice) and card.sku == "NG-TENT-0001")
    click(qtbot, tent)
    for option in ("leak", "seams", "after_years"):
        tap_option(qtbot, window, option)
    assert window.session.view == views.OUTCOMES
    screen = current(window)
    assert isinstance(screen, OutcomesScreen)
    return screen


def test_the_repair_order_buttons_icon_shows_on_it_in_both_looks(qtbot: QtBot, help_window: KioskWindow) -> None:
    window = help_window
    follow_accessibility(window)  # the style sheet follows the mode, as the kiosk's start sets it up
    screen = repair_outcomes(qtbot, window)
    order = next(b for b in screen.findChildren(QPushButton) if b.accessibleName().startswith("Reparatur beauftragen"))
    talk = window.top_bar.talk_button
    normal = Theme()
    assert order.objectName() == "Primary" and talk.objectName() == "Accent"
    assert main_colour(order) == normal.on_primary and normal.primary not in icon_colours(order)
    assert main_colour(talk) == normal.on_accent and normal.accent not in icon_colours(talk)
    assert main_colour(screen.back) == normal.primary  # a plain button: its words' colour, as shipped

    window.session.set_accessible(True)
    qtbot.waitUntil(lambda: main_colour(screen.back) == HIGH_CONTRAST.primary)  # black on white
    assert main_colour(order) == HIGH_CONTRAST.on_primary and HIGH_CONTRAST.primary not in icon_colours(order)
    assert main_colour(talk) == HIGH_CONTRAST.on_accent and HIGH_CONTRAST.accent not in icon_colours(talk)

    window.session.set_accessible(False)
    qtbot.waitUntil(lambda: main_colour(screen.back) == normal.primary)
    assert main_colour(order) == normal.on_primary


def test_a_stores_colours_reach_the_icons_of_buttons_and_cards(
    qtbot: QtBot, qapp: QApplication, help_window: KioskWindow
) -> None:
    window = help_window
    store = Theme.from_config({"primary": "#5b2a86", "accent": "#9a3412", "on_accent": "#fff7ed"})
    qapp.setStyleSheet(style_sheet(store))
    click(qtbot, current(window).help)
    screen = current(window)
    assert isinstance(screen, HelpScreen)
    card = screen.grid.cards[0]
    assert isinstance(card, OptionCard) and card.picture is not None
    drawn = colours(card.picture.pixmap().toImage())
    assert drawn.most_common(1)[0][0] == store.primary, drawn
    assert QColor(Theme().primary).name() not in drawn
    assert main_colour(screen.back) == store.primary
    assert main_colour(window.top_bar.talk_button) == store.on_accent
