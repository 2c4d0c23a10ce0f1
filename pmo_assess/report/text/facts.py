"""Facts picked out of one client's results for the report's words.

Each function takes the results dict of one client and wave (``ClientResults.to_dict()``) and
returns a fact the summary, the action titles, the engagement frame or the notes state: the
scored dimensions, the gaps to target, the peer position, the widest gap between roles, the
biggest moves since the baseline wave. Phrasing comes from :mod:`pmo_assess.report.text.phrases`.
"""

from __future__ import annotations

import math
import re
from typing import Any

from pmo_assess.report.text.phrases import (
    ROLE_NOUNS,
    plural,
    role_group,
    roles_breakdown,
    score_text,
)

#: The questionnaires shipped score 1 to 5 and start a level at each whole number.
SCALE_TOP = 5
#: Below this coverage the scoring engine flags a dimension as insufficient evidence.
#: A spread between roles of a full level or more counts as a perception gap.
PERCEPTION_GAP = 1.0


def short_name(results: dict[str, Any]) -> str:
    """The client's name without a trailing "(fictional)", "(demo)" or "(sample)" note, which
    the cover shows and prose need not repeat; "(UK)" and the like stay."""
    name = results["client"]["name"]
    return re.sub(r"\s*\((fictional|demo|sample)\)$", "", name, flags=re.IGNORECASE) or name


def subject(results: dict[str, Any]) -> str:
    """What the assessment rates: the PMO, or for an establish engagement the practice or
    readiness it starts from."""
    name = short_name(results)
    owner = name + ("'" if name.endswith("s") else "'s")
    if results["engagement"]["kind"] != "establish":
        return f"{owner} PMO"
    readiness = "readiness" in results["questionnaire"]["id"]
    return f"{owner} readiness for a PMO" if readiness else f"{owner} project management practice"


def level_number(results: dict[str, Any], score: float) -> int:
    """The level a score reaches: one level per whole number of the 1-to-5 scale."""
    return max(1, min(SCALE_TOP, math.floor(score + 1e-9)))


def level_phrase(results: dict[str, Any], score: float, name: str | None) -> str:
    """'level 2 (Repeatable, 2.4 of 5)'."""
    named = f"{name}, " if name else ""
    return f"level {level_number(results, score)} ({named}{score_text(score)} of {SCALE_TOP})"


def dimensions(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Top-level dimensions with a score and sufficient evidence."""
    dims = results["assessment"]["dimensions"]
    return [d for d in dims if d["score"] is not None and not d["insufficient"]]


def below_target(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Gaps of dimensions below target, largest first."""
    found = [g for g in results["gaps"] if g["gap"] and g["gap"] > 0 and g["score"] is not None]
    return sorted(found, key=lambda g: -g["gap"])


def targeted(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Gaps of dimensions with both a score and a target."""
    return [g for g in results["gaps"] if g["score"] is not None and g["target"] is not None]


def respondents_text(results: dict[str, Any]) -> str:
    """'4 respondents in 3 roles (1 executive, ...)', '3 respondents (all project managers)'."""
    total, by_role = results["respondents"]["total"], results["respondents"]["by_role"]
    if len(by_role) > 1:
        return f"{plural(total, 'respondent')} in {len(by_role)} roles ({roles_breakdown(by_role)})"
    role = next(iter(by_role), "unspecified")
    many = ROLE_NOUNS.get(role, (role, role.replace("-", " ") + "s"))[1]
    return (
        f"1 respondent ({role_group(role, 1)})"
        if total == 1
        else f"{total} respondents (all {many})"
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


def no_peers_reason(results: dict[str, Any]) -> str:
    """Why no peer comparison is shown, as a clause."""
    bm = results["benchmark"]
    if bm is None:
        return f"no benchmark exists for the {results['questionnaire']['title']}"
    held = "no comparable organisations" if bm["n"] == 0 else f"only {bm['n']} comparable"
    held += "" if bm["n"] == 0 else (" organisation" if bm["n"] == 1 else " organisations")
    return f"the benchmark holds {held}, fewer than the minimum of {bm['min_peers']}"


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
    """The highest- and lowest-scoring roles of a row of ``results['roles']``."""
    known = {r: s for r, s in row["scores"].items() if s is not None}
    if len(known) < 2:
        return None
    return max(known, key=lambda r: known[r]), min(known, key=lambda r: known[r])


def widest_role_gap(results: dict[str, Any]) -> dict[str, Any] | None:
    """The dimension row of ``results['roles']`` whose roles are furthest apart."""
    rows = [r for r in results["roles"] if r["dimension"] != "overall" and r["spread"] is not None]
    return max(rows, key=lambda r: r["spread"], default=None)


def biggest_moves(results: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The progress rows of the dimension that rose most and of the one that fell most (each
    None when no dimension moved by at least 0.05 that way)."""
    rows = [
        d | {"change": d["current"] - d["baseline"]}
        for d in (results["progress"] or {}).get("dimensions", [])
        if d["current"] is not None and d["baseline"] is not None
    ]
    up = max(rows, key=lambda d: d["change"], default=None)
    down = min(rows, key=lambda d: d["change"], default=None)
    return (up if up and up["change"] >= 0.05 else None), (
        down if down and down["change"] <= -0.05 else None
    )


def overall_change(results: dict[str, Any]) -> float | None:
    """The change in the overall score since the baseline wave; None with one wave."""
    overall = (results["progress"] or {}).get("overall") or {}
    before, now = overall.get("baseline"), overall.get("current")
    return None if before is None or now is None else now - before
