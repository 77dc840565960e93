"""English as English writes it, German as German does, each by one rule in one place: a percentage ("66%" /
"66 %" with a no-break space, said "percent" / "Prozent"), a date ("30 Sep 2032" like every English date; German
unchanged), the store's name (the catalog's, in the shopper's language) and a wish a product misses ("Construction:
2.5-layer (wished: 3-layer)", not "without 3-layer")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from advisor.catalog.reads import STORE, store_name
from advisor.i18n import day_text, percent
from advisor.questionnaire.library import load_library
from advisor.recommend.core import attribute_label, format_value
from advisor.rendering.compare import compare_rows
from advisor.rendering.facts import long_date, product_facts
from advisor.session.service import AdviceSession
from tests.helpers.index import sample_index
from ui import spoken

QUESTIONNAIRES = load_library().questionnaires
TREKKING_JACKET = {
    "activity": "trekking", "rain": "rainy_days", "sweat": "moderate", "cut": "dont_care", "budget": 220,
    "weight_importance": "medium", "extras": "dont_care", "chest_cm": "dont_care", "body_height": 175,
}  # fmt: skip


def said(questionnaire_id: str, answers: dict[str, Any], locale: str) -> list[str]:
    questionnaire = QUESTIONNAIRES[questionnaire_id]
    session = AdviceSession.start(questionnaire, index=sample_index(questionnaire.category), locale=locale)
    session.set_answers(answers)
    return [r.text for item in session.recommendation().products for r in (*item.reasons, *item.tradeoffs)]


def test_a_percentage_is_written_by_one_rule() -> None:
    assert percent(66, "en") == "66%" and percent(12.5, "en") == "12.5%"
    assert percent(66, "de") == "66\u00a0%" and percent(12.5, "de") == "12,5\u00a0%"


@pytest.mark.parametrize(("locale", "sign"), [("en", "%"), ("de", "\u00a0%")])
def test_every_percent_the_shopper_reads_follows_the_rule(locale: str, sign: str) -> None:
    """The standings ("cheaper than 66% of the tents"), the materials ("polyamide 60%"), the recycled share and
    the comparison's row: "English 66%", German "66 %" that never wraps."""
    shares = [line for line in said("rain-jacket-finder", TREKKING_JACKET, locale) if "%" in line]
    assert shares, "the trekking jackets are compared by shares"
    index = sample_index("sleeping_bags")
    bag = index.products[index.position["NG-SBAG-0004"]]
    facts = product_facts(index, bag, locale, "muc-01")
    written = [*shares, *facts.sustainability]
    written += [v for row in compare_rows(index, [bag], locale, only_differences=False) for v in row.values]
    percents = [line for line in written if "%" in line]
    assert any("recyc" in line for line in percents), percents  # (recycled, recycelt)
    for line in percents:
        for at in (i for i, char in enumerate(line) if char == "%"):
            before = line[: at + 1].removesuffix(sign)
            assert len(before) == at + 1 - len(sign) and before[-1].isdigit(), line


def test_a_percentage_is_said_in_words() -> None:
    assert spoken.speakable("cheaper than 66% of the tents that fit", "en") == (
        "cheaper than 66 percent of the tents that fit"
    )
    assert spoken.speakable("Polyamid 12,5\u00a0% (recycelt), 70\u00a0% recyceltes Material", "de") == (
        "Polyamid 12,5 Prozent (recycelt), 70 Prozent recyceltes Material"
    )


def test_english_dates_read_alike_and_german_ones_as_before() -> None:
    assert long_date("2032-09-30", "en") == "30 Sep 2032" == day_text(datetime(2032, 9, 30), "en", weekday=None,
                                                                       year=True)  # fmt: skip
    assert long_date("2032-09-30", "de") == "30. September 2032"
    index = sample_index("sleeping_bags")
    bag = next(p for p in index.products if p.repair.get("spare_parts_until"))
    year, month, day = (int(part) for part in bag.repair["spare_parts_until"].split("-"))
    english = product_facts(index, bag, "en", "muc-01").repair
    shown = day_text(datetime(year, month, day), "en", weekday=None, year=True)
    assert f"Spare parts until {shown}" in english, english
    assert spoken.speakable("Spare parts until 30 Sep 2032", "en") == "Spare parts until 30 September 2032"


