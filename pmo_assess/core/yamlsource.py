"""Read a YAML data file safely while remembering the line of every value, for error messages.

PyYAML's ``safe_load`` forgets where things were; validation messages must say "file:line".
This composes the node graph with the safe loader and rebuilds plain Python data from it,
recording each value's line and, for scalars, the text as written (so that ``label: No``
can be reported as "YAML read `No` as a boolean").
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pmo_assess.core.errors import Problem, ValidationError

JsonPath = tuple[Any, ...]  # mapping keys (any YAML scalar) and list indices

#: Limits a real data file never meets; beyond them a file is refused rather than let it use
#: gigabytes of memory or blow the stack.
MAX_YAML_BYTES = 5_000_000
MAX_YAML_DEPTH = 50


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
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            problem = Problem(
                str(path),
                f"the file is {size / 1e6:.1f} MB; YAML data files are read up to "
                f"{MAX_YAML_BYTES // 1_000_000} MB (is this the right file?)",
            )
            raise ValidationError([problem], what=str(path))
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError([Problem(str(path), "file not found")], what=str(path)) from None
    except UnicodeDecodeError as exc:
        problem = Problem(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        raise ValidationError([problem], what=str(path)) from None
    return parse_yaml(text, str(path))


def parse_yaml(text: str, name: str) -> YamlSource:
    """Parse YAML text; ``name`` is used in messages.

    Aliases are refused and nesting is limited, so a small file cannot grow into gigabytes:

    >>> parse_yaml("a: &x [1]\\nb: *x\\n", "f.yaml")
    Traceback (most recent call last):
    ...
    pmo_assess.core.errors.ValidationError: 1 problem in f.yaml:
      1. f.yaml:2: YAML alias '*x' (a reference to '&x'): these files do not use anchors or aliases; write the value out in full
    """
    source = YamlSource(path=name, data=None)
    loader: _LimitedLoader | None = None
    try:
        loader = _LimitedLoader(text)
        node = loader.get_single_node()
        if node is not None:
            source.data = _build(node, (), loader, source)
    except _LimitError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise ValidationError([Problem(f"{name}:{line}", str(exc.problem))], what=name) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = f", column {mark.column + 1}" if mark else ""
        detail = exc.problem or exc.context or "invalid YAML"
        problem = Problem(f"{name}:{line}", f"YAML syntax error{column}: {detail}")
        raise ValidationError([problem], what=name) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        problem = Problem(
            f"{name}:{line}",
            f"control character U+{exc.character:04X} is not allowed in YAML text "
            "(is this a text file?)",
        )
        raise ValidationError([problem], what=name) from None
    except yaml.YAMLError as exc:
        raise ValidationError([Problem(name, f"YAML error: {exc}")], what=name) from None
    finally:
        if loader is not None:
            loader.dispose()
    return source


class _LimitError(yaml.MarkedYAMLError):
    """A file our formats would never be: an alias, or nesting deeper than :data:`MAX_YAML_DEPTH`."""


def _refused(message: str, mark: Any) -> _LimitError:
    return _LimitError(problem=message, problem_mark=mark)


class _LimitedLoader(yaml.SafeLoader):
    """The safe loader without aliases (each may expand to a copy of everything before it) and
    with a depth limit (the composer recurses once per level)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            message = (
                f"YAML alias '*{event.anchor}' (a reference to '&{event.anchor}'): these files "
                "do not use anchors or aliases; write the value out in full"
            )
            raise _refused(message, event.start_mark)
        if self._depth >= MAX_YAML_DEPTH and not isinstance(event, yaml.ScalarEvent):
            message = f"nested more than {MAX_YAML_DEPTH} levels deep; these files need a handful"
            raise _refused(message, event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _build(node: yaml.Node, path: JsonPath, loader: yaml.SafeLoader, source: YamlSource) -> Any:
    source.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, loader)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or not isinstance(key, Hashable):
                message = "a mapping key must be plain text, not a list or mapping"
                raise _LimitError(problem=message, problem_mark=key_node.start_mark)
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
    return _scalar(node, loader)


def _scalar(node: yaml.Node, loader: yaml.SafeLoader) -> Any:
    """A scalar's value; one YAML's resolver claims but cannot build (``2025-13-45`` as a date,
    ``!!int abc``) is a problem at its line, not a traceback."""
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, TypeError, AttributeError, OverflowError) as exc:
        message = f"YAML cannot read '{node.value}' as {node.tag.rpartition(':')[2]} ({exc})"
        raise _LimitError(problem=message, problem_mark=node.start_mark) from None
