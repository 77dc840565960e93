"""A number with which nothing fits offers the nearest with which something does: at "0 Regenjacken passen" for 200 €,
"Auf 250 € stellen – 1 Regenjacke passt" sets the slider there in one tap (the rule: AdviceSession.nearest_fitting)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.test_kiosk import click
from ui.screens.question import QuestionScreen
from ui.session import KioskSession
from ui.window import KioskWindow

ALPINE = {"activity": "alpine", "rain": "persistent", "sweat": "intense", "cut": "men"}


def at_budget(qtbot: QtBot, session: KioskSession, window: KioskWindow) -> QuestionScreen:
    session.start("rain-jacket-finder")
    for step_id, answer in ALPINE.items():
        assert session.state is not None and session.state.current == step_id
        session.answer(answer)
    screen = window.screen_for("question")
    assert isinstance(screen, QuestionScreen)
    qtbot.waitUntil(lambda: screen.step is not None and screen.step.id == "budget" and screen.isVisible())
    return screen


def test_nothing_at_the_default_budget_offers_the_nearest_that_fits_and_one_tap_sets_it(
    qtbot: QtBot, session: KioskSession, window: KioskWindow
) -> None:
    screen = at_budget(qtbot, session, window)
    assert screen.number_label.text() == "200 €" and screen.live_count.text() == "0 Regenjacken passen"
    nearest = screen.nearest
    assert nearest is not None
    qtbot.waitUntil(nearest.isVisible)
    assert nearest.accessibleName() == "Auf 250 € stellen – 1 Regenjacke passt"

    click(qtbot, nearest)
    assert screen.number_label.text() == "250 €" and screen.live_count.text() == "1 Regenjacke passt"
    assert not nearest.isVisible(), "something fits: nothing to point to"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.slider)  # the button is gone: on to what it set
    assert session.state is not None and session.state.current == "budget", "set, not confirmed"

    click(qtbot, screen.steppers[0])  # back down to 240 €: offered again
    qtbot.waitUntil(nearest.isVisible)
    assert screen.number_label.text() == "240 €" and nearest.accessibleName().startswith("Auf 250 € stellen")
    click(qtbot, screen.steppers[1])
    click(qtbot, screen.next)
    assert session.state is not None and session.state.answers["budget"] == 250


def test_the_offer_speaks_english_and_stays_away_where_something_fits(
    qtbot: QtBot, session: KioskSession, window: KioskWindow
) -> None:
    session.set_locale("en")
    screen = at_budget(qtbot, session, window)
    nearest = screen.nearest
    assert nearest is not None
    qtbot.waitUntil(nearest.isVisible)
    assert nearest.accessibleName() == "Set to €250 – 1 rain jacket fits"
    screen.slider.setValue(screen.slider.maximum())
    assert screen.number_label.text() == "€500" and not nearest.isVisible()
