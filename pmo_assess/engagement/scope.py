"""The first step of the method: what the PMO covers and aims for, checked and kept in the store.

A :class:`Scope` names the PMO functions in scope with a priority each, the kind of PMO (how much
authority it holds), the strategic objectives it serves, and a target maturity and importance
for each top-level dimension of the engagement's questionnaire. :func:`save_scope` checks it all
and writes it in one transaction; the roadmap and the report read the same targets and
importance, so what is saved here shapes them. The tables that show a scope are in
:mod:`pmo_assess.engagement.scope_tables`.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

from pmo_assess.core.errors import Problem, ValidationError
from pmo_assess.model.questionnaire import PMO_FUNCTIONS, Questionnaire, format_value
from pmo_assess.store.questionnaires import engagement_questionnaire as kept_questionnaire
from pmo_assess.store.records import DimensionSetting
from pmo_assess.store.repository import Store
from pmo_assess.store.scope import write_scope

#: How much a function in scope matters; None means it is in scope but not ranked yet.
PRIORITIES = ("high", "medium", "low")

#: The kinds of PMO, from least to most authority over projects, in a sentence each.
PMO_TYPES: dict[str, str] = {
    "supportive": "Serves project teams with templates, training, coaching and advice; "
    "using them is up to each project, so the PMO persuades rather than commands.",
    "controlling": "Sets the method, templates and reporting every project must follow, "
    "and checks compliance at reviews or gates; projects stay with their line managers.",
    "directive": "Runs projects itself: project managers report to the PMO, which staffs, "
    "steers and answers for delivery.",
}

#: Importance of a dimension to the client, as the roadmap weighs its gap.
IMPORTANCE = {1: "low", 2: "normal", 3: "high"}


@dataclass(frozen=True)
class Scope:
    """What the PMO covers and aims for.

    ``functions`` maps PMO function ids (see ``pmo_assess.model.questionnaire.PMO_FUNCTIONS``) to a priority
    (``high``, ``medium``, ``low`` or None while unranked); a plain list of ids is accepted too.
    ``targets`` and ``importance`` are keyed by top-level dimension id; a dimension left out
    keeps the questionnaire's target and the default importance (2).

    >>> Scope(functions=["governance"], objectives=["One view of the portfolio"]).functions
    {'governance': None}
    """

    functions: Mapping[str, str | None] = field(default_factory=dict)
    pmo_type: str | None = None
    objectives: Sequence[str] = ()
    targets: Mapping[str, float] = field(default_factory=dict)
    importance: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Copies, so a scope compares equal however it was written; a list of function ids and a
        # single objective are accepted. Any other shape is left for scope_problems to name.
        functions: Any = self.functions
        objectives: Any = self.objectives
        if isinstance(functions, str | list | tuple | set):
            functions = dict.fromkeys([functions] if isinstance(functions, str) else functions)
        if isinstance(objectives, str | list):
            objectives = tuple([objectives] if isinstance(objectives, str) else objectives)
        object.__setattr__(self, "functions", _copy(functions))
        object.__setattr__(self, "objectives", objectives)
        object.__setattr__(self, "targets", _copy(self.targets))
        object.__setattr__(self, "importance", _copy(self.importance))


def load_scope(store: Store, client_slug: str) -> Scope:
    """The scope saved for the client's latest engagement (empty parts when nothing is saved)."""
    engagement = store.engagement(client_slug)
    tops = [d.id for d in questionnaire_of(store, client_slug).dimensions]
    in_scope = sorted(engagement.functions_in_scope, key=_function_order)
    return Scope(
        functions={f: engagement.function_priorities.get(f) for f in in_scope},
        pmo_type=engagement.pmo_type,
        objectives=engagement.objectives,
        targets={d: engagement.targets[d] for d in tops if d in engagement.targets},
        importance={d: engagement.importance[d] for d in tops if d in engagement.importance},
    )


