"""Check a questionnaire file: its shape against ``schema.json``, then the rules a schema cannot say.

Every problem is collected in one pass and reported with ``file:line``. The shape check runs
first; the cross-reference rules (ids, answer sets, levels, anchors) then look only at parts
whose shape is right, so one typo does not cascade into a dozen messages.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, TypeGuard

from pmo_assess.core.errors import Problem
from pmo_assess.core.paths import questionnaires_dir
from pmo_assess.core.text import normalise_text
from pmo_assess.core.yamlsource import JsonPath, YamlSource

if TYPE_CHECKING:
    import jsonschema

_TYPE_NAMES = {
    "string": "text",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping (key: value)",
    "array": "a list",
    "integer": "a whole number",
}


@cache
def questionnaire_schema() -> dict[str, Any]:
    """The JSON Schema of the questionnaire format (``questionnaires/schema.json``)."""
    with (questionnaires_dir() / "schema.json").open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def check_questionnaire(source: YamlSource) -> list[Problem]:
    """Every problem in a loaded questionnaire file, in file order; empty when it is valid."""
    problems = list(source.problems)
    if not isinstance(source.data, dict):
        return [Problem(source.where(()), "expected a mapping of questionnaire keys at the top")]
    problems += schema_problems(source, questionnaire_schema())
    problems += _rule_problems(source)
    return sorted(problems, key=lambda p: _line_of(p.location))


def schema_problems(
    source: YamlSource, schema: dict[str, Any], top: str = "the questionnaire"
) -> list[Problem]:
    """The schema's complaints about a YAML source, in plain words with file and line."""
    import jsonschema  # imported here: about a second to import, and only validation needs it

    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for error in validator.iter_errors(_with_text_keys(source.data)):
        if error.validator in ("oneOf", "anyOf"):
            continue  # node shape rules are checked by _node_shape_problems, with a clearer message
        path = _original_path(source.data, tuple(error.absolute_path))
        where = _original_path(source.data, (*path, *_unknown_keys(error)[:1]))  # the bad key
        problems.append(Problem(source.where(where), _explain(error, path, source, top)))
    return problems


def _unknown_keys(error: jsonschema.ValidationError) -> list[Any]:
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return []
    known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    return [k for k in error.instance if k not in known and not str(k).startswith("x-")]


