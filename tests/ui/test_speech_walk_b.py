"""What a blind shopper hears where a second QA walk by four keys found it wanting: a product's details say its name
and price once, a full comparison says why a product cannot join it, back from the comparison lands on the button
left from, a "don't know" given to a number is where the question starts again, and words said as words (units,
the show-and-hide control, what a critique's number counts, the count and the answer gone without); every text
sent to a RecordingVoice."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QPushButton, QToolTip
from pytestqt.qtbot import QtBot

from tests.ui.test_keys import to_question
from tests.ui.test_kiosk import current
from tests.ui.test_speech import Pad, focused
from tests.ui.test_speech import pad as pad  # the fixture: the four keys at the kiosk window
from tests.ui.test_speech_walk import NOTHING_FITS, results, said_since
from ui import session as views
from ui.screens.question import QuestionScreen
from ui.screens.results import DetailScreen, ResultsScreen
from ui.session import KioskSession
from ui.window import KioskWindow

FULL = "nicht möglich, höchstens 3 Produkte; zuerst eines abwählen"


def compare_toggles(screen: ResultsScreen) -> list[QPushButton]:
    """The products' Compare toggles, in the screen's order (a compared one says so: "Vergleichen ✓: …")."""
    return [
        button
        for button in screen.findChildren(QPushButton)
        if button.accessibleName().startswith(("Vergleichen: ", "Vergleichen ✓: "))
    ]


def compare_three(pad: Pad, session: KioskSession, screen: ResultsScreen) -> list[QPushButton]:
    """The first three products into the comparison (the results rebuilt after each); the toggles then."""
    for card in screen.products.cards[:3]:
        session.toggle_compare(card.sku)  # type: ignore[attr-defined]
        pad.settle()
        pad.qtbot.waitUntil(screen.ready)
    assert len(session.compare_skus) == 3
    return compare_toggles(screen)


def test_the_details_say_the_products_name_and_price_once(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    results(pad, session)
    pad.move_to("Empfehlung 2 von 4")
    mark = len(pad.voice.spoken)
    pad.press("select")
    details = current(window)
    assert session.view == views.DETAIL and isinstance(details, DetailScreen)
    said = pad.voice.spoken[mark:]
    heading = said[0]
    head = heading.partition(". ")[0]  # "Hüttenwiese 6, 449 Euro 95" (shown "449,95 €")
    assert heading.endswith("5 Abschnitte folgen."), said
    name, price = head.split(", ", 1)
    assert re.search(r"\d+ Euro", price), head
    everything = " ".join(said)
    assert everything.count(price) == 1, f"the price once: {said}"
    assert f"{name}. {price}" not in everything and not said[-1].startswith(name), said
    assert focused() is details.sections[0]
    # Reached again later (up from the specifications), the first section still says which product it is.
    pad.press("down")
    pad.press("up")
    assert pad.last().startswith(f"{head}. "), pad.last()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the offscreen platform, showing the tooltip
def test_a_product_that_cannot_join_a_full_comparison_is_reached_and_says_why(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = results(pad, session)
    toggles = compare_three(pad, session, screen)
    fourth = toggles[3]
    assert not fourth.isChecked() and fourth.isEnabled(), "in the keys' order, not dropped out of it"
    name = fourth.accessibleName()
    pad.move_to(name)
    assert focused() is fourth
    assert pad.last() == f"{name} – {FULL}.", "reached: why it cannot be chosen"
    chosen = list(session.compare_skus)
    mark = len(pad.voice.spoken)
    pad.press("select")
    assert session.compare_skus == chosen and not fourth.isChecked(), "the rule holds: three at most"
    assert said_since(pad, mark) == "Nicht möglich, höchstens 3 Produkte; zuerst eines abwählen.", "said, not silent"
    assert focused() is fourth
    # The three chosen still say they are chosen, and one of them can be taken out again.
    pad.move_to(toggles[2].accessibleName().replace(" ✓", ""), key="up")  # (the tick not said)
    assert pad.last().startswith(f"{toggles[2].accessibleName().replace(' ✓', '')}, ausgewählt")


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the offscreen platform, showing the tooltip
def test_a_tap_on_a_product_that_cannot_join_the_comparison_shows_why(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = results(pad, session)
    fourth = compare_three(pad, session, screen)[3]
    assert fourth.toolTip() == "Nicht möglich, höchstens 3 Produkte; zuerst eines abwählen.", "seen, not only heard"
    chosen = list(session.compare_skus)
    qtbot.waitUntil(fourth.isVisible)
    fourth.click()  # (a tap: the button's own click, as a finger gives it)
    assert session.compare_skus == chosen and not fourth.isChecked()
    assert QToolTip.text() == fourth.toolTip(), "a tap shows why nothing happened"
    assert pad.last() == "Nicht möglich, höchstens 3 Produkte; zuerst eines abwählen."


def test_back_from_the_comparison_lands_on_compare_and_says_it_briefly(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = results(pad, session)
    compare_three(pad, session, screen)
    pad.move_to("Vergleichen (3)")
    assert focused() is screen.compare
    pad.press("select")
    assert session.view == views.COMPARE
    mark = len(pad.voice.spoken)
    pad.press("back")
    qtbot.waitUntil(lambda: session.view == views.RESULTS and screen.ready() and focused() is screen.compare)
    pad.settle()
    qtbot.wait(50)  # (the products come in a moment after the screen: the focus stays where it went)
    said = pad.voice.spoken[mark:]
    assert said == [f"{screen.title.text()}.", "Vergleichen (3)."], said  # where the shopper is, then the button
    assert focused() is screen.compare, "the control the shopper left from"


def test_dont_know_given_to_a_number_is_where_the_question_starts_again(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    session.show_help()
    session.start("tent-help")
    session.skip_product()
    session.answer("pole")
    session.answer("broken")
    pad.settle()
    assert session.state is not None and session.state.current == "bought_months"
    pad.press("down")  # guidance on
    pad.move_to("Weiß ich nicht")
    pad.press("select")
    assert session.state.answers["bought_months"] == "dont_care"
    qtbot.waitUntil(lambda: session.view != views.QUESTION)
    pad.settle()
    mark = len(pad.voice.spoken)
    pad.press("back")
    question = current(window)
    assert session.view == views.QUESTION and isinstance(question, QuestionScreen)
    qtbot.waitUntil(lambda: (focus := focused()) is not None and question.isAncestorOf(focus))
    said = pad.voice.spoken[mark:]
    assert "Deine Antwort: Weiß ich nicht." in said[0], said
    assert focused() is question.cards["dont_care"], "the answer given has the focus, not the number"
    assert said[-1] == "Weiß ich nicht, ausgewählt, 1 von 1.", said
    assert not any("Monate" in words for words in said[1:]), "no second, different answer"


def test_the_number_buttons_say_their_unit_in_words_and_why_is_said_as_a_show_and_hide(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = to_question(pad, session, "body_height")
    pad.press("down")  # guidance on, on the number
    assert focused() is screen.slider
    pad.press("down")
    assert pad.last() == "Mehr Zentimeter."
    pad.move_to("Weniger", key="up")
    assert pad.last() == "Weniger Zentimeter."
    pad.move_to("Warum fragen wir das?", key="up")
    assert pad.last() == "Warum fragen wir das? Zum Aufklappen Eingabe."
    pad.press("select")
    assert screen.help.isVisible()
    opened = pad.last()
    assert opened.startswith("Warum fragen wir das? ") and screen.help.text()[:40] in opened, opened
    assert opened.endswith(" Aufgeklappt, zum Zuklappen Eingabe.") and "ausgewählt" not in opened, opened


def test_a_critique_says_what_its_number_counts(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = results(pad, session)
    pad.move_to("aber:")
    assert re.fullmatch(r"Wie das erste, aber: [^()]+: \d+\u00a0Zelte?\.", pad.last()), pad.last()
    offer = focused()
    assert isinstance(offer, QPushButton) and re.fullmatch(r".+ \(\d+\)", offer.text()), "the screen keeps its count"
    assert screen.isAncestorOf(offer)


def test_the_count_and_the_answer_gone_without_are_said_as_two_sentences(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    results(pad, session, NOTHING_FITS)
    pad.move_to("weglassen")
    mark = len(pad.voice.spoken)
    pad.press("select")
    pad.wait_to_hear("Empfehlung 1 von")
    said = said_since(pad, mark)
    assert re.search(r"\d+ Zelte passen\. Darauf hast du verzichtet: ", said), said
    assert "passen, Darauf" not in said
