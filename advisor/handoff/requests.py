"""Advice sessions and handoff requests in the database, which is the truth for every device.

The request state machine is data (TRANSITIONS); every transition is one conditional UPDATE
(`... WHERE id = ? AND state = <from>`), so two staff members claiming at once cannot both win, on SQLite
and PostgreSQL alike.
"""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from advisor.handoff.codes import InvalidCode, LookupLimiter, new_code, normalise
from advisor.handoff.model import AdviceSession, ChatMessage, HandoffRequest, PhoneToken
from advisor.handoff.notify import notify

SESSION = AdviceSession.__table__  # type: ignore[attr-defined]
REQUEST = HandoffRequest.__table__  # type: ignore[attr-defined]
CHAT = ChatMessage.__table__  # type: ignore[attr-defined]
TOKEN = PhoneToken.__table__  # type: ignore[attr-defined]

REQUESTED, CLAIMED, CLOSED, CANCELLED, EXPIRED = "requested", "claimed", "closed", "cancelled", "expired"
KINDS = ("consultant", "chat", "phone", "summary")
# (from state, action) -> to state. Everything else is refused.
TRANSITIONS: Mapping[tuple[str, str], str] = {
    (REQUESTED, "claim"): CLAIMED,
    (REQUESTED, "cancel"): CANCELLED,
    (REQUESTED, "expire"): EXPIRED,
    (CLAIMED, "close"): CLOSED,
    (CLAIMED, "cancel"): CANCELLED,
}
OPEN_STATES = (REQUESTED, CLAIMED)
SESSION_LIFETIME = timedelta(days=14)


class HandoffError(ValueError):
    """A handoff action that is not allowed now; the message says why."""


@dataclass(frozen=True)
class StoredSession:
    """An advice session as stored."""

    id: str
    resume_code: str
    questionnaire_id: str
    answers: Mapping[str, Any]
    locale: str
    consent: bool
    expires_at: datetime
    position: str | None = None
    viewed: tuple[str, ...] = ()
    relaxations: tuple[Mapping[str, Any], ...] = ()
    critiques: tuple[Mapping[str, Any], ...] = ()
    store_id: str | None = None
    origin: str = "kiosk"
    updated_at: datetime | None = None


@dataclass(frozen=True)
class QueueEntry:
    """A waiting request and its place in the queue (1 = next)."""

    request_id: int
    session_id: str
    kind: str
    requested_at: datetime
    position: int


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _stored(row: Any) -> StoredSession:
    return StoredSession(
        row.id, row.resume_code, row.questionnaire_id, row.answers, row.locale, row.consent, _aware(row.expires_at),
        position=row.position, viewed=tuple(row.viewed or ()), relaxations=tuple(row.relaxations or ()),
        critiques=tuple(row.critiques or ()),
        store_id=row.store_id, origin=row.origin, updated_at=_aware(row.updated_at),
    )  # fmt: skip


def create_session(
    engine: Engine,
    *,
    questionnaire_id: str,
    answers: Mapping[str, Any],
    locale: str,
    questionnaire_version: str = "",
    store_id: str | None = None,
    kiosk_id: str | None = None,
    consent: bool = False,
    position: str | None = None,
    origin: str = "kiosk",
    lifetime: timedelta = SESSION_LIFETIME,
    now: datetime | None = None,
) -> StoredSession:
    """Store a session under a fresh resume code (a clash with an existing code is retried)."""
    moment = _now(now)
    plain = _plain(answers)
    for _ in range(20):
        session_id, code = str(uuid.uuid4()), new_code()
        values: dict[str, Any] = {
            "id": session_id,
            "resume_code": code,
            "questionnaire_id": questionnaire_id,
            "questionnaire_version": questionnaire_version,
            "answers": plain,
            "locale": locale,
            "store_id": store_id,
            "kiosk_id": kiosk_id,
            "consent": consent,
            "position": position,
            "origin": origin,
            "viewed": [],
            "relaxations": [],
            "critiques": [],
            "created_at": moment,
            "updated_at": moment,
            "expires_at": moment + lifetime,
        }
        try:
            with engine.begin() as connection:
                connection.execute(SESSION.insert().values(**values))
        except IntegrityError:
            continue
        return StoredSession(
            session_id, code, questionnaire_id, plain, locale, consent, moment + lifetime,
            position=position, store_id=store_id, origin=origin, updated_at=moment,
        )  # fmt: skip
    raise HandoffError("could not find a free resume code")


def _plain(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in answers.items()}


