"""What a privacy walk found left behind: queued e-mails nobody sends outlive their session, a dry run's e-mails
are readable by anyone, a feedback comment's time joins it to its rating's run, a lowered retention does not
shorten the sessions stored before, and the kiosk's journal names a resume code."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.config import PrivacyConfig
from advisor.handoff.chat import CHAT, post_message
from advisor.handoff.requests import request_handoff
from advisor.handoff.sessions import create_session, session_of
from advisor.insights.events import COMMENT, leave_comment, read_comments
from advisor.insights.report import _comment
from advisor.maintenance import purge_all
from advisor.session import store
from advisor.session.confirmation import OUTBOX, enqueue
from advisor.web.outbox import send_due
from tests.helpers.appointments import store_config

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=BERLIN)
CONFIG = store_config().model_copy(
    update={"privacy": PrivacyConfig(session_retention_days=14, appointment_retention_days=7, event_retention_days=30)}
)
MESSAGE = b"To: kim@example.com\r\nSubject: Deine Beratung\r\n\r\nHallo Kim, dein Code: EDKJ9NV6\r\n"


def _addresses(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(sa.select(OUTBOX.c.address).order_by(OUTBOX.c.id)).scalars())


def test_a_queued_mail_nobody_sent_is_purged_after_the_session_retention(engine: Engine) -> None:
    """F1: the kiosk and the console queue mails too; without a server sending them they stayed for ever."""
    enqueue(engine, message=MESSAGE, address="old@example.com", session_id=None, locale="de", now=NOW)
    later = NOW + timedelta(days=15)
    enqueue(engine, message=MESSAGE, address="new@example.com", session_id=None, locale="de", now=later)

    purge_all(engine, CONFIG, now=later)

    assert _addresses(engine) == ["new@example.com"], "older than the retention: gone; a fresh one waits"


def test_a_queued_mail_goes_with_its_session(engine: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    """F1: the outbox's session_id is no foreign key; a mail of a purged session goes with it, and it is said."""
    stored = create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW,
                            lifetime=timedelta(days=2))  # fmt: skip
    kept = create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW)
    enqueue(engine, message=MESSAGE, address="gone@example.com", session_id=stored.id, locale="de", now=NOW)
    enqueue(engine, message=MESSAGE, address="kept@example.com", session_id=kept.id, locale="de", now=NOW)

    purge_all(engine, CONFIG, now=NOW + timedelta(days=3))

    assert session_of(engine, stored.id) is None
    assert _addresses(engine) == ["kept@example.com"]
    said = capsys.readouterr().err
    assert "1 queued e-mail(s) deleted unsent" in said and "@" not in said


def test_a_dry_run_writes_its_mails_readable_by_the_server_only(engine: Engine, tmp_path: Path) -> None:
    """F1: a dry run's .eml holds the address, the name and the resume code: 0600 like the database files."""
    enqueue(engine, message=MESSAGE, address="kim@example.com", session_id=None, locale="de")
    folder = tmp_path / "mail"

    assert send_due(engine, None, dry_run=folder).sent == 1

    [mail] = folder.glob("*.eml")
    assert stat.S_IMODE(mail.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert mail.read_bytes() == MESSAGE


def test_a_comment_keeps_only_its_day(engine: Engine) -> None:
    """F2: to the microsecond, a comment's time matched its rating's feedback event (which carries the run)."""
    left = datetime(2026, 11, 5, 0, 30, 12, 345678, tzinfo=BERLIN)  # 23:30 UTC the day before
    assert leave_comment(engine, questionnaire_id="tent-finder", grade=2, scale="grades", about="advice",
                         comment="Gut erklärt", now=left, zone=BERLIN)  # fmt: skip
    assert leave_comment(engine, questionnaire_id="tent-finder", grade=1, scale="grades", about="advice",
                         comment="Danke", now=left.replace(hour=18), zone=BERLIN)  # fmt: skip

    comments = read_comments(engine)

    assert [comment["at"].astimezone(BERLIN) for comment in comments] == [datetime(2026, 11, 5, tzinfo=BERLIN)] * 2
    assert {_comment(comment, {}, "de", BERLIN)["day"] for comment in comments} == {"05.11.2026"}
    midnight = datetime(2026, 11, 5, tzinfo=BERLIN).astimezone(UTC)  # a period as the report asks (in UTC)
    assert read_comments(engine, start=midnight, end=left.astimezone(UTC)) == comments, "never later than left"
    with engine.connect() as connection:
        ids = list(connection.execute(sa.select(COMMENT.c.id)).scalars())
    assert len(set(ids)) == 2 and max(ids) > 1000, "random ids, not 1 and 2 in the order they were left"


def test_a_comment_left_without_a_zone_keeps_its_day_in_the_default_stores_zone(engine: Engine) -> None:
    assert leave_comment(engine, questionnaire_id="tent-finder", grade=2, scale="grades", about="advice",
                         comment="Gut", now=datetime(2026, 11, 5, 23, 7, 1, 99, tzinfo=UTC))  # fmt: skip
    [comment] = read_comments(engine)
    assert comment["at"] == datetime(2026, 11, 6, tzinfo=BERLIN), "00:07 in Berlin, Europe/Berlin by default"


def test_a_lowered_retention_shortens_the_sessions_stored_before(engine: Engine) -> None:
    """F3: sessions kept the expiry they were stored with (14 days); lowered to 3 days, a session last changed 4
    days ago goes, with its chat; one changed since stays."""
    old = create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de", consent=True, now=NOW)
    request_id = request_handoff(engine, session_id=old.id, kind="chat", now=NOW)
    post_message(engine, request_id, sender="shopper", text="Ich heiße Kim", now=NOW)
    recent = create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de",
                            now=NOW + timedelta(days=2))  # fmt: skip
    lowered = CONFIG.model_copy(update={"privacy": PrivacyConfig(session_retention_days=3)})

    removed, _ = purge_all(engine, lowered, now=NOW + timedelta(days=4))

    assert removed == 1
    assert session_of(engine, old.id) is None
    assert session_of(engine, recent.id) is not None
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(CHAT)).scalar_one() == 0


