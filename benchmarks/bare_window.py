"""The cold-start floor: a bare QApplication showing one window, quitting after its first paint."""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel


class QuitOnPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.quit)
        return False


app = QApplication(sys.argv)
window = QLabel("Hello")
window.resize(1280, 800)
quitter = QuitOnPaint()
window.installEventFilter(quitter)
window.show()
sys.exit(app.exec())
