"""Finding a respondent by id with where it belongs: its client and its wave (an interview shows
both, and reopens the respondent after a kernel restart)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from pmo_assess.store import schema as t
from pmo_assess.store.records import PlacedRespondent, respondent_record

if TYPE_CHECKING:
    from pmo_assess.store.repository import Store


def placed_respondent(store: Store, respondent_id: int) -> PlacedRespondent | None:
    """The respondent with its client's slug and its wave's label; None when there is none."""
    r, w, e, c = t.respondents, t.waves, t.engagements, t.clients
    query = (
        sa.select(r, c.c.slug.label("client_slug"), w.c.label.label("wave_label"))
        .join(w, w.c.id == r.c.wave_id)
        .join(e, e.c.id == w.c.engagement_id)
        .join(c, c.c.id == e.c.client_id)
        .where(r.c.id == respondent_id)
    )
    with store.engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return None
    return PlacedRespondent(respondent_record(row), row["client_slug"], row["wave_label"])
