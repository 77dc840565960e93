"""In-memory category indexes for recommender tests: the sample catalog, or products made up by a test."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from advisor.paths import sample_catalog_dir
from advisor.recommend.index import CategoryIndex, ProductInfo
from tests.helpers.catalog import sample_dictionary


def product(sku: str, attributes: Mapping[str, Any], price: float = 100.0) -> ProductInfo:
    return ProductInfo(
        sku=sku, brand="Nordgrat", name={"de": sku, "en": sku}, description={"de": "", "en": ""}, price=price,
        currency="EUR", image=None, attributes=dict(attributes), care={}, repair={}, sustainability={},
    )  # fmt: skip


def made_up_index(category: str, products: Sequence[ProductInfo]) -> CategoryIndex:
    return CategoryIndex(sample_dictionary().categories[category], sorted(products, key=lambda p: p.sku))


@cache
def sample_index(category: str) -> CategoryIndex:
    """The shipped sample catalog's products of one category (read from products.json, no database)."""
    records = json.loads((sample_catalog_dir() / "products.json").read_text(encoding="utf-8"))
    products = [ProductInfo.from_record(r) for r in records if r["category"] == category]
    return made_up_index(category, products)
