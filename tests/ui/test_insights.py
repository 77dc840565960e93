"""The console's Insights shows the figures of `advisor report` (the same read_report), read off the GUI thread."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QScrollArea, QStyle, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from advisor.cli import main as advisor_main
from advisor.db import make_engine, upgrade
from advisor.i18n import pick
from advisor.insights.events import EventLog, read_comments, write_events
from advisor.insights.report import QuestionnaireFigures, read_report
from advisor.recommend.index import CatalogIndex
from tests.advisor.insights.test_report import LIBRARY, generate
from tests.ui.test_kiosk import answer_by_click, click, current, start, wait_for_products
from ui import session as views
from ui.insights import ACCENT, InsightsView, bar_chart, cells, chart_values
from ui.session import KioskSession
from ui.staff import console_style
from ui.theme import Theme
from ui.window import KioskWindow

BACKPACKS = LIBRARY["backpack-finder"]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def figure(block: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]+)<', block)
    assert found is not None, name
    return found.group(1)


def fresh_engine(tmp_path: Path) -> tuple[Engine, str]:
    url = f"sqlite:///{tmp_path / 'insights.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    return engine, url


def opened(qtbot: QtBot, view: InsightsView, questionnaire_id: str) -> InsightsView:
    """The view shown (which reads the figures) with a questionnaire chosen."""
    qtbot.addWidget(view)
    view.choice.setCurrentIndex(view.choice.findData(questionnaire_id))
    with qtbot.waitSignal(view.updated, timeout=20_000):
        view.show()
    return view


def products_of(catalog: CatalogIndex) -> dict[str, list[tuple[str, str]]]:
    return {c: [(p.sku, pick(p.name, "de")) for p in index.products] for c, index in catalog.categories.items()}


def assert_view_shows(view: InsightsView, figures: QuestionnaireFigures) -> None:
    """Every figure of the report, as the view shows it."""
    for headline in figures.headlines:
        shown = view.headlines[headline.key].text()
        assert headline.shown in shown and headline.base in shown and headline.previous in shown
    assert cells(view.tables["funnel"]) == [
        [s.question, str(s.reached), f"{s.dropped} ({round(100 * s.drop_rate)}\u00a0%)"] for s in figures.steps
    ]
    for step in figures.steps:
        if step.answered:
            assert chart_values(view.charts[f"answers:{step.step_id}"]) == [(a, float(n)) for a, n in step.answers]
    assert [row[0] for row in cells(view.tables["gaps"])] == [gap.label for gap in figures.gaps]
    assert [row[2] for row in cells(view.tables["gaps"])] == ["\n".join(gap.closest) or "–" for gap in figures.gaps]
    assert [row[0] for row in cells(view.tables["gap_pairs"])] == [gap.label for gap in figures.gap_pairs]
    assert chart_values(view.charts["wishes"]) == [(label, float(n)) for label, n in figures.dropped_rows]
    assert chart_values(view.charts["most"]) == [
        (f"{name} ({round(100 * share)}\u00a0% angesehen)", float(n)) for name, n, share in figures.most_rows
    ]
    assert chart_values(view.charts["rating"]) == [(grade, float(n)) for grade, n in figures.rating.rows]
    assert str(len(figures.never_recommended)) in view.notes["never"].text()


def test_the_view_shows_the_reports_figures_for_a_stream_with_doesnt_matter_everywhere(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine, _ = fresh_engine(tmp_path)
    now = datetime.now(UTC)
    events, truth = generate(8, 120, BACKPACKS, dont_care=0.3, start=now - timedelta(days=3))
    earlier, _ = generate(9, 60, BACKPACKS, start=now - timedelta(days=40))
    write_events(engine, earlier + events)
    assert {"single", "multiple", "number"} <= truth.dont_care_kinds
    view = opened(qtbot, InsightsView(engine, session.questionnaires, session.catalog), BACKPACKS.id)
    assert view.period.currentData() == 30
    report = read_report(
        engine, questionnaires=session.questionnaires, products_by_category=products_of(session.catalog),
        locale="de", start=now - timedelta(days=30), now=now,
        index_for=lambda q: session.catalog.categories.get(q.category),
    )  # fmt: skip
    figures = report.figures(BACKPACKS.id)
    assert figures is not None and figures.started == truth.started and figures.withdrawn == truth.withdrawn
    assert_view_shows(view, figures)
    assert "Begonnen\n120\n" in view.headlines["started"].text()
    assert "Nach dem Team gefragt\n" in view.headlines["handoff"].text()  # "Team", as everywhere in the product
    assert "von 120 begonnenen Beratungen" in view.headlines["handoff"].text()
    # What "nothing fitted" is counted of, in words that do not contradict it (not "Beratungen mit Ergebnis").
    assert re.search(r"\nvon \d+ Beratungen bis zu den Empfehlungen\n", view.headlines["nothing_fits"].text())
    assert "Vorperiode: 60 (+100\u00a0%)" in view.headlines["started"].text()  # the 60 runs of 40 days ago
    # The period before in green where the change is for the better, in red where for the worse, as in the report.
    view.setStyleSheet(console_style())  # as the console shows the view
    for headline in figures.headlines:
        shown = view.headlines[headline.key].previous
        shown.ensurePolished()
        colour = shown.palette().color(shown.foregroundRole()).name()
        expected = {True: Theme().positive, False: Theme().negative}.get(headline.better)  # type: ignore[arg-type]
        assert expected is None or colour == expected, (headline.key, headline.previous, colour)
    assert any(headline.better is not None for headline in figures.headlines)
    # Dropped wishes of one question read alike for 34 characters: every one keeps its own bar.
    wishes = chart_values(view.charts["wishes"])
    assert len({label for label, _ in wishes}) == len(wishes) == len(figures.dropped_wishes)

    # A longer period takes the run from 40 days ago in, read again off the GUI thread.
    with qtbot.waitSignal(view.updated, timeout=20_000):
        view.period.setCurrentIndex(view.period.findData(365))
    assert "Begonnen\n180\n" in view.headlines["started"].text()


def test_a_failed_read_leaves_no_stale_figures(qtbot: QtBot, session: KioskSession, tmp_path: Path) -> None:
    engine, _ = fresh_engine(tmp_path)
    write_events(engine, generate(2, 10, LIBRARY["tent-finder"], start=datetime.now(UTC) - timedelta(days=1))[0])
    view = opened(qtbot, InsightsView(engine, session.questionnaires, session.catalog), "tent-finder")
    assert view.headlines and view.charts
    view.engine = make_engine(f"sqlite:///{tmp_path / 'missing' / 'gone.sqlite3'}")
    with qtbot.waitSignal(view.updated, timeout=20_000):
        view.period.setCurrentIndex(view.period.findData(7))
    assert view.status.text().startswith("Die Auswertung konnte nicht gelesen werden")
    assert not view.headlines and not view.charts and not view.tables and view.report is None


def test_the_view_speaks_the_consoles_language(qtbot: QtBot, session: KioskSession, tmp_path: Path) -> None:
    engine, _ = fresh_engine(tmp_path)
    events, truth = generate(3, 5, LIBRARY["tent-finder"], start=datetime.now(UTC) - timedelta(hours=1))
    write_events(engine, events)
    assert truth.answered["region"]
    view = opened(qtbot, InsightsView(engine, session.questionnaires, session.catalog, locale="en"), "tent-finder")
    assert view.period.currentText() == "Last 30 days"
    assert view.choice.currentText() == "Tent finder"
    assert "of 5 started consultations" in view.headlines["results"].text()
    assert view.charts["answers:region"].chart().title() == "Where will you pitch your tent most of the time?"


def test_bars_never_merge_when_labels_read_alike(qapp: QApplication) -> None:
    rows = [
        ("Was soll dein Rucksack noch mitbringen: Trinksystem", 5.0),
        ("Was soll dein Rucksack noch mitbringen: Regenhülle", 4.0),
        ("Was soll dein Rucksack noch mitbringen: Laptopfach", 3.0),
        ("Für wen ist der Rucksack: Ein Kind & <Teen>", 3.0),
        ("Teilt ihr euch den Rucksack – oder wächst dein Kind noch: Ja", 2.0),  # cut at 48 characters, these two
        ("Teilt ihr euch den Rucksack – oder wächst dein Kind noch: Nein", 1.0),  # were one bar before
    ]
    assert chart_values(bar_chart("Aufgegebene Wünsche", rows, ACCENT)) == rows
    twins = [("Zelt Sonnalm", 4.0), ("Zelt Sonnalm", 2.0), ("Zelt Isarau", 1.0)]  # two products of one name
    assert chart_values(bar_chart("Am häufigsten empfohlen", twins, ACCENT)) == [
        ("1. Zelt Sonnalm", 4.0), ("2. Zelt Sonnalm", 2.0), ("3. Zelt Isarau", 1.0),
    ]  # fmt: skip


def test_kiosk_walks_show_in_the_report_and_the_in_app_view_alike(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    engine, url = fresh_engine(tmp_path)
    session.engine = engine
    session.events = EventLog(engine, channel="kiosk", store_id="muc-01")

    # Two shoppers reach the results and rate the advice; a third walks away after two questions.
    for grade in (1, 2):
        start(qtbot, window, "tent-finder")
        while session.view == views.QUESTION:
            answer_by_click(qtbot, window)
        wait_for_products(qtbot, window)
        click(qtbot, current(window).feedback.buttons[grade - 1])
        assert "advice" in session.rated
        if grade == 1:  # the optional comment, typed on a kiosk with a keyboard
            screen = current(window)
            qtbot.waitUntil(screen.comment.isVisible)
            qtbot.keyClicks(screen.comment, "Sehr hilfreich, danke")
            click(qtbot, screen.send_comment)
            qtbot.waitUntil(lambda: not current(window).comment_row.isVisible())
            # Stored on the kiosk's writer lane, off the GUI thread.
            qtbot.waitUntil(lambda: [c["comment"] for c in read_comments(engine)] == ["Sehr hilfreich, danke"])
        click(qtbot, current(window).restart)
    start(qtbot, window, "tent-finder")
    answer_by_click(qtbot, window)
    answer_by_click(qtbot, window)
    left_at = session.state.current if session.state else None
    session.reset()  # walked away (the idle wipe does the same)
    session.events.flush()

    out = tmp_path / "report.html"
    assert advisor_main(["report", "--db", url, "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Sehr hilfreich, danke" in html  # the comment, in the report's comments
    events = tmp_path / "events.csv"
    assert advisor_main(["report", "--db", url, "--format", "csv", "--out", str(events)]) == 0
    assert "Sehr hilfreich" not in events.read_text(encoding="utf-8"), "no free text in the event log"
    block = html.split('data-questionnaire="tent-finder"', 1)[1]
    assert figure(block, "started") == "3"
    assert figure(block, "results") == "67\u00a0%"
    assert figure(block, "top_grade") == "50\u00a0%"
    assert "von 3 begonnenen Beratungen" in block and "von 2 Bewertungen" in block
    first = re.search(r'data-step="region"><td>[^<]*<td>(\d+)<', block)
    assert first is not None and first.group(1) == "3"
    dropped = re.search(rf'data-step="{left_at}"><td>[^<]*<td>\d+<td>(\d+) ', block)
    assert dropped is not None and dropped.group(1) == "1"

    view = InsightsView(engine, session.questionnaires, session.catalog)  # type: ignore[arg-type]
    view.period.setCurrentIndex(view.period.findData(0))  # all data, as the report above
    opened(qtbot, view, "tent-finder")
    assert "Begonnen\n3" in view.headlines["started"].text()
    assert "Bis zum Ergebnis\n67\u00a0%\nvon 3 begonnenen Beratungen" in view.headlines["results"].text()
    assert "Bestbewertung\n50\u00a0%\nvon 2 Bewertungen" in view.headlines["top_grade"].text()
    rows = re.findall(r'data-step="[^"]+"><td>([^<]+)<td>(\d+)<td>([^<]+)<td>', block)
    assert len(rows) >= 2
    assert cells(view.tables["funnel"]) == [list(row) for row in rows]
    ratings = dict(chart_values(view.charts["rating"]))
    assert (ratings["1"], ratings["2"], ratings["3"]) == (1.0, 1.0, 0.0)


def test_the_service_view_shows_how_problems_were_solved_as_counted(qtbot: QtBot, tmp_path: Path) -> None:
    """The service flows together under "Service": runs, each resolution with its count, the families' problems."""
    from advisor.recommend.index import build_index
    from tests.advisor.insights.test_report_service import fresh_database, log_service_runs
    from ui.app import load_questionnaires
    from ui.insights import SERVICE

    _url, engine = fresh_database(tmp_path)
    truth = log_service_runs(engine, 7, 60)
    catalog = build_index(engine)
    view = opened(qtbot, InsightsView(engine, load_questionnaires(), catalog, locale="de"), SERVICE)
    qtbot.waitUntil(lambda: "service:solved" in view.tables, timeout=20_000)
    assert f"Service-Beratungen: {truth.runs}" in view.status.text()
    solved = {row[0]: row[1] for row in cells(view.tables["service:solved"])}
    assert solved["Selbsthilfe (Anleitung)"].startswith(f"{truth.resolutions['self_help']} (")
    assert solved["Reparatur oder Gewährleistung"].startswith(f"{truth.resolutions['repair']} (")
    tents = chart_values(view.charts["service:Zelte"])
    expected = truth.labelled(truth.by_family["tents"], "de")
    assert all(expected[name] == value for name, value in tents)
    flows = dict(chart_values(view.charts["service:flows"]))
    assert sum(flows.values()) == truth.runs


