"""Requests whose shopper has left the kiosk without the kiosk saying so (it lost power or crashed).

A kiosk ends its shopper's open request when the idle wipe clears the screen (`chat.shopper_left`). A kiosk that
dies first cannot: the request would wait first in the queue until it expires (a claimed one never does), and the
next shopper at that kiosk would be number 2 behind nobody. So a kiosk ends, at its start, the requests still open
that a shopper asked for at this kiosk before it started.

Which requests are this kiosk's is read from the session: `kiosk_id` is where the session was stored first, and
`asked_here` moves it to the kiosk a shopper asks at (a session resumed by its code on another kiosk asks from
there). Two kiosks must never end each other's requests: only requests asked for at a kiosk (channel "kiosk", not a
chat taken to the phone), of a session of this store and this kiosk, asked for before this kiosk started.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.db.prepared import reading
from advisor.handoff.chat import shopper_left
from advisor.handoff.model import AdviceSession
from advisor.handoff.requests import KIOSK, OPEN_STATES, REQUEST, InTransaction

_SESSION = AdviceSession.__table__  # type: ignore[attr-defined]


def asked_here(engine: Engine, request_id: int, *, kiosk_id: str) -> None:
    """The shopper asked for a person at this kiosk: their session is this kiosk's now (a session stored at another
    kiosk and resumed here by its code would otherwise be ended by that kiosk's next start)."""
    if not kiosk_id:
        return
    session_id = sa.select(REQUEST.c.session_id).where(REQUEST.c.id == request_id).scalar_subquery()
    with engine.begin() as connection:
        connection.execute(
            _SESSION.update()
            .where(_SESSION.c.id == session_id, sa.or_(_SESSION.c.kiosk_id.is_(None), _SESSION.c.kiosk_id != kiosk_id))
            .values(kiosk_id=kiosk_id)
        )


def left_at_start(
    engine: Engine,
    kiosk_id: str,
    now: datetime,
    *,
    store_id: str | None = None,
    in_transaction: InTransaction | None = None,
) -> list[int]:
    """End, as `chat.shopper_left` ends them (cancelled, the chat's system line, `in_transaction` for the insights),
    the requests still open that a shopper asked for at this kiosk before `now` (when the kiosk started: a shopper
    at it since then is not touched); returns their ids. Nothing without a kiosk name."""
    if not kiosk_id:
        return []
    query = (
        sa.select(REQUEST.c.id)
        .join(_SESSION, _SESSION.c.id == REQUEST.c.session_id)
        .where(
            REQUEST.c.state.in_(OPEN_STATES),
            REQUEST.c.channel == KIOSK,
            REQUEST.c.requested_at < now,
            _SESSION.c.kiosk_id == kiosk_id,
        )
        .order_by(REQUEST.c.id)
    )
    if store_id is not None:  # (kiosks in two stores of a chain may share a name: "kiosk-eingang")
        query = query.where(_SESSION.c.store_id == store_id)
    with reading(engine) as connection:
        found = [int(row) for row in connection.execute(query).scalars()]
    # One by one, each in its own transaction: a request taken to the phone or ended meanwhile is left as it is.
    return [request_id for request_id in found if shopper_left(engine, request_id, in_transaction=in_transaction)]
