"""The anonymous event log: what happened in advice runs, as ids and numbers, written off the caller's thread.

No event carries personal data or free text: a run is a random key (the web derives it from the session id
by a one-way hash, and sessions are deleted long before events), answers are option ids, products are SKUs.
"""

from __future__ import annotations

import csv
import json
import queue
import secrets
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from advisor.config import StoreConfig
from advisor.db.prepared import prepared
from advisor.db.retry import short_reason
from advisor.handoff.model import AdviceSession, HandoffRequest
from advisor.insights.model import AdviceEvent, FeedbackComment

EVENT = AdviceEvent.__table__  # type: ignore[attr-defined]
COMMENT = FeedbackComment.__table__  # type: ignore[attr-defined]
_REQUEST = HandoffRequest.__table__  # type: ignore[attr-defined]
_SESSION = AdviceSession.__table__  # type: ignore[attr-defined]

KINDS = (
    "started", "step_shown", "step_answered", "back", "results_shown", "relaxation_offered", "relaxation_applied",
    "critique_used", "product_viewed", "handoff_requested", "handoff_claimed", "handoff_cancelled", "completed",
    "abandoned", "feedback", "service_outcomes",
)  # fmt: skip
MAX_COMMENT = 500
MAX_COMMENT_ID = 2**31 - 1  # a comment's random id: an INTEGER column on PostgreSQL too
COMMENT_ID_ATTEMPTS = 5
STORE_ZONE = ZoneInfo(StoreConfig.model_fields["timezone"].default)  # [store] timezone when it is not set
WRITE_ATTEMPTS = 3  # a batch is tried this often before its events are kept for later (`EventLog.unwritten`)
RETRY_PAUSE_S = 0.5
# Events that could not be written (the database unreachable) are kept in memory, up to this many per process (the
# oldest dropped beyond, and counted), and written with the next batch, or after UNWRITTEN_RETRY_S without one.
MAX_UNWRITTEN = 10_000
UNWRITTEN_RETRY_S = 30.0
# The writer gathers what arrives this long after an event into one transaction: a busy web server records an
# event or two per request, and one commit per event would cost more than the requests themselves.
BATCH_WAIT_S = 0.5
SCALES = {"grades": (1, 6), "stars": (1, 5)}


class EventError(ValueError):
    """An event that must not be logged (unknown kind, free text where an id belongs)."""


@dataclass(frozen=True)
class Event:
    """One event as stored and read back."""

    kind: str
    questionnaire_id: str
    at: datetime
    run: str | None = None
    questionnaire_version: str = ""
    channel: str = "kiosk"
    store_id: str | None = None
    step_id: str | None = None
    value: Any = None
    number: float | None = None


def new_run() -> str:
    """A random key for one advice run (not a person: a new one for every shopper and every new start)."""
    return str(uuid.uuid4())


def _checked(event: Event) -> dict[str, Any]:
    if event.kind not in KINDS:
        raise EventError(f"unknown event kind {event.kind!r}")
    value = event.value
    if isinstance(value, str) and (len(value) > 64 or any(ch.isspace() for ch in value)):
        raise EventError(f"event {event.kind}: a value is an id, not text")
    return {
        "at": event.at, "run": event.run, "questionnaire_id": event.questionnaire_id,
        "questionnaire_version": event.questionnaire_version, "channel": event.channel, "store_id": event.store_id,
        "kind": event.kind, "step_id": event.step_id, "value": value, "number": event.number,
    }  # fmt: skip


# Each stored column with PostgreSQL's type of its array (varchar without a length: a value too long is refused by
# the column, not cut by the cast).
_ARRAYS = {
    "at": "timestamptz", "run": "varchar", "questionnaire_id": "varchar", "questionnaire_version": "varchar",
    "channel": "varchar", "store_id": "varchar", "kind": "varchar", "step_id": "varchar", "value": "json",
    "number": "float8",
}  # fmt: skip


def _unnest_statement() -> sa.TextClause:
    """PostgreSQL: a batch as one INSERT of one array per column (one statement the server prepares once, not one
    execution per event)."""
    arrays = ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in _ARRAYS.items())
    return sa.text(f"INSERT INTO advice_event ({', '.join(_ARRAYS)}) SELECT * FROM unnest({arrays})")


