"""What the preview's panel says beside the kiosk pane: a count that does not contradict the pane's on a number step
not answered yet, and what the kiosk shows of a file that has never been without errors."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from advisor.audit import analyse_file
from advisor.paths import questionnaires_dir
from advisor.questionnaire.library import QuestionnaireLibrary
from tests.helpers.catalog import sample_dictionary
from tests.ui.test_nearest_number import at_budget
from ui.preview import PreviewPanel
from ui.session import KioskSession
from ui.window import KioskWindow


def test_on_a_number_step_not_answered_yet_the_panel_counts_the_sliders_start_as_the_kiosk_does(
    qtbot: QtBot, session: KioskSession, window: KioskWindow
) -> None:
    panel = PreviewPanel(session)
    qtbot.addWidget(panel)
    screen = at_budget(qtbot, session, window)
    assert screen.live_count.text() == "0 Regenjacken passen"  # the kiosk: at the slider's 200 € nothing fits
    title = panel.products_title.text()
    assert title.startswith("Products for the current answers with the slider at its start, €200 (not answered yet):")
    assert " 0 of " in title and title.endswith(" fit, 0 shown"), title
    session.answer(250)  # answered: counted as an answer, no slider named
    title = panel.products_title.text()
    assert title.startswith("Products for the current answers: 1 of ") and "slider" not in title, title


def _broken(tmp_path: Path) -> Path:
    path = tmp_path / "tent-finder.yaml"
    text = (questionnaires_dir() / "tent-finder.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("expr: capacity >= persons", "expr: capacty >= persons"), encoding="utf-8")
    return path


def test_a_file_never_without_errors_is_said_to_show_nothing_in_the_kiosk(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    path = _broken(tmp_path)
    library = QuestionnaireLibrary(sample_dictionary())
    assert library.reload(path).questionnaire is None  # as the preview opens it: no version to keep
    panel = PreviewPanel(session)
    qtbot.addWidget(panel)
    analysis = analyse_file(path, dictionary=sample_dictionary(), catalog=session.catalog)
    panel.show_findings(analysis, kept=False)
    assert panel.findings.summary.text() == (
        "tent-finder.yaml: 1 error(s), 0 warning(s). No version of this file has been without errors yet: the kiosk"
        " shows nothing of it until the errors are fixed. Choose one to see its step."
    )
    panel.findings.list.setCurrentRow(1)
    assert panel.status.text() == "The kiosk cannot show step 'persons': no version of this file is without errors yet."
    assert session.state is None  # the kiosk pane stays where it was

    panel.show_findings(analysis)  # a good version was saved before: the kiosk keeps it
    assert "The kiosk shows the last version without errors." in panel.findings.summary.text()
