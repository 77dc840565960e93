"""The focus ring on every screen, in both themes: every control keyboard focus reaches shows a ring of at least
2 px with 3:1 contrast against both of its neighbours (WCAG 2.2 focus appearance), inside the window; measured on
the grabbed pixels."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ui.focus import FocusRing, FocusVisible
from ui.keys import reading_order
from ui.screenshots import open_kiosk, tour
from ui.theme import RING, contrast

pytestmark = pytest.mark.slow

MIN_WIDTH, MIN_CONTRAST = 2, 3.0


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('focus') / 'kiosk.sqlite3'}"


def _hex(colour: QColor) -> str:
    return colour.name(QColor.NameFormat.HexRgb)


def ring_problems(top: QWidget, control: QWidget) -> list[str]:
    """What is wrong with the focus ring around `control` (on `top`, its window or dialog), from the pixels."""
    name = f"{type(control).__name__} {control.accessibleName() or getattr(control, 'text', lambda: '')()!r}"
    ring = FocusRing.on(top, make=False)
    if ring is None or not ring.isVisible() or ring.target is not control:
        return [f"{name}: no focus ring"]
    area = ring.geometry()
    if not top.rect().contains(area):
        return [f"{name}: the ring lies outside the window ({area})"]
    outer = area.adjusted(-1, -1, 1, 1).intersected(top.rect())
    image: QImage = top.grab(outer).toImage()
    problems = []
    dx, dy = area.x() - outer.x(), area.y() - outer.y()
    middle_x, middle_y = dx + area.width() // 2, dy + area.height() // 2
    # Each side at its middle (the corners are rounded): from outside in, the ring's band and the pixel inside it.
    sides = {
        "top": [(middle_x, dy + i) for i in range(-1, RING + 2)],
        "bottom": [(middle_x, dy + area.height() - 1 - i) for i in range(-1, RING + 2)],
        "left": [(dx + i, middle_y) for i in range(-1, RING + 2)],
        "right": [(dx + area.width() - 1 - i, middle_y) for i in range(-1, RING + 2)],
    }
    for side, points in sides.items():
        colours = [_hex(image.pixelColor(x, y)) if image.valid(x, y) else None for x, y in points]
        outside, band = colours[0], colours[1:]
        ring_colour = band[0]
        assert ring_colour is not None
        width = next((i for i, colour in enumerate(band) if colour != ring_colour), len(band))
        inside = band[width] if width < len(band) else None
        if width < MIN_WIDTH:
            problems.append(f"{name}: the ring is {width} px at the {side}")
        for neighbour, where in ((outside, "outside"), (inside, "inside")):
            if neighbour is not None and contrast(ring_colour, neighbour) < MIN_CONTRAST:
                problems.append(f"{name}: {ring_colour} against {neighbour} {where} at the {side}: "
                                f"{contrast(ring_colour, neighbour):.2f}:1")  # fmt: skip
    return problems


@pytest.mark.parametrize("accessible", [False, True], ids=["normal", "high-contrast"])
def test_every_focusable_control_shows_a_ring_that_meets_wcag(qtbot: QtBot, database: str, accessible: bool) -> None:
    app, session, window = open_kiosk(locale="de", size=QSize(1280, 800), db_url=database)
    qtbot.addWidget(window)
    visible = FocusVisible.of(app)
    assert visible is not None
    problems: list[str] = []
    seen: list[str] = []
    checked = 0
    for name, shown in tour(app, session, window, accessible=accessible):
        shown.activateWindow()
        visible.keyboard_used()  # focus arrives by key: the ring shows
        controls = [w for w in reading_order(shown) if shown is not window or window.isAncestorOf(w)]
        assert controls, f"{name}: nothing takes keyboard focus"
        # The keys on the screen first: focus on any other control (but a text field) puts them away.
        controls.sort(key=lambda control: not window.keyboard.isAncestorOf(control))
        seen.append(name)
        for control in controls:
            control.setFocus()
            QApplication.processEvents()
            problems += [f"{name}: {problem}" for problem in ring_problems(shown, control)]
            checked += 1
    window.close()
    session.writes.wait()
    assert {"welcome", "choose", "results", "detail", "compare", "talk", "overview", "no-match"} <= set(seen)
    assert checked > 150, "every screen's controls were looked at"
    assert problems == []


def test_a_tap_hides_the_ring_and_a_key_brings_it_back(qtbot: QtBot, window: QWidget) -> None:
    from tests.ui.test_kiosk import click, current

    window.activateWindow()
    start = current(window).start
    qtbot.waitUntil(start.hasFocus)
    visible = FocusVisible.of(QApplication.instance())
    assert visible is not None
    visible.keyboard_used()
    ring = FocusRing.on(window, make=False)
    assert ring is not None and ring.isVisible() and ring.target is start
    assert ring.geometry().contains(QRect(start.mapTo(window, start.rect().topLeft()), start.size()))
    click(qtbot, window.top_bar.language)
    assert not ring.isVisible(), "a tap draws no ring"
