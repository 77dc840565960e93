"""Where the advisor keeps its data, and where the content it reads lives: the merchandisers' questionnaires,
guides and size charts from where the configuration's [content] says (`use_content`), else the shipped ones."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "nordgrat-advisor"
_SOURCE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Content:
    """Where this process reads the merchandisers' files; None: the shipped one."""

    questionnaires: Path | None = None  # a folder of questionnaire files
    guides: Path | None = None  # a guides file
    size_charts: Path | None = None  # a size charts file


_content = Content()


def use_content(content: Content) -> None:
    """Read the questionnaires, guides and size charts from here on in this process (each surface calls it once at
    start, with what its configuration's [content] names)."""
    global _content
    _content = content


def content_in_use() -> Content:
    """Where this process reads the merchandisers' files (see `use_content`)."""
    return _content


def data_dir() -> Path:
    """The per-user data directory (created on demand); ADVISOR_DATA_DIR overrides it."""
    override = os.environ.get("ADVISOR_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _shipped(relative: str, packaged: str) -> Path:
    """A shipped folder: from the source checkout when run from it, else from the installed wheel."""
    in_checkout = _SOURCE_ROOT / relative
    if in_checkout.is_dir():
        return in_checkout
    return Path(__file__).resolve().parent / "_data" / packaged


def sample_catalog_dir() -> Path:
    """The shipped sample catalog (categories.json, products.json, images/)."""
    return _shipped("catalog/sample", "catalog")


def questionnaires_dir() -> Path:
    """The folder of questionnaire files in use: the configured one, else the shipped one."""
    return _content.questionnaires or shipped_questionnaires_dir()


def shipped_questionnaires_dir() -> Path:
    """The questionnaire files shipped with the program."""
    return _shipped("questionnaires", "questionnaires")
