"""Repair orders: a product left at the store for repair, moving through states that only TRANSITIONS may change.

Everything that decides an order's state lives here. Every change is one conditional UPDATE taken from the table
(`... WHERE state = <from>`), recorded in the order's history with its time and the staff member, in the same
transaction; so two staff members moving one order at once cannot both win, on SQLite and PostgreSQL alike.

"Returned unrepaired" is final, like "collected": it is recorded when the shopper takes the product back without a
repair (it cannot be repaired, or the shopper declined the quote), so nothing follows it.

An order the shopper makes themselves (at a kiosk, on the phone) is "registered" until staff take the product in
at the counter ("received"); the turnaround counts from then. One never brought in is cancelled by staff.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from advisor.catalog.reads import store_name as catalog_store_name
from advisor.contact import MIN_PHONE_DIGITS, phone_number
from advisor.db.prepared import reading
from advisor.handoff import limits
from advisor.handoff.codes import TooManyAttempts, new_code, normalise, shown
from advisor.handoff.requests import HandoffError
from advisor.handoff.sessions import (
    STORE_WIDE,
    WRONG_CODES_PER_CLIENT,
    WRONG_CODES_STORE_WIDE,
    StoredSession,
    find_session,
)
from advisor.i18n import LOCALES
from advisor.rendering.mail import MailError, check_address
from advisor.repairs.mail import MailSettings, queue_ready_mail
from advisor.repairs.tables import PRODUCT, REPAIR_CHANGE, REPAIR_ORDER


class State(enum.StrEnum):
    """Where a repair order is (the values are what the database stores)."""

    REGISTERED = "registered"
    RECEIVED = "received"
    DIAGNOSED = "diagnosed"
    IN_REPAIR = "in_repair"
    READY = "ready"
    COLLECTED = "collected"
    RETURNED_UNREPAIRED = "returned_unrepaired"
    CANCELLED = "cancelled"


class Action(enum.StrEnum):
    """What staff can do with a repair order."""

    RECEIVE = "receive"
    DIAGNOSE = "diagnose"
    START_REPAIR = "start_repair"
    FINISH = "finish"
    HAND_OVER = "hand_over"
    RETURN_UNREPAIRED = "return_unrepaired"
    CANCEL = "cancel"


# (from state, action) -> to state. Everything else is refused.
TRANSITIONS: Mapping[tuple[State, Action], State] = {
    (State.REGISTERED, Action.RECEIVE): State.RECEIVED,
    (State.RECEIVED, Action.DIAGNOSE): State.DIAGNOSED,
    (State.DIAGNOSED, Action.START_REPAIR): State.IN_REPAIR,
    (State.IN_REPAIR, Action.FINISH): State.READY,
    (State.READY, Action.HAND_OVER): State.COLLECTED,
    (State.RECEIVED, Action.RETURN_UNREPAIRED): State.RETURNED_UNREPAIRED,
    (State.DIAGNOSED, Action.RETURN_UNREPAIRED): State.RETURNED_UNREPAIRED,
    (State.IN_REPAIR, Action.RETURN_UNREPAIRED): State.RETURNED_UNREPAIRED,
    (State.REGISTERED, Action.CANCEL): State.CANCELLED,
}
# How a refusal names the action: "repair order 7 (ABCD-2345) is ready; it cannot be diagnosed".
PAST_PARTICIPLES: Mapping[Action, str] = {
    Action.RECEIVE: "received",
    Action.DIAGNOSE: "diagnosed",
    Action.START_REPAIR: "put in repair",
    Action.FINISH: "finished",
    Action.HAND_OVER: "handed over",
    Action.RETURN_UNREPAIRED: "returned unrepaired",
    Action.CANCEL: "cancelled",
}
FINAL_STATES = (State.COLLECTED, State.RETURNED_UNREPAIRED, State.CANCELLED)
OPEN_STATES = tuple(state for state in State if state not in FINAL_STATES)
# The way of an order that gets repaired; the web page shows it as a timeline.
PATH = (State.RECEIVED, State.DIAGNOSED, State.IN_REPAIR, State.READY, State.COLLECTED)
ADDRESSES = ("du", "Sie")
MAX_PROBLEM = 2000
MAX_NAME = 200
MAX_PHONE = 40


class RepairError(ValueError):
    """A repair order that cannot be made, found or moved as asked; the message says why."""


class ContactProblem(RepairError):
    """A contact the shopper agreed to leave that cannot be used: `problems` names each, as (the form's field it is
    about: "email", "phone", or "contact" when none was given; the message the shopper reads, an advisor.i18n key),
    all at once; `field` and `key` are the first's."""

    def __init__(self, message: str, problems: Sequence[tuple[str, str]]) -> None:
        super().__init__(message)
        self.problems = tuple(problems)
        self.field, self.key = self.problems[0]


