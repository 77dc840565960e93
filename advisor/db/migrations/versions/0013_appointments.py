"""Booked appointments: staff skills and shifts, appointments (one per consultant and time), holds and links.

On PostgreSQL an exclusion constraint keeps a consultant's active appointments (with their buffers) from
overlapping, whoever writes; SQLite has no such constraint, and the booking serialises its writers instead.

Revision ID: 0013_appointments
Revises: 0012_web_guard
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_appointments"
down_revision = "0012_web_guard"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def _staff() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["staff_name"], ["staff_member.name"], ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "staff_skill",
        sa.Column("staff_name", sa.String(length=64), primary_key=True),
        sa.Column("category_id", sa.String(length=64), primary_key=True),
        _staff(),
    )
    op.create_table(
        "staff_shift",
        sa.Column("staff_name", sa.String(length=64), primary_key=True),
        sa.Column("weekday", sa.Integer(), primary_key=True),
        sa.Column("starts_minute", sa.Integer(), nullable=False),
        sa.Column("ends_minute", sa.Integer(), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="ck_staff_shift_weekday"),
        sa.CheckConstraint("0 <= starts_minute AND starts_minute < ends_minute AND ends_minute <= 1440",
                           name="ck_staff_shift_span"),
        _staff(),
    )
    op.create_table(
        "staff_shift_exception",
        sa.Column("staff_name", sa.String(length=64), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("starts_minute", sa.Integer(), nullable=True),
        sa.Column("ends_minute", sa.Integer(), nullable=True),
        _staff(),
    )
    op.create_table(
        "appointment",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("staff_name", sa.String(length=64), nullable=False),
        sa.Column("category_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=True),
        sa.Column("starts_at", _WHEN, nullable=False),
        sa.Column("ends_at", _WHEN, nullable=False),
        sa.Column("busy_until", _WHEN, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=320), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("reminder_due_at", _WHEN, nullable=True),
        sa.Column("reminder_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("reminded_at", _WHEN, nullable=True),
        sa.Column("checked_in_at", _WHEN, nullable=True),
        sa.Column("notes", sa.String(length=4000), nullable=False, server_default=""),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.CheckConstraint("starts_at < ends_at AND ends_at <= busy_until", name="ck_appointment_times"),
        sa.ForeignKeyConstraint(["staff_name"], ["staff_member.name"]),
        sa.ForeignKeyConstraint(["session_id"], ["advice_session.id"], ondelete="SET NULL"),
    )
    op.create_index("ix_appointment_staff_starts", "appointment", ["staff_name", "starts_at"])
    op.create_index("ix_appointment_store_starts", "appointment", ["store_id", "starts_at"])
    op.create_index("ix_appointment_reminder_due_at", "appointment", ["reminder_due_at"])
    if op.get_bind().dialect.name == "postgresql":
        # btree_gist lets one GiST index compare the consultant by equality and the time ranges by overlap.
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE appointment ADD CONSTRAINT appointment_no_overlap EXCLUDE USING gist "
            "(staff_name WITH =, tstzrange(starts_at, busy_until, '[)') WITH &&) "
            "WHERE (state IN ('booked', 'checked_in', 'done'))"
        )
    op.create_table(
        "appointment_hold",
        sa.Column("appointment_id", sa.String(length=36), primary_key=True),
        sa.Column("sku", sa.String(length=64), primary_key=True),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("held_until", _WHEN, nullable=False),
        sa.Column("released_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointment.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_appointment_hold_sku_store", "appointment_hold", ["sku", "store_id"])
    op.create_table(
        "appointment_token",
        sa.Column("token_hash", sa.String(length=64), primary_key=True),
        sa.Column("appointment_id", sa.String(length=36), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("used_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(["appointment_id"], ["appointment.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_appointment_token_appointment_id", "appointment_token", ["appointment_id"])


def downgrade() -> None:
    op.drop_index("ix_appointment_token_appointment_id", table_name="appointment_token")
    op.drop_table("appointment_token")
    op.drop_index("ix_appointment_hold_sku_store", table_name="appointment_hold")
    op.drop_table("appointment_hold")
    op.drop_index("ix_appointment_reminder_due_at", table_name="appointment")
    op.drop_index("ix_appointment_store_starts", table_name="appointment")
    op.drop_index("ix_appointment_staff_starts", table_name="appointment")
    op.drop_table("appointment")
    op.drop_table("staff_shift_exception")
    op.drop_table("staff_shift")
    op.drop_table("staff_skill")
