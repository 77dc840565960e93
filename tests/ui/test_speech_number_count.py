"""What a blind shopper hears when a number or a tick changes how many products fit, and where the focus goes: the
count at "Fertig" (and the nearest value that fits, focused, where nothing does), the count after a tick that changed
it, and the top bar's Barrierefrei switch keeping the focus; every text sent to a RecordingVoice."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from tests.ui.test_kiosk import click, current
from tests.ui.test_speech import Pad, focused
from tests.ui.test_speech import pad as pad  # the fixture: the four keys at the kiosk window
from tests.ui.test_speech_walk import said_since
from ui import session as views
from ui.screens.question import QuestionScreen
from ui.session import KioskSession
from ui.window import KioskWindow

TREKKING = {"region": "mild", "trip": "trekking", "frequency": "rarely"}  # 2 tents for 4 people, none for 5 or 6
BEFORE_EXTRAS = {"region": "dont_care", "trip": "family", "frequency": "rarely", "persons": 4, "extra_space": True,
                 "body_height": 180}  # fmt: skip  # 7 tents; freestanding ones: 4
ALPINE = {"activity": "alpine", "rain": "persistent", "sweat": "intense", "cut": "men"}  # no jacket up to 240 €


def heard_since(pad: Pad, mark: int) -> str:
    """What was said since `mark`, its no-break spaces ("6\u00a0Personen", as the screen shows it) as spaces."""
    return said_since(pad, mark).replace("\u00a0", " ")


def question_at(
    pad: Pad, session: KioskSession, answers: dict[str, Any], step_id: str, finder: str = "tent-finder"
) -> QuestionScreen:
    """The finder (the tent finder unless told) at `step_id`, guidance on, the focus on the screen's first control."""
    session.start(finder)
    session.set_answers(answers)
    window = pad.window
    screen = window.screen_for(views.QUESTION)
    assert isinstance(screen, QuestionScreen)
    pad.qtbot.waitUntil(lambda: current(window) is screen and screen.step is not None and screen.step.id == step_id)
    pad.settle()
    pad.press("down")  # guidance on
    pad.qtbot.waitUntil(lambda: (focus := focused()) is not None and screen.isAncestorOf(focus))
    return screen


