"""Validation rules and the property that no input, however mangled, escapes as an exception."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.catalog.dictionary import DictionaryError, parse_dictionary
from advisor.catalog.formats import ReadOptions, UnusableInput, flatten_record, read_table
from advisor.catalog.validate import BatchPlan, validate_records
from tests.helpers.catalog import sample_dictionary, tent

DICTIONARY = sample_dictionary()
GOOD_CELLS, _ = flatten_record(tent())
HEADER = list(GOOD_CELLS)


def _problems(record: dict[str, Any]) -> dict[str, str]:
    result = validate_records([record], DICTIONARY)
    return {problem.column: problem.reason for problem in result.problems.get(0, [])}


def test_a_valid_record_becomes_table_values() -> None:
    batch = validate_records([tent()], DICTIONARY)
    product = batch.product(0)
    assert product["price_cents"] == 29995
    assert product["attributes"]["use"] == ["trekking", "camping"]
    assert product["attributes"]["freestanding"] is True
    assert product["sustainability"]["materials"][0] == {"material": "polyester", "share": 80.0, "recycled": True}
    assert batch.stock[0] == [("T-1", "muc-01", 3, "1. OG", "1st floor")]


def test_set_values_come_back_in_dictionary_order_without_repeats() -> None:
    record = tent()
    record["attributes"]["use"] = ["camping", "trekking", "camping"]
    assert validate_records([record], DICTIONARY).product(0)["attributes"]["use"] == ["trekking", "camping"]


def test_rules_name_the_column() -> None:
    record = tent(sku="bad sku!", currency="euro", price=-3)
    record["sustainability"]["materials"][0]["share"] = 70
    record["repair"]["spare_parts_until"] = "next year"
    record["attributes"]["tent_type"] = "igloo"
    problems = _problems(record)
    assert set(problems) == {
        "sku", "currency", "price", "sustainability.materials", "repair.spare_parts_until", "attributes.tent_type",
    }  # fmt: skip
    assert "add up to 90 %" in problems["sustainability.materials"]
    assert "'igloo' is not one of: dome, tunnel" in problems["attributes.tent_type"]


def test_missing_required_fields() -> None:
    problems = _problems(tent(brand=None, name={"de": "Nur Deutsch"}))
    assert problems == {"brand": "is required", "name.en": "is required"}


def test_unknown_category_lists_the_known_ones() -> None:
    """In the same order whether the dictionary came from its file (a new database) or from the database."""
    assert _problems(tent(category="kayaks"))["category"].endswith(
        "known: backpacks, care, rain_jackets, sleeping_bags, spare_parts, tents"
    )


def test_json_shape_errors() -> None:
    assert _problems(tent(attributes=["capacity"]))["attributes"] == "expected an object"
    assert "expected a store object" in _problems(tent(stock=[3]))["stock"]
    assert validate_records(["not a product"], DICTIONARY).problems[0][0].reason == "expected a product object, got str"


def test_dictionary_errors_name_the_key() -> None:
    raw = {
        "categories": [
            {
                "id": "tents",
                "label": {"de": "Z", "en": "T"},
                "attributes": [{"name": "x", "type": "colour", "label": {"de": "x", "en": "x"}}],
            }
        ]
    }  # noqa: E501
    expected = "cat.json: categories[0].attributes[0].type: 'colour' is not one of number, integer, boolean, enum, set"
    with pytest.raises(DictionaryError, match=re.escape(expected)):
        parse_dictionary(raw, "cat.json")


def test_a_categorys_word_for_one_is_kept_through_the_database_and_checked(tmp_path: Path) -> None:
    """`one` ("Zelt") lets counts read "1 Zelt passt"; without it the count of one says "Produkt"."""
    from advisor.catalog.reads import load_dictionary
    from advisor.catalog.store import save_dictionary
    from advisor.db import make_engine, upgrade

    raw = {"categories": [{"id": "tents", "label": {"de": "Zelte", "en": "Tents"}, "one": {"de": "Zelt", "en": "Tent"},
                           "attributes": []},
                          {"id": "care", "label": {"de": "Pflege", "en": "Care"}, "attributes": []}]}  # fmt: skip
    engine = make_engine(f"sqlite:///{tmp_path / 'one.sqlite3'}")
    upgrade(engine)
    save_dictionary(engine, parse_dictionary(raw, "cat.json"))
    stored = load_dictionary(engine).categories
    assert stored["tents"].one == {"de": "Zelt", "en": "Tent"} and stored["care"].one is None
    with pytest.raises(DictionaryError, match=re.escape("cat.json: categories[0].one: needs a German and an English")):
        parse_dictionary({"categories": [{**raw["categories"][0], "one": {"de": "Zelt"}}]}, "cat.json")
    engine.dispose()


@pytest.mark.parametrize(
    ("kind", "words", "expected"),
    [
        ("enum", {"de": {"only": "x"}, "en": {"only": "x"}}, "only number and yes/no attributes have words"),
        ("number", {"de": {"better": "a", "worse": "b", "best": "c {n}"}}, "words is keyed by language first"),
        ("number", {"de": {"better": "a", "worse": "b"}, "en": {"better": "a", "worse": "b"}},
         "words.de: needs exactly better, worse, best"),
        ("number", {"de": {"better": "a", "worse": "b", "best": "am besten"},
                    "en": {"better": "a", "worse": "b", "best": "best of {n}"}}, "words.de.best: needs {n}"),
        ("boolean", {"de": {"only": ""}, "en": {"only": "the only one"}}, "words.de: every word is a text"),
    ],
)  # fmt: skip
def test_attribute_words_are_checked(kind: str, words: dict[str, Any], expected: str) -> None:
    attribute = {"name": "x", "type": kind, "label": {"de": "x", "en": "x"}, "words": words}
    if kind == "enum":
        attribute["values"] = ["a"]
    raw = {"categories": [{"id": "tents", "label": {"de": "Z", "en": "T"}, "attributes": [attribute]}]}
    with pytest.raises(DictionaryError, match=re.escape(expected)):
        parse_dictionary(raw, "cat.json")


CELL = st.one_of(st.text(max_size=12), st.sampled_from(["", "2", "1.5", "-1", "true", "dome", "a|b", "x:50", "1e308"]))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(HEADER), CELL, max_size=8), min_size=1, max_size=12))
def test_mangled_rows_never_raise_and_good_rows_survive(mutations: list[dict[str, str]]) -> None:
    """Any cell may be replaced by junk: each row is either valid or rejected, never an exception."""
    rows = []
    for number, mutation in enumerate(mutations):
        cells = dict(GOOD_CELLS, sku=f"S-{number}")
        cells.update(mutation)
        rows.append([cells[column] for column in HEADER])
    batch = BatchPlan(HEADER, DICTIONARY).validate(rows)
    assert sorted(batch.indexes + list(batch.problems)) == list(range(len(rows)))
    for position, i in enumerate(batch.indexes):
        unchanged = all(mutations[i][column] == GOOD_CELLS[column] for column in mutations[i] if column != "sku")
        product = batch.product(position)
        assert product["category_id"] == "tents"
        if unchanged and "sku" not in mutations[i]:
            assert product["sku"] == f"S-{i}"
    for i, problems in batch.problems.items():
        assert problems, i
        assert all(problem.column in HEADER or problem.column.startswith("attributes.") for problem in problems)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(',"\n\r|:ab1 \x00')), max_size=200))
def test_csv_files_of_any_shape_are_read_or_refused_cleanly(text: str) -> None:
    """Whatever follows the header, reading ends in batches (and problems of the file) or UnusableInput, never
    another exception; every row is numbered within the file and either validated or rejected."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_text(",".join(HEADER) + "\n" + text, encoding="utf-8", newline="")
        try:
            table = read_table(path, DICTIONARY, kind="csv", options=ReadOptions())
            batches = list(table.batches)
        except UnusableInput as error:
            refusal = str(error)
            assert refusal.startswith(str(path)), refusal
            return
    lines = text.count("\n") + text.count("\r") + 2
    for problem in table.problems:
        assert problem.line is None or 1 <= problem.line <= lines
    for numbered in batches:
        assert len(numbered.batch.indexes) + len(numbered.batch.problems) == len(numbered.row_numbers)
        assert all(2 <= row <= lines for row in numbered.row_numbers)


