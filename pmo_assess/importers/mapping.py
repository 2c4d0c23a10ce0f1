"""Mapping files: how the columns, answers and roles of one survey map onto a questionnaire.

A mapping is YAML, validated like a questionnaire: every problem is reported with ``file:line``.
Its shape is checked on load; its question ids, answers and roles are checked against the
questionnaire an export is read with and the role vocabulary (:func:`check_mapping`). A column
maps to a question id, ``ignore``, or a note: ``"note: <question id>"`` on that answer,
``"note: respondent"`` on the respondent, ``"note: <dimension id>"`` on a dimension.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmo_assess.core.errors import Problem, ValidationError
from pmo_assess.core.yamlsource import YamlSource, load_yaml
from pmo_assess.importers.base import fold
from pmo_assess.importers.role_names import Vocabulary, role_name
from pmo_assess.model.questionnaire import Questionnaire, format_value
from pmo_assess.model.terms import RoleName
from pmo_assess.scoring.answers import match_option

IGNORE = "ignore"
NOTE_PREFIX = "note:"
RESPONDENT = "respondent"  # "note: respondent": a note on the respondent, not on one answer
_SECTIONS = ("columns", "options", "roles")
_KEYS = ("schema_version", *_SECTIONS, "role_column", "role_names")
_WANTED = {
    "columns": 'a question id, ignore, "note: respondent", "note: <dimension id>" or '
    '"note: <question id>"',
    "options": "an answer label or value",
    "roles": "a role",
}


@dataclass(frozen=True)
class ImportMapping:
    """Survey column → question id (or ``ignore``, or ``note:<id>``), answer text → option label
    or value, the column holding each respondent's role with a map of its values, and the roles
    the mapping adds to the vocabulary with their names.

    ``where`` gives the ``file:line`` of each entry, keyed by (section, key), for messages.
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, str | float] = field(default_factory=dict)
    role_column: str | None = None
    roles: Mapping[str, str] = field(default_factory=dict)
    role_names: Mapping[str, RoleName] = field(default_factory=dict)
    source: str = ""
    where: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def column_target(self, names: Iterable[str]) -> str | None:
        """What the mapping says for a column known by ``names`` (exact first, then normalised)."""
        return _lookup(self.columns, list(names))

    def is_role_column(self, names: Iterable[str]) -> bool:
        """Whether a column known by ``names`` is the mapping's role column."""
        wanted = self.role_column
        return wanted is not None and _lookup({wanted: True}, list(names)) is True

    def option_for(self, answer: str) -> str | None:
        """The answer text a mapping rule turns ``answer`` into, or None without a rule."""
        target = _lookup(self.options, [answer])
        if target is None or isinstance(target, str):
            return target
        return format_value(float(target))

    def role_rule(self, value: str) -> str | None:
        """The role ``roles`` gives a role-column cell, or None without a rule.

        >>> ImportMapping(roles={"Project Manager": "pmo"}).role_rule("project manager")
        'pmo'
        """
        rule = _lookup(self.roles, [value])
        return None if rule is None else str(rule)

    def vocabulary(self) -> Vocabulary:
        """The roles an import with this mapping accepts."""
        return Vocabulary(self.role_names)

    def locate(self, section: str, key: str) -> str:
        """``file:line`` of an entry, or the mapping's source when it was not read from a file."""
        return self.where.get((section, key), self.source or "the mapping")


def _lookup(table: Mapping[str, Any], names: list[str]) -> Any:
    for name in names:
        if name in table:
            return table[name]
    folded = {fold(k): v for k, v in table.items()}
    for name in names:
        if fold(name) in folded:
            return folded[fold(name)]
    return None


def note_about(target: str) -> str | None:
    """What a column target notes (a question or dimension id, or ``respondent``), or None when
    it is not a note.

    >>> note_about("note: respondent"), note_about("governance.gates")
    ('respondent', None)
    """
    return target.removeprefix(NOTE_PREFIX).strip() if target.startswith(NOTE_PREFIX) else None


def load_mapping(path: str | Path, questionnaire: Questionnaire | None = None) -> ImportMapping:
    """Load and validate a mapping file; with a questionnaire, check its ids and answers too.

    Raises :class:`ValidationError` listing every problem with ``file:line``.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "map.yaml")
    ...     _ = open(path, "w").write('schema_version: 1\\ncolumns: {"Gates?": ignore}\\n')
    ...     load_mapping(path).columns
    {'Gates?': 'ignore'}
    """
    source = load_yaml(path)
    problems = list(source.problems)
    mapping = _build(source, problems)
    if questionnaire is not None:
        problems += check_mapping(mapping, questionnaire)  # the entries whose shape is right
    if problems:
        raise ValidationError(sorted(problems, key=_line), what=str(path))
    return mapping


def _line(problem: Problem) -> int:
    line = problem.location.rpartition(":")[2]
    return int(line) if line.isdigit() else 0


