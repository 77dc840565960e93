"""One question per screen, and the overview of the answers given so far."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from advisor.i18n import counted
from advisor.questionnaire.model import DONT_CARE, Step
from advisor.recommend.core import category_noun, display_answer
from ui import spoken
from ui.screens.base import Screen
from ui.session import KioskSession
from ui.speech import tell, unsaid_until
from ui.widgets import CardGrid, MoreBelow, NumberSlider, OptionCard, button, clear, label, readable


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


class QuestionScreen(Screen):
    """The current step: question, expert help, answers as large cards, progress and the live count."""

    def __init__(self, session: KioskSession) -> None:
        super().__init__(session)
        top = QHBoxLayout()
        self.progress_label = label("", "Progress", wrap=False)
        self.live_count = label("", "LiveCount", wrap=False)
        self.live_count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.progress_label)
        top.addStretch(1)
        top.addWidget(self.live_count)
        self.outer.addLayout(top)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("progress")
        self.outer.addWidget(self.progress)
        self.question = label("", "Question")
        readable(self.question, self.spoken)  # up from the answers: the question again, with progress and count
        self.outer.addWidget(self.question)
        self.kind_hint = label("", "Muted")  # "Choose any" for a multiple-choice question
        self.outer.addWidget(self.kind_hint)
        self.dropped = label("", "Muted")  # an answer the shopper went without so that something fits
        self.outer.addWidget(self.dropped)
        self.why = button("", "Link", "info")
        self.why.setCheckable(True)
        self.help = label("", "Help")
        self.help.setVisible(False)
        self.why.toggled.connect(self.help.setVisible)
        self.why.spoken = lambda: spoken.expander(  # type: ignore[attr-defined]  # (shows a text: not a tick box)
            name=self.why.text(),
            expanded=self.why.isChecked(),
            more=self.help.text(),
            locale=self.session.locale,
            address=self.session.address,
        )
        self.outer.addWidget(self.why, 0, Qt.AlignmentFlag.AlignLeft)
        self.outer.addWidget(self.help)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.setSpacing(16)
        self.area = self.scrolling(self.body)
        # Answers that go on below the area's edge (large text, a small screen): said under it, so that the last
        # answer cut off there does not look like the last one.
        self.more = MoreBelow(self.area)
        self.outer.addWidget(self.more)
        row = self.footer()
        self.overview = button("", "", "check")
        self.overview.clicked.connect(session.show_overview)
        self.next = button("", "Primary")
        self.next.clicked.connect(self._confirm)
        row.addWidget(self.overview)
        row.addStretch(1)
        row.addWidget(self.next)
        self.cards: dict[str, OptionCard] = {}
        self.value: Any = None
        self.step: Step | None = None
        self.built_for: tuple[object, str, str] | None = None  # the advice, step and answers the answers were built for
        self.number_changed = False  # the number moved or a tick changed since it was built (not confirmed yet)
        self.count: int | None = None  # how many fit, as the screen says (with what is ticked or set, not confirmed)
        self.nearest: QPushButton | None = None  # a number's way out of "0 passen": "Auf 300 € stellen – …"
        self.count_changed = False  # the last tick changed how many fit (said once after the tick: `_count_news`)

    def first_focus(self) -> QWidget | None:
        if self.step is not None and self.step.kind == "number":
            skipped = self.cards.get(DONT_CARE)  # "Weiß ich nicht" given before: the answer the shopper gave
            return skipped if skipped is not None and skipped.isChecked() else self.slider
        chosen = [card for card in self.cards.values() if card.isChecked()]
        return chosen[0] if chosen else next(iter(self.cards.values()), None)

    def spoken(self) -> str:
        session = self.session
        if self.step is None or session.state is None:
            return ""
        count = self.count
        category = category_noun(session.index, session.locale, count) if session.index else ""
        return spoken.question(
            step=self.step, progress=session.progress(), count=count, category=category,
            answer=session.state.answers.get(self.step.id), guided=session.guided, locale=session.locale,
            address=session.address, dropped=self.dropped.text(),
            service=session.service, ready=self.step.kind != "multiple" or self.next.isEnabled(),
        )  # fmt: skip

    def refresh(self) -> None:
        session = self.session
        assert session.questionnaire is not None and session.state is not None
        step = session.questionnaire.step(session.state.current or session.questionnaire.steps[0].id)
        # The same question rebuilt (another language, accessibility mode): a number changed but not confirmed yet
        # keeps its value; a new question, or another shopper's, starts from the answer given.
        built_for = (session.advice, step.id, repr(session.state.answers))
        same = self.built_for is not None and self.built_for[0] is built_for[0] and self.built_for[1:] == built_for[1:]
        previous = session.state.answers.get(step.id)
        kept = same and step.kind in ("number", "multiple") and self.number_changed
        if kept:
            previous = self.value
        self.built_for = built_for
        self.step = step
        self.nearest = None  # (built with a number's answers, below)
        progress = session.progress()
        if progress is not None:
            self.progress_label.setText(self.t("question.progress", done=progress.position, total=progress.total))
            self.progress.setMaximum(max(1, progress.total))
            self.progress.setValue(progress.position - 1)
        self.question.setText(self.pick(step.question))
        self.question.setAccessibleName(self.pick(step.question))
        self.kind_hint.setText(self.t("question.choose_any") if step.kind == "multiple" else "")
        self.kind_hint.setVisible(step.kind == "multiple")
        dropped = session.advice.dropped_note(step.id, session.locale) if session.advice is not None else ""
        self.dropped.setText(dropped)
        self.dropped.setVisible(bool(dropped))
        self.why.setText(self.t("question.why"))
        self.why.setChecked(False)
        self.why.setVisible(bool(step.help))
        self.help.setText(self.pick(step.help) if step.help else "")
        self.back.setText(self.t("question.back"))
        self.overview.setText(self.t("overview.title"))
        self.overview.setVisible(bool(session.state.answers))
        self.next.setText(self.t("question.next"))
        self.more.setText(f"\u25bc {self.t('question.more_below')} \u25bc")
        self._build_answers(step, previous)
        self.number_changed = kept  # (still not confirmed: kept again on the next rebuild)

    def _build_answers(self, step: Step, previous: Any) -> None:
        clear(self.body_layout)
        portrait = self.window().height() > self.window().width()
        if portrait:  # a tall screen: the answers sit by the navigation, not at head height
            self.body_layout.addStretch(1)
        self.cards = {}
        self.value = previous
        if step.kind == "number":
            self._build_number(step, previous)
        else:
            grid = CardGrid(340)
            cards: list[OptionCard] = []
            choices: list[tuple[str, str, str, str | None]] = []
            if step.kind == "yes_no":
                choices = [("yes", self.t("question.yes"), "", "check"), ("no", self.t("question.no"), "", "cross")]
            else:
                choices = [(o.id, self.pick(o.label), self.pick(o.description) if o.description else "", o.icon)
                           for o in step.options]  # fmt: skip
            if step.dont_care:
                choices.append((DONT_CARE, self._dont_care_words(), "", None))
            for key, title, description, icon_name in choices:
                card = OptionCard(title, description, icon_name)
                card.setChecked(self._was_chosen(step, key, previous))
                card.clicked.connect(lambda _=False, key=key: self._choose(key))
                card.spoken = self._option_words(card, len(cards) + 1, len(choices), multiple=step.kind == "multiple")  # type: ignore[attr-defined]
                if step.kind == "multiple":
                    card.news = self._count_news  # type: ignore[attr-defined]  # (four keys: said after its tick)
                self.cards[key] = card
                cards.append(card)
            grid.set_cards(cards)
            self.body_layout.addWidget(grid)
        if not portrait:
            self.body_layout.addStretch(1)
        self.next.setVisible(step.kind in ("multiple", "number"))
        self._update_next()

    def _dont_care_words(self) -> str:
        """The skip answer's words ("Ist mir egal", in a help flow "Weiß ich nicht")."""
        advice = self.session.advice
        return self.t(advice.skip_key if advice is not None else "question.dont_care")

    def _option_words(self, card: OptionCard, index: int, count: int, *, multiple: bool) -> Any:
        """What an answer card says when it gets focus: label, state, position, description."""
        return lambda: spoken.option(
            title=card.accessibleName(), description=card.accessibleDescription(), index=index, count=count,
            selected=card.isChecked(), multiple=multiple, locale=self.session.locale,
        )  # fmt: skip

    @staticmethod
    def _was_chosen(step: Step, key: str, previous: Any) -> bool:
        if previous is None:
            return False
        if previous == DONT_CARE:
            return key == DONT_CARE
        if step.kind == "yes_no":
            return key == ("yes" if previous else "no")
        if step.kind == "multiple":
            return isinstance(previous, tuple) and key in previous
        return bool(key == previous)

    def _build_number(self, step: Step, previous: Any) -> None:
        low, high = step.min or 0, step.max or 100
        stride = step.step or 1
        start = previous if isinstance(previous, int | float) else step.default if step.default is not None else low
        self.value = start
        self.number_label = label("", "NumberValue")
        self.number_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row = QHBoxLayout()
        minus = button("−")
        plus = button("+")
        for control in (minus, plus):
            control.setMinimumSize(96, 96)
            control.setStyleSheet("font-size: 36px; font-weight: bold;")
        unit = spoken.unit_said(step.unit, self.session.locale)  # said "Weniger Zentimeter", not read as a sign
        minus.setAccessibleName(self.t("question.less", unit=unit).strip())
        plus.setAccessibleName(self.t("question.more", unit=unit).strip())
        self.slider = NumberSlider()
        self.slider.setRange(0, int(round((high - low) / stride)))
        self.slider.setValue(int(round((start - low) / stride)))
        self.slider.setMinimumHeight(64)
        self.slider.setAccessibleName(self.pick(step.question))
        self.number_changed = False
        self.slider.valueChanged.connect(lambda position: self._slid(low + position * stride))
        self.slider.confirmed.connect(self._confirm)  # select on the value: the answer, and on
        self.slider.value_words = self._number_words  # type: ignore[attr-defined]
        self.slider.after_change = self._after_number  # type: ignore[attr-defined]  # (four keys: done, then on)
        self.slider.outcome = self._outcome_words  # type: ignore[attr-defined]  # (said at "Fertig")
        self.slider.spoken = lambda: spoken.number_control(  # type: ignore[attr-defined]
            value=self._number_words(), locale=self.session.locale, address=self.session.address
        )
        self.steppers = (minus, plus)
        minus.clicked.connect(lambda: self.slider.setValue(self.slider.value() - 1))
        plus.clicked.connect(lambda: self.slider.setValue(self.slider.value() + 1))
        row.addWidget(minus)
        row.addWidget(self.slider, 1)
        row.addWidget(plus)
        self.body_layout.addWidget(self.number_label)
        self.body_layout.addLayout(row)
        ends = QHBoxLayout()  # the scale's ends under the slider, in whole numbers with the unit
        ends.setContentsMargins(112, 0, 112, 0)
        ends.addWidget(label(display_answer(step, _whole(low), self.session.locale), "Muted", wrap=False))
        ends.addStretch(1)
        ends.addWidget(label(display_answer(step, _whole(high), self.session.locale), "Muted", wrap=False))
        self.body_layout.addLayout(ends)
        # With this number nothing fits: the nearest one with which something does, one tap (or key) away
        self.nearest = button("", "", "check")
        self.nearest.setVisible(False)
        self.nearest.clicked.connect(self._to_nearest)
        self.body_layout.addWidget(self.nearest, 0, Qt.AlignmentFlag.AlignHCenter)
        if step.dont_care:
            card = OptionCard(self._dont_care_words())
            card.clicked.connect(lambda _=False: self._choose(DONT_CARE))
            card.spoken = self._option_words(card, 1, 1, multiple=False)  # type: ignore[attr-defined]
            self.cards[DONT_CARE] = card
            self.body_layout.addWidget(card)
        self._set_number(start)
        if previous == DONT_CARE:  # "doesn't matter" given before: still ticked, and Weiter goes on with it
            self.cards[DONT_CARE].setChecked(True)
            self.value = DONT_CARE

    def _slid(self, value: float) -> None:
        self.number_changed = True
        self._set_number(value)

    def _set_number(self, value: float) -> None:
        assert self.step is not None
        self.value = int(value) if float(value).is_integer() else value
        self.number_label.setText(display_answer(self.step, self.value, self.session.locale))
        if DONT_CARE in self.cards:
            self.cards[DONT_CARE].setChecked(False)
        self._update_next()
        focus = QApplication.focusWidget()
        if self.slider.hasFocus() or (focus is not None and focus in self.steppers):
            tell(self, self._number_words())  # "4 Personen", as the value changes (by the slider or − and +)

    def _number_words(self) -> str:
        slider = self.slider
        return spoken.number(
            value_text=self.number_label.text(), at_lowest=slider.value() == slider.minimum(),
            at_highest=slider.value() == slider.maximum(), locale=self.session.locale,
        )  # fmt: skip

    def _after_number(self) -> QWidget:
        """Where the four keys go once a number is set: the nearest value that fits where nothing does (select takes
        it), else Next."""
        nearest = self.nearest
        return nearest if nearest is not None and nearest.isVisible() else self.next

    def _outcome_words(self) -> str:
        """What a number set comes to, as the screen shows it: the live count ("0 Zelte passen") and, where nothing
        fits, the nearest value that does ("Auf 4 Personen stellen – 2 Zelte passen")."""
        nearest = self.nearest
        offer = nearest.accessibleName() if nearest is not None and nearest.isVisible() else ""
        return spoken.sentences(self.live_count.text(), offer)

    def _count_news(self) -> str:
        """How many fit now, where the tick just given changed it ("4 Zelte passen"); said once."""
        changed, self.count_changed = self.count_changed, False
        return spoken.sentences(self.live_count.text()) if changed else ""

    def _choose(self, key: str) -> None:
        step = self.step
        assert step is not None
        if step.kind == "multiple" and key != DONT_CARE:
            if DONT_CARE in self.cards:
                self.cards[DONT_CARE].setChecked(False)
            self.value = tuple(k for k, card in self.cards.items() if card.isChecked() and k != DONT_CARE)
            self.number_changed = True  # (ticks not confirmed yet survive a rebuild of the screen)
            before = self.count
            self._update_next()
            self.count_changed = self.count != before
            return
        if step.kind == "number" and key == DONT_CARE:
            self.session.answer(DONT_CARE)
            return
        value: Any = key if step.kind != "yes_no" or key == DONT_CARE else key == "yes"
        self.session.answer(value)

    def _update_next(self) -> None:
        assert self.step is not None
        if self.step.kind == "multiple":
            self.next.setEnabled(bool(self.value))  # ("doesn't matter" given before: on with it)
        else:
            self.next.setEnabled(True)
        self._show_count()

    def _show_count(self) -> None:
        """How many still fit: with a choice ticked or a number set and not confirmed yet, as they would with it
        ("Laptopfach" ticked: "Leider passt nichts" shows before Weiter, not after)."""
        session, step = self.session, self.step
        pending = step is not None and step.kind in ("multiple", "number") and self.value not in (None, ())
        if pending and session.advice is not None and step is not None:
            self.count = session.advice.live_count_if(step.id, self.value)
        else:
            self.count = session.live_count()
        category = category_noun(session.index, session.locale, self.count) if session.index else ""
        self.live_count.setText(
            "" if self.count is None else counted("question.live_count", self.count, session.locale,
                                                  session.address, category=category)
        )  # fmt: skip
        self._show_nearest(pending)

    def _show_nearest(self, pending: bool) -> None:
        """A number with which nothing fits: the nearest with which something does, to set in one go ("Auf 300 €
        stellen – 2 Regenjacken passen"); hidden otherwise."""
        session, step, nearest = self.session, self.step, self.nearest
        if nearest is None or step is None or step.kind != "number":
            return
        found = None
        if pending and self.count == 0 and session.advice is not None and isinstance(self.value, int | float):
            found = session.advice.nearest_fitting(step.id, self.value)
        if found is None:
            nearest.setVisible(False)
            return
        value, count = found
        category = category_noun(session.index, session.locale, count) if session.index else ""
        fits = counted("question.live_count", count, session.locale, session.address, category=category)
        words = self.t("question.nearest", value=display_answer(step, value, session.locale), fits=fits)
        nearest.setText(words.replace("&", "&&"))  # (as `button` shows an "&")
        nearest.setAccessibleName(words)
        nearest.setProperty("value", value)
        nearest.setVisible(True)

    def _to_nearest(self) -> None:
        """Set the number to the nearest with which something fits (not confirmed: Weiter goes on with it). The focus
        goes to the slider first, without a word (not to "Ist mir egal" below the button that goes, nor the old
        value said): then the new value and its count ("250 Euro. 1 Regenjacke passt.")."""
        step, nearest = self.step, self.nearest
        if step is None or nearest is None:
            return
        low, stride = step.min or 0, step.step or 1
        unsaid = unsaid_until(self.slider, 1000)
        self.slider.setFocus(Qt.FocusReason.OtherFocusReason)
        unsaid()
        self.slider.setValue(int(round((float(nearest.property("value")) - low) / stride)))  # (says the value)
        tell(self, spoken.sentences(self.live_count.text()))

    def _confirm(self) -> None:
        if self.value is not None and self.value != ():
            self.session.answer(self.value)


