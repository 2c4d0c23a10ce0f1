"""Decisions on an engagement's roadmap actions: one row per engagement and action, kept by the
implementation plan and read back by the plan, the re-assessment, the engagement's status and
the batch's digest.

An action nobody has decided on yet has no row; a first decision starts it ``proposed``, without
owner, due date or note.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa

from pmo_assess.model.terms import ACTION_STATUSES
from pmo_assess.store import schema as t
from pmo_assess.store.records import ActionRecord, action_record
from pmo_assess.store.writes import now

if TYPE_CHECKING:
    from datetime import date

    from pmo_assess.store.repository import Store

#: The longest owner a decision can name (the size of its column).
OWNER_LENGTH: int = t.roadmap_actions.c.owner.type.length  # type: ignore[attr-defined]


class Keep(Enum):
    """A part of a decision left as it is by :func:`record_decision`."""

    KEEP = "keep"


KEEP: Literal[Keep.KEEP] = Keep.KEEP


def action_decisions(store: Store, engagement_id: int) -> list[ActionRecord]:
    """Every decision recorded on the engagement's roadmap actions, by action id."""
    with store.engine.connect() as conn:
        return read_action_decisions(conn, [engagement_id])


def read_action_decisions(conn: sa.Connection, engagement_ids: Sequence[int]) -> list[ActionRecord]:
    """The decisions of several engagements inside an open connection, by action id then row."""
    table = t.roadmap_actions
    query = (
        sa.select(table)
        .where(table.c.engagement_id.in_(engagement_ids))
        .order_by(table.c.action_id, table.c.id)
    )
    return [action_record(row) for row in conn.execute(query).mappings()]


def record_decision(
    store: Store,
    engagement_id: int,
    action_id: str,
    *,
    status: str | Literal[Keep.KEEP] = KEEP,
    owner: str | Literal[Keep.KEEP] | None = KEEP,
    due_date: date | Literal[Keep.KEEP] | None = KEEP,
    note: str | Literal[Keep.KEEP] = KEEP,
) -> ActionRecord:
    """Record a decision on one action of the engagement in one transaction, and return it.

    What is left as :data:`KEEP` keeps its value (a first decision starts ``proposed`` without
    owner, due date or note); None clears an owner or due date. The values are not checked here.
    """
    given: dict[str, Any] = {"status": status, "owner": owner, "due_date": due_date, "note": note}
    changes = {name: value for name, value in given.items() if value is not KEEP}
    table = t.roadmap_actions
    key = (table.c.engagement_id == engagement_id) & (table.c.action_id == action_id)
    with store.transaction() as conn:
        if conn.execute(sa.select(table.c.id).where(key)).first():
            conn.execute(table.update().where(key).values(**changes, updated_at=now()))
        else:
            fresh = {"status": ACTION_STATUSES[0], "owner": None, "due_date": None, "note": ""}
            ids = {"engagement_id": engagement_id, "action_id": action_id}
            conn.execute(table.insert().values(**ids, **(fresh | changes), updated_at=now()))
        return action_record(conn.execute(sa.select(table).where(key)).mappings().one())
