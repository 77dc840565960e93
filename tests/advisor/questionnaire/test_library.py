"""Reloading: a changed file is picked up; a broken one is reported and the last good version keeps working."""

from __future__ import annotations

import shutil
from pathlib import Path

from advisor.paths import questionnaires_dir
from advisor.questionnaire.library import QuestionnaireLibrary
from tests.helpers.catalog import sample_dictionary


def test_changed_file_is_used_and_broken_file_keeps_the_last_good_version(tmp_path: Path) -> None:
    path = tmp_path / "tent-finder.yaml"
    shutil.copy(questionnaires_dir() / "tent-finder.yaml", path)
    library = QuestionnaireLibrary(sample_dictionary())
    first = library.reload(path)
    assert first.updated
    assert first.questionnaire is not None
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Zeltberater", "Zelt-Finder", 1), encoding="utf-8")
    second = library.reload(path)
    assert second.updated
    assert second.questionnaire is not None
    assert "Zelt-Finder" in second.questionnaire.title["de"]
    path.write_text(text.replace("kind: single", "kind: singel", 1), encoding="utf-8")
    broken = library.reload(path)
    assert not broken.updated
    assert broken.questionnaire is second.questionnaire
    assert "Q004" in [f.code for f in broken.findings if f.severity == "error"]
    assert library.questionnaires["tent-finder"] is second.questionnaire
    path.write_text("steps: [", encoding="utf-8")
    assert library.reload(path).questionnaire is second.questionnaire
