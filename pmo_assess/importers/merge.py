"""Merge the mapping kept for a client with the one given for an import: the kept entries stay,
new ones are added, and an entry both hold takes the new value, reported as a change. A smaller
file never shrinks the kept mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pmo_assess.importers.base import fold
from pmo_assess.importers.mapping import ImportMapping
from pmo_assess.importers.mapping_yaml import SECTIONS, entries, render


@dataclass(frozen=True)
class MergedMapping:
    """The mapping an import uses, and what the given file added to or changed in the kept one."""

    mapping: ImportMapping | None
    added: tuple[str, ...] = ()  # "columns 'Dept?'"
    changed: tuple[str, ...] = ()  # "columns 'Dept?': 'ignore', now 'note: respondent'"

    @property
    def grew(self) -> bool:
        """Whether the given file added to or changed the kept mapping."""
        return bool(self.added or self.changed)


def merge_mappings(kept: ImportMapping | None, given: ImportMapping | None) -> MergedMapping:
    """The kept mapping with the given one's entries added or changed.

    Keys are the same entry when they fold alike (``"Dept?"`` and ``"dept"``); the given key's
    wording is kept.

    >>> kept = ImportMapping(columns={"Dept?": "ignore", "Site": "ignore"}, role_column="Role")
    >>> merged = merge_mappings(kept, ImportMapping(columns={"dept": "note: respondent"}))
    >>> merged.mapping.columns, merged.mapping.role_column
    ({'Site': 'ignore', 'dept': 'note: respondent'}, 'Role')
    >>> merged.changed
    ("columns 'dept': was 'ignore', now 'note: respondent'",)
    """
    if kept is None or given is None:
        return MergedMapping(given or kept)
    added: list[str] = []
    changed: list[str] = []
    tables = {
        section: _merged(section, _table(kept, section), _table(given, section), added, changed)
        for section in SECTIONS
    }
    role_column = given.role_column or kept.role_column
    if kept.role_column and given.role_column and kept.role_column != given.role_column:
        changed.append(f"role_column: was {kept.role_column!r}, now {given.role_column!r}")
    elif given.role_column and not kept.role_column:
        added.append("role_column")
    merged = ImportMapping(
        columns=tables["columns"],
        options=tables["options"],
        role_column=role_column,
        roles=tables["roles"],
        role_names=tables["role_names"],
        source=given.source,
        where={**kept.where, **given.where},
    )
    return MergedMapping(merged, tuple(added), tuple(changed))


def same_entries(one: ImportMapping, other: ImportMapping) -> bool:
    """Whether two mappings hold the same entries (keys compared folded)."""
    return _folded(one) == _folded(other)


def kept_text(merged: ImportMapping) -> str:
    """The text of a merged mapping as it is kept in the workspace."""
    header = [
        "Mapping kept by pmo-assess for this client and questionnaire: the entries of every",
        "mapping imported with, the latest value of each. Edit it, or pass a new file with",
        "--mapping; its entries are merged in.",
    ]
    return render(header, entries(merged), merged.role_column)


def _table(mapping: ImportMapping, section: str) -> dict[str, Any]:
    return dict(getattr(mapping, section))


def _merged(
    section: str, kept: dict[str, Any], given: dict[str, Any], added: list[str], changed: list[str]
) -> dict[str, Any]:
    merged = dict(kept)
    by_fold = {fold(k): k for k in kept}
    for key, value in given.items():
        old_key = by_fold.get(fold(key))
        if old_key is None:
            added.append(f"{section} '{key}'")
        elif merged[old_key] != value:
            changed.append(f"{section} '{key}': was {merged[old_key]!r}, now {value!r}")
        if old_key is not None:
            del merged[old_key]
        merged[key] = value
    return merged


def _folded(mapping: ImportMapping) -> tuple[Any, ...]:
    tables = tuple(
        sorted((fold(k), repr(v)) for k, v in _table(mapping, s).items()) for s in SECTIONS
    )
    return (*tables, mapping.role_column)
