"""Frozen records the store hands out, built from database rows."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Client:
    """An organisation being assessed."""

    id: int
    slug: str
    name: str
    industry: str | None = None
    size_band: str | None = None
    region: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Client:
        return cls(
            row["id"], row["slug"], row["name"], row["industry"], row["size_band"], row["region"]
        )


@dataclass(frozen=True)
class Engagement:
    """A piece of work with a client: establishing or optimizing its PMO with one questionnaire."""

    id: int
    client_id: int
    client_slug: str
    kind: str
    questionnaire_id: str
    questionnaire_version: str
    functions_in_scope: tuple[str, ...] = ()
    pmo_type: str | None = None
    objectives: tuple[str, ...] = ()
    targets: dict[str, float] = field(default_factory=dict)
    importance: dict[str, int] = field(default_factory=dict)
    #: Priority of functions in scope (``high``, ``medium``, ``low``); unranked ones are absent.
    function_priorities: dict[str, str] = field(default_factory=dict)
    #: The digest of the questionnaire assessed with; None for engagements started before 0006.
    questionnaire_digest: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[Any, Any], settings: Sequence[Mapping[Any, Any]]) -> Engagement:
        return cls(
            id=row["id"],
            client_id=row["client_id"],
            client_slug=row["client_slug"],
            kind=row["kind"],
            questionnaire_id=row["questionnaire_id"],
            questionnaire_version=row["questionnaire_version"],
            functions_in_scope=tuple(json.loads(row["functions_in_scope"] or "[]")),
            pmo_type=row["pmo_type"],
            objectives=tuple(json.loads(row["objectives"] or "[]")),
            targets={s["dimension_id"]: s["target"] for s in settings if s["target"] is not None},
            importance={
                s["dimension_id"]: s["importance"] for s in settings if s["importance"] is not None
            },
            function_priorities=json.loads(row.get("function_priorities") or "{}"),
            questionnaire_digest=row.get("questionnaire_digest"),
        )


@dataclass(frozen=True)
class Wave:
    """One round of assessment within an engagement, e.g. the baseline and a re-assessment."""

    id: int
    engagement_id: int
    label: str
    held_on: date | None = None


@dataclass(frozen=True)
class Respondent:
    """Someone who answered: an anonymous code unless the consultant opted to keep a name or e-mail."""

    id: int
    wave_id: int
    code: str
    role: str
    name: str | None = None
    email: str | None = None
    source: str = "interview"
    #: When the interview was started or reopened; None once it is marked complete (and for
    #: every survey respondent). An interview in progress is left out of the analysis.
    in_progress_since: datetime | None = None

    @property
    def in_progress(self) -> bool:
        """True while the interview is not marked complete."""
        return self.in_progress_since is not None


@dataclass(frozen=True)
class AnswerRecord:
    """One answer as stored, with its provenance."""

    question_id: str
    value: float | None
    status: str
    option_label: str | None
    note: str
    evidence: tuple[str, ...]
    confidence: str
    recorded_at: datetime
    recorded_by: str

    def same_answer(self, other: AnswerRecord) -> bool:
        """True when the two differ at most in when and by whom they were recorded."""
        keys = ("value", "status", "option_label", "note", "evidence", "confidence")
        return all(getattr(self, k) == getattr(other, k) for k in keys)

    def row_values(self) -> dict[str, Any]:
        """The record as column values of the answers table."""
        return {
            "question_id": self.question_id,
            "value": self.value,
            "status": self.status,
            "option_label": self.option_label,
            "note": self.note,
            "evidence": json.dumps(list(self.evidence)),
            "confidence": self.confidence,
            "recorded_at": self.recorded_at,
            "recorded_by": self.recorded_by,
        }


def wave_record(row: Mapping[Any, Any]) -> Wave:
    return Wave(row["id"], row["engagement_id"], row["label"], row["held_on"])


def respondent_record(row: Mapping[Any, Any]) -> Respondent:
    return Respondent(
        row["id"],
        row["wave_id"],
        row["code"],
        row["role"],
        row["name"],
        row["email"],
        row["source"],
        row.get("in_progress_since"),
    )


def answer_record(row: Mapping[Any, Any]) -> AnswerRecord:
    return AnswerRecord(
        question_id=row["question_id"],
        value=row["value"],
        status=row["status"],
        option_label=row["option_label"],
        note=row["note"] or "",
        evidence=tuple(json.loads(row["evidence"] or "[]")),
        confidence=row["confidence"],
        recorded_at=row["recorded_at"],
        recorded_by=row["recorded_by"],
    )


@dataclass(frozen=True)
class NewRespondent:
    """Someone to add to a wave: no code means the next anonymous one (R01, R02, ...)."""

    role: str
    code: str | None = None
    name: str | None = None
    email: str | None = None
    source: str = "interview"


@dataclass(frozen=True)
class NewNote:
    """A note to store on a wave's respondent (``dimension_id`` None) or on one of its
    dimensions, and where it came from (``export.csv, column 'Any comments?'``)."""

    respondent: str  # the respondent's code in the wave
    text: str
    dimension_id: str | None = None
    source: str = ""


@dataclass(frozen=True)
class PlacedRespondent:
    """A respondent with the slug of its client and the label of its wave."""

    respondent: Respondent
    client_slug: str
    wave_label: str


@dataclass(frozen=True)
class DimensionSetting:
    """An engagement's own target and importance (1 to 3) for a dimension; None keeps the default."""

    dimension_id: str
    target: float | None = None
    importance: int | None = None


@dataclass(frozen=True)
class ActionRecord:
    """The decision recorded on one roadmap action of an engagement, as stored."""

    id: int
    engagement_id: int
    action_id: str
    status: str
    owner: str | None
    due_date: date | None
    note: str
    updated_at: datetime


def action_record(row: Mapping[Any, Any]) -> ActionRecord:
    return ActionRecord(
        id=row["id"],
        engagement_id=row["engagement_id"],
        action_id=row["action_id"],
        status=row["status"],
        owner=row["owner"],
        due_date=row["due_date"],
        note=row["note"],
        updated_at=row["updated_at"],
    )
