"""The choices a consultant can make when scoring, with the method's defaults.

Kept apart from the engine (and free of pandas) so that the report's words can quote the same
defaults without importing the engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pmo_assess.core.errors import PmoAssessError

#: A dimension with less of its questions answered than this share is flagged insufficient.
MIN_COVERAGE = 0.5


@dataclass(frozen=True)
class ScoringOptions:
    """Choices a consultant can make; the defaults follow the method's rules."""

    role_weights: dict[str, float] | None = None
    targets: dict[str, float] | None = None
    disagreement_threshold: float | None = None
    min_coverage: float = MIN_COVERAGE

    def __post_init__(self) -> None:
        weights = (self.role_weights or {}).values()
        if any(not math.isfinite(w) or w <= 0 for w in weights):
            raise PmoAssessError(f"Role weights must be numbers above 0; got {self.role_weights}.")
        if any(not math.isfinite(t) for t in (self.targets or {}).values()):
            raise PmoAssessError(f"Targets must be finite numbers; got {self.targets}.")
        if not 0 <= self.min_coverage <= 1:
            raise PmoAssessError(f"min_coverage must be between 0 and 1; got {self.min_coverage}.")
