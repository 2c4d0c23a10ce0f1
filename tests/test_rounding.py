"""The one rounding rule: halves up at the display precision, and everything read from it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from pmo_assess.core.rounding import number_text, percent_text, round_half_up
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.scale import score_scale

#: Scores as a report meets them: up to six decimals, on scales up to 0 to 100.
scores = st.decimals(min_value=-100, max_value=100, places=6, allow_nan=False)
SCALE = score_scale(load_questionnaire("pmo-maturity"))


@given(scores, st.integers(min_value=0, max_value=2))
def test_halves_round_up_as_written_in_decimal(value: Decimal, precision: int) -> None:
    # the decimal a person reads, not the binary float that stores it: 1.15 -> 1.2, 2.25 -> 2.3
    expected = value.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)
    assert round_half_up(float(value), precision) == float(expected)
    assert number_text(float(value), precision) == (
        f"{expected + 0:.{precision}f}" if expected != 0 else f"{0:.{precision}f}"
    )


@given(st.floats(min_value=1, max_value=5, allow_nan=False))
def test_the_level_is_the_level_of_the_number_shown(score: float) -> None:
    shown = float(number_text(score, SCALE.precision))
    band = SCALE.level(score)
    assert band is not None
    assert band.min <= shown and (shown < band.max or band is SCALE.levels[-1])


@given(st.floats(min_value=1, max_value=5), st.floats(min_value=1, max_value=5))
def test_below_target_is_decided_on_the_numbers_shown(score: float, target: float) -> None:
    shown_score, shown_target = (float(number_text(v, 1)) for v in (score, target))
    assert SCALE.below(score, target) == (shown_score < shown_target)


@given(st.floats(min_value=0, max_value=1.5, allow_nan=False))
def test_a_part_is_never_shown_as_all_or_nothing(share: float) -> None:
    text = percent_text(share)
    if 0 < share < 1:
        assert text not in ("0%", "100%")
    assert text.endswith("%")
