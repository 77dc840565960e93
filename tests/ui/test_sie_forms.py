"""The formal "Sie" reaches every word a Sie questionnaire's shopper reads: the top pick's badge (kiosk, web, the
voice) and the subject of their appointment's confirmation mail, as the keys beside them already did."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from advisor.i18n import text
from advisor.rendering.mail import AppointmentMail
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index
from tests.ui.test_spoken import FAMILY
from ui import spoken
from ui.app import load_questionnaires


def test_the_top_pick_and_the_confirmation_subject_speak_as_the_advice_does() -> None:
    assert text("decide.top", "de", "Sie") == "Unser Favorit für Sie"
    assert text("decide.top", "de", "du") == "Unser Favorit für dich"
    assert text("decide.top", "en", "Sie") == "Our top pick for you"

    starts = datetime(2026, 12, 5, 14, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    mail = AppointmentMail(reminder=False, locale="de", address="Sie", store_name="Outdoor München", name="Eva",
                           category="Zelte", staff_name="Anna", starts_at=starts,
                           ends_at=starts.replace(minute=50))  # fmt: skip
    assert mail.subject.startswith("Ihr Termin bei Outdoor München: ")
    assert mail.subject == text("mail.appointment.subject", "de", "Sie", store="Outdoor München", when=mail.when)
    assert AppointmentMail(**{**mail.__dict__, "address": "du"}).subject.startswith("Dein Termin bei ")
    assert AppointmentMail(**{**mail.__dict__, "locale": "en"}).subject.startswith("Your appointment at ")


def test_the_voice_names_the_top_pick_in_the_sie_form() -> None:
    advice = AdviceSession.start(load_questionnaires()["tent-finder"], index=sample_index("tents"), locale="de")
    advice.set_answers(FAMILY)
    result, index = advice.recommendation(), advice.index
    assert result is not None and index is not None
    decision = advice.decision()
    items = spoken.result_items(result, decision, index, locale="de", address="Sie", store_id="muc-01")
    top = items[decision.display_order()[0]]
    assert "Unser Favorit für Sie." in top and "für dich" not in top
