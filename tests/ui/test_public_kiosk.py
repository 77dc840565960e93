"""The kiosk in public space: lockdown keys, the hidden exit, the idle warning and wipe, accessibility."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface, QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QListWidget, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from advisor.handoff import chat, requests, sessions
from advisor.handoff.staff import hash_pin
from advisor.i18n import pick
from tests.ui.test_handoff import staffed
from tests.ui.test_kiosk import answer_by_click, click, start, wait_for_products
from ui import session as views
from ui.guard import ExitDialog, IdleWarning
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.talk import TalkDialog
from ui.theme import HIGH_CONTRAST, Theme, contrast, contrast_problems
from ui.window import KioskWindow

PIN_HASH = hash_pin("2468")


def press(widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press as the window system delivers it (through the application's event filters)."""
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, modifiers))


def test_locked_kiosk_ignores_every_way_out(qtbot: QtBot, window: KioskWindow) -> None:
    window.lock(PIN_HASH)
    qtbot.waitExposed(window)
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    start(qtbot, window, "tent-finder")
    click(qtbot, window.top_bar.talk_button)
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    qtbot.waitUntil(dialog.isVisible)
    for key, modifiers in (
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier), (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier), (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
    ):  # fmt: skip
        press(dialog, key, modifiers)
        press(window, key, modifiers)
        assert dialog.isVisible(), f"{key} closed a dialog"
        assert window.isVisible(), f"{key} left the kiosk"
    window.close()  # the window manager's close button
    assert window.isVisible()
    assert window.session.view == views.QUESTION, "the shopper's advice is still there"


def test_hidden_gesture_and_pin_lock_out_then_exit(qtbot: QtBot, window: KioskWindow) -> None:
    window.lock(PIN_HASH)
    qtbot.waitExposed(window)
    for _ in range(5):
        qtbot.mouseClick(window.top_bar.logo, Qt.MouseButton.LeftButton)
    dialog = window.exit_dialog
    assert isinstance(dialog, ExitDialog)
    qtbot.waitUntil(dialog.isVisible)
    for _ in range(5):
        qtbot.keyClicks(dialog, "1111")
        click(qtbot, dialog.ok)
    assert "Falsche PIN" in dialog.message.text() or "Gesperrt" in dialog.message.text()
    qtbot.keyClicks(dialog, "2468")
    click(qtbot, dialog.ok)
    assert "Gesperrt" in dialog.message.text(), "locked after five wrong PINs, even for the right one"
    assert window.isVisible()
    window.exit_guard.locked_until = None  # the lock-out has passed
    qtbot.keyClicks(dialog, "2468")
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.ok)
    qtbot.waitUntil(lambda: not window.isVisible())


def visible_texts(root: QWidget) -> str:
    """Every text a widget tree holds: labels, buttons, typed text, list lines (hidden ones too)."""
    parts = [w.text() for w in root.findChildren(QLabel)] + [w.text() for w in root.findChildren(QPushButton)]
    parts += [w.text() for w in root.findChildren(QLineEdit)]
    for listing in root.findChildren(QListWidget):
        parts += [listing.item(i).text() for i in range(listing.count())]
    return "\n".join(parts)


