"""Pieces the charts share: the value axes, short labels, rows of dots, notes and the
"insufficient evidence" band. Charts read the results dict of :meth:`ClientResults.to_dict`,
whose ``scale`` entry sets every axis, tick and number they show."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from pmo_assess.charts.style import (
    MISSING,
    MISSING_EDGE,
    MUTED,
    NOTE_SIZE,
    SMALL_SIZE,
    new_figure,
)
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.insight.contract import role_names
from pmo_assess.model.scale import LevelBand, ScoreScale, names_its_number
from pmo_assess.model.terms import named_role

Results = Mapping[str, Any]
NOTE_WIDTH = 130  # characters of a footnote line across a 6.3 in figure at 7.5 pt


@dataclass(frozen=True)
class Axis:
    """A value axis: its range, ticks at the level starts (named after their level) and the way
    its numbers are written. Scores run over the scale's ``low`` to ``high``; question means over
    the answers' range, which differs when answers are summed (SAMM: answers 0 to 1, scores 0 to 3).
    """

    scale: ScoreScale
    low: float
    high: float
    ticks: tuple[float, ...]
    names: tuple[str, ...]  # the level that starts at each tick, "" where none does
    what: str = "Maturity score"
    start: str = "the scale minimum"
    answers: bool = False

    def text(self, value: float | None) -> str:
        """A value as the report shows it, by the one rounding rule; an en dash when there is none."""
        return self.scale.answer_text(value) if self.answers else self.scale.text(value)

    def tick_labels(self, sep: str = "\n") -> list[str]:
        """``1`` or ``1\\nInitial`` for each tick: the number, then the level starting there.
        Names are wrapped to two short lines under a horizontal axis, so that neighbours never
        touch, and kept to one line beside a vertical one (``sep=" "``)."""
        across = sep == "\n"
        width = max(7, min(16, 66 // max(len(self.ticks), 1))) if across else 26
        labels = []
        for value, name in zip(self.ticks, self.names, strict=True):
            wrapped = short(name, width, 2 if across else 1)
            if not name or says_its_value(name, value):  # "Level 2" needs no "2" above it
                labels.append(wrapped or tick_text(value))
            else:
                labels.append(f"{tick_text(value)}{sep}{wrapped}")
        return labels

    def levels_text(self) -> str:
        """``1 Initial, 2 Repeatable, ...``: the levels where the ticks are, for a note."""
        pairs = zip(self.ticks, self.names, strict=True)
        return ", ".join(
            name if says_its_value(name, v) else f"{tick_text(v)} {name}"
            for v, name in pairs
            if name
        )

    def label(self) -> str:
        """The axis title, saying where the axis starts."""
        return f"{self.what} (axis starts at {tick_text(self.low)}, {self.start})"

    def margin(self) -> float:
        """Room beyond the top so a mark at the top is not cut in half."""
        return (self.high - self.low) * 0.0125


def scale_of(results: Results) -> ScoreScale:
    """The scale of the results' scores (``results["scale"]``, schema version 2 on).

    >>> scale_of({"scale": {"low": 0, "high": 3, "precision": 1, "answer_low": 0,
    ...     "answer_high": 1, "levels": [{"number": 0, "name": "None", "min": 0, "max": 1}]}}).high
    3.0
    """
    if not results.get("scale"):
        raise PmoAssessError(
            "These results have no 'scale' entry (results.json before schema version 2); "
            "build them again with `pmo-assess results` to draw the charts."
        )
    return ScoreScale.from_dict(results["scale"])


def score_axis(scale: ScoreScale) -> Axis:
    """The axis of dimension and overall scores: low to high, ticked at the level starts.

    >>> from pmo_assess.model.scale import LevelBand
    >>> levels = tuple(LevelBand(i + 1, n, 20.0 * i, 20.0 * i + 20) for i, n in enumerate("ABCDE"))
    >>> axis = score_axis(ScoreScale(0, 100, 0, levels, 0, 100))
    >>> axis.ticks, axis.tick_labels(" ")[:2], axis.tick_labels()[-1]
    ((0.0, 20.0, 40.0, 60.0, 80.0, 100.0), ['0 A', '20 B'], '100')
    """
    starts = {band.min: band.name for band in scale.levels if scale.low <= band.min <= scale.high}
    ticks = sorted({float(scale.low), *(float(v) for v in starts)})
    step = scale.level_step()
    if scale.high - ticks[-1] > 0.35 * step:  # the top, unless a level starts at or near it
        ticks.append(float(scale.high))
    names = tuple(starts.get(v, "") for v in ticks)
    return Axis(scale, scale.low, scale.high, tuple(ticks), names)


def answer_axis(scale: ScoreScale) -> Axis:
    """The axis of single answers and question means: the answers' range, ticked and named like
    the scores when both ranges agree, else at round numbers without level names.

    >>> from pmo_assess.model.scale import LevelBand
    >>> samm = ScoreScale(0, 3, 1, (LevelBand(0, "None", 0, 1),), 0, 1)
    >>> answer_axis(samm).ticks, answer_axis(samm).text(0.25)
    ((0.0, 0.25, 0.5, 0.75, 1.0), '0.25')
    """
    what, start = "Answer", "the lowest answer"
    if (scale.answer_low, scale.answer_high) == (scale.low, scale.high):
        same = score_axis(scale)
        return Axis(scale, same.low, same.high, same.ticks, same.names, what, start, True)
    low, high = scale.answer_low, scale.answer_high
    found = MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
    ticks = tuple(float(v) for v in found if low - 1e-9 <= v <= high + 1e-9)
    return Axis(scale, low, high, ticks, ("",) * len(ticks), what, start, True)


def says_its_value(name: str, value: float) -> bool:
    """Whether a level's name already says the value it starts at ("Level 2" at 2).

    >>> says_its_value("Level 2", 2.0), says_its_value("Repeatable", 2.0), says_its_value("L1", 0.0)
    (True, False, False)
    """
    return value == int(value) and names_its_number(LevelBand(int(value), name, value, value))


def tick_text(value: float) -> str:
    """A tick's number: ``2``, ``0.25``, ``33.3``."""
    return f"{value:g}" if abs(value * 100 - round(value * 100)) < 1e-9 else f"{value:.1f}"


