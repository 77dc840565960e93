"""The console's Insights counts its own store's events (the console's [store] id), as `advisor report` does, and
says which store in the line above the figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from advisor.insights.events import write_events
from advisor.insights.report import ALL_STORES
from tests.advisor.insights.test_report import generate
from tests.ui.test_insights import BACKPACKS, fresh_engine, opened
from ui.insights import InsightsView
from ui.session import KioskSession


def test_the_consoles_insights_count_its_own_stores_events(qtbot: QtBot, session: KioskSession, tmp_path: Path) -> None:
    engine, _ = fresh_engine(tmp_path)
    now = datetime.now(UTC)
    munich, munich_truth = generate(5, 40, BACKPACKS, start=now - timedelta(days=2))
    vienna, vienna_truth = generate(6, 15, BACKPACKS, start=now - timedelta(days=2))
    write_events(engine, munich + [replace(event, store_id="vie-01") for event in vienna])

    catalog = session.catalog
    assert catalog is not None
    view = opened(qtbot, InsightsView(engine, session.questionnaires, catalog, store="vie-01"), BACKPACKS.id)
    assert f"Begonnen\n{vienna_truth.started}\n" in view.headlines["started"].text()
    assert " · Filiale vie-01 · " in view.status.text()

    chain = opened(qtbot, InsightsView(engine, session.questionnaires, catalog, store=ALL_STORES),
                   BACKPACKS.id)  # fmt: skip
    assert f"Begonnen\n{munich_truth.started + vienna_truth.started}\n" in chain.headlines["started"].text()
    assert " · alle Filialen · " in chain.status.text()
