"""The console's Insights shows ratings on two scales apart, and the handoff line says what it counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from advisor.insights.events import Event, write_events
from tests.ui.test_insights import BACKPACKS, fresh_engine, opened
from ui.insights import InsightsView, chart_values
from ui.session import KioskSession


def test_grades_and_stars_are_two_charts_and_the_top_rating_counts_both(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine, _ = fresh_engine(tmp_path)
    at = datetime.now(UTC) - timedelta(hours=1)
    events: list[Event] = []
    for i, (grade, scale) in enumerate([(1, "grades")] * 3 + [(2, "grades"), (5, "stars"), (3, "stars")]):
        events.append(Event("started", BACKPACKS.id, at, f"r{i}", store_id=None))
        events.append(
            Event("feedback", BACKPACKS.id, at, f"r{i}", value={"scale": scale, "about": "advice"}, number=grade)
        )
    write_events(engine, events)
    assert session.catalog is not None
    view = opened(qtbot, InsightsView(engine, session.questionnaires, session.catalog), BACKPACKS.id)
    assert "rating" not in view.charts
    assert chart_values(view.charts["rating:grades"]) == [("1", 3.0), ("2", 1.0)] + [(str(g), 0.0) for g in range(3, 7)]
    assert chart_values(view.charts["rating:stars"]) == [("5 ★", 1.0), ("4 ★", 0.0), ("3 ★", 1.0), ("2 ★", 0.0),
                                                        ("1 ★", 0.0)]  # fmt: skip
    top = view.headlines["top_grade"].text()
    assert "67\u00a0%" in top and "von 6 Bewertungen" in top


def test_the_handoff_note_says_the_wait_is_of_claimed_requests_and_counts_those_never_claimed(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine, _ = fresh_engine(tmp_path)
    at = datetime.now(UTC) - timedelta(hours=1)
    events: list[Event] = []
    for name, cancelled, claimed in (("mistap", 3.0, None), ("gave-up", 95.0, None), ("expired", None, None),
                                     ("claimed", None, 40.0)):  # fmt: skip
        events += [Event("started", BACKPACKS.id, at, name), Event("handoff_requested", BACKPACKS.id, at, name)]
        if cancelled is not None:
            events.append(Event("handoff_cancelled", BACKPACKS.id, at, name, value="chat", number=cancelled))
        if claimed is not None:
            events.append(Event("handoff_claimed", BACKPACKS.id, at, None, value="chat", number=claimed))
    write_events(engine, events)
    assert session.catalog is not None
    view = opened(qtbot, InsightsView(engine, session.questionnaires, session.catalog), BACKPACKS.id)
    note = view.notes["handoff"].text()
    assert "1 Anfrage binnen 30 s zurückgezogen (nicht mitgezählt)" in note
    assert (
        "90\u00a0% der angenommenen Anfragen kamen binnen 40 s dran · "
        "2 Anfragen nie angenommen (nach 30 s oder später zurückgezogen, oder abgelaufen)"
    ) in note