def short(text: str, width: int = 24, lines: int = 2) -> str:
    """Wrap a label to at most ``lines`` lines of ``width`` characters, ending in … when cut.

    >>> short("Post-Project Reviews, Lessons Learned and Knowledge Management", 24)
    'Post-Project Reviews,\\nLessons Learned and…'
    """
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) <= lines:
        return "\n".join(wrapped)
    kept = wrapped[:lines]
    kept[-1] = textwrap.shorten(kept[-1] + " " + wrapped[lines], width - 1, placeholder="") + "…"
    return "\n".join(kept)


def n_text(counts: Iterable[int], noun: str = "respondents") -> str:
    """``n = 4 respondents``, ``n = 3–4 respondents`` or ``n = 1 respondent`` for a set of counts.

    >>> n_text([3, 4, 4]), n_text([1, 1])
    ('n = 3–4 respondents', 'n = 1 respondent')
    """
    values = sorted(set(counts) - {0})  # an out-of-scope part has none and says so elsewhere
    if not values:
        return f"n = 0 {noun}"
    span = f"{values[0]}" if len(values) == 1 else f"{values[0]}–{values[-1]}"
    one = values == [1] and noun.endswith("s")
    return f"n = {span} {noun[:-1] if one else noun}"


def count(n: int, one: str, many: str | None = None) -> str:
    """``1 dimension``, ``3 dimensions``; ``many`` for irregular plurals.

    >>> count(1, "dimension"), count(3, "question is", "questions are")
    ('1 dimension', '3 questions are')
    """
    return f"{n} {one if n == 1 else (many or one + 's')}"


