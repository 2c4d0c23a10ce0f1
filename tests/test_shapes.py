"""Engagements of every shape (tests/engagements.py) built in-process, and what the report says.

For each drawn engagement: the results build and meet their contract; the report's words and
HTML sections are written without an error; no "None", "nan" or brace leaks into them; a score
"of N" names the scale's top; level names come from the questionnaire; the numbers of the
headline and situation are numbers of the results as shown; counts in words match the table.

The invariants share one build per engagement: ``test_each_shape`` is one Hypothesis test
parametrised by invariant, and with a fixed seed every parametrisation draws the same
engagements, so each is built once and each invariant still fails, and shrinks, on its own.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from engagements import KINDS, Case, build_engagement, cases, user_strings
from hypothesis import HealthCheck, Phase, event, given, note, seed, settings
from hypothesis import strategies as st
from report_shapes import visible_chunks

from pmo_assess.core.rounding import number_text, round_half_up
from pmo_assess.insight.contract import check_results
from pmo_assess.insight.results import build_results, questionnaire_file
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.questionnaire import Questionnaire

# Per kind of questionnaire: 9 engagements for the results and words (63 in all), 2 for the
# sections, which draw every chart (14 in all); the whole file runs in about half a minute.
# Without the explain phase: it traces every line of every shrink step (SQLAlchemy, pandas),
# which took minutes and gigabytes for one failure.
QUICK = settings(
    deadline=None,
    phases=[p for p in Phase if p != Phase.explain],
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SECTIONS = (
    "cover",
    "contents",
    "executive_summary",
    "scorecard",
    "maturity_profile",
    "question_detail",
    "agreement",
    "peers",
    "trend",
    "roadmap",
    "engagement_frame",
    "methodology",
)
# "None of the 4 dimensions" is English; a None of Python's is any other "None".
LEAK = re.compile(r"\bNone\b(?! of the\b)|\bnan\b|\bNaN\b|[{}]")
COUNT_NOUN = (
    r"(?:questions?|dimensions?|respondents?|organisations?|people|actions?|roles?|answers?"
    r"|benefits?|peers?|waves?|functions?|objectives?|months?|weeks?)"
)
# A score "of" the scale's top: "2.9 of 5", "64 of 100"; not a count ("3 of 12 dimensions").
SCORE_OF = re.compile(
    rf"(?<![\w.])(\d+(?:\.\d+)?) of (\d+(?:\.\d+)?)(?![\w.%])(?!\s+(?:the\s+)?(?:[\w-]+\s+)?{COUNT_NOUN}\b)"
)
# The summary's card: "2.9" above "Overall score of 5 · Repeatable".
CARD_OF = re.compile(r"\b(?:maturity|score) of (\d+(?:\.\d+)?) ·")
DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d+(?![\w.%])")
IN_CONTEXT = re.compile(
    r"target of (-?\d+(?:\.\d+)?)|(-?\d+(?:\.\d+)?) below|scores (-?\d+(?:\.\d+)?)"
)
SMALL_NUMBERS = "zero one two three four five six seven eight nine ten eleven twelve thirteen "
NUMBER_WORDS = {w: i for i, w in enumerate((SMALL_NUMBERS + "fourteen fifteen").split())}
NUMBER_WORDS |= {"none": 0, "neither": 0}  # "Neither of the 2 dimensions meets its target"
# A share of the dimensions and what it says of them: "Two of the 5 dimensions meet their
# target", "Neither of the 2 dimensions meets its target yet", "Both dimensions with a target
# meet it", "all 12 dimensions are still below target", "the one dimension is still below".
SHARE = re.compile(
    r"\b(?:(?P<part>\w+) of the (?P<whole>\d+)|[Aa]ll (?P<many>\d+)|(?P<both>[Bb]oth)|the one) "
    r"dimensions? (?:with a target )?(?P<verb>meets? (?:its|their) target|meets? it|meet or exceed"
    r"|(?:is|are) still below target)"
)
# SQLite commits each write with an fsync; a workspace in memory makes them free where there is one.
SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None

_built: dict[str, tuple[dict[str, Any], Questionnaire]] = {}


def results_of(case: Case) -> tuple[dict[str, Any], Questionnaire]:
    """The case's results dict and questionnaire, built in a temporary workspace (once per case)."""
    key = json.dumps(case.questionnaire, sort_keys=True, default=str) + repr(case.plan)
    if key not in _built:
        with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
            store, slug = build_engagement(Path(tmp), case.questionnaire, case.plan)
            try:
                results = build_results(store, slug).to_dict()
                questionnaire = load_questionnaire(questionnaire_file(store, slug))
            finally:
                store.close()
        if len(_built) > 200:
            _built.clear()
        _built[key] = (results, questionnaire)
    return _built[key]


