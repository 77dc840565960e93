"""What a blind shopper hears in the help's repair card and in the dialogs, with four keys: no stop that says
nothing, a repair card that says it needs the product and offers to name it, no card with only a title, and the
same "back at the top" and "at the bottom" in a dialog as in the window. Every text sent to a RecordingVoice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from advisor.db import make_engine, upgrade
from advisor.handoff.staff import report_presence, set_pin
from tests.helpers.appointments import add_consultants
from tests.ui.test_kiosk import current
from tests.ui.test_kiosk_booking import kiosk_config
from tests.ui.test_speech import Pad, focused, staff_present
from tests.ui.test_speech import pad as pad  # the fixture: the four keys at the kiosk window
from tests.ui.test_speech_walk import results, said_since
from ui import session as views
from ui import spoken
from ui.booking import BookingDialog
from ui.keys import reading_order
from ui.repair_order import RepairDialog
from ui.screens.help import FindScreen, OutcomeCard, OutcomesScreen
from ui.session import KioskSession
from ui.speech import describe
from ui.talk import TalkDialog
from ui.window import KioskWindow

TOP, BOTTOM = spoken.wrapped(to_top=True, locale="de"), spoken.wrapped(to_top=False, locale="de")
TEAR = {"problem": "tear", "tear_cm": 12}
BROKEN_POLE = {"problem": "pole", "pole_damage": "broken", "bought_months": 6}
NEEDS_PRODUCT = "Für eine Reparatur brauchen wir dein Produkt."


def outcomes(pad: Pad, session: KioskSession, answers: dict[str, Any], *, product: bool) -> OutcomesScreen:
    """The tent help answered (with a tent named, or "don't know"), its outcomes on screen, speech guidance on."""
    session.show_help()
    session.start("tent-help")
    find = pad.window.screen_for(views.FIND)
    assert isinstance(find, FindScreen)
    if product:
        find.field.setText("Karwendel UL 2")
        find.search()
        assert find.found
        session.set_product(find.found[0].sku)
    else:
        session.skip_product()
    for step_id, value in answers.items():
        if session.state is not None and session.state.current == step_id:
            session.answer(value)
    assert session.view == views.OUTCOMES
    screen = pad.window.screen_for(views.OUTCOMES)
    assert isinstance(screen, OutcomesScreen)
    pad.qtbot.waitUntil(lambda: current(pad.window) is screen)
    pad.settle()
    pad.press("down")  # guidance on
    pad.qtbot.waitUntil(lambda: inside(screen))
    return screen


def open_repair(pad: Pad) -> RepairDialog:
    pad.move_to("Reparatur beauftragen")
    pad.press("select")
    dialog = pad.window.findChild(RepairDialog)
    assert isinstance(dialog, RepairDialog)
    pad.qtbot.waitUntil(lambda: focused() is dialog.consent)
    return dialog


def walk_round(pad: Pad, dialog: QDialog, key: str = "down") -> list[tuple[QWidget | None, str]]:
    """Once round the dialog and one stop further: each stop reached and what was said on the way to it."""
    stops = []
    for _ in range(len(reading_order(dialog)) + 1):
        mark = len(pad.voice.spoken)
        pad.press(key)
        stops.append((focused(), said_since(pad, mark)))
    return stops


def inside(scope: QWidget) -> bool:
    """Whether the keyboard focus is on a control of `scope`."""
    widget = focused()
    return widget is not None and scope.isAncestorOf(widget)


def silent_label(widget: QWidget | None) -> bool:
    return isinstance(widget, QLabel) and not describe(widget, "de").strip()


# -- 1. the repair form: every stop says something -------------------------------------------------------------


@pytest.mark.parametrize("consent", [False, True])
def test_every_stop_of_the_repair_form_says_something_and_an_empty_message_is_no_stop(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, consent: bool
) -> None:
    outcomes(pad, session, TEAR, product=True)
    dialog = open_repair(pad)
    if consent:
        pad.press("select")
        assert dialog.consent.isChecked()
    assert not dialog.problem.isVisible(), "no message yet: nothing shown, no stop"
    assert dialog.problem not in reading_order(dialog)
    for widget, heard in walk_round(pad, dialog):
        assert heard.strip(), f"a stop that says nothing: {widget!r}"
        assert widget is not dialog.problem and not silent_label(widget)
    pad.move_to("Telefon (freiwillig)" if consent else "nicht ausgewählt", key="up")
    pad.press("down")
    assert pad.last() == "Schließen.", "from the last field (or the consent) straight to the buttons"


def test_a_refusal_is_shown_and_a_stop_then_gone_again_once_the_order_goes(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    outcomes(pad, session, TEAR, product=True)  # (no database yet: the order is refused, offline)
    dialog = open_repair(pad)
    pad.move_to("Reparatur anmelden")
    mark = len(pad.voice.spoken)
    pad.press("select")
    refusal = dialog.problem.text()
    assert refusal and refusal in said_since(pad, mark) and dialog.problem.isVisible()
    pad.move_to(refusal, key="up")
    assert focused() is dialog.problem
    staff_present(session, tmp_path)  # the database is back
    dialog.submit()
    assert not dialog.problem.isVisible() and dialog.problem not in reading_order(dialog)


# -- 2. a repair without the product: said on the card, named from there ---------------------------------------


def test_without_the_product_the_repair_card_says_so_and_offers_to_name_it_instead_of_the_order(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    staff_present(session, tmp_path)
    screen = outcomes(pad, session, TEAR, product=False)
    card = next(card for card in screen.findChildren(OutcomeCard) if card.view.kind == "repair")
    buttons = [b.accessibleName() or b.text() for b in card.findChildren(QPushButton)]
    assert buttons == ["Welches Produkt hast du?"], "no order: the button that names the product"
    assert NEEDS_PRODUCT in [label.text() for label in card.findChildren(QLabel) if label.isVisible()]
    pad.move_to(card.view.title)
    assert NEEDS_PRODUCT in pad.last() and "oben" not in pad.last()
    pad.press("down")
    assert pad.last() == "Welches Produkt hast du?", "the next stop: the button that names it"
    pad.press("select")
    assert session.view == views.FIND
    find = current(window)
    assert isinstance(find, FindScreen)
    qtbot.waitUntil(lambda: focused() is find.field)
    pad.move_to("Karwendel UL 2")
    pad.press("select")
    qtbot.waitUntil(lambda: session.view == views.OUTCOMES and current(window) is screen)
    pad.settle()
    assert "Dein Produkt: Karwendel UL 2" in pad.heard()
    dialog = open_repair(pad)  # now the order is there, the form as before
    assert dialog.isVisible()
    assert "Reparatur beauftragen" in pad.heard()


def test_the_dialogs_refusal_without_a_product_names_no_place_on_the_screen(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    """The rare case (the card offers no order without the product): the refusal stays, without "oben"."""
    staff_present(session, tmp_path)
    screen = outcomes(pad, session, TEAR, product=False)
    repair = next(view for view in screen.views if view.kind == "repair")
    dialog = RepairDialog(session, repair, [], window)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert dialog.problem.text() == NEEDS_PRODUCT and "oben" not in dialog.problem.text()
    assert dialog.order is None


# -- 3. no card with a title and nothing else ---------------------------------------------------------------------


def test_a_parts_card_whose_part_the_catalog_lacks_is_not_shown_nor_said(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    """The kiosk's sample catalog here has no spare parts: the pole splint's card would be a bare title."""
    assert session.catalog is not None and "spare_parts" not in session.catalog.categories
    screen = outcomes(pad, session, BROKEN_POLE, product=False)
    assert [view.kind for view in screen.views if view.kind == "parts"] == []
    for _ in range(len(reading_order(window)) + 1):
        pad.press("down")
    assert "Die Gestängeschiene" not in pad.heard()
    assert "Neues Segment vom Hersteller" in pad.heard()


# -- 4. the same cues at the ends of a dialog as in the window -----------------------------------------------------


def ends(pad: Pad, dialog: QDialog) -> None:
    """Round a dialog both ways: past the last stop "back at the top" and its first; past the first "at the bottom"
    and its last, as in the window."""
    order = reading_order(dialog)
    first, last = order[0], order[-1]
    first.setFocus()
    pad.settle()
    mark = len(pad.voice.spoken)
    pad.press("up")
    assert focused() is last
    heard = pad.voice.spoken[mark:]
    assert heard[0] == BOTTOM and describe(last, "de").rstrip(".") in heard[-1], heard
    mark = len(pad.voice.spoken)
    pad.press("down")
    assert focused() is first
    heard = pad.voice.spoken[mark:]
    assert heard[0] == TOP and len(heard) > 1, heard


def test_the_repair_dialog_says_its_ends_as_the_window_does(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    outcomes(pad, session, TEAR, product=True)
    dialog = open_repair(pad)
    ends(pad, dialog)
    assert isinstance(focused(), QLabel) and "Servicetheke" in pad.last(), "round to the form's intro"


def test_the_talk_and_booking_dialogs_say_their_ends_as_the_window_does(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'ends.sqlite3'}")
    upgrade(engine)
    add_consultants(engine, ["Anna"], span=(0, 24 * 60))
    set_pin(engine, "Anna", "4711")
    report_presence(engine, "Anna")
    session.configure(kiosk_config(mail=False))
    session.engine = engine
    screen = results(pad, session)
    pad.move_to("Mit einer Person sprechen", key="up")
    pad.press("select")
    talk = window.findChild(TalkDialog)
    assert isinstance(talk, TalkDialog)
    qtbot.waitUntil(lambda: talk.isVisible() and inside(talk))
    qtbot.waitUntil(lambda: talk.presence_known)  # (what it offers, and so its ends, follow who is there)
    ends(pad, talk)
    pad.press("back")
    qtbot.waitUntil(lambda: not talk.isVisible() and (inside(screen) or focused() is window.top_bar.talk_button))
    pad.move_to("Termin vereinbaren", key="up")
    pad.press("select")
    booking = window.findChild(BookingDialog)
    assert isinstance(booking, BookingDialog)
    qtbot.waitUntil(lambda: focused() is booking.phone)
    ends(pad, booking)
    assert QApplication.activeModalWidget() is booking


def test_a_text_with_nothing_to_say_is_no_stop_anywhere(qtbot: QtBot, window: KioskWindow) -> None:
    """Whatever shows it: an empty message is passed by, one with words is a stop."""
    from ui.keys import reachable
    from ui.widgets import label, readable

    message = label("", "Tradeoff")
    readable(message)
    window.stack.currentWidget().layout().addWidget(message)  # type: ignore[union-attr]
    qtbot.waitUntil(message.isVisible)
    assert not reachable(message) and message not in reading_order(window)
    message.setText("Bitte gib eine E-Mail-Adresse an.")
    assert reachable(message) and message in reading_order(window)
