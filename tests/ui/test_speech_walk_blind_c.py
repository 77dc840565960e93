"""What a blind shopper hears where a third QA walk by speech and the four keys found it wanting: a dialog's text
said once after its name (offline talk dialog, booking), the help screen without the choice screen's heading, a
multiple choice that says when Next comes, signs, temperatures and prices in words, the results named on the way
back from the comparison, the comparison's switch saying its state once; every text sent to a RecordingVoice."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from advisor.i18n import amount_text, euros
from tests.ui.test_kiosk import current
from tests.ui.test_kiosk_booking import kiosk_config
from tests.ui.test_kiosk_help import engine as engine  # the fixtures: a database, a kiosk with help and repairs
from tests.ui.test_kiosk_help import help_window as help_window
from tests.ui.test_speech import Pad, focused
from tests.ui.test_speech import pad as pad  # the fixture: the four keys at the kiosk window
from tests.ui.test_speech_walk import booking_engine as booking_engine
from tests.ui.test_speech_walk import results
from ui import session as views
from ui import spoken
from ui.booking import BookingDialog
from ui.screens.help import HelpScreen
from ui.screens.question import QuestionScreen
from ui.screens.results import CompareScreen, ResultsScreen
from ui.session import KioskSession
from ui.talk import TalkDialog
from ui.window import KioskWindow

# -- 1. a dialog's name and text once -----------------------------------------------------------------------------


def test_the_offline_talk_dialog_says_its_text_once_after_its_button(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    """No database: staff cannot be reached; the dialog (focused itself before its text) says its text once."""
    results(pad, session)
    pad.move_to("Mit einer Person sprechen", key="up")
    mark = len(pad.voice.spoken)
    pad.press("select")
    qtbot.waitUntil(lambda: isinstance(window.talk_dialog, TalkDialog) and window.talk_dialog.explanation.hasFocus())
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    said = pad.voice.spoken[mark:]
    explanation = dialog.explanation.text()
    assert explanation and " ".join(said).count(explanation) == 1, said
    assert not any("Mit einer Person sprechen" in words for words in said), said


def test_the_booking_dialog_says_its_intro_once_after_its_button(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, booking_engine: Any
) -> None:
    session.configure(kiosk_config(mail=False))
    session.engine = booking_engine
    results(pad, session)
    pad.move_to("Termin vereinbaren", key="up")
    mark = len(pad.voice.spoken)
    pad.press("select")
    dialog = window.findChild(BookingDialog)
    assert isinstance(dialog, BookingDialog)
    qtbot.waitUntil(lambda: focused() is dialog.phone)
    said = pad.voice.spoken[mark:]
    assert said[0] == dialog.intro.text(), said
    assert " ".join(said).count(dialog.intro.text()) == 1, said
    assert not any("Termin vereinbaren" in words for words in said), said


# -- 2. the help screen's own heading -------------------------------------------------------------------------------


def test_the_help_screen_says_its_own_heading_not_the_choice_screens(qtbot: QtBot, help_window: KioskWindow) -> None:
    window = help_window
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.waitUntil(lambda: focused() is not None)
    pad = Pad(qtbot, window)
    pad.press("down")  # guidance on
    pad.move_to("Hilfe mit")
    mark = len(pad.voice.spoken)
    pad.press("select")
    assert isinstance(current(window), HelpScreen)
    said = pad.voice.spoken[mark]
    assert said.startswith("Wobei können wir dir helfen?") and said.endswith("3 Möglichkeiten."), said
    assert "Was suchst du?" not in said


def test_the_choice_can_leave_its_heading_out() -> None:
    assert spoken.choose(count=3, locale="de", address="du") == "Was suchst du? 3 Möglichkeiten."
    assert spoken.choose(count=3, locale="de", address="du", titled=False) == "3 Möglichkeiten."
    assert spoken.choose(count=3, locale="en", address="du", titled=False) == "3 choices."


# -- 3. a multiple choice: when Next comes --------------------------------------------------------------------------

BEFORE_EXTRAS = {"region": "dont_care", "trip": "family", "frequency": "rarely", "persons": 4, "extra_space": True,
                 "body_height": 180}  # fmt: skip


def test_a_multiple_choice_with_nothing_ticked_says_next_comes_once_one_is(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    session.start("tent-finder")
    pad.settle()
    pad.press("down")  # guidance on
    session.set_answers(BEFORE_EXTRAS)
    qtbot.waitUntil(lambda: isinstance(current(window), QuestionScreen) and session.state.current == "extras")  # type: ignore[union-attr]
    screen = current(window)
    assert isinstance(screen, QuestionScreen) and not screen.next.isEnabled()
    pad.wait_to_hear("Worauf legst du sonst noch Wert?")
    heard = pad.heard()
    assert re.search(r"Wähle eine oder mehrere von \d+ Antworten; sobald eine gewählt ist, kommst du zu Weiter\.",
                     heard), heard[-300:]  # fmt: skip
    assert "Antworten, dann Weiter" not in heard
    ticked = spoken.question(step=screen.step, progress=None, count=None, category="", answer=("two_entrances",),  # type: ignore[arg-type]
                             guided=True, locale="en", address="du", ready=True)  # fmt: skip
    assert ticked.endswith("answers, then Next."), ticked
    unticked = spoken.question(step=screen.step, progress=None, count=None, category="", answer=None,  # type: ignore[arg-type]
                               guided=True, locale="en", address="du", ready=False)  # fmt: skip
    assert unticked.endswith("answers; once one is chosen, you can go on to Next."), unticked


# -- 4. signs, temperatures and prices in words ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "locale", "said"),
    [
        ("Komfort -7 °C", "de", "Komfort minus 7 Grad"),
        ("Komfort (-22 °C), Limit \u221230 °C", "de", "Komfort (minus 22 Grad), Limit minus 30 Grad"),
        ("Comfort -7 °C, 1 °C", "en", "Comfort minus 7 degrees, 1 degree"),
        ("Hochjoch 3, 649,95 €.", "de", "Hochjoch 3, 649 Euro 95."),
        ("Hochjoch 3, 649 €.", "de", "Hochjoch 3, 649 Euro."),
        ("Eiskar 700, €619.95.", "en", "Eiskar 700, 619 euros 95."),
        ("ab 1.299,95 €", "de", "ab 1299 Euro 95"),
        ("from €1,299.95, €1", "en", "from 1299 euros 95, 1 euro"),
        ("etwa 10 Tage, 15–30 €.", "de", "etwa 10 Tage, 15 bis 30 Euro."),
        ("about 10 days, €15–30.", "en", "about 10 days, 15 to 30 euros."),
        ("15,50–40 €", "de", "15 Euro 50 bis 40 Euro"),
        ("€15.50–40", "en", "15 euros 50 to 40 euros"),
        ("Maschinenwäsche 30 °C", "de", "Maschinenwäsche 30 Grad"),
        # not a sign: a range's dash, a word's or a code's hyphen
        (
            "30–80 cm, 3-Jahreszeiten-Zelt, NG-TENT-0031, 2026-12",
            "de",
            "30 bis 80 cm, 3-Jahreszeiten-Zelt, NG-TENT-0031, 2026-12",
        ),  # fmt: skip
    ],
)
def test_signs_temperatures_and_prices_are_said_in_words(shown: str, locale: str, said: str) -> None:
    assert spoken.speakable(shown, locale) == said


LEFT = re.compile(r"€|°C|(?<![\w.,)\]\-\u2212])[-\u2212]\d")
WORDS = st.text(alphabet=st.sampled_from("abcXYZ äß()-,.:"), max_size=12)


@given(
    before=WORDS,
    after=WORDS,
    price=st.decimals(min_value=0, max_value=99_999, places=2, allow_nan=False, allow_infinity=False),
    high=st.integers(min_value=1, max_value=999),
    degrees=st.integers(min_value=-60, max_value=60),
    minus=st.sampled_from("-\u2212"),
    locale=st.sampled_from(("de", "en")),
)
def test_no_price_sign_or_degree_sign_is_left_and_speakable_is_idempotent(
    before: str, after: str, price: Any, high: int, degrees: int, minus: str, locale: str
) -> None:
    temperature = f"{minus if degrees < 0 else ''}{abs(degrees)} °C"
    low, top = amount_text(float(price), locale), amount_text(float(price) + high, locale)
    ranged = f"€{low}–{top}" if locale == "en" else f"{low}–{top} €"
    shown = f"{before} {euros(float(price), locale)} {after} ({temperature}), {ranged}. {after}"
    said = spoken.speakable(shown, locale)
    assert not LEFT.search(said), (shown, said)
    assert spoken.speakable(said, locale) == said


# -- 5., 6. the comparison ----------------------------------------------------------------------------------------


def compare_two(pad: Pad, session: KioskSession) -> CompareScreen:
    screen = results(pad, session)
    for sku in session.advice.decision().skus[:2]:  # type: ignore[union-attr]
        session.toggle_compare(sku)
    pad.move_to("Vergleichen (2)", key="up")
    pad.press("select")
    compare = current(pad.window)
    assert isinstance(compare, CompareScreen) and screen is not compare
    return compare


def test_back_from_the_comparison_says_the_results_then_the_button(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    compare_two(pad, session)
    mark = len(pad.voice.spoken)
    pad.press("back")
    screen = current(window)
    assert session.view == views.RESULTS and isinstance(screen, ResultsScreen)
    assert pad.voice.spoken[mark:] == [f"{screen.title.text()}.", "Vergleichen (2)."]


def test_the_only_differences_switch_says_its_state_once(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    compare = compare_two(pad, session)
    assert focused() is compare.only_differences
    assert pad.last() == "Nur Unterschiede: an."
    pad.press("select")
    assert not compare.only_differences.isChecked()
    pad.move_to("Nur Unterschiede", key="up")
    assert pad.last() == "Nur Unterschiede: aus."