def test_done_with_a_number_nothing_fits_says_the_count_and_the_way_out_and_select_takes_it(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = question_at(pad, session, ALPINE, "budget", finder="rain-jacket-finder")
    assert focused() is screen.slider and screen.number_label.text() == "200 €"
    pad.press("select")  # start changing
    mark = len(pad.voice.spoken)
    pad.press("up", 2)
    changing = heard_since(pad, mark).split("\n")
    assert changing == ["210 Euro", "220 Euro"], "the value only"
    assert screen.live_count.text() == "0 Regenjacken passen"
    nearest = screen.nearest
    assert nearest is not None and nearest.isVisible()
    mark = len(pad.voice.spoken)
    pad.press("select")  # done
    heard = heard_since(pad, mark)
    assert heard == "Fertig: 220 Euro. 0 Regenjacken passen. Auf 250 Euro stellen – 1 Regenjacke passt.", heard
    assert focused() is nearest, "the way out, not Weiter: select takes it"
    assert session.state is not None and session.state.current == "budget", "not confirmed into a dead end"

    pad.press("select")
    assert screen.number_label.text() == "250 €" and screen.live_count.text() == "1 Regenjacke passt"
    assert session.state.current == "budget" and focused() is screen.slider


def test_done_with_more_sleepers_than_any_tent_holds_offers_no_fewer(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    # How many sleep in the tent is a firm wish: a tent for fewer is no way out, so none is offered.
    screen = question_at(pad, session, TREKKING, "persons")
    pad.press("select")
    pad.press("up", 4)
    mark = len(pad.voice.spoken)
    pad.press("select")
    heard = heard_since(pad, mark)
    assert heard.startswith("Fertig: 6 Personen, der größte Wert. 0 Zelte passen."), heard
    assert "stellen" not in heard and (screen.nearest is None or not screen.nearest.isVisible())


def test_done_with_a_number_something_fits_says_the_count_then_weiter(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = question_at(pad, session, TREKKING, "persons")
    pad.press("select")
    pad.press("up")
    mark = len(pad.voice.spoken)
    pad.press("select")
    assert heard_since(pad, mark) == "Fertig: 3 Personen. 9 Zelte passen.\nWeiter."
    assert focused() is screen.next
    pad.press("select")
    assert session.state is not None and session.state.answers["persons"] == 3


def test_back_ends_the_change_with_the_count_and_stays_on_the_number(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = question_at(pad, session, TREKKING, "persons")
    pad.press("select")
    pad.press("up", 3)
    mark = len(pad.voice.spoken)
    pad.press("back")
    assert heard_since(pad, mark) == "Fertig: 5 Personen. 0 Zelte passen."
    assert focused() is screen.slider and session.view == views.QUESTION


def test_a_tick_that_changes_the_count_says_the_new_count_after_its_state(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = question_at(pad, session, BEFORE_EXTRAS, "extras")
    freestanding, entrances = screen.cards["freestanding_wish"], screen.cards["two_entrances"]
    assert focused() is freestanding and screen.live_count.text() == "7 Zelte passen"
    mark = len(pad.voice.spoken)
    pad.press("select")
    qtbot.waitUntil(lambda: "4 Zelte passen" in said_since(pad, mark))
    heard = pad.voice.spoken[mark:]
    assert "ausgewählt" in heard[0] and heard[-1] == "4 Zelte passen.", heard

    mark = len(pad.voice.spoken)
    pad.press("select")  # unticked: all 7 again
    qtbot.waitUntil(lambda: "7 Zelte passen" in said_since(pad, mark))
    assert "nicht ausgewählt" in pad.voice.spoken[mark] and pad.last() == "7 Zelte passen.", said_since(pad, mark)

    pad.move_to("Zwei Eingänge")
    assert focused() is entrances
    mark = len(pad.voice.spoken)
    pad.press("select")  # ticked, the count stays at 7: nothing more said
    qtbot.waitUntil(lambda: "ausgewählt" in said_since(pad, mark))
    qtbot.wait(50)
    assert "passen" not in said_since(pad, mark), said_since(pad, mark)


def test_the_top_bar_switch_keeps_the_focus_both_ways(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    question_at(pad, session, {}, "region")
    switch = window.top_bar.accessible
    pad.move_to("Barrierefrei, ausgewählt", key="up")
    pad.press("select")
    assert not session.accessible and pad.last() == "Sprachausgabe aus."
    qtbot.wait(50)
    assert focused() is switch, "still on the switch: the next select switches it back"

    mark = len(pad.voice.spoken)
    pad.press("select")
    assert session.accessible and session.state is not None and session.state.answers == {}, "no answer given"
    qtbot.waitUntil(lambda: "Barrierefrei, ausgewählt" in said_since(pad, mark))
    assert focused() is switch


def test_a_tap_on_the_switch_still_starts_on_the_first_answer(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = question_at(pad, session, {}, "region")
    click(qtbot, window.top_bar.accessible)
    assert not session.accessible
    qtbot.waitUntil(lambda: focused() is screen.first_focus())


def test_taking_the_offer_says_the_value_it_set_and_not_the_control_below_it(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = question_at(pad, session, ALPINE, "budget", finder="rain-jacket-finder")
    nearest = screen.nearest
    assert focused() is screen.slider and nearest is not None and nearest.isVisible()
    pad.press("select")  # start changing
    pad.press("down")
    pad.press("select")  # done: 190 €, nothing fits
    assert focused() is nearest and nearest.accessibleName().startswith("Auf 250 € stellen")
    mark = len(pad.voice.spoken)
    pad.press("select")
    qtbot.waitUntil(lambda: "passt" in heard_since(pad, mark))
    qtbot.wait(50)
    heard = heard_since(pad, mark)
    assert "Ist mir egal" not in heard and "190" not in heard, heard
    assert heard == "250 Euro\n1 Regenjacke passt.", "the value it set and what fits with it, only"
    assert focused() is screen.slider and screen.number_label.text() == "250 €"
    assert session.state is not None and session.state.current == "budget", "set, not confirmed"
