"""The welcome (attract) screen and the choice of questionnaire."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from advisor.i18n import pick
from ui import spoken
from ui.screens.base import Screen
from ui.session import KioskSession
from ui.speech import tell
from ui.widgets import CardGrid, MoreBelow, OptionCard, button, icon, label, touch_scroll_area

CATEGORY_ICONS = {"tents": "tent", "sleeping_bags": "sleeping_bag", "backpacks": "backpack", "rain_jackets": "jacket"}


class WelcomeScreen(Screen):
    """A calm invitation with one large button; the kiosk returns here when a shopper leaves."""

    def __init__(self, session: KioskSession) -> None:
        super().__init__(session)
        self.outer.addStretch(2)
        self.picture = label("")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setPixmap(icon("mountain").pixmap(QSize(120, 120)))
        self.outer.addWidget(self.picture)
        self.title = label("", "Title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle = label("", "Subtitle")
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.outer.addWidget(self.title)
        self.outer.addWidget(self.subtitle)
        self.start = button("", "Primary")
        self.start.setMinimumWidth(360)
        self.start.clicked.connect(session.show_choices)
        self.outer.addSpacing(24)
        self.outer.addWidget(self.start, 0, Qt.AlignmentFlag.AlignCenter)
        # Help with a product the shopper owns, and accessibility mode, side by side under the start; one above the
        # other, each as wide as its words, where the two do not fit side by side (portrait, scaled or larger text).
        self.pair = QWidget()
        row = self.pair_row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.pair)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        self.help = button("", "", "repair")
        self.help.setMinimumWidth(300)
        self.help.clicked.connect(session.show_help)
        row.addWidget(self.help)
        self.accessible = button("", "", "accessibility")
        self.accessible.setMinimumWidth(300)
        self.accessible.clicked.connect(self._switch_accessible)
        row.addWidget(self.accessible)
        self.outer.addSpacing(12)
        self.outer.addWidget(self.pair, 0, Qt.AlignmentFlag.AlignHCenter)
        # How a shopper who cannot see the screen starts speech guidance (also said after a few quiet seconds).
        self.speech_hint = label("", "Muted")
        self.speech_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.outer.addWidget(self.speech_hint)
        self.status = label("", "Muted")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.outer.addWidget(self.status)
        # A mistake in the configuration: every line of it for store IT, scrolling where they do not all fit.
        self.problems = QWidget()
        column = QVBoxLayout(self.problems)
        column.setContentsMargins(0, 0, 0, 0)
        self.problems_title = label("", "Muted")
        column.addWidget(self.problems_title)
        self.problem_lines = label("")
        self.problem_lines.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.problem_area = touch_scroll_area(self.problem_lines)
        column.addWidget(self.problem_area, 1)
        self.problems_more = MoreBelow(self.problem_area)
        column.addWidget(self.problems_more)
        self.problems.setVisible(False)
        self.outer.addWidget(self.problems, 1)
        self.outer.addStretch(3)

    def show_problems(self, problems: str | None) -> None:
        """The configuration's mistakes (one a line, as the journal has them) under the welcome, in place of the
        picture and the invitation: the kiosk cannot advise until they are corrected; None: no mistakes."""
        shown = problems is not None
        self.problem_lines.setText(problems or "")
        self.problems.setVisible(shown)
        self.picture.setVisible(not shown)
        self.subtitle.setVisible(not shown)
        first, last = 0, self.outer.count() - 1  # the stretches around the welcome leave the room to the mistakes
        self.outer.setStretch(first, 0 if shown else 2)
        self.outer.setStretch(last, 0 if shown else 3)

    def first_focus(self) -> QWidget | None:
        return self.start

    def _arrange_pair(self) -> None:
        """Side by side where both fit at their words' width, else one above the other (never cut off)."""
        shown = [widget for widget in (self.help, self.accessible) if not widget.isHidden()]
        needed = sum(widget.sizeHint().expandedTo(widget.minimumSize()).width() for widget in shown)
        needed += self.pair_row.spacing() * (len(shown) - 1)
        margins = self.outer.contentsMargins()
        side_by_side = needed <= self.width() - margins.left() - margins.right()
        direction = QBoxLayout.Direction.LeftToRight if side_by_side else QBoxLayout.Direction.TopToBottom
        if self.pair_row.direction() != direction:
            self.pair_row.setDirection(direction)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange_pair()

    def _switch_accessible(self) -> None:
        """Accessibility mode on or off; switched off, speech says so first (it is silent after)."""
        if self.session.accessible:
            tell(self, self.t("speech.off"))
        self.session.set_accessible(not self.session.accessible)

    def spoken(self) -> str:
        session = self.session
        return spoken.welcome(locale=session.locale, address=session.address, guided=session.guided)

    def refresh(self) -> None:
        self.title.setText(self.t("welcome.title"))
        self.subtitle.setText(self.t("welcome.subtitle"))
        self.start.setText(self.t("welcome.start"))
        self.help.setText(self.t("help.start"))
        self.help.setVisible(bool(self.session.service_flows))
        self.accessible.setText(self.t("a11y.off" if self.session.accessible else "a11y.on"))
        self._arrange_pair()
        self.speech_hint.setText(self.t("speech.hint"))
        self.speech_hint.setVisible(not self.session.guided)
        self.status.setText("" if self.session.catalog is not None else "…")
        self.problems_title.setText(self.t("welcome.problems"))
        self.problems_more.setText(f"\u25bc {self.t('welcome.more_problems')} \u25bc")


