"""One-time tokens behind the QR codes that move an advice session to a phone.

A token carries 160 random bits, is stored only as its SHA-256 hash, works once (a conditional UPDATE marks it
used, so two phones scanning the same code cannot both get the session) and expires after five minutes. A session
has at most MAX_LIVE_TOKENS that can still be used: issuing another deletes the oldest, so asking for QR codes
again and again does not fill the table.

Who minted a token is part of its text: a link handed out through the public API starts with API_PREFIX, one a
store's own screen shows (kiosk, staff console) does not. The stored hash covers the whole text, so the prefix
cannot be cut off or added to turn one kind into the other; and no table or migration changes for it. It matters
because a QR code on the store's screen is scanned by the shopper standing in front of it, while an API link can
be sent to anyone (`confirm_first`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.handoff.requests import went_to_phone
from advisor.handoff.sessions import SESSION, TOKEN, StoredSession, session_of

TOKEN_BYTES = 20  # 160 bits; the issue asks for at least 128
TOKEN_LIFETIME = timedelta(minutes=5)
MAX_LIVE_TOKENS = 3  # a kiosk shows one QR code at a time; a few more cover a reload or a second phone
# Before an API-minted token's random part; "." is not in token_urlsafe's alphabet, so no store token starts so.
API_PREFIX = "a."

Minter = Literal["store", "api"]  # a store's own screen (kiosk, staff console), or the public JSON API


class TokenError(ValueError):
    """A token that cannot be used; `reason` is one of unknown, used, expired (the link), ended (its advice: started
    over, or expired; a new link would not open it either); the message says it plainly."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Peek:
    """What a token that still works would open, read without using it up."""

    session: StoredSession
    started_at: datetime  # when the advice was first stored, on whichever device
    minted_by: Minter


def issue_token(engine: Engine, session_id: str, *, by: Minter = "store", now: datetime | None = None) -> str:
    """A fresh one-time token for a stored session (the text goes into the QR code, never into the database).

    `by`: "api" for a link the public API hands out, which asks before it opens (`confirm_first`); the store's
    screens keep the default, so the shopper scanning their own QR code gets there in one step."""
    moment = now or datetime.now(UTC)
    token = (API_PREFIX if by == "api" else "") + secrets.token_urlsafe(TOKEN_BYTES)
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
        if row is not None and used.rowcount == 1:
            went_to_phone(connection, row.session_id)  # a kiosk's open chat goes on on the phone
    if row is None:
        raise TokenError("unknown", "this link is not valid")
    if used.rowcount != 1:
        if row.used_at is not None:
            raise TokenError("used", "this link has already been used; ask for a new QR code")
        raise TokenError("expired", "this link has expired; ask for a new QR code")
    stored = session_of(engine, row.session_id)
    if stored is None or stored.expires_at <= moment:
        raise TokenError("ended", "this advice has ended or expired; start a new one")
    return stored


def minted_by(token: str) -> Minter:
    """Who minted a token, from its text (trustworthy only for a token found by its hash: see the module)."""
    return "api" if token.startswith(API_PREFIX) else "store"


def peek_token(engine: Engine, token: str, *, now: datetime | None = None) -> Peek:
    """The session a token would open and who minted it, without using it up (a page that asks first must leave
    the link working for its answer); TokenError as `redeem_token` would raise it."""
    moment = now or datetime.now(UTC)
    if not token or len(token) > 100:
        raise TokenError("unknown", "this link is not valid")
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(
                TOKEN.c.session_id, TOKEN.c.used_at, (TOKEN.c.expires_at > moment).label("live"), SESSION.c.created_at
            )
            .join(SESSION, SESSION.c.id == TOKEN.c.session_id)
            .where(TOKEN.c.token_hash == _hash(token))
        ).first()
    if row is None:
        raise TokenError("unknown", "this link is not valid")
    if row.used_at is not None:
        raise TokenError("used", "this link has already been used; ask for a new QR code")
    if not row.live:  # compared in the database, as `redeem_token` does
        raise TokenError("expired", "this link has expired; ask for a new QR code")
    stored = session_of(engine, row.session_id)
    if stored is None or stored.expires_at <= moment:
        raise TokenError("ended", "this advice has ended or expired; start a new one")
    return Peek(stored, _aware(row.created_at), minted_by(token))


Confirm = Literal["replaces", "sent"]


def confirm_first(peek: Peek, *, held_id: str | None, held_answers: int) -> Confirm | None:
    """Whether a browser must confirm before a link opens, and why; None: open at once.

    `held_id`, `held_answers`: the stored advice the browser holds now (None, 0 without one). "replaces": it holds
    another advice with answers, which the link would silently take off this device (and whatever the shopper then
    typed would go into someone else's advice). "sent": the public API minted the link, so anybody may have sent it;
    a shopper should not land in an advice they did not start without being told. The same advice again (a shopper
    scanning their own QR code twice) and a store's QR code on a fresh browser open at once."""
    if held_id is not None and held_id != peek.session.id and held_answers > 0:
        return "replaces"
    if held_id != peek.session.id and peek.minted_by == "api":
        return "sent"
    return None


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def purge_tokens(engine: Engine, *, now: datetime | None = None) -> int:
    """Delete tokens that can no longer be used (used or expired); returns how many."""
    moment = now or datetime.now(UTC)
    with engine.begin() as connection:
        result = connection.execute(
            TOKEN.delete().where(sa.or_(TOKEN.c.used_at.is_not(None), TOKEN.c.expires_at <= moment))
        )
    return int(result.rowcount)
