"""A shopper with a booked appointment arrives: their resume code, typed at the counter or at a kiosk, opens their
advice session, and that session's appointment in this store today is checked in.

Here, not in `advisor.appointments`: the code belongs to the handoff layer and the appointment to its sibling, and
only a layer above both (this one) may join them (see the import-linter contracts in pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy.engine import Engine

from advisor.appointments.agenda import Entry
from advisor.appointments.booking import (
    Standing,
    check_in_opens,
    check_in_session,
    details,
    next_start,
    session_standing,
)
from advisor.appointments.slots import local_day
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
    # The consultant can come: works now (not off sick or gone) and the shopper is not `late`; else the team is told,
    # not a name (every surface picks its words by this alone).
    staff_here: bool = True
    late: bool = False  # arrived too late for the consultant to be waiting (`arrived_late`): staff are told so
    checked_in_at: datetime | None = None  # when (on the store's clock): how late, for staff


def arrived_late(*, starts_at: datetime, ends_at: datetime, arrived_at: datetime, next_starts: datetime | None) -> bool:
    """Whether a shopper arriving at `arrived_at` is too late for their consultant to be waiting for them: the
    consultant's next appointment (`next_starts`) has begun, or more than half of the booked length is over (what is
    left is too short to advise in, and the consultant has likely gone back to the floor). Then the shopper hears
    that the team knows and someone comes as soon as they can, not that the consultant comes, and staff see that
    they came late. Every surface says it from this one rule."""
    if arrived_at <= starts_at:
        return False
    if next_starts is not None and next_starts <= arrived_at:
        return True
    return arrived_at - starts_at > (ends_at - starts_at) / 2


def minutes_late(starts_at: datetime, arrived_at: datetime) -> int:
    """How many whole minutes after the start a shopper arrived (0 when on time or early): what staff are told."""
    return max(0, (arrived_at - starts_at) // timedelta(minutes=1))


def came_late(engine: Engine, entry: Entry) -> bool:
    """Whether a listed appointment was checked in too late for its consultant (`arrived_late`): the shopper's phone
    then says the team comes, as the kiosk did, and the console's sheet says how late."""
    if entry.state != "checked_in" or entry.checked_in_at is None:
        return False
    return arrived_late(starts_at=entry.starts_at, ends_at=entry.ends_at, arrived_at=entry.checked_in_at,
                        next_starts=next_start(engine, appointment_id=entry.appointment_id))  # fmt: skip


# Why a typed code checked nobody in: the shopper's appointment here is checked in already, today's is not due yet
# (more than CHECK_IN_EARLY ahead), theirs is on a later day, today's was marked a no-show, or they have none.
Reason = Literal["checked_in", "not_due", "later_day", "no_show", "none"]


@dataclass(frozen=True)
class NotCheckedIn:
    """Why a typed code checked nobody in, read from the database (not from a screen's list), with what each
    surface says of it: the appointment meant (none for "none"), when it starts, for whom and with whom."""

    reason: Reason
    appointment_id: str | None = None
    name: str = ""  # the customer, as booked
    starts_at: datetime | None = None  # on the store's clock
    staff_name: str = ""
    since: datetime | None = None  # "checked_in": when it was checked in (on the store's clock)
    opens: datetime | None = None  # "not_due": from when it can be checked in (on the store's clock)
    staff_here: bool = True  # "checked_in": whether the consultant works now (as CheckedIn.staff_here)
    late: bool = False  # "checked_in": whether they had checked in too late (as CheckedIn.late)


NOBODY = NotCheckedIn("none")


@dataclass(frozen=True)
class Arrival:
    """Whose code was typed (their advice session) and the appointment it checked in, if any; else why not."""

    session_id: str  # "" when staff checked in a booking without an advice session
    code: str  # the resume code as shown (ABCD-2345)
    questionnaire_id: str
    checked_in: CheckedIn | None
    why: NotCheckedIn | None = None  # when checked_in is None: why nobody was checked in

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
    late = arrived_late(starts_at=found.starts_at, ends_at=found.ends_at, arrived_at=moment,
                        next_starts=next_start(engine, appointment_id=found.appointment_id))  # fmt: skip
    return CheckedIn(found.appointment_id, found.starts_at.astimezone(zone), found.staff_name,
                     staff_here=schedule.working(moment, zone) and not late, late=late,
                     checked_in_at=moment.astimezone(zone))  # fmt: skip


def check_in_by_code(engine: Engine, *, config: Config, code: str, client: str, now: datetime | None = None) -> Arrival:
    """The shopper behind a typed resume code has arrived: their appointment today is checked in; else the answer
    says why nobody was (`Arrival.why`, from the database: every surface says it from this one answer). Wrong codes
    count against the typing device (`client`) like any other (InvalidCode, HandoffError, TooManyAttempts)."""
    moment = now or datetime.now(UTC)
    stored = open_by_code(engine, code, client=client, in_store=True, now=moment)
    checked = check_in_today(engine, config=config, session_id=stored.id, now=moment)
    why = None
    if checked is None:
        standing = session_standing(engine, config=config, session_id=stored.id, now=moment)
        why = why_not(config, standing, moment)
        if why.reason == "checked_in" and why.starts_at is not None:
            schedule = schedule_of(engine, staff_name=why.staff_name, since=local_day(moment, config.store.zone))
            late = _was_late(engine, why)
            why = replace(why, staff_here=schedule.working(moment, config.store.zone) and not late, late=late)
    return Arrival(stored.id, shown(stored.resume_code), stored.questionnaire_id, checked, why)


def _was_late(engine: Engine, why: NotCheckedIn) -> bool:
    """Whether an appointment checked in before (said again to a code typed twice) was checked in too late."""
    found = details(engine, appointment_id=why.appointment_id) if why.appointment_id is not None else None
    if found is None or why.since is None:
        return False
    return arrived_late(starts_at=found.starts_at, ends_at=found.ends_at, arrived_at=why.since,
                        next_starts=next_start(engine, appointment_id=found.appointment_id))  # fmt: skip


def why_not(config: Config, standing: Sequence[Standing], now: datetime) -> NotCheckedIn:
    """Why an arrival at `now` checked none of these appointments (an advice session's, from today on) in. Of today's
    checked in and booked ones, the one nearest to now (as the check-in chooses): checked in already (since when), or
    not due yet (from when it is); else the first booked on a later day; else today's last marked a no-show; else
    none."""
    zone = config.store.zone
    today = local_day(now, zone)

    def said(reason: Reason, found: Standing) -> NotCheckedIn:
        starts = found.starts_at.astimezone(zone)
        return NotCheckedIn(
            reason, found.appointment_id, found.name, starts, found.staff_name,
            since=found.checked_in_at.astimezone(zone) if reason == "checked_in" and found.checked_in_at else None,
            opens=check_in_opens(config, found.starts_at) if reason == "not_due" else None,
        )  # fmt: skip

    todays = [found for found in standing if local_day(found.starts_at, zone) == today]
    live = [found for found in todays if found.state in ("booked", "checked_in", "done")]
    if live:
        nearest = min(live, key=lambda found: abs(found.starts_at - now))
        return said("not_due" if nearest.state == "booked" else "checked_in", nearest)
    later = [found for found in standing if found.state == "booked" and local_day(found.starts_at, zone) > today]
    if later:
        return said("later_day", min(later, key=lambda found: found.starts_at))
    missed = [found for found in todays if found.state == "no_show"]
    if missed:
        return said("no_show", max(missed, key=lambda found: found.starts_at))
    return NOBODY
