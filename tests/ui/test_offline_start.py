"""A kiosk that starts while its PostgreSQL server is down: it advises from its snapshot and goes live on its own."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QListWidget, QTextEdit, QWidget
from pytestqt.qtbot import QtBot

from advisor.catalog.reads import PRODUCT
from advisor.catalog.store import bump_version
from advisor.db import make_engine
from advisor.handoff.staff import set_pin
from advisor.recommend.snapshot import read_snapshot, snapshot_path
from tests.helpers.private_postgres import PrivatePostgres
from tests.helpers.sample import open_with_sample
from tests.ui.test_kiosk import answer_by_click, click, start, wait_for_products
from ui import session as views
from ui.app import KioskStart
from ui.screens.start import WelcomeScreen
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.staff import StaffConsole
from ui.talk import TalkDialog
from ui.window import KioskWindow

pytestmark = pytest.mark.slow
DRIVER_WORDS = ("operationalerror", "psycopg", "sqlalche", "connection", "postgres", "traceback")
WAITING_DE = "Die Beratung startet gleich."


def shown_texts() -> str:
    """Every text on screen now: labels, buttons, typed text, lists, documents and titles of visible windows."""
    parts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        for widget in [top, *top.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            parts += [widget.windowTitle(), widget.toolTip(), widget.accessibleName()]
            if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
                parts.append(widget.text())
            if isinstance(widget, QLineEdit):
                parts.append(widget.placeholderText())
            if isinstance(widget, QTextEdit):
                parts.append(widget.toPlainText())
            if isinstance(widget, QListWidget):
                parts += [widget.item(i).text() for i in range(widget.count())]
    return "\n".join(parts)


def assert_no_driver_text() -> None:
    shown = shown_texts().lower()
    for word in DRIVER_WORDS:
        assert word not in shown, f"{word!r} is on screen"


@pytest.fixture
def config_file(tmp_path: Path) -> str:
    """An empty configuration file (all defaults): the test does not read the machine's own."""
    path = tmp_path / "config.toml"
    path.write_text("", encoding="utf-8")
    return str(path)


@pytest.fixture
def kiosks(qapp: QApplication) -> Iterator[list[KioskStart]]:
    """Kiosks started like `advisor kiosk` starts them (`.begin()` is the test's).

    Afterwards they are stopped and deleted here, on the GUI thread: left to Python's garbage collector, which may
    run on any thread, a window or session would be destroyed on a worker thread, where Qt aborts.
    """
    started: list[KioskStart] = []
    yield started
    for kiosk in started:
        kiosk.stop()
        if kiosk.session.engine is not None:
            kiosk.session.engine.dispose()
        kiosk.window.close()
        kiosk.window.deleteLater()
        kiosk.session.deleteLater()
    started.clear()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def open_kiosk(qtbot: QtBot, kiosks: list[KioskStart], url: str, config_file: str) -> KioskStart:
    window = KioskWindow(KioskSession({}), RecordingVoice())  # (the system's voice may fail to load on a busy machine)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    kiosk = KioskStart(window, db_url=url, config_file=config_file, fullscreen=False)
    kiosks.append(kiosk)
    kiosk.begin()
    return kiosk


