"""Hover over an attribute that varies per variant (a shoe size) counts the variants, as the recommender does."""

from __future__ import annotations

from dataclasses import replace

from advisor.catalog.dictionary import AttributeSpec, CategorySpec
from advisor.lsp import assist
from advisor.recommend.index import CategoryIndex, ProductInfo, VariantInfo, model_values
from tests.helpers.catalog import sample_dictionary
from tests.helpers.index import product

SIZE = AttributeSpec("size_eu", "number", {"de": "Größe (EU)", "en": "Size (EU)"}, unit="EU", min=36, max=48,
                     varies=True)  # fmt: skip


def _category() -> CategorySpec:
    category = sample_dictionary().categories["backpacks"]
    return replace(category, attributes={**category.attributes, "size_eu": SIZE})


def boot(sku: str, sizes: list[float]) -> ProductInfo:
    variants = tuple(VariantInfo(f"{sku}-{size:g}", None, {"size_eu": size}, 100.0, None) for size in sizes)
    made = product(sku, {"volume_l": 26, **model_values([v.options for v in variants], {})})
    return replace(made, variants=variants if len(variants) > 1 else ())


def index() -> CategoryIndex:
    products = [boot("a", [36, 37, 42]), boot("b", [40, 42, 44]), boot("c", [46]), boot("d", [39, 42, 48])]
    return CategoryIndex(_category(), sorted(products, key=lambda p: p.sku))


def test_the_range_of_a_varying_number_is_that_of_the_variants_not_of_each_models_best() -> None:
    shown = assist._attribute_hover("size_eu", SIZE, index())
    assert "In the catalog: 36–48 EU over the variants (4 of 4" in shown
    assert "`36`: 1" in shown and "`42`: 3" in shown and "`46`: 1" in shown


def test_a_requirement_on_a_varying_number_counts_the_models_with_a_variant_that_meets_it() -> None:
    assert "**1 of 4**" in assist.requirement_fit("size_eu == 36", index(), None)
    assert "**3 of 4**" in assist.requirement_fit("size_eu == 42", index(), None)
    assert "**4 of 4**" in assist.requirement_fit("size_eu >= 40", index(), None)
