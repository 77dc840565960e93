"""The take-away summary lists the products exactly as the results showed them (the top pick, then the alternatives
group by group, after the diversity rule), and its heading says how many it lists of how many fit: the web page,
the kiosk's print and screen and the e-mail all come from build_summary and render_summary."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from advisor.i18n import text
from advisor.questionnaire.library import load_library
from advisor.rendering.summary import Summary, build_summary, render_summary
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index

TENTS = load_library().questionnaires["tent-finder"]
# (9 fit, and the groups ("lighter, but pricier") show them in another order than the ranking)
NINE = {"region": "dont_care", "trip": "trekking", "frequency": "rarely", "persons": 3, "extra_space": False,
        "body_height": 180, "weight_importance": "high", "extras": "dont_care"}  # fmt: skip
THREE = {"region": "dont_care", "trip": "dont_care", "frequency": "often", "persons": 1, "extra_space": True,
         "body_height": 180, "weight_importance": "ultralight", "extras": "dont_care"}  # fmt: skip


def _advice(answers: dict[str, Any], locale: str) -> AdviceSession:
    advice = AdviceSession.start(TENTS, index=sample_index("tents"), locale=locale)
    advice.set_answers(answers)
    assert advice.step is None, "the answers reach the results"
    return advice


def _summary(advice: AdviceSession) -> Summary:
    assert advice.index is not None
    return build_summary(
        questionnaire=TENTS, state=advice.state, recommendation=advice.recommendation(), index=advice.index,
        locale=advice.locale, created=datetime(2026, 5, 4, tzinfo=UTC), store_id="muc-01",
        fitting=advice.fitting_variants, given=advice.given(),
    )  # fmt: skip


def _results_order(advice: AdviceSession) -> list[str]:
    """The skus as the results page and the kiosk's results screen lay them out: the top pick, then each group of
    alternatives ("leichter, aber teurer") in turn."""
    result, decision = advice.recommendation(), advice.decision()
    return [result.products[0].sku] + [alternative.sku for _, group in decision.groups() for alternative in group]


def _names(advice: AdviceSession, skus: list[str]) -> list[str]:
    index = advice.index
    assert index is not None
    return [index.products[index.position[sku]].name[advice.locale] for sku in skus]


@pytest.mark.parametrize("locale", ["de", "en"])
def test_the_summary_lists_the_products_in_the_order_the_results_showed(locale: str) -> None:
    advice = _advice(NINE, locale)
    result = advice.recommendation()
    shown = _results_order(advice)
    assert result.count == 9 and len(shown) == len(result.products) == 5
    assert shown != [item.sku for item in result.products], "the results regroup the ranked list (this case's point)"

    summary = _summary(advice)
    assert [item.facts.sku for item in summary.items] == shown
    names = _names(advice, shown)
    for kind in ("print", "email_html", "email_text"):  # the kiosk's print and screen, the web page, the e-mail
        rendered = render_summary(summary, kind)
        numbered = re.findall(r"^(?:<h3>)?(\d)\. (.+?) – ", rendered, flags=re.MULTILINE)
        assert [(int(number), name) for number, name in numbered] == list(enumerate(names, 1)), kind


@pytest.mark.parametrize(
    ("locale", "heading"),
    [
        ("de", "Unsere Empfehlungen für dich: die besten 5 von 9"),
        ("en", "Our recommendations for you: the best 5 of 9"),
    ],
)
def test_the_heading_says_how_many_it_lists_of_how_many_fit(locale: str, heading: str) -> None:
    summary = _summary(_advice(NINE, locale))
    assert (len(summary.items), summary.count) == (5, 9)
    assert summary.products_title == heading
    for kind in ("print", "email_html", "email_text"):
        rendered = render_summary(summary, kind)
        assert heading in rendered, kind
        assert "(9)" not in rendered, kind


@pytest.mark.parametrize(
    ("locale", "heading"), [("de", "Unsere Empfehlungen für dich (3)"), ("en", "Our recommendations for you (3)")]
)
def test_when_every_product_that_fits_is_listed_the_heading_gives_the_count(locale: str, heading: str) -> None:
    summary = _summary(_advice(THREE, locale))
    assert len(summary.items) == summary.count == 3
    assert summary.products_title == heading
    for kind in ("print", "email_html", "email_text"):
        assert heading in render_summary(summary, kind), kind


def test_the_heading_in_the_polite_form_and_for_a_single_product_shown() -> None:
    assert text("summary.products_best_of", "de", "Sie", shown=5, count=9) == (
        "Unsere Empfehlungen für Sie: die besten 5 von 9"
    )
    assert (
        text("summary.products_best_of", "en", "Sie", shown=5, count=9)
        == "Our recommendations for you: the best 5 of 9"
    )
    assert text("summary.products_top_of", "de", "du", count=9) == "Unsere Empfehlung für dich: die beste von 9"
    assert text("summary.products_top_of", "en", "du", count=9) == "Our recommendation for you: the best of 9"
