"""What the answers of `advisor privacy find|forget` hold and say: every stored column that concerns the customer,
times in the store's zone, the names the matches carry, both forms of a German phone number, and an erase that
lost its database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from advisor.appointments.tables import APPOINTMENT, APPOINTMENT_HOLD, APPOINTMENT_TOKEN
from advisor.cli import main
from advisor.handoff.changes import CASE_CHANGE
from advisor.handoff.chat import CHAT
from advisor.handoff.requests import REQUEST
from advisor.handoff.sessions import SESSION, TOKEN, session_of
from advisor.privacy_requests import TABLES, customer, find, forget, phone_key
from advisor.repairs.orders import create_order, order_of
from advisor.repairs.tables import REPAIR_CHANGE, REPAIR_ORDER
from advisor.session.confirmation import OUTBOX
from tests.advisor import test_privacy_requests as base
from tests.advisor.test_privacy_requests import BERLIN, COMING, Customer
from tests.helpers.appointments import add_consultants, add_stock


@pytest.fixture
def two(engine: Engine) -> tuple[Customer, Customer]:
    """Kim and Lou with all the product stores about a customer (as in test_privacy_requests)."""
    add_consultants(engine, ["anna"])
    add_stock(engine, {"T-1": 3})
    kim = base._customer(engine, name="Kim", address="kim@example.com", phone="0171 555-0101", run="run-kim",
                         starts_at=COMING)  # fmt: skip
    lou = base._customer(engine, name="Lou", address="lou@example.com", phone="0171 555-0202", run="run-lou",
                         starts_at=COMING + timedelta(hours=2))  # fmt: skip
    return kim, lou


# Each table of the answer, with the columns whose key in the answer is another name than the column's.
RENAMED: dict[str, dict[str, str]] = {
    "advice_session": {"questionnaire_id": "questionnaire", "store_id": "store", "kiosk_id": "kiosk"},
    "handoff_request": {"session_id": "resume_code", "store_id": "store", "kiosk_id": "kiosk"},
    "chat_message": {"request_id": "request"},
    "case_change": {"session_id": "resume_code", "staff_name": "staff", "step_id": "step"},
    "phone_token": {"session_id": "resume_code"},
    "appointment": {"session_id": "resume_code", "store_id": "store", "staff_name": "staff",
                    "category_id": "category"},
    "appointment_hold": {"appointment_id": "appointment", "sku": "product", "store_id": "store"},
    "appointment_token": {"appointment_id": "appointment"},
    "repair_order": {"store_id": "store", "product_sku": "product", "variant_sku": "variant",
                     "questionnaire_id": "questionnaire", "contact_name": "name", "contact_email": "email",
                     "contact_phone": "phone"},
    "repair_change": {"order_id": "pickup_code", "staff_name": "staff"},
    "mail_outbox": {"session_id": "resume_code", "message": "subject", "created_at": "queued_at"},
}  # fmt: skip

# The columns deliberately left out of the answer, and why. A new column of these tables fails the test below
# until it is in the answer (advisor/privacy_requests.py `_read`) or here, with its reason.
LEFT_OUT: dict[str, dict[str, str]] = {
    "advice_session": {
        "id": "the internal key; the resume code names the session",
        "version": "an internal revision counter (a write is conditional on it)",
    },
    "handoff_request": {},
    "chat_message": {"id": "the internal key; the lines are listed in their order"},
    "case_change": {"id": "the internal key; the changes are listed in their order"},
    "phone_token": {"token_hash": "a one-way hash of a used-up link: nothing the customer gave or can read"},
    "appointment": {
        "busy_until": "the consultant's time, the end plus the store's buffer: about the staff's calendar",
        "reminder_attempts": "the mailer's retry counter",
        "revision": "an internal revision counter (the calendar file's SEQUENCE)",
    },
    "appointment_hold": {},
    "appointment_token": {"token_hash": "a one-way hash of a link: nothing the customer gave or can read"},
    "repair_order": {"id": "the internal key; the pickup code names the order"},
    "repair_change": {"position": "an internal sequence number; the states are listed in their order"},
    "mail_outbox": {
        "id": "the internal key",
        "attempts": "the mailer's retry counter",
    },
}

TABLE_OF = {
    "advice_session": SESSION, "handoff_request": REQUEST, "chat_message": CHAT, "case_change": CASE_CHANGE,
    "phone_token": TOKEN, "appointment": APPOINTMENT, "appointment_hold": APPOINTMENT_HOLD,
    "appointment_token": APPOINTMENT_TOKEN, "repair_order": REPAIR_ORDER, "repair_change": REPAIR_CHANGE,
    "mail_outbox": OUTBOX,
}  # fmt: skip


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _columns(engine: Engine, table: sa.Table) -> set[str]:
    """The columns the database has (the migrations made them), not only those the code's reference names."""
    return {column["name"] for column in sa.inspect(engine).get_columns(table.name)} | set(table.columns.keys())


