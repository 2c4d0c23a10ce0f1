"""The one rounding rule of every number a report shows, and the text of a rounded number.

Scores are shown at a fixed number of decimals (the questionnaire's display precision) and
halves round up: 1.95 is shown as 2.0 and 2.25 as 2.3. The level a score reaches, "met" or
"below target" and "improved" or "held steady" are all read from the number as shown, so a
sentence never calls a shown 2.0 "Initial" or a shown 3.5 against a target of 3.5 "below".

The rule is arithmetic (``floor(x * 10**p + 0.5)``) with a tolerance of 1e-9 for binary
fractions such as 1.15 (stored as 1.1499999999999999), so the scalar function here and the
vectorised one in the scoring engine give the same result for every value.
"""

from __future__ import annotations

import math

import numpy as np

#: Binary floating point stores 1.15 as 1.14999...; this much is read as the exact decimal.
TOLERANCE = 1e-9


def round_half_up(value: float, precision: int = 1) -> float:
    """The value rounded to ``precision`` decimals, halves up.

    >>> round_half_up(1.95), round_half_up(2.25), round_half_up(1.15), round_half_up(-0.85)
    (2.0, 2.3, 1.2, -0.8)
    >>> round_half_up(63.5, 0), round_half_up(0.125, 2)
    (64.0, 0.13)
    """
    scale = 10**precision
    return math.floor(value * scale + 0.5 + TOLERANCE) / scale


def round_half_up_array(values: np.ndarray, precision: int = 1) -> np.ndarray:
    """:func:`round_half_up` for an array (NaN stays NaN)."""
    scale = 10**precision
    result: np.ndarray = np.floor(values * scale + 0.5 + TOLERANCE) / scale
    return result


def number_text(value: float | None, precision: int = 1, missing: str = "–") -> str:
    """The value as shown: rounded by :func:`round_half_up`, with exactly ``precision``
    decimals; ``missing`` when there is no value.

    >>> number_text(1.95), number_text(3), number_text(None), number_text(63.5, 0), number_text(-0.04)
    ('2.0', '3.0', '–', '64', '0.0')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    shown = round_half_up(value, precision) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{shown:.{precision}f}"


def percent_text(share: float | None, missing: str = "–") -> str:
    """A share as a whole percentage, halves up, that never rounds a part up to all or down to
    nothing (99.6% of the way is not "100%": the target is not met).

    >>> percent_text(0.912), percent_text(0.125), percent_text(0.998), percent_text(0.002)
    ('91%', '13%', '99%', '1%')
    >>> percent_text(1.0), percent_text(0.0), percent_text(1.21), percent_text(None)
    ('100%', '0%', '121%', '–')
    """
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return missing
    value = int(round_half_up(share * 100, 0))
    if 0 < share < 1:
        value = min(max(value, 1), 99)
    return f"{value}%"
