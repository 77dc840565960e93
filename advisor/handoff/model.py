"""Handoff tables: advice sessions (resumable by code) and handoff requests with their state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class AdviceSession(SQLModel, table=True):
    """One shopper's advice, stored so it can move between kiosk, staff console and phone."""

    __tablename__ = "advice_session"

    id: str = Field(primary_key=True, max_length=36)
    resume_code: str = Field(unique=True, index=True, max_length=12)
    questionnaire_id: str = Field(max_length=64)
    questionnaire_version: str = Field(default="", max_length=64)
    answers: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    locale: str = Field(default="de", max_length=8)
    store_id: str | None = Field(default=None, max_length=32)
    kiosk_id: str | None = Field(default=None, max_length=64)
    consent: bool = False
    # Where the shopper is (a step id; None: the results), so another device continues exactly there.
    position: str | None = Field(default=None, max_length=64)
    viewed: list[str] = Field(default_factory=list, sa_type=sa.JSON)  # product SKUs opened, in order
    relaxations: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)  # offered and applied
    critiques: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)  # "like this, but lighter"
    origin: str = Field(default="kiosk", max_length=16)  # kiosk or web
    compared: list[str] = Field(default_factory=list, sa_type=sa.JSON)  # product SKUs side by side
    run: str | None = Field(default=None, max_length=64)  # the anonymous event log's key of this advice run
    completed: bool = False  # the results were reached in this run
    rated: list[str] = Field(default_factory=list, sa_type=sa.JSON)  # what was rated: advice, contact
    product: str | None = Field(default=None, max_length=64)  # a service run's product: the shopper's own
    # Grows with every write; a write is conditional on the version it read, so no writer loses another's.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    updated_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True), index=True)


class HandoffRequest(SQLModel, table=True):
    """A shopper asking for a person: requested -> claimed -> closed (or cancelled, expired)."""

    __tablename__ = "handoff_request"

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="advice_session.id", index=True, max_length=36)
    kind: str = Field(max_length=16)
    state: str = Field(default="requested", index=True, max_length=16)
    store_id: str | None = Field(default=None, max_length=32)
    requested_at: datetime = Field(sa_type=sa.DateTime(timezone=True), index=True)
    claimed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    claimed_by: str | None = Field(default=None, max_length=64)
    finished_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    notes: str = Field(default="", max_length=4000)
    # Where the shopper is for this request: "kiosk" or "web" (their phone or home); None: where the session began.
    # A kiosk's chat that the shopper takes to their phone (its QR code) goes on there: "web" from then on.
    channel: str | None = Field(default=None, max_length=8)
    # When the shopper's phone was last seen on the chat (its page polls; written at most every half minute): a chat
    # on the phone whose phone went quiet says so on the console. None: not on a phone, or not seen since asking.
    shopper_seen_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    # The kiosk the request was asked at (None: asked on a phone): a kiosk that died with it open ends it at its start.
    kiosk_id: str | None = Field(default=None, max_length=64)


class StaffMember(SQLModel, table=True):
    """A person who works the staff console."""

    __tablename__ = "staff_member"

    name: str = Field(primary_key=True, max_length=64)
    pin_hash: str = Field(max_length=200)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    last_seen: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class ChatMessage(SQLModel, table=True):
    """One line of the chat between a shopper and staff, attached to a handoff request."""

    __tablename__ = "chat_message"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="handoff_request.id", index=True)
    sender: str = Field(max_length=8)  # shopper or staff
    author: str | None = Field(default=None, max_length=64)
    text: str = Field(max_length=1000)
    sent_at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class PhoneToken(SQLModel, table=True):
    """A one-time token behind a QR code that moves a session to a phone; only its hash is stored."""

    __tablename__ = "phone_token"

    token_hash: str = Field(primary_key=True, max_length=64)
    session_id: str = Field(foreign_key="advice_session.id", index=True, max_length=36)
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True), index=True)
    used_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class AttemptCount(SQLModel, table=True):
    """Attempts counted per key (a client's wrong codes, a session's mails …) and time window, in the database so
    every server process and instance shares them; `blocked_until` is the back-off a key earned."""

    __tablename__ = "attempt_count"

    key: str = Field(primary_key=True, max_length=200)
    window_start: datetime = Field(primary_key=True, sa_type=sa.DateTime(timezone=True), index=True)
    count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    blocked_until: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class MailOutbox(SQLModel, table=True):
    """A summary e-mail waiting to be sent, retried until the mail server takes it; the row (and with it the
    address) is deleted once it is sent or given up."""

    __tablename__ = "mail_outbox"

    id: int | None = Field(default=None, primary_key=True)
    session_id: str | None = Field(default=None, max_length=36)
    address: str = Field(max_length=320)
    message: bytes = Field(sa_type=sa.LargeBinary)  # the whole e-mail as rendered when it was asked for
    locale: str = Field(default="de", max_length=8, sa_column_kwargs={"server_default": "de"})
    created_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    next_attempt_at: datetime = Field(sa_type=sa.DateTime(timezone=True), index=True)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    last_error: str | None = Field(default=None, max_length=300)
