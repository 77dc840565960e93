"""Stored advice sessions: one shopper's advice under a resume code, so any device can continue it.

The database is the truth for every device: a kiosk, the staff console and a phone each read the session again
rather than keep their own copy.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from advisor.db.prepared import prepared, reading
from advisor.handoff import limits
from advisor.handoff.changes import CASE_CHANGE
from advisor.handoff.chat import CHAT
from advisor.handoff.codes import TooManyAttempts, new_code, normalise
from advisor.handoff.model import AdviceSession, PhoneToken
from advisor.handoff.requests import REQUEST, HandoffError

SESSION = AdviceSession.__table__  # type: ignore[attr-defined]
TOKEN = PhoneToken.__table__  # type: ignore[attr-defined]

SESSION_LIFETIME = timedelta(days=14)

# Wrong resume codes, counted in the database (docs/deploying.md, "Resume codes and guessing"). Per client (an
# address, a kiosk, a console): 5 an hour at once, then a wait of 1 minute after the 5th, doubling after each
# further one; so at most 10 an hour. All clients of every server process and instance together: 80 an hour.
WRONG_CODES_PER_CLIENT = limits.Backoff(free=5, first=timedelta(minutes=1), window=timedelta(hours=1))
WRONG_CODES_STORE_WIDE = limits.Budget(limit=80, window=timedelta(hours=1))
STORE_WIDE = "codes-store-wide"  # not "codes:…", the keys of single clients


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


def _plain(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, tuple) else value for key, value in answers.items()}


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
    columns: Mapping[str, Any] | None = None,
) -> StoredSession:
    """Store a session under a fresh resume code (a clash with an existing code is retried); `columns`: more of
    the row's values, written in the same INSERT."""
    moment = now or datetime.now(UTC)
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
            **(columns or {}),
        }
        names = tuple(sorted(values))
        insert = prepared(engine, ("session-insert", names), partial(_insert_statement, names))
        try:
            insert.count(values)
        except IntegrityError:
            continue
        return StoredSession(
            session_id, code, questionnaire_id, plain, locale, consent, moment + lifetime,
            position=position, store_id=store_id, origin=origin, updated_at=moment,
        )  # fmt: skip
    raise HandoffError("could not find a free resume code")


def _insert_statement(names: tuple[str, ...]) -> Any:
    """The INSERT of a new session with these columns (built once per set of columns: the web stores a session at
    every shopper's first answer)."""
    return SESSION.insert().values({name: sa.bindparam(name, type_=SESSION.c[name].type) for name in names})


def find_session(engine: Engine, code: str, *, now: datetime | None = None) -> StoredSession | None:
    """The session behind a typed resume code, unless it has expired (InvalidCode for impossible text)."""
    with reading(engine) as connection:
        row = connection.execute(sa.select(SESSION).where(SESSION.c.resume_code == normalise(code))).first()
    if row is None:
        return None
    stored = _stored(row)
    return stored if stored.expires_at > (now or datetime.now(UTC)) else None


def open_by_code(
    engine: Engine, code: str, *, client: str, in_store: bool = False, now: datetime | None = None
) -> StoredSession:
    """The session behind a typed code, for a client whose wrong codes are limited; InvalidCode,
    TooManyAttempts or HandoffError.

    Every look-up counts as a wrong code until it turns out right (then it is given back, and nothing else is
    reset), so concurrent guesses of one client, or of several server processes, cannot slip past the limits.
    A device on the shop floor (`in_store`: a kiosk, a staff console) has its own budget and back-off but does not
    draw on the store-wide budget of the internet's clients, so guessing from outside never locks out the store.
    """
    moment = now or datetime.now(UTC)
    taken = limits.take(engine, limits.key("codes", client), WRONG_CODES_PER_CLIENT, now=moment)
    if taken.wait is not None:
        raise TooManyAttempts(taken.wait)
    if not in_store:
        wait = limits.spend(engine, STORE_WIDE, WRONG_CODES_STORE_WIDE, now=moment)
        if wait is not None:
            limits.give_back(engine, taken)
            raise TooManyAttempts(wait)
    stored = find_session(engine, code, now=moment)  # InvalidCode: a wrong code too
    if stored is None:
        raise HandoffError("no advice session has this code (or it has expired)", reason="unknown_code")
    limits.give_back(engine, taken)
    if not in_store:
        limits.refund(engine, STORE_WIDE, WRONG_CODES_STORE_WIDE, now=moment)
    return stored


