"""Speech in accessibility mode: every screen, focused control, dialog and change of state said aloud.

The words come from `ui/spoken.py` (Qt-free, the core's texts); this module only routes screens, focus changes and
dialogs to a voice. A `Voice` is either `QtVoice` (QtTextToSpeech, where the system has one: speech-dispatcher
with espeak-ng on Debian, see docs/deploying.md) or `RecordingVoice` (tests: records the text, says nothing).

Speech follows the shopper's actions: the first thing said after a key or a touch interrupts what is being said,
everything said in answer to it is queued behind it. An urgent dialog (the idle warning: a dialog with `urgent`
set) silences what is being said and what is queued, and is said at once; once it closes, the place the shopper is
at is said in short (not a long text again from its start). The shopper can repeat, pause and change the speed
(`ui/keys.py` maps the keys).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QEvent, QLocale, QObject, Qt, QTimer
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QTextEdit,
    QWidget,
)

from advisor.i18n import LOCALES
from ui import spoken
from ui.session import WELCOME, KioskSession
from ui.widgets import Group

PROMPT_MS = 6_000  # the welcome screen's spoken invitation, this long after the last touch
REPROMPT_MS = 30_000  # and again this often while the welcome screen stays untouched (calm, not a loop) …
REPROMPTS = 3  # … this many times; then quiet until the next touch or key (a key says it at once: ui/keys.py)
INPUT = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)


class Voice(Protocol):
    """What speaks: says or queues text, stops, pauses, and takes a language and a speed."""

    def say(self, words: str, *, interrupt: bool) -> None: ...

    def stop(self) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def set_language(self, locale: str) -> None: ...

    def set_rate(self, rate: float) -> None: ...


class RecordingVoice:
    """A voice for tests: records every text it is given (and pauses, speeds, languages), and says nothing."""

    def __init__(self) -> None:
        self.spoken: list[str] = []
        self.events: list[tuple[str, Any]] = []
        self.language = ""
        self.rate = 0.0
        self.paused = False

    def say(self, words: str, *, interrupt: bool) -> None:
        self.spoken.append(words)
        self.events.append(("say" if interrupt else "queue", words))
        self.paused = False

    def stop(self) -> None:
        self.events.append(("stop", None))

    def pause(self) -> None:
        self.paused = True
        self.events.append(("pause", None))

    def resume(self) -> None:
        self.paused = False
        self.events.append(("resume", None))

    def set_language(self, locale: str) -> None:
        self.language = locale
        self.events.append(("language", locale))

    def set_rate(self, rate: float) -> None:
        self.rate = rate
        self.events.append(("rate", rate))

    def said(self) -> str:
        """Everything said so far, as one text (tests look for words in it)."""
        return "\n".join(self.spoken)


class QtVoice:
    """QtTextToSpeech with the system's voice, made on first use (loading it costs time, and a kiosk may never need
    it). Without a voice (no engine, or one in error) nothing is said and nothing breaks."""

    def __init__(self, engine: str | None = None) -> None:
        self.engine = engine  # a named engine ("mock": Qt's test engine, speaking to nobody); None: the system's
        self.speech: Any = None
        self.tried = False

    def _voice(self) -> Any:
        if not self.tried:
            self.tried = True
            try:
                from PySide6.QtTextToSpeech import QTextToSpeech
            except ImportError:  # a Qt without text to speech: the kiosk works on, silently
                return None
            engines = [name for name in QTextToSpeech.availableEngines() if name != "mock" or name == self.engine]
            if self.engine is not None:
                engines = [name for name in engines if name == self.engine]
            if engines:
                speech = QTextToSpeech(engines[0])
                if speech.state() != QTextToSpeech.State.Error:
                    self.speech = speech
        return self.speech

    @property
    def available(self) -> bool:
        return self._voice() is not None

    def say(self, words: str, *, interrupt: bool) -> None:
        voice = self._voice()
        if voice is None:
            return
        if interrupt:
            voice.say(words)  # stops what is being said
        else:
            voice.enqueue(words)

    def stop(self) -> None:
        if self.speech is not None:
            self.speech.stop()

    def pause(self) -> None:
        if self.speech is not None:
            self.speech.pause()

    def resume(self) -> None:
        if self.speech is not None:
            self.speech.resume()

    def set_language(self, locale: str) -> None:
        voice = self._voice()
        if voice is not None:
            voice.setLocale(QLocale(QLocale.Language.German if locale == "de" else QLocale.Language.English))

    def set_rate(self, rate: float) -> None:
        voice = self._voice()
        if voice is not None:
            voice.setRate(rate)


def describe(widget: QWidget, locale: str) -> str:
    """What is said when a control gets focus: its own words where it has them (answers, results, sections), else
    its name, state and position."""
    custom = getattr(widget, "spoken", None)
    if callable(custom):
        return str(custom())
    if isinstance(widget, QAbstractButton):
        return spoken.control(
            name=widget.accessibleName() or widget.text(), description=widget.accessibleDescription(),
            checked=widget.isChecked() if widget.isCheckable() else None, enabled=widget.isEnabled(),
            position=getattr(widget, "place", None), locale=locale,
        )  # fmt: skip
    if isinstance(widget, QLineEdit):
        return spoken.text_field(name=widget.accessibleName() or widget.placeholderText(), value=widget.text(),
                                 locale=locale, keys_on_screen=_keys_on_screen(widget))  # fmt: skip
    if isinstance(widget, QListWidget):
        lines = [widget.item(i).text() for i in range(widget.count())]
        return spoken.chat(name=widget.accessibleName(), lines=lines, locale=locale)
    if isinstance(widget, QTextEdit):
        return spoken.document(widget.accessibleName(), widget.toPlainText(), locale)
    if isinstance(widget, QLabel):
        return widget.accessibleName() or widget.text()
    return widget.accessibleName()


def _bare(words: str) -> str:
    """Words without their closing full stop (a label said with one and without is said once)."""
    return words.strip().rstrip(".")


def _keys_on_screen(widget: QWidget) -> bool:
    """Whether the kiosk window `widget` is on (or above) offers its on-screen keys (ui/keyboard.py)."""
    node: QWidget | None = widget
    while node is not None:
        keyboard = getattr(node, "keyboard", None)
        if keyboard is not None and callable(getattr(keyboard, "enabled", None)):
            return bool(keyboard.enabled())
        node = node.parentWidget()
    return False


class Speech(QObject):
    """Says the kiosk's screens, focus changes and dialogs in accessibility mode, and the welcome screen's invitation
    to speech guidance in any mode.

    The window calls `hold` before it rebuilds a screen and `settled` once the screen has its focus: the focus
    changes in between are not said, the screen (when it is a new one) and its focused control are.
    """

    def __init__(self, window: QWidget, session: KioskSession, voice: Voice) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.voice = voice
        self.turn = ""  # what was said since the shopper's last key or touch (repeated on request)
        self.fresh = True  # nothing said yet since that key or touch: the next words interrupt
        self.focus_said = ""
        self.focus_widget: QWidget | None = None  # the control whose focus was said last
        self.holding = False
        self.guided_said = False
        self.language = ""
        self.rate_level = (spoken.RATE_LEVELS + 1) // 2
        self.paused = False
        self.reorient = False  # an urgent dialog cut speech short: the next focus said is said in short
        self.parked: QWidget | None = None  # the focus moves in here without a word (see `unsaid`)
        self.named: tuple[QWidget, str] | None = None  # a dialog shown this turn, its name left unsaid (its opener's)
        self.announced: set[QDialog] = set()  # dialogs shown and said (what they are before where their focus is)
        self.invited = 0  # invitations said since the last touch (REPROMPTS more at most)
        self.key_invited = False  # a key said the invitation to this shopper (the next one, at the start, hears it)
        self.screen: object | None = None  # the screen (not a dialog) last settled
        self.prompt = QTimer(self)
        self.prompt.setSingleShot(True)
        self.prompt.setInterval(PROMPT_MS)
        self.prompt.timeout.connect(self._invite)
        session.shopper_gone.connect(self._shopper_gone)

    def listen(self, on: bool) -> None:
        """Follow the application's events while the window is open (a closed window's filter would cost every
        event of the application a Python call)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
            if on:
                app.installEventFilter(self)

    # -- saying ----------------------------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """Speech is on in accessibility mode (which speech guidance switches on)."""
        return self.session.accessible

    def new_turn(self) -> None:
        """The shopper pressed a key or touched the screen: what is said next interrupts."""
        self.fresh = True
        self.named = None
        self.invited = 0
        if self.reorient and not _urgent_open(self.window):
            self.reorient = False  # (the shopper has moved on from where the warning left them)
        if self.session.view == WELCOME and not self.session.guided:
            self.prompt.start(PROMPT_MS)

    def say(self, words: str, *, always: bool = False, locale: str | None = None) -> None:
        """Say `words` (in accessibility mode, or `always`): the first words of a turn interrupt, later ones queue;
        what this turn has said already is not said again (a dialog's page and its first item often agree). In
        `locale` where given (the invitation in both languages), else the shopper's."""
        if not words or not (self.active or always):
            return
        locale = locale or self.session.locale
        words = spoken.speakable(words, locale)
        if not self.fresh and _bare(words) in self.turn:
            return
        if self.language != locale:
            self.language = locale
            self.voice.set_language(self.language)
        interrupt = self.fresh
        self.fresh = False
        self.paused = False
        self.turn = words if interrupt else f"{self.turn} {words}"
        self.voice.say(words, interrupt=interrupt)

    def interrupt(self) -> None:
        """Something urgent: what is being said and everything queued behind it stop, the next words are said at
        once."""
        self.voice.stop()
        self.fresh = True
        self.turn = ""
        self.paused = False

    def say_focus(self, widget: QWidget) -> None:
        """Say the focused control, unless this turn has said it already (a dialog's status it just announced); on
        the way into a group of controls (the grades, the critiques), the group's heading first. Back from an urgent
        dialog, only the control's first sentence (where the shopper is, not a whole summary again)."""
        before, self.focus_widget = self.focus_widget, widget
        locale = self.session.locale
        words = spoken.speakable(describe(widget, locale), locale)
        if self.reorient and not _urgent(widget):
            self.reorient = False
            self.fresh = True
            self.focus_said = words = spoken.first_sentence(words)
            self.say(words)
            return
        if self.named is not None and widget.window() is self.named[0]:
            first, _, rest = words.partition(". ")
            if _bare(first) == self.named[1]:  # a dialog's heading (or the dialog itself, focused before its first
                if not rest:  # control: its name, then its text) with the name of the button that opened it, just
                    self.focus_said = words  # said: not its name again, and its text not twice
                    return
                words = rest
        group = getattr(widget, "group", None)
        if isinstance(group, Group) and words and not group.holds(before):
            words = spoken.sentences(group.heading(), words)
        if not words or (not self.fresh and (words in self.turn or words == self.focus_said)):
            self.focus_said = words
            return
        if not self.fresh:  # its name said just before (a dialog's page, then the text on it): said once
            first, _, rest = words.partition(". ")
            if rest and f"{first}." in self.turn:
                words = rest
        self.focus_said = words
        self.say(words)

    def reoriented(self, tries: int = 10) -> None:
        """An urgent dialog was answered: once the focus is back, where it is, in short (unless that was said as the
        focus returned)."""
        if not self.reorient:
            return
        focus = QApplication.focusWidget()
        if focus is None or not belongs_to(focus, self.window) or _urgent(focus):
            if tries:  # the window below is not active again yet
                QTimer.singleShot(20, self, lambda: self.reoriented(tries - 1))
            else:
                self.reorient = False
            return
        self.say_focus(focus)

    def repeat(self) -> None:
        self.fresh = True
        self.say(self.turn)

    def toggle_pause(self) -> None:
        if not self.active:
            return
        self.paused = not self.paused
        if self.paused:
            self.voice.pause()
        else:
            self.voice.resume()

    def change_rate(self, step: int) -> None:
        """One step faster (1) or slower (-1), said in the new speed."""
        if not self.active:
            return
        self.rate_level = max(1, min(spoken.RATE_LEVELS, self.rate_level + step))
        middle = (spoken.RATE_LEVELS + 1) // 2
        self.voice.set_rate((self.rate_level - middle) / (2 * (middle - 1)))
        self.fresh = True
        self.say(spoken.rate(self.rate_level, self.session.locale))

    def keys(self) -> None:
        self.say(spoken.keys(self.session.locale, self.session.address))

    # -- screens ---------------------------------------------------------------------------------------------

    def hold(self) -> None:
        self.holding = True

    def guidance_pending(self) -> bool:
        """Speech guidance came on and has not said so yet."""
        return self.session.guided and not self.guided_said

    def settled(self, screen: Any, focus: QWidget | None, *, new: bool) -> None:
        """The screen (or the dialog in front) is up with its focus: say it when it is a new one (after "speech
        guidance on" and the keys, the first time), then its focused control."""
        self.holding = False
        session = self.session
        if not session.guided:
            self.guided_said = False
        back = not new and self.screen is not None and screen is not self.screen and not isinstance(screen, QDialog)
        if not isinstance(screen, QDialog):
            self.screen = screen
        if back and focus is not None and not callable(getattr(focus, "spoken", None)):
            # Back on a screen left before (the results from the comparison), on a plain control ("Vergleichen (2)"):
            # where the shopper is first, in short ("Das passt zu dir."); a result says its place itself
            # ("Empfehlung 3 von 4: …").
            said = getattr(screen, "spoken", None)
            self.say(spoken.first_sentence(str(said())) if callable(said) else "")
        if new:
            intro = ""
            if session.guided and not self.guided_said:
                self.guided_said = True
                intro = spoken.guidance_on(session.locale, session.address)
            self.focus_said = ""
            said = getattr(screen, "spoken", None)
            self.say(spoken.sentences(intro, str(said()) if callable(said) else ""))
        if focus is not None:
            self.say_focus(focus)
        if session.view == WELCOME and not session.guided:
            self.prompt.start(PROMPT_MS)
        else:
            self.prompt.stop()

    def _invite(self) -> None:
        """A few seconds without a touch on the welcome screen: how to switch speech guidance on; again every
        `REPROMPT_MS` while nobody touches it (a shopper who cannot see it may come up to it), `REPROMPTS` times."""
        session = self.session
        if session.view == WELCOME and not session.guided and self.window.isVisible() and not _dialog_open(self.window):
            self.invite()
            self.invited += 1
            if self.invited <= REPROMPTS:  # (an idle kiosk does not talk to the store all day)
                self.prompt.start(REPROMPT_MS)

    def invite(self) -> None:
        """How to switch speech guidance on, said in any mode: in the kiosk's language, then in the other one (a
        shopper who cannot read the screen cannot switch its language first), each in its own voice."""
        session = self.session
        self.fresh = True
        for locale in dict.fromkeys((session.locale, *LOCALES)):
            self.say(spoken.prompt(locale, session.address), always=True, locale=locale)

    def key_invite(self) -> None:
        """A keypad's select or back with guidance off: the invitation, once for each shopper. At every key it would
        talk over a sighted shopper's keyboard all along; the blind shopper hears it at the first key."""
        if not self.key_invited:
            self.key_invited = True
            self.invite()

    def _shopper_gone(self) -> None:
        """The kiosk forgot its shopper (the idle wipe, the logo): the next key may be a new shopper's, and invites
        again. A shopper's own Back to the welcome screen is the same shopper: they heard it."""
        self.key_invited = False

    # -- events ------------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin) and isinstance(watched, QWidget):
            if belongs_to(watched, self.window):
                self.new_turn()
        elif kind == QEvent.Type.FocusIn and isinstance(watched, QWidget) and isinstance(event, QFocusEvent):
            if event.reason() == Qt.FocusReason.MouseFocusReason or not self.active:
                return False
            if not belongs_to(watched, self.window):
                return False
            if self.parked is not None and (watched is self.parked or self.parked.isAncestorOf(watched)):
                self.focus_widget = watched  # (not said: what the shopper chose says how it went)
                return False
            if self.holding and watched.window() is self.window:
                return False  # the window is rebuilding a screen: `settled` says where the focus lands
            if event.reason() == Qt.FocusReason.ActiveWindowFocusReason and watched is self.focus_widget:
                return False  # the window is back in front with the focus where it was: nothing moved
            dialog = watched.window()
            if isinstance(dialog, QDialog) and dialog not in self.announced and dialog.isVisible():
                # (on a busy machine the dialog's first focus may come before its Show: what it is, said first)
                self.announce(dialog, self.focus_widget)
            self.say_focus(watched)
        elif kind == QEvent.Type.Show and isinstance(watched, QDialog) and belongs_to(watched, self.window):
            if watched not in self.announced:
                self.announce(watched, QApplication.focusWidget())
        elif kind == QEvent.Type.Hide and isinstance(watched, QDialog):
            self.announced.discard(watched)
        return False

    def announce(self, dialog: QDialog, opener: QWidget | None) -> None:
        """Say what a dialog that appears is (its `spoken`), once while it shows; `opener`: where the focus was."""
        self.announced.add(dialog)
        said = getattr(dialog, "spoken", None)
        if getattr(dialog, "urgent", False) and self.active:
            self.interrupt()  # (not queued behind a long text: the shopper has seconds to answer)
            self.reorient = True
        if callable(said):
            words = str(said())
            name, _, rest = words.partition(". ")
            if opener is self.focus_widget and self.focus_said and _bare(name) == _bare(self.focus_said):
                words = rest  # its name is the button's that opened it, just said: not twice in a row (what it
                # says next follows: what it offers, once known, or the control its focus goes to)
                self.named = (dialog, _bare(name))  # (nor by its heading, should Qt's focus pass it)
            self.say(words)


