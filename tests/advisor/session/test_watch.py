"""What a waiting shopper's screen reads: their place in the queue counts only who still waits before them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from advisor.db import make_engine, upgrade
from advisor.handoff import requests
from advisor.session.watch import request_view
from tests.advisor.session.test_cases import stored

HALF_AN_HOUR = timedelta(minutes=30)
NOON = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'watch.sqlite3'}")
    upgrade(engine)
    return engine


def place(engine: Engine, request_id: int, session_id: str) -> int | None:
    return request_view(engine, request_id, session_id, store_id="muc-01", chat=False, unclaimed_after=HALF_AN_HOUR,
                        now=NOON).position  # fmt: skip


def test_a_shopper_behind_a_request_nobody_claimed_in_time_is_next(engine: Engine) -> None:
    forgotten = requests.request_handoff(engine, session_id=stored(engine), kind="consultant",
                                         now=NOON - timedelta(minutes=50))  # fmt: skip
    before = requests.request_handoff(engine, session_id=stored(engine), kind="chat", now=NOON - timedelta(minutes=5))
    mine = stored(engine)
    asked = requests.request_handoff(engine, session_id=mine, kind="consultant", now=NOON - timedelta(minutes=1))
    assert place(engine, asked, mine) == 2, "one shopper still waits before them, not two"
    assert requests.claim(engine, before, staff="Anna Berger")
    assert place(engine, asked, mine) == 1
    assert requests.state_of(engine, forgotten) == requests.State.REQUESTED, (
        "only their own request expires as they look"
    )


def test_a_request_nobody_claimed_in_time_is_told_so_and_has_no_place(engine: Engine) -> None:
    mine = stored(engine)
    asked = requests.request_handoff(engine, session_id=mine, kind="consultant", now=NOON - timedelta(minutes=31))
    view = request_view(engine, asked, mine, store_id="muc-01", chat=False, unclaimed_after=HALF_AN_HOUR, now=NOON)
    assert view.state == requests.State.EXPIRED and view.position is None and not view.open
