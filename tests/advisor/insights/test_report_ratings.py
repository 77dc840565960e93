"""Ratings on two scales (school grades, 1 best; stars, 5 best) are counted apart, never as one distribution."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from advisor.insights.events import Event
from advisor.insights.report import build_report
from advisor.rendering.report import render_report
from tests.advisor.insights.test_report import T0, TENTS, figure


def rated(name: str, grade: int, scale: str, *, about: str = "advice", at_day: int = 0) -> list[Event]:
    at = T0 + timedelta(days=at_day)
    return [
        Event("started", TENTS.id, at, name),
        Event("feedback", TENTS.id, at, name, value={"scale": scale, "about": about}, number=float(grade)),
    ]


def switched(at_day: int = 0, about: str = "advice") -> list[Event]:
    """A store that rated in school grades (1, 1, 1, 2), then switched [kiosk] feedback_scale to stars (5, 3)."""
    events: list[Event] = []
    for i, grade in enumerate((1, 1, 1, 2)):
        events += rated(f"g{at_day}-{i}", grade, "grades", about=about, at_day=at_day)
    for i, stars in enumerate((5, 3)):
        events += rated(f"s{at_day}-{i}", stars, "stars", about=about, at_day=at_day)
    return events


def bars_under(html: str, heading: str) -> list[tuple[str, str]]:
    """The bars (label, count) of the list right under a heading."""
    block = html.split(f">{heading}</h3>", 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li[^>]*>([^<]+)<b>([^<]+)</b>", block)


def test_grades_and_stars_are_shown_each_on_its_own_scale() -> None:
    report = build_report(switched(), {TENTS.id: TENTS}, {}, locale="de")
    html = render_report(report)
    grades = bars_under(html, "Bewertung der Beratung (Schulnoten)")
    stars = bars_under(html, "Bewertung der Beratung (Sterne)")
    assert grades == [("1", "3"), ("2", "1"), ("3", "0"), ("4", "0"), ("5", "0"), ("6", "0")]
    assert stars == [("5 ★", "1"), ("4 ★", "0"), ("3 ★", "1"), ("2 ★", "0"), ("1 ★", "0")]
    # Top rating: three grades "1" and one five-star rating of six ratings, not the one "1" among the stars.
    assert figure(html, TENTS.id, "top_grade") == "67\u00a0%"
    assert "von 6 Bewertungen" in html


def test_one_scale_alone_shows_one_distribution_as_before() -> None:
    events = [e for e in switched() if not (e.kind == "feedback" and e.value["scale"] == "stars")]
    html = render_report(build_report(events, {TENTS.id: TENTS}, {}, locale="en"))
    assert "Rating of the advice (school grades, 1 is best)" in html and "Rating of the advice (stars)" not in html
    assert figure(html, TENTS.id, "top_grade") == "75%"
    stars_only = [e for e in switched() if not (e.kind == "feedback" and e.value["scale"] == "grades")]
    html = render_report(build_report(stars_only, {TENTS.id: TENTS}, {}, locale="en"))
    assert bars_under(html, "Rating of the advice (stars)")[0] == ("5 ★", "1")
    assert "school grades" not in html and figure(html, TENTS.id, "top_grade") == "50%"


def test_the_period_before_counts_top_ratings_by_the_same_rule() -> None:
    """The earlier week rated on both scales too: its top share is 4 of 6 as well, so no change."""
    start, end = T0 + timedelta(days=7), T0 + timedelta(days=14)
    report = build_report(
        switched(at_day=7), {TENTS.id: TENTS}, {}, locale="de", start=start, end=end, previous=switched()
    )
    html = render_report(report)
    top = next(h for h in report.questionnaires[0].headlines if h.key == "top_grade")
    assert (top.shown, top.previous, top.better) == ("67\u00a0%", "Vorperiode: 67\u00a0% (±0 Pp.)", None)
    assert "Vorperiode: 67\u00a0% (±0 Pp.)" in html


@pytest.mark.parametrize(
    ("locale", "grades", "stars"),
    [
        ("de", "Bewertung des Kontakts (Schulnoten)", "Bewertung des Kontakts (Sterne)"),
        ("en", "Rating of the contact (school grades, 1 is best)", "Rating of the contact (stars)"),
    ],
)
def test_contact_ratings_on_both_scales_are_shown_apart(locale: str, grades: str, stars: str) -> None:
    report = build_report(switched(about="contact"), {TENTS.id: TENTS}, {}, locale=locale)
    html = render_report(report)
    assert bars_under(html, grades)[:2] == [("1", "3"), ("2", "1")]
    assert bars_under(html, stars)[0] == ("5 ★", "1")
    assert bars_under(html, stars)[2] == ("3 ★", "1")
