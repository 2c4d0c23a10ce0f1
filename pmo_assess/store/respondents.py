"""Respondents as an interview sees them: found by id with where they belong (an interview shows
its client and wave, and reopens the respondent after a kernel restart), added when the first
answer is saved, and marked complete or reopened."""

from __future__ import annotations

import re

import sqlalchemy as sa

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.store import schema as t
from pmo_assess.store.records import (
    NewRespondent,
    PlacedRespondent,
    Respondent,
    Wave,
    respondent_record,
    wave_record,
)
from pmo_assess.store.writes import now, respondent_values

_ANONYMOUS = re.compile(r"R(\d+)")  # the codes the store hands out: R01, R02, ...


def placed_respondent(engine: sa.Engine, respondent_id: int) -> PlacedRespondent | None:
    """The respondent with its client's slug and its wave's label; None when there is none."""
    r, w, e, c = t.respondents, t.waves, t.engagements, t.clients
    query = (
        sa.select(r, c.c.slug.label("client_slug"), w.c.label.label("wave_label"))
        .join(w, w.c.id == r.c.wave_id)
        .join(e, e.c.id == w.c.engagement_id)
        .join(c, c.c.id == e.c.client_id)
        .where(r.c.id == respondent_id)
    )
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return None
    return PlacedRespondent(respondent_record(row), row["client_slug"], row["wave_label"])


def wave_with_client(engine: sa.Engine, wave_id: int) -> tuple[Wave, str]:
    """The wave with this id and its client's slug."""
    w, e, c = t.waves, t.engagements, t.clients
    query = (
        sa.select(w, c.c.slug.label("client_slug"))
        .join(e, e.c.id == w.c.engagement_id)
        .join(c, c.c.id == e.c.client_id)
        .where(w.c.id == wave_id)
    )
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        raise PmoAssessError(f"No wave with id {wave_id} in this store.")
    return wave_record(row), row["client_slug"]


def start_interview(
    conn: sa.Connection, wave_id: int, role: str, code: str | None = None
) -> Respondent:
    """Add a respondent whose interview is in progress; no code: the next anonymous code that
    no respondent of the wave has (a code typed earlier, such as ``R03``, is never reused)."""
    table = t.respondents
    taken = set(conn.execute(sa.select(table.c.code).where(table.c.wave_id == wave_id)).scalars())
    if code is not None and code in taken:
        raise PmoAssessError(
            f"Respondent '{code}' was added to this wave meanwhile (by another form or import); "
            "choose it in the respondent list to carry on with it."
        )
    code = code or next_anonymous_code(taken)
    values = respondent_values(wave_id, NewRespondent(role, code, source="interview"))
    conn.execute(table.insert().values(**values, in_progress_since=now()))
    key = (table.c.wave_id == wave_id) & (table.c.code == code)
    return respondent_record(conn.execute(sa.select(table).where(key)).mappings().one())


def next_anonymous_code(taken: set[str]) -> str:
    """The first code after the wave's respondents that nobody has.

    >>> next_anonymous_code({"R01", "CFO-1"}), next_anonymous_code({"R01", "R03"})
    ('R03', 'R04')
    """
    numbers = [int(m.group(1)) for c in taken if (m := _ANONYMOUS.fullmatch(c))]
    number = max([len(taken), *numbers]) + 1
    while f"R{number:02d}" in taken:
        number += 1
    return f"R{number:02d}"


def set_in_progress(conn: sa.Connection, respondent_id: int, in_progress: bool) -> Respondent:
    """Reopen an interview (``in_progress``) or mark it complete; returns the respondent."""
    table = t.respondents
    key = table.c.id == respondent_id
    conn.execute(table.update().where(key).values(in_progress_since=now() if in_progress else None))
    row = conn.execute(sa.select(table).where(key)).mappings().first()
    if row is None:
        raise PmoAssessError(f"No respondent with id {respondent_id} in this store.")
    return respondent_record(row)
