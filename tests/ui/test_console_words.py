"""The staff console's own words: a caller's booking refused in words about the caller, the console's "Sie"
throughout, the size to try on each product of the case sheet, and Insights opening on the busiest finder."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from advisor.db import make_engine, upgrade
from advisor.handoff import requests
from advisor.handoff.staff import set_pin
from advisor.i18n import MESSAGES, text
from advisor.insights.events import write_events
from advisor.questionnaire.library import load_library
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.index import CategoryIndex
from advisor.rendering.facts import size_text
from advisor.session import store
from advisor.session.cases import Desk, open_case
from advisor.session.service import AdviceSession
from tests.advisor.insights.test_report import generate
from tests.helpers.appointments import add_consultants
from tests.helpers.index import sample_index
from tests.ui.test_console_appointments import always_open, booking_for_a_caller
from tests.ui.test_kiosk import click
from ui.insights import InsightsView
from ui.session import KioskSession
from ui.staff import sheet_html

LIBRARY = load_library().questionnaires
JACKETS = LIBRARY["rain-jacket-finder"]
BERLIN = ZoneInfo("Europe/Berlin")
# Words a console says to a shopper, not about them: "du", "dein", "sag", "gib"; "prüfe", "Probier".
DU = re.compile(r"\b([Dd]u|dich|dir|[Dd]eine?[mnrs]?|[Ss]ag|[Gg]ib|[Pp]rüfe|[Pp]robier|[Ss]chreib|[Ww]ähle)\b")


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'console.sqlite3'}")
    upgrade(engine)
    add_consultants(engine, ["Anna"], span=(0, 24 * 60))
    set_pin(engine, "Anna", "4711")
    return engine


def test_a_caller_s_contact_that_reaches_nobody_is_said_about_the_caller(
    qtbot: QtBot, session: KioskSession, engine: Any
) -> None:
    config = always_open()
    console, view, dialog = booking_for_a_caller(qtbot, engine, session, config)
    tomorrow = datetime.now(config.store.zone).date() + timedelta(days=1)
    dialog.day.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    qtbot.waitUntil(lambda: dialog.slots.count() > 10)
    dialog.slots.setCurrentRow(10)
    dialog.name.setText("Test Kunde")
    dialog.contact.setText("12345")
    dialog.consent.setChecked(True)
    click(qtbot, dialog.book_button)
    qtbot.waitUntil(lambda: dialog.problem.text() != "")
    refused = dialog.problem.text()
    assert refused == "Diese E-Mail-Adresse oder Telefonnummer erreicht den Anrufer nicht – bitte nachfragen."
    dialog.contact.setText("")
    click(qtbot, dialog.book_button)
    qtbot.waitUntil(lambda: dialog.problem.text() not in ("", refused))
    assert dialog.problem.text() == "Bitte den Namen des Anrufers und eine E-Mail-Adresse oder Telefonnummer eintragen."
    view.close()
    console.close()


def test_the_console_says_sie_or_speaks_about_the_customer_never_du() -> None:
    staff_texts = {key: text(key, "de", "staff") for key in MESSAGES if key.startswith("console.")}
    assert staff_texts["console.appt.cancel_confirm.no_mail"] == (
        "Es geht keine E-Mail raus – bitte sagen Sie dem Kunden selbst Bescheid."
    )
    assert [(key, said) for key, said in staff_texts.items() if DU.search(said)] == []


def index_for(questionnaire: Questionnaire) -> CategoryIndex:
    return sample_index(questionnaire.category)


@pytest.mark.parametrize(("locale", "words"), [("de", "Zum Anprobieren: "), ("en", "Size to try: ")])
def test_the_case_sheet_names_the_size_to_try_beside_each_product(engine: Engine, locale: str, words: str) -> None:
    """A rain-jacket phone chat with chest and height answered: the sheet says the size to try on each line, as the
    kiosk and phone say it to the shopper, in the console's words."""
    example = next(e for e in JACKETS.examples if e.name.startswith("Alpine storms"))
    advice = AdviceSession.start(JACKETS, index=index_for(JACKETS), locale="de")
    advice.set_answers({**example.answers, "chest_cm": 104, "body_height": 182})
    session_id = store.create(engine, advice, store_id="muc-01", consent=True, origin="web").id
    request_id = requests.request_handoff(engine, session_id=session_id, kind="chat")
    desk = Desk(locale, BERLIN)
    case = open_case(engine, (request_id, session_id), LIBRARY, index_for, desk, kind="chat")
    assert case is not None and case.sheet is not None and case.sheet.picks
    shown = sheet_html(case.sheet, desk.t)
    lines = re.findall(r"<li[^>]*>(.*?)</li>", shown)
    assert len(lines) == len(case.sheet.picks)
    for line, item in zip(lines, case.sheet.picks, strict=True):
        found = case.session.size_advice(item.sku)
        assert found is not None, item.sku
        said = size_text(found, locale, "staff")
        assert said.startswith(f"{words}{found.size}") and said in line, item.sku
        assert not DU.search(said)
    # a finder that advises no size has no such line
    tents = AdviceSession.start(LIBRARY["tent-finder"], index=index_for(LIBRARY["tent-finder"]), locale="de")
    tents.set_answers({"region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 2})
    tent_id = store.create(engine, tents, store_id="muc-01", consent=True, origin="web").id
    tent_case = open_case(engine, (None, tent_id), LIBRARY, index_for, desk)
    assert tent_case is not None and tent_case.sheet is not None and tent_case.sheet.picks
    assert words not in sheet_html(tent_case.sheet, desk.t)


def test_insights_opens_on_the_finder_with_the_most_sessions(
    qtbot: QtBot, session: KioskSession, tmp_path: Path
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'insights.sqlite3'}")
    upgrade(engine)
    start = datetime.now(UTC) - timedelta(days=2)
    for seed, (finder, runs) in enumerate((("backpack-finder", 2), ("tent-finder", 9), ("rain-jacket-finder", 5))):
        write_events(engine, generate(seed, runs, LIBRARY[finder], start=start)[0])
    assert session.catalog is not None
    view = InsightsView(engine, session.questionnaires, session.catalog)
    qtbot.addWidget(view)
    assert view.choice.currentData() == "backpack-finder", "the first in the list until the figures are read"
    with qtbot.waitSignal(view.updated, timeout=20_000):
        view.show()
    assert view.choice.currentData() == "tent-finder"
    assert "Begonnen\n9\n" in view.headlines["started"].text()
    # the staff member's own choice then stays, another period read too
    view.choice.setCurrentIndex(view.choice.findData("rain-jacket-finder"))
    with qtbot.waitSignal(view.updated, timeout=20_000):
        view.period.setCurrentIndex(view.period.findData(7))
    assert view.choice.currentData() == "rain-jacket-finder"
    assert "Begonnen\n5\n" in view.headlines["started"].text()