def test_a_kiosk_advises_from_its_snapshot_while_the_database_is_down_and_then_goes_live(
    qtbot: QtBot,
    private_postgres: PrivatePostgres,
    kiosks: list[KioskStart],
    config_file: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = private_postgres.url
    open_with_sample(url).dispose()  # (a kiosk loads no sample into PostgreSQL)
    earlier = open_kiosk(qtbot, kiosks, url, config_file)  # an earlier good start leaves a snapshot behind
    qtbot.waitUntil(lambda: earlier.session.online and read_snapshot(snapshot_path()) is not None, timeout=60_000)
    earlier.stop()
    earlier.window.close()
    assert earlier.session.engine is not None and earlier.session.catalog is not None
    earlier.session.engine.dispose()
    snapshot_version = earlier.session.catalog.version
    engine = make_engine(url)  # the catalog changes after the snapshot: a price, and so the catalog version
    with engine.begin() as connection:
        tents_first = sa.select(PRODUCT.c.sku).where(PRODUCT.c.category_id == "tents").limit(1)
        tent: str = connection.execute(tents_first).scalar_one()
        connection.execute(PRODUCT.update().where(PRODUCT.c.sku == tent).values(price_cents=12_345))
        live_version = bump_version(connection)
    engine.dispose()
    private_postgres.stop()
    capsys.readouterr()

    kiosk = open_kiosk(qtbot, kiosks, url, config_file)
    window, session = kiosk.window, kiosk.session
    qtbot.waitUntil(lambda: session.catalog is not None, timeout=10_000)
    assert not session.online
    assert session.catalog is not None and session.catalog.version == snapshot_version
    journal = capsys.readouterr().err
    assert "database unreachable (postgresql://…@127.0.0.1:" in journal
    assert "advising from the local snapshot of" in journal
    assert_no_driver_text()

    start(qtbot, window, "tent-finder")  # a shopper completes the tent finder on the snapshot
    while session.view == views.QUESTION:
        assert_no_driver_text()
        answer_by_click(qtbot, window)
    wait_for_products(qtbot, window)
    result = session.recommendation()
    assert result is not None and result.count > 0
    assert_no_driver_text()

    click(qtbot, window.top_bar.talk_button)  # staff cannot be reached: the dialog says so and offers nothing
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert "Unser Team ist von diesem Kiosk aus gerade nicht erreichbar." in shown_texts()
    for offer in (dialog.call, dialog.chat, dialog.consent, dialog.phone, dialog.summary):
        assert not offer.isVisible()
    assert_no_driver_text()
    dialog.done(0)

    private_postgres.start()
    back_at = time.monotonic()
    qtbot.waitUntil(lambda: session.online, timeout=10_000)
    assert session.catalog is not None and session.catalog.version == live_version
    tents = session.catalog.categories["tents"]
    assert tents.products[tents.position[tent]].price == 123.45, "the live catalog, not the snapshot"
    assert session.view == views.RESULTS, "the shopper's advice is still on screen"
    assert session.store_names["en"] == "Munich City Centre", "read with the catalog: the summary's store name"
    assert "database reachable again" in capsys.readouterr().err

    def snapshot_is_live() -> None:
        snapshot = read_snapshot(snapshot_path())
        assert snapshot is not None and snapshot.catalog.version == live_version

    qtbot.waitUntil(snapshot_is_live, timeout=10_000)  # the next start without the database advises from it

    # Live again without a restart: a request for a consultant reaches a staff console.
    staff_engine = make_engine(url)
    set_pin(staff_engine, "Mara", "4711")
    console = StaffConsole(staff_engine, {}, session.catalog)
    qtbot.addWidget(console)
    console.name.setText("Mara")
    console.pin.setText("4711")
    console.sign_in()
    qtbot.waitUntil(lambda: console.staff == "Mara", timeout=10_000)
    click(qtbot, window.top_bar.talk_button)
    dialog = window.talk_dialog
    assert isinstance(dialog, TalkDialog)
    qtbot.waitUntil(dialog.call.isVisible, timeout=5_000)  # someone is at a console now
    dialog.consent.setChecked(True)
    click(qtbot, dialog.call)
    qtbot.waitUntil(lambda: console.queue.count() == 1, timeout=10_000)
    assert time.monotonic() - back_at < 10, "from the server's return to the console seeing the request"
    assert_no_driver_text()
    dialog.done(0)
    console.close()
    staff_engine.dispose()


def test_without_database_and_snapshot_the_welcome_screen_waits_calmly_and_the_screenshot_exits(
    qtbot: QtBot,
    private_postgres: PrivatePostgres,
    kiosks: list[KioskStart],
    config_file: str,
    isolated_data_dir: Path,
    tmp_path: Path,
) -> None:
    private_postgres.stop()  # a first start: no snapshot yet
    kiosk = open_kiosk(qtbot, kiosks, private_postgres.url, config_file)
    window, session = kiosk.window, kiosk.session
    welcome = window.screens[views.WELCOME]
    assert isinstance(welcome, WelcomeScreen)
    qtbot.waitUntil(lambda: welcome.status.text() == WAITING_DE, timeout=10_000)
    assert not welcome.start.isVisible(), "nothing to start into yet"
    assert_no_driver_text()
    click(qtbot, window.top_bar.language)
    assert welcome.status.text() == "Your advice is about to start."
    assert_no_driver_text()

    shot = tmp_path / "first-screen.png"
    command = (
        "import sys; from ui.app import run_kiosk; "
        f"sys.exit(run_kiosk(db_url={private_postgres.url!r}, fullscreen=False, config_file={config_file!r}, "
        f"screenshot={str(shot)!r}, screenshot_wait_ms=4000))"
    )
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ADVISOR_DATA_DIR": str(isolated_data_dir)}
    done = subprocess.run(
        [sys.executable, "-c", command], env=environment, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1, done.stderr
    assert shot.stat().st_size > 0
    assert "--screenshot: no catalog after 4 s" in done.stderr
    assert "Traceback" not in done.stderr

    private_postgres.start()  # the server is back: the waiting kiosk starts advising by itself
    qtbot.waitUntil(lambda: session.online and session.catalog is not None, timeout=10_000)
    qtbot.waitUntil(welcome.start.isVisible)
    assert welcome.status.text() == ""


def test_a_mistake_in_the_configuration_stays_on_the_welcome_screen_with_no_start_and_the_screenshot_says_so(
    qtbot: QtBot, kiosks: list[KioskStart], isolated_data_dir: Path, tmp_path: Path
) -> None:
    """Store IT reads the mistake on the screen in either language; a shopper gets no start into an empty choice;
    the packaging check names it at once instead of waiting for a catalog that cannot come."""
    config = tmp_path / "idle.toml"
    config.write_text("[kiosk]\nidle_timeout_seconds = 5\n", encoding="utf-8")
    mistake = "[kiosk] idle_timeout_seconds: must be at least 30 (got 5)"
    kiosk = open_kiosk(qtbot, kiosks, f"sqlite:///{tmp_path / 'store.sqlite3'}", str(config))
    welcome = kiosk.window.screens[views.WELCOME]
    assert isinstance(welcome, WelcomeScreen)
    qtbot.waitUntil(lambda: mistake in welcome.problem_lines.text(), timeout=10_000)
    assert not welcome.start.isVisible() and not welcome.help.isVisible()
    click(qtbot, kiosk.window.top_bar.language)
    assert mistake in welcome.problem_lines.text(), "the mistake stays after a change of language"
    assert not welcome.start.isVisible()

    shot = tmp_path / "first-screen.png"
    command = (
        "import sys; from ui.app import run_kiosk; "
        f"sys.exit(run_kiosk(db_url=None, fullscreen=False, config_file={str(config)!r}, "
        f"screenshot={str(shot)!r}, screenshot_wait_ms=60000))"
    )
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ADVISOR_DATA_DIR": str(isolated_data_dir)}
    done = subprocess.run(
        [sys.executable, "-c", command], env=environment, capture_output=True, text=True, timeout=50, check=False
    )
    assert done.returncode == 1, done.stderr
    assert mistake in done.stderr and "the configuration has a mistake" in done.stderr
    assert "no catalog after" not in done.stderr, "said at once, not after the 60 s wait (the run's timeout is 50 s)"
    assert shot.stat().st_size > 0
