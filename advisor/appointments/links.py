"""One-time links to move or cancel an appointment: 160 random bits each, stored only as SHA-256, used up by one
conditional UPDATE in the transaction that moves or cancels (so a failed move leaves the link usable)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from advisor.appointments.tables import APPOINTMENT_TOKEN

TOKEN_BYTES = 20
PURPOSES = ("reschedule", "cancel")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(connection: Connection, *, appointment_id: str, now: datetime) -> dict[str, str]:
    """A fresh pair of links (purpose -> token) for an appointment; the links issued before stop working."""
    retire(connection, appointment_id=appointment_id, now=now)
    return add(connection, appointment_id=appointment_id, now=now)


def add(connection: Connection, *, appointment_id: str, now: datetime) -> dict[str, str]:
    """Another pair of links for an appointment (the reminder's own); those issued before keep working until one of
    them moves or cancels it."""
    tokens = {purpose: secrets.token_urlsafe(TOKEN_BYTES) for purpose in PURPOSES}
    connection.execute(
        APPOINTMENT_TOKEN.insert(),
        [
            {"token_hash": _hash(token), "appointment_id": appointment_id, "purpose": purpose, "created_at": now}
            for purpose, token in tokens.items()
        ],
    )
    return tokens


def retire(connection: Connection, *, appointment_id: str, now: datetime) -> None:
    """Every unused link of an appointment stops working."""
    connection.execute(
        APPOINTMENT_TOKEN.update()
        .where(APPOINTMENT_TOKEN.c.appointment_id == appointment_id, APPOINTMENT_TOKEN.c.used_at.is_(None))
        .values(used_at=now)
    )


def redeem(connection: Connection, *, token: str, purpose: str, now: datetime) -> str | None:
    """Use up a link: the appointment's id, or None when the link is unknown, used or for another purpose."""
    hashed = _hash(token)
    used = connection.execute(
        APPOINTMENT_TOKEN.update()
        .where(
            APPOINTMENT_TOKEN.c.token_hash == hashed,
            APPOINTMENT_TOKEN.c.purpose == purpose,
            APPOINTMENT_TOKEN.c.used_at.is_(None),
        )
        .values(used_at=now)
        .returning(APPOINTMENT_TOKEN.c.appointment_id)
    ).scalar()
    return used


def peek(connection: Connection, *, token: str, purpose: str) -> str | None:
    """The appointment an unused link is for, without using it up (the page that offers the move); None if none."""
    found = connection.execute(
        sa.select(APPOINTMENT_TOKEN.c.appointment_id).where(
            APPOINTMENT_TOKEN.c.token_hash == _hash(token),
            APPOINTMENT_TOKEN.c.purpose == purpose,
            APPOINTMENT_TOKEN.c.used_at.is_(None),
        )
    ).scalar()
    return None if found is None else str(found)


def replaced(connection: Connection, *, token: str, purpose: str) -> str | None:
    """The appointment a link was for when it stopped working as the appointment was moved: links issued the moment it
    stopped (the move's new pair) replace it. None for a link unknown, unused, or used up otherwise (a cancellation,
    the appointment's end)."""
    old, new = APPOINTMENT_TOKEN.alias("old"), APPOINTMENT_TOKEN.alias("new")
    newer = sa.exists().where(
        new.c.appointment_id == old.c.appointment_id, new.c.token_hash != old.c.token_hash,
        new.c.created_at >= old.c.used_at,
    )  # fmt: skip
    found = connection.execute(
        sa.select(old.c.appointment_id).where(
            old.c.token_hash == _hash(token), old.c.purpose == purpose, old.c.used_at.is_not(None), newer
        )
    ).scalar()
    return None if found is None else str(found)
