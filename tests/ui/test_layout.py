"""Every screen at every supported size, in both languages, normal and accessibility mode: nothing a shopper
would see as broken (clipped text, controls outside the window, a control shown twice, small touch targets)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.layout_check import layout_problems
from ui.screenshots import CONSOLE_SIZES, SIZES, console_tour, open_console, open_kiosk, tour

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('layout') / 'kiosk.sqlite3'}"


@pytest.mark.parametrize("accessible", [False, True], ids=["normal", "accessible"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{s.width()}x{s.height()}" for s in SIZES])
@pytest.mark.parametrize("locale", ["de", "en"])
def test_no_screen_looks_broken(qtbot: QtBot, database: str, locale: str, size: QSize, accessible: bool) -> None:
    app, session, window = open_kiosk(locale=locale, size=size, db_url=database)
    qtbot.addWidget(window)
    problems = [
        f"{name}: {problem}"
        for name, shown in tour(app, session, window, accessible=accessible)
        for problem in layout_problems(shown)
    ]
    window.close()
    session.writes.wait()
    assert problems == []


def test_the_check_finds_what_a_shopper_would_see(qtbot: QtBot, tmp_path: Path) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    page.resize(400, 300)
    box = QVBoxLayout(page)
    clipped = QLabel("A label far too long for the narrow space it was given here")
    clipped.setFixedWidth(80)
    tiny = QPushButton("x")
    tiny.setFixedSize(30, 30)
    twice = [QPushButton("Weiter"), QPushButton("Weiter")]
    for widget in (clipped, tiny, *twice):
        box.addWidget(widget)
    outside = QPushButton("Outside", page)
    outside.setGeometry(380, 280, 120, 60)
    page.show()
    qtbot.waitExposed(page)
    QApplication.processEvents()
    problems = "\n".join(layout_problems(page))
    assert "A label far too long" in problems and "clipped" in problems
    assert "touch target of 30 px" in problems
    assert "'Weiter' is shown twice" in problems
    assert "'Outside' lies outside the window" in problems


@pytest.mark.parametrize("size", CONSOLE_SIZES, ids=[f"{s.width()}x{s.height()}" for s in CONSOLE_SIZES])
@pytest.mark.parametrize("locale", ["de", "en"])
def test_no_console_screen_looks_broken(qtbot: QtBot, tmp_path: Path, locale: str, size: QSize) -> None:
    """The staff console's queue, case, chat, insights, appointments and repairs, as staff see them on a laptop and
    a desk screen."""
    app, console = open_console(locale=locale, size=size, db_url=f"sqlite:///{tmp_path / 'console.sqlite3'}")
    qtbot.addWidget(console)
    seen, problems = [], []
    for name, shown in console_tour(app, console):
        seen.append(name)
        problems += [f"{name}: {problem}" for problem in layout_problems(shown)]
    console.close()
    assert seen == ["console-queue", "console-case", "console-chat", "console-insights", "console-appointments",
                    "console-repairs", "console-repair-intake"]  # fmt: skip
    assert problems == []
