"""Shared benchmark plumbing: generated data cached on disk, medians of repeated runs side by side."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.recommend.index import CategoryIndex

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


def generated_tents(count: int, seed: int) -> CategoryIndex:
    """An in-memory index of `count` generated tents (no database)."""
    from advisor.catalog.dictionary import Dictionary, load_dictionary_file
    from advisor.catalog.generate import generate_catalog
    from advisor.paths import sample_catalog_dir
    from advisor.recommend.index import CategoryIndex, ProductInfo

    dictionary = load_dictionary_file(sample_catalog_dir() / "categories.json")
    tents = Dictionary(stores=dictionary.stores, categories={"tents": dictionary.categories["tents"]})
    products = [ProductInfo.from_record(record) for record in generate_catalog(tents, count=count, seed=seed)]
    return CategoryIndex(tents.categories["tents"], products)
