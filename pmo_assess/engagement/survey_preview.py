"""Answers from a survey export instead of an interview: the interview notebook previews an
export, then imports it once confirmed, through the same code as ``pmo-assess import``, and shows
a user's error as a message rather than a traceback."""

from __future__ import annotations

from pathlib import Path

from pmo_assess.core.errors import PmoAssessError, RoleNeeded
from pmo_assess.store.intake import import_survey_file
from pmo_assess.store.repository import Store

SURVEY_HOW_TO = (
    "No survey export given. To bring in answers collected by Google Forms, Microsoft Forms, "
    "SurveyMonkey or Qualtrics (or a long answers CSV), set survey_file to its path in the "
    "parameters cell, run the notebook and read the preview; then set import_survey = True and "
    "run it again. The same import runs at a terminal: pmo-assess import FILE --client SLUG "
    "--wave LABEL --dry-run"
)


def survey_import(
    store: Store,
    survey_file: str | Path,
    client_slug: str,
    wave: str,
    *,
    role: str = "",
    questionnaire: str = "",
    mapping: str | Path = "",
    dry_run: bool = True,
    confirmed: bool = True,
) -> str:
    """Preview (``dry_run``) or import a survey export exactly as ``pmo-assess import`` does, and
    return the report to show; a user error comes back as its message, never as a traceback.

    An import that is not ``confirmed`` writes nothing and says how to confirm it.
    """
    if not str(survey_file).strip():
        return SURVEY_HOW_TO if dry_run else "No survey export given: nothing to import."
    if not dry_run and not confirmed:
        return (
            "Not imported yet. Check the preview above; when it is right, set import_survey = True "
            "in the parameters cell and run the notebook again."
        )
    try:
        return import_survey_file(
            store,
            Path(survey_file),
            client_slug,
            wave,
            questionnaire=questionnaire or None,
            mapping_path=Path(mapping) if str(mapping).strip() else None,
            role=role.strip() or None,
            dry_run=dry_run,
        )
    except RoleNeeded as exc:
        hint = 'In this notebook, set survey_role (e.g. "project-manager") or survey_mapping.'
        return f"Nothing was imported. {exc} {hint}"
    except PmoAssessError as exc:
        return f"Nothing was imported. {exc}"
