"""The shipped sample catalog: complete, valid and bilingual, with an image for every product."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Any

import pytest

from advisor.catalog.formats import validated_json
from advisor.paths import sample_catalog_dir
from tests.helpers.catalog import sample_dictionary

PRODUCTS: list[dict[str, Any]] = json.loads((sample_catalog_dir() / "products.json").read_text(encoding="utf-8"))


def test_every_sample_product_passes_validation() -> None:
    (numbered,) = validated_json(list(enumerate(PRODUCTS, start=1)), sample_dictionary())
    assert numbered.batch.problems == {}
    variants = sum(len(product.get("variants", [None])) for product in PRODUCTS)
    assert len(numbered.batch.products) == variants > len(PRODUCTS)  # one row per variant
    assert {numbered.row_numbers[i] for i in numbered.batch.indexes} == set(range(1, len(PRODUCTS) + 1))


FINDER_CATEGORIES = {"tents", "sleeping_bags", "backpacks", "rain_jackets"}
ADVISED = [product for product in PRODUCTS if product["category"] in FINDER_CATEGORIES]


def test_four_categories_with_at_least_30_products_each_and_the_care_products_and_spare_parts() -> None:
    counts = Counter(product["category"] for product in PRODUCTS)
    assert set(counts) == FINDER_CATEGORIES | {"care", "spare_parts"}
    assert min(counts[category] for category in FINDER_CATEGORIES) >= 30
    assert counts["care"] >= 5 and counts["spare_parts"] >= 5
    assert len({product["brand"] for product in ADVISED}) == 1


@pytest.mark.parametrize("product", ADVISED, ids=lambda product: product["sku"])
def test_each_product_has_texts_facts_and_an_image(product: dict[str, Any]) -> None:
    for field in ("name", "description"):
        assert product[field]["de"].strip() and product[field]["en"].strip()
    assert product["care"]["wash"] and product["care"]["instructions"]["de"] and product["care"]["instructions"]["en"]
    repair = product["repair"]
    assert repair["spare_parts_until"] and 0 <= repair["repairability"] <= 10 and "repair_service" in repair
    facts = product["sustainability"]
    assert facts["materials"] and "pfc_free" in facts and facts["country_of_origin"]
    recycled = sum(material["share"] for material in facts["materials"] if material["recycled"])
    assert facts["recycled_share"] == pytest.approx(recycled)
    image = sample_catalog_dir() / product["image"]
    assert image.suffix == ".svg"
    assert ET.parse(image).getroot().tag.endswith("svg")


def test_a_tents_care_fits_its_coating() -> None:
    """A silicone-coated tent is never told to be sprayed, and a PU-coated one is never told about a silicone
    coating it does not have (the care lines, the reproofing fact and the specs say the same)."""
    for product in PRODUCTS:
        if product["category"] != "tents":
            continue
        care = product["care"]
        said = " ".join(care["instructions"]["de"] + care["instructions"]["en"]).lower()
        if product["attributes"]["coating"] == "silicone":
            assert care["reproof"] == "none" and "silikon" in said, product["sku"]
        else:
            assert "silikon" not in said and "silicone" not in said, product["sku"]


def test_sleeping_bag_temperatures_are_ordered() -> None:
    for product in PRODUCTS:
        if product["category"] == "sleeping_bags":
            attributes = product["attributes"]
            assert attributes["temp_extreme_c"] <= attributes["temp_limit_c"] <= attributes["temp_comfort_c"]


def test_one_product_carries_markup_to_prove_it_shows_as_text() -> None:
    assert any("<b>" in product["description"]["en"] for product in PRODUCTS)
