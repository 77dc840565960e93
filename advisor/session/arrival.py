"""A shopper with a booked appointment arrives: their resume code, typed at the counter or at a kiosk, opens their
advice session, and that session's appointment in this store today is checked in.

Here, not in `advisor.appointments`: the code belongs to the handoff layer and the appointment to its sibling, and
only a layer above both (this one) may join them (see the import-linter contracts in pyproject.toml).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from advisor.appointments.booking import check_in_session, details
from advisor.appointments.staff import schedule_of
from advisor.config import Config
from advisor.handoff.codes import shown
from advisor.handoff.sessions import open_by_code


@dataclass(frozen=True)
class CheckedIn:
    """An appointment just checked in: when it starts (on the store's clock) and with whom."""

    appointment_id: str
    starts_at: datetime
    staff_name: str
    staff_here: bool = True  # the consultant works now (else: off sick or gone, so the team is told, not a name)


@dataclass(frozen=True)
class Arrival:
    """Whose code was typed (their advice session) and the appointment it checked in, if any."""

    session_id: str  # "" when staff checked in a booking without an advice session
    code: str  # the resume code as shown (ABCD-2345)
    questionnaire_id: str
    checked_in: CheckedIn | None

    @property
    def appointment_id(self) -> str | None:
        return self.checked_in.appointment_id if self.checked_in is not None else None


def check_in_today(engine: Engine, *, config: Config, session_id: str, now: datetime | None = None) -> CheckedIn | None:
    """Check in the advice session's booked appointment in this store today (the one nearest to now): when and with
    whom it is (and whether they work now), or None when the session has none (or it is checked in already)."""
    appointment_id = check_in_session(engine, config=config, session_id=session_id, now=now)
    found = details(engine, appointment_id=appointment_id) if appointment_id is not None else None
    if found is None:
        return None
    moment = now or datetime.now(UTC)
    zone = config.store.zone
    schedule = schedule_of(engine, staff_name=found.staff_name, since=moment.astimezone(zone).date())
    return CheckedIn(found.appointment_id, found.starts_at.astimezone(zone), found.staff_name,
                     staff_here=schedule.working(moment, zone))  # fmt: skip


def check_in_by_code(engine: Engine, *, config: Config, code: str, client: str, now: datetime | None = None) -> Arrival:
    """The shopper behind a typed resume code has arrived: their appointment today is checked in. Wrong codes count
    against the typing device (`client`) like any other (InvalidCode, HandoffError, TooManyAttempts)."""
    moment = now or datetime.now(UTC)
    stored = open_by_code(engine, code, client=client, in_store=True, now=moment)
    checked = check_in_today(engine, config=config, session_id=stored.id, now=moment)
    return Arrival(stored.id, shown(stored.resume_code), stored.questionnaire_id, checked)
