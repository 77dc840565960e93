"""Start the kiosk: the window appears at once, the catalog index is built behind it, off the GUI thread.

While the database cannot be reached the kiosk advises from its local snapshot and reconnects in the background.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from advisor.i18n import text
from ui.screens.start import WelcomeScreen
from ui.session import CHOOSE, WELCOME, KioskSession
from ui.theme import Theme, style_sheet
from ui.widgets import fit_to_screen
from ui.window import KioskWindow

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.engine import Engine

    from advisor.config import Config
    from advisor.content import CatalogOffer
    from advisor.questionnaire.library import QuestionnaireLibrary
    from advisor.questionnaire.model import Questionnaire
    from advisor.recommend.index import CatalogIndex, IndexCache
    from advisor.recommend.snapshot import Snapshot


def load_questionnaires(folder: Path | None = None) -> dict[str, Questionnaire]:
    from advisor.questionnaire.library import load_library

    return load_library([folder] if folder else None).everything


def configured_session(
    questionnaires: Mapping[str, Questionnaire], config: Config | None = None, *, locale: str | None = None
) -> KioskSession:
    """A kiosk session set up with the store's configuration as the kiosk's start sets it up (KioskStart:
    `KioskSession.configure`): its store (whose stock the products show), kiosk, web address and default language;
    `locale`, when given, wins over the default language. Without a configuration: DEFAULT_STORE, and `locale` or
    German (`advisor screenshots` and `advisor preview` use it too)."""
    session = KioskSession(questionnaires, locale=locale or "de")
    if config is not None:
        session.configure(config)
        if locale is not None:
            session.set_locale(locale)
    return session


def create_application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Nordgrat Advisor")
    app.setStyleSheet(style_sheet(Theme()))
    return app


class _Courier(QObject):
    """Carries one piece of work's outcome from its worker thread back to the GUI thread (a queued signal)."""

    arrived = Signal(object, object)  # result, error

    def __init__(self, done: Callable[[Any], None], failed: Callable[[Exception], None]) -> None:
        # Owned by the application and deleted by its event loop: never by Python's garbage collector, which
        # may run on any thread (a Qt object must be destroyed on its own thread).
        super().__init__(QCoreApplication.instance())
        self.done: Callable[[Any], None] | None = done
        self.failed: Callable[[Exception], None] | None = failed
        self.arrived.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, result: Any, error: Exception | None) -> None:
        done, failed, self.done, self.failed = self.done, self.failed, None, None
        _in_flight.discard(self)
        self.deleteLater()
        if error is None and done is not None:
            done(result)
        elif error is not None and failed is not None:
            failed(error)


_in_flight: set[_Courier] = set()  # each courier stays alive (Python owns it) until its work has come back


def run_off_gui_thread(
    work: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[Exception], None]
) -> None:
    """Run `work` in a worker thread; call `done(result)` or `failed(error)` back on the GUI thread.

    The thread is a daemon: quitting never waits for a connection attempt or a statement to time out. (Not
    ui/ops.Lane for this reason: its thread pool waits for running work when it is destroyed, and a result that
    arrives after its relay was deleted prints a traceback at exit.)
    """
    courier = _Courier(done, failed)
    _in_flight.add(courier)

    def work_and_report() -> None:
        try:
            result = work()
        except Exception as error:  # noqa: BLE001 - handed to `failed`, never a crash
            courier.arrived.emit(None, error)
        else:
            courier.arrived.emit(result, None)

    threading.Thread(target=work_and_report, name="kiosk-work", daemon=True).start()


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
RETRY_MS = 3_000  # how often a kiosk without its database tries again
SCREENSHOT_WAIT_MS = 20_000  # --screenshot: how long to wait for a catalog before saving what is there


def _load_local(config_file: str | None) -> tuple[Config, QuestionnaireLibrary]:
    """The local part of start-up, off the GUI thread: the configuration and the questionnaire files."""
    from advisor.config import load_config, use_configured_content
    from advisor.content import load_content

    config = load_config(config_file)
    use_configured_content(config)
    library = load_content()
    _name_left_out(library)
    return config, library


