"""A help screen with two outcomes that name a person ("Your tent has no pole of its own" and "Rather talk to
someone?") shows one button to talk to the team, under the card that offers the talk: not the same button twice."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from tests.ui.test_kiosk import click, current
from tests.ui.test_kiosk_help import engine as engine  # the fixtures: a database, a kiosk with help and repairs
from tests.ui.test_kiosk_help import help_window as help_window
from tests.ui.test_kiosk_help import open_tent_help, tap_option
from ui import session as views
from ui.screens.help import HelpScreen, OutcomeCard, OutcomesScreen, ProductChoice
from ui.widgets import OptionCard
from ui.window import KioskWindow

TALK = "Mit jemandem vom Team sprechen"


def talk_buttons(screen: OutcomesScreen) -> list[tuple[str, QPushButton]]:
    """The shown talk buttons, each with the title of the card it is on."""
    return [(card.view.title, button) for card in screen.findChildren(OutcomeCard)
            for button in card.findChildren(QPushButton) if button.text() == TALK and button.isVisible()]  # fmt: skip


def outcomes(window: KioskWindow) -> OutcomesScreen:
    assert window.session.view == views.OUTCOMES
    screen = current(window)
    assert isinstance(screen, OutcomesScreen)
    return screen


def test_a_trekking_pole_tent_with_a_broken_pole_offers_the_talk_once(qtbot: QtBot, help_window: KioskWindow) -> None:
    window = help_window
    find = open_tent_help(qtbot, window)
    tent = next(card for card in find.grid.cards if isinstance(card, ProductChoice) and card.sku == "NG-TENT-0001")
    click(qtbot, tent)  # pitched with a trekking pole
    tap_option(qtbot, window, "pole")
    screen = outcomes(window)
    titles = [view.title for view in screen.views]
    assert titles[-2:] == ["Dein Zelt hat kein eigenes Gestänge", "Lieber mit jemandem sprechen?"]
    [(title, talk)] = talk_buttons(screen)
    assert title == "Lieber mit jemandem sprechen?", "the button under the card that offers a person"
    with qtbot.waitSignal(screen.talk_requested, timeout=1000):
        click(qtbot, talk)


def test_a_synthetic_sleeping_bag_losing_fibres_offers_the_talk_once(qtbot: QtBot, help_window: KioskWindow) -> None:
    window, session = help_window, help_window.session
    click(qtbot, current(window).help)
    help_screen = current(window)
    assert isinstance(help_screen, HelpScreen)
    card = next(card for card in help_screen.grid.cards if "Schlafsack" in card.accessibleName())
    assert isinstance(card, OptionCard)
    click(qtbot, card)
    assert session.view == views.FIND
    session.set_product("NG-SBAG-0015")  # as tapping its picture: a bag filled with synthetic fibres
    tap_option(qtbot, window, "down_leak")
    tap_option(qtbot, window, "single_feathers")
    screen = outcomes(window)
    assert [view.title for view in screen.views if view.kind == "person"] == [
        "Dein Schlafsack hat keine Daunen", "Lieber mit jemandem sprechen?"]  # fmt: skip
    assert [title for title, _ in talk_buttons(screen)] == ["Lieber mit jemandem sprechen?"]
