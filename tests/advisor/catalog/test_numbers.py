"""German and English numbers, percent signs and currencies in cells, and telling a file's number style."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.catalog import convert
from advisor.catalog.numbers import ENGLISH, GERMAN, NumberStyle, detect_style
from advisor.catalog.validate import BatchPlan, fixed_converters
from tests.helpers.catalog import sample_dictionary

CENTS = st.integers(min_value=0, max_value=999_999_999)


def german_text(cents: int, *, grouped: bool) -> str:
    """A price as German Excel shows it: 1.234,56 (grouped) or 1234,56."""
    whole, rest = divmod(cents, 100)
    digits = f"{whole:,}".replace(",", ".") if grouped else str(whole)
    return f"{digits},{rest:02d}"


@given(CENTS, st.booleans())
def test_a_german_price_reads_as_the_same_cents(cents: int, grouped: bool) -> None:
    text = german_text(cents, grouped=grouped)
    price = fixed_converters(GERMAN)["price"]
    assert price(text) == cents
    assert price(f"{text} €") == cents
    assert convert.fast_column(price)([text, text]) == [cents, cents]


@given(CENTS)
def test_an_english_price_reads_as_the_same_cents(cents: int) -> None:
    text = str(Decimal(cents) / 100)
    assert fixed_converters(ENGLISH)["price"](text) == cents


@given(st.lists(CENTS, min_size=1, max_size=30), st.booleans())
def test_a_column_of_german_numbers_with_a_decimal_is_told_german(prices: list[int], grouped: bool) -> None:
    cells = [german_text(cents, grouped=grouped) for cents in prices]
    assert detect_style(cells) is GERMAN


@given(st.lists(CENTS.filter(lambda cents: cents % 100 != 0), min_size=1, max_size=30))
def test_a_column_of_english_decimals_is_told_english(prices: list[int]) -> None:
    assert detect_style([str(Decimal(cents) / 100) for cents in prices]) is ENGLISH


def test_thousand_groups_alone_say_nothing_but_german_words_do() -> None:
    assert detect_style(["1.900", "2.000"]) is ENGLISH
    assert detect_style(["1.900", "2.000"], ["WAHR", "31.12.2034"]) is GERMAN


@pytest.mark.parametrize(
    ("style", "cell", "expected"),
    [
        (GERMAN, "1.234,5", 1234.5),
        (GERMAN, "-3,5", -3.5),
        (GERMAN, "80 %", 80.0),
        (ENGLISH, "80%", 80.0),
        (ENGLISH, "12.5", 12.5),
    ],
)
def test_percent_cells(style: NumberStyle, cell: str, expected: float) -> None:
    assert convert.number(-100, 10_000, style=style, percent=True)(cell) == expected


@pytest.mark.parametrize(
    ("style", "column", "cell", "reason"),
    [
        (GERMAN, "repair.repairability", "8 %", "a percent sign only belongs in a percent column, got '8 %'"),
        (GERMAN, "repair.repairability", "7.5", "expected a number with a decimal comma like 349,95 (read as German "
                                                "numbers), got '7.5'"),
        (ENGLISH, "repair.repairability", "7,5", "expected a number with a decimal point like 349.95 (read as "
                                                 "English numbers), got '7,5'"),
        (ENGLISH, "price", "12,50", "expected a price like 349.95 (read as English numbers), got '12,50'"),
        (GERMAN, "repair.spare_parts_until", "2034-31-12", "expected a date like 2032-12-31 or 31.12.2032, got "
                                                           "'2034-31-12'"),
    ],
)  # fmt: skip
def test_bad_cells_say_how_the_file_writes_numbers(style: NumberStyle, column: str, cell: str, reason: str) -> None:
    converter = fixed_converters(style)[column]
    with pytest.raises(ValueError, match="^" + reason.replace("(", r"\(").replace(")", r"\)") + "$"):
        converter(cell)


def test_an_english_whole_number_with_a_thousands_dot_is_refused_as_ambiguous() -> None:
    with pytest.raises(ValueError, match=r"^'10\.000' is ambiguous: 10000 in German, 10 in English"):
        convert.number(0, 100_000, whole=True)("10.000")


def test_a_price_in_another_currency_than_the_rows_is_rejected() -> None:
    header = ["sku", "category", "brand", "name.de", "name.en", "price", "currency", "sustainability.recycled_share"]
    plan = BatchPlan(header, sample_dictionary(), style=GERMAN, spreadsheet=True)
    batch = plan.validate(
        [
            ["T-1", "tents", "N", "Zelt", "Tent", "19,99 $", "EUR", "80 %"],
            ["T-2", "tents", "N", "Zelt", "Tent", "19,99 $", "USD", "80 %"],
        ]
    )
    assert [problem.reason for problem in batch.problems[0] if problem.column == "price"] == [
        "'19,99 $' is in USD, but the product's currency is EUR"
    ]
    assert all(problem.column != "price" for problem in batch.problems[1])
    assert all(problem.column != "sustainability.recycled_share" for problems in batch.problems.values()
               for problem in problems)  # fmt: skip


@pytest.mark.parametrize(
    ("style", "cell", "reason"),
    [
        (GERMAN, "1.000", "1.000 was read as 1000 (a point groups thousands in German numbers; write 1 if you mean "
                          "1); it is outside 1 to 8"),
        (GERMAN, "1.234,5", "1.234,5 was read as 1234,5 (a point groups thousands in German numbers); it is outside "
                            "1 to 8"),
        (ENGLISH, "1_000", "1_000 was read as 1000 (an underscore groups digits); it is outside 1 to 8"),
        (ENGLISH, "1e3", "1e3 was read as 1000 (an e means times a power of ten: 1e3 is 1000); it is outside 1 to 8"),
        (GERMAN, "12", "12 is outside 1 to 8"),
        (ENGLISH, "12", "12 is outside 1 to 8"),
    ],
)  # fmt: skip
def test_a_number_out_of_range_that_is_not_written_as_read_says_what_it_was_read_as(
    style: NumberStyle, cell: str, reason: str
) -> None:
    """A cell's text that is not the plain number read (a thousands point, an underscore, an exponent) is named as
    written and as read, and why; a plain number as written."""
    with pytest.raises(ValueError, match=f"^{re.escape(reason)}$"):
        convert.number(1, 8, style=style)(cell)


@pytest.mark.parametrize(("style", "cell"), [(GERMAN, "\u22121,5"), (ENGLISH, "\u22121.5"), (GERMAN, " \u22121,5 ")])
def test_a_typographic_minus_is_a_minus(style: NumberStyle, cell: str) -> None:
    assert style.parse(cell) == -1.5
    assert style.parse_column([cell, "2"]) in (None, [-1.5, 2.0])  # a column with one: read cell by cell