def session_of(engine: Engine, session_id: str) -> StoredSession | None:
    with reading(engine) as connection:
        row = connection.execute(sa.select(SESSION).where(SESSION.c.id == session_id)).first()
    return _stored(row) if row else None


def give_consent(engine: Engine, session_id: str, *, now: datetime | None = None) -> None:
    """The shopper agreed on screen that staff may see their session."""
    with engine.begin() as connection:
        connection.execute(
            SESSION.update().where(SESSION.c.id == session_id).values(consent=True, updated_at=now or datetime.now(UTC))
        )


def purge_expired_sessions(
    engine: Engine,
    *,
    now: datetime | None = None,
    idle_before: datetime | None = None,
    keep: Collection[str] = (),
    web_idle_before: datetime | None = None,
) -> int:
    """Delete sessions past their expiry with their requests, chats, tokens and staff changes (privacy); returns how
    many sessions. With `idle_before` also those last changed before it (but the ids in `keep`), whatever expiry
    they were stored with: a retention lowered since they were stored shortens them too. With `web_idle_before`
    likewise the sessions started on the web that reached neither their results nor a consent to staff (those the
    web gives [privacy] web_session_idle_hours from their last change) and were last changed before it: lowered
    idle hours shorten the ones stored before."""
    moment = now or datetime.now(UTC)
    gone = SESSION.c.expires_at < moment
    idle: list[sa.ColumnElement[bool]] = []
    if idle_before is not None:
        idle.append(SESSION.c.updated_at < idle_before)
    if web_idle_before is not None:
        idle.append(sa.and_(SESSION.c.origin == "web", SESSION.c.consent.is_(False), SESSION.c.completed.is_(False),
                            SESSION.c.updated_at < web_idle_before))  # fmt: skip
    if idle:
        stale = sa.or_(*idle)
        gone = sa.or_(gone, sa.and_(stale, SESSION.c.id.not_in(list(keep))) if keep else stale)
    with engine.begin() as connection:
        return delete_sessions(connection, sa.select(SESSION.c.id).where(gone)).sessions


@dataclass(frozen=True)
class SessionsDeleted:
    """What `delete_sessions` deleted, by kind."""

    sessions: int = 0
    requests: int = 0
    chats: int = 0
    tokens: int = 0
    case_changes: int = 0


def delete_sessions(connection: Connection, chosen: sa.Select[Any] | Collection[str]) -> SessionsDeleted:
    """Delete the `chosen` sessions (their ids, or a query of them) with everything that hangs on them: their
    requests for staff with the chat lines and notes, phone tokens, staff's changes. The one cascade for the
    retention purge and a customer's erasure (advisor.privacy_requests), in the caller's transaction."""
    ids = chosen if isinstance(chosen, sa.Select) else list(chosen)
    requests = sa.select(REQUEST.c.id).where(REQUEST.c.session_id.in_(ids))
    chats = connection.execute(CHAT.delete().where(CHAT.c.request_id.in_(requests))).rowcount
    tokens = connection.execute(TOKEN.delete().where(TOKEN.c.session_id.in_(ids))).rowcount
    changes = connection.execute(CASE_CHANGE.delete().where(CASE_CHANGE.c.session_id.in_(ids))).rowcount
    asked = connection.execute(REQUEST.delete().where(REQUEST.c.session_id.in_(ids))).rowcount
    sessions = connection.execute(SESSION.delete().where(SESSION.c.id.in_(ids))).rowcount
    return SessionsDeleted(int(sessions or 0), int(asked or 0), int(chats or 0), int(tokens or 0), int(changes or 0))