def belongs_to(widget: QWidget, window: QWidget) -> bool:
    """Whether `widget` is on `window` or on one of its dialogs (not on another test's window or a staff console)."""
    if not shiboken6.isValid(widget) or not window.isVisible():
        return False
    top: QWidget | None = widget.window()
    while top is not None:
        if top is window:
            return True
        parent = top.parentWidget()
        top = parent.window() if parent is not None else None
    return False


def _urgent(widget: QWidget) -> bool:
    """Whether `widget` is on an urgent dialog (the idle warning)."""
    return bool(getattr(widget.window(), "urgent", False))


def _urgent_open(window: QWidget) -> bool:
    return any(dialog.isVisible() and getattr(dialog, "urgent", False) for dialog in window.findChildren(QDialog))


def _dialog_open(window: QWidget) -> bool:
    return any(dialog.isVisible() for dialog in window.findChildren(QDialog))


def _speech_of(widget: QWidget) -> Speech | None:
    """The speech of the kiosk window `widget` is on, if any."""
    node: QWidget | None = widget
    while node is not None:
        speech = getattr(node, "speech", None)
        if isinstance(speech, Speech):
            return speech
        node = node.parentWidget()
    return None


def tell(widget: QWidget, words: str) -> None:
    """Say `words` for a change the shopper did not cause by a key (the queue moved on, a value changed): through the
    speech of the kiosk window `widget` is on, if any."""
    speech = _speech_of(widget)
    if speech is not None:
        speech.say(words)


