"""Run every benchmark side by side with its baseline and print the figures (medians and ratios)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import (  # noqa: E402
    bench_check,
    bench_handoff,
    bench_import,
    bench_kiosk,
    bench_lsp,
    bench_recommend,
    bench_stall,
    bench_variants,
    bench_web,
)

BENCHMARKS = {
    "import": bench_import.run,
    "recommend": bench_recommend.run,
    "kiosk": bench_kiosk.run,
    "check": bench_check.run,
    "handoff": bench_handoff.run,
    "stall": bench_stall.run,
    "web": bench_web.run,
    "lsp": bench_lsp.run,
    "variants": bench_variants.run,
    "variants-import": bench_variants.run_import,  # the 1,000,000-row variant CSV (minutes)
}


def main(argv: list[str]) -> int:
    chosen = argv or list(BENCHMARKS)
    results = []
    for name in chosen:
        result = BENCHMARKS[name]()
        results.append(result)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    out = Path(__file__).resolve().parent / ".data" / "results.json"
    out.parent.mkdir(exist_ok=True)  # (a new checkout has no .data yet when the benchmark chosen makes none)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if all(result["ok"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