def role_name(results: Results, role: str, lower: bool = False) -> str:
    """A role's label for its group, as the results name it: ``project-manager`` →
    ``Project managers``.

    >>> results = {"respondents": {"role_names": {}}}
    >>> role_name(results, "pmo", lower=True), role_name(results, "project-manager", lower=True)
    ('PMO staff', 'project managers')
    """
    name = named_role(role, role_names(results)).label
    return name[0].lower() + name[1:] if lower and not name[:2].isupper() else name


def dimensions(results: Results) -> list[dict[str, Any]]:
    """The top-level dimensions of the assessment, in questionnaire order."""
    return list(results["assessment"]["dimensions"])


def missing(dimension: Mapping[str, Any]) -> bool:
    """True when a dimension's score must not be drawn: no score, or too little evidence."""
    return dimension.get("score") is None or bool(dimension.get("insufficient"))


def row_figure(labels: Sequence[str], axis: Axis, extra_height: float = 1.1) -> tuple[Figure, Axes]:
    """A figure of horizontal rows (first label on top) over a value axis from its minimum."""
    fig = new_figure(extra_height + 0.34 * max(len(labels), 2))
    ax = fig.add_subplot()
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlim(axis.low, axis.high + axis.margin())
    ax.set_xticks(axis.ticks, axis.tick_labels())
    ax.set_xlabel(axis.label())
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    return fig, ax


def right_label(ax: Axes, y: float, text: str, **style: Any) -> None:
    """Text in a column just right of the plot area, level with row ``y``."""
    ax.annotate(
        text,
        xy=(1, y),
        xycoords=("axes fraction", "data"),
        xytext=(8, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize=SMALL_SIZE,
        **{"color": MUTED, **style},
    )


def insufficient_band(ax: Axes, y: float, axis: Axis, text: str = "Insufficient evidence") -> None:
    """A hatched light-grey row that says why there is no score (too little evidence, or out of
    scope), never a low score."""
    ax.fill_betweenx(
        [y - 0.32, y + 0.32],
        axis.low,
        axis.high,
        facecolor=MISSING,
        edgecolor=MISSING_EDGE,
        hatch="////",
        linewidth=0,
        zorder=1,
    )
    ax.text(
        axis.low + 0.04 * (axis.high - axis.low),
        y,
        text,
        ha="left",
        va="center",
        fontsize=SMALL_SIZE,
        color=MUTED,
        style="italic",
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
        zorder=3,
    )


def out_of_scope(dimension: Mapping[str, Any]) -> bool:
    """True when every answer in a dimension was N/A: it left the coverage count (None)."""
    return dimension.get("score") is None and dimension.get("coverage") is None


def missing_reason(dimension: Mapping[str, Any]) -> str:
    """Why a dimension's score is not drawn: ``Out of scope`` or ``Insufficient evidence``."""
    return "Out of scope" if out_of_scope(dimension) else "Insufficient evidence"


def missing_note(dims: Iterable[Mapping[str, Any]]) -> str:
    """The footnote for the hatched rows among ``dims``; empty when there are none.

    >>> missing_note([{"score": None, "coverage": None}])
    'Hatched grey: out of scope (every answer not applicable).'
    """
    reasons = {missing_reason(d) for d in dims if missing(d)}
    said = [
        text
        for reason, text in (
            ("Out of scope", "out of scope (every answer not applicable)"),
            ("Insufficient evidence", "too little evidence for a score (answer coverage below "
             "the minimum)"),
        )
        if reason in reasons
    ]  # fmt: skip
    return f"Hatched grey: {' or '.join(said)}." if said else ""


def add_note(fig: Figure, *lines: str) -> None:
    """A footnote under the whole figure: what is drawn, n, and what the marks mean."""
    wrapped = [textwrap.fill(line, NOTE_WIDTH) for line in lines if line]
    if wrapped:
        fig.supxlabel("\n".join(wrapped), x=0.01, ha="left", fontsize=NOTE_SIZE, color=MUTED,
                      linespacing=1.4)  # fmt: skip
