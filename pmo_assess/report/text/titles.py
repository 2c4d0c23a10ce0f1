"""Action titles: each section's or exhibit's title stating its insight, with its source line.

Each function takes the results dict of one client and wave (``ClientResults.to_dict()``) and
returns an :class:`ActionTitle` of plain text (the renderer escapes it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pmo_assess.report.text.facts import (
    PERCEPTION_GAP,
    below_target,
    benchmark_kind,
    biggest_moves,
    dimensions,
    no_peers_reason,
    peer_set_text,
    respondents_text,
    role_extremes,
    subject,
    targeted,
    weakest_peer_position,
    widest_role_gap,
)
from pmo_assess.report.text.phrases import (
    ahead_of_text,
    cap,
    change_text,
    difference,
    join_list,
    lower_first,
    number_word,
    percentile_text,
    plural,
    points,
    role_group,
    score_text,
    signed,
)
from pmo_assess.report.text.sources import exhibit_source

#: A question whose mean is below this is counted as weak in the heatmap's title.
WEAK_QUESTION = 2.0


@dataclass(frozen=True)
class ActionTitle:
    """A section's or exhibit's title stating its insight, and the exhibit's source line."""

    text: str
    source_line: str


def scorecard_title(results: dict[str, Any]) -> ActionTitle:
    """How many dimensions meet their target, and the lowest one."""
    dims, with_target = dimensions(results), targeted(results)
    source = exhibit_source(results, "scorecard")
    if not dims:
        return ActionTitle("No dimension has enough evidence to be scored", source)
    low = min(dims, key=lambda d: d["score"])
    high = max(dims, key=lambda d: d["score"])
    short, total = len(below_target(results)), len(with_target)
    lowest = f"{low['title']} is lowest at {score_text(low['score'])}"
    if not with_target:
        return ActionTitle(
            f"{high['title']} scores highest at {score_text(high['score'])}; {lowest}", source
        )
    if short == 0:
        return ActionTitle(
            f"All {total} dimensions with a target meet it, from {score_text(low['score'])} in "
            f"{low['title']} to {score_text(high['score'])} in {high['title']}",
            source,
        )
    met = total - short
    verb = "meets its target" if met == 1 else "meet their target"
    text = f"{number_word(met, capital=True)} of the {total} dimensions {verb}"
    text = f"None of the {total} dimensions meets its target yet" if not met else text
    return ActionTitle(f"{text}; {lowest}", source)


def radar_title(results: dict[str, Any]) -> ActionTitle:
    """Whether the profile is even or uneven, with its range."""
    dims = dimensions(results)
    source = exhibit_source(results, "radar")
    if len(dims) < 2:
        return ActionTitle("Too few dimensions are scored to show a profile", source)
    low = min(dims, key=lambda d: d["score"])
    high = max(dims, key=lambda d: d["score"])
    if high["score"] - low["score"] >= PERCEPTION_GAP:
        text = (
            f"The profile is uneven: scores run from {score_text(low['score'])} in "
            f"{low['title']} to {score_text(high['score'])} in {high['title']}"
        )
    else:
        text = (
            f"The profile is even: all {len(dims)} scored dimensions lie between "
            f"{score_text(low['score'])} and {score_text(high['score'])}"
        )
    return ActionTitle(text, source)


def gap_title(results: dict[str, Any]) -> ActionTitle:
    """The largest gap to target and how many dimensions fall short."""
    short, source = below_target(results), exhibit_source(results, "gap")
    if not targeted(results):
        return ActionTitle("No targets are set yet, so there are no gaps to show", source)
    if not short:
        return ActionTitle(
            "Every dimension meets its target, so there are no gaps to close", source
        )
    top = short[0]
    where = (
        f"{difference(top['target'], top['score'])} below its target of {score_text(top['target'])}"
    )
    if len(short) == 1:
        return ActionTitle(f"{top['title']} is the only dimension below target, {where}", source)
    verb = "falls" if len(short) == 2 else "fall"
    more = f"{number_word(len(short) - 1)} more {verb} short"
    return ActionTitle(f"{top['title']} has the largest gap, {where}, and {more}", source)


def heatmap_title(results: dict[str, Any]) -> ActionTitle:
    """Where the weakest questions lie: those scoring below 2.0, or else the lowest one."""
    source = exhibit_source(results, "heatmap")
    top = _top_dimension_titles(results)
    scored = [q for q in results["assessment"]["questions"] if q.get("mean") is not None]
    if not scored:
        return ActionTitle("No question has a scored answer yet", source)
    weak = [top.get(q["dimension"], q["dimension"]) for q in scored if q["mean"] < WEAK_QUESTION]
    if not weak:
        low = min(scored, key=lambda q: q["mean"])
        return ActionTitle(
            f"No question scores below {score_text(WEAK_QUESTION)}; the lowest, in "
            f"{top.get(low['dimension'], low['dimension'])}, scores {score_text(low['mean'])}",
            source,
        )
    most = max(dict.fromkeys(weak), key=weak.count)
    verb = "scores" if len(weak) == 1 else "score"
    where = (
        f"in {most}"
        if len(weak) == 1
        else f"all in {most}"
        if weak.count(most) == len(weak)
        else f"{weak.count(most)} of them in {most}"
    )
    return ActionTitle(
        f"{number_word(len(weak), capital=True)} of the {len(scored)} scored questions {verb} "
        f"below {score_text(WEAK_QUESTION)}, {where}",
        source,
    )


def _top_dimension_titles(results: dict[str, Any]) -> dict[str, str]:
    """Every dimension id, at any depth, to the title of the top-level dimension above it."""
    found: dict[str, str] = {}

    def visit(node: dict[str, Any], title: str) -> None:
        found[node["id"]] = title
        for child in node.get("children") or []:
            visit(child, title)

    for top in results["assessment"]["dimensions"]:
        visit(top, top["title"])
    return found


