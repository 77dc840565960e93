"""The reminders the day before, queued in the appointment rows themselves (`reminder_due_at`), so they survive
restarts: a sender claims a due reminder with one conditional UPDATE (no two senders send it, each claim counts an
attempt), and marks it sent. Moving the appointment queues a reminder for the new time afresh (no attempt yet), which
marking the claim of the old one sent leaves due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.appointments.tables import APPOINTMENT
from advisor.db.prepared import reading

CLAIM = timedelta(minutes=5)  # a reminder claimed by a sender that died is due again after this
MAX_ATTEMPTS = 6
BATCH = 20


@dataclass(frozen=True)
class Reminder:
    """A reminder claimed for sending."""

    appointment_id: str
    contact: str
    name: str
    locale: str
    starts_at: datetime  # UTC
    attempt: int


def claim_due(engine: Engine, *, now: datetime | None = None) -> list[Reminder]:
    """Claim the reminders that are due (at most BATCH) for this sender; each is then not due for CLAIM."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with reading(engine) as connection:
        due = connection.execute(
            sa.select(APPOINTMENT.c.id, APPOINTMENT.c.reminder_due_at, APPOINTMENT.c.reminder_attempts)
            .where(APPOINTMENT.c.reminder_due_at <= moment, APPOINTMENT.c.state == "booked")
            .order_by(APPOINTMENT.c.reminder_due_at)
            .limit(BATCH)
        ).all()
    claimed: list[Reminder] = []
    for appointment_id, due_at, attempts in due:
        with engine.begin() as connection:
            taken = connection.execute(
                APPOINTMENT.update()
                .where(
                    APPOINTMENT.c.id == appointment_id,
                    APPOINTMENT.c.reminder_due_at == due_at,
                    APPOINTMENT.c.reminder_attempts == attempts,
                )
                .values(reminder_due_at=moment + CLAIM, reminder_attempts=attempts + 1)
            ).rowcount
            row = connection.execute(sa.select(APPOINTMENT).where(APPOINTMENT.c.id == appointment_id)).first()
        if taken and row is not None:
            starts_at = row.starts_at if row.starts_at.tzinfo else row.starts_at.replace(tzinfo=UTC)
            claimed.append(
                Reminder(
                    appointment_id=row.id, contact=row.contact, name=row.name, locale=row.locale,
                    starts_at=starts_at.astimezone(UTC), attempt=attempts + 1,
                )
            )  # fmt: skip
    return claimed


def sent(engine: Engine, *, appointment_id: str, now: datetime | None = None) -> None:
    """The reminder claimed went out (or was given up): it leaves the queue. Only while that claim stands: a move
    since (`booking.reschedule_by_id`) queued a reminder for the new time with no attempt made yet, which stays due
    (the one sent named the old time)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with engine.begin() as connection:
        connection.execute(
            APPOINTMENT.update()
            .where(APPOINTMENT.c.id == appointment_id, APPOINTMENT.c.reminder_attempts > 0)
            .values(reminder_due_at=None, reminded_at=moment)
        )
