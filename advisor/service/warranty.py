"""Warranty guidance from the months since purchase: the statutory Gewährleistung and a manufacturer warranty.

Guidance, never a legal decision: the texts say what may apply and that the store decides after looking at the
product. The statutory period runs 2 years from purchase; a manufacturer warranty runs the years the product's
catalog data gives (`repair.warranty_years`), when it gives any; when it gives none (or the product is not named),
the guidance says in one line that no manufacturer warranty is on record and to ask the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from advisor.recommend.index import ProductInfo

STATUTORY_MONTHS = 24
STATUTORY = "statutory"  # within the 2 years of Gewährleistung
MANUFACTURER = "manufacturer"  # within the manufacturer's warranty
ENDED = "ended"  # past every period we know of
UNKNOWN = "unknown"  # the date of purchase is not known


@dataclass(frozen=True)
class WarrantyNote:
    """One piece of warranty guidance: what may apply, with the months left (and the warranty's years)."""

    basis: str
    months_left: int | None = None
    years: float | None = None
    no_manufacturer: bool = False  # the catalog names no manufacturer warranty: the note says so, and to ask us

    def say(self, locale: str, address: str = "du") -> str:
        """The guidance in words (German in the flow's du or Sie)."""
        return say(self, locale, address)


def manufacturer_years(product: ProductInfo | None) -> float | None:
    """The manufacturer warranty in years, from the product's catalog data (None when it gives none)."""
    if product is None:
        return None
    years = product.repair.get("warranty_years")
    if isinstance(years, bool) or not isinstance(years, int | float) or years <= 0:
        return None
    return float(years)


def warranty_notes(months: Any, product: ProductInfo | None) -> tuple[WarrantyNote, ...]:
    """The guidance for a product bought `months` ago (None: not known); statutory first, then the manufacturer's.

    When the catalog names no manufacturer warranty for the product (or the product is not named), the last note
    says so (`no_manufacturer`), so a card titled "statutory and manufacturer warranty" is never silent about it.
    """
    years = manufacturer_years(product)
    none_known = years is None
    if isinstance(months, bool) or not isinstance(months, int | float) or months < 0:
        return (WarrantyNote(UNKNOWN, no_manufacturer=none_known),)
    notes = []
    if months < STATUTORY_MONTHS:
        notes.append(WarrantyNote(STATUTORY, _left(STATUTORY_MONTHS, months), no_manufacturer=none_known))
    if years is not None and months < years * 12:
        notes.append(WarrantyNote(MANUFACTURER, _left(years * 12, months), years))
    return tuple(notes) or (WarrantyNote(ENDED, None, years, no_manufacturer=none_known),)


def _left(period: float, months: float) -> int:
    return max(1, int(period - months))


_CLOSING = {
    "en": "This is guidance, not a legal decision.",
    "de": "Das ist ein Hinweis, keine rechtliche Entscheidung.",
}
_NO_MANUFACTURER = {
    ("en", "du"): "We have no manufacturer warranty beyond the statutory one on record for this product; ask us.",
    ("en", "Sie"): "We have no manufacturer warranty beyond the statutory one on record for this product; ask us.",
    ("de", "du"): "Eine Herstellergarantie über die gesetzliche Gewährleistung hinaus ist für dieses Produkt bei uns "
    "nicht hinterlegt; frag uns gern danach.",
    ("de", "Sie"): "Eine Herstellergarantie über die gesetzliche Gewährleistung hinaus ist für dieses Produkt bei uns "
    "nicht hinterlegt; fragen Sie uns gern danach.",
}
_RECEIPT = {
    ("en", "du"): "Bring the receipt: the store looks at the product and decides.",
    ("en", "Sie"): "Bring the receipt: the store looks at the product and decides.",
    ("de", "du"): "Bring den Kassenbon mit: Wir sehen uns das Produkt an und entscheiden dann.",
    ("de", "Sie"): "Bringen Sie den Kassenbon mit: Wir sehen uns das Produkt an und entscheiden dann.",
}


def _months(count: int, locale: str) -> str:
    if locale == "de":
        return f"{count} Monat" if count == 1 else f"{count} Monate"
    return f"{count} month" if count == 1 else f"{count} months"


def _years(years: float, locale: str) -> str:
    shown = f"{years:g}" if locale == "en" else f"{years:g}".replace(".", ",")
    if locale == "de":
        return f"{shown} Jahr" if years == 1 else f"{shown} Jahre"
    return f"{shown} year" if years == 1 else f"{shown} years"


def say(note: WarrantyNote, locale: str, address: str = "du") -> str:
    """A warranty note in words: what may apply, what to bring, and that it is guidance."""
    lang = "de" if locale == "de" else "en"
    form = "Sie" if address == "Sie" else "du"
    left = _months(note.months_left or 0, lang)
    if note.basis == STATUTORY:
        body = {
            "en": "Within 2 years of purchase the statutory warranty (Gewährleistung) may apply "
            f"(about {left} left): a defect the product already had when it was sold is for the seller to "
            "put right. Wear and damage from use are not covered.",
            "de": "Innerhalb von 2 Jahren ab Kauf kann die gesetzliche Gewährleistung greifen "
            f"(noch etwa {left}): Für einen Mangel, den das Produkt schon beim Kauf hatte, steht der Verkäufer "
            "ein. Verschleiß und Schäden durch Gebrauch sind nicht abgedeckt.",
        }[lang]
    elif note.basis == MANUFACTURER:
        years = _years(note.years or 0, lang)
        body = {
            "en": f"The manufacturer gives a warranty of {years} from purchase (about {left} left); "
            "its warranty terms say what it covers.",
            "de": f"Der Hersteller gibt {years} Garantie ab Kauf (noch etwa {left}); was sie abdeckt, "
            "regeln seine Garantiebedingungen.",
        }[lang]
    elif note.basis == ENDED:
        body = {
            "en": "The statutory warranty of 2 years from purchase has usually ended"
            + (f", and so has the manufacturer's warranty of {_years(note.years, lang)}" if note.years else "")
            + ". A repair is still possible.",
            "de": "Die gesetzliche Gewährleistung von 2 Jahren ab Kauf ist in der Regel vorbei"
            + (f", die Herstellergarantie von {_years(note.years, lang)} ebenso" if note.years else "")
            + ". Eine Reparatur ist trotzdem möglich.",
        }[lang]
    else:
        body = {
            "en": "The date of purchase decides which warranty rights may apply.",
            "de": "Welche Gewährleistungs- oder Garantierechte greifen können, hängt vom Kaufdatum ab.",
        }[lang]
    if note.no_manufacturer:
        body = f"{body} {_NO_MANUFACTURER[(lang, form)]}"
    return f"{body} {_RECEIPT[(lang, form)]} {_CLOSING[lang]}"
