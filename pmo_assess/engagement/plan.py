"""The implementation plan: the consultant's decisions on the roadmap's actions and the plan that
follows from them, as a table and an Excel workbook for the client's PMO lead (its Gantt chart is
:func:`pmo_assess.charts.plan.gantt_figure`).

The roadmap (:mod:`pmo_assess.insight.roadmap`) proposes actions. Each decision (accept, start, finish or
drop an action; name its owner; set its due date; add a note) is kept in the store per
engagement and action (:mod:`pmo_assess.store.actions`), so the plan outlives the kernel and the
re-assessment can compare what was planned with what was done. An action nobody has decided on
yet is ``proposed``. Dropped actions leave the plan but stay listed, with the reason noted.

The notebook shows the plan through :func:`plan_view` and :func:`dropped_view` (house tables with
the columns that matter in the room first) and the notebook links the workbook with :func:`pmo_assess.engagement.notebook.file_link`.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.workspace import inside
from pmo_assess.engagement.house_table import HouseTable, house_table
from pmo_assess.insight.recommendations import Recommendations, library_path, load_recommendations
from pmo_assess.insight.results import ClientResults, build_results
from pmo_assess.model.terms import ACTION_STATUSES
from pmo_assess.store.actions import OWNER_LENGTH, action_decisions, record_decision
from pmo_assess.store.questionnaires import engagement_questionnaire as kept_questionnaire
from pmo_assess.store.records import ActionRecord
from pmo_assess.store.repository import Store
from pmo_assess.store.workbook import Sheet, write_sheets

STATUSES = ACTION_STATUSES
UNDECIDED = "proposed"
DROPPED = "dropped"
COLUMNS = [
    "order",
    "action_id",
    "title",
    "dimension_title",
    "step",
    "effort",
    "phase_name",
    "start_week",
    "end_week",
    "starts_on",
    "ends_on",
    "status",
    "owner",
    "due_date",
    "note",
    "in_roadmap",
]
SHEET_HEADERS = {
    "order": "Order",
    "title": "Action",
    "dimension_title": "Dimension",
    "step": "Level step",
    "effort": "Effort",
    "phase_name": "Phase",
    "starts_on": "Starts on",
    "ends_on": "Ends on",
    "status": "Status",
    "owner": "Owner",
    "due_date": "Due date",
    "note": "Note",
    "action_id": "Action id",
}
#: What the notebook's tables call the plan's columns; the first seven are shown at once.
VIEW_LABELS = {
    "order": "#",
    "phase_name": "Phase",
    "dimension_title": "Dimension",
    "title": "Action",
    "status": "Status",
    "owner": "Owner",
    "due_date": "Due date",
    "note": "Note",
    "step": "Level step",
    "effort": "Effort",
    "starts_on": "Starts on",
    "ends_on": "Ends on",
    "in_roadmap": "On the roadmap",
    "action_id": "Action ID",
}


@dataclass(frozen=True)
class Decision:
    """What the consultant decided about one action of an engagement's roadmap."""

    action_id: str
    status: str
    owner: str | None
    due_date: date | None
    note: str
    updated_at: datetime


def decide(
    store: Store,
    slug: str,
    action_id: str,
    status: str | None = None,
    owner: str | None = None,
    due: date | str | None = None,
    note: str | None = None,
) -> Decision:
    """Record a decision on an action of the client's latest engagement, in one transaction.

    A value left as None keeps what was decided before (a new decision starts ``proposed``,
    without owner, due date or note); an empty string clears an owner, due date or note.
    ``due`` is a date or text written ``YYYY-MM-DD``. The action must be in the questionnaire's
    recommendations library, so an action added from the library outside the roadmap is fine.
    """
    engagement = store.engagement(slug)
    _check_action(action_id, _library(store, slug), slug)
    changes = _changes(action_id, status, owner, due, note)
    return _decision(record_decision(store, engagement.id, action_id, **changes))


def decisions(store: Store, slug: str) -> dict[str, Decision]:
    """Every decision recorded for the client's latest engagement, by action id."""
    engagement = store.engagement(slug)
    return {d.action_id: _decision(d) for d in action_decisions(store, engagement.id)}


def _decision(record: ActionRecord) -> Decision:
    return Decision(
        record.action_id,
        record.status,
        record.owner,
        record.due_date,
        record.note,
        record.updated_at,
    )