def write_events(engine: Engine, events: Sequence[Event]) -> None:
    """Store events at once (one transaction)."""
    rows = [_checked(event) for event in events]
    if not rows:
        return
    if engine.dialect.name == "postgresql":
        columns = {name: [row[name] for row in rows] for name in _ARRAYS}
        columns["value"] = [json.dumps(value) for value in columns["value"]]  # as the JSON column stores it
        # An array is of one type: the driver refuses a list of ints and floats.
        columns["number"] = [None if number is None else float(number) for number in columns["number"]]
        prepared(engine, "events-insert", _unnest_statement).count(columns)
        return
    with engine.begin() as connection:
        connection.execute(EVENT.insert(), rows)


def record_claim(connection: Connection, request_id: int, state: str) -> None:
    """The anonymous event of a claim: which questionnaire, how long the shopper waited; other changes are not logged.

    Passed to the handoff's `claim` as `in_transaction`, so the event is written in the claim's own transaction.
    """
    if state != "claimed":
        return
    row = connection.execute(
        sa.select(_REQUEST.c.requested_at, _REQUEST.c.claimed_at, _REQUEST.c.kind, _REQUEST.c.store_id,
                  _SESSION.c.questionnaire_id)
        .join(_SESSION, _SESSION.c.id == _REQUEST.c.session_id)
        .where(_REQUEST.c.id == request_id)
    ).first()  # fmt: skip
    if row is not None:
        claimed_at = _aware(row.claimed_at)
        connection.execute(
            EVENT.insert().values(
                at=claimed_at, run=None, questionnaire_id=row.questionnaire_id, questionnaire_version="",
                channel="staff", store_id=row.store_id, kind="handoff_claimed", step_id=None, value=row.kind,
                number=(claimed_at - _aware(row.requested_at)).total_seconds(),
            )
        )  # fmt: skip


def record_cancel(connection: Connection, request_id: int, state: str) -> None:
    """The anonymous event of a request the shopper withdrew: its run, which questionnaire, how many seconds after
    asking (the report leaves out requests withdrawn within seconds: a mistap is no need for staff).

    Passed to the handoff's `transition(..., Action.CANCEL)` as `in_transaction`, like `record_claim`.
    """
    if state != "cancelled":
        return
    row = connection.execute(
        sa.select(_REQUEST.c.requested_at, _REQUEST.c.finished_at, _REQUEST.c.kind, _REQUEST.c.store_id,
                  _SESSION.c.questionnaire_id, _SESSION.c.run, _SESSION.c.origin)
        .join(_SESSION, _SESSION.c.id == _REQUEST.c.session_id)
        .where(_REQUEST.c.id == request_id)
    ).first()  # fmt: skip
    if row is not None and row.finished_at is not None:
        finished_at = _aware(row.finished_at)
        connection.execute(
            EVENT.insert().values(
                at=finished_at, run=row.run, questionnaire_id=row.questionnaire_id, questionnaire_version="",
                channel=row.origin, store_id=row.store_id, kind="handoff_cancelled", step_id=None, value=row.kind,
                number=(finished_at - _aware(row.requested_at)).total_seconds(),
            )
        )  # fmt: skip


