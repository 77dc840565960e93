"""--dry-run says per product what an import would change; skus that differ only in case are one product."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from advisor.catalog.changes import FieldChange
from advisor.catalog.importer import import_file
from advisor.catalog.store import ImportReport, catalog_version, export_products
from tests.advisor.catalog.excel_files import excel_csv, german_rows
from tests.helpers.catalog import tent, with_dictionary

ADVISOR = [sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())"]


def _import(engine: Engine, path: Path, **options: Any) -> ImportReport:
    report = import_file(engine, path, **options)
    assert isinstance(report, ImportReport)
    return report


def _file_with_changes(tmp_path: Path) -> Path:
    cheaper = tent(sku="T-1", price=279.95)
    cheaper["attributes"]["weight_kg"] = 1.8
    cheaper["stock"][0]["quantity"] = 5
    bad = tent(sku="T-4")
    bad["attributes"]["capacity"] = "zwei"
    return excel_csv(tmp_path / "Produkte.csv", german_rows([cheaper, tent(sku="T-2"), tent(sku="T-3"), bad]))


def test_dry_run_says_per_product_what_would_change_and_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    _import(engine, excel_csv(tmp_path / "before.csv", german_rows([tent(sku="T-1"), tent(sku="T-2")])))
    before, version = export_products(engine), catalog_version(engine)

    report = _import(engine, _file_with_changes(tmp_path), dry_run=True)

    assert [(change.row, change.sku, change.kind, change.fields) for change in report.changes] == [
        (2, "T-1", "updated", (
            FieldChange("price", "299.95", "279.95"),
            FieldChange("attributes.weight_kg", "1.9", "1.8"),
            FieldChange("stock.muc-01.quantity", "3", "5"),
        )),
        (3, "T-2", "unchanged", ()),
        (4, "T-3", "new", ()),
        (5, "T-4", "rejected", ()),
    ]  # fmt: skip
    assert (report.imported, report.updated, report.unchanged, report.rejected_rows) == (1, 2, 1, 1)
    assert export_products(engine) == before
    assert catalog_version(engine) == version


def test_dry_run_as_text_and_json_from_the_command(tmp_path: Path) -> None:
    db = tmp_path / "dry.sqlite3"
    env = dict(os.environ, ADVISOR_DATABASE_URL=f"sqlite:///{db}")
    before = excel_csv(tmp_path / "before.csv", german_rows([tent(sku="T-1"), tent(sku="T-2")]))
    subprocess.run([*ADVISOR, "catalog", "import", str(before)], env=env, check=True, capture_output=True)
    path = _file_with_changes(tmp_path)

    def dry(*options: str) -> subprocess.CompletedProcess[str]:
        command = [*ADVISOR, "catalog", "import", str(path), "--dry-run", *options]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)

    text = dry()
    assert text.returncode == 1
    assert text.stdout.splitlines() == [
        f"{path}: read as: semicolon-separated, Windows-1252, German numbers",
        f"{path}: dry run, nothing changed: would import 1 new, 1 updated, 1 unchanged, 1 row(s) rejected (1 cell(s))",
        "row 2 T-1: updated: price 299.95 -> 279.95; attributes.weight_kg 1.9 -> 1.8; stock.muc-01.quantity 3 -> 5",
        "row 3 T-2: unchanged",
        "row 4 T-3: new",
        "row 5 T-4: rejected",
        f"  {path}: row 5, column attributes.capacity: expected a whole number like 2 or 2 Personen, got 'zwei'",
    ]
    report = json.loads(dry("--format", "json").stdout)
    assert report["changes"] == [
        {"row": 2, "sku": "T-1", "change": "updated", "fields": [
            {"column": "price", "before": "299.95", "after": "279.95"},
            {"column": "attributes.weight_kg", "before": "1.9", "after": "1.8"},
            {"column": "stock.muc-01.quantity", "before": "3", "after": "5"},
        ]},
        {"row": 3, "sku": "T-2", "change": "unchanged"},
        {"row": 4, "sku": "T-3", "change": "new"},
        {"row": 5, "sku": "T-4", "change": "rejected"},
    ]  # fmt: skip
    assert (report["dry_run"], report["unchanged"], report["read_as"]) == (
        True, 1, "semicolon-separated, Windows-1252, German numbers"
    )  # fmt: skip


def test_a_sku_that_differs_from_the_catalogs_only_in_case_is_refused(engine: Engine, tmp_path: Path) -> None:
    with_dictionary(engine)
    _import(engine, excel_csv(tmp_path / "before.csv", german_rows([tent(sku="NG-JACK-0001")])))
    report = _import(engine, excel_csv(tmp_path / "lower.csv", german_rows([tent(sku="ng-jack-0001")])))
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (2, "sku", "the catalog already has NG-JACK-0001: skus are the same product whatever their case; write it as "
                   "NG-JACK-0001 to update that product"),
    ]  # fmt: skip
    assert [product["sku"] for product in export_products(engine)] == ["NG-JACK-0001"]
