"""What a blind shopper hears where a QA walk by speech and the four keys alone found it wanting: how to switch the
guidance on (said again, in both languages, and on Select or Back), the on-screen keys named as they type, the
repair dialog's words in the order things happen, the comparison named on return, signs and floors said in words,
the talk dialog's name once, and a long summary in short when passed; every text sent to a RecordingVoice."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

import ui.speech
from tests.ui.test_kiosk import click, current
from tests.ui.test_kiosk_help import engine as engine  # the fixtures: a database, a kiosk with help and repairs
from tests.ui.test_kiosk_help import help_window as help_window
from tests.ui.test_kiosk_help import open_tent_help, tap_option, tent_variant
from tests.ui.test_speech import Pad, focused, staff_present
from tests.ui.test_speech import pad as pad  # the fixture: the four keys at the kiosk window
from tests.ui.test_speech_more import to_the_summary_button
from tests.ui.test_speech_walk import results
from ui import session as views
from ui import spoken
from ui.repair_order import RepairDialog
from ui.screens.results import CompareScreen, DetailScreen
from ui.session import KioskSession
from ui.speech import describe
from ui.talk import TalkDialog
from ui.window import KioskWindow

INVITE_DE = "Für die Sprachführung drücke eine Pfeiltaste oder F1."
INVITE_EN = "For speech guidance, press an arrow key or F1."


# -- 1. how to switch the guidance on ---------------------------------------------------------------------------


def test_the_welcome_invitation_repeats_in_german_then_english_while_untouched(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ui.speech, "REPROMPT_MS", 60, raising=False)
    window.speech.prompt.start(20)
    qtbot.waitUntil(lambda: pad.voice.spoken.count(INVITE_EN) >= 2, timeout=3000)
    assert pad.voice.spoken[:4] == [INVITE_DE, INVITE_EN, INVITE_DE, INVITE_EN]
    languages = [locale for kind, locale in pad.voice.events if kind == "language"]
    assert languages[:3] == ["de", "en", "de"], "each in its own language's voice"
    assert not session.guided and session.view == views.WELCOME
    qtbot.waitUntil(lambda: not window.speech.prompt.isActive(), timeout=3000)
    said = len(pad.voice.spoken)
    assert said == 2 * (1 + ui.speech.REPROMPTS), "then quiet: an idle kiosk does not talk to the store all day"
    qtbot.wait(200)  # (several repeat intervals: nothing more)
    assert len(pad.voice.spoken) == said
    window.speech.new_turn()  # a touch: the invitation comes again after a calm pause
    assert window.speech.prompt.isActive()


def test_select_and_back_without_guidance_still_act_and_say_how_to_switch_it_on(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    pad.press("select")
    assert session.view == views.CHOOSE and not session.guided
    assert pad.voice.spoken == [INVITE_DE, INVITE_EN]
    pad.press("back")
    assert session.view == views.WELCOME
    assert pad.voice.spoken == [INVITE_DE, INVITE_EN], "said once for each shopper, not at every key"


# -- 2., 3. the on-screen keys ------------------------------------------------------------------------------------


def test_the_on_screen_keys_name_signs_and_digits_and_say_a_capital_as_it_types(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    field = QLineEdit(window.stack.currentWidget())
    field.setInputMethodHints(Qt.InputMethodHint.ImhPreferUppercase)
    field.show()
    keyboard = window.keyboard
    keyboard.show_for(field)
    qtbot.waitUntil(keyboard.isVisible)
    page = keyboard.pages.currentWidget()
    shown = {key.text(): key for key in page.findChildren(QPushButton) if key.isVisible()}
    said = {character: describe(shown[character], "de") for character in (".", "-", "@", "1", "0")}
    assert said == {".": "Punkt.", "-": "Bindestrich.", "@": "At-Zeichen.", "1": "eins.", "0": "null."}
    assert keyboard.shifted and describe(shown["A"], "de") == "großes A.", "Shift on: said as it types"
    click(qtbot, shown["A"])
    assert field.text() == "A" and describe(shown["L"], "de") == "l."


def test_english_keys_are_named_in_english(qtbot: QtBot, window: KioskWindow, session: KioskSession) -> None:
    session.set_locale("en")
    field = QLineEdit(window.stack.currentWidget())
    field.show()
    window.keyboard.show_for(field)
    page = window.keyboard.pages.currentWidget()
    shown = {key.text(): key for key in page.findChildren(QPushButton) if key.isVisible()}
    assert [describe(shown[c], "en") for c in (".", "@", "2", "Q")] == ["full stop.", "at sign.", "two.", "capital Q."]


# -- 4., 9. the repair dialog -------------------------------------------------------------------------------------


def repair_dialog(qtbot: QtBot, window: KioskWindow) -> tuple[Pad, RepairDialog]:
    """The leaking tent's outcomes (by its barcode and taps), guidance on, the repair order opened by the keys."""
    find = open_tent_help(qtbot, window)
    qtbot.waitUntil(lambda: find.field.hasFocus(), timeout=2000)
    qtbot.keyClicks(window.focusWidget(), tent_variant()[2])
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.view == views.QUESTION, timeout=2000)
    for option in ("leak", "seams", "after_years"):
        tap_option(qtbot, window, option)
    assert window.session.view == views.OUTCOMES
    window.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None)
    pad = Pad(qtbot, window)
    window.session.set_guided(True)
    pad.settle()
    pad.move_to("Reparatur beauftragen: ")
    pad.press("select")
    qtbot.waitUntil(lambda: isinstance(getattr(window, "repair_dialog", None), RepairDialog)
                    and window.repair_dialog.isVisible(), timeout=2000)  # fmt: skip
    dialog: RepairDialog = window.repair_dialog
    qtbot.waitUntil(lambda: focused() is not None and dialog.isAncestorOf(focused()))
    return pad, dialog