@dataclass
class EventLog:
    """Records events for one app: the caller never waits for the database, and a failure loses only events.

    A writer thread takes events from a queue and stores them in batches (what arrives within `BATCH_WAIT_S` of
    an event goes into its transaction). `flush()` waits until everything recorded so far is stored (tests,
    shutdown) without that wait, or kept for later.

    While the database cannot be reached, events are kept in memory (`unwritten`, at most `keep`: the oldest are
    dropped beyond, counted in `dropped`) and written, with their own times, by the next batch or a retry every
    UNWRITTEN_RETRY_S; the journal says so once per outage. What is still kept when the process ends is lost.
    """

    engine: Engine
    channel: str = "kiosk"
    store_id: str | None = None
    _queue: queue.Queue[Event | None] = field(default_factory=queue.Queue)
    _thread: threading.Thread | None = None
    _hurry: threading.Event = field(default_factory=threading.Event)  # set while someone waits in flush()
    dropped: int = 0
    keep: int = MAX_UNWRITTEN
    retry_s: float = UNWRITTEN_RETRY_S
    unwritten: deque[Event] = field(default_factory=deque)  # (only the writer thread changes it)
    _full_said: bool = False  # the journal said the oldest are dropped (once per outage)

    def record(
        self,
        kind: str,
        *,
        run: str | None,
        questionnaire_id: str,
        questionnaire_version: str = "",
        step_id: str | None = None,
        value: Any = None,
        number: float | None = None,
        at: datetime | None = None,
    ) -> None:
        event = Event(
            kind=kind, questionnaire_id=questionnaire_id, at=at or datetime.now(UTC), run=run,
            questionnaire_version=questionnaire_version, channel=self.channel, store_id=self.store_id,
            step_id=step_id, value=value, number=number,
        )  # fmt: skip
        _checked(event)  # refuse a bad event here, where the caller can see it
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._write, name="event-log", daemon=True)
            self._thread.start()
        self._queue.put(event)

    def _write(self) -> None:
        while True:
            batch: list[Event | None] = []
            try:
                batch.append(self._queue.get(timeout=self.retry_s if self.unwritten else None))
                self._hurry.wait(BATCH_WAIT_S)
            except queue.Empty:  # nothing new for a while: try again what is kept
                pass
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._store([event for event in batch if event is not None])
            for _ in batch:
                self._queue.task_done()

    def _store(self, new: list[Event]) -> None:
        """Write the events kept from before and `new` in one transaction; when it fails, keep them all."""
        kept = len(self.unwritten)
        events = [*self.unwritten, *new]
        if not events:
            return
        for attempt in range(WRITE_ATTEMPTS):
            try:
                write_events(self.engine, events)
            except Exception as error:  # noqa: BLE001 - insights must never break the advice
                if attempt + 1 < WRITE_ATTEMPTS:
                    time.sleep(RETRY_PAUSE_S * (attempt + 1))  # a busy file or a restarting server
                    continue
                self._keep(new, error, first=kept == 0)
                return
            if kept:
                self.unwritten.clear()
                self._full_said = False
                sys.stderr.write(f"advisor: {kept} insights events kept during the outage are written now\n")
                sys.stderr.flush()
            return

    def _keep(self, new: list[Event], error: Exception, *, first: bool) -> None:
        """Events that could not be written, kept for later (the oldest dropped beyond `keep`)."""
        if first and new:
            sys.stderr.write(
                f"advisor: insights events cannot be written ({short_reason(error)}); kept in memory (up to "
                f"{self.keep}) until the database answers again\n"
            )
        self.unwritten.extend(new)
        over = len(self.unwritten) - self.keep
        if over > 0:
            for _ in range(over):
                self.unwritten.popleft()
            self.dropped += over
            if not self._full_said:
                self._full_said = True
                sys.stderr.write(
                    f"advisor: more than {self.keep} insights events wait for the database: the oldest are dropped "
                    f"({self.dropped} dropped since start)\n"
                )
        sys.stderr.flush()

    def flush(self) -> None:
        """Wait until every recorded event is written (or, while the database cannot be reached, kept); events kept
        from before are tried once more."""
        self._hurry.set()
        try:
            if self.unwritten and self._thread is not None and self._thread.is_alive():
                self._queue.put(None)  # (wakes the writer: it tries the kept events again)
            self._queue.join()
        finally:
            self._hurry.clear()

    def close(self, timeout: float = 5.0) -> int:
        """At shutdown: wait up to `timeout` seconds for the events still queued; report and return how many
        could not be written (dropped before, or still waiting)."""
        waiter = threading.Thread(target=self.flush, name="event-log-flush", daemon=True)
        waiter.start()
        waiter.join(timeout)
        waiting = (self._queue.qsize() if waiter.is_alive() else 0) + len(self.unwritten)
        lost = self.dropped + waiting
        if lost:
            sys.stderr.write(f"advisor: {lost} insights events were not written ({waiting} still waiting at exit)\n")
        return lost


