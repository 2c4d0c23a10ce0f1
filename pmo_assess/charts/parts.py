"""Pieces the charts share: the score scale, short labels, rows of dots, notes and the
"insufficient evidence" band. Charts read the results dict of :meth:`ClientResults.to_dict`."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from pmo_assess.charts.style import (
    MISSING,
    MISSING_EDGE,
    MUTED,
    NOTE_SIZE,
    SMALL_SIZE,
    new_figure,
)
from pmo_assess.model.questionnaire import Questionnaire

Results = Mapping[str, Any]
NOTE_WIDTH = 130  # characters of a footnote line across a 6.3 in figure at 7.5 pt
ROLE_NAMES = {
    "executive": "Executives",
    "pmo": "PMO staff",
    "project-manager": "Project managers",
    "team-member": "Team members",
    "finance": "Finance",
}


@dataclass(frozen=True)
class Scale:
    """The score scale: lowest and highest value and the level names from the lowest up."""

    low: float = 1.0
    high: float = 5.0
    names: tuple[str, ...] = ()

    def tick_labels(self, sep: str = "\n") -> list[str]:
        """``1`` or ``1\\nInitial`` for each whole step of the scale."""
        steps = range(int(self.low), int(self.high) + 1)
        names = [*self.names, *[""] * len(steps)]
        return [f"{v}{sep}{name}".strip() for v, name in zip(steps, names, strict=False)]

    def axis_label(self, what: str = "Maturity score") -> str:
        """The axis title, saying where the axis starts."""
        return f"{what} (axis starts at {self.low:g}, the scale minimum)"


def scale_of(questionnaire: Questionnaire | None) -> Scale:
    """The questionnaire's scale; 1 to 5 without level names when there is no questionnaire.

    >>> from pmo_assess import load_questionnaire
    >>> scale_of(load_questionnaire("pmo-maturity")).names[:2]
    ('Initial', 'Repeatable')
    >>> scale_of(None)
    Scale(low=1.0, high=5.0, names=())
    """
    if questionnaire is None:
        return Scale()
    values = [v for s in questionnaire.answer_sets.values() for v in s.values]
    if not values:
        return Scale(names=tuple(level.name for level in questionnaire.levels))
    return Scale(min(values), max(values), tuple(level.name for level in questionnaire.levels))


def fmt(score: float | None) -> str:
    """A maturity score with one decimal; an en dash when there is none."""
    return "–" if score is None else f"{score:.1f}"


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
    """``n = 4 respondents`` or ``n = 3–4 respondents`` for a set of counts."""
    values = sorted(set(counts))
    if not values:
        return f"n = 0 {noun}"
    span = f"{values[0]}" if len(values) == 1 else f"{values[0]}–{values[-1]}"
    return f"n = {span} {noun}"


def role_name(role: str, lower: bool = False) -> str:
    """A role slug as a plural label: ``project-manager`` → ``Project managers``.

    >>> role_name("pmo", lower=True), role_name("project-manager", lower=True)
    ('PMO staff', 'project managers')
    """
    name = ROLE_NAMES.get(role, role.replace("-", " ").capitalize())
    return name[0].lower() + name[1:] if lower and not name[:2].isupper() else name


def dimensions(results: Results) -> list[dict[str, Any]]:
    """The top-level dimensions of the assessment, in questionnaire order."""
    return list(results["assessment"]["dimensions"])


def missing(dimension: Mapping[str, Any]) -> bool:
    """True when a dimension's score must not be drawn: no score, or too little evidence."""
    return dimension.get("score") is None or bool(dimension.get("insufficient"))


def row_figure(
    labels: Sequence[str], scale: Scale, extra_height: float = 1.1
) -> tuple[Figure, Axes]:
    """A figure of horizontal rows (first label on top) over the score axis from the scale minimum."""
    fig = new_figure(extra_height + 0.34 * max(len(labels), 2))
    ax = fig.add_subplot()
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlim(scale.low, scale.high + 0.05)
    ax.set_xticks(range(int(scale.low), int(scale.high) + 1), scale.tick_labels())
    ax.set_xlabel(scale.axis_label())
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


def insufficient_band(
    ax: Axes, y: float, scale: Scale, text: str = "Insufficient evidence"
) -> None:
    """A hatched light-grey row that says there is too little evidence, never a low score."""
    ax.fill_betweenx(
        [y - 0.32, y + 0.32],
        scale.low,
        scale.high,
        facecolor=MISSING,
        edgecolor=MISSING_EDGE,
        hatch="////",
        linewidth=0,
        zorder=1,
    )
    ax.text(
        scale.low + 0.04 * (scale.high - scale.low),
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


MISSING_NOTE = "Hatched grey: too little evidence for a score (answer coverage below the minimum)."


def add_note(fig: Figure, *lines: str) -> None:
    """A footnote under the whole figure: what is drawn, n, and what the marks mean."""
    wrapped = [textwrap.fill(line, NOTE_WIDTH) for line in lines if line]
    if wrapped:
        fig.supxlabel("\n".join(wrapped), x=0.01, ha="left", fontsize=NOTE_SIZE, color=MUTED,
                      linespacing=1.4)  # fmt: skip
