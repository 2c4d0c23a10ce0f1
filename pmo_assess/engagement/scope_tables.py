"""A scope shown to people: the PMO functions with their priorities, each dimension's target and
importance (and whether the engagement or a default set it), and the PMO's type and objectives as
Markdown for the scope notebook."""

from __future__ import annotations

import pandas as pd

from pmo_assess.engagement.scope import IMPORTANCE, PMO_TYPES, Scope
from pmo_assess.insight.roadmap import DEFAULT_IMPORTANCE
from pmo_assess.model.questionnaire import PMO_FUNCTIONS, Questionnaire, format_value


def functions_table(scope: Scope) -> pd.DataFrame:
    """All eight PMO functions with whether each is in scope and its priority, for display."""
    return pd.DataFrame(
        [
            {
                "function": name,
                "id": key,
                "in scope": "yes" if key in scope.functions else "no",
                "priority": (scope.functions.get(key) or "not ranked")
                if key in scope.functions
                else "",
            }
            for key, name in PMO_FUNCTIONS.items()
        ]
    )


def targets_table(scope: Scope, questionnaire: Questionnaire) -> pd.DataFrame:
    """Each top-level dimension's target and importance, saying which come from defaults."""
    rows = []
    for dimension in questionnaire.dimensions:
        default = dimension.target if dimension.target is not None else questionnaire.default_target
        target = scope.targets.get(dimension.id, default)
        importance = scope.importance.get(dimension.id, DEFAULT_IMPORTANCE)
        rows.append(
            {
                "dimension": dimension.title,
                "id": dimension.id,
                "target": None if target is None else format_value(target),
                "target set by": "this engagement"
                if dimension.id in scope.targets
                else "questionnaire default",
                "importance": f"{importance} ({IMPORTANCE[importance]})",
                "importance set by": "this engagement"
                if dimension.id in scope.importance
                else "default",
            }
        )
    return pd.DataFrame(rows)


def frame_text(scope: Scope) -> str:
    """The PMO's type and objectives as Markdown, for display in a notebook."""
    kind = (
        f"**PMO type:** {scope.pmo_type}: {PMO_TYPES[scope.pmo_type]}"
        if scope.pmo_type in PMO_TYPES
        else "**PMO type:** not chosen yet."
    )
    goals = [f"{i}. {o}" for i, o in enumerate(scope.objectives, start=1)] or ["none yet."]
    return "\n".join([kind, "", "**Strategic objectives:**", "", *goals])
