"""One advice session moves between every ordered pair of surfaces: kiosk, phone pages, JSON API, staff console.

A session with answers, a relaxation taken, a critique, a viewed and two compared products is made on the first
surface and opened on the second; the second shows the same products in the same order with the same reasons
and the same critiques, the stored session keeps viewed and compared products, and the event log holds one run
with one `started` event. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import permutations
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from advisor.config import default_config
from advisor.handoff.staff import set_pin
from advisor.handoff.tokens import issue_token
from advisor.insights.events import EventLog, new_run
from advisor.questionnaire.library import load_library
from advisor.recommend.index import IndexCache
from advisor.session import store
from advisor.session.service import AdviceSession
from advisor.session.tracking import EventLogger
from advisor.web.app import create_app
from advisor.web.context import WebContext
from advisor.web.security import Signer
from tests.helpers.sample import open_with_sample
from ui.session import KioskSession
from ui.staff import StaffConsole

SURFACES = ("kiosk", "phone", "api", "console")
ANSWERS: dict[str, Any] = {
    "region": "rough", "trip": "trekking", "frequency": "regularly", "persons": 4, "extra_space": False,
    "body_height": 210, "weight_importance": "ultralight", "extras": ["two_entrances"],
}  # fmt: skip
RELAXATION = ("persons", "weight_importance")  # nothing fits the answers; this brings six tents back
LIBRARY = load_library()
TENTS = LIBRARY.questionnaires["tent-finder"]


@dataclass
class Shown:
    """What a surface shows of the advice: products in order with their reasons, and the chosen critiques."""

    products: list[tuple[str, list[str]]]
    critiques: list[str]


@dataclass
class World:
    engine: Engine
    web: WebContext
    client: TestClient
    kiosk_log: EventLog
    qtbot: QtBot


@pytest.fixture
def world(database_url: str, tmp_path: Path, qtbot: QtBot) -> Iterator[World]:
    engine = open_with_sample(database_url)
    config = default_config()
    web = WebContext(
        engine=engine, questionnaires=lambda: LIBRARY.questionnaires, index_cache=IndexCache(engine), config=config,
        signer=Signer(b"cross-surface-test-secret-key-0123456789"), events=EventLog(engine, channel="web"),
    )  # fmt: skip
    set_pin(engine, "Mara", "4711")
    kiosk_log = EventLog(engine, channel="kiosk")
    with TestClient(create_app(web), base_url="https://testserver") as client:
        yield World(engine, web, client, kiosk_log, qtbot)
    for log in (web.events, kiosk_log):
        assert log is not None
        log.close(timeout=2.0)  # the last events, before the database goes
    engine.dispose()


def csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def form_values(value: Any) -> list[str]:
    if isinstance(value, bool):
        return ["yes" if value else "no"]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


# -- making the session on a surface (returns the stored session's id) ------------------------------------------


def kiosk_session(world: World) -> KioskSession:
    session = KioskSession(LIBRARY.questionnaires)
    session.set_catalog(world.web.index_cache.get())
    session.attach_database(world.engine, world.kiosk_log)
    return session


def settled(world: World, session: KioskSession) -> None:
    """Wait until the kiosk's background writes are in the database."""
    world.qtbot.waitUntil(
        lambda: session.stored_id is not None and session.advice is not None and not session.advice.pending,
        timeout=20_000,
    )
    session.writes.wait()


def make_on_kiosk(world: World) -> str:
    session = kiosk_session(world)
    session.start("tent-finder")
    while session.state is not None and session.state.current is not None:
        value = ANSWERS[session.state.current]
        session.answer(tuple(value) if isinstance(value, list) else value)
    result = session.recommendation()
    assert result is not None and result.count == 0
    session.relax(next(r for r in result.relaxations if r.drop == RELAXATION))
    result = session.recommendation()
    assert result is not None
    session.critique(result.critiques[0])
    result = session.recommendation()
    assert result is not None
    session.show_detail(result.products[0].sku)
    for item in result.products[:2]:
        session.toggle_compare(item.sku)
    session.share()
    settled(world, session)
    assert session.stored_id is not None
    return session.stored_id


def make_on_phone(world: World) -> str:
    client = world.client
    client.cookies.clear()
    page = client.get("/").text
    page = client.post("/start", data={"csrf": csrf(page), "questionnaire_id": "tent-finder"}).text
    while (step := re.search(r'name="step" value="([^"]+)"', page)) is not None:
        step_id = step.group(1)
        page = client.post("/advice/answer", data={"csrf": csrf(page), "step": step_id,
                                                   "value": form_values(ANSWERS[step_id])}).text  # fmt: skip
    page = client.post("/advice/relax", data={"csrf": csrf(page), "drop": list(RELAXATION)}).text
    key = re.search(r'name="key" value="([^"]+)"', page)
    assert key is not None, "a critique is offered"
    page = client.post("/advice/critique", data={"csrf": csrf(page), "key": html.unescape(key.group(1))}).text
    skus = re.findall(r'data-sku="([^"]+)"', page)
    client.get(f"/advice/product/{skus[0]}")
    for sku in skus[:2]:
        page = client.post("/advice/compare", data={"csrf": csrf(page), "sku": sku, "on": "1"}).text
    session_id = world.web.signer.unsign(client.cookies.get("advisor_session"))
    assert session_id is not None
    return session_id


