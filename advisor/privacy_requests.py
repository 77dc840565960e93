"""A customer's request under the GDPR, as store IT answers it (`advisor privacy find|forget`): everything stored
about one customer, found by their resume code, e-mail address or phone number (Art. 15), and deleted (Art. 17).

What belongs to a customer: the advice sessions their codes name, and the appointments, repair orders and queued
e-mails their address or number names, with the sessions those belong to (an order registered from the advice keeps
the session's run in its request key); then, one step on, everything linked to those sessions (their requests for
staff with the chats, staff notes and case changes, phone tokens, appointments, queued e-mails, and repair orders the
advice registered), and the appointments' held products and links, the repair orders' histories. Phone numbers are
compared in one form for the national and the international way of writing one (`phone_key`). The answer gives every
stored column that concerns the customer, its times in the store's time zone, and names the people the matches
carry (a shared number can find two). Nothing is followed further: an appointment of a session found by an address
can name another address, and that one's other appointments are not taken (store IT asks again with it when it is
the same person).

Forgetting deletes as the retention purge does (`advisor.maintenance.purge`), at once and in one transaction:
sessions with their requests, chats, tokens and case changes; an appointment keeps its anonymous part (when, for
what, with whom) and loses the name, contact, notes, held products and its link to the session, and one still to
come is cancelled first (its time and products are free again); a finished repair order goes with its history, an
open one keeps the product and the problem for the workshop and loses the contact; queued e-mails go.
The events (advice_event) carry an anonymous run key and numbers, never personal data, and stay; feedback comments
are kept apart from everyone (no run, only their day), so none can be told to be a customer's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from email.parser import BytesParser
from email.policy import default as default_policy
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from advisor.appointments.booking import cancel_within
from advisor.appointments.privacy import COMING, forget_shoppers
from advisor.appointments.tables import APPOINTMENT, APPOINTMENT_HOLD, APPOINTMENT_TOKEN
from advisor.contact import MailError, check_address, phone_number
from advisor.handoff.changes import CASE_CHANGE
from advisor.handoff.chat import CHAT, Message
from advisor.handoff.codes import InvalidCode, normalise, shown
from advisor.handoff.requests import REQUEST
from advisor.handoff.sessions import SESSION, TOKEN, SessionsDeleted, delete_sessions
from advisor.insights.model import AdviceEvent
from advisor.maintenance import OUTBOX
from advisor.repairs.orders import delete_finished
from advisor.repairs.tables import REPAIR_CHANGE, REPAIR_ORDER
from advisor.session.help import request_key_prefixes, run_of_request_key

EVENT = AdviceEvent.__table__  # type: ignore[attr-defined]
_PREFIX = re.compile(r"^(code|email|mail|phone):", re.IGNORECASE)


class RequestError(ValueError):
    """Text that names no customer: neither a resume code, nor an e-mail address, nor a phone number (the message
    quotes it, with its position among several, and says what is wrong with it)."""


@dataclass(frozen=True)
class Customer:
    """Whom a request is about: resume codes (canonical), e-mail addresses (as `check_address` gives them; compared
    without regard to case) and phone numbers (as `phone_key` gives them: "0171 555-0101", "+49 171 5550101" and
    "0049 (0)171 5550101" are all "+491715550101"; one without a leading 0 or + is its digits only)."""

    codes: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.codes or self.addresses or self.phones)

    @property
    def named(self) -> str:
        """The identifiers as asked for, for a line like "nothing stored for …"."""
        return ", ".join([*(shown(code) for code in self.codes), *self.addresses, *self.phones])


def customer(texts: Iterable[str]) -> Customer:
    """The customer the identifiers name, each a resume code (as printed, with or without its hyphen, any case), an
    e-mail address or a phone number; "code:", "email:" or "phone:" in front says which where it could be both (a
    code of digits only). RequestError naming the one that is none of them, or could be two."""
    codes: list[str] = []
    addresses: list[str] = []
    phones: list[str] = []
    texts = list(texts)
    for position, text in enumerate(texts, start=1):
        prefix = _PREFIX.match(text.strip())
        kind = prefix[1].lower().replace("email", "mail") if prefix else None
        value = text.strip()[prefix.end() :] if prefix else text.strip()
        what = f"identifier {position} ({value!r})" if len(texts) > 1 else repr(value)
        if kind == "mail" or (kind is None and "@" in value):
            try:
                addresses.append(check_address(value).lower())
            except MailError as error:
                raise RequestError(f"{what}: {error}") from None
            continue
        number = phone_number(value) if kind in (None, "phone") else None
        if kind == "phone" and number is None:
            raise RequestError(f"{what}: a phone number has at least 6 digits, with + ( ) / . - and spaces")
        code: str | None = None
        if kind in (None, "code"):
            try:
                code = normalise(value)
            except InvalidCode as error:
                if kind == "code":
                    raise RequestError(f"{what}: {error}") from None
                if number is None:
                    named = not _digits(value)  # (a name, most likely: what store IT is asked by)
                    raise RequestError(
                        f"{what} is neither a resume code ({error}), nor an e-mail address, nor a phone number "
                        "(at least 6 digits, with + ( ) / . - and spaces)"
                        + ("; names are not searched: find by code, e-mail or phone" if named else "")
                    ) from None
        if code is not None and number is not None:
            raise RequestError(f"{value!r} could be a resume code or a phone number: write code:… or phone:… in front")
        if code is not None:
            codes.append(code)
        elif number is not None:
            phones.append(phone_key(number))
    unique = dict.fromkeys
    return Customer(tuple(unique(codes)), tuple(unique(addresses)), tuple(unique(phones)))


def _digits(text: str) -> str:
    return "".join(character for character in text if character.isdigit())


# The country a number written the national way (0171 …) is in: the stores are in Germany.
DEFAULT_COUNTRY = "49"


def phone_key(text: str) -> str:
    """A phone number as it is compared: the national and the international form of one number are one key
    ("0171 555-0101", "+49 171 5550101", "0049 171 5550101", "+49 (0)171 5550101": "+491715550101"), a number
    without a leading 0 or + (no area code, or written without the +) its digits only."""
    digits = _digits(text)
    if text.strip().startswith("+"):
        international = digits
    elif digits.startswith("00"):
        international = digits[2:]
    elif digits.startswith("0"):
        international = DEFAULT_COUNTRY + digits[1:]
    else:
        return digits
    if international.startswith(f"{DEFAULT_COUNTRY}0"):  # "+49 (0)171 …": the national 0 written in as well
        international = DEFAULT_COUNTRY + international[len(DEFAULT_COUNTRY) + 1 :]
    return f"+{international}"


@dataclass
class Linked:
    """The ids of a customer's rows, table by table."""

    sessions: set[str] = field(default_factory=set)
    appointments: set[str] = field(default_factory=set)
    orders: set[int] = field(default_factory=set)
    mails: set[int] = field(default_factory=set)


