"""Where the advisor keeps its data, and where the shipped sample content lives."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "nordgrat-advisor"
_SOURCE_ROOT = Path(__file__).resolve().parent.parent


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
    """The shipped questionnaire files."""
    return _shipped("questionnaires", "questionnaires")
