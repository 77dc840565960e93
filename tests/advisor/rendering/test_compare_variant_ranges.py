"""A model of which several variants fit reads in the comparison as on its page: what its variants differ in as their
range ("1,78–1,92 kg", "185–205 cm"), never the lightest one's weight beside the longest one's length, a sleeping bag
that does not exist; a range marked better only where even its worst end is."""

from __future__ import annotations

from dataclasses import replace

import pytest

from advisor.recommend.index import CategoryIndex, ProductInfo
from advisor.rendering.compare import CompareRow, compare_prices, compare_rows
from advisor.rendering.facts import spec_rows
from tests.helpers.index import sample_index

NEBELMEER = "NG-SBAG-0016"  # Nebelmeer 1200: regular 185 cm 1,78 kg 159,95 €; long 205 cm 1,92 kg 169,95 €
BERGFEDER = "NG-SBAG-0012"  # Bergfeder 500: one article, 190 cm, 1,38 kg, 299,95 €
HOCHKAR = "NG-SBAG-0004"  # Hochkar 600: regular 185 cm 1,05 kg; long 200 cm 1,11 kg
RADLNACHT = "NG-SBAG-0032"  # Radlnacht 6: one article, 169,95 €


def _product(index: CategoryIndex, sku: str) -> ProductInfo:
    return index.products[index.position[sku]]


def _read(row: CompareRow) -> list[str]:
    return [value.replace("\u00a0", " ") for value in row.values]


@pytest.mark.parametrize(
    ("locale", "weights", "heights"),
    [("de", ["1,78–1,92 kg", "1,38 kg"], ["185–205 cm", "190 cm"]),
     ("en", ["1.78–1.92 kg", "1.38 kg"], ["185–205 cm", "190 cm"])],
)  # fmt: skip
def test_a_model_of_which_both_variants_fit_reads_as_their_ranges_as_on_its_page(
    locale: str, weights: list[str], heights: list[str]
) -> None:
    index = sample_index("sleeping_bags")
    nebelmeer, bergfeder = _product(index, NEBELMEER), _product(index, BERGFEDER)
    for fitting in (nebelmeer.variants, None):  # both fit, or no answer ruled one out
        rows = {row.attribute: row for row in compare_rows(index, [nebelmeer, bergfeder], locale,
                                                           variants=[fitting, None])}  # fmt: skip
        assert _read(rows["weight_kg"]) == weights
        assert _read(rows["max_body_height_cm"]) == heights
        page = dict(spec_rows(index, nebelmeer, locale, fitting))
        for row in rows.values():  # the same product reads the same in the comparison as on its page
            if row.label in page:
                assert row.values[0] == page[row.label], row.label
        # Bergfeder is lighter than either Nebelmeer; 190 cm is longer than the regular one, shorter than the long
        assert rows["weight_kg"].better == {1}
        assert rows["max_body_height_cm"].better == frozenset()


def test_of_one_fitting_variant_the_comparison_reads_its_own_values_and_marks_them() -> None:
    index = sample_index("sleeping_bags")
    nebelmeer, bergfeder = _product(index, NEBELMEER), _product(index, BERGFEDER)
    long = tuple(v for v in nebelmeer.variants if v.options["length"] == "long")
    rows = {row.attribute: row for row in compare_rows(index, [nebelmeer, bergfeder], "de", variants=[long, None])}
    assert _read(rows["weight_kg"]) == ["1,92 kg", "1,38 kg"] and rows["weight_kg"].better == {1}
    assert _read(rows["max_body_height_cm"]) == ["205 cm", "190 cm"] and rows["max_body_height_cm"].better == {0}


def test_two_models_ranges_are_marked_only_where_one_is_better_throughout() -> None:
    index = sample_index("sleeping_bags")
    nebelmeer, hochkar = _product(index, NEBELMEER), _product(index, HOCHKAR)
    rows = {row.attribute: row for row in compare_rows(index, [nebelmeer, hochkar], "en")}
    assert _read(rows["weight_kg"]) == ["1.78–1.92 kg", "1.05–1.11 kg"]
    assert rows["weight_kg"].better == {1}, "the heavier Hochkar is lighter than the lighter Nebelmeer"
    assert _read(rows["max_body_height_cm"]) == ["185–205 cm", "185–200 cm"]
    assert rows["max_body_height_cm"].better == frozenset(), "both come for 185 cm; the longest is not the model"
    same = {row.attribute: row for row in compare_rows(index, [nebelmeer, nebelmeer], "de", only_differences=False)}
    assert same["weight_kg"].better == frozenset(), "the same range twice: a tie, none marked"


@pytest.mark.parametrize(("locale", "lowest", "dearest"), [("de", "ab 159,95 €", "169,95 €"),
                                                       ("en", "from €159.95", "€169.95")])  # fmt: skip
def test_a_price_from_is_marked_cheaper_only_where_its_dearest_variant_is_too(
    locale: str, lowest: str, dearest: str
) -> None:
    index = sample_index("sleeping_bags")
    nebelmeer, radlnacht = _product(index, NEBELMEER), _product(index, RADLNACHT)
    fitting = [nebelmeer.variants, None]
    as_dear = compare_prices(index, [nebelmeer, radlnacht], locale, variants=fitting)
    assert as_dear.values == (lowest, dearest)
    assert as_dear.better == {0}, "no Nebelmeer costs more than 169,95 €"
    between = replace(radlnacht, price=165.0)  # dearer than the regular Nebelmeer, cheaper than the long one
    neither = compare_prices(index, [nebelmeer, between], locale, variants=fitting)
    assert neither.values[0] == lowest
    assert neither.better == frozenset(), "which is cheaper depends on the length"
    regular = tuple(v for v in nebelmeer.variants if v.options["length"] == "regular")
    assert compare_prices(index, [nebelmeer, between], locale, variants=[regular, None]).better == {0}
