"""The executive summary's key findings: profile, gaps, peers, progress and perception.

Takes the results dict of one client and wave (``ClientResults.to_dict()``) and returns one
plain-text sentence per finding (the renderer escapes it); :mod:`pmo_assess.report.text.summary`
sets them under the headline.
"""

from __future__ import annotations

from typing import Any

from pmo_assess.report.text.facts import (
    PERCEPTION_GAP,
    below_target,
    biggest_moves,
    dimensions,
    no_peers_reason,
    peer_group_noun,
    peer_set_text,
    role_extremes,
    targeted,
    weakest_peer_position,
    widest_role_gap,
)
from pmo_assess.report.text.phrases import (
    change_text,
    counted,
    difference,
    join_list,
    percent,
    percentile_text,
    role_group,
    score_text,
    signed,
)


def key_findings(results: dict[str, Any]) -> list[str]:
    """The findings of the executive summary: profile, gaps and peers, then progress and
    perception when they have something to say."""
    findings = [_profile(results), _gaps(results), _peers(results)]
    findings += [f for f in (_progress(results), _perception(results)) if f]
    return findings


def _profile(results: dict[str, Any]) -> str:
    dims = dimensions(results)
    thin = [d for d in results["assessment"]["dimensions"] if d["insufficient"]]
    tail = (
        f" {counted(len(thin), 'dimension')} ({join_list([d['title'] for d in thin])}) "
        f"{'lacks' if len(thin) == 1 else 'lack'} the evidence for a reliable score."
        if thin
        else ""
    )
    if not dims:
        return "No dimension has enough evidence for a reliable score."
    high = max(dims, key=lambda d: d["score"])
    low = min(dims, key=lambda d: d["score"])
    if len(dims) == 1:
        return f"Only {low['title']} has a reliable score, {score_text(low['score'])}." + tail
    if high["score"] - low["score"] < 0.05:
        return f"All {len(dims)} scored dimensions score {score_text(low['score'])}." + tail
    return (
        f"{high['title']} is the strongest dimension at {score_text(high['score'])} "
        f"({high['level']}) and {low['title']} the weakest at {score_text(low['score'])} "
        f"({low['level']}), {difference(high['score'], low['score'])} points apart." + tail
    )


def _gaps(results: dict[str, Any]) -> str:
    short = [g for g in below_target(results) if g["gap"] >= 0.05]
    if not dimensions(results):
        return "Gaps to target cannot be measured until the dimensions have reliable scores."
    if not targeted(results):
        low = sorted(dimensions(results), key=lambda d: d["score"])[:2]
        names = join_list([f"{d['title']} ({score_text(d['score'])})" for d in low])
        return f"No targets are set, so gaps cannot be measured; the lowest scores are {names}."
    if not short:
        margin = min(targeted(results), key=lambda g: g["score"] - g["target"])
        lead = (
            "Every dimension meets its target"
            if not below_target(results)
            else "No dimension is more than 0.1 below its target"
        )
        return (
            f"{lead}; the closest to its target is {margin['title']} at "
            f"{score_text(margin['score'])} against {score_text(margin['target'])}."
        )
    named = [
        f"{g['title']} ({score_text(g['score'])} against a target of {score_text(g['target'])})"
        for g in short[:3]
    ]
    if len(short) == 1:
        return f"The only material gap to target is in {named[0]}."
    return f"The largest gaps to target are in {join_list(named)}."


def _peers(results: dict[str, Any]) -> str:
    peers, bm = peer_set_text(results), results["benchmark"]
    if peers is None:
        return f"No peer comparison is shown, because {no_peers_reason(results)}."
    overall = bm["overall"]
    group = f"a {peer_group_noun(results)} of {peers}"
    if overall is None or overall["percentile"] is None:
        return f"Against {group}, the overall score cannot be placed."
    text = (
        f"Against {group}, the overall score of "
        f"{score_text(overall['score'])} is at the {percentile_text(overall['percentile'])} "
        f"(peer median {score_text(overall['median'])})"
    )
    weakest = weakest_peer_position(results)
    if weakest and weakest[1]["percentile"] < 50:
        title, pos = weakest
        text += (
            f"; it trails most on {title} ({percentile_text(pos['percentile'])}, n = {pos['n']})"
        )
    elif weakest:
        text += "; it is at or above the peer median on every dimension"
    return text + "."


def _progress(results: dict[str, Any]) -> str | None:
    progress = results["progress"]
    if not progress or progress["overall"]["current"] is None:
        return None
    overall = progress["overall"]
    if overall["baseline"] is None:
        return None
    text = (
        f"Since the baseline in wave {progress['baseline_wave']}, the overall score has "
        f"{change_text(overall['baseline'], overall['current'])}"
    )
    if overall["progress"] is not None and overall["progress"] > 0:
        text += f", {percent(min(overall['progress'], 1.0))} of the way to target"
    up, down = biggest_moves(results)
    if up:
        text += f"; {up['title']} improved most ({signed(up['change'])})"
    if down:
        text += f"{', while' if up else ';'} {down['title']} fell ({signed(down['change'])})"
    return text + "."


def _perception(results: dict[str, Any]) -> str | None:
    overall = next(r for r in results["roles"] if r["dimension"] == "overall")
    extremes, row = role_extremes(overall), widest_role_gap(results)
    if extremes is None or row is None:
        return None
    high, low = extremes
    apart = overall["scores"][high] - overall["scores"][low]
    if apart < PERCEPTION_GAP / 2 and row["spread"] < PERCEPTION_GAP:
        return None
    counts = overall["respondents"]
    text = (
        f"Scores differ by role: {score_text(overall['scores'][high])} overall from "
        f"{role_group(high, counts[high])} against {score_text(overall['scores'][low])} from "
        f"{role_group(low, counts[low])}"
    )
    top, bottom = role_extremes(row) or (high, low)
    return text + (
        f"; the widest gap is on {row['title']}, "
        f"{difference(row['scores'][top], row['scores'][bottom])} points between "
        f"{role_group(top, row['respondents'][top])} ({score_text(row['scores'][top])}) and "
        f"{role_group(bottom, row['respondents'][bottom])} ({score_text(row['scores'][bottom])})."
    )
