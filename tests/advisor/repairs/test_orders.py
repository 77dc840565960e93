"""Repair orders on SQLite and PostgreSQL: every pair of state and action as the table says (and nothing else),
random action sequences, the shopper's contact only with consent, the pickup code and its limit on guesses, the
ready mail, the console's list and the purge."""

from __future__ import annotations

import dataclasses
import itertools
import threading
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from advisor.config import PrivacyConfig, StoreConfig, default_config
from advisor.handoff import sessions
from advisor.handoff.codes import ALPHABET, InvalidCode, TooManyAttempts, shown
from advisor.handoff.model import MailOutbox
from advisor.handoff.requests import HandoffError
from advisor.maintenance import purge_all
from advisor.repairs.days import overdue
from advisor.repairs.mail import MailSettings
from advisor.repairs.orders import (
    FINAL_STATES,
    PAST_PARTICIPLES,
    PATH,
    Action,
    Change,
    ContactProblem,
    IllegalMove,
    Order,
    RepairError,
    State,
    advance,
    create_order,
    find_by_code,
    next_state,
    open_by_pickup_code,
    open_orders,
    order_of,
    parse_cost,
    timeline,
)
from advisor.repairs.tables import REPAIR_CHANGE, REPAIR_ORDER

OUTBOX = MailOutbox.__table__  # type: ignore[attr-defined]
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
STORE = StoreConfig()  # open Monday to Saturday
# The table written out independently of the code: (from, action) -> to; every other pair is refused.
EXPECTED = {
    ("registered", "receive"): "received",
    ("registered", "cancel"): "cancelled",
    ("received", "diagnose"): "diagnosed",
    ("diagnosed", "start_repair"): "in_repair",
    ("in_repair", "finish"): "ready",
    ("ready", "hand_over"): "collected",
    ("received", "return_unrepaired"): "returned_unrepaired",
    ("diagnosed", "return_unrepaired"): "returned_unrepaired",
    ("in_repair", "return_unrepaired"): "returned_unrepaired",
}
# The actions that bring a new order to each state.
ROUTES = {
    State.REGISTERED: (),
    State.CANCELLED: (Action.CANCEL,),
    State.RECEIVED: (),
    State.DIAGNOSED: (Action.DIAGNOSE,),
    State.IN_REPAIR: (Action.DIAGNOSE, Action.START_REPAIR),
    State.READY: (Action.DIAGNOSE, Action.START_REPAIR, Action.FINISH),
    State.COLLECTED: (Action.DIAGNOSE, Action.START_REPAIR, Action.FINISH, Action.HAND_OVER),
    State.RETURNED_UNREPAIRED: (Action.RETURN_UNREPAIRED,),
}
SHOPPERS = (State.REGISTERED, State.CANCELLED)  # reached from an order the shopper made (kiosk, phone)
SETTINGS = MailSettings(sender="repairs@nordgrat.example", store_name="Nordgrat München",
                        page_url="https://advice.nordgrat.example/repair")  # fmt: skip


def _order(engine: Engine, store_id: str = "muc-01", now: datetime = NOW, **extra: Any) -> Order:
    values: dict[str, Any] = {"store_id": store_id, "product_sku": "T-100", "problem": "zip_stuck",
                                 "turnaround_days": 7, "now": now} | extra  # fmt: skip
    return create_order(engine, **values)


def _to(engine: Engine, state: State, now: datetime = NOW, **extra: Any) -> Order:
    """A new order moved to `state`, an hour per move (registered by the shopper for those states' way)."""
    order = _order(engine, now=now, **({"received": False} if state in SHOPPERS else {}), **extra)
    for step, action in enumerate(ROUTES[state], start=1):
        order = advance(engine, order_id=order.id, action=action, staff="anna", now=now + timedelta(hours=step))
    assert order.state == state
    return order


def _count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_the_table_allows_exactly_the_listed_moves() -> None:
    for state, action in itertools.product(State, Action):
        expected = EXPECTED.get((state.value, action.value))
        assert next_state(state, action) == (State(expected) if expected else None), (state, action)
    assert all(next_state(final, action) is None for final in FINAL_STATES for action in Action)


