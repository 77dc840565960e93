"""The sample catalog's drawings tell products apart: each is drawn from the product's own attributes."""

from __future__ import annotations

import json
import re

from advisor.catalog.illustrations import illustration, tent
from advisor.paths import sample_catalog_dir

RECORDS = json.loads((sample_catalog_dir() / "products.json").read_text(encoding="utf-8"))


def test_every_sample_product_has_its_own_drawing_as_generated() -> None:
    drawings = {}
    for record in RECORDS:
        path = sample_catalog_dir() / record["image"]
        assert path.name == f"{record['sku']}.svg"
        drawn = illustration(record)
        if drawn is None:  # care products and spare parts: pictures of their own (tools/service_sample.py)
            assert path.exists() and record["category"] in ("care", "spare_parts")
            continue
        assert path.read_text(encoding="utf-8") == drawn, f"{path} is not the generated drawing"
        drawings[record["sku"]] = path.read_text(encoding="utf-8")
    assert len(set(drawings.values())) == len(drawings), "two products look the same"
    assert drawings["NG-TENT-0002"] != drawings["NG-TENT-0034"]  # Karwendel UL 2 and Schattberg 2


def width_of(svg: str) -> float:
    """The pitched tent's width: from its first path's left foot to its right foot."""
    xs = [float(x) for x in re.findall(r'<path d="M([\d.]+) 246', svg)[:1]]
    right = re.search(r"([\d.]+) 246Z", svg)
    assert xs and right
    return float(right.group(1)) - xs[0]


def test_a_tent_for_more_people_is_drawn_wider_and_a_taller_one_higher() -> None:
    small = tent("T-1", "one", {"capacity": 1, "inner_height_cm": 95, "tent_type": "dome"})
    large = tent("T-1", "four", {"capacity": 4, "inner_height_cm": 95, "tent_type": "dome"})
    assert width_of(large) > width_of(small)
    low = tent("T-2", "low", {"capacity": 2, "inner_height_cm": 90, "tent_type": "trekking_pole"})
    high = tent("T-2", "high", {"capacity": 2, "inner_height_cm": 140, "tent_type": "trekking_pole"})
    top = lambda svg: float(re.search(r"L[\d.]+ ([\d.]+)L", svg).group(1))  # noqa: E731
    assert top(high) < top(low)  # nearer the top of the picture
