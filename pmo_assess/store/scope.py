"""An engagement's scope in the store: the functions in scope with their priorities, the PMO's
type and objectives on the engagement, and its own target and importance per dimension; with
them, when asked, the engagement's kind (establish or optimize).

Reading them back is :meth:`~pmo_assess.store.repository.Store.engagement`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.model.terms import ENGAGEMENT_KINDS
from pmo_assess.store import schema as t
from pmo_assess.store.records import DimensionSetting

if TYPE_CHECKING:
    from pmo_assess.store.repository import Store


def write_scope(
    store: Store,
    engagement_id: int,
    *,
    functions: Sequence[str],
    priorities: Mapping[str, str],
    pmo_type: str | None,
    objectives: Sequence[str],
    dimensions: Sequence[str],
    settings: Sequence[DimensionSetting],
    kind: str | None = None,
) -> None:
    """Write an engagement's scope in one transaction, as given (the caller checks it).

    ``functions`` are kept in their order with the ``priorities`` of the ranked ones. The
    settings of every dimension in ``dimensions`` are replaced by ``settings`` (a dimension
    without one goes back to the defaults); other dimensions' settings stay as they are. A
    ``kind`` changes the engagement's kind in the same transaction (None leaves it).
    """
    if kind is not None and kind not in ENGAGEMENT_KINDS:
        raise PmoAssessError(
            f"Engagement kind must be one of {', '.join(ENGAGEMENT_KINDS)}; got {kind!r}."
        )
    engagements, table = t.engagements, t.engagement_dimensions
    with store.transaction() as conn:
        conn.execute(
            engagements.update()
            .where(engagements.c.id == engagement_id)
            .values(
                functions_in_scope=json.dumps(list(functions)),
                function_priorities=json.dumps(dict(priorities)),
                pmo_type=pmo_type,
                objectives=json.dumps(list(objectives)),
                **({} if kind is None else {"kind": kind}),
            )
        )
        conn.execute(
            table.delete().where(
                (table.c.engagement_id == engagement_id)
                & table.c.dimension_id.in_(list(dimensions))
            )
        )
        rows = [
            {
                "engagement_id": engagement_id,
                "dimension_id": s.dimension_id,
                "target": s.target,
                "importance": s.importance,
            }
            for s in settings
        ]
        if rows:
            conn.execute(table.insert(), rows)