def find_session(engine: Engine, code: str, *, now: datetime | None = None) -> StoredSession | None:
    """The session behind a typed resume code, unless it has expired (InvalidCode for impossible text)."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(SESSION).where(SESSION.c.resume_code == normalise(code))).first()
    if row is None:
        return None
    stored = _stored(row)
    return stored if stored.expires_at > _now(now) else None


def open_by_code(
    engine: Engine, code: str, *, client: str, limiter: LookupLimiter, now: datetime | None = None
) -> StoredSession:
    """The session behind a typed code, for a rate-limited client; InvalidCode, TooManyAttempts or HandoffError."""
    moment = _now(now)
    limiter.check(client, moment)
    try:
        stored = find_session(engine, code, now=moment)
    except InvalidCode:
        limiter.failed(client, moment)
        raise
    if stored is None:
        limiter.failed(client, moment)
        raise HandoffError("no advice session has this code (or it has expired)")
    limiter.succeeded(client)
    return stored


def save_answers(engine: Engine, session_id: str, answers: Mapping[str, Any], *, now: datetime | None = None) -> None:
    """Store changed answers (staff re-running the advice with the shopper watching); the kiosk picks them up."""
    with engine.begin() as connection:
        connection.execute(
            SESSION.update().where(SESSION.c.id == session_id).values(answers=_plain(answers), updated_at=_now(now))
        )
        notify(connection, session_id)


MAX_VIEWED = 50
MAX_RELAXATIONS = 50


def save_progress(
    engine: Engine,
    session_id: str,
    *,
    answers: Mapping[str, Any],
    position: str | None,
    locale: str | None = None,
    viewed: Sequence[str] | None = None,
    relaxations: Sequence[Mapping[str, Any]] | None = None,
    critiques: Sequence[Mapping[str, Any]] | None = None,
    now: datetime | None = None,
) -> None:
    """Store where a shopper is, so the next device (phone, kiosk, console) continues exactly there."""
    values: dict[str, Any] = {"answers": _plain(answers), "position": position, "updated_at": _now(now)}
    if locale is not None:
        values["locale"] = locale
    if viewed is not None:
        values["viewed"] = list(viewed)[-MAX_VIEWED:]
    if relaxations is not None:
        values["relaxations"] = [dict(item) for item in relaxations][-MAX_RELAXATIONS:]
    if critiques is not None:
        values["critiques"] = [dict(item) for item in critiques]
    with engine.begin() as connection:
        updated = connection.execute(SESSION.update().where(SESSION.c.id == session_id).values(**values))
        if updated.rowcount != 1:
            raise HandoffError(f"no advice session {session_id}")
        notify(connection, session_id)


def record_viewed(engine: Engine, session_id: str, sku: str, *, now: datetime | None = None) -> None:
    """Remember a product the shopper opened (latest last, each once) for the staff member's view of the case."""
    with engine.begin() as connection:
        current = connection.execute(sa.select(SESSION.c.viewed).where(SESSION.c.id == session_id)).scalar()
        if current is None:
            raise HandoffError(f"no advice session {session_id}")
        viewed = [item for item in current if item != sku] + [sku]
        connection.execute(
            SESSION.update().where(SESSION.c.id == session_id).values(viewed=viewed[-MAX_VIEWED:], updated_at=_now(now))
        )


def give_consent(engine: Engine, session_id: str, *, now: datetime | None = None) -> None:
    """The shopper agreed on screen that staff may see their session."""
    with engine.begin() as connection:
        connection.execute(
            SESSION.update().where(SESSION.c.id == session_id).values(consent=True, updated_at=_now(now))
        )