def merged_plan(
    store: Store, slug: str, start: date | str | None = None, wave: str | None = None
) -> pd.DataFrame:
    """The roadmap of the client's wave (the latest by default) merged with the decisions, in
    roadmap order, dropped actions included; actions decided on from the library outside the
    roadmap follow at the end (``in_roadmap`` False).

    ``start`` is the programme's first day (default: today); weeks become dates from it
    (``starts_on``, ``ends_on``). A due date, when set, ends the action (``end_week``).
    """
    first_day = _date(start, "The plan's start") or date.today()
    results = build_results(store, slug, wave)
    return _merge(results, decisions(store, slug), _library(store, slug), first_day)


def plan_table(store: Store, slug: str, start: date | str | None = None) -> pd.DataFrame:
    """The plan: :func:`merged_plan` without the dropped actions."""
    frame = merged_plan(store, slug, start)
    return frame[frame["status"] != DROPPED].reset_index(drop=True)


def dropped_actions(store: Store, slug: str, start: date | str | None = None) -> pd.DataFrame:
    """The actions the consultant dropped, with the note that says why."""
    frame = merged_plan(store, slug, start)
    return frame[frame["status"] == DROPPED].reset_index(drop=True)


def plan_view(frame: pd.DataFrame) -> HouseTable:
    """A plan frame (:func:`merged_plan`, :func:`plan_table`) as the notebook shows it: order,
    phase, dimension, action, status, owner and due date, the rest under "More columns"."""
    return _view(
        frame,
        list(VIEW_LABELS)[:7],
        "no owner or due date decided yet.",
        "No action in the plan: the roadmap proposes none, or all are dropped.",
    )


def dropped_view(frame: pd.DataFrame) -> HouseTable:
    """The dropped actions (:func:`dropped_actions`) with the note that says why."""
    main = ["order", "phase_name", "dimension_title", "title", "note", "owner"]
    return _view(frame, main, "no owner was named.", "No action is dropped.")


def _view(frame: pd.DataFrame, main: list[str], missing: str, empty: str) -> HouseTable:
    if frame.empty:  # nothing to open under "More columns"
        return house_table(frame[main], labels=VIEW_LABELS, notes=[empty])
    shown = frame[[c for c in VIEW_LABELS if c in main] + [c for c in VIEW_LABELS if c not in main]]
    return house_table(
        shown,
        labels=VIEW_LABELS,
        formats={"order": "integer"},
        main=[VIEW_LABELS[c] for c in shown.columns[: len(main)]],
        key=VIEW_LABELS["title"],
        missing_note=missing,
    )


def export_plan_xlsx(
    store: Store, slug: str, path: str | Path, start: date | str | None = None
) -> Path:
    """Write the plan for the client's PMO lead: sheets Plan, Dropped and About, atomically, no
    cell a formula. ``path`` is relative to the workspace (or inside it); returns where it went.
    """
    target = inside(store.workspace, str(path))
    if target.suffix.lower() != ".xlsx":
        raise PmoAssessError(
            f"The plan is written as an Excel workbook: give a path ending in .xlsx; got '{path}'."
        )
    first_day = _date(start, "The plan's start") or date.today()
    results = build_results(store, slug)
    frame = _merge(results, decisions(store, slug), _library(store, slug), first_day)
    dropped = frame["status"] == DROPPED
    sheets = {
        "Plan": Sheet(_sheet(frame[~dropped]), choices={"Status": STATUSES}),
        "Dropped": _sheet(frame[dropped]),
        "About": _about(results, first_day, int((~dropped).sum()), int(dropped.sum())),
    }
    write_sheets(sheets, target)
    return target


def _merge(
    results: ClientResults,
    decided: dict[str, Decision],
    library: Recommendations | None,
    first_day: date,
) -> pd.DataFrame:
    items = list(results.roadmap["items"])
    on_roadmap = {i["action_id"] for i in items}
    titles = {d["id"]: d["title"] for d in results.assessment["dimensions"]}
    known = {a.id: a for a in library.actions} if library else {}
    for action_id in sorted(set(decided) - on_roadmap):  # added from the library
        action = known.get(action_id)
        if action is not None:  # None: the library has since lost it; nothing left to plan
            items.append(
                vars(action)
                | {
                    "action_id": action.id,
                    "order": len(items) + 1,
                    "dimension_title": titles[action.dimension],
                    "start_week": 0,
                    "phase_name": "Added from the library",
                    "end_week": action.duration_weeks,
                }
            )
    rows = [_row(item, decided.get(item["action_id"]), first_day, on_roadmap) for item in items]
    return pd.DataFrame(rows, columns=COLUMNS)


