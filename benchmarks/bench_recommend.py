"""Recommendation on 100,000 generated tents: full advice, live count and relaxations, side by side with
a strong SQLite baseline (one indexed column per attribute) and the numpy floor (hand-written masks)."""

from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from advisor.audit import state_for
from advisor.questionnaire.load import load_text
from advisor.recommend import core
from advisor.recommend.index import CategoryIndex
from benchmarks.common import generated_tents, median, side_by_side

COUNT = 100_000
RUNS = 40

FIVE = [  # step id, number answer, requirement
    ("persons", 2, "capacity >= persons"),
    ("max_weight", 9, "weight_kg <= max_weight"),
    ("height", 180, "inner_length_cm >= height + 15"),
    ("min_seasons", 3, "seasons >= min_seasons"),
    ("max_price", 700, "price <= max_price"),
]
TWELVE = FIVE + [
    ("doors", 2, "entrances >= doors"),
    ("porches", 2, "vestibules >= porches"),
    ("floor", 8000, "waterproof_floor_mm >= floor"),
    ("fly", 5000, "waterproof_fly_mm >= fly"),
    ("pack", 40, "packed_length_cm <= pack"),
    ("minutes", 10, "setup_minutes <= minutes"),
    ("headroom", 150, "inner_height_cm >= headroom"),
]


def _questionnaire(steps: list[tuple[str, int, str]]) -> Any:
    """A questionnaire of number steps, one requirement each, preferring light and cheap tents (JSON is YAML)."""
    document = {
        "format_version": 2, "id": "bench", "category": "tents", "locales": ["de", "en"], "default_locale": "de",
        "address": {"de": "du", "en": "du"}, "title": {"de": "B", "en": "B"}, "intro": {"de": "B", "en": "B"},
        "steps": [
            {"id": step_id, "kind": "number", "question": {"de": "Q", "en": "Q"}, "min": 0, "max": 100000,
             "require": [requirement]}
            for step_id, _, requirement in steps
        ],
    }  # fmt: skip
    document["steps"][0]["prefer"] = [
        {"attribute": "weight_kg", "direction": "lower", "weight": 2},
        {"attribute": "price", "direction": "lower", "weight": 1},
    ]
    loaded = load_text(json.dumps(document), "bench.yaml")
    assert loaded.questionnaire is not None, loaded.findings
    return loaded.questionnaire


def _sqlite(index: CategoryIndex) -> sqlite3.Connection:
    """The strong baseline: a table with one column per attribute, each indexed."""
    path = Path(tempfile.mkdtemp(prefix="bench-recommend-")) / "baseline.sqlite3"
    connection = sqlite3.connect(path)
    names = ["capacity", "weight_kg", "inner_length_cm", "seasons", "price"]
    connection.execute(f"CREATE TABLE tents (sku TEXT PRIMARY KEY, {', '.join(f'{n} REAL' for n in names)})")
    rows = [(p.sku, *(p.price if n == "price" else p.attributes[n] for n in names)) for p in index.products]
    connection.executemany(f"INSERT INTO tents VALUES (?, {', '.join('?' * len(names))})", rows)
    for name in names:
        connection.execute(f"CREATE INDEX ix_{name} ON tents ({name})")
    connection.commit()
    connection.execute("ANALYZE")
    return connection


def run(runs: int = RUNS) -> dict[str, Any]:
    index = generated_tents(COUNT, seed=11)
    five = _questionnaire(FIVE)
    twelve = _questionnaire(TWELVE)
    state = state_for(five, {step: value for step, value, _ in FIVE})
    impossible = state_for(twelve, {step: value for step, value, _ in TWELVE} | {"max_weight": 1, "max_price": 25})
    connection = _sqlite(index)
    columns = {name: index.numbers(name) for name in ("capacity", "weight_kg", "inner_length_cm", "seasons", "price")}
    sql = ("SELECT sku FROM tents WHERE capacity >= 2 AND weight_kg <= 9 AND inner_length_cm >= 195 "
           "AND seasons >= 3 AND price <= 700")  # fmt: skip

    def cold() -> None:
        """What the recommender keeps between calls (counts and requirement masks per answers, the products read
        from the index's store) forgotten: each run works everything out, as for answers no shopper gave before."""
        core._COUNTS.pop(index, None)
        core._MASKS.pop(index, None)
        index.products._kept.clear()

    def full() -> core.Recommendation:
        cold()
        return core.recommend(index=index, questionnaire=five, state=state, locale="de", show=10)

    def floor() -> np.ndarray:
        c = columns
        return np.flatnonzero(
            (c["capacity"] >= 2) & (c["weight_kg"] <= 9) & (c["inner_length_cm"] >= 195) & (c["seasons"] >= 3)
            & (c["price"] <= 700)
        )  # fmt: skip

    def baseline() -> list[Any]:
        return connection.execute(sql).fetchall()

    def live() -> int:
        cold()
        return core.live_count(index=index, questionnaire=five, answers=state.answers)

    def relaxations() -> core.Recommendation:
        cold()
        return core.recommend(index=index, questionnaire=twelve, state=impossible, locale="de")

    result = full()
    assert result.count == len(floor()) == len(baseline()), (result.count, len(floor()), len(baseline()))
    assert len(result.products) == 10
    none = relaxations()
    assert none.count == 0
    assert none.relaxations
    times = side_by_side(
        runs,
        {"recommend": full, "sqlite": baseline, "floor": floor, "live": live, "relax": relaxations},
    )
    medians = {name: median(values) * 1000 for name, values in times.items()}
    ok = (
        medians["recommend"] <= 5
        and medians["sqlite"] / medians["recommend"] >= 5
        and medians["live"] <= 3 * medians["floor"]
        and medians["live"] <= 2
        and medians["relax"] <= 20
    )
    return {
        "name": f"recommendation on {COUNT:,} tents, 5 requirements ({result.count:,} fit)",
        "recommend_ms": round(medians["recommend"], 2),
        "sqlite_filter_only_ms": round(medians["sqlite"], 2),
        "speedup_vs_sqlite": round(medians["sqlite"] / medians["recommend"], 1),
        "numpy_floor_ms": round(medians["floor"], 2),
        "live_count_ms": round(medians["live"], 2),
        "live_count_vs_floor": round(medians["live"] / medians["floor"], 2),
        "relaxations_12_requirements_ms": round(medians["relax"], 2),
        "relaxations_offered": len(none.relaxations),
        "ok": ok,
        "runs": runs,
    }
