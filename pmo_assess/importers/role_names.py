"""The respondent roles an import accepts: :data:`pmo_assess.model.terms.ROLES` plus the roles a
mapping file adds under ``role_names``, each with its names.

A role-column cell matches a role's slug or any of its names, ignoring case and punctuation
("Project Manager", "PMO staff"); anything else is refused with the closest roles, never guessed.
A mapping adds a role as ``slug: "Display name"`` (in sentences lower-case unless it starts with
an acronym; the plural adds an "s") or ``slug: {one: ..., many: ..., label: ...}`` when the
plural is irregular.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.importers.base import fold
from pmo_assess.model.terms import ROLES, RoleName

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NAME_KEYS = ("one", "many", "label")


class Vocabulary:
    """The roles an import accepts, and the texts that name each of them."""

    def __init__(self, added: Mapping[str, RoleName] | None = None) -> None:
        self.names = {**ROLES, **(added or {})}
        self._texts = {
            fold(text): slug
            for slug, name in self.names.items()
            for text in (slug, name.one, name.many, name.label)
        }

    def role(self, text: str) -> str | None:
        """The role ``text`` names, or None.

        >>> Vocabulary().role("Project Manager"), Vocabulary().role("PMO staff")
        ('project-manager', 'pmo')
        >>> Vocabulary().role("Sponser") is None
        True
        """
        return self._texts.get(fold(text))

    def closest(self, text: str, n: int = 3) -> list[str]:
        """Up to ``n`` roles whose slug or names are most like ``text``, best first."""
        near = difflib.get_close_matches(fold(text), list(self._texts), n=3 * n, cutoff=0.5)
        return list(dict.fromkeys(self._texts[t] for t in near))[:n]

    def hint(self, text: str) -> str:
        """The closest roles to ``text``, or every role when none is close."""
        close = self.closest(text)
        return f"closest: {', '.join(close)}" if close else f"roles: {', '.join(self.names)}"

    def unknown(self, text: str) -> str:
        """Why ``text`` is refused as a role, and what to do."""
        return (
            f"role {text!r} is not a known role ({self.hint(text)}); map it to one under 'roles' "
            "in a mapping file, or add it with its names under 'role_names'"
        )

    def default(self, given: str | None) -> str | None:
        """The role given for respondents without one (``--role``), checked."""
        if given is None:
            return None
        role = self.role(given)
        if role is None:
            raise PmoAssessError(f"--role: {self.unknown(given)}.")
        return role


def role_name(slug: str, written: Any) -> tuple[RoleName | None, str | None]:
    """A ``role_names`` entry as a :class:`RoleName`, or None with what is wrong with it.

    >>> role_name("risk-officer", "Risk officer")[0]
    RoleName(one='risk officer', many='risk officers', label='Risk officers')
    >>> role_name("pmo", "PMO")[1]
    "role 'pmo' is already in the vocabulary as PMO staff; give the new role another slug"
    """
    if not _SLUG.fullmatch(slug):
        return None, f"role {slug!r} must be a slug: lower-case letters, digits and dashes"
    if slug in ROLES:
        return None, (
            f"role {slug!r} is already in the vocabulary as {ROLES[slug].label}; give the new "
            "role another slug"
        )
    if isinstance(written, str) and written.strip():  # a display name: "Risk officer"
        name = written.strip()
        written = {"one": name if name[:2].isupper() else name[:1].lower() + name[1:]}
    texts = written if isinstance(written, dict) else {}
    wrong = [k for k in texts if k not in _NAME_KEYS or not _text(texts[k])]
    if not _text(texts.get("one")) or wrong:
        return None, (
            f'role {slug!r} needs a display name: "Name", or {{one: ..., many: ..., label: '
            f"...}} with text values; got {written!r}"
        )
    one = texts["one"].strip()
    many = _text(texts.get("many")) or f"{one}s"
    label = _text(texts.get("label")) or many[:1].upper() + many[1:]
    taken = [(t, r) for t in (one, many, label) if (r := Vocabulary().role(t)) is not None]
    if taken:  # a cell with that text could not tell the two roles apart
        text, other = taken[0]
        return (
            None,
            f"role {slug!r}: {text!r} already names the role {other!r}; choose another name",
        )
    return RoleName(one, many, label), None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
