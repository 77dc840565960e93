"""Merchandiser preview: saving a file reloads it; a broken save keeps the last good version and shows why."""

from __future__ import annotations

import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot

from advisor.paths import questionnaires_dir
from advisor.questionnaire.library import QuestionnaireLibrary
from tests.helpers.catalog import sample_dictionary
from ui.preview import PreviewPanel
from ui.reload import QuestionnaireWatcher
from ui.session import KioskSession


def test_saved_changes_are_reloaded_and_broken_saves_are_reported(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "rain-jacket-finder.yaml"
    shutil.copy(questionnaires_dir() / "rain-jacket-finder.yaml", path)
    library = QuestionnaireLibrary(sample_dictionary())
    library.reload(path)
    watcher = QuestionnaireWatcher(library, [tmp_path], [path])
    good = library.questionnaires["rain-jacket-finder"]
    text = path.read_text(encoding="utf-8")
    with qtbot.waitSignal(watcher.reloaded, timeout=5000) as signal:
        path.write_text(text.replace("format_version: 2", "format_version: 2\n# edited", 1), encoding="utf-8")
    assert signal.args[0].updated
    assert library.questionnaires["rain-jacket-finder"] is not good
    with qtbot.waitSignal(watcher.reloaded, timeout=5000) as signal:
        path.write_text(text.replace("steps:", "stepz:", 1), encoding="utf-8")
    result = signal.args[0]
    assert not result.updated
    assert any(f.code == "Q002" and "did you mean 'steps'?" in f.message for f in result.findings)
    assert result.questionnaire is library.questionnaires["rain-jacket-finder"]


def test_preview_panel_explains_every_product(qtbot: QtBot, session: KioskSession) -> None:
    panel = PreviewPanel(session)
    qtbot.addWidget(panel)
    session.start("tent-finder")
    answers = {"region": "alpine", "frequency": "often", "persons": 4}
    for step, value in answers.items():
        if session.state is not None and session.state.current == step:
            session.answer(value)
    items = [panel.products.item(i).text() for i in range(panel.products.count())]
    assert len(items) == 34
    assert any("hochgebirgstauglich" in item or "alpine" in item.lower() for item in items if item.startswith("–"))
