"""The console's repairs as a sales person uses them: an order taken in at the kiosk is listed with its code, product,
problem, state and age; only the buttons its state allows are shown; staff move it through every state, the
shopper's web page follows each move, and the ready mail is queued when it becomes ready."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import Engine

from advisor.bootstrap import open_database
from advisor.config import Config
from advisor.handoff.codes import shown
from advisor.handoff.model import MailOutbox
from advisor.handoff.staff import set_pin
from advisor.recommend.index import IndexCache
from advisor.rendering.facts import variant_labels
from advisor.repairs.orders import Action, State, create_order
from advisor.repairs.tables import PRODUCT
from advisor.web.app import create_app
from advisor.web.context import WebContext
from advisor.web.security import Signer
from tests.ui.conftest import PUBLIC_ADDRESS
from tests.ui.test_kiosk import click
from ui.layout_check import layout_problems
from ui.repairs import RepairsView
from ui.session import KioskSession
from ui.staff import StaffConsole

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=r".*httpx2", category=UserWarning)
    from fastapi.testclient import TestClient

OUTBOX = MailOutbox.__table__  # type: ignore[attr-defined]
CONFIG = Config.model_validate({"smtp": {"host": "mail.nordgrat.example", "sender": "repairs@nordgrat.example"}})
STEPS = [
    (Action.DIAGNOSE, State.DIAGNOSED, "Begutachtet"),
    (Action.START_REPAIR, State.IN_REPAIR, "In Reparatur"),
    (Action.FINISH, State.READY, "Abholbereit"),
    (Action.HAND_OVER, State.COLLECTED, "Abgeholt"),
]
LEGAL = {
    State.RECEIVED: {Action.DIAGNOSE, Action.RETURN_UNREPAIRED},
    State.DIAGNOSED: {Action.START_REPAIR, Action.RETURN_UNREPAIRED},
    State.IN_REPAIR: {Action.FINISH, Action.RETURN_UNREPAIRED},
    State.READY: {Action.HAND_OVER},
}
_CURRENT = re.compile(r'aria-current="step">\s*<span class="state">([^<]+)</span>')


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A database with the sample catalog (the console and the page name the product) and Anna's PIN."""
    engine = open_database(f"sqlite:///{tmp_path / 'repairs.sqlite3'}")
    set_pin(engine, "Anna", "4711")
    yield engine
    engine.dispose()


@pytest.fixture
def page(engine: Engine) -> Iterator[TestClient]:
    """The web companion on the same database, where the shopper looks up the order."""
    web = WebContext(engine=engine, questionnaires=dict, index_cache=IndexCache(engine), config=CONFIG,
                     signer=Signer(b"repair-console-test-secret-key-0123456789"))  # fmt: skip
    with TestClient(create_app(web)) as client:
        yield client


def state_on_the_page(client: TestClient, code: str) -> str:
    form = client.get("/repair")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    shown_page = client.post("/repair", data={"csrf": token[1], "code": code})
    assert shown_page.status_code == 200, shown_page.text
    current = _CURRENT.search(shown_page.text)
    assert current is not None
    return current[1]


def open_repairs(qtbot: QtBot, engine: Engine, session: KioskSession) -> RepairsView:
    console = StaffConsole(engine, session.questionnaires, session.catalog, PUBLIC_ADDRESS,  # type: ignore[arg-type]
                           zone=CONFIG.store.zone, config=CONFIG)  # fmt: skip
    qtbot.addWidget(console)
    console.show()
    console.name.setText("Anna")
    console.pin.setText("4711")
    click(qtbot, console.sign_in_button)
    qtbot.waitUntil(lambda: console.view is not None)
    click(qtbot, console.repairs_button)
    view = console.repairs
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.listed is not None)
    return view


def shown_actions(view: RepairsView) -> set[Action]:
    return {action for action, widget in view.action_buttons.items() if widget.isVisible() and widget.isEnabled()}


def confirm_ending(qtbot: QtBot, view: RepairsView, label: str) -> None:
    """Answer "end this order?" with its confirming button."""
    prompt = view.end_prompt
    assert prompt is not None and prompt.isVisible()
    [confirm] = [b for b in prompt.buttons() if b.text() == label]
    click(qtbot, confirm)
    qtbot.waitUntil(lambda: not prompt.isVisible())