def _name_left_out(library: QuestionnaireLibrary) -> None:
    """Each questionnaire file with errors in the journal by name, after its findings: store IT sees which advice the
    kiosk does not offer (and why a shopper's code of it does not open here)."""
    from advisor.paths import questionnaires_dir
    from advisor.questionnaire.files import questionnaire_files

    for path in questionnaire_files([questionnaires_dir()]):
        if path not in library.by_path:
            sys.stderr.write(f"advisor kiosk: {path.stem} is not offered: its file has errors, see above\n")


def _open_catalog(url: str, store_id: str) -> tuple[IndexCache, CatalogIndex, dict[str, str]]:
    """Open the database (with an interactive app's short timeouts) and build the catalog index, off the GUI thread;
    with the store's names by language as the catalog has them (what summaries say: catalog.reads.store_name)."""
    from advisor.bootstrap import open_database
    from advisor.catalog.reads import store_name
    from advisor.recommend.index import IndexCache

    cache = IndexCache(open_database(url, interactive=True))
    try:
        names = {locale: store_name(cache.engine, store_id, locale) for locale in ("de", "en")}
        return cache, cache.get(), {locale: name for locale, name in names.items() if name}
    except Exception:
        cache.engine.dispose()
        raise


class KioskStart(QObject):
    """The kiosk's data: configuration and questionnaires from local files, the catalog from the database.

    While the database cannot be reached, the catalog comes from the local snapshot of the last good start (or,
    without one, the welcome screen says the advice is about to start) and a connection is tried again every
    RETRY_MS, off the GUI thread, until it works; then the kiosk switches to the live data without a restart.
    Store IT reads what happens on stderr (the journal); the shopper never sees a driver's error.
    """

    advising = Signal()  # the first catalog is there (live or from the snapshot): shoppers can start
    halted = Signal(str)  # a mistake in the configuration: the kiosk cannot advise until it is corrected

    def __init__(
        self,
        window: KioskWindow,
        *,
        db_url: str | None,
        config_file: str | None,
        fullscreen: bool,
        retry_ms: int = RETRY_MS,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.db_url = db_url
        self.config_file = config_file
        self.fullscreen = fullscreen
        self.retry_ms = retry_ms
        self.config: Config | None = None
        self.library: QuestionnaireLibrary | None = None
        self.url = ""  # the database URL in use, once the configuration is read
        self.snapshot_taken: datetime | None = None  # when the snapshot in use was written
        self.snapshot_read = False
        self.down: str | None = None  # the journal's line on why the database cannot be reached, while it cannot
        self.outage: OutageJournal | None = None  # once advising live: an outage the periodic checks find
        self.problem: str | None = None  # the configuration's mistake, when it cannot be read
        self.damaged = False  # the database file is damaged (the last try at it said so): waiting does not heal it
        self.stopped = False
        self.offer: CatalogOffer | None = None  # what of the library the catalog in use lets the kiosk offer
        self.started = _now()  # requests of this kiosk asked for before this are of shoppers gone (`_end_left`)
        self.session.changed.connect(self._show_waiting)  # after the window's own refresh (connected first)

    def begin(self) -> None:
        run_off_gui_thread(lambda: _load_local(self.config_file), self._local_loaded, self._local_failed)

    def stop(self) -> None:
        """No more attempts (the kiosk is closing)."""
        self.stopped = True

    @property
    def waiting(self) -> bool:
        """Neither the database nor a snapshot has given a catalog yet, and the database is known to be down (or
        the configuration cannot be read)."""
        return (self.down is not None or self.problem is not None) and self.session.catalog is None

    def _local_loaded(self, result: tuple[Config, QuestionnaireLibrary]) -> None:
        from advisor.config import database_url_of
        from advisor.db import database_url
        from ui.reload import watch_content

        config, library = result
        self.config, self.library = config, library
        self.session.configure(config)
        apply_config(self.window, config, fullscreen=self.fullscreen)
        watch_content(self, library, self._questionnaires_reloaded)
        self.url = database_url(self.db_url or database_url_of(config))
        self._connect()

    def _local_failed(self, error: Exception) -> None:
        """A mistake in the configuration: store IT reads every line of it on the welcome screen (whatever the
        language, scrolling where it does not fit, with no start into an empty choice) and in the journal; a shopper
        reads that this kiosk cannot advise and to ask in the store."""
        sys.stderr.write(f"advisor kiosk: {error}\n")
        self.problem = str(error)
        self._show_waiting()
        self.halted.emit(self.problem)

    def _questionnaires_reloaded(self, _result: object) -> None:
        if self.library is not None and self.session.catalog is not None:
            self.session.set_questionnaires(self._offered(self.session.catalog))

    def _offered(self, index: CatalogIndex) -> dict[str, Questionnaire]:
        """The library's finders and service flows whose category this catalog has (the others are named in the
        journal, once)."""
        from advisor.content import CatalogOffer

        assert self.library is not None
        if self.offer is None:
            self.offer = CatalogOffer("advisor kiosk")
        return self.offer.offered(self.library.everything, index.categories)

    def _connect(self) -> None:
        if not self.stopped:
            store_id = self.config.store.id if self.config is not None else ""
            run_off_gui_thread(lambda: _open_catalog(self.url, store_id), self._online, self._unreachable)

    def _use_catalog(self, index: CatalogIndex) -> None:
        first = self.session.catalog is None
        if first and self.library is not None:
            self.session.set_questionnaires(self._offered(index))
        self.session.set_catalog(index)
        if first:
            self.advising.emit()

    # -- the database is there -------------------------------------------------------------------------------

    def _online(self, result: tuple[IndexCache, CatalogIndex, dict[str, str]]) -> None:
        from advisor.db.engine import shown_url
        from advisor.insights.events import EventLog

        cache, index, names = result
        self.session.store_names = names
        if self.stopped:
            cache.engine.dispose()
            return
        assert self.config is not None
        self.session.attach_database(
            cache.engine, EventLog(cache.engine, channel="kiosk", store_id=self.config.store.id)
        )
        self._use_catalog(index)
        if self.down is not None:
            sys.stderr.write(
                f"advisor kiosk: database reachable again ({shown_url(self.url)}): advising from the live catalog "
                f"(version {index.version})\n"
            )
            self.down = None
        self._keep_snapshot(index)
        self._start_maintenance(cache)
        self._end_left(cache.engine)

    def _end_left(self, engine: Engine) -> None:
        """End the requests a shopper asked for at this kiosk before it started (it lost power or crashed with a
        request open): staff would walk to nobody, and the next shopper would queue behind them. Tried again while
        the database does not take it."""
        from advisor.handoff.left import left_at_start
        from advisor.insights.events import record_cancel

        assert self.config is not None
        kiosk_id, store_id, started = self.config.store.kiosk_name, self.config.store.id, self.started

        def ended(request_ids: list[int]) -> None:
            if request_ids:
                sys.stderr.write(f"advisor kiosk: ended {len(request_ids)} request(s) of a shopper who left before "
                                 f"the kiosk started again\n")  # fmt: skip

        def failed(_error: Exception) -> None:
            if not self.stopped:
                QTimer.singleShot(self.retry_ms, self, lambda: self._end_left(engine))

        def end() -> list[int]:
            return left_at_start(engine, kiosk_id, started, store_id=store_id, in_transaction=record_cancel)

        run_off_gui_thread(end, ended, failed)

    def _keep_snapshot(self, index: CatalogIndex) -> None:
        """Write the snapshot the next start advises from if the database is down then (off the GUI thread)."""
        from advisor.recommend.snapshot import snapshot_path, write_snapshot

        questionnaires = self.library.questionnaires if self.library is not None else {}

        def failed(error: Exception) -> None:
            sys.stderr.write(f"advisor kiosk: the local snapshot was not written: {error}\n")

        path = snapshot_path()
        run_off_gui_thread(lambda: write_snapshot(path, catalog=index, questionnaires=questionnaires), _ignore, failed)

    def _start_maintenance(self, cache: IndexCache) -> None:
        """The catalog check and the hourly purge: they need the database, so they start once it is reached."""
        from advisor.db.retry import retrying
        from advisor.maintenance import purge_all

        config = self.config
        assert config is not None

        def check() -> CatalogIndex:
            return retrying(cache.get, attempts=3, pause=1.0)

        def purge_expired() -> tuple[int, int]:
            return retrying(lambda: purge_all(cache.engine, config), attempts=3, pause=1.0)

        outage = self.outage = OutageJournal("advisor kiosk", self.url)  # an outage while it runs: said once

        def failed(error: Exception) -> None:
            from sqlalchemy.exc import SQLAlchemyError

            if isinstance(error, SQLAlchemyError):  # (anything else: the next run tries again)
                outage.failed(error)

        timer = QTimer(self)
        timer.timeout.connect(lambda: run_off_gui_thread(check, self._catalog_checked, failed))
        timer.start(CATALOG_CHECK_MS)
        purge = QTimer(self)
        purge.timeout.connect(lambda: run_off_gui_thread(purge_expired, lambda _counts: outage.answered(), failed))
        purge.start(PURGE_MS)

    def _catalog_checked(self, index: CatalogIndex) -> None:
        if self.outage is not None:
            self.outage.answered()
        if index is not self.session.catalog:
            if self.library is not None:  # a category added or removed: its finders come or go
                self.session.set_questionnaires(self._offered(index))
            self.session.set_catalog(index)  # new sessions and the next recommendation use the new catalog
            self._keep_snapshot(index)

    # -- the database is not there ---------------------------------------------------------------------------

    def _unreachable(self, error: Exception) -> None:
        from advisor.recommend.snapshot import read_snapshot, snapshot_path

        if self.stopped:
            return
        if self.session.catalog is None and not self.snapshot_read:
            self.snapshot_read = True
            run_off_gui_thread(
                lambda: read_snapshot(snapshot_path()),
                lambda snapshot: self._offline(error, snapshot),
                lambda _error: self._offline(error, None),
            )
            return
        self._offline(error, None)

    def _offline(self, error: Exception, snapshot: Snapshot | None) -> None:
        from advisor.db.retry import DAMAGED, database_trouble

        self.damaged = database_trouble(error) == DAMAGED
        if snapshot is not None:
            self.snapshot_taken = snapshot.created
            self._use_catalog(snapshot.catalog)
        line = _unreachable_line(error)
        if line != self.down:
            self.down = line
            sys.stderr.write(f"advisor kiosk: {self._journal_line(line)}\n")
        self._show_waiting()
        QTimer.singleShot(self.retry_ms, self, self._connect)

    def _journal_line(self, what: str) -> str:
        from advisor.db.engine import shown_url

        if self.snapshot_taken is None:
            doing = "no local snapshot to advise from: the welcome screen waits"
        else:
            doing = f"advising from the local snapshot of {self.snapshot_taken.astimezone():%Y-%m-%d %H:%M}"
        return f"{what.format(where=shown_url(self.url))} — {doing}; retrying every {self.retry_ms / 1000:g} s"

    def _show_waiting(self) -> None:
        """Without any catalog: a calm line on the welcome screen, and no start into an empty choice."""
        welcome = self.window.screens[WELCOME]
        assert isinstance(welcome, WelcomeScreen)
        waiting = self.waiting
        welcome.start.setVisible(not waiting)
        if not waiting:
            return
        welcome.show_problems(self.problem)  # (for store IT; the shopper is asked to ask in the store)
        out_of_order = self.damaged or self.problem is not None  # (neither heals by waiting)
        waiting_key = "welcome.out_of_order" if out_of_order else "welcome.waiting"
        welcome.status.setText(text(waiting_key, self.session.locale, self.session.address))
        if self.session.view == CHOOSE:  # tapped before the database was known to be down: nothing to choose
            self.session.reset()


def _ignore(_outcome: object) -> None:
    """For background work whose result (or failure) needs nothing more: the next run tries again."""


def _now() -> datetime:
    from datetime import UTC, datetime

    return datetime.now(UTC)


class OutageJournal:
    """The journal's lines about a database that stops answering a running program (a kiosk, a staff console): one
    line when it is found out of reach, naming it without user or password and with the first line of the reason
    (`_unreachable_line`, as the kiosk's start says it), and one when it answers again; nothing at every retry."""

    def __init__(self, program: str, url: str) -> None:
        from advisor.db.engine import shown_url

        self.program = program
        self.where = shown_url(url)
        self.down = False

    def failed(self, error: Exception) -> None:
        """A database call failed for the database: said once per outage."""
        if not self.down:
            self.down = True
            self.say(_unreachable_line(error).format(where=self.where))

    def answered(self, detail: str = "") -> None:
        """A database call worked: the end of the outage said, with `detail` (what was stored since)."""
        if self.down:
            self.down = False
            self.say(f"database reachable again ({self.where}){detail}")

    def say(self, line: str) -> None:
        sys.stderr.write(f"{self.program}: {line}\n")
        sys.stderr.flush()


def _unreachable_line(error: Exception) -> str:
    """What store IT reads about a failed connection, with `{where}` for the database's address."""
    from sqlalchemy.exc import OperationalError

    from advisor.db.retry import DAMAGED, damaged_line, database_trouble, short_reason

    if database_trouble(error) == DAMAGED:
        return damaged_line("{where}", short_reason(error))  # (as every command says it)
    if isinstance(error, OperationalError):
        return f"database unreachable ({{where}}): {short_reason(error)}"
    return f"database not usable ({{where}}): {type(error).__name__}: {short_reason(error)}"


def themes(config: Config | None) -> tuple[Theme, Theme]:
    """The store's theme and the accessibility mode's (high contrast, larger text)."""
    from ui.theme import HIGH_CONTRAST

    if config is None:
        return Theme(), HIGH_CONTRAST
    colours = config.theme.model_dump(exclude={"logo"})
    return Theme.from_config(colours, str(config.theme.logo) if config.theme.logo else None), HIGH_CONTRAST


def follow_accessibility(window: KioskWindow) -> None:
    """Switch the style sheet when the shopper turns accessibility mode on or off (the window's speech follows the
    mode by itself)."""
    session = window.session

    def restyle(on: bool) -> None:
        normal, accessible = themes(session.config)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setStyleSheet(style_sheet(accessible if on else normal))

    session.accessibility_changed.connect(restyle)


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
    screenshot_wait_ms: int = SCREENSHOT_WAIT_MS,
) -> int:
    """Show the welcome screen at once; load questionnaires and catalog behind it; run until closed."""
    import qasync

    app = create_application()
    session = KioskSession({})
    window = KioskWindow(session)
    fit_to_screen(window, QSize(1280, 800))
    follow_accessibility(window)
    start = KioskStart(window, db_url=db_url, config_file=config_file, fullscreen=fullscreen)
    exit_code = 0
    if screenshot:
        # Packaging check: the first screen with everything loaded, saved as PNG, then exit. It never waits
        # longer than `screenshot_wait_ms`: then it saves what is there and says so.
        exit_after_first_paint = False
        shot = False

        def shoot(loaded: bool, problem: str | None = None) -> None:
            nonlocal shot, exit_code
            if shot:
                return
            shot = True
            window.grab().save(screenshot)
            if problem is not None:  # said at once, not after the wait: no catalog comes before it is corrected
                exit_code = 1
                sys.stderr.write(f"advisor kiosk: --screenshot: the configuration has a mistake (above); saved the "
                                 f"screen that says so to {screenshot}\n")  # fmt: skip
            elif not loaded:
                exit_code = 1
                sys.stderr.write(
                    f"advisor kiosk: --screenshot: no catalog after {screenshot_wait_ms / 1000:g} s (from neither "
                    f"the database nor a local snapshot); saved the screen as it was to {screenshot}\n"
                )
            app.quit()

        start.advising.connect(lambda: QTimer.singleShot(100, lambda: shoot(True)))
        start.halted.connect(lambda problem: QTimer.singleShot(100, lambda: shoot(False, problem)))
        QTimer.singleShot(screenshot_wait_ms, lambda: shoot(False))
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
    app.aboutToQuit.connect(start.stop)

    with loop:
        if not exit_after_first_paint:
            start.begin()
        loop.run_until_complete(closing.wait())
    session.shutdown()
    return exit_code
