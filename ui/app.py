"""Start the kiosk: the window appears at once, the catalog index is built behind it, off the GUI thread."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from advisor.questionnaire.library import QuestionnaireLibrary
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.index import CatalogIndex
from ui.session import KioskSession
from ui.theme import Theme, style_sheet
from ui.window import KioskWindow


def load_library(paths: list[Path] | None = None) -> QuestionnaireLibrary:
    """The questionnaires that load without errors (broken files are left out, never shown to a shopper)."""
    from advisor.paths import questionnaires_dir
    from advisor.questionnaire.files import questionnaire_files

    library = QuestionnaireLibrary()
    for result in library.load(questionnaire_files(paths or [questionnaires_dir()])):
        for finding in result.findings:
            if finding.severity == "error":
                sys.stderr.write(finding.as_text() + "\n")
    return library


def load_questionnaires(folder: Path | None = None) -> dict[str, Questionnaire]:
    return load_library([folder] if folder else None).questionnaires


def open_catalog(db_url: str | None) -> CatalogIndex:
    """Open (and on first start fill) the database and build the in-memory index."""
    from advisor.bootstrap import open_database
    from advisor.recommend.index import build_index

    return build_index(open_database(db_url))


def create_application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Nordgrat Advisor")
    app.setStyleSheet(style_sheet(Theme()))
    return app


async def run_off_gui_thread(
    work: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[Exception], None]
) -> None:
    """Run `work` in a worker thread; call `done` or `failed` back on the GUI thread."""
    loop = asyncio.get_running_loop()
    try:
        result = await loop.run_in_executor(None, work)
    except Exception as error:  # noqa: BLE001 - shown to the user, never a crash
        failed(error)
        return
    done(result)


def run_kiosk(*, db_url: str | None, fullscreen: bool) -> int:
    """Open the kiosk window and run the event loop until it closes."""
    import qasync

    from advisor.paths import questionnaires_dir
    from ui.reload import QuestionnaireWatcher

    app = create_application()
    library = load_library()
    session = KioskSession(library.questionnaires)
    window = KioskWindow(session)
    watcher = QuestionnaireWatcher(library, [questionnaires_dir()], [])
    watcher.reloaded.connect(lambda _result: session.set_questionnaires(library.questionnaires))
    window.resize(1280, 800)
    if fullscreen:
        window.showFullScreen()
    else:
        window.show()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)

    def failed(error: Exception) -> None:
        window.screens["welcome"].status.setText(f"{error}")  # type: ignore[attr-defined]

    with loop:
        loop.create_task(run_off_gui_thread(lambda: open_catalog(db_url), session.set_catalog, failed))
        loop.run_until_complete(closing.wait())
    return 0
