"""Survey imports: read the exports of Google Forms, Microsoft Forms, SurveyMonkey and Qualtrics,
and the long answers file, into respondents and tidy answers for a questionnaire."""

from __future__ import annotations

from pmo_assess.importers.completion import CompletionTimes
from pmo_assess.importers.mapping import ImportMapping, load_mapping
from pmo_assess.importers.reader import FORMATS, read_survey
from pmo_assess.importers.result import (
    IMPORT_COLUMNS,
    ImportedNote,
    ImportedRespondent,
    SurveyImport,
    UnmatchedColumn,
)

__all__ = [
    "FORMATS",
    "IMPORT_COLUMNS",
    "CompletionTimes",
    "ImportMapping",
    "ImportedNote",
    "ImportedRespondent",
    "SurveyImport",
    "UnmatchedColumn",
    "load_mapping",
    "read_survey",
]
