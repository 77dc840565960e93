"""Importing a changed category definition says which stored products it no longer fits (a dry run too)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from advisor.catalog.importer import import_file
from advisor.catalog.store import check_dictionary
from advisor.cli import main
from advisor.db import make_engine, upgrade

STORES = [{"id": "muc-01", "name": {"de": "München", "en": "Munich"}}]
BOOTS: dict[str, Any] = {
    "id": "boots", "label": {"de": "Wanderschuhe", "en": "Hiking boots"},
    "attributes": [
        {"name": "size_eu", "type": "number", "unit": "EU", "label": {"de": "Größe", "en": "Size"}, "min": 36,
         "max": 48, "varies": True, "required": True},
        {"name": "weight_g", "type": "integer", "unit": "g", "label": {"de": "Gewicht", "en": "Weight"}, "min": 300,
         "max": 2500, "required": True},
        {"name": "shaft", "type": "enum", "label": {"de": "Schaft", "en": "Shaft"}, "values": ["low", "mid", "high"]},
        {"name": "note", "type": "text", "label": {"de": "Notiz", "en": "Note"}},
    ],
}  # fmt: skip


def boot(sku: str, weight: int, shaft: str, sizes: list[float]) -> dict[str, Any]:
    return {"sku": sku, "category": "boots", "brand": "Nordgrat", "name": {"de": sku, "en": sku},
            "description": {"de": "", "en": ""}, "price": 100.0, "currency": "EUR",
            "attributes": {"weight_g": weight, "shaft": shaft},
            "variants": [{"sku": f"{sku}-{size:g}", "options": {"size_eu": size}} for size in sizes]}  # fmt: skip


def written(path: Path, category: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"format_version": 1, "stores": STORES, "categories": [category]}), encoding="utf-8")
    return path


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'boots.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    import_file(engine, written(tmp_path / "boots-categories.json", BOOTS))
    products = tmp_path / "boots.json"
    products.write_text(json.dumps([boot("B-1", 720, "low", [38, 40, 42]), boot("B-2", 1480, "high", [36, 37, 44]),
                                    boot("B-3", 1290, "mid", [42])]), encoding="utf-8")  # fmt: skip
    report = import_file(engine, products)
    assert not getattr(report, "rejected", []), report
    engine.dispose()
    return url


def tightened() -> dict[str, Any]:
    """Weight up to 1000 g, no high shaft, sizes from 37, and the note attribute left out."""
    category = copy.deepcopy(BOOTS)
    size, weight, shaft, _ = category["attributes"]
    size["min"], weight["max"], shaft["values"] = 37, 1000, ["low", "mid"]
    category["attributes"] = [size, weight, shaft]
    return category


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_tightened_definition_names_the_stored_products_it_no_longer_fits(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], dry_run: bool
) -> None:
    path = written(tmp_path / "tight.json", tightened())
    assert main(["catalog", "import", str(path), "--db", url, *(["--dry-run"] if dry_run else [])]) == 0
    out = capsys.readouterr().out
    verb = "would" if dry_run else "do"
    assert f"note: 2 stored product(s) of category boots {verb} not fit this definition" in out
    assert "  B-2 size_eu 36 EU (1 of 3 variants): below the minimum 37" in out
    assert "  B-2 weight_g 1480 g: above the maximum 1000" in out
    assert "  B-2 shaft high: not one of low, mid" in out
    assert "  B-3 weight_g 1290 g: above the maximum 1000" in out
    assert "B-1" not in out
    assert "stored attribute(s) note not in this file are kept as they are" in out


def test_the_misfits_named_are_bounded_and_the_rest_counted(url: str, tmp_path: Path) -> None:
    engine = make_engine(url)
    from advisor.catalog.dictionary import parse_dictionary

    dictionary = parse_dictionary({"format_version": 1, "stores": STORES, "categories": [tightened()]}, "t.json")
    check = check_dictionary(engine, dictionary, shown=1)
    engine.dispose()
    assert check.outside == {"boots": 2}
    assert [m.sku for m in check.misfits["boots"]] == ["B-2"]
    assert check.lines()[-2] == "  and 1 more product(s) (2 in all)"


def test_an_unchanged_definition_has_nothing_to_say(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["catalog", "import", str(written(tmp_path / "same.json", BOOTS)), "--db", url]) == 0
    assert "note:" not in capsys.readouterr().out
