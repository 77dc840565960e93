"""Product pictures: drawings and photos (PNG, JPEG, WebP) at the size shown, made once per size."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from ui.widgets import picture


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".webp"])
def test_a_photo_is_scaled_smoothly_once_and_keeps_its_proportions(qapp: object, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"photo{suffix}"
    image = QImage(1600, 800, QImage.Format.Format_RGB32)
    image.fill(QColor("#2f7d5b"))
    assert image.save(str(path))
    shown = picture(path, QSize(200, 150))
    assert picture(path, QSize(200, 150)) is shown, "made once per size"
    logical = shown.size() / shown.devicePixelRatio()
    assert (logical.width(), logical.height()) == (200, 100)  # 2:1, as the photo
    colour = shown.toImage().pixelColor(10, 10)
    assert abs(colour.red() - 0x2F) + abs(colour.green() - 0x7D) + abs(colour.blue() - 0x5B) <= 6  # lossy formats


@pytest.mark.qt_log_ignore("Cannot open file")  # Qt says so in the journal; the shopper sees an empty frame
def test_an_unreadable_picture_is_empty_not_an_error(qapp: object, tmp_path: Path) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    shown = picture(broken, QSize(80, 60))
    assert shown.size() == QSize(80, 60) and shown.toImage().pixelColor(1, 1).alpha() == 0
    missing = picture(tmp_path / "missing.svg", QSize(80, 60))
    assert missing.toImage().pixelColor(1, 1).alpha() == 0