def test_ending_a_repair_asks_first_naming_code_and_product_and_cancel_keeps_it(
    qtbot: QtBot, session: KioskSession, engine: Engine
) -> None:
    """ "Unrepariert zurückgeben" ends the order (it leaves the list, no undo): the console asks first, naming the
    pickup code and the product; "Abbrechen" (Enter's and Escape's choice) leaves the order as it was; confirmed, it
    ends. An intermediate step is not asked."""
    from advisor.repairs.orders import order_of

    with engine.connect() as connection:
        sku, name = connection.execute(sa.select(PRODUCT.c.sku, PRODUCT.c.name_de).order_by(PRODUCT.c.sku)).first()  # type: ignore[misc]
    order = create_order(engine, store_id=CONFIG.store.id, product_sku=sku, problem="Gestänge gebrochen",
                         turnaround_days=3)  # fmt: skip
    code = shown(order.pickup_code)
    view = open_repairs(qtbot, engine, session)
    qtbot.waitUntil(lambda: view.orders.count() == 1 and code in view.orders.item(0).text())
    view.orders.setCurrentRow(0)
    qtbot.waitUntil(lambda: shown_actions(view) == LEGAL[State.RECEIVED])
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):
        click(qtbot, view.action_buttons[Action.RETURN_UNREPAIRED])
        prompt = view.end_prompt
        assert prompt is not None and prompt.isVisible() and prompt.windowTitle() == "Auftrag abschließen?"
        assert prompt.text().startswith(f"{code} · {name}: Das Produkt unrepariert zurückgeben?")
        assert {b.text() for b in prompt.buttons()} == {"Unrepariert zurückgeben", "Abbrechen"}
        assert prompt.defaultButton().text() == "Abbrechen"
        qtbot.keyClick(prompt, key)
        qtbot.waitUntil(lambda prompt=prompt: not prompt.isVisible())
        assert view.end_prompt is None
    kept = order_of(engine, order.id)
    assert kept is not None and kept.state == State.RECEIVED, "not returned"
    assert code in view.orders.item(0).text() and view.selected() is not None
    assert view.notice.text() == ""

    click(qtbot, view.action_buttons[Action.DIAGNOSE])  # an intermediate step: done at once
    assert view.end_prompt is None
    qtbot.waitUntil(lambda: view.notice.text() == f"{code}: Begutachtet")
    qtbot.waitUntil(lambda: shown_actions(view) == LEGAL[State.DIAGNOSED])

    click(qtbot, view.action_buttons[Action.RETURN_UNREPAIRED])
    confirm_ending(qtbot, view, "Unrepariert zurückgeben")
    qtbot.waitUntil(lambda: view.notice.text() == f"{code}: Unrepariert zurückgegeben")
    qtbot.waitUntil(lambda: view.orders.item(0).text() == "Keine offenen Reparaturen.")
    ended = order_of(engine, order.id)
    assert ended is not None and ended.state == State.RETURNED_UNREPAIRED


