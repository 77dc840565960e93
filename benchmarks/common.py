"""Shared benchmark plumbing: generated data cached on disk, medians of repeated runs side by side."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"
ADVISOR = [sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())"]


def generated_catalog(count: int, seed: int = 7) -> Path:
    """The synthetic catalog CSV of `count` products (made once, then reused)."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"catalog-{count}-{seed}.csv"
    if not path.exists():
        subprocess.run(
            [*ADVISOR, "catalog", "generate", "--count", str(count), "--seed", str(seed), "--out", str(path)],
            check=True,
        )
    return path


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def side_by_side(runs: int, contenders: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """Run each contender `runs` times, interleaved, so that machine noise hits all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(runs):
        for name, action in contenders.items():
            times[name].append(timed(action))
    return times


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]
