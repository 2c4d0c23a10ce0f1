"""Query pieces the store's readers share: the joins from a respondent up to its client, the
filter by client, wave and questionnaire, and the one that leaves out unfinished interviews."""

from __future__ import annotations

import sqlalchemy as sa

from pmo_assess.store import schema as t


def up_to_client(query: sa.Select, respondent_id: sa.ColumnElement) -> sa.Select:
    """``query`` joined from ``respondent_id`` to its respondent, wave, engagement and client."""
    r, w, e, c = t.respondents, t.waves, t.engagements, t.clients
    return (
        query.join(r, r.c.id == respondent_id)
        .join(w, w.c.id == r.c.wave_id)
        .join(e, e.c.id == w.c.engagement_id)
        .join(c, c.c.id == e.c.client_id)
    )


def of_assessment(
    query: sa.Select,
    client_slug: str | None,
    wave: str | None,
    questionnaire_id: str | None,
) -> sa.Select:
    """``query`` kept to one client, wave and questionnaire where each is given."""
    for column, wanted in (
        (t.clients.c.slug, client_slug),
        (t.waves.c.label, wave),
        (t.engagements.c.questionnaire_id, questionnaire_id),
    ):
        if wanted is not None:
            query = query.where(column == wanted)
    return query


def finished_only(query: sa.Select) -> sa.Select:
    """``query`` (joined to the respondents) without respondents whose interview is in progress."""
    return query.where(t.respondents.c.in_progress_since.is_(None))
