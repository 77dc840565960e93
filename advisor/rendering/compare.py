"""Products side by side: one row per attribute with each product's value worded, the better value marked; the
price once, in each product's heading, the cheaper marked there. The kiosk's compare screen and the web companion's
compare page both show these."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.catalog.dictionary import PRICE
from advisor.i18n import number, percent, text
from advisor.recommend.core import attribute_label, fitted_values, format_value
from advisor.recommend.index import CategoryIndex, ProductInfo, VariantInfo
from advisor.rendering.facts import StoreNamed, number_ranges, price_text, range_text, stock_in

# The fewest products a comparison shows: one alone is nothing to compare (kiosk and web alike)
MIN_COMPARE = 2


def can_compare(count: int) -> bool:
    """Whether `count` products ticked make a comparison."""
    return count >= MIN_COMPARE


def compare_action(count: int, locale: str) -> str:
    """The button that opens the comparison: "Vergleichen (2)"; with one ticked, that it needs another ("Noch eins
    zum Vergleichen wählen"), the button then disabled (the kiosk) or no link (the web)."""
    if 0 < count < MIN_COMPARE:
        return text("compare.pick_one_more", locale)
    return text("web.compare_count", locale, count=count)


# Rows beside the dictionary's attributes (names no attribute has)
STOCK = "stock"
REPAIRABILITY = "repairability"
RECYCLED_SHARE = "recycled_share"


@dataclass(frozen=True)
class CompareRow:
    """One attribute across the compared products."""

    attribute: str
    label: str
    values: tuple[str, ...]  # as the shopper reads them, "–" where a product has none
    better: frozenset[int]  # the columns holding the better value (empty: no better direction, or a tie)


def better_columns(values: Sequence[Any], more_is_better: bool | None) -> frozenset[int]:
    """The columns holding the best value of a row (none when the attribute has no better direction or all tie).
    A model's range (`number_ranges`: "1,78–1,92 kg", a pair) is better only where even its worst end is as good as
    every other column's best: whichever of its variants the shopper takes, no other column has better. Ranges that
    overlap (185–205 cm beside 190 cm) are no better than each other; where nothing wins so, none is marked."""
    numbers = [(i, span) for i, value in enumerate(values) if (span := _span(value)) is not None]
    if more_is_better is None or len(numbers) < 2:
        return frozenset()

    def beats(mine: tuple[float, float], other: tuple[float, float]) -> bool:  # (or ties: the same value or range)
        if mine == other:
            return True
        return mine[0] >= other[1] if more_is_better else mine[1] <= other[0]

    winners = frozenset(i for i, mine in numbers if all(beats(mine, other) for j, other in numbers if j != i))
    return winners if len(winners) < len(values) else frozenset()


def _span(value: Any) -> tuple[float, float] | None:
    """A number as its lowest and highest (the same), a range as its ends; None for anything else."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (value, value)
    if isinstance(value, tuple) and len(value) == 2:
        return (value[0], value[1])
    return None


def compare_rows(
    index: CategoryIndex,
    products: Sequence[ProductInfo],
    locale: str,
    *,
    only_differences: bool = True,
    variants: Sequence[Sequence[VariantInfo] | None] | None = None,
    store_id: str | None = None,
    held: Mapping[str, int] | None = None,
    address: str = "du",
    wished: Mapping[str, bool] | None = None,
    store_named: StoreNamed | None = None,
) -> list[CompareRow]:
    """Every attribute of the category in the dictionary's order, then repairability and recycled share; with
    `store_id`, each product's stock there first (less what is `held` for appointments; what is held for this
    shopper said so, in their form of `address`; out of stock here, where else with `store_named`). With
    `only_differences`, the rows where the products differ. A model is compared as `variants` (per product, those
    that fit) have it, as its page reads it (facts.spec_rows): one variant's weight as its own, a number several
    differ in as their range ("1,78–1,92 kg", "185–205 cm"; when a range is better: `better_columns`). The price is
    no row: each product's heading shows it once (`compare_prices`). A value is marked better as the catalog has it
    (more storage), except where the shopper's answers wish the other way (`wished`: explain's wished_directions; a
    small daypack for one day), as the results say it."""
    fitting = list(variants) if variants is not None else [None] * len(products)
    attributes = _fitted(index, products, fitting)
    specs = index.category.attributes
    rows = []
    if store_id is not None:
        stocks = [stock_in(product, store_id, locale, chosen, index, held, address, store_named=store_named)
                  for product, chosen in zip(products, fitting, strict=True)]  # fmt: skip
        shown = tuple(stock.text(locale) for stock in stocks)
        if not (only_differences and len(products) > 1 and len(set(shown)) == 1):
            rows.append(CompareRow(STOCK, text("detail.where", locale), shown, frozenset()))
    ranges = [number_ranges(product, chosen) for product, chosen in zip(products, fitting, strict=True)]
    for name, spec in specs.items():
        if name == PRICE:  # (in the headings)
            continue
        values = [of.get(name, fitted.get(name)) for of, fitted in zip(ranges, attributes, strict=True)]
        direction = (wished or {}).get(name, spec.more_is_better)
        rows.extend(_row(index, name, direction, products, values, locale, only_differences))
    for name in (REPAIRABILITY, RECYCLED_SHARE):
        values = [
            (product.repair if name == REPAIRABILITY else product.sustainability).get(name) for product in products
        ]
        if any(value is not None for value in values):  # (a catalog without the figure: no row of dashes)
            rows.extend(_row(index, name, True, products, values, locale, only_differences))
    return rows


def compare_prices(
    index: CategoryIndex,
    products: Sequence[ProductInfo],
    locale: str,
    *,
    variants: Sequence[Sequence[VariantInfo] | None] | None = None,
) -> CompareRow:
    """Each product's price as its heading shows it (the variants that fit: the long version's; of several, "ab" the
    lowest), the cheaper marked (none when all cost the same). Of several prices, the cheaper as `better_columns`
    marks a range: "ab 159,95 €" beside 165 € only where its dearest variant is cheaper too. Always given, whether or
    not the prices differ."""
    fitting = list(variants) if variants is not None else [None] * len(products)
    fitted = _fitted(index, products, fitting)
    values: list[Any] = [values.get(PRICE, product.price) for product, values in zip(products, fitted, strict=True)]
    for column, (product, chosen) in enumerate(zip(products, fitting, strict=True)):
        prices = [variant.price for variant in chosen or ()] if len(product.variants) > 1 else []
        if prices and min(prices) != max(prices):  # (the heading says "ab": price_text)
            values[column] = (min(prices), max(prices))
    shown = tuple(price_text(product, locale, chosen) for product, chosen in zip(products, fitting, strict=True))
    better = better_columns(values, more_is_better=False) if len(products) > 1 else frozenset()
    return CompareRow(PRICE, attribute_label(index, PRICE, locale), shown, better)


def _fitted(
    index: CategoryIndex, products: Sequence[ProductInfo], fitting: Sequence[Sequence[VariantInfo] | None]
) -> list[dict[str, Any]]:
    """Each product's attributes as the variants that fit have them."""
    return [{**product.attributes, **fitted_values(index, product, chosen)}
            for product, chosen in zip(products, fitting, strict=True)]  # fmt: skip


