"""A customer's GDPR request for access (Art. 15) or erasure (Art. 17): `advisor privacy find|forget` finds one
customer's data by resume code, e-mail address or phone number, and deletes it, leaving every other customer's."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.appointments import booking
from advisor.appointments.tables import APPOINTMENT, APPOINTMENT_HOLD
from advisor.cli import main
from advisor.config import PrivacyConfig
from advisor.db import make_engine, upgrade
from advisor.db.engine import shown_url
from advisor.db.location import HEAD
from advisor.handoff.changes import CASE_CHANGE, record_change
from advisor.handoff.chat import CHAT, post_message, save_notes
from advisor.handoff.codes import shown
from advisor.handoff.requests import REQUEST, request_handoff
from advisor.handoff.sessions import TOKEN, create_session, session_of
from advisor.handoff.tokens import issue_token
from advisor.privacy_requests import RequestError, customer, find, forget
from advisor.repairs.orders import Action, advance, create_order, order_of
from advisor.session.confirmation import OUTBOX, enqueue
from tests.helpers.appointments import add_consultants, add_stock, store_config

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=BERLIN)  # a Monday
COMING = datetime(2026, 11, 23, 11, 0, tzinfo=BERLIN)
CONFIG = store_config().model_copy(update={"privacy": PrivacyConfig(session_retention_days=14)})


# What the product stores about a customer, table by table (one row each), as `find` counts it.
ONE_OF_EACH = {
    "advice_session": 1, "handoff_request": 1, "chat_message": 1, "case_change": 1, "phone_token": 1,
    "appointment": 1, "appointment_hold": 1, "repair_order": 1, "mail_outbox": 1,
    "appointment_token": 2,  # the confirmation's links to move and to cancel it
}  # fmt: skip


def _mail(address: str, subject: str) -> bytes:
    return f"To: {address}\r\nSubject: {subject}\r\n\r\nDein Code steht hier\r\n".encode()


@dataclass(frozen=True)
class Customer:
    code: str
    session_id: str
    appointment_id: str
    open_order: int
    finished_order: int
    advice_order: int


def _customer(engine: Engine, *, name: str, address: str, phone: str, run: str, starts_at: datetime) -> Customer:
    """A customer with all the product stores about one: an advice session (answers, a chat with staff notes, a
    case change, a phone token), an appointment holding a tent, repair orders (one open with the contact, one
    finished, one registered from the advice) and a queued summary e-mail."""
    stored = create_session(engine, questionnaire_id="tent-finder", answers={"season": "summer"}, locale="de",
                            consent=True, now=NOW, columns={"run": run})  # fmt: skip
    request_id = request_handoff(engine, session_id=stored.id, kind="chat", now=NOW)
    post_message(engine, request_id, sender="shopper", text=f"Ich heiße {name}", now=NOW)
    save_notes(engine, request_id, f"{name} mag grüne Zelte")
    record_change(engine, stored.id, staff="anna", step_id="season", now=NOW)
    issue_token(engine, stored.id, now=NOW)
    appointment = booking.book(
        engine, config=CONFIG, category_id="tents", starts_at=starts_at, name=name, contact=address, locale="de",
        channel="web", session_id=stored.id, products=["T-1"], now=NOW,
    )  # fmt: skip
    order: dict[str, Any] = dict(
        store_id="muc-01", product_sku="T-1", problem="Reißverschluss klemmt", turnaround_days=7, now=NOW
    )
    open_order = create_order(engine, **order, consent=True, contact_name=name, contact_phone=phone, staff="anna")
    finished = create_order(engine, **order, consent=True, contact_email=address, received=False)
    advance(engine, order_id=finished.id, action=Action.CANCEL, staff="anna", now=NOW)
    from_advice = create_order(engine, **order, received=False, request=f"{run}:zip:T-1")
    enqueue(engine, message=_mail(address, f"Deine Beratung, {name}"), address=address, session_id=stored.id,
            locale="de", now=NOW)  # fmt: skip
    return Customer(stored.resume_code, stored.id, appointment.appointment_id, open_order.id, finished.id,
                    from_advice.id)  # fmt: skip


@pytest.fixture
def two(engine: Engine) -> tuple[Customer, Customer]:
    add_consultants(engine, ["anna"])
    add_stock(engine, {"T-1": 3})
    kim = _customer(engine, name="Kim", address="kim@example.com", phone="0171 555-0101", run="run-kim",
                    starts_at=COMING)  # fmt: skip
    lou = _customer(engine, name="Lou", address="lou@example.com", phone="0171 555-0202", run="run-lou",
                    starts_at=COMING + timedelta(hours=2))  # fmt: skip
    return kim, lou


def _all_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("written", ["{code}", "{shown}", "{shown_lower}", " {code_lower} "])
def test_find_by_code_lists_the_customers_data_and_none_of_the_others(
    engine: Engine, two: tuple[Customer, Customer], written: str
) -> None:
    kim, _ = two
    typed = written.format(code=kim.code, shown=shown(kim.code), shown_lower=shown(kim.code).lower(),
                           code_lower=kim.code.lower())  # fmt: skip

    found = find(engine, customer([typed]))

    assert found.counts() == {**ONE_OF_EACH, "repair_order": 1, "repair_change": 1}, (
        "by code: the session and all linked to it; the repair orders with Kim's contact are not linked to it"
    )
    said = _all_text(found.as_json())
    assert "Kim" in said and "kim@example.com" in said and "Deine Beratung, Kim" in said and "summer" in said
    assert "Lou" not in said and "lou@example.com" not in said and "0202" not in said
    assert "Dein Code steht hier" not in said, "a queued mail: address and subject only"
    assert "feedback_comment" in said, "it says that feedback comments are linked to no one"


def test_find_by_address_or_phone_lists_the_customers_data(engine: Engine, two: tuple[Customer, Customer]) -> None:
    kim, lou = two

    by_address = find(engine, customer(["KIM@Example.com"]))
    by_phone = find(engine, customer(["0171/5550101"]))  # written otherwise than stored ("0171 555-0101")

    assert by_address.counts() == {**ONE_OF_EACH, "repair_order": 2, "repair_change": 3}, (
        "the appointment and mail name the session; the finished order has the address, the advice's its run"
    )
    pickup = {row["pickup_code"] for row in by_address.rows["repair_order"]}
    assert pickup == {shown(order_of(engine, kim.finished_order).pickup_code),  # type: ignore[union-attr]
                      shown(order_of(engine, kim.advice_order).pickup_code)}  # type: ignore[union-attr]  # fmt: skip
    assert by_phone.counts() == {"repair_order": 1, "repair_change": 1}
    assert by_phone.rows["repair_order"][0]["phone"] == "0171 555-0101"
    assert "Lou" not in _all_text(by_address.as_json()) + _all_text(by_phone.as_json())
    assert find(engine, customer(["nobody@example.com"])).counts() == {}
    assert find(engine, customer([kim.code, "kim@example.com", "0171 5550101"])).counts()["repair_order"] == 3
    assert lou.code != kim.code


def _count(engine: Engine, table: sa.Table, *where: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar_one())


def test_forget_deletes_exactly_the_customers_data(engine: Engine, two: tuple[Customer, Customer]) -> None:
    kim, lou = two

    forgotten = forget(engine, customer([kim.code, "kim@example.com", "0171 555 0101"]), now=NOW)

    gone = forgotten.deleted
    assert (gone.sessions, gone.requests, gone.chats, gone.case_changes, gone.tokens) == (
        1, 1, 1, 1, 1)  # fmt: skip
    assert (forgotten.appointments_anonymised, forgotten.appointments_cancelled) == (1, 1)
    assert (forgotten.orders_deleted, forgotten.orders_without_contact, forgotten.mails) == (1, 2, 1)
    assert session_of(engine, kim.session_id) is None
    assert _count(engine, REQUEST, REQUEST.c.session_id == kim.session_id) == 0
    assert _count(engine, TOKEN, TOKEN.c.session_id == kim.session_id) == 0
    assert _count(engine, CASE_CHANGE, CASE_CHANGE.c.session_id == kim.session_id) == 0
    assert _count(engine, CHAT) == 1, "Lou's chat line stays"
    with engine.connect() as connection:
        kept = connection.execute(sa.select(APPOINTMENT).where(APPOINTMENT.c.id == kim.appointment_id)).one()
    assert (kept.name, kept.contact, kept.notes, kept.session_id) == ("", "", "", None)
    assert (kept.state, kept.staff_name, kept.category_id) == ("cancelled", "anna", "tents"), "the anonymous part"
    assert _count(engine, APPOINTMENT_HOLD, APPOINTMENT_HOLD.c.appointment_id == kim.appointment_id) == 0
    assert order_of(engine, kim.finished_order) is None
    open_order = order_of(engine, kim.open_order)
    assert open_order is not None and open_order.contact is None and open_order.problem == "Reißverschluss klemmt"
    with engine.connect() as connection:
        assert list(connection.execute(sa.select(OUTBOX.c.address)).scalars()) == ["lou@example.com"]
    assert find(engine, customer([kim.code, "kim@example.com", "0171 555 0101"])).counts() == {}

    lou_left = find(engine, customer([lou.code, "lou@example.com", "0171 555 0202"])).counts()
    assert lou_left == {**ONE_OF_EACH, "repair_order": 3, "repair_change": 4}, "the other customer's data is intact"
    assert forget(engine, customer([kim.code]), now=NOW).sessions == 0, "twice: nothing more to do"


def test_an_appointment_that_ended_is_anonymised_not_cancelled(engine: Engine, two: tuple[Customer, Customer]) -> None:
    kim, _ = two
    assert booking.check_in(engine, appointment_id=kim.appointment_id, now=COMING)

    forgotten = forget(engine, customer(["kim@example.com"]), now=COMING + timedelta(days=1))

    assert (forgotten.appointments_anonymised, forgotten.appointments_cancelled) == (1, 0)
    with engine.connect() as connection:
        kept = connection.execute(sa.select(APPOINTMENT).where(APPOINTMENT.c.id == kim.appointment_id)).one()
    assert (kept.state, kept.name, kept.contact) == ("checked_in", "", "")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("ABCD-12", "neither a resume code"),
        ("ABCD-I234", "neither a resume code"),
        ("kim@", "'kim@': "),
        ("2345-6789", "could be a resume code or a phone number"),
        ("phone:12", "a phone number has at least 6 digits"),
        ("code:0171 5550101", "a code has"),
    ],
)
def test_a_malformed_identifier_is_refused(typed: str, said: str) -> None:
    with pytest.raises(RequestError, match=said):
        customer([typed])


def test_identifiers_are_read_as_the_product_reads_them() -> None:
    asked = customer(["abcd-2345", "ABCD2345", "code:2345 6789", "phone:2345 6789", " Kim@Example.COM ", "+49 171 1"])
    assert asked.codes == ("ABCD2345", "23456789")
    assert asked.phones == ("23456789", "+491711")
    assert asked.addresses == ("kim@example.com",)


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_the_command_finds_and_forgets_and_prints_counts(
    engine: Engine, two: tuple[Customer, Customer], capsys: pytest.CaptureFixture[str]
) -> None:
    kim, lou = two

    assert main(["privacy", "find", shown(kim.code).lower(), "--db", _url(engine)]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith(f"Stored for {shown(kim.code)} in {_shown(engine)} (times in Europe/Berlin):"), listed
    assert "Ich heiße Kim" in listed and "Lou" not in listed

    assert main(["privacy", "find", "kim@example.com", "--format", "json", "--db", _url(engine)]) == 0
    assert json.loads(capsys.readouterr().out)["tables"]["repair_order"]["rows"][0]["email"] == "kim@example.com"

    assert main(["privacy", "forget", kim.code, "kim@example.com", "--yes", "--db", _url(engine)]) == 0
    said = capsys.readouterr().out
    assert "1 advice session(s) deleted, with 1 request(s) for staff, 1 chat line(s)" in said, said
    assert "1 queued e-mail(s) deleted unsent" in said
    assert said.startswith(f"deleted in {_shown(engine)}:\n"), said
    assert "kim@" not in said and "Kim" not in said, "counts only"
    assert session_of(engine, lou.session_id) is not None

    assert main(["privacy", "find", kim.code, "--db", _url(engine)]) == 0
    assert capsys.readouterr().out == f"nothing stored for {shown(kim.code)} in {_shown(engine)}\n"
    assert main(["privacy", "forget", kim.code, "--yes", "--db", _url(engine)]) == 0
    assert capsys.readouterr().out == f"nothing stored for {shown(kim.code)} in {_shown(engine)}: nothing to delete\n"


def _shown(engine: Engine) -> str:
    return shown_url(_url(engine))


def test_every_answer_names_the_database_it_searched(
    engine: Engine, two: tuple[Customer, Customer], capsys: pytest.CaptureFixture[str]
) -> None:
    """Store IT without --config searched the local SQLite file, and the answer did not say so."""
    kim, _ = two
    database = _shown(engine)
    assert f"{engine.url.username}:" not in database, "the user and password are not shown"

    assert main(["privacy", "find", "kim@example.com", "--format", "json", "--db", _url(engine)]) == 0
    assert json.loads(capsys.readouterr().out)["database"] == database
    assert main(["privacy", "find", "nobody@example.com", "--format", "json", "--db", _url(engine)]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert (answer["database"], answer["tables"]) == (database, {})
    assert main(["privacy", "find", "nobody@example.com", "--db", _url(engine)]) == 0
    assert capsys.readouterr().out == f"nothing stored for nobody@example.com in {database}\n"


@pytest.mark.parametrize("command", ["find", "forget"])
def test_a_database_that_is_not_there_is_refused_and_not_created(
    tmp_path: Path, isolated_data_dir: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """Without --config on a machine with no database, the commands created an empty one and said "nothing
    stored"; a request is answered from the product's database, never from one made up for it."""
    missing = tmp_path / "nowhere" / "advisor.sqlite3"
    tail = ["--yes"] if command == "forget" else []
    assert main(["privacy", command, "kim@example.com", *tail, "--db", f"sqlite:///{missing}"]) == 2
    assert capsys.readouterr().err == f"advisor: no database at sqlite:///{missing}: give --db or --config\n"
    assert not missing.exists() and not missing.parent.exists()

    assert main(["privacy", command, "kim@example.com", *tail]) == 2  # the default file in the data directory
    said = capsys.readouterr().err
    assert said.startswith("advisor: no database at sqlite:///") and "give --db or --config" in said, said
    assert not isolated_data_dir.exists() or not list(isolated_data_dir.rglob("*.sqlite3*"))

    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert main(["privacy", command, "kim@example.com", *tail, "--db", f"sqlite:///{empty}"]) == 2
    assert "no advisor database at" in capsys.readouterr().err
    with sqlite3.connect(empty) as connection:
        assert connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0, "not migrated"


