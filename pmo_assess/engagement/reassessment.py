"""Re-assessment of a PMO: how the scores moved between waves, which roadmap actions were done
by the latest wave's date against those due, and the roadmap that remains.

Every function takes the store and a client's slug and reads the client's latest engagement. A
client with a single wave gets a plain message saying how to record a second one, never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from pmo_assess.charts.style import NotebookFigure, notebook_figure
from pmo_assess.charts.trend import trend_chart
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.rounding import number_text, round_half_up
from pmo_assess.engagement.house_table import MISSING, HouseTable, house_table, is_missing
from pmo_assess.insight.recommendations import library_path, load_recommendations
from pmo_assess.insight.results import build_results
from pmo_assess.report.markup import esc
from pmo_assess.report.text.phrases import date_text, percent, plural
from pmo_assess.store.actions import action_decisions
from pmo_assess.store.questionnaires import engagement_questionnaire as kept_questionnaire
from pmo_assess.store.repository import Store

#: Decisions that commit to doing an action (``model.terms.ACTION_STATUSES`` holds them all).
COMMITTED = ("accepted", "in-progress", "done")
PLAN_COLUMNS = [
    "order",
    "phase_name",
    "title",
    "dimension_title",
    "effort",
    "duration_weeks",
    "start_week",
    "end_week",
    "benefit",
    "action_id",
    "status",
    "owner",
    "due_date",
]


@dataclass(frozen=True)
class Note:
    """A message for the consultant; shows as a highlighted paragraph in a notebook."""

    text: str

    def __str__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return (
            '<p style="border-left:4px solid #0072B2;padding:0.4em 0.8em;background:#F3F5F7">'
            f"{esc(self.text)}</p>"
        )


def one_wave_message(slug: str, wave: str) -> str:
    """What a client with one assessed wave is told: a re-assessment needs a second wave."""
    return (
        f"Client '{slug}' has one assessed wave so far ({wave}). A re-assessment compares two "
        "waves of the same questionnaire: record a second wave with a new label (e.g. "
        "'2027-Q1'), either by interviewing respondents in 02_interview.ipynb or by importing a "
        f"survey export with `pmo-assess import FILE --client {slug} --wave 2027-Q1`, then run "
        "this notebook again. Until then the tables below show the one wave."
    )


def latest_results(store: Store, slug: str) -> dict[str, Any]:
    """The results of the client's latest wave that holds answers (a wave just opened for
    interviews may have none yet)."""
    engagement = store.engagement(slug)
    answered = set(store.load_answers(slug, questionnaire_id=engagement.questionnaire_id)["wave"])
    waves = [w.label for w in store.waves(engagement.id) if w.label in answered]
    if not waves:
        raise PmoAssessError(
            f"Client '{slug}' has no answers yet: record interviews (02_interview.ipynb) or "
            f"import a survey (`pmo-assess import FILE --client {slug} --wave LABEL`) first."
        )
    return build_results(store, slug, waves[-1]).to_dict()


def reassessment_overview(store: Store, slug: str) -> Note:
    """One paragraph: the waves compared and the overall move against target, or why there is
    nothing to compare yet."""
    try:
        results = latest_results(store, slug)
    except PmoAssessError as exc:
        return Note(str(exc))
    if len(results["trend"]) < 2:
        return Note(one_wave_message(slug, results["wave"]["label"]))
    overall = results["progress"]["overall"]
    labels = [p["wave"] for p in results["trend"]]
    shown = _shown(int(results["scale"]["precision"]))
    met = sum(
        d["current"] is not None and d["target"] is not None and d["current"] >= d["target"]
        for d in results["progress"]["dimensions"]
    )
    return Note(
        f"Comparing {len(labels)} waves, {labels[0]} to {labels[-1]}: overall score "
        f"{shown(overall['baseline'])} → {shown(overall['current'])} against a mean target of "
        f"{shown(overall['target'])} ({progress_status(overall)}). "
        f"{met} of {len(results['progress']['dimensions'])} dimensions are at or above target."
    )


def progress_status(row: dict[str, Any]) -> str:
    """Progress to target in words: the share of the baseline's gap closed, "target met",
    "fell back" or "slipped below target" (a share past either end would mislead).

    >>> progress_status({"progress": 0.456, "baseline": 2.0, "current": 2.8, "target": 3.0})
    '46% of the gap closed'
    >>> progress_status({"progress": None, "baseline": 3.1, "current": 3.3, "target": 3.0})
    'target met'
    >>> progress_status({"progress": -0.2, "baseline": 2.3, "current": 2.1, "target": 3.0})
    'fell back'
    >>> progress_status({"progress": None, "baseline": 3.1, "current": 2.9, "target": 3.0})
    'slipped below target'
    """
    progress, current, target = row["progress"], row["current"], row["target"]
    if current is not None and target is not None and current >= target:
        return "target met"
    if progress is not None:
        return "fell back" if progress < 0 else f"{percent(min(progress, 1.0))} of the gap closed"
    if target is None or current is None:
        return "no target" if target is None else "no score"
    baseline = row.get("baseline")
    return "no baseline" if baseline is None else "slipped below target"


def wave_comparison(store: Store, slug: str) -> pd.DataFrame:
    """Scores per wave, one row for the overall score and one per top-level dimension, with the
    target, the change from the first wave to the latest and the progress to target.

    One column per assessed wave (oldest first). Scores are rounded to the questionnaire's
    precision, halves up, and the change is taken between the rounded scores, so it matches
    the scores shown; with one wave, change is empty (NaN)."""
    results = latest_results(store, slug)
    precision = int(results["scale"]["precision"])
    trend = results["trend"]
    progress = {p["dimension"]: p for p in (results["progress"] or {}).get("dimensions", [])}
    overall = (results["progress"] or {}).get("overall")
    dims = results["assessment"]["dimensions"]
    targets = [d["target"] for d in dims if d["target"] is not None]
    mean_target = sum(targets) / len(targets) if targets else None
    rows = [("overall", "Overall", [p["overall"] for p in trend], mean_target, overall)]
    rows += [
        (
            d["id"],
            d["title"],
            [p["dimensions"].get(d["id"]) for p in trend],
            d["target"],
            progress.get(d["id"]),
        )
        for d in dims
    ]
    table = pd.DataFrame(
        [
            {"dimension": key, "title": title}
            | {p["wave"]: _round(s, precision) for p, s in zip(trend, scores, strict=True)}
            | {
                "target": target,
                "change": _change(scores, precision),
                "progress": progress_status(moved) if moved else None,
            }
            for key, title, scores, target, moved in rows
        ]
    )
    return table.astype({"change": float, "target": float})


def _round(value: float | None, precision: int) -> float | None:
    return None if value is None else round_half_up(value, precision)


def _change(scores: list[float | None], precision: int) -> float | None:
    first, last = scores[0], scores[-1]
    if len(scores) < 2 or first is None or last is None:
        return None
    return round_half_up(
        round_half_up(last, precision) - round_half_up(first, precision), precision
    )


def wave_comparison_table(store: Store, slug: str) -> HouseTable:
    """:func:`wave_comparison` as a table for the client: scores at the questionnaire's
    precision, the change signed."""
    table = wave_comparison(store, slug).drop(columns="dimension")
    precision = int(latest_results(store, slug)["scale"]["precision"])
    scores = [c for c in table.columns if c not in ("title", "progress", "change")]
    return house_table(
        table,
        labels={"title": "Dimension", "progress": "Progress to target"},
        formats={
            **dict.fromkeys(scores, _shown(precision)),
            "change": _shown(precision, signed=True),
        },
        missing_note="not assessed in that wave, no target set, or only one wave so far.",
        notes=("Change: the latest wave's score minus the first wave's, as shown.",),
    )


def _shown(precision: int, signed: bool = False) -> Callable[[Any], str]:
    """A column format: the value at ``precision`` decimals, halves up; "—" when missing."""

    def text(value: Any) -> str:
        if is_missing(value):
            return MISSING
        shown = number_text(float(value), precision)
        return f"+{shown}" if signed and float(shown) > 0 else shown

    return text


def comparison_chart(store: Store, slug: str) -> NotebookFigure | Note:
    """Scores per wave as small multiples in the report's style, as a notebook displays it; the
    one-wave message instead when there is nothing to compare."""
    results = latest_results(store, slug)
    if len(results["trend"]) < 2:
        return Note(one_wave_message(slug, results["wave"]["label"]))
    questionnaire = kept_questionnaire(store.workspace, store.engagement(slug))
    figure = trend_chart(results, questionnaire)
    assert figure is not None  # two waves always draw
    return notebook_figure(figure)


@dataclass(frozen=True)
class ActionProgress:
    """Roadmap actions done against those planned, as of a date (the latest wave's)."""

    as_of: date
    counts: dict[str, int]
    frame: pd.DataFrame
    summary: Note

    @property
    def table(self) -> HouseTable:
        """The decisions in words: where each action stands, soonest due first."""
        return house_table(
            self.frame,
            labels={
                "title": "Action",
                "state": "Where it stands",
                "status": "Decision",
                "due_date": "Due",
                "due_by_then": f"Due by {self.as_of.day} {self.as_of:%b %Y}",
                "action_id": "Action ID",
            },
            formats={"status": _word, "state": _word, "due_date": "date"},
            main=["title", "state", "status", "owner", "due_date", "due_by_then"],
            key="title",
            missing_note="no owner or due date recorded in 04_implementation_plan.",
        )


def decisions(store: Store, slug: str) -> pd.DataFrame:
    """The roadmap decisions recorded for the client's latest engagement (one row per action)."""
    engagement = store.engagement(slug)
    columns = ["action_id", "status", "owner", "due_date", "note"]
    rows = [{c: getattr(d, c) for c in columns} for d in action_decisions(store, engagement.id)]
    rows.sort(key=lambda r: (r["due_date"] is None, r["due_date"] or date.min, r["action_id"]))
    return pd.DataFrame(rows, columns=columns)


def action_progress(store: Store, slug: str, as_of: date | None = None) -> ActionProgress:
    """Actions done against actions due: planned means accepted (or under way, or done) with a
    due date; due means planned with a due date on or before ``as_of``, by default the latest
    wave's date (today when the wave has none)."""
    results = latest_results(store, slug)
    held_on = results["wave"]["held_on"]
    as_of = as_of or (date.fromisoformat(held_on) if held_on else date.today())
    table = decisions(store, slug)
    titles = _titles(store, results)
    table.insert(
        1,
        "title",
        [
            titles.get(a, f"{a} (no longer in the recommendations library)")
            for a in table["action_id"]
        ],
    )
    committed = table["status"].isin(COMMITTED)
    planned = committed & table["due_date"].notna()
    due = planned & table["due_date"].map(lambda d: d is not None and d <= as_of)
    done = table["status"] == "done"
    table["due_by_then"] = due
    table["state"] = [
        _state(s, p, d) for s, p, d in zip(table["status"], planned, due, strict=True)
    ]
    counts = {
        "planned": int(planned.sum()),
        "due": int(due.sum()),
        "done": int(done.sum()),
        "done of due": int((due & done).sum()),
        "overdue": int((due & ~done).sum()),
        "not yet due": int((planned & ~due & ~done).sum()),
        "no due date": int((committed & ~planned).sum()),
        "dropped": int((table["status"] == "dropped").sum()),
        "proposed": int((table["status"] == "proposed").sum()),
    }
    return ActionProgress(as_of, counts, table, Note(_progress_sentence(counts, as_of, table)))


def _titles(store: Store, results: dict[str, Any]) -> dict[str, str]:
    questionnaire = kept_questionnaire(store.workspace, store.engagement(results["client"]["slug"]))
    path = library_path(questionnaire)
    if not path.is_file():
        return {}
    return {a.id: a.title for a in load_recommendations(path, questionnaire).actions}


def _state(status: str, planned: bool, due: bool) -> str:
    if status == "done":
        return "done"
    if status in ("dropped", "proposed"):
        return "dropped" if status == "dropped" else "not decided"
    if not planned:
        return "no due date"
    return "overdue" if due else "not yet due"


def _progress_sentence(counts: dict[str, int], as_of: date, table: pd.DataFrame) -> str:
    if table.empty:
        return (
            "No roadmap decisions are recorded for this engagement yet: accept actions with "
            "owners and due dates in 04_implementation_plan.ipynb, then come back here."
        )
    when = date_text(as_of.isoformat())
    if not counts["due"]:
        text = f"No planned action was due by {when}"
    else:
        share = percent(counts["done of due"] / counts["due"])
        text = (
            f"By {when}, {counts['done of due']} of {plural(counts['due'], 'action')} due "
            f"were done ({share}); {counts['overdue']} overdue"
        )
    return (
        f"{text}. {plural(counts['done'], 'action')} done in all, "
        f"{counts['not yet due']} planned for later, {counts['no due date']} without a due date."
    )


@dataclass(frozen=True)
class UpdatedRoadmap:
    """The latest wave's roadmap without the actions already done, with the decisions so far."""

    frame: pd.DataFrame
    done_removed: tuple[str, ...]
    summary: Note

    @property
    def table(self) -> HouseTable:
        """The remaining actions in roadmap order, the planning details under "More columns"."""
        return house_table(
            self.frame,
            labels={
                "order": "#",
                "phase_name": "Phase",
                "title": "Action",
                "dimension_title": "Dimension",
                "status": "Decision",
                "due_date": "Due",
                "duration_weeks": "Weeks",
                "start_week": "Starts in week",
                "end_week": "Ends in week",
                "action_id": "Action ID",
            },
            formats={"status": _word, "benefit": _word, "due_date": "date", "order": "integer"},
            main=["order", "title", "dimension_title", "phase_name", "status", "owner", "due_date"],
            key="title",
            missing_note="no owner or due date decided yet (04_implementation_plan).",
        )


def updated_roadmap(store: Store, slug: str) -> UpdatedRoadmap:
    """The roadmap of the latest wave (``results["roadmap"]``) with done actions removed; each
    remaining action carries its recorded status, owner and due date ("not decided" when none)."""
    results = latest_results(store, slug)
    items = pd.DataFrame(results["roadmap"]["items"], columns=PLAN_COLUMNS[:10])
    recorded = decisions(store, slug).drop(columns="note")
    merged = items.merge(recorded, on="action_id", how="left")
    merged["status"] = merged["status"].fillna("not decided")
    merged["owner"] = merged["owner"].astype(object).where(merged["owner"].notna(), None)
    merged["due_date"] = merged["due_date"].astype(object).where(merged["due_date"].notna(), None)
    done = tuple(merged.loc[merged["status"] == "done", "action_id"])
    remaining = merged[merged["status"] != "done"].reset_index(drop=True)[PLAN_COLUMNS]
    if items.empty:
        text = "The latest wave meets every target: the roadmap holds no actions."
    else:
        text = (
            f"The roadmap of wave {results['wave']['label']} holds {plural(len(items), 'action')}; "
            f"{len(done)} already done {'is' if len(done) == 1 else 'are'} left out, "
            f"{len(remaining)} remain."
        )
    return UpdatedRoadmap(remaining, done, Note(text))


def _word(value: Any) -> str:
    """A status or benefit slug in words: "in-progress" -> "In progress"."""
    return MISSING if is_missing(value) else str(value).replace("-", " ").capitalize()
