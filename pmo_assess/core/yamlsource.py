"""Read a YAML data file safely while remembering the line of every value, for error messages.

PyYAML's ``safe_load`` forgets where things were; validation messages must say "file:line".
This composes the node graph with the safe loader and rebuilds plain Python data from it,
recording each value's line and, for scalars, the text as written (so that ``label: No``
can be reported as "YAML read `No` as a boolean").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pmo_assess.core.errors import Problem, ValidationError

JsonPath = tuple[Any, ...]  # mapping keys (any YAML scalar) and list indices


@dataclass
class YamlSource:
    """Plain data loaded from a YAML file, with the line of each value and problems met on the way.

    A mapping member's line is its key's line; a list item's line is where the item starts.
    """

    path: str
    data: Any
    lines: dict[JsonPath, int] = field(default_factory=dict)
    written: dict[JsonPath, tuple[str, bool]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, path: JsonPath) -> int:
        """The line of the value at ``path``, or of its nearest recorded parent."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def where(self, path: JsonPath) -> str:
        """``file:line`` for the value at ``path``."""
        return f"{self.path}:{self.line(path)}"

    def written_as(self, path: JsonPath) -> tuple[str, bool] | None:
        """The scalar's text as written in the file, and whether it was quoted."""
        return self.written.get(tuple(path))


def load_yaml(path: str | Path) -> YamlSource:
    """Load a YAML file into a :class:`YamlSource`.

    Raises :class:`ValidationError` for a missing file, bad encoding or a YAML syntax error.
    Duplicate keys in one mapping are collected as problems on the returned source.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError([Problem(str(path), "file not found")], what=str(path)) from None
    except UnicodeDecodeError as exc:
        problem = Problem(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        raise ValidationError([problem], what=str(path)) from None
    return parse_yaml(text, str(path))


def parse_yaml(text: str, name: str) -> YamlSource:
    """Parse YAML text; ``name`` is used in messages."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = f", column {mark.column + 1}" if mark else ""
        detail = exc.problem or exc.context or "invalid YAML"
        problem = Problem(f"{name}:{line}", f"YAML syntax error{column}: {detail}")
        raise ValidationError([problem], what=name) from None
    except yaml.YAMLError as exc:
        raise ValidationError([Problem(name, f"YAML error: {exc}")], what=name) from None
    finally:
        loader.dispose()
    source = YamlSource(path=name, data=None)
    if node is not None:
        source.data = _build(node, (), loader, source)
    return source


def _build(node: yaml.Node, path: JsonPath, loader: yaml.SafeLoader, source: YamlSource) -> Any:
    source.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key_line = key_node.start_mark.line + 1
            if key in first_line:
                source.problems.append(
                    Problem(
                        f"{source.path}:{key_line}",
                        f"key '{key}' appears twice in one mapping (first at line {first_line[key]})",
                    )
                )
            first_line.setdefault(key, key_line)
            result[key] = _build(value_node, (*path, key), loader, source)
            source.lines[(*path, key)] = key_line  # a block value starts a line below its key
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), loader, source) for i, item in enumerate(node.value)]
    source.written[path] = (str(node.value), getattr(node, "style", None) is not None)
    return loader.construct_object(node, deep=True)
