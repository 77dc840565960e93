"""How long appointments keep what they know of a shopper: the name, the contact, the notes and the link to the
advice session are forgotten a configured number of days after the appointment ended; the anonymous rest (when,
for what, with whom, whether the shopper came) stays for the insights' period and is then deleted too."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from advisor.appointments.tables import APPOINTMENT, APPOINTMENT_HOLD, APPOINTMENT_TOKEN
from advisor.db.prepared import reading

COMING = ("booked", "checked_in")  # an appointment still to be held (or being held)


def coming_ends(engine: Engine, *, now: datetime | None = None) -> dict[str, datetime]:
    """Advice sessions with an appointment that has not ended yet: session id -> the end of its last one (UTC)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with reading(engine) as connection:
        rows = connection.execute(
            sa.select(APPOINTMENT.c.session_id, sa.func.max(APPOINTMENT.c.ends_at))
            .where(
                APPOINTMENT.c.session_id.is_not(None),
                APPOINTMENT.c.state.in_(COMING),
                APPOINTMENT.c.ends_at > moment,
            )
            .group_by(APPOINTMENT.c.session_id)
        ).all()
    return {str(session_id): ends_at if ends_at.tzinfo else ends_at.replace(tzinfo=UTC) for session_id, ends_at in rows}


def purge_appointments(engine: Engine, *, personal_days: int, anonymous_days: int, now: datetime | None = None) -> int:
    """Forget the shopper in appointments that ended more than `personal_days` ago (their holds and links go too),
    and delete the anonymous rows that ended more than `anonymous_days` ago. Returns how many were forgotten."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    personal_end = moment - timedelta(days=personal_days)
    with engine.begin() as connection:
        forgotten = forget_shoppers(connection, sa.select(APPOINTMENT.c.id).where(APPOINTMENT.c.ends_at < personal_end),
                                    now=moment)  # fmt: skip
        connection.execute(
            APPOINTMENT.delete().where(
                APPOINTMENT.c.ends_at < moment - timedelta(days=max(anonymous_days, personal_days))
            )
        )
    return forgotten


def forget_shoppers(connection: Connection, chosen: sa.Select[Any] | Collection[str], *, now: datetime) -> int:
    """Forget the shopper of the `chosen` appointments (their ids, or a query of them): name, contact, notes, the
    products held and the links go; when, what and with whom stay (anonymous, for the figures). The one way for the
    retention purge and a customer's erasure (advisor.privacy_requests), in the caller's transaction. Returns how
    many still named a shopper."""
    ids = chosen if isinstance(chosen, sa.Select) else list(chosen)
    connection.execute(APPOINTMENT_HOLD.delete().where(APPOINTMENT_HOLD.c.appointment_id.in_(ids)))
    connection.execute(APPOINTMENT_TOKEN.delete().where(APPOINTMENT_TOKEN.c.appointment_id.in_(ids)))
    forgotten = connection.execute(
        APPOINTMENT.update()
        .where(APPOINTMENT.c.id.in_(ids), APPOINTMENT.c.name != "")
        .values(name="", contact="", notes="", session_id=None, reminder_due_at=None, updated_at=now)
    ).rowcount
    return int(forgotten or 0)