def test_idle_warning_continues_with_one_tap_then_wipes_everything(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    engine = staffed(session, f"sqlite:///{tmp_path / 'idle.sqlite3'}")
    start(qtbot, window, "tent-finder")
    while session.view == views.QUESTION:
        answer_by_click(qtbot, window)
    wait_for_products(qtbot, window)
    result = session.recommendation()
    assert result is not None and result.products
    product_name = pick(result.products[0].product.name, "de")
    session.set_locale("en")
    click(qtbot, window.top_bar.talk_button)
    talk = window.talk_dialog
    assert isinstance(talk, TalkDialog)
    qtbot.waitUntil(talk.isVisible)
    talk.consent.setChecked(True)
    click(qtbot, talk.chat)
    qtbot.waitUntil(talk.message.isVisible)
    talk.message.setText("Meine Nummer ist 0171 555")
    click(qtbot, talk.send)
    qtbot.waitUntil(lambda: talk.lines.count() == 1)
    talk.message.setText("noch nicht gesendet")
    request_id = talk.request_id
    assert request_id is not None
    code = sessions.session_of(engine, talk.session_id).resume_code  # type: ignore[arg-type, union-attr]
    assert product_name in visible_texts(window)

    window.watch_idle(0.2, 20)
    window.idle_guard.second.setInterval(10)  # the 20 s countdown, quicker for the test
    qtbot.waitUntil(lambda: window.idle_guard.warning is not None, timeout=3000)
    warning = window.idle_guard.warning
    assert isinstance(warning, IdleWarning) and warning.left >= 19  # at least 20 s to react (WCAG 2.2.1)
    click(qtbot, warning.go_on)  # one tap continues
    assert window.idle_guard.warning is None
    assert session.view == views.RESULTS and talk.isVisible()

    with qtbot.waitSignal(window.idle_guard.wiped, timeout=5000):
        pass
    assert session.view == views.WELCOME
    assert (session.questionnaire, session.state, session.stored_id, session.handoff_request_id) == (None,) * 4
    assert session.viewed == [] and session.relaxations_met == [] and session.compare_skus == []
    assert session.locale == "de" and not session.accessible
    qtbot.waitUntil(lambda: not any(d.isVisible() for d in window.findChildren(QDialog)))
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    left = visible_texts(window)
    for secret in (product_name, "0171 555", "noch nicht gesendet", code, code[:3]):
        assert secret not in left, f"{secret!r} is still in the kiosk"
    assert set(window.screens) == {views.WELCOME}
    # What the shopper agreed to hand over stays for staff.
    assert requests.request_state(engine, request_id) is not None
    # The chat was open when the shopper walked away: the request ends, and staff read why.
    qtbot.waitUntil(lambda: requests.state_of(engine, request_id) == requests.State.CANCELLED)
    assert [(m.sender, m.shown("de")) for m in chat.messages(engine, request_id)] == [
        ("shopper", "Meine Nummer ist 0171 555"),
        (chat.SYSTEM, "Kunde hat den Kiosk verlassen"),
    ]


@pytest.mark.parametrize("theme", [Theme(), HIGH_CONTRAST], ids=["store", "high-contrast"])
def test_every_theme_meets_wcag_aa_contrast(theme: Theme) -> None:
    assert contrast_problems(theme) == []
    assert contrast(theme.text, theme.background) >= 4.5


@pytest.mark.parametrize("theme", [Theme(), HIGH_CONTRAST], ids=["store", "high-contrast"])
def test_a_main_button_that_cannot_be_tapped_yet_does_not_look_like_one(qtbot: QtBot, theme: Theme) -> None:
    """ "Beratung hierher rufen" before the consent is ticked: no longer the filled main button, but an outline."""
    from ui.theme import style_sheet

    for name in ("Primary", "Accent"):
        widget = QPushButton("Beratung hierher rufen")
        widget.setObjectName(name)
        widget.setStyleSheet(style_sheet(theme))
        qtbot.addWidget(widget)
        widget.resize(320, 64)
        widget.show()
        qtbot.waitExposed(widget)
        filled = theme.primary if name == "Primary" else theme.accent
        assert widget.grab().toImage().pixelColor(16, 32).name() == filled
        widget.setEnabled(False)
        assert widget.grab().toImage().pixelColor(16, 32).name() == theme.surface


@pytest.mark.parametrize("theme", [Theme(), HIGH_CONTRAST], ids=["store", "high-contrast"])
def test_the_progress_bar_shows_how_far_the_shopper_is(qtbot: QtBot, theme: Theme) -> None:
    """ "Frage 5 von 8": the answered part in the main colour, the rest in a colour of its own (in accessibility
    mode too, where borders and the main colour are both black)."""
    from PySide6.QtWidgets import QProgressBar

    from ui.theme import style_sheet

    bar = QProgressBar()
    bar.setTextVisible(False)
    bar.setStyleSheet(style_sheet(theme))
    bar.setRange(0, 8)
    bar.setValue(4)
    qtbot.addWidget(bar)
    bar.resize(800, 8)
    bar.show()
    qtbot.waitExposed(bar)
    picture = bar.grab().toImage()
    done, left = picture.pixelColor(100, 4).name(), picture.pixelColor(700, 4).name()
    assert (done, left) == (theme.primary, theme.track)
    assert contrast(done, left) >= 3


def test_a_theme_with_poor_contrast_is_reported() -> None:
    poor = Theme(primary="#8fbf9f", muted="#b0b0b0")
    problems = contrast_problems(poor)
    assert any("main buttons" in problem for problem in problems)
    assert any("secondary text" in problem for problem in problems)
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_accessibility_mode_is_found_on_the_welcome_screen_and_reads_the_question(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, qapp: QApplication
) -> None:
    from ui.app import follow_accessibility

    follow_accessibility(window)
    voice = window.speech.voice
    assert isinstance(voice, RecordingVoice)  # what would be said is recorded, nobody hears it
    normal = qapp.styleSheet()
    welcome = window.screens["welcome"]
    toggle = welcome.accessible  # type: ignore[attr-defined]
    assert toggle.isVisible() and "Barrierefrei" in toggle.text()
    click(qtbot, toggle)
    assert session.accessible
    assert qapp.styleSheet() != normal
    assert f"font-size: {HIGH_CONTRAST.base_size}px" in qapp.styleSheet()
    start(qtbot, window, "tent-finder")
    step = session.questionnaire.step(session.state.current)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: pick(step.question, "de") in voice.said())
    assert "Frage 1 von" in voice.said()
    options = [pick(option.label, "de") for option in step.options]
    qtbot.waitUntil(lambda: options[0] in voice.said(), timeout=2000)  # the focused first answer
    assert voice.language == "de"
    click(qtbot, window.top_bar.accessible)
    assert not session.accessible and qapp.styleSheet() == normal
    heard = len(voice.spoken)
    with qtbot.waitSignal(session.changed):
        session.start("backpack-finder")
    qtbot.waitUntil(lambda: window.speech.holding is False)
    assert len(voice.spoken) == heard, "without accessibility mode nothing is said"


