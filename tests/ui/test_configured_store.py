"""`advisor screenshots` and `advisor preview` show the configured store as its kiosk does: that store's stock and
its default language (not the built-in store's, nor German)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from advisor.config import Config, load_config
from advisor.i18n import text
from tests.helpers.one_category import one_category_database
from ui.app import configured_session, load_questionnaires
from ui.screenshots import open_kiosk
from ui.session import DEFAULT_STORE

TENT = "NG-TENT-0001"
LONDON_SHELF = "Basement, tents & camping, shelf 8"  # where the sample keeps this tent (in English)


def london(tmp_path: Path) -> Config:
    """A store in London, English first, as its kiosk's configuration names it."""
    path = tmp_path / "config.toml"
    path.write_text('[store]\nid = "lon-01"\nname = "Nordgrat London"\nlocales = ["en", "de"]\n'
                    'default_locale = "en"\ntimezone = "Europe/London"\n', encoding="utf-8")  # fmt: skip
    return load_config(path)


def test_the_session_takes_the_configured_store_and_default_language(tmp_path: Path) -> None:
    config = london(tmp_path)
    session = configured_session(load_questionnaires(), config)  # advisor preview
    assert (session.store_id, session.locale, session.config) == ("lon-01", "en", config)
    session.start("tent-finder")
    assert session.advice is not None and session.advice.store_id == "lon-01"
    asked = configured_session(load_questionnaires(), config, locale="de")  # advisor screenshots --lang de
    assert (asked.store_id, asked.locale) == ("lon-01", "de")
    bare = configured_session(load_questionnaires())  # no configuration: as before
    assert (bare.store_id, bare.locale, bare.config) == (DEFAULT_STORE, "de", None)


@pytest.mark.slow
def test_the_screenshots_kiosk_shows_the_configured_stores_stock(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'london.sqlite3'}"
    one_category_database(url, "tents", tmp_path / "catalog", store="lon-01").dispose()
    config = london(tmp_path)
    app, session, window = open_kiosk(locale="en", size=QSize(1280, 800), db_url=url, config=config)
    try:
        assert session.store_id == "lon-01" and session.locale == "en"
        assert session.public_web  # QR codes and summaries still point to the sample address
        assert "public_base_url" not in capsys.readouterr().err
        session.start("tent-finder")
        session.show_detail(TENT)
        qtbot.waitUntil(lambda: LONDON_SHELF in shown(window))
        assert text("detail.out_of_stock", "en") not in shown(window)
    finally:
        window.close()
        session.shutdown()
        if session.engine is not None:
            session.engine.dispose()


def shown(window: object) -> str:
    return " ".join(label.text() for label in window.findChildren(QLabel) if label.isVisible())  # type: ignore[attr-defined]
