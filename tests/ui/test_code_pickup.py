"""A shopper back with her repair slip types her pickup code into the kiosk's "Continue with a code": she is told
that it is her repair's code, how the repair stands and what she does next, instead of that no advice has it. Her
wrong codes are counted as ever: once they are spent, a pickup code waits too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from advisor.config import Config
from advisor.db import make_engine, upgrade
from advisor.handoff.codes import shown
from advisor.handoff.sessions import WRONG_CODES_PER_CLIENT
from advisor.insights.events import STORE_ZONE
from advisor.repairs.orders import Action, Order, advance, create_order
from tests.ui.test_kiosk import click
from tests.ui.test_kiosk_check_in import code_dialog
from ui.code import CodeDialog
from ui.session import KioskSession
from ui.speech import RecordingVoice
from ui.talk import store_name_of
from ui.window import KioskWindow

TAKEN_IN = datetime.now(UTC) - timedelta(days=1)


def kiosk_on(session: KioskSession, tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'pickup.sqlite3'}")
    upgrade(engine)
    session.engine = engine
    return engine


def an_order(engine: Engine, *, received: bool = True) -> Order:
    return create_order(engine, store_id="muc-01", product_sku="T-100", problem="zip_stuck", turnaround_days=5,
                        received=received, now=TAKEN_IN)  # fmt: skip


def typed(qtbot: QtBot, dialog: CodeDialog, code: str) -> str:
    """Type a code as a scanner would, open it, and the message the shopper is shown once it is looked up."""
    QTest.keyClicks(dialog, code)
    click(qtbot, dialog.open_button)
    assert dialog.looking
    qtbot.waitUntil(lambda: not dialog.looking)
    assert dialog.message.isVisible()
    return dialog.message.text()


def test_a_pickup_code_says_how_the_repair_stands_and_when_it_should_be_ready(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    engine = kiosk_on(session, tmp_path)
    order = an_order(engine)
    order = advance(engine, order_id=order.id, action=Action.DIAGNOSE, staff="anna", now=TAKEN_IN)
    session.set_accessible(True)  # read aloud, too
    dialog = code_dialog(qtbot, window)
    told = typed(qtbot, dialog, order.pickup_code)
    day = (TAKEN_IN + timedelta(days=5)).astimezone(STORE_ZONE)
    ready = f"{('Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So')[day.weekday()]} {day:%d.%m.%Y}"  # (its weekday, as the phone)
    code = shown(order.pickup_code).replace("-", "\u2011")
    assert told == (f"Das ist der Abholcode deiner Reparatur. Stand: Begutachtet. Voraussichtlich fertig: {ready}. "
                    f"Zum Abholen brauchst du deinen Abholcode {code}.")  # fmt: skip
    assert "keine Beratung" not in told
    assert dialog.isVisible() and session.stored_id is None, "no advice was opened"
    assert dialog.code == "", "the pad is free for her resume code"
    voice = window.speech.voice
    assert isinstance(voice, RecordingVoice)
    assert any(said.startswith("Das ist der Abholcode deiner Reparatur. Stand: Begutachtet.") for said in voice.spoken)


def test_a_registered_repair_s_code_says_to_hand_it_in(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    engine = kiosk_on(session, tmp_path)
    order = an_order(engine, received=False)
    told = typed(qtbot, code_dialog(qtbot, window), shown(order.pickup_code))
    assert told.startswith("Das ist der Abholcode deiner Reparatur. Stand: Angemeldet – noch nicht abgegeben. ")
    assert "Fertig ist es etwa 5 Tage nach der Abgabe; zum Abholen brauchst du den Code wieder." in told


def test_after_the_free_wrong_codes_a_pickup_code_waits_too(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    engine = kiosk_on(session, tmp_path)
    order = an_order(engine)
    dialog = code_dialog(qtbot, window)
    for number in range(WRONG_CODES_PER_CLIENT.free - 1):
        assert "keine Beratung" in typed(qtbot, dialog, f"2222222{'ABCDEFGH'[number]}")
    assert "Abholcode deiner Reparatur" in typed(qtbot, dialog, order.pickup_code), "a right code costs none"
    assert "keine Beratung" in typed(qtbot, dialog, "33333333"), "each wrong code cost one: all free ones answered"
    told = typed(qtbot, dialog, order.pickup_code)
    assert told.startswith("Zu viele falsche Codes."), "no free look-up of pickup codes once the wrong ones are spent"


def test_a_repair_ready_here_says_where_to_collect_it(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    """Ready at this very store: the service desk is named, as the repair page names it."""
    session.configure(Config())  # the store's name: Nordgrat München
    engine = kiosk_on(session, tmp_path)
    order = create_order(engine, store_id=session.store_id, product_sku="T-100", problem="zip_stuck",
                         turnaround_days=5, received=True, now=TAKEN_IN)  # fmt: skip
    for action in (Action.DIAGNOSE, Action.START_REPAIR, Action.FINISH):
        order = advance(engine, order_id=order.id, action=action, staff="anna", now=TAKEN_IN)
    told = typed(qtbot, code_dialog(qtbot, window), order.pickup_code)
    where = f"Du bekommst es an der Servicetheke von {store_name_of(session)}."
    assert told.startswith("Das ist der Abholcode deiner Reparatur. Stand: ") and where in told
    assert told.index(where) < told.index("Zum Abholen brauchst du deinen Abholcode")


def test_a_formal_customers_pickup_code_is_answered_formally(
    qtbot: QtBot, window: KioskWindow, session: KioskSession, tmp_path: Path
) -> None:
    # Herr Lindner's repair was ordered in the store's "Sie" help flow: the kiosk's welcome screen says "du", but what
    # it tells him of his repair says "Sie", as its page and its mails do.
    engine = kiosk_on(session, tmp_path)
    order = create_order(engine, store_id="muc-01", product_sku="T-100", problem="zip_stuck", turnaround_days=5,
                         received=True, address="Sie", now=TAKEN_IN)  # fmt: skip
    told = typed(qtbot, code_dialog(qtbot, window), order.pickup_code)
    assert told.startswith("Das ist der Abholcode Ihrer Reparatur. Stand: Angenommen")
    assert "Zum Abholen brauchen Sie Ihren Abholcode" in told and " du " not in told
