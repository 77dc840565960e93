"""Words the shopper and staff read in both languages: days as each language writes them, counts of one."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.i18n import MESSAGES, counted, day_text, money, rating_question

FRIDAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("style", "de", "en"),
    [
        ({}, "Freitag, 04.12.", "Friday, 4 Dec"),
        ({"year": True}, "Freitag, 04.12.2026", "Friday, 4 Dec 2026"),
        ({"weekday": "short"}, "Fr 04.12.", "Fri 4 Dec"),
        ({"weekday": None, "year": True}, "04.12.2026", "4 Dec 2026"),
        ({"weekday": None}, "04.12.", "4 Dec"),
    ],
)
def test_a_day_reads_as_each_language_writes_it(style: dict[str, object], de: str, en: str) -> None:
    assert day_text(FRIDAY, "de", **style) == de  # type: ignore[arg-type]
    assert day_text(FRIDAY, "en", **style) == en  # type: ignore[arg-type]
    assert day_text(datetime(2026, 12, 4, 9, 30), "en", **style) == en  # type: ignore[arg-type]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_english_days_never_use_the_german_dotted_form(day: date) -> None:
    for style in ("long", "short", None):
        english = day_text(day, "en", weekday=style, year=True)
        assert "." not in english and str(day.year) in english and str(day.day) in english
        german = day_text(day, "de", weekday=style, year=True)
        assert f"{day:%d.%m.%Y}" in german
    assert day_text(day + timedelta(days=1), "de", weekday="short")[:2] != day_text(day, "de", weekday="short")[:2]


def test_every_count_of_one_has_its_own_words_in_both_languages() -> None:
    for key in [key for key in MESSAGES if key.endswith(".one")]:
        assert set(MESSAGES[key]) >= {"de", "en"}, key
    assert counted("question.live_count", 1, "de", category="Zelt") == "1 Zelt passt"
    assert counted("question.live_count", 2, "de", category="Zelte") == "2 Zelte passen"
    assert counted("question.live_count", 0, "en", category="tents") == "0 tents fit"


def test_a_rating_in_school_grades_says_which_end_is_best_and_stars_need_no_words() -> None:
    assert rating_question("feedback.question", "grades", "en") == (
        "How well did the advice help you? (1 = excellent, 6 = inadequate)"
    )
    assert (
        rating_question("feedback.question", "grades", "de") == "Wie gut hat dich die Beratung unterstützt? (Schulnote)"
    )
    assert rating_question("feedback.contact", "stars", "de") == "Wie war der Kontakt mit unserem Team?"


def test_euros_stand_where_each_language_puts_the_sign() -> None:
    assert money("599,95", "de") == "599,95 €" and money("15–30", "de") == "15–30 €"
    assert money("599.95", "en") == "€599.95" and money("15–30", "en") == "€15–30"


_DU = re.compile(
    r"\b(du|dich|dir|dein\w*|wähle|gib|sende|starte|öffne|probier|tipp|schau|sprich|lass|lade|prüf|frag)\b|Versuch es"
    r"|versuche es",
    re.I,
)


def test_a_german_text_that_says_du_has_its_sie_form() -> None:
    # A store that says "Sie" must not hear "du" on one page of the advice (the chat, an error, a used link).
    single = [key for key, message in MESSAGES.items() if isinstance(de := message.get("de"), str) and _DU.search(de)]
    assert single == []
