"""Products side by side: as the variants that fit have them, with stock here, repairability and recycled share."""

from __future__ import annotations

from advisor.rendering.compare import compare_prices, compare_rows
from tests.helpers.index import sample_index


def test_compare_shows_the_fitting_variant_stock_repairability_and_recycled_share() -> None:
    index = sample_index("sleeping_bags")
    hochkar, bergfeder = (index.products[index.position[sku]] for sku in ("NG-SBAG-0004", "NG-SBAG-0012"))
    long = tuple(v for v in hochkar.variants if v.options["length"] == "long")
    rows = {row.attribute: row for row in compare_rows(index, [hochkar, bergfeder], "de",
                                                       variants=[long, None], store_id="muc-01")}  # fmt: skip
    assert "price" not in rows, "the price once, in each product's heading (compare_prices), not again as a row"
    prices = compare_prices(index, [hochkar, bergfeder], "de", variants=[long, None])
    assert prices.values == ("599,95 €", "299,95 €") and prices.better == {1} and prices.label == "Preis"
    assert rows["length"].values == ("lang", "–")
    assert rows["stock"].label == "Hier im Laden" and rows["stock"].better == frozenset()
    assert rows["stock"].values[0] == "lang: hier derzeit nicht vorrätig"
    assert rows["stock"].values[1].startswith("12 vorrätig")
    assert rows["repairability"].values == ("8/10", "6/10") and rows["repairability"].better == {0}
    assert rows["recycled_share"].values == ("39\u00a0%", "0\u00a0%") and rows["recycled_share"].better == {0}
    assert list(rows)[0] == "stock"
    without_store = compare_rows(index, [hochkar, bergfeder], "en")
    assert "stock" not in {row.attribute for row in without_store}


def test_the_prices_are_given_even_when_equal_and_none_is_marked_cheaper() -> None:
    index = sample_index("sleeping_bags")
    bergfeder = index.products[index.position["NG-SBAG-0012"]]
    same = compare_prices(index, [bergfeder, bergfeder], "en")
    assert same.values == ("€299.95", "€299.95") and same.better == frozenset() and same.label == "Price"
    assert compare_prices(index, [bergfeder], "de").better == frozenset()
    everything = compare_rows(index, [bergfeder, bergfeder], "de", only_differences=False)
    assert "price" not in {row.attribute for row in everything}