def _matches(contact: str | None, customer: Customer) -> bool:
    """Whether a stored contact (an e-mail address or a phone number, as the product stored it) is the customer's."""
    if not contact:
        return False
    if "@" in contact:
        return _address_key(contact) in customer.addresses
    return bool(customer.phones) and phone_key(contact) in customer.phones


def _address_key(address: str) -> str:
    """An address as the customer's addresses are held (`check_address`, lowercased: "zoe@müller.de" and
    "ZOE@xn--mller-kva.de" are one); one that no longer parses is compared as typed, lowercased."""
    try:
        return check_address(address).lower()
    except MailError:
        return address.strip().lower()


def _linked(connection: Connection, customer: Customer) -> Linked:
    """The customer's rows: those their codes, addresses and numbers name, then those linked to their sessions.
    Contacts are compared in Python (a phone number is stored as typed: `phone_key` compares it)."""
    found = Linked()
    if customer.codes:
        found.sessions |= set(
            connection.execute(sa.select(SESSION.c.id).where(SESSION.c.resume_code.in_(customer.codes))).scalars()
        )
    if customer.addresses or customer.phones:
        for row in connection.execute(sa.select(APPOINTMENT.c.id, APPOINTMENT.c.contact, APPOINTMENT.c.session_id)):
            if _matches(row.contact, customer):
                found.appointments.add(str(row.id))
                if row.session_id:
                    found.sessions.add(str(row.session_id))
        orders = sa.select(
            REPAIR_ORDER.c.id, REPAIR_ORDER.c.contact_email, REPAIR_ORDER.c.contact_phone, REPAIR_ORDER.c.request_key
        )
        keys: list[str] = []
        for order in connection.execute(orders.where(REPAIR_ORDER.c.consent.is_(True))):
            if _matches(order.contact_email, customer) or _matches(order.contact_phone, customer):
                found.orders.add(int(order.id))
                keys += [order.request_key] if order.request_key else []
        found.sessions |= _sessions_of_orders(connection, keys)
        if customer.addresses:
            for row in connection.execute(sa.select(OUTBOX.c.id, OUTBOX.c.address, OUTBOX.c.session_id)):
                if _matches(row.address, customer):
                    found.mails.add(int(row.id))
                    if row.session_id:
                        found.sessions.add(str(row.session_id))
        # (a queued mail for a session that is gone names no session that is stored: `purge_outbox` takes it)
        found.sessions &= set(
            connection.execute(sa.select(SESSION.c.id).where(SESSION.c.id.in_(sorted(found.sessions)))).scalars()
        )
    if found.sessions:
        ids = sorted(found.sessions)
        found.appointments |= set(
            connection.execute(sa.select(APPOINTMENT.c.id).where(APPOINTMENT.c.session_id.in_(ids))).scalars()
        )
        found.mails |= set(connection.execute(sa.select(OUTBOX.c.id).where(OUTBOX.c.session_id.in_(ids))).scalars())
        runs = connection.execute(sa.select(SESSION.c.run).where(SESSION.c.id.in_(ids), SESSION.c.run.is_not(None)))
        for run in runs.scalars():
            # An order registered from the advice keeps its run in its request key (`session.help.request_key`).
            starts = request_key_prefixes(run)
            condition = sa.or_(*(REPAIR_ORDER.c.request_key.startswith(prefix, autoescape=True) for prefix in starts))
            found.orders |= set(connection.execute(sa.select(REPAIR_ORDER.c.id).where(condition)).scalars())
    return found


