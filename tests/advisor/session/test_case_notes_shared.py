"""A case's notes kept with a checked-in appointment: a console's save from older notes keeps what the appointments
window (or a colleague) stored meanwhile."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from advisor.appointments import agenda, booking
from advisor.session.cases import save_case_notes
from tests.helpers.appointments import ZONE, add_consultants, store_config

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=ZoneInfo(ZONE))


def test_appointment_notes_saved_from_older_notes_keep_the_newer_ones(engine: Engine) -> None:
    add_consultants(engine, ["anna"])
    booked = booking.book(
        engine, config=store_config(), category_id="tents", starts_at=NOW + timedelta(days=1, hours=3), name="Kim",
        contact="kim@example.com", locale="de", channel="web", now=NOW,
    )  # fmt: skip
    key = ("appointment", booked.appointment_id)
    assert save_case_notes(engine, key, "Zelt zurückgelegt", base="").notes == "Zelt zurückgelegt"
    agenda.set_notes(engine, appointment_id=booked.appointment_id, notes="Zelt zurückgelegt\nBringt altes Zelt mit")
    stored = save_case_notes(engine, key, "Zelt zurückgelegt, Kasse 2", base="Zelt zurückgelegt").notes
    assert stored == "Zelt zurückgelegt\nBringt altes Zelt mit, Kasse 2"
    entry = agenda.entry(engine, appointment_id=booked.appointment_id, zone=ZoneInfo(ZONE), locale="de")
    assert entry is not None and entry.notes == stored
