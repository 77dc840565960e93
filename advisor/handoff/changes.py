"""Answers staff changed for a shopper, by whom and when: the console of a colleague on the same customer names
them (a light reference to the table migration 0022_case_change makes; deleted with the session)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.db.prepared import reading

metadata = sa.MetaData()

CASE_CHANGE = sa.Table(
    "case_change",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.String(36), nullable=False, index=True),
    sa.Column("staff_name", sa.String(64), nullable=False),
    sa.Column("step_id", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Change:
    """One answer a staff member changed."""

    staff: str
    step_id: str
    at: datetime


def record_change(engine: Engine, session_id: str, *, staff: str, step_id: str, now: datetime | None = None) -> None:
    with engine.begin() as connection:
        connection.execute(
            CASE_CHANGE.insert().values(
                session_id=session_id, staff_name=staff[:64], step_id=step_id, at=now or datetime.now(UTC)
            )
        )


def changes_of(engine: Engine, session_id: str) -> list[Change]:
    """The staff changes of a session, oldest first."""
    query = (
        sa.select(CASE_CHANGE.c.staff_name, CASE_CHANGE.c.step_id, CASE_CHANGE.c.at)
        .where(CASE_CHANGE.c.session_id == session_id)
        .order_by(CASE_CHANGE.c.id)
    )
    with reading(engine) as connection:
        return [
            Change(row.staff_name, row.step_id, row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC))
            for row in connection.execute(query)
        ]
