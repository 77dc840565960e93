"""The merchandisers' view in the staff console: the figures of `advisor report` (the same `read_report`), read off
the GUI thread when the window opens and when the period changes, in the console's language."""

from __future__ import annotations

import html
import textwrap
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor.i18n import number, pick, text
from advisor.insights.report import (
    WITHDRAWN_WITHIN_S,
    changed_text,
    counted,
    last_days,
    numeral,
    percent,
    read_report,
    seconds,
)
from ui.ops import Lane
from ui.widgets import label

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.engine import Engine

    from advisor.insights.report import Gap, Headline, QuestionnaireFigures, Report
    from advisor.questionnaire.model import Questionnaire
    from advisor.recommend.index import CatalogIndex

PERIODS = (7, 30, 365, 0)  # days; 0: all data
SERVICE = "service"  # the choice that shows the service flows together (help with a product)
PRIMARY, ACCENT = QColor("#1f4d3a"), QColor("#b5500f")
WRAP = 34  # characters per line of a chart's category
ROW_AIR = 6  # pixels added to a table row's wrapped text


def categories_of(names: Sequence[str]) -> list[str]:
    """Chart categories: wrapped instead of cut, so no two read the same; numbered when two labels are equal
    (Qt draws equal categories as one bar)."""
    unique = len(set(names)) == len(names)
    shown = [name if unique else f"{i}. {name}" for i, name in enumerate(names, 1)]
    return ["<br>".join(html.escape(line) for line in textwrap.wrap(name, WRAP)) or html.escape(name) for name in shown]


def category_label(shown: str) -> str:
    """The text of a category as it reads (tests compare charts with the report)."""
    return html.unescape(shown.replace("<br>", " "))


def bar_chart(title: str, rows: Sequence[tuple[str, float]], colour: QColor) -> QChartView:
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
    categories.append(list(reversed(categories_of([name for name, _ in rows]))))
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
    lines = sum(max(1, len(textwrap.wrap(name, WRAP))) for name, _ in rows)
    view.setMinimumHeight(110 + 18 * lines + 10 * len(rows))
    view.setAccessibleName(title)
    return view


def chart_values(view: QChartView) -> list[tuple[str, float]]:
    """What a chart shows, top row first, by the labels it was made from."""
    chart = view.chart()
    series = chart.series()[0]
    assert isinstance(series, QHorizontalBarSeries)
    axis = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis))
    values = series.barSets()[0]
    rows = [(category_label(axis.categories()[i]), values.at(i)) for i in range(values.count())]
    return list(reversed(rows))


