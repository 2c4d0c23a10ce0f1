"""The recommendations library: improvement actions per dimension and level step, kept as data.

A library names the questionnaire whose dimensions it lifts. Each action lifts one top-level
dimension through one level step (``"2-3"``: from level 2 to level 3), serves one of the PMO's
benefits, and may depend on other actions. Validation reports every problem with ``file:line``:
the schema (``questionnaires/recommendations.schema.json``), ids used twice, unknown
dimensions, benefits or dependencies, dependency cycles, and steps with too few or too many
actions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pmo_assess.core.errors import PmoAssessError, Problem, ValidationError
from pmo_assess.core.paths import questionnaires_dir
from pmo_assess.core.yamlsource import YamlSource, load_yaml
from pmo_assess.model.loading import find_questionnaire, load_questionnaire
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.model.validation import schema_problems

STEPS = ("1-2", "2-3", "3-4", "4-5")
ACTIONS_PER_STEP = (2, 4)


@dataclass(frozen=True)
class Action:
    """One improvement action."""

    id: str
    dimension: str
    step: str
    title: str
    description: str
    effort: str
    duration_weeks: int
    benefit: str
    depends_on: tuple[str, ...] = ()

    @property
    def from_level(self) -> int:
        """The level the action lifts the dimension from (``"2-3"`` gives 2)."""
        return int(self.step.split("-")[0])


@dataclass(frozen=True)
class Recommendations:
    """A validated library of actions for one questionnaire."""

    id: str
    version: str
    title: str
    questionnaire: str
    benefits: dict[str, str]
    actions: tuple[Action, ...]

    def action(self, action_id: str) -> Action:
        """The action with this id (KeyError when there is none)."""
        return {a.id: a for a in self.actions}[action_id]


@cache
def recommendations_schema() -> dict[str, Any]:
    """The JSON Schema of recommendation libraries."""
    with (questionnaires_dir() / "recommendations.schema.json").open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def library_path(questionnaire: Questionnaire) -> Path:
    """Where a questionnaire's library lives: beside it, ``<name>.recommendations.yaml``."""
    source = (
        Path(questionnaire.source) if questionnaire.source else find_questionnaire(questionnaire.id)
    )
    return source.with_name(f"{source.stem}.recommendations.yaml")


def load_recommendations(
    path: str | Path, questionnaire: Questionnaire | None = None
) -> Recommendations:
    """Load and validate a library (the questionnaire it names is loaded when not given).

    >>> library = load_recommendations(library_path(load_questionnaire("pmo-maturity")))
    >>> library.questionnaire, len(library.actions) >= 96
    ('pmo-maturity', True)
    """
    key = (_file_stamp(Path(path)), _questionnaire_key(questionnaire))
    if key not in _LOADED:
        _LOADED[key] = _load(path, questionnaire)
    return _LOADED[key]


# A batch worker builds many clients' roadmaps from one library: parse it once per process,
# again only when the file (or the questionnaire it is checked against) changes.
_LOADED: dict[tuple[Any, ...], Recommendations] = {}


def _file_stamp(path: Path) -> tuple[str, int, int]:
    stat = path.stat() if path.is_file() else None
    return (str(path.resolve()), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)


def _questionnaire_key(questionnaire: Questionnaire | None) -> tuple[Any, ...] | None:
    if questionnaire is None:
        return None
    source = _file_stamp(Path(questionnaire.source)) if questionnaire.source else None
    return (questionnaire.id, questionnaire.version, source)


def _load(path: str | Path, questionnaire: Questionnaire | None) -> Recommendations:
    source = load_yaml(path)
    problems = check_recommendations(source, questionnaire)
    if problems:
        raise ValidationError(problems, what=str(path))
    data = source.data
    return Recommendations(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        questionnaire=data["questionnaire"],
        benefits=dict(data["benefits"]),
        actions=tuple(
            Action(
                a["id"],
                a["dimension"],
                a["step"],
                a["title"],
                a["description"],
                a["effort"],
                int(a["duration_weeks"]),
                a["benefit"],
                tuple(a.get("depends_on", ())),
            )
            for a in data["actions"]
        ),
    )


