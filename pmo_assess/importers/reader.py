"""Read a survey export of any supported platform against a questionnaire: detect its layout,
parse it, and match its columns and answers."""

from __future__ import annotations

from pathlib import Path

from pmo_assess.core.errors import PmoAssessError, ValidationError
from pmo_assess.importers import google_forms, long, ms_forms, qualtrics, surveymonkey
from pmo_assess.importers.base import Grid, Platform
from pmo_assess.importers.build import build_import
from pmo_assess.importers.grid import read_grid
from pmo_assess.importers.mapping import ImportMapping, check_mapping
from pmo_assess.importers.result import SurveyImport
from pmo_assess.model.questionnaire import Questionnaire

#: Survey platforms by format name, in the order detection tries them.
PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (qualtrics.PLATFORM, surveymonkey.PLATFORM, ms_forms.PLATFORM, google_forms.PLATFORM)
}
FORMATS = ("auto", "long", *PLATFORMS)


def read_survey(
    path: str | Path,
    questionnaire: Questionnaire,
    *,
    format: str = "auto",
    mapping: ImportMapping | None = None,
    default_role: str | None = None,
    include_unfinished: bool = False,
) -> SurveyImport:
    """Read a survey export (CSV, TSV or XLSX) into respondents and tidy answers.

    Parameters
    ----------
    path
        The export, as downloaded from the platform.
    questionnaire
        The questionnaire whose questions the columns are matched to.
    format
        ``auto`` (detected from the header rows), ``long``, ``google-forms``, ``ms-forms``,
        ``surveymonkey`` or ``qualtrics``.
    mapping
        Column, answer and role rules (see :func:`load_mapping`), applied before automatic
        matching. The long answers file names question ids and answers itself: only the roles
        a mapping adds are used for it (so a mapping kept for a client does not get in its way).
    default_role
        The role of respondents whose role no role column gives (a column is read as roles
        when the mapping names it, or when its header names a role, e.g. "What is your role?").
    include_unfinished
        Keep Qualtrics responses that were not finished.

    Returns
    -------
    SurveyImport
        Respondents, answers, notes, and the columns, values and rows left out (an answer or
        role that is not known is a rejected value); nothing is stored.

    Raises
    ------
    PmoAssessError
        An unknown layout or format, an unknown default role, no way to know respondents'
        roles, or a long answers file with bad rows (a :class:`ValidationError` listing them).

    Examples
    --------
    >>> from pmo_assess.importers.examples import example_path
    >>> from pmo_assess.model.loading import load_questionnaire
    >>> survey = read_survey(example_path("google_forms.csv"), load_questionnaire("pmo-maturity"),
    ...                      default_role="project-manager")
    >>> survey.platform, [r.code for r in survey.respondents], len(survey.answers)
    ('google-forms', ['row-2', 'row-3'], 6)
    >>> survey.unmatched_columns
    ()
    """
    name = str(path)
    path = Path(path)
    if format not in FORMATS:
        raise PmoAssessError(f"Unknown survey format '{format}'. Formats: {', '.join(FORMATS)}.")
    if not path.is_file():
        raise PmoAssessError(f"File not found: {path}")
    if mapping is not None:
        problems = check_mapping(mapping, questionnaire)
        if problems:
            raise ValidationError(problems, what=mapping.source or "the mapping")
    vocabulary = (mapping or ImportMapping()).vocabulary()
    default_role = vocabulary.default(default_role)
    rows, is_xlsx = read_grid(path)
    chosen = detect_format(rows, name) if format == "auto" else _checked(format, rows, name)
    if chosen == "long":
        if is_xlsx:
            raise PmoAssessError(
                f"{name}: the long answers file is read from CSV; save the sheet as CSV and "
                "import that."
            )
        survey = long.read_long(path, rows, questionnaire, default_role, name, vocabulary, mapping)
        return survey.without_control()
    parsed = PLATFORMS[chosen].parse(rows, name, include_unfinished)
    return build_import(parsed, questionnaire, mapping, default_role, name).without_control()


def detect_format(rows: Grid, name: str) -> str:
    """The format whose header rows the file starts with.

    >>> detect_format([["ID", "Start time", "Completion time", "Email", "Name"]], "f.csv")
    'ms-forms'
    """
    if not rows:
        raise PmoAssessError(f"{name} is empty; expected a survey export with a header row.")
    if long.looks_like(rows):
        return "long"
    for platform in PLATFORMS.values():
        if platform.looks_like(rows):
            return platform.name
    raise PmoAssessError(
        f"{name}: unknown survey layout; its first row is {_first_cells(rows)}. Expected "
        + "; or ".join(f"{p.title}: {p.expected}" for p in PLATFORMS.values())
        + f"; or the long answers file: {long.EXPECTED}. Pass --format to name the platform."
    )


def _checked(format: str, rows: Grid, name: str) -> str:
    if format == "long":
        fits, title, expected = long.looks_like(rows), "long answers", long.EXPECTED
    else:
        platform = PLATFORMS[format]
        fits, title, expected = platform.looks_like(rows), platform.title, platform.expected
    if not fits:
        raise PmoAssessError(
            f"{name} is not a {title} export: expected {expected}; its first row is "
            f"{_first_cells(rows)}."
        )
    return format


def _first_cells(rows: Grid, count: int = 6) -> str:
    cells = rows[0] if rows else []
    shown = ", ".join(f"'{' '.join(c.split())}'" for c in cells[:count])
    return shown + (", ..." if len(cells) > count else "") if cells else "empty"
