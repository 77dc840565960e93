"""How a repair order's facts are said, the same on the web page, in the console and in the mail."""

from __future__ import annotations

from advisor.i18n import amount_text, euros, money, text


def cost_text(cost_cents: tuple[int, int] | None, locale: str) -> str:
    """The expected cost as a shopper reads it ("15–30 €", "20 €", "free of charge"); "" when nobody can say yet."""
    if cost_cents is None:
        return ""
    lowest, highest = cost_cents
    if highest == 0:
        return text("repair.cost.free", locale)
    if lowest == highest:
        return euros(lowest / 100, locale)
    return money(f"{amount_text(lowest / 100, locale)}–{amount_text(highest / 100, locale)}", locale)


def cost_line(cost_cents: tuple[int, int] | None, locale: str, *, warranty: bool = False) -> str:
    """The expected cost, free when the warranty may apply ("kostenlos, falls Gewährleistung greift; sonst 15–40 €");
    "" when nobody can say and no warranty may apply."""
    cost = cost_text(cost_cents, locale)
    if not warranty or cost == text("repair.cost.free", locale):
        return cost
    return text("repair.cost.warranty", locale, cost=cost) if cost else text("repair.cost.warranty_only", locale)
