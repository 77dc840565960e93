"""`advisor preview FILE`: the kiosk on one questionnaire, with its findings and why each product is in or out.

The findings are the one analysis `advisor check` and `advisor lsp` make (advisor.audit), each shown whole with
the line it is about, errors first; choosing one shows its step in the kiosk pane.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from advisor.audit import Analysis, analyse_file, answers_reaching, step_at, verdicts
from advisor.catalog.dictionary import Dictionary
from advisor.questionnaire.findings import ERROR, Finding
from advisor.questionnaire.library import QuestionnaireLibrary, Reloaded
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.core import display_answer
from advisor.recommend.index import CatalogIndex
from ui.session import KioskSession
from ui.window import KioskWindow

if TYPE_CHECKING:
    from advisor.config import Config

FINDING = Qt.ItemDataRole.UserRole
PANEL_LOCALE = "en"  # the panel speaks to the merchandiser in English, whatever language the kiosk pane is in


def ranked_lower_by(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> str:
    """What puts the products that fit below the shown ones: the preferences the answers bring in, else (before any
    answer brings one in) only the tie break ("by price, lowest first"), then the sku."""
    from advisor.engine import active_preferences

    if active_preferences(questionnaire, answers):
        return "by the preferences"
    order = [
        f"{item.lstrip('-')}, {'highest' if item.startswith('-') else 'lowest'} first"
        for item in questionnaire.results.tie_break
    ]
    return f"by the tie break: {'; then '.join([*order, 'sku'])} (no preference applies yet)"


def _heading(text: str) -> QListWidgetItem:
    item = QListWidgetItem(text)
    font = QFont()
    font.setBold(True)
    item.setFont(font)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not selectable
    return item


def _wrapping_list(name: str) -> QListWidget:
    """A list whose items wrap to its width (no horizontal scrolling)."""
    widget = QListWidget()
    widget.setAccessibleName(name)
    widget.setWordWrap(True)
    widget.setTextElideMode(Qt.TextElideMode.ElideNone)
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    widget.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    widget.setResizeMode(QListWidget.ResizeMode.Adjust)
    widget.setSpacing(2)
    return widget


class FindingsList(QWidget):
    """The file's findings, grouped by severity, each whole with its line's text; a chosen one is announced."""

    chosen = Signal(object)  # Finding

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setObjectName("Muted")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.list = _wrapping_list("findings")
        layout.addWidget(self.list, 1)
        self.list.currentItemChanged.connect(self._current)

    def show_analysis(self, analysis: Analysis, kept: bool = True) -> None:
        """Show the findings; `kept`: the kiosk has a version of the file without errors (the last one) to show."""
        self.list.clear()
        errors = [f for f in analysis.findings if f.severity == ERROR]
        warnings = [f for f in analysis.findings if f.severity != ERROR]
        name = Path(analysis.file).name
        if not analysis.findings:
            self.summary.setText(f"{name}: no findings.")
            return
        shown = ""
        if errors:
            shown = (" The kiosk shows the last version without errors." if kept else
                     " No version of this file has been without errors yet: the kiosk shows nothing of it until the"
                     " errors are fixed.")  # fmt: skip
        self.summary.setText(
            f"{name}: {len(errors)} error(s), {len(warnings)} warning(s).{shown} Choose one to see its step."
        )
        document = analysis.context.document if analysis.context else None
        style = self.style()
        for title, group, icon in (
            ("Errors", errors, QStyle.StandardPixmap.SP_MessageBoxCritical),
            ("Warnings", warnings, QStyle.StandardPixmap.SP_MessageBoxWarning),
        ):
            if not group:
                continue
            self.list.addItem(_heading(f"{title} ({len(group)})"))
            for finding in group:
                where = f"Line {finding.line}, column {finding.column}" if finding.line else "The whole file"
                text = f"{where} · {finding.code}\n{finding.message}"
                line = document.line_text(finding.line - 1).strip() if document and finding.line else ""
                if line:
                    text += f"\n{finding.line} │ {line}"
                item = QListWidgetItem(style.standardIcon(icon), text)
                item.setData(FINDING, finding)
                item.setToolTip(finding.as_text())
                self.list.addItem(item)

    def findings(self) -> list[Finding]:
        found = (self.list.item(i).data(FINDING) for i in range(self.list.count()))
        return [finding for finding in found if finding is not None]

    def _current(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        finding = item.data(FINDING) if item is not None else None
        if finding is not None:
            self.chosen.emit(finding)


class PreviewPanel(QWidget):
    """Findings of the file, and for the current answers every product: in (with its rank) or out (and why)."""

    def __init__(self, session: KioskSession) -> None:
        super().__init__()
        self.session = session
        self.analysis: Analysis | None = None
        self.kept = True  # the kiosk has a version of the file without errors to show
        layout = QVBoxLayout(self)
        title = QLabel("Findings (advisor check)")
        title.setObjectName("Section")
        layout.addWidget(title)
        self.findings = FindingsList()
        layout.addWidget(self.findings, 3)
        self.status = QLabel()
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.products_title = QLabel("Products for the current answers")
        self.products_title.setObjectName("Section")
        self.products_title.setWordWrap(True)
        layout.addWidget(self.products_title)
        self.products = _wrapping_list("products in or out")
        self.products.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.products, 4)
        session.changed.connect(self.refresh_products)
        self.findings.chosen.connect(self.show_step_of)

    def show_findings(self, analysis: Analysis, kept: bool = True) -> None:
        """Show the file's findings; `kept`: whether the kiosk has a version of it without errors (else it shows
        nothing of the file)."""
        self.analysis, self.kept = analysis, kept
        self.findings.show_analysis(analysis, kept)

    def show_step_of(self, finding: Finding) -> None:
        """Show the step a finding is about in the kiosk pane (with answers that lead to it)."""
        session = self.session
        step_id = step_at(self.analysis, finding.line) if self.analysis else None
        questionnaire = session.questionnaire
        if step_id is None:
            self.status.setText("This finding is not about one step.")
            return
        if not self.kept:
            self.status.setText(
                f"The kiosk cannot show step '{step_id}': no version of this file is without errors yet."
            )
            return
        if questionnaire is None or step_id not in questionnaire.positions:
            self.status.setText(
                f"Step '{step_id}' is not in the version the kiosk shows (the last one without errors)."
            )
            return
        answers = answers_reaching(questionnaire, step_id)
        if answers is None:
            self.status.setText(f"No answers lead to step '{step_id}'.")
            return
        session.start(questionnaire.id)
        if answers:
            session.set_answers(answers)
        self.status.setText(f"The kiosk shows step '{step_id}'.")

    def refresh_products(self) -> None:
        session = self.session
        self.products.clear()
        index, questionnaire, state = session.index, session.questionnaire, session.state
        if index is None or questionnaire is None or state is None:
            self.products_title.setText("Products for the current answers")
            return
        if questionnaire.is_service:
            self._show_outcomes()
            return
        # A number step not answered yet: its slider's start value counted, as the kiosk's live count does
        current = state.current
        step = questionnaire.step(current) if current is not None and current in questionnaire.positions else None
        slider = ""
        if step is not None and step.kind == "number" and step.id not in state.answers:
            start = step.default if step.default is not None else step.min or 0
            state = replace(state, answers={**state.answers, step.id: start})
            slider = f" with the slider at its start, {display_answer(step, start, PANEL_LOCALE)} (not answered yet)"
        found = verdicts(index=index, questionnaire=questionnaire, state=state, locale=PANEL_LOCALE)
        shown = [v for v in found if v.shown]
        fitting = [v for v in found if v.rank is not None and not v.shown]
        out = [v for v in found if v.rank is None]
        self.products_title.setText(
            f"Products for the current answers{slider}: {len(shown) + len(fitting)} of {len(found)} fit,"
            f" {len(shown)} shown"
        )
        if shown:
            self.products.addItem(_heading(f"Shown ({len(shown)})"))
            for verdict in shown:
                why = (
                    "meets " + ", ".join(f"'{r}'" for r in verdict.reasons) if verdict.reasons else "no requirement yet"
                )
                self.products.addItem(f"#{verdict.rank} {verdict.sku} {verdict.name}: shown, {why}")
        if fitting:
            self.products.addItem(_heading(f"Fit, but ranked below the shown ones ({len(fitting)})"))
            lower = ranked_lower_by(questionnaire, state.answers)
            for verdict in fitting:
                self.products.addItem(f"#{verdict.rank} {verdict.sku} {verdict.name}: fits, ranked lower {lower}")
        if out:
            self.products.addItem(_heading(f"Out ({len(out)})"))
            for verdict in out:
                self.products.addItem(
                    f"{verdict.sku} {verdict.name}: out, breaks " + ", ".join(f"'{r}'" for r in verdict.reasons)
                )

    def _show_outcomes(self) -> None:
        """A service flow: which outcomes apply to the current answers (and the product named), which do not."""
        from advisor.service.outcomes import condition_values, holds

        advice = self.session.advice
        assert advice is not None
        flow = advice.questionnaire
        applied = {item.id: item for item in advice.outcomes()}
        values = condition_values(flow, advice.state.answers, advice.owned())
        self.products_title.setText(
            f"Outcomes for the current answers: {len(applied)} of {len(flow.outcomes)} apply"
            + (f" (product {advice.product})" if advice.product else " (no product named)")
        )
        self.products.addItem(_heading(f"Apply ({len(applied)})"))
        for outcome in flow.outcomes:
            item = applied.get(outcome.id)
            if item is not None:
                guide = f": guide {item.guide.id}" if item.guide else ""
                offers = f": {', '.join(item.parts)}" if item.parts else guide
                self.products.addItem(f"{outcome.id} ({outcome.kind}){offers}")
        rest = [outcome for outcome in flow.outcomes if outcome.id not in applied]
        if rest:
            self.products.addItem(_heading(f"Do not apply ({len(rest)})"))
            for outcome in rest:
                why = (f"'{outcome.condition.source}' does not hold" if outcome.condition is not None
                       and not holds(outcome, values) else "offers no product of this catalog")  # fmt: skip
                self.products.addItem(f"{outcome.id} ({outcome.kind}): {why}")


class PreviewWindow(QMainWindow):
    """The kiosk pane beside the findings and products panel."""

    def __init__(self, session: KioskSession, kiosk: KioskWindow, path: Path) -> None:
        super().__init__()
        self.session = session
        self.kiosk = kiosk
        kiosk.setWindowFlags(Qt.WindowType.Widget)
        kiosk.setMinimumWidth(760)  # the kiosk's narrowest layout: its labels stay whole
        self.panel = PreviewPanel(session)
        self.panel.setMinimumWidth(420)
        splitter = QSplitter()
        splitter.addWidget(kiosk)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([880, 560])
        self.setWindowTitle(f"Preview: {path}")
        self.setCentralWidget(splitter)
        self.resize(1440, 900)


def analyse(path: Path, dictionary: Dictionary | None, catalog: CatalogIndex | None) -> Analysis:
    return analyse_file(path, dictionary=dictionary, catalog=catalog)


def run_preview(path: Path, *, db_url: str | None, config: Config | None = None) -> int:
    """Open the kiosk on one file; reload it on save; list its findings; explain every product (`config`: the
    store's configuration, applied as the kiosk applies it: its store's stock, its default language)."""
    import qasync

    from advisor.bootstrap import open_database
    from advisor.catalog.reads import load_dictionary
    from advisor.recommend.index import build_index
    from ui.app import configured_session, create_application
    from ui.reload import QuestionnaireWatcher

    app = create_application()
    engine = open_database(db_url)
    catalog: CatalogIndex = build_index(engine)
    dictionary = load_dictionary(engine)
    library = QuestionnaireLibrary(dictionary)
    first = library.reload(path)
    session = configured_session(library.everything, config)  # a service flow previews as well as a finder
    session.set_catalog(catalog)
    window = PreviewWindow(session, KioskWindow(session), path)
    window.panel.show_findings(analyse(path, dictionary, catalog), kept=first.questionnaire is not None)
    window.show()
    if first.questionnaire is not None:
        session.start(first.questionnaire.id)

    def reloaded(result: Reloaded) -> None:
        window.panel.show_findings(analyse(path, dictionary, catalog), kept=result.questionnaire is not None)
        if result.updated and result.questionnaire is not None:
            session.set_questionnaires(library.everything)
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