def request_handoff(engine: Engine, *, session_id: str, kind: str, now: datetime | None = None) -> int:
    """Ask for a person; refused without the shopper's consent (nothing leaves the kiosk without it)."""
    if kind not in KINDS:
        raise HandoffError(f"unknown kind of handoff {kind!r}; known: {', '.join(KINDS)}")
    with engine.begin() as connection:
        session = connection.execute(
            sa.select(SESSION.c.consent, SESSION.c.store_id).where(SESSION.c.id == session_id)
        ).first()
        if session is None:
            raise HandoffError(f"no advice session {session_id}")
        if not session.consent:
            raise HandoffError("the shopper has not agreed to share the session with staff")
        result = connection.execute(
            REQUEST.insert().values(
                session_id=session_id, kind=kind, state=REQUESTED, store_id=session.store_id, requested_at=_now(now)
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        notify(connection, str(key[0]))
        return int(key[0])


def transition(
    engine: Engine, request_id: int, action: str, *, staff: str | None = None, now: datetime | None = None
) -> str:
    """Apply an action if the request is in a state that allows it; return the new state, else HandoffError."""
    sources = [source for (source, name) in TRANSITIONS if name == action]
    if not sources:
        raise HandoffError(f"unknown action {action!r}")
    moment = _now(now)
    with engine.begin() as connection:
        for source in sources:
            target = TRANSITIONS[(source, action)]
            values: dict[str, Any] = {"state": target}
            if target == CLAIMED:
                values.update(claimed_at=moment, claimed_by=staff)
            elif target in (CLOSED, CANCELLED, EXPIRED):
                values["finished_at"] = moment
            updated = connection.execute(
                REQUEST.update().where(REQUEST.c.id == request_id, REQUEST.c.state == source).values(**values)
            )
            if updated.rowcount == 1:
                if target == CLAIMED:
                    _log_claim(connection, request_id, moment)
                notify(connection, str(request_id))
                return target
        current = connection.execute(sa.select(REQUEST.c.state).where(REQUEST.c.id == request_id)).scalar()
    if current is None:
        raise HandoffError(f"no handoff request {request_id}")
    raise HandoffError(f"request {request_id} is {current}; it cannot be {action}ed")


def _log_claim(connection: Any, request_id: int, moment: datetime) -> None:
    """The anonymous event of a claim: which questionnaire, how long the shopper waited (for the insights)."""
    from advisor.insights.events import EVENT

    row = connection.execute(
        sa.select(REQUEST.c.requested_at, REQUEST.c.kind, REQUEST.c.store_id, SESSION.c.questionnaire_id)
        .join(SESSION, SESSION.c.id == REQUEST.c.session_id)
        .where(REQUEST.c.id == request_id)
    ).first()
    if row is not None:
        connection.execute(
            EVENT.insert().values(
                at=moment, run=None, questionnaire_id=row.questionnaire_id, questionnaire_version="",
                channel="staff", store_id=row.store_id, kind="handoff_claimed", step_id=None, value=row.kind,
                number=(moment - _aware(row.requested_at)).total_seconds(),
            )
        )  # fmt: skip


def claim(engine: Engine, request_id: int, *, staff: str, now: datetime | None = None) -> bool:
    """True for exactly one of the staff members claiming a request at the same time."""
    try:
        transition(engine, request_id, "claim", staff=staff, now=now)
    except HandoffError:
        return False
    return True


def state_of(engine: Engine, request_id: int) -> str | None:
    with engine.connect() as connection:
        return connection.execute(sa.select(REQUEST.c.state).where(REQUEST.c.id == request_id)).scalar()


def queue(engine: Engine, *, store_id: str | None = None) -> list[QueueEntry]:
    """Waiting requests, oldest first, with their place in the queue."""
    query = sa.select(REQUEST).where(REQUEST.c.state == REQUESTED).order_by(REQUEST.c.requested_at, REQUEST.c.id)
    if store_id is not None:
        query = query.where(REQUEST.c.store_id == store_id)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        QueueEntry(row.id, row.session_id, row.kind, _aware(row.requested_at), position)
        for position, row in enumerate(rows, start=1)
    ]


def estimated_wait(engine: Engine, *, recent: int = 20) -> timedelta | None:
    """The median time from request to claim over the most recent claimed requests (None without any)."""
    query = (
        sa.select(REQUEST.c.requested_at, REQUEST.c.claimed_at)
        .where(REQUEST.c.claimed_at.is_not(None))
        .order_by(REQUEST.c.claimed_at.desc())
        .limit(recent)
    )
    with engine.connect() as connection:
        waits = [
            (_aware(claimed) - _aware(requested)).total_seconds() for requested, claimed in connection.execute(query)
        ]
    return timedelta(seconds=statistics.median(waits)) if waits else None


def expire_waiting(engine: Engine, *, older_than: timedelta, now: datetime | None = None) -> int:
    """Requests nobody claimed in time become expired; returns how many."""
    moment = _now(now)
    with engine.begin() as connection:
        result = connection.execute(
            REQUEST.update()
            .where(REQUEST.c.state == REQUESTED, REQUEST.c.requested_at < moment - older_than)
            .values(state=EXPIRED, finished_at=moment)
        )
        if result.rowcount:
            notify(connection)
    return int(result.rowcount)


def purge_expired_sessions(engine: Engine, *, now: datetime | None = None) -> int:
    """Delete sessions past their expiry and their requests (privacy); returns how many sessions."""
    moment = _now(now)
    with engine.begin() as connection:
        expired = sa.select(SESSION.c.id).where(SESSION.c.expires_at < moment)
        requests = sa.select(REQUEST.c.id).where(REQUEST.c.session_id.in_(expired))
        connection.execute(CHAT.delete().where(CHAT.c.request_id.in_(requests)))
        connection.execute(TOKEN.delete().where(TOKEN.c.session_id.in_(expired)))
        connection.execute(REQUEST.delete().where(REQUEST.c.session_id.in_(expired)))
        result = connection.execute(SESSION.delete().where(SESSION.c.expires_at < moment))
    return int(result.rowcount)


class ChangeWatcher:
    """Tells cheaply whether the handoff tables may have changed since the last look (real time is a wake-up).

    On SQLite, `PRAGMA data_version` on one kept connection changes when another connection commits. Elsewhere a
    small summary of the requests table serves (PostgreSQL LISTEN/NOTIFY is the faster wake-up to come).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection = engine.connect() if engine.dialect.name == "sqlite" else None
        self._last: Any = None

    def _marker(self) -> Any:
        if self._connection is not None:
            return self._connection.exec_driver_sql("PRAGMA data_version").scalar()
        with self.engine.connect() as connection:
            return tuple(
                connection.execute(
                    sa.select(
                        sa.func.count(), sa.func.max(REQUEST.c.id), sa.func.max(REQUEST.c.claimed_at),
                        sa.func.max(REQUEST.c.finished_at),
                        sa.select(sa.func.max(SESSION.c.updated_at)).scalar_subquery(),
                        sa.select(sa.func.max(CHAT.c.id)).scalar_subquery(),
                    )
                ).one()
            )  # fmt: skip

    def changed(self) -> bool:
        marker = self._marker()
        changed = bool(marker != self._last)
        self._last = marker
        return changed

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()


def request_state(engine: Engine, request_id: int) -> tuple[str, str | None] | None:
    """A request's state and who claimed it."""
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(REQUEST.c.state, REQUEST.c.claimed_by).where(REQUEST.c.id == request_id)
        ).first()
    return (row.state, row.claimed_by) if row else None


