"""Start the kiosk: show the first screen at once, open the database behind it."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget


class WelcomeScreen(QWidget):
    """The first screen: greeting and the categories the catalog holds."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("WelcomeScreen")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(24)
        self.title = QLabel("Willkommen · Welcome")
        self.title.setObjectName("title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = QLabel("Katalog wird geladen … · Loading the catalog …")
        self.status.setObjectName("status")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setWordWrap(True)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addStretch(2)
        self.setStyleSheet(
            "#WelcomeScreen { background: #f4f1ea; }"
            "#title { font-size: 40px; font-weight: 600; color: #1f3a2e; }"
            "#status { font-size: 22px; color: #33443b; }"
        )

    def show_catalog(self, stats: dict[str, Any]) -> None:
        """Show the loaded catalog's categories and counts."""
        lines = [f"{category}: {count}" for category, count in stats["categories"].items()]
        self.status.setText(f"{stats['products']} Produkte · products\n" + "\n".join(lines))

    def show_error(self, message: str) -> None:
        """Say plainly that the catalog could not be opened."""
        self.status.setText(f"Der Katalog konnte nicht geöffnet werden.\nThe catalog could not be opened:\n{message}")


def _open_catalog(db_url: str | None) -> dict[str, Any]:
    from advisor.bootstrap import open_database
    from advisor.catalog.store import catalog_stats

    return catalog_stats(open_database(db_url))


async def _load(screen: WelcomeScreen, db_url: str | None) -> None:
    loop = asyncio.get_running_loop()
    try:
        stats = await loop.run_in_executor(None, _open_catalog, db_url)
    except Exception as error:  # noqa: BLE001 - any failure is shown on screen, never a crash
        screen.show_error(str(error))
        return
    screen.show_catalog(stats)


def run_kiosk(*, db_url: str | None, fullscreen: bool) -> int:
    """Open the kiosk window and run the event loop until it closes."""
    import qasync

    app = QApplication.instance() or QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("Nordgrat Advisor")
    screen = WelcomeScreen()
    window.setCentralWidget(screen)
    window.resize(1280, 800)
    if fullscreen:
        window.showFullScreen()
    else:
        window.show()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    app_close = asyncio.Event()
    app.aboutToQuit.connect(app_close.set)
    with loop:
        loop.create_task(_load(screen, db_url))
        loop.run_until_complete(app_close.wait())
    return 0
