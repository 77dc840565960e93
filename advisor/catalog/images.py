"""Product photos that come with an import: a folder or zip of PNG, JPEG and WebP files named by sku.

Each photo is checked like a cell (its type by its bytes, its file size, its pixel size); a bad one rejects its
product's row with the column `image`. The accepted ones are copied to the advisor's image folder after the
import is written, and the product's `image` names the copy (`images/NG-TENT-0001.jpg`).
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from advisor.catalog.formats import NumberedBatch, UnusableInput
from advisor.catalog.validate import PRODUCT_COLUMNS, Problem
from advisor.paths import data_dir, sample_catalog_dir

MAX_BYTES = 10_000_000
MIN_SIDE = 200  # smaller photos look blurred on the kiosk's product page
MAX_SIDE = 8_000
KINDS = {"png": "png", "jpg": "jpeg", "jpeg": "jpeg", "webp": "webp"}
_IMAGE = PRODUCT_COLUMNS.index("image")
_OTHER_KINDS = (
    (b"GIF8", "a GIF"), (b"BM", "a BMP"), (b"II*\x00", "a TIFF"), (b"MM\x00*", "a TIFF"), (b"%PDF", "a PDF"),
    (b"<svg", "an SVG drawing"), (b"<?xml", "an SVG drawing"),
)  # fmt: skip


def imported_images_dir() -> Path:
    """Where imported product photos are kept (`images/` in the advisor's data folder)."""
    return data_dir() / "images"


def image_file(image: str) -> Path | None:
    """The file behind a product's `image` (`images/NG-TENT-0001.jpg`): an imported photo first, else the sample
    catalog's; None when neither exists or the name would lead out of the image folders."""
    name = PurePosixPath(image)
    if len(name.parts) != 2 or name.parts[0] != "images" or name.name in ("", ".", ".."):
        return None
    for folder in (imported_images_dir(), sample_catalog_dir() / "images"):
        path = folder / name.name
        try:
            if path.is_file():
                return path
        except OSError:  # a name the file system cannot hold (too long): no such image
            return None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int]:
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            break
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1  # fill byte
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    raise ValueError("is a damaged JPEG file (no picture size found); save it again")


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and data[20:21] == b"\x2f":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    raise ValueError("is a damaged WebP file (no picture size found); save it again")


def inspect_image(data: bytes) -> tuple[str, int, int]:
    """The photo's type (png, jpeg, webp) and pixel size from its bytes; ValueError says what is wrong."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        kind = "png"
    elif data.startswith(b"\xff\xd8\xff"):
        width, height = _jpeg_size(data)
        kind = "jpeg"
    elif data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        width, height = _webp_size(data)
        kind = "webp"
    else:
        other = next((name for magic, name in _OTHER_KINDS if data.lstrip()[: len(magic)] == magic), None)
        what = f"is {other} file" if other else "is no picture file this advisor knows"
        raise ValueError(f"{what}; save the photo as PNG, JPEG or WebP")
    if min(width, height) < MIN_SIDE:
        raise ValueError(f"is {width} x {height} pixels; a photo needs at least {MIN_SIDE} pixels on each side")
    if max(width, height) > MAX_SIDE:
        raise ValueError(f"is {width} x {height} pixels; at most {MAX_SIDE} pixels on each side, scale it down")
    return kind, width, height


class ImageSource:
    """The photos of a folder (with its subfolders) or a zip file, found by name or by sku."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        if path.is_dir():
            names = [file.relative_to(path).as_posix() for file in sorted(path.rglob("*")) if file.is_file()]
        elif zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            names = [info.filename for info in self._zip.infolist() if not info.is_dir()]
        else:
            raise UnusableInput(f"{path}: --images takes a folder or a zip file of photos")
        self.names = [name for name in names if not PurePosixPath(name).name.startswith((".", "__MACOSX"))]
        self._by_stem: dict[str, list[str]] = {}
        for name in self.names:
            self._by_stem.setdefault(PurePosixPath(name).stem.lower(), []).append(name)
        self.used: set[str] = set()

    def find(self, sku: str, named: str | None) -> list[str]:
        """The files for a product: the one its `image` cell names (by path or by file name), else by sku."""
        if named:
            wanted = PurePosixPath(named.replace("\\", "/"))
            by_path = [name for name in self.names if name == wanted.as_posix()]
            return by_path or [name for name in self.names if PurePosixPath(name).name == wanted.name]
        return self._by_stem.get(sku.lower(), [])

    def size(self, name: str) -> int:
        if self._zip is not None:
            return self._zip.getinfo(name).file_size
        return (self.path / name).stat().st_size

    def read(self, name: str) -> bytes:
        if self._zip is not None:
            return self._zip.read(name)
        return (self.path / name).read_bytes()

    def unused(self) -> list[str]:
        return [name for name in self.names if name not in self.used]


class ImageCheck:
    """Matches the products of each batch with their photos, checks them and remembers the ones to copy."""

    def __init__(self, source: ImageSource) -> None:
        self.source = source
        self.accepted: dict[str, tuple[str, str]] = {}  # sku: (file in the source, name of the copy)

    def check(self, numbered: NumberedBatch) -> NumberedBatch:
        """The batch with each product's photo checked: a bad or missing one rejects the row (column image)."""
        batch = numbered.batch
        problems: dict[int, list[Problem]] = {}
        for position, i in enumerate(batch.indexes):
            values = batch.products[position]
            sku, named = values[0], values[_IMAGE]
            found = self.source.find(sku, named)
            if not found:
                if named:
                    problems[i] = [Problem("image", f"{named!r} is not among the photos in {self.source.path}")]
                continue
            if len(found) > 1:
                problems[i] = [Problem("image", f"several photos for {sku}: {', '.join(found)}; keep one")]
                self.source.used.update(found)
                continue
            name = found[0]
            self.source.used.add(name)
            try:
                kind = self._inspect(name)
            except ValueError as error:
                problems[i] = [Problem("image", f"{name} {error}")]
                continue
            copy = f"{sku}.{'jpg' if kind == 'jpeg' else kind}"
            self.accepted.setdefault(sku, (name, copy))
            batch.products[position] = (*values[:_IMAGE], f"images/{copy}", *values[_IMAGE + 1 :])
        batch.reject(problems)
        return numbered

    def _inspect(self, name: str) -> str:
        size = self.source.size(name)
        if size > MAX_BYTES:
            raise ValueError(f"has {size / 1e6:.1f} MB; at most {MAX_BYTES / 1e6:.0f} MB per photo")
        return inspect_image(self.source.read(name))[0]

    def copy(self) -> Path:
        """Copy the accepted photos to the image folder (once the import is written); the folder."""
        folder = imported_images_dir()
        folder.mkdir(parents=True, exist_ok=True)
        for name, copy in self.accepted.values():
            (folder / copy).write_bytes(self.source.read(name))
        return folder


def each_checked(batches: Iterator[NumberedBatch], check: ImageCheck) -> Iterator[NumberedBatch]:
    """The batches with their photos checked (lazily, as the import pulls them)."""
    for numbered in batches:
        yield check.check(numbered)