def make_on_api(world: World) -> str:
    client = world.client
    created = client.post("/api/v1/sessions", json={"questionnaire_id": "tent-finder", "locale": "de",
                                                    "answers": ANSWERS})  # fmt: skip
    assert created.status_code == 201, created.text
    headers = {"Authorization": f"Bearer {created.json()['token']}"}
    result = client.get("/api/v1/session/recommendation", headers=headers).json()
    assert result["count"] == 0
    assert client.post("/api/v1/session/relaxations", json={"keys": list(RELAXATION)}, headers=headers).is_success
    result = client.get("/api/v1/session/recommendation", headers=headers).json()
    critique = result["critiques"][0]
    key = f"{critique['attribute']}:{critique['direction']}:{critique['reference']:g}"
    assert client.post("/api/v1/session/critiques", json={"key": key}, headers=headers).is_success
    skus = [item["sku"] for item in client.get("/api/v1/session/recommendation", headers=headers).json()["products"]]
    assert client.post("/api/v1/session/viewed", json={"sku": skus[0]}, headers=headers).is_success
    assert client.put("/api/v1/session/compared", json={"skus": skus[:2]}, headers=headers).is_success
    session_id = world.web.signer.unsign(created.json()["token"], "api")
    assert session_id is not None
    return session_id


def signed_in_console(world: World) -> StaffConsole:
    console = StaffConsole(world.engine, LIBRARY.questionnaires, world.web.index_cache.get())
    world.qtbot.addWidget(console)
    console.name.setText("Mara")
    console.pin.setText("4711")
    console.sign_in()
    world.qtbot.waitUntil(lambda: console.staff == "Mara", timeout=10_000)
    return console


def open_in_console(world: World, console: StaffConsole, session_id: str) -> None:
    record = store.read(world.engine, session_id)
    assert record is not None
    console.code.setText(record.resume_code)
    console.open_code()
    world.qtbot.waitUntil(
        lambda: console.view is not None and console.view.case is not None
        and console.view.case.key == (None, session_id) and "Code" in console.case_text(),
        timeout=20_000,
    )  # fmt: skip


def make_on_console(world: World) -> str:
    """The session arrives from a shopper's earlier device (the core, as every surface uses it); at the console,
    staff change an answer with the shopper, and the session moves on from there."""
    index = world.web.index_cache.get().categories["tents"]
    advice = AdviceSession.start(TENTS, index=index, run=new_run(), subscribers=[EventLogger(world.kiosk_log)])
    advice.set_answers(ANSWERS)
    advice.recommendation()
    advice.relax(RELAXATION)
    advice.critique(advice.recommendation().critiques[0].key)
    skus = [item.sku for item in advice.recommendation().products]
    advice.view(skus[0])
    for sku in skus[:2]:
        advice.compare(sku)
    record = store.create(world.engine, advice, store_id="muc-01")
    console = signed_in_console(world)
    open_in_console(world, console, record.id)
    console.edit_step.setCurrentIndex(console.edit_step.findData("frequency"))
    other = next(i for i in range(console.edit_value.count()) if console.edit_value.itemData(i) != "regularly")
    console.edit_value.setCurrentIndex(other)
    console.save_answer.click()
    world.qtbot.waitUntil(lambda: (store.read(world.engine, record.id) or record).version > record.version)
    console.close()
    return record.id


# -- opening it on a surface and reading what it shows --------------------------------------------------------


def shown_on_kiosk(world: World, session_id: str) -> Shown:
    record = store.read(world.engine, session_id)
    assert record is not None
    session = kiosk_session(world)
    session.resume(record)
    result = session.recommendation()
    assert result is not None and session.stored_id == session_id
    return Shown([(item.sku, [r.text for r in item.reasons]) for item in result.products],
                 [c.key for c in session.critiques])  # fmt: skip


def shown_on_phone(world: World, session_id: str) -> Shown:
    """The phone page shows the top pick, then the others grouped by what they trade; read back in rank order."""
    client = world.client
    client.cookies.clear()
    client.get(f"/c/{issue_token(world.engine, session_id)}")
    page = client.get("/advice").text
    products = [  # (read as a shopper reads them: the page holds an amount to its € sign with a no-break space the
        # core's text has not, "329,95\u00a0€", the same words; a figure's no-break space before its unit, "7,3\u00a0l",
        # is the core's own and stays)
        (sku, [html.unescape(text).replace("\u00a0€", " €") for text in re.findall(r"<li>(.*?)</li>", reasons)])
        for sku, reasons in re.findall(r'<ul class="reasons" data-sku="([^"]+)">(.*?)</ul>', page)
    ]
    record = store.read(world.engine, session_id)
    assert record is not None
    advice = store.load(record, LIBRARY.questionnaires, index_for=lambda q: world.web.index_cache.get().categories[
        q.category])  # fmt: skip
    decision = advice.decision()
    assert tuple(sku for sku, _ in products) == decision.display_order()
    ranked = {sku: reasons for sku, reasons in products}
    chosen = re.search(r'data-chosen="([^"]*)"', page)
    return Shown(
        [(sku, ranked[sku]) for sku in decision.skus], html.unescape(chosen.group(1)).split() if chosen else []
    )