class OverviewScreen(Screen):
    """The answers so far; any of them can be changed from here."""

    def __init__(self, session: KioskSession) -> None:
        super().__init__(session)
        self.title = label("", "Title")
        self.outer.addWidget(self.title)
        self.list = QWidget()
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setSpacing(12)
        self.scrolling(self.list)
        self.footer().addStretch(1)
        self.changes: list[QWidget] = []

    def first_focus(self) -> QWidget | None:
        return self.changes[0] if self.changes else None

    def spoken(self) -> str:
        return spoken.overview(count=len(self.changes), locale=self.session.locale, address=self.session.address)

    def refresh(self) -> None:
        from advisor import engine

        session = self.session
        assert session.questionnaire is not None and session.state is not None and session.advice is not None
        self.title.setText(self.t("overview.title"))
        self.back.setText(self.t("question.back"))
        clear(self.list_layout)
        self.changes = []
        for step_id in engine.path_of(session.questionnaire, session.state.answers):
            if step_id not in session.state.answers:
                continue
            step = session.questionnaire.step(step_id)
            row = QHBoxLayout()
            texts = QVBoxLayout()
            texts.addWidget(label(self.pick(step.question), "Muted"))
            texts.addWidget(label(session.advice.answer_text(step_id), "CardTitle"))
            row.addLayout(texts, 1)
            change = button(self.t("overview.change"))
            change.setAccessibleName(f"{self.t('overview.change')}: {self.pick(step.question)}")
            change.setAccessibleDescription(session.advice.answer_text(step_id))
            change.clicked.connect(lambda _=False, step_id=step_id: session.change(step_id))
            self.changes.append(change)
            row.addWidget(change)
            holder = QWidget()
            holder.setObjectName("Card")
            holder.setLayout(row)
            row.setContentsMargins(16, 12, 16, 12)
            self.list_layout.addWidget(holder)
        self.list_layout.addStretch(1)
