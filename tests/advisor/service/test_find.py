"""The barcode and sku search against the index's code tables: whatever the catalog's codes (skus that differ in
case or accents only, GTINs of every length, codes shared by mistake), a typed or scanned code finds what a plain
lookup over every product finds, the first in catalog order."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.catalog.validate import gtin_check_digit
from advisor.recommend.index import CategoryIndex, ProductInfo
from advisor.service.find import by_code, gtin_key
from tests.helpers.catalog import sample_dictionary

BAGS = sample_dictionary().categories["sleeping_bags"]
SKU = st.text(st.sampled_from("aAbBéÉßsS0-"), min_size=1, max_size=4)
GTIN = st.builds(
    lambda length, body: (digits := str(body).zfill(length - 1)[: length - 1]) + str(gtin_check_digit(digits)),
    st.sampled_from([8, 12, 13, 14]),
    st.integers(0, 10**13),
)


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("ß", "ss")


def _expected(products: list[ProductInfo], text: str) -> tuple[str, str | None, str] | None:
    """What a lookup over every product finds: a GTIN first, then an sku (as 14 digits, then as typed)."""
    key = gtin_key(text)
    if key is not None:
        for product in products:
            for variant in product.variants:
                if variant.gtin and gtin_key(variant.gtin) == key:
                    return product.sku, variant.sku, "gtin"
    for wanted, how in ((key, "gtin"), (_fold(text.strip()), "sku")):
        if wanted is None:
            continue
        for product in products:
            if _fold(product.sku) == wanted:
                return product.sku, None, how
            for variant in product.variants:
                if _fold(variant.sku) == wanted:
                    return product.sku, variant.sku, how
    return None


@settings(max_examples=80, deadline=None)
@given(
    models=st.lists(st.tuples(SKU, st.lists(st.tuples(SKU, st.none() | GTIN), max_size=3)), min_size=1, max_size=6),
    typed=st.lists(SKU | GTIN, max_size=4),
)
def test_a_code_finds_what_a_lookup_over_every_product_finds(models: list[Any], typed: list[str]) -> None:
    products = [
        ProductInfo.from_record({
            "sku": f"M-{sku}", "brand": "Nordgrat", "name": {"de": "x", "en": "x"}, "price": 99.0,
            "variants": [{"sku": f"V-{variant}", **({"gtin": gtin} if gtin else {})} for variant, gtin in variants],
        })
        for sku, variants in models
    ]  # fmt: skip
    index = CategoryIndex(BAGS, products)
    codes = [p.sku for p in products] + [v.sku for p in products for v in p.variants]
    codes += [v.gtin for p in products for v in p.variants if v.gtin]
    for text in [*codes, *(code.upper() for code in codes), *typed, *(f"M-{t}" for t in typed), "nothing"]:
        found = by_code(index, text)
        got = (found.product.sku, found.variant.sku if found.variant else None, found.how) if found else None
        assert got == _expected(products, text), text


def test_a_name_with_an_umlaut_is_found_however_the_umlaut_is_typed() -> None:
    """A keyboard without umlauts types "waechte" or "wachte": each finds "Wächte 1" as "Wächte" does."""
    from advisor.service.find import find
    from tests.helpers.service import merged_catalog

    tents = merged_catalog().categories["tents"]
    for typed in ("Wächte", "waechte", "WAECHTE 1", "wachte", "wa\u0308chte"):
        names = [found.product.name["de"] for found in find(tents, typed)]
        assert names[:1] == ["Wächte 1"], (typed, names)
    assert find(tents, "waechtex") == []