def save_scope(store: Store, client_slug: str, scope: Scope, *, kind: str | None = None) -> Scope:
    """Check the scope against the method and the questionnaire, then save it in one transaction.

    Raises :class:`~pmo_assess.core.errors.ValidationError` naming every wrong field, with nothing
    saved. Targets and importance of the top-level dimensions are replaced as a whole; settings
    of deeper dimensions are left as they are. Returns the scope as saved. A ``kind``
    (``establish`` or ``optimize``) changes the engagement's kind in the same transaction.
    """
    engagement = store.engagement(client_slug)
    questionnaire = questionnaire_of(store, client_slug)
    problems = scope_problems(scope, questionnaire)
    if problems:
        raise ValidationError(problems, what=f"the scope of client '{client_slug}'")
    functions = sorted(scope.functions, key=_function_order)
    ranked = {f: p for f in functions if (p := scope.functions[f]) is not None}
    tops = [d.id for d in questionnaire.dimensions]
    write_scope(
        store,
        engagement.id,
        functions=functions,
        priorities=ranked,
        pmo_type=scope.pmo_type,
        objectives=[o.strip() for o in scope.objectives],
        dimensions=tops,
        settings=[s for s in (_setting(d, scope) for d in tops) if s is not None],
        kind=kind,
    )
    return load_scope(store, client_slug)


def questionnaire_of(store: Store, client_slug: str) -> Questionnaire:
    """The questionnaire of the client's latest engagement (the workspace's own copy first)."""
    return kept_questionnaire(store.workspace, store.engagement(client_slug))


def scope_problems(scope: Scope, questionnaire: Questionnaire) -> list[Problem]:
    """Every way the scope breaks the method's rules or misses the questionnaire, in one pass.

    >>> from pmo_assess.model.loading import load_questionnaire
    >>> q = load_questionnaire("pmo-maturity")
    >>> [str(p) for p in scope_problems(Scope(pmo_type="strategic"), q)]
    ["pmo_type: must be one of supportive, controlling, directive (or None while not chosen); got 'strategic'."]
    """
    shapes = [
        Problem(name, f"must be {wanted}; got {getattr(scope, name)!r}.")
        for name, kind, wanted in _SHAPES
        if not isinstance(getattr(scope, name), kind)
    ]
    if shapes:
        return shapes
    return [
        *_function_problems(scope.functions),
        *_type_problems(scope.pmo_type),
        *_objective_problems(scope.objectives),
        *_target_problems(scope.targets, questionnaire),
        *_importance_problems(scope.importance, questionnaire),
    ]


# What each part of a scope must be, for the message when it is something else entirely.
_SHAPES: tuple[tuple[str, type, str], ...] = (
    ("functions", dict, 'a dict of PMO function id to priority, e.g. {"governance": "high"}'),
    ("objectives", tuple, 'a list of texts, e.g. ["Cut late projects by half"]'),
    ("targets", dict, 'a dict of top-level dimension id to target, e.g. {"governance": 3.5}'),
    ("importance", dict, 'a dict of top-level dimension id to 1, 2 or 3, e.g. {"governance": 3}'),
)


def target_scale(questionnaire: Questionnaire) -> tuple[float, float, float]:
    """Lowest and highest target, and the step between targets: half the scale's finest step.

    >>> from pmo_assess.model.loading import load_questionnaire
    >>> target_scale(load_questionnaire("pmo-maturity"))
    (1.0, 5.0, 0.5)
    """
    used = {q.answer_set for q in questionnaire.questions()}
    values = sorted({v for a in used for v in questionnaire.answer_sets[a].values})
    steps = [b - a for a, b in itertools.pairwise(values)]
    return values[0], values[-1], (min(steps) if steps else 1.0) / 2