def test_the_store_is_named_by_the_catalog_in_the_shoppers_language() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE store (id TEXT, name_de TEXT, name_en TEXT)"))
        connection.execute(sa.insert(STORE), [{"id": "muc-01", "name_de": "München Innenstadt",
                                                "name_en": "Munich City Centre"},
                                               {"id": "ham-01", "name_de": "Hamburg", "name_en": ""}])  # fmt: skip
    assert store_name(engine, "muc-01", "en", "Nordgrat München") == "Munich City Centre"
    assert store_name(engine, "muc-01", "de", "Nordgrat München") == "München Innenstadt"
    assert store_name(engine, "ham-01", "en", "Nordgrat") == "Hamburg", "the German name where no English one"
    assert store_name(engine, "ber-01", "en", "Nordgrat München") == "Nordgrat München", "not in the catalog"
    assert store_name(engine, None, "en", "Nordgrat München") == "Nordgrat München"


def test_a_missed_wish_says_what_the_product_has_instead() -> None:
    english = said("rain-jacket-finder", TREKKING_JACKET, "en")
    german = said("rain-jacket-finder", TREKKING_JACKET, "de")
    assert "Construction: 2.5-layer (wished: 3-layer)" in english and not [
        line for line in english if "without" in line
    ]
    assert "Lagenaufbau: 2,5-Lagen (gewünscht: 3-Lagen)" in german and not [line for line in german if "ohne" in line]


def wished_values() -> list[tuple[str, str, Any]]:
    """Every (category, attribute, value) a questionnaire's wish names with `equals` or `contains`: what a missed
    wish can say."""
    found = []
    for questionnaire in QUESTIONNAIRES.values():
        for step in questionnaire.steps:
            for option in step.options:
                for preference in option.prefers:
                    value = preference.equals if preference.equals is not None else preference.contains
                    if value is not None:
                        found.append((questionnaire.category, preference.attribute, value))
    return sorted(set(found), key=repr)


def test_every_wish_the_questionnaires_name_reads_right_when_a_product_misses_it() -> None:
    """Each wish of the sample questionnaires, missed by each sample product that misses it, in both languages: the
    product's own value "statt" / ", not" the wish, never "ohne"/"without" before a value, never "nicht ohne"."""
    from advisor.questionnaire.model import Preference
    from advisor.recommend.core import _missed

    values = wished_values()
    assert {("backpacks", "carrying_system", "frameless"), ("rain_jackets", "hood", "helmet_compatible")} <= set(values)
    seen = 0
    for category, attribute, value in values:
        index = sample_index(category)
        kind = index.kind(attribute)
        wish = Preference(attribute=attribute, **({"contains": value} if kind == "set" else {"equals": value}))
        for position in range(len(index.products)):
            held = index.value(attribute, position)
            if held is None or (value in held if kind == "set" else held == value):
                continue
            for locale, wished_word in (("de", "gewünscht"), ("en", "wished")):
                label = attribute_label(index, attribute, locale)
                wished = format_value(index, attribute, [value] if kind == "set" else value, locale)
                missed = _missed(index, attribute, label, wished, [held], locale)
                shown = format_value(index, attribute, held, locale)
                assert missed == f"{label}: {shown} ({wished_word}: {wished})", wish
                assert "nicht ohne" not in missed and "not without" not in missed
                seen += 1
    assert seen > 20, "the sample catalogs miss wishes in many ways"
    index = sample_index("rain_jackets")
    assert _missed(index, "hood", "Kapuze", "helmtauglich", [None], "de") == "Kapuze: nicht helmtauglich"


def test_the_summary_says_the_store_and_date_it_is_given() -> None:
    """(The web and the kiosk pass the store's name by `store_name`; the summary prints it beside the date.)"""
    from advisor.rendering.summary import build_summary, render_summary

    questionnaire = QUESTIONNAIRES["rain-jacket-finder"]
    session = AdviceSession.start(questionnaire, index=sample_index(questionnaire.category), locale="en")
    session.set_answers(TREKKING_JACKET)
    assert session.index is not None
    summary = build_summary(questionnaire=questionnaire, state=session.state, recommendation=session.recommendation(),
                            index=session.index, locale="en", created=datetime(2026, 12, 5, 7, 51, tzinfo=UTC),
                            store_name="Munich City Centre")  # fmt: skip
    mail = render_summary(summary, "email_text")
    assert "Munich City Centre · 5 Dec 2026" in mail
    assert "Construction: 2.5-layer (wished: 3-layer)" in mail
    assert "%" in mail and " %" not in mail and "\u00a0%" not in mail