def report_words(results: dict[str, Any], questionnaire: Questionnaire) -> dict[str, str]:
    """Every sentence of ``pmo_assess.report.text`` for the results, by where it stands."""
    from pmo_assess.report import text  # here, so the results properties run while it is broken

    summary = text.executive_summary(results)
    words = {n: getattr(summary, n) for n in ("headline", "situation", "implications", "source")}
    words |= {f"finding {i}": f for i, f in enumerate(summary.findings, 1)}
    for i, item in enumerate(summary.priorities, 1):
        words[f"priority {i}"] = item if isinstance(item, str) else f"{item[0]} ({item[1]})"
    for name in sorted(n for n in text.__all__ if n.endswith("_title")):
        title = getattr(text, name)(results)
        if title is not None:
            words[name], words[f"{name} source"] = title.text, title.source_line
    for step in text.engagement_frame(results):
        words[f"frame: {step.step}"] = f"{step.label}. {step.explanation}"
    words["functions in scope"] = text.functions_in_scope_text(results)
    notes = text.methodology_notes(results, questionnaire)
    return words | {f"note: {k}": v for k, v in notes.items()}


def leaks(case: Case, words: dict[str, str]) -> list[str]:
    """Sentences showing None, nan or a brace once the author's own texts (a level called
    "None", a title with braces) are taken out, each as a whole word: a label "No" must not
    hide a leaked "None"."""
    own = re.compile("|".join(rf"(?<!\w){re.escape(t)}(?!\w)" for t in user_strings(case)))
    return [f"{where}: {s!r}" for where, s in words.items() if LEAK.search(own.sub(" ", s))]


def wrong_tops(results: dict[str, Any], words: dict[str, str]) -> list[str]:
    """Sentences where a score is "of" something other than the scale's top."""
    top = f"{results['scale']['high']:g}"
    found = []
    for where, sentence in words.items():
        named = [m[2] for m in SCORE_OF.finditer(sentence)] + CARD_OF.findall(sentence)
        found += [f"{where}: 'of {n}', not 'of {top}': {sentence!r}" for n in named if n != top]
    return found


def check_leaks_and_tops(case: Case, results: dict[str, Any], words: dict[str, str]) -> None:
    assert not leaks(case, words), leaks(case, words)
    assert not wrong_tops(results, words), wrong_tops(results, words)


def check_levels(case: Case, results: dict[str, Any], words: dict[str, str]) -> None:
    """Level names in the headline (and the situation) are the questionnaire's, with their number."""
    names = {lv["name"] for lv in case.questionnaire["levels"]}
    bands = {(str(b["number"]), b["name"]) for b in results["scale"]["levels"]}
    for where in ("headline", "situation"):
        sentence = words[where]
        for number, name in re.findall(r"\blevel (\d+) \(([^(),]+), ", sentence) + re.findall(
            r"\bwhich is level (\d+), ([^.]+)\.", sentence
        ):
            assert name in names, (
                f"{where}: level name {name!r} not in {sorted(names)}: {sentence!r}"
            )
            assert (number, name) in bands, f"{where}: level {number} is not {name!r}: {sentence!r}"


def shown_values(results: dict[str, Any]) -> set[str]:
    """Every score-like number of the results as shown: scores, targets, gaps, the mean target,
    their shown differences, and the progress figures."""
    p = results["scale"]["precision"]
    values: list[float | None] = [results["assessment"]["overall"]["score"]]
    stack = list(results["assessment"]["dimensions"])
    while stack:
        node = stack.pop()
        stack += node.get("children") or []
        values += [node["score"], node["target"], node["gap"]]
        if node["score"] is not None and node["target"] is not None:
            values.append(round_half_up(node["target"], p) - round_half_up(node["score"], p))
    targets = [d["target"] for d in results["assessment"]["dimensions"] if d["target"] is not None]
    overall = results["assessment"]["overall"]["score"]
    if targets:
        mean = sum(targets) / len(targets)
        values.append(mean)
        if overall is not None:
            values.append(round_half_up(mean, p) - round_half_up(overall, p))
    values += [g["gap"] for g in results["gaps"]]
    progress = results["progress"] or {}
    for row in [progress.get("overall") or {}, *progress.get("dimensions", [])]:
        values += [row.get(k) for k in ("baseline", "current", "target", "change")]
    found = {number_text(v, p) for v in values if v is not None}
    found |= {number_text(abs(v), p) for v in values if v is not None}
    return found | {f"{results['scale'][end]:g}" for end in ("low", "high")}


def check_numbers(case: Case, results: dict[str, Any], words: dict[str, str]) -> None:
    """Each score-like number of the headline and situation is a value of the results as shown."""
    known = shown_values(results)
    for where in ("headline", "situation"):
        sentence = words[where]
        numbers = DECIMAL.findall(sentence) + [m[1] for m in SCORE_OF.finditer(sentence)]
        numbers += [n for group in IN_CONTEXT.findall(sentence) for n in group if n]
        stray = sorted(set(numbers) - known)
        assert not stray, (
            f"{where}: {stray} are no values of the results ({sorted(known)}): {sentence!r}"
        )


