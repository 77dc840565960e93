"""The variants as columns, built from the models' columns and the variants' own options (no merged row per
variant), hold what each variant's merged attributes say: checked against columns made from those rows."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.recommend.index import CategoryIndex, Interned, ProductInfo, VariantColumns, _Columns
from advisor.recommend.snapshot import pickled
from tests.helpers.catalog import sample_dictionary

BAGS = sample_dictionary().categories["sleeping_bags"]
BACKPACKS = sample_dictionary().categories["backpacks"]
STORES = ("muc-01", "ber-01")

BAG_OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "length": st.sampled_from(["regular", "long", "wide"]),
        "max_body_height_cm": st.integers(150, 220),
        "weight_kg": st.sampled_from([0.8, 1.2, 1.25, 2.0]),
    },
)
PACK_OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "back_length": st.lists(st.sampled_from(["S/M", "M/L", "L/XL"]), min_size=1, max_size=2, unique=True),
        "torso_min_cm": st.integers(38, 46),
        "torso_max_cm": st.integers(46, 56),
    },
)


def _models(options: st.SearchStrategy[dict[str, Any]], base: dict[str, Any]) -> st.SearchStrategy[list[Any]]:
    variant = st.fixed_dictionaries(
        {"options": options, "stock": st.lists(st.integers(0, 3), min_size=2, max_size=2)},
        optional={"price": st.sampled_from([99.0, 149.5])},
    )
    return st.lists(st.tuples(st.fixed_dictionaries(base), st.lists(variant, max_size=4)), min_size=1, max_size=8)


def _index(category: Any, models: list[Any]) -> CategoryIndex:
    interned = Interned()
    products = []
    for number, (attributes, variants) in enumerate(models):
        record = {
            "sku": f"M{number:02d}", "brand": "Nordgrat", "name": {"de": "x", "en": "x"}, "price": 120.0,
            "attributes": attributes,
            "variants": [{"sku": f"M{number:02d}-{k}", "options": v["options"],
                          "stock": [{"store": s, "quantity": q, "location": {"de": "Regal 1", "en": "Shelf 1"}}
                                    for s, q in zip(STORES, v["stock"], strict=True)],
                          **({"price": v["price"]} if "price" in v else {})}
                         for k, v in enumerate(variants)],
        }  # fmt: skip
        products.append(ProductInfo.from_record(record, interned))
    return CategoryIndex(category, products)


def _merged_rows(index: CategoryIndex) -> tuple[list[dict[str, Any]], list[float]]:
    rows, prices = [], []
    for product in index.products:
        for variant in product.variants or (None,):
            rows.append(dict(product.attributes) if variant is None else dict(product.variant_attributes(variant)))
            prices.append(product.price if variant is None else variant.price)
    return rows, prices


def _same(columns: VariantColumns, expected: _Columns, index: CategoryIndex) -> None:
    assert columns.size == expected.size
    for name, spec in index.category.attributes.items():
        assert np.array_equal(columns.present(name), expected.present(name)), name
        for row in range(columns.size):
            assert columns.value(name, row) == expected._rows[row].get(name), (name, row)
        if spec.type in ("number", "integer", "boolean"):
            assert np.array_equal(columns.numbers(name), expected.numbers(name), equal_nan=True), name
        for value in spec.values or ():
            assert np.array_equal(columns.equals(name, value), expected.equals(name, value)), (name, value)
    assert np.array_equal(columns.numbers("price"), expected.numbers("price"))


@settings(max_examples=60, deadline=None)
@given(_models(BAG_OPTIONS, {"max_body_height_cm": st.integers(160, 200), "temp_comfort_c": st.integers(-10, 10)}))
def test_sleeping_bag_variants_as_columns_say_what_their_merged_rows_say(models: list[Any]) -> None:
    index = _index(BAGS, models)
    rows, prices = _merged_rows(index)
    _same(index.variant_columns(), _Columns(BAGS, rows, prices), index)


@settings(max_examples=60, deadline=None)
@given(_models(PACK_OPTIONS, {"volume_l": st.integers(20, 70)}))
def test_backpack_variants_as_columns_say_what_their_merged_rows_say(models: list[Any]) -> None:
    index = _index(BACKPACKS, models)
    rows, prices = _merged_rows(index)
    _same(index.variant_columns(), _Columns(BACKPACKS, rows, prices), index)


@settings(max_examples=40, deadline=None)
@given(_models(BAG_OPTIONS, {"temp_comfort_c": st.integers(-10, 10)}))
def test_the_index_reads_back_every_product_as_it_was_given(models: list[Any]) -> None:
    """The index keeps its products as compact bytes: each reads back equal to the product it was made from, in
    the same order, after a copy too (as a kiosk reads its kept index); every attribute value reads as the
    product's, and each store's stock per variant row is that variant's."""
    given_products = _index(BAGS, models).products  # (the products a second index is made from)
    originals = list(given_products)
    index = CategoryIndex(BAGS, originals)
    copy = pickle.loads(pickled(index))
    for read in (index, copy):
        assert len(read.products) == len(originals)
        assert list(read.products) == originals
        assert [read.products[i] for i in reversed(range(len(originals)))] == originals[::-1]
        assert read.products[-1] == originals[-1] and read.products[1:3] == originals[1:3]
        for name in BAGS.attributes:  # (choices and texts from their columns, the rest from the product)
            for row, product in enumerate(originals):
                found, expected = read.value(name, row), product.attributes.get(name)
                assert (found, type(found)) == (expected, type(expected)), (name, row)
        columns = read.variant_columns()
        for store in (*STORES, "nowhere"):
            expected = [(variant or product).stock.get(store, (0, {}))[0] > 0
                        for product in originals for variant in product.variants or (None,)]  # fmt: skip
            assert columns.in_stock(store).tolist() == expected, store


