"""A keyboard with speech guidance off: the first Enter, Space or Escape says how to switch guidance on (a blind
shopper at a keypad hears it), once for each shopper, not at every key of a sighted one; the kiosk started over for
the next shopper, the next first key says it again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.test_speech import Pad, focused
from tests.ui.test_speech import pad as pad  # the fixture: the four keys at the kiosk window
from ui import session as views
from ui.session import KioskSession
from ui.window import KioskWindow

INVITATION = ["Für die Sprachführung drücke eine Pfeiltaste oder F1.", "For speech guidance, press an arrow key or F1."]


def key(qtbot: QtBot, pad: Pad, pressed: Qt.Key) -> None:
    QTest.keyClick(focused() or QApplication.activeModalWidget() or pad.window, pressed)
    pad.settle()


def test_the_invitation_comes_at_the_first_key_only(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    key(qtbot, pad, Qt.Key.Key_Return)  # "Los geht's"
    assert session.view == views.CHOOSE
    assert pad.voice.spoken == INVITATION, "the first key says how to switch guidance on, in both languages"
    key(qtbot, pad, Qt.Key.Key_Enter)  # the first advice
    assert session.view == views.QUESTION
    key(qtbot, pad, Qt.Key.Key_Space)  # its first answer
    key(qtbot, pad, Qt.Key.Key_Escape)
    key(qtbot, pad, Qt.Key.Key_Escape)
    assert session.view == views.CHOOSE and not session.guided
    key(qtbot, pad, Qt.Key.Key_Escape)  # back to the welcome screen: the same shopper
    assert session.view == views.WELCOME
    key(qtbot, pad, Qt.Key.Key_Return)
    assert pad.voice.spoken == INVITATION, "said once, not at every key (nor again after their own Back)"


def test_the_next_shopper_hears_it_at_their_first_key(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    key(qtbot, pad, Qt.Key.Key_Return)
    key(qtbot, pad, Qt.Key.Key_Return)
    assert session.view == views.QUESTION and pad.voice.spoken == INVITATION
    window.wipe()  # nobody touched the kiosk for a while
    pad.settle()
    qtbot.waitUntil(lambda: focused() is not None)
    assert session.view == views.WELCOME
    key(qtbot, pad, Qt.Key.Key_Return)
    key(qtbot, pad, Qt.Key.Key_Return)
    assert pad.voice.spoken == INVITATION * 2, "after the idle wipe, once more"
    window.top_bar.home.emit()  # the logo: a new advice at the start (and maybe a new shopper)
    pad.settle()
    assert session.view == views.WELCOME
    key(qtbot, pad, Qt.Key.Key_Escape)
    key(qtbot, pad, Qt.Key.Key_Escape)
    assert pad.voice.spoken == INVITATION * 3, "after the start over, once more"
    window.wipe()  # at the welcome screen already (only the mode and the language are set back)
    pad.settle()
    key(qtbot, pad, Qt.Key.Key_Escape)
    assert pad.voice.spoken == INVITATION * 4