def test_the_repair_dialog_starts_on_what_was_tried_and_says_only_what_happens(
    qtbot: QtBot, help_window: KioskWindow, engine: Engine
) -> None:
    window = help_window
    pad, dialog = repair_dialog(qtbot, window)
    tried = next(iter(dialog.tried.values()))
    assert focused() is tried, "the first choice above the consent"
    assert pad.last().startswith("Schon versucht: ")
    pad.press("down")
    pad.press("select")
    assert dialog.consent.isChecked()
    pad.move_to("Name")
    pad.press("select")
    qtbot.waitUntil(lambda: window.keyboard.has_keys_focus())
    mark = len(pad.voice.spoken)
    pad.press("back")
    assert focused() is dialog.name
    assert pad.voice.spoken[mark:] == [describe(dialog.name, "de")], "back on the field: only the field"
    intro = dialog.intro.text()
    dialog.email.setText("alex@example.org")  # (typed by the keys as in the test above)
    pad.move_to("Reparatur anmelden")
    mark = len(pad.voice.spoken)
    pad.press("select")
    qtbot.waitUntil(lambda: dialog.order is not None and dialog.done_code.hasFocus(), timeout=5000)
    said = pad.voice.spoken[mark:]
    assert said and said[0].startswith("Reparatur angemeldet. Abholcode: "), said
    assert not any(intro in words for words in said), "not the form's text on the way"
    # Back: on the repair's card, which says it is registered and its code.
    pad.press("back")
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: "Diese Reparatur hast du schon angemeldet" in pad.last())
    assert focused() is not None and focused().objectName() == "CardTitle"


# -- 5. back on the comparison ----------------------------------------------------------------------------------


