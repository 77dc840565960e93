"""A chain's catalog with variants: 100,000 sleeping-bag models with 10 variants each (1,000,000 articles: two
lengths in five colours, each with its GTIN and stock in two stores), side by side with today's shape of the same
models as 100,000 one-article products. Each measure runs in a process of its own, so that its resident memory is
its own: the index read back from its kept copy (what a kiosk starts from), the memory the process then holds,
and a full recommendation that asks about what varies ("fits 195 cm")."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from advisor.recommend.snapshot import pickled
from benchmarks.common import ADVISOR, DATA, ROOT, median, side_by_side

MODELS = int(os.environ.get("BENCH_MODELS", "100000"))  # fewer for a quick look
VARIANTS = 10
RUNS = 20
TARGET_READY_S = 3.0
TARGET_RSS_MB = 400
TARGET_RECOMMEND_MS = 5.0
TARGET_IMPORT_RATIO = 5.0

_MEASURE = r"""
import gc, json, pickle, sys, time
sys.path.insert(0, ROOT)
from benchmarks.bench_variants import questionnaire_for
from advisor.engine import SessionState
from advisor.recommend import core
start = time.perf_counter()
gc.disable()
with open(PATH, "rb") as file:
    index = pickle.load(file)
gc.enable()
ready = time.perf_counter() - start
questionnaire = questionnaire_for()
state = SessionState(questionnaire.id, {"height": 195, "warmth": 0})
core.recommend(index=index, questionnaire=questionnaire, state=state, locale="de")  # variant columns built once
times = []
for _ in range(RUNS):
    core._COUNTS.clear(); core._MASKS.clear(); index.products._kept.clear()  # nothing kept from the run before
    t = time.perf_counter()
    result = core.recommend(index=index, questionnaire=questionnaire, state=state, locale="de")
    times.append(time.perf_counter() - t)
times.sort()
# the process's own peak, once it has recommended too (ru_maxrss would carry the parent's over the fork)
rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
print(json.dumps({"ready_s": ready, "rss_mb": rss, "recommend_ms": times[len(times) // 2] * 1000,
                  "fitting": result.count, "variant_level": index.has_variants}))
"""


def questionnaire_for() -> Any:
    """Two number steps: the shopper's height (asks about what varies) and the coldest night."""
    from advisor.questionnaire.load import load_text

    document = {
        "format_version": 2, "id": "bench-bags", "category": "sleeping_bags", "locales": ["de", "en"],
        "default_locale": "de", "address": {"de": "du", "en": "du"}, "title": {"de": "B", "en": "B"},
        "intro": {"de": "B", "en": "B"},
        "steps": [
            {"id": "height", "kind": "number", "question": {"de": "Q", "en": "Q"}, "min": 100, "max": 220,
             "require": ["max_body_height_cm >= height"],
             "prefer": [{"attribute": "weight_kg", "direction": "lower", "weight": 2},
                        {"attribute": "price", "direction": "lower", "weight": 1}]},
            {"id": "warmth", "kind": "number", "question": {"de": "Q", "en": "Q"}, "min": -30, "max": 20,
             "require": ["temp_comfort_c <= warmth"]},
        ],
    }  # fmt: skip
    loaded = load_text(json.dumps(document), "bench-bags.yaml")
    assert loaded.questionnaire is not None, loaded.findings
    return loaded.questionnaire


def _records(variants: int) -> Iterator[dict[str, Any]]:
    """The generated sleeping bags as import records; with `variants`, each model has that many articles."""
    from advisor.catalog.dictionary import Dictionary, load_dictionary_file
    from advisor.catalog.generate import generate_catalog
    from advisor.catalog.validate import gtin_check_digit
    from advisor.paths import sample_catalog_dir

    dictionary = load_dictionary_file(sample_catalog_dir() / "categories.json")
    bags = dictionary.categories["sleeping_bags"]
    only = Dictionary(stores=dictionary.stores, categories={"sleeping_bags": bags})
    number = 0
    for record in generate_catalog(only, count=MODELS, seed=19):
        if variants > 1:
            attributes = record["attributes"]
            height = attributes.pop("max_body_height_cm")
            weight = attributes.pop("weight_kg")
            attributes.pop("length", None)
            stock = record.pop("stock")
            record["variants"] = []
            for k in range(variants):
                number += 1
                body = f"2{number:011d}"
                long = k % 2 == 1
                record["variants"].append({
                    "sku": f"{record['sku']}-{k}", "gtin": body + str(gtin_check_digit(body)),
                    "options": {"length": "long" if long else "regular",
                                "max_body_height_cm": min(220, height + 15) if long else height,
                                "weight_kg": min(5.0, round(weight * (1.08 if long else 1.0), 2))},
                    "stock": [{**entry, "quantity": (entry["quantity"] + k) % 4} for entry in stock],
                })  # fmt: skip
        yield record


def _index(variants: int) -> Any:
    """The generated sleeping bags as an index; with `variants`, each model has that many articles."""
    from advisor.catalog.dictionary import load_dictionary_file
    from advisor.paths import sample_catalog_dir
    from advisor.recommend.index import CategoryIndex, Interned, ProductInfo

    bags = load_dictionary_file(sample_catalog_dir() / "categories.json").categories["sleeping_bags"]
    interned = Interned()  # equal options and stock shared, as the index read from the database has them
    return CategoryIndex(bags, [ProductInfo.from_record(record, interned) for record in _records(variants)])


def variant_csv() -> Path:
    """The chain's catalog as a shop system exports it: one row per variant (1,000,000 rows), made once."""
    from advisor.catalog.formats import export_rows

    path = DATA / f"variants-{MODELS}x{VARIANTS}.csv"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        columns, rows = export_rows(_records(VARIANTS))
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, columns)
            writer.writeheader()
            writer.writerows(rows)
    return path


