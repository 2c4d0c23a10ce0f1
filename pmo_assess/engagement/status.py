"""Where a client's engagement stands on the method's steps, and which notebook to open next.

:func:`engagement_status` reads the store (and the briefings in the workspace) to tell, for each
step, what has been done so far: scope and targets, waves and answers, roadmap decisions, the
executive briefing, project records and re-assessment waves. Picking the client and engagement
for ``00_start_here`` is in :mod:`pmo_assess.engagement.start`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from pmo_assess.engagement.house_table import HouseTable, house_table
from pmo_assess.engagement.scope import questionnaire_of
from pmo_assess.model.answer_status import ANSWERED
from pmo_assess.model.questionnaire import PMO_FUNCTIONS, Questionnaire, format_value
from pmo_assess.model.terms import ACTION_STATUSES
from pmo_assess.scoring.assessment import score_assessment
from pmo_assess.scoring.options import MIN_COVERAGE
from pmo_assess.store.actions import action_decisions
from pmo_assess.store.projects import project_snapshots
from pmo_assess.store.records import Engagement
from pmo_assess.store.repository import Store

#: The method's steps in order: the notebook that serves each, its title, why to open it next.
STEPS: dict[str, tuple[str, str, str]] = {
    "engagement": ("00_start_here.ipynb", "Client and engagement", "Start the engagement."),
    "scope": (
        "01_scope_and_objectives.ipynb",
        "Scope and objectives",
        "Agree the functions in scope with a priority each, the PMO's type and its objectives.",
    ),
    "targets": (
        "01_scope_and_objectives.ipynb",
        "Targets and importance",
        "Set a target maturity and importance for the dimensions that matter most.",
    ),
    "assessment": (
        "02_interview.ipynb",
        "Maturity assessment",
        "Gather answers: interview respondents, or import a survey export.",
    ),
    "analysis": (
        "03_analysis.ipynb",
        "Analysis",
        "Review the scores, gaps and disagreements, then record the roadmap decisions in "
        "04_implementation_plan.ipynb.",
    ),
    "plan": (
        "04_implementation_plan.ipynb",
        "Implementation plan",
        "Record which roadmap actions are accepted or dropped, with owners and due dates.",
    ),
    "briefing": (
        "05_executive_briefing.ipynb",
        "Executive briefing",
        "Make the case for the PMO to senior management on one page.",
    ),
    "monitoring": (
        "07_performance_monitoring.ipynb",
        "Performance monitoring",
        "Import the client's project list to follow delivery as the PMO takes shape.",
    ),
    "reassessment": ("06_optimize_reassessment.ipynb", "Re-assessment", "Compare the waves."),
}
#: Step states: finished, begun, not begun, possible now (leaves no trace), not possible yet.
DONE, PARTIAL, OPEN, READY, LATER = "done", "partial", "open", "ready", "later"


@dataclass(frozen=True)
class Step:
    """One step of the method for one client: its state and a line saying why."""

    key: str
    state: str
    detail: str

    @property
    def title(self) -> str:
        return STEPS[self.key][1]

    @property
    def notebook(self) -> str:
        return STEPS[self.key][0]


@dataclass(frozen=True)
class EngagementStatus:
    """Every step's state for one client, and the notebook to open next with the reason."""

    client: str | None
    steps: tuple[Step, ...]
    next_notebook: str
    next_reason: str

    def step(self, key: str) -> Step:
        """The step with this key (``scope``, ``assessment``, ...)."""
        return next(s for s in self.steps if s.key == key)

    def markdown(self) -> str:
        """The steps as a Markdown table, which a notebook shows left-aligned and unabridged."""
        rows = [(s.title, s.state, s.detail, f"`{s.notebook}`") for s in self.steps]
        lines = ["| step | state | what the store shows | notebook |", "| --- | --- | --- | --- |"]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
        return "\n".join(lines)

    def table(self) -> HouseTable:
        """The steps as a table in words, for a notebook."""
        frame = pd.DataFrame(
            [(s.title, s.state, s.detail, s.notebook) for s in self.steps],
            columns=["Step", "State", "What the store shows", "Notebook"],
        )
        return house_table(frame)

    def next_text(self) -> str:
        """The advice as Markdown: which notebook to open next, and why."""
        return f"**Next:** open `{self.next_notebook}`. {self.next_reason}"


