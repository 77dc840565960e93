"""The mail outbox: a summary e-mail or an appointment's confirmation is queued in the database when the shopper
asks for it (or books) and sent by a background thread of every server process, retried while the mail server
fails; the same thread sends the appointments' reminders the day before, queued in the appointment rows.

A request only queues (so it answers at once, and a slow or broken mail server never holds a page); `send_due`
sends what is due. Each mail is claimed by one sender before it is sent, so several processes and instances never
send it twice. The row, and with it the address, is deleted once the mail is sent or given up; the journal
(stderr) says so without the address.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.parser import BytesHeaderParser
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from advisor.appointments import booking, reminders
from advisor.db.engine import shown_url
from advisor.db.prepared import reading
from advisor.handoff import limits
from advisor.rendering.mail import (
    KIND_HEADER,
    AppointmentMail,
    MailError,
    SmtpSettings,
    appointment_message,
    check_address,
    deliver,
    is_address,
    wire_bytes,
)
from advisor.session import confirmation
from advisor.session.confirmation import OUTBOX as OUTBOX  # (the outbox's table and queueing live in the core:
from advisor.session.confirmation import enqueue as enqueue  # the kiosk and the console queue confirmations too)
from advisor.web.context import WebContext

MAX_ATTEMPTS = 6  # then the mail is given up: about half an hour of trying
FIRST_RETRY = timedelta(minutes=1)  # after a failed attempt, 1, 2, 4, 8 and 16 minutes until the next
CLAIM = timedelta(minutes=5)  # a mail a sender claimed but did not finish (the process died) is due again then
BATCH = 20  # mails one call of send_due sends at most
POLL_SECONDS = 2.0  # how often a server process's sender looks for due mails
# Summary mails and appointment confirmations the web companion sends to an address typed there, counted in the
# database like wrong codes (docs/deploying.md): per advice session and per client (the numbers and why: limits.py).
MAILS_PER_SESSION = limits.MAILS_PER_SESSION
MAILS_PER_CLIENT = limits.MAILS_PER_CLIENT


@dataclass(frozen=True)
class Report:
    """What one call of `send_due` did."""

    sent: int = 0
    retried: int = 0
    given_up: int = 0


def spend_allowance(engine: Engine, *, session_id: str, client: str, now: datetime | None = None) -> int | None:
    """Count one mail to an address typed on the web (a summary, an appointment's confirmation) for the session and
    the client: None when both budgets allow it, else the whole seconds to wait (and nothing is counted). Both kinds
    draw on one budget, so a booking's form sent again and again with other addresses sends no more mails than the
    summary's form does."""
    moment = now or datetime.now(UTC)
    session_key = limits.key("mail", f"session:{session_id}")
    wait = limits.spend(engine, session_key, MAILS_PER_SESSION, now=moment)
    if wait is not None:
        return wait
    wait = limits.spend(engine, limits.key("mail", client), MAILS_PER_CLIENT, now=moment)
    if wait is not None:
        limits.refund(engine, session_key, MAILS_PER_SESSION, now=moment)
    return wait


def refund_allowance(engine: Engine, *, session_id: str, client: str, now: datetime) -> None:
    """Give back the mail `spend_allowance` counted at `now` (none went out after all)."""
    limits.refund(engine, limits.key("mail", f"session:{session_id}"), MAILS_PER_SESSION, now=now)
    limits.refund(engine, limits.key("mail", client), MAILS_PER_CLIENT, now=now)


def retry_after(attempts: int) -> timedelta:
    """How long a mail waits after its `attempts`-th failed attempt."""
    return FIRST_RETRY * (1 << (attempts - 1))


def send_due(
    engine: Engine, settings: SmtpSettings | None, *, now: datetime | None = None, dry_run: Path | None = None
) -> Report:
    """Send the mails that are due (at most BATCH): delete each once it is sent or given up, else set its next try."""
    moment = now or datetime.now(UTC)
    with reading(engine) as connection:
        due = connection.execute(
            sa.select(OUTBOX.c.id, OUTBOX.c.attempts)
            .where(OUTBOX.c.next_attempt_at <= moment)
            .order_by(OUTBOX.c.next_attempt_at)
            .limit(BATCH)
        ).all()
    sent = retried = given_up = 0
    for mail_id, attempts in due:
        with engine.begin() as connection:  # claim it: no other sender takes it while this one tries
            claimed = connection.execute(
                OUTBOX.update()
                .where(OUTBOX.c.id == mail_id, OUTBOX.c.attempts == attempts, OUTBOX.c.next_attempt_at <= moment)
                .values(attempts=attempts + 1, next_attempt_at=moment + CLAIM)
            ).rowcount
            row = connection.execute(sa.select(OUTBOX).where(OUTBOX.c.id == mail_id)).first() if claimed else None
        if row is None:
            continue
        attempt = attempts + 1
        said = _said(row.message, mail_id)
        try:
            written = _deliver(row.message, to=row.address, settings=settings, dry_run=dry_run)
        except MailError as error:
            if error.permanent or attempt >= MAX_ATTEMPTS:
                _forget(engine, mail_id)
                given_up += 1
                journal(f"{said} given up after {attempt} attempt(s): {error}")
            else:
                with engine.begin() as connection:
                    connection.execute(
                        OUTBOX.update()
                        .where(OUTBOX.c.id == mail_id)
                        .values(next_attempt_at=moment + retry_after(attempt), last_error=str(error)[:300])
                    )
                retried += 1
                journal(f"{said} not sent, trying again in {retry_after(attempt)}: {error}")
            continue
        _forget(engine, mail_id)
        sent += 1
        journal(f"{said} written to {written} (dry run: not sent)" if written else
                f"{said} sent ({row.locale}, attempt {attempt})")  # fmt: skip
    return Report(sent, retried, given_up)


# A reminder's message and the one address it goes to; None when there is nothing to send (a phone number, or the
# appointment is gone).
ReminderWriter = Callable[[reminders.Reminder], tuple[bytes, str] | None]


def send_reminders(
    engine: Engine, settings: SmtpSettings | None, *, write: ReminderWriter, now: datetime | None = None,
    dry_run: Path | None = None,
) -> Report:  # fmt: skip
    """Send the reminders that are due (the day before, queued in the appointments): each claimed by this sender,
    marked sent once it went out or was given up; one the mail server did not take is due again after the claim."""
    sent = retried = given_up = 0
    for reminder in reminders.claim_due(engine, now=now):
        mail = write(reminder)
        if mail is None:
            reminders.sent(engine, appointment_id=reminder.appointment_id, now=now)
            given_up += 1
            journal(f"reminder of appointment {reminder.appointment_id} not sent: no e-mail address")
            continue
        message, address = mail
        try:
            written = _deliver(message, to=address, settings=settings, dry_run=dry_run)
        except MailError as error:
            if error.permanent or reminder.attempt >= reminders.MAX_ATTEMPTS:
                reminders.sent(engine, appointment_id=reminder.appointment_id, now=now)
                given_up += 1
                journal(f"reminder of appointment {reminder.appointment_id} given up after {reminder.attempt} "
                        f"attempt(s): {error}")  # fmt: skip
            else:
                retried += 1
                journal(f"reminder of appointment {reminder.appointment_id} not sent, trying again in "
                        f"{reminders.CLAIM}: {error}")  # fmt: skip
            continue
        reminders.sent(engine, appointment_id=reminder.appointment_id, now=now)
        sent += 1
        said = f"reminder of appointment {reminder.appointment_id}"
        journal(f"{said} written to {written} (dry run: not sent)" if written else
                f"{said} sent ({reminder.locale}, attempt {reminder.attempt})")  # fmt: skip
    return Report(sent, retried, given_up)


def appointment_mail(
    web: WebContext, *, appointment_id: str, locale: str, reminder: bool, links: Mapping[str, str] | None = None,
) -> AppointmentMail | None:  # fmt: skip
    """What an appointment's confirmation (with its one-time `links`) or reminder says (advisor/session/confirmation.py,
    with the web companion's questionnaires and catalog); None when the appointment is gone."""
    return confirmation.appointment_mail(
        web.engine, web.config, questionnaires=web.questionnaires(), categories=web.index_cache.get().categories,
        appointment_id=appointment_id, locale=locale, reminder=reminder, links=links,
    )  # fmt: skip


def reminder_writer(web: WebContext) -> ReminderWriter:
    """How the server process writes a reminder: to the appointment's contact when it is an e-mail address."""
    sender = web.config.smtp.sender or "advice@localhost"

    def write(reminder: reminders.Reminder) -> tuple[bytes, str] | None:
        if not is_address(reminder.contact):
            return None
        # Its own links to move or cancel: the confirmation may be long gone by the day before.
        own = booking.reminder_links(web.engine, appointment_id=reminder.appointment_id)
        mail = appointment_mail(web, appointment_id=reminder.appointment_id, locale=reminder.locale, reminder=True,
                                links=own)  # fmt: skip
        if mail is None:
            return None
        return wire_bytes(appointment_message(mail, to=reminder.contact, sender=sender)), reminder.contact

    return write


def _said(message: bytes, mail_id: int) -> str:
    """A queued mail as the journal names it: what it is and its Message-ID ("appointment move e-mail
    <…@example.org>"); the outbox's row ids are used again once the table is empty, and the address is never said."""
    headers = BytesHeaderParser().parsebytes(message)
    return f"{headers.get(KIND_HEADER, 'queued')} e-mail {headers.get('Message-ID', f'#{mail_id}')}"


def _deliver(message: bytes, *, to: str, settings: SmtpSettings | None, dry_run: Path | None = None) -> Path | None:
    """`deliver`, but a dry run's .eml file (the address, the name, the whole text) is written readable by the
    server's user only (0600, in a folder made 0700), as the database files are; its path (None: sent)."""
    if dry_run is None:
        deliver(message, to=to, settings=settings)
        return None
    check_address(to)
    dry_run.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = dry_run / f"{hashlib.sha256(message).hexdigest()[:32]}.eml"  # deliver's name: a mail written again
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # replaces its file
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(file.fileno(), 0o600)  # (a file written before this was 0644)
        file.write(message)
    return path


def _forget(engine: Engine, mail_id: int) -> None:
    with engine.begin() as connection:
        connection.execute(OUTBOX.delete().where(OUTBOX.c.id == mail_id))


def journal(line: str) -> None:
    """A line for the journal (stderr under systemd) of a server process; never with an address."""
    sys.stderr.write(f"advisor: {line}\n")
    sys.stderr.flush()


def database_named(engine: Engine, config_source: Path | None) -> str:
    """The database a journal line about an outage names, so that store IT sees which one cannot be reached: its
    server and name as the kiosk's line says them (shown_url: never the user or password), and the configuration
    file the server was started with, if it was given one, e.g. "the database
    postgresql://…@db.store.local:5432/advisor (configuration /etc/advisor/advisor.toml)"."""
    named = f"the database {shown_url(engine.url.render_as_string(hide_password=False))}"
    return named if config_source is None else f"{named} (configuration {config_source})"


class MailSender:
    """A server process's background thread that sends the outbox, and the appointments' reminders when it is given
    a `reminders` writer, every POLL_SECONDS until `stop`."""

    def __init__(
        self, engine: Engine, settings: SmtpSettings | None, *, dry_run: Path | None = None,
        reminders: ReminderWriter | None = None, database: str = "",
    ) -> None:  # fmt: skip
        self.engine = engine
        self.database = database  # database_named: said when the outbox cannot be read
        self.settings = settings
        self.dry_run = dry_run
        self.reminders = reminders
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mail-outbox", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop after the mail being sent (a mail not yet sent stays queued for the next start or another process)."""
        self._stopping.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        failing = False
        while not self._stopping.wait(POLL_SECONDS):
            try:
                send_due(self.engine, self.settings, dry_run=self.dry_run)
                if self.reminders is not None:
                    send_reminders(self.engine, self.settings, write=self.reminders, dry_run=self.dry_run)
            except SQLAlchemyError as error:
                if not failing:  # one line per outage, not one every few seconds
                    where = f" in {self.database}" if self.database else ""
                    journal(f"the mail outbox{where} cannot be read ({type(error).__name__}); trying on")
                failing = True
            else:
                if failing:
                    journal("the mail outbox can be read again")
                failing = False


def mail_sender(web: WebContext) -> MailSender | None:
    """The sender of a server process: None when e-mail is neither set up nor written to a dry-run folder."""
    if not web.config.smtp.enabled and web.mail_dry_run is None:
        return None
    return MailSender(web.engine, SmtpSettings.of(web.config.smtp), dry_run=web.mail_dry_run,
                      reminders=reminder_writer(web),
                      database=database_named(web.engine, web.config.source))  # fmt: skip