def check_recommendations(
    source: YamlSource, questionnaire: Questionnaire | None = None
) -> list[Problem]:
    """Every problem in a loaded library, in file order; empty when it is valid."""
    if not isinstance(source.data, dict):
        return [Problem(source.where(()), "expected a mapping of library keys at the top")]
    problems = list(source.problems) + schema_problems(
        source, recommendations_schema(), "the library"
    )
    if problems:  # the cross-checks below assume the shape is right
        return problems
    if questionnaire is None:
        try:
            questionnaire = load_questionnaire(
                source.data["questionnaire"], search=[Path(source.path).parent]
            )
        except PmoAssessError as exc:
            return [Problem(source.where(("questionnaire",)), f"cannot load questionnaire: {exc}")]
    problems += _reference_problems(source, questionnaire)
    problems += _cycle_problems(source)
    return sorted(
        problems,
        key=lambda p: int(p.location.rsplit(":", 1)[-1]) if p.location[-1].isdigit() else 0,
    )


def _reference_problems(source: YamlSource, questionnaire: Questionnaire) -> Iterator[Problem]:
    data = source.data
    dimensions = [d.id for d in questionnaire.dimensions]
    ids: dict[str, int] = {}
    for i, action in enumerate(data["actions"]):
        path = ("actions", i)
        if action["id"] in ids:
            yield Problem(
                source.where(path),
                f"action id '{action['id']}' is used twice (first at line {ids[action['id']]})",
            )
        ids.setdefault(action["id"], source.line(path))
        if action["dimension"] not in dimensions:
            yield Problem(
                source.where((*path, "dimension")),
                f"action '{action['id']}' names dimension "
                f"'{action['dimension']}', which is not a top-level dimension of "
                f"'{questionnaire.id}': {', '.join(dimensions)}",
            )
        if action["benefit"] not in data["benefits"]:
            yield Problem(
                source.where((*path, "benefit")),
                f"action '{action['id']}' serves benefit "
                f"'{action['benefit']}', which is not one of: {', '.join(data['benefits'])}",
            )
    for i, action in enumerate(data["actions"]):
        for j, needed in enumerate(action.get("depends_on", ())):
            if needed not in ids:
                yield Problem(
                    source.where(("actions", i, "depends_on", j)),
                    f"action '{action['id']}' depends on '{needed}', which is not an action of this library",
                )
    for dimension in dimensions:
        for step in STEPS:
            count = sum(
                1 for a in data["actions"] if a["dimension"] == dimension and a["step"] == step
            )
            low, high = ACTIONS_PER_STEP
            if not low <= count <= high:
                yield Problem(
                    source.where(("actions",)),
                    f"dimension '{dimension}' step {step} has {count} "
                    f"action(s); each dimension needs {low} to {high} per step",
                )


def _cycle_problems(source: YamlSource) -> Iterator[Problem]:
    actions = source.data["actions"]
    needs = {a["id"]: [d for d in a.get("depends_on", ())] for a in actions}
    line = {a["id"]: source.line(("actions", i)) for i, a in enumerate(actions)}
    state: dict[str, str] = {}
    reported: set[frozenset[str]] = set()

    def visit(node: str, trail: list[str]) -> Iterator[Problem]:
        state[node] = "open"
        for needed in needs.get(node, ()):
            if state.get(needed) == "open":
                cycle = [*trail[trail.index(needed) :], needed]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    yield Problem(
                        f"{source.path}:{line[needed]}", "dependency cycle: " + " → ".join(cycle)
                    )
            elif needed in needs and needed not in state:
                yield from visit(needed, [*trail, needed])
        state[node] = "done"

    for start in needs:
        if start not in state:
            yield from visit(start, [start])
