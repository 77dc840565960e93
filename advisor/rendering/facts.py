"""A product's facts as lines of text: specifications, care, repair, sustainability and where it is in the store.

The kiosk's detail screen, the web page and the take-away summary all read these, so a fact reads the same
everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from advisor.i18n import MESSAGES, number, pick, text
from advisor.recommend.core import attribute_label, format_value
from advisor.recommend.index import CategoryIndex, ProductInfo

CARE_TEXT = {
    "wash": {"machine_30": ("Maschinenwäsche 30 °C", "Machine wash 30 °C"),
             "machine_40": ("Maschinenwäsche 40 °C", "Machine wash 40 °C"),
             "hand": ("Handwäsche", "Hand wash"), "sponge": ("Mit Schwamm reinigen", "Clean with a sponge"),
             "no_wash": ("Nicht waschen", "Do not wash")},
    "dry": {"air": ("An der Luft trocknen", "Air dry"), "tumble_low": ("Trockner, niedrige Stufe", "Tumble dry low"),
            "no_tumble": ("Nicht in den Trockner", "Do not tumble dry")},
    "reproof": {"spray": ("Imprägnieren mit Spray", "Reproof with a spray"),
                "wash_in": ("Imprägnieren beim Waschen", "Wash-in reproofing"), "none": ("", "")},
}  # fmt: skip


@dataclass(frozen=True)
class Stock:
    """How many are in this store and where to find them (None: not stocked here)."""

    count: int
    location: str

    def text(self, locale: str) -> str:
        if self.count > 0:
            return text("detail.in_stock", locale, count=self.count, location=self.location)
        return text("detail.out_of_stock", locale)


@dataclass(frozen=True)
class ProductFacts:
    """Everything shown about one product, in the shopper's language."""

    sku: str
    name: str
    description: str
    price: str
    image: str | None
    specs: tuple[tuple[str, str], ...]
    care: tuple[str, ...]
    repair: tuple[str, ...]
    sustainability: tuple[str, ...]
    stock: Stock


def long_date(iso: str, locale: str) -> str:
    """An ISO date as the shopper's language writes it (CLDR through Babel): "31. Dezember 2036"."""
    from babel.dates import format_date  # Babel's locale data loads only when a product page needs it

    try:
        return str(format_date(date.fromisoformat(iso), "long", locale=locale))
    except ValueError:
        return iso


def country_name(code: str, locale: str) -> str:
    """A country's name from its ISO code in the shopper's language (CLDR through Babel): VN → Vietnam."""
    from babel import Locale  # as above

    return str(Locale.parse(locale).territories.get(code.upper(), code))


def _named(kind: str, name: str, locale: str) -> str:
    """A material's or certification's name in the shopper's language (the message table), else as stored."""
    key = f"{kind}.{name}"
    return text(key, locale) if key in MESSAGES else name


def price_text(product: ProductInfo, locale: str) -> str:
    if product.currency == "EUR":
        return f"{number(product.price, locale, 2)} €"
    return f"{product.price:.2f} {product.currency}"


def spec_rows(index: CategoryIndex, product: ProductInfo, locale: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (attribute_label(index, name, locale), format_value(index, name, product.attributes[name], locale))
        for name in index.category.attributes
        if product.attributes.get(name) is not None
    )


def care_lines(product: ProductInfo, locale: str) -> tuple[str, ...]:
    column = 0 if locale == "de" else 1
    lines = []
    for key in ("wash", "dry", "reproof"):
        code = product.care.get(key)
        if code and CARE_TEXT[key].get(code, ("", ""))[column]:
            lines.append(CARE_TEXT[key][code][column])
    lines.extend(product.care.get("instructions", {}).get(locale, []))
    return tuple(lines)


def repair_lines(product: ProductInfo, locale: str) -> tuple[str, ...]:
    de = locale == "de"
    repair = product.repair
    lines = []
    if repair.get("repairability") is not None:
        lines.append(("Reparierbarkeit" if de else "Repairability") + f": {number(repair['repairability'], locale)}/10")
    if repair.get("spare_parts_until"):
        lines.append(text("fact.spare_parts_until", locale, date=long_date(repair["spare_parts_until"], locale)))
    parts = repair.get("spare_parts", {}).get(locale)
    if parts:
        lines.append(("Ersatzteile: " if de else "Spare parts: ") + ", ".join(parts))
    if repair.get("repair_service"):
        lines.append(text("fact.repair_service", locale))
    if repair.get("repair_guide"):
        lines.append(("Anleitung: " if de else "Guide: ") + pick(repair["repair_guide"], locale))
    return tuple(lines)


def sustainability_lines(product: ProductInfo, locale: str) -> tuple[str, ...]:
    de = locale == "de"
    facts = product.sustainability
    lines = []
    if facts.get("certifications"):
        names = ", ".join(_named("certification", name, locale) for name in facts["certifications"])
        lines.append(text("fact.certified", locale, names=names))
    materials = ", ".join(
        f"{_named('material', m['material'], locale)} {number(m['share'], locale)} %"
        + (" (recycelt)" if de and m["recycled"] else " (recycled)" if m["recycled"] else "")
        for m in facts.get("materials", [])
    )
    if materials:
        lines.append(("Material: " if de else "Materials: ") + materials)
    if facts.get("recycled_share") is not None:
        lines.append(text("fact.recycled", locale, share=number(facts["recycled_share"], locale)))
    if facts.get("pfc_free"):
        lines.append(text("fact.pfc_free", locale))
    if facts.get("country_of_origin"):
        lines.append(("Herkunft: " if de else "Made in: ") + country_name(facts["country_of_origin"], locale))
    return tuple(lines)


def stock_in(product: ProductInfo, store_id: str | None, locale: str) -> Stock:
    entry = product.stock.get(store_id) if store_id else None
    if entry is None:
        return Stock(0, "")
    return Stock(entry[0], pick(entry[1], locale) if entry[1] else "")


def product_facts(index: CategoryIndex, product: ProductInfo, locale: str, store_id: str | None) -> ProductFacts:
    """All facts of a product for one shopper's language and store."""
    return ProductFacts(
        sku=product.sku,
        name=pick(product.name, locale),
        description=pick(product.description, locale) if product.description else "",
        price=price_text(product, locale),
        image=product.image,
        specs=spec_rows(index, product, locale),
        care=care_lines(product, locale),
        repair=repair_lines(product, locale),
        sustainability=sustainability_lines(product, locale),
        stock=stock_in(product, store_id, locale),
    )
