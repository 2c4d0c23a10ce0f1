"""A small form for the implementation plan: pick an action, set its status, owner, due date and
note, and save; the decision goes to the store through :func:`pmo_assess.engagement.plan.decide`."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.plan import STATUSES, UNDECIDED, decide, decisions
from pmo_assess.report.markup import esc
from pmo_assess.store.repository import Store


class DecisionForm(widgets.VBox):
    """One decision at a time, for the actions of ``actions`` (:func:`pmo_assess.engagement.plan.merged_plan`).

    Controls: ``form.action``, ``form.status``, ``form.owner``, ``form.due``, ``form.note``,
    ``form.save`` and ``form.message``. Choosing an action shows what was decided before; saving
    writes every field (an empty owner, due date or note clears it).
    """

    def __init__(self, store: Store, slug: str, actions: pd.DataFrame) -> None:
        self.store, self.slug = store, slug
        choices = [
            (f"{r.order}. {r.title} [{r.status}]", r.action_id) for r in actions.itertuples()
        ]
        wide = widgets.Layout(width="46em")
        self.action = widgets.Dropdown(options=choices, description="Action", layout=wide)
        self.status = widgets.Dropdown(options=list(STATUSES), description="Status")
        self.owner = widgets.Text(description="Owner", placeholder="e.g. Head of PMO")
        self.due = widgets.DatePicker(description="Due date")
        self.note = widgets.Textarea(description="Note", placeholder="Why, or what was agreed")
        self.note.layout = wide
        self.save = widgets.Button(description="Save decision", button_style="primary")
        self.message = widgets.HTML()
        self.action.observe(self._show, names="value")
        self.save.on_click(self._save)
        self._show()
        controls = [self.action, self.status, self.owner, self.due, self.note, self.save]
        super().__init__([*controls, self.message])

    def _show(self, _change: Any = None) -> None:
        """Fill the fields with the chosen action's current decision."""
        decided = decisions(self.store, self.slug).get(self.action.value or "")
        self.status.value = decided.status if decided else UNDECIDED
        self.owner.value = (decided.owner if decided else None) or ""
        self.due.value = decided.due_date if decided else None
        self.note.value = decided.note if decided else ""

    def _save(self, _button: Any = None) -> None:
        if not self.action.value:
            self.message.value = "Nothing to decide: the roadmap has no actions."
            return
        try:
            decision = decide(
                self.store,
                self.slug,
                self.action.value,
                status=self.status.value,
                owner=self.owner.value,
                due=self.due.value or "",
                note=self.note.value,
            )
        except PmoAssessError as error:
            self.message.value = f"<b>Not saved.</b> {esc(str(error))}"
            return
        due = f", due {decision.due_date:%d %b %Y}" if decision.due_date else ""
        owner = f", owner {decision.owner}" if decision.owner else ""
        self.message.value = esc(
            f"Saved: {decision.action_id} is {decision.status}{owner}{due}. "
            "Run the plan cells again to see it in the table and the chart."
        )
