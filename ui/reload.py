"""Watch questionnaire, guides and size charts files: a saved change is loaded; a file with errors is reported, the
last good one stays."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QFileSystemWatcher, QObject, Signal

from advisor.questionnaire.files import questionnaire_files
from advisor.questionnaire.findings import Finding
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


class DataFileWatcher(QObject):
    """Takes in saved guides and size charts files, read on a worker (`refresh_data_files`)."""

    refreshed = Signal(object)  # list[Finding]: those of a save with errors (not used)

    def __init__(self, files: list[Path]) -> None:
        super().__init__()
        self.files = files
        self.watcher = QFileSystemWatcher(self)
        for path in dict.fromkeys([*files, *(file.parent for file in files)]):  # the folder: editors replace files
            if path.exists():
                self.watcher.addPath(str(path))
        self.watcher.fileChanged.connect(self._changed)
        self.watcher.directoryChanged.connect(self._changed)
        self._busy = self._again = False

    def _changed(self, _name: str) -> None:
        for path in self.files:
            if path.exists() and str(path) not in self.watcher.files():
                self.watcher.addPath(str(path))
        if self._busy:  # one look at a time; a change meanwhile brings one more
            self._again = True
            return
        from advisor.content import refresh_data_files
        from ui.app import run_off_gui_thread

        self._busy = True
        run_off_gui_thread(refresh_data_files, self._done, self._failed)

    @property
    def busy(self) -> bool:
        """A look is under way (on a worker)."""
        return self._busy

    def _done(self, findings: list[Finding]) -> None:
        if not shiboken6.isValid(self):  # the kiosk or console closed meanwhile: the files were taken in all the same
            return
        self._busy = False
        self.refreshed.emit(findings)
        if self._again:
            self._again = False
            self._changed("")

    def _failed(self, error: Exception) -> None:
        if shiboken6.isValid(self):
            self._busy = False
        sys.stderr.write(f"advisor: cannot read the guides or size charts: {error}\n")


def watch_content(owner: QObject, library: QuestionnaireLibrary, reloaded: Callable[[Reloaded], None]) -> None:
    """Watch the questionnaire folder and the guides and size charts in use for a kiosk or a console (`owner`
    deletes the watchers with itself, on the GUI thread); `reloaded` is called after a questionnaire file is."""
    from advisor.content import data_files
    from advisor.paths import questionnaires_dir

    watcher = QuestionnaireWatcher(library, [questionnaires_dir()], [])
    watcher.setParent(owner)
    watcher.reloaded.connect(reloaded)
    DataFileWatcher(data_files()).setParent(owner)
