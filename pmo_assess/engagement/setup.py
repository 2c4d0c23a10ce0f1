"""Setting up an engagement without a notebook: its kind, and the parts of its scope one at a
time, saved through :func:`~pmo_assess.engagement.scope.save_scope` into the same rows that
``01_scope_and_objectives`` saves.

Changes arrive as typed (``governance=3.5``, ``governance=default``): they are merged into the
saved scope, every wrong part is named in one error, and nothing is saved until all are right.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pmo_assess.core.errors import PmoAssessError, Problem, ValidationError
from pmo_assess.engagement.scope import (
    PRIORITIES,
    Scope,
    load_scope,
    questionnaire_of,
    save_scope,
    scope_problems,
)
from pmo_assess.insight.roadmap import DEFAULT_IMPORTANCE
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.model.terms import ENGAGEMENT_KINDS
from pmo_assess.store.repository import Store

#: Words that take something back: a function out of scope, a function in scope but not ranked,
#: a dimension's target or importance back to the default, no PMO type chosen.
OUT, UNRANKED, DEFAULT, NONE = "out", "unranked", "default", "none"
FUNCTION_PRIORITIES = (*PRIORITIES, UNRANKED, OUT)
DEFAULT_QUESTIONNAIRE = "pmo-maturity"


@dataclass(frozen=True)
class ScopeChanges:
    """Changes to an engagement, as typed; whatever is left out stays as saved.

    ``functions`` maps a PMO function id to one of :data:`FUNCTION_PRIORITIES`; ``targets`` and
    ``importance`` map a top-level dimension id to a value or ``default``; ``pmo_type`` is a PMO
    type or ``none``; ``objectives``, when given, replace the saved ones.
    """

    kind: str | None = None
    pmo_type: str | None = None
    objectives: tuple[str, ...] | None = None
    functions: Mapping[str, str] = field(default_factory=dict)
    targets: Mapping[str, str] = field(default_factory=dict)
    importance: Mapping[str, str] = field(default_factory=dict)


def changed_scope(scope: Scope, changes: ScopeChanges) -> tuple[Scope, list[Problem]]:
    """The scope with the changes made, and the problems of words no scope can hold.

    >>> new, problems = changed_scope(Scope(), ScopeChanges(targets={"governance": "3.5"}))
    >>> new.targets, problems
    ({'governance': 3.5}, [])
    """
    functions = dict(scope.functions)
    problems = []
    for key, word in changes.functions.items():
        if word not in FUNCTION_PRIORITIES:
            problems.append(
                Problem(
                    f"functions[{key!r}]",
                    f"priority must be one of {', '.join(FUNCTION_PRIORITIES)}; got {word!r}.",
                )
            )
        elif word == OUT:
            functions.pop(key, None)
        else:
            functions[key] = None if word == UNRANKED else word
    pmo_type = scope.pmo_type if changes.pmo_type is None else changes.pmo_type
    new = replace(
        scope,
        functions=functions,
        pmo_type=None if pmo_type == NONE else pmo_type,
        objectives=scope.objectives if changes.objectives is None else changes.objectives,
        targets=_merged(scope.targets, changes.targets, _number),
        importance=_merged(scope.importance, changes.importance, _whole),
    )
    return new, problems


def set_engagement(
    store: Store, client_slug: str, changes: ScopeChanges, questionnaire: str | None = None
) -> str:
    """Make the changes to the client's latest engagement in one transaction; say what changed.

    A client without an engagement gets one first, with ``questionnaire`` (default
    ``pmo-maturity``), once the changes are known to be right for it. Changing the kind keeps
    the waves and their answers; it changes how every wave's report frames the engagement.
    """
    engagement = store.find_engagement(client_slug)
    chosen = _questionnaire(
        store, engagement.questionnaire_id if engagement else None, questionnaire
    )
    before = load_scope(store, client_slug) if engagement else Scope()
    after = _checked(before, changes, chosen, client_slug)
    notes = []
    if engagement is None:
        kind = changes.kind or ("establish" if chosen.id == "pmo-readiness" else "optimize")
        engagement = store.start_engagement(client_slug, chosen, kind)
        notes.append(
            f"Started an {kind} engagement of {client_slug} with questionnaire {chosen.id} {chosen.version}."
        )
    saved = save_scope(store, client_slug, after, kind=changes.kind)
    notes += _kind_note(store, engagement.id, engagement.kind, changes.kind)
    notes += _differences(before, saved)
    return "\n".join(notes or ["Nothing changed: the engagement is as it was saved."])


def engagement_overview(store: Store, client_slug: str) -> dict[str, Any]:
    """The client's latest engagement as plain data: kind, questionnaire, scope, each top-level
    dimension's target and importance (and whether the engagement or a default set them), waves."""
    engagement = store.find_engagement(client_slug)
    if engagement is None:
        raise PmoAssessError(
            f"Client '{client_slug}' has no engagement yet; start one with: pmo-assess "
            f"engagement set --client {client_slug} --type establish (or optimize)."
        )
    questionnaire = questionnaire_of(store, client_slug)
    scope = load_scope(store, client_slug)
    dimensions = []
    for d in questionnaire.dimensions:
        usual = d.target if d.target is not None else questionnaire.default_target
        dimensions.append(
            {
                "id": d.id,
                "title": d.title,
                "target": scope.targets.get(d.id, usual),
                "target_set_by": "engagement" if d.id in scope.targets else "questionnaire",
                "importance": scope.importance.get(d.id, DEFAULT_IMPORTANCE),
                "importance_set_by": "engagement" if d.id in scope.importance else "default",
            }
        )
    return {
        "client": engagement.client_slug,
        "kind": engagement.kind,
        "questionnaire": {
            "id": engagement.questionnaire_id,
            "version": engagement.questionnaire_version,
        },
        "pmo_type": scope.pmo_type,
        "objectives": list(scope.objectives),
        "functions": dict(scope.functions),
        "dimensions": dimensions,
        "waves": [
            {"label": w.label, "held_on": w.held_on.isoformat() if w.held_on else None}
            for w in store.waves(engagement.id)
        ],
    }