def test_staff_move_a_repair_through_every_state_and_the_page_follows(
    qtbot: QtBot, session: KioskSession, engine: Engine, page: TestClient
) -> None:
    with engine.connect() as connection:
        sku, name = connection.execute(sa.select(PRODUCT.c.sku, PRODUCT.c.name_de).order_by(PRODUCT.c.sku)).first()  # type: ignore[misc]
    order = create_order(
        engine, store_id=CONFIG.store.id, product_sku=sku, problem="Reißverschluss klemmt", turnaround_days=5,
        consent=True, contact_name="Kim", contact_email="kim@example.net", tried=["Reißverschluss gewachst"],
    )  # fmt: skip
    create_order(engine, store_id="ham-01", product_sku=sku, problem="another store's", turnaround_days=5)
    code = shown(order.pickup_code)

    view = open_repairs(qtbot, engine, session)
    qtbot.waitUntil(lambda: view.orders.count() == 1 and code in view.orders.item(0).text())
    line = view.orders.item(0).text()
    assert f"{code} · {name} · Reißverschluss klemmt" in line and "Angenommen · heute angenommen" in line
    assert shown_actions(view) == set(), "no buttons before an order is chosen"
    view.orders.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)  # what the list's getting focus does
    assert shown_actions(view) == set(), "a line made current by the focus, not highlighted, is no choice"
    assert "Reißverschluss" not in view.details.toPlainText()
    view.orders.setCurrentRow(0)
    qtbot.waitUntil(lambda: shown_actions(view) == LEGAL[State.RECEIVED])
    assert layout_problems(view) == [], "nothing clipped, outside the window or too small to tap"
    details = view.details.toPlainText()
    assert "Schon versucht: Reißverschluss gewachst" in details and "Kim · kim@example.net" in details
    assert state_on_the_page(page, code) == "Angenommen"

    for action, state, label in STEPS:
        assert shown_actions(view) == LEGAL[State(view.selected().state)]  # type: ignore[union-attr]
        click(qtbot, view.action_buttons[action])
        if action == Action.HAND_OVER:  # the end of the order: asked first
            confirm_ending(qtbot, view, "Abgeholt – übergeben")
        else:
            assert view.end_prompt is None, "an intermediate state is not asked"
        qtbot.waitUntil(lambda label=label: view.notice.text().startswith(f"{code}: {label}"))
        assert state_on_the_page(page, code) == label
        if state in LEGAL:
            qtbot.waitUntil(lambda state=state: shown_actions(view) == LEGAL[state])
        if state == State.READY:
            assert view.notice.text().endswith("Der Kunde bekommt eine E-Mail.")
            with engine.connect() as connection:
                assert connection.execute(sa.select(OUTBOX.c.address)).scalars().all() == ["kim@example.net"]

    qtbot.waitUntil(lambda: view.orders.item(0).text() == "Keine offenen Reparaturen.")
    assert shown_actions(view) == set()
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(OUTBOX)).scalar_one() == 1


def test_an_order_from_the_phone_is_taken_in_at_the_counter(
    qtbot: QtBot, session: KioskSession, engine: Engine, page: TestClient
) -> None:
    """Registered by the shopper, the order waits for its product: staff take it in ("Produkt angenommen"), from
    when the turnaround counts, or strike one never brought; the shopper's page follows."""
    order = create_order(engine, store_id=CONFIG.store.id, product_sku="X-1", problem="Gestänge gebrochen",
                         turnaround_days=5, received=False)  # fmt: skip
    code = shown(order.pickup_code)
    view = open_repairs(qtbot, engine, session)
    qtbot.waitUntil(lambda: view.orders.count() == 1 and code in view.orders.item(0).text())
    assert view.orders.item(0).text().endswith("Angemeldet – noch nicht abgegeben · heute angemeldet")
    assert state_on_the_page(page, code) == "Angemeldet – noch nicht abgegeben"
    view.orders.setCurrentRow(0)
    qtbot.waitUntil(lambda: shown_actions(view) == {Action.RECEIVE, Action.CANCEL})
    assert "fertig etwa 5 Tage nach der Abgabe" in view.details.toPlainText()
    assert view.action_buttons[Action.RECEIVE].text() == "Produkt angenommen"
    assert layout_problems(view) == [], "nothing clipped, outside the window or too small to tap"
    click(qtbot, view.action_buttons[Action.RECEIVE])
    qtbot.waitUntil(lambda: view.notice.text().startswith(f"{code}: Angenommen"))
    assert state_on_the_page(page, code) == "Angenommen"
    view.orders.setCurrentRow(0)
    qtbot.waitUntil(lambda: shown_actions(view) == LEGAL[State.RECEIVED])
    assert "fertig bis" in view.details.toPlainText()


def test_an_order_moved_elsewhere_first_is_refused_with_its_state(
    qtbot: QtBot, session: KioskSession, engine: Engine
) -> None:
    from advisor.repairs.orders import advance

    order = create_order(engine, store_id=CONFIG.store.id, product_sku="X-1", problem="Gestänge gebrochen",
                         turnaround_days=3)  # fmt: skip
    view = open_repairs(qtbot, engine, session)
    qtbot.waitUntil(lambda: view.orders.count() == 1 and shown(order.pickup_code) in view.orders.item(0).text())
    view.orders.setCurrentRow(0)
    qtbot.waitUntil(lambda: view.action_buttons[Action.DIAGNOSE].isVisible())
    advance(engine, order_id=order.id, action=Action.RETURN_UNREPAIRED, staff="Ben")  # at another console
    click(qtbot, view.action_buttons[Action.DIAGNOSE])
    qtbot.waitUntil(
        lambda: view.notice.text() == "Das geht nicht mehr: Der Auftrag ist inzwischen „Unrepariert zurückgegeben“."
    )
    qtbot.waitUntil(lambda: view.orders.item(0).text() == "Keine offenen Reparaturen.")