class IllegalMove(RepairError):
    """An action the order's state does not allow; names the order, its state and the action."""

    def __init__(self, order_id: int, code: str, state: State, action: Action) -> None:
        words = state.value.replace("_", " ")
        super().__init__(f"repair order {order_id} ({shown(code)}) is {words}; it cannot be {PAST_PARTICIPLES[action]}")
        self.order_id, self.code, self.state, self.action = order_id, code, state, action


def next_state(state: State, action: Action) -> State | None:
    """The state `action` leads to from `state`, or None when the table does not allow it."""
    return TRANSITIONS.get((state, action))


def actions_from(state: State) -> tuple[Action, ...]:
    """The actions the table allows in `state`, in its order (none in a final state)."""
    return tuple(action for (source, action) in TRANSITIONS if source == state)


@dataclass(frozen=True)
class Change:
    """A state an order reached: when, by which action and which staff member (None: at the kiosk)."""

    state: State
    at: datetime
    action: Action | None = None
    staff_name: str | None = None


@dataclass(frozen=True)
class Contact:
    """How to reach the shopper; kept only with their consent."""

    name: str | None
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class Order:
    """A repair order as stored, with its history (oldest first)."""

    id: int
    pickup_code: str
    store_id: str
    product_sku: str
    variant_sku: str | None
    problem: str
    answers: Mapping[str, Any]
    tried: tuple[str, ...]
    turnaround_days: int
    cost_cents: tuple[int, int] | None
    consent: bool
    contact: Contact | None
    locale: str
    address: str
    state: State
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    history: tuple[Change, ...]
    questionnaire_id: str | None = None  # the service flow the answers belong to (None: made without one)
    warranty: bool = False  # taken in while the statutory warranty may apply: bring the receipt, maybe no cost

    @property
    def received_at(self) -> datetime | None:
        """When staff took the product in (None: registered, not brought in yet)."""
        return next((change.at for change in self.history if change.state == State.RECEIVED), None)

    @property
    def expected_ready(self) -> datetime | None:
        """When the order should be ready: the turnaround counted from the drop-off (None before it)."""
        received = self.received_at
        return received + timedelta(days=self.turnaround_days) if received else None

    @property
    def actions(self) -> tuple[Action, ...]:
        """What staff can do with it now."""
        return actions_from(self.state)

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def reachable_by_mail(self) -> bool:
        """The shopper agreed to be contacted and left an e-mail address (the ready mail goes there)."""
        return self.contact is not None and bool(self.contact.email)


@dataclass(frozen=True)
class Milestone:
    """One state on an order's timeline: when it was reached (None: not yet) and whether the order is there now."""

    state: State
    at: datetime | None
    current: bool


def timeline(order: Order) -> tuple[Milestone, ...]:
    """The states a shopper follows: the whole PATH (those ahead without a time), or, for an order returned
    unrepaired, the states it went through and that end. (No state is reached twice: the table has no cycle.)"""
    reached = {change.state: change.at for change in order.history}
    first = [State.REGISTERED] if State.REGISTERED in reached else []  # made by the shopper: brought in later
    if order.state == State.CANCELLED:
        states = [*first, State.CANCELLED]
    elif order.state == State.RETURNED_UNREPAIRED:
        states = [*first, *(state for state in PATH if state in reached), State.RETURNED_UNREPAIRED]
    else:
        states = [*first, *PATH]
    return tuple(Milestone(state, reached.get(state), state == order.state) for state in states)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _optional(text: str | None, limit: int, what: str) -> str | None:
    """A one-line field as typed (trimmed); RepairError for one too long, or broken over lines (a form's field is
    one line: a line break would run into the workshop's label or the mail's next line)."""
    cleaned = (text or "").strip()
    if len(cleaned) > limit:
        raise RepairError(f"a {what} has at most {limit} characters")
    if any(character in cleaned for character in "\r\n\u2028\u2029"):
        raise RepairError(f"a {what} is one line")
    return cleaned or None


