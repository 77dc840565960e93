"""After a few walks through the kiosk, `advisor report` shows them correctly and the in-app view matches it."""

from __future__ import annotations

import re
from pathlib import Path

from pytestqt.qtbot import QtBot

from advisor.cli import main as advisor_main
from advisor.db import make_engine, upgrade
from advisor.insights.events import EventLog, read_comments
from tests.ui.test_kiosk import answer_by_click, click, current, start, wait_for_products
from ui import session as views
from ui.insights import InsightsView, chart_values
from ui.session import KioskSession
from ui.window import KioskWindow


def figure(block: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]+)<', block)
    assert found is not None, name
    return found.group(1)


def test_kiosk_walks_show_in_the_report_and_the_in_app_view_alike(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'insights.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
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
    assert figure(block, "completed") == "2"
    assert figure(block, "abandoned") == "1"
    assert figure(block, "top_share") == "50.0 %"
    first = re.search(r'data-step="region">.*?data-figure="reached">(\d+)<', block, re.S)
    assert first is not None and first.group(1) == "3"
    dropped = re.search(rf'data-step="{left_at}">.*?data-figure="dropped">(\d+)<', block, re.S)
    assert dropped is not None and dropped.group(1) == "1"

    view = InsightsView(engine, session.questionnaires, session.catalog)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.period.setCurrentIndex(view.period.count() - 1)  # all
    view.choice.setCurrentIndex(view.choice.findData("tent-finder"))
    view.refresh()
    view.show()
    assert "Started 3 · Results 2" in view.kpis.text()
    assert "Top grade 50.0 %" in view.kpis.text()
    funnel = dict(chart_values(view.charts["funnel"]))
    rows = re.findall(r'data-step="([^"]+)"><td>([^<]+)</td><td class="n" data-figure="reached">(\d+)<', block)
    assert rows
    for _, question, reached in rows:
        shown = question if len(question) <= 48 else question[:47] + "…"
        assert funnel[shown] == float(reached)
    ratings = dict(chart_values(view.charts["rating"]))
    assert (ratings["1"], ratings["2"], ratings["3"]) == (1.0, 1.0, 0.0)
