"""A walk in accessibility mode, as a shopper with low vision: the summary on screen as large as the rest, the voice
saying what the repair's last page shows, answers that go on below the screen's edge said so, and the top bar's
accessibility button keeping its words at 1024x768."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from advisor.paths import questionnaires_dir
from ui import session as views
from ui.layout_check import hidden_below, layout_problems
from ui.repair_order import DONE_PAGE, RepairDialog
from ui.screens.question import QuestionScreen
from ui.screenshots import open_kiosk, settle, tour, walk_answer
from ui.speech import RecordingVoice
from ui.talk import TalkDialog, summary_html
from ui.theme import HIGH_CONTRAST, contrast

SMALL = QSize(1024, 768)
SHIPPED = sorted(path.stem for path in questionnaires_dir().glob("*.yaml"))  # the finders and the help flows


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('accessible') / 'kiosk.sqlite3'}"


def walk_to(qtbot: QtBot, database: str, name: str, size: QSize = SMALL, questionnaire: str | None = None) -> QWidget:
    """The accessible tour in English up to the screen or dialog called `name`, shown."""
    app, session, window = open_kiosk(locale="en", size=size, db_url=database, voice=RecordingVoice())
    qtbot.addWidget(window)
    for seen, shown in tour(app, session, window, accessible=True, questionnaire=questionnaire):
        if seen == name:
            return shown
    raise AssertionError(f"the tour never showed {name}")


def test_the_summary_on_screen_is_as_large_and_dark_as_the_mode_while_the_paper_stays_10pt(
    qtbot: QtBot, database: str
) -> None:
    dialog = walk_to(qtbot, database, "talk-summary", QSize(1280, 800))
    assert isinstance(dialog, TalkDialog)
    # (the summary comes once the session is stored, off the screen's thread: on a busy machine after the tour)
    qtbot.waitUntil(lambda: bool(dialog.resume_code) and dialog.resume_code[:4] in dialog.summary_view.toPlainText())
    document = dialog.summary_view.document()
    block, sizes, colours = document.begin(), [], set()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.text().strip():
                font = fragment.charFormat().font()
                pixels = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * 96 / 72
                sizes.append((round(pixels), fragment.text()))
                colours.add(fragment.charFormat().foreground().color().name())
            fragments += 1
        block = block.next()
    smallest = min(sizes)
    assert smallest[0] >= HIGH_CONTRAST.base_size, f"{smallest[1]!r} at {smallest[0]} px"  # the date, "Continue at"
    assert all(contrast(colour, HIGH_CONTRAST.surface) >= 12 for colour in colours), colours  # no grey
    title = next(pixels for pixels, words in sizes if words.startswith("Your advice"))
    assert title > HIGH_CONTRAST.base_size * 1.5, "the title stands out above the larger text"
    assert dialog.summary_view.toPlainText().count(dialog.resume_code[:4]) == 1
    paper = summary_html(dialog.session, dialog.resume_code)
    style = paper.split("</style>")[0]  # (a cell's padding is in px: the only unit Qt's rich text takes for it)
    assert "font-size: 10pt" in style and not re.search(r"font-size: [\d.]+px", style), "printed and PDF in pt"


@pytest.mark.parametrize("public", [False, True], ids=["no-web-address", "public-web"])
def test_after_a_repair_order_the_voice_says_what_the_page_shows_only_that(
    qtbot: QtBot, database: str, public: bool
) -> None:
    dialog = walk_to(qtbot, database, "help-repair", QSize(1280, 800))
    assert isinstance(dialog, RepairDialog)
    session = dialog.session
    if not public:
        session.public_base_url = "http://localhost:8000"
    assert session.public_web is public
    voice = session_voice(dialog)
    mark = len(voice.spoken)
    dialog._done(SimpleNamespace(pickup_code="C9QR7RXN", expected_ready=None, turnaround_days=7))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == DONE_PAGE)
    said = dialog.done_words()
    assert dialog.bring.isVisible() and dialog.bring.text().startswith("Bring the product to the service desk")
    assert "C, 9, Q, R, 7, R, X, N" in said
    assert "ready about 7 days after you hand it in; you need the code again to collect it." in said
    assert said.index("Pickup code") < said.index("Bring the product")
    assert ("on your phone" in said) is public, "the follow line only where it and its QR code are shown"
    assert dialog.follow.isVisible() is public and dialog.qr.isVisible() is public
    qtbot.waitUntil(lambda: len(voice.spoken) > mark)
    heard = " ".join(str(words) for words in voice.spoken[mark:])
    assert "Bring the product to the service desk" in heard and ("on your phone" in heard) is public


def session_voice(widget: QWidget) -> RecordingVoice:
    window = widget.parentWidget()
    while window is not None and not hasattr(window, "speech"):
        window = window.parentWidget()
    assert window is not None
    voice = window.speech.voice  # type: ignore[attr-defined]
    assert isinstance(voice, RecordingVoice)
    return voice


def test_at_1024x768_every_question_shows_its_answers_or_says_that_more_are_below(qtbot: QtBot, database: str) -> None:
    """Every question of every shipped finder and help flow: at least two answers (or all) wholly in view, and where
    the answers go on below the area's edge, a line says so; scrolled to the end, it goes."""
    problems = [problem for questionnaire in SHIPPED for problem in question_problems(qtbot, database, questionnaire)]
    assert problems == []


