"""Product photos that come with an import, from a folder or a zip, checked and reported like cells."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from advisor.catalog.formats import write_csv
from advisor.catalog.images import image_file, imported_images_dir, inspect_image
from advisor.catalog.importer import import_file
from advisor.catalog.store import ImportReport, export_products
from advisor.paths import sample_catalog_dir
from tests.helpers.catalog import tent, with_dictionary


def png(width: int, height: int) -> bytes:
    """A real (black) PNG picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(b"".join(b"\x00" + b"\x00" * 3 * width for _ in range(height)))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg(width: int, height: int) -> bytes:
    """A JPEG file's segments up to its frame header (which holds the size), as cameras write them."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return b"\xff\xd8" + app0 + frame + b"\xff\xd9"


def webp(width: int, height: int) -> bytes:
    """An extended (VP8X) WebP file's header, which holds the size."""
    body = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00"
    body += (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


PHOTOS = {
    "T-1.png": png(300, 300),
    "T-2.jpg": jpeg(50, 40),
    "T-3.webp": webp(400, 300),
    "T-4.gif": b"GIF89a" + b"\x00" * 20,
    "fotos/Zelt fünf.JPG": jpeg(1200, 900),
    "X-9.png": png(300, 300),
}


def _products(tmp_path: Path) -> Path:
    records: list[dict[str, Any]] = [tent(sku=f"T-{n}", image=None) for n in range(1, 5)]
    records += [tent(sku="T-5", image="fotos/Zelt fünf.JPG"), tent(sku="T-6", image=None)]
    path = tmp_path / "products.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(records, handle)
    return path


def _import(engine: Engine, path: Path, **options: Any) -> ImportReport:
    report = import_file(engine, path, **options)
    assert isinstance(report, ImportReport)
    return report


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "Fotos"
    for name, data in PHOTOS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def _zip(tmp_path: Path) -> Path:
    path = tmp_path / "Fotos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in PHOTOS.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("source", [_folder, _zip])
def test_photos_come_along_checked_like_cells(engine: Engine, tmp_path: Path, source: Any) -> None:
    with_dictionary(engine)
    report = _import(engine, _products(tmp_path), images=source(tmp_path))

    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (3, "image", "T-2.jpg is 50 x 40 pixels; a photo needs at least 200 pixels on each side"),
        (5, "image", "T-4.gif is a GIF file; save the photo as PNG, JPEG or WebP"),
    ]
    images = {product["sku"]: product.get("image") for product in export_products(engine)}
    assert images == {"T-1": "images/T-1.png", "T-3": "images/T-3.webp", "T-5": "images/T-5.jpg", "T-6": None}
    folder = imported_images_dir()
    assert (folder / "T-1.png").read_bytes() == PHOTOS["T-1.png"]
    assert (folder / "T-5.jpg").read_bytes() == PHOTOS["fotos/Zelt fünf.JPG"]
    assert sorted(path.name for path in folder.iterdir()) == ["T-1.png", "T-3.webp", "T-5.jpg"]
    assert report.notes == [f"3 photo(s) copied to {folder}", "X-9.png: no product of the file has this photo"]


def test_a_dry_run_checks_photos_and_copies_none(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    report = _import(engine, _products(tmp_path), images=_zip(tmp_path), dry_run=True)
    assert [r.row for r in report.rejected] == [3, 5]
    assert not imported_images_dir().exists()


def test_a_named_photo_that_is_missing_is_reported(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    path = tmp_path / "one.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv([tent(sku="T-1", image="fotos/fehlt.png")], handle)
    folder = _folder(tmp_path)
    report = _import(engine, path, images=folder)
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (2, "image", f"'fotos/fehlt.png' is not among the photos in {folder}")
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (png(640, 480), ("png", 640, 480)),
        (jpeg(4000, 3000), ("jpeg", 4000, 3000)),
        (webp(800, 800), ("webp", 800, 800)),
    ],
)
def test_type_and_size_come_from_the_bytes(data: bytes, expected: tuple[str, int, int]) -> None:
    assert inspect_image(data) == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (png(9000, 300), "is 9000 x 300 pixels; at most 8000 pixels on each side, scale it down"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "is an SVG drawing file; save the photo as PNG, JPEG or WebP"),
        (b"\xff\xd8\xff\xe0\x00", "is a damaged JPEG file (no picture size found); save it again"),
        (b"hello", "is no picture file this advisor knows; save the photo as PNG, JPEG or WebP"),
    ],
)
def test_bad_photos_say_what_is_wrong(data: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match="^" + reason.replace("(", r"\(").replace(")", r"\)") + "$"):
        inspect_image(data)


def test_a_product_shows_its_imported_photo_else_the_sample_one(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    _import(engine, _products(tmp_path), images=_folder(tmp_path))
    sample = next((sample_catalog_dir() / "images").glob("*.svg"))

    assert image_file("images/T-1.png") == imported_images_dir() / "T-1.png"
    assert image_file(f"images/{sample.name}") == sample
    for name in ("images/T-2.jpg", "images/../advisor.sqlite3", "../images/T-1.png", "T-1.png", "images/"):
        assert image_file(name) is None
