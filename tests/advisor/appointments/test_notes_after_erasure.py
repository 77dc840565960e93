"""A consultant's notes never bring an erased customer back: on SQLite and PostgreSQL, notes saved on an appointment
after store IT erased its customer (a console that had it open) are refused, and nothing is written."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.appointments import agenda, booking
from advisor.appointments.tables import APPOINTMENT
from advisor.handoff.chat import notes_of, save_notes
from advisor.handoff.requests import REQUEST, HandoffError
from advisor.i18n import text
from advisor.privacy_requests import customer, forget
from advisor.session.refusals import refusal
from tests.helpers.appointments import ZONE, add_consultants, store_config
from tests.helpers.handoff import waiting_request

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=ZoneInfo(ZONE))  # a Tuesday


def test_notes_on_an_appointment_whose_customer_was_erased_are_refused(engine: Engine) -> None:
    add_consultants(engine, ["anna"])
    booked = booking.book(
        engine, config=store_config(), category_id="tents", starts_at=NOW + timedelta(days=1, hours=3), name="Kim",
        contact="kim@example.com", locale="de", channel="web", now=NOW,
    )  # fmt: skip
    agenda.set_notes(engine, appointment_id=booked.appointment_id, notes="bringt ihr altes Zelt mit")

    forget(engine, customer(["kim@example.com"]), now=NOW)
    with pytest.raises(agenda.NoCustomer) as refused:
        agenda.set_notes(engine, appointment_id=booked.appointment_id, notes="Frau Kim, Tel 0171 5550101")

    with engine.connect() as connection:
        row = connection.execute(sa.select(APPOINTMENT).where(APPOINTMENT.c.id == booked.appointment_id)).one()
    assert (row.state, row.name, row.contact, row.notes) == ("cancelled", "", "", "")
    assert refusal(refused.value, "de") == text("console.refused.no_customer", "de")
    assert "gelöscht" in refusal(refused.value, "de")


def test_notes_on_a_request_deleted_meanwhile_are_refused_not_said_saved(engine: Engine) -> None:
    request_id = waiting_request(engine)
    with engine.begin() as connection:  # (as a customer's erasure or the purge deletes it, with its session)
        connection.execute(REQUEST.delete().where(REQUEST.c.id == request_id))
    with pytest.raises(HandoffError) as refused:
        save_notes(engine, request_id, "Jacke M zurückgelegt")
    assert refusal(refused.value, "en") == "The notes were not saved: this advice session has been deleted."
    assert notes_of(engine, request_id) == ""
