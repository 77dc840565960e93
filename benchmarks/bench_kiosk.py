"""Kiosk responsiveness: cold start to the first screen against a bare window (side by side), and the time
from an answer to the next screen painted with 100,000 tents loaded."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

from benchmarks.common import ADVISOR, ROOT, median, percentile, side_by_side

RUNS = 7


def _cold_start(runs: int) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    kiosk = [*ADVISOR, "kiosk", "--exit-after-first-paint"]
    bare = [sys.executable, str(ROOT / "benchmarks" / "bare_window.py")]
    times = side_by_side(
        runs,
        {
            "kiosk": lambda: subprocess.run(kiosk, check=True, env=env, capture_output=True),
            "bare": lambda: subprocess.run(bare, check=True, env=env, capture_output=True),
        },
    )
    return {name: median(values) for name, values in times.items()}


def _typical_answer(step: Any) -> Any:
    from advisor.questionnaire.model import DONT_CARE

    if step.dont_care:
        return DONT_CARE
    if step.kind == "number":
        return step.default
    if step.kind == "yes_no":
        return True
    return (step.options[0].id,) if step.kind == "multiple" else step.options[0].id


def _answer_to_paint(answers: int = 60) -> tuple[list[float], list[float]]:
    """Answer the tent finder again and again in a real window and time each answer until painted."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from advisor.recommend.index import CatalogIndex
    from benchmarks.common import generated_tents
    from ui.app import create_application, load_questionnaires
    from ui.session import KioskSession
    from ui.window import KioskWindow

    app = create_application()
    index = generated_tents(100_000, seed=11)
    session = KioskSession(load_questionnaires())
    session.set_catalog(CatalogIndex(1, {"tents": index}))
    window = KioskWindow(session)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    timings: list[float] = []
    complete: list[float] = []  # answer to the results' products painted, on the last answer
    while len(timings) < answers:
        session.start("tent-finder")
        window.repaint()
        app.processEvents()
        questionnaire = session.questionnaire
        assert questionnaire is not None
        while session.state is not None and session.state.current is not None and len(timings) < answers:
            step = questionnaire.step(session.state.current)
            value = _typical_answer(step)
            start = time.perf_counter()
            session.answer(value)
            window.repaint()  # paint now, synchronously: the time a shopper waits for the next screen
            timings.append(time.perf_counter() - start)
            if session.view == "results":
                screen = window.screens["results"]
                while not screen.grid.cards:  # type: ignore[attr-defined]
                    app.processEvents()
                window.repaint()
                complete.append(time.perf_counter() - start)
            app.processEvents()
    window.close()
    return timings, complete


def run(runs: int = RUNS) -> dict[str, Any]:
    cold = _cold_start(runs)
    timings, complete = _answer_to_paint()
    p95 = percentile(timings, 0.95) * 1000
    ratio = cold["kiosk"] / cold["bare"]
    return {
        "name": "kiosk: cold start to first screen; answer to next screen painted (100,000 tents loaded)",
        "cold_start_s": round(cold["kiosk"], 2),
        "bare_window_s": round(cold["bare"], 2),
        "cold_start_ratio": round(ratio, 2),
        "answer_to_paint_p95_ms": round(p95, 1),
        "answer_to_paint_median_ms": round(median(timings) * 1000, 1),
        "answer_to_results_with_products_median_ms": round(median(complete) * 1000, 1),
        "ok": ratio <= 2 and p95 <= 16,
        "runs": runs,
    }
