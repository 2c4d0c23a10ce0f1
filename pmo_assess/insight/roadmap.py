"""The improvement roadmap, computed from the gaps: which actions, in what order, in which phase.

Rules (each tested on hand-worked cases):

- A dimension below its target needs the library's actions of every level step from its current
  level up to the level that contains the target (score 2.4, target 3.5: steps 2-3 and 3-4).
- Priority = gap x importance (1 to 3, default 2) x the dimension's weight.
- Placement: actions are placed one by one, highest priority first, then lower steps first,
  then questionnaire and library order; an action is never placed before an action it depends
  on (dependencies outside the roadmap are taken as already in place).
- Phases: Quick wins (months 0-3) take small (S) actions of high priority (at least
  ``quick_win_share`` of the top priority); then Foundation (3-6), Scale (6-12) and Sustain
  (12+). Each phase has a capacity of effort points (S=1, M=2, L=3; Sustain unlimited); an
  action goes to the earliest phase with room that is not before any phase of its dependencies.
- Listing: the roadmap lists its items in phase order, then by start week, then by placement
  (priority first); ``order`` numbers them 1..n in that listing, so every reader (report, CLI,
  exports, charts) shows each phase once and the numbers count up. An action still never
  precedes one it depends on: it is in the same or a later phase and starts after that ends.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from pmo_assess.insight.recommendations import Action, Recommendations
from pmo_assess.model.questionnaire import Questionnaire

#: (id, name, first week, first week after) of each phase; Sustain has no end.
PHASES = (
    ("quick-wins", "Quick wins", 0, 13),
    ("foundation", "Foundation", 13, 26),
    ("scale", "Scale", 26, 52),
    ("sustain", "Sustain", 52, None),
)
EFFORT_POINTS = {"S": 1, "M": 2, "L": 3}
DEFAULT_IMPORTANCE = 2


@dataclass(frozen=True)
class RoadmapOptions:
    """Capacity of effort points per phase, and what counts as high priority for a quick win."""

    capacity: Mapping[str, float] = field(
        default_factory=lambda: {
            "quick-wins": 6,
            "foundation": 12,
            "scale": 18,
            "sustain": math.inf,
        }
    )
    quick_win_share: float = 0.5


@dataclass(frozen=True)
class RoadmapItem:
    """An action placed on the roadmap; ``order`` is its number in the roadmap's listing."""

    order: int
    action_id: str
    title: str
    description: str
    dimension: str
    dimension_title: str
    step: str
    effort: str
    duration_weeks: int
    benefit: str
    priority: float
    phase: str
    phase_name: str
    start_week: int
    end_week: int
    depends_on: tuple[str, ...]


