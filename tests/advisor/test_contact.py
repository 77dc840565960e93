"""A shopper's contact: one e-mail address the outbox can send to, or a phone number staff can call; nothing that
reaches nobody."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.contact import MailError, UnicodeLocalPart, check_contact


@pytest.mark.parametrize(
    "contact", ["kim@example.com", " kim@example.com ", "+49 89 1234567", "089 / 123 45-67", "(0171) 234.5678"]
)
def test_an_address_or_a_phone_number_is_taken(contact: str) -> None:
    assert check_contact(contact) == contact.strip()


@pytest.mark.parametrize(
    "contact", ["kim@example", "6", "12345", "call me maybe", "kim@example.com, root", "0171 abc", "+49\x0089 123456"]
)
def test_a_contact_that_reaches_nobody_is_refused(contact: str) -> None:
    with pytest.raises(MailError):
        check_contact(contact)


@given(st.text(max_size=40))
def test_any_text_is_either_refused_or_an_address_or_a_number_with_six_digits(text: str) -> None:
    try:
        taken = check_contact(text)
    except MailError:
        return
    assert "@" in taken or sum(character.isdigit() for character in taken) >= 6
    assert taken == taken.strip() and "\n" not in taken and "," not in taken


def test_an_address_with_umlauts_before_the_at_is_refused_as_one_our_mails_cannot_reach() -> None:
    """An address like "jürgen@müller.de" is valid, but the outbox sends without SMTPUTF8: refused as one it cannot send
    to, not as a wrong one; umlauts after the @ are taken."""
    with pytest.raises(UnicodeLocalPart):
        check_contact("jürgen@müller.de")
    with pytest.raises(MailError) as wrong:
        check_contact("kim@example")
    assert not isinstance(wrong.value, UnicodeLocalPart)
    with pytest.raises(MailError) as no_domain:
        check_contact("jürgen@müller")
    assert not isinstance(no_domain.value, UnicodeLocalPart), "what else is wrong is said first"
    assert check_contact("juergen@müller.de") == "juergen@xn--mller-kva.de"
