"""Product facts read as a shopper's language writes them: dates, countries, materials and seals by name."""

from __future__ import annotations

import re

import pytest

from advisor.rendering.facts import country_name, long_date, repair_lines, sustainability_lines
from tests.helpers.index import sample_index


def test_dates_and_countries_come_from_cldr() -> None:
    assert long_date("2036-12-31", "de") == "31. Dezember 2036"
    assert long_date("2036-12-31", "en") == "31 Dec 2036"  # as every English date (i18n.day_text)
    assert long_date("soon", "de") == "soon"  # never fails on a value the import let through
    assert country_name("VN", "de") == "Vietnam" and country_name("DE", "en") == "Germany"
    assert country_name("XX", "de") == "XX"


@pytest.mark.parametrize("category", ["tents", "sleeping_bags", "backpacks", "rain_jackets"])
@pytest.mark.parametrize("locale", ["de", "en"])
def test_no_fact_shows_an_iso_date_a_country_code_or_an_id(category: str, locale: str) -> None:
    for product in sample_index(category).products:
        for line in (*repair_lines(product, locale), *sustainability_lines(product, locale)):
            assert not re.search(r"\d{4}-\d{2}-\d{2}", line), line
            assert not re.search(r"(Herkunft|Made in): [A-Z]{2}$", line), line
            assert not re.search(r"\b(grs|gots|rds|oeko_tex|fair_wear|gruener_knopf)\b", line), line
            if locale == "de":
                assert not re.search(r"\b(polyamide|aluminium|cotton|steel|down)\b", line), line