def _sessions_of_orders(connection: Connection, keys: Sequence[str]) -> set[str]:
    """The advice sessions repair orders were registered from, by the runs their request keys name
    (`session.help.run_of_request_key`: a cut key names the run's first 40 characters)."""
    runs = sorted({run_of_request_key(key) for key in keys})
    if not runs:
        return set()
    cut = [SESSION.c.run.startswith(run, autoescape=True) for run in runs if len(run) == 40]
    query = sa.select(SESSION.c.id).where(sa.or_(SESSION.c.run.in_(runs), *cut))
    return {str(session_id) for session_id in connection.execute(query).scalars()}


# What is stored, table by table, as the answer names it.
TABLES = {
    "advice_session": "advice sessions (the answers given, what was looked at, refined, rated, the resume code)",
    "handoff_request": "requests for staff, with the staff's notes",
    "chat_message": "chat lines between the customer and staff",
    "case_change": "answers staff changed for the customer (who and when)",
    "phone_token": "links that moved the advice to a phone (only their hash is stored; not shown)",
    "appointment": "appointments (name, contact, time, notes, reminder)",
    "appointment_hold": "products held for an appointment",
    "appointment_token": "links in e-mails to move or cancel an appointment (only their hash is stored; not shown)",
    "repair_order": "repair orders (contact, product, problem, answers, cost, state)",
    "repair_change": "the states a repair order went through (when, by whom)",
    "mail_outbox": "e-mails waiting to be sent (address and subject shown; the text is the advice summary)",
}
NOT_LINKED = {
    "advice_event": "anonymous events of the advice run (ids and numbers, no personal data); they stay",
    "feedback_comment": "feedback comments are deliberately linked to no one (no run, only their day): none can be "
    "found for a customer",
}