def role_gap_title(results: dict[str, Any]) -> ActionTitle:
    """Which role rates highest and lowest overall, and on how many dimensions roles differ
    (the perception gap between roles)."""
    source = exhibit_source(results, "roles")
    overall = next(r for r in results["roles"] if r["dimension"] == "overall")
    extremes = role_extremes(overall)
    if extremes is None:
        return ActionTitle(
            f"Roles cannot be compared: the answers come from {respondents_text(results)}", source
        )
    high, low = extremes
    counts = overall["respondents"]
    wide = [r for r in results["roles"] if r["dimension"] != "overall" and (r["spread"] or 0) >= 1]
    verb = "gives" if counts[high] == 1 else "give"
    text = (
        f"{cap(role_group(high, counts[high]))} {verb} the highest scores and "
        f"{role_group(low, counts[low])} the lowest, {score_text(overall['scores'][high])} "
        f"against {score_text(overall['scores'][low])} overall"
    )
    dims = len(results["roles"]) - 1
    tail = (
        f"; roles are a full level or more apart on {len(wide)} of {dims} dimensions"
        if wide
        else "; no dimension shows roles a full level apart"
    )
    return ActionTitle(text + tail, source)


def agreement_title(results: dict[str, Any]) -> ActionTitle:
    """How often answers to one question were far apart, and the widest gap between roles."""
    source = exhibit_source(results, "agreement")
    flagged = results["disagreements"]
    asked = sum(1 for q in results["assessment"]["questions"] if q["n"] > 1)
    if flagged:
        apart = min(d["max"] - d["min"] for d in flagged)
        places = [d["dimension_title"] for d in flagged]
        most = max(dict.fromkeys(places), key=places.count)
        where = (
            f"most often in {most} ({plural(places.count(most), 'question')})"
            if len(flagged) > 1
            else f"in {most}"
        )
        text = (
            f"Answers to {len(flagged)} of {asked} questions lie at least {points(apart)} "
            f"points apart, {where}"
        )
    else:
        text = "Respondents broadly agree: no question has answers far apart"
    row = widest_role_gap(results)
    if row and row["spread"] >= PERCEPTION_GAP:
        text += f", and roles differ most on {row['title']} ({score_text(row['spread'])} points)"
    return ActionTitle(text, source)


def peer_title(results: dict[str, Any]) -> ActionTitle:
    """The position against peers, or why no peer comparison is shown."""
    source = exhibit_source(results, "peer")
    peers, bm = peer_set_text(results), results["benchmark"]
    overall = (bm or {}).get("overall") or {}
    if peers is None or overall.get("percentile") is None:
        reason = no_peers_reason(results) if peers is None else "the overall score is missing"
        return ActionTitle(f"No peer comparison is shown because {reason}", source)
    kind = "synthetic peers" if "synthetic" in benchmark_kind(results) else "peers"
    text = f"{subject(results)} is {ahead_of_text(overall['percentile'], kind)} in {bm['label']}"
    text = text if bm["group"] != "all" else text.replace(f" in {bm['label']}", " overall")
    weakest = weakest_peer_position(results)
    if weakest and weakest[1]["percentile"] < 50:
        title, pos = weakest
        text += f", but trails on {title} ({percentile_text(pos['percentile'])})"
    elif weakest:
        text += ", and at or above the peer median on every dimension"
    return ActionTitle(text, source)


def trend_title(results: dict[str, Any]) -> ActionTitle | None:
    """The overall change since the baseline wave and the biggest moves; None with one wave."""
    progress = results["progress"]
    if progress is None or len(results["trend"]) < 2:
        return None
    overall = progress["overall"]
    if overall["baseline"] is None or overall["current"] is None:
        return None
    text = (
        f"The overall score has {change_text(overall['baseline'], overall['current'])} "
        f"since wave {progress['baseline_wave']}"
    )
    up, down = biggest_moves(results)
    if up:
        text += f"; {up['title']} rose most ({signed(up['change'])})"
    if down:
        text += f"{', while' if up else ';'} {down['title']} fell ({signed(down['change'])})"
    return ActionTitle(text, exhibit_source(results, "trend"))


def roadmap_title(results: dict[str, Any]) -> ActionTitle:
    """How many actions over how many months, and where the roadmap starts."""
    roadmap, source = results["roadmap"], exhibit_source(results, "roadmap")
    items = roadmap["items"]
    if roadmap["library"] is None:
        text = f"No roadmap is generated: the {results['questionnaire']['title']} has no library"
        return ActionTitle(text + " of improvement actions", source)
    if not items:
        return ActionTitle("No new actions are needed: every dimension meets its target", source)
    months = math.ceil(max(i["end_week"] for i in items) * 12 / 52)
    count = number_word(len(items), capital=True)
    closes = (
        "action over {} closes the gap" if len(items) == 1 else "actions over {} close the gaps"
    )
    text = f"{count} {closes.format(plural(months, 'month'))}"
    quick = [i for i in items if i["phase"] == "quick-wins"]
    where = list(dict.fromkeys(i["dimension_title"] for i in (quick or items[:1])))
    place = (
        f"in {join_list(where)}"
        if len(where) <= 2
        else f"across {number_word(len(where))} dimensions"
    )
    if quick:
        wins = "quick win" if len(quick) == 1 else "quick wins"
        text += f", starting with {number_word(len(quick))} {wins} {place}"
    else:
        text += f", starting with {lower_first(items[0]['phase_name'])} work {place}"
    return ActionTitle(text, source)
