"""How long appointments keep what they know of a shopper: the name, the contact, the notes and the link to the
advice session are forgotten a configured number of days after the appointment ended; the anonymous rest (when,
for what, with whom, whether the shopper came) stays for the insights' period and is then deleted too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

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
        ended = sa.select(APPOINTMENT.c.id).where(APPOINTMENT.c.ends_at < personal_end)
        connection.execute(APPOINTMENT_HOLD.delete().where(APPOINTMENT_HOLD.c.appointment_id.in_(ended)))
        connection.execute(APPOINTMENT_TOKEN.delete().where(APPOINTMENT_TOKEN.c.appointment_id.in_(ended)))
        forgotten = connection.execute(
            APPOINTMENT.update()
            .where(APPOINTMENT.c.ends_at < personal_end, APPOINTMENT.c.name != "")
            .values(name="", contact="", notes="", session_id=None, reminder_due_at=None, updated_at=moment)
        ).rowcount
        connection.execute(
            APPOINTMENT.delete().where(
                APPOINTMENT.c.ends_at < moment - timedelta(days=max(anonymous_days, personal_days))
            )
        )
    return int(forgotten)