def test_the_answer_gives_every_stored_column_that_concerns_the_customer(
    engine: Engine, two: tuple[Customer, Customer]
) -> None:
    """The answer left out the session's critiques, ratings and relaxations, the repair order's answers, tried
    steps, cost and variant, the appointment's check-in, channel and reminder, the request's times and channel, and
    the appointment's links."""
    kim, _ = two
    assert set(TABLE_OF) == set(TABLES) == set(RENAMED) == set(LEFT_OUT)

    found = find(engine, customer([kim.code, "kim@example.com", "0171 5550101"]))

    for name, table in TABLE_OF.items():
        assert found.rows[name], f"{name}: the fixture stores a row"
        columns = _columns(engine, table)
        assert set(RENAMED[name]) | set(LEFT_OUT[name]) <= columns, f"{name}: a column that is gone is still named"
        expected = {RENAMED[name].get(column, column) for column in columns - set(LEFT_OUT[name])}
        for row in found.rows[name]:
            assert set(row) == expected, f"{name}: missing {expected - set(row)}, unexplained {set(row) - expected}"


def test_what_the_walker_missed_is_in_the_answer(engine: Engine, two: tuple[Customer, Customer]) -> None:
    kim, _ = two
    with engine.begin() as connection:
        connection.execute(SESSION.update().where(SESSION.c.id == kim.session_id).values(
            critiques=[{"key": "lighter"}], rated=["advice"], relaxations=[{"dropped": "weight"}]))  # fmt: skip
    order = create_order(engine, store_id="muc-01", product_sku="T-1", variant_sku="T-1-green", problem="Naht",
                         turnaround_days=7, answers={"where": "seams"}, tried=["seam-sealer"],
                         cost_cents=(1500, 3000), consent=True, contact_email="kim@example.com")  # fmt: skip

    found = find(engine, customer([kim.code, "kim@example.com"]))

    session = found.rows["advice_session"][0]
    assert (session["critiques"], session["rated"], session["relaxations"]) == (
        [{"key": "lighter"}], ["advice"], [{"dropped": "weight"}])  # fmt: skip
    repair = next(row for row in found.rows["repair_order"] if row["problem"] == "Naht")
    assert (repair["answers"], repair["tried"], repair["variant"]) == ({"where": "seams"}, ["seam-sealer"], "T-1-green")
    assert (repair["cost_min_cents"], repair["cost_max_cents"]) == (1500, 3000)
    assert order.id not in {row.get("id") for row in found.rows["repair_order"]}
    appointment = found.rows["appointment"][0]
    assert {"checked_in_at", "created_at", "channel", "remind", "reminder_due_at"} <= set(appointment)
    assert len(found.rows["appointment_token"]) == 2 and all(row["purpose"] for row in found.rows["appointment_token"])
    assert {"claimed_at", "finished_at", "channel"} <= set(found.rows["handoff_request"][0])