def leave_comment(
    engine: Engine,
    *,
    questionnaire_id: str,
    grade: int,
    scale: str,
    about: str,
    comment: str,
    now: datetime | None = None,
    zone: tzinfo = STORE_ZONE,
) -> bool:
    """An optional comment with a rating, kept apart from the events (no run key); False when it is empty.

    Nothing in it joins it to its rating's event (which carries the run): its time is only the day it was left, as
    the start of that day in the store's time `zone` (the day the report shows; never later than it was left; the
    configuration's default zone when not given), and
    its id is random, not the next number, so neither says which feedback event of that day it came with."""
    text = comment.strip()[:MAX_COMMENT]
    if not text:
        return False
    day = (now or datetime.now(UTC)).astimezone(zone).date()
    at = datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    attempts = 0
    while True:
        attempts += 1
        try:
            with engine.begin() as connection:
                connection.execute(
                    COMMENT.insert().values(
                        id=secrets.randbelow(MAX_COMMENT_ID) + 1, at=at, questionnaire_id=questionnaire_id,
                        about=about, grade=grade, scale=scale, comment=text,
                    )
                )  # fmt: skip
            return True
        except IntegrityError:  # that id was taken already (rare): another one
            if attempts >= COMMENT_ID_ATTEMPTS:
                raise


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read_events(engine: Engine, *, start: datetime | None = None, end: datetime | None = None) -> Iterator[Event]:
    """Events in order of time (and of writing), optionally from `start` (inclusive) to `end` (exclusive)."""
    query = sa.select(EVENT).order_by(EVENT.c.at, EVENT.c.id)
    if start is not None:
        query = query.where(EVENT.c.at >= start)
    if end is not None:
        query = query.where(EVENT.c.at < end)
    with engine.connect() as connection:
        for row in connection.execute(query):
            yield Event(
                kind=row.kind, questionnaire_id=row.questionnaire_id, at=_aware(row.at), run=row.run,
                questionnaire_version=row.questionnaire_version, channel=row.channel, store_id=row.store_id,
                step_id=row.step_id, value=row.value, number=row.number,
            )  # fmt: skip


def read_comments(
    engine: Engine, *, start: datetime | None = None, end: datetime | None = None
) -> list[Mapping[str, Any]]:
    """The feedback comments left from `start` (inclusive) to `end` (exclusive), oldest first."""
    query = sa.select(COMMENT).order_by(COMMENT.c.at, COMMENT.c.id)  # a day's in the order of their random ids
    if start is not None:
        query = query.where(COMMENT.c.at >= start)
    if end is not None:
        query = query.where(COMMENT.c.at < end)
    with engine.connect() as connection:  # `at` aware, in UTC (SQLite hands it back naive)
        return [{**row._mapping, "at": _aware(row.at)} for row in connection.execute(query)]


CSV_COLUMNS = ("at", "run", "questionnaire_id", "questionnaire_version", "channel", "store_id", "kind", "step_id",
               "value", "number")  # fmt: skip


def write_csv(events: Iterable[Event], out: TextIO, *, locale: str = "en", zone: tzinfo = UTC) -> int:
    """The events as CSV for a spreadsheet in the merchandiser's language; returns how many.

    German: `;` between cells and a decimal comma, as German Excel and LibreOffice read a CSV; English: `,` and a
    point. Times are the store's (`zone`) as "2026-11-05 00:22:12", which spreadsheets take for a date and time. A
    value is written plainly (a text as it is, a list as "a, b", a number answer in German with a decimal comma:
    "7,5"), anything else as JSON.
    """
    german = locale == "de"
    writer = csv.writer(out, delimiter=";" if german else ",")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for event in events:
        at = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)
        number = "" if event.number is None else f"{event.number:g}"
        writer.writerow([
            f"{at.astimezone(zone):%Y-%m-%d %H:%M:%S}", event.run or "", event.questionnaire_id,
            event.questionnaire_version, event.channel, event.store_id or "", event.kind, event.step_id or "",
            _plain(event.value, german=german), number.replace(".", ",") if german else number,
        ])  # fmt: skip
        count += 1
    return count


def _plain(value: Any, *, german: bool = False) -> str:
    """An event's value as a spreadsheet shows it: a text as it is, a list as "a, b", a mapping of plain values as
    "key: value, key: value" (a rating's "about: advice, scale: grades"), anything deeper as JSON. `german`: a
    number (a number step's answer, alone or in a list or mapping) with a decimal comma, "7,5", as German Excel
    reads it (a point would make 7.5 the 7th of May); a text, even one that looks like a number, stays as it is."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        return json.dumps(value).replace(".", ",") if german else json.dumps(value)
    if isinstance(value, list) and all(isinstance(item, str | int | float) for item in value):
        return ", ".join(_plain(item, german=german) for item in value)
    if isinstance(value, dict) and all(
        isinstance(item, str | int | float | bool) or item is None for item in value.values()
    ):
        return ", ".join(f"{key}: {_plain(item, german=german)}" for key, item in sorted(value.items()))
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def purge_events(engine: Engine, *, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete events and comments past their retention; returns how many events."""
    limit = (now or datetime.now(UTC)) - older_than
    with engine.begin() as connection:
        connection.execute(COMMENT.delete().where(COMMENT.c.at < limit))
        result = connection.execute(EVENT.delete().where(EVENT.c.at < limit))
    return int(result.rowcount)
