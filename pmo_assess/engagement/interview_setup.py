"""Which engagement, wave and respondent an interview belongs to, and how far each of the wave's
respondents has got.

A restart resumes: with no respondent named, the interview opens the wave's most recent
unfinished interview, and when there is none a new respondent that reaches the store only with
its first answer, so running the notebook and leaving adds nobody. Interviews not marked complete
are left out of the analysis; :func:`unfinished_interviews` and :func:`unfinished_text` say which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pandas as pd

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.engagement.house_table import MISSING, HouseTable, house_table, is_missing
from pmo_assess.engagement.interview import InterviewSession, Newcomer, checked_role
from pmo_assess.engagement.notebook import Step
from pmo_assess.model.loading import load_questionnaire
from pmo_assess.model.questionnaire import Questionnaire
from pmo_assess.store.intake import DEFAULT_QUESTIONNAIRE
from pmo_assess.store.questionnaires import engagement_questionnaire as kept_questionnaire
from pmo_assess.store.records import Engagement, Respondent, Wave
from pmo_assess.store.repository import Store

_ANONYMOUS = re.compile(r"[Rr]\d+")  # the codes the store hands out: R01, R02, ...


def open_engagement(store: Store, client_slug: str) -> Engagement:
    """The client's latest engagement, started with the default questionnaire when it has none."""
    found = store.find_engagement(client_slug)
    if found is not None:
        return found
    return store.start_engagement(client_slug, load_questionnaire(DEFAULT_QUESTIONNAIRE))


def engagement_questionnaire(store: Store, engagement: Engagement) -> Questionnaire:
    """The questionnaire the engagement uses, the workspace's own copy first."""
    return kept_questionnaire(store.workspace, engagement)


def pick_wave(
    store: Store, engagement: Engagement, label: str = "", today: date | None = None
) -> Wave:
    """The wave with this label (created, dated today, when new); no label: the latest wave, or
    a new one named ``interview-<today>`` when the engagement has none."""
    today = today or date.today()
    waves = store.waves(engagement.id)
    label = label.strip()
    if not label:
        if waves:
            return waves[-1]
        label = f"interview-{today.isoformat()}"
    existing = next((w for w in waves if w.label == label), None)
    return existing or store.ensure_wave(engagement.id, label, held_on=today)


def interview_step(step: Step, wave: str = "") -> Step:
    """The step with the wave the interview adds to (see :func:`pick_wave`), for its banner."""
    return replace(step, wave=pick_wave(step.store, step.engagement, wave))


@dataclass(frozen=True)
class InterviewProgress:
    """How far one respondent of a wave has got."""

    respondent: Respondent
    answered: int
    questions: int
    last_answer: datetime | None

    @property
    def status(self) -> str:
        return "in progress" if self.respondent.in_progress else "complete"

    def label(self) -> str:
        """The respondent as the picker lists it: ``R03 · pmo · 12 of 40 answered · in progress``."""
        who = self.respondent
        return (
            f"{who.code} · {who.role} · {self.answered} of {self.questions} answered · "
            f"{self.status}"
        )

    def recency(self) -> datetime:
        """When the respondent was last worked on, for finding the most recent interview."""
        when = self.last_answer or self.respondent.in_progress_since
        return _utc(when) if when else datetime.min.replace(tzinfo=UTC)


def wave_progress(
    store: Store, wave: Wave, questionnaire: Questionnaire
) -> list[InterviewProgress]:
    """The wave's respondents in the order they were added, with their progress."""
    ids = {q.id for q in questionnaire.questions()}
    found = []
    for person in store.respondents(wave.id):
        answers = [a for q, a in store.answers_of(person.id).items() if q in ids]
        last = max((_utc(a.recorded_at) for a in answers), default=None)
        found.append(InterviewProgress(person, len(answers), len(ids), last))
    return found


def respondents_progress(store: Store, wave: Wave, questionnaire: Questionnaire) -> pd.DataFrame:
    """The wave's respondents with how many of the questionnaire's questions each has answered,
    whether the interview is complete and when the last answer was given."""
    rows = [
        {
            "respondent": p.respondent.code,
            "role": p.respondent.role,
            "source": p.respondent.source,
            "answered": p.answered,
            "questions": p.questions,
            "status": p.status,
            "last_answer": p.last_answer,
        }
        for p in wave_progress(store, wave, questionnaire)
    ]
    columns = ["respondent", "role", "source", "answered", "questions", "status", "last_answer"]
    return pd.DataFrame(rows, columns=columns)


