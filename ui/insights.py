"""The merchandisers' view in the staff console: the report's figures as charts (QtCharts), same computation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QListWidget, QScrollArea, QVBoxLayout, QWidget

from ui.widgets import label

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from advisor.insights.report import QuestionnaireFigures, Report
    from advisor.questionnaire.model import Questionnaire
    from advisor.recommend.index import CatalogIndex

PERIODS = (("Last 7 days / 7 Tage", 7), ("Last 30 days / 30 Tage", 30), ("Last year / 1 Jahr", 365), ("All / Alle", 0))
PRIMARY, ACCENT = QColor("#1f4d3a"), QColor("#b5500f")


def bar_chart(title: str, rows: list[tuple[str, float]], colour: QColor) -> QChartView:
    """A horizontal bar chart of (label, value) rows, first row on top."""
    chart = QChart()
    chart.setTitle(title)
    chart.legend().setVisible(False)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    values = QBarSet(title)
    values.setColor(colour)
    shown = list(reversed(rows))  # Qt draws the first category at the bottom
    for _, value in shown:
        values.append(float(value))
    series = QHorizontalBarSeries()
    series.append(values)
    series.setLabelsVisible(True)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append([name if len(name) <= 48 else name[:47] + "…" for name, _ in shown])
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    axis = QValueAxis()
    axis.setRange(0, max([value for _, value in rows] + [1]) * 1.1)
    axis.applyNiceNumbers()
    axis.setLabelFormat("%d")
    chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(120 + 28 * len(rows))
    view.setAccessibleName(title)
    return view


class InsightsView(QWidget):
    """Pick a questionnaire and a period; see the funnel, answers, gaps, products, handoffs and ratings."""

    def __init__(self, engine: Engine, questionnaires: dict[str, Questionnaire], catalog: CatalogIndex) -> None:
        super().__init__()
        self.engine = engine
        self.questionnaires = questionnaires
        self.catalog = catalog
        self.report: Report | None = None
        layout = QVBoxLayout(self)
        controls = QHBoxLayout()
        self.choice = QComboBox()
        self.choice.setAccessibleName("questionnaire")
        for questionnaire_id in sorted(questionnaires):
            self.choice.addItem(questionnaires[questionnaire_id].title.get("de", questionnaire_id), questionnaire_id)
        self.period = QComboBox()
        self.period.setAccessibleName("period")
        for name, days in PERIODS:
            self.period.addItem(name, days)
        self.period.setCurrentIndex(1)
        controls.addWidget(self.choice, 2)
        controls.addWidget(self.period, 1)
        layout.addLayout(controls)
        self.kpis = label("")
        self.kpis.setAccessibleName("key figures")
        layout.addWidget(self.kpis)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        scroll.setWidget(self.body)
        layout.addWidget(scroll, 1)
        self.charts: dict[str, QChartView] = {}
        self.choice.currentIndexChanged.connect(self.refresh)
        self.period.currentIndexChanged.connect(self.refresh)

    def refresh(self) -> None:
        """Read the events again and redraw (the same build_report as `advisor report`)."""
        from advisor.i18n import pick
        from advisor.insights.events import read_events
        from advisor.insights.report import build_report

        days = int(self.period.currentData() or 0)
        start = datetime.now(UTC) - timedelta(days=days) if days else None
        products = {
            category: [(product.sku, pick(product.name, "de")) for product in index.products]
            for category, index in self.catalog.categories.items()
        }
        self.report = build_report(read_events(self.engine, start=start), self.questionnaires, products, start=start)
        self.show_figures(self.figures())

    def figures(self) -> QuestionnaireFigures | None:
        wanted = self.choice.currentData()
        if self.report is None:
            return None
        return next((q for q in self.report.questionnaires if q.questionnaire_id == wanted), None)

    def show_figures(self, figures: QuestionnaireFigures | None) -> None:
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()  # out of sight at once; deleted when the event loop comes round
                widget.deleteLater()
        self.charts = {}
        if figures is None:
            self.kpis.setText("No data / Keine Daten")
            return
        wait = f"{figures.median_wait:.0f} s" if figures.median_wait is not None else "–"
        self.kpis.setText(
            f"Started {figures.started} · Results {figures.completed} ({100 * figures.completion_rate:.1f} %) · "
            f"Handoff {100 * figures.handoff_rate:.1f} % (median wait {wait}) · "
            f"Top grade {100 * figures.rating.top_share:.1f} % of {figures.rating.total}"
        )
        self._chart("funnel", "Reached per question / Erreicht je Frage", figures.funnel_rows, PRIMARY)
        self._chart(
            "dropoff", "Gave up here / Hier abgebrochen", [(s.question, s.dropped) for s in figures.steps], ACCENT
        )
        self._chart("rating", "Ratings / Bewertungen", figures.rating.rows, ACCENT)
        if figures.most_recommended:
            self._chart("most", "Recommended most / Am häufigsten empfohlen", figures.most_rows, PRIMARY)
        if figures.relaxations:
            self._chart("relaxations", "Wishes dropped / Aufgegebene Wünsche", list(figures.relaxations), ACCENT)
        self.body_layout.addWidget(label(f"Assortment gaps / Sortimentslücken ({figures.gap_runs})", "Section"))
        gaps = QListWidget()
        gaps.setAccessibleName("assortment gaps")
        gaps.setWordWrap(True)
        for combination, count in figures.gaps:
            gaps.addItem(f"{count} × {combination}")
        self.gaps = gaps
        self.body_layout.addWidget(gaps)
        never = ", ".join(name for name, _ in figures.never_recommended) or "–"
        self.never = label(f"Never recommended / Nie empfohlen ({len(figures.never_recommended)}): {never}")
        self.body_layout.addWidget(self.never)
        self.body_layout.addStretch(1)

    def _chart(self, key: str, title: str, rows: list[tuple[str, int]], colour: QColor) -> None:
        view = bar_chart(title, [(name, float(value)) for name, value in rows], colour)
        self.charts[key] = view
        self.body_layout.addWidget(view)


def chart_values(view: QChartView) -> list[tuple[str, float]]:
    """What a chart shows, top row first (tests compare it with the report)."""
    chart = view.chart()
    series = chart.series()[0]
    assert isinstance(series, QHorizontalBarSeries)
    axis = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis))
    values = series.barSets()[0]
    rows = [(axis.categories()[i], values.at(i)) for i in range(values.count())]
    return list(reversed(rows))