def _explain(
    error: jsonschema.ValidationError, path: JsonPath, source: YamlSource, top: str
) -> str:
    owner = describe_owner(source.data, path, top)
    field = f"'{path[-1]}'" if path and isinstance(path[-1], str) else "this entry"
    kind = error.validator
    schema: Any = error.schema
    if kind == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return f"{owner} is missing the required key '{missing[0] if missing else error.message}'"
    if kind == "additionalProperties":
        allowed_keys = sorted(schema.get("properties", {}))
        hints = []
        for key in _unknown_keys(error):
            close = difflib.get_close_matches(str(key), allowed_keys, n=1)
            hints.append(f"'{key}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
        return (
            f"{owner} has unknown key {', '.join(hints)}; allowed keys: {', '.join(allowed_keys)} "
            "(extension keys start with 'x-')"
        )
    if kind == "type":
        expected = _TYPE_NAMES.get(str(error.validator_value), str(error.validator_value))
        written = source.written_as(path)
        if written and not written[1] and error.validator_value == "string":
            if not written[0]:
                return f"{field} of {owner} is empty; it must be text"
            return (
                f"{field} of {owner} must be text, but YAML read `{written[0]}` as "
                f'{_yaml_kind(error.instance)}; put it in quotes: "{written[0]}"'
            )
        return f"{field} of {owner} must be {expected}; got {error.instance!r}"
    if kind == "exclusiveMinimum":
        return f"{field} of {owner} must be greater than {error.validator_value}; got {error.instance!r}"
    if kind == "enum":
        allowed = ", ".join(str(v) for v in schema.get("enum", []))
        return f"{field} of {owner} must be one of: {allowed}; got {error.instance!r}"
    if kind == "const":
        return f"{field} must be {error.validator_value!r}; got {error.instance!r}"
    if kind == "pattern":
        return (
            f"{owner}: {error.instance!r} is not a valid id; use letters, digits, '.', '_' "
            "or '-', starting with a letter or digit"
        )
    if kind in ("minItems", "minProperties", "minLength"):
        return f"{field} of {owner} must not be empty"
    return f"{owner}: {error.message}"


def _yaml_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "null" if value is None else f"a {type(value).__name__}"  # date, datetime


def describe_owner(data: Any, path: JsonPath, top: str = "the questionnaire") -> str:
    """Name the innermost dimension, question, answer set, level or action that ``path`` points into."""
    owner, node = top, data
    for i, key in enumerate(path):
        parent_key = path[i - 1] if i else None
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
        ident = node.get("id") if isinstance(node, dict) else None
        if parent_key in ("dimensions", "questions", "actions"):
            kind = str(parent_key)[:-1]
            owner = f"{kind} '{ident}'" if isinstance(ident, str) else f"{kind} #{int(key) + 1}"
        elif parent_key == "answer_sets" and i == 1:
            owner = f"answer set '{key}'"
        elif owner.startswith("answer set") and isinstance(key, int):
            owner = f"{owner.split(' option')[0]} option {key + 1}"
        elif parent_key == "levels":
            owner = f"level {int(key) + 1}"
    return owner


def _rule_problems(source: YamlSource) -> Iterator[Problem]:
    data = source.data
    answer_sets = data.get("answer_sets") if isinstance(data.get("answer_sets"), dict) else {}
    yield from _answer_set_problems(source, answer_sets)
    yield from _level_problems(source, data.get("levels"))
    seen_ids: dict[str, tuple[str, int]] = {}  # dimension and question ids share one namespace
    seen_texts: dict[str, tuple[str, int]] = {}
    for path, node, kind in _walk_nodes(data):
        where = source.where(path)
        ident = node.get("id")
        if isinstance(ident, str):
            if ident in seen_ids:
                first_kind, first_line = seen_ids[ident]
                also = "" if first_kind == kind else f" (by a {first_kind})"
                yield Problem(
                    where,
                    f"{kind} id '{ident}' is used twice (first at line {first_line}{also})",
                )
            seen_ids.setdefault(ident, (kind, source.line(path)))
        if kind == "dimension":
            yield from _node_shape_problems(source, path, node)
        else:
            yield from _question_problems(source, path, node, answer_sets, seen_texts)


def _walk_nodes(data: Any, path: JsonPath = ()) -> Iterator[tuple[JsonPath, dict[str, Any], str]]:
    for key, kind in (("dimensions", "dimension"), ("questions", "question")):
        children = data.get(key) if isinstance(data, dict) else None
        if not isinstance(children, list):
            continue
        for i, child in enumerate(children):
            if isinstance(child, dict):
                yield (*path, key, i), child, kind
                yield from _walk_nodes(child, (*path, key, i))


def _node_shape_problems(
    source: YamlSource, path: JsonPath, node: dict[str, Any]
) -> Iterator[Problem]:
    has_dims, has_questions = "dimensions" in node, "questions" in node
    if has_dims == has_questions:
        which = (
            "both 'dimensions' and 'questions'"
            if has_dims
            else "neither 'dimensions' nor 'questions'"
        )
        yield Problem(
            source.where(path),
            f"{describe_owner(source.data, path)} has {which}; "
            "a dimension holds either child dimensions or questions",
        )


def _question_problems(
    source: YamlSource,
    path: JsonPath,
    node: dict[str, Any],
    answer_sets: dict[str, Any],
    seen_texts: dict[str, tuple[str, int]],
) -> Iterator[Problem]:
    owner = describe_owner(source.data, path)
    set_id = node.get("answer_set")
    if isinstance(set_id, str) and set_id not in answer_sets:
        yield Problem(
            source.where((*path, "answer_set")),
            f"{owner} uses answer set '{set_id}', which is not defined; defined answer sets: "
            f"{', '.join(map(str, answer_sets)) or 'none'}",
        )
    options = answer_sets.get(set_id) if isinstance(set_id, str) else None
    anchors = node.get("anchors")
    if isinstance(options, list) and isinstance(anchors, dict):
        values = {
            float(o["value"]) for o in options if isinstance(o, dict) and _is_number(o.get("value"))
        }
        for key in anchors:
            if _is_number(key) and float(key) not in values:
                allowed = ", ".join(f"{v:g}" for v in sorted(values))
                yield Problem(
                    source.where((*path, "anchors", key)),
                    f"{owner} has an anchor for {key}, which is not a value of answer set "
                    f"'{set_id}' (values: {allowed})",
                )
    wordings = [node.get("text"), *(node.get("aliases") or [])]
    for wording in wordings:
        if isinstance(wording, str) and isinstance(node.get("id"), str):
            key = normalise_text(wording)
            other = seen_texts.get(key)
            if other and other[0] != node["id"]:
                yield Problem(
                    source.where(path),
                    f"{owner} has the same wording as question "
                    f"'{other[0]}' (line {other[1]}): {wording!r}; survey columns could not "
                    "be matched to one question",
                )
            seen_texts.setdefault(key, (node["id"], source.line(path)))


def _answer_set_problems(source: YamlSource, answer_sets: dict[str, Any]) -> Iterator[Problem]:
    for set_id, options in answer_sets.items():
        if not isinstance(options, list):
            continue
        labels: dict[str, int] = {}
        values: dict[float, int] = {}
        for i, option in enumerate(options):
            if not isinstance(option, dict):
                continue
            path: JsonPath = ("answer_sets", set_id, i)
            where, line = source.where(path), source.line(path)
            kinds = ["value"] if option.get("value") is not None else []
            kinds += [k for k in ("not_applicable", "dont_know") if option.get(k) is True]
            if len(kinds) != 1:
                yield Problem(
                    where,
                    f"answer set '{set_id}' option {i + 1} must have exactly one of "
                    f"'value', 'not_applicable: true' or 'dont_know: true'; it has "
                    f"{', '.join(kinds) or 'none'}",
                )
            label = option.get("label")
            if isinstance(label, str):
                key = normalise_text(label)
                if key in labels:
                    yield Problem(
                        where,
                        f"answer set '{set_id}' has the label {label!r} twice "
                        f"(first at line {labels[key]})",
                    )
                labels.setdefault(key, line)
            value = option.get("value")
            if _is_number(value):
                if float(value) in values:
                    yield Problem(
                        where,
                        f"answer set '{set_id}' has the value {value} twice "
                        f"(first at line {values[float(value)]})",
                    )
                values.setdefault(float(value), line)
        if options and not values:
            yield Problem(
                source.where(("answer_sets", set_id)),
                f"answer set '{set_id}' has no option with a value, so nothing could be scored",
            )


def _level_problems(source: YamlSource, levels: Any) -> Iterator[Problem]:
    if not isinstance(levels, list):
        return
    previous: float | None = None
    for i, level in enumerate(levels):
        minimum = level.get("min") if isinstance(level, dict) else None
        if not _is_number(minimum):
            continue
        if previous is not None and float(minimum) <= previous:
            yield Problem(
                source.where(("levels", i)),
                f"levels must ascend by 'min': level {i + 1} has min {minimum}, "
                f"not above the previous level's {previous:g}",
            )
        previous = float(minimum)


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _with_text_keys(data: Any) -> Any:
    """JSON Schema sees only text keys; YAML anchors are keyed by numbers."""
    if isinstance(data, dict):
        return {str(k): _with_text_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_with_text_keys(v) for v in data]
    return data


def _original_path(data: Any, path: tuple[Any, ...]) -> JsonPath:
    """Map a path through text keys back to the data's own keys (``"1"`` back to ``1``)."""
    result: list[Any] = []
    node = data
    for key in path:
        if isinstance(node, dict):
            key = next((k for k in node if str(k) == str(key)), key)
        result.append(key)
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    return tuple(result)


def _line_of(location: str) -> int:
    match = re.search(r":(\d+)$", location)
    return int(match.group(1)) if match else 0
