"""Every stored row one client's reports can depend on, for the batch's digest of a client's
report inputs (:mod:`pmo_assess.batch.inputs`): the same rows mean the same report.

The rows are read whole, column by column, so a column added to one of these tables counts in
the digest without a change here (the roadmap's decisions come as their records, whole too).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from pmo_assess.store import schema as t
from pmo_assess.store.actions import read_action_decisions

if TYPE_CHECKING:
    from pmo_assess.store.repository import Store

Row = dict[str, Any]


@dataclass(frozen=True)
class ClientRows:
    """A client's stored rows by table, each row as column name to value, in primary-key order."""

    clients: tuple[Row, ...]
    engagements: tuple[Row, ...]
    settings: tuple[Row, ...]
    waves: tuple[Row, ...]
    respondents: tuple[Row, ...]
    answers: tuple[Row, ...]
    roadmap: tuple[Row, ...]

    def as_dict(self) -> dict[str, list[Row]]:
        """The rows by table name (``clients``, ``engagements``, ``settings``, ...)."""
        return {name: list(rows) for name, rows in vars(self).items()}


def client_rows(store: Store, client_slug: str) -> ClientRows:
    """Every stored row the client's reports can depend on, read in one transaction."""
    with store.engine.connect() as conn:

        def rows(table: sa.Table, where: Any) -> tuple[Row, ...]:
            query = sa.select(table).where(where).order_by(*table.primary_key.columns)
            return tuple(dict(r) for r in conn.execute(query).mappings())

        clients = rows(t.clients, t.clients.c.slug == client_slug)
        engagements = rows(t.engagements, t.engagements.c.client_id.in_([c["id"] for c in clients]))
        engagement_ids = [e["id"] for e in engagements]
        waves = rows(t.waves, t.waves.c.engagement_id.in_(engagement_ids))
        respondents = rows(t.respondents, t.respondents.c.wave_id.in_([w["id"] for w in waves]))
        decisions = sorted(read_action_decisions(conn, engagement_ids), key=lambda d: d.id)
        return ClientRows(
            clients=clients,
            engagements=engagements,
            settings=rows(
                t.engagement_dimensions,
                t.engagement_dimensions.c.engagement_id.in_(engagement_ids),
            ),
            waves=waves,
            respondents=respondents,
            answers=rows(t.answers, t.answers.c.respondent_id.in_([r["id"] for r in respondents])),
            roadmap=tuple(asdict(d) for d in decisions),
        )