def question_problems(qtbot: QtBot, database: str, questionnaire: str) -> list[str]:
    """What is wrong on the questions of one questionnaire, walked in accessibility mode at 1024x768."""
    app, session, window = open_kiosk(locale="en", size=SMALL, db_url=database, voice=RecordingVoice())
    qtbot.addWidget(window)
    session.set_accessible(True)
    if questionnaire in session.service_flows:
        session.show_help()
        session.start(questionnaire)
        session.skip_product()
    else:
        session.start(questionnaire)
    finder = session.questionnaires[questionnaire]
    problems, seen = [], 0
    while session.view == views.QUESTION and session.state is not None and session.state.current is not None:
        step = finder.step(session.state.current)
        screen = window.screen_for(views.QUESTION)
        assert isinstance(screen, QuestionScreen)
        qtbot.waitUntil(lambda s=screen, step=step: window.stack.currentWidget() is s and s.step is step)
        settle(app, lambda: True)
        seen += 1
        problems += [
            f"{questionnaire} {step.id}: {problem}" for problem in hidden_below(screen) + layout_problems(window)
        ]
        viewport = screen.area.viewport()

        def in_view(widget: QWidget, viewport: QWidget = viewport) -> bool:
            return viewport.rect().contains(QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size()))

        if step.kind == "number":  # the slider and its buttons in view; "Don't know" may be below, said so
            if not in_view(screen.slider):
                problems.append(f"{questionnaire} {step.id}: the slider is not wholly in view")
        else:
            cards = list(screen.cards.values())
            whole = [card for card in cards if in_view(card)]
            if len(whole) < min(2, len(cards)):
                problems.append(f"{questionnaire} {step.id}: only {len(whole)} of {len(cards)} answers wholly in view")
        if screen.more.isVisible():
            bar = screen.area.verticalScrollBar()
            bar.setValue(bar.maximum())
            qtbot.waitUntil(lambda s=screen: not s.more.isVisible())  # at the end the sign goes
        session.answer(walk_answer(session, step))
    window.close()
    session.writes.wait()
    assert seen, f"{questionnaire}: no question walked"
    return problems


def test_at_1024x768_the_accessibility_button_keeps_its_words_once_the_mode_is_on(qtbot: QtBot, database: str) -> None:
    welcome = walk_to(qtbot, database, "welcome")
    bar = welcome.top_bar  # type: ignore[attr-defined]
    assert bar.accessible.isChecked() and bar.accessible.text() == "Accessible"
    assert bar.language.text() == "DE", "the language button gives up its word first: its globe and DE"
    assert bar.language.accessibleName() == "Deutsch", "said in full"
    assert layout_problems(welcome) == []


def test_the_pickup_code_after_a_repair_order_never_breaks_at_its_hyphen(qtbot: QtBot, database: str) -> None:
    """ "Bring it in … C9QR-" / "7RXN" on two lines is half a code: both lines keep it whole (a no-break hyphen)."""
    dialog = walk_to(qtbot, database, "help-repair", QSize(1280, 800))
    assert isinstance(dialog, RepairDialog)
    dialog._done(SimpleNamespace(pickup_code="C9QR7RXN", expected_ready=None, turnaround_days=7))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == DONE_PAGE)
    for shown in (dialog.bring.text(), dialog.done_code.text()):
        assert "C9QR\u20117RXN" in shown and "C9QR-" not in shown, shown
    assert "C, 9, Q, R, 7, R, X, N" in dialog.done_words(), "the voice still spells it"
