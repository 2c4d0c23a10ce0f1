"""Which engagement, wave and respondent an interview belongs to: each picked from the store, or
created there when the interview notebook names one that does not exist yet, and the wave's
respondents with how far each has got."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from pmo_assess.core.errors import PmoAssessError
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


def pick_respondent(store: Store, wave: Wave, code: str = "", role: str = "pmo") -> Respondent:
    """The wave's respondent with this code; no code: a new anonymous respondent (``R01``,
    ``R02``, ...) with the role; a code of one's own (``CFO-1``): a new respondent with it.

    An anonymous-looking code the wave does not have (``R4`` for ``R04``?) is refused rather
    than started afresh, so a typo cannot split one person's answers between two respondents.
    """
    code, people = code.strip(), store.respondents(wave.id)
    existing = next((r for r in people if code and r.code.casefold() == code.casefold()), None)
    if existing is not None:
        return existing
    if _ANONYMOUS.fullmatch(code):
        known = ", ".join(r.code for r in people) or "none yet"
        raise PmoAssessError(
            f"Wave '{wave.label}' has no respondent '{code}'; its respondents: {known}. Leave "
            "respondent empty to add a new anonymous one."
        )
    if not role.strip():
        raise PmoAssessError('A new respondent needs a role, e.g. role = "pmo" or "executive".')
    return store.add_respondent(wave.id, role.strip(), code=code or None, source="interview")


def respondents_progress(store: Store, wave: Wave, questionnaire: Questionnaire) -> pd.DataFrame:
    """The wave's respondents with how many of the questionnaire's questions each has answered."""
    ids = {q.id for q in questionnaire.questions()}
    rows = [
        {
            "respondent": r.code,
            "role": r.role,
            "source": r.source,
            "answered": len(ids & set(store.answers_of(r.id))),
            "questions": len(ids),
        }
        for r in store.respondents(wave.id)
    ]
    return pd.DataFrame(rows, columns=["respondent", "role", "source", "answered", "questions"])
