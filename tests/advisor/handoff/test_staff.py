"""Staff members: a PIN stored only as a scrypt hash, wrong PINs limited per name in the database, and presence
for the kiosk's offers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from advisor.db import make_engine, upgrade
from advisor.handoff import staff
from advisor.handoff.codes import TooManyAttempts
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


def test_wrong_pins_make_a_name_wait_twice_as_long_each_time_and_a_right_pin_resets_nothing(engine: Engine) -> None:
    staff.set_pin(engine, "Anna", "4711")
    staff.set_pin(engine, "Ben", "0815")
    for pin in ("0000", "1111", "2222", "3333"):
        assert not staff.sign_in(engine, "Anna", pin, now=T0)
    assert staff.sign_in(engine, "Anna", "4711", now=T0), "a right PIN counts nothing"
    assert not staff.sign_in(engine, "Anna", "4444", now=T0)  # the fifth: from now on each wrong PIN makes Anna wait
    with pytest.raises(staff.TooManyWrongPins) as waiting:  # even the right PIN waits now
        staff.sign_in(engine, "Anna", "4711", now=T0 + timedelta(seconds=20))
    assert waiting.value.seconds == 40
    assert isinstance(waiting.value, TooManyAttempts), "refused as a wrong resume code is"
    assert staff.sign_in(engine, "Ben", "0815", now=T0 + timedelta(seconds=20)), "Ben is not held up"
    with pytest.raises(staff.TooManyWrongPins):  # Ben's sign-in reset nothing of Anna's, however her name is typed
        staff.sign_in(engine, " anna ", "4711", now=T0 + timedelta(seconds=30))
    assert not staff.sign_in(engine, "Anna", "5555", now=T0 + timedelta(minutes=1))
    with pytest.raises(staff.TooManyWrongPins) as waiting:
        staff.sign_in(engine, "Anna", "4711", now=T0 + timedelta(minutes=2))
    assert waiting.value.seconds == 60, "the second wait is twice the first"
    assert staff.sign_in(engine, "Anna", "4711", now=T0 + timedelta(minutes=3))
    assert not staff.sign_in(engine, "Anna", "6666", now=T0 + timedelta(minutes=3))
    with pytest.raises(staff.TooManyWrongPins) as waiting:  # the right PIN in between gave back only its own attempt
        staff.sign_in(engine, "Anna", "4711", now=T0 + timedelta(minutes=3))
    assert waiting.value.seconds == 4 * 60


def test_an_unknown_name_waits_alike_so_a_wait_tells_no_names(engine: Engine) -> None:
    staff.set_pin(engine, "Anna", "4711")
    for name in ("Anna", "Mallory"):
        for pin in ("0000", "1111", "2222", "3333", "4444"):
            assert not staff.sign_in(engine, name, pin, now=T0)
        with pytest.raises(staff.TooManyWrongPins) as waiting:
            staff.sign_in(engine, name, "4711", now=T0)
        assert waiting.value.seconds == 60


def test_a_guesser_tries_at_most_15_pins_a_day(engine: Engine) -> None:
    """Trying again the moment each wait ends: 15 PINs on the first day, 14 on the next (the 15th's wait of 17 hours
    ran on into it), of the 10,000 four-digit PINs."""
    staff.set_pin(engine, "Anna", "4711")
    midnight = T0.replace(hour=0)
    moment, tried = midnight, [0, 0]
    while moment < midnight + timedelta(days=2):
        try:
            assert not staff.sign_in(engine, "Anna", "0000", now=moment)
            tried[(moment - midnight).days] += 1
        except staff.TooManyWrongPins as waiting:
            moment += timedelta(seconds=waiting.seconds)
    assert tried == [15, 14]


def test_the_count_is_shared_by_every_console_and_outlives_a_restart(database_url: str) -> None:
    counter, tablet = make_engine(database_url), make_engine(database_url)
    upgrade(counter)
    staff.set_pin(counter, "Anna", "4711")
    for pin in ("0000", "1111", "2222"):
        assert not staff.sign_in(counter, "Anna", pin, now=T0)
    for pin in ("3333", "4444"):
        assert not staff.sign_in(tablet, "Anna", pin, now=T0)
    counter.dispose()
    tablet.dispose()
    restarted = make_engine(database_url)  # the consoles start again: the wait is still there
    try:
        with pytest.raises(staff.TooManyWrongPins) as waiting:
            staff.sign_in(restarted, "Anna", "4711", now=T0 + timedelta(seconds=1))
        assert waiting.value.seconds == 59
    finally:
        restarted.dispose()


def test_a_new_pin_ends_the_wait_of_its_name_only(engine: Engine) -> None:
    for name in ("Anna", "Ben"):
        staff.set_pin(engine, name, "4711")
        for pin in ("0000", "1111", "2222", "3333", "4444"):
            assert not staff.sign_in(engine, name, pin, now=T0)
    staff.set_pin(engine, "Anna", "2468")  # a store manager: `advisor staff-pin Anna`
    assert staff.sign_in(engine, "Anna", "2468", now=T0)
    with pytest.raises(staff.TooManyWrongPins):
        staff.sign_in(engine, "Ben", "4711", now=T0)
