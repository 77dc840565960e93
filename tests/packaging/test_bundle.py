"""`make bundle` builds the one-folder kiosk bundle, and the bundle renders its first screen headless."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_make_bundle_builds_a_kiosk_that_renders_its_first_screen(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        ["make", "bundle", f"DIST={tmp_path / 'dist'}", f"BUILD={tmp_path / 'build'}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    program = tmp_path / "dist" / "advisor" / "advisor"
    assert program.is_file() and os.access(program, os.X_OK)
    shot = QImage(str(tmp_path / "build" / "bundle-first-screen.png"))
    assert not shot.isNull() and shot.width() >= 800, "the bundle painted its welcome screen"
    colours = {shot.pixel(x, y) for x in range(0, shot.width(), 40) for y in range(0, shot.height(), 40)}
    assert len(colours) > 3, "the screen shows more than a blank window"
    version = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=120, check=False)
    assert version.returncode == 0 and version.stdout.startswith("advisor ")