def test_times_are_in_the_stores_zone_with_their_offset(
    engine: Engine, two: tuple[Customer, Customer], capsys: pytest.CaptureFixture[str]
) -> None:
    """The answer said UTC times while the e-mails in it say local ones."""
    kim, _ = two
    with engine.begin() as connection:  # (stored as the product stores a moment: in UTC)
        connection.execute(APPOINTMENT.update().where(APPOINTMENT.c.id == kim.appointment_id).values(
            checked_in_at=datetime(2026, 11, 23, 9, 58, tzinfo=UTC)))  # fmt: skip

    found = find(engine, customer(["kim@example.com"]), zone=BERLIN)

    assert found.rows["appointment"][0]["checked_in_at"] == "2026-11-23T10:58:00+01:00"
    assert found.zone == "Europe/Berlin"

    assert main(["privacy", "find", "kim@example.com", "--format", "json", "--db", _url(engine)]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["time_zone"] == "Europe/Berlin", "the store's zone (the configuration's default here)"
    assert answer["tables"]["appointment"]["rows"][0]["checked_in_at"] == "2026-11-23T10:58:00+01:00"
    assert main(["privacy", "find", "kim@example.com", "--db", _url(engine)]) == 0
    listed = capsys.readouterr().out
    assert (
        "(times in Europe/Berlin):" in listed.splitlines()[0] and "checked_in_at: 2026-11-23T10:58:00+01:00" in listed
    )


def _shared_number(engine: Engine) -> None:
    """Two people whose repair orders and appointment carry one phone number (a family's landline)."""
    add_consultants(engine, ["anna"])
    order: dict[str, Any] = dict(store_id="muc-01", product_sku="T-1", problem="Reißverschluss", turnaround_days=7,
                                 consent=True)  # fmt: skip
    create_order(engine, **order, contact_name="Kim Zwanziger", contact_phone="0171 555-0101")
    create_order(engine, **order, contact_name="Lou Berger", contact_phone="+49 171 5550101")
    create_order(engine, **order, contact_name="kim  zwanziger", contact_phone="01715550101")


WARNING = ("Warning: these matches carry 2 different names: Kim Zwanziger, Lou Berger — check they are one person; "
           "name one by e-mail or code instead")  # fmt: skip


def test_the_confirmation_names_the_people_and_warns_when_they_are_two(
    engine: Engine, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shared number found two people's data and the prompt showed only counts."""
    _shared_number(engine)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    assert main(["privacy", "forget", "0171 5550101", "--db", _url(engine)]) == 1

    said = capsys.readouterr().out.splitlines()
    assert said[1:] == ["Names on these matches: Kim Zwanziger, Lou Berger", WARNING], said
    assert main(["privacy", "find", "0171 5550101", "--db", _url(engine)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[1:3] == ["Names on these matches: Kim Zwanziger, Lou Berger", WARNING], listed
    assert main(["privacy", "find", "0171 5550101", "--format", "json", "--db", _url(engine)]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["names"] == ["Kim Zwanziger", "Lou Berger"] and "2 different names" in answer["warning"]

    assert main(["privacy", "forget", "0171 5550101", "--yes", "--db", _url(engine)]) == 0, "store IT chose"
    said = capsys.readouterr().out.splitlines()
    assert said[0] == WARNING and said[1].startswith("deleted in "), said
    with engine.connect() as connection:
        assert connection.execute(sa.select(REPAIR_ORDER.c.contact_phone)).scalars().all() == [None] * 3


def test_one_name_is_named_without_a_warning(
    engine: Engine, two: tuple[Customer, Customer], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["privacy", "forget", "kim@example.com", "--yes", "--db", _url(engine)]) == 0
    assert "Warning" not in capsys.readouterr().out
    assert find(engine, customer(["lou@example.com"])).names == ["Lou"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0171 5550101", "+49 171 5550101"),
        ("0049 171 5550101", "0171 555-0101"),
        ("+49 (0)171 555 0101", "0171/5550101"),
        ("+49 171 5550101", "0049 (0) 171 5550101"),
    ],
)
def test_a_german_number_is_found_in_its_national_and_international_form(
    engine: Engine, typed: str, stored: str
) -> None:
    """`privacy find "0171 5550101"` said "nothing stored" where "+49 171 5550101" was stored."""
    order = create_order(engine, store_id="muc-01", product_sku="T-1", problem="Naht", turnaround_days=7,
                         consent=True, contact_name="Kim", contact_phone=stored)  # fmt: skip
    # The same digits in Austria: another number.
    create_order(engine, store_id="muc-01", product_sku="T-1", problem="Naht", turnaround_days=7, consent=True,
                 contact_name="Lou", contact_phone="+43 171 5550101")  # fmt: skip

    assert [row["phone"] for row in find(engine, customer([typed])).rows["repair_order"]] == [stored]

    assert forget(engine, customer([typed])).orders_without_contact == 1
    assert order_of(engine, order.id).contact is None  # type: ignore[union-attr]


def test_phone_keys() -> None:
    assert phone_key("0171 555-0101") == phone_key("+49 171 5550101") == "+491715550101"
    assert phone_key("+43 171 5550101") == "+431715550101"
    assert phone_key("555 0101") == "5550101", "no area code: its digits only"


def test_an_erase_that_loses_its_database_says_nothing_was_deleted(
    engine: Engine, two: tuple[Customer, Customer], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An erase whose connection was cut said only "cannot open the database"."""
    kim, _ = two

    def cut(*args: Any, **kwargs: Any) -> int:  # after the sessions went, inside the transaction
        raise OperationalError("DELETE …", {}, Exception("terminating connection due to administrator command"))

    monkeypatch.setattr("advisor.privacy_requests.delete_finished", cut)

    assert main(["privacy", "forget", kim.code, "kim@example.com", "--yes", "--db", _url(engine)]) == 2

    said = capsys.readouterr().err
    assert said.startswith("advisor: the erase was not done: the database "), said
    assert "(terminating connection due to administrator command); nothing was deleted" in said
    assert "run the same command again" in said
    assert session_of(engine, kim.session_id) is not None, "one transaction: undone as a whole"