NAMED_ROLES = {
    QAccessible.Role.PushButton, QAccessible.Role.CheckBox, QAccessible.Role.RadioButton, QAccessible.Role.ComboBox,
    QAccessible.Role.EditableText, QAccessible.Role.Slider, QAccessible.Role.List, QAccessible.Role.ProgressBar,
}  # fmt: skip


def unnamed_controls(root: QWidget) -> list[str]:
    """Walk the accessibility tree: every control a screen reader meets needs a name."""
    missing: list[str] = []

    def walk(interface: QAccessibleInterface, depth: int) -> None:
        if interface is None or not interface.isValid() or depth > 40:
            return
        state = interface.state()
        if (
            interface.role() in NAMED_ROLES
            and not state.invisible
            and not interface.text(QAccessible.Text.Name).strip()
        ):
            widget = interface.object()
            missing.append(
                f"{interface.role().name} {type(widget).__name__} {getattr(widget, 'objectName', lambda: '')()}"
            )
        for index in range(interface.childCount()):
            walk(interface.child(index), depth + 1)

    walk(QAccessible.queryAccessibleInterface(root), 0)
    return missing


def test_every_control_on_every_screen_has_an_accessible_name(
    qtbot: QtBot, window: KioskWindow, session: KioskSession
) -> None:
    assert unnamed_controls(window) == []
    start(qtbot, window, "tent-finder")
    while session.view == views.QUESTION:
        assert unnamed_controls(window) == [], session.state.current if session.state else None
        answer_by_click(qtbot, window)
    wait_for_products(qtbot, window)
    assert unnamed_controls(window) == []
    result = session.recommendation()
    assert result is not None
    session.show_detail(result.products[0].sku)
    assert unnamed_controls(window) == []
    session.toggle_compare(result.products[0].sku)
    session.show_compare()
    assert unnamed_controls(window) == []
    session.show_overview()
    assert unnamed_controls(window) == []
    click(qtbot, window.top_bar.talk_button)
    qtbot.waitUntil(lambda: window.talk_dialog is not None and window.talk_dialog.isVisible())
    assert unnamed_controls(window.talk_dialog) == []  # type: ignore[arg-type]


def test_the_kiosk_theme_and_the_configuration_agree_on_the_default_colours() -> None:
    """Two places hold the default colours (the kiosk's theme loads before pydantic does): they must not drift."""
    from advisor.config import ThemeConfig

    defaults = ThemeConfig().model_dump(exclude={"logo"})
    assert defaults == {name: getattr(Theme(), name) for name in defaults}
