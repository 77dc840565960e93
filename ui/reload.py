"""Watch questionnaire files: a saved change is loaded; a file with errors is reported, the last good one stays."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Signal

from advisor.questionnaire.files import questionnaire_files
from advisor.questionnaire.library import QuestionnaireLibrary, Reloaded


class QuestionnaireWatcher(QObject):
    """Reloads changed files into the library and says so."""

    reloaded = Signal(object)  # Reloaded

    def __init__(self, library: QuestionnaireLibrary, folders: list[Path], files: list[Path]) -> None:
        super().__init__()
        self.library = library
        self.folders = folders
        self.watcher = QFileSystemWatcher(self)
        for path in [*folders, *files, *questionnaire_files(folders)]:
            self.watcher.addPath(str(path))
        self.watcher.fileChanged.connect(self._changed)
        self.watcher.directoryChanged.connect(self._folder_changed)

    def _changed(self, name: str) -> None:
        path = Path(name)
        if not path.exists():
            return  # editors save by replacing the file: the folder event brings the new one
        if name not in self.watcher.files():
            self.watcher.addPath(name)
        result: Reloaded = self.library.reload(path)
        for finding in result.findings:
            sys.stderr.write(finding.as_text() + "\n")
        self.reloaded.emit(result)

    def _folder_changed(self, _name: str) -> None:
        for path in questionnaire_files(self.folders):
            if str(path) not in self.watcher.files():
                self.watcher.addPath(str(path))
                self._changed(str(path))
