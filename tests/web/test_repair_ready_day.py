"""The repair page as Herr Lindner reads it on his phone: the expected ready day on a day the store is open, with
its weekday; the warranty that may apply and what that means for the cost; once ready, from when and in which hours
he can collect it, and the cost left to the service desk; the ready mail's link fills in his pickup code."""

from __future__ import annotations

import dataclasses
import html
import re
import warnings
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from advisor.repairs.orders import Action, Order, advance, create_order
from advisor.web.app import create_app
from advisor.web.context import WebContext
from tests.web.conftest import csrf_of
from tests.web.test_repair import look_up

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

BERLIN = ZoneInfo("Europe/Berlin")
SUNDAY = datetime(2026, 12, 6, 11, 0, tzinfo=BERLIN)


@pytest.fixture
def christmas(web: WebContext) -> Iterator[TestClient]:
    """A store closed on Sundays (the default hours) and on Christmas Day."""
    store = web.config.store.model_copy(update={"holidays": {"2026-12-25": "closed"}})
    context = dataclasses.replace(web, config=web.config.model_copy(update={"store": store}))
    with TestClient(create_app(context)) as client:
        yield client


def pole(engine: Engine, *, warranty: bool = True) -> Order:
    return create_order(engine, store_id="muc-01", product_sku="NG-TENT-0003", problem="Gestänge gebrochen",
                        turnaround_days=21, cost_cents=(1500, 4000), locale="de", address="Sie", staff="anna",
                        warranty=warranty, now=SUNDAY)  # fmt: skip


def said(page: str) -> str:
    """The page's words, as read: tags gone, spaces as one."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def english(client: TestClient) -> None:
    client.post("/lang", data={"csrf": csrf_of(client.get("/").text), "locale": "en"})


def test_the_expected_day_is_an_open_day_with_its_weekday_and_the_warranty_is_said(
    christmas: TestClient, web_engine: Engine
) -> None:
    order = pole(web_engine)
    words = said(look_up(christmas, order.pickup_code).text)
    assert "Voraussichtlich fertig: Mo 28.12.2026" in words, "27.12. is a Sunday: closed"
    assert "Möglicherweise Gewährleistung – bitte Kaufbeleg mitbringen" in words
    assert "Voraussichtliche Kosten: kostenlos, falls Gewährleistung greift; sonst 15–40 €" in words
    english(christmas)
    words = said(christmas.get("/repair/status").text)
    assert "Expected to be ready: Mon 28 Dec 2026" in words
    assert "The warranty may apply – please bring the receipt" in words
    assert "Expected cost: free of charge if the warranty applies; otherwise €15–40" in words


def test_without_a_warranty_the_estimate_stands_alone(christmas: TestClient, web_engine: Engine) -> None:
    words = said(look_up(christmas, pole(web_engine, warranty=False).pickup_code).text)
    assert "Voraussichtliche Kosten: 15–40 €" in words and "Gewährleistung" not in words


def test_a_ready_repair_says_from_when_it_can_be_collected_and_leaves_the_cost_to_the_desk(
    christmas: TestClient, web_engine: Engine
) -> None:
    order = pole(web_engine)
    for step, action in enumerate((Action.DIAGNOSE, Action.START_REPAIR), start=1):
        advance(web_engine, order_id=order.id, action=action, staff="anna", now=SUNDAY + timedelta(days=step))
    advance(web_engine, order_id=order.id, action=Action.FINISH, staff="anna",
            now=datetime(2026, 12, 24, 21, 0, tzinfo=BERLIN))  # fmt: skip
    words = said(look_up(christmas, order.pickup_code).text)
    assert "Abholbar ab Sa 26.12., 09:30–20:00 Uhr." in words, "closed on Christmas Day"
    assert "Die Kosten erfahren Sie an der Servicetheke." in words and "15–40" not in words
    assert "Voraussichtlich fertig" not in words
    english(christmas)
    words = said(christmas.get("/repair/status").text)
    assert "Ready to collect from Sat 26 Dec, 09:30–20:00." in words
    assert "You will hear the cost at the service desk." in words


def test_the_mails_link_fills_in_the_pickup_code_and_the_look_up_stays_a_post(
    christmas: TestClient, web_engine: Engine
) -> None:
    order = pole(web_engine)
    form = christmas.get(f"/repair?code={order.pickup_code}")
    assert f'value="{order.pickup_code}"' in form.text and 'method="post" action="/repair"' in form.text
    assert "Gestänge" not in form.text and "28.12." not in form.text, "filled in: the order shows only once sent"