_GTIN_CELL = st.one_of(
    st.sampled_from([8, 12, 13, 14]).flatmap(lambda width: st.text("0123456789", min_size=width, max_size=width)),
    st.builds(
        lambda body, check: body + str(check),  # a GTIN-13 whose check digit is right one time in ten
        st.text("0123456789", min_size=12, max_size=12),
        st.integers(0, 9),
    ),  # fmt: skip
    st.sampled_from(["4006381333931", "73513537", "4006 3813 3393 1", "400638133393", "٤006381333931", "12345", ""]),
)


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(_GTIN_CELL, max_size=12))
def test_a_column_of_gtins_checked_at_once_says_what_each_cell_says(cells: list[str]) -> None:
    """The whole-column GTIN check (numpy, per length) and the cell-by-cell one agree: every cell good gives the
    cells, any bad one (wrong check digit or length, spaces, other digits) leaves it to the cell-by-cell check."""
    from advisor.catalog.convert import convert_column
    from advisor.catalog.validate import _gtin

    one_by_one: list[Any] = []
    for cell in cells:
        try:
            one_by_one.append(_gtin(cell))
        except ValueError:
            one_by_one.append(None)
    at_once = _gtin.column(cells)  # type: ignore[attr-defined]
    if at_once is not None:
        assert at_once == one_by_one == cells
    else:
        assert None in one_by_one or any(" " in cell or not cell.isascii() for cell in cells)
    converted, errors = convert_column(_gtin, cells)
    assert converted == [None if cell == "" else value for cell, value in zip(cells, one_by_one, strict=True)]
    assert sorted(errors) == [i for i, (cell, value) in enumerate(zip(cells, one_by_one, strict=True))
                              if value is None and cell != ""]  # fmt: skip
