"""The executive summary's key findings: profile, gaps, peers, progress and perception.

Takes the results dict of one client and wave (``ClientResults.to_dict()``) and returns one
plain-text sentence per finding (the renderer escapes it); :mod:`pmo_assess.report.text.summary`
sets them under the headline.
"""

from __future__ import annotations

from typing import Any

from pmo_assess.insight.contract import role_names
from pmo_assess.report.text.facts import (
    apart_by,
    below_target,
    biggest_moves,
    change_text,
    dimensions,
    peer_group_noun,
    peer_set_text,
    role_extremes,
    scale_of,
    shown,
    shown_difference,
    shown_signed,
    targeted,
    weakest_peer_position,
    widest_role_gap,
)
from pmo_assess.report.text.peers import no_peers_reason
from pmo_assess.report.text.phrases import (
    all_of,
    counted,
    join_list,
    percent,
    percentile_text,
    plural,
    role_group,
    roles_breakdown,
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
        only = "the only dimension" if len(results["assessment"]["dimensions"]) == 1 else "the only"
        return (
            f"{low['title']} is {only} with a reliable score, {shown(results, low['score'])}."
            + tail
        )
    if scale_of(results).change(low["score"], high["score"]) == 0:
        return (
            f"{all_of(len(dims), capital=True)} scored dimensions score {shown(results, low['score'])}."
            + tail
        )
    return (
        f"{high['title']} is the strongest dimension at {shown(results, high['score'])}"
        f"{_level_in_brackets(high)} and {low['title']} the weakest at "
        f"{shown(results, low['score'])}{_level_in_brackets(low)}, "
        f"{shown_difference(results, high['score'], low['score'])} points apart." + tail
    )


def _level_in_brackets(dimension: dict[str, Any]) -> str:
    return f" ({dimension['level']})" if dimension["level"] else ""


def _gaps(results: dict[str, Any]) -> str:
    short = below_target(results)
    if not dimensions(results):
        return "Gaps to target cannot be measured until the dimensions have reliable scores."
    if not targeted(results):
        low = sorted(dimensions(results), key=lambda d: d["score"])[:2]
        names = join_list([f"{d['title']} ({shown(results, d['score'])})" for d in low])
        lowest = "the lowest score is" if len(low) == 1 else "the lowest scores are"
        return f"No targets are set, so gaps cannot be measured; {lowest} {names}."
    if not short:
        margin = min(targeted(results), key=lambda g: g["score"] - g["target"])
        return (
            f"Every dimension meets its target; the closest to its target is {margin['title']} "
            f"at {shown(results, margin['score'])} against {shown(results, margin['target'])}."
        )
    named = [
        f"{g['title']} ({shown(results, g['score'])} against a target of {shown(results, g['target'])})"
        for g in short[:3]
    ]
    if len(short) == 1:
        return f"The only gap to target is in {named[0]}."
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
        f"{shown(results, overall['score'])} is at the {percentile_text(overall['percentile'])} "
        f"(peer median {shown(results, overall['median'])})"
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
        f"{change_text(results, overall['baseline'], overall['current'])}"
    )
    if overall["change"] > 0 and overall["progress"] is not None and overall["progress"] > 0:
        text += (
            ", past its average target"
            if overall["progress"] >= 1
            else f", {percent(overall['progress'])} of the way to target"
        )
    up, down = biggest_moves(results)
    if up:
        text += f"; {up['title']} improved most ({shown_signed(results, up['change'])})"
    if down:
        text += f"{', while' if up else ';'} {down['title']} fell ({shown_signed(results, down['change'])})"
    return text + "." + like_for_like_text(results)


def like_for_like_text(results: dict[str, Any]) -> str:
    """When the two waves' respondents differ: who left and joined, and the change among those
    who answered both, so a reader can tell how much of the change is who answered."""
    like = (results["progress"] or {}).get("like_for_like")
    if not like:
        return ""
    moved, names = [], role_names(results)
    if like["left"]:
        left = roles_breakdown(like["left"], names)
        moved.append(f"{left} from the baseline did not answer again")
    if like["joined"]:
        moved.append(f"{roles_breakdown(like['joined'], names)} answered for the first time")
    text = f" The respondents changed: {join_list(moved)}."
    if not like["respondents"] or like["change"] is None:
        return text + " No respondent answered both waves, so no like-for-like change can be shown."
    same = (
        f"Among the {plural(like['respondents'], 'respondent')} who answered both waves"
        if like["respondents"] > 1
        else "For the one respondent who answered both waves"
    )
    return text + (
        f" {same}, the overall score has {change_text(results, like['baseline'], like['current'])}."
    )


def _perception(results: dict[str, Any]) -> str | None:
    overall = next(r for r in results["roles"] if r["dimension"] == "overall")
    extremes, row = role_extremes(overall), widest_role_gap(results)
    if extremes is None or row is None:
        return None
    high, low = extremes
    top, bottom = role_extremes(row) or (high, low)
    half_level = apart_by(results, overall["scores"][high], overall["scores"][low], 0.5)
    if not half_level and not apart_by(results, row["scores"][top], row["scores"][bottom]):
        return None
    counts, names = overall["respondents"], role_names(results)
    text = (
        f"Scores differ by role: {shown(results, overall['scores'][high])} overall from "
        f"{role_group(high, counts[high], names)} against "
        f"{shown(results, overall['scores'][low])} from {role_group(low, counts[low], names)}"
    )
    first = role_group(top, row["respondents"][top], names)
    second = role_group(bottom, row["respondents"][bottom], names)
    return text + (
        f"; the widest gap is on {row['title']}, "
        f"{shown_difference(results, row['scores'][top], row['scores'][bottom])} points between "
        f"{first} ({shown(results, row['scores'][top])}) and "
        f"{second} ({shown(results, row['scores'][bottom])})."
    )