class ChooseScreen(Screen):
    """One card per questionnaire: what are you looking for?"""

    def __init__(self, session: KioskSession) -> None:
        super().__init__(session)
        self.title = label("", "Title")
        self.outer.addWidget(self.title)
        self.grid = CardGrid(420)
        self.scrolling(self.grid)
        row = self.footer()
        row.addStretch(1)
        # A card, not a button: its two lines wrap with larger text or on a narrow screen.
        self.code = OptionCard("", "", "clock")
        self.code.setCheckable(False)
        self.code.setMinimumHeight(72)
        self.code.setMaximumWidth(560)
        self.code.clicked.connect(self._code)
        row.addWidget(self.code, 1)

    def first_focus(self) -> QWidget | None:
        return self.grid.cards[0] if self.grid.cards else None

    def spoken(self) -> str:
        return spoken.choose(count=len(self.grid.cards), locale=self.session.locale, address=self.session.address)

    def _code(self) -> None:
        from ui.code import CodeDialog

        self.code_dialog = CodeDialog(self.session, self)
        self.code_dialog.open()

    def refresh(self) -> None:
        self.code.set_texts(self.t("choose.code"), self.t("choose.code_hint"))
        self.code.setVisible(self.session.engine is not None)
        self.title.setText(self.t("choose.title"))
        self.back.setText(self.t("question.back"))
        cards: list[OptionCard] = []
        finders = self.session.finders
        total = len(finders) + (1 if self.session.service_flows else 0)
        for questionnaire in finders.values():
            card = OptionCard(
                pick(questionnaire.title, self.session.locale),
                pick(questionnaire.intro, self.session.locale),
                questionnaire.icon or CATEGORY_ICONS.get(questionnaire.category, "star"),
            )
            card.setCheckable(False)
            card.clicked.connect(lambda _=False, qid=questionnaire.id: self.session.start(qid))
            card.place = (len(cards) + 1, total)  # type: ignore[attr-defined]
            cards.append(card)
        if self.session.service_flows:  # help with a product the shopper owns: care, repair, spare parts
            card = OptionCard(self.t("help.start"), self.t("help.start.hint"), "repair")
            card.setCheckable(False)
            card.clicked.connect(self.session.show_help)
            card.place = (len(cards) + 1, total)  # type: ignore[attr-defined]
            cards.append(card)
        self.grid.set_cards(cards)
