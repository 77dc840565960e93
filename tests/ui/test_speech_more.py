"""What a blind shopper hears in the corners a QA walk by four keys found wanting: the idle warning over a long text,
a number changed only on purpose, the way back from details, the help's search, the comparison, the chat and units
said in words; every text sent to a RecordingVoice."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.ui.test_keys import to_question
from tests.ui.test_speech import Pad, focused, staff_present
from tests.ui.test_speech import pad as pad  # the fixture: the four keys at the kiosk window
from tests.ui.test_speech_walk import results
from ui import session as views
from ui.guard import IdleWarning
from ui.screens.help import FindScreen
from ui.session import KioskSession
from ui.talk import TalkDialog
from ui.window import KioskWindow


def events_since(pad: Pad, mark: int) -> list[tuple[str, object]]:
    return pad.voice.events[mark:]


def to_the_summary_button(pad: Pad, session: KioskSession, tmp_path: Path) -> None:
    """By the keys from the results (staff present) into the talk dialog, onto "take the summary"."""
    staff_present(session, tmp_path)
    results(pad, session)
    pad.move_to("Mit einer Person sprechen", key="up")
    pad.press("select")
    pad.move_to("Zusammenfassung mitnehmen")


def test_the_idle_warning_cuts_a_long_summary_short_and_continuing_says_where_in_short(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    to_the_summary_button(pad, session, tmp_path)
    assert isinstance(window.talk_dialog, TalkDialog)
    pad.press("select")
    pad.wait_to_hear("Deine Beratung:")
    assert max(len(words) for words in pad.voice.spoken if "Deine Beratung:" in words) > 500, "a long text"
    summary = focused()

    mark = len(pad.voice.events)
    window.watch_idle(0.1, 20)
    guard = window.idle_guard
    guard.second.setInterval(60_000)  # no second of the countdown passes in this test
    qtbot.waitUntil(lambda: isinstance(guard.warning, IdleWarning), timeout=3000)
    pad.wait_to_hear("Bist du noch da?")
    said = events_since(pad, mark)
    warning = next(i for i, (kind, words) in enumerate(said) if "Bist du noch da?" in str(words))
    assert ("stop", None) in said[:warning], "what was being said and what was queued stop"
    assert said[warning][0] == "say", "the warning interrupts: it is not queued behind the summary"
    assert "in 20 Sekunden" in str(said[warning][1]), "the whole countdown is heard"

    guard.idle.setInterval(60_000)
    qtbot.waitUntil(lambda: focused() is guard.warning.go_on)  # type: ignore[union-attr]
    mark = len(pad.voice.spoken)
    pad.press("select")
    qtbot.waitUntil(lambda: guard.warning is None and focused() is summary)
    qtbot.waitUntil(lambda: len(pad.voice.spoken) > mark)
    qtbot.wait(50)
    after = pad.voice.spoken[mark:]
    assert not any("Deine Beratung:" in words for words in after), f"the summary is not read again: {after}"
    assert after[-1] == "Zusammenfassung mitnehmen.", "where the shopper is, in short"


def test_back_from_details_returns_to_the_product_opened_and_says_it(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = results(pad, session)
    pad.move_to("Empfehlung 3 von 4")
    third = focused()
    sku = getattr(third, "sku", None)
    assert sku is not None
    pad.press("select")
    assert session.view == views.DETAIL and session.detail_sku == sku
    mark = len(pad.voice.spoken)
    pad.press("back")
    qtbot.waitUntil(lambda: session.view == views.RESULTS and screen.ready() and focused() is not None)
    pad.settle()
    card = focused()
    assert getattr(card, "sku", None) == sku and screen.isAncestorOf(card), "the product opened has the focus"
    said = pad.voice.spoken[mark:]
    assert said and said[-1].startswith("Empfehlung 3 von 4"), said
    assert not any("Das passt zu dir" in words or "Empfehlung 1 von 4" in words for words in said), said


def test_a_product_search_says_how_many_were_found_and_the_first(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    session.show_help()
    session.start("tent-help")
    pad.settle()
    pad.press("down")  # guidance on
    find = window.screen_for(views.FIND)
    assert isinstance(find, FindScreen) and session.view == views.FIND
    find.field.setText("Karwendel")
    find.search_button.setFocus()
    pad.settle()
    mark = len(pad.voice.spoken)
    pad.press("select")
    assert find.found and len(find.found) > 1
    said = " ".join(pad.voice.spoken[mark:])
    first = find.found[0].product.name["de"]
    assert f"Gefunden für „Karwendel“: {len(find.found)}." in said, said
    assert f"{first}, 1 von {len(find.found)}" in said, "the first hit, with its place"
    assert focused() is find.search_button, "the focus stays where the shopper searched"


def test_a_number_changed_but_not_confirmed_keeps_its_value_in_the_other_language(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = to_question(pad, session, "persons")
    pad.press("down")  # guidance on, on the number
    assert focused() is screen.slider
    pad.press("select")
    pad.press("up", 2)
    assert pad.last() == "4\u00a0Personen"
    pad.press("select")  # the change over, on Next; not confirmed
    assert session.state is not None and "persons" not in session.state.answers
    pad.move_to("English", key="up")
    pad.press("select")
    assert session.locale == "en" and session.state.current == "persons"
    assert screen.value == 4 and screen.number_label.text() == "4\u00a0people", "the value the shopper set stays"
    pad.move_to("4\u00a0people")
    assert focused() is screen.slider
    pad.move_to("Deutsch", key="up")
    pad.press("select")
    assert screen.value == 4, "and stays through a second switch"
    pad.move_to("Weiter")
    pad.press("select")
    assert session.state.answers["persons"] == 4


def test_a_new_shopper_does_not_find_the_last_ones_unconfirmed_number(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    screen = to_question(pad, session, "persons")
    screen.slider.setValue(screen.slider.value() + 3)
    assert screen.value == 5
    session.reset()
    pad.settle()
    to_question(pad, session, "persons")
    assert screen.value == 2, "a new advice starts from the question's default"


def test_removing_a_product_from_the_comparison_is_said(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad
) -> None:
    results(pad, session)
    result = session.recommendation()
    assert result is not None and len(result.products) >= 3
    for item in result.products[:3]:
        session.toggle_compare(item.sku)
    first, second, _third = (item.product.name["de"] for item in result.products[:3])
    session.show_compare()
    pad.settle()
    assert session.view == views.COMPARE
    pad.move_to(f"Entfernen: {first}")
    mark = len(pad.voice.spoken)
    pad.press("select")
    assert len(session.compare_skus) == 2
    said = pad.voice.spoken[mark:]
    assert said and said[0] == f"{first} aus dem Vergleich entfernt.", said
    pad.move_to(f"Entfernen: {second}")
    mark = len(pad.voice.spoken)
    pad.press("select")
    qtbot.waitUntil(lambda: session.view == views.RESULTS)
    pad.settle()
    assert pad.voice.spoken[mark] == f"{second} aus dem Vergleich entfernt.", "said before the results"


def test_the_summary_page_says_its_title_before_the_summary(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    to_the_summary_button(pad, session, tmp_path)
    mark = len(pad.voice.spoken)
    pad.press("select")
    pad.wait_to_hear("Deine Beratung:")
    said = pad.voice.spoken[mark:]
    summary = next(i for i, words in enumerate(said) if "Deine Beratung:" in words)
    assert said[0].startswith("Zusammenfassung mitnehmen.") and "Deine Beratung:" not in said[0], "the title first"
    assert said[summary].startswith("Deine Beratung:"), "the title is said once"


def test_choosing_the_chat_says_the_queue_once_and_not_the_visit_explanation(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, pad: Pad, tmp_path: Path
) -> None:
    staff_present(session, tmp_path)
    results(pad, session)
    pad.move_to("Mit einer Person sprechen", key="up")
    pad.press("select")
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    qtbot.waitUntil(lambda: dialog.consent.hasFocus())
    pad.press("select")
    pad.move_to("Jetzt chatten")
    mark = len(pad.voice.spoken)
    pad.press("select")
    qtbot.waitUntil(lambda: dialog.resume_code != "" and "Dein Code" in " ".join(pad.voice.spoken[mark:]))
    qtbot.wait(300)  # later reads of the queue (four a second) say nothing new
    said = " ".join(pad.voice.spoken[mark:])
    assert "kommt zu dir an dieses Terminal" not in said, f"the explanation of a visit is not the chat's: {said}"
    assert said.count("in der Warteschlange") == 1, f"the queue position said once: {said}"
    assert said.startswith("Du bist Nummer 1 in der Warteschlange."), said
