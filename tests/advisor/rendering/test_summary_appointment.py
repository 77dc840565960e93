"""The take-away summary names the appointment its products are set aside for: one line, on the store's clock, with
the consultant, in the web page, the kiosk's print and the e-mail alike (one set of templates), in du and Sie."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from advisor.appointments.agenda import Entry, HeldProduct
from advisor.questionnaire.library import load_library
from advisor.questionnaire.model import Questionnaire
from advisor.rendering.summary import Summary, build_summary, render_summary
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index

TENTS = load_library().questionnaires["tent-finder"]
THREE = {"region": "dont_care", "trip": "dont_care", "frequency": "often", "persons": 1, "extra_space": True,
         "body_height": 180, "weight_importance": "ultralight", "extras": "dont_care"}  # fmt: skip
BERLIN = ZoneInfo("Europe/Berlin")
TENT = HeldProduct(sku="T-1", name="Zelt", location="1. OG, Zeltbereich, Regal 4")


def _appointment(held: int = 2) -> Entry:
    """Monday 7 Dec 2026, 14:30 (the store's clock) with Anna, `held` products set aside for it."""
    return Entry(
        appointment_id="a-1", starts_at=datetime(2026, 12, 7, 14, 30, tzinfo=BERLIN),
        ends_at=datetime(2026, 12, 7, 14, 50, tzinfo=BERLIN), staff_name="Anna", category_id="tents", state="booked",
        name="Kim", contact="kim@example.org", session_id="s-1", notes="", held=(TENT,) * held,
    )  # fmt: skip


def _summary(locale: str, appointment: Entry | None, questionnaire: Questionnaire = TENTS) -> Summary:
    advice = AdviceSession.start(questionnaire, index=sample_index("tents"), locale=locale)
    advice.set_answers(THREE)
    assert advice.index is not None
    return build_summary(
        questionnaire=questionnaire, state=advice.state, recommendation=advice.recommendation(), index=advice.index,
        locale=locale, created=datetime(2026, 12, 6, tzinfo=UTC), store_id="muc-01",
        fitting=advice.fitting_variants, appointment=appointment,
    )  # fmt: skip


def _shown(summary: Summary, kind: str) -> str:
    return unescape(render_summary(summary, kind))


@pytest.mark.parametrize("kind", ["print", "email_html", "email_text"])
def test_every_rendering_says_which_appointment_the_products_are_held_for(kind: str) -> None:
    english = _shown(_summary("en", _appointment()), kind)
    assert "Your appointment: Monday, 7 Dec 2026, 14:30 with Anna – the products are held for it." in english
    german = _shown(_summary("de", _appointment()), kind)
    assert "Dein Termin: Montag, 07.12.2026, 14:30 Uhr mit Anna – die Produkte sind dafür zurückgelegt." in german


def test_the_sie_form_and_a_single_product_read_as_such() -> None:
    formal = dataclasses.replace(TENTS, address={"de": "Sie", "en": "du"})
    said = _summary("de", _appointment(held=1), formal).appointment
    assert said == "Ihr Termin: Montag, 07.12.2026, 14:30 Uhr mit Anna – das Produkt ist dafür zurückgelegt."
    assert _summary("en", _appointment(held=1)).appointment.endswith("– the product is held for it.")


def test_an_appointment_with_nothing_set_aside_is_named_without_a_promise_of_products() -> None:
    said = _summary("en", _appointment(held=0)).appointment
    assert said == "Your appointment: Monday, 7 Dec 2026, 14:30 with Anna"


@pytest.mark.parametrize("kind", ["print", "email_html", "email_text"])
def test_without_an_appointment_the_summary_names_none(kind: str) -> None:
    shown = _shown(_summary("en", None), kind)
    assert "Your appointment" not in shown and "held for it" not in shown
