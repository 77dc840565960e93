"""The kiosk's exit PIN: right PIN, wrong PIN, locked after five wrong tries, open again after the lock-out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.handoff.exitpin import LOCKOUT, MAX_TRIES, ExitGuard, ExitLocked
from advisor.handoff.staff import hash_pin

T0 = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
HASH = hash_pin("2468")


def test_right_pin_opens_and_wrong_ones_lock_for_a_while() -> None:
    guard = ExitGuard(HASH)
    assert guard.check("2468", T0)
    for attempt in range(MAX_TRIES):
        assert not guard.check("0000", T0 + timedelta(seconds=attempt))
    with pytest.raises(ExitLocked) as locked:
        guard.check("2468", T0 + timedelta(seconds=10))  # even the right PIN waits
    assert 0 < locked.value.seconds <= LOCKOUT.total_seconds()
    assert guard.check("2468", T0 + LOCKOUT + timedelta(seconds=10))


def test_without_a_configured_pin_nobody_leaves_through_the_screen() -> None:
    assert not ExitGuard("").check("", T0)
    assert not ExitGuard("").check("1234", T0)


@settings(max_examples=20, deadline=None)
@given(st.text(alphabet="0123456789", min_size=0, max_size=12).filter(lambda pin: pin != "2468"))
def test_no_other_pin_opens(pin: str) -> None:
    assert not ExitGuard(HASH).check(pin, T0)