@settings(max_examples=40, deadline=None)
@given(_models(BAG_OPTIONS, {"temp_comfort_c": st.integers(-10, 10)}), st.data())
def test_an_article_all_of_whose_stock_is_set_aside_is_not_on_the_shelf(models: list[Any], data: st.DataObject) -> None:
    """Holds for appointments (per article sku, a count) take an article off its store's shelf when they cover its
    stock there; a model without variants is held as itself; a sku the catalog does not have changes nothing."""
    index = _index(BAGS, models)
    articles = [(variant or product) for product in index.products for variant in product.variants or (None,)]
    skus = [article.sku for article in articles]
    held = data.draw(st.dictionaries(st.sampled_from([*skus, "GONE-1"]), st.integers(1, 4), max_size=6))
    columns = index.variant_columns()
    for store in (*STORES, "nowhere"):
        expected = [article.stock.get(store, (0, {}))[0] - held.get(article.sku, 0) > 0 for article in articles]
        assert columns.in_stock(store, held).tolist() == expected, (store, held)
        assert columns.in_stock(store).tolist() == [a.stock.get(store, (0, {}))[0] > 0 for a in articles]


def test_a_model_with_ten_variants_takes_a_few_hundred_bytes() -> None:
    """What the index keeps of a model with ten variants (texts, facts, GTINs, options, stock per store) is a few
    hundred bytes, not the kilobytes its Python objects would take."""
    models = [({"temp_comfort_c": n % 10}, [{"options": {"length": "long" if k % 2 else "regular",
                                                         "max_body_height_cm": 185 + 15 * (k % 2)},
                                             "stock": [k % 3, (k + 1) % 3]} for k in range(10)])
              for n in range(400)]  # fmt: skip
    index = _index(BAGS, models)
    assert index.products.nbytes / len(index.products) < 600
    assert len(index.products[7].variants) == 10 and index.products[7].variants[3].stock["muc-01"][0] == 0


@settings(max_examples=150, deadline=None)
@given(
    models=_models(BAG_OPTIONS, {"temp_comfort_c": st.integers(-10, 10)})
    | _models(BAG_OPTIONS, {"max_body_height_cm": st.integers(160, 200), "weight_kg": st.sampled_from([1.0, 1.5])}),
    source=st.sampled_from([
        "max_body_height_cm >= height", "max_body_height_cm > height", "height <= max_body_height_cm",
        "height < max_body_height_cm", "weight_kg <= limit", "limit > weight_kg", "weight_kg < limit",
        "max_body_height_cm >= temp_comfort_c + 180", "max_body_height_cm >= height or weight_kg <= limit",
        "max_body_height_cm == height", "max_body_height_cm >= weight_kg * 100",
    ]),
    height=st.none() | st.integers(140, 230) | st.just("tall"),
    limit=st.none() | st.sampled_from([0.5, 1.0, 1.2, 1.25, 3.0]),
)  # fmt: skip
def test_a_model_fits_when_one_of_its_variants_does(models: list[Any], source: str, height: Any, limit: Any) -> None:
    """However the models' variants are made, with missing values and answers of the wrong kind, a requirement on
    what varies lets a model in exactly when one of its variants passes it (a comparison that the variants'
    largest or smallest value decides is worked out per model)."""
    from advisor.expressions import parse
    from advisor.questionnaire.model import Requirement
    from advisor.recommend.core import _masks

    index = _index(BAGS, models)
    requirement = Requirement(parse(source), None, "height", None)
    values = {"height": height, "limit": limit}
    models_mask, variant_rows = _masks(index, [requirement], values)
    if not index.has_variants:
        return
    assert variant_rows is not None
    columns = index.variant_columns()
    ends = [*columns.starts.tolist()[1:], columns.size]
    each_model = [variant_rows.at(np.arange(start, stop)) for start, stop in zip(columns.starts.tolist(), ends,
                                                                                  strict=True)]  # fmt: skip
    every_row = variant_rows.full()  # (one model's rows first: worked out on their own where the extreme decided)
    assert np.array_equal(models_mask, columns.to_models(every_row))
    assert np.array_equal(np.concatenate(each_model), every_row)
