"""Merchandiser preview: saving a file reloads it; a broken save keeps the last good version and shows why."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from advisor.audit import analyse_file
from advisor.paths import questionnaires_dir
from advisor.questionnaire.library import QuestionnaireLibrary
from tests.helpers.catalog import sample_dictionary
from ui.preview import PreviewPanel, PreviewWindow
from ui.reload import QuestionnaireWatcher
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.window import KioskWindow


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
    answers = {"region": "alpine", "frequency": "often", "persons": 2}
    for step, value in answers.items():
        if session.state is not None and session.state.current == step:
            session.answer(value)
    items = [panel.products.item(i) for i in range(panel.products.count())]
    products = [item.text() for item in items if item.flags() & Qt.ItemFlag.ItemIsSelectable or "NG-" in item.text()]
    assert len(products) == 34
    out = [text for text in products if ": out, breaks " in text]
    assert out and all("made for high mountains" in text or "room for 2" in text or "tough" in text for text in out)
    shown = [text for text in products if ": shown, meets " in text]
    assert 0 < len(shown) <= 5
    assert "made for high mountains" in shown[0]


def test_findings_are_whole_grouped_by_severity_and_show_their_step(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    path = tmp_path / "tent-finder.yaml"
    text = (questionnaires_dir() / "tent-finder.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("expr: capacity >= persons", "expr: capacty >= persons"), encoding="utf-8")
    catalog = session.catalog
    assert catalog is not None
    window = PreviewWindow(session, KioskWindow(session, RecordingVoice()), path)
    qtbot.addWidget(window)
    window.panel.show_findings(analyse_file(path, dictionary=sample_dictionary(), catalog=catalog))
    window.show()
    session.start("tent-finder")
    findings = window.panel.findings
    texts = [findings.list.item(i).text() for i in range(findings.list.count())]
    assert texts[0] == "Errors (1)"
    error = texts[1]
    assert "'capacty' is not a step or a product attribute (did you mean 'capacity'?)" in error
    assert "- expr: capacty >= persons" in error  # the line's text, whole
    assert len(texts) == 2  # the walk's warnings through the broken step are left out, not reported twice
    assert findings.list.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert findings.list.wordWrap()
    findings.list.setCurrentRow(1)
    assert session.state is not None and session.state.current == "persons"
    assert "persons" in window.panel.status.text()


def test_a_service_flow_previews_with_its_outcomes(qtbot: QtBot) -> None:
    """A merchandiser previewing a service flow sees which outcomes the answers reach, and why the others do not."""
    from tests.helpers.service import merged_catalog
    from ui.app import load_questionnaires

    session = KioskSession(load_questionnaires())
    session.set_catalog(merged_catalog())
    panel = PreviewPanel(session)
    qtbot.addWidget(panel)
    session.start("tent-help")
    session.set_product("NG-TENT-0001")
    session.set_answers({"problem": "leak", "leak_where": "seams", "leak_since": "after_years"})
    lines = [panel.products.item(i).text() for i in range(panel.products.count())]
    assert "Outcomes for the current answers: 4 of" in panel.products_title.text()
    assert "seam-sealer (parts): NG-CARE-0008" in lines  # the silicone sealer: this tent's fly is silnylon
    assert any(line.startswith("floor-repair (repair): 'leak_where == \"floor\"' does not hold") for line in lines)
