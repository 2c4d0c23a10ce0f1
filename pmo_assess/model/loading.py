"""Load questionnaires: find a file by id or path, validate it, and build the frozen model."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
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


def load_questionnaire(
    id_or_path: str | Path, search: Sequence[Path] = (), digest: str | None = None
) -> Questionnaire:
    """Load and validate a questionnaire, given a file path or the id of a built-in one.

    ``search`` names further folders of questionnaires (a workspace's own); ``digest`` picks
    the one with that content among several versions there (see :func:`find_questionnaire`).

    Raises :class:`ValidationError` listing every problem when the file is not valid.

    >>> q = load_questionnaire("pmo-maturity")
    >>> q.id, len(q.dimensions) >= 10
    ('pmo-maturity', True)
    """
    path = find_questionnaire(id_or_path, search, digest)
    return _load_path(path.resolve(), path.stat().st_mtime_ns)


@dataclass(frozen=True)
class QuestionnaireFile:
    """Who a questionnaire file says it is: the id and version inside it, and its digest."""

    path: Path
    id: str
    version: str
    digest: str


def find_questionnaire(
    id_or_path: str | Path, search: Sequence[Path] = (), digest: str | None = None
) -> Path:
    """The file for a path, or for the id of a questionnaire built in or in ``search``.

    Files are known by the id inside them, not their names. A built-in id always means the
    built-in file. With ``digest`` only the file of that content will do; without it, the
    highest version of the id wins.
    """
    candidate = Path(id_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        if not candidate.is_file():
            raise PmoAssessError(f"Questionnaire file not found: {candidate}")
        return candidate
    wanted = str(id_or_path)
    builtin = builtin_questionnaires()
    if wanted in builtin:
        return builtin[wanted]
    found = [f for f in questionnaire_files(search) if f.id == wanted]
    exact = [f for f in found if digest is None or f.digest == digest]
    if exact:
        return max(exact, key=lambda f: _version_key(f.version)).path
    if digest is not None:
        kept = ", ".join(f"{f.path.name} (version {f.version})" for f in found) or "none"
        raise PmoAssessError(
            f"Questionnaire '{wanted}' with digest {digest[:12]} is gone from "
            f"{', '.join(str(s) for s in search)} (files of that id: {kept}). Put back the file "
            "the engagement was assessed with, e.g. by importing with --questionnaire FILE."
        )
    known = sorted({*builtin, *(f.id for f in questionnaire_files(search))})
    raise PmoAssessError(
        f"Unknown questionnaire '{id_or_path}'. Questionnaires: {', '.join(known)}; "
        "or give the path of a .yaml file."
    )


def builtin_questionnaires(search: Sequence[Path] = ()) -> dict[str, Path]:
    """Questionnaires by the id inside each file: the built-in ones, then those in ``search``.

    A built-in id cannot be taken by a file in ``search``; recommendation libraries
    (``x.recommendations.yaml``) and files that are no questionnaire are not listed.
    """
    found: dict[str, Path] = {}
    for file in questionnaire_files([questionnaires_dir(), *search]):
        found.setdefault(file.id, file.path)
    return found


def questionnaire_files(folders: Sequence[Path]) -> list[QuestionnaireFile]:
    """Every questionnaire file in ``folders`` with its id, version and digest, in name order."""
    files = [
        path
        for folder in folders
        for path in sorted(Path(folder).glob("*.y*ml"))
        if path.suffix in (".yaml", ".yml") and not path.name.endswith(LIBRARY_SUFFIXES)
    ]
    found = [_identity(path.resolve(), path.stat().st_mtime_ns) for path in files]
    return [f for f in found if f is not None]


def questionnaire_digest(data: Any) -> str:
    """sha256 of a questionnaire's content, normalised: key order, layout and comments of the
    file do not count, only what it says.

    >>> questionnaire_digest({"b": 1, "a": "x"}) == questionnaire_digest({"a": "x", "b": 1})
    True
    """
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


LIBRARY_SUFFIXES = (".recommendations.yaml", ".recommendations.yml")


@cache
def _identity(path: Path, _mtime_ns: int) -> QuestionnaireFile | None:
    try:
        data = load_yaml(path).data
    except ValidationError:
        return None
    if not isinstance(data, dict) or "id" not in data or "dimensions" not in data:
        return None
    version = str(data.get("version", ""))
    return QuestionnaireFile(path, str(data["id"]), version, questionnaire_digest(data))


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in version.split("."))


@cache
def _load_path(path: Path, _mtime_ns: int) -> Questionnaire:
    # A copy of a file already loaded (a report run copies the questionnaire beside its results)
    # is not parsed again: parsing the built-in one costs a report kernel about 0.3 s, and kernels
    # forked from a batch's fork server inherit what it loaded before forking them.
    content = hashlib.sha256(path.read_bytes()).hexdigest()
    known = _BY_CONTENT.get(content)
    if known is not None:
        return replace(known, source=str(path))
    source = load_yaml(path)
    problems = check_questionnaire(source)
    if problems:
        raise ValidationError(problems, what=str(path))
    loaded = _BY_CONTENT[content] = build_questionnaire(source.data, source=str(path))
    return loaded


#: Questionnaires this process loaded, by the sha256 of their file's bytes.
_BY_CONTENT: dict[str, Questionnaire] = {}


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
        digest=questionnaire_digest(data),
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
