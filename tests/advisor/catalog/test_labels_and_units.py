"""Cells as a merchandiser's Excel writes them: a value by the label the kiosk shows (`Netzrücken`), a number with
the attribute's own unit (`15 kg`), and a copied row whose SKU was not changed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from advisor.catalog.dictionary import AttributeSpec, coercer, unit_words
from advisor.catalog.numbers import ENGLISH, GERMAN, NumberStyle
from tests.advisor.catalog.test_variants import _dictionary, _import_rows, _variant_rows
from tests.helpers.catalog import sample_dictionary

DICTIONARY = sample_dictionary()
BACKPACKS = DICTIONARY.categories["backpacks"].attributes
# Every labelled value of the shipped dictionary: (attribute, value, label), the labels two values share left out.
LABELLED = [
    (spec, value, label)
    for category in DICTIONARY.categories.values()
    for spec in category.attributes.values()
    for value, labels in (spec.value_labels or {}).items()
    for label in labels.values()
    if sum(label.casefold() in map(str.casefold, other.values()) for other in (spec.value_labels or {}).values()) == 1
]
UNITS = [
    spec
    for category in DICTIONARY.categories.values()
    for spec in category.attributes.values()
    if spec.is_numeric and spec.unit and spec.unit != "%"
]


def refused(convert: Callable[[str], Any], cell: str) -> str:
    try:
        convert(cell)
    except ValueError as error:
        return str(error)
    raise AssertionError(f"{cell!r} was taken")


@pytest.mark.parametrize(
    ("name", "cell", "value"),
    [
        ("carrying_system", "Netzrücken", "ventilated_mesh"),
        ("carrying_system", "netzrücken", "ventilated_mesh"),
        ("carrying_system", "Ventilated Mesh", "ventilated_mesh"),
        ("carrying_system", "ventilated_mesh", "ventilated_mesh"),
        ("fit", "Kinder", "kids"),
        ("use", "Wandern|Trekking", ["hiking", "trekking"]),
        ("use", "Tagestour | hiking", ["daypack", "hiking"]),
    ],
)
def test_a_value_may_be_written_as_its_label_in_any_locale(name: str, cell: str, value: object) -> None:
    """The merchandiser's Excel holds the names the kiosk shows: a value's label, in German or English, in any
    case, is that value."""
    assert coercer(BACKPACKS[name], GERMAN)(cell) == value


@given(st.sampled_from(LABELLED), st.sampled_from([str, str.upper, str.lower, str.title]))
def test_every_label_of_the_dictionary_reads_as_its_value(
    labelled: tuple[AttributeSpec, str, str], case: object
) -> None:
    spec, value, label = labelled
    written = case(label)  # type: ignore[operator]
    expected = [value] if spec.type == "set" else value
    assert coercer(spec, GERMAN)(written) == expected
    assert coercer(spec, ENGLISH)(value) == expected  # the value itself stays what it is


@pytest.mark.parametrize(
    ("name", "cell", "message"),
    [
        ("carrying_system", "Netzruecken",
         "'Netzruecken' is not one of: frameless, contact, ventilated_mesh "
         "(did you mean ventilated_mesh (Netzrücken)?)"),
        ("carrying_system", "kontakt",
         "'kontakt' is not one of: frameless, contact, ventilated_mesh (did you mean contact (Kontaktrücken)?)"),
        ("fit", "Kind", "'Kind' is not one of: unisex, women, kids (did you mean kids (Kinder)?)"),
        ("fit", "xyz", "'xyz' is not one of: unisex, women, kids"),
    ],
)  # fmt: skip
def test_a_value_that_is_neither_says_which_one_it_is_close_to(name: str, cell: str, message: str) -> None:
    assert refused(coercer(BACKPACKS[name], GERMAN), cell) == message


@pytest.mark.parametrize(
    ("category", "name", "style", "cell", "number"),
    [
        ("backpacks", "max_load_kg", GERMAN, "15 kg", 15.0),
        ("backpacks", "max_load_kg", GERMAN, "15kg", 15.0),
        ("backpacks", "max_load_kg", GERMAN, "12,5 KG", 12.5),
        ("backpacks", "max_load_kg", ENGLISH, "12.5\u00a0kg", 12.5),
        ("backpacks", "volume_l", GERMAN, "40 l", 40),
        ("tents", "capacity", GERMAN, "2 Personen", 2),
        ("tents", "capacity", GERMAN, "1 Person", 1),
        ("tents", "capacity", ENGLISH, "3 people", 3),
        ("tents", "capacity", ENGLISH, "3 persons", 3),
    ],
)
def test_a_number_may_carry_the_attributes_own_unit(
    category: str, name: str, style: NumberStyle, cell: str, number: float
) -> None:
    assert coercer(DICTIONARY.categories[category].attributes[name], style)(cell) == number


@given(st.sampled_from(UNITS), st.integers(0, 10_000), st.sampled_from(["", " ", "\u00a0"]), st.booleans())
def test_a_number_in_range_reads_the_same_with_its_unit(
    spec: AttributeSpec, step: int, space: str, german: bool
) -> None:
    """Whatever the attribute and how its unit is written (any of its words, with or without a space), the number
    with its unit reads as the number alone."""
    style = GERMAN if german else ENGLISH
    low, high = spec.min or 0, spec.max or 1000
    number = low + (high - low) * step / 10_000
    number = float(round(number)) if spec.type == "integer" else round(number, 2)
    if not low <= number <= high:
        return
    convert = coercer(spec, style)
    alone = convert(style.render(number))
    for unit in unit_words(spec.unit, style.locale):
        assert convert(f"{style.render(number)}{space}{unit}") == alone


@pytest.mark.parametrize(
    ("name", "cell", "message"),
    [
        ("volume_l", "ca. 40 l",
         "expected a whole number like 40 or 40 l, got 'ca. 40 l': write the number alone, without 'ca.'"),
        ("max_load_kg", "ca. 15 kg",
         "expected a number like 15 or 15 kg, got 'ca. 15 kg': write the number alone, without 'ca.'"),
        ("max_load_kg", "15 g", "expected a number like 15 or 15 kg, got '15 g': write the number alone, without 'g'"),
        ("max_load_kg", "schwer", "expected a number like 2 or 2 kg, got 'schwer'"),
        ("max_load_kg", "15.5 kg",
         "expected a number with a decimal comma like 15,5 or 15,5 kg (read as German numbers), got '15.5 kg'"),
    ],
)  # fmt: skip
def test_words_beside_a_number_are_named_with_an_example_in_the_attributes_unit(
    name: str, cell: str, message: str
) -> None:
    """Not a price as the example: a number in the attribute's own unit, and what to leave out."""
    assert refused(coercer(BACKPACKS[name], GERMAN), cell) == message


def test_a_copied_row_with_a_new_name_but_the_old_sku_is_told_to_take_a_sku_of_its_own(
    engine: Engine, tmp_path: Path
) -> None:
    """Not a variant of the product (its name is another one): the row is a product of its own whose SKU was not
    changed, so the message names the product that has the SKU, and asks for one of its own."""
    _dictionary(engine)
    first, other = _variant_rows()
    alone = {**first, "variant.sku": "", "variant.gtin": ""}
    other = {**other, "sku": "J-2", "variant.sku": "J-2-L"}
    copy = {**alone, "name.de": "Jacke Sonderedition", "name.en": "Jacket special edition"}
    report = _import_rows(engine, [alone, other, copy], tmp_path, dry_run=True)
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (4, "sku", "SKU J-1 is already used by Jacke in row 2; give Jacke Sonderedition a SKU of its own")
    ]
    # Right under it too: a product with another name is no variant of it.
    report = _import_rows(engine, [alone, copy, other], tmp_path, dry_run=True)
    assert [r.reason for r in report.rejected] == [
        "SKU J-1 is already used by Jacke in row 2; give Jacke Sonderedition a SKU of its own"
    ]
    assert re.search("variant", report.rejected[0].reason) is None