def _when(moment: datetime | None, zone: tzinfo) -> str | None:
    """A stored moment in the store's time zone, with its offset ("2026-11-23T11:00:00+01:00"), as the e-mails
    and pages say times."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone).isoformat(timespec="seconds")


def _subject(message: bytes) -> str:
    try:
        return str(BytesParser(policy=default_policy).parsebytes(message, headersonly=True)["subject"] or "")
    except Exception:  # a message the outbox holds was rendered by the product; this is for a broken one only
        return ""


def _same_name(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Found:
    """Everything stored about a customer: rows by table (dicts of plain, JSON-able values, times in `zone`), and
    the anonymous events of their advice runs (counted only)."""

    customer: Customer
    rows: dict[str, list[dict[str, Any]]]
    events: int = 0
    zone: str = "UTC"

    def __bool__(self) -> bool:
        return any(self.rows.values())

    def counts(self) -> dict[str, int]:
        return {table: len(rows) for table, rows in self.rows.items() if rows}

    @property
    def names(self) -> list[str]:
        """The people the matches carry: the distinct names on the appointments and repair orders (an anonymised
        appointment has none; "kim  Zwanziger" is "Kim Zwanziger"), in the order found."""
        seen: dict[str, str] = {}
        for table, key in (("appointment", "name"), ("repair_order", "name")):
            for row in self.rows.get(table, []):
                name = " ".join(str(row.get(key) or "").split())
                if name:
                    seen.setdefault(_same_name(name), name)
        return list(seen.values())

    def warning(self) -> str | None:
        """A warning when the matches carry more than one name: a shared address or phone number may have found
        someone else's data too."""
        names = self.names
        if len(names) < 2:
            return None
        return (f"these matches carry {len(names)} different names: {', '.join(names)} — check they are one "
                "person; name one by e-mail or code instead")  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        return {
            "asked_for": self.customer.named,
            "time_zone": self.zone,
            "names": self.names,
            **({"warning": warning} if (warning := self.warning()) else {}),
            "tables": {table: {"what": TABLES[table], "rows": rows} for table, rows in self.rows.items() if rows},
            "not_linked": {**NOT_LINKED, "advice_event": f"{self.events} {NOT_LINKED['advice_event']}"},
        }


def find(engine: Engine, customer: Customer, *, zone: tzinfo = UTC) -> Found:
    """Everything stored about `customer` (Art. 15), read in one transaction, its times in `zone` (the store's)."""
    with engine.connect() as connection, connection.begin():
        linked = _linked(connection, customer)
        return _read(connection, customer, linked, zone)