def run_import(runs: int = 3) -> dict[str, Any]:
    """`advisor catalog import` of the 1,000,000-row variant CSV (full validation, models grouped, GTINs checked)
    into a new SQLite database, against sqlite3's `.import` of the same file (the floor), interleaved."""
    path = variant_csv()
    rows = sum(1 for _ in path.open(encoding="utf-8")) - 1
    with tempfile.TemporaryDirectory() as folder:
        counter = iter(range(1_000_000))

        def advisor_import() -> None:
            db = Path(folder) / f"advisor-{next(counter)}.sqlite3"
            env = dict(os.environ, ADVISOR_DATABASE_URL=f"sqlite:///{db}")
            subprocess.run([*ADVISOR, "catalog", "import", str(path)], check=True, env=env, capture_output=True)

        def sqlite3_import() -> None:
            db = Path(folder) / f"floor-{next(counter)}.sqlite3"
            subprocess.run(["sqlite3", str(db), ".mode csv", f".import {path} plain"], check=True)

        times = side_by_side(
            runs, {"advisor catalog import": advisor_import, "sqlite3 .import (floor)": sqlite3_import}
        )
    advisor_s, floor_s = median(times["advisor catalog import"]), median(times["sqlite3 .import (floor)"])
    return {
        "benchmark": "variants-import",
        "name": f"import of {rows:,} variant rows ({MODELS:,} models), SQLite",
        "advisor_s": round(advisor_s, 2),
        "floor_s": round(floor_s, 2),
        "ratio": round(advisor_s / floor_s, 2),
        "target_ratio": TARGET_IMPORT_RATIO,
        "ok": advisor_s / floor_s <= TARGET_IMPORT_RATIO,
    }


def _measure(path: Path) -> dict[str, float]:
    script = _MEASURE.replace("ROOT", repr(str(ROOT))).replace("PATH", repr(str(path))).replace("RUNS", str(RUNS))
    output = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def run(runs: int = 3) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for name, variants in ((f"today: {MODELS:,} one-article products", 1),
                               (f"{MODELS:,} models with {VARIANTS} variants each", VARIANTS)):  # fmt: skip
            path = Path(folder) / f"{variants}.pickle"
            path.write_bytes(pickled(_index(variants)))  # as the kept copy is written
            paths[name] = path
        found: dict[str, list[dict[str, float]]] = {name: [] for name in paths}
        for _ in range(runs):  # interleaved, so that machine noise hits both alike
            for name, path in paths.items():
                found[name].append(_measure(path))
    figures = {
        name: {
            key: round(median([m[key] for m in measures]), 2)
            for key in ("ready_s", "rss_mb", "recommend_ms", "fitting")
        }
        for name, measures in found.items()
    }
    chain = figures[f"{MODELS:,} models with {VARIANTS} variants each"]
    return {
        "benchmark": "variants",
        "figures": figures,
        "targets": {"ready_s": TARGET_READY_S, "rss_mb": TARGET_RSS_MB, "recommend_ms": TARGET_RECOMMEND_MS},
        "ok": chain["ready_s"] <= TARGET_READY_S
        and chain["rss_mb"] <= TARGET_RSS_MB
        and chain["recommend_ms"] <= TARGET_RECOMMEND_MS,
    }
