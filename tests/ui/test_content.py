"""A kiosk started with a store's own content folder ([content] in its configuration) offers the questionnaires
there, and a file saved into that folder reaches the welcome screen while the kiosk runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.advisor.test_content import SHIPPED_QUESTIONNAIRES, config_naming, content_folder
from tests.ui.test_kiosk import click, current
from tests.ui.test_offline_start import kiosks, open_kiosk  # noqa: F401 (kiosks: a fixture)
from ui import session as views
from ui.app import KioskStart

pytestmark = pytest.mark.slow


def test_the_kiosk_offers_the_configured_questionnaires_and_takes_in_a_new_file(
    qtbot: QtBot,
    kiosks: list[KioskStart],  # noqa: F811
    tmp_path: Path,
) -> None:
    content = content_folder(tmp_path / "store")
    config = config_naming(content)
    kiosk = open_kiosk(qtbot, kiosks, f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", str(config))
    qtbot.waitUntil(lambda: kiosk.session.catalog is not None, timeout=60_000)
    assert set(kiosk.session.questionnaires) == {"store-tents"}
    shutil.copy(SHIPPED_QUESTIONNAIRES / "backpack-finder.yaml", content / "fragen" / "backpack-finder.yaml")
    qtbot.waitUntil(lambda: "backpack-finder" in kiosk.session.questionnaires, timeout=10_000)
    assert set(kiosk.session.questionnaires) == {"store-tents", "backpack-finder"}
    click(qtbot, current(kiosk.window).start)  # the shopper's choice of finders
    assert kiosk.session.view == views.CHOOSE
    offered = {card.accessibleName() for card in current(kiosk.window).grid.cards}
    assert offered == {questionnaire.title["de"] for questionnaire in kiosk.session.questionnaires.values()}
    assert "Rucksackberater" in offered