def test_the_last_30_days_are_said_in_days_without_times(qtbot: QtBot, session: KioskSession, tmp_path: Path) -> None:
    """The console's "Letzte 30 Tage" is today and the 29 days before on the store's clock, said as days,
    compared with the same days before (not "04.11.2026 03:01 – 04.12.2026 03:01")."""
    from zoneinfo import ZoneInfo

    engine, _ = fresh_engine(tmp_path)
    berlin = ZoneInfo("Europe/Berlin")
    write_events(engine, generate(3, 5, BACKPACKS, start=datetime.now(UTC) - timedelta(days=2))[0])
    view = InsightsView(engine, session.questionnaires, session.catalog, zone=berlin)  # type: ignore[arg-type]
    opened(qtbot, view, "backpack-finder")
    today = datetime.now(berlin).date()
    first = today - timedelta(days=29)
    before = (first - timedelta(days=30), first - timedelta(days=1))
    assert view.status.text() == (
        f"{first:%d.%m.%Y} – {today:%d.%m.%Y} · verglichen mit {before[0]:%d.%m.%Y} – {before[1]:%d.%m.%Y}"
    )


def test_the_english_view_writes_days_as_the_english_kiosk_does(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """ "6 Nov 2026 – 5 Dec 2026", not ISO dates ("2026-11-06 – 2026-12-05")."""
    engine, _ = fresh_engine(tmp_path)
    write_events(engine, generate(3, 5, BACKPACKS, start=datetime.now(UTC) - timedelta(days=2))[0])
    view = opened(qtbot, InsightsView(engine, session.questionnaires, session.catalog, locale="en"), BACKPACKS.id)
    today = datetime.now(UTC).date()
    days = [today - timedelta(days=29), today, today - timedelta(days=59), today - timedelta(days=30)]
    first, last, before, until = (f"{day.day} {MONTHS[day.month - 1]} {day.year}" for day in days)
    assert view.status.text() == f"{first} – {last} · compared with {before} – {until}"
    assert "of 5 started consultations" in view.headlines["handoff"].text()
    assert re.search(r"\nof \d+ consultations? that reached the results\n", view.headlines["nothing_fits"].text())


def cut_cells(table: QTableWidget) -> list[str]:
    """The cells whose text Qt cuts ("Ausstattu…"): a word wider than its column, or more lines than its row holds
    (the text laid out as the style lays out a wrapped item: inside the grid line and the text margins)."""
    metrics = QFontMetrics(table.font())
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    cut = []
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            item = table.item(r, c)
            words = item.text() if item else ""
            width = table.columnWidth(c) - 1 - 2 * margin
            needed = metrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, words)
            if needed.width() > width or needed.height() > table.rowHeight(r):
                cut.append(words)
    return cut


