"""Products side by side: one row per attribute with each product's value worded, the better value marked.
The kiosk's compare screen and the web companion's compare page both show these rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from advisor.catalog.dictionary import PRICE
from advisor.recommend.core import attribute_label, format_value
from advisor.recommend.index import CategoryIndex, ProductInfo
from advisor.rendering.facts import price_text


@dataclass(frozen=True)
class CompareRow:
    """One attribute across the compared products."""

    attribute: str
    label: str
    values: tuple[str, ...]  # as the shopper reads them, "–" where a product has none
    better: frozenset[int]  # the columns holding the better value (empty: no better direction, or a tie)


def better_columns(values: Sequence[Any], more_is_better: bool | None) -> frozenset[int]:
    """The columns holding the best value of a row (none when the attribute has no better direction or all tie)."""
    numbers = [(i, v) for i, v in enumerate(values) if isinstance(v, int | float) and not isinstance(v, bool)]
    if more_is_better is None or len(numbers) < 2:
        return frozenset()
    best = max(v for _, v in numbers) if more_is_better else min(v for _, v in numbers)
    winners = frozenset(i for i, v in numbers if v == best)
    return winners if len(winners) < len(values) else frozenset()


def compare_rows(
    index: CategoryIndex, products: Sequence[ProductInfo], locale: str, *, only_differences: bool = True
) -> list[CompareRow]:
    """The price and every attribute of the category, in the dictionary's order; with `only_differences`, the
    rows where the products differ."""
    specs = index.category.attributes
    rows = []
    for name, more_is_better in [(PRICE, False), *((n, spec.more_is_better) for n, spec in specs.items())]:
        values = [product.price if name == PRICE else product.attributes.get(name) for product in products]
        if only_differences and len(products) > 1 and all(value == values[0] for value in values):
            continue
        shown = tuple(
            "–" if value is None else price_text(product, locale) if name == PRICE
            else format_value(index, name, value, locale)
            for product, value in zip(products, values, strict=True)
        )  # fmt: skip
        better = better_columns(values, more_is_better) if len(products) > 1 else frozenset()
        rows.append(CompareRow(name, attribute_label(index, name, locale), shown, better))
    return rows
