"""Requests whose shopper has left the kiosk without the kiosk saying so (it lost power or crashed).

A kiosk ends its shopper's open request when the idle wipe clears the screen (`chat.shopper_left`). A kiosk that
dies first cannot: the request would wait first in the queue until it expires (a claimed one never does), and the
next shopper at that kiosk would be number 2 behind nobody. So a kiosk ends, at its start, the requests still open
that a shopper asked for at this kiosk before it started.

Which requests are this kiosk's is read from the request: the kiosk it was asked at (a session resumed by its
code on another kiosk asks from there). Two kiosks must never end each other's requests: only requests asked for
at this kiosk of this store (channel "kiosk", not a chat taken to the phone), before this kiosk started.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.db.prepared import reading
from advisor.handoff.chat import shopper_left
from advisor.handoff.requests import KIOSK, OPEN_STATES, REQUEST, InTransaction


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
        .where(
            REQUEST.c.state.in_(OPEN_STATES),
            REQUEST.c.channel == KIOSK,
            REQUEST.c.requested_at < now,
            REQUEST.c.kiosk_id == kiosk_id,
        )
        .order_by(REQUEST.c.id)
    )
    if store_id is not None:  # (kiosks in two stores of a chain may share a name: "kiosk-eingang")
        query = query.where(REQUEST.c.store_id == store_id)
    with reading(engine) as connection:
        found = [int(row) for row in connection.execute(query).scalars()]
    # One by one, each in its own transaction: a request taken to the phone or ended meanwhile is left as it is.
    return [request_id for request_id in found if shopper_left(engine, request_id, in_transaction=in_transaction)]
