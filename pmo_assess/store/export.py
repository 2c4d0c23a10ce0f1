"""Export a client's answers, notes and scores as CSV, Excel or JSON, and its roadmap as Excel.

The CSV is the long answers file, so it imports back to the same answers: it holds the notes on
answers, while notes on a respondent or a dimension are in the Excel and JSON exports. Text cells
that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) get a leading apostrophe in CSV, which spreadsheets show as text and the
long-file reader removes again; in Excel files such cells are stored as text cells with Excel's
quote prefix.

The Excel workbook is for the client: headers in words, the question beside each id, scores as
numbers rounded half up to the questionnaire's display precision (as the report shows them),
shares as percentages and times as real dates (see :mod:`pmo_assess.store.workbook`).
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from pmo_assess.core.atomic import atomic_path
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.formulas import FORMULA_STARTS as FORMULA_STARTS  # re-exported
from pmo_assess.core.formulas import spreadsheet_safe
from pmo_assess.model.questionnaire import Questionnaire, format_value
from pmo_assess.model.terms import ROLES, RoleName
from pmo_assess.scoring.assessment import AssessmentResult, score_assessment
from pmo_assess.scoring.engine import ScoringOptions
from pmo_assess.store.sheets import answers_sheet, notes_sheet, questions_sheet, scores_sheet
from pmo_assess.store.workbook import write_sheets

EXPORT_FORMATS = ("csv", "xlsx", "json")
LONG_COLUMNS = [
    "client",
    "wave",
    "respondent",
    "role",
    "question_id",
    "answer",
    "note",
    "confidence",
    "evidence",
    "recorded_at",
    "recorded_by",
]
_ANSWER_WORDS = {"na": "N/A", "dont_know": "Don't know"}


def long_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """Stored answers (``Store.load_answers``) as the long answers file's columns."""
    frame = answers.copy()
    frame["answer"] = [
        _ANSWER_WORDS.get(status) or format_value(value)
        for status, value in zip(frame["status"], frame["value"], strict=True)
    ]
    frame["evidence"] = frame["evidence"].map("; ".join)
    frame["recorded_at"] = frame["recorded_at"].map(
        lambda moment: moment.isoformat(timespec="seconds")
    )
    return frame[LONG_COLUMNS]


def client_scores(
    questionnaire: Questionnaire, answers: pd.DataFrame, targets: dict[str, float] | None = None
) -> list[AssessmentResult]:
    """The scores of every wave in the answers, in wave order."""
    options = ScoringOptions(targets=targets or None)
    return [
        score_assessment(questionnaire, answers, wave=wave, options=options)
        for wave in answers["wave"].drop_duplicates()
    ]


def export_text(
    answers: pd.DataFrame,
    scores: list[AssessmentResult],
    fmt: str,
    notes: pd.DataFrame | None = None,
) -> str:
    """The CSV (long answers) or JSON (answers, notes on respondents and dimensions, and
    scores) export as text; ``notes`` as :meth:`Store.load_notes` reads them."""
    long = long_answers(answers)
    if fmt == "csv":
        buffer = io.StringIO()
        long.map(spreadsheet_safe).to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue()
    if fmt == "json":
        document = {
            "answers": long.to_dict(orient="records"),
            "notes": _note_records(notes),
            "scores": [s.to_dict() for s in scores],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    raise PmoAssessError(f"Unsupported text format {fmt!r}. Supported formats: csv, json.")


def write_export(
    answers: pd.DataFrame,
    scores: list[AssessmentResult],
    fmt: str,
    out: Path,
    questionnaire: Questionnaire | None = None,
    client_name: str | None = None,
    *,
    notes: pd.DataFrame | None = None,
    role_names: Mapping[str, RoleName] | None = None,
) -> None:
    """Write an export file atomically. ``xlsx`` needs the questionnaire and writes the sheets
    Answers, Scores, Questions and, when there are any notes, Notes; ``client_name`` names
    the client in the Answers sheet (default: its slug), ``role_names`` the roles an import
    added to the vocabulary, and ``notes`` are the notes on respondents and dimensions."""
    if fmt != "xlsx":
        with atomic_path(out) as temporary:
            text = export_text(answers, scores, fmt, notes)
            temporary.write_text(text, encoding="utf-8", newline="")
        return
    if questionnaire is None:
        raise PmoAssessError("An xlsx export needs the questionnaire, for question texts.")
    precision = questionnaire.display_precision
    names = {**ROLES, **(role_names or {})}
    sheets = {
        "Answers": answers_sheet(questionnaire, answers, client_name, names),
        "Scores": scores_sheet(scores, precision),
        "Questions": questions_sheet(questionnaire, scores),
    }
    noted = notes_sheet(questionnaire, answers, notes, names)
    if not noted.frame.empty:
        sheets["Notes"] = noted
    write_sheets(sheets, out)


def _note_records(notes: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Notes on respondents and dimensions as JSON records (``dimension_id`` null: on the
    respondent), recorded times in ISO format."""
    if notes is None:
        return []
    return [
        {
            **row,
            "dimension_id": None if pd.isna(row["dimension_id"]) else row["dimension_id"],
            "recorded_at": row["recorded_at"].isoformat(timespec="seconds"),
        }
        for row in notes.to_dict(orient="records")
    ]
