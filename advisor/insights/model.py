"""The event log's tables: events carry ids and numbers only, never personal data or free text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class AdviceEvent(SQLModel, table=True):
    """One thing that happened in an advice run (a run is an anonymous random key, not a person)."""

    __tablename__ = "advice_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=sa.DateTime(timezone=True), index=True)
    run: str | None = Field(default=None, max_length=36, index=True)
    questionnaire_id: str = Field(max_length=64, index=True)
    questionnaire_version: str = Field(default="", max_length=64)
    channel: str = Field(max_length=8)  # kiosk or web
    store_id: str | None = Field(default=None, max_length=32)
    kind: str = Field(max_length=24, index=True)
    step_id: str | None = Field(default=None, max_length=64)
    value: Any = Field(default=None, sa_type=sa.JSON)
    number: float | None = None


class FeedbackComment(SQLModel, table=True):
    """An optional comment given with a rating; kept apart from the events and not linked to a run."""

    __tablename__ = "feedback_comment"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=sa.DateTime(timezone=True), index=True)
    questionnaire_id: str = Field(max_length=64)
    about: str = Field(max_length=16)  # advice or contact
    grade: int
    scale: str = Field(max_length=8)  # grades (1 best .. 6) or stars (5 best .. 1)
    comment: str = Field(max_length=500)
