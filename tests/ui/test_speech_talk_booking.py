"""What a blind shopper hears booking at the kiosk by the four keys and in the talk dialog with nobody at a console:
the free times of the day just said by their time alone, the focus on to Next once a time is chosen, the products to
be set aside said as name and contact are asked, the appointment offered instead of a person said once, and with
no time free at all only that, not first a day that goes away."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from advisor.db import make_engine, upgrade
from tests.ui.test_kiosk_booking import kiosk_config
from tests.ui.test_speech import Pad, focused
from tests.ui.test_speech import pad as pad  # the fixture: the four keys at the kiosk window
from tests.ui.test_speech_walk import booking_engine as booking_engine
from tests.ui.test_speech_walk import results, said_since
from ui.booking import WHEN_PAGE, WHO_PAGE, BookingDialog
from ui.session import KioskSession
from ui.talk import TalkDialog
from ui.window import KioskWindow


def to_here(qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, engine: Any) -> BookingDialog:
    """The results, "Termin vereinbaren", then by the keys to "Hier am Terminal buchen" (not chosen yet)."""
    session.configure(kiosk_config(mail=False))
    session.engine = engine
    results(pad, session)
    pad.move_to("Termin vereinbaren", key="up")
    pad.press("select")
    dialog = window.findChild(BookingDialog)
    assert isinstance(dialog, BookingDialog)
    qtbot.waitUntil(lambda: focused() is dialog.phone)
    pad.move_to("Hier am Terminal buchen")
    return dialog


def to_the_times(qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, engine: Any) -> BookingDialog:
    """The results, "Termin vereinbaren", "Hier am Terminal buchen": the day after tomorrow chosen by the keys, its
    free times read."""
    dialog = to_here(qtbot, window, session, pad, engine)
    pad.press("select")
    assert dialog.pages.currentIndex() == WHEN_PAGE
    qtbot.waitUntil(lambda: bool(dialog.slot_buttons))
    pad.wait_to_hear("freie Uhrzeiten")
    pad.press("down", times=2)
    assert focused() is dialog.day_buttons[2]
    mark = len(pad.voice.spoken)
    pad.press("select")
    qtbot.waitUntil(lambda: "freie Uhrzeiten" in said_since(pad, mark) and bool(dialog.slot_buttons))
    return dialog


def test_a_time_is_said_by_itself_and_choosing_it_moves_on_to_next(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, booking_engine: Any
) -> None:
    dialog = to_the_times(qtbot, window, session, pad, booking_engine)
    pad.move_to("Uhrzeit. ")
    first, second = list(dialog.slot_buttons)[:2]
    assert focused() is first
    assert pad.last() == f"Uhrzeit. {first.text()} Uhr, nicht ausgewählt.", "the day was just said: the time alone"
    assert first.accessibleName() == dialog._when(dialog.slot_buttons[first]), "complete for a screen reader"
    pad.press("down")
    assert focused() is second and pad.last() == f"{second.text()} Uhr, nicht ausgewählt."
    mark = len(pad.voice.spoken)
    pad.press("select")
    assert dialog.chosen == dialog.slot_buttons[second]
    assert focused() is dialog.next_button, "on to Next, not through every later time"
    assert pad.voice.spoken[mark:] == [f"{second.text()} Uhr, ausgewählt.", "Weiter."]
    mark = len(pad.voice.spoken)
    pad.press("select")
    assert dialog.pages.currentIndex() == WHO_PAGE and focused() is dialog.name
    heard = said_since(pad, mark)
    names = [card.accessibleName() for card in dialog.product_cards.values()]
    assert len(names) == 3 and f"Zurückgelegt werden: {', '.join(names)} – abwählen kannst du sie weiter oben." in heard
    assert heard.index("Gewählt:") < heard.index("Zurückgelegt werden:") < heard.index("Name, Textfeld")


def test_products_unticked_are_not_said_as_set_aside(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, booking_engine: Any
) -> None:
    dialog = to_the_times(qtbot, window, session, pad, booking_engine)
    pad.move_to("Uhrzeit. ")
    pad.press("select")
    pad.press("select")  # Next
    assert dialog.pages.currentIndex() == WHO_PAGE
    first, *others = dialog.product_cards.values()
    pad.move_to(first.accessibleName(), key="up")
    pad.press("select")  # not this one
    assert not first.isChecked()
    pad.press("back")
    assert dialog.pages.currentIndex() == WHEN_PAGE
    pad.move_to("Weiter", key="up")
    mark = len(pad.voice.spoken)
    pad.press("select")
    heard = said_since(pad, mark)
    assert f"Zurückgelegt werden: {', '.join(card.accessibleName() for card in others)} – " in heard, heard
    assert first.accessibleName() not in heard
    for card in others:
        card.setChecked(False)
    pad.press("back")
    pad.move_to("Weiter", key="up")
    mark = len(pad.voice.spoken)
    pad.press("select")
    assert "Zurückgelegt" not in said_since(pad, mark), "nothing set aside: nothing said of it"


@pytest.mark.parametrize(("locale", "talk", "offer"), [
    ("de", "Mit einer Person sprechen", "Termin vereinbaren. Jemand aus dem Team nimmt sich Zeit für dich"),
    ("en", "Talk to a person", "Book an appointment. Someone from our team takes time for you"),
])  # fmt: skip
def test_the_appointment_offered_when_nobody_is_at_a_console_is_said_once(
    qtbot: QtBot,
    window: KioskWindow,
    session: KioskSession,
    pad: Pad,
    booking_engine: Any,
    locale: str,
    talk: str,
    offer: str,
) -> None:
    """Nobody at a console: what the dialog explains, then the appointment it offers instead, where the focus is;
    the offer is not said a second time as the focus reaches it."""
    session.configure(kiosk_config(mail=False))
    session.engine = booking_engine
    session.set_locale(locale)
    results(pad, session)
    pad.move_to(talk, key="up")
    mark = len(pad.voice.spoken)
    pad.press("select")
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    qtbot.waitUntil(lambda: dialog.presence_known and focused() is dialog.book)
    pad.settle()
    heard = said_since(pad, mark)
    assert heard.index(dialog.explanation.text()) < heard.index(offer) and heard.count(offer) == 1, heard
    pad.press("down")
    assert offer not in pad.last(), "the next stop is something new"
    pad.press("up", times=2)
    assert focused() is dialog.explanation, "what the dialog explains stays reachable above the offer"


def test_with_no_time_free_only_that_is_said_and_the_focus_rests_on_it(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    """Nobody's shifts cover tents yet: after the page, the shopper hears only that no appointment is free, not first
    "Tag. Heute, ausgewählt" for a day that then goes away; the focus is on the message, Back one key away."""
    engine = make_engine(f"sqlite:///{tmp_path / 'nobody.sqlite3'}")
    upgrade(engine)
    dialog = to_here(qtbot, window, session, pad, engine)
    mark = len(pad.voice.spoken)
    pad.press("select")
    message = f"In den nächsten {kiosk_config(mail=False).appointments.horizon_days} Tagen ist leider kein Termin frei."
    pad.wait_to_hear(message)
    heard = said_since(pad, mark)
    assert "Tag und Uhrzeit wählen" in heard and "Heute" not in heard and "Tag." not in heard
    assert heard.count(message) == 1
    assert focused() is dialog.slots_status
    pad.press("down")
    assert pad.last() == "Zurück."
