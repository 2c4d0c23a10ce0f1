"""Load questionnaires: find a file by id or path, validate it, and build the frozen model."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from pmo_assess.core.errors import PmoAssessError, Problem, ValidationError
from pmo_assess.core.paths import questionnaires_dir
from pmo_assess.core.yamlsource import load_yaml
from pmo_assess.model.questionnaire import (
    AnswerOption,
    AnswerSet,
    Dimension,
    Level,
    Question,
    Questionnaire,
)
from pmo_assess.model.validation import check_questionnaire


def validate_questionnaire_file(path: str | Path) -> list[Problem]:
    """Every problem in a questionnaire file; an empty list when it is valid.

    >>> from pmo_assess.core.paths import questionnaires_dir
    >>> validate_questionnaire_file(questionnaires_dir() / "pmo_maturity.yaml")
    []
    """
    try:
        source = load_yaml(path)
    except ValidationError as exc:
        return list(exc.problems)
    return check_questionnaire(source)


def load_questionnaire(id_or_path: str | Path, search: Sequence[Path] = ()) -> Questionnaire:
    """Load and validate a questionnaire, given a file path or the id of a built-in one.

    ``search`` names further folders of questionnaires (a workspace's own), looked at first.

    Raises :class:`ValidationError` listing every problem when the file is not valid.

    >>> q = load_questionnaire("pmo-maturity")
    >>> q.id, len(q.dimensions) >= 10
    ('pmo-maturity', True)
    """
    path = find_questionnaire(id_or_path, search)
    return _load_path(path.resolve(), path.stat().st_mtime_ns)


def find_questionnaire(id_or_path: str | Path, search: Sequence[Path] = ()) -> Path:
    """The file for a path, or for the id of a questionnaire in ``search`` or built in."""
    candidate = Path(id_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        if not candidate.is_file():
            raise PmoAssessError(f"Questionnaire file not found: {candidate}")
        return candidate
    known = builtin_questionnaires(search)
    if str(id_or_path) in known:
        return known[str(id_or_path)]
    raise PmoAssessError(
        f"Unknown questionnaire '{id_or_path}'. Built-in questionnaires: {', '.join(sorted(known))}; "
        "or give the path of a .yaml file."
    )


def builtin_questionnaires(search: Sequence[Path] = ()) -> dict[str, Path]:
    """Questionnaires by id: those in ``search`` folders first, then the built-in ones.

    A file's id is its name with '_' as '-' (``pmo_maturity.yaml`` is ``pmo-maturity``);
    recommendation libraries and other data files (``x.recommendations.yaml``) are not listed.
    """
    found: dict[str, Path] = {}
    for folder in (*search, questionnaires_dir()):
        for path in sorted(Path(folder).glob("*.yaml")):
            if path.name.count(".") == 1:
                found.setdefault(path.stem.replace("_", "-"), path)
    return found


@cache
def _load_path(path: Path, _mtime_ns: int) -> Questionnaire:
    source = load_yaml(path)
    problems = check_questionnaire(source)
    if problems:
        raise ValidationError(problems, what=str(path))
    return build_questionnaire(source.data, source=str(path))


def build_questionnaire(data: dict[str, Any], source: str = "") -> Questionnaire:
    """Turn validated questionnaire data into the frozen model."""
    return Questionnaire(
        schema_version=int(data["schema_version"]),
        id=data["id"],
        version=data["version"],
        title=data["title"],
        description=data.get("description", ""),
        answer_sets={k: _answer_set(k, v) for k, v in data["answer_sets"].items()},
        levels=tuple(Level(float(lv["min"]), lv["name"]) for lv in data["levels"]),
        dimensions=tuple(_dimension(d) for d in data["dimensions"]),
        default_target=_optional_float(data.get("default_target")),
        disagreement_threshold=_optional_float(data.get("disagreement_threshold")),
        source=source,
        subject=data.get("subject", ""),
        benefits=tuple(data.get("benefits", ())),
        precision=data.get("precision"),
    )


def _answer_set(set_id: str, options: list[dict[str, Any]]) -> AnswerSet:
    return AnswerSet(
        id=set_id,
        options=tuple(
            AnswerOption(
                label=o["label"],
                value=_optional_float(o.get("value")),
                not_applicable=bool(o.get("not_applicable", False)),
                dont_know=bool(o.get("dont_know", False)),
            )
            for o in options
        ),
    )


def _dimension(data: dict[str, Any]) -> Dimension:
    return Dimension(
        id=data["id"],
        title=data["title"],
        weight=float(data.get("weight", 1.0)),
        aggregation=data.get("aggregation", "mean"),
        target=_optional_float(data.get("target")),
        description=data.get("description", ""),
        pmo_functions=tuple(data.get("pmo_functions", ())),
        dimensions=tuple(_dimension(d) for d in data.get("dimensions", ())),
        questions=tuple(_question(q) for q in data.get("questions", ())),
    )


def _question(data: dict[str, Any]) -> Question:
    return Question(
        id=data["id"],
        text=data["text"],
        answer_set=data["answer_set"],
        weight=float(data.get("weight", 1.0)),
        anchors={float(k): v for k, v in data.get("anchors", {}).items()},
        evidence=tuple(data.get("evidence", ())),
        aliases=tuple(data.get("aliases", ())),
        help=data.get("help", ""),
    )


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)