def respondents_table(store: Store, wave: Wave, questionnaire: Questionnaire) -> HouseTable:
    """The wave's respondents as the notebook shows them: code, role, source, answered of
    total, whether the interview is complete, last answer."""
    found = wave_progress(store, wave, questionnaire)
    frame = _progress_frame(found)
    frame.insert(2, "source", [p.respondent.source for p in found])
    frame.insert(4, "interview", [p.status for p in found])
    return house_table(
        frame,
        formats={"last_answer": time_text},
        caption=f"Respondents in wave {wave.label}: {len(found)}",
        missing_note="no answer yet.",
    )


def _progress_frame(found: list[InterviewProgress]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent": [p.respondent.code for p in found],
            "role": [p.respondent.role for p in found],
            "answered": [f"{p.answered} of {p.questions}" for p in found],
            "last_answer": pd.Series([p.last_answer for p in found], dtype=object),
        }
    )


def unfinished_interviews(
    store: Store, wave: Wave | None, questionnaire: Questionnaire
) -> HouseTable:
    """The wave's interviews not marked complete: code, role, answered of total, last answer."""
    return house_table(
        _progress_frame(_unfinished(store, wave, questionnaire)),
        formats={"last_answer": time_text},
        missing_note="no answer yet: nothing to leave out.",
    )


def unfinished_text(store: Store, wave: Wave | None, questionnaire: Questionnaire) -> str:
    """One sentence on the wave's unfinished interviews, for the analysis notebook."""
    found = _unfinished(store, wave, questionnaire)
    if wave is None:
        return "No wave yet, so no interviews."
    if not found:
        return f"Every interview in wave {wave.label} is marked complete."
    codes = ", ".join(p.respondent.code for p in found)
    many = len(found) > 1
    return (
        f"{len(found)} interview{'s are' if many else ' is'} not marked complete ({codes}): "
        f"{'their' if many else 'its'} answers are left out of the analysis until "
        f"{'they are' if many else 'it is'}. Mark {'them' if many else 'it'} complete in "
        "02_interview (the button under the form)."
    )


def _unfinished(
    store: Store, wave: Wave | None, questionnaire: Questionnaire
) -> list[InterviewProgress]:
    if wave is None:
        return []
    return [p for p in wave_progress(store, wave, questionnaire) if p.respondent.in_progress]


def open_interview(
    store: Store,
    wave: Wave,
    questionnaire: Questionnaire,
    code: str = "",
    role: str = "pmo",
    by: str | None = None,
) -> InterviewSession:
    """The interview the notebook opens.

    A code the wave has: that respondent, at its first unanswered question. A new code of one's
    own (``CFO-1``): a new respondent with it. No code: the wave's most recent unfinished
    interview, else a new anonymous respondent with the role. A new respondent reaches the store
    only with its first answer. An anonymous-looking code the wave does not have (``R4`` for
    ``R04``?) is refused rather than started afresh, so a typo cannot split one person's answers.
    """
    code, people = code.strip(), store.respondents(wave.id)
    if code:
        existing = next((r for r in people if r.code.casefold() == code.casefold()), None)
        if existing is not None:
            return InterviewSession(store, existing.id, questionnaire, by)
        if _ANONYMOUS.fullmatch(code):
            known = ", ".join(r.code for r in people) or "none yet"
            raise PmoAssessError(
                f"Wave '{wave.label}' has no respondent '{code}'; its respondents: {known}. Leave "
                "respondent empty to resume the latest unfinished interview or start a new one."
            )
        return InterviewSession(
            store, Newcomer(wave.id, checked_role(role), code), questionnaire, by
        )
    unfinished = _unfinished(store, wave, questionnaire)
    if unfinished:
        latest = max(unfinished, key=InterviewProgress.recency)
        return InterviewSession(store, latest.respondent.id, questionnaire, by)
    return InterviewSession(store, Newcomer(wave.id, checked_role(role)), questionnaire, by)


def time_text(value: object) -> str:
    """A stored time in the local time zone: ``18 Dec 2026, 14:05``; "—" when there is none."""
    if is_missing(value) or not isinstance(value, datetime):
        return MISSING
    local = _utc(value).astimezone()
    return f"{local.day} {local:%b %Y, %H:%M}"


def _utc(when: datetime) -> datetime:
    """A stored time as an aware one (SQLite hands back UTC times without their zone)."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)