def test_back_from_a_columns_details_names_the_comparison(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = results(pad, session)
    for card in screen.products.cards[:2]:
        session.toggle_compare(card.sku)  # type: ignore[attr-defined]
        pad.settle()
        qtbot.waitUntil(screen.ready)
    session.show_compare()
    pad.settle()
    assert isinstance(current(window), CompareScreen)
    pad.move_to("Details: ")
    details = pad.last()
    pad.press("select")
    assert isinstance(current(window), DetailScreen)
    mark = len(pad.voice.spoken)
    pad.press("back")
    assert isinstance(current(window), CompareScreen)
    assert pad.voice.spoken[mark:] == ["Vergleichen.", details]


# -- 6., 7. signs and floors in words ---------------------------------------------------------------------------


def test_a_dash_for_nothing_ticks_and_floors_are_said_in_words() -> None:
    row = spoken.compare_row(label="Features", values=[("Hüttenwiese 4", "–", False), ("Bergsee", "Vorzelt", True)],
                             locale="de")  # fmt: skip
    assert row == "Features. Hüttenwiese 4, keine Angabe. Bergsee, Vorzelt, besser."
    assert spoken.compare_row(label="Extras", values=[("A", "-", False)], locale="en") == "Extras. A, none."
    assert spoken.speakable("Vergleichen ✓: Hüttenwiese 4, ausgewählt.", "de") == (
        "Vergleichen: Hüttenwiese 4, ausgewählt."
    )
    assert spoken.speakable("✓ leicht", "de") == "leicht"
    assert spoken.speakable("3 vorrätig – EG, Regal 1 · 1. OG · UG", "de") == (
        "3 vorrätig – Erdgeschoss, Regal 1, 1. Obergeschoss, Untergeschoss"
    )
    assert spoken.speakable("EGAL, OG-Kante, 1st floor", "de") == "EGAL, OG-Kante, 1st floor"
    assert spoken.speakable("EG", "en") == "EG"


# -- 8., 10. the talk dialog -------------------------------------------------------------------------------------


def test_the_talk_dialog_says_its_name_once_after_its_button(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    staff_present(session, tmp_path)
    results(pad, session)
    pad.move_to("Mit einer Person sprechen", key="up")
    assert pad.last() == "Mit einer Person sprechen."
    mark = len(pad.voice.spoken)
    pad.press("select")
    qtbot.waitUntil(lambda: isinstance(window.talk_dialog, TalkDialog) and window.talk_dialog.consent.hasFocus())
    said = " ".join(pad.voice.spoken[mark:])
    assert said.startswith("Eine Beraterin oder ein Berater kommt zu dir"), said[:120]
    assert "Mit einer Person sprechen" not in said


def test_a_talk_dialog_slow_to_learn_who_is_there_says_no_close_button_first(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """A busy database: the dialog's focus waits on "Schließen" unsaid until the dialog knows whom it can call, then
    says what it offers and the consent, as it does at once on a quick one."""
    import ui.talk

    staff_present(session, tmp_path)
    results(pad, session)
    answered = threading.Event()
    quick = ui.talk.available

    def slow(engine: Engine) -> list[str]:  # (a worker thread: the database takes its time)
        answered.wait(10)
        return quick(engine)

    monkeypatch.setattr(ui.talk, "available", slow)
    pad.move_to("Mit einer Person sprechen", key="up")
    mark = len(pad.voice.spoken)
    pad.press("select")
    qtbot.waitUntil(lambda: isinstance(window.talk_dialog, TalkDialog) and window.talk_dialog.close_button.hasFocus())
    assert not any("Schließen" in words for words in pad.voice.spoken[mark:]), pad.voice.spoken[mark:]
    answered.set()
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    qtbot.waitUntil(lambda: dialog.consent.hasFocus())
    qtbot.waitUntil(lambda: any("Ich bin einverstanden" in words for words in pad.voice.spoken[mark:]))
    said = " ".join(pad.voice.spoken[mark:])
    assert said.startswith("Eine Beraterin oder ein Berater kommt zu dir"), said[:120]
    assert "Schließen" not in said


def test_withdrawing_the_request_says_it_ended_then_where_the_focus_is(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    to_the_summary_button(pad, session, tmp_path)
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    pad.move_to("Ich bin einverstanden", key="up")
    pad.press("select")
    pad.move_to("Beratung hierher rufen")
    pad.press("select")
    pad.wait_to_hear("Du bist Nummer 1 in der Warteschlange.")
    pad.move_to("Anfrage zurückziehen")
    mark = len(pad.voice.spoken)
    pad.press("select")
    qtbot.waitUntil(lambda: "Die Anfrage ist beendet." in " ".join(pad.voice.spoken[mark:]), timeout=5000)
    qtbot.waitUntil(lambda: len(pad.voice.spoken) > mark + 1)
    said = pad.voice.spoken[mark:]
    assert said[0].startswith("Die Anfrage ist beendet."), said
    assert said[1] == describe(focused(), "de") and dialog.isAncestorOf(focused()), said


def test_the_summary_passed_by_says_its_start_and_select_reads_it_all(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    to_the_summary_button(pad, session, tmp_path)
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    pad.press("select")
    pad.wait_to_hear("Deine Beratung:")
    whole = next(words for words in reversed(pad.voice.spoken) if words.startswith("Deine Beratung:"))
    assert whole.startswith("Deine Beratung:") and len(whole) > 400, "asked for: said whole as the page opens"
    pad.move_to("Zusammenfassung mitnehmen")  # round the page and back onto it
    assert dialog.summary_view.hasFocus()
    passed = pad.last()
    assert passed.startswith("Zusammenfassung mitnehmen. Deine Beratung:") and len(passed) < 150, passed
    assert passed.endswith("Die Auswahltaste liest sie ganz vor.")
    pad.press("select")
    assert pad.last().endswith(whole), "Select: all of it"
    assert dialog.summary_view.hasFocus()
