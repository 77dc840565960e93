"""Staff members: a PIN stored only as a scrypt hash, and presence for the kiosk's offers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from advisor.handoff import staff
from tests.helpers.handoff import T0


def test_staff_sign_in_with_a_hashed_pin(engine: Engine) -> None:
    staff.set_pin(engine, "Anna", "4711")
    assert staff.sign_in(engine, "Anna", "4711")
    assert not staff.sign_in(engine, "Anna", "4712")
    assert not staff.sign_in(engine, "Ben", "4711")
    with pytest.raises(ValueError, match="4 digits"):
        staff.set_pin(engine, "Anna", "12")
    with engine.connect() as connection:
        stored = connection.execute(staff.STAFF.select()).one().pin_hash
    kind, *fields = stored.split("$")
    # Only a salted hash is kept: no field is the PIN (a random hex digest may well contain "4711" by chance).
    assert kind == "scrypt" and "4711" not in fields and all(len(field) >= 16 for field in fields)
    staff.set_pin(engine, "Anna", "4711")
    with engine.connect() as connection:
        again = connection.execute(staff.STAFF.select()).one().pin_hash
    assert again != stored, "salted: the same PIN is stored differently each time"
    assert staff.sign_in(engine, "Anna", "4711")


def test_presence_window(engine: Engine) -> None:
    staff.set_pin(engine, "Anna", "4711")
    assert staff.available(engine, now=T0) == []
    staff.report_presence(engine, "Anna", now=T0)
    assert staff.available(engine, now=T0 + timedelta(seconds=30)) == ["Anna"]
    assert staff.available(engine, now=T0 + timedelta(seconds=90)) == []
    staff.report_presence(engine, "Anna", now=T0)
    staff.sign_out(engine, "Anna")
    assert staff.available(engine, now=T0) == []
