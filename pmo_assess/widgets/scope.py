"""The scope form: the same choices as the ``Scope(...)`` cell of ``01_scope_and_objectives``, as
drop-downs and a text box; saving goes through :func:`pmo_assess.engagement.scope.save_scope`."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.scope import (
    IMPORTANCE,
    PMO_TYPES,
    PRIORITIES,
    Scope,
    load_scope,
    objectives_from_text,
    save_scope,
    target_scale,
)
from pmo_assess.insight.roadmap import DEFAULT_IMPORTANCE
from pmo_assess.model.questionnaire import PMO_FUNCTIONS, Questionnaire, format_value
from pmo_assess.report.markup import esc
from pmo_assess.store.repository import Store

OUT, UNRANKED, DEFAULT = "out", "unranked", ""
_WIDE = {"description_width": "20em"}


class ScopeForm(widgets.VBox):
    """The client's scope, filled from the store; *Save scope* checks and saves it all at once.

    Controls: ``form.functions`` and ``form.targets`` / ``form.importance`` (dicts of drop-downs
    by function id and top-level dimension id), ``form.pmo_type``, ``form.objectives`` (one per
    line), ``form.save`` and ``form.message``. A refused save names every wrong field and keeps
    what was typed.
    """

    def __init__(self, store: Store, slug: str, questionnaire: Questionnaire) -> None:
        self.store, self.slug = store, slug
        low, high, step = target_scale(questionnaire)
        steps = round((high - low) / step)
        levels = [format_value(low + i * step) for i in range(steps + 1)]
        self.functions = {key: self._function(name) for key, name in PMO_FUNCTIONS.items()}
        self.pmo_type = widgets.RadioButtons(
            options=[("Not chosen yet", DEFAULT)] + [(k.capitalize(), k) for k in PMO_TYPES],
            description="PMO type",
        )
        self.type_help = widgets.HTML()
        self.objectives = widgets.Textarea(
            description="Objectives",
            placeholder="One strategic objective per line",
            layout=widgets.Layout(width="46em", height="7em"),
        )
        self.targets: dict[str, Any] = {}
        self.importance: dict[str, Any] = {}
        rows = []
        for dimension in questionnaire.dimensions:
            usual = (
                dimension.target if dimension.target is not None else questionnaire.default_target
            )
            self.targets[dimension.id] = widgets.Dropdown(
                options=[(f"default ({format_value(usual)})" if usual else "none", DEFAULT)]
                + [(v, v) for v in levels],
                description=dimension.title,
                style=_WIDE,
                layout=widgets.Layout(width="32em"),
            )
            self.importance[dimension.id] = widgets.Dropdown(
                options=[(f"default ({DEFAULT_IMPORTANCE})", 0)]
                + [(f"{k} {v}", k) for k, v in IMPORTANCE.items()],
                layout=widgets.Layout(width="12em"),
            )
            rows.append(widgets.HBox([self.targets[dimension.id], self.importance[dimension.id]]))
        self.save = widgets.Button(description="Save scope", button_style="primary")
        self.message = widgets.HTML()
        self.pmo_type.observe(self._explain, names="value")
        self.save.on_click(self._save)
        self.show(load_scope(store, slug))
        super().__init__(
            [
                widgets.HTML("<b>PMO functions in scope, and their priority</b>"),
                *self.functions.values(),
                self.pmo_type,
                self.type_help,
                self.objectives,
                widgets.HTML("<b>Target maturity and importance per dimension</b>"),
                *rows,
                self.save,
                self.message,
            ]
        )

    def scope(self) -> Scope:
        """The scope the form shows now (not checked yet: saving checks it)."""
        return Scope(
            functions={
                key: None if box.value == UNRANKED else box.value
                for key, box in self.functions.items()
                if box.value != OUT
            },
            pmo_type=self.pmo_type.value or None,
            objectives=objectives_from_text(self.objectives.value),
            targets={k: float(box.value) for k, box in self.targets.items() if box.value},
            importance={k: box.value for k, box in self.importance.items() if box.value},
        )

    def show(self, scope: Scope) -> None:
        """Set every control to ``scope``."""
        for key, box in self.functions.items():
            box.value = scope.functions.get(key) or UNRANKED if key in scope.functions else OUT
        self.pmo_type.value = scope.pmo_type if scope.pmo_type in PMO_TYPES else DEFAULT
        self.objectives.value = "\n".join(scope.objectives)
        for key, box in self.targets.items():
            target = DEFAULT if key not in scope.targets else format_value(scope.targets[key])
            if target not in [value for _, value in box.options]:  # off the steps: keep it shown
                box.options = [*box.options, (target, target)]
            box.value = target
        for key, box in self.importance.items():
            box.value = scope.importance.get(key, 0)
        self._explain()

    def _function(self, name: str) -> Any:
        return widgets.Dropdown(
            options=[("Not in scope", OUT), ("In scope, not ranked", UNRANKED)]
            + [(p.capitalize(), p) for p in PRIORITIES],
            description=name,
            style=_WIDE,
            layout=widgets.Layout(width="40em"),
        )

    def _explain(self, _change: Any = None) -> None:
        chosen = PMO_TYPES.get(self.pmo_type.value)
        self.type_help.value = f"<i>{esc(chosen)}</i>" if chosen else ""

    def _save(self, _button: Any = None) -> None:
        try:
            saved = save_scope(self.store, self.slug, self.scope())
        except PmoAssessError as error:
            lines = "<br>".join(esc(line) for line in str(error).splitlines())
            self.message.value = f"<b>Not saved.</b><br>{lines}"
            return
        self.show(saved)
        self.message.value = esc(
            f"Saved: {len(saved.functions)} function(s) in scope, "
            f"{len(saved.objectives)} objective(s), {len(saved.targets)} own target(s). "
            "Run the cells below the form to see the saved scope as tables."
        )