def create_order(
    engine: Engine,
    *,
    store_id: str,
    product_sku: str,
    problem: str,
    turnaround_days: int,
    variant_sku: str | None = None,
    answers: Mapping[str, Any] | None = None,
    tried: Sequence[str] = (),
    cost_cents: tuple[int, int] | None = None,
    consent: bool = False,
    contact_name: str | None = None,
    contact_email: str | None = None,
    contact_phone: str | None = None,
    locale: str = "de",
    address: str = "du",
    staff: str | None = None,
    received: bool = True,
    request: str | None = None,
    questionnaire_id: str | None = None,
    warranty: bool = False,
    now: datetime | None = None,
) -> Order:
    """Take in a product for repair: store the order as received under a fresh pickup code and return it; with
    `received` False (the shopper ordered it at a kiosk or on the phone) as registered, until staff take it in.

    `product_sku` is the model's SKU, `variant_sku` the variant's when known, `questionnaire_id` the service flow
    that was asked. `problem` is a guide's problem key or the shopper's own words, `answers` what they answered
    about it and `tried` the guide's steps they already tried.
    `turnaround_days` is the expected time to ready, `cost_cents` the expected cost as (lowest, highest) or None when
    nobody can say yet. The shopper's name, e-mail address and phone number are stored only with their `consent`;
    without it they are dropped, whatever was typed. The e-mail address (where the ready mail goes) is checked.
    `locale` and `address` (du or Sie) are the language of that mail; `staff` who took the product in (None: the
    shopper at a kiosk). RepairError names what is wrong with the order; ContactProblem a contact that cannot be
    used (consent with neither an e-mail address nor a phone number, or one of them malformed).

    `warranty` flags an order taken while the statutory warranty (Gewährleistung) may apply (the shopper brings
    the receipt; the cost may be nothing).

    `request` names where a registered order comes from (the advice run and its outcome): sent again while it is
    still registered (a double tap, a resend after Back, the same advice at the kiosk again), the order stays one,
    brought up to what was sent (`_registered`), under its first pickup code.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)  # stored as UTC (SQLite keeps the wall clock it is given)
    problem = problem.strip()
    if not product_sku.strip():
        raise RepairError("a repair order names the product (its SKU)")
    if not problem or len(problem) > MAX_PROBLEM:
        raise RepairError(f"a repair order says what is wrong, in 1 to {MAX_PROBLEM} characters")
    if turnaround_days < 0:
        raise RepairError("the expected turnaround is a number of days from 0")
    if cost_cents is not None and not 0 <= cost_cents[0] <= cost_cents[1]:
        raise RepairError("a cost range is (lowest, highest) in cents, from 0, the lowest first")
    if locale not in LOCALES or address not in ADDRESSES:
        raise RepairError(f"a repair order's language is one of {', '.join(LOCALES)}, addressed du or Sie")
    if not all(isinstance(step, str) for step in tried):
        raise RepairError("the steps already tried are texts")
    contact: Contact | None = None
    if consent:
        contact = _contact(contact_name, contact_email, contact_phone)
    first = State.RECEIVED if received else State.REGISTERED
    values: dict[str, Any] = {
        "store_id": store_id, "product_sku": product_sku.strip(), "variant_sku": variant_sku or None,
        "problem": problem, "answers": dict(answers or {}), "tried": list(tried), "turnaround_days": turnaround_days,
        "cost_min_cents": cost_cents[0] if cost_cents else None,
        "cost_max_cents": cost_cents[1] if cost_cents else None,
        "consent": consent, "contact_name": contact.name if contact else None,
        "contact_email": contact.email if contact else None, "contact_phone": contact.phone if contact else None,
        "locale": locale, "address": address, "state": first, "created_at": moment, "updated_at": moment,
        "questionnaire_id": questionnaire_id, "warranty": warranty,
    }  # fmt: skip
    request = request[:80] if request and not received else None
    for _ in range(20):
        code = new_code()
        try:
            with engine.begin() as connection:
                order_id = _registered(connection, request, values)
                if order_id is None:
                    key = connection.execute(
                        REPAIR_ORDER.insert().values(pickup_code=code, request_key=request, **values)
                    ).inserted_primary_key
                    assert key is not None
                    order_id = int(key[0])
                    _record(connection, order_id, first, None, moment=moment, staff=staff)
        except IntegrityError:
            if _taken(engine, REPAIR_ORDER.c.pickup_code, code) or _taken(engine, REPAIR_ORDER.c.request_key, request):
                continue  # another order has this code (draw again), or the same request came in at the same time
            raise
        found = order_of(engine, order_id)
        assert found is not None
        return found
    raise RepairError("could not find a free pickup code")


def _contact(name: str | None, email: str | None, phone: str | None) -> Contact:
    """The contact a shopper agreed to leave, checked: ContactProblem naming all that cannot reach them."""
    named = _optional(name, MAX_NAME, "name")
    said: list[str] = []
    problems: list[tuple[str, str]] = []
    address = None
    try:
        address = check_address(email) if email and email.strip() else None
    except MailError as error:
        said.append(str(error))
        problems.append(("email", "web.mail.invalid"))
    number = (phone or "").strip() or None
    if number is not None:
        checked = phone_number(number)
        if checked is None or len(checked) > MAX_PHONE:
            said.append(f"a phone number is digits (at least {MIN_PHONE_DIGITS}), with + ( ) / . - and spaces, "
                        f"at most {MAX_PHONE} characters")  # fmt: skip
            problems.append(("phone", "help.order.phone_invalid"))
    if not problems and address is None and number is None:
        said.append("to be told when it is ready, leave an e-mail address or a phone number")
        problems.append(("contact", "help.order.contact_missing"))
    if problems:
        raise ContactProblem("; ".join(said), problems)
    return Contact(named, address, number)


def _registered(connection: Connection, request: str | None, values: Mapping[str, Any]) -> int | None:
    """The registered order made for `request` before, brought up to what the shopper sent now: their answers and
    the problem as they stand, a contact they agreed to leave, the steps they tried, the variant (a contact, steps
    or a variant sent before stay where nothing new came); None when there is none."""
    if request is None:
        return None
    order_id = connection.execute(
        sa.select(REPAIR_ORDER.c.id).where(REPAIR_ORDER.c.request_key == request)
    ).scalar_one_or_none()
    if order_id is not None:
        # The answers as they are now (changed after Back: the workshop reads these).
        names = ["locale", "address", "updated_at", "problem", "answers", "turnaround_days", "cost_min_cents",
                 "cost_max_cents"]  # fmt: skip
        names += ["consent", "contact_name", "contact_email", "contact_phone"] if values["consent"] else []
        names += ["tried"] if values["tried"] else []
        names += ["variant_sku"] if values["variant_sku"] else []
        connection.execute(
            REPAIR_ORDER.update().where(REPAIR_ORDER.c.id == order_id).values({name: values[name] for name in names})
        )
    return order_id


def _record(
    connection: Connection, order_id: int, state: State, action: Action | None, *, moment: datetime, staff: str | None
) -> None:
    """Add the state an order reached to its history, after the states before it."""
    position = connection.execute(
        sa.select(sa.func.count()).select_from(REPAIR_CHANGE).where(REPAIR_CHANGE.c.order_id == order_id)
    ).scalar_one()
    connection.execute(REPAIR_CHANGE.insert().values(
        order_id=order_id, position=position, state=state, action=action, at=moment, staff_name=staff))  # fmt: skip


def _taken(engine: Engine, column: sa.Column[Any], value: str | None) -> bool:
    """Whether another order holds `value` in a unique column (a pickup code, a request key)."""
    if value is None:
        return False
    with reading(engine) as connection:
        return connection.execute(sa.select(REPAIR_ORDER.c.id).where(column == value)).first() is not None


def advance(
    engine: Engine,
    *,
    order_id: int,
    action: Action,
    staff: str,
    now: datetime | None = None,
    mail: MailSettings | None = None,
) -> Order:
    """Move an order on by a staff member's action if its state allows it (IllegalMove otherwise) and return it.

    When it becomes ready, the shopper agreed to be contacted and left an e-mail address, and `mail` is given (e-mail
    is set up), the ready mail is queued in the mail outbox in the same transaction.
    """
    moment = now or datetime.now(UTC)
    with engine.begin() as connection:
        row = connection.execute(
            sa.select(REPAIR_ORDER.c.state, REPAIR_ORDER.c.pickup_code).where(REPAIR_ORDER.c.id == order_id)
        ).first()
        if row is None:
            raise RepairError(f"no repair order {order_id}")
        source = State(row.state)
        target = next_state(source, action)
        if target is None:
            raise IllegalMove(order_id, row.pickup_code, source, action)
        values: dict[str, Any] = {"state": target, "updated_at": moment}
        if source == State.REGISTERED:
            values["request_key"] = None  # taken in (or struck): the same advice may order again
        if target in FINAL_STATES:
            values["finished_at"] = moment
        moved = connection.execute(
            REPAIR_ORDER.update().where(REPAIR_ORDER.c.id == order_id, REPAIR_ORDER.c.state == source).values(**values)
        ).rowcount
        if moved != 1:  # another console moved it first
            current = connection.execute(
                sa.select(REPAIR_ORDER.c.state).where(REPAIR_ORDER.c.id == order_id)
            ).scalar_one()
            raise IllegalMove(order_id, row.pickup_code, State(current), action)
        _record(connection, order_id, target, action, moment=moment, staff=staff)
        order = _read(connection, order_id)
        assert order is not None
        if target == State.READY and mail is not None and order.reachable_by_mail:
            queue_ready_mail(connection, order=order, product_name=product_name(connection, order),
                             store_name=store_name(connection, order.store_id, order.locale) or mail.store_name,
                             settings=mail, now=moment)  # fmt: skip
    return order


def _order(row: Any, history: Sequence[Any]) -> Order:
    contact = Contact(row.contact_name, row.contact_email, row.contact_phone) if row.consent else None
    cost = (row.cost_min_cents, row.cost_max_cents) if row.cost_min_cents is not None else None
    changes = tuple(
        Change(State(change.state), _aware(change.at), Action(change.action) if change.action else None,
               change.staff_name)
        for change in history
    )  # fmt: skip
    return Order(
        id=row.id, pickup_code=row.pickup_code, store_id=row.store_id, product_sku=row.product_sku,
        variant_sku=row.variant_sku, problem=row.problem, answers=dict(row.answers or {}),
        tried=tuple(row.tried or ()), turnaround_days=row.turnaround_days, cost_cents=cost, consent=bool(row.consent),
        contact=contact, locale=row.locale, address=row.address, state=State(row.state),
        created_at=_aware(row.created_at), updated_at=_aware(row.updated_at),
        finished_at=_aware(row.finished_at) if row.finished_at else None, history=changes,
        questionnaire_id=row.questionnaire_id, warranty=bool(row.warranty),
    )  # fmt: skip


def _orders(connection: Connection, where: sa.ColumnElement[bool]) -> list[Order]:
    """The orders `where` selects, oldest first, each with its history (two queries, whatever their number)."""
    rows = connection.execute(sa.select(REPAIR_ORDER).where(where).order_by(REPAIR_ORDER.c.created_at,
                                                                            REPAIR_ORDER.c.id)).all()  # fmt: skip
    if not rows:
        return []
    history: dict[int, list[Any]] = {}
    changes = sa.select(REPAIR_CHANGE).where(REPAIR_CHANGE.c.order_id.in_([row.id for row in rows]))
    for change in connection.execute(changes.order_by(REPAIR_CHANGE.c.order_id, REPAIR_CHANGE.c.position)):
        history.setdefault(change.order_id, []).append(change)
    return [_order(row, history.get(row.id, [])) for row in rows]


def _read(connection: Connection, order_id: int) -> Order | None:
    found = _orders(connection, REPAIR_ORDER.c.id == order_id)
    return found[0] if found else None


def order_of(engine: Engine, order_id: int) -> Order | None:
    """An order with its history, or None."""
    with reading(engine) as connection:
        return _read(connection, order_id)


def pickup_codes(engine: Engine, requests: Sequence[str]) -> dict[str, str]:
    """The pickup codes of the registered orders made for these requests (`create_order`'s `request`), by request."""
    if not requests:
        return {}
    query = sa.select(REPAIR_ORDER.c.request_key, REPAIR_ORDER.c.pickup_code).where(
        REPAIR_ORDER.c.request_key.in_([request[:80] for request in requests])
    )
    with reading(engine) as connection:
        return {str(key): str(code) for key, code in connection.execute(query)}


def find_by_code(engine: Engine, code: str) -> Order | None:
    """The order behind a typed pickup code (InvalidCode for text that cannot be one); no limit on guesses: for
    staff, and for `open_by_pickup_code`, which counts them."""
    with reading(engine) as connection:
        found = _orders(connection, REPAIR_ORDER.c.pickup_code == normalise(code))
    return found[0] if found else None


T = TypeVar("T")


def _counted(engine: Engine, *, client: str, now: datetime, find: Callable[[], T], in_store: bool = False) -> T:
    """Run a look-up by a typed code as a wrong code of `client` until it turns out right, on the same limits as
    resume codes (advisor.handoff.sessions.open_by_code): a guesser spends one budget on both kinds of code. A device
    on the shop floor (`in_store`) does not draw on the store-wide budget, as there."""
    taken = limits.take(engine, limits.key("codes", client), WRONG_CODES_PER_CLIENT, now=now)
    if taken.wait is not None:
        raise TooManyAttempts(taken.wait)
    if not in_store:
        wait = limits.spend(engine, STORE_WIDE, WRONG_CODES_STORE_WIDE, now=now)
        if wait is not None:
            limits.give_back(engine, taken)
            raise TooManyAttempts(wait)
    found = find()  # InvalidCode: a wrong code too
    if found is not None:
        limits.give_back(engine, taken)
        if not in_store:
            limits.refund(engine, STORE_WIDE, WRONG_CODES_STORE_WIDE, now=now)
    return found


def open_by_pickup_code(engine: Engine, code: str, *, client: str, now: datetime | None = None) -> Order:
    """The order behind a pickup code typed on the web page, for a client whose wrong codes are limited like resume
    codes; InvalidCode, TooManyAttempts or RepairError (no order has this code)."""
    found = _counted(engine, client=client, now=now or datetime.now(UTC), find=lambda: find_by_code(engine, code))
    if found is None:
        raise RepairError("no repair order has this code (or it was collected long ago)")
    return found


def open_by_any_code(
    engine: Engine, code: str, *, client: str, in_store: bool = False, now: datetime | None = None
) -> StoredSession | Order:
    """The advice session behind a code typed where a resume code is asked or, when no advice has it, the repair
    order whose pickup code it is (a shopper back with her repair slip); InvalidCode, TooManyAttempts or HandoffError
    (neither has it). One look-up of both on the budget of `open_by_code`, counted as a wrong code until either turns
    out right: a wrong code still costs one, and a client that has spent its wrong codes gets no answer about a
    pickup code either (each typed code is still one guess at any given code: docs/deploying.md's arithmetic)."""
    moment = now or datetime.now(UTC)

    def find() -> StoredSession | Order | None:
        return find_session(engine, code, now=moment) or find_by_code(engine, code)

    found = _counted(engine, client=client, now=moment, find=find, in_store=in_store)
    if found is None:
        raise HandoffError("no advice session or repair order has this code (or it has expired)", reason="unknown_code")
    return found


def open_orders(engine: Engine, *, store_id: str) -> list[Order]:
    """A store's orders not yet collected or returned, oldest first (the console's list)."""
    with reading(engine) as connection:
        return _orders(connection, (REPAIR_ORDER.c.store_id == store_id) & REPAIR_ORDER.c.state.in_(OPEN_STATES))


def _rows(bind: Engine | Connection, query: sa.Select[Any]) -> Sequence[Any]:
    if isinstance(bind, Connection):
        return bind.execute(query).all()
    with reading(bind) as connection:
        return connection.execute(query).all()


def product_name(connection: Connection, order: Order) -> str:
    """The product's name in the order's language (its SKU when the catalog no longer has it)."""
    return product_names(connection, [order.product_sku], order.locale).get(order.product_sku, order.product_sku)


def product_names(bind: Engine | Connection, skus: Sequence[str], locale: str) -> dict[str, str]:
    """The catalog's names of these products in `locale` (German where the English one is missing)."""
    rows = _rows(
        bind, sa.select(PRODUCT.c.sku, PRODUCT.c.name_de, PRODUCT.c.name_en).where(PRODUCT.c.sku.in_(set(skus)))
    )
    return {row.sku: (row.name_en if locale == "en" and row.name_en else row.name_de) or row.sku for row in rows}


def store_name(bind: Engine | Connection, store_id: str, locale: str) -> str | None:
    """The store's name in `locale` as the catalog knows it (catalog.reads.store_name: the summary's rule), or None."""
    return catalog_store_name(bind, store_id, locale) or None


def purge_orders(engine: Engine, *, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete orders collected or returned more than `older_than` ago, with their history and the shopper's contact
    (privacy); open orders stay whatever their age. Returns how many orders."""
    moment = now or datetime.now(UTC)
    with engine.begin() as connection:
        return delete_finished(connection, REPAIR_ORDER.c.finished_at < moment - older_than)


def delete_finished(connection: Connection, which: sa.ColumnElement[bool]) -> int:
    """Delete the finished (collected, returned, cancelled) orders `which` selects, with their history and the
    shopper's contact; open ones stay. The one way for the retention purge and a customer's erasure
    (advisor.privacy_requests), in the caller's transaction. Returns how many orders."""
    finished = REPAIR_ORDER.c.state.in_(FINAL_STATES) & which
    connection.execute(REPAIR_CHANGE.delete().where(
        REPAIR_CHANGE.c.order_id.in_(sa.select(REPAIR_ORDER.c.id).where(finished))))  # fmt: skip
    return int(connection.execute(REPAIR_ORDER.delete().where(finished)).rowcount or 0)


MAX_COST_CENTS = 10_000_000  # 100,000 €: more is a typing slip, not a repair
# An amount: "20", "19,90", "19.90", the counter's "20,-" / "20,–" (whole euros), and a thousands point before a decimal
# comma, "1.200" / "1.200,50" (a point followed by exactly three digits is a thousands point, never cents).
_AMOUNT = r"(?:\d{1,3}\.\d{3}(?:,\d{1,2}|,[-–—])?|\d{1,6}(?:[.,]\d{1,2}|,[-–—])?)"
_COST = rf"^\s*({_AMOUNT})\s*(?:€|eur|euro)?\s*(?:(?:-|–|—|bis|to)\s*({_AMOUNT})\s*(?:€|eur|euro)?\s*)?$"


def parse_cost(typed: str) -> tuple[int, int] | None:
    """An expected cost as staff type it, in euros: "20", "19,90", "20–45", "20 - 45 €" (a decimal comma or point,
    at most two decimals), also as written at a German counter: "20,-", "20,- – 45,-", "1.200,50", "1.200 €"; as
    (lowest, highest) in cents; None for nothing typed. RepairError for anything else (a negative amount, words, the
    highest below the lowest)."""
    if not typed.strip():
        return None
    found = re.match(_COST, typed, re.IGNORECASE)
    if found is None:
        raise RepairError(f"a cost is an amount or a range in euros, such as 20 or 20–45, not {typed.strip()!r}")
    lowest, highest = (_cents(amount) for amount in (found[1], found[2] or found[1]))
    if highest < lowest:
        raise RepairError("a cost range names the lowest amount first")
    if highest > MAX_COST_CENTS:
        raise RepairError(f"a repair costs at most {MAX_COST_CENTS // 100} €")
    return lowest, highest


def _cents(amount: str) -> int:
    """One amount matched by _AMOUNT in cents: "20,-" is 20 €, the point in "1.200" a thousands point."""
    amount = amount.rstrip("-–—").rstrip(",")
    if re.fullmatch(r"\d{1,3}\.\d{3}(?:,\d{1,2})?", amount):
        amount = amount.replace(".", "")
    return round(float(amount.replace(",", ".")) * 100)
