"""What staff read when the console's action is refused: the refusals of the handoff, the appointments and the
repair orders in the console's language (their own messages, in English, go to the journal)."""

from __future__ import annotations

from advisor.appointments.agenda import NoCustomer
from advisor.appointments.booking import BookingError
from advisor.handoff.chat import MAX_MESSAGE
from advisor.handoff.codes import InvalidCode, TooManyAttempts
from advisor.handoff.requests import HandoffError
from advisor.i18n import duration, text
from advisor.repairs.orders import IllegalMove


def refusal(error: ValueError, locale: str) -> str:
    """A refused action as a member of staff reads it: why, and what to do, in `locale`."""
    if isinstance(error, TooManyAttempts):
        return text("code.wait", locale, wait=duration(error.seconds, locale))
    if isinstance(error, InvalidCode) or (isinstance(error, HandoffError) and error.reason == "unknown_code"):
        return text("code.unknown", locale)  # as the kiosk says it
    if isinstance(error, HandoffError) and error.reason == "taken_over":
        return text("console.refused.taken_over", locale, staff=error.by or "?")
    if isinstance(error, HandoffError) and error.reason:
        return text(f"console.refused.{error.reason}", locale, count=MAX_MESSAGE)
    if isinstance(error, IllegalMove):
        state = text(f"repair.state.{error.state.value}", locale)
        return text("console.refused.repair_moved", locale, state=state)
    if isinstance(error, NoCustomer):
        return text("console.refused.no_customer", locale)
    if isinstance(error, BookingError):  # said in the locale it was asked in
        return str(error)
    return text("console.refused.other", locale)
