"""The executive summary, and the phrasing and facts every part of the report's words shares.

Everything here takes the results dict of one client and wave (``ClientResults.to_dict()``) and
returns plain text (the renderer escapes it): scores with one decimal, shares as whole
percentages, n beside every statistic, synthetic benchmarks called synthetic. The exhibits'
action titles, the engagement frame and the appendix notes build on this module in
:mod:`pmo_assess.report_text`, which also re-exports :func:`executive_summary`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from pmo_assess.errors import PmoAssessError

#: The questionnaires shipped score 1 to 5 and start a level at each whole number.
SCALE_TOP = 5
#: Below this coverage the scoring engine flags a dimension as insufficient evidence.
MIN_COVERAGE = 0.5
#: A spread between roles of a full level or more counts as a perception gap.
PERCEPTION_GAP = 1.0
#: (singular, plural) nouns of the respondent roles; other roles are written as given.
ROLE_NOUNS = {
    "executive": ("executive", "executives"),
    "pmo": ("PMO member", "PMO members"),
    "project-manager": ("project manager", "project managers"),
    "team-member": ("team member", "team members"),
    "finance": ("finance respondent", "finance respondents"),
    "unspecified": ("respondent with no stated role", "respondents with no stated role"),
}
#: Exhibit kinds with a source line; "gaps", "peers" and "roles" are the renderer's names.
EXHIBITS = "summary scorecard radar gap gaps heatmap agreement roles peer peers trend roadmap"
_SMALL = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


#: The five benefits a PMO brings, for engagements whose questionnaire has no library.
BENEFITS = (
    "higher project success rates",
    "lower project costs",
    "greater efficiency",
    "better decisions and communication",
    "closer alignment with strategy",
)


class Priority(NamedTuple):
    """A top priority: a roadmap action and its dimension."""

    title: str
    dimension: str


@dataclass(frozen=True)
class Summary:
    """The one-page executive summary: ``priorities`` holds the roadmap's first three actions,
    or one sentence saying why there are none."""

    headline: str
    situation: str
    findings: tuple[str, ...]
    implications: str
    priorities: tuple[Priority | str, ...]
    source: str


# --- formatting -----------------------------------------------------------------------------


def score_text(value: float | None) -> str:
    """A maturity score with one decimal.

    >>> score_text(2.4499), score_text(3), score_text(None)
    ('2.4', '3.0', 'no score')
    """
    return "no score" if value is None else f"{value:.1f}"


def percent(share: float) -> str:
    """A share as a whole percentage that never rounds a part up to all or down to nothing.

    >>> percent(0.912), percent(0.998), percent(0.002), percent(1.0), percent(0.0)
    ('91%', '99%', '1%', '100%', '0%')
    """
    value = round(share * 100)
    if 0 < share < 1:
        value = min(max(value, 1), 99)
    return f"{value}%"


def ordinal(n: int) -> str:
    """An ordinal number in digits.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 63, 101, 111)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '63rd', '101st', '111th']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def percentile_text(percentile: float) -> str:
    """A percentile rank in words; 0 and 100 as the ends of the group.

    >>> percentile_text(65.2), percentile_text(0.0), percentile_text(100.0)
    ('65th percentile', 'bottom of the group', 'top of the group')
    """
    value = round(percentile)
    if value <= 0 or value >= 100:
        return "bottom of the group" if value <= 0 else "top of the group"
    return f"{ordinal(value)} percentile"


def ahead_of_text(percentile: float, peers: str = "peers") -> str:
    """The share of peers scoring below the client, as a phrase.

    >>> ahead_of_text(65.2), ahead_of_text(100, "synthetic peers"), ahead_of_text(0)
    ('ahead of 65% of peers', 'ahead of every one of its synthetic peers', 'behind all of its peers')
    """
    value = round(percentile)
    if value >= 100:
        return f"ahead of every one of its {peers}"
    return f"behind all of its {peers}" if value <= 0 else f"ahead of {value}% of {peers}"


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """A count with its noun, singular for one.

    >>> plural(1, "respondent"), plural(7, "respondent"), plural(2, "PMO member", "PMO members")
    ('1 respondent', '7 respondents', '2 PMO members')
    """
    return f"{n} {noun if n == 1 else nouns or noun + 's'}"


def counted(n: int, noun: str, nouns: str | None = None) -> str:
    """A count to begin a sentence with.

    >>> counted(1, "question"), counted(12, "dimension")
    ('One question', 'Twelve dimensions')
    """
    return f"{number_word(n, capital=True)} {noun if n == 1 else nouns or noun + 's'}"