def _build(source: YamlSource, problems: list[Problem]) -> ImportMapping:
    data = source.data
    if not isinstance(data, dict):
        problems.append(Problem(source.where(()), "expected a mapping with keys " + _allowed()))
        return ImportMapping(source=source.path)
    for key in data:
        if key not in _KEYS and not str(key).startswith("x-"):
            close = difflib.get_close_matches(str(key), _KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(
                Problem(
                    source.where((key,)), f"unknown key '{key}'{hint}; allowed keys: {_allowed()}"
                )
            )
    if data.get("schema_version") != 1:
        problems.append(
            Problem(
                source.where(("schema_version",)),
                f"'schema_version' must be 1; got {data.get('schema_version')!r}",
            )
        )
    role_column = data.get("role_column")
    if role_column is not None and not (isinstance(role_column, str) and role_column):
        problems.append(
            Problem(source.where(("role_column",)), "'role_column' must be a column header (text)")
        )
    tables = {s: _table(source, s, problems) for s in _SECTIONS}
    where = {
        (s, k): source.where((s, raw)) for s, table in tables.items() for k, raw in table.items()
    }
    if isinstance(role_column, str):
        where["role_column", role_column] = source.where(("role_column",))
    return ImportMapping(
        columns={k: _target(source.data["columns"][raw]) for k, raw in tables["columns"].items()},
        options={k: source.data["options"][raw] for k, raw in tables["options"].items()},
        role_column=role_column if isinstance(role_column, str) else None,
        roles={k: source.data["roles"][raw] for k, raw in tables["roles"].items()},
        role_names=_role_names(source, problems, where),
        source=source.path,
        where=where,
    )


def _target(value: Any) -> str:
    # {note: respondent} is what YAML makes of an unquoted `note: respondent` inside braces
    return f"{NOTE_PREFIX} {value['note']}" if isinstance(value, dict) else str(value).strip()


def _role_names(
    source: YamlSource, problems: list[Problem], where: dict[tuple[str, str], str]
) -> dict[str, RoleName]:
    table = source.data.get("role_names")
    if table is None:
        return {}
    if not isinstance(table, dict):
        problems.append(Problem(source.where(("role_names",)), "'role_names' must be a mapping"))
        return {}
    names = {}
    for slug, written in table.items():
        name, problem = role_name(str(slug), written)
        where["role_names", str(slug)] = source.where(("role_names", slug))
        if name is None:
            problems.append(Problem(source.where(("role_names", slug)), f"role_names: {problem}"))
        else:
            names[str(slug)] = name
    return names


def _table(source: YamlSource, section: str, problems: list[Problem]) -> dict[str, Any]:
    """The valid entries of one section, as text key → the key as YAML read it."""
    table = source.data.get(section)
    if table is None:
        return {}
    if not isinstance(table, dict):
        problems.append(
            Problem(source.where((section,)), f"'{section}' must be a mapping (key: value)")
        )
        return {}
    entries = {}
    for raw, value in table.items():
        where = source.where((section, raw))
        if isinstance(raw, bool) or raw is None:
            written = "true/false" if isinstance(raw, bool) else "null"
            problems.append(
                Problem(where, f"{section}: YAML read a key as {written}; put it in quotes")
            )
            continue
        key = format_value(raw) if isinstance(raw, int | float) else str(raw)
        problem = _value_problem(section, key, value)
        if problem:
            problems.append(Problem(where, problem))
        else:
            entries[key] = raw
    return entries


def _value_problem(section: str, key: str, value: Any) -> str | None:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if section == "options" and number:
        return None
    if isinstance(value, str) and value.strip():
        return None
    if section == "columns" and isinstance(value, dict) and list(value) == ["note"]:
        return None
    if value is None:  # a draft's entry left to fill in
        return f"{section}: '{key}' has no value yet; write {_WANTED[section]}"
    return f"{section}: '{key}' must map to {_WANTED[section]}; got {value!r}"


def _allowed() -> str:
    return ", ".join(sorted(_KEYS))


def check_mapping(mapping: ImportMapping, questionnaire: Questionnaire) -> list[Problem]:
    """Problems of a mapping against a questionnaire and the role vocabulary: unknown question
    or dimension ids, option rules that name no answer of any answer set, unknown roles."""
    problems = [_column_problem(mapping, questionnaire, h, t) for h, t in mapping.columns.items()]
    used_sets = [
        questionnaire.answer_sets[s] for s in {q.answer_set for q in questionnaire.questions()}
    ]
    for answer, rule in mapping.options.items():
        text = rule if isinstance(rule, str) else format_value(float(rule))
        if not any(match_option(text, answer_set) for answer_set in used_sets):
            allowed = " | ".join(sorted(a.describe() for a in used_sets))
            problems.append(
                Problem(
                    mapping.locate("options", answer),
                    f"option '{answer}' maps to {rule!r}, which is no answer of the "
                    f"questionnaire; answers: {allowed}",
                )
            )
    vocabulary = mapping.vocabulary()
    for text, role in mapping.roles.items():
        if vocabulary.role(role) is None:
            problems.append(
                Problem(
                    mapping.locate("roles", text),
                    f"roles: '{text}' maps to '{role}', which is not a known role "
                    f"({vocabulary.hint(role)}); add it with its names under 'role_names'",
                )
            )
    return [p for p in problems if p is not None]


def _column_problem(
    mapping: ImportMapping, questionnaire: Questionnaire, header: str, target: str
) -> Problem | None:
    about = note_about(target)
    wanted = about if about is not None else target
    ids = [q.id for q in questionnaire.questions()]
    allowed = ids if about is None else [RESPONDENT, *(d.id for d in questionnaire.walk()), *ids]
    if target == IGNORE or wanted in allowed:
        return None
    kind = "question id" if about is None else "question or dimension id"
    close = difflib.get_close_matches(wanted, allowed, n=3, cutoff=0.5)
    hint = f"; closest ids: {', '.join(close)}" if close else f"; ids: {', '.join(ids)}"
    return Problem(
        mapping.locate("columns", header),
        f"column '{header}' maps to unknown {kind} '{wanted}'{hint}",
    )
