"""`advisor screenshots DIR`: walk the tent finder by script and save every screen as PNG."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from advisor.questionnaire.model import Example, Questionnaire
from ui.app import create_application, follow_accessibility, load_questionnaires
from ui.session import KioskSession
from ui.talk import PHONE_PAGE, SUMMARY_PAGE, TalkDialog
from ui.window import KioskWindow

QUESTIONNAIRE = "tent-finder"


def _example(questionnaire: Questionnaire, *, no_match: bool) -> Example | None:
    return next((e for e in questionnaire.examples if e.no_match == no_match and (no_match or e.include)), None)


def take_screenshots(folder: Path, *, locale: str, size: QSize, db_url: str | None = None) -> list[Path]:
    """Render the screens a shopper walks through; returns the files written."""
    app = create_application()
    folder.mkdir(parents=True, exist_ok=True)
    from advisor.bootstrap import open_database
    from advisor.recommend.index import build_index

    session = KioskSession(load_questionnaires(), locale=locale)
    session.engine = open_database(db_url)
    session.set_catalog(build_index(session.engine))
    window = KioskWindow(session)
    window.resize(size)
    window.show()
    written: list[Path] = []

    def settle(ready: Callable[[], bool], seconds: float = 10) -> None:
        """Let background work (the database, off the GUI thread) come back before shooting."""
        deadline = time.monotonic() + seconds
        while not ready() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)

    def shoot_dialog(name: str, dialog: QWidget) -> None:
        app.processEvents()
        path = folder / f"{len(written) + 1:02d}-{name}.png"
        dialog.grab().save(str(path))
        written.append(path)

    def shoot(name: str) -> None:
        app.processEvents()
        if session.view == "results":
            results = window.screen("results")
            deadline = time.monotonic() + 10
            while not (results.products.cards or results.offers.findChildren(QPushButton)):  # type: ignore[attr-defined]
                app.processEvents()  # the products fill in after the screen's first paint
                if time.monotonic() > deadline:
                    break
        for _ in range(3):  # the products' rows settle their heights over a few layout passes
            app.processEvents()
        path = folder / f"{len(written) + 1:02d}-{name}.png"
        window.grab().save(str(path))
        written.append(path)

    follow_accessibility(window)
    shoot("welcome")
    session.set_accessible(True)
    shoot("welcome-accessible")
    session.start(QUESTIONNAIRE)
    shoot("question-accessible")
    session.reset()
    session.set_accessible(False)
    session.show_choices()
    shoot("choose")
    questionnaire = session.questionnaires[QUESTIONNAIRE]
    example = _example(questionnaire, no_match=False)
    answers = dict(example.answers) if example else {}
    session.start(QUESTIONNAIRE)
    while session.state is not None and session.state.current is not None:
        step_id = session.state.current
        shoot(f"question-{step_id}")
        step = questionnaire.step(step_id)
        value = answers.get(step_id)
        if value is None:
            value = step.options[0].id if step.options else step.default if step.kind == "number" else True
        session.answer(
            tuple(value)
            if isinstance(value, list)
            else (value,)
            if step.kind == "multiple" and isinstance(value, str)
            else value
        )
    shoot("results")
    result = session.recommendation()
    if result is not None and result.products:
        for item in result.products[:3]:
            session.toggle_compare(item.sku)
        session.show_compare()
        shoot("compare")
        session.show_detail(result.products[0].sku)
        shoot("detail")
        session.back()
        talk = TalkDialog(session, window)
        talk.resize(960, 640)
        talk.show()
        shoot_dialog("talk", talk)
        talk.show_phone()
        settle(lambda: talk.pages.currentIndex() == PHONE_PAGE)
        shoot_dialog("talk-phone", talk)
        talk.show_summary()
        settle(lambda: talk.pages.currentIndex() == SUMMARY_PAGE)
        shoot_dialog("talk-summary", talk)
        talk.reject()
    session.show_overview()
    shoot("overview")
    empty = _example(questionnaire, no_match=True)
    if empty is not None:
        session.start(QUESTIONNAIRE)
        session.set_answers(empty.answers)
        session.show_overview()
        session.back()
        shoot("no-match")
    window.close()
    QApplication.processEvents()
    return written