def assert_tables_fit(view: InsightsView) -> None:
    """Every table as wide as the window's body, its columns across exactly its width, no text cut, nothing to
    scroll sideways."""
    scroll = view.findChild(QScrollArea)
    assert scroll is not None
    assert scroll.horizontalScrollBar().maximum() == 0 and view.body.width() <= scroll.viewport().width()
    for key, table in view.tables.items():
        assert table.horizontalScrollBar().maximum() == 0, key
        assert table.geometry().right() < view.body.width(), key
        assert sum(table.columnWidth(c) for c in range(table.columnCount())) == table.viewport().width(), key
        assert cut_cells(table) == [], key


@pytest.mark.parametrize("locale", ["de", "en"])
def test_the_gap_tables_are_read_whole_on_a_laptop_and_a_small_screen(
    qtbot: QtBot, session: KioskSession, tmp_path: Path, locale: str
) -> None:
    """The wishes about a third of the width and wrapped, the closest products one per line: no word cut, nothing
    past the right edge, at 1280×800 and at 1024×768 (the reviewer saw "Ausstattu…" and a column off the screen)."""
    engine, _ = fresh_engine(tmp_path)
    write_events(engine, generate(8, 120, BACKPACKS, dont_care=0.3, start=datetime.now(UTC) - timedelta(days=3))[0])
    view = InsightsView(engine, session.questionnaires, session.catalog, locale=locale)
    view.setObjectName("Insights")
    view.setStyleSheet(console_style())  # the console's fonts
    view.resize(QSize(1280, 800))
    opened(qtbot, view, BACKPACKS.id)
    figures = view.figures()
    assert figures is not None and figures.gaps and figures.gap_pairs
    for size in (QSize(1280, 800), QSize(1024, 768)):
        view.resize(size)
        qtbot.waitUntil(lambda: assert_tables_fit(view), timeout=5_000)
        for key in ("gaps", "gap_pairs"):
            table = view.tables[key]
            share = table.columnWidth(0) / table.viewport().width()
            assert 0.25 < share < 0.4, (key, size, share)  # the wishes: about a third
            closest = [row[2] for row in cells(table)]
            assert closest == ["\n".join(gap.closest) or "–" for gap in getattr(figures, key)]  # one per line


