"""A service run's outcomes as the shopper reads them, worded once for the kiosk and the web companion.

Each outcome becomes a card: a guide with its numbered steps, pictures, difficulty, time, tools and what it needs;
spare parts and care products with price, stock and shelf in this store; a repair with where, how long and what it
may cost; warranty guidance; a person to talk to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from advisor.i18n import money, number, pick, text
from advisor.recommend.index import CatalogIndex, CategoryIndex, ProductInfo
from advisor.rendering.facts import StoreNamed, no_store_named, price_text, stock_in
from advisor.service.guides import Guide, guides_path
from advisor.service.outcomes import Applied

GUIDE, PARTS, REPAIR, WARRANTY, PERSON = "guide", "parts", "repair", "warranty", "person"

__all__ = ["StoreNamed"]  # (facts.StoreNamed: the surfaces name stores for products and parts alike)


@dataclass(frozen=True)
class PartView:
    """A spare part or care product: name, price and whether this store has it, and where."""

    sku: str
    name: str
    brand: str
    price: str
    count: int
    stock: str  # "3 vorrätig – Regal C2 (Pflege)", "Derzeit nicht vorrätig – in Hamburg: 9" (StoreNamed)
    location: str
    image: str | None


@dataclass(frozen=True)
class StepView:
    number: int
    text: str
    image: Path | None  # the step's picture (an SVG beside the guides file), None when it is not there


@dataclass(frozen=True)
class GuideView:
    id: str
    title: str
    difficulty: str  # "Schwierigkeit: leicht"
    minutes: str  # "etwa 30 Minuten"
    tools: tuple[str, ...]
    needs: tuple[PartView, ...]
    steps: tuple[StepView, ...]


@dataclass(frozen=True)
class OutcomeView:
    """One card of the outcomes screen."""

    id: str
    kind: str
    title: str
    text: str
    guide: GuideView | None = None
    parts: tuple[PartView, ...] = ()
    repair: str = ""  # "In unserer Werkstatt · etwa 14 Tage · 25–60 €"
    by_store: bool = False  # a repair the shopper can order here (drop-off)
    warranty: tuple[str, ...] = ()


def located(catalog: CatalogIndex | None, sku: str) -> tuple[CategoryIndex, ProductInfo] | None:
    """A product of any category with the category's index it is in (for its attributes' words), or None."""
    if catalog is None:
        return None
    for index in catalog.categories.values():
        position = index.position.get(sku)
        if position is not None:
            return index, index.products[position]
    return None


def product_anywhere(catalog: CatalogIndex | None, sku: str) -> ProductInfo | None:
    """A product of any category (parts and care products live in their own)."""
    found = located(catalog, sku)
    return found[1] if found is not None else None


def part_view(
    product: ProductInfo, store_id: str | None, locale: str, *, store_named: StoreNamed | None = None,
    address: str = "du",
) -> PartView:  # fmt: skip
    """A part as its card shows it: out of stock here, where else it is (by `store_named`'s names, most first;
    stores without a name counted together), or that it can be ordered when no store has it (without a store, only
    that it is out of stock)."""
    # (out of stock: where else, or to order, as a product says it; without a store, only that it is out of stock)
    stock = stock_in(product, store_id, locale, address=address, store_named=store_named or no_store_named)
    if stock.count > 0:
        said = text("detail.in_stock", locale, count=stock.count, location=stock.location) if stock.location else (
            text("help.part.in_stock", locale, count=stock.count))  # fmt: skip
    else:
        said = stock.text(locale)
    return PartView(product.sku, pick(product.name, locale), product.brand, price_text(product, locale), stock.count,
                    said, stock.location, product.image)  # fmt: skip


def _parts(
    skus: Sequence[str], catalog: CatalogIndex | None, store_id: str | None, locale: str,
    store_named: StoreNamed | None = None, address: str = "du",
) -> tuple[PartView, ...]:  # fmt: skip
    found = (product_anywhere(catalog, sku) for sku in skus)
    return tuple(part_view(product, store_id, locale, store_named=store_named, address=address) for product in found
                 if product is not None)  # fmt: skip


def guide_view(
    guide: Guide, *, catalog: CatalogIndex | None, store_id: str | None, locale: str,
    store_named: StoreNamed | None = None, address: str = "du",
) -> GuideView:  # fmt: skip
    folder = guides_path().parent
    steps = []
    for step in guide.steps:
        picture = folder / step.image if step.image else None
        steps.append(StepView(step.number, pick(step.text, locale), picture if picture and picture.is_file() else None))
    return GuideView(
        id=guide.id, title=pick(guide.title, locale), difficulty=text(f"help.difficulty.{guide.difficulty}", locale),
        minutes=text("help.minutes", locale, minutes=guide.minutes),
        tools=tuple(pick(tool, locale) for tool in guide.tools),
        needs=_parts(guide.needs, catalog, store_id, locale, store_named, address), steps=tuple(steps),
    )  # fmt: skip


def _euros(value: float, locale: str) -> str:
    return number(value, locale, 2)


def repair_text(applied: Applied, locale: str) -> str:
    repair = applied.outcome.repair
    if repair is None:
        return ""
    parts = [text(f"help.repair.by.{repair.by}", locale)]
    if repair.days:
        parts.append(text("help.repair.days", locale, days=repair.days))
    if repair.cost_min is not None and repair.cost_max is not None:
        low, high = _euros(repair.cost_min, locale), _euros(repair.cost_max, locale)
        parts.append(money(low if low == high else f"{low}–{high}", locale))
    return " · ".join(parts)


def outcome_views(
    applied: Sequence[Applied],
    *,
    catalog: CatalogIndex | None,
    store_id: str | None,
    locale: str,
    address: str,
    store_named: StoreNamed | None = None,
) -> tuple[OutcomeView, ...]:
    """The cards for the outcomes that apply, in their order; a part a guide already lists under what it needs is not
    offered a second time by a parts card, and a part the catalog does not have is not offered at all (a parts card
    left with none to show is left out). A part out of stock here names the stores that have it (`store_named`)."""
    views = []
    listed = {sku for item in applied if item.kind == "guide" and item.guide is not None for sku in item.guide.needs}
    for item in applied:
        outcome = item.outcome
        title, body = pick(outcome.title, locale), pick(outcome.text, locale) if outcome.text else ""
        match item.kind:
            case "guide":
                guide = None
                if item.guide is not None:
                    guide = guide_view(item.guide, catalog=catalog, store_id=store_id, locale=locale,
                                       store_named=store_named, address=address)  # fmt: skip
                views.append(OutcomeView(item.id, GUIDE, title, body, guide=guide))
            case "parts":
                offered = tuple(sku for sku in item.parts if sku not in listed)
                parts = _parts(offered, catalog, store_id, locale, store_named, address)  # (none not in the catalog)
                if parts:  # a parts card with no part to show would be a title with nothing under it
                    views.append(OutcomeView(item.id, PARTS, title, body, parts=parts))
            case "repair":
                by_store = outcome.repair is not None and outcome.repair.by == "store"
                views.append(OutcomeView(item.id, REPAIR, title, body, repair=repair_text(item, locale),
                                         by_store=by_store))  # fmt: skip
            case "warranty":
                notes = tuple(note.say(locale, address) for note in item.warranty)
                views.append(OutcomeView(item.id, WARRANTY, title, body, warranty=notes))
            case _:
                views.append(OutcomeView(item.id, PERSON, title, body or text("help.person", locale, address)))
    return tuple(views)
