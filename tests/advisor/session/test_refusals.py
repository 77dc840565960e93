"""A refused console action is said in the console's language: a wrong code, a case or an order a colleague changed
meanwhile, a chat that is over; never the program's English."""

from __future__ import annotations

import pytest

from advisor.appointments.booking import BookingError
from advisor.handoff.codes import InvalidCode, TooManyAttempts
from advisor.handoff.requests import HandoffError
from advisor.repairs.orders import Action, IllegalMove, State
from advisor.session.refusals import refusal


@pytest.mark.parametrize(
    ("error", "german", "english"),
    [
        (HandoffError("no advice session has this code (or it has expired)", reason="unknown_code"),
         "Zu diesem Code gibt es keine Beratung (oder sie ist abgelaufen).", "No advice has this code (or it has"),
        (InvalidCode("a code has 8 characters"), "Zu diesem Code gibt es keine Beratung", "No advice has this code"),
        (TooManyAttempts(120), "Bitte in 2 Minuten noch einmal", "try again in 2 minutes"),
        (HandoffError("request 4 is claimed; it cannot be claimed", reason="moved"), "Der Fall hat sich inzwischen",
         "the case changed meanwhile"),
        (HandoffError("request 4 is closed: the chat is over", reason="chat_over"), "Der Chat ist beendet.",
         "The chat is over."),
        (IllegalMove(1, "ABCD2345", State.COLLECTED, Action.DIAGNOSE),
         "Der Auftrag ist inzwischen „Abgeholt“", "the order is “Collected” by now"),
        (BookingError("not_booked", "Dieser Termin ist nicht mehr gebucht."), "Dieser Termin ist nicht mehr gebucht.",
         "Dieser Termin ist nicht mehr gebucht."),
        (HandoffError("unknown sender 'x'"), "Das ging nicht. Bitte noch einmal versuchen.",
         "That did not work. Please try again."),
    ],
)  # fmt: skip
def test_a_refusal_is_said_in_the_consoles_language(error: ValueError, german: str, english: str) -> None:
    assert german in refusal(error, "de")
    assert english in refusal(error, "en")
    assert "cannot be" not in refusal(error, "de") and "request 4" not in refusal(error, "de")
