"""Staff members who sign in to the console with a name and a PIN (stored as a salted scrypt hash).

Wrong PINs are limited per name in the database, as wrong resume codes are per client (advisor.handoff.limits,
table attempt_count): every console of every store on the database shares the count, and a restart clears nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.db.prepared import reading
from advisor.handoff import limits
from advisor.handoff.codes import TooManyAttempts
from advisor.handoff.model import StaffMember
from advisor.handoff.notify import notify

STAFF = StaffMember.__table__  # type: ignore[attr-defined]
_N, _R, _P = 2**14, 8, 1

# Wrong PINs per name (docs/staff.md, "Signing in"): 5 a day are answered at once; after the 5th the name waits
# 1 minute, after each further one twice as long as before (2, 4, 8 … minutes); the count starts again each day
# (midnight UTC; a wait carries on). Attempt n of a day comes 2^(n-5) - 1 minutes after the first at the earliest,
# so at most 15 a day (the 15th after 1,023 minutes, then a wait of 1,024 minutes, 17 hours): of the 10,000
# four-digit PINs a guesser tries at most 0.15 % a day, 4.5 % in 30 days, all of them only after 667 days. A right
# PIN gives back only its own attempt: it resets nothing, and no other name's count. A new PIN (`set_pin`) ends the
# name's wait.
# No store-wide budget: every sign-in comes from a console in the store, and, as for the codes those consoles type,
# such a budget would let anyone lock every colleague out.
WRONG_PINS_PER_NAME = limits.Backoff(free=5, first=timedelta(minutes=1), window=timedelta(days=1))


class TooManyWrongPins(TooManyAttempts):
    """Too many wrong PINs for a name: `seconds` until it may sign in again (even with the right PIN)."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.args = (f"too many wrong PINs for this name; try again in {seconds} s",)


def _pin_key(name: str) -> str:
    """The key a name's wrong PINs are counted under; spelt with other capitals or spaces, still the same name."""
    return limits.key("staff-pin", name.strip().casefold())


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of a PIN, as stored."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=_N, r=_R, p=_P)
    return hmac.compare_digest(candidate.hex(), digest)


def set_pin(engine: Engine, name: str, pin: str) -> None:
    """Add a staff member or change their PIN (at least 4 digits)."""
    if not name.strip():
        raise ValueError("a staff member needs a name")
    if not (pin.isdigit() and len(pin) >= 4):
        raise ValueError("a PIN has at least 4 digits")
    with engine.begin() as connection:
        updated = connection.execute(STAFF.update().where(STAFF.c.name == name).values(pin_hash=hash_pin(pin)))
        if updated.rowcount == 0:
            connection.execute(STAFF.insert().values(name=name, pin_hash=hash_pin(pin), created_at=datetime.now(UTC)))
        # Guesses at the old PIN tell nothing about the new one: the name's wrong PINs (and its wait) are forgotten.
        connection.execute(limits.COUNTS.delete().where(limits.COUNTS.c.key == _pin_key(name)))


@cache
def _no_member_hash() -> str:
    """A hash no PIN is checked against in earnest: an unknown name costs the same scrypt as a known one."""
    return hash_pin(secrets.token_hex(16))


def sign_in(engine: Engine, name: str, pin: str, *, now: datetime | None = None) -> bool:
    """Whether the name and PIN belong together; TooManyWrongPins while the name waits (whatever the PIN).

    Every sign-in counts as a wrong PIN of the name until it turns out right (then only that attempt is given
    back), so concurrent tries at several consoles cannot slip past the limit. Unknown names are counted alike, so
    a wait says nothing about whether a name exists.
    """
    taken = limits.take(engine, _pin_key(name), WRONG_PINS_PER_NAME, now=now)
    if taken.wait is not None:
        raise TooManyWrongPins(taken.wait)
    with reading(engine) as connection:
        stored = connection.execute(sa.select(STAFF.c.pin_hash).where(STAFF.c.name == name)).scalar()
    right = pin_matches(pin, stored if stored is not None else _no_member_hash()) and stored is not None
    if right:
        limits.give_back(engine, taken)
    return right


PRESENCE_WINDOW = timedelta(seconds=60)  # a console that reported within this is "available"


def report_presence(engine: Engine, name: str, *, now: datetime | None = None) -> None:
    """A signed-in console says it is there (every poll)."""
    with engine.begin() as connection:
        connection.execute(STAFF.update().where(STAFF.c.name == name).values(last_seen=now or datetime.now(UTC)))


def sign_out(engine: Engine, name: str, *, reported_at: datetime | None = None) -> None:
    """A console closes: kiosks stop offering chat and consultants at once, unless another console of the same
    staff member has reported since this one last did (`reported_at`; None: gone from every console). The other
    consoles wake up (a console that finds itself gone reports again at once, see `console_view`)."""
    which = STAFF.c.name == name
    if reported_at is not None:
        which = sa.and_(which, STAFF.c.last_seen <= reported_at)
    with engine.begin() as connection:
        connection.execute(STAFF.update().where(which).values(last_seen=None))
        notify(connection)


def available(engine: Engine, *, now: datetime | None = None) -> list[str]:
    """Staff whose console reported in recently: the kiosk offers chat and a consultant only then."""
    since = (now or datetime.now(UTC)) - PRESENCE_WINDOW
    with reading(engine) as connection:
        return list(
            connection.execute(
                sa.select(STAFF.c.name).where(STAFF.c.last_seen.is_not(None), STAFF.c.last_seen >= since)
            ).scalars()
        )
