"""`advisor preview FILE`: the kiosk on one questionnaire, with its check findings and why each product is in or out."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QMainWindow, QSplitter, QVBoxLayout, QWidget

from advisor.audit import check_file
from advisor.i18n import pick
from advisor.questionnaire.findings import Finding
from advisor.questionnaire.library import QuestionnaireLibrary, Reloaded
from advisor.recommend import core
from advisor.recommend.index import CatalogIndex
from ui.session import KioskSession
from ui.window import KioskWindow


class PreviewPanel(QWidget):
    """Findings of the file, and for the current answers every product: in (with its rank) or out (and why)."""

    def __init__(self, session: KioskSession) -> None:
        super().__init__()
        self.session = session
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("advisor check"))
        self.findings = QListWidget()
        self.findings.setAccessibleName("findings")
        layout.addWidget(self.findings, 1)
        layout.addWidget(QLabel("Products for the current answers"))
        self.products = QListWidget()
        self.products.setAccessibleName("products in or out")
        layout.addWidget(self.products, 2)
        session.changed.connect(self.refresh_products)

    def show_findings(self, findings: tuple[Finding, ...] | list[Finding]) -> None:
        self.findings.clear()
        for finding in findings:
            self.findings.addItem(
                f"{finding.line}:{finding.column} {finding.code} {finding.severity}: {finding.message}"
            )
        if not findings:
            self.findings.addItem("no findings")

    def refresh_products(self) -> None:
        session = self.session
        self.products.clear()
        index, questionnaire, state = session.index, session.questionnaire, session.state
        if index is None or questionnaire is None or state is None:
            return
        result = session.recommendation()
        shown = {item.sku: rank for rank, item in enumerate(result.products, start=1)} if result else {}
        for product in index.products:
            name = pick(product.name, session.locale)
            if product.sku in shown:
                self.products.addItem(f"#{shown[product.sku]} {product.sku} {name}")
                continue
            answer = core.why_not(index=index, questionnaire=questionnaire, state=state, sku=product.sku,
                                  locale=session.locale)  # fmt: skip
            why = "; ".join(answer.labels) if answer.broken else "fits, ranked lower"
            self.products.addItem(f"– {product.sku} {name}: {why}")


def run_preview(path: Path, *, db_url: str | None) -> int:
    """Open the kiosk on one file; reload it on save; list its findings; explain every product."""
    import qasync

    from advisor.bootstrap import open_database
    from advisor.catalog.reads import load_dictionary
    from advisor.recommend.index import build_index
    from ui.app import create_application
    from ui.reload import QuestionnaireWatcher

    app = create_application()
    engine = open_database(db_url)
    catalog: CatalogIndex = build_index(engine)
    dictionary = load_dictionary(engine)
    library = QuestionnaireLibrary(dictionary)
    first = library.reload(path)
    session = KioskSession(library.questionnaires)
    session.set_catalog(catalog)
    kiosk = KioskWindow(session)
    kiosk.setWindowFlags(Qt.WindowType.Widget)
    panel = PreviewPanel(session)
    panel.show_findings(check_file(path, dictionary, catalog).findings)
    splitter = QSplitter()
    splitter.addWidget(kiosk)
    splitter.addWidget(panel)
    splitter.setSizes([900, 420])
    window = QMainWindow()
    window.setWindowTitle(f"Preview: {path}")
    window.setCentralWidget(splitter)
    window.resize(1400, 860)
    window.show()
    if first.questionnaire is not None:
        session.start(first.questionnaire.id)

    def reloaded(result: Reloaded) -> None:
        panel.show_findings(check_file(path, dictionary, catalog).findings if result.updated else result.findings)
        if result.updated and result.questionnaire is not None:
            session.set_questionnaires(library.questionnaires)
            session.start(result.questionnaire.id)

    watcher = QuestionnaireWatcher(library, [path.parent], [path])
    watcher.reloaded.connect(reloaded)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    with loop:
        loop.run_until_complete(closing.wait())
    return 0
