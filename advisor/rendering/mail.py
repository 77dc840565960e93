"""The summary as an e-mail: sent through the configured SMTP server, or written as .eml files (--dry-run)."""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from advisor.rendering.summary import Summary, render_summary

# Deliberately simple: one @, no blanks, a dot in the domain. The SMTP server has the last word.
ADDRESS = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")


class MailError(ValueError):
    """An e-mail that cannot be sent; the message says why (the address itself is never logged)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    username: str = ""
    password: str = ""
    sender: str = ""
    starttls: bool = True


def check_address(address: str) -> str:
    cleaned = address.strip()
    if len(cleaned) > 254 or not ADDRESS.match(cleaned):
        raise MailError("this does not look like an e-mail address")
    return cleaned


def summary_message(summary: Summary, *, to: str, sender: str) -> EmailMessage:
    """A multipart e-mail (plain text and HTML) of the summary."""
    message = EmailMessage()
    message["Subject"] = summary.t("summary.title", title=summary.title)
    message["From"] = sender
    message["To"] = check_address(to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(render_summary(summary, "email_text"))
    message.add_alternative(render_summary(summary, "email_html"), subtype="html")
    return message


def deliver(message: EmailMessage, settings: SmtpSettings | None, *, dry_run: Path | None = None) -> Path | None:
    """Send the message, or with `dry_run` write it as an .eml file there and return its path."""
    if dry_run is not None:
        dry_run.mkdir(parents=True, exist_ok=True)
        name = str(message["Message-ID"]).strip("<>").replace("@", "_").replace("/", "_")
        path = dry_run / f"{name}.eml"
        path.write_bytes(bytes(message))
        return path
    if settings is None or not settings.host:
        raise MailError("e-mail is not set up here ([smtp] host in the configuration)")
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=15) as server:
            if settings.starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.username:
                server.login(settings.username, settings.password)
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"the e-mail could not be sent ({type(error).__name__})") from error
    return None