def _read(connection: Connection, customer: Customer, linked: Linked, zone: tzinfo) -> Found:
    """Every stored column that concerns the customer, row by row (tests/advisor/test_privacy_answers.py holds
    the few left out, and why: a new column that is in neither fails it)."""

    def when(moment: datetime | None) -> str | None:
        return _when(moment, zone)

    sessions, appointments = sorted(linked.sessions), sorted(linked.appointments)
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    runs: list[str] = []
    for row in connection.execute(sa.select(SESSION).where(SESSION.c.id.in_(sessions)).order_by(SESSION.c.created_at)):
        runs += [row.run] if row.run else []
        rows["advice_session"].append({
            "resume_code": shown(row.resume_code), "questionnaire": row.questionnaire_id,
            "questionnaire_version": row.questionnaire_version, "locale": row.locale, "origin": row.origin,
            "store": row.store_id, "kiosk": row.kiosk_id, "consent": bool(row.consent), "answers": row.answers,
            "position": row.position, "viewed": row.viewed or [], "compared": row.compared or [],
            "critiques": row.critiques or [], "relaxations": row.relaxations or [], "rated": row.rated or [],
            "completed": bool(row.completed), "product": row.product, "run": row.run,
            "created_at": when(row.created_at), "updated_at": when(row.updated_at),
            "expires_at": when(row.expires_at),
        })  # fmt: skip
    requests = connection.execute(
        sa.select(REQUEST).where(REQUEST.c.session_id.in_(sessions)).order_by(REQUEST.c.requested_at)
    ).all()
    codes: dict[str, str] = {
        str(session_id): str(code)
        for session_id, code in connection.execute(
            sa.select(SESSION.c.id, SESSION.c.resume_code).where(SESSION.c.id.in_(sessions))
        )
    }
    for row in requests:
        rows["handoff_request"].append({
            "id": row.id, "resume_code": shown(codes[row.session_id]), "kind": row.kind, "state": row.state,
            "store": row.store_id, "channel": row.channel, "requested_at": when(row.requested_at),
            "claimed_at": when(row.claimed_at), "claimed_by": row.claimed_by, "finished_at": when(row.finished_at),
            "notes": row.notes, "shopper_seen_at": when(row.shopper_seen_at), "kiosk": row.kiosk_id,
        })  # fmt: skip
    chats = sa.select(CHAT).where(CHAT.c.request_id.in_([row.id for row in requests])).order_by(CHAT.c.id)
    for row in connection.execute(chats):  # (a system line as the screens said it: "Ben has taken over")
        said = Message(row.id, row.sender, row.author, row.text, row.sent_at).shown("en")
        rows["chat_message"].append({"request": row.request_id, "sender": row.sender, "author": row.author,
                                     "text": said, "sent_at": when(row.sent_at)})  # fmt: skip
    changes = sa.select(CASE_CHANGE).where(CASE_CHANGE.c.session_id.in_(sessions)).order_by(CASE_CHANGE.c.id)
    for row in connection.execute(changes):
        rows["case_change"].append({"resume_code": shown(codes[row.session_id]), "staff": row.staff_name,
                                    "step": row.step_id, "at": when(row.at)})  # fmt: skip
    tokens = sa.select(TOKEN).where(TOKEN.c.session_id.in_(sessions)).order_by(TOKEN.c.created_at)
    for row in connection.execute(tokens):
        rows["phone_token"].append({"resume_code": shown(codes[row.session_id]), "created_at": when(row.created_at),
                                    "expires_at": when(row.expires_at), "used_at": when(row.used_at)})  # fmt: skip
    booked = sa.select(APPOINTMENT).where(APPOINTMENT.c.id.in_(appointments)).order_by(APPOINTMENT.c.starts_at)
    for row in connection.execute(booked):
        rows["appointment"].append({
            "id": row.id, "name": row.name, "contact": row.contact, "locale": row.locale,
            "starts_at": when(row.starts_at), "ends_at": when(row.ends_at), "state": row.state,
            "channel": row.channel, "store": row.store_id, "staff": row.staff_name, "category": row.category_id,
            "notes": row.notes, "remind": bool(row.remind), "reminder_due_at": when(row.reminder_due_at),
            "reminded_at": when(row.reminded_at), "checked_in_at": when(row.checked_in_at),
            "created_at": when(row.created_at), "updated_at": when(row.updated_at),
            "resume_code": shown(codes[row.session_id]) if row.session_id in codes else None,
        })  # fmt: skip
    holds = sa.select(APPOINTMENT_HOLD).where(APPOINTMENT_HOLD.c.appointment_id.in_(appointments))
    for row in connection.execute(holds.order_by(APPOINTMENT_HOLD.c.appointment_id, APPOINTMENT_HOLD.c.sku)):
        rows["appointment_hold"].append({"appointment": row.appointment_id, "product": row.sku,
                                         "store": row.store_id, "held_until": when(row.held_until),
                                         "released_at": when(row.released_at)})  # fmt: skip
    links = sa.select(APPOINTMENT_TOKEN).where(APPOINTMENT_TOKEN.c.appointment_id.in_(appointments))
    for row in connection.execute(links.order_by(APPOINTMENT_TOKEN.c.created_at)):
        rows["appointment_token"].append({"appointment": row.appointment_id, "purpose": row.purpose,
                                          "created_at": when(row.created_at),
                                          "used_at": when(row.used_at)})  # fmt: skip
    orders = sa.select(REPAIR_ORDER).where(REPAIR_ORDER.c.id.in_(sorted(linked.orders))).order_by(REPAIR_ORDER.c.id)
    pickup: dict[int, str] = {}
    for row in connection.execute(orders):
        pickup[int(row.id)] = shown(row.pickup_code)
        rows["repair_order"].append({
            "pickup_code": shown(row.pickup_code), "store": row.store_id, "product": row.product_sku,
            "variant": row.variant_sku, "questionnaire": row.questionnaire_id, "problem": row.problem,
            "answers": row.answers, "tried": row.tried, "turnaround_days": row.turnaround_days,
            "cost_min_cents": row.cost_min_cents, "cost_max_cents": row.cost_max_cents, "state": row.state,
            "consent": bool(row.consent), "name": row.contact_name, "email": row.contact_email,
            "phone": row.contact_phone, "locale": row.locale, "address": row.address,
            "request_key": row.request_key, "created_at": when(row.created_at), "updated_at": when(row.updated_at),
            "finished_at": when(row.finished_at), "warranty": bool(row.warranty),
        })  # fmt: skip
    history = sa.select(REPAIR_CHANGE).where(REPAIR_CHANGE.c.order_id.in_(sorted(pickup)))
    for row in connection.execute(history.order_by(REPAIR_CHANGE.c.order_id, REPAIR_CHANGE.c.position)):
        rows["repair_change"].append({"pickup_code": pickup[int(row.order_id)], "state": row.state,
                                      "action": row.action, "staff": row.staff_name,
                                      "at": when(row.at)})  # fmt: skip
    mails = sa.select(OUTBOX).where(OUTBOX.c.id.in_(linked.mails))
    for row in connection.execute(mails.order_by(OUTBOX.c.id)):
        rows["mail_outbox"].append({
            "address": row.address, "subject": _subject(row.message), "locale": row.locale,
            "resume_code": shown(codes[row.session_id]) if row.session_id in codes else None,
            "queued_at": when(row.created_at), "next_attempt_at": when(row.next_attempt_at),
            "last_error": row.last_error,
        })  # fmt: skip
    events = 0
    if runs:
        events = connection.execute(
            sa.select(sa.func.count()).select_from(EVENT).where(EVENT.c.run.in_(runs))
        ).scalar_one()
    return Found(customer, rows, int(events), str(zone))


