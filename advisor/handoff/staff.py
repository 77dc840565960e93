"""Staff members who sign in to the console with a name and a PIN (stored as a salted scrypt hash)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.db.prepared import reading
from advisor.handoff.model import StaffMember
from advisor.handoff.notify import notify

STAFF = StaffMember.__table__  # type: ignore[attr-defined]
_N, _R, _P = 2**14, 8, 1


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


def sign_in(engine: Engine, name: str, pin: str) -> bool:
    """Whether the name and PIN belong together."""
    with reading(engine) as connection:
        stored = connection.execute(sa.select(STAFF.c.pin_hash).where(STAFF.c.name == name)).scalar()
    return stored is not None and pin_matches(pin, stored)


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
