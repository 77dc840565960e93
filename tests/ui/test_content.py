"""A kiosk and a staff console with a store's own content folder ([content] in the configuration): the kiosk offers
the questionnaires there, and a file saved into that folder reaches the kiosk's choice and the console while they
run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from advisor.config import load_config, use_configured_content
from advisor.questionnaire.library import load_library
from advisor.recommend.index import CatalogIndex
from advisor.service.guides import guides_in_use
from advisor.session import store
from advisor.session.service import AdviceSession
from tests.advisor.test_content import SHIPPED_QUESTIONNAIRES, config_naming, content_folder, save
from tests.helpers.index import sample_index
from tests.ui.conftest import CATEGORIES
from tests.ui.test_handoff import signed_in_console
from tests.ui.test_kiosk import click, current
from tests.ui.test_offline_start import kiosks, open_kiosk  # noqa: F401 (kiosks: a fixture)
from tests.ui.test_staff_console import database
from ui import session as views
from ui.app import KioskStart
from ui.reload import DataFileWatcher
from ui.session import KioskSession
from ui.staff import watch_questionnaires

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


def test_the_console_takes_in_a_new_file_and_opens_a_case_started_with_it(qtbot: QtBot, tmp_path: Path) -> None:
    content = content_folder(tmp_path / "store")
    use_configured_content(load_config(config_naming(content)))
    library = load_library()
    kiosk = KioskSession(library.everything, locale="de")
    kiosk.set_catalog(CatalogIndex(1, {category: sample_index(category) for category in CATEGORIES}))
    engine = database(tmp_path, "store")
    console = signed_in_console(qtbot, engine, kiosk, "Anna", "4711")
    watch_questionnaires(console, library)
    assert set(console.questionnaires) == {"store-tents"}
    shutil.copy(SHIPPED_QUESTIONNAIRES / "backpack-finder.yaml", content / "fragen" / "backpack-finder.yaml")
    qtbot.waitUntil(lambda: "backpack-finder" in console.questionnaires, timeout=10_000)
    backpacks = console.questionnaires["backpack-finder"]
    advice = AdviceSession.start(backpacks, index=sample_index("backpacks"), locale="de")  # a kiosk that took it in
    record = store.create(engine, advice, store_id="muc-01", consent=True)
    console.code.setText(record.resume_code)
    click(qtbot, console.open_code_button)
    qtbot.waitUntil(lambda: "Rucksackberater" in console.case_text())
    assert not console.notice
    console.close()


def test_the_kiosk_takes_in_a_saved_guides_file_and_keeps_the_last_good_one_on_a_broken_save(
    qtbot: QtBot,
    kiosks: list[KioskStart],  # noqa: F811
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    content = content_folder(tmp_path / "store")
    kiosk = open_kiosk(qtbot, kiosks, f"sqlite:///{tmp_path / 'kiosk.sqlite3'}", str(config_naming(content)))
    # the database opened and the catalog read (no start-up worker left migrating when the test ends: Alembic's
    # context is one per process), and the files watched
    qtbot.waitUntil(lambda: kiosk.session.catalog is not None, timeout=60_000)
    qtbot.waitUntil(lambda: kiosk.findChild(DataFileWatcher) is not None)
    watcher = kiosk.findChild(DataFileWatcher)
    guides = json.loads((content / "guides.json").read_text(encoding="utf-8"))
    guides["guides"][0]["title"]["de"] = "Nähte abdichten, heute neu geschrieben"
    with qtbot.waitSignal(watcher.refreshed, timeout=10_000) as taken:
        save(content / "guides.json", json.dumps(guides, ensure_ascii=False))  # the editor writes it in place
    assert taken.args == [[]]
    qtbot.waitUntil(lambda: first_title() == "Nähte abdichten, heute neu geschrieben")
    replaced = content / "guides.json.tmp"
    with qtbot.waitSignal(watcher.refreshed, timeout=10_000, check_params_cb=lambda found: bool(found)) as taken:
        save(replaced, '{"format_version": 1, "guides": [')
        replaced.replace(content / "guides.json")  # an editor that saves by replacing the file
    (broken,) = taken.args[0]
    assert broken.code == "Q001" and broken.file == str(content / "guides.json")
    assert first_title() == "Nähte abdichten, heute neu geschrieben", "the last good guides stay"
    assert f"{content / 'guides.json'}:1:" in capfd.readouterr().err  # named in the journal
    qtbot.waitUntil(lambda: not watcher.busy)  # no look left running into the next test


def first_title() -> str:
    return next(iter(guides_in_use().by_id.values())).title["de"]