def requests_of(engine: Engine, session_id: str) -> list[tuple[int, str, str | None]]:
    """A session's handoff requests, oldest first: (id, state, claimed by)."""
    query = (
        sa.select(REQUEST.c.id, REQUEST.c.state, REQUEST.c.claimed_by)
        .where(REQUEST.c.session_id == session_id)
        .order_by(REQUEST.c.id)
    )
    with engine.connect() as connection:
        return [(row.id, row.state, row.claimed_by) for row in connection.execute(query)]


def session_of(engine: Engine, session_id: str) -> StoredSession | None:
    with engine.connect() as connection:
        row = connection.execute(sa.select(SESSION).where(SESSION.c.id == session_id)).first()
    return _stored(row) if row else None


def claimed_by(engine: Engine, staff: str) -> list[QueueEntry]:
    """The requests a staff member is working on."""
    query = (
        sa.select(REQUEST)
        .where(REQUEST.c.state == CLAIMED, REQUEST.c.claimed_by == staff)
        .order_by(REQUEST.c.claimed_at)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [QueueEntry(row.id, row.session_id, row.kind, _aware(row.requested_at), 0) for row in rows]


MAX_MESSAGE = 1000


@dataclass(frozen=True)
class Message:
    """A chat line as shown: who wrote it and when."""

    id: int
    sender: str
    author: str | None
    text: str
    sent_at: datetime


def post_message(
    engine: Engine, request_id: int, *, sender: str, text: str, author: str | None = None, now: datetime | None = None
) -> int:
    """Add a chat line to an open request (texts are never logged)."""
    body = text.strip()
    if sender not in ("shopper", "staff"):
        raise HandoffError(f"unknown sender {sender!r}")
    if not body:
        raise HandoffError("an empty message is not sent")
    if len(body) > MAX_MESSAGE:
        raise HandoffError(f"a message has at most {MAX_MESSAGE} characters")
    with engine.begin() as connection:
        state = connection.execute(sa.select(REQUEST.c.state).where(REQUEST.c.id == request_id)).scalar()
        if state not in OPEN_STATES:
            raise HandoffError(f"request {request_id} is {state or 'unknown'}: the chat is over")
        result = connection.execute(
            CHAT.insert().values(request_id=request_id, sender=sender, author=author, text=body, sent_at=_now(now))
        )
        notify(connection, str(request_id))
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])


def messages(engine: Engine, request_id: int) -> list[Message]:
    """The chat of a request, in order."""
    query = sa.select(CHAT).where(CHAT.c.request_id == request_id).order_by(CHAT.c.id)
    with engine.connect() as connection:
        return [
            Message(row.id, row.sender, row.author, row.text, _aware(row.sent_at)) for row in connection.execute(query)
        ]


MAX_NOTES = 4000


def save_notes(engine: Engine, request_id: int, notes: str) -> None:
    """Staff notes on a case (not shown to the shopper; deleted with the session)."""
    if len(notes) > MAX_NOTES:
        raise HandoffError(f"notes have at most {MAX_NOTES} characters")
    with engine.begin() as connection:
        connection.execute(REQUEST.update().where(REQUEST.c.id == request_id).values(notes=notes))


def notes_of(engine: Engine, request_id: int) -> str:
    with engine.connect() as connection:
        return str(connection.execute(sa.select(REQUEST.c.notes).where(REQUEST.c.id == request_id)).scalar() or "")