def test_with_no_open_repairs_the_window_says_what_will_come_there(
    qtbot: QtBot, session: KioskSession, engine: Engine
) -> None:
    view = open_repairs(qtbot, engine, session)
    assert view.orders.count() == 1 and view.orders.item(0).text() == "Keine offenen Reparaturen."
    assert view.details.toPlainText().startswith("Reparaturen, die Kunden am Kiosk oder auf dem Handy anmelden")
    assert view.details.toPlainText().endswith("Ein Kunde an der Theke: „Reparatur annehmen“.")
    assert shown_actions(view) == set()


def test_an_overdue_repair_comes_first_and_stands_out_in_red(
    qtbot: QtBot, session: KioskSession, engine: Engine
) -> None:
    from datetime import UTC, datetime, timedelta

    from ui.theme import Theme

    with engine.connect() as connection:
        sku = connection.execute(sa.select(PRODUCT.c.sku).order_by(PRODUCT.c.sku)).scalars().first() or ""
    now = datetime.now(UTC)
    fresh = create_order(engine, store_id=CONFIG.store.id, product_sku=sku, problem="Naht offen", turnaround_days=7,
                         now=now - timedelta(days=1))  # fmt: skip
    late = create_order(engine, store_id=CONFIG.store.id, product_sku=sku, problem="Zipper", turnaround_days=7,
                        now=now - timedelta(days=9))  # fmt: skip
    local = now.astimezone(CONFIG.store.zone)
    last_night = local.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(minutes=1)
    evening = create_order(engine, store_id=CONFIG.store.id, product_sku=sku, problem="Reißverschluss",
                           turnaround_days=7, now=last_night)  # fmt: skip
    view = open_repairs(qtbot, engine, session)
    qtbot.waitUntil(lambda: view.orders.count() == 3)
    first = view.orders.item(0)
    second = next(view.orders.item(row) for row in range(3) if shown(fresh.pickup_code) in view.orders.item(row).text())
    assert shown(late.pickup_code) in first.text() and "überfällig" in first.text()
    assert "überfällig" not in second.text() and "seit 1 Tag" in second.text()
    assert first.foreground().color().name() == Theme().negative
    assert second.foreground().color().name() != Theme().negative
    yesterday = next(
        view.orders.item(row) for row in range(3) if shown(evening.pickup_code) in view.orders.item(row).text()
    )
    assert "seit 1 Tag" in yesterday.text(), "taken in at 23:59 yesterday is not 'today', however few hours ago"


def repair_page(client: TestClient, code: str, language: str = "de") -> str:
    """The shopper's repair page for `code` as the phone shows it, in `language`."""
    headers = {"accept-language": language}
    form = client.get("/repair", headers=headers)
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    shown_page = client.post("/repair", data={"csrf": token[1], "code": code}, headers=headers)
    assert shown_page.status_code == 200, shown_page.text
    return re.sub(r"<[^>]+>", " ", shown_page.text)


def test_a_registered_order_says_only_where_to_hand_it_in(engine: Engine, page: TestClient) -> None:
    """Before the hand-in the page says where to bring the product, never where to collect it."""
    order = create_order(engine, store_id=CONFIG.store.id, product_sku="X-1", problem="Gestänge gebrochen",
                         turnaround_days=5, received=False)  # fmt: skip
    german = repair_page(page, order.pickup_code)
    assert "Zum Abgeben" in german and "Gib es an der Servicetheke von" in german
    assert "Du bekommst es an der Servicetheke" not in german and "Zum Abholen" not in german
    english = repair_page(page, order.pickup_code, "en")
    assert "Hand it in at the service desk of" in english and "Collect it at the service desk" not in english


