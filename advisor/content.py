"""The merchandisers' guides and size charts in use, taken in again when their files are saved: each surface looks
with `refresh_data_files` off its GUI thread or requests (the kiosk and the console when a file changes, a web
server process in its housekeeping), as they reload questionnaire files."""

from __future__ import annotations

import sys
from pathlib import Path

from advisor.questionnaire.findings import ERROR, Finding
from advisor.questionnaire.library import QuestionnaireLibrary, load_library
from advisor.recommend.sizes import refresh_size_charts, size_charts_in_use, size_charts_path
from advisor.service.guides import guides_in_use, guides_path, refresh_guides


def data_files() -> list[Path]:
    """The guides and size charts files in use."""
    return [guides_path(), size_charts_path()]


def load_data_files() -> None:
    """Read the guides and size charts in use now (at a surface's start, off its GUI thread or requests)."""
    guides_in_use()
    size_charts_in_use()


def load_content() -> QuestionnaireLibrary:
    """A surface's start (off its GUI thread): the questionnaires that load without errors, and the guides and size
    charts read now."""
    library = load_library()
    load_data_files()
    return library


def refresh_data_files() -> list[Finding]:
    """Take in saved guides and size charts files. A save with errors is named in the journal (stderr), once, and
    the last good version stays in use."""
    findings = [*refresh_guides(), *refresh_size_charts()]
    for finding in findings:
        if finding.severity == ERROR:
            sys.stderr.write(finding.as_text() + "\n")
    return findings