class FiguresTable(QTableWidget):
    """A read-only table showing all its rows (the window scrolls), each as tall as its wrapped text, as wide as the
    window: a row never runs off the right edge and no word is cut ("Ausstattu…").

    `weights`: per column, 0 for a column of figures ("2 von 2 (100 %)"), as wide as its widest cell; the text
    columns share the rest of the width in proportion to their weights and wrap. By default the first column takes
    all that is left."""

    def __init__(
        self, name: str, headers: Sequence[str], rows: Sequence[Sequence[str]], weights: Sequence[float] = ()
    ) -> None:
        super().__init__(len(rows), len(headers))
        self.weights = list(weights) if weights else [1.0] + [0.0] * (len(headers) - 1)
        assert len(self.weights) == len(headers) and any(self.weights), "a weight per column, one of them for text"
        self.setAccessibleName(name)
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.verticalHeader().setVisible(False)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the columns fill the width
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # set by _fit from the table's width
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                item = QTableWidgetItem(cell)
                if c and cell[:1].isdigit():
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit()  # wrapped text takes more or fewer lines at the new width

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()  # the console's style sheet sets the table's font once it is shown

    def _fit(self) -> None:
        """Columns across the whole width, nothing to scroll sideways; then every row as tall as its text."""
        header = self.horizontalHeader()
        width = self.viewport().width()
        # A column of figures as wide as its widest cell or its header, but never more than a quarter of the table
        # (it wraps then), so the text columns keep their room.
        natural = {
            c: min(max(header.sectionSizeHint(c), self.sizeHintForColumn(c)), width // 4)
            for c, weight in enumerate(self.weights)
            if not weight
        }
        rest = max(0, width - sum(natural.values()))
        shared = [c for c, weight in enumerate(self.weights) if weight]
        total = sum(self.weights)
        given = 0
        for c in range(self.columnCount()):
            if c in natural:
                size = natural[c]
            elif c == shared[-1]:
                size = rest - given  # the last text column takes what rounding left over
            else:
                size = int(rest * self.weights[c] / total)
                given += size
            header.resizeSection(c, size)
        self.resizeRowsToContents()
        for r in range(self.rowCount()):  # a little air above and below: a cell of four lines touches its borders
            self.setRowHeight(r, self.rowHeight(r) + ROW_AIR)
        rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(header.sizeHint().height() + rows + 2 * self.frameWidth())


def cells(widget: QTableWidget) -> list[list[str]]:
    """A table's texts, row by row (tests compare them with the report)."""
    return [
        [item.text() if (item := widget.item(r, c)) else "" for c in range(widget.columnCount())]
        for r in range(widget.rowCount())
    ]


class HeadlineCard(QFrame):
    """One headline figure: its name, its value large, its base and the period before."""

    def __init__(self, headline: Headline) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(headline.name)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        self.name = label(headline.name)
        self.value = label(headline.shown, "Figure")  # large and bold (the console's style sheet)
        self.details = label(headline.base)
        # The period before, green where the change is for the better, red where for the worse (as in the report).
        change = "" if headline.better is None else "Improved" if headline.better else "Worsened"
        self.previous = label(headline.previous, change)
        for widget in (self.name, self.value, self.details, self.previous):
            widget.setVisible(bool(widget.text()))
            layout.addWidget(widget)
        layout.addStretch(1)

    def text(self) -> str:
        """What the card says, line by line."""
        return "\n".join(item.text() for item in (self.name, self.value, self.details, self.previous) if item.text())


class InsightsView(QWidget):
    """Pick a questionnaire and a period; see its headline figures against the period before, the assortment gaps,
    where shoppers stop and what they answer, the wishes they drop, products, ratings and handoffs. It opens on the
    finder with the most advice sessions in the period (unless one was chosen before its figures came)."""

    updated = Signal()  # new figures are on screen (or why there are none)

    def __init__(
        self,
        engine: Engine,
        questionnaires: dict[str, Questionnaire],
        catalog: CatalogIndex,
        *,
        locale: str = "de",
        zone: tzinfo = UTC,
        store: str | None = None,
    ) -> None:
        super().__init__()
        self.zone = zone  # the store's: the period is said in its time
        # The store whose events are counted (the console's [store] id; ALL_STORES: every one; None: every event,
        # unsaid, as a report without a configuration).
        self.store = store
        self.engine = engine
        # The finders have a block each; the service flows (help with a product) one "Service" view together.
        self.questionnaires = {qid: q for qid, q in questionnaires.items() if not q.is_service}
        self.service_flows = {qid: q for qid, q in questionnaires.items() if q.is_service}
        self.catalog = catalog
        self.shown_locale = locale
        self.report: Report | None = None
        self.reads = Lane(self, serial=True)  # the event log is read off the GUI thread, in order
        self._asked = 0  # the latest read asked for; older answers are not shown
        self._reading = False
        self._open_on_busiest = True  # until the first figures are read or a questionnaire is chosen
        layout = QVBoxLayout(self)
        controls = QHBoxLayout()
        self.choice = QComboBox()
        self.choice.setAccessibleName(self.t("questionnaire"))
        for questionnaire_id in sorted(self.questionnaires):
            self.choice.addItem(pick(self.questionnaires[questionnaire_id].title, locale), questionnaire_id)
        if self.service_flows:
            self.choice.addItem(self.t("service.title"), SERVICE)
        self.period = QComboBox()
        self.period.setAccessibleName(self.t("period"))
        for days in PERIODS:
            self.period.addItem(self.t("days", count=days) if days else self.t("days_all"), days)
        self.period.setCurrentIndex(1)
        controls.addWidget(self.choice, 2)
        controls.addWidget(self.period, 1)
        layout.addLayout(controls)
        self.status = label("")
        self.status.setAccessibleName("status")
        layout.addWidget(self.status)
        self.kpis = QGridLayout()
        layout.addLayout(self.kpis)
        self.headlines: dict[str, HeadlineCard] = {}
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        scroll.setWidget(self.body)
        layout.addWidget(scroll, 1)
        self.charts: dict[str, QChartView] = {}
        self.tables: dict[str, FiguresTable] = {}
        self.notes: dict[str, QLabel] = {}
        self.choice.currentIndexChanged.connect(lambda _index: self._chosen())
        self.period.currentIndexChanged.connect(lambda _index: self.refresh())

    def t(self, key: str, **params: Any) -> str:
        return text(f"report.{key}", self.shown_locale, **params)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Opened (not restored from the task bar): read the figures again."""
        super().showEvent(event)
        if not event.spontaneous() and not self._reading:
            self.refresh()

    def refresh(self) -> None:
        """Read the event log again, off the GUI thread, and show the figures when they are there."""
        days = int(self.period.currentData() or 0)
        now = datetime.now(UTC)
        start = last_days(days, now, self.zone) if days else None
        locale, questionnaires, engine, zone = self.shown_locale, dict(self.questionnaires), self.engine, self.zone
        store = self.store
        flows = dict(self.service_flows)
        categories = dict(self.catalog.categories)
        families = {category: pick(index.category.label, locale) for category, index in categories.items()}
        products = {
            category: [(product.sku, pick(product.name, locale)) for product in index.products]
            for category, index in categories.items()
        }
        self._asked += 1
        asked = self._asked
        self._reading = True
        self.status.setText(self.t("loading"))

        def read() -> Report:
            return read_report(
                engine, questionnaires=questionnaires, products_by_category=products, locale=locale, start=start,
                now=now, index_for=lambda questionnaire: categories.get(questionnaire.category), zone=zone,
                service_flows=flows, families=families, store=store,
            )  # fmt: skip

        self.reads.run(read, lambda report: self._read(asked, report), lambda error: self._failed(asked, error))

    def _read(self, asked: int, report: Report) -> None:
        if asked != self._asked:
            return  # the period changed meanwhile: its own read follows
        self._reading = False
        self.report = report
        if self._open_on_busiest:
            self._open_on_busiest = False
            self._choose_busiest(report)
        self.show_figures()

    def _chosen(self) -> None:
        self._open_on_busiest = False  # a questionnaire chosen stays chosen
        self.show_figures()

    def _choose_busiest(self, report: Report) -> None:
        """Choose the finder with the most advice sessions in the report's period (as the report counts them); the
        one chosen stays on a tie, and when no finder has any."""
        started = {figures.questionnaire_id: figures.started for figures in report.questionnaires}
        current = self.choice.currentData()
        finders = [current, *(qid for qid in sorted(self.questionnaires) if qid != current)]
        busiest = max(finders, key=lambda qid: started.get(qid, 0))
        if started.get(busiest, 0) > started.get(current, 0):
            blocker = QSignalBlocker(self.choice)  # (shown once, by the caller)
            self.choice.setCurrentIndex(self.choice.findData(busiest))
            blocker.unblock()

    def _failed(self, asked: int, error: Exception) -> None:
        if asked != self._asked:
            return
        self._reading = False
        self.report = None  # no figures of another period left on screen
        self._clear()
        self.status.setText(self.t("failed", error=f"{type(error).__name__}: {error}"))
        self.updated.emit()

    def figures(self) -> QuestionnaireFigures | None:
        if self.report is None:
            return None
        return self.report.figures(self.choice.currentData())

    def _clear(self) -> None:
        for widgets in (self.kpis, self.body_layout):
            while widgets.count():
                item = widgets.takeAt(0)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.hide()  # out of sight at once; deleted when the event loop comes round
                    widget.deleteLater()
        self.headlines, self.charts, self.tables, self.notes = {}, {}, {}, {}

    def show_figures(self) -> None:
        """Show the chosen questionnaire's figures of the report that was read last."""
        self._clear()
        figures = self.figures()
        if self.report is None:
            self.updated.emit()
            return
        if self.choice.currentData() == SERVICE:
            self.show_service()
            return
        if figures is None or not figures.has_data:
            self.status.setText(f"{self.report.period} · {self.t('no_data')}")
            self.updated.emit()
            return
        period = self.report.period
        if self.report.previous_start:
            period += " · " + self.t("compared_with", period=self.report.previous_period)
        self.status.setText(period)
        if changed := changed_text(figures, self.shown_locale):  # as the report says it, above the figures
            self._note("changed", changed)
        for i, headline in enumerate(figures.headlines):
            card = HeadlineCard(headline)
            self.kpis.addWidget(card, 0, i)
            self.kpis.setColumnStretch(i, 1)
            self.headlines[headline.key] = card
        for key, gaps in (("gaps", figures.gaps), ("gap_pairs", figures.gap_pairs)):
            if gaps:
                self._section(self.t(key))
                # The wishes about a third of the width, the closest products the rest, one per line.
                self._table(key, [self.t("wish"), self.t("nothing_fitted"), self.t("closest")], self._gap_rows(gaps),
                            weights=(1, 0, 2))  # fmt: skip
        self._section(self.t("funnel"))
        self._table(
            "funnel",
            [self.t("question"), self.t("reached"), self.t("stopped")],
            [[s.question, str(s.reached), f"{s.dropped} ({self._percent(s.drop_rate)})"] for s in figures.steps],
        )
        for step in figures.steps:
            if step.answered:
                self._chart(f"answers:{step.step_id}", step.question, step.answers, PRIMARY)
        if figures.dropped_wishes:
            self._chart("wishes", self.t("dropped_wishes"), figures.dropped_rows, ACCENT)
        if figures.most_recommended:
            rows = [(self.t("opened", name=name, share=self._percent(share)), runs)
                    for name, runs, share in figures.most_rows]  # fmt: skip
            self._chart("most", self.t("most"), rows, PRIMARY)
        if absent := figures.absent_line(self.shown_locale):
            self._note("not_in_stock", absent)
        never = ", ".join(name for name, _ in figures.never_recommended) or "–"
        self._note("never", f"{self.t('never', count=len(figures.never_recommended))}: {never}")
        # Each scale on its own (school grades: 1 is best; stars: 5 is best): "rating" when rated on one scale,
        # "rating:grades" and "rating:stars" when on both in the period.
        for about, rating in (("rating", figures.rating), ("contact", figures.contact_rating)):
            for distribution in rating.distributions if rating.total else ():
                key = f"{about}:{distribution.scale}" if rating.mixed else about
                title = (
                    self.t(f"rating_{distribution.scale}") if about == "rating"
                    else self.t(f"contact_{distribution.scale}") if rating.mixed else self.t("contact")
                )  # fmt: skip
                self._chart(key, title, distribution.rows, ACCENT)
        within = numeral(WITHDRAWN_WITHIN_S, self.shown_locale)
        handoff = [counted("report.withdrawn", figures.withdrawn, self.shown_locale, within=within)]
        claims = []  # the claimed requests' wait, and beside it the requests nobody claimed
        if figures.p90_wait is not None:
            claims.append(
                self.t("wait_p90", p90=seconds(figures.p90_wait, self.shown_locale), share=self._percent(0.9))
            )
        if figures.requests:
            claims.append(counted("report.never_claimed", figures.never_claimed, self.shown_locale, within=within))
        if claims:
            handoff.append(" · ".join(claims))
        self._section(self.t("handoff"))
        self._note("handoff", "\n".join(handoff))
        self.body_layout.addStretch(1)
        self.updated.emit()

    def show_service(self) -> None:
        """The service flows together: runs, how problems were solved, each family's and product's top problems."""
        assert self.report is not None
        section = self.report.service_section

        def words(key: str, **params: Any) -> str:
            return self.t(f"service.{key}", **params)

        if section is None or not (section.runs or section.started):
            self.status.setText(f"{self.report.period} · {words('none')}")
            self.updated.emit()
            return
        self.status.setText(f"{self.report.period} · {words('runs')}: {number(section.runs, self.shown_locale)}")
        # Started against reached an outcome, with its base: the drop-off of the help flows (as in the report).
        reached = words("reached_base", count=number(section.started, self.shown_locale),
                        share=self._percent(section.reach_rate))  # fmt: skip
        self._note(
            "service:reach",
            f"{words('started')}: {number(section.started, self.shown_locale)} · "
            f"{words('reached')}: {number(section.reached, self.shown_locale)} {reached}",
        )
        if section.reach:
            rows = [[title, number(started, self.shown_locale),
                     f"{number(reached, self.shown_locale)} ({self._percent(share)})"]
                    for title, started, reached, share in section.reach_rows]  # fmt: skip
            if len(rows) > 1:
                rows.append(
                    [
                        words("all"),
                        number(section.started, self.shown_locale),
                        f"{number(section.reached, self.shown_locale)} ({self._percent(section.reach_rate)})",
                    ]
                )
            self._section(words("reach"))
            self._table("service:reach", [words("flow"), words("started"), words("reached")], rows)
        if section.flows:
            self._chart("service:flows", words("runs"), list(section.flows), PRIMARY)
        self._section(words("solved"))
        self._table("service:solved", [words("solved"), words("runs")],
                    [[name, f"{number(runs, self.shown_locale)} ({self._percent(share)})"]
                     for name, runs, share in section.resolutions])  # fmt: skip
        for family, problems in section.families:
            self._chart(f"service:{family}", words("family", family=family), list(problems), ACCENT)
        if section.products:
            self._section(words("products"))
            self._table("service:products", [words("product"), words("problems")],
                        [[name, ", ".join(f"{problem} ({runs})" for problem, runs in problems)]
                         for name, problems in section.products], weights=(1, 2))  # fmt: skip
        self._note("service:note", words("note"))
        self.body_layout.addStretch(1)
        self.updated.emit()

    def _gap_rows(self, gaps: Sequence[Gap]) -> list[list[str]]:
        return [
            [gap.label, self.t("runs_of", count=number(gap.runs, self.shown_locale),
                               base=number(gap.base, self.shown_locale), share=self._percent(gap.rate)),
             "\n".join(gap.closest) or "–"]
            for gap in gaps
        ]  # fmt: skip

    def _percent(self, share: float) -> str:
        return percent(share, self.shown_locale)

    def _section(self, title: str) -> None:
        self.body_layout.addWidget(label(title, "Section"))

    def _table(
        self, key: str, headers: Sequence[str], rows: Sequence[Sequence[str]], weights: Sequence[float] = ()
    ) -> None:
        widget = FiguresTable(key, headers, rows, weights)
        self.tables[key] = widget
        self.body_layout.addWidget(widget)

    def _note(self, key: str, words: str) -> None:
        note = label(words)
        note.setAccessibleName(key)
        self.notes[key] = note
        self.body_layout.addWidget(note)

    def _chart(self, key: str, title: str, rows: Sequence[tuple[str, int]], colour: QColor) -> None:
        view = bar_chart(title, [(name, float(value)) for name, value in rows], colour)
        self.charts[key] = view
        self.body_layout.addWidget(view)
