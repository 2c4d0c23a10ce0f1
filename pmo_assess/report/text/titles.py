"""Action titles: each section's or exhibit's title stating its insight, with its source line.

Each function takes the results dict of one client and wave (``ClientResults.to_dict()``) and
returns an :class:`ActionTitle` of plain text (the renderer escapes it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pmo_assess.insight.contract import role_names
from pmo_assess.model.questionnaire import format_value
from pmo_assess.model.scale import ScoreScale
from pmo_assess.report.text.facts import (
    apart_by,
    below_target,
    benchmark_kind,
    biggest_moves,
    change_text,
    dimensions,
    peer_set_text,
    respondents_text,
    role_extremes,
    scale_of,
    shown,
    shown_difference,
    shown_signed,
    subject,
    targeted,
    weakest_peer_position,
    widest_role_gap,
)
from pmo_assess.report.text.peers import no_peers_reason
from pmo_assess.report.text.phrases import (
    ahead_of_text,
    all_of,
    cap,
    join_list,
    lower_first,
    none_of,
    number_word,
    percentile_text,
    plural,
    role_group,
)
from pmo_assess.report.text.sources import exhibit_source

#: Where answers are not on the levels' scale (SAMM's 0-to-1 answers), a question whose mean lies
#: in the lowest quarter of the answer scale is counted as weak in the heatmap's title.
WEAK_SHARE = 0.25


def weak_question_threshold(scale: ScoreScale) -> float:
    """Below this a question's mean counts as weak: the start of the second level when answers
    are on the levels' scale (2.0, Repeatable, on 1 to 5), else the lowest quarter of the
    answers' range (0.25 on SAMM's 0 to 1)."""
    same = (scale.answer_low, scale.answer_high) == (scale.low, scale.high)
    if same and len(scale.levels) > 1:
        return scale.levels[1].min
    return scale.answer_low + WEAK_SHARE * (scale.answer_high - scale.answer_low)


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
    lowest = f"{low['title']} is lowest at {shown(results, low['score'])}"
    if not with_target:
        return ActionTitle(
            f"{high['title']} scores highest at {shown(results, high['score'])}; {lowest}", source
        )
    if short == 0:
        return ActionTitle(
            f"{all_of(total, capital=True)} dimensions with a target meet it, from "
            f"{shown(results, low['score'])} in "
            f"{low['title']} to {shown(results, high['score'])} in {high['title']}",
            source,
        )
    met = total - short
    verb = "meets its target" if met == 1 else "meet their target"
    text = f"{number_word(met, capital=True)} of the {total} dimensions {verb}"
    text = f"{none_of(total)} dimensions meets its target yet" if not met else text
    return ActionTitle(f"{text}; {lowest}", source)


def radar_title(results: dict[str, Any]) -> ActionTitle:
    """Whether the profile is even or uneven, with its range."""
    dims = dimensions(results)
    source = exhibit_source(results, "radar")
    if len(dims) < 2:
        return ActionTitle("Too few dimensions are scored to show a profile", source)
    low = min(dims, key=lambda d: d["score"])
    high = max(dims, key=lambda d: d["score"])
    if apart_by(results, high["score"], low["score"]):
        text = (
            f"The profile is uneven: scores run from {shown(results, low['score'])} in "
            f"{low['title']} to {shown(results, high['score'])} in {high['title']}"
        )
    else:
        text = (
            f"The profile is even: {all_of(len(dims))} scored dimensions lie between "
            f"{shown(results, low['score'])} and {shown(results, high['score'])}"
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
    where = f"{shown_difference(results, top['target'], top['score'])} below its target of {shown(results, top['target'])}"
    if len(short) == 1:
        return ActionTitle(f"{top['title']} is the only dimension below target, {where}", source)
    verb = "falls" if len(short) == 2 else "fall"
    more = f"{number_word(len(short) - 1)} more {verb} short"
    return ActionTitle(f"{top['title']} has the largest gap, {where}, and {more}", source)


def heatmap_title(results: dict[str, Any]) -> ActionTitle:
    """Where the weakest questions lie: those in the lowest quarter of the answer scale, or
    else the lowest one."""
    source = exhibit_source(results, "heatmap")
    top = _top_dimension_titles(results)
    scale = scale_of(results)
    weak_below = weak_question_threshold(scale)
    scored = [q for q in results["assessment"]["questions"] if q.get("mean") is not None]
    if not scored:
        return ActionTitle("No question has a scored answer yet", source)
    weak = [
        top.get(q["dimension"], q["dimension"])
        for q in scored
        if scale.answer_below(q["mean"], weak_below)
    ]
    if not weak:
        low = min(scored, key=lambda q: q["mean"])
        return ActionTitle(
            f"No question scores below {scale.answer_text(weak_below)}; the lowest, in "
            f"{top.get(low['dimension'], low['dimension'])}, scores {scale.answer_text(low['mean'])}",
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
        f"below {scale.answer_text(weak_below)}, {where}",
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
    rows = [r for r in results["roles"] if r["dimension"] != "overall"]
    wide = [r for r in rows if (ends := role_extremes(r)) and apart_by(results, *_scores(r, ends))]
    verb = "gives" if counts[high] == 1 else "give"
    if scale_of(results).change(overall["scores"][low], overall["scores"][high]) == 0:
        text = f"Every role gives the same overall score, {shown(results, overall['scores'][high])}"
        tail = (
            f"; roles are a full level or more apart on {len(wide)} of {len(rows)} dimensions"
            if wide
            else ""
        )
        return ActionTitle(text + tail, source)
    names = role_names(results)
    text = (
        f"{cap(role_group(high, counts[high], names))} {verb} the highest scores and "
        f"{role_group(low, counts[low], names)} the lowest, "
        f"{shown(results, overall['scores'][high])} against "
        f"{shown(results, overall['scores'][low])} overall"
    )
    tail = (
        f"; roles are a full level or more apart on {len(wide)} of {len(rows)} dimensions"
        if wide
        else "; no dimension shows roles a full level apart"
    )
    return ActionTitle(text + tail, source)


def _scores(row: dict[str, Any], roles: tuple[str, str]) -> tuple[float, float]:
    """The scores of a row of ``results['roles']`` given by two roles, highest first."""
    return row["scores"][roles[0]], row["scores"][roles[1]]


def agreement_title(results: dict[str, Any]) -> ActionTitle:
    """How often answers to one question were far apart, and the widest gap between roles."""
    source = exhibit_source(results, "agreement")
    flagged = results["disagreements"]
    asked = sum(1 for q in results["assessment"]["questions"] if q["n"] > 1)
    if results["respondents"]["total"] == 1 or not asked:
        return ActionTitle(
            "Agreement cannot be measured: no question has answers from more than one respondent",
            source,
        )
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
            f"Answers to {len(flagged)} of {asked} questions lie at least "
            f"{format_value(apart)} points apart, {where}"
        )
    else:
        text = "Respondents broadly agree: no question has answers far apart"
    row = widest_role_gap(results)
    ends = role_extremes(row) if row else None
    if row and ends and apart_by(results, *_scores(row, ends)):
        text += (
            f", and roles differ most on {row['title']} "
            f"({shown_difference(results, *_scores(row, ends))} points)"
        )
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
        f"The overall score has {change_text(results, overall['baseline'], overall['current'])} "
        f"since wave {progress['baseline_wave']}"
    )
    up, down = biggest_moves(results)
    if up:
        text += f"; {up['title']} rose most ({shown_signed(results, up['change'])})"
    if down:
        text += f"{', while' if up else ';'} {down['title']} fell ({shown_signed(results, down['change'])})"
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