def test_a_received_order_says_where_to_collect_it(engine: Engine, page: TestClient) -> None:
    order = create_order(engine, store_id=CONFIG.store.id, product_sku="X-1", problem="Gestänge gebrochen",
                         turnaround_days=5)  # fmt: skip
    german = repair_page(page, order.pickup_code)
    assert "Zum Abholen" in german and "Du bekommst es an der Servicetheke von" in german
    assert "Gib es an der Servicetheke" not in german


def test_an_order_struck_as_never_brought_says_so_and_not_finished(engine: Engine, page: TestClient) -> None:
    from advisor.repairs.orders import advance

    order = create_order(engine, store_id=CONFIG.store.id, product_sku="X-1", problem="Gestänge gebrochen",
                         turnaround_days=5, received=False)  # fmt: skip
    advance(engine, order_id=order.id, action=Action.CANCEL, staff="Anna")
    german = repair_page(page, order.pickup_code)
    assert "Nicht abgegeben – gestrichen" in german
    assert "Diese Reparatur ist abgeschlossen." not in german
    assert "weil das Produkt nicht abgegeben wurde" in german
    assert "Du kannst die Reparatur jederzeit neu anmelden" in german
    english = repair_page(page, order.pickup_code, "en")
    assert "This repair is finished." not in english
    assert "the product was not brought in" in english and "register the repair again" in english
    collected = create_order(engine, store_id=CONFIG.store.id, product_sku="X-1", problem="Naht", turnaround_days=0)
    for action in (Action.DIAGNOSE, Action.START_REPAIR, Action.FINISH, Action.HAND_OVER):
        advance(engine, order_id=collected.id, action=action, staff="Anna")
    assert "Diese Reparatur ist abgeschlossen." in repair_page(page, collected.pickup_code), "a collected one is done"


def test_the_age_counts_from_the_hand_in_and_a_registered_order_says_it_is_not_here_yet(
    qtbot: QtBot, session: KioskSession, engine: Engine
) -> None:
    from datetime import UTC, datetime, timedelta

    from advisor.repairs.orders import advance

    now = datetime.now(UTC)
    handed_in = create_order(engine, store_id=CONFIG.store.id, product_sku="X-1", problem="Gestänge gebrochen",
                             turnaround_days=5, received=False, now=now - timedelta(days=10))  # fmt: skip
    advance(engine, order_id=handed_in.id, action=Action.RECEIVE, staff="Anna", now=now - timedelta(minutes=2))
    waiting = create_order(engine, store_id=CONFIG.store.id, product_sku="X-1", problem="Zipper", turnaround_days=5,
                           received=False, now=now - timedelta(days=3))  # fmt: skip
    view = open_repairs(qtbot, engine, session)
    qtbot.waitUntil(lambda: view.orders.count() == 2)
    lines = {view.orders.item(row).text() for row in range(2)}
    received_line = next(line for line in lines if shown(handed_in.pickup_code) in line)
    waiting_line = next(line for line in lines if shown(waiting.pickup_code) in line)
    assert received_line.endswith("Angenommen · heute angenommen"), received_line
    assert waiting_line.endswith("Angemeldet – noch nicht abgegeben · vor 3 Tagen angemeldet"), waiting_line


def test_the_database_notice_goes_when_the_database_answers_again(
    qtbot: QtBot, session: KioskSession, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.repairs

    view = open_repairs(qtbot, engine, session)
    working = ui.repairs.read_repairs

    def away(*args: object, **kwargs: object) -> None:
        raise sa.exc.OperationalError("select", {}, Exception("the database is away"))

    monkeypatch.setattr(ui.repairs, "read_repairs", away)
    view.refresh()
    qtbot.waitUntil(lambda: view.notice.text().startswith("Die Datenbank ist gerade nicht erreichbar"))
    monkeypatch.setattr(ui.repairs, "read_repairs", working)
    create_order(engine, store_id=CONFIG.store.id, product_sku="X-1", problem="Naht", turnaround_days=5)
    view.refresh()
    qtbot.waitUntil(lambda: view.orders.count() == 1 and "Naht" in view.orders.item(0).text())
    assert view.notice.text() == "", "the database answers again: its notice is gone"
    view.say("ABCD-2345: Angenommen")  # another notice (what staff just did) stays through a read
    view.refresh()
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not view._reading)
    assert view.notice.text() == "ABCD-2345: Angenommen"


