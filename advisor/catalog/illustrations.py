"""Sample catalog illustrations that tell products apart: an SVG drawn from each product's own attributes.

A tent's shape comes from its type, its width from its capacity and its height from its inner height; it is
drawn pitched, with its pack bag beside it sized by the packed volume. Sleeping bags, backpacks and rain jackets
take their shape, size and details from their attributes the same way. Every product gets its own colour. Real
photos (PNG, JPEG, WebP) from an import replace these; the kiosk and the web show whichever the product names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

WIDTH, HEIGHT = 400, 300
GROUND = 246
# Outdoor colours, each with a darker shade for poles, seams and shadows.
PALETTE = (
    ("#b0413e", "#6e2725"), ("#2f7d5b", "#1b4a36"), ("#2f6db0", "#1c426b"), ("#d08a1f", "#7d5212"),
    ("#7a4fa0", "#48305f"), ("#3f8f9e", "#245660"), ("#8c8f2a", "#53551a"), ("#c25b86", "#74364f"),
    ("#55606b", "#30373d"), ("#a8643a", "#643b22"),
)  # fmt: skip


def colours(sku: str) -> tuple[str, str]:
    """A product's own colour and its dark shade (stable for a SKU)."""
    digest = hashlib.sha256(sku.encode()).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def _svg(body: str, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img"><title>{_escape(title)}</title><rect width="{WIDTH}" height="{HEIGHT}" fill="#f4efe9"/>'
        f'<rect y="{GROUND}" width="{WIDTH}" height="{HEIGHT - GROUND}" fill="#dfe8d8"/>{body}</svg>'
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def tent(sku: str, name: str, attributes: Mapping[str, Any]) -> str:
    main, dark = colours(sku)
    capacity = float(attributes.get("capacity", 2))
    height = float(attributes.get("inner_height_cm", 110))
    half = _clamp(55 + 18 * capacity, 70, 150)  # half the width: room for more people
    tall = _clamp(height * 1.05, 70, 200)  # headroom
    left, right, top, cx = 170 - half, 170 + half, GROUND - tall, 170
    kind = attributes.get("tent_type", "dome")
    if kind == "tunnel":
        body = (f'<path d="M{left} {GROUND}Q{left} {top} {cx} {top}Q{right} {top} {right} {GROUND}Z" fill="{main}"/>'
                + "".join(f'<path d="M{left + i * half * 0.5} {GROUND}Q{left + i * half * 0.5} {top + 14} '
                          f'{left + i * half * 0.5 + 6} {top + 10}" stroke="{dark}" stroke-width="4" fill="none"/>'
                          for i in (1, 2, 3)))  # fmt: skip
    elif kind == "trekking_pole":
        body = (f'<path d="M{left} {GROUND}L{cx} {top}L{right} {GROUND}Z" fill="{main}"/>'
                f'<path d="M{cx} {top - 12}V{GROUND}" stroke="{dark}" stroke-width="4"/>')  # fmt: skip
    else:  # dome, geodesic, semi-geodesic: arcs, with crossing poles for the geodesic ones
        body = f'<path d="M{left} {GROUND}C{left} {top - 30} {right} {top - 30} {right} {GROUND}Z" fill="{main}"/>'
        poles = {"dome": 2, "semi_geodesic": 3, "geodesic": 4}.get(str(kind), 2)
        for i in range(poles):  # poles cross over the top, each from one side's foot to the other's
            start, end = left + 12 + i * 14, right - 12 - (poles - 1 - i) * 14
            body += (f'<path d="M{start} {GROUND}C{start + 10} {top - 22} {end - 10} {top - 22} {end} {GROUND}" '
                     f'stroke="{dark}" stroke-width="3" fill="none"/>')  # fmt: skip
    door = (
        f'<path d="M{cx - 22} {GROUND}Q{cx} {GROUND - tall * 0.55} {cx + 22} {GROUND}Z" fill="{dark}" opacity=".75"/>'
    )
    if int(attributes.get("entrances", 1)) > 1:
        door += (f'<path d="M{left + 18} {GROUND}Q{left + 30} {GROUND - tall * 0.35} {left + 46} {GROUND}Z" '
                 f'fill="{dark}" opacity=".5"/>')  # fmt: skip
    volume = float(attributes.get("packed_volume_l", 8))
    bag_h = _clamp(20 + volume * 2.2, 24, 70)
    bag_w = _clamp(bag_h * 0.55, 16, 40)
    bag = (f'<rect x="{352 - bag_w / 2}" y="{GROUND - bag_h}" width="{bag_w}" height="{bag_h}" rx="{bag_w / 2.5}" '
           f'fill="{main}"/><path d="M{352 - bag_w / 2} {GROUND - bag_h + 8}H{352 + bag_w / 2}" stroke="{dark}" '
           f'stroke-width="3"/>')  # fmt: skip
    return _svg(body + door + bag, name)


def sleeping_bag(sku: str, name: str, attributes: Mapping[str, Any]) -> str:
    main, dark = colours(sku)
    length = _clamp(float(attributes.get("max_body_height_cm", 185)) * 1.1, 160, 240)
    shape = attributes.get("shape", "mummy")
    x0, y0, foot = 200 - length / 2 + 40, 150, 200 + length / 2 + 40
    head, feet = 44, {"mummy": 18, "tapered": 28, "rectangular": 44}.get(str(shape), 28)
    body = (f'<path d="M{x0} {y0 - head}L{foot} {y0 - feet}Q{foot + 12} {y0} {foot} {y0 + feet}L{x0} {y0 + head}'
            f'Q{x0 - 40} {y0} {x0} {y0 - head}Z" fill="{main}"/>')  # fmt: skip
    baffles = int(_clamp(float(attributes.get("fill_power_cuin", 600)) / 100, 4, 9))
    for i in range(1, baffles):
        x = x0 + i * (foot - x0) / baffles
        body += f'<path d="M{x} {y0 - head + 4}V{y0 + head - 4}" stroke="{dark}" stroke-width="2" opacity=".6"/>'
    body += f'<ellipse cx="{x0 + 6}" cy="{y0}" rx="16" ry="{head * 0.55}" fill="{dark}" opacity=".7"/>'
    volume = float(attributes.get("packed_volume_l", 5))
    r = _clamp(12 + volume * 2, 14, 40)
    body += (
        f'<circle cx="60" cy="{GROUND - r}" r="{r}" fill="{main}"/>'
        f'<circle cx="60" cy="{GROUND - r}" r="{r * 0.45}" fill="{dark}" opacity=".5"/>'
    )
    return _svg(body, name)


def backpack(sku: str, name: str, attributes: Mapping[str, Any]) -> str:
    main, dark = colours(sku)
    volume = float(attributes.get("volume_l", 30))
    tall = _clamp(90 + volume * 1.8, 100, 210)
    wide = _clamp(60 + volume * 0.8, 70, 130)
    x, y = 200 - wide / 2, GROUND - tall
    body = (f'<rect x="{x}" y="{y}" width="{wide}" height="{tall}" rx="{wide / 3}" fill="{main}"/>'
            f'<rect x="{x + wide * 0.15}" y="{y + tall * 0.45}" width="{wide * 0.7}" height="{tall * 0.35}" '
            f'rx="12" fill="{dark}" opacity=".55"/>'
            f'<path d="M{x + 8} {y + 22}Q{200} {y - 10} {x + wide - 8} {y + 22}" stroke="{dark}" stroke-width="6" '
            f'fill="none"/>')  # fmt: skip
    if attributes.get("hip_belt"):
        body += f'<rect x="{x - 18}" y="{GROUND - tall * 0.22}" width="{wide + 36}" height="12" rx="6" fill="{dark}"/>'
    if attributes.get("rain_cover"):
        body += f'<circle cx="{x + wide + 34}" cy="{GROUND - 16}" r="14" fill="#e0b12a"/>'
    return _svg(body, name)


def rain_jacket(sku: str, name: str, attributes: Mapping[str, Any]) -> str:
    main, dark = colours(sku)
    long = 40 if attributes.get("fit") == "long" else 0
    hood = attributes.get("hood", "fixed")
    body = (f'<path d="M178 72L136 84L80 {200 + long}L102 {212 + long}L142 128Q138 185 138 {240 - 20 + long}'
            f'L262 {240 - 20 + long}Q262 185 258 128L298 {212 + long}L320 {200 + long}L264 84L222 72Q200 82 178 72Z" '
            f'fill="{main}"/><path d="M200 80V{236 + long - 20}" stroke="{dark}" stroke-width="3"/>')  # fmt: skip
    if hood != "none":
        size = 16 if hood == "helmet_compatible" else 0
        body += (
            f'<path d="M{166 - size} 86C{150 - size} {4 - size} {250 + size} {4 - size} {234 + size} 86Z" '
            f'fill="{dark}"/>'
        )
    if attributes.get("pit_zips"):
        body += '<path d="M146 134L150 172M254 134L250 172" stroke="#f4efe9" stroke-width="3"/>'
    return _svg(body, name)


DRAW = {"tents": tent, "sleeping_bags": sleeping_bag, "backpacks": backpack, "rain_jackets": rain_jacket}


def illustration(record: Mapping[str, Any]) -> str | None:
    """The SVG of one product record (as in products.json), or None for a category without a drawing."""
    draw = DRAW.get(str(record.get("category")))
    if draw is None:
        return None
    name = record.get("name", {})
    title = name.get("en") or name.get("de") or record["sku"] if isinstance(name, Mapping) else str(name)
    attributes = dict(record.get("attributes", {}))
    variants = record.get("variants")
    if isinstance(variants, list) and variants and isinstance(variants[0], Mapping):
        attributes = {**variants[0].get("options", {}), **attributes}  # a model is drawn as its first variant
    return draw(str(record["sku"]), str(title), attributes)
