"""What a device following a handoff shows, read in one go off the GUI thread: the request's state, the place
in the queue, the expected wait, the chat and the stored session (a staff member may have changed answers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.engine import Engine

from advisor.handoff.chat import Message, messages
from advisor.handoff.requests import OPEN_STATES, State, estimated_wait, queue, request_state
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

    @property
    def open(self) -> bool:
        return self.state in OPEN_STATES


def request_view(
    engine: Engine, request_id: int, session_id: str | None, *, store_id: str | None, chat: bool
) -> RequestView:
    """Everything the waiting shopper's screen needs, in a few short queries."""
    found = request_state(engine, request_id)
    state, claimed_by = found if found is not None else (None, None)
    position = wait = None
    if state == State.REQUESTED:
        position = next((e.position for e in queue(engine, store_id=store_id) if e.request_id == request_id), 1)
        wait = estimated_wait(engine)
    lines = tuple(messages(engine, request_id)) if chat else ()
    record = store.read(engine, session_id) if session_id is not None else None
    return RequestView(state, claimed_by, position, wait, lines, record)
