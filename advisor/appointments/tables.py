"""The appointment tables as light SQLAlchemy references (created by migration 0013_appointments)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
_WHEN = sa.DateTime(timezone=True)

STAFF_SKILL = sa.Table(
    "staff_skill",  # a category a staff member advises on
    metadata,
    sa.Column("staff_name", sa.String(64), primary_key=True),
    sa.Column("category_id", sa.String(64), primary_key=True),
)

STAFF_SHIFT = sa.Table(
    "staff_shift",  # a staff member's weekly hours: one span per weekday, minutes since midnight
    metadata,
    sa.Column("staff_name", sa.String(64), primary_key=True),
    sa.Column("weekday", sa.Integer, primary_key=True),
    sa.Column("starts_minute", sa.Integer, nullable=False),
    sa.Column("ends_minute", sa.Integer, nullable=False),
)

STAFF_SHIFT_EXCEPTION = sa.Table(
    "staff_shift_exception",  # a date with other hours than the weekly shift; no span: not working that day
    metadata,
    sa.Column("staff_name", sa.String(64), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("starts_minute", sa.Integer, nullable=True),
    sa.Column("ends_minute", sa.Integer, nullable=True),
)

APPOINTMENT = sa.Table(
    "appointment",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("store_id", sa.String(32), nullable=False),
    sa.Column("staff_name", sa.String(64), nullable=False),
    sa.Column("category_id", sa.String(64), nullable=False),
    sa.Column("session_id", sa.String(36), nullable=True),
    sa.Column("starts_at", _WHEN, nullable=False),
    sa.Column("ends_at", _WHEN, nullable=False),
    sa.Column("busy_until", _WHEN, nullable=False),  # the end plus the buffer: the consultant's time it takes
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("contact", sa.String(320), nullable=False),
    sa.Column("locale", sa.String(8), nullable=False),
    sa.Column("reminder_due_at", _WHEN, nullable=True),
    sa.Column("reminder_attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("reminded_at", _WHEN, nullable=True),
    sa.Column("remind", sa.Boolean, nullable=False, server_default=sa.false()),  # the shopper's wish (0021)
    sa.Column("checked_in_at", _WHEN, nullable=True),
    sa.Column("notes", sa.String(4000), nullable=False, server_default=""),
    # +1 with every move, hand-over or cancellation: the .ics SEQUENCE
    sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", _WHEN, nullable=False),
    sa.Column("updated_at", _WHEN, nullable=False),
)

APPOINTMENT_HOLD = sa.Table(
    "appointment_hold",  # a product set aside to try, in the appointment's store, until its end
    metadata,
    sa.Column("appointment_id", sa.String(36), primary_key=True),
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("store_id", sa.String(32), nullable=False),
    sa.Column("held_until", _WHEN, nullable=False),
    sa.Column("released_at", _WHEN, nullable=True),
)

APPOINTMENT_TOKEN = sa.Table(
    "appointment_token",  # a one-time link to move or cancel an appointment; only its hash is stored
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("appointment_id", sa.String(36), nullable=False),
    sa.Column("purpose", sa.String(16), nullable=False),
    sa.Column("created_at", _WHEN, nullable=False),
    sa.Column("used_at", _WHEN, nullable=True),
)

VARIANT = sa.table("variant", sa.column("sku"), sa.column("model_sku"), sa.column("position"))
ADVICE_SESSION = sa.table("advice_session", sa.column("id"))
STOCK = sa.table("stock", sa.column("sku"), sa.column("store_id"), sa.column("quantity"), sa.column("location_de"),
                 sa.column("location_en"))  # fmt: skip
