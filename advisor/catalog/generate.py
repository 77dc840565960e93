"""A synthetic, schema-valid catalog of any size, for benchmarks and load tests."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from advisor.catalog.dictionary import AttributeSpec, Dictionary
from advisor.catalog.validate import CARE_DRY, CARE_REPROOF, CARE_WASH, CERTIFICATIONS, MATERIALS

_SYLLABLES = ("berg", "grat", "joch", "horn", "tal", "see", "wald", "stein", "alp", "fels", "kar", "spitz")


def _attribute_value(spec: AttributeSpec, rng: random.Random) -> Any:
    low = spec.min if spec.min is not None else 0
    high = spec.max if spec.max is not None else 100
    if spec.type == "integer":
        return rng.randint(int(low), int(high))
    if spec.type == "number":
        return round(rng.uniform(low, high), 2)
    if spec.type == "boolean":
        return rng.random() < 0.5
    if spec.type == "enum":
        return rng.choice(spec.values or ("",))
    if spec.type == "set":
        values = spec.values or ()
        return sorted(rng.sample(values, rng.randint(1, min(3, len(values)))), key=values.index)
    return f"{rng.choice(_SYLLABLES)} {rng.choice(_SYLLABLES)}"


def generate_catalog(dictionary: Dictionary, *, count: int, seed: int) -> Iterator[dict[str, Any]]:
    """`count` products spread evenly over the dictionary's categories; the same seed gives the same file."""
    rng = random.Random(seed)
    categories = list(dictionary.categories.values())
    stores = list(dictionary.stores)
    for number in range(1, count + 1):
        category = categories[(number - 1) % len(categories)]
        name = (rng.choice(_SYLLABLES) + rng.choice(_SYLLABLES)).capitalize() + f" {number % 7 + 1}"
        recycled = rng.randint(0, 100)
        yield {
            "sku": f"GEN-{category.id[:4].upper()}-{number:07d}",
            "category": category.id,
            "brand": "Nordgrat",
            "name": {"de": name, "en": name},
            "description": {
                "de": f"Synthetisches Produkt {number} der Kategorie {category.label['de']}.",
                "en": f"Synthetic product {number} of category {category.label['en']}.",
            },
            "price": round(rng.uniform(19, 999), 2),
            "currency": "EUR",
            "attributes": {name: _attribute_value(spec, rng) for name, spec in category.attributes.items()},
            "care": {"wash": rng.choice(CARE_WASH), "dry": rng.choice(CARE_DRY), "reproof": rng.choice(CARE_REPROOF)},
            "repair": {
                "spare_parts_until": f"{rng.randint(2028, 2040)}-12-31",
                "repair_service": rng.random() < 0.8,
                "repairability": rng.randint(2, 10),
            },
            "sustainability": {
                "certifications": sorted(rng.sample(CERTIFICATIONS, rng.randint(0, 3))),
                "materials": [
                    {"material": rng.choice(MATERIALS[:2]), "share": recycled, "recycled": True},
                    {"material": rng.choice(MATERIALS[2:]), "share": 100 - recycled, "recycled": False},
                ],
                "recycled_share": recycled,
                "pfc_free": rng.random() < 0.9,
                "country_of_origin": rng.choice(("VN", "CN", "BD", "DE", "PT")),
            },
            "stock": [{"store": store, "quantity": rng.randint(0, 12)} for store in stores],
        }
