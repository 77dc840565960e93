"""What an import would do to each product: new, updated (and which fields, before and after), unchanged, rejected.

Both sides are compared as the cells of the import format (`price`, `attributes.weight_kg`,
`stock.muc-01.quantity`), so that a merchandiser reads the change in the words of the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from advisor.catalog.validate import flatten_record

NEW = "new"
UPDATED = "updated"
UNCHANGED = "unchanged"
REJECTED = "rejected"


@dataclass(frozen=True)
class FieldChange:
    """One cell that an import changes: its column, the value before and after (empty: none)."""

    column: str
    before: str
    after: str

    def as_json(self) -> dict[str, str]:
        return {"column": self.column, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Change:
    """What the import does to the product of one row."""

    row: int
    sku: str
    kind: str  # NEW, UPDATED, UNCHANGED or REJECTED
    fields: tuple[FieldChange, ...] = ()

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"row": self.row, "sku": self.sku, "change": self.kind}
        if self.kind == UPDATED:
            data["fields"] = [change.as_json() for change in self.fields]
        return data


def product_cells(product: Mapping[str, Any], stock: Iterable[tuple[Any, ...]]) -> dict[str, str]:
    """A product (table columns: `category_id`, `price_cents`, ...) and its stock rows as import-format cells."""
    record = {
        "sku": product["sku"],
        "category": product["category_id"],
        "brand": product["brand"],
        "name": {"de": product["name_de"], "en": product["name_en"]},
        "description": {"de": product["description_de"], "en": product["description_en"]},
        "price": product["price_cents"] / 100,
        "currency": product["currency"],
        "image": product["image"],
        "attributes": product["attributes"],
        "care": product["care"],
        "repair": product["repair"],
        "sustainability": product["sustainability"],
    }
    cells, _ = flatten_record(record)
    for _, store, quantity, location_de, location_en in stock:
        cells[f"stock.{store}.quantity"] = str(quantity)
        cells[f"stock.{store}.location.de"] = location_de
        cells[f"stock.{store}.location.en"] = location_en
    return cells


def changed_fields(before: Mapping[str, str], after: Mapping[str, str]) -> tuple[FieldChange, ...]:
    """The cells that differ, in the order of the new product's cells, then the ones it no longer has."""
    columns = [*after, *(column for column in before if column not in after)]
    return tuple(
        FieldChange(column, before.get(column, ""), after.get(column, ""))
        for column in columns
        if before.get(column, "") != after.get(column, "")
    )
