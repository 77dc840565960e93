"""Where a blind shopper's focus lands and what she hears by the four keys: back from a repair order whose button
was rebuilt, the help's product search that finds nothing, and the results' summary reached by the keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from tests.ui.test_kiosk_help import engine as engine  # the fixtures: a database, a kiosk with help and repairs
from tests.ui.test_kiosk_help import help_window as help_window
from tests.ui.test_speech import Pad, focused
from tests.ui.test_speech import pad as pad  # the fixture: the four keys at the kiosk window
from tests.ui.test_speech_walk import results
from ui import session as views
from ui.repair_order import RepairDialog
from ui.screens.help import FindScreen, OutcomeCard, OutcomesScreen
from ui.session import KioskSession
from ui.window import KioskWindow


def zip_repair(qtbot: QtBot, window: KioskWindow) -> tuple[Pad, RepairDialog]:
    """Help with a zip, a tent picked from the pictures, "Zähne fehlen", all by the keys; the repair order opened."""
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    pad = Pad(qtbot, window)
    pad.press("down")
    pad.move_to("Hilfe")
    pad.press("select")
    pad.move_to("Reißverschluss")
    pad.press("select")
    assert window.session.view == views.FIND
    pad.move_to("Hochjoch")
    pad.press("select")
    pad.move_to("Zähne fehlen")
    pad.press("select")
    pad.move_to("Weiter")
    pad.press("select")
    assert window.session.view == views.OUTCOMES
    pad.move_to("Reparatur beauftragen: ")
    pad.press("select")
    qtbot.waitUntil(lambda: isinstance(getattr(window, "repair_dialog", None), RepairDialog)
                    and window.repair_dialog.isVisible(), timeout=2000)  # fmt: skip
    dialog: RepairDialog = window.repair_dialog
    qtbot.waitUntil(lambda: dialog.isAncestorOf(focused() or window))
    return pad, dialog


def repair_card(window: KioskWindow) -> OutcomeCard:
    shown = [card for card in window.findChildren(OutcomeCard) if card.view.kind == "repair" and card.isVisible()]
    return shown[-1] if shown else next(iter(window.findChildren(OutcomeCard)))


def order_without_consent(qtbot: QtBot, window: KioskWindow) -> tuple[Pad, RepairDialog]:
    """The zip's repair ordered past the consent (no contact); the pickup code shown. The button that opened the
    order is gone with the rebuild; the window's own focus, behind the dialog, fell to its first control (the
    logo), and the kiosk rebuilt the screen once more (a read coming back) meanwhile."""
    pad, dialog = zip_repair(qtbot, window)
    assert focused() is dialog.consent
    pad.move_to("Reparatur anmelden")
    pad.press("select")
    qtbot.waitUntil(lambda: dialog.order is not None and dialog.done_code.hasFocus(), timeout=5000)
    qtbot.waitUntil(lambda: bool(window.session.ordered), timeout=5000)
    qtbot.waitUntil(lambda: "schon angemeldet" in repair_card(window).ordered_words(), timeout=2000)
    window.top_bar.logo.setFocus(Qt.FocusReason.OtherFocusReason)
    window.session.changed.emit()
    pad.settle()
    return pad, dialog


def test_back_from_a_repair_ordered_without_consent_is_on_its_card_not_the_home_button(
    qtbot: QtBot, help_window: KioskWindow, engine: Engine
) -> None:
    window = help_window
    pad, dialog = order_without_consent(qtbot, window)
    pad.press("down")
    assert pad.last() == "Schließen."
    pad.press("select")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: "schon angemeldet" in pad.last(), timeout=2000)
    card = repair_card(window)
    assert card.isAncestorOf(focused() or window), focused()
    assert pad.last().startswith("Reißverschluss in unserer Werkstatt ersetzen lassen.")
    assert "Startseite" not in " ".join(pad.voice.spoken[-2:])


def test_a_dialog_whose_opener_is_gone_leaves_the_focus_on_the_screens_first_control(
    qtbot: QtBot, help_window: KioskWindow, engine: Engine
) -> None:
    window = help_window
    pad, dialog = order_without_consent(qtbot, window)
    screen = window.stack.currentWidget()
    assert isinstance(screen, OutcomesScreen)
    screen.ordering = None  # (a screen with no place of its own for the focus after that dialog)
    pad.press("back")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: screen.isAncestorOf(focused() or window), timeout=2000)
    assert focused() is screen.title
    assert pad.last().startswith("Das kannst du tun.")


def test_a_search_that_finds_nothing_keeps_the_pictures_and_an_empty_one_clears_its_message(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    session.show_help()
    session.start("tent-help")
    pad.settle()
    pad.press("down")  # guidance on
    find = window.screen_for(views.FIND)
    assert isinstance(find, FindScreen) and session.view == views.FIND
    pictures = [card.accessibleName() for card in find.grid.cards]
    find.field.setText("Y")
    find.search_button.setFocus()
    pad.settle()
    mark = len(pad.voice.spoken)
    pad.press("select")
    said = " ".join(pad.voice.spoken[mark:])
    assert "Dazu finden wir nichts in „Zelte“: „Y“." in said, said
    assert f"Oder aus den Bildern wählen. {pictures[0]}, 1 von {len(pictures)}" in said, said
    assert [card.accessibleName() for card in find.grid.cards] == pictures, "the pictures stay offered"
    assert find.heading.text() == "Oder aus den Bildern wählen"
    pad.move_to(pictures[0])  # below the message, reached by the keys
    pad.move_to("Suchen", key="up")

    find.field.clear()  # an empty search: the message goes, what to do is said
    mark = len(pad.voice.spoken)
    pad.press("select")
    assert not find.message.isVisible()
    assert "Gib erst einen Namen ein oder scanne den Barcode" in " ".join(pad.voice.spoken[mark:])

    find.field.setText("Y")
    pad.press("select")
    assert find.message.isVisible()
    session.skip_product()  # on without it; later back to name it: the product search without the old message
    pad.settle()
    assert session.view == views.QUESTION
    session.find_product()
    pad.settle()
    assert session.view == views.FIND and not find.message.isVisible()
    assert "nichts in" not in find.spoken()


def test_up_from_the_top_pick_reaches_the_results_summary(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = results(pad, session)
    assert focused() is screen.products.cards[0]
    summary = screen.spoken()
    assert summary.startswith(f"{screen.title.text()}.") and "Zelte passen" in summary
    pad.press("up")
    assert focused() is screen.title
    assert pad.last() == summary, "the title, how many fit and what was dropped, as said on arrival"
    pad.press("down")
    assert focused() is screen.products.cards[0] and pad.last().startswith("Empfehlung 1 von ")
