"""Export a client's answers, notes and scores as CSV, Excel or JSON.

The CSV is the long answers file, so it imports back to the same answers. Text cells that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) get a leading apostrophe in CSV, which spreadsheets show as text and the long-file reader
removes again; in Excel files such cells are stored as text cells with Excel's quote prefix.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from pmo_assess.core.atomic import atomic_path
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.model.questionnaire import Questionnaire, format_value
from pmo_assess.scoring.assessment import AssessmentResult, dimension_frame, score_assessment
from pmo_assess.scoring.engine import ScoringOptions

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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


def spreadsheet_safe(value: Any) -> Any:
    """Text that no spreadsheet will run as a formula; other values unchanged.

    >>> spreadsheet_safe("=HYPERLINK(\\"http://x\\")"), spreadsheet_safe("fine"), spreadsheet_safe(-1)
    ('\\'=HYPERLINK("http://x")', 'fine', -1)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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


def export_text(answers: pd.DataFrame, scores: list[AssessmentResult], fmt: str) -> str:
    """The CSV (long answers) or JSON (answers and scores) export as text."""
    long = long_answers(answers)
    if fmt == "csv":
        buffer = io.StringIO()
        long.map(spreadsheet_safe).to_csv(buffer, index=False, lineterminator="\n")
        return buffer.getvalue()
    if fmt == "json":
        document = {
            "answers": long.to_dict(orient="records"),
            "scores": [s.to_dict() for s in scores],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    raise PmoAssessError(f"Unsupported text format {fmt!r}. Supported formats: csv, json.")


def write_export(
    answers: pd.DataFrame, scores: list[AssessmentResult], fmt: str, out: Path
) -> None:
    """Write an export file atomically; ``xlsx`` gets sheets Answers, Scores and Questions."""
    if fmt != "xlsx":
        with atomic_path(out) as temporary:
            temporary.write_text(export_text(answers, scores, fmt), encoding="utf-8", newline="")
        return
    sheets = {"Answers": long_answers(answers)}
    sheets["Scores"] = (
        pd.concat([dimension_frame(s).assign(wave=s.wave) for s in scores], ignore_index=True)
        if scores
        else pd.DataFrame()
    )
    sheets["Questions"] = pd.DataFrame(
        [{"wave": s.wave, **vars(q)} for s in scores for q in s.questions]
    )
    write_sheets(sheets, out)


def write_sheets(sheets: dict[str, pd.DataFrame], out: Path) -> None:
    """Write tables as sheets of one Excel file, atomically, with no cell ever a formula."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, frame in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
        _never_formulas(sheet)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    with atomic_path(out) as temporary:
        workbook.save(temporary)


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value if isinstance(value, bool | int | float) else str(value)


def _never_formulas(sheet: Any) -> None:
    """openpyxl turns text starting with '=' into a formula: store such text as text, shown as
    typed (Excel's quote prefix), so the client sees the note and nothing runs."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
                cell.quotePrefix = True