@pytest.mark.parametrize(("state", "action"), list(itertools.product(State, Action)))
def test_every_pair_of_state_and_action_on_the_database(engine: Engine, state: State, action: Action) -> None:
    order = _to(engine, state)
    expected = EXPECTED.get((state.value, action.value))
    if expected is None:
        with pytest.raises(IllegalMove) as refused:
            advance(engine, order_id=order.id, action=action, staff="ben", now=NOW + timedelta(days=1))
        words = state.value.replace("_", " ")
        assert str(refused.value) == (f"repair order {order.id} ({shown(order.pickup_code)}) is {words}; it cannot be "
                                      f"{PAST_PARTICIPLES[action]}")  # fmt: skip
        after = order_of(engine, order.id)
        assert after is not None and after.state == state and after.history == order.history
        return
    moved = advance(engine, order_id=order.id, action=action, staff="ben", now=NOW + timedelta(days=1))
    assert moved.state == State(expected)
    assert len(moved.history) == len(order.history) + 1
    last = moved.history[-1]
    assert (last.state, last.action, last.staff_name, last.at) == (
        State(expected),
        action,
        "ben",
        NOW + timedelta(days=1),
    )
    assert (moved.finished_at is not None) == (moved.state in FINAL_STATES)


def test_a_refusal_names_the_order_its_state_and_the_action(engine: Engine) -> None:
    order = _to(engine, State.COLLECTED)
    with pytest.raises(IllegalMove, match=rf"^repair order {order.id} \(\w{{4}}-\w{{4}}\) is collected; it cannot be "
                                          r"diagnosed$"):  # fmt: skip
        advance(engine, order_id=order.id, action=Action.DIAGNOSE, staff="anna")
    with pytest.raises(RepairError, match="no repair order 999999"):
        advance(engine, order_id=999_999, action=Action.DIAGNOSE, staff="anna")


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(st.lists(st.sampled_from(list(Action)), max_size=8), st.booleans())
def test_random_action_sequences_keep_the_machine_sound(engine: Engine, actions: list[Action], staff: bool) -> None:
    order = _order(engine, received=staff)
    for step, action in enumerate(actions, start=1):
        before = order
        wanted = EXPECTED.get((before.state.value, action.value))
        if wanted is None:
            with pytest.raises(IllegalMove):
                advance(engine, order_id=order.id, action=action, staff="anna", now=NOW + timedelta(minutes=step))
            assert order_of(engine, order.id) == before, "a refused action changes nothing"
            continue
        order = advance(engine, order_id=order.id, action=action, staff="anna", now=NOW + timedelta(minutes=step))
        assert order.state in State and order.state == State(wanted)
        assert len(order.history) == len(before.history) + 1
        assert order.history[-1].state == order.state
    assert order.history[0].state == (State.RECEIVED if staff else State.REGISTERED)
    if order.final:
        for action in Action:
            with pytest.raises(IllegalMove):
                advance(engine, order_id=order.id, action=action, staff="anna")
        assert order_of(engine, order.id) == order


