"""Import of the generated 100,000-product CSV with full validation, against sqlite3's `.import` (the floor)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import ADVISOR, generated_catalog, median, side_by_side

COUNT = 100_000
TARGET_RATIO = 5.0


def run(runs: int = 3) -> dict[str, Any]:
    csv_path = generated_catalog(COUNT)
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    counter = iter(range(1_000_000))

    def advisor_import() -> None:
        db = work / f"advisor-{next(counter)}.sqlite3"
        env = dict(os.environ, ADVISOR_DATABASE_URL=f"sqlite:///{db}")
        subprocess.run([*ADVISOR, "catalog", "import", str(csv_path)], check=True, env=env, capture_output=True)

    def sqlite3_import() -> None:
        db = work / f"floor-{next(counter)}.sqlite3"
        subprocess.run(["sqlite3", str(db), ".mode csv", f".import {csv_path} plain"], check=True)

    times = side_by_side(runs, {"advisor catalog import": advisor_import, "sqlite3 .import (floor)": sqlite3_import})
    advisor_s = median(times["advisor catalog import"])
    floor_s = median(times["sqlite3 .import (floor)"])
    return {
        "name": f"catalog import, {COUNT:,} products (CSV, full validation, SQLite)",
        "advisor_s": round(advisor_s, 2),
        "floor_s": round(floor_s, 2),
        "ratio": round(advisor_s / floor_s, 2),
        "target": f"<= {TARGET_RATIO}x floor",
        "ok": advisor_s / floor_s <= TARGET_RATIO,
        "runs": runs,
    }