def number_word(n: int, capital: bool = False) -> str:
    """A count in words, as a sentence must begin (digits from 100 on).

    >>> number_word(4), number_word(12, capital=True), number_word(30), number_word(62), number_word(120)
    ('four', 'Twelve', 'thirty', 'sixty-two', '120')
    """
    if n < 20:
        word = _SMALL[n]
    elif n < 100:
        word = _TENS[n // 10 - 2] + (f"-{_SMALL[n % 10]}" if n % 10 else "")
    else:
        word = str(n)
    return word[:1].upper() + word[1:] if capital else word


def join_list(items: list[str], plain: bool = False) -> str:
    """Items as prose: semicolons when an item has its own comma, a serial comma when an item
    has its own "and"; ``plain`` joins with commas whatever the items hold (quoted texts).

    >>> join_list(["A"]), join_list(["A", "B"]), join_list(["A", "B", "C"])
    ('A', 'A and B', 'A, B and C')
    >>> join_list(["Lessons, Knowledge", "Risk"]), join_list(["Tools and Templates", "Risk"])
    ('Lessons, Knowledge; and Risk', 'Tools and Templates, and Risk')
    """
    if len(items) < 2:
        return "".join(items)
    if not plain and any("," in item for item in items):
        return "; ".join(items[:-1]) + "; and " + items[-1]
    serial = "," if not plain and any(" and " in item for item in items) else ""
    return ", ".join(items[:-1]) + f"{serial} and " + items[-1]


def difference(high: float, low: float) -> str:
    """The difference of two scores as printed, so that the words add up.

    >>> difference(3.125, 2.894), difference(3.46, 2.04)  # 3.1 - 2.9, 3.5 - 2.0
    ('0.2', '1.5')
    """
    return score_text(round(high, 1) - round(low, 1))


def points(value: float) -> str:
    """A number of scale points, without a needless decimal.

    >>> points(2.0), points(1.5)
    ('2', '1.5')
    """
    return f"{value:g}" if value == int(value) else score_text(value)


def date_text(iso: str | None) -> str | None:
    """An ISO date as people write it.

    >>> date_text("2026-08-03")
    '3 August 2026'
    """
    return None if iso is None else f"{date.fromisoformat(iso).day} {date.fromisoformat(iso):%B %Y}"


def cap(text: str) -> str:
    """The text with its first letter capitalised, the rest untouched.

    >>> cap("the PMO member")
    'The PMO member'
    """
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """The text with its first letter in lower case, unless it opens with an acronym.

    >>> lower_first("Higher project success rates"), lower_first("PMO reviews")
    ('higher project success rates', 'PMO reviews')
    """
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def role_group(role: str, n: int) -> str:
    """A role's respondents as a group that names its size.

    >>> role_group("executive", 1), role_group("project-manager", 2)
    ('the executive', 'the 2 project managers')
    """
    one, many = ROLE_NOUNS.get(role, (role.replace("-", " "), role.replace("-", " ") + "s"))
    return f"the {one}" if n == 1 else f"the {n} {many}"


def roles_breakdown(by_role: dict[str, int]) -> str:
    """Respondents counted by role, as prose.

    >>> roles_breakdown({"executive": 1, "project-manager": 2})
    '1 executive and 2 project managers'
    """
    names = {
        r: ROLE_NOUNS.get(r, (r.replace("-", " "), r.replace("-", " ") + "s")) for r in by_role
    }
    return join_list([plural(n, *names[r]) for r, n in by_role.items()])


# --- facts read from the results -------------------------------------------------------------


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
    """The level a score reaches: from the questionnaire's levels when the results carry them,
    else one level per whole number of the 1-to-5 scale."""
    levels = results["questionnaire"].get("levels")
    if levels:
        return sum(1 for level in levels if level["min"] <= score + 1e-9)
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


def change_text(before: float, after: float) -> str:
    """A score's change between two waves, as a phrase.

    >>> change_text(2.62, 2.89), change_text(3.1, 2.9), change_text(2.0, 2.02)
    ('risen from 2.6 to 2.9', 'fallen from 3.1 to 2.9', 'held steady at 2.0')
    """
    if abs(after - before) < 0.05:
        return f"held steady at {score_text(after)}"
    verb = "risen" if after > before else "fallen"
    return f"{verb} from {score_text(before)} to {score_text(after)}"


def signed(value: float) -> str:
    """A change in score with its sign.

    >>> signed(1.01), signed(-0.84)
    ('+1.0', '-0.8')
    """
    return f"{value:+.1f}"


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


def exhibit_source(results: dict[str, Any], kind: str) -> str:
    """The source line of an exhibit of one of :data:`EXHIBITS`."""
    if kind not in EXHIBITS.split():
        raise PmoAssessError(
            f"Unknown exhibit kind '{kind}' for a source line. Kinds: {', '.join(EXHIBITS.split())}."
        )
    q, wave = results["questionnaire"], results["wave"]
    total = plural(results["respondents"]["total"], "respondent")
    roles = len(results["respondents"]["by_role"])
    people = total + (f" ({plural(roles, 'role')})" if roles > 1 else "")
    when = f"wave {wave['label']}" + (f" ({date_text(wave['held_on'])})" if wave["held_on"] else "")
    peers = peer_set_text(results)
    peer_part = f"peer set of {peers}, {benchmark_kind(results)}" if peers else None
    base = f"Source: {q['title']} {q['version']}; {people}, {when}"
    if kind in ("heatmap", "agreement", "roles"):
        return f"Source: {q['title']} {q['version']}; {respondents_text(results)}, {when}"
    if kind == "trend":
        labels = join_list([w["wave"] for w in results["trend"]])
        return f"Source: {q['title']} {q['version']}; waves {labels}; {total} in the latest wave"
    if kind == "roadmap":
        library = results["roadmap"]["library"]
        named = f"actions from library {library['id']} {library['version']}" if library else ""
        return f"Source: gaps to target in {when}, {total}" + (f"; {named}" if named else "")
    if kind in ("gap", "gaps", "scorecard"):
        return f"{base}; targets set for this engagement"
    if kind in ("peer", "peers"):
        return f"{base}; " + (peer_part or f"no peer comparison, as {no_peers_reason(results)}")
    return f"{base}; {peer_part}" if kind == "summary" and peer_part else base


# --- the executive summary ------------------------------------------------------------


def executive_summary(results: dict[str, Any]) -> Summary:
    """The executive summary of one client's wave.

    Examples
    --------
    >>> import tempfile
    >>> from pmo_assess.demo import build_demo_workspace
    >>> from pmo_assess.results import build_results
    >>> from pmo_assess.store import Store
    >>> with tempfile.TemporaryDirectory() as tmp, Store.open(workspace=tmp) as store:
    ...     _ = build_demo_workspace(store, clients=1)
    ...     results = build_results(store, "quellbach-prazision").to_dict()
    >>> print(executive_summary(results).headline)  # doctest: +NORMALIZE_WHITESPACE
    Quellbach Präzision's PMO is at level 2 (Repeatable, 2.9 of 5), 0.2 below its average
    target of 3.1, and ahead of 65% of synthetic peers
    """
    findings = [_profile(results), _gaps(results), _peers(results)]
    findings += [f for f in (_progress(results), _perception(results)) if f]
    return Summary(
        headline=_headline(results),
        situation=_situation(results),
        findings=tuple(findings),
        implications=_implications(results),
        priorities=_priorities(results),
        source=exhibit_source(results, "summary"),
    )


def _headline(results: dict[str, Any]) -> str:
    overall = results["assessment"]["overall"]
    if overall["score"] is None:
        return f"{subject(results)} could not be scored: too few questions were answered"
    clauses = [level_phrase(results, overall["score"], overall["level"])]
    clauses += [c for c in (_target_clause(results), _peer_clause(results)) if c]
    if len(clauses) == 3:
        return f"{subject(results)} is at {clauses[0]}, {clauses[1]}, and {clauses[2]}"
    return f"{subject(results)} is at {' and '.join(clauses)}"


def _mean_target(results: dict[str, Any]) -> float | None:
    targets = [d["target"] for d in results["assessment"]["dimensions"] if d["target"] is not None]
    return sum(targets) / len(targets) if targets else None


def _target_clause(results: dict[str, Any]) -> str | None:
    target, score = _mean_target(results), results["assessment"]["overall"]["score"]
    if target is None or not targeted(results):
        return None
    if not below_target(results):
        return "meeting every target"
    uniform = len({g["target"] for g in targeted(results)}) == 1
    name = "its target" if uniform else "its average target"
    if round(target, 1) - round(score, 1) >= 0.05:
        return f"{difference(target, score)} below {name} of {score_text(target)}"
    short = below_target(results)
    return f"with {plural(len(short), 'dimension')} still below target"


def _peer_clause(results: dict[str, Any]) -> str | None:
    overall = ((results["benchmark"] or {}).get("overall")) or {}
    if not peer_set_text(results) or overall.get("percentile") is None:
        return None
    synthetic = "synthetic" in benchmark_kind(results)
    return ahead_of_text(overall["percentile"], "synthetic peers" if synthetic else "peers")


def _situation(results: dict[str, Any]) -> str:
    overall, wave = results["assessment"]["overall"], results["wave"]
    count = len(results["assessment"]["dimensions"])
    held = f", held on {date_text(wave['held_on'])}" if wave["held_on"] else ""
    first = f"{subject(results)} has no overall score: too few questions have a scored answer."
    if overall["score"] is not None:
        level = f"level {level_number(results, overall['score'])}"
        first = (
            f"Across the {count} dimensions of the {results['questionnaire']['title']}, "
            f"{subject(results)} scores {score_text(overall['score'])} of {SCALE_TOP}, which is "
            + (f"{level}, {overall['level']}." if overall["level"] else f"{level}.")
        )
    coverage = overall["coverage"] or 0.0
    answered = (
        "between them they gave a scored answer to every question in scope"
        if coverage >= 0.995
        else f"between them they gave a scored answer to {percent(coverage)} of the questions "
        "in scope" + (", too few for firm conclusions" if coverage < MIN_COVERAGE else "")
    )
    second = f"The result rests on {respondents_text(results)} in wave {wave['label']}{held}; {answered}."
    return f"{first} {second} {_target_sentence(results)}".strip()


def _target_sentence(results: dict[str, Any]) -> str:
    with_target, short = targeted(results), below_target(results)
    share = results["assessment"]["overall"]["percentage_to_target"]
    if not dimensions(results):
        return "Without reliable scores, the distance to target cannot be measured."
    if not with_target or share is None:
        return "No targets have been set yet, so the distance to target is not measured."
    if not short:
        return f"All {len(with_target)} dimensions with a target meet or exceed it."
    return (
        f"Counting each dimension only up to its target, the scores reach {percent(share)} of "
        f"the targets; {_share_of(len(short), len(with_target))} dimensions are still below target."
    )


def _share_of(part: int, whole: int) -> str:
    return f"all {whole}" if part == whole else f"{part} of the {whole}"


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


def _implications(results: dict[str, Any]) -> str:
    first = _benefit_sentence(results)
    kind, progress = results["engagement"]["kind"], results["progress"]
    if kind == "establish" and below_target(results):
        return f"{first} With the PMO still being set up, these are the foundations to lay first."
    change = overall_change(results)
    if change is not None and below_target(results):
        if change >= 0.05:
            return f"{first} The rise since wave {progress['baseline_wave']} shows that improvement is under way."
        if change <= -0.05:
            return (
                f"{first} The fall since wave {progress['baseline_wave']} needs explaining first."
            )
    return first


def _benefit_sentence(results: dict[str, Any]) -> str:
    short = [g for g in results["gaps"] if g["gap"] and g["gap"] > 0][:2]
    if not dimensions(results):
        return "More evidence is needed before the results can show where improvement pays off."
    if not targeted(results):
        return "Without agreed targets the results cannot yet show where improvement pays off most."
    if not short:
        return (
            "With every target met, the PMO is placed to deliver its benefits; the task now is "
            "to hold this level and decide whether higher targets would pay off."
        )
    names = join_list([g["title"] for g in short])
    library = results["roadmap"]["library"]
    items = [
        i for i in results["roadmap"]["items"] if i["dimension"] in {g["dimension"] for g in short}
    ]
    if not library or not items:
        new = results["engagement"]["kind"] == "establish"
        who = "a new PMO would struggle to deliver" if new else "the PMO cannot fully deliver"
        return (
            f"Closing the highest-priority gaps, in {names}, comes first: until then {who} "
            f"its benefits of {join_list(list(BENEFITS))}."
        )
    counted = Counter(i["benefit"] for i in items).most_common(2)
    benefits = [lower_first(library["benefits"].get(b, b)) for b, _ in counted]
    how_many = f"{number_word(len(benefits))} of the {number_word(len(library['benefits']))}"
    return (
        f"Closing the highest-priority gaps, in {names}, would do most for {how_many} benefits "
        f"a PMO exists to deliver: {join_list(benefits)}."
    )


def _priorities(results: dict[str, Any]) -> tuple[Priority | str, ...]:
    roadmap = results["roadmap"]
    if roadmap["library"] is None:
        return (
            f"No priorities are generated: the {results['questionnaire']['title']} has no "
            "library of improvement actions, so priorities are agreed with the client directly.",
        )
    if not roadmap["items"]:
        return ("Every dimension meets its target, so the roadmap adds no new actions.",)
    return tuple(Priority(i["title"], i["dimension_title"]) for i in roadmap["items"][:3])
