"""The console's appointment sheet as staff read it before a customer comes: the tent to fetch named by its colour
(as the rest of the console names a variant), not only by its article code; and a customer who checked in too late
for their consultant said to be late, so that someone else goes."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from advisor.appointments import booking
from advisor.catalog.model import Stock, Variant
from advisor.db import make_engine, upgrade
from advisor.handoff.staff import set_pin
from tests.helpers.appointments import add_consultants, add_stock
from tests.ui.test_console_appointments import always_open, open_appointments, signed_in, this_quarter_hour
from tests.ui.test_kiosk import click
from ui.session import KioskSession

GREY = "NG-TENT-0001-GRY"


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    engine = make_engine(f"sqlite:///{tmp_path / 'sheet.sqlite3'}")
    upgrade(engine)
    add_consultants(engine, ["Anna"], span=(0, 24 * 60))
    set_pin(engine, "Anna", "4711")
    add_stock(engine, {"NG-TENT-0001": 0}, names={"NG-TENT-0001": "Karwendel UL 1"})
    with engine.begin() as connection:  # the grey one of the model, on its shelf
        connection.execute(Variant.__table__.insert().values(sku=GREY, model_sku="NG-TENT-0001", position=1,  # type: ignore[attr-defined]
                                                             options={"colours": ["grey"]}))  # fmt: skip
        connection.execute(Stock.__table__.insert().values(sku=GREY, store_id="muc-01", quantity=1,  # type: ignore[attr-defined]
                                                           location_de="Regal 4", location_en="Shelf 4"))  # fmt: skip
    return engine


def test_the_sheet_names_the_variant_to_fetch_and_a_late_check_in(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    config = always_open()
    starts_at = this_quarter_hour(config)
    booked = booking.book(engine, config=config, category_id="tents", starts_at=starts_at, name="Kim Berger",
                          contact="kim@example.com", locale="de", channel="web", products=[GREY],
                          now=starts_at - timedelta(minutes=1))  # fmt: skip
    assert booked.held == (GREY,)
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    qtbot.waitUntil(lambda: view.entries.count() == 1)
    view.entries.setCurrentRow(0)
    qtbot.waitUntil(lambda: "Vorher holen" in view.details_text())
    assert "Karwendel UL 1 · Grau" in view.details_text(), "the colour to fetch, in words"
    assert view.view is not None
    entry = view.view.entries[0]
    on_time = dataclasses.replace(entry, state="checked_in", checked_in_at=entry.starts_at + timedelta(minutes=2))
    assert view.state_text(on_time) == "eingecheckt"
    late = dataclasses.replace(on_time, checked_in_at=entry.starts_at + timedelta(minutes=8))  # (of 10 minutes)
    assert view.state_text(late) == "eingecheckt 8 Min. zu spät"


def test_a_customer_checked_in_at_the_counter_too_late_is_said_to_be_late(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    """Kim's 10 minutes began a quarter of an hour or more ago: the notice says she came late, so someone takes her."""
    from advisor.session import store
    from advisor.session.service import AdviceSession
    from tests.ui.test_console_appointments import FAMILY

    config = always_open()
    starts_at = this_quarter_hour(config) - timedelta(minutes=15)
    if starts_at.date() != datetime.now(config.store.zone).date():
        pytest.skip("a quarter of an hour after midnight: no appointment of today's is over yet")
    advice = AdviceSession.start(session.questionnaires["tent-finder"], index=session.catalog.categories["tents"],  # type: ignore[union-attr]
                                 locale="de")  # fmt: skip
    advice.set_answers(FAMILY)
    record = store.create(engine, advice, store_id=config.store.id, consent=True, origin="web")
    booking.book(engine, config=config, category_id="tents", starts_at=starts_at, name="Kim Berger",
                 contact="kim@example.com", locale="de", channel="web", session_id=record.id,
                 now=starts_at - timedelta(minutes=1))  # fmt: skip
    console = signed_in(qtbot, engine, session, config)
    view = open_appointments(qtbot, console)
    view.code.setText(record.resume_code)
    click(qtbot, view.code_button)
    qtbot.waitUntil(lambda: "eingecheckt" in view.notice.text())
    assert view.notice.text().startswith(f"Kim Berger ist eingecheckt – Termin {starts_at:%H:%M} Uhr.")
    assert ". Kim Berger kam " in view.notice.text(), "the late notice is a sentence of its own, with its subject"
    assert "Min. zu spät – Anna ist schon beim nächsten Termin oder die Zeit fast um" in view.notice.text()
    view.close()
    console.close()
