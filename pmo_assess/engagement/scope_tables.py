"""A scope shown to people: the PMO functions with their priorities, each dimension's target and
importance (and whether the engagement or a default set it), and the PMO's type and objectives as
Markdown for the scope notebook."""

from __future__ import annotations

import pandas as pd

from pmo_assess.engagement.house_table import HouseTable, house_table
from pmo_assess.engagement.scope import IMPORTANCE, PMO_TYPES, Scope, target_scale
from pmo_assess.insight.roadmap import DEFAULT_IMPORTANCE
from pmo_assess.model.questionnaire import PMO_FUNCTIONS, Questionnaire, format_value


def functions_table(scope: Scope) -> HouseTable:
    """All eight PMO functions with whether each is in scope and its priority, for display."""
    return house_table(
        functions_frame(scope),
        labels={"id": "ID (for the Scope cell)", "in scope": "In scope"},
        missing_note="not in scope, so no priority.",
    )


def functions_frame(scope: Scope) -> pd.DataFrame:
    """:func:`functions_table`'s data."""
    return pd.DataFrame(
        [
            {
                "function": name,
                "id": key,
                "in scope": "yes" if key in scope.functions else "no",
                "priority": (scope.functions.get(key) or "not ranked")
                if key in scope.functions
                else None,
            }
            for key, name in PMO_FUNCTIONS.items()
        ]
    )


def targets_table(scope: Scope, questionnaire: Questionnaire) -> HouseTable:
    """Each top-level dimension's target and importance, saying which come from defaults."""
    return house_table(
        targets_frame(scope, questionnaire),
        labels={"id": "ID (for the Scope cell)"},
        formats={"target": "text"},
        missing_note="the questionnaire sets no default target for this dimension.",
    )


def targets_frame(scope: Scope, questionnaire: Questionnaire) -> pd.DataFrame:
    """:func:`targets_table`'s data."""
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


def target_rule_text(questionnaire: Questionnaire) -> str:
    """What a target may be for this questionnaire, as Markdown (its scale, not a fixed 1 to 5)."""
    low, high, step = target_scale(questionnaire)
    ids = ", ".join(f"`{d.id}`" for d in questionnaire.dimensions)
    return (
        f"**Targets** are set per top-level dimension ({ids}), from {format_value(low)} to "
        f"{format_value(high)} in steps of {format_value(step)}; a dimension without one keeps "
        "the questionnaire's target. **Importance** is 1 (low), 2 (normal, the default) or "
        "3 (high): the roadmap ranks actions by the gap to target times importance."
    )
