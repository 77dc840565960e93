"""The repair page: a shopper types the pickup code and follows the order as staff move it, each state with its
time and the current one marked; a wrong code is told kindly and limited like resume codes; the page keeps the
security headers and the CSRF check of every form."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.handoff.codes import shown
from advisor.repairs.orders import Action, Order, State, advance, create_order
from advisor.repairs.tables import PRODUCT, STORE
from tests.web.conftest import csrf_of
from tests.web.test_hardening import assert_hardened

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

_CURRENT = re.compile(r'<li class="current" aria-current="step">\s*<span class="state">([^<]+)</span>\s*'
                      r'<span class="when">([^<]+)</span>')  # fmt: skip
_STEP = re.compile(r'<li class="(done|current|ahead)"[^>]*>\s*<span class="state">([^<]+)</span>')
BOTH = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
LABELS = {
    State.RECEIVED: "Angenommen", State.DIAGNOSED: "Begutachtet", State.IN_REPAIR: "In Reparatur",
    State.READY: "Abholbereit", State.COLLECTED: "Abgeholt", State.RETURNED_UNREPAIRED: "Unrepariert zurückgegeben",
}  # fmt: skip


def a_product(engine: Engine) -> tuple[str, str]:
    """A product of the sample catalog: its SKU and German name."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(PRODUCT.c.sku, PRODUCT.c.name_de).order_by(PRODUCT.c.sku).limit(1)).one()
    return str(row.sku), str(row.name_de)


def a_store_name(engine: Engine) -> str:
    """The catalog's German name of the store muc-01 (the page names the store where the order is)."""
    with engine.connect() as connection:
        return str(connection.execute(sa.select(STORE.c.name_de).where(STORE.c.id == "muc-01")).scalar_one())


def take_in(engine: Engine, **extra: object) -> Order:
    sku, _name = a_product(engine)
    values: dict[str, object] = {"store_id": "muc-01", "product_sku": sku, "problem": "Reißverschluss klemmt",
                                 "turnaround_days": 5} | extra  # fmt: skip
    return create_order(engine, **values)  # type: ignore[arg-type]


def look_up(client: TestClient, code: str) -> httpx.Response:
    form = client.get("/repair")
    assert form.status_code == 200
    return client.post("/repair", data={"csrf": csrf_of(form.text), "code": code})


@pytest.mark.parametrize("web_database_url", BOTH, indirect=True)
def test_the_page_shows_the_order_by_its_code_as_staff_move_it(client: TestClient, web_engine: Engine) -> None:
    order = take_in(web_engine, cost_cents=(1500, 3000))
    _sku, name = a_product(web_engine)
    page = look_up(client, shown(order.pickup_code).lower())
    assert page.status_code == 200, page.text
    assert_hardened(page)
    assert f"{name} · {a_store_name(web_engine)}" in page.text
    assert f"Abholcode: {shown(order.pickup_code)}" in page.text
    assert "Voraussichtlich fertig:" in page.text and "Voraussichtliche Kosten: 15–30 €" in page.text
    assert "Zum Abholen brauchst du deinen Abholcode" in page.text
    assert _STEP.findall(page.text) == [("current", "Angenommen"), ("ahead", "Begutachtet"), ("ahead", "In Reparatur"),
                                        ("ahead", "Abholbereit"), ("ahead", "Abgeholt")]  # fmt: skip
    moved_at = datetime(2026, 12, 3, 13, 5, tzinfo=UTC)  # 14:05 in Munich
    for step, action in enumerate((Action.DIAGNOSE, Action.START_REPAIR, Action.FINISH, Action.HAND_OVER)):
        order = advance(web_engine, order_id=order.id, action=action, staff="anna", now=moved_at + timedelta(days=step))
        page = look_up(client, order.pickup_code)
        assert page.status_code == 200
        current = _CURRENT.search(page.text)
        assert current is not None, page.text
        assert current[1] == LABELS[order.state]
        assert current[2] == f"0{3 + step}.12.2026, 14:05 Uhr"
        kinds = [kind for kind, _label in _STEP.findall(page.text)]
        assert kinds.index("current") == step + 1 and set(kinds[: step + 1]) == {"done"}
    assert "Diese Reparatur ist abgeschlossen." in page.text
    assert "Zum Abholen" not in page.text and "Voraussichtlich fertig" not in page.text


