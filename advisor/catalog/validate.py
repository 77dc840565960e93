"""Validate product records against the attribute dictionary, column by column.

Every record, from a CSV row or a JSON object, is seen as cells under dotted column names (`name.de`,
`attributes.capacity`, `stock.muc-01.quantity`). A `BatchPlan`, compiled once per header, converts a whole
batch column by column with the converters' fast paths, and names every bad cell by row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from operator import itemgetter
from typing import Any

from advisor.catalog import convert
from advisor.catalog.convert import SET_SEPARATOR, Converter, convert_column, pattern_column, with_column
from advisor.catalog.dictionary import LOCALES, Dictionary

CARE_WASH = ("machine_30", "machine_40", "hand", "sponge", "no_wash")
CARE_DRY = ("air", "tumble_low", "no_tumble")
CARE_REPROOF = ("spray", "wash_in", "none")
CERTIFICATIONS = ("bluesign", "fair_wear", "gruener_knopf", "gots", "rds", "grs", "oeko_tex")
MATERIALS = (
    "polyester", "polyamide", "cotton", "wool", "down", "aluminium", "carbon", "elastane", "polyurethane", "steel",
)  # fmt: skip
REQUIRED_FIELDS = ("sku", "category", "brand", "name.de", "name.en", "price")
MAX_NAME = 200
MAX_DESCRIPTION = 4000
_SKU = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_COUNTRY = re.compile(r"[A-Z]{2}")

# The product table's columns, in the order of ValidBatch.products' tuples.
PRODUCT_COLUMNS = (
    "sku", "category_id", "brand", "name_de", "name_en", "description_de", "description_en",
    "price_cents", "currency", "image", "attributes", "care", "repair", "sustainability",
)  # fmt: skip
STOCK_COLUMNS = ("sku", "store_id", "quantity", "location_de", "location_en")
_TOP_TARGET = {
    "sku": "sku", "category": "category_id", "brand": "brand", "name.de": "name_de", "name.en": "name_en",
    "description.de": "description_de", "description.en": "description_en", "price": "price_cents",
    "currency": "currency", "image": "image",
}  # fmt: skip
_DEFAULTS: dict[str, Any] = {"description_de": "", "description_en": "", "currency": "EUR", "image": None}
_GROUPS = ("care", "repair", "sustainability")


@dataclass(frozen=True)
class Problem:
    """Why one cell of a record was rejected."""

    column: str
    reason: str


@dataclass
class ValidBatch:
    """The outcome of validating a batch: good products as table tuples, problems per row index."""

    products: list[tuple[Any, ...]] = field(default_factory=list)
    indexes: list[int] = field(default_factory=list)
    stock: dict[int, list[tuple[str, str, int, str, str]]] = field(default_factory=dict)
    problems: dict[int, list[Problem]] = field(default_factory=dict)

    def product(self, position: int) -> dict[str, Any]:
        """The position-th good product by column name."""
        return dict(zip(PRODUCT_COLUMNS, self.products[position], strict=True))

    def reject(self, found: Mapping[int, list[Problem]]) -> None:
        """Move rows that have further problems from the good ones to the rejected ones."""
        for i, problems in found.items():
            self.problems[i] = problems + self.problems.get(i, [])
            self.stock.pop(i, None)
        keep = [position for position, i in enumerate(self.indexes) if i not in found]
        self.products = [self.products[position] for position in keep]
        self.indexes = [self.indexes[position] for position in keep]


def _sku(value: str) -> str:
    if not _SKU.fullmatch(value):
        raise ValueError(f"expected 1 to 64 letters, digits, '-', '_' or '.', got {value!r}")
    return value


def _price_cents(value: str) -> int:
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"expected a price like 349.95, got {value!r}") from None
    if not 0 <= number <= 10_000_000:
        raise ValueError(f"{text} is not a plausible price")
    cents = round(number * 100)
    if abs(cents - number * 100) > 1e-6 * max(1.0, number):
        raise ValueError(f"{text} has more than two decimals")
    return cents


def _price_column(values: Sequence[str]) -> list[Any] | None:
    """All prices as cents, if each is a plain number >= 0 with at most two decimals."""
    try:
        prices = list(map(float, values))
    except ValueError:
        return None
    if not prices or min(prices) < 0 or max(prices) > 10_000_000:
        return None
    cents = list(map(round, map((100.0).__mul__, prices)))
    if list(map((100.0).__rtruediv__, cents)) != prices:
        return None
    return cents


with_column(_price_cents, _price_column)


def _currency(value: str) -> str:
    if not _CURRENCY.fullmatch(value):
        raise ValueError(f"expected a three-letter code like EUR, got {value!r}")
    return value


def _country(value: str) -> str:
    if not _COUNTRY.fullmatch(value):
        raise ValueError(f"expected a two-letter country code like DE, got {value!r}")
    return value


with_column(_sku, pattern_column(_SKU))
with_column(_currency, pattern_column(_CURRENCY))
with_column(_country, pattern_column(_COUNTRY))


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValueError(f"expected a date like 2032-12-31, got {value!r}") from None


_SHARE = convert.number(0, 100)
_MATERIAL = convert.choice(MATERIALS)


def _materials(value: str) -> list[dict[str, Any]]:
    materials = []
    for part in value.split(SET_SEPARATOR):
        bits = part.strip().split(":")
        if len(bits) not in (2, 3) or (len(bits) == 3 and bits[2] != "recycled"):
            raise ValueError(f"expected material:share[:recycled], got {part.strip()!r}")
        materials.append({"material": _MATERIAL(bits[0]), "share": _SHARE(bits[1]), "recycled": len(bits) == 3})
    total = sum(material["share"] for material in materials)
    if abs(total - 100) > 0.5:
        raise ValueError(f"the shares add up to {total:g} %, not 100 %")
    return materials


def _fixed_converters() -> dict[str, Converter]:
    converters: dict[str, Converter] = {
        "sku": _sku,
        "category": convert.text(64),
        "brand": convert.text(MAX_NAME),
        "price": _price_cents,
        "currency": _currency,
        "image": convert.text(500),
        "care.wash": convert.choice(CARE_WASH),
        "care.dry": convert.choice(CARE_DRY),
        "care.reproof": convert.choice(CARE_REPROOF),
        "repair.spare_parts_until": _iso_date,
        "repair.repair_service": convert.boolean,
        "repair.repairability": convert.number(0, 10),
        "sustainability.certifications": convert.choices(CERTIFICATIONS),
        "sustainability.materials": _materials,
        "sustainability.recycled_share": _SHARE,
        "sustainability.pfc_free": convert.boolean,
        "sustainability.country_of_origin": _country,
    }
    for loc in LOCALES:
        converters[f"name.{loc}"] = convert.text(MAX_NAME)
        converters[f"description.{loc}"] = convert.text(MAX_DESCRIPTION)
        converters[f"care.instructions.{loc}"] = convert.text_list
        converters[f"repair.spare_parts.{loc}"] = convert.text_list
        converters[f"repair.repair_guide.{loc}"] = convert.text(MAX_NAME)
    return converters


FIXED_CONVERTERS = _fixed_converters()
_QUANTITY = convert.number(0, 1_000_000, whole=True)
_LOCATION = convert.text(MAX_NAME)


class UnknownColumn(ValueError):
    """A column name that the format does not know; `position` is its 0-based index."""

    def __init__(self, column: str, position: int, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.position = position


class BatchPlan:
    """Validation compiled for one header, run column by column over a whole batch of rows."""

    def __init__(self, header: Sequence[str], dictionary: Dictionary) -> None:
        self.header = tuple(header)
        self.dictionary = dictionary
        self.top: dict[str, int] = {}
        self.groups: dict[str, list[tuple[int, str, str | None]]] = {group: [] for group in _GROUPS}
        self.stock: dict[str, dict[str, int]] = {}
        self.attributes: dict[str, int] = {}
        for position, column in enumerate(self.header):
            self._place(position, column)

    def _place(self, position: int, column: str) -> None:
        parts = column.split(".")
        if column in _TOP_TARGET:
            self.top[column] = position
        elif parts[0] == "attributes" and len(parts) == 2 and parts[1]:
            self.attributes[parts[1]] = position
        elif parts[0] == "stock" and len(parts) >= 3:
            store = parts[1]
            if store not in self.dictionary.stores:
                known = ", ".join(self.dictionary.stores)
                raise UnknownColumn(column, position, f"unknown store {store!r} in column {column!r} (known: {known})")
            if len(parts) == 3 and parts[2] == "quantity":
                self.stock.setdefault(store, {})["quantity"] = position
            elif len(parts) == 4 and parts[2] == "location" and parts[3] in LOCALES:
                self.stock.setdefault(store, {})[f"location_{parts[3]}"] = position
            else:
                raise UnknownColumn(column, position, f"unknown column {column!r} (see docs/catalog-format.md)")
        elif column in FIXED_CONVERTERS and parts[0] in self.groups:
            self.groups[parts[0]].append((position, parts[1], parts[2] if len(parts) == 3 else None))
        else:
            raise UnknownColumn(column, position, f"unknown column {column!r} (see docs/catalog-format.md)")

    def validate(self, rows: Sequence[Sequence[str]]) -> ValidBatch:
        """Validate rows (cells in header order, each of the header's width)."""
        batch = ValidBatch()
        count = len(rows)
        if count == 0:
            return batch
        columns = list(zip(*rows, strict=True))
        problems = batch.problems

        def convert_at(position: int, converter: Converter) -> list[Any]:
            values, errors = convert_column(converter, columns[position])
            for i, reason in errors.items():
                problems.setdefault(i, []).append(Problem(self.header[position], reason))
            return values

        top: list[list[Any]] = []
        for column, target in _TOP_TARGET.items():
            position = self.top.get(column)
            values = convert_at(position, FIXED_CONVERTERS[column]) if position is not None else [None] * count
            if column in REQUIRED_FIELDS and None in values:
                for i, value in enumerate(values):
                    if value is None and (position is None or columns[position][i] == ""):
                        problems.setdefault(i, []).append(Problem(column, "is required"))
            elif target in _DEFAULTS and None in values:
                default = _DEFAULTS[target]
                values = [default if value is None else value for value in values]
            top.append(values)
        attributes = self._attributes(columns, top[1], problems)
        groups = [self._group(count, group, convert_at) for group in _GROUPS]
        stock = [
            (
                store,
                convert_at(positions["quantity"], _QUANTITY) if "quantity" in positions else None,
                convert_at(positions["location_de"], _LOCATION) if "location_de" in positions else None,
                convert_at(positions["location_en"], _LOCATION) if "location_en" in positions else None,
            )
            for store, positions in self.stock.items()
        ]
        good = [i for i in range(count) if i not in problems] if problems else range(count)
        all_columns = [*top, attributes, *groups]
        if problems:
            batch.products = [tuple(column[i] for column in all_columns) for i in good]
        else:
            batch.products = list(zip(*all_columns, strict=True))
        batch.indexes = list(good)
        skus = top[0]
        none = [None] * count
        for store, quantity, location_de, location_en in stock:
            cells = zip(range(count), skus, quantity or none, location_de or none, location_en or none, strict=True)
            for i, sku, amount, where_de, where_en in cells:
                if i not in problems and (amount is not None or where_de or where_en):
                    batch.stock.setdefault(i, []).append((sku, store, amount or 0, where_de or "", where_en or ""))
        return batch

    def _group(self, count: int, group: str, convert_at: Any) -> list[dict[str, Any]]:
        """Per row, the care, repair or sustainability object built from its dotted columns."""
        dicts: list[dict[str, Any]] = [{} for _ in repeat(None, count)]
        for position, key, sub in self.groups[group]:
            values = convert_at(position, FIXED_CONVERTERS[self.header[position]])
            for target, value in zip(dicts, values, strict=True):
                if value is None:
                    continue
                if sub is None:
                    target[key] = value
                else:
                    target.setdefault(key, {})[sub] = value
        return dicts

    def _attributes(
        self, columns: list[tuple[str, ...]], categories: Sequence[Any], problems: dict[int, list[Problem]]
    ) -> list[dict[str, Any]]:
        """Per row, its category's attributes; foreign, bad and missing required ones are problems."""
        attributes: list[dict[str, Any]] = [{} for _ in repeat(None, len(categories))]
        rows_of: dict[Any, list[int]] = {}
        for i, category_id in enumerate(categories):
            rows_of.setdefault(category_id, []).append(i)
        known = ", ".join(self.dictionary.categories)
        for category_id, indexes in rows_of.items():
            if category_id is None:
                continue  # already reported as a missing category
            category = self.dictionary.categories.get(category_id)
            if category is None:
                for i in indexes:
                    problems.setdefault(i, []).append(
                        Problem("category", f"unknown category {category_id!r}; known: {known}")
                    )
                continue
            names: list[str] = []
            converted: list[list[Any]] = []
            gather = _gatherer(indexes)
            for name, position in self.attributes.items():
                values = gather(columns[position])
                if name not in category.attributes:
                    if any(values):
                        reason = f"'{name}' is not an attribute of {category_id}"
                        for i, value in zip(indexes, values, strict=True):
                            if value:
                                problems.setdefault(i, []).append(Problem(f"attributes.{name}", reason))
                    continue
                result, errors = convert_column(category.attributes[name].coerce, values)
                for j, reason in errors.items():
                    problems.setdefault(indexes[j], []).append(Problem(f"attributes.{name}", reason))
                names.append(name)
                converted.append(result)
            if not converted:
                pass  # no attribute columns at all: the required ones are reported below
            elif any(None in column for column in converted):
                for j, i in enumerate(indexes):
                    attributes[i] = {n: c[j] for n, c in zip(names, converted, strict=True) if c[j] is not None}
            else:
                for i, values_of_row in zip(indexes, zip(*converted, strict=True), strict=True):
                    attributes[i] = dict(zip(names, values_of_row, strict=True))
            for name in category.required:
                cell_at = self.attributes.get(name)
                for i in indexes:
                    if name not in attributes[i] and (cell_at is None or columns[cell_at][i] == ""):
                        problems.setdefault(i, []).append(
                            Problem(f"attributes.{name}", "is required for this category")
                        )
        return attributes


def _gatherer(indexes: list[int]) -> Callable[[Sequence[str]], Sequence[str]]:
    """A function picking the cells at `indexes` out of a column, in C."""
    if len(indexes) == 1:
        only = indexes[0]
        return lambda column: (column[only],)
    return itemgetter(*indexes)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return SET_SEPARATOR.join(_cell(item) for item in value)
    return str(value)


def flatten_record(record: Mapping[str, Any]) -> tuple[dict[str, str], list[Problem]]:
    """A nested (JSON) product record as dotted cells, plus problems with its shape."""
    cells: dict[str, str] = {}
    problems: list[Problem] = []
    for key, value in record.items():
        if key in ("name", "description", "attributes", *_GROUPS):
            if not isinstance(value, Mapping):
                if value not in (None, ""):
                    problems.append(Problem(key, "expected an object"))
                continue
            for inner, inner_value in value.items():
                if key == "sustainability" and inner == "materials" and isinstance(inner_value, list):
                    try:
                        cells["sustainability.materials"] = SET_SEPARATOR.join(
                            f"{_cell(m['material'])}:{_cell(m['share'])}" + (":recycled" if m.get("recycled") else "")
                            for m in inner_value
                        )
                    except (TypeError, KeyError, AttributeError):
                        problems.append(Problem("sustainability.materials", "each material needs material and share"))
                elif isinstance(inner_value, Mapping) and key != "attributes":
                    for loc, text in inner_value.items():
                        cells[f"{key}.{inner}.{loc}"] = _cell(text)
                elif isinstance(inner_value, Mapping):
                    problems.append(Problem(f"attributes.{inner}", "expected a value, not an object"))
                else:
                    cells[f"{key}.{inner}"] = _cell(inner_value)
        elif key == "stock":
            if not isinstance(value, list):
                problems.append(Problem("stock", "expected a list of stores"))
                continue
            for entry in value:
                if not isinstance(entry, Mapping) or not isinstance(entry.get("store"), str):
                    problems.append(Problem("stock", f"expected a store object with 'store', got {entry!r}"))
                    continue
                store = entry["store"]
                cells[f"stock.{store}.quantity"] = _cell(entry.get("quantity", 0))
                location = entry.get("location")
                if isinstance(location, Mapping):
                    for loc, text in location.items():
                        cells[f"stock.{store}.location.{loc}"] = _cell(text)
        elif isinstance(value, Mapping | list):
            problems.append(Problem(key, "expected a single value"))
        else:
            cells[key] = _cell(value)
    return cells, problems


def validate_records(records: Sequence[Any], dictionary: Dictionary) -> ValidBatch:
    """Validate nested (JSON) product records as one batch over the union of their columns."""
    flattened: list[tuple[dict[str, str], list[Problem]]] = []
    header: dict[str, None] = {}
    for record in records:
        if isinstance(record, Mapping):
            cells, shape = flatten_record(record)
        else:
            cells, shape = {}, [Problem("", f"expected a product object, got {type(record).__name__}")]
        flattened.append((cells, shape))
        header.update(dict.fromkeys(cells))
    unknown: dict[str, str] = {}
    while True:
        try:
            plan = BatchPlan([column for column in header if column not in unknown], dictionary)
            break
        except UnknownColumn as error:
            unknown[error.column] = str(error)
    batch = plan.validate([[cells.get(column, "") for column in plan.header] for cells, _ in flattened])
    extra: dict[int, list[Problem]] = {}
    for i, (cells, shape) in enumerate(flattened):
        found = shape + [Problem(column, reason) for column, reason in unknown.items() if column in cells]
        if found:
            extra[i] = found
    batch.reject(extra)
    return batch
