"""The questionnaire data model: frozen dataclasses that nothing else in the package feeds into.

A questionnaire is a tree of dimensions whose leaves hold questions. Every question is answered
from a named answer set (a scale of valued options plus optional "Not applicable" and
"Don't know" options), and scores are read against named maturity levels.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from pmo_assess.core.rounding import round_half_up

Aggregation = Literal["mean", "sum"]

#: The eight PMO functions of the method, as the slugs that `pmo_functions` may name.
PMO_FUNCTIONS: dict[str, str] = {
    "standard-processes": "Standard processes and methodology",
    "templates-and-tools": "Templates and tools",
    "governance": "Governance",
    "training-and-support": "Training and support",
    "performance-monitoring": "Performance monitoring",
    "status-and-risk-reporting": "Status and risk reporting",
    "portfolio-and-resources": "Portfolio and resource management",
    "lessons-learned": "Post-project reviews and lessons learned",
}


@dataclass(frozen=True)
class AnswerOption:
    """One choice of an answer set: a scored value, or "Not applicable", or "Don't know"."""

    label: str
    value: float | None = None
    not_applicable: bool = False
    dont_know: bool = False


@dataclass(frozen=True)
class AnswerSet:
    """A named scale shared by many questions."""

    id: str
    options: tuple[AnswerOption, ...]

    @property
    def values(self) -> tuple[float, ...]:
        """The scored values, in the order written."""
        return tuple(o.value for o in self.options if o.value is not None)

    def describe(self) -> str:
        """The allowed answers as one line, for error messages: ``1 Initial, 2 Repeatable, N/A``."""
        parts = []
        for option in self.options:
            if option.value is None:
                parts.append(option.label)
            else:
                parts.append(f"{format_value(option.value)} {option.label}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Level:
    """A named band on the score scale, starting at ``min``."""

    min: float
    name: str


@dataclass(frozen=True)
class Question:
    """A leaf of the tree: one thing a respondent answers."""

    id: str
    text: str
    answer_set: str
    weight: float = 1.0
    anchors: dict[float, str] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Dimension:
    """A node of the tree: it holds either child dimensions or questions, never both."""

    id: str
    title: str
    weight: float = 1.0
    aggregation: Aggregation = "mean"
    target: float | None = None
    description: str = ""
    pmo_functions: tuple[str, ...] = ()
    dimensions: tuple[Dimension, ...] = ()
    questions: tuple[Question, ...] = ()

    def walk(self) -> Iterator[Dimension]:
        """This dimension and every dimension below it, parents before children."""
        yield self
        for child in self.dimensions:
            yield from child.walk()

    def all_questions(self) -> Iterator[Question]:
        """Every question below this dimension, in questionnaire order."""
        for node in self.walk():
            yield from node.questions


@dataclass(frozen=True)
class Questionnaire:
    """A whole maturity model as loaded from one validated YAML file."""

    schema_version: int
    id: str
    version: str
    title: str
    answer_sets: dict[str, AnswerSet]
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    default_target: float | None = None
    description: str = ""
    disagreement_threshold: float | None = None
    source: str = ""
    #: What the questionnaire assesses, as the report names it after the client's name
    #: ("Acme's PMO"); empty: the report speaks of the organisation itself.
    subject: str = ""
    #: The benefits a better score brings, as the report may promise them; empty: none promised.
    benefits: tuple[str, ...] = ()
    #: Decimals a score is shown with; None: chosen from the scale's span (see display_precision).
    precision: int | None = None
    #: sha256 of the normalised content (see ``loading.questionnaire_digest``); with the id and
    #: version it says which questionnaire this is. Empty for one constructed by hand.
    digest: str = ""

    def walk(self) -> Iterator[Dimension]:
        """Every dimension of the tree, parents before children."""
        for top in self.dimensions:
            yield from top.walk()

    def questions(self) -> Iterator[Question]:
        """Every question, in questionnaire order."""
        for top in self.dimensions:
            yield from top.all_questions()

    def question(self, question_id: str) -> Question:
        """The question with this id (KeyError when there is none)."""
        return self._question_index()[question_id]

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension with this id, at any depth (KeyError when there is none)."""
        return {d.id: d for d in self.walk()}[dimension_id]

    def disagreement_threshold_for(self, question: Question) -> float:
        """How far apart answers must be to flag disagreement: the questionnaire's own threshold,
        else half the range of the question's scale (2 on a 1-to-5 scale, 0.5 on 0-to-1).
        """
        if self.disagreement_threshold is not None:
            return self.disagreement_threshold
        values = self.answer_sets[question.answer_set].values
        return (max(values) - min(values)) / 2 if len(values) > 1 else float("inf")

    def score_range(self) -> tuple[float, float]:
        """The lowest and highest overall score the questionnaire can give: each question spans
        its answer set's values, a ``mean`` node the weighted mean of its parts' spans, a ``sum``
        node their weighted sum (a SAMM stream of three 0-to-1 answers spans 0 to 3)."""
        return _combined_span(
            [(_dimension_span(self, d), d.weight) for d in self.dimensions], "mean"
        )

    @property
    def display_precision(self) -> int:
        """Decimals a score is shown with: the questionnaire's ``precision``, else two on a scale
        one point wide (0 to 1), one on a scale up to ten points wide (1 to 5, 0 to 3), none on
        a wider one (0 to 100)."""
        if self.precision is not None:
            return self.precision
        low, high = self.score_range()
        return 2 if high - low <= 1 else 1 if high - low <= 10 else 0

    def level_for(self, score: float | None) -> str | None:
        """The name of the highest level whose ``min`` is at or below the score as shown
        (rounded half up at :attr:`display_precision`), so a shown 2.0 is never "Initial".

        >>> from pmo_assess.model.questionnaire import Level, Questionnaire
        >>> levels = (Level(1.0, "Initial"), Level(2.0, "Repeatable"))
        >>> q = Questionnaire(1, "x", "1", "X", {}, levels, (), precision=1)
        >>> q.level_for(1.94), q.level_for(1.96), q.level_for(0.5), q.level_for(None)
        ('Initial', 'Repeatable', None, None)
        """
        if score is None:
            return None
        shown = round_half_up(score, self.display_precision)
        name = None
        for level in self.levels:
            if level.min <= shown + 1e-9:
                name = level.name
        return name

    def _question_index(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions()}


Span = tuple[float, float]


def _dimension_span(questionnaire: Questionnaire, node: Dimension) -> Span:
    parts = [(_dimension_span(questionnaire, d), d.weight) for d in node.dimensions]
    for question in node.questions:
        values = questionnaire.answer_sets[question.answer_set].values
        if values:
            parts.append(((min(values), max(values)), question.weight))
    return _combined_span(parts, node.aggregation)


def _combined_span(parts: list[tuple[Span, float]], aggregation: str) -> Span:
    if not parts:
        return (0.0, 0.0)
    low = sum(span[0] * weight for span, weight in parts)
    high = sum(span[1] * weight for span, weight in parts)
    if aggregation == "sum":
        return (low, high)
    total = sum(weight for _, weight in parts)
    return (low / total, high / total)


def format_value(value: float) -> str:
    """A scale value as people write it: ``3`` rather than ``3.0``, ``0.25`` as is."""
    return f"{value:g}"
