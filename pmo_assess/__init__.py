"""pmo-assess: assess, establish and optimize a client's Project Management Office.

The public API: load a questionnaire, read answers, score an assessment.

>>> from pmo_assess import load_questionnaire
>>> load_questionnaire("pmo-maturity").title
'PMO Maturity Assessment'

Names are imported on first use, so ``import pmo_assess.report.sections`` in a report kernel does
not pay for pandas and the scoring engine it never calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pmo_assess.core.errors import PmoAssessError, Problem, ValidationError
    from pmo_assess.model.loading import load_questionnaire, validate_questionnaire_file
    from pmo_assess.model.questionnaire import Dimension, Question, Questionnaire
    from pmo_assess.scoring.answers import read_answers_file, tidy_answers
    from pmo_assess.scoring.assessment import AssessmentResult, role_scores, score_assessment
    from pmo_assess.scoring.engine import (
        ScoreTables,
        ScoringOptions,
        progress_to_date,
        score_assessments,
    )

_HOMES = {
    "AssessmentResult": "scoring.assessment",
    "Dimension": "model.questionnaire",
    "PmoAssessError": "core.errors",
    "Problem": "core.errors",
    "Question": "model.questionnaire",
    "Questionnaire": "model.questionnaire",
    "ScoreTables": "scoring.engine",
    "ScoringOptions": "scoring.engine",
    "ValidationError": "core.errors",
    "load_questionnaire": "model.loading",
    "progress_to_date": "scoring.engine",
    "read_answers_file": "scoring.answers",
    "role_scores": "scoring.assessment",
    "score_assessment": "scoring.assessment",
    "score_assessments": "scoring.engine",
    "tidy_answers": "scoring.answers",
    "validate_questionnaire_file": "model.loading",
}
__all__ = [
    "AssessmentResult",
    "Dimension",
    "PmoAssessError",
    "Problem",
    "Question",
    "Questionnaire",
    "ScoreTables",
    "ScoringOptions",
    "ValidationError",
    "load_questionnaire",
    "progress_to_date",
    "read_answers_file",
    "role_scores",
    "score_assessment",
    "score_assessments",
    "tidy_answers",
    "validate_questionnaire_file",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'pmo_assess' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"pmo_assess.{home}"), name)
    globals()[name] = value  # later lookups skip this function
    return value