def shown_on_api(world: World, session_id: str) -> Shown:
    record = store.read(world.engine, session_id)
    assert record is not None
    resumed = world.client.post("/api/v1/sessions/resume", json={"code": record.resume_code})
    assert resumed.status_code == 200, resumed.text
    headers = {"Authorization": f"Bearer {resumed.json()['token']}"}
    result = world.client.get("/api/v1/session/recommendation", headers=headers).json()
    critiques = resumed.json()["critiques"]
    return Shown([(item["sku"], item["reasons"]) for item in result["products"]],
                 [f"{c['attribute']}:{c['direction']}:{c['reference']:g}" for c in critiques])  # fmt: skip


def shown_on_console(world: World, session_id: str) -> Shown:
    """The console's sheet: products in the order the kiosk shows them, reasons phrased for staff; the critiques
    the console's session holds (the sheet names them in words)."""
    console = signed_in_console(world)
    open_in_console(world, console, session_id)
    assert console.view is not None and console.view.case is not None and console.view.case.sheet is not None
    case = console.view.case
    products = [(item.sku, list(item.reasons)) for item in case.sheet.picks]
    for sku, _ in products[:1]:
        assert case.sheet.picks[0].name in console.case_text(), f"the top pick {sku} is on the console's screen"
    critiques = [c.key for c in case.session.critiques]
    console.close()
    return Shown(products, critiques)


MAKE = {"kiosk": make_on_kiosk, "phone": make_on_phone, "api": make_on_api, "console": make_on_console}
SHOWN = {"kiosk": shown_on_kiosk, "phone": shown_on_phone, "api": shown_on_api, "console": shown_on_console}


def truth(world: World, session_id: str) -> Shown:
    """What the stored session means, worked out by the core on its own."""
    record = store.read(world.engine, session_id)
    assert record is not None
    advice = store.load(record, LIBRARY.questionnaires, index_for=lambda q: world.web.index_cache.get().categories[
        q.category])  # fmt: skip
    result = advice.recommendation()
    return Shown([(item.sku, [r.text for r in item.reasons]) for item in result.products],
                 [c.key for c in advice.critiques])  # fmt: skip


def staff_truth(world: World, session_id: str) -> Shown:
    """The same advice as staff read it: in the kiosk's display order, reasons about the customer."""
    from advisor.session.cases import staff_recommendation

    record = store.read(world.engine, session_id)
    assert record is not None
    advice = store.load(record, LIBRARY.questionnaires, index_for=lambda q: world.web.index_cache.get().categories[
        q.category])  # fmt: skip
    result = staff_recommendation(advice, "de")
    assert [item.sku for item in result.products] == list(advice.decision().display_order())
    return Shown([(item.sku, [r.text for r in item.reasons]) for item in result.products],
                 [c.key for c in advice.critiques])  # fmt: skip


@pytest.mark.parametrize(("first", "second"), list(permutations(SURFACES, 2)))
def test_a_session_moves_between_surfaces_unchanged(world: World, first: str, second: str) -> None:
    session_id = MAKE[first](world)
    expected = truth(world, session_id)
    assert expected.products and expected.critiques, "the session has products and a chosen critique"
    record = store.read(world.engine, session_id)
    assert record is not None
    snapshot = record.snapshot
    assert len(snapshot.compared) == 2 and len(snapshot.viewed) == 1
    assert any(item.get("applied") and tuple(item["drop"]) == RELAXATION for item in snapshot.relaxations)

    shown = SHOWN[second](world, session_id)

    if second == "console":  # as the kiosk shows them (top pick, then the alternatives), phrased for staff
        expected = staff_truth(world, session_id)
    assert shown.products == expected.products
    assert shown.critiques == expected.critiques
    again = store.read(world.engine, session_id)
    assert again is not None
    assert again.snapshot.compared == snapshot.compared and again.snapshot.viewed[0] == snapshot.viewed[0]
    world.kiosk_log.flush()
    assert world.web.events is not None
    world.web.events.flush()
    with world.engine.connect() as connection:
        runs = connection.execute(sa.text("SELECT DISTINCT run FROM advice_event WHERE run IS NOT NULL")).all()
        started = connection.execute(sa.text("SELECT count(*) FROM advice_event WHERE kind = 'started'")).scalar()
    assert (len(runs), started) == (1, 1)
