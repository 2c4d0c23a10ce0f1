"""The words a client is described with: the benchmark's industries and size bands, and the
aliases listed for them in ``vocabulary.yaml`` beside this module.

A value is accepted when it is a name or a listed alias, ignoring case and runs of spaces; an
alias is stored as the name it stands for (``Large`` as ``Large (>5,000)``). Anything else is
refused with the closest names, never guessed, so that a client is always filed under a name
its peer group can be found by.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pmo_assess.core.errors import Problem, ValidationError
from pmo_assess.core.text import normalise_text
from pmo_assess.core.yamlsource import YamlSource, load_yaml

VOCABULARY_PATH = Path(__file__).resolve().parent / "vocabulary.yaml"
#: Each described field of a client: its section in the file, and its name and plural in prose.
FIELDS = {
    "industry": ("industries", "industry", "industries"),
    "size_band": ("size_bands", "size band", "size bands"),
}
_HEADER = ("schema_version", "id", "version", "title")


@dataclass(frozen=True)
class Terms:
    """The names one field of a client may take, and the aliases (alias, name) that stand for them."""

    field: str
    names: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...] = ()

    def resolve(self, given: str) -> str | None:
        """The name ``given`` is, or is an alias of; None when it is neither.

        >>> terms = Terms("size_band", ("Large (>5,000)",), (("Large", "Large (>5,000)"),))
        >>> terms.resolve(" large "), terms.resolve("Larg")
        ('Large (>5,000)', None)
        """
        return self._lookup().get(normalise_text(given))

    def closest(self, given: str) -> list[str]:
        """Up to three names whose spelling, or an alias's, is nearest to ``given``, nearest first."""
        lookup = self._lookup()
        near = difflib.get_close_matches(normalise_text(given), lookup, n=6, cutoff=0.6)
        return list(dict.fromkeys(lookup[key] for key in near))[:3]

    def listing(self) -> str:
        """The names, then the aliases as ``alias for name``.

        >>> Terms("size_band", ("Large (>5,000)",), (("Large", "Large (>5,000)"),)).listing()
        'Large (>5,000) (also accepted: Large for Large (>5,000))'
        """
        text = ", ".join(self.names)
        if self.aliases:
            text += f" (also accepted: {', '.join(f'{a} for {n}' for a, n in self.aliases)})"
        return text

    def problem(self, given: str) -> Problem:
        """Why ``given`` is refused: the closest names, every name, and what to do instead."""
        _, noun, plural = FIELDS[self.field]
        near = self.closest(given)
        closest = f"; closest: {', '.join(near)}" if near else ""
        return Problem(
            noun,
            f"{given!r} is not one of the benchmark's {plural}{closest}. "
            f"{plural.capitalize()}: {self.listing()}. Choose one of these, or leave the "
            f"{noun} out.",
        )

    def _lookup(self) -> dict[str, str]:
        return {
            normalise_text(text): name
            for text, name in (*((n, n) for n in self.names), *self.aliases)
        }


@dataclass(frozen=True)
class Vocabulary:
    """The industries and size bands a client may be described with."""

    industry: Terms
    size_band: Terms

    def resolve_client(
        self, industry: str | None = None, size_band: str | None = None
    ) -> dict[str, str]:
        """The names of the fields given (None: not given), checked together.

        Raises :class:`ValidationError` naming every value that is neither a name nor an alias.

        >>> vocabulary().resolve_client(industry="retail", size_band="Large")
        {'industry': 'Retail', 'size_band': 'Large (>5,000)'}
        """
        given = {"industry": industry, "size_band": size_band}
        resolved, problems = {}, []
        for field, text in given.items():
            if text is None:
                continue
            terms: Terms = getattr(self, field)
            name = terms.resolve(text)
            if name is None:
                problems.append(terms.problem(text))
            else:
                resolved[field] = name
        if problems:
            raise ValidationError(problems, what="the client's description")
        return resolved


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary, loaded once."""
    return load_vocabulary(VOCABULARY_PATH)


def load_vocabulary(path: str | Path) -> Vocabulary:
    """Load and check a vocabulary file; every problem is reported with its line.

    >>> vocabulary().size_band.names
    ('Small (<500 staff)', 'Medium (500-5,000)', 'Large (>5,000)')
    """
    source = load_yaml(path)
    data = source.data if isinstance(source.data, dict) else {}
    problems = list(source.problems)
    problems += [Problem(source.where(()), f"missing '{k}'") for k in _HEADER if k not in data]
    terms = {field: _terms(source, field, problems) for field in FIELDS}
    if problems:
        raise ValidationError(problems, what=str(path))
    return Vocabulary(**terms)


def _terms(source: YamlSource, field: str, problems: list[Problem]) -> Terms:
    section = FIELDS[field][0]
    data: Any = source.data.get(section) if isinstance(source.data, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("names"), list) or not data["names"]:
        problems.append(Problem(source.where((section,)), f"'{section}' needs a list of 'names'"))
        return Terms(field, ())
    names = tuple(_texts(source, (section, "names"), data["names"], problems))
    aliases = data.get("aliases") or {}
    if not isinstance(aliases, dict):
        problems.append(Problem(source.where((section, "aliases")), "must map alias to name"))
        aliases = {}
    pairs = []
    for alias, name in aliases.items():
        where = source.where((section, "aliases", alias))
        if not isinstance(alias, str) or not isinstance(name, str):
            problems.append(Problem(where, f"alias and name must be quoted text; got {alias!r}"))
        elif name not in names:
            problems.append(
                Problem(
                    where, f"alias {alias!r} stands for {name!r}, not one of: {', '.join(names)}"
                )
            )
        else:
            pairs.append((alias, name))
    _check_unique(source, section, [*names, *(a for a, _ in pairs)], problems)
    return Terms(field, names, tuple(pairs))


def _texts(
    source: YamlSource, path: tuple[str, str], items: list[Any], problems: list[Problem]
) -> list[str]:
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            problems.append(
                Problem(source.where((*path, index)), f"must be quoted text; got {item!r}")
            )
    return [item for item in items if isinstance(item, str) and item.strip()]


def _check_unique(
    source: YamlSource, section: str, texts: list[str], problems: list[Problem]
) -> None:
    # A name or alias spelled twice (ignoring case and spaces) would stand for two names.
    seen: set[str] = set()
    for text in texts:
        key = normalise_text(text)
        if key in seen:
            problems.append(Problem(source.where((section,)), f"{text!r} is listed twice"))
        seen.add(key)
