"""A repair's ready day and collection as the shopper reads them: a ready day the store is closed moves to the next
day it is open, said with its weekday; the ready mail says from when and in which hours it can be collected, carries
a warranty that may apply, does not pass the estimate off as the price, and its link fills in the pickup code."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.bootstrap import open_database
from advisor.config import Config
from advisor.handoff.model import MailOutbox
from advisor.repairs.days import closed_text, collection_text, expected_text, ready_day
from advisor.repairs.mail import MailSettings
from advisor.repairs.orders import Action, Order, advance, create_order, order_of
from advisor.repairs.words import cost_line

BERLIN = ZoneInfo("Europe/Berlin")
SUNDAY = datetime(2026, 12, 6, 11, 0, tzinfo=BERLIN)  # Herr Lindner brings his tent pole in
# Sundays closed (the default hours: 09:30–20:00 on weekdays and Saturdays), and Christmas Day.
CONFIG = Config.model_validate(
    {
        "store": {"holidays": {"2026-12-25": "closed"}},
        "web": {"public_base_url": "https://advice.nordgrat.example"},
        "smtp": {"host": "mail.nordgrat.example", "sender": "repairs@nordgrat.example"},
    }
)
STORE = CONFIG.store
OUTBOX = MailOutbox.__table__  # type: ignore[attr-defined]


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_database(f"sqlite:///{tmp_path / 'repairs.sqlite3'}")
    yield engine
    engine.dispose()


def pole(engine: Engine, *, locale: str = "de", address: str = "Sie", warranty: bool = True) -> Order:
    return create_order(
        engine, store_id="muc-01", product_sku="NG-TENT-0003", problem="Gestänge gebrochen", turnaround_days=21,
        cost_cents=(1500, 4000), consent=True, contact_name="Herr Lindner", contact_email="lindner@example.org",
        locale=locale, address=address, staff="anna", warranty=warranty, now=SUNDAY,
    )  # fmt: skip


def test_a_ready_day_the_store_is_closed_moves_to_the_next_day_it_is_open(engine: Engine) -> None:
    order = pole(engine)
    assert expected_text(order, STORE, "de") == "Mo 28.12.2026", "21 days from Sunday is a Sunday: closed"
    assert expected_text(order, STORE, "en") == "Mon 28 Dec 2026"
    holiday = ready_day(STORE, SUNDAY, 19)
    assert (holiday.day.isoformat(), closed_text(holiday.closed, "de")) == ("2026-12-26", "Fr 25.12. ist geschlossen")
    assert closed_text(holiday.closed, "en") == "Fri 25 Dec is closed"
    sunday = ready_day(STORE, SUNDAY, 14)
    assert (sunday.day.isoformat(), closed_text(sunday.closed, "de")) == ("2026-12-21", "So 20.12. ist geschlossen")
    assert ready_day(STORE, SUNDAY, 1).closed == (), "Monday: nothing moves"


def test_collection_is_said_with_the_next_open_days_hours_or_todays_until_closing() -> None:
    christmas_eve_evening = datetime(2026, 12, 24, 21, 0, tzinfo=BERLIN)  # closed on the 25th, open on the 26th
    assert collection_text(STORE, christmas_eve_evening, "de", "Sie") == "Abholbar ab Sa 26.12., 09:30–20:00 Uhr"
    saturday_night = datetime(2026, 12, 26, 20, 30, tzinfo=BERLIN)
    assert collection_text(STORE, saturday_night, "de") == "Abholbar ab Mo 28.12., 09:30–20:00 Uhr"
    assert collection_text(STORE, saturday_night, "en") == "Ready to collect from Mon 28 Dec, 09:30–20:00"
    while_open = datetime(2026, 12, 28, 14, 5, tzinfo=BERLIN)
    assert collection_text(STORE, while_open, "de") == "Abholbar ab Mo 28.12., 14:05–20:00 Uhr"


def test_an_order_taken_while_the_warranty_may_apply_keeps_it_and_says_the_cost_accordingly(engine: Engine) -> None:
    order = pole(engine)
    again = order_of(engine, order.id)
    assert again is not None and again.warranty and again.answers == {}, "the flag is not one of the answers"
    assert cost_line(order.cost_cents, "de", warranty=True) == "kostenlos, falls Gewährleistung greift; sonst 15–40 €"
    assert (
        cost_line(order.cost_cents, "en", warranty=True) == "free of charge if the warranty applies; otherwise €15–40"
    )
    assert cost_line(None, "de", warranty=True) == "kostenlos, falls Gewährleistung greift"
    assert cost_line(order.cost_cents, "de") == "15–40 €"
    assert not pole(engine, warranty=False).warranty


def ready_mail(engine: Engine, order: Order, at: datetime) -> tuple[str, str]:
    settings = MailSettings.of(CONFIG)
    assert settings is not None
    for step, action in enumerate((Action.DIAGNOSE, Action.START_REPAIR), start=1):
        advance(engine, order_id=order.id, action=action, staff="anna", now=SUNDAY + timedelta(days=step))
    advance(engine, order_id=order.id, action=Action.FINISH, staff="anna", now=at, mail=settings)
    with engine.connect() as connection:
        [raw] = connection.execute(sa.select(OUTBOX.c.message)).scalars().all()
    mail = message_from_bytes(raw, policy=policy.default)
    assert isinstance(mail, EmailMessage)
    plain, page = mail.get_body(preferencelist=("plain",)), mail.get_body(preferencelist=("html",))
    assert plain is not None and page is not None
    return plain.get_content(), page.get_content()


def test_the_ready_mail_says_when_to_collect_the_warranty_and_not_the_estimate_as_the_price(engine: Engine) -> None:
    order = pole(engine)
    words, page = ready_mail(engine, order, datetime(2026, 12, 26, 20, 30, tzinfo=BERLIN))  # after Saturday's close
    for said in (words, page):
        assert "Abholbar ab Mo 28.12., 09:30–20:00 Uhr" in said
        assert "Möglicherweise Gewährleistung – bitte Kaufbeleg mitbringen" in said
        assert "Die Kosten erfahren Sie an der Servicetheke." in said
        assert "15–40" not in said and "Voraussichtliche Kosten" not in said, "no final cost is recorded"
    assert f"https://advice.nordgrat.example/repair?code={order.pickup_code}" in words
    assert f'href="https://advice.nordgrat.example/repair?code={order.pickup_code}"' in page


def test_the_ready_mail_in_english(engine: Engine) -> None:
    order = pole(engine, locale="en", address="du")
    words, _page = ready_mail(engine, order, datetime(2026, 12, 28, 14, 5, tzinfo=BERLIN))  # while open
    assert "Ready to collect from Mon 28 Dec, 14:05–20:00" in words
    assert "The warranty may apply – please bring the receipt" in words
    assert "You will hear the cost at the service desk." in words and "€15–40" not in words
    assert f"/repair?code={order.pickup_code}" in words
