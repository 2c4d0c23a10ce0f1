"""Benchmark: compare one client with 100,000 synthetic peer organisations.

Prints the time of :func:`pmo_assess.insight.benchmarks.compare` (best of 5) against a straightforward
per-row Python loop doing the same work (peer group, percentile ranks and quartiles), run on the
same data in the same process, and checks both give the same figures. One row in ten is of an
older questionnaire version, so the rule on mixed versions is exercised too.
Run: ``.venv/bin/python bench/benchmarks.py``. Target: ``compare`` under 0.5 s.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from pmo_assess.insight.benchmark_data import Benchmark
from pmo_assess.insight.benchmark_synthetic import synthesize, synthetic_meta
from pmo_assess.insight.benchmarks import compare
from pmo_assess.model.loading import load_questionnaire

ORGANISATIONS, RUNS, TARGET_S = 100_000, 5, 0.5


def naive_compare(frame: pd.DataFrame, client: dict[str, Any], min_peers: int = 5) -> dict:
    """The loop a consultant would write: pick the peers row by row, then sort and interpolate."""
    rows = frame.to_dict("records")
    dimension_columns = list(frame.columns[frame.columns.get_loc("overall") + 1 :])
    dimensions = ["overall", *client["dimension_ids"]]
    groups = (
        lambda r: r["industry"] == client["industry"] and r["size_band"] == client["size_band"],
        lambda r: r["industry"] == client["industry"],
        lambda r: True,
    )
    wanted = set(client["dimension_ids"])

    def comparable(r: dict[str, Any]) -> bool:
        if r["questionnaire_id"] != client["questionnaire_id"]:
            return False
        scored = {d for d in dimension_columns if not math.isnan(r[d])}
        return r["questionnaire_version"] == client["questionnaire_version"] or scored == wanted

    for in_group in groups:
        peers = [r for r in rows if comparable(r) and in_group(r)]
        if len(peers) >= min_peers:
            break
    result = {}
    for dimension in dimensions:
        values = sorted(r[dimension] for r in peers if not math.isnan(r[dimension]))
        score = client["scores"][dimension]
        below = sum(1 for v in values if v < score - 1e-9)
        equal = sum(1 for v in values if abs(v - score) <= 1e-9)
        result[dimension] = (
            (below + 0.5 * equal) / len(values) * 100,
            *(_quantile(values, q) for q in (0.25, 0.5, 0.75)),
        )
    return result


def _quantile(values: list[float], q: float) -> float:
    position = (len(values) - 1) * q
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    questionnaire = load_questionnaire("pmo-maturity")
    start = time.perf_counter()
    frame = synthesize(questionnaire, n=ORGANISATIONS, seed=1)
    frame.loc[::10, "questionnaire_version"] = "0.9.0"  # kept only when all 12 dimensions scored
    made_s = time.perf_counter() - start
    benchmark = Benchmark(synthetic_meta(questionnaire, ORGANISATIONS, 1), frame)
    dimension_ids = [d.id for d in questionnaire.dimensions]
    print(f"{ORGANISATIONS:,} synthetic organisations made in {made_s:.2f} s")
    for industry in ("Logistics", "Aerospace (not in the benchmark: everyone is a peer)"):
        client = {
            "industry": industry,
            "size_band": "Medium (500-5,000)",
            "scores": {"overall": 2.61} | {d: 2.0 + 0.2 * i for i, d in enumerate(dimension_ids)},
            "questionnaire_id": questionnaire.id,
            "questionnaire_version": questionnaire.version,
            "dimension_ids": dimension_ids,
        }
        print()
        run(benchmark, client)


def run(benchmark: Benchmark, client: dict[str, Any]) -> None:
    fast_s, comparison = best_of(RUNS, lambda: compare(benchmark, client))
    naive_s, naive = best_of(1, lambda: naive_compare(benchmark.rows, client))
    positions = {"overall": comparison.overall} | comparison.dimensions
    worst = max(
        abs(a - b)
        for d, p in positions.items()
        for a, b in zip((p.percentile, p.q1, p.median, p.q3), naive[d], strict=True)
    )
    verdict = "met" if fast_s < TARGET_S else "MISSED"
    print(f"peer group: {comparison.label} ({comparison.group}), {comparison.n:,} organisations")
    print(
        f"compare (vectorised), best of {RUNS}: {fast_s:8.4f} s   target < {TARGET_S} s: {verdict}"
    )
    print(f"naive per-row loop:               {naive_s:8.4f} s")
    print(f"speed-up:                         {naive_s / fast_s:8.1f} x")
    print(f"largest difference, compare vs loop: {worst:.2e}")


if __name__ == "__main__":
    main()
