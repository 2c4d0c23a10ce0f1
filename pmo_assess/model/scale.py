"""The scale a questionnaire's scores are read on: its range, its levels with their bounds, and
the display precision, with the comparisons a report makes on shown numbers.

Everything here follows the one rounding rule of :mod:`pmo_assess.core.rounding`: a score is
compared, placed in a level and called "met" or "improved" by the number the reader sees.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import Any

from pmo_assess.core.rounding import number_text, round_half_up
from pmo_assess.model.questionnaire import Questionnaire


@dataclass(frozen=True)
class LevelBand:
    """One named level: scores shown from ``min`` up to (not including) ``max`` reach it; the
    top level runs to the scale's top. ``number`` is how the report counts it ("level 2")."""

    number: int
    name: str
    min: float
    max: float


@dataclass(frozen=True)
class ScoreScale:
    """The range of scores, the levels and the decimals they are shown with; ``answer_low`` and
    ``answer_high`` are the range of a single answer (and of a question's mean), which differs
    from the score's range when answers are summed (SAMM: answers 0 to 1, scores 0 to 3)."""

    low: float
    high: float
    precision: int
    levels: tuple[LevelBand, ...]
    answer_low: float = 0.0
    answer_high: float = 0.0

    def shown(self, value: float) -> float:
        """The value as the reader sees it."""
        return round_half_up(value, self.precision)

    def text(self, value: float | None, missing: str = "–") -> str:
        """The value as shown, with the scale's decimals.

        >>> ScoreScale(1, 5, 1, ()).text(1.96), ScoreScale(0, 100, 0, ()).text(63.5)
        ('2.0', '64')
        """
        return number_text(value, self.precision, missing)

    @property
    def answer_precision(self) -> int:
        """Decimals of a question's mean: two on a 0-to-1 answer scale (0.25 is a real answer
        there), else the scores' decimals."""
        return 2 if self.answer_high - self.answer_low <= 1 else self.precision

    def answer_text(self, value: float | None, missing: str = "–") -> str:
        """A question's mean as shown."""
        return number_text(value, self.answer_precision, missing)

    def answer_below(self, value: float, threshold: float) -> bool:
        """Whether a question's mean is below a threshold as both are shown."""
        shown = round_half_up(value, self.answer_precision)
        return shown < round_half_up(threshold, self.answer_precision)

    def top_text(self) -> str:
        """The scale's top as written after "of": ``5``, ``3``, ``100``."""
        return f"{self.high:g}"

    def level(self, value: float | None) -> LevelBand | None:
        """The level the shown value reaches; None below the lowest level or without a value."""
        if value is None:
            return None
        shown = self.shown(value)
        reached = [band for band in self.levels if band.min <= shown + 1e-9]
        return reached[-1] if reached else None

    def below(self, score: float | None, target: float | None) -> bool:
        """Whether a score falls short of its target as both are shown (3.46 against 3.5 is
        shown 3.5 against 3.5: met)."""
        if score is None or target is None:
            return False
        return self.shown(score) < self.shown(target)

    def change(self, before: float, after: float) -> float:
        """The change between two scores as shown (2.34 to 2.26 is 2.3 to 2.3: no change)."""
        return self.shown(self.shown(after) - self.shown(before))

    def to_dict(self) -> dict[str, Any]:
        """The ``scale`` entry of the results contract."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScoreScale:
        """The scale from a results contract's ``scale`` entry."""
        levels = tuple(LevelBand(**band) for band in data["levels"])
        return cls(
            float(data["low"]),
            float(data["high"]),
            int(data["precision"]),
            levels,
            float(data["answer_low"]),
            float(data["answer_high"]),
        )

    def level_step(self) -> float:
        """The width of one level (1 on a five-level 1-to-5 scale, 25 on a five-level 0-to-100
        one): how far apart two scores must be to be "a full level" apart."""
        if len(self.levels) > 1:
            return (self.levels[-1].min - self.levels[0].min) / (len(self.levels) - 1)
        return (self.high - self.low) or 1.0


def score_scale(questionnaire: Questionnaire) -> ScoreScale:
    """The scale of a questionnaire's overall and dimension scores.

    >>> from pmo_assess.model.loading import load_questionnaire
    >>> scale = score_scale(load_questionnaire("pmo-maturity"))
    >>> scale.low, scale.high, scale.precision, scale.levels[1]
    (1.0, 5.0, 1, LevelBand(number=2, name='Repeatable', min=2.0, max=3.0))
    """
    low, high = questionnaire.score_range()
    mins = [level.min for level in questionnaire.levels]
    # Levels that start at consecutive whole numbers are counted by their start (SAMM's 0 to 3,
    # a 1-to-5 model's 1 to 5); any other ladder is counted from 1 in the order written.
    whole = all(m == int(m) for m in mins) and all(b - a == 1 for a, b in pairwise(mins))
    bands = []
    for index, level in enumerate(questionnaire.levels):
        upper = mins[index + 1] if index + 1 < len(mins) else max(high, level.min)
        number = int(level.min) if whole else index + 1
        bands.append(LevelBand(number, level.name, level.min, upper))
    values = [v for answer_set in questionnaire.answer_sets.values() for v in answer_set.values]
    return ScoreScale(
        low,
        high,
        questionnaire.display_precision,
        tuple(bands),
        min(values, default=low),
        max(values, default=high),
    )


def names_its_number(band: LevelBand) -> bool:
    """Whether a level's name already says its number ("Level 2", "L2"), so prose need not
    repeat it.

    >>> names_its_number(LevelBand(2, "Level 2", 2, 3)), names_its_number(LevelBand(2, "Repeatable", 2, 3))
    (True, False)
    """
    return re.fullmatch(rf"(level|l)\s*{band.number}", band.name.strip(), re.IGNORECASE) is not None