def test_a_database_at_an_older_revision_is_refused_not_upgraded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "old.sqlite3"
    old = make_engine(f"sqlite:///{file}")
    upgrade(old, _previous_revision())
    old.dispose()

    assert main(["privacy", "find", "kim@example.com", "--db", f"sqlite:///{file}"]) == 2

    assert "is at schema revision" in capsys.readouterr().err
    with sqlite3.connect(file) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == _previous_revision()


def _previous_revision() -> str:
    from alembic.script import ScriptDirectory

    from advisor.db.engine import alembic_config

    head = ScriptDirectory.from_config(alembic_config(None)).get_revision(HEAD)  # type: ignore[arg-type]
    return str(head.down_revision)


def test_an_order_made_on_the_web_finds_and_forgets_the_advice_session_it_came_from(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    """A repair ordered from a help flow keeps the session's run in its request key ("<run>:<outcome>:<sku>");
    the address on the order finds that session (answers, product), and forgetting deletes it."""
    session = create_session(engine, questionnaire_id="tent-help", answers={"problem": "zip"}, locale="de",
                             origin="web", now=NOW, columns={"run": "run-rex", "product": "T-1"})  # fmt: skip
    other = create_session(engine, questionnaire_id="tent-help", answers={}, locale="de", origin="web", now=NOW,
                           columns={"run": "run-rex-2"})  # fmt: skip
    order = create_order(engine, store_id="muc-01", product_sku="T-1", problem="Reißverschluss klemmt",
                         turnaround_days=7, consent=True, contact_name="Rex", contact_email="rex@example.com",
                         received=False, request="run-rex:zip:T-1", now=NOW)  # fmt: skip

    found = find(engine, customer(["rex@example.com"]))

    assert found.counts() == {"advice_session": 1, "repair_order": 1, "repair_change": 1}
    assert found.rows["advice_session"][0]["resume_code"] == shown(session.resume_code)
    assert found.rows["advice_session"][0]["product"] == "T-1"
    assert found.rows["repair_order"][0]["pickup_code"] == shown(order.pickup_code)

    assert main(["privacy", "forget", "rex@example.com", "--yes", "--db", _url(engine)]) == 0
    assert "1 advice session(s) deleted" in capsys.readouterr().out
    assert session_of(engine, session.id) is None
    assert session_of(engine, other.id) is not None, "another run that only begins alike stays"


def test_a_pickup_code_is_shown_as_the_shoppers_page_shows_it(
    engine: Engine, two: tuple[Customer, Customer], capsys: pytest.CaptureFixture[str]
) -> None:
    kim, _ = two
    code = order_of(engine, kim.finished_order).pickup_code  # type: ignore[union-attr]

    assert main(["privacy", "find", "kim@example.com", "--db", _url(engine)]) == 0

    listed = capsys.readouterr().out
    assert f"pickup_code: {shown(code)};" in listed and "-" in shown(code), listed


def test_the_command_asks_before_it_forgets(
    engine: Engine, two: tuple[Customer, Customer], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    kim, _ = two
    monkeypatch.setattr("builtins.input", lambda prompt: "n")

    assert main(["privacy", "forget", kim.code, "--db", _url(engine)]) == 1

    assert "nothing deleted" in capsys.readouterr().err
    assert session_of(engine, kim.session_id) is not None


def test_a_malformed_code_exits_2_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["privacy", "find", "ABCD-12"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("advisor: 'ABCD-12' is neither a resume code (a code has 8 characters, not 6)"), err
    assert main(["privacy", "forget", "kim@", "--yes"]) == 2
    assert "'kim@':" in capsys.readouterr().err


def test_an_address_with_an_umlaut_domain_is_found_and_forgotten_however_it_is_typed(engine: Engine) -> None:
    """An appointment booked for "zoe@müller.de" is the customer's when store IT types it in punycode, and one
    booked in punycode is found by the address with umlauts; forgetting it removes the contact."""
    add_consultants(engine, ["anna"])
    given: dict[str, Any] = {"config": CONFIG, "category_id": "tents", "locale": "de", "channel": "web", "now": NOW}
    umlauts = booking.book(engine, starts_at=COMING, name="Zoe", contact="Zoe@Müller.de", **given)
    punycode = booking.book(engine, starts_at=COMING + timedelta(hours=2), name="Ben", contact="ben@xn--mller-kva.de",
                            **given)  # fmt: skip

    by_punycode = find(engine, customer(["zoe@xn--mller-kva.de"]))
    by_umlauts = find(engine, customer(["ben@müller.de"]))

    assert [row["id"] for row in by_punycode.rows["appointment"]] == [umlauts.appointment_id]
    assert by_punycode.rows["appointment"][0]["contact"] == "Zoe@Müller.de", "shown as it was typed"
    assert [row["id"] for row in by_umlauts.rows["appointment"]] == [punycode.appointment_id]
    forgotten = forget(engine, customer(["zoe@müller.de"]), now=NOW)
    assert (forgotten.appointments_anonymised, forgotten.appointments_cancelled) == (1, 1)
    with engine.connect() as connection:
        contacts = dict(connection.execute(sa.select(APPOINTMENT.c.id, APPOINTMENT.c.contact)).all())
    assert contacts == {umlauts.appointment_id: "", punycode.appointment_id: "ben@xn--mller-kva.de"}
