"""Facts picked out of one client's results for the report's words.

Each function takes the results dict of one client and wave (``ClientResults.to_dict()``) and
returns a fact the summary, the action titles, the engagement frame or the notes state: the
scored dimensions, the gaps to target, the peer position, the widest gap between roles, the
biggest moves since the baseline wave. Phrasing comes from :mod:`pmo_assess.report.text.phrases`.
"""

from __future__ import annotations

import re
from typing import Any

from pmo_assess.insight.contract import role_names
from pmo_assess.model.scale import ScoreScale, names_its_number
from pmo_assess.model.terms import named_role
from pmo_assess.report.text.phrases import (
    plural,
    role_group,
    roles_breakdown,
)


def scale_of(results: dict[str, Any]) -> ScoreScale:
    """The scale the client's scores are read on: range, levels and display precision."""
    return ScoreScale.from_dict(results["scale"])


def shown(results: dict[str, Any], value: float | None) -> str:
    """A score as the report shows it, by the one rounding rule (halves up, at the scale's
    precision); "no score" when there is none."""
    return scale_of(results).text(value, missing="no score")


def of_top(results: dict[str, Any], value: float | None) -> str:
    """'2.4 of 5', '1.4 of 3', '64 of 100'."""
    return f"{shown(results, value)} of {scale_of(results).top_text()}"


def shown_difference(results: dict[str, Any], high: float, low: float) -> str:
    """The difference of two scores as printed, so that the words add up (3.46 - 2.04 is
    3.5 - 2.0 = 1.5)."""
    scale = scale_of(results)
    return scale.text(scale.shown(high) - scale.shown(low))


def shown_signed(results: dict[str, Any], value: float) -> str:
    """A change in score with its sign: '+0.3', '-0.8'."""
    scale = scale_of(results)
    text = scale.text(value)
    return text if text.startswith("-") else f"+{text}"


def change_text(results: dict[str, Any], before: float, after: float) -> str:
    """A score's change between two waves as shown: 'risen from 2.6 to 2.9', 'fallen from 3.1
    to 2.9', or 'held steady at 2.0' when both are shown the same."""
    change = scale_of(results).change(before, after)
    if change == 0:
        return f"held steady at {shown(results, after)}"
    verb = "risen" if change > 0 else "fallen"
    return f"{verb} from {shown(results, before)} to {shown(results, after)}"


def level_step(results: dict[str, Any]) -> float:
    """The width of one level: scores this far apart are "a full level" apart."""
    return scale_of(results).level_step()


def apart_by(results: dict[str, Any], high: float, low: float, levels: float = 1.0) -> bool:
    """Whether two scores as shown lie at least ``levels`` levels apart (3.46 and 2.45 are shown
    3.5 and 2.5: a full level apart, as a reader sees)."""
    scale = scale_of(results)
    return scale.shown(scale.shown(high) - scale.shown(low)) >= scale.shown(
        levels * scale.level_step()
    )


def short_name(results: dict[str, Any]) -> str:
    """The client's name without a trailing "(fictional)", "(demo)" or "(sample)" note, which
    the cover shows and prose need not repeat; "(UK)" and the like stay."""
    name = results["client"]["name"]
    return re.sub(r"\s*\((fictional|demo|sample)\)$", "", name, flags=re.IGNORECASE) or name


def subject(results: dict[str, Any]) -> str:
    """What the assessment rates, as the questionnaire names it after the client's name
    ("Acme's PMO", "Acme's software security programme"); the client itself when the
    questionnaire names no subject. A PMO that an establish engagement has yet to set up is not
    there to be rated: its questionnaire rates the project management practice instead."""
    name = short_name(results)
    declared = results["questionnaire"].get("subject")
    if not declared:
        return name
    owner = name + ("'" if name.endswith("s") else "'s")
    if declared == "PMO" and results["engagement"]["kind"] == "establish":
        return f"{owner} project management practice"
    return f"{owner} {declared}"


def programme_noun(results: dict[str, Any]) -> str:
    """What the engagement establishes or optimizes, for the engagement frame: "PMO" for a PMO
    questionnaire (or PMO readiness), else the questionnaire's subject, else "programme"."""
    declared = results["questionnaire"].get("subject") or ""
    return "PMO" if "PMO" in declared else declared or "programme"


def level_number(results: dict[str, Any], score: float) -> int | None:
    """The number of the level the shown score reaches; None below the lowest level."""
    band = scale_of(results).level(score)
    return None if band is None else band.number