def test_two_consoles_moving_one_order_at_once_cannot_both_win(engine: Engine) -> None:
    order = _order(engine)
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def move(name: str) -> None:
        barrier.wait()
        try:
            advance(engine, order_id=order.id, action=Action.DIAGNOSE, staff=name)
        except IllegalMove:
            outcomes.append("refused")
        else:
            outcomes.append("moved")

    workers = [threading.Thread(target=move, args=(f"staff-{n}",)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes) == ["moved", "refused", "refused", "refused"]
    after = order_of(engine, order.id)
    assert after is not None and [change.state for change in after.history] == [State.RECEIVED, State.DIAGNOSED]


def test_without_consent_no_contact_is_stored(engine: Engine) -> None:
    order = _order(engine, consent=False, contact_name="Kim Berger", contact_email="kim@example.net",
                   contact_phone="+49 89 1234")  # fmt: skip
    assert order.contact is None
    with engine.connect() as connection:
        row = connection.execute(sa.select(REPAIR_ORDER).where(REPAIR_ORDER.c.id == order.id)).one()
    assert (row.contact_name, row.contact_email, row.contact_phone) == (None, None, None)
    consented = _order(engine, consent=True, contact_name=" Kim Berger ", contact_email="kim@example.net",
                       contact_phone="+49 89 1234")  # fmt: skip
    assert consented.contact is not None
    assert (consented.contact.name, consented.contact.email, consented.contact.phone) == (
        "Kim Berger", "kim@example.net", "+49 89 1234")  # fmt: skip
    with pytest.raises(RepairError, match="e-mail address"):
        _order(engine, consent=True, contact_email="kim at example")


@pytest.mark.parametrize(
    ("contact", "field", "key"),
    [
        ({}, "contact", "help.order.contact_missing"),  # agreed to be told, but left no way to reach them
        ({"contact_name": "Jana"}, "contact", "help.order.contact_missing"),
        ({"contact_phone": "hello"}, "phone", "help.order.phone_invalid"),
        ({"contact_phone": "12"}, "phone", "help.order.phone_invalid"),
        ({"contact_email": "kim at example", "contact_phone": "0151 2345678"}, "email", "web.mail.invalid"),
    ],
)
def test_a_contact_that_cannot_reach_the_shopper_is_refused_at_its_field(
    engine: Engine, contact: dict[str, str], field: str, key: str
) -> None:
    with pytest.raises(ContactProblem) as refused:
        _order(engine, consent=True, received=False, **contact)
    assert (refused.value.field, refused.value.key) == (field, key)
    assert _count(engine, REPAIR_ORDER) == 0
    with pytest.raises(ContactProblem) as both:
        _order(engine, consent=True, received=False, contact_email="kim@example", contact_phone="hello")
    assert both.value.problems == (("email", "web.mail.invalid"), ("phone", "help.order.phone_invalid")), "at once"
    phone_only = _order(engine, consent=True, received=False, contact_name="Jana", contact_phone=" 0151 2345 ")
    assert phone_only.contact is not None and phone_only.contact.phone == "0151 2345"


def test_a_name_broken_over_lines_is_refused_and_nothing_is_stored(engine: Engine) -> None:
    """A form's name field is one line: a line break (only a crafted request sends one) would run into the
    workshop's label and the mail's next line."""
    for name in ("Kim\r\nBcc: everyone@example.org", "Kim\u2028Berger"):
        with pytest.raises(RepairError, match="a name is one line"):
            _order(engine, consent=True, received=False, contact_name=name, contact_email="kim@example.net")
    assert _count(engine, REPAIR_ORDER) == 0


def test_one_advice_sending_its_repair_twice_makes_one_order_with_the_latest_contact(engine: Engine) -> None:
    first = _order(engine, received=False, request="run-1:seam-repair")
    again = _order(engine, received=False, request="run-1:seam-repair", consent=True, contact_email="kim@example.net",
                   tried=["seal the seam"])  # fmt: skip
    assert again.id == first.id and again.pickup_code == first.pickup_code
    assert again.contact is not None and again.contact.email == "kim@example.net" and again.tried == ("seal the seam",)
    assert [change.state for change in again.history] == [State.REGISTERED]
    # Back, an answer changed, a fresh form (its box not ticked):
    unticked = _order(engine, received=False, request="run-1:seam-repair", answers={"leak_since": "from_new"},
                      problem="leak – from new")  # fmt: skip
    assert unticked.contact == again.contact and unticked.tried == again.tried, "what was left before stays"
    assert dict(unticked.answers) == {"leak_since": "from_new"} and unticked.problem == "leak – from new", "as now"
    other = _order(engine, received=False, request="run-1:zip-repair")  # another repair of the same advice
    assert other.id != first.id
    assert _count(engine, REPAIR_ORDER) == 2
    advance(engine, order_id=first.id, action=Action.CANCEL, staff="anna", now=NOW + timedelta(hours=1))
    anew = _order(engine, received=False, request="run-1:seam-repair")  # struck: the same advice may order again
    assert anew.id not in (first.id, other.id) and anew.state == State.REGISTERED


def test_a_double_tap_from_two_threads_makes_one_order(engine: Engine) -> None:
    barrier = threading.Barrier(2)
    made: list[int] = []

    def send() -> None:
        barrier.wait()
        made.append(_order(engine, received=False, request="run-2:seam-repair").id)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 2 and made[0] == made[1]
    assert _count(engine, REPAIR_ORDER) == 1


def test_the_database_refuses_a_contact_without_consent(engine: Engine) -> None:
    order = _order(engine)
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(REPAIR_ORDER.update().where(REPAIR_ORDER.c.id == order.id).values(contact_phone="0151"))


def test_an_order_keeps_what_the_kiosk_knew(engine: Engine) -> None:
    order = _order(engine, variant_sku="T-100-GRN", answers={"where": "zip", "tried_wax": True},
                   tried=["clean the zip", "wax it"], cost_cents=(1500, 3000), locale="en", address="du",
                   staff=None)  # fmt: skip
    again = order_of(engine, order.id)
    assert again == order
    assert (again.variant_sku, dict(again.answers), again.tried, again.cost_cents) == (
        "T-100-GRN", {"where": "zip", "tried_wax": True}, ("clean the zip", "wax it"), (1500, 3000))  # fmt: skip
    assert again.expected_ready == NOW + timedelta(days=7)
    assert [(c.state, c.at, c.staff_name) for c in again.history] == [(State.RECEIVED, NOW, None)]
    assert len(again.pickup_code) == 8 and set(again.pickup_code) <= set(ALPHABET)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"problem": "  "}, "says what is wrong"),
        ({"product_sku": ""}, "names the product"),
        ({"turnaround_days": -1}, "turnaround"),
        ({"cost_cents": (3000, 1500)}, "cost range"),
        ({"locale": "fr"}, "language"),
    ],
)
def test_an_order_that_cannot_be_made_is_refused_with_the_reason(
    engine: Engine, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(RepairError, match=message):
        _order(engine, **changes)
    assert _count(engine, REPAIR_ORDER) == 0


def test_pickup_codes_are_found_as_typed_and_unknown_ones_are_not(engine: Engine) -> None:
    order = _order(engine)
    typed = f" {shown(order.pickup_code).lower()} "
    assert find_by_code(engine, typed) == order
    assert open_by_pickup_code(engine, typed, client="ip:203.0.113.7") == order
    other = next(code for code in ("22222222", "33333333") if code != order.pickup_code)
    assert find_by_code(engine, other) is None
    with pytest.raises(RepairError, match="no repair order has this code"):
        open_by_pickup_code(engine, other, client="ip:203.0.113.7")
    with pytest.raises(InvalidCode):
        open_by_pickup_code(engine, "ABC", client="ip:203.0.113.7")


def test_wrong_pickup_codes_are_limited_like_resume_codes_and_share_their_budget(engine: Engine) -> None:
    order = _order(engine)
    for _ in range(10):  # right codes are given back: a shopper looking again and again is never held up
        open_by_pickup_code(engine, order.pickup_code, client="ip:198.51.100.1", now=NOW)
    for _ in range(3):
        with pytest.raises(RepairError):
            open_by_pickup_code(engine, "22222222", client="ip:198.51.100.1", now=NOW)
    for _ in range(2):  # wrong resume codes of the same client count against the same budget
        with pytest.raises(HandoffError):
            sessions.open_by_code(engine, "22222222", client="ip:198.51.100.1", now=NOW)
    with pytest.raises(TooManyAttempts) as waiting:
        open_by_pickup_code(engine, order.pickup_code, client="ip:198.51.100.1", now=NOW)
    assert waiting.value.seconds > 0
    assert open_by_pickup_code(engine, order.pickup_code, client="ip:198.51.100.2", now=NOW) == order


def test_the_ready_mail_is_queued_once_when_the_order_becomes_ready_with_consent(engine: Engine) -> None:
    consented = _to(engine, State.IN_REPAIR, consent=True, contact_name="Kim", contact_email="kim@example.net",
                    cost_cents=(1500, 3000), address="Sie")  # fmt: skip
    assert _count(engine, OUTBOX) == 0, "no mail before it is ready"
    advance(engine, order_id=consented.id, action=Action.FINISH, staff="anna", mail=SETTINGS)
    with engine.connect() as connection:
        [row] = connection.execute(sa.select(OUTBOX)).all()
    assert row.address == "kim@example.net" and row.session_id is None
    mail = message_from_bytes(row.message, policy=policy.default)
    assert mail["Subject"] == "Ihre Reparatur ist fertig – Nordgrat München"
    assert mail["To"] == "kim@example.net" and mail["From"] == "repairs@nordgrat.example"
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    words = body.get_content()
    assert "Hallo Kim," in words and shown(consented.pickup_code) in words
    assert "liegt in unserer Filiale Nordgrat München für Sie zur Abholung bereit." in words, words
    assert "bei Nordgrat München" not in words
    page = mail.get_body(preferencelist=("html",))
    assert page is not None and "in unserer Filiale Nordgrat München für Sie zur Abholung" in page.get_content()
    assert "15–30 €" not in words and "Die Kosten erfahren Sie an der Servicetheke." in words  # no final cost kept
    assert "Zum Abholen brauchen Sie Ihren Abholcode" in words and "https://advice.nordgrat.example/repair" in words
    advance(engine, order_id=consented.id, action=Action.HAND_OVER, staff="anna", mail=SETTINGS)
    assert _count(engine, OUTBOX) == 1, "collecting sends nothing"


@pytest.mark.parametrize(
    ("extra", "mail"),
    [
        ({"consent": False, "contact_email": "kim@example.net"}, SETTINGS),  # no consent, no address kept
        ({"consent": True, "contact_phone": "0151 2345"}, SETTINGS),  # consent, but no e-mail address
        ({"consent": True, "contact_email": "kim@example.net"}, None),  # e-mail is not set up
    ],
)
def test_no_ready_mail_without_consent_an_address_or_mail_set_up(
    engine: Engine, extra: dict[str, Any], mail: MailSettings | None
) -> None:
    order = _to(engine, State.IN_REPAIR, **extra)
    advance(engine, order_id=order.id, action=Action.FINISH, staff="anna", mail=mail)
    assert _count(engine, OUTBOX) == 0


def test_mail_settings_follow_the_configuration() -> None:
    config = default_config()
    assert MailSettings.of(config) is None, "no [smtp] host: no mail"
    settings = MailSettings.of(config, mail_set_up=True)
    assert settings is not None and settings.page_url == config.web.public_base_url + "/repair"


def test_the_console_lists_a_stores_open_orders_oldest_first(engine: Engine) -> None:
    older = _order(engine, now=NOW - timedelta(days=3))
    newer = _to(engine, State.READY)
    _order(engine, store_id="ham-01")
    _to(engine, State.COLLECTED)
    _to(engine, State.RETURNED_UNREPAIRED)
    listed = open_orders(engine, store_id="muc-01")
    assert [order.id for order in listed] == [older.id, newer.id]
    assert listed[0].actions == (Action.DIAGNOSE, Action.RETURN_UNREPAIRED)
    assert listed[1].actions == (Action.HAND_OVER,)


def test_an_order_is_overdue_past_its_ready_day_until_it_is_ready(engine: Engine) -> None:
    waiting = _order(engine)  # 7 days' turnaround from NOW: ready by Tuesday 08.12.
    assert not overdue(waiting, STORE, NOW + timedelta(days=7, hours=12)), "due by the end of its day"
    assert overdue(waiting, STORE, NOW + timedelta(days=8))
    ready = _to(engine, State.READY)
    assert not overdue(ready, STORE, NOW + timedelta(days=30)), "ready and waiting for the customer is not late"
    sunday = _order(engine, turnaround_days=5)  # Sunday 06.12. is closed: ready by Monday 07.12., not late on it
    assert not overdue(sunday, STORE, NOW + timedelta(days=6)) and overdue(sunday, STORE, NOW + timedelta(days=7))


def test_an_order_the_shopper_made_is_registered_until_staff_take_the_product_in(engine: Engine) -> None:
    """Ordered at a kiosk or on the phone, the product is not in the store yet: no ready date, never overdue; the
    turnaround counts from the hand-in; one never brought is cancelled (a final state, purged like the others)."""
    registered = _order(engine, received=False)
    assert registered.state == State.REGISTERED and registered.actions == (Action.RECEIVE, Action.CANCEL)
    assert registered.expected_ready is None and not overdue(registered, STORE, NOW + timedelta(days=60))
    assert [(step.state, step.current) for step in timeline(registered)][:2] == [
        (State.REGISTERED, True), (State.RECEIVED, False)
    ]  # fmt: skip
    brought = NOW + timedelta(days=3)
    received = advance(engine, order_id=registered.id, action=Action.RECEIVE, staff="anna", now=brought)
    assert received.received_at == brought and received.expected_ready == brought + timedelta(days=7)
    assert not overdue(received, STORE, brought + timedelta(days=7))
    assert overdue(received, STORE, brought + timedelta(days=8))
    assert [step.state for step in timeline(received)] == [State.REGISTERED, *PATH]
    never = _order(engine, received=False)
    cancelled = advance(engine, order_id=never.id, action=Action.CANCEL, staff="anna", now=NOW + timedelta(days=30))
    assert cancelled.final and cancelled.finished_at is not None
    assert [(step.state, step.current) for step in timeline(cancelled)] == [
        (State.REGISTERED, False), (State.CANCELLED, True)
    ]  # fmt: skip
    assert never.id not in {order.id for order in open_orders(engine, store_id="muc-01")}


def test_the_timeline_shows_the_way_and_where_the_order_is() -> None:
    at = [NOW + timedelta(hours=hours) for hours in range(4)]
    order = Order(
        id=1, pickup_code="ABCD2345", store_id="muc-01", product_sku="T", variant_sku=None, problem="p", answers={},
        tried=(), turnaround_days=3, cost_cents=None, consent=False, contact=None, locale="de", address="du",
        state=State.IN_REPAIR, created_at=at[0], updated_at=at[2], finished_at=None,
        history=_changes([State.RECEIVED, State.DIAGNOSED, State.IN_REPAIR], at),
    )  # fmt: skip
    steps = timeline(order)
    assert [step.state for step in steps] == list(PATH)
    assert [step.at for step in steps] == [at[0], at[1], at[2], None, None]
    assert [step.current for step in steps] == [False, False, True, False, False]
    returned = timeline(_replace(order, State.RETURNED_UNREPAIRED, [State.RECEIVED, State.DIAGNOSED,
                                                                    State.RETURNED_UNREPAIRED], at))  # fmt: skip
    assert [(step.state, step.at, step.current) for step in returned] == [
        (State.RECEIVED, at[0], False),
        (State.DIAGNOSED, at[1], False),
        (State.RETURNED_UNREPAIRED, at[2], True),
    ]


def _changes(states: list[State], at: list[datetime]) -> tuple[Change, ...]:
    return tuple(Change(state, moment) for state, moment in zip(states, at, strict=False))


def _replace(order: Order, state: State, states: list[State], at: list[datetime]) -> Order:
    return dataclasses.replace(order, state=state, history=_changes(states, at))


def test_the_purge_forgets_orders_finished_longer_than_the_retention_ago(engine: Engine) -> None:
    config = default_config().model_copy(update={"privacy": PrivacyConfig(session_retention_days=14)})
    long_ago = NOW - timedelta(days=30)
    collected_long_ago = _to(engine, State.COLLECTED, now=long_ago, consent=True, contact_email="kim@example.net")
    returned_long_ago = _to(engine, State.RETURNED_UNREPAIRED, now=long_ago)
    collected_lately = _to(engine, State.COLLECTED, now=NOW)
    waiting_long = _order(engine, now=NOW - timedelta(days=100))  # still in the store: kept whatever its age
    purge_all(engine, config, now=NOW + timedelta(days=13))  # what finished before NOW - 1 day goes
    assert order_of(engine, collected_long_ago.id) is None and order_of(engine, returned_long_ago.id) is None
    assert order_of(engine, collected_lately.id) is not None and order_of(engine, waiting_long.id) is not None
    with engine.connect() as connection:
        left = set(connection.execute(sa.select(REPAIR_CHANGE.c.order_id)).scalars())
        addresses = list(connection.execute(sa.select(REPAIR_ORDER.c.contact_email)).scalars())
    assert left == {collected_lately.id, waiting_long.id}
    assert "kim@example.net" not in addresses


def _euros(cents: int, comma: bool) -> str:
    whole, rest = divmod(cents, 100)
    return f"{whole}{',' if comma else '.'}{rest:02d}" if rest else str(whole)


@given(st.integers(0, 99_999_99), st.integers(0, 99_999_99), st.booleans(), st.sampled_from(["–", "-", " bis ", " - "]),
       st.sampled_from(["", " €", " EUR"]))  # fmt: skip
def test_a_typed_cost_reads_back_as_the_range_it_names(low: int, high: int, comma: bool, dash: str, euro: str) -> None:
    low, high = min(low, high), max(low, high)
    typed = f"{_euros(low, comma)}{dash}{_euros(high, comma)}{euro}"
    assert parse_cost(typed) == (low, high)
    assert parse_cost(f" {_euros(high, comma)}{euro} ") == (high, high)
    if low != high:
        with pytest.raises(RepairError, match="lowest amount first"):
            parse_cost(f"{_euros(high, comma)}{dash}{_euros(low, comma)}")


def _counter(cents: int, dash: str) -> str:
    """An amount as written at a German counter: a thousands point, a decimal comma, whole euros as "20,-"."""
    whole, rest = divmod(cents, 100)
    grouped = f"{whole:,}".replace(",", ".")
    return f"{grouped},{rest:02d}" if rest else f"{grouped},{dash}"


@given(st.integers(0, 99_999_99), st.integers(0, 99_999_99), st.sampled_from(["-", "–"]),
       st.sampled_from([" – ", "–", " - ", " bis "]), st.sampled_from(["", " €"]))  # fmt: skip
def test_a_cost_as_written_at_a_german_counter_reads_back(low: int, high: int, dash: str, between: str,
                                                          euro: str) -> None:  # fmt: skip
    """ "20,-", "20,–", "1.200,50", "1.200 €" and ranges of them, "20,- – 45,-", are the amounts they name."""
    low, high = min(low, high), max(low, high)
    assert parse_cost(f"{_counter(high, dash)}{euro}") == (high, high)
    assert parse_cost(f"{_counter(low, dash)}{between}{_counter(high, dash)}{euro}") == (low, high)
    if high >= 100_000 and high % 100 == 0:  # a thousands point without cents: "1.200 €"
        assert parse_cost(f"{_counter(high, dash).removesuffix(',' + dash)}{euro}") == (high, high)


@pytest.mark.parametrize(("typed", "cents"), [("20,-", 2000), ("20,–", 2000), ("1.200,50", 120050), ("1.200 €", 120000),
                                               ("1.20", 120), ("20,- – 45,-", (2000, 4500))])  # fmt: skip
def test_the_counter_spellings_from_the_walk(typed: str, cents: int | tuple[int, int]) -> None:
    assert parse_cost(typed) == (cents if isinstance(cents, tuple) else (cents, cents))


@pytest.mark.parametrize("typed", ["zwanzig", "-5", "20–", "20 – 45 – 60", "20,999", "ca. 20 Euro", "20,-45", "1,200",
                                   "1.2000", "20,"])  # fmt: skip
def test_a_cost_that_is_no_amount_is_refused(typed: str) -> None:
    with pytest.raises(RepairError):
        parse_cost(typed)
    assert parse_cost("  ") is None


def test_the_ready_mail_says_the_store_is_ours_in_every_form() -> None:
    """ "bei München Innenstadt" read oddly: the product waits in our store of that name."""
    from advisor.i18n import text

    said = {(locale, address): text("mail.repair.ready", locale, address, product="Hochjoch 3",
                                    store="München Innenstadt") for locale, address in (("de", "du"), ("de", "Sie"),
                                                                                        ("en", "du"))}  # fmt: skip
    assert (
        said[("de", "du")] == "Hochjoch 3 ist fertig und liegt in unserer Filiale München Innenstadt für dich zur "
        "Abholung bereit."
    )
    assert (
        said[("de", "Sie")] == "Hochjoch 3 ist fertig und liegt in unserer Filiale München Innenstadt für Sie zur "
        "Abholung bereit."
    )
    assert said[("en", "du")] == "Hochjoch 3 is ready for you to collect at our München Innenstadt store."
