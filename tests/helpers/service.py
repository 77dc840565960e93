"""The sample catalog with its service products (care, spare parts), as `advisor check` sees it, without a
database."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from advisor.catalog.dictionary import Dictionary, parse_dictionary
from advisor.paths import questionnaires_dir, sample_catalog_dir
from advisor.questionnaire.load import load_file
from advisor.questionnaire.model import Questionnaire
from advisor.recommend.index import CatalogIndex, CategoryIndex, ProductInfo

FLOWS = ("tent-help.yaml", "zip-help.yaml", "sleeping-bag-help.yaml")


def merged_categories() -> dict[str, Any]:
    """categories.json (the service categories care and spare_parts among them)."""
    return dict(json.loads((sample_catalog_dir() / "categories.json").read_text(encoding="utf-8")))


def merged_products() -> list[dict[str, Any]]:
    """products.json (the care products and spare parts among them)."""
    return list(json.loads((sample_catalog_dir() / "products.json").read_text(encoding="utf-8")))


@cache
def merged_dictionary() -> Dictionary:
    return parse_dictionary(merged_categories(), "merged categories")


@cache
def merged_catalog() -> CatalogIndex:
    """Every category's index, the service products included (no database)."""
    dictionary = merged_dictionary()
    records = sorted(merged_products(), key=lambda record: record["sku"])
    return CatalogIndex(
        1,
        {
            category: CategoryIndex(
                spec, [ProductInfo.from_record(record) for record in records if record["category"] == category]
            )
            for category, spec in dictionary.categories.items()
        },
    )


def write_merged_catalog(folder: Path) -> tuple[Path, Path]:
    """The merged categories and products as files (for `advisor catalog import`)."""
    folder.mkdir(parents=True, exist_ok=True)
    categories, products = folder / "categories.json", folder / "products.json"
    categories.write_text(json.dumps(merged_categories(), ensure_ascii=False), encoding="utf-8")
    products.write_text(json.dumps(merged_products(), ensure_ascii=False), encoding="utf-8")
    return categories, products


@cache
def shipped_flow(name: str) -> Questionnaire:
    loaded = load_file(questionnaires_dir() / name)
    assert loaded.questionnaire is not None, loaded.findings
    return loaded.questionnaire