def engagement_status(store: Store, client_slug: str | None) -> EngagementStatus:
    """Each step of the method for the client's latest engagement, and what to open next.

    A client without an engagement (or None, an empty workspace) is sent to ``00_start_here``.
    """
    engagement = store.find_engagement(client_slug) if client_slug else None
    if engagement is None:
        waiting = [Step(key, LATER, "Needs an engagement.") for key in list(STEPS)[1:]]
        steps = (Step("engagement", OPEN, "No engagement yet."), *waiting)
        reason = f"Client '{client_slug}' has no engagement yet: run it with this client."
        if client_slug is None:
            reason = "Add a client there and start its engagement."
        return EngagementStatus(client_slug, steps, STEPS["engagement"][0], reason)
    questionnaire = questionnaire_of(store, engagement.client_slug)
    steps = (
        Step(
            "engagement",
            DONE,
            f"{engagement.kind.capitalize()} engagement, questionnaire "
            f"{questionnaire.id} {engagement.questionnaire_version}.",
        ),
        _scope_step(engagement),
        _targets_step(engagement, questionnaire),
        *_answer_steps(store, engagement, questionnaire),
        _plan_step(store, engagement),
        _briefing_step(store.workspace, engagement.client_slug),
        _monitoring_step(store, engagement),
        _reassessment_step(store, engagement),
    )
    return EngagementStatus(engagement.client_slug, steps, *_next(steps))


def _scope_step(engagement: Engagement) -> Step:
    functions, pmo_type, objectives = (
        engagement.functions_in_scope,
        engagement.pmo_type,
        engagement.objectives,
    )
    unranked = len(set(functions) - set(engagement.function_priorities))
    parts = [
        f"{len(functions)} of {len(PMO_FUNCTIONS)} functions in scope"
        + (f" ({unranked} without a priority)" if unranked else "")
        if functions
        else "No functions in scope",
        f"{pmo_type} PMO" if pmo_type else "no PMO type",
        f"{len(objectives)} objective(s)" if objectives else "no objectives",
    ]
    # Unranked functions do not hold the engagement back; the detail says they are missing.
    state = DONE if functions and pmo_type and objectives else OPEN
    if state == OPEN and (functions or pmo_type or objectives):
        state = PARTIAL
    return Step("scope", state, "; ".join(parts) + ".")


def _targets_step(engagement: Engagement, questionnaire: Questionnaire) -> Step:
    tops = [d.id for d in questionnaire.dimensions]
    targets = sum(d in engagement.targets for d in tops)
    weighed = sum(d in engagement.importance for d in tops)
    default = questionnaire.default_target
    usual = f"the questionnaire's {format_value(default)}" if default else "no target"
    detail = (
        f"Own target for {targets} of {len(tops)} dimensions, the others keep {usual}; "
        f"importance set for {weighed}."
        if targets or weighed
        else f"No targets or importance set yet; every dimension keeps {usual}."
    )
    return Step("targets", DONE if targets else PARTIAL if weighed else OPEN, detail)


def _answer_steps(
    store: Store, engagement: Engagement, questionnaire: Questionnaire
) -> tuple[Step, Step]:
    """The assessment (waves, respondents, answers, coverage) and whether analysis can run."""
    waves = store.waves(engagement.id)
    if not waves:
        return (
            Step("assessment", OPEN, "No wave yet: interview or import a survey."),
            Step("analysis", LATER, "Needs answers first."),
        )
    latest = waves[-1]
    answers = store.load_answers(engagement.client_slug, latest.label, questionnaire.id)
    answers = answers[answers["question_id"].isin({q.id for q in questionnaire.questions()})]
    people = store.respondents(latest.id)
    unfinished = [r.code for r in people if r.in_progress]
    said = f"{len(waves)} wave(s), latest {latest.label}: {len(people)} respondent(s), " + (
        f"{len(unfinished)} of them in an interview not marked complete "
        f"({', '.join(unfinished)}), left out until it is; "
        if unfinished
        else ""
    )
    if not (answers["status"] == ANSWERED).any():
        return (
            Step("assessment", OPEN if answers.empty else PARTIAL, said + "no scored answer yet."),
            Step("analysis", LATER, "Needs scored answers first."),
        )
    coverage = score_assessment(questionnaire, answers).overall.coverage or 0.0
    thin = coverage < MIN_COVERAGE
    said += f"{len(answers)} answers, {coverage:.0%} of the questions covered."
    return (
        Step("assessment", PARTIAL if thin else DONE, said),
        _analysis_step(store, engagement, latest.label, answers["recorded_at"].max(), thin),
    )