def count(word: str) -> int:
    """A count as written: digits or a word ("Three", "one", "None", "Neither")."""
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def claimed(match: re.Match[str]) -> tuple[int, int]:
    """(part, whole) of a :data:`SHARE` match: "2 of the 5" is (2, 5), "Neither of the 2"
    (0, 2), "both" (2, 2), "all 12" (12, 12), "the one" (1, 1)."""
    if match["part"]:
        return count(match["part"]), int(match["whole"])
    if match["many"]:
        return int(match["many"]), int(match["many"])
    return (2, 2) if match["both"] else (1, 1)


def check_counts(case: Case, results: dict[str, Any], words: dict[str, str]) -> None:
    """Counts in words match the scorecard's rows: in "<N> of the <M> dimensions meet their
    target" (or "are still below target"), M is the number of top dimensions with a score and
    a target, N those that meet it as shown (or fall short); "Across the <K> dimensions" counts
    every top dimension."""
    p = results["scale"]["precision"]
    tops = results["assessment"]["dimensions"]
    targeted = [d for d in tops if d["score"] is not None and d["target"] is not None]
    met = sum(round_half_up(d["score"], p) >= round_half_up(d["target"], p) for d in targeted)
    short, total = len(targeted) - met, len(targeted)
    for where in ("scorecard_title", "headline", "situation"):
        sentence = words[where]
        for match in SHARE.finditer(sentence):
            part, whole = claimed(match)
            wanted = (short if "below" in match["verb"] else met, total)
            assert (part, whole) == wanted, (
                f"{where} says {match[0]!r}: {part} of {whole}, the scorecard has {wanted[0]} "
                f"of {total} ({total} with a score and a target, {met} meeting it): {sentence!r}"
            )
        for number in re.findall(r"\bwith (\w+) dimensions? still below target", sentence):
            assert count(number) == short, (
                f"{where}: {short} below target, not {number}: {sentence!r}"
            )
        for number in re.findall(r"\b(?:Across|On) the (\w+) dimensions? of\b", sentence):
            assert count(number) == len(tops), f"{where}: {len(tops)} dimensions: {sentence!r}"


INVARIANTS: dict[str, Callable[[Case, dict[str, Any], dict[str, str]], None]] = {
    "no leaks, scores of the top": check_leaks_and_tops,
    "level names": check_levels,
    "numbers of the results": check_numbers,
    "counts": check_counts,
}


def shapes(case: Case, results: dict[str, Any]) -> list[str]:
    """The edge shapes a case has, to count how often the strategies reach them."""
    waves, plan = results["trend"], case.plan
    codes = [{p.code for p in w.people} for w in plan.waves]
    found = {
        f"questionnaire {case.scale}": True,
        f"{len(plan.waves)} wave(s)": True,
        "one respondent": results["respondents"]["total"] == 1,
        "a top dimension all N/A": any(w.all_na for w in plan.waves),
        "a wave of only Don't know": any(w.pattern == "dont-know-only" for w in plan.waves),
        "codes kept across waves": any(a & b for a, b in pairwise(codes)),
        "all new codes in a later wave": any(not a & b for a, b in pairwise(codes)),
        "no targets": all(d["target"] is None for d in results["assessment"]["dimensions"]),
        "overall unscored": results["assessment"]["overall"]["score"] is None,
        "library": results["roadmap"]["library"] is not None,
        "peers shown": bool((results["benchmark"] or {}).get("available")),
        "long title": any(len(t) >= 80 for t in user_strings(case)),
        f"{len(waves)} scored wave(s)": True,
    }
    return [name for name, present in found.items() if present]


# pytest-hypothesis gives each parametrisation its own derandomized seed; one fixed seed makes
# the invariants of a kind draw the same engagements, so each is built once (see results_of).
@pytest.mark.parametrize("invariant", ["results contract", *INVARIANTS])
@pytest.mark.parametrize("kind", KINDS)
@settings(QUICK, max_examples=9)
@seed(20261128)
@given(data=st.data())
def test_each_shape(kind: str, invariant: str, data: st.DataObject) -> None:
    case = data.draw(cases(kind), label="case")
    note(f"shape: {case!r}")  # the full case above is exact; this line is readable
    results, questionnaire = results_of(case)
    if invariant == "results contract":
        for shape in shapes(case, results):
            event(shape)  # counted by pytest --hypothesis-show-statistics
        check_results(results)
    else:
        INVARIANTS[invariant](case, results, report_words(results, questionnaire))


def visible_text(markup: str) -> str:
    return " | ".join(visible_chunks(markup))


@pytest.mark.parametrize("kind", KINDS)
@settings(QUICK, max_examples=2)
@given(data=st.data())
def test_the_sections(kind: str, data: st.DataObject) -> None:
    from pmo_assess.report.branding import Branding
    from pmo_assess.report.sections import ReportBook

    case = data.draw(cases(kind), label="case")
    note(f"shape: {case!r}")
    results, questionnaire = results_of(case)
    book = ReportBook(results, Branding(), questionnaire)
    shown = {name: visible_text(getattr(book, name)().markup) for name in SECTIONS}
    assert not leaks(case, shown), leaks(case, shown)
    assert not wrong_tops(results, shown), wrong_tops(results, shown)
