"""Import of the generated 100,000-product catalog with full validation, as CSV and as xlsx, against sqlite3's
`.import` of the CSV (the floor), with each import's peak memory (the largest process's, from /usr/bin/time, and
that of the writer and its reader process together, sampled); and the two xlsx readers that were candidates
(python-calamine, openpyxl's read-only mode) reading the same workbook."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
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


def _tree(pid: int) -> list[int]:
    """A process and all its descendants (each one's children as the kernel lists them: cheap to ask often)."""
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        with contextlib.suppress(OSError):
            todo.extend(map(int, Path(f"/proc/{found[-1]}/task/{found[-1]}/children").read_text().split()))
    return found


def _pss_kb(pids: Sequence[int]) -> int:
    """The processes' proportional set size together (pages they share counted once)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/smaps_rollup") as rollup:
            total += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
    return total


def _measured(
    command: Sequence[str], peaks: list[float], env: dict[str, str] | None = None, together: list[float] | None = None
) -> None:
    """Run a command under /usr/bin/time -v and keep its peak memory (MB): the largest process's, as time tells it,
    and, with `together`, that of all its processes together (the import's reader process beside the writer),
    sampled every 50 ms."""
    with subprocess.Popen(["/usr/bin/time", "-v", *command], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True) as process:  # fmt: skip
        most = 0
        while together is not None and process.poll() is None:
            most = max(most, _pss_kb(_tree(process.pid)))
            time.sleep(0.05)  # a sampler of another process's memory: nothing to wait on
        stderr = process.communicate()[1]
    assert process.returncode == 0, stderr[-2000:]
    found = _PEAK.search(stderr)
    assert found, stderr[-2000:]
    peaks.append(int(found.group(1)) / 1024)
    if together is not None:
        together.append(most / 1024)


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
    together: dict[str, list[float]] = {"csv": [], "xlsx": []}

    def advisor_import(path: Path, kind: str) -> None:
        db = work / f"advisor-{next(counter)}.sqlite3"
        env = dict(os.environ, ADVISOR_DATABASE_URL=f"sqlite:///{db}")
        _measured([*ADVISOR, "catalog", "import", str(path)], peaks[kind], env, together[kind])

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
    peak_csv, peak_xlsx = max(peaks["csv"] + together["csv"]), max(peaks["xlsx"] + together["xlsx"])
    return {
        "name": f"catalog import, {COUNT:,} products (CSV and xlsx, full validation, SQLite)",
        "advisor_s": round(csv_s, 2),
        "xlsx_s": round(xlsx_s, 2),
        "floor_s": round(floor_s, 2),
        "ratio": round(csv_s / floor_s, 2),
        "xlsx_ratio": round(xlsx_s / floor_s, 2),
        "peak_mb": {"csv": round(peak_csv), "xlsx": round(peak_xlsx)},  # the larger of the two measures
        "largest_process_mb": {"csv": round(max(peaks["csv"])), "xlsx": round(max(peaks["xlsx"]))},
        "processes_together_pss_mb": {"csv": round(max(together["csv"])), "xlsx": round(max(together["xlsx"]))},
        "xlsx_readers": _readers(xlsx_path),
        "target": f"CSV <= {TARGET_RATIO}x floor, xlsx <= {TARGET_XLSX_RATIO}x floor, peak <= {TARGET_PEAK_MB} MB",
        "ok": csv_s / floor_s <= TARGET_RATIO
        and xlsx_s / floor_s <= TARGET_XLSX_RATIO
        and max(peak_csv, peak_xlsx) <= TARGET_PEAK_MB,
        "runs": runs,
    }
