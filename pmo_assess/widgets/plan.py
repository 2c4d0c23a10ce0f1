"""The decision form of the implementation plan: find an action by typing, set its status, owner,
due date and note, and save; the decision goes to the store through
:func:`pmo_assess.engagement.plan.decide`.

The form holds the action list itself, so what it shows is never stale: after *Save decision* the
list's rows and the table under the form are read again from the store, and the status shown
changes at once. Nobody copies an id: the list is searched by the words it shows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as widgets
import pandas as pd

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.house_table import cell_text
from pmo_assess.engagement.plan import (
    STATUSES,
    UNDECIDED,
    decide,
    decision_problems,
    decisions,
    merged_plan,
    plan_view,
)
from pmo_assess.report.markup import esc
from pmo_assess.store.repository import Store


def _wide() -> widgets.Layout:
    return widgets.Layout(width="100%")


_PROBLEM = '<span class="pmo-field-problem" style="color:#b42318">{}</span>'


def action_label(row: Any) -> str:
    """One action as a row of the list: order, status (early, so a long title never hides it),
    phase, dimension and title.

    >>> from types import SimpleNamespace as Row
    >>> action_label(Row(order=3, phase_name="Quick wins", dimension_title="Governance",
    ...                  title="Agree a gate model", status="accepted"))
    '3. [accepted] Quick wins · Governance · Agree a gate model'
    """
    return f"{row.order}. [{row.status}] {row.phase_name} · {row.dimension_title} · {row.title}"


def matching(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """The actions whose row, owner, note or id hold every word of ``text`` (any case).

    >>> frame = pd.DataFrame({"order": [1, 2], "phase_name": ["Quick wins", "Scale"],
    ...     "dimension_title": ["Governance", "Reporting"], "title": ["Gates", "One template"],
    ...     "status": ["accepted", "proposed"], "owner": ["COO", None], "note": ["", ""],
    ...     "action_id": ["governance.gates", "reporting.template"]})
    >>> list(matching(frame, "quick ACCEPTED")["order"]), len(matching(frame, "")), len(matching(frame, "gate coo x"))
    ([1], 2, 0)
    """
    words = text.casefold().split()
    if not words:
        return frame
    haystacks = [
        " ".join(
            [action_label(r), str(r.owner or ""), str(r.note or ""), str(r.action_id)]
        ).casefold()
        for r in frame.itertuples()
    ]
    keep = [all(w in hay for w in words) for hay in haystacks]
    return frame[keep]


class DecisionForm(widgets.VBox):
    """One decision at a time, on the actions of :func:`pmo_assess.engagement.plan.merged_plan`.

    Controls: ``form.find`` (filters the list as you type), ``form.action`` (the list),
    ``form.status``, ``form.owner``, ``form.due``, ``form.note``, ``form.save``; what it shows:
    ``form.found`` (how many match), ``form.chosen``, ``form.owner_problem`` and
    ``form.due_problem`` (a refusal beside its field), ``form.message`` and ``form.table`` (the
    listed actions as they stand; ``form.shown`` is that table's ``HouseTable``). Choosing an
    action shows what was decided before; saving writes every field (an empty owner, due date
    or note clears it).
    """

    def __init__(
        self, store: Store, slug: str, start: date | str | None = None, wave: str | None = None
    ) -> None:
        self.store, self.slug, self.start, self.wave = store, slug, start, wave
        self.find = widgets.Text(
            description="Find",
            layout=_wide(),
            continuous_update=True,
            placeholder="words from the phase, dimension, action, "
            "status or owner, e.g. quick governance",
        )
        self.action = widgets.Select(description="Action", rows=10, layout=_wide())
        self.found, self.chosen = widgets.HTML(), widgets.HTML()
        self.status = widgets.Dropdown(options=list(STATUSES), description="Status")
        self.owner = widgets.Text(description="Owner", placeholder="e.g. Head of PMO")
        self.due = widgets.DatePicker(description="Due date")
        self.note = widgets.Textarea(description="Note", placeholder="Why, or what was agreed")
        self.note.layout = _wide()
        self.owner_problem, self.due_problem = widgets.HTML(), widgets.HTML()
        self.save = widgets.Button(description="Save decision", button_style="primary")
        self.message, self.table = widgets.HTML(), widgets.HTML()
        self._quiet = False
        self.find.observe(self._filter, names="value")
        self.action.observe(self._picked, names="value")
        self.save.on_click(self._save)
        self._reload()
        super().__init__(
            [
                self.find,
                self.found,
                self.action,
                self.chosen,
                self.status,
                widgets.HBox([self.owner, self.owner_problem]),
                widgets.HBox([self.due, self.due_problem]),
                self.note,
                self.save,
                self.message,
                self.table,
            ]
        )
        self.add_class("pmo-decision-form")

    def _reload(self) -> None:
        """Read the actions again, as decided so far, and show them through the filter."""
        self.frame = merged_plan(self.store, self.slug, self.start, self.wave)
        self._filter()

    def _filter(self, _change: Any = None) -> None:
        rows = matching(self.frame, self.find.value)
        kept = self.action.value
        self._quiet = True
        try:
            self.action.options = [(action_label(r), r.action_id) for r in rows.itertuples()]
            ids = list(rows["action_id"])
            self.action.value = kept if kept in ids else (ids[0] if ids else None)
        finally:
            self._quiet = False
        self.save.disabled = self.action.value is None
        self.found.value = self._found_text(len(rows))
        self.shown = plan_view(rows)
        self.table.value = self.shown._repr_html_()
        if self.action.value != kept or kept is None:
            self._show()

    def _found_text(self, shown: int) -> str:
        total = len(self.frame)
        if not total:
            return "<i>The roadmap has no actions to decide on: no dimension is below target.</i>"
        if not self.find.value.strip():
            return f"{total} actions; type in <b>Find</b> to narrow the list."
        return esc(f"{shown} of {total} actions match '{self.find.value.strip()}'.")

    def _picked(self, _change: Any = None) -> None:
        if not self._quiet:
            self._show()

    def _show(self) -> None:
        """Fill the fields with the chosen action's current decision."""
        chosen = self.action.value
        decided = decisions(self.store, self.slug).get(chosen or "")
        self.status.value = decided.status if decided else UNDECIDED
        self.owner.value = (decided.owner if decided else None) or ""
        self.due.value = decided.due_date if decided else None
        self.note.value = decided.note if decided else ""
        self.owner_problem.value = self.due_problem.value = ""
        row = self.frame[self.frame["action_id"] == chosen]
        self.chosen.value = "" if row.empty else self._chosen_text(row.iloc[0])

    @staticmethod
    def _chosen_text(row: pd.Series) -> str:
        facts = f"{row['phase_name']} · {row['dimension_title']} · level step {row['step']}"
        return (
            f"<b>{esc(row['title'])}</b><br><small>{esc(facts)} · {esc(row['action_id'])}</small>"
        )

    def _save(self, _button: Any = None) -> None:
        self.owner_problem.value = self.due_problem.value = ""
        chosen = self.action.value
        if not chosen:
            self.message.value = "Nothing to save: no action is chosen in the list."
            return
        problems = decision_problems(chosen, self.status.value, self.owner.value, self.due.value)
        if problems:
            self.owner_problem.value = _PROBLEM.format(esc(problems.get("owner", "")))
            self.due_problem.value = _PROBLEM.format(esc(problems.get("due", "")))
            self.message.value = "<b>Not saved.</b> Correct the field marked in red."
            return
        try:
            decision = decide(
                self.store,
                self.slug,
                chosen,
                status=self.status.value,
                owner=self.owner.value,
                due=self.due.value or "",
                note=self.note.value,
            )
        except PmoAssessError as error:
            self.message.value = f"<b>Not saved.</b> {esc(str(error))}"
            return
        self._reload()
        owner = f", owner {decision.owner}" if decision.owner else ""
        due = f", due {cell_text(decision.due_date)}" if decision.due_date else ""
        title = self.frame.loc[self.frame["action_id"] == chosen, "title"].iloc[0]
        self.message.value = esc(
            f"Saved: '{title}' is {decision.status}{owner}{due}. The list shows it now; run "
            "the plan cells below again to see it in the plan and its chart."
        )
