"""Helpers for catalog tests: the shipped dictionary, a valid product, CSV files."""

from __future__ import annotations

import copy
import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from advisor.catalog.dictionary import Dictionary, load_dictionary_file
from advisor.catalog.store import save_dictionary
from advisor.paths import sample_catalog_dir

TENT: dict[str, Any] = {
    "sku": "T-1",
    "category": "tents",
    "brand": "Nordgrat",
    "name": {"de": "Testzelt 2", "en": "Test tent 2"},
    "description": {"de": "Ein Zelt.", "en": "A tent."},
    "price": 299.95,
    "currency": "EUR",
    "image": "images/T-1.svg",
    "attributes": {
        "capacity": 2, "weight_kg": 1.9, "seasons": 3, "use": ["trekking", "camping"], "tent_type": "dome",
        "inner_length_cm": 215, "inner_width_cm": 130, "inner_height_cm": 105, "packed_length_cm": 45,
        "packed_volume_l": 9.5, "vestibules": 2, "entrances": 2, "waterproof_floor_mm": 10000,
        "waterproof_fly_mm": 3000, "freestanding": True, "setup_minutes": 8,
    },
    "care": {"wash": "sponge", "dry": "air", "reproof": "spray",
             "instructions": {"de": ["Trocken lagern"], "en": ["Store dry"]}},
    "repair": {"spare_parts_until": "2034-12-31", "spare_parts": {"de": ["Gestänge"], "en": ["Pole"]},
               "repair_service": True, "repair_guide": {"de": "Anleitung", "en": "Guide"}, "repairability": 8},
    "sustainability": {"certifications": ["bluesign"], "materials": [
        {"material": "polyester", "share": 80, "recycled": True},
        {"material": "aluminium", "share": 20, "recycled": False}],
        "recycled_share": 80, "pfc_free": True, "country_of_origin": "VN"},
    "stock": [{"store": "muc-01", "quantity": 3, "location": {"de": "1. OG", "en": "1st floor"}}],
}  # fmt: skip


def tent(**changes: Any) -> dict[str, Any]:
    """A valid tent record with some top-level keys changed (a key set to None is removed)."""
    record = copy.deepcopy(TENT)
    for key, value in changes.items():
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def sample_dictionary() -> Dictionary:
    return load_dictionary_file(sample_catalog_dir() / "categories.json")


def with_dictionary(engine: Engine) -> Dictionary:
    """Store the shipped attribute dictionary in the database and return it."""
    dictionary = sample_dictionary()
    save_dictionary(engine, dictionary)
    return dictionary


def stored_tables(engine: Engine) -> list[list[tuple[Any, ...]]]:
    """The products, variants and stock rows as stored (without the time stamps), in a stable order."""
    with engine.connect() as connection:
        return [
            [tuple(row) for row in connection.execute(sa.text(query))]
            for query in (
                "SELECT sku, category_id, brand, name_de, description_en, price_cents, image, attributes, care, "
                "repair, sustainability FROM product ORDER BY sku",
                "SELECT sku, model_sku, position, gtin, options, price_cents, image FROM variant ORDER BY sku",
                "SELECT * FROM stock ORDER BY sku, store_id",
            )
        ]


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Mapping[str, Any] | Sequence[str]]) -> Path:
    """Write a CSV file; rows are dicts by column or plain cell lists."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header] if isinstance(row, Mapping) else row)
    return path
