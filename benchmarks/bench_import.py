"""Import of the generated 100,000-product catalog with full validation, as CSV and as xlsx, against sqlite3's
`.import` of the CSV (the floor), with each import's peak memory; and the two xlsx readers that were candidates
(python-calamine, openpyxl's read-only mode) reading the same workbook."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import ADVISOR, DATA, generated_catalog, median, side_by_side, timed

COUNT = 100_000
TARGET_RATIO = 5.0
TARGET_XLSX_RATIO = 10.0
TARGET_PEAK_MB = 600
_PEAK = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")

_READERS = {
    "python-calamine": "from python_calamine import CalamineWorkbook\n"
    "rows = sum(1 for _ in CalamineWorkbook.from_path(PATH).get_sheet_by_index(0).iter_rows())",
    "openpyxl read-only": "import openpyxl\n"
    "sheet = openpyxl.load_workbook(PATH, read_only=True, data_only=True).worksheets[0]\n"
    "rows = sum(1 for _ in sheet.iter_rows(values_only=True))",
}


def generated_workbook(count: int, seed: int = 7) -> Path:
    """The synthetic catalog as an xlsx workbook of typed cells (made once, then reused)."""
    path = DATA / f"catalog-{count}-{seed}.xlsx"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [*ADVISOR, "catalog", "generate", "--count", str(count), "--seed", str(seed), "--format", "xlsx",
             "--out", str(path)],
            check=True,
        )  # fmt: skip
    return path


def _measured(command: Sequence[str], peaks: list[float], env: dict[str, str] | None = None) -> None:
    """Run a command under /usr/bin/time -v and keep its peak memory (MB)."""
    done = subprocess.run(["/usr/bin/time", "-v", *command], check=True, env=env, capture_output=True, text=True)
    found = _PEAK.search(done.stderr)
    assert found, done.stderr[-2000:]
    peaks.append(int(found.group(1)) / 1024)


def _readers(workbook: Path) -> dict[str, dict[str, float]]:
    """Each candidate xlsx reader iterating every row of the workbook, once (openpyxl takes a minute)."""
    figures = {}
    for name, code in _READERS.items():
        peaks: list[float] = []
        command = [sys.executable, "-c", f"PATH = {str(workbook)!r}\n{code}"]
        seconds = timed(lambda command=command, peaks=peaks: _measured(command, peaks))
        figures[name] = {"s": round(seconds, 2), "peak_mb": round(peaks[0])}
    return figures


def run(runs: int = 3) -> dict[str, Any]:
    csv_path = generated_catalog(COUNT)
    xlsx_path = generated_workbook(COUNT)
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    counter = iter(range(1_000_000))
    peaks: dict[str, list[float]] = {"csv": [], "xlsx": []}

    def advisor_import(path: Path, kind: str) -> None:
        db = work / f"advisor-{next(counter)}.sqlite3"
        env = dict(os.environ, ADVISOR_DATABASE_URL=f"sqlite:///{db}")
        _measured([*ADVISOR, "catalog", "import", str(path)], peaks[kind], env)

    def sqlite3_import() -> None:
        db = work / f"floor-{next(counter)}.sqlite3"
        subprocess.run(["sqlite3", str(db), ".mode csv", f".import {csv_path} plain"], check=True)

    times = side_by_side(
        runs,
        {
            "advisor catalog import (CSV)": lambda: advisor_import(csv_path, "csv"),
            "advisor catalog import (xlsx)": lambda: advisor_import(xlsx_path, "xlsx"),
            "sqlite3 .import (floor)": sqlite3_import,
        },
    )
    csv_s = median(times["advisor catalog import (CSV)"])
    xlsx_s = median(times["advisor catalog import (xlsx)"])
    floor_s = median(times["sqlite3 .import (floor)"])
    peak_csv, peak_xlsx = max(peaks["csv"]), max(peaks["xlsx"])
    return {
        "name": f"catalog import, {COUNT:,} products (CSV and xlsx, full validation, SQLite)",
        "advisor_s": round(csv_s, 2),
        "xlsx_s": round(xlsx_s, 2),
        "floor_s": round(floor_s, 2),
        "ratio": round(csv_s / floor_s, 2),
        "xlsx_ratio": round(xlsx_s / floor_s, 2),
        "peak_mb": {"csv": round(peak_csv), "xlsx": round(peak_xlsx)},
        "xlsx_readers": _readers(xlsx_path),
        "target": f"CSV <= {TARGET_RATIO}x floor, xlsx <= {TARGET_XLSX_RATIO}x floor, peak <= {TARGET_PEAK_MB} MB",
        "ok": csv_s / floor_s <= TARGET_RATIO
        and xlsx_s / floor_s <= TARGET_XLSX_RATIO
        and max(peak_csv, peak_xlsx) <= TARGET_PEAK_MB,
        "runs": runs,
    }