def objectives_from_text(text: str) -> tuple[str, ...]:
    """One objective per non-blank line, stripped.

    >>> objectives_from_text(" Cut late projects by half\\n\\n One view of the portfolio ")
    ('Cut late projects by half', 'One view of the portfolio')
    """
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _setting(dimension_id: str, scope: Scope) -> DimensionSetting | None:
    target, importance = scope.targets.get(dimension_id), scope.importance.get(dimension_id)
    if target is None and importance is None:
        return None
    return DimensionSetting(dimension_id, None if target is None else float(target), importance)


def _function_problems(functions: Mapping[str, str | None]) -> list[Problem]:
    problems = []
    for key, priority in functions.items():
        if key not in PMO_FUNCTIONS:
            hint = difflib.get_close_matches(str(key), PMO_FUNCTIONS, n=1)
            problems.append(
                Problem(
                    "functions",
                    f"unknown PMO function {key!r}"
                    + (f" (did you mean {hint[0]!r}?)" if hint else "")
                    + f". PMO functions: {', '.join(PMO_FUNCTIONS)}.",
                )
            )
        elif priority is not None and priority not in PRIORITIES:
            problems.append(
                Problem(
                    f"functions[{key!r}]",
                    f"priority must be one of {', '.join(PRIORITIES)} (or None while not "
                    f"ranked); got {priority!r}.",
                )
            )
    return problems


def _type_problems(pmo_type: str | None) -> list[Problem]:
    if pmo_type is None or pmo_type in PMO_TYPES:
        return []
    allowed = ", ".join(PMO_TYPES)
    return [
        Problem(
            "pmo_type", f"must be one of {allowed} (or None while not chosen); got {pmo_type!r}."
        )
    ]


def _objective_problems(objectives: Sequence[str]) -> list[Problem]:
    return [
        Problem(f"objectives item {i}", f"an objective must be non-empty text; got {text!r}.")
        for i, text in enumerate(objectives, start=1)
        if not isinstance(text, str) or not text.strip()
    ]


def _target_problems(targets: Mapping[str, Any], questionnaire: Questionnaire) -> list[Problem]:
    low, high, step = target_scale(questionnaire)
    problems = _dimension_problems("targets", targets, questionnaire)
    tops = {d.id for d in questionnaire.dimensions}
    for key, value in targets.items():
        if value is None or key not in tops:
            continue
        on_scale = (
            isinstance(value, Real)
            and not isinstance(value, bool)
            and low - 1e-9 <= float(value) <= high + 1e-9
            and abs((float(value) - low) / step - round((float(value) - low) / step)) < 1e-9
        )
        if not on_scale:
            problems.append(
                Problem(
                    f"targets[{key!r}]",
                    f"the target must be a number from {format_value(low)} to "
                    f"{format_value(high)} in steps of {format_value(step)}; got {value!r}.",
                )
            )
    return problems


def _importance_problems(
    importance: Mapping[str, Any], questionnaire: Questionnaire
) -> list[Problem]:
    problems = _dimension_problems("importance", importance, questionnaire)
    tops = {d.id for d in questionnaire.dimensions}
    problems += [
        Problem(
            f"importance[{key!r}]",
            f"must be 1, 2 or 3 (1 low, 2 normal, 3 high); got {value!r}.",
        )
        for key, value in importance.items()
        if key in tops
        and value is not None
        and (not isinstance(value, Integral) or isinstance(value, bool) or value not in IMPORTANCE)
    ]
    return problems


def _dimension_problems(
    name: str, settings: Mapping[str, Any], questionnaire: Questionnaire
) -> list[Problem]:
    tops = [d.id for d in questionnaire.dimensions]
    return [
        Problem(
            name,
            f"{key!r} is not a top-level dimension of questionnaire '{questionnaire.id}'. "
            f"Top-level dimensions: {', '.join(tops)}.",
        )
        for key in settings
        if key not in tops
    ]


def _copy(value: Any) -> Any:
    return dict(value) if isinstance(value, Mapping) else value


def _function_order(key: str) -> tuple[int, str]:
    order = list(PMO_FUNCTIONS)
    return (order.index(key) if key in order else len(order), key)
