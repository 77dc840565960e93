"""What a device following a handoff shows, read in one go off the GUI thread: the request's state, the place
in the queue, the expected wait, the chat and the stored session (a staff member may have changed answers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from advisor.handoff.chat import Message, messages
from advisor.handoff.requests import OPEN_STATES, State, estimated_wait, expire_waiting, left_by, queue, request_state
from advisor.handoff.staff import available
from advisor.session import store


@dataclass(frozen=True)
class RequestView:
    """A handoff request as the shopper's screen shows it."""

    state: str | None  # None: the request is gone
    claimed_by: str | None
    position: int | None  # in the queue while waiting (1 = next)
    wait: timedelta | None
    messages: tuple[Message, ...]
    record: store.Record | None  # the stored session now
    left_by: str | None = None  # claimed by a colleague who has signed out since: it waits for the next one
    team_away: bool = False  # left so, and nobody at a console now: the shopper is told when the team is back

    @property
    def open(self) -> bool:
        return self.state in OPEN_STATES


def request_view(
    engine: Engine, request_id: int, session_id: str | None, *, store_id: str | None, chat: bool,
    unclaimed_after: timedelta | None = None, now: datetime | None = None,
) -> RequestView:  # fmt: skip
    """Everything the waiting shopper's screen needs, in a few short queries. A request nobody claimed within
    `unclaimed_after` expires here, as the shopper looks (not only at the next purge): they are told nobody came.
    One whose colleague has signed out since is `left_by` them: the shopper is told it waits for the next colleague
    (`team_away`: nobody is at a console now), not that the colleague is still with them."""
    found = request_state(engine, request_id)
    state, claimed_by = found if found is not None else (None, None)
    position = wait = None
    if state == State.REQUESTED:
        moment = now or datetime.now(UTC)
        since = moment - unclaimed_after if unclaimed_after is not None else None
        waiting = queue(engine, store_id=store_id)
        entry = next((e for e in waiting if e.request_id == request_id), None)
        if entry is not None and unclaimed_after is not None and entry.requested_at < moment - unclaimed_after:
            expired = expire_waiting(engine, older_than=unclaimed_after, now=moment, request_id=request_id)
            state = State.EXPIRED if expired else state
        if state == State.REQUESTED:
            # Ahead of them: who still waits; a request nobody claimed in time is no longer in anyone's way.
            ahead = [e for e in waiting if entry is not None and e.position < entry.position
                     and (since is None or e.requested_at >= since)]  # fmt: skip
            position = len(ahead) + 1
            wait = estimated_wait(engine)
    left = left_by(engine, request_id, now=now) if state == State.CLAIMED else None
    away = left is not None and not available(engine, now=now)
    lines = tuple(messages(engine, request_id)) if chat else ()
    record = store.read(engine, session_id) if session_id is not None else None
    return RequestView(state, claimed_by, position, wait, lines, record, left, away)
