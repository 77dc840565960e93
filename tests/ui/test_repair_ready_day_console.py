"""What staff read of a repair's ready day and warranty: the console's order says the expected day on a day the
store is open, with its weekday, and that the warranty may apply (bring the receipt; free if it applies); the counter
form's day picker moves a closed day to the next open one and says why."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from advisor.bootstrap import open_database
from advisor.config import Config
from advisor.handoff.staff import set_pin
from advisor.repairs.orders import create_order
from tests.ui.test_console_repairs import CONFIG, open_repairs
from tests.ui.test_kiosk import click
from ui import repair_intake
from ui.repair_intake import ready_words
from ui.session import KioskSession

SUNDAY = datetime(2026, 12, 6, 11, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # the store is closed on Sundays


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_database(f"sqlite:///{tmp_path / 'repairs.sqlite3'}")
    set_pin(engine, "Anna", "4711")
    yield engine
    engine.dispose()


@pytest.mark.parametrize(
    ("address", "warranty"),
    [("Sie", "Möglicherweise Gewährleistung – bitte Kaufbeleg mitbringen"),
     ("du", "Möglicherweise Gewährleistung – bring bitte den Kaufbeleg mit")],
)  # fmt: skip
def test_the_console_says_the_open_ready_day_and_the_warranty(
    qtbot: QtBot, session: KioskSession, engine: Engine, address: str, warranty: str
) -> None:
    create_order(engine, store_id=CONFIG.store.id, product_sku="NG-TENT-0003", problem="Gestänge gebrochen",
                 turnaround_days=21, cost_cents=(1500, 4000), answers={"bought_months": 14}, address=address,
                 warranty=True, staff="Anna", now=SUNDAY)  # fmt: skip
    view = open_repairs(qtbot, engine, session)
    qtbot.waitUntil(lambda: view.orders.count() == 1)
    view.orders.setCurrentRow(0)
    qtbot.waitUntil(lambda: "Gestänge gebrochen" in view.details.toPlainText())
    details = view.details.toPlainText()
    assert "fertig bis Mo 28.12.2026" in details, "27.12. is a Sunday: closed"
    assert warranty in details
    assert "Voraussichtliche Kosten: kostenlos, falls Gewährleistung greift; sonst 15–40 €" in details


def test_the_counter_forms_day_picker_moves_a_closed_day_and_says_why(
    qtbot: QtBot, session: KioskSession, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repair_intake, "_now", lambda: SUNDAY)
    view = open_repairs(qtbot, engine, session)
    click(qtbot, view.take_in_button)
    dialog = view.intake
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.days.setText("14")
    assert dialog.ready.text() == "fertig bis Mo 21.12.\n(So 20.12. ist geschlossen)"
    dialog.days.setText("15")
    assert dialog.ready.text() == "fertig bis Mo 21.12.", "an open day: nothing to explain"


def test_a_closed_holiday_moves_the_day_in_either_language() -> None:
    store = Config.model_validate({"store": {"holidays": {"2026-12-25": "closed"}}}).store
    assert ready_words(store, SUNDAY, 19, "de") == "fertig bis Sa 26.12.\n(Fr 25.12. ist geschlossen)"
    assert ready_words(store, SUNDAY, 19, "en") == "ready by Sat 26 Dec\n(Fri 25 Dec is closed)"