def level_phrase(results: dict[str, Any], score: float) -> str:
    """'level 2 (Repeatable, 2.4 of 5)', 'level 1 (1.4 of 3)' for a level named "Level 1",
    'below the first level (0.6 of 5)'."""
    band = scale_of(results).level(score)
    if band is None:
        return f"below the first level ({of_top(results, score)})"
    if names_its_number(band):
        return f"level {band.number} ({of_top(results, score)})"
    return f"level {band.number} ({band.name}, {of_top(results, score)})"


def dimensions(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Top-level dimensions with a score and sufficient evidence."""
    dims = results["assessment"]["dimensions"]
    return [d for d in dims if d["score"] is not None and not d["insufficient"]]


def below_target(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Gaps of dimensions below target, largest first. A gap is the difference of the target
    and the score as shown, so a gap above zero is a shortfall a reader can see."""
    found = [g for g in results["gaps"] if g["gap"] and g["gap"] > 0 and g["score"] is not None]
    return sorted(found, key=lambda g: -g["gap"])


def targeted(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Gaps of dimensions with both a score and a target."""
    return [g for g in results["gaps"] if g["score"] is not None and g["target"] is not None]


def respondents_text(results: dict[str, Any]) -> str:
    """'4 respondents in 3 roles (1 executive, ...)', '3 respondents (all project managers)'."""
    total, by_role = results["respondents"]["total"], results["respondents"]["by_role"]
    names = role_names(results)
    if len(by_role) > 1:
        breakdown = roles_breakdown(by_role, names)
        return f"{plural(total, 'respondent')} in {len(by_role)} roles ({breakdown})"
    role = next(iter(by_role), "unspecified")
    if role == "unspecified":
        return plural(total, "respondent") + " (no roles recorded)"
    return (
        f"1 respondent ({role_group(role, 1, names)})"
        if total == 1
        else f"{total} respondents (all {named_role(role, names).many})"
    )


def peer_set_text(results: dict[str, Any]) -> str | None:
    """'23 organisations in Manufacturing, Medium (500-5,000)', None when no peers are shown."""
    bm = results["benchmark"]
    if not bm or not bm["available"]:
        return None
    if bm["group"] == "all":
        return f"{plural(bm['n'], 'organisation')} across all industries and sizes"
    return f"{plural(bm['n'], 'organisation')} in {bm['label']}"


def benchmark_kind(results: dict[str, Any]) -> str:
    """'synthetic benchmark' or "benchmark of the firm's own assessments"."""
    synthetic = (results["benchmark"] or {}).get("benchmark", {}).get("synthetic", True)
    return "synthetic benchmark" if synthetic else "benchmark of the firm's own assessments"


def peer_group_noun(results: dict[str, Any]) -> str:
    """'synthetic peer group', or 'peer group from the firm's own assessments'."""
    synthetic = "synthetic" in benchmark_kind(results)
    return "synthetic peer group" if synthetic else "peer group from the firm's own assessments"


def weakest_peer_position(results: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The dimension title and peer position where the client ranks lowest among peers."""
    titles = {d["id"]: d["title"] for d in results["assessment"]["dimensions"]}
    placed = [
        (titles.get(k, k), p)
        for k, p in (results["benchmark"] or {}).get("dimensions", {}).items()
        if p and p["percentile"] is not None
    ]
    return min(placed, key=lambda tp: tp[1]["percentile"], default=None)


def role_extremes(row: dict[str, Any]) -> tuple[str, str] | None:
    """The highest- and lowest-scoring roles of a row of ``results['roles']`` (two different
    roles; ties broken by the role's name); None with fewer than two scored roles."""
    known = sorted(
        ((s, r) for r, s in row["scores"].items() if s is not None), key=lambda sr: (sr[0], sr[1])
    )
    if len(known) < 2:
        return None
    return known[-1][1], known[0][1]


def widest_role_gap(results: dict[str, Any]) -> dict[str, Any] | None:
    """The dimension row of ``results['roles']`` whose roles are furthest apart."""
    rows = [r for r in results["roles"] if r["dimension"] != "overall" and r["spread"] is not None]
    return max(rows, key=lambda r: r["spread"], default=None)


def biggest_moves(results: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The progress rows of the dimension that rose most and of the one that fell most, by the
    change as shown (each None when no dimension's shown score moved that way)."""
    rows = [d for d in (results["progress"] or {}).get("dimensions", []) if d["change"] is not None]
    up = max(rows, key=lambda d: d["change"], default=None)
    down = min(rows, key=lambda d: d["change"], default=None)
    return (up if up and up["change"] > 0 else None), (
        down if down and down["change"] < 0 else None
    )


def overall_change(results: dict[str, Any]) -> float | None:
    """The change in the overall score since the baseline wave, as shown; None with one wave."""
    return ((results["progress"] or {}).get("overall") or {}).get("change")
