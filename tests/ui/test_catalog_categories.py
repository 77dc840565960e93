"""A store whose catalog has only some categories: the kiosk offers no finder and no help whose category its
catalog does not have (they would walk their questions to no products), and says which files it left out."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.helpers.one_category import one_category_database
from tests.ui.test_kiosk import click, current
from tests.ui.test_offline_start import config_file, kiosks, open_kiosk  # noqa: F401 (fixtures)
from ui import session as views
from ui.app import KioskStart, load_questionnaires

pytestmark = pytest.mark.slow


def test_the_choice_and_the_help_offer_only_what_the_catalog_has_and_the_journal_names_the_rest(
    qtbot: QtBot,
    kiosks: list[KioskStart],  # noqa: F811
    config_file: str,  # noqa: F811
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{tmp_path / 'tents-only.sqlite3'}"
    one_category_database(url, "tents", tmp_path / "catalog").dispose()
    kiosk = open_kiosk(qtbot, kiosks, url, config_file)
    session, window = kiosk.session, kiosk.window
    qtbot.waitUntil(lambda: session.catalog is not None, timeout=60_000)
    assert session.catalog is not None and set(session.catalog.categories) == {"tents"}
    assert set(session.finders) == {"tent-finder"}
    assert set(session.service_flows) == {"tent-help", "zip-help"}

    click(qtbot, current(window).start)  # the shopper's choice of finders
    assert session.view == views.CHOOSE
    offered = {card.accessibleName() for card in current(window).grid.cards}
    shipped = {questionnaire.title["de"] for questionnaire in load_questionnaires().values()}
    assert offered & shipped == {session.finders["tent-finder"].title["de"]}
    session.reset()
    qtbot.waitUntil(lambda: session.view == views.WELCOME)
    click(qtbot, current(window).help)  # help with a product the shopper owns
    assert session.view == views.HELP
    helps = {card.accessibleName() for card in current(window).grid.cards}
    assert len(helps) == 2 and load_questionnaires()["sleeping-bag-help"].title["de"] not in helps

    journal = capfd.readouterr().err
    for name, category in (
        ("backpack-finder", "backpacks"),
        ("rain-jacket-finder", "rain_jackets"),
        ("sleeping-bag-finder", "sleeping_bags"),
        ("sleeping-bag-help", "sleeping_bags"),
    ):
        line = f"{name}.yaml: not offered: Q017 category '{category}' is not in the catalog"
        assert journal.count(line) == 1, journal
    assert "tent-finder.yaml: not offered" not in journal
