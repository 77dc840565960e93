"""A shopper who cannot see the screen types with the four keys on the keys on the screen: every key types what it
says (the space too), each key says what it typed by name, and the field reads back what it holds so that it is
understood ("null eins sieben eins Punkt", not a large number); the code pad names its digits the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.test_code_pickup import an_order, kiosk_on, typed
from tests.ui.test_kiosk_check_in import code_dialog
from tests.ui.test_speech import Pad
from ui import spoken
from ui.keys import reading_order
from ui.screens.help import FindScreen
from ui.session import KioskSession
from ui.speech import describe
from ui.window import KioskWindow


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def find_field_keys(qtbot: QtBot, window: KioskWindow, session: KioskSession) -> tuple[Pad, FindScreen]:
    """Guidance on, the product's name field of the help with a product, its keys on the screen opened by Select."""
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    pad = Pad(qtbot, window)
    pad.press("down")  # speech guidance comes on
    session.show_help()
    session.start("tent-help")
    find = window.screen_for("find")
    assert isinstance(find, FindScreen)
    pad.settle()
    pad.move_to("Auswahl öffnet die Tasten auf dem Bildschirm")
    assert focused() is find.field
    pad.press("select")
    assert window.keyboard.has_keys_focus()
    return pad, find


def press_key(pad: Pad, name: str) -> None:
    """Walk to the key the voice names `name` (up or down, whichever is shorter) and select it."""
    order = reading_order(pad.window.keyboard)
    names = [key.accessibleName() for key in order]
    assert name in names, f"no key {name!r}: {names}"
    here, there = order.index(focused()), names.index(name)  # type: ignore[arg-type]
    steps = (there - here) % len(order)
    if steps <= len(order) // 2:
        pad.press("down", steps)
    else:
        pad.press("up", len(order) - steps)
    assert focused() is not None and focused().accessibleName() == name  # type: ignore[union-attr]
    pad.press("select")


def test_the_keys_type_a_name_with_its_space_and_stay_on_the_key(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    pad, find = find_field_keys(qtbot, window, session)
    for name in ("großes E", "v", "a"):
        press_key(pad, name)
    assert find.field.text() == "Eva"

    press_key(pad, "Leerzeichen")
    assert find.field.text() == "Eva ", "the space key types a space"
    space = focused()
    assert isinstance(space, QPushButton) and space.accessibleName() == "Leerzeichen", "the walk stays on the key"
    assert pad.last() == "Leerzeichen", "said by name"
    assert "Tasten auf dem Bildschirm" not in pad.voice.spoken[-1]

    if not window.keyboard.shifted:  # (a name field sets it by itself after a space)
        press_key(pad, "Großbuchstabe")
    for name in ("großes M", "ü", "l", "l", "e", "r"):
        press_key(pad, name)
    assert find.field.text() == "Eva Müller"
    assert window.keyboard.has_keys_focus()
    pad.press("back")
    assert focused() is find.field and "Eva Müller" in pad.last()


def test_each_key_says_what_it_typed_and_the_field_spells_digits_and_signs(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    pad, find = find_field_keys(qtbot, window, session)
    heard = []
    for name in ("null", "eins", "sieben", "eins", "Punkt"):
        press_key(pad, name)
        heard.append(pad.last())
    assert find.field.text() == "0171."
    assert heard == ["null", "eins", "sieben", "eins", "Punkt"], "each key's character by name, not the field"

    press_key(pad, "Zeichen löschen")
    assert find.field.text() == "0171" and pad.last() == "Punkt gelöscht"
    press_key(pad, "At-Zeichen")
    assert find.field.text() == "0171@" and pad.last() == "At-Zeichen"

    pad.press("back")
    assert focused() is find.field
    assert "null eins sieben eins At-Zeichen" in pad.last(), "read back digit by digit, the sign by name"
    assert "0171" not in pad.last()


def test_the_code_pad_names_its_digits_as_the_keyboard_does(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    kiosk_on(session, tmp_path)
    dialog = code_dialog(qtbot, window)
    keys = {key.text(): key for key in dialog.findChildren(QPushButton) if len(key.text()) == 1}
    assert describe(keys["8"], "de") == "acht.", "not “8.”, read as “achter”"
    assert describe(keys["A"], "de") == "A."
    dialog.type("A")
    dialog.type("8")
    assert describe(dialog.shown, "de") == "Gib deinen Code ein. A, acht."


def test_a_pickup_code_s_news_has_its_room_under_the_keys_and_is_no_problem(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    engine = kiosk_on(session, tmp_path)
    order = an_order(engine, received=False)  # the longest news: hand it in, when it is ready, the code
    window.resize(1024, 768)
    dialog = code_dialog(qtbot, window)
    told = typed(qtbot, dialog, order.pickup_code)
    assert told.startswith("Das ist der Abholcode deiner Reparatur.")
    assert dialog.message.objectName() != "Tradeoff", "news, not shown in the colour of a problem"
    qtbot.wait(50)
    message = QRect(dialog.message.mapTo(dialog, dialog.message.rect().topLeft()), dialog.message.size())
    assert dialog.message.height() >= dialog.message.heightForWidth(dialog.message.width()), "every line shows"
    for key in dialog.findChildren(QPushButton):
        place = QRect(key.mapTo(dialog, key.rect().topLeft()), key.size())
        assert not place.intersects(message), f"{key.text()!r} under the message"
        assert key.height() >= 44, f"{key.text()!r} squashed"

    dialog.type("2")
    unknown = typed(qtbot, dialog, "2" * 7)
    assert unknown.startswith("Zu diesem Code gibt es keine Beratung")
    assert dialog.message.objectName() == "Tradeoff", "a wrong code is a problem"


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("0171.", "null eins sieben eins Punkt"),
        ("01712345", "null eins sieben eins zwei drei vier fünf"),
        ("e@x.de", "e At-Zeichen x Punkt de"),
        ("Eva Müller", "Eva Müller"),
        ("Ja, gut", "Ja, gut"),
        ("", ""),
    ],
)
def test_a_field_reads_back_digits_one_by_one_and_signs_by_name(value: str, said: str) -> None:
    assert spoken.typed(value, "de") == said
