"""Write a mapping file: the entries of an :class:`ImportMapping`, and entries a consultant still
has to fill in (an empty value, with what it expects and a suggestion in comments).

Every key and text is written as a JSON string, which YAML reads back unchanged whatever it
holds (``"No"``, ``"#993300"``, quotes, line breaks), so a written file loads to the same mapping.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pmo_assess.importers.mapping import ImportMapping
from pmo_assess.model.terms import RoleName

SECTIONS = ("columns", "options", "roles", "role_names")


@dataclass(frozen=True)
class Entry:
    """One ``key: value`` line of a section; a None value is left for the consultant to fill in."""

    key: str
    value: Any
    comments: tuple[str, ...] = ()  # lines written above the entry
    suggestion: Any = None  # written after an empty value as "# suggestion: <value>"


def entries(mapping: ImportMapping) -> dict[str, list[Entry]]:
    """The mapping's entries by section, in the order it holds them."""
    tables: dict[str, Any] = {
        "columns": mapping.columns,
        "options": mapping.options,
        "roles": mapping.roles,
        "role_names": mapping.role_names,
    }
    return {s: [Entry(k, v) for k, v in tables[s].items()] for s in SECTIONS}


def render(
    header: Iterable[str],
    sections: dict[str, list[Entry]],
    role_column: str | None,
    role_column_comment: str = "",
) -> str:
    """The text of a mapping file: comment lines, ``schema_version``, then each non-empty section.

    >>> print(render(["A draft."], {"columns": [Entry("Dept?", None, ("no question",), "x")]}, None))
    # A draft.
    schema_version: 1
    columns:
      # no question
      "Dept?":  # suggestion: "x"
    <BLANKLINE>
    """
    lines = [f"# {line}".rstrip() for line in header] + ["schema_version: 1"]
    for section in ("columns", "options"):
        lines += _section(section, sections.get(section, []))
    if role_column is not None:
        comment = f"  # {role_column_comment}" if role_column_comment else ""
        lines.append(f"role_column: {_yaml(role_column)}{comment}")
    for section in ("roles", "role_names"):
        lines += _section(section, sections.get(section, []))
    return "\n".join(lines) + "\n"


def _section(name: str, items: Sequence[Entry]) -> list[str]:
    if not items:
        return []
    lines = [f"{name}:"]
    for entry in items:
        lines += [f"  # {' '.join(c.split())}".rstrip() for c in entry.comments]
        if entry.value is not None:
            lines.append(f"  {_yaml(entry.key)}: {_yaml(entry.value)}")
        elif entry.suggestion is not None:
            lines.append(f"  {_yaml(entry.key)}:  # suggestion: {_yaml(entry.suggestion)}")
        else:
            lines.append(f"  {_yaml(entry.key)}:")
    return lines


def _yaml(value: Any) -> str:
    if isinstance(value, RoleName):
        parts = ", ".join(f"{k}: {_yaml(getattr(value, k))}" for k in ("one", "many", "label"))
        return "{" + parts + "}"
    if isinstance(value, bool):  # not a value a mapping holds; written as text, never as true
        return json.dumps(str(value))
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(str(value), ensure_ascii=False)