def test_the_window_says_the_questionnaire_changed_and_marks_steps_it_no_longer_has(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    """Two versions in the period: the window says so in the report's own words; a step today's questionnaire no
    longer has reads by its id, marked, with its yes/no answers as Ja/Nein."""
    from advisor.insights.events import Event
    from advisor.insights.report import changed_text

    engine, _ = fresh_engine(tmp_path)
    tents = LIBRARY["tent-finder"]
    at = datetime.now(UTC) - timedelta(hours=1)
    events = []
    for run, version, value in (("r1", "oldversion", True), ("r2", "oldversion", False), ("r3", tents.version, None)):
        events.append(Event("started", tents.id, at, run, version))
        steps = [("region", "mild")] + ([("ground_sheet", value)] if value is not None else [])
        for step_id, answer in steps:
            events.append(Event("step_shown", tents.id, at, run, version, step_id=step_id))
            events.append(Event("step_answered", tents.id, at, run, version, step_id=step_id, value=answer))
    write_events(engine, events)
    view = opened(qtbot, InsightsView(engine, session.questionnaires, session.catalog), "tent-finder")
    qtbot.waitUntil(lambda: "changed" in view.notes, timeout=20_000)
    figures = view.figures()
    assert figures is not None
    assert view.notes["changed"].text() == changed_text(figures, "de")
    assert view.notes["changed"].text().startswith("Der Fragebogen wurde in diesem Zeitraum geändert (2 Fassungen)")
    chart = view.charts["answers:ground_sheet"]
    assert chart.chart().title() == "ground_sheet (nicht mehr im Fragebogen)"
    assert dict(chart_values(chart)) == {"Ja": 1.0, "Nein": 1.0}
    funnel = {row[0] for row in cells(view.tables["funnel"])}
    assert "ground_sheet (nicht mehr im Fragebogen)" in funnel


def test_the_service_view_shows_runs_started_against_those_that_reached_an_outcome(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from advisor.recommend.index import build_index
    from tests.advisor.insights.test_report_service import fresh_database
    from tests.advisor.insights.test_report_walk import service_run
    from ui.app import load_questionnaires
    from ui.insights import SERVICE

    _url, engine = fresh_database(tmp_path)
    at = datetime.now(UTC) - timedelta(hours=1)
    write_events(engine, [e for i in range(4) for e in service_run(f"s{i}", outcome=i < 3, at=at)])
    view = opened(qtbot, InsightsView(engine, load_questionnaires(), build_index(engine), locale="de"), SERVICE)
    qtbot.waitUntil(lambda: "service:reach" in view.tables, timeout=20_000)
    assert cells(view.tables["service:reach"]) == [["Hilfe für dein Zelt", "4", "3 (75\u00a0%)"]]
    assert "von 4 begonnenen (75\u00a0%)" in view.notes["service:reach"].text()
