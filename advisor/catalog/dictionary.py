"""The attribute dictionary: which typed attributes each category's products carry."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.catalog import convert
from advisor.catalog.convert import Converter
from advisor.catalog.numbers import ENGLISH, NumberStyle
from advisor.i18n import unit_text

ATTRIBUTE_TYPES = ("number", "integer", "boolean", "enum", "set", "text")
# Every product's price: a column of its own, named like an attribute in requirements, preferences and tie-breaks.
PRICE = "price"
# Whether the shopper's store has the product (a variant that fits): a yes/no that requirements and preferences name
# like an attribute ("in stock in your size"); worked out per store, never stored.
IN_STOCK = "in_stock"
LOCALES = ("de", "en")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class DictionaryError(ValueError):
    """The attribute dictionary file is unusable; the message names the file and the key."""


@dataclass(frozen=True)
class AttributeSpec:
    """One typed attribute of a category."""

    name: str
    type: str
    label: Mapping[str, str]
    unit: str | None = None
    values: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    more_is_better: bool | None = None
    required: bool = False
    value_labels: Mapping[str, Mapping[str, str]] | None = None
    # Per locale: "better"/"worse" (comparatives: "lighter"), "best" (with {n}: "the lightest of the {n}") for
    # numbers with more_is_better; "only" ("the only one with a rain cover") for yes/no attributes.
    words: Mapping[str, Mapping[str, str]] | None = None
    # The attribute may differ between a model's variants (size, colour, length): each variant has its own value.
    varies: bool = False
    coerce: Converter = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "coerce", coercer(self))

    @property
    def is_numeric(self) -> bool:
        return self.type in ("number", "integer")


@dataclass(frozen=True)
class CategorySpec:
    """A category and its attribute dictionary, in the dictionary's order."""

    id: str
    label: Mapping[str, str]
    attributes: Mapping[str, AttributeSpec]
    one: Mapping[str, str] | None = None  # one product of it ("Zelt", "tent"): "1 Zelt", not "1 Zelte"
    # The file leaves `one` out (not `"one": null`): an import keeps the stored word.
    one_left_out: bool = field(default=False, compare=False)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(name for name, spec in self.attributes.items() if spec.required)

    @property
    def varying(self) -> tuple[str, ...]:
        """The attributes whose values are the variants' (in the dictionary's order)."""
        return tuple(name for name, spec in self.attributes.items() if spec.varies)


@dataclass(frozen=True)
class StoreSpec:
    """A store: id and name per locale."""

    id: str
    name: Mapping[str, str]


@dataclass(frozen=True)
class Dictionary:
    """Stores and categories with their attributes."""

    stores: Mapping[str, StoreSpec]
    categories: Mapping[str, CategorySpec]


def coercer(spec: AttributeSpec, style: NumberStyle = ENGLISH) -> Converter:
    """The cell converter for an attribute's type, range and allowed values, numbers written in `style`."""
    low = spec.min if spec.min is not None else -math.inf
    high = spec.max if spec.max is not None else math.inf
    percent = spec.unit == "%"
    units = unit_words(spec.unit, style.locale) if not percent else ()
    if spec.type == "integer":
        return convert.number(low, high, whole=True, style=style, percent=percent, units=units)
    if spec.type == "number":
        return convert.number(low, high, style=style, percent=percent, units=units)
    if spec.type == "boolean":
        return convert.boolean
    if spec.type == "enum":
        return convert.choice(spec.values or (), spec.value_labels)
    if spec.type == "set":
        return convert.choices(spec.values or (), spec.value_labels)
    return convert.text(2000)


def unit_words(unit: str | None, locale: str = "en") -> tuple[str, ...]:
    """An attribute's unit as a cell may write it after the number: as the dictionary names it (kg, persons) and
    as the shopper reads it in each locale (Personen, Person, people); first as `locale` (the file's numbers')
    reads it, which examples use."""
    if not unit:
        return ()
    words = [unit_text(unit, locale) if locale in LOCALES else unit, unit]
    for other in LOCALES:
        words += [unit_text(unit, other), unit_text(unit, other, one=True)]
    return tuple(dict.fromkeys(word for word in words if word))


