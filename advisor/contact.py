"""A shopper's contact as the store may use it: one e-mail address the outbox can send to, or a phone number staff
can call. Checked where a contact is taken (a booking on any surface, a repair order, a summary by mail)."""

from __future__ import annotations

import re
import unicodedata
from email.errors import HeaderParseError
from email.headerregistry import Address

MAX_ADDRESS = 254  # RFC 5321: a forward path holds at most 256 characters, the two angle brackets included
_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


class MailError(ValueError):
    """An e-mail that cannot be sent; the message says why (the address itself is never in it). `permanent`: the
    mail server refused for good (trying again would not help)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class UnicodeLocalPart(MailError):
    """An address with characters beyond ASCII before the @ ("jürgen@müller.de"): it may well be valid (RFC 6531),
    but our mails go out without SMTPUTF8, so it cannot be sent to; the shopper is told so, not that it is wrong."""


MIN_PHONE_DIGITS = 6  # the shortest local number with its area code; a single digit reaches nobody
_PHONE = re.compile(r"\+?[0-9 ()/.\-]+")


def check_address(text: str) -> str:
    """The one e-mail address `text` holds, as it goes into RCPT TO; MailError for anything else: several addresses
    or a comma, a name with the address, no domain (or one without a dot), control characters (CR, LF, NUL, tab …)
    or more than 254 characters; UnicodeLocalPart for one with characters beyond ASCII before the @ (the outbox
    sends without SMTPUTF8). The standard library's RFC 5322 parser reads it; the SMTP server has the last word.
    """
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_ADDRESS:
        raise MailError(f"an e-mail address has 1 to {MAX_ADDRESS} characters")
    if "," in cleaned or any(unicodedata.category(character).startswith("C") for character in cleaned):
        raise MailError("one e-mail address, without commas or control characters")
    local, _, domain_typed = cleaned.rpartition("@")
    if not local.isascii():  # (said so only for an address that is otherwise one: what else is wrong comes first)
        check_address(f"x@{domain_typed}")
        raise UnicodeLocalPart("an e-mail address with characters beyond ASCII before the @ cannot be sent to here")
    try:
        parsed = Address(addr_spec=cleaned)
        domain = parsed.domain.encode("idna").decode("ascii")
        address = Address(username=parsed.username, domain=domain).addr_spec
    except (ValueError, IndexError, UnicodeError, HeaderParseError):
        raise MailError("this is not one e-mail address") from None
    if not _DOMAIN.fullmatch(domain) or len(address) > MAX_ADDRESS:
        raise MailError("an e-mail address needs a domain like example.org")
    return address


def is_address(contact: str) -> bool:
    """Whether a contact (an e-mail address or a phone number) is one e-mail address the outbox can send to."""
    try:
        check_address(contact)
    except MailError:
        return False
    return True


def check_contact(text: str) -> str:
    """One way to reach the shopper, as `text` holds it: an e-mail address (as `check_address` takes it) or a phone
    number (digits, with + ( ) / . - and spaces; at least MIN_PHONE_DIGITS digits). MailError for anything else."""
    cleaned = text.strip()
    if "@" in cleaned:
        return check_address(cleaned)
    number = phone_number(cleaned)
    if number is None:
        raise MailError("neither an e-mail address nor a phone number")
    return number


def phone_number(text: str) -> str | None:
    """`text` as a phone number (digits, with + ( ) / . - and spaces; at least MIN_PHONE_DIGITS digits), trimmed;
    None when it is none."""
    cleaned = text.strip()
    if not _PHONE.fullmatch(cleaned) or sum(character.isdigit() for character in cleaned) < MIN_PHONE_DIGITS:
        return None
    return cleaned
