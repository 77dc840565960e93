"""The stored advice session: the whole snapshot, read tolerantly and written conditionally on its version.

Every write says which version it read (`UPDATE ... WHERE id = ? AND version = ?`). A writer that lost the
race re-reads the stored session, re-applies its unsaved commands to it (`AdviceSession.rebase`) and writes
again, so the kiosk and a staff member changing the same session both see the merged result.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cache, partial
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.appointments.privacy import COMING
from advisor.appointments.tables import APPOINTMENT
from advisor.db.prepared import prepared
from advisor.db.retry import retrying
from advisor.handoff.model import AdviceSession as SessionRow
from advisor.handoff.notify import CHANNEL
from advisor.handoff.sessions import SESSION_LIFETIME, create_session
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.index import CategoryIndex
from advisor.session.service import RESULTS, AdviceSession, SessionError, Snapshot

SESSION = SessionRow.__table__  # type: ignore[attr-defined]
JSON_COLUMNS = ("answers", "critiques", "relaxations", "viewed", "compared", "rated")
MAX_ATTEMPTS = 25  # writes that lost the race to another writer
BUSY_ATTEMPTS = 5  # a busy SQLite file or a dropped connection: the same write again


class SessionGone(SessionError):
    """The stored session no longer exists (purged or expired)."""


@dataclass(frozen=True)
class Record:
    """A stored session: who may see it, until when, and its snapshot at `version`."""

    id: str
    resume_code: str
    snapshot: Snapshot
    version: int
    consent: bool
    expires_at: datetime
    created_at: datetime
    store_id: str | None = None
    kiosk_id: str | None = None
    origin: str = "kiosk"
    unreadable: tuple[str, ...] = ()  # columns whose stored JSON could not be read (dropped, named)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _columns() -> list[Any]:
    # JSON columns are read as text where the driver hands text (SQLite), so one corrupt value is dropped and
    # named instead of failing the whole row.
    return [
        sa.type_coerce(column, sa.Text).label(column.name) if column.name in JSON_COLUMNS else column
        for column in SESSION.columns
    ]


def _json(row: Any, name: str, default: Any, unreadable: list[str]) -> Any:
    value = getattr(row, name)
    if value is None:
        return default
    if isinstance(value, str):
        try:
            value = orjson.loads(value)  # several times faster than json (a server reads a session on every page)
        except ValueError:
            try:
                value = json.loads(value)  # what orjson does not take but json writes: NaN, Infinity
            except ValueError:
                unreadable.append(f"{name} (not JSON)")
                return default
    if not isinstance(value, type(default)):
        unreadable.append(f"{name} (not a {type(default).__name__})")
        return default
    return value


def _record(row: Any) -> Record:
    unreadable: list[str] = []
    answers = _json(row, "answers", {}, unreadable)
    items = {name: _json(row, name, [], unreadable) for name in ("critiques", "relaxations", "viewed", "compared",
                                                                  "rated")}  # fmt: skip
    snapshot = Snapshot(
        questionnaire_id=row.questionnaire_id, questionnaire_version=row.questionnaire_version or "",
        answers=answers, position=row.position or RESULTS, locale=row.locale,
        critiques=tuple(item for item in items["critiques"] if isinstance(item, Mapping)),
        relaxations=tuple(item for item in items["relaxations"] if isinstance(item, Mapping)),
        viewed=tuple(str(sku) for sku in items["viewed"]), compared=tuple(str(sku) for sku in items["compared"]),
        run=row.run or "", completed=bool(row.completed), rated=tuple(str(about) for about in items["rated"]),
        product=row.product or "",
    )  # fmt: skip
    return Record(
        row.id, row.resume_code, snapshot, int(row.version), bool(row.consent), _aware(row.expires_at),
        _aware(row.created_at), store_id=row.store_id, kiosk_id=row.kiosk_id, origin=row.origin,
        unreadable=tuple(unreadable),
    )  # fmt: skip


@cache
def _read_statement() -> Any:
    """The one SELECT of a stored session (built once: a server reads a session on every page)."""
    return sa.select(*_columns()).where(SESSION.c.id == sa.bindparam("session_id"))


WRITTEN = ("questionnaire_version", "answers", "position", "locale", "critiques", "relaxations", "viewed",
           "compared", "run", "completed", "rated", "product", "version", "updated_at")  # fmt: skip


@cache
def _write_statement(with_expiry: bool, unread: bool = False) -> Any:
    """The conditional UPDATE of a stored session (built once; its values are bound per write). `unread`: also
    only while the session has not expired and its consent is the one the writer knows (`write(..., unread=…)`)."""
    columns = (*WRITTEN, "expires_at") if with_expiry else WRITTEN
    conditions = [SESSION.c.id == sa.bindparam("b_id"), SESSION.c.version == sa.bindparam("b_expected")]
    if unread:
        conditions += [
            SESSION.c.expires_at > sa.bindparam("b_now", type_=SESSION.c.expires_at.type),
            SESSION.c.consent == sa.bindparam("b_consent", type_=SESSION.c.consent.type),
        ]
    return (
        SESSION.update()
        .where(*conditions)
        .values({column: sa.bindparam(f"v_{column}", type_=SESSION.c[column].type) for column in columns})
    )


def read(engine: Engine, session_id: str, *, now: datetime | None = None, known: Record | None = None) -> Record | None:
    """The stored session, unless it does not exist or has expired.

    `known`: a record of this session read or written before; while the stored version is still its version, its
    snapshot is the stored one (every change of a snapshot writes a new version) and is not parsed again.
    """
    rows = prepared(engine, "session-read", _read_statement).rows({"session_id": session_id})
    if not rows:
        return None
    row = rows[0]
    if known is not None and known.id == row.id and known.version == int(row.version):
        # What changes without a new version: consent, expiry (and the store's keeping it for an appointment).
        record = replace(known, consent=bool(row.consent), expires_at=_aware(row.expires_at))
    else:
        record = _record(row)
    return record if record.expires_at > (now or datetime.now(UTC)) else None


def load(
    record: Record,
    questionnaires: Mapping[str, Questionnaire],
    *,
    index_for: Callable[[Questionnaire], CategoryIndex | None] | None = None,
) -> AdviceSession:
    """The session of a stored record (SessionError when its questionnaire is not offered here)."""
    questionnaire = questionnaires.get(record.snapshot.questionnaire_id)
    index = index_for(questionnaire) if index_for is not None and questionnaire is not None else None
    session = AdviceSession.restore(record.snapshot, questionnaires, index=index, version=record.version)
    session.dropped = tuple(f"unreadable {name}" for name in record.unreadable) + session.dropped
    session.store_id = record.store_id  # where it was advised (a kiosk or a server sets its own)
    return session


def _record_values(snapshot: Snapshot) -> Snapshot:
    """The snapshot as reading it back would give it (JSON turns tuples into lists, answers into plain values)."""
    values = json.loads(json.dumps(_values(snapshot), default=str))
    return replace(
        snapshot, answers=values["answers"], position=snapshot.position or RESULTS,
        critiques=tuple(values["critiques"]), relaxations=tuple(values["relaxations"]),
    )  # fmt: skip


def _values(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "questionnaire_version": snapshot.questionnaire_version, "answers": dict(snapshot.answers),
        "position": snapshot.position, "locale": snapshot.locale,
        "critiques": [dict(item) for item in snapshot.critiques],
        "relaxations": [dict(item) for item in snapshot.relaxations], "viewed": list(snapshot.viewed),
        "compared": list(snapshot.compared), "run": snapshot.run or None, "completed": snapshot.completed,
        "rated": list(snapshot.rated), "product": snapshot.product or None,
    }  # fmt: skip


def create(
    engine: Engine,
    session: AdviceSession,
    *,
    store_id: str | None,
    kiosk_id: str | None = None,
    consent: bool = False,
    origin: str = "kiosk",
    lifetime: timedelta = SESSION_LIFETIME,
) -> Record:
    """Store a session under a fresh resume code, with its whole snapshot."""
    snapshot = session.snapshot()
    moment = datetime.now(UTC)
    stored = create_session(
        engine, questionnaire_id=snapshot.questionnaire_id, questionnaire_version=snapshot.questionnaire_version,
        answers=snapshot.answers, locale=snapshot.locale, store_id=store_id, kiosk_id=kiosk_id, consent=consent,
        position=snapshot.position, origin=origin, lifetime=lifetime, now=moment,
        columns={**_values(snapshot), "version": 1},
    )  # fmt: skip
    session.saved(1)
    # What was written, as a read would give it (one INSERT, no UPDATE or SELECT after it).
    stored_snapshot = _record_values(snapshot)
    return Record(
        stored.id, stored.resume_code, stored_snapshot, 1, consent, stored.expires_at, moment, store_id=store_id,
        kiosk_id=kiosk_id, origin=origin,
    )  # fmt: skip


def save(
    engine: Engine, session_id: str, session: AdviceSession, *, now: datetime | None = None,
    expires_at: datetime | None = None, deadline: float | None = None,
) -> int:  # fmt: skip
    """Write the session if the stored one is still at the version it read; else rebase on it and try again.

    Returns the new version. SessionGone when the stored session was purged meanwhile. With `expires_at` the
    write moves the session's expiry too. It may wait (a busy database is tried again, until `deadline`, a
    `time.monotonic()` time, when given): never call it on a GUI thread.
    """
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            time.sleep(random.uniform(0, 0.002 * attempt))  # two writers in lockstep: let one of them through
        applied, snapshot, version = len(session.pending), session.snapshot(), session.version
        attempt_write = partial(write, engine, session_id, snapshot, version, now=now, expires_at=expires_at)
        if retrying(attempt_write, attempts=BUSY_ATTEMPTS, pause=0.1, deadline=deadline):
            session.saved(version + 1, applied=applied)
            return session.version
        record = retrying(
            lambda: read(engine, session_id, now=now), attempts=BUSY_ATTEMPTS, pause=0.1, deadline=deadline
        )
        if record is None:
            raise SessionGone("this advice session has expired or was deleted")
        session.rebase(record.snapshot, record.version)
    raise SessionError(f"advice session {session_id} kept changing under this write; try again")


def save_at_once(
    engine: Engine, session_id: str, session: AdviceSession, *, now: datetime | None = None,
    expires_at: datetime | None = None, unread: Record | None = None, snapshot: Snapshot | None = None,
) -> int | None:  # fmt: skip
    """One try of `save` that neither retries nor sleeps: the new version; None when the stored session moved on
    meanwhile (`save` rebases on it), or, with `unread`, when it is not as that record says (see `write`). A busy
    database raises its OperationalError, with nothing written. `snapshot`: the session's, as the caller just took
    it (`session.snapshot()`, not taken again)."""
    applied, version = len(session.pending), session.version
    snapshot = snapshot if snapshot is not None else session.snapshot()
    if not write(engine, session_id, snapshot, version, now=now, expires_at=expires_at, unread=unread):
        return None
    session.saved(version + 1, applied=applied)
    return session.version


def write(
    engine: Engine, session_id: str, snapshot: Snapshot, expected: int, *, now: datetime | None = None,
    expires_at: datetime | None = None, unread: Record | None = None,
) -> bool:  # fmt: skip
    """Store the snapshot as version `expected + 1` if the stored session is still at `expected`.

    `unread`: the writer's record of the session was not read for this write but kept from before (a server's
    warm session): the write also holds only while the session has not expired and its consent is the record's,
    what changes without a new version (the expiry it writes follows from the consent). So a write needs no read
    before it; when it changes nothing, the writer reads the session and finds out why."""
    moment = now or datetime.now(UTC)
    values = {**_values(snapshot), "version": expected + 1, "updated_at": moment}
    if expires_at is not None:
        values["expires_at"] = expires_at
    assert values.keys() <= {*WRITTEN, "expires_at"}, "a column of the snapshot the UPDATE does not write"
    bound = {f"v_{column}": value for column, value in values.items()}
    bound |= {"b_id": session_id, "b_expected": expected}
    if unread is not None:
        bound |= {"b_now": moment, "b_consent": unread.consent}
    key = (expires_at is not None, unread is not None)
    statement = prepared(engine, ("session-write", *key), lambda: _write_statement(*key))
    return statement.count(bound, notify=(CHANNEL, session_id)) == 1


def end(engine: Engine, session_id: str, *, now: datetime | None = None) -> None:
    """The shopper started over: the session expires now, so no device opens it again; the purge deletes it. A
    session with an appointment still ahead stays until that appointment has ended (not for its usual retention):
    the shopper checks in with its code."""
    statement = prepared(engine, "session-end", _end_statement)
    statement.count({"b_id": session_id, "v_expires_at": now or datetime.now(UTC)}, notify=(CHANNEL, session_id))


def _end_statement() -> Any:
    moment = sa.bindparam("v_expires_at", type_=SESSION.c.expires_at.type)
    coming_end = (
        sa.select(sa.func.max(APPOINTMENT.c.ends_at))
        .where(
            APPOINTMENT.c.session_id == sa.bindparam("b_id"),
            APPOINTMENT.c.state.in_([sa.literal_column(f"'{state}'") for state in COMING]),
            APPOINTMENT.c.ends_at > moment,
        )
        .scalar_subquery()
    )
    until = sa.func.coalesce(coming_end, moment, type_=SESSION.c.expires_at.type)
    return (
        SESSION.update()
        .where(SESSION.c.id == sa.bindparam("b_id"), SESSION.c.expires_at > until)
        .values(expires_at=until)
    )