@dataclass(frozen=True)
class Forgotten:
    """What forgetting a customer did, in counts."""

    deleted: SessionsDeleted = SessionsDeleted()  # the sessions, with their requests, chats, tokens, changes
    appointments_cancelled: int = 0
    appointments_anonymised: int = 0
    orders_deleted: int = 0
    orders_without_contact: int = 0
    mails: int = 0

    @property
    def sessions(self) -> int:
        return self.deleted.sessions

    def __bool__(self) -> bool:
        return any(vars(self.deleted).values()) or any(value for value in vars(self).values() if isinstance(value, int))

    def lines(self) -> list[str]:
        gone = self.deleted
        return [
            f"{gone.sessions} advice session(s) deleted, with {gone.requests} request(s) for staff, {gone.chats} "
            f"chat line(s), {gone.case_changes} case change(s) and {gone.tokens} phone token(s)",
            f"{self.appointments_anonymised} appointment(s) anonymised (name, contact, notes, held products and link "
            f"to the advice removed; when, what and with whom kept), {self.appointments_cancelled} of them cancelled "
            "first as they were still to come",
            f"{self.orders_deleted} finished repair order(s) deleted; {self.orders_without_contact} open one(s) kept "
            "for the workshop without the contact",
            f"{self.mails} queued e-mail(s) deleted unsent",
        ]