def test_an_order_ordered_on_the_phone_asks_for_the_product_before_it_counts_days(
    client: TestClient, web_engine: Engine
) -> None:
    """Registered, not handed in: the page says where to bring it and how long after that it takes; no ready date
    and no repair slip the shopper never got."""
    order = take_in(web_engine, received=False)
    page = look_up(client, order.pickup_code)
    assert page.status_code == 200
    assert _STEP.findall(page.text)[:2] == [("current", "Angemeldet – noch nicht abgegeben"), ("ahead", "Angenommen")]
    assert "Zum Abgeben" in page.text and "Bring das Produkt mit deinem Abholcode" in page.text
    assert "etwa 5 Tage nach der Abgabe" in page.text
    assert "Voraussichtlich fertig" not in page.text and "Abholschein" not in page.text
    advance(web_engine, order_id=order.id, action=Action.RECEIVE, staff="anna")
    taken = look_up(client, order.pickup_code)
    assert _STEP.findall(taken.text)[:2] == [("done", "Angemeldet – noch nicht abgegeben"), ("current", "Angenommen")]
    assert "Voraussichtlich fertig:" in taken.text and "Zum Abholen brauchst du deinen Abholcode" in taken.text


def test_an_order_returned_unrepaired_ends_its_timeline_there(client: TestClient, web_engine: Engine) -> None:
    order = take_in(web_engine, address="Sie", cost_cents=(2000, 4500))
    advance(web_engine, order_id=order.id, action=Action.DIAGNOSE, staff="anna")
    advance(web_engine, order_id=order.id, action=Action.RETURN_UNREPAIRED, staff="anna")
    page = look_up(client, order.pickup_code)
    assert _STEP.findall(page.text) == [("done", "Angenommen"), ("done", "Begutachtet"),
                                        ("current", "Unrepariert zurückgegeben")]  # fmt: skip
    assert "Stand Ihrer Reparatur" in page.text
    assert "Ihr Produkt ging ohne Reparatur zurück." in page.text and "abgeschlossen" not in page.text
    assert "Voraussichtliche Kosten" not in page.text, "no expected cost for a repair that was not done"


def test_a_wrong_code_is_told_kindly_and_limited_like_resume_codes(client: TestClient, web_engine: Engine) -> None:
    order = take_in(web_engine)
    for typed in ("2222-2222", "not a code"):
        page = look_up(client, typed)
        assert page.status_code == 404
        assert_hardened(page)
        assert "Diesen Abholcode kennen wir nicht." in page.text and 'role="alert"' in page.text
    for _ in range(3):
        look_up(client, "3333-3333")
    waiting = look_up(client, order.pickup_code)  # the right code, too, after five wrong ones in a row
    assert waiting.status_code == 429
    assert int(waiting.headers["retry-after"]) > 0
    assert "Zu viele falsche Codes." in waiting.text


def test_the_form_needs_its_csrf_token(client: TestClient, web_engine: Engine) -> None:
    order = take_in(web_engine)
    client.get("/repair")
    refused = client.post("/repair", data={"code": order.pickup_code})
    assert refused.status_code == 403
    assert_hardened(refused)


def test_the_page_speaks_english_when_the_shopper_chose_it(client: TestClient, web_engine: Engine) -> None:
    order = take_in(web_engine)
    home = client.get("/")
    client.post("/lang", data={"csrf": csrf_of(home.text), "locale": "en"})
    page = look_up(client, order.pickup_code)
    assert "Your repair" in page.text and "Expected to be ready:" in page.text
    current = _CURRENT.search(page.text)
    assert current is not None and current[1] == "Received"


def test_the_status_looked_up_stays_through_a_reload_and_the_other_language(
    client: TestClient, web_engine: Engine
) -> None:
    order = take_in(web_engine)
    page = look_up(client, shown(order.pickup_code))
    assert page.url.path == "/repair/status", "post, then redirect: the code is in no address"
    assert shown(order.pickup_code) not in str(page.url)
    assert f"Abholcode: {shown(order.pickup_code)}" in client.get("/repair/status").text, "a reload shows it again"
    english = client.post("/lang", data={"csrf": csrf_of(page.text), "locale": "en", "back": "/repair/status"})
    assert english.url.path == "/repair/status" and f"Pickup code: {shown(order.pickup_code)}" in english.text
    client.cookies.clear()
    assert client.get("/repair/status").url.path == "/repair", "without the look-up: the form"