def _row(
    index: CategoryIndex,
    name: str,
    more_is_better: bool | None,
    products: Sequence[ProductInfo],
    values: Sequence[Any],
    locale: str,
    only_differences: bool,
) -> list[CompareRow]:
    """One attribute's row, or none with `only_differences` where all products have the same."""
    if only_differences and len(products) > 1 and all(value == values[0] for value in values):
        return []
    shown = tuple("–" if value is None else _shown(index, name, value, locale) for value in values)
    better = better_columns(values, more_is_better) if len(products) > 1 else frozenset()
    return [CompareRow(name, _label(index, name, locale), shown, better)]


def _label(index: CategoryIndex, name: str, locale: str) -> str:
    if name == REPAIRABILITY:
        return text("compare.repairability", locale)
    if name == RECYCLED_SHARE:
        return text("compare.recycled_share", locale)
    return attribute_label(index, name, locale)


def _shown(index: CategoryIndex, name: str, value: Any, locale: str) -> str:
    if isinstance(value, tuple):  # (number_ranges: what a model's variants differ in)
        return range_text(index, name, value, locale)
    if name == REPAIRABILITY:
        return f"{number(value, locale)}/10"
    if name == RECYCLED_SHARE:
        return percent(value, locale)
    return format_value(index, name, value, locale)
