"""pmo-assess: assess, establish and optimize a client's Project Management Office.

The public API: load a questionnaire, read answers, score an assessment.

>>> from pmo_assess import load_questionnaire
>>> load_questionnaire("pmo-maturity").title
'PMO Maturity Assessment'
"""

from pmo_assess.answers import read_answers_file, tidy_answers
from pmo_assess.assessment import AssessmentResult, role_scores, score_assessment
from pmo_assess.errors import PmoAssessError, Problem, ValidationError
from pmo_assess.model import Dimension, Question, Questionnaire
from pmo_assess.questionnaire import load_questionnaire, validate_questionnaire_file
from pmo_assess.scoring import ScoreTables, ScoringOptions, progress_to_date, score_assessments

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
