"""The summary as an e-mail: to exactly one address, sent through the configured SMTP server, or written as .eml
files (--mail-dry-run)."""

from __future__ import annotations

import hashlib
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from advisor.config import SmtpConfig
from advisor.contact import MAX_ADDRESS as MAX_ADDRESS
from advisor.contact import MailError as MailError
from advisor.contact import check_address as check_address
from advisor.contact import is_address as is_address
from advisor.i18n import day_text, text
from advisor.rendering.summary import Summary, environment, render_summary

KIND_HEADER = "X-Advisor-Mail"  # what a mail is ("summary", "appointment move" …): the journal says it, not the address


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    username: str = ""
    password: str = ""
    sender: str = ""
    starttls: bool = True

    @classmethod
    def of(cls, config: SmtpConfig) -> SmtpSettings:
        """The settings of the configuration's [smtp] table."""
        return cls(config.host, config.port, config.username, config.password, config.sender, config.starttls)


def summary_message(summary: Summary, *, to: str, sender: str) -> EmailMessage:
    """A multipart e-mail (plain text and HTML) of the summary, to the one address `to`."""
    message = EmailMessage()
    message["Subject"] = summary.t("summary.title", title=summary.title)
    message["From"] = sender
    message["To"] = check_address(to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message[KIND_HEADER] = "summary"
    message.set_content(render_summary(summary, "email_text"))
    message.add_alternative(render_summary(summary, "email_html"), subtype="html")
    return message


@dataclass(frozen=True)
class AppointmentMail:
    """What an appointment's e-mail says: the confirmation (with the one-time links), of a booking or of a move
    (`moved_from`: the time it had) or of a hand-over to another consultant (`handed_from`: the one it had), the
    cancellation, or the reminder the day before."""

    reminder: bool
    locale: str
    address: str  # "du" or "Sie" (German)
    store_name: str
    name: str
    category: str
    staff_name: str
    starts_at: datetime  # on the store's clock
    ends_at: datetime
    resume_code: str = ""  # as shown (ABCD-2345); "" when booked without advice
    held: Sequence[str] = ()  # the products set aside, by name
    reschedule_url: str = ""
    cancel_url: str = ""
    moved_from: datetime | None = None  # a move's confirmation: the start it had (store's clock, as long as now)
    cancelled: bool = False
    handed_from: str = ""  # a hand-over's news: the consultant it had (the time stays)

    def t(self, key: str, **params: object) -> str:
        return text(key, self.locale, self.address, **params)

    def _span(self, starts_at: datetime) -> str:
        ends_at = starts_at + (self.ends_at - self.starts_at)
        return self.t("mail.appointment.when", day=day_text(starts_at, self.locale, year=True),
                      start=starts_at.strftime("%H:%M"), end=ends_at.strftime("%H:%M"))  # fmt: skip

    @property
    def when(self) -> str:
        return self._span(self.starts_at)

    @property
    def when_local(self) -> str:
        """The mail's time line: `when`, in English with the store's time zone ("Monday, 7 Dec 2026, 14:30–14:50
        (Europe/Berlin time)"), for a shopper who may read it abroad; German shoppers live on the store's clock."""
        if self.locale == "de":
            return self.when
        zone = getattr(self.starts_at.tzinfo, "key", None) or self.starts_at.tzname()
        return self.t("mail.appointment.local_time", when=self.when, zone=zone) if zone else self.when

    @property
    def was(self) -> str:
        """The time a moved appointment had ("" for any other mail)."""
        return self._span(self.moved_from) if self.moved_from is not None else ""

    @property
    def news(self) -> str:
        """The mail's first sentence: booked, moved, cancelled, or tomorrow."""
        if self.reminder:
            return self.t("mail.appointment.reminder")
        if self.cancelled:
            return self.t("mail.appointment.cancelled")
        if self.handed_from:
            return self.t("mail.appointment.handed", staff=self.staff_name, was=self.handed_from)
        return self.t("mail.appointment.moved" if self.moved_from is not None else "mail.appointment.booked")

    @property
    def kind(self) -> str:
        """What the mail is, for a server's journal (its KIND_HEADER)."""
        if self.reminder:
            return "appointment reminder"
        if self.cancelled:
            return "appointment cancellation"
        if self.handed_from:
            return "appointment handover"
        return "appointment move" if self.moved_from is not None else "appointment confirmation"

    @property
    def subject(self) -> str:
        if self.reminder:
            return self.t("mail.appointment.reminder_subject", time=self.starts_at.strftime("%H:%M"),
                          store=self.store_name)  # fmt: skip
        if self.cancelled:
            return self.t("mail.appointment.cancelled_subject", store=self.store_name, when=self.when)
        if self.moved_from is not None:
            return self.t("mail.appointment.moved_subject", store=self.store_name, when=self.when)
        if self.handed_from:
            return self.t("mail.appointment.handed_subject", store=self.store_name, when=self.when,
                          staff=self.staff_name)  # fmt: skip
        return self.t("mail.appointment.subject", store=self.store_name, when=self.when)


def templated_message(mail: Any, folder: str, *, to: str, sender: str) -> EmailMessage:
    """An e-mail to the one address `to` from `folder`'s email.txt and email.html templates, rendered with the mail
    object (as `m`, its `t` for texts and its `subject`; its `kind`, else the folder, names what it is)."""
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = sender
    message["To"] = check_address(to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message[KIND_HEADER] = getattr(mail, "kind", folder)
    templates = environment()
    message.set_content(templates.get_template(f"{folder}/email.txt").render(m=mail, t=mail.t))
    html = templates.get_template(f"{folder}/email.html").render(m=mail, t=mail.t, subject=mail.subject)
    message.add_alternative(html, subtype="html")
    return message


def appointment_message(mail: AppointmentMail, *, to: str, sender: str, ics: bytes | None = None) -> EmailMessage:
    """The appointment's e-mail (plain text and HTML) to the one address `to`, with the `.ics` attached if given (a
    cancellation's removes the entry)."""
    message = templated_message(mail, "appointment", to=to, sender=sender)
    if ics is not None:
        message.add_attachment(ics, maintype="text", subtype="calendar", filename="appointment.ics",
                               params={"method": "CANCEL" if mail.cancelled else "PUBLISH"})  # fmt: skip
    return message


def wire_bytes(message: EmailMessage) -> bytes:
    """The message as it goes over SMTP (CRLF line ends: servers refuse bare line feeds)."""
    return message.as_bytes(policy=SMTP)


def deliver(message: bytes, *, to: str, settings: SmtpSettings | None, dry_run: Path | None = None) -> Path | None:
    """Send the message to the one recipient `to` (the envelope names no other, whatever the headers say), or with
    `dry_run` write it as an .eml file there and return its path."""
    recipient = check_address(to)
    if dry_run is not None:
        dry_run.mkdir(parents=True, exist_ok=True)
        path = dry_run / f"{hashlib.sha256(message).hexdigest()[:32]}.eml"
        path.write_bytes(message)
        return path
    if settings is None or not settings.host:
        raise MailError("e-mail is not set up here ([smtp] host in the configuration)", permanent=True)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=15) as server:
            if settings.starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.username:
                server.login(settings.username, settings.password)
            server.sendmail(settings.sender or "advice@localhost", [recipient], message)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        raise MailError(f"the mail server refused the address ({codes})", permanent=min(codes) >= 500) from error
    except (OSError, smtplib.SMTPException) as error:
        # The journal's line: which server ([smtp] host and port) and why, in words store IT can act on.
        named = f"the mail server {settings.host}:{settings.port} ([smtp] host)"
        if isinstance(error, smtplib.SMTPResponseException):
            raise MailError(f"{named} answered {error.smtp_code}: {_refusal(error)}") from error
        raise MailError(f"{named} could not be reached: {_failure(error)}") from error
    return None


def _refusal(error: smtplib.SMTPResponseException) -> str:
    """What the mail server's refusal means, in words (its own text after them)."""
    said = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else str(error.smtp_error)
    said = " ".join(said.split())[:120]
    if isinstance(error, smtplib.SMTPAuthenticationError):
        meaning = "login refused: check [smtp] username and password"
    elif isinstance(error, smtplib.SMTPSenderRefused):
        meaning = "the sender address was refused: check [smtp] sender"
    else:
        meaning = "the e-mail was refused"
    return f"{meaning} ({said})" if said else meaning


def _failure(error: OSError | smtplib.SMTPException) -> str:
    """Why no e-mail could be handed to the mail server, in a few words."""
    if isinstance(error, socket.gaierror):
        return "host name not found"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused (nothing listens on that port)"
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"its TLS certificate is not trusted ({error.verify_message})"
    if isinstance(error, ssl.SSLError):
        return f"TLS failed ({error.reason or error})"
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return "it offers no STARTTLS ([smtp] starttls)"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "it closed the connection"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[0].lower() + error.strerror[1:]
    return str(error) or type(error).__name__