def test_the_kiosk_journal_names_no_resume_code(
    engine: Engine, qapp: object, capsys: pytest.CaptureFixture[str]
) -> None:
    """F4: a resume code is a bearer credential; the journal names the questionnaire and the step instead."""
    from ui.app import load_questionnaires
    from ui.session import KioskSession

    stored = create_session(engine, questionnaire_id="tent-finder", answers={"old_step": "x"}, locale="de")
    record = store.read(engine, stored.id)
    assert record is not None

    KioskSession(load_questionnaires(), locale="de").resume(record)

    said = capsys.readouterr().err
    assert "old_step" in said and "tent-finder" in said
    assert stored.resume_code not in said


def test_advisor_purge_says_how_many_queued_mails_it_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Store IT running `advisor purge` reads the unsent mails it deleted beside the sessions and events."""
    from advisor.bootstrap import open_database
    from advisor.cli import main

    url = f"sqlite:///{tmp_path / 'advisor.sqlite3'}"
    engine = open_database(url, load_sample=False)
    enqueue(engine, message=MESSAGE, address="old@example.com", session_id=None, locale="de",
            now=datetime.now(UTC) - timedelta(days=30))  # fmt: skip
    engine.dispose()

    assert main(["purge", "--db", url]) == 0

    said = capsys.readouterr().out
    assert "1 queued e-mail(s) deleted unsent (older than 14 days" in said, said
    assert said.startswith(f"purged {url}:\n"), "it names the database it purged"
    assert "old@" not in said


def test_advisor_purge_says_how_many_appointments_it_anonymised_and_orders_it_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The purge forgot shoppers in appointments and deleted finished repair orders without saying so."""
    from advisor.appointments import booking
    from advisor.bootstrap import open_database
    from advisor.cli import main
    from advisor.repairs.orders import Action, advance, create_order, order_of
    from tests.helpers.appointments import add_consultants

    url = f"sqlite:///{tmp_path / 'advisor.sqlite3'}"
    engine = open_database(url, load_sample=False)
    add_consultants(engine, ["anna"])
    long_ago = datetime.now(UTC) - timedelta(days=60)
    booked = booking.book(engine, config=store_config(), category_id="tents", name="Kim", contact="kim@example.com",
                          starts_at=_monday_11(long_ago + timedelta(days=7)), locale="de", channel="web",
                          now=long_ago)  # fmt: skip
    order = create_order(engine, store_id="muc-01", product_sku="T-1", problem="Reißverschluss", turnaround_days=7,
                         consent=True, contact_email="kim@example.com", received=False, now=long_ago)  # fmt: skip
    advance(engine, order_id=order.id, action=Action.CANCEL, staff="anna", now=long_ago)
    engine.dispose()

    assert main(["purge", "--db", url]) == 0

    said = capsys.readouterr().out
    assert "1 appointment(s) anonymised (more than 14 days after they ended)" in said, said
    assert "1 finished repair order(s) deleted (collected or returned more than 14 days ago)" in said, said
    assert order_of(engine, order.id) is None and booked.appointment_id


def _monday_11(after: datetime) -> datetime:
    day = after.astimezone(BERLIN).date()
    day += timedelta(days=(7 - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 11, 0, tzinfo=BERLIN)


def test_lowered_web_idle_hours_shorten_the_unfinished_web_sessions_stored_before(engine: Engine) -> None:
    """A web session stored under 12 idle hours (expiring 12 hours after its last change) is purged once its last
    change is longer ago than the hours lowered since; one that reached its results, one with a consent and a
    kiosk's stay."""

    def web(**more: object) -> str:
        return create_session(engine, questionnaire_id="tent-finder", answers={"season": "summer"}, locale="de",
                              origin="web", lifetime=timedelta(hours=12), now=NOW, **more).id  # type: ignore[arg-type]  # fmt: skip

    untouched = web()
    completed = web(columns={"completed": True})
    consented = web(consent=True)
    kiosk = create_session(engine, questionnaire_id="tent-finder", answers={}, locale="de", now=NOW)
    lowered = CONFIG.model_copy(update={"privacy": CONFIG.privacy.model_copy(update={"web_session_idle_hours": 1})})

    assert purge_all(engine, CONFIG, now=NOW + timedelta(hours=3))[0] == 0, "under 12 hours nothing goes"
    removed, _ = purge_all(engine, lowered, now=NOW + timedelta(hours=3))

    assert removed == 1
    assert session_of(engine, untouched) is None
    assert all(session_of(engine, kept) is not None for kept in (completed, consented, kiosk.id))
