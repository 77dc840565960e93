"""A shopper's contact: one e-mail address the outbox can send to, or a phone number staff can call; nothing that
reaches nobody."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.contact import MailError, check_contact


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