def forget(engine: Engine, customer: Customer, *, now: datetime | None = None) -> Forgotten:
    """Delete everything stored about `customer` (Art. 17), in one transaction, as the module's docstring says."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with engine.begin() as connection:
        linked = _linked(connection, customer)
        sessions, appointments = sorted(linked.sessions), sorted(linked.appointments)
        deleted_sessions = delete_sessions(connection, sessions)  # (as the retention purge deletes them)
        cancelled = _cancel_coming(connection, appointments, moment)
        anonymised = forget_shoppers(connection, appointments, now=moment)  # (as the retention purge forgets them)
        # A finished order goes as the retention purge deletes it; an open one stays for the workshop, without the
        # contact.
        orders = sorted(linked.orders)
        deleted = delete_finished(connection, REPAIR_ORDER.c.id.in_(orders))
        kept = _count(connection.execute(
            REPAIR_ORDER.update()
            .where(REPAIR_ORDER.c.id.in_(orders))
            .values(consent=False, contact_name=None, contact_email=None, contact_phone=None, request_key=None,
                    updated_at=moment)
        ))  # fmt: skip
        mails = _count(connection.execute(OUTBOX.delete().where(OUTBOX.c.id.in_(sorted(linked.mails)))))
    return Forgotten(
        deleted=deleted_sessions, appointments_cancelled=cancelled, appointments_anonymised=anonymised,
        orders_deleted=deleted, orders_without_contact=kept, mails=mails,
    )  # fmt: skip


def _cancel_coming(connection: Connection, appointments: Sequence[str], moment: datetime) -> int:
    """Cancel the appointments still to come (as the shopper's own cancellation does: their time and held products
    are free again): a booking nobody can be reached for, or recognised by, would only block a consultant."""
    coming = connection.execute(
        sa.select(APPOINTMENT.c.id).where(
            APPOINTMENT.c.id.in_(appointments), APPOINTMENT.c.state.in_(COMING), APPOINTMENT.c.ends_at > moment
        )
    ).scalars()
    return sum(cancel_within(connection, str(appointment_id), now=moment)
               for appointment_id in list(coming))  # fmt: skip


def _count(result: Any) -> int:
    return int(result.rowcount or 0)


def described(found: Found, database: str | None = None) -> list[str]:
    """The answer to a request for access, as lines of text (English, as the command line speaks), naming the
    database searched if given (as `advisor.db.engine.shown_url` names it)."""
    lines = [f"Stored for {found.customer.named}{f' in {database}' if database else ''} (times in {found.zone}):"]
    if found.names:
        lines.append(f"Names on these matches: {', '.join(found.names)}")
    if warning := found.warning():
        lines.append(f"Warning: {warning}")
    for table, rows in found.rows.items():
        if not rows:
            continue
        lines.append(f"{table} – {TABLES[table]}: {len(rows)}")
        for row in rows:
            lines.append("  " + "; ".join(f"{key}: {_plain(value)}" for key, value in row.items() if value not in
                                          (None, "", [], {})))  # fmt: skip
    lines.append("Not linked to the customer:")
    lines.append(f"  advice_event – {found.events} {NOT_LINKED['advice_event']}")
    lines.append(f"  feedback_comment – {NOT_LINKED['feedback_comment']}")
    return lines


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
