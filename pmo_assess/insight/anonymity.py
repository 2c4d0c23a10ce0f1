"""Coarsen a benchmark's organisation attributes until no row can be matched to one client.

Every combination of industry, size band and region in a shared benchmark must be shared by at
least ``k`` organisations (k-anonymity). Rows in a smaller group lose detail in a fixed order,
and only those rows: first the region is blanked, then the size band, then the industry becomes
``Other``. When the ``Other`` group is still too small, the smallest remaining groups join it
whole, so no group is ever split below ``k``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pmo_assess.core.errors import PmoAssessError

K_ANONYMITY = 5
ATTRIBUTES = ("industry", "size_band", "region")
OTHER = "Other"


@dataclass(frozen=True)
class Coarsened:
    """The coarsened rows, and how many rows lost each attribute (``{"region": 3, ...}``)."""

    frame: pd.DataFrame
    changed: dict[str, int]

    def describe(self, k: int = K_ANONYMITY) -> str:
        """One line for the file's header: what was coarsened, and why."""
        done = [f"{_WORDS[a]} in {n} of {len(self.frame)} rows" for a, n in self.changed.items()]
        why = f"so that each combination of industry, size band and region has {k} or more rows"
        return f"{'; '.join(done)} ({why})" if done else f"nothing ({why} as it stands)"


_WORDS = {
    "region": "region blanked",
    "size_band": "size band blanked",
    "industry": "industry set to Other",
}


def k_anonymise(frame: pd.DataFrame, k: int = K_ANONYMITY) -> Coarsened:
    """Blank or generalise industry, size band and region until each combination has ``k`` rows.

    >>> rows = pd.DataFrame({"industry": ["Retail"] * 5 + ["Mining"],
    ...                      "size_band": ["Small"] * 6, "region": ["EU"] * 5 + ["Asia"]})
    >>> result = k_anonymise(rows)
    >>> result.changed, sorted(set(result.frame["industry"]))
    ({'region': 6, 'size_band': 6, 'industry': 6}, ['Other'])
    """
    if len(frame) < k:
        raise PmoAssessError(
            f"A shared benchmark needs at least {k} organisations, so that none can be singled "
            f"out; this one has {len(frame)}. Assess more clients before building it."
        )
    given = frame[list(ATTRIBUTES)].fillna("").astype(str)
    frame = frame.copy()
    frame[list(ATTRIBUTES)] = given
    for attribute, value in (("region", ""), ("size_band", ""), ("industry", OTHER)):
        frame.loc[_in_small_groups(frame, k), attribute] = value
    _fill_other(frame, k)
    changed = {a: int((frame[a] != given[a]).sum()) for a in reversed(ATTRIBUTES)}
    return Coarsened(frame, {a: n for a, n in changed.items() if n})


def _in_small_groups(frame: pd.DataFrame, k: int) -> pd.Series:
    sizes = frame.groupby(list(ATTRIBUTES), dropna=False)["industry"].transform("size")
    return sizes < k


def _fill_other(frame: pd.DataFrame, k: int) -> None:
    """Move whole groups, smallest first, into the generalised group while it is too small."""
    other = (frame[list(ATTRIBUTES)] == [OTHER, "", ""]).all(axis=1)
    while 0 < other.sum() < k:
        sizes = frame[~other].groupby(list(ATTRIBUTES)).size().sort_values(kind="stable")
        joining = (frame[list(ATTRIBUTES)] == list(sizes.index[0])).all(axis=1)
        frame.loc[joining, list(ATTRIBUTES)] = [OTHER, "", ""]
        other |= joining
