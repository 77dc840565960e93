"""Start the kiosk: the window appears at once, the catalog index is built behind it, off the GUI thread."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from ui.session import KioskSession
from ui.theme import Theme, style_sheet
from ui.window import KioskWindow

if TYPE_CHECKING:
    from advisor.config import Config
    from advisor.questionnaire.library import QuestionnaireLibrary
    from advisor.questionnaire.model import Questionnaire
    from advisor.recommend.index import CatalogIndex, IndexCache


def load_questionnaires(folder: Path | None = None) -> dict[str, Questionnaire]:
    from advisor.questionnaire.library import load_library

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


class FirstPaint(QObject):
    """Calls back once, when a widget has painted for the first time (start-up measurement)."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self.callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and self.callback is not None:
            callback, self.callback = self.callback, None
            QTimer.singleShot(0, callback)
        return False


CATALOG_CHECK_MS = 60_000  # how often a running kiosk looks whether the catalog changed
PURGE_MS = 3_600_000  # expired advice sessions (and their requests and chats) are deleted every hour


def _load_everything(db_url: str | None, config_file: str | None) -> tuple[Config, QuestionnaireLibrary, IndexCache]:
    """The slow part of start-up, off the GUI thread: configuration, questionnaire files, database, catalog index."""
    from advisor.bootstrap import open_database
    from advisor.config import database_url_of, load_config
    from advisor.questionnaire.library import load_library
    from advisor.recommend.index import IndexCache

    config = load_config(config_file)
    cache = IndexCache(open_database(db_url or database_url_of(config)))
    cache.get()
    return config, load_library(), cache


def themes(config: Config | None) -> tuple[Theme, Theme]:
    """The store's theme and the accessibility mode's (high contrast, larger text)."""
    from ui.theme import HIGH_CONTRAST

    if config is None:
        return Theme(), HIGH_CONTRAST
    colours = config.theme.model_dump(exclude={"logo"})
    return Theme.from_config(colours, str(config.theme.logo) if config.theme.logo else None), HIGH_CONTRAST


def follow_accessibility(window: KioskWindow, voice: str | None = None) -> None:
    """Switch the style sheet when the shopper turns accessibility mode on or off; read questions aloud."""
    from ui.speech import Reader

    session = window.session

    def restyle(on: bool) -> None:
        normal, accessible = themes(session.config)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setStyleSheet(style_sheet(accessible if on else normal))

    session.accessibility_changed.connect(restyle)
    window.reader = Reader(session, voice)  # type: ignore[attr-defined]


def apply_config(window: KioskWindow, config: Config, *, fullscreen: bool) -> None:
    """The store's look, the idle wipe, and (in full screen) the lockdown."""
    from ui.theme import contrast_problems

    normal, _ = themes(config)
    for problem in contrast_problems(normal):
        sys.stderr.write(f"advisor kiosk: [theme] {problem}\n")  # store IT sees it in the journal
    app = QApplication.instance()
    if isinstance(app, QApplication) and not window.session.accessible:
        app.setStyleSheet(style_sheet(normal))
    if config.theme.logo:
        window.top_bar.set_logo(config.theme.logo)
    window.top_bar.language.setVisible(len(config.store.locales) > 1)
    window.watch_idle(config.kiosk.idle_timeout_seconds, config.kiosk.idle_warning_seconds)
    if window.locked:
        window.exit_guard.pin_hash = config.staff.exit_pin_hash
    elif fullscreen or config.kiosk.fullscreen:
        window.lock(config.staff.exit_pin_hash)


def run_kiosk(
    *,
    db_url: str | None,
    fullscreen: bool,
    exit_after_first_paint: bool = False,
    config_file: str | None = None,
    screenshot: str | None = None,
) -> int:
    """Show the welcome screen at once; load questionnaires and catalog behind it; run until closed."""
    import qasync

    app = create_application()
    session = KioskSession({})
    window = KioskWindow(session)
    window.resize(1280, 800)
    follow_accessibility(window)
    if screenshot:
        # Packaging check: the first screen with everything loaded, saved as PNG, then exit.
        exit_after_first_paint = False

        def shoot() -> None:
            window.grab().save(screenshot)
            app.quit()

        window.session.changed.connect(lambda: QTimer.singleShot(100, shoot) if window.session.catalog else None)
    if exit_after_first_paint:
        FirstPaint(window.screens["welcome"], app.quit)
    if fullscreen:
        window.lock("")  # at once; the exit PIN comes with the configuration a moment later
    else:
        window.show()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    watchers: list[QObject] = []

    def loaded(result: tuple[Config, QuestionnaireLibrary, IndexCache]) -> None:
        from advisor.insights.events import EventLog
        from advisor.paths import questionnaires_dir
        from ui.reload import QuestionnaireWatcher

        config, library, cache = result
        session.configure(config)
        apply_config(window, config, fullscreen=fullscreen)
        session.engine = cache.engine
        session.events = EventLog(cache.engine, channel="kiosk", store_id=config.store.id)
        session.set_questionnaires(library.questionnaires)
        session.set_catalog(cache.get())
        watcher = QuestionnaireWatcher(library, [questionnaires_dir()], [])
        watcher.reloaded.connect(lambda _result: session.set_questionnaires(library.questionnaires))
        watchers.append(watcher)

        def catalog_changed(index: CatalogIndex) -> None:
            if index is not session.catalog:
                session.set_catalog(index)  # new sessions and the next recommendation use the new catalog

        timer = QTimer(window)
        timer.timeout.connect(
            lambda: loop.create_task(run_off_gui_thread(cache.get, catalog_changed, lambda _error: None))
        )
        timer.start(CATALOG_CHECK_MS)

        from advisor.maintenance import purge_all

        purge = QTimer(window)
        purge.timeout.connect(
            lambda: loop.create_task(
                run_off_gui_thread(lambda: purge_all(cache.engine, config), lambda _n: None, lambda _e: None)
            )
        )
        purge.start(PURGE_MS)

    def failed(error: Exception) -> None:
        sys.stderr.write(f"advisor kiosk: {error}\n")  # store IT reads this in the journal
        window.screens["welcome"].status.setText(f"{error}")  # type: ignore[attr-defined]

    with loop:
        if not exit_after_first_paint:
            loop.create_task(run_off_gui_thread(lambda: _load_everything(db_url, config_file), loaded, failed))
        loop.run_until_complete(closing.wait())
    return 0
