"""One-time tokens behind the QR codes that move an advice session to a phone.

A token carries 160 random bits, is stored only as its SHA-256 hash, works once (a conditional UPDATE marks it
used, so two phones scanning the same code cannot both get the session) and expires after five minutes. A session
has at most MAX_LIVE_TOKENS that can still be used: issuing another deletes the oldest, so asking for QR codes
again and again does not fill the table.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.handoff.sessions import SESSION, TOKEN, StoredSession, session_of

TOKEN_BYTES = 20  # 160 bits; the issue asks for at least 128
TOKEN_LIFETIME = timedelta(minutes=5)
MAX_LIVE_TOKENS = 3  # a kiosk shows one QR code at a time; a few more cover a reload or a second phone


class TokenError(ValueError):
    """A token that cannot be used; `reason` is one of unknown, used, expired (the message says it plainly)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(engine: Engine, session_id: str, *, now: datetime | None = None) -> str:
    """A fresh one-time token for a stored session (the text goes into the QR code, never into the database)."""
    moment = now or datetime.now(UTC)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with engine.begin() as connection:
        exists = connection.execute(
            sa.select(SESSION.c.id).where(SESSION.c.id == session_id, SESSION.c.expires_at > moment)
        ).first()
        if exists is None:
            raise TokenError("unknown", f"no advice session {session_id} (or it has expired)")
        connection.execute(
            TOKEN.insert().values(
                token_hash=_hash(token), session_id=session_id, created_at=moment, expires_at=moment + TOKEN_LIFETIME
            )
        )
        live = sa.and_(TOKEN.c.used_at.is_(None), TOKEN.c.expires_at > moment)
        kept = (
            sa.select(TOKEN.c.token_hash)
            .where(TOKEN.c.session_id == session_id, live)
            .order_by(TOKEN.c.created_at.desc(), (TOKEN.c.token_hash == _hash(token)).desc())
            .limit(MAX_LIVE_TOKENS)
        )
        connection.execute(
            TOKEN.delete().where(TOKEN.c.session_id == session_id, live, TOKEN.c.token_hash.not_in(kept))
        )
    return token


def redeem_token(engine: Engine, token: str, *, now: datetime | None = None) -> StoredSession:
    """The session behind a token, which is used up by this call; TokenError if unknown, used or expired."""
    moment = now or datetime.now(UTC)
    if not token or len(token) > 100:
        raise TokenError("unknown", "this link is not valid")
    digest = _hash(token)
    with engine.begin() as connection:
        used = connection.execute(
            TOKEN.update()
            .where(TOKEN.c.token_hash == digest, TOKEN.c.used_at.is_(None), TOKEN.c.expires_at > moment)
            .values(used_at=moment)
        )
        row = connection.execute(
            sa.select(TOKEN.c.session_id, TOKEN.c.used_at, TOKEN.c.expires_at).where(TOKEN.c.token_hash == digest)
        ).first()
    if row is None:
        raise TokenError("unknown", "this link is not valid")
    if used.rowcount != 1:
        if row.used_at is not None:
            raise TokenError("used", "this link has already been used; ask for a new QR code")
        raise TokenError("expired", "this link has expired; ask for a new QR code")
    stored = session_of(engine, row.session_id)
    if stored is None or stored.expires_at <= moment:
        raise TokenError("expired", "this advice session has expired")
    return stored


def purge_tokens(engine: Engine, *, now: datetime | None = None) -> int:
    """Delete tokens that can no longer be used (used or expired); returns how many."""
    moment = now or datetime.now(UTC)
    with engine.begin() as connection:
        result = connection.execute(
            TOKEN.delete().where(sa.or_(TOKEN.c.used_at.is_not(None), TOKEN.c.expires_at <= moment))
        )
    return int(result.rowcount)
