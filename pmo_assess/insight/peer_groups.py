"""Which peer group a client is compared with, and why each closer group was not used.

The groups, closest first: the client's industry and size band (``industry-and-size``), its
industry (``industry``), every comparable organisation (``all``). The first with at least the
minimum number of organisations is used; each group tried is recorded with a reason code:

- ``below_minimum``: the group exists but has fewer organisations than the minimum (maybe none);
- ``no_industry_given`` / ``no_size_band_given``: the client has no industry / size band recorded;
- ``no_such_industry`` / ``no_such_size_band``: the client's industry / size band matches none
  of the benchmark's.

Names match tolerantly, so that a client entered as ``large`` finds the band ``Large (>5,000)``:
case and runs of whitespace are ignored, and a size band also matches on its short name, the
part before `` (``. Labels always use the benchmark's own spelling.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

INDUSTRY_AND_SIZE, INDUSTRY, ALL = "industry-and-size", "industry", "all"
BELOW_MINIMUM = "below_minimum"
NO_INDUSTRY_GIVEN, NO_SIZE_BAND_GIVEN = "no_industry_given", "no_size_band_given"
NO_SUCH_INDUSTRY, NO_SUCH_SIZE_BAND = "no_such_industry", "no_such_size_band"
ALL_LABEL = "All organisations"


@dataclass(frozen=True)
class ConsideredGroup:
    """One peer group tried, with its size among comparable organisations and why it was not
    used (``reason`` is None for the group used). ``label`` is None when the client lacks the
    industry or size band that would name the group; ``n`` is 0 when the group cannot be formed.
    """

    group: str
    label: str | None
    n: int
    used: bool
    reason: str | None


@dataclass(frozen=True)
class _Side:
    """The client's industry or size band, resolved against the benchmark's names."""

    given: str | None  # as the client has it, whitespace-normalised
    label: str | None  # the benchmark's spelling when it matched, else what was given
    keys: frozenset[str]  # normalised benchmark names it matched
    problem: str | None


def normalise(text: str) -> str:
    """Case and whitespace ignored.

    >>> normalise("  Financial   Services ")
    'financial services'
    """
    return " ".join(text.split()).casefold()


def short_band(text: str) -> str:
    """The normalised short name of a size band: the part before `` (``.

    >>> short_band("Large (>5,000)"), short_band("large")
    ('large', 'large')
    """
    return normalise(text).partition(" (")[0]


def spellings(values: pd.Series) -> dict[str, str]:
    """Each normalised name in ``values`` and its most frequent spelling (blanks left out)."""
    named = values[values.str.strip() != ""]
    counts = named.value_counts(sort=False)
    best: dict[str, tuple[int, str]] = {}
    for spelling, count in sorted(counts.items()):
        key = normalise(spelling)
        if key not in best or count > best[key][0]:
            best[key] = (int(count), spelling)
    return {key: spelling for key, (_, spelling) in best.items()}


def choose_peer_group(
    rows: pd.DataFrame,
    names: dict[str, dict[str, str]],
    industry: Any,
    size_band: Any,
    min_peers: int,
) -> tuple[tuple[ConsideredGroup, ...], pd.DataFrame | None]:
    """The groups tried, closest first, and the peers of the one used (None when none was).

    ``rows`` are the comparable organisations; ``names`` holds :func:`spellings` of the whole
    benchmark's ``industry`` and ``size_band`` columns.
    """
    sector = _resolve(industry, names["industry"], NO_INDUSTRY_GIVEN, NO_SUCH_INDUSTRY)
    band = _resolve(size_band, names["size_band"], NO_SIZE_BAND_GIVEN, NO_SUCH_SIZE_BAND)
    in_sector, in_band = _mask(rows, "industry", sector), _mask(rows, "size_band", band)
    both = f"{sector.label}, {band.label}" if sector.label and band.label else None
    candidates = (
        (INDUSTRY_AND_SIZE, both, band.problem or sector.problem, in_sector & in_band),
        (INDUSTRY, sector.label, sector.problem, in_sector),
        (ALL, ALL_LABEL, None, np.ones(len(rows), bool)),
    )
    considered = []
    for group, label, problem, mask in candidates:
        n = 0 if problem else int(mask.sum())
        reason = problem or (BELOW_MINIMUM if n < min_peers else None)
        considered.append(ConsideredGroup(group, label, n, reason is None, reason))
        if reason is None:
            return tuple(considered), rows[mask]
    return tuple(considered), None


def given_name(value: Any) -> str | None:
    """The client's industry or size band, whitespace-normalised; None when blank or missing."""
    if not isinstance(value, str):  # None, or NaN from a spreadsheet
        return None
    return " ".join(value.split()) or None


def _resolve(value: Any, known: dict[str, str], missing: str, unknown: str) -> _Side:
    """Exact (normalised) matches first; a size band falls back to its short name."""
    given = given_name(value)
    if given is None:
        return _Side(None, None, frozenset(), missing)
    keys = [k for k in known if k == normalise(given)]
    if not keys and unknown == NO_SUCH_SIZE_BAND:
        keys = [k for k in known if short_band(k) == short_band(given)]
    if not keys:
        return _Side(given, given, frozenset(), unknown)
    return _Side(given, " or ".join(known[k] for k in sorted(keys)), frozenset(keys), None)


def _mask(rows: pd.DataFrame, column: str, side: _Side) -> np.ndarray:
    return rows[column].map(normalise).isin(side.keys).to_numpy(dtype=bool)
