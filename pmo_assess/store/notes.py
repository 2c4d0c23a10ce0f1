"""Notes on a respondent or on one of its dimensions, and the names of the roles an engagement's
imports add to the vocabulary: written by a survey import in the transaction of its answers,
read back by the export and the results.

An import replaces what it notes again and keeps the rest: a respondent's notes on the
respondent, or on one dimension, give way to the import's notes on the same, while notes the
import has nothing on stay, as a blank cell leaves a stored answer alone. Importing the same
export again therefore stores each note once. Notes on one answer are kept with the answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import sqlalchemy as sa

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.model.terms import RoleName
from pmo_assess.store import schema as t
from pmo_assess.store.queries import of_assessment, up_to_client
from pmo_assess.store.records import NewNote
from pmo_assess.store.writes import now, who

#: Columns of :func:`load_notes`; ``dimension_id`` is None for a note on the respondent.
NOTE_COLUMNS = ["client", "wave", "respondent", "role", "dimension_id", "note", "source",
                "recorded_at", "recorded_by"]  # fmt: skip
_SOURCE_LENGTH: int = t.respondent_notes.c.source.type.length  # type: ignore[attr-defined]


def write_notes(
    conn: sa.Connection, wave_id: int, notes: Sequence[NewNote], by: str | None = None
) -> int:
    """Store notes on the wave's respondents (by code), replacing each respondent's earlier
    notes on the same respondent or dimension; returns how many were stored."""
    if not notes:
        return 0
    table, people = t.respondent_notes, t.respondents
    rows = conn.execute(sa.select(people.c.code, people.c.id).where(people.c.wave_id == wave_id))
    ids = {code: respondent_id for code, respondent_id in rows}
    unknown = sorted({n.respondent for n in notes} - set(ids))
    if unknown:
        raise PmoAssessError(
            f"Notes name respondent(s) {', '.join(unknown)} that the wave does not have; "
            f"respondents in the wave: {', '.join(ids) or 'none'}."
        )
    for respondent_id, dimension_id in {(ids[n.respondent], n.dimension_id) for n in notes}:
        about = (
            table.c.dimension_id.is_(None)
            if dimension_id is None
            else table.c.dimension_id == dimension_id
        )
        conn.execute(table.delete().where((table.c.respondent_id == respondent_id) & about))
    stamp, author = now(), by or who()
    conn.execute(
        table.insert(),
        [
            {
                "respondent_id": ids[n.respondent],
                "dimension_id": n.dimension_id,
                "note": n.text,
                "source": n.source[:_SOURCE_LENGTH],
                "recorded_at": stamp,
                "recorded_by": author,
            }
            for n in notes
        ],
    )
    return len(notes)


def write_role_names(
    conn: sa.Connection, engagement_id: int, names: Mapping[str, RoleName]
) -> None:
    """Keep the names of the roles an import adds; a role named before takes the new names."""
    table = t.role_names
    for role, name in names.items():
        key = (table.c.engagement_id == engagement_id) & (table.c.role == role)
        conn.execute(table.delete().where(key))
        conn.execute(
            table.insert().values(
                engagement_id=engagement_id,
                role=role,
                one=name.one,
                many=name.many,
                label=name.label,
            )
        )


def stored_role_names(engine: sa.Engine, engagement_id: int) -> dict[str, RoleName]:
    """The names of the roles the engagement's imports added, by role."""
    table = t.role_names
    query = sa.select(table).where(table.c.engagement_id == engagement_id).order_by(table.c.role)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return {r["role"]: RoleName(r["one"], r["many"], r["label"]) for r in rows}


def load_notes(
    engine: sa.Engine,
    client_slug: str | None = None,
    wave: str | None = None,
    questionnaire_id: str | None = None,
) -> pd.DataFrame:
    """Notes on respondents and dimensions as a table of :data:`NOTE_COLUMNS`, in the order the
    answers are (client, wave, respondent), each respondent's notes in the order stored."""
    n, r, w, c = t.respondent_notes, t.respondents, t.waves, t.clients
    query = sa.select(
        c.c.slug.label("client"),
        w.c.label.label("wave"),
        r.c.code.label("respondent"),
        r.c.role,
        n.c.dimension_id,
        n.c.note,
        n.c.source,
        n.c.recorded_at,
        n.c.recorded_by,
    )
    query = of_assessment(
        up_to_client(query, n.c.respondent_id).order_by(c.c.slug, w.c.id, r.c.id, n.c.id),
        client_slug,
        wave,
        questionnaire_id,
    )
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    frame = pd.DataFrame([dict(row) for row in rows], columns=NOTE_COLUMNS)
    # None, never NaN, for a note on the respondent: a text column would hold NaN
    ids = [None if pd.isna(d) else d for d in frame["dimension_id"]]
    frame["dimension_id"] = pd.Series(ids, index=frame.index, dtype=object)
    return frame