@dataclass(frozen=True)
class Roadmap:
    """The phased actions in listing order, and the dimensions that needed none or had no score."""

    items: tuple[RoadmapItem, ...]
    priorities: dict[str, float]
    unscored: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; ``items`` keep the listing order (phase, start week, priority)."""
        return {
            "items": [asdict(i) for i in self.items],
            "priorities": self.priorities,
            "unscored": list(self.unscored),
        }


def steps_needed(score: float, target: float) -> list[str]:
    """The level steps that lift a score to its target.

    >>> steps_needed(2.4, 3.5), steps_needed(2.4, 3.0), steps_needed(3.2, 3.0), steps_needed(1.0, 5.0)
    (['2-3', '3-4'], ['2-3'], [], ['1-2', '2-3', '3-4', '4-5'])
    """
    if score >= target:
        return []
    first, last = math.floor(score), math.ceil(target)
    return [f"{level}-{level + 1}" for level in range(max(first, 1), min(last, 5))]


def build_roadmap(
    questionnaire: Questionnaire,
    library: Recommendations,
    scores: Mapping[str, float | None],
    targets: Mapping[str, float | None],
    importance: Mapping[str, int] | None = None,
    options: RoadmapOptions | None = None,
) -> Roadmap:
    """The roadmap for one assessment: ``scores`` and ``targets`` by top-level dimension id."""
    options = options or RoadmapOptions()
    importance = importance or {}
    priorities: dict[str, float] = {}
    chosen: list[tuple[Action, float, int]] = []
    unscored = []
    for rank, dimension in enumerate(questionnaire.dimensions):
        score, target = scores.get(dimension.id), targets.get(dimension.id)
        if score is None or target is None:
            unscored.append(dimension.id)
            continue
        priority = (
            max(0.0, target - score)
            * importance.get(dimension.id, DEFAULT_IMPORTANCE)
            * dimension.weight
        )
        priorities[dimension.id] = round(priority, 6)
        steps = steps_needed(score, target)
        chosen += [
            (a, priorities[dimension.id], rank)
            for a in library.actions
            if a.dimension == dimension.id and a.step in steps
        ]
    ordered = _order(chosen, {a.id: i for i, a in enumerate(library.actions)})
    titles = {d.id: d.title for d in questionnaire.dimensions}
    placed = _place(ordered, titles, options)
    return Roadmap(in_listing_order(placed), priorities, tuple(unscored))


def in_listing_order(items: Iterable[RoadmapItem]) -> tuple[RoadmapItem, ...]:
    """The items by phase, then start week, then their placement order, numbered 1..n.

    Placement order (``order`` on the way in) already puts higher priority first and a
    dependency before what needs it, so it is the tie-break that keeps both rules.

    >>> late = RoadmapItem(1, "b", "B", "", "d", "D", "2-3", "S", 4, "cost", 6.0,
    ...                    "scale", "Scale", 26, 30, ())
    >>> early = replace(late, order=2, action_id="a", phase="quick-wins", start_week=0)
    >>> [(i.order, i.action_id) for i in in_listing_order([late, early])]
    [(1, 'a'), (2, 'b')]
    """
    listed = sorted(
        items, key=lambda i: (_phase_index(i.phase), i.start_week, -i.priority, i.order)
    )
    return tuple(replace(item, order=number) for number, item in enumerate(listed, start=1))


def _order(
    chosen: list[tuple[Action, float, int]], position: dict[str, int]
) -> list[tuple[Action, float]]:
    """Priority order that never puts an action before one it depends on (Kahn's algorithm)."""
    by_id = {a.id: (a, p, rank) for a, p, rank in chosen}
    waiting = {a.id: {d for d in a.depends_on if d in by_id} for a, _, _ in chosen}
    followers: dict[str, list[str]] = {}
    for action_id, needs in waiting.items():
        for needed in needs:
            followers.setdefault(needed, []).append(action_id)

    def key(action_id: str) -> tuple[float, int, int, int]:
        action, priority, rank = by_id[action_id]
        return (-priority, action.from_level, rank, position[action_id])

    ready = [(key(a), a) for a, needs in waiting.items() if not needs]
    heapq.heapify(ready)
    ordered = []
    while ready:
        _, action_id = heapq.heappop(ready)
        ordered.append(by_id[action_id][:2])
        for follower in followers.get(action_id, ()):
            waiting[follower].discard(action_id)
            if not waiting[follower]:
                heapq.heappush(ready, (key(follower), follower))
    return ordered


def _place(
    ordered: list[tuple[Action, float]], titles: Mapping[str, str], options: RoadmapOptions
) -> list[RoadmapItem]:
    top = max((p for _, p in ordered), default=0.0)
    used = {phase: 0.0 for phase, *_ in PHASES}
    placed: dict[str, RoadmapItem] = {}
    for order, (action, priority) in enumerate(ordered, start=1):
        needs = [placed[d] for d in action.depends_on if d in placed]
        earliest = max((_phase_index(n.phase) for n in needs), default=0)
        points = EFFORT_POINTS[action.effort]
        for index in range(earliest, len(PHASES)):
            phase, name, start, _end = PHASES[index]
            if phase == "quick-wins" and (
                action.effort != "S" or priority < options.quick_win_share * top
            ):
                continue
            if used[phase] + points <= options.capacity.get(phase, math.inf):
                break
        used[phase] += points
        begin = max([start, *(n.end_week for n in needs)])
        placed[action.id] = RoadmapItem(
            order=order,
            action_id=action.id,
            title=action.title,
            description=action.description,
            dimension=action.dimension,
            dimension_title=titles[action.dimension],
            step=action.step,
            effort=action.effort,
            duration_weeks=action.duration_weeks,
            benefit=action.benefit,
            priority=priority,
            phase=phase,
            phase_name=name,
            start_week=begin,
            end_week=begin + action.duration_weeks,
            depends_on=action.depends_on,
        )
    return list(placed.values())


def _phase_index(phase: str) -> int:
    return next(i for i, (p, *_) in enumerate(PHASES) if p == phase)
