"""Handoff requests: a shopper asking for a person, moving through states that only TRANSITIONS may change.

Every state change, a staff member's claim and the expiry of unclaimed requests alike, is one conditional UPDATE
taken from the table (`... WHERE state = <from>`), so two staff members claiming at once cannot both win, on SQLite
and PostgreSQL alike.
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from advisor.db.prepared import prepared, reading
from advisor.handoff.model import AdviceSession, ChatMessage, HandoffRequest
from advisor.handoff.notify import notify
from advisor.handoff.staff import PRESENCE_WINDOW, STAFF

REQUEST = HandoffRequest.__table__  # type: ignore[attr-defined]
_CHAT = ChatMessage.__table__  # type: ignore[attr-defined]
TAKEN_OVER = "talk.taken_over"  # the chat's system line when a colleague takes a case over (its author: who)
_SESSION = AdviceSession.__table__  # type: ignore[attr-defined]


class State(enum.StrEnum):
    """Where a handoff request is (the values are what the database stores)."""

    REQUESTED = "requested"
    CLAIMED = "claimed"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Action(enum.StrEnum):
    """What can happen to a handoff request."""

    CLAIM = "claim"
    CANCEL = "cancel"
    EXPIRE = "expire"
    CLOSE = "close"


# (from state, action) -> to state. Everything else is refused.
TRANSITIONS: Mapping[tuple[State, Action], State] = {
    (State.REQUESTED, Action.CLAIM): State.CLAIMED,
    (State.REQUESTED, Action.CANCEL): State.CANCELLED,
    (State.REQUESTED, Action.EXPIRE): State.EXPIRED,
    (State.CLAIMED, Action.CLOSE): State.CLOSED,
    (State.CLAIMED, Action.CANCEL): State.CANCELLED,
}
# How a refusal names the action: "request 7 is closed; it cannot be cancelled".
PAST_PARTICIPLES: Mapping[Action, str] = {
    Action.CLAIM: "claimed",
    Action.CANCEL: "cancelled",
    Action.EXPIRE: "expired",
    Action.CLOSE: "closed",
}
OPEN_STATES = (State.REQUESTED, State.CLAIMED)
FINISHED_STATES = (State.CLOSED, State.CANCELLED, State.EXPIRED)
KINDS = ("consultant", "chat", "phone", "summary")
KIOSK, WEB = "kiosk", "web"  # where the shopper is for a request (their phone or home: the web)
CHANNELS = (None, KIOSK, WEB)

# Called inside the transaction of a change that happened: (connection, request id, new state).
InTransaction = Callable[[Connection, int, State], None]


class HandoffError(ValueError):
    """A handoff action that is not allowed now; the message says why (for the journal), `reason` names it for the
    words a person reads ("unknown_code", "moved": the request changed meanwhile, "chat_over", "too_long"; "" for
    a program's mistake; "taken_over": a colleague took the request over from this staff member)."""

    def __init__(self, message: str, *, reason: str = "", by: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.by = by  # "taken_over": the colleague who holds the request now


@dataclass(frozen=True)
class QueueEntry:
    """A waiting request and its place in the queue (1 = next)."""

    request_id: int
    session_id: str
    kind: str
    requested_at: datetime
    position: int
    channel: str | None = None  # where the shopper is: "kiosk", "web" (None: where the session began)
    left_by: str | None = None  # claimed by a colleague who has signed out since: it waits to be taken over
    kiosk_id: str | None = None  # the kiosk it was asked at (None: the one the session began at, or none)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def request_handoff(
    engine: Engine, *, session_id: str, kind: str, channel: str | None = None, kiosk_id: str | None = None,
    now: datetime | None = None,
) -> int:  # fmt: skip
    """Ask for a person; refused without the shopper's consent (nothing leaves the kiosk without it). `channel`:
    where the shopper asks from, "kiosk" or "web" (None: where the session began); `kiosk_id`: the kiosk asked at.
    A request of the same kind still open for the session (asked on the phone, then again at a kiosk after the
    code) is the one asked for: it moves to where the shopper asks now and keeps its place in the queue, its
    colleague and its chat (one case, not the shopper waiting behind herself)."""
    if kind not in KINDS:
        raise HandoffError(f"unknown kind of handoff {kind!r}; known: {', '.join(KINDS)}")
    if channel not in CHANNELS:
        raise HandoffError(f"unknown channel {channel!r}; known: kiosk, web")
    moment = now or datetime.now(UTC)
    with engine.begin() as connection:
        session = connection.execute(
            sa.select(_SESSION.c.consent, _SESSION.c.store_id).where(_SESSION.c.id == session_id)
        ).first()
        if session is None:
            raise HandoffError(f"no advice session {session_id}")
        if not session.consent:
            raise HandoffError("the shopper has not agreed to share the session with staff")
        open_id = connection.execute(
            sa.select(REQUEST.c.id)
            .where(REQUEST.c.session_id == session_id, REQUEST.c.kind == kind, REQUEST.c.state.in_(OPEN_STATES))
            .order_by(REQUEST.c.id.desc())
            .limit(1)
        ).scalar()
        if open_id is not None:
            connection.execute(
                REQUEST.update()
                .where(REQUEST.c.id == open_id)
                .values(channel=channel, kiosk_id=kiosk_id or None, shopper_seen_at=moment if channel == WEB else None)
            )
            notify(connection, str(open_id))
            return int(open_id)
        result = connection.execute(
            REQUEST.insert().values(
                session_id=session_id,
                kind=kind,
                state=State.REQUESTED,
                store_id=session.store_id,
                requested_at=moment,
                channel=channel,
                shopper_seen_at=moment if channel == WEB else None,  # (asked from the phone: it is there now)
                kiosk_id=kiosk_id or None,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        notify(connection, str(key[0]))
        return int(key[0])


def went_to_phone(connection: Connection, session_id: str) -> None:
    """The shopper took the session to their phone (its QR code): a chat of it still open goes on there (the
    console says so, and the kiosk's idle timeout does not end it). A consultant asked to the kiosk stays the
    kiosk's: staff walk there, and it ends when the shopper walks away from it."""
    connection.execute(
        REQUEST.update().where(_open_chat_of(session_id)).values(channel=WEB, shopper_seen_at=datetime.now(UTC))
    )


def _open_chat_of(session_id: str) -> sa.ColumnElement[bool]:
    """The session's chats still asked for or claimed."""
    return sa.and_(REQUEST.c.session_id == session_id, REQUEST.c.kind == "chat", REQUEST.c.state.in_(OPEN_STATES))


def open_chat(engine: Engine, session_id: str) -> int | None:
    """A chat of the session still open (asked for or claimed): where a device taking the advice over goes on."""
    with reading(engine) as connection:
        found = connection.execute(
            sa.select(REQUEST.c.id).where(_open_chat_of(session_id)).order_by(REQUEST.c.id.desc()).limit(1)
        ).scalar()
    return int(found) if found is not None else None


def channel_of(engine: Engine, request_id: int) -> str | None:
    """Where the shopper is for a request: "kiosk", "web" or None (where its session began)."""
    with reading(engine) as connection:
        value = connection.execute(sa.select(REQUEST.c.channel).where(REQUEST.c.id == request_id)).scalar()
    return str(value) if value is not None else None


def _moves(action: Action) -> list[tuple[State, State]]:
    """(from, to) for every state in which the action applies, as TRANSITIONS says."""
    return [(source, target) for (source, name), target in TRANSITIONS.items() if name == action]


def _move(
    connection: Connection,
    source: State,
    target: State,
    which: sa.ColumnElement[bool],
    *,
    moment: datetime,
    staff: str | None = None,
) -> int:
    """One conditional UPDATE of the requests `which` selects that are in `source`; returns how many moved."""
    values: dict[str, Any] = {"state": target}
    if target == State.CLAIMED:
        values.update(claimed_at=moment, claimed_by=staff)
    elif target in FINISHED_STATES:
        values["finished_at"] = moment
    updated = connection.execute(REQUEST.update().where(which, REQUEST.c.state == source).values(**values))
    return int(updated.rowcount)


def transition(
    engine: Engine,
    request_id: int,
    action: Action,
    *,
    staff: str | None = None,
    holder: str | None = None,
    now: datetime | None = None,
    in_transaction: InTransaction | None = None,
) -> State:
    """Apply an action if the request is in a state that allows it; return the new state, else HandoffError. With
    `holder`, only while that staff member holds it: a console's change kept through an outage is refused when a
    colleague took the request over meanwhile (HandoffError "taken_over", naming them).

    `in_transaction` runs after the change, in its transaction (the insights log a claim this way).
    """
    moment = now or datetime.now(UTC)
    which = REQUEST.c.id == request_id
    if holder is not None:
        which = sa.and_(which, sa.or_(REQUEST.c.claimed_by.is_(None), REQUEST.c.claimed_by == holder))
    with engine.begin() as connection:
        for source, target in _moves(action):
            if _move(connection, source, target, which, moment=moment, staff=staff) == 1:
                if in_transaction is not None:
                    in_transaction(connection, request_id, target)
                notify(connection, str(request_id))
                return target
        current = connection.execute(
            sa.select(REQUEST.c.state, REQUEST.c.claimed_by).where(REQUEST.c.id == request_id)
        ).first()
    if current is None:
        raise HandoffError(f"no handoff request {request_id}", reason="moved")
    taken_over(request_id, current.state, current.claimed_by, holder)
    raise HandoffError(
        f"request {request_id} is {current.state}; it cannot be {PAST_PARTICIPLES[action]}", reason="moved"
    )


def taken_over(request_id: int, state: str | None, claimed_by: str | None, holder: str | None) -> None:
    """HandoffError "taken_over" when a colleague holds the request that `holder` held."""
    if holder is not None and state == State.CLAIMED and claimed_by not in (None, holder):
        raise HandoffError(f"request {request_id} is {claimed_by}'s now", reason="taken_over", by=claimed_by)


class Outcome(enum.StrEnum):
    """How a staff member's claim ended."""

    WON = "won"
    YOURS = "yours"  # theirs already: a double click, or their other console was first
    TAKEN = "taken"  # a colleague was faster
    ENDED = "ended"  # the customer ended the request (or it expired, or it is gone) before anyone claimed it


@dataclass(frozen=True)
class Claimed:
    """A claim's outcome and who has the request now (None when nobody does)."""

    outcome: Outcome
    by: str | None = None
    taken_from: str | None = None  # WON by taking it over from this colleague (signed out)


def claim_outcome(
    engine: Engine,
    request_id: int,
    *,
    staff: str,
    now: datetime | None = None,
    in_transaction: InTransaction | None = None,
) -> Claimed:
    """Claim a request; WON for exactly one of the staff members claiming it at the same time, else why not. A
    request claimed by a colleague who has signed out since (`left_by` in the queue) is taken over: WON as well."""
    try:
        transition(engine, request_id, Action.CLAIM, staff=staff, now=now, in_transaction=in_transaction)
    except HandoffError:
        found = request_state(engine, request_id)
        state, by = found if found is not None else (State.CANCELLED, None)
        if state in (State.CANCELLED, State.EXPIRED) or by is None:
            return Claimed(Outcome.ENDED)
        if state == State.CLAIMED and by != staff and take_over(engine, request_id, staff=staff, left_by=by, now=now):
            return Claimed(Outcome.WON, staff, taken_from=by)
        found = request_state(engine, request_id)  # (taken over by another colleague first: they have it now)
        state, by = found if found is not None else (State.CANCELLED, None)
        if state != State.CLAIMED or by is None:
            return Claimed(Outcome.ENDED)
        return Claimed(Outcome.YOURS if by == staff else Outcome.TAKEN, by)
    return Claimed(Outcome.WON, staff)


def _signed_out(name: sa.ColumnElement[Any], moment: datetime) -> sa.ColumnElement[bool]:
    """The staff member `name` has no console that reported within PRESENCE_WINDOW (signed out, or gone)."""
    gone = sa.select(STAFF.c.name).where(
        STAFF.c.name == name, sa.or_(STAFF.c.last_seen.is_(None), STAFF.c.last_seen < moment - PRESENCE_WINDOW)
    )
    return gone.exists()


def left_by(engine: Engine, request_id: int, *, now: datetime | None = None) -> str | None:
    """Who claimed the request and has signed out since (their console closed, or gone at a shift change): the
    request waits for the next colleague to take it over, and its shopper is told so; None while nobody left it."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    left = sa.and_(REQUEST.c.id == request_id, REQUEST.c.state == State.CLAIMED,
                   _signed_out(REQUEST.c.claimed_by, moment))  # fmt: skip
    with reading(engine) as connection:
        name = connection.execute(sa.select(REQUEST.c.claimed_by).where(left)).scalar()
    return str(name) if name is not None else None


def take_over(engine: Engine, request_id: int, *, staff: str, left_by: str, now: datetime | None = None) -> bool:
    """Take over a request `left_by` holds, while they are signed out (their console closed or gone at a shift
    change), with the customer's other requests they hold (a chat and a person alike: one person serves them): one
    conditional change, so of two colleagues taking it over at once one wins. Each chat says who took over (a
    system line, shown to the shopper too), and the shopper's screen names them. The claim time stays the first
    claim's (the wait the insights count ended then)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    asked = REQUEST.alias("asked")  # (the request asked for; not correlated with the requests changed)
    customer = sa.select(asked.c.session_id).where(asked.c.id == request_id).scalar_subquery()
    held = sa.and_(REQUEST.c.session_id == customer, REQUEST.c.state == State.CLAIMED, REQUEST.c.claimed_by == left_by)
    try:
        with engine.begin() as connection:  # (the change first: on SQLite it takes the write lock at once)
            taken = [int(found) for found in connection.execute(
                REQUEST.update().where(held, _signed_out(REQUEST.c.claimed_by, moment)).values(claimed_by=staff)
                .returning(REQUEST.c.id)
            ).scalars()]  # fmt: skip
            if request_id not in taken:  # (a colleague was faster, or the holder is back): nothing of it changes
                raise _NotTaken
            for one in taken:
                connection.execute(_CHAT.insert().values(request_id=one, sender="system", author=staff,
                                                         text=TAKEN_OVER, sent_at=moment))  # fmt: skip
                notify(connection, str(one))
    except _NotTaken:
        return False
    return True


class _NotTaken(Exception):
    """The request asked for was not taken over: the transaction is rolled back (nothing of the customer's moves)."""


def claim(
    engine: Engine,
    request_id: int,
    *,
    staff: str,
    now: datetime | None = None,
    in_transaction: InTransaction | None = None,
) -> bool:
    """True for exactly one of the staff members claiming a request at the same time."""
    won = claim_outcome(engine, request_id, staff=staff, now=now, in_transaction=in_transaction)
    return won.outcome == Outcome.WON


def expire_waiting(
    engine: Engine, *, older_than: timedelta, now: datetime | None = None, request_id: int | None = None
) -> int:
    """Requests nobody claimed in time become expired (only `request_id`, when given); returns how many."""
    moment = now or datetime.now(UTC)
    waited_too_long = REQUEST.c.requested_at < moment - older_than
    if request_id is not None:
        waited_too_long = sa.and_(REQUEST.c.id == request_id, waited_too_long)
    with engine.begin() as connection:
        expired = 0
        for source, target in _moves(Action.EXPIRE):
            expired += _move(connection, source, target, waited_too_long, moment=moment)
        if expired:
            notify(connection)
    return expired


def state_of(engine: Engine, request_id: int) -> State | None:
    with reading(engine) as connection:
        state = connection.execute(sa.select(REQUEST.c.state).where(REQUEST.c.id == request_id)).scalar()
    return None if state is None else State(state)


def request_state(engine: Engine, request_id: int) -> tuple[State, str | None] | None:
    """A request's state and who claimed it."""
    with reading(engine) as connection:
        row = connection.execute(
            sa.select(REQUEST.c.state, REQUEST.c.claimed_by).where(REQUEST.c.id == request_id)
        ).first()
    return (State(row.state), row.claimed_by) if row else None


def requests_of(engine: Engine, session_id: str) -> list[tuple[int, State, str | None]]:
    """A session's handoff requests, oldest first: (id, state, claimed by)."""
    rows = prepared(engine, "session-requests", _requests_statement).rows({"session_id": session_id})
    return [(row.id, State(row.state), row.claimed_by) for row in rows]


def _requests_statement() -> sa.Select[Any]:
    """A session's requests (a server asks on every results page: one statement, no transaction around it)."""
    return (
        sa.select(REQUEST.c.id, REQUEST.c.state, REQUEST.c.claimed_by)
        .where(REQUEST.c.session_id == sa.bindparam("session_id"))
        .order_by(REQUEST.c.id)
    )


def queue(
    engine: Engine, *, store_id: str | None = None, unclaimed_after: timedelta | None = None,
    now: datetime | None = None,
) -> list[QueueEntry]:  # fmt: skip
    """Waiting requests, oldest first, with their place in the queue; with `unclaimed_after`, those nobody claimed
    within it are left out (they count as expired, as `expire_waiting` makes them at the next chance). Requests
    claimed by a colleague who has signed out since wait here too (`left_by`), to be taken over: their shopper is
    still waiting for someone."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    waiting = REQUEST.c.state == State.REQUESTED
    if unclaimed_after is not None:
        waiting = sa.and_(waiting, REQUEST.c.requested_at >= moment - unclaimed_after)
    left = sa.and_(REQUEST.c.state == State.CLAIMED, _signed_out(REQUEST.c.claimed_by, moment))
    query = sa.select(REQUEST).where(sa.or_(waiting, left)).order_by(REQUEST.c.requested_at, REQUEST.c.id)
    if store_id is not None:
        query = query.where(REQUEST.c.store_id == store_id)
    with reading(engine) as connection:
        rows = connection.execute(query).all()
    return [
        QueueEntry(row.id, row.session_id, row.kind, _aware(row.requested_at), position, row.channel,
                   row.claimed_by if row.state == State.CLAIMED else None, row.kiosk_id)
        for position, row in enumerate(rows, start=1)
    ]  # fmt: skip


def claimed_by(engine: Engine, staff: str) -> list[QueueEntry]:
    """The requests a staff member is working on."""
    query = (
        sa.select(REQUEST)
        .where(REQUEST.c.state == State.CLAIMED, REQUEST.c.claimed_by == staff)
        .order_by(REQUEST.c.claimed_at)
    )
    with reading(engine) as connection:
        rows = connection.execute(query).all()
    return [
        QueueEntry(row.id, row.session_id, row.kind, _aware(row.requested_at), 0, row.channel, kiosk_id=row.kiosk_id)
        for row in rows
    ]


def estimated_wait(engine: Engine, *, recent: int = 20) -> timedelta | None:
    """The median time from request to claim over the most recent claimed requests (None without any)."""
    query = (
        sa.select(REQUEST.c.requested_at, REQUEST.c.claimed_at)
        .where(REQUEST.c.claimed_at.is_not(None))
        .order_by(REQUEST.c.claimed_at.desc())
        .limit(recent)
    )
    with reading(engine) as connection:
        waits = [
            (_aware(claimed) - _aware(requested)).total_seconds() for requested, claimed in connection.execute(query)
        ]
    return timedelta(seconds=statistics.median(waits)) if waits else None