def _row(
    item: dict[str, Any], decision: Decision | None, first_day: date, on_roadmap: set[str]
) -> dict[str, Any]:
    due = decision.due_date if decision else None
    end_week = item["end_week"]
    if due is not None:  # the due date ends the bar, never before a week of work
        end_week = max(math.ceil((due - first_day).days / 7), item["start_week"] + 1)
    return {
        **{k: item[k] for k in COLUMNS[:7]},
        "start_week": item["start_week"],
        "end_week": end_week,
        "starts_on": first_day + timedelta(weeks=item["start_week"]),
        "ends_on": due or first_day + timedelta(weeks=end_week),
        "status": decision.status if decision else UNDECIDED,
        "owner": decision.owner if decision else None,
        "due_date": due,
        "note": decision.note if decision else "",
        "in_roadmap": item["action_id"] in on_roadmap,
    }


def _sheet(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[list(SHEET_HEADERS)].rename(columns=SHEET_HEADERS)


def _about(results: ClientResults, first_day: date, planned: int, dropped: int) -> pd.DataFrame:
    assessed = results.questionnaire
    facts = [
        ("Client", results.client["name"]),
        ("Assessment", f"{assessed['title']} {assessed['version']}, wave {results.wave['label']}"),
        ("Programme starts", first_day),
        ("Written on", date.today()),
        ("Actions in the plan / dropped", f"{planned} / {dropped}"),
        (
            "Order",
            "Each action lifts one dimension one maturity level towards its target; "
            "the largest gaps, weighted by importance, come first.",
        ),
        (
            "Status",
            "proposed: not decided yet; accepted: agreed; in-progress; done; "
            "dropped: left out, see the Dropped sheet for why.",
        ),
        (
            "Dates",
            "Each action starts at its roadmap week and ends on its due date, "
            "or after its typical duration when no due date is set.",
        ),
    ]
    return pd.DataFrame(facts, columns=["Item", "Value"])


def _library(store: Store, slug: str) -> Recommendations | None:
    """The recommendations library of the client's questionnaire; None when it has none."""
    questionnaire = kept_questionnaire(store.workspace, store.engagement(slug))
    path = library_path(questionnaire)
    return load_recommendations(path, questionnaire) if path.is_file() else None


def _check_action(action_id: str, library: Recommendations | None, slug: str) -> None:
    if library is None:
        raise PmoAssessError(
            f"Client '{slug}' has no roadmap actions to decide on: its questionnaire has no "
            "recommendations library (a '<questionnaire>.recommendations.yaml' beside it)."
        )
    ids = [a.id for a in library.actions]
    if action_id in ids:
        return
    close = difflib.get_close_matches(action_id, ids, n=3, cutoff=0.6)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise PmoAssessError(
        f"Unknown action '{action_id}' for client '{slug}'.{hint} Pick the action in the "
        f"decision form of 04_implementation_plan instead; the library '{library.id}' has "
        f"{len(ids)} in all."
    )


def decision_problems(
    action_id: str,
    status: str | None = None,
    owner: str | None = None,
    due: date | str | None = None,
) -> dict[str, str]:
    """What is wrong with a decision, by field (``status``, ``owner``, ``due``); empty when
    nothing is, so a form can show each problem beside its field.

    >>> decision_problems("a", status="acepted", owner="x" * 201)["owner"]
    "The owner of 'a' must be at most 200 characters; got 201."
    >>> decision_problems("a", status="accepted", owner="COO", due="2026-09-30")
    {}
    """
    problems = {}
    if status is not None and status not in STATUSES:
        problems["status"] = (
            f"The status of '{action_id}' must be one of: {', '.join(STATUSES)}; got {status!r}."
        )
    if owner is not None and len(owner.strip()) > OWNER_LENGTH:
        problems["owner"] = (
            f"The owner of '{action_id}' must be at most {OWNER_LENGTH} characters; "
            f"got {len(owner.strip())}."
        )
    try:
        _date(due, f"The due date of '{action_id}'")
    except PmoAssessError as error:
        problems["due"] = str(error)
    return problems


def _changes(
    action_id: str, status: str | None, owner: str | None, due: date | str | None, note: str | None
) -> dict[str, Any]:
    problems = decision_problems(action_id, status, owner, due)
    if problems:
        raise PmoAssessError(" ".join(problems.values()))
    changes: dict[str, Any] = {}
    if status is not None:
        changes["status"] = status
    if owner is not None:
        changes["owner"] = owner.strip() or None
    if due is not None:
        changes["due_date"] = _date(due, f"The due date of '{action_id}'")
    if note is not None:
        changes["note"] = note.strip()
    return changes


def _date(value: date | str | None, what: str) -> date | None:
    """A date from a date or ``YYYY-MM-DD`` text; None for None or empty text."""
    if isinstance(value, datetime):
        return value.date()
    if value is None or isinstance(value, date):
        return value
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PmoAssessError(
            f"{what} must be a date written YYYY-MM-DD, e.g. 2026-09-30; got {value!r}."
        ) from None
