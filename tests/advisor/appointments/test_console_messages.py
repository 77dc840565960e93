"""What staff read when the console's phone booking is refused: said about the caller, never to the shopper."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from advisor.appointments import booking
from advisor.appointments.booking import BookingError
from tests.helpers.appointments import add_consultants, store_config

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=BERLIN)  # a Tuesday
AT_11 = datetime(2026, 12, 5, 11, 0, tzinfo=BERLIN)  # Saturday 11:00
CONFIG = store_config()
# The shopper's own words ("du", "dein", "Bitte gib …"; "your", "you"): a console speaks about the caller.
TO_THE_SHOPPER = re.compile(r"\b([Dd]u|dich|dir|deine?n?|gib|prüfe|schreib|Sie|Ihre?n?|you|your)\b")


def _refused(engine: Engine, channel: str, locale: str, **extra: object) -> BookingError:
    values: dict[str, object] = {
        "config": CONFIG, "category_id": "tents", "starts_at": AT_11, "name": "Test Kunde", "contact": "12345",
        "locale": locale, "channel": channel, "now": NOW,
    } | extra  # fmt: skip
    with pytest.raises(BookingError) as refused:
        booking.book(engine, **values)  # type: ignore[arg-type]
    return refused.value


@pytest.fixture
def store(engine: Engine) -> Engine:
    add_consultants(engine, ["anna"])
    return engine


def test_a_contact_that_reaches_nobody_is_said_to_staff_about_the_caller(store: Engine) -> None:
    refused = _refused(store, "console", "de")
    assert refused.reason == "bad_contact"
    assert str(refused) == "Diese E-Mail-Adresse oder Telefonnummer erreicht den Anrufer nicht – bitte nachfragen."
    english = _refused(store, "console", "en")
    assert str(english) == "This e-mail address or phone number does not reach the caller – please check it with them."
    # the shopper's booking form still speaks to the shopper
    assert "so erreichen wir dich nicht" in str(_refused(store, "web", "de"))
    assert "we could not reach you" in str(_refused(store, "kiosk", "en"))


@pytest.mark.parametrize("locale", ["de", "en"])
@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"contact": "kim@example"}, "bad_contact"),
        ({"contact": "jürgen@müller.de"}, "bad_contact"),
        ({"name": " "}, "no_contact"),
        ({"contact": ""}, "no_contact"),
        ({"name": "Test\nKunde"}, "name_line_break"),
        ({"name": "T" * (booking.MAX_NAME + 1)}, "name_too_long"),
        ({"contact": "0" * (booking.MAX_PHONE + 1)}, "contact_too_long"),
        ({"products": ["T-1", "T-2", "T-3", "T-4"]}, "too_many_products"),
    ],
)
def test_every_refusal_of_a_phone_booking_is_said_about_the_caller(
    store: Engine, extra: dict[str, object], reason: str, locale: str
) -> None:
    refused = _refused(store, "console", locale, **extra)
    assert refused.reason == reason
    assert not TO_THE_SHOPPER.search(str(refused)), str(refused)
    if locale == "de" and reason != "name_too_long":  # (a name's length is said to no one in particular)
        assert TO_THE_SHOPPER.search(str(_refused(store, "web", locale, **extra))), "the shopper keeps their words"
