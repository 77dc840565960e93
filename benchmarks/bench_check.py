"""`advisor check`: the shipped questionnaires with the full path walk, and a generated questionnaire of
10 steps with 5 options each against 10,000 generated tents."""

from __future__ import annotations

import json
import os
import subprocess
import time
from typing import Any

import numpy as np

from advisor.audit import walk_paths
from advisor.db.location import database_url, sqlite_file
from advisor.questionnaire.load import load_text
from advisor.recommend.index import CategoryIndex
from advisor.recommend.kept import kept_path
from benchmarks.common import ADVISOR, generated_tents, median

ATTRIBUTES = (
    "capacity", "weight_kg", "seasons", "inner_length_cm", "inner_width_cm", "inner_height_cm",
    "packed_length_cm", "packed_volume_l", "waterproof_floor_mm", "waterproof_fly_mm",
)  # fmt: skip


def generated_questionnaire(index: CategoryIndex) -> Any:
    """10 single-choice steps, one attribute each, 5 options that split its products into fifths."""
    steps = []
    for attribute in ATTRIBUTES:
        column = index.numbers(attribute)
        edges = np.quantile(column, [0.2, 0.4, 0.6, 0.8]).tolist()
        bounds = [None, *edges, None]
        options = []
        for j in range(5):
            low, high = bounds[j], bounds[j + 1]
            parts = ([f"{attribute} >= {low}"] if low is not None else []) + (
                [f"{attribute} < {high}"] if high is not None else []
            )
            options.append({"id": f"o{j}", "label": {"de": f"O{j}", "en": f"O{j}"}, "require": [" and ".join(parts)]})
        steps.append(
            {"id": f"ask_{attribute}", "kind": "single", "question": {"de": "F", "en": "Q"}, "options": options}
        )
    document = {
        "format_version": 2, "id": "generated", "category": "tents", "locales": ["de", "en"], "default_locale": "de",
        "address": {"de": "du", "en": "du"}, "title": {"de": "G", "en": "G"}, "intro": {"de": "G", "en": "G"},
        "steps": steps,
    }  # fmt: skip
    loaded = load_text(json.dumps(document), "generated.yaml")
    assert loaded.questionnaire is not None, loaded.findings
    return loaded.questionnaire


def _check() -> float:
    start = time.perf_counter()
    subprocess.run([*ADVISOR, "check"], check=True, capture_output=True, env=dict(os.environ))
    return time.perf_counter() - start


def run(runs: int = 5) -> dict[str, Any]:
    database = sqlite_file(database_url())
    first = []  # without the index kept beside the database: it is read from the database (and kept)
    for _ in range(runs if database is not None else 0):
        kept_path(database).unlink(missing_ok=True)  # type: ignore[arg-type]
        first.append(_check())
    shipped = [_check() for _ in range(runs)]  # as a merchandiser checks again and again: from the kept index
    index = generated_tents(10_000, seed=5)
    questionnaire = generated_questionnaire(index)
    start = time.perf_counter()
    report = walk_paths(questionnaire, index)
    generated_s = time.perf_counter() - start
    assert not report.truncated
    return {
        "name": "advisor check: shipped questionnaires (full path walk); generated 10x5 against 10,000 tents",
        "shipped_check_s": round(median(shipped), 2),
        "shipped_check_without_kept_index_s": round(median(first), 2) if first else None,
        "generated_walk_s": round(generated_s, 2),
        "generated_nodes": report.nodes,
        "generated_pruned": report.pruned,
        "ok": median(shipped) < 1 and generated_s < 10,
        "runs": runs,
    }
