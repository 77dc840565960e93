"""Reading the question and its options aloud in accessibility mode, where QtTextToSpeech has a voice."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, QObject

from advisor.i18n import pick, text
from ui import session as views
from ui.session import KioskSession


def _real(name: str) -> bool:
    return name != "mock"  # Qt's test engine speaks to nobody


def spoken_question(session: KioskSession) -> str:
    """What is read for the question on screen: the question, then each answer."""
    if session.questionnaire is None or session.state is None or session.state.current is None:
        return ""
    step = session.questionnaire.step(session.state.current)
    locale, parts = session.locale, [pick(step.question, session.locale)]
    if step.kind in ("single", "multiple"):
        parts += [pick(option.label, locale) for option in step.options]
    elif step.kind == "yes_no":
        parts += [text("question.yes", locale), text("question.no", locale)]
    if step.dont_care:
        parts.append(text("question.dont_care", locale))
    return ". ".join(parts)


class Reader(QObject):
    """Says the question when a new one shows in accessibility mode (nothing without an engine)."""

    def __init__(self, session: KioskSession, engine: str | None = None) -> None:
        super().__init__(session)
        self.session = session
        self.engine = engine
        self.speech: Any = None
        self.tried = False
        self.last = ""
        self.spoken: list[str] = []  # what was read, for tests
        session.changed.connect(self.read)

    def _voice(self) -> Any:
        """The text-to-speech engine, made on first use (loading it costs time; a kiosk may never need it)."""
        if not self.tried:
            self.tried = True
            try:
                from PySide6.QtTextToSpeech import QTextToSpeech
            except ImportError:  # a Qt without text to speech: the kiosk works on, silently
                return None
            engines = [name for name in QTextToSpeech.availableEngines() if _real(name) or name == self.engine]
            if engines:
                speech = QTextToSpeech(self.engine if self.engine in engines else engines[0], self)
                if speech.state() != QTextToSpeech.State.Error:
                    self.speech = speech
        return self.speech

    def read(self) -> None:
        if not self.session.accessible or self.session.view != views.QUESTION:
            self.last = ""
            return
        words = spoken_question(self.session)
        if not words or words == self.last:
            return
        self.last = words
        self.spoken.append(words)
        if self._voice() is not None:
            self.speech.setLocale(
                QLocale(QLocale.Language.German if self.session.locale == "de" else QLocale.Language.English)
            )
            self.speech.say(words)