def _require(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in mapping:
        raise DictionaryError(f"{where}: missing key '{key}'")
    return mapping[key]


def _labels(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, Mapping) or not all(isinstance(raw.get(loc), str) for loc in LOCALES):
        raise DictionaryError(f"{where}: needs a German and an English text ('de' and 'en')")
    return {loc: raw[loc] for loc in LOCALES}


def _value_labels(raw: Any, values: Any, where: str) -> dict[str, dict[str, str]] | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise DictionaryError(f"{where}: expected labels per allowed value")
    labels = {}
    for value, label in raw.items():
        if not isinstance(values, list) or value not in values:
            raise DictionaryError(f"{where}.{value}: not an allowed value of this attribute")
        labels[str(value)] = _labels(label, f"{where}.{value}")
    return labels


def _words(raw: Any, kind: str, where: str) -> dict[str, dict[str, str]] | None:
    if raw is None:
        return None
    if kind == "boolean":
        wanted: tuple[str, ...] = ("only",)
    elif kind in ("number", "integer"):
        wanted = ("better", "worse", "best")
    else:
        raise DictionaryError(f"{where}: only number and yes/no attributes have words")
    if not isinstance(raw, Mapping) or set(raw) != set(LOCALES):
        shape = ", ".join(f'"{key}": …' for key in wanted)
        found = f"found keys {', '.join(map(str, raw))}" if isinstance(raw, Mapping) and raw else f"found {raw!r}"
        raise DictionaryError(f'{where}: words is keyed by language first: {{"de": {{{shape}}}, "en": {{…}}}}; {found}')
    words: dict[str, dict[str, str]] = {}
    for locale in LOCALES:
        entry = raw[locale]
        if not isinstance(entry, Mapping) or set(entry) != set(wanted):
            raise DictionaryError(f"{where}.{locale}: needs exactly {', '.join(wanted)}")
        if not all(isinstance(value, str) and value.strip() for value in entry.values()):
            raise DictionaryError(f"{where}.{locale}: every word is a text")
        if "best" in entry and "{n}" not in entry["best"]:
            raise DictionaryError(f"{where}.{locale}.best: needs {{n}} (how many products are compared)")
        words[locale] = {key: str(entry[key]) for key in wanted}
    return words


def parse_dictionary(raw: Any, source: str = "<dictionary>") -> Dictionary:
    """Validate a parsed dictionary document; DictionaryError names the file and the key."""
    if not isinstance(raw, Mapping):
        raise DictionaryError(f"{source}: expected an object with 'stores' and 'categories'")
    stores: dict[str, StoreSpec] = {}
    for i, store in enumerate(raw.get("stores", [])):
        where = f"{source}: stores[{i}]"
        store_id = _require(store, "id", where)
        stores[store_id] = StoreSpec(id=store_id, name=_labels(_require(store, "name", where), f"{where}.name"))
    categories: dict[str, CategorySpec] = {}
    for i, category in enumerate(_require(raw, "categories", source)):
        where = f"{source}: categories[{i}]"
        category_id = _require(category, "id", where)
        if not isinstance(category_id, str) or not _NAME.match(category_id):
            raise DictionaryError(f"{where}.id: {category_id!r} must be lower case letters, digits and _")
        if category_id in categories:
            raise DictionaryError(f"{where}.id: category '{category_id}' is defined twice")
        attributes: dict[str, AttributeSpec] = {}
        for j, attribute in enumerate(_require(category, "attributes", where)):
            attr_where = f"{where}.attributes[{j}]"
            name = _require(attribute, "name", attr_where)
            if not isinstance(name, str) or not _NAME.match(name):
                raise DictionaryError(f"{attr_where}.name: {name!r} must be lower case letters, digits and _")
            if name in attributes:
                raise DictionaryError(f"{attr_where}.name: attribute '{name}' is defined twice")
            if name in (PRICE, IN_STOCK):
                raise DictionaryError(f"{attr_where}.name: '{name}' is every product's own; choose another name")
            kind = _require(attribute, "type", attr_where)
            if kind not in ATTRIBUTE_TYPES:
                raise DictionaryError(f"{attr_where}.type: {kind!r} is not one of {', '.join(ATTRIBUTE_TYPES)}")
            values = attribute.get("values")
            varies = attribute.get("varies", False)
            if not isinstance(varies, bool):
                raise DictionaryError(f"{attr_where}.varies: expected true or false, got {varies!r}")
            if varies and kind == "text":
                raise DictionaryError(f"{attr_where}.varies: a text attribute cannot vary between variants")
            if attribute.get("more_is_better") is not None and kind not in ("number", "integer"):
                why = {"enum": "an enum's values have no order", "set": "a set's values have no order"}
                raise DictionaryError(
                    f"{attr_where}.more_is_better: more_is_better applies to number attributes; "
                    + why.get(kind, f"a {kind} attribute has no more or less")
                )
            if kind in ("enum", "set") and (not isinstance(values, list) or not values):
                raise DictionaryError(f"{attr_where}.values: an {kind} attribute needs a list of allowed values")
            attributes[name] = AttributeSpec(
                name=name,
                type=kind,
                label=_labels(_require(attribute, "label", attr_where), f"{attr_where}.label"),
                unit=attribute.get("unit"),
                values=tuple(str(v) for v in values) if values else None,
                min=attribute.get("min"),
                max=attribute.get("max"),
                more_is_better=attribute.get("more_is_better"),
                required=bool(attribute.get("required", False)),
                value_labels=_value_labels(attribute.get("value_labels"), values, f"{attr_where}.value_labels"),
                words=_words(attribute.get("words"), kind, f"{attr_where}.words"),
                varies=varies,
            )
        one = category.get("one")
        categories[category_id] = CategorySpec(
            id=category_id,
            label=_labels(_require(category, "label", where), f"{where}.label"),
            attributes=attributes,
            one=_labels(one, f"{where}.one") if one is not None else None,
            one_left_out="one" not in category,
        )
    return Dictionary(stores=stores, categories=categories)


def load_dictionary_file(path: Path) -> Dictionary:
    """Read and validate a categories.json file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DictionaryError(f"{path}: cannot read: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise DictionaryError(f"{path}: not UTF-8 text (byte {error.start})") from error
    except json.JSONDecodeError as error:
        raise DictionaryError(f"{path}:{error.lineno}:{error.colno}: {error.msg}") from error
    return parse_dictionary(raw, str(path))


def is_dictionary_document(raw: Any) -> bool:
    """Whether a parsed JSON document is an attribute dictionary rather than a product list."""
    return isinstance(raw, Mapping) and "categories" in raw and "products" not in raw
