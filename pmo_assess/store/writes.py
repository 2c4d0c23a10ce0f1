"""Writes inside one open transaction of the store: waves, respondents and answers with history.

Each function takes the transaction's connection, so callers decide what commits together: one
answer in an interview, or a whole survey import.
"""

from __future__ import annotations

import getpass
import math
import os
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.workspace import wave_folder_name
from pmo_assess.model.answer_status import ANSWERED, CONFIDENCE_LEVELS, DONT_KNOW, NOT_APPLICABLE
from pmo_assess.model.terms import RESPONDENT_SOURCES
from pmo_assess.store import schema as t
from pmo_assess.store.records import (
    AnswerRecord,
    NewRespondent,
    Respondent,
    Wave,
    answer_record,
    respondent_record,
    wave_record,
)

STATUSES = (ANSWERED, NOT_APPLICABLE, DONT_KNOW)


def ensure_wave(conn: sa.Connection, engagement_id: int, label: str, held_on: date | None) -> Wave:
    """The engagement's wave with this label, created when missing (a new date updates it)."""
    if not label.strip():
        raise PmoAssessError("A wave needs a label, e.g. 2026-Q3.")
    key = (t.waves.c.engagement_id == engagement_id) & (t.waves.c.label == label)
    row = conn.execute(sa.select(t.waves).where(key)).mappings().first()
    if row is None:
        _check_wave_folder(conn, engagement_id, label)
        conn.execute(
            t.waves.insert().values(
                engagement_id=engagement_id, label=label, held_on=held_on, created_at=now()
            )
        )
    elif held_on is not None and row["held_on"] != held_on:
        conn.execute(t.waves.update().where(key).values(held_on=held_on))
    return wave_record(conn.execute(sa.select(t.waves).where(key)).mappings().one())


def _check_wave_folder(conn: sa.Connection, engagement_id: int, label: str) -> None:
    """Refuse a new wave whose report folder is another wave's, or that cannot name one."""
    folder = wave_folder_name(label).casefold()
    labels = conn.execute(
        sa.select(t.waves.c.label).where(t.waves.c.engagement_id == engagement_id)
    ).scalars()
    for other in labels:
        if _folder_of(other) == folder:
            raise PmoAssessError(
                f"Wave '{label}' would share the report folder '{wave_folder_name(label)}' with "
                f"the engagement's wave '{other}', and one report would overwrite the other. "
                f"Use the label '{other}', or one that differs in letters or digits."
            )


def _folder_of(label: str) -> str | None:
    try:
        return wave_folder_name(label).casefold()
    except PmoAssessError:  # stored before labels were checked
        return None


def ensure_respondent(conn: sa.Connection, wave_id: int, person: NewRespondent) -> Respondent:
    """The wave's respondent with the person's code, added when missing; no code means the next
    anonymous one (R01, R02, ... within the wave)."""
    check_source(person)
    table = t.respondents
    code = person.code
    if code is None:
        taken = conn.execute(
            sa.select(sa.func.count()).select_from(table).where(table.c.wave_id == wave_id)
        ).scalar_one()
        code = f"R{taken + 1:02d}"
    key = (table.c.wave_id == wave_id) & (table.c.code == code)
    row = conn.execute(sa.select(table).where(key)).mappings().first()
    if row is None:
        conn.execute(table.insert(), respondent_values(wave_id, replace(person, code=code)))
        row = conn.execute(sa.select(table).where(key)).mappings().one()
    return respondent_record(row)


def new_answer(
    question_id: str,
    value: float | None,
    status: str,
    option_label: str | None = None,
    note: str = "",
    evidence: Sequence[str] = (),
    confidence: str = "interview",
    by: str | None = None,
) -> AnswerRecord:
    """A checked answer record, stamped now and with who recorded it."""
    if status not in STATUSES:
        raise PmoAssessError(f"Answer status must be one of {', '.join(STATUSES)}; got {status!r}.")
    if (status == ANSWERED) != (value is not None):
        raise PmoAssessError(
            f"Answer to '{question_id}': a value goes with status 'answered' only."
        )
    if confidence not in CONFIDENCE_LEVELS:
        raise PmoAssessError(
            f"Confidence must be one of {', '.join(CONFIDENCE_LEVELS)}; got {confidence!r}."
        )
    return AnswerRecord(
        question_id,
        value,
        status,
        option_label,
        note,
        tuple(evidence),
        confidence,
        now(),
        by or who(),
    )


def upsert_answer(conn: sa.Connection, respondent_id: int, record: AnswerRecord) -> str:
    """Insert or change one answer; says ``added``, ``changed`` or ``unchanged``."""
    table = t.answers
    key = (table.c.respondent_id == respondent_id) & (table.c.question_id == record.question_id)
    row = conn.execute(sa.select(table).where(key)).mappings().first()
    return apply_answer(conn, respondent_id, record, answer_record(row) if row else None)


def apply_answer(
    conn: sa.Connection, respondent_id: int, record: AnswerRecord, current: AnswerRecord | None
) -> str:
    """Write ``record`` over the ``current`` stored answer (None: there is none yet).

    A changed answer's earlier version goes to the history first, with who replaced it and when.
    """
    table = t.answers
    if current is None:
        conn.execute(table.insert().values(respondent_id=respondent_id, **record.row_values()))
        return "added"
    if current.same_answer(record):
        return "unchanged"
    conn.execute(
        t.answer_history.insert().values(
            respondent_id=respondent_id,
            replaced_at=record.recorded_at,
            replaced_by=record.recorded_by,
            **current.row_values(),
        )
    )
    key = (table.c.respondent_id == respondent_id) & (table.c.question_id == record.question_id)
    conn.execute(table.update().where(key).values(**record.row_values()))
    return "changed"


def check_source(person: NewRespondent) -> None:
    """Refuse a respondent whose source is not one the store knows."""
    if person.source not in RESPONDENT_SOURCES:
        raise PmoAssessError(
            f"Respondent source must be one of {', '.join(RESPONDENT_SOURCES)}; got {person.source!r}."
        )


def respondent_values(wave_id: int, person: NewRespondent) -> dict[str, Any]:
    """A new respondent as column values of the respondents table."""
    return {
        "wave_id": wave_id,
        "code": person.code,
        "role": person.role.strip() or "unspecified",
        "name": person.name,
        "email": person.email,
        "source": person.source,
        "created_at": now(),
    }


def who() -> str:
    """Who is recording: ``PMO_ASSESS_USER``, else the login name."""
    try:
        return os.environ.get("PMO_ASSESS_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def _number(value: Any) -> float | None:
    return (
        None
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA
        else float(value)
    )


def _text(value: Any) -> str:
    """Text from a table cell; empty for None and the NaN pandas leaves in blank cells."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)
