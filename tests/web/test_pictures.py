"""A merchandiser's own catalog on the web companion: no pictures, no care, repair or sustainability facts.

Where a picture would be, a faint drawing of the category (the kiosk's icon); no heading over nothing.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advisor.catalog.importer import import_file
from advisor.paths import sample_catalog_dir
from advisor.questionnaire.model import Questionnaire
from advisor.rendering.summary import environment
from advisor.web.context import WebContext
from tests.web.conftest import csrf_of, start, walk_to_results

ICONS = Path(__file__).resolve().parents[2] / "ui" / "resources" / "icons"
KIOSK_ICONS = {"tents": "tent", "sleeping_bags": "sleeping_bag", "backpacks": "backpack", "rain_jackets": "jacket",
               "stoves": "star"}  # fmt: skip  # (ui/screens/start.py CATEGORY_ICONS; a store's own category: star)
PLACEHOLDER = re.compile(r'<svg class="placeholder[^"]*" data-category="backpacks"[^>]*aria-hidden="true"')


@pytest.fixture
def bare_backpacks(web: WebContext, tmp_path: Path) -> str:
    """The backpacks imported again as a merchandiser's own: no picture, no care, repair or sustainability facts
    (all optional, docs/catalog-format.md); the sku of the first."""
    records = json.loads((sample_catalog_dir() / "products.json").read_text(encoding="utf-8"))
    backpacks = [record for record in records if record["category"] == "backpacks"]
    for record in backpacks:
        for key in ("image", "care", "repair", "sustainability"):
            record.pop(key, None)
        for variant in record.get("variants", []):
            variant.pop("image", None)
    file = tmp_path / "own.json"
    file.write_text(json.dumps(backpacks), encoding="utf-8")
    report = import_file(web.engine, file)
    assert not getattr(report, "rejected", None), report
    return str(backpacks[0]["sku"])


def test_the_details_show_no_empty_sections_and_a_placeholder_picture(client: TestClient, bare_backpacks: str) -> None:
    start(client)

    page = client.get(f"/advice/product/{bare_backpacks}")

    assert page.status_code == 200
    assert "<h2>Technische Daten</h2>" in page.text
    for heading in ("Pflege", "Reparatur", "Nachhaltigkeit"):
        assert f"<h2>{heading}</h2>" not in page.text
    assert '<img class="hero"' not in page.text
    assert re.search(r'<svg class="placeholder hero" data-category="backpacks" width="320" height="240"', page.text)
    assert PLACEHOLDER.search(page.text), "decorative: nothing for a screen reader to announce"


def test_the_top_pick_and_the_comparison_show_a_placeholder_picture(
    client: TestClient, backpacks: Questionnaire, bare_backpacks: str
) -> None:
    start(client)
    results, _ = walk_to_results(client, backpacks)
    top = results.text.split('<section class="product top-pick"', 1)[1].split("</section>", 1)[0]
    assert PLACEHOLDER.search(top) and "<img" not in top, "the picture's column keeps a picture, not the texts"
    skus = re.findall(r'name="sku" value="([^"]+)"', results.text)[:2]
    for sku in skus:
        client.post("/advice/compare", data={"csrf": csrf_of(results.text), "sku": sku, "on": "1"})

    compare = client.get("/advice/compare")

    assert compare.status_code == 200
    assert len(PLACEHOLDER.findall(compare.text)) == 2


def test_a_product_with_a_picture_still_shows_it(client: TestClient, backpacks: Questionnaire) -> None:
    start(client)
    results, _ = walk_to_results(client, backpacks)
    top = results.text.split('<section class="product top-pick"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'<img src="/images/[^"]+" alt="" width="160" height="120">', top)
    assert 'class="placeholder' not in top


@pytest.mark.parametrize("category", sorted(KIOSK_ICONS))
def test_the_placeholders_are_the_kiosk_category_icons(category: str) -> None:
    """The web draws the kiosk's icons in the page (it serves no icon files): the same shapes, in one colour."""
    macro = environment().from_string(
        '{% from "web/_picture.html" import product_picture %}{{ product_picture(none, category, 160, 120) }}'
    )
    drawn = ElementTree.fromstring(macro.render(category=category).strip())
    kiosk = ElementTree.fromstring((ICONS / f"{KIOSK_ICONS[category]}.svg").read_text(encoding="utf-8"))

    def shapes(svg: ElementTree.Element) -> list[tuple[str, dict[str, str]]]:
        geometry = ("d", "points", "x", "y", "width", "height", "rx", "cx", "cy", "r")
        return [(element.tag.rsplit("}", 1)[-1], {k: v for k, v in element.attrib.items() if k in geometry})
                for element in svg.iter() if element.tag.rsplit("}", 1)[-1] not in ("svg", "g")]  # fmt: skip

    assert shapes(drawn) == shapes(kiosk)
    colours = {value for element in drawn.iter() for key, value in element.attrib.items() if key in ("fill", "stroke")}
    assert colours <= {"none", "currentColor"}, "one colour, the muted one the style sheet gives"