def _checked(
    before: Scope, changes: ScopeChanges, questionnaire: Questionnaire, client_slug: str
) -> Scope:
    after, problems = changed_scope(before, changes)
    problems += scope_problems(after, questionnaire)
    if changes.kind is not None and changes.kind not in ENGAGEMENT_KINDS:
        problems.append(
            Problem("kind", f"must be {' or '.join(ENGAGEMENT_KINDS)}; got {changes.kind!r}.")
        )
    if problems:
        raise ValidationError(problems, what=f"the changes to client '{client_slug}'")
    return after


def _questionnaire(store: Store, current: str | None, wanted: str | None) -> Questionnaire:
    if current is not None and wanted is not None and wanted != current:
        raise PmoAssessError(
            f"The engagement uses questionnaire '{current}'; a questionnaire is chosen only "
            "when the client's first engagement starts, so leave it out."
        )
    return load_questionnaire(
        current or wanted or DEFAULT_QUESTIONNAIRE, search=[store.workspace / "questionnaires"]
    )


def _merged(saved: Mapping[str, Any], typed: Mapping[str, str], read: Any) -> dict[str, Any]:
    merged = dict(saved)
    for key, text in typed.items():
        if text.strip().casefold() == DEFAULT:
            merged.pop(key, None)
        else:
            merged[key] = read(text)
    return merged


def _number(text: str) -> float | str:
    # Text that is no number is kept, so that scope_problems names it with the allowed range.
    try:
        return float(text)
    except ValueError:
        return text


def _whole(text: str) -> int | str:
    return int(text) if text.strip().isdigit() else text


def _kind_note(store: Store, engagement_id: int, was: str, kind: str | None) -> list[str]:
    if kind is None or kind == was:
        return []
    labels = [w.label for w in store.waves(engagement_id)]
    waves = (
        f"its waves ({', '.join(labels)}) and their answers stay as they are"
        if labels
        else "it has no waves yet"
    )
    frame = (
        "the five steps of establishing a PMO"
        if kind == "establish"
        else "the three steps of optimizing one"
    )
    return [
        f"Engagement kind: {was} -> {kind}; {waves}. Reports rendered from now on frame it as {frame}."
    ]


def _differences(before: Scope, after: Scope) -> list[str]:
    lines = []
    if before.pmo_type != after.pmo_type:
        lines.append(f"PMO type: {before.pmo_type or NONE} -> {after.pmo_type or NONE}")
    if tuple(before.objectives) != tuple(after.objectives):
        lines.append(f"Objectives: {'; '.join(after.objectives) or NONE}")
    for name, was, now, absent in (
        ("Function", before.functions, after.functions, OUT),
        ("Target", before.targets, after.targets, DEFAULT),
        ("Importance", before.importance, after.importance, DEFAULT),
    ):
        for key in dict.fromkeys([*was, *now]):
            old, new = (_shown(m, key, absent) for m in (was, now))
            if old != new:
                lines.append(f"{name} {key}: {old} -> {new}")
    return lines


def _shown(values: Mapping[str, Any], key: str, absent: str) -> str:
    if key not in values:
        return absent
    value = values[key]
    return UNRANKED if value is None else f"{value:g}" if isinstance(value, float) else str(value)