class Unsaid(Protocol):
    """Ends an `unsaid_until`: with `say`, where the focus stands is said now."""

    def __call__(self, say: bool = False) -> None: ...


def _said_anyway(say: bool = False) -> None:
    """(Nothing to end: a scope without speech.)"""


def unsaid_until(scope: QWidget, most_ms: int) -> Unsaid:
    """Focus moves inside `scope` (a dialog that does not know yet what it offers) without a word until the returned
    function is called (what the dialog then says and where it puts the focus are said instead; with `say=True`,
    where the focus stands), or at most `most_ms`: then where the focus stands is said after all."""
    speech = _speech_of(scope)
    if speech is None:
        return _said_anyway
    speech.parked = scope
    ended = False

    def end(say: bool = False) -> None:
        nonlocal ended
        if ended or not shiboken6.isValid(scope):
            return
        ended = True
        if speech.parked is scope:
            speech.parked = None
            focused = QApplication.focusWidget()
            if say and focused is not None and scope.isAncestorOf(focused):
                speech.say_focus(focused)

    QTimer.singleShot(most_ms, scope, lambda: end(say=True))
    return end


@contextmanager
def unsaid(scope: QWidget) -> Iterator[None]:
    """Focus moves inside `scope` (a dialog) without a word while this lasts: a place to wait on while what the
    shopper chose is under way (what comes of it is said when it comes)."""
    speech = _speech_of(scope)
    if speech is not None:
        speech.parked = scope
    try:
        yield
    finally:
        if speech is not None:
            speech.parked = None
