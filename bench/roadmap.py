"""Benchmark: the roadmap for the full PMO maturity questionnaire, every dimension far from target.

Compares ``build_roadmap`` (heap-based ordering) with a naive version that repeatedly scans the
remaining actions for the best one whose dependencies are done, in the same run, and checks both
give the same order: the same placement order (what ``build_roadmap`` hands to its phase
placement, recorded in one untimed call), and, placed in phases and listed (phase, start week,
priority, placement) by the roadmap's own rules outside the timing, the same items.
Target: under 0.2 s. Run: ``.venv/bin/python bench/roadmap.py``.
"""

from __future__ import annotations

import time

from pmo_assess import load_questionnaire
from pmo_assess.insight import roadmap as roadmap_module
from pmo_assess.insight.recommendations import Action, library_path, load_recommendations
from pmo_assess.insight.roadmap import (
    RoadmapOptions,
    _place,
    build_roadmap,
    in_listing_order,
    steps_needed,
)


def naive_order(questionnaire, library, scores, targets) -> list[tuple[Action, float]]:
    """Select by scanning the library per dimension, then order by rescanning everything left;
    the (action, priority) pairs in placement order."""
    chosen = []
    for rank, dimension in enumerate(questionnaire.dimensions):
        priority = (targets[dimension.id] - scores[dimension.id]) * 2 * dimension.weight
        for step in steps_needed(scores[dimension.id], targets[dimension.id]):
            for position, action in enumerate(library.actions):
                if action.dimension == dimension.id and action.step == step:
                    chosen.append((action, priority, rank, position))
    selected = {a.id for a, *_ in chosen}
    done: list[str] = []
    ordered: list[tuple[Action, float]] = []
    while len(done) < len(chosen):
        ready = [
            c
            for c in chosen
            if c[0].id not in done and all(d in done or d not in selected for d in c[0].depends_on)
        ]
        best = min(ready, key=lambda c: (-c[1], c[0].from_level, c[2], c[3]))
        done.append(best[0].id)
        ordered.append((best[0], best[1]))
    return ordered


def placement_order(questionnaire, library, scores, targets) -> list[str]:
    """The order ``build_roadmap`` places actions in, before it lists them by phase and week."""
    seen: list[str] = []

    def recording(ordered, *args, **kwargs):
        seen.extend(action.id for action, _ in ordered)
        return _place(ordered, *args, **kwargs)

    roadmap_module._place = recording
    try:
        build_roadmap(questionnaire, library, scores, targets)
    finally:
        roadmap_module._place = _place
    return seen


def best_of(runs: int, work):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    questionnaire = load_questionnaire("pmo-maturity")
    library = load_recommendations(library_path(questionnaire), questionnaire)
    scores = {d.id: 1.0 for d in questionnaire.dimensions}
    targets = dict.fromkeys(scores, 5.0)
    fast_s, roadmap = best_of(20, lambda: build_roadmap(questionnaire, library, scores, targets))
    naive_s, naive = best_of(5, lambda: naive_order(questionnaire, library, scores, targets))
    titles = {d.id: d.title for d in questionnaire.dimensions}
    listed = in_listing_order(_place(naive, titles, RoadmapOptions()))
    same = placement_order(questionnaire, library, scores, targets) == [
        a.id for a, _ in naive
    ] and [(i.action_id, i.phase, i.start_week) for i in roadmap.items] == [
        (i.action_id, i.phase, i.start_week) for i in listed
    ]
    print(f"roadmap of {len(roadmap.items)} actions from a library of {len(library.actions)}")
    print(
        f"build_roadmap, best of 20: {fast_s * 1000:8.2f} ms   target < 200 ms: "
        f"{'met' if fast_s < 0.2 else 'MISSED'}"
    )
    print(f"naive rescanning order:    {naive_s * 1000:8.2f} ms")
    print(f"speed-up: {naive_s / fast_s:.1f} x; same order: {same}")


if __name__ == "__main__":
    main()