def test_an_order_shows_the_article_and_what_the_shopper_answered_in_the_staff_language(
    qtbot: QtBot, session: KioskSession, engine: Engine
) -> None:
    """The workshop reads the shopper's answers as question and answer, and which article it is (the colour or
    size, and its SKU), in the console's language whatever language the shopper used."""
    tents = session.catalog.categories["tents"]
    tent = next(product for product in tents.products if len(product.variants) > 1)
    variant = tent.variants[1]
    create_order(engine, store_id=CONFIG.store.id, product_sku=tent.sku, variant_sku=variant.sku,
                 problem="Es regnet rein – Nähte abdichten lassen", turnaround_days=7, received=False,
                 questionnaire_id="tent-help", answers={"problem": "leak", "leak_where": "seams",
                                                         "leak_since": "after_years"}, locale="en")  # fmt: skip
    create_order(engine, store_id=CONFIG.store.id, product_sku="GONE-1", variant_sku="GONE-1-RED", problem="alt",
                 turnaround_days=7, questionnaire_id="retired-help", answers={"was": "zip"})  # fmt: skip
    view = open_repairs(qtbot, engine, session)
    qtbot.waitUntil(lambda: view.orders.count() == 2)
    view.orders.setCurrentRow(0)
    qtbot.waitUntil(lambda: "Antworten" in view.details.toPlainText())
    details = view.details.toPlainText()
    assert "Was ist mit deinem Zelt? Es regnet rein" in details
    assert (
        "Wo kommt das Wasser herein? An den Nähten" in details and "Seit wann? Nach einiger Zeit im Einsatz" in details
    )
    article = next(line for line in details.splitlines() if line.startswith("Artikel: "))
    assert article == f"Artikel: {variant_labels(tent, 'de', tents)[variant.sku]} · {variant.sku}"
    assert any(character.isupper() for character in article.split(" · ")[0][9:]), "the colour's German name, not an id"
    view.orders.setCurrentRow(1)  # a flow and a product no longer there: shown as stored, nothing hidden
    qtbot.waitUntil(lambda: "GONE-1-RED" in view.details.toPlainText())
    assert "Artikel: GONE-1-RED" in view.details.toPlainText() and "was: zip" in view.details.toPlainText()


def test_a_repair_is_found_by_its_pickup_code_however_it_is_typed(
    qtbot: QtBot, session: KioskSession, engine: Engine
) -> None:
    """The customer names the pickup code: typed in any case, with or without spaces and dashes, it chooses that
    order in the list (Enter or "Suchen"); a code no open order has is said so."""
    first = create_order(engine, store_id=CONFIG.store.id, product_sku="X-1", problem="Gestänge gebrochen",
                         turnaround_days=3)  # fmt: skip
    second = create_order(engine, store_id=CONFIG.store.id, product_sku="X-2", problem="Naht offen",
                          turnaround_days=3)  # fmt: skip
    view = open_repairs(qtbot, engine, session)
    qtbot.waitUntil(lambda: view.orders.count() == 2)
    assert view.selected() is None
    code = second.pickup_code
    view.code_field.setText(f" {code[:4].lower()} {code[4:]} ")
    qtbot.keyClick(view.code_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.selected() is not None and view.selected().id == second.id)  # type: ignore[union-attr]
    assert "Naht offen" in view.details.toPlainText() and shown_actions(view) == LEGAL[State.RECEIVED]

    view.code_field.setText(shown(first.pickup_code).lower())
    click(qtbot, view.find_button)
    qtbot.waitUntil(lambda: view.selected() is not None and view.selected().id == first.id)  # type: ignore[union-attr]

    unknown = next(c * 8 for c in "ABCDEFGHJK" if c * 8 not in (first.pickup_code, second.pickup_code))
    for typed in (shown(unknown), "ABC"):
        view.code_field.setText(typed)
        click(qtbot, view.find_button)
        qtbot.waitUntil(lambda typed=typed: view.notice.text() ==
                        f"Kein Auftrag mit diesem Abholcode unter den offenen Reparaturen: {typed}")  # fmt: skip
    assert view.selected() is not None and view.selected().id == first.id, "the choice stays"  # type: ignore[union-attr]
    assert layout_problems(view) == [], "nothing clipped, outside the window or too small to tap"