def _analysis_step(
    store: Store, engagement: Engagement, wave: str, last_answer: object, thin: bool
) -> Step:
    """Done once roadmap decisions were recorded after the latest wave's last answer.

    The analysis leaves no record of its own; decisions taken on the roadmap it proposes are
    the trace that someone went through it, and decisions older than the latest answers were
    taken on an earlier picture.
    """
    decided = [
        d.updated_at
        for d in action_decisions(store, engagement.id)
        if d.status != "proposed" and _not_before(d.updated_at, last_answer)
    ]
    if decided:
        return Step(
            "analysis",
            DONE,
            f"Wave {wave} analysed: {len(decided)} roadmap decision(s) recorded since its "
            "latest answer.",
        )
    return Step(
        "analysis",
        READY,
        f"Scores, gaps and disagreements of wave {wave} can be shown"
        + (", on thin evidence." if thin else ".")
        + " It counts as done once roadmap decisions follow it in 04_implementation_plan.",
    )


def _not_before(when: datetime, reference: object) -> bool:
    if not isinstance(reference, datetime):
        return True
    # SQLite hands back naive timestamps, PostgreSQL aware ones: compare them as UTC.
    return _utc(when) >= _utc(reference)


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _plan_step(store: Store, engagement: Engagement) -> Step:
    statuses = Counter(d.status for d in action_decisions(store, engagement.id))
    if not statuses:
        return Step("plan", OPEN, "No roadmap decision recorded yet.")
    counts = ", ".join(f"{statuses[s]} {s}" for s in ACTION_STATUSES if statuses[s])
    decided = set(statuses) - {"proposed"}
    total = sum(statuses.values())
    return Step("plan", DONE if decided else PARTIAL, f"{total} roadmap action(s): {counts}.")


def _briefing_step(workspace: Path, client_slug: str) -> Step:
    folder = workspace / "briefings" / client_slug
    made = sorted(
        p.parent.name for p in folder.glob("*/briefing.*") if p.suffix in (".html", ".pdf")
    )
    if not made:
        return Step("briefing", OPEN, "No briefing for senior management yet.")
    return Step(
        "briefing", DONE, f"Briefing produced for wave(s) {', '.join(dict.fromkeys(made))}."
    )


def _monitoring_step(store: Store, engagement: Engagement) -> Step:
    stored = project_snapshots(store, engagement.id)
    if not stored.records:
        return Step("monitoring", OPEN, "No project records imported yet.")
    latest = f", latest as of {stored.latest}" if stored.latest else ""
    return Step(
        "monitoring",
        DONE,
        f"{stored.records} project record(s) in {stored.snapshots} snapshot(s){latest}.",
    )


def _reassessment_step(store: Store, engagement: Engagement) -> Step:
    labels = [w.label for w in store.waves(engagement.id)]
    if len(labels) >= 2:
        return Step("reassessment", DONE, f"{len(labels)} waves: {', '.join(labels)}.")
    if labels:
        return Step(
            "reassessment", LATER, f"Baseline {labels[0]}; re-assess 6 to 12 months after it."
        )
    return Step("reassessment", LATER, "Needs a baseline wave first.")


def _next(steps: tuple[Step, ...]) -> tuple[str, str]:
    """The first step not finished, in the method's order; when all are, the next wave."""
    for step in steps:
        if step.state in (OPEN, PARTIAL):
            # A roadmap decision follows a look at the results, which leaves no trace in the store.
            key = "analysis" if step.key == "plan" and step.state == OPEN else step.key
            notebook, title, why = STEPS[key]
            return notebook, f"{title}: {why}"
    if steps[-1].state == DONE:
        return STEPS["reassessment"][0], (
            "Every step has a record. Compare the waves, and record the next one in "
            "02_interview.ipynb when it is due."
        )
    return STEPS["assessment"][0], (
        "Every step has a record. When the re-assessment is due (6 to 12 months after the "
        "baseline), record a new wave here, then compare the waves in "
        "06_optimize_reassessment.ipynb."
    )
