"""Changes to what the store already holds: a client's description, and a wave's label and date.

Each change is one transaction. A client keeps its slug, which names its folders in the workspace
and in the reports; a wave keeps its id, so its respondents and answers stay with it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.store import schema as t
from pmo_assess.store.records import Client, Wave, wave_record

if TYPE_CHECKING:
    from pmo_assess.store.repository import Store

#: What describes a client and can be changed; None clears any but the name.
CLIENT_FIELDS = ("name", "industry", "size_band", "region")
_LABEL_LENGTH = t.waves.c.label.type.length  # type: ignore[attr-defined]


def update_client(store: Store, slug: str, changes: Mapping[str, str | None]) -> Client:
    """Change the client's description (see :data:`CLIENT_FIELDS`) and return the client as saved.

    Values are stored as given: the caller checks industry and size band against the vocabulary.
    """
    unknown = sorted(set(changes) - set(CLIENT_FIELDS))
    if unknown:
        raise PmoAssessError(
            f"A client has no field {', '.join(unknown)}; fields: {', '.join(CLIENT_FIELDS)}."
        )
    if "name" in changes and not (changes["name"] or "").strip():
        raise PmoAssessError("A client needs a name; the new name is empty.")
    values = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in changes.items()}
    client = store.client(slug)  # the error lists the clients there are
    if values:
        with store.transaction() as conn:
            conn.execute(t.clients.update().where(t.clients.c.id == client.id).values(**values))
    return store.client(slug)


def change_wave(
    store: Store,
    engagement_id: int,
    label: str,
    *,
    new_label: str | None = None,
    held_on: date | None = None,
) -> Wave:
    """Rename a wave of the engagement and/or give it a date, in one transaction.

    The wave must exist (the error lists the waves there are); a new label must be free.
    """
    with store.transaction() as conn:
        waves = [
            wave_record(r)
            for r in conn.execute(
                sa.select(t.waves).where(t.waves.c.engagement_id == engagement_id)
            ).mappings()
        ]
        wave = _find(waves, label)
        values: dict[str, object] = {} if held_on is None else {"held_on": held_on}
        if new_label is not None and new_label.strip() != label:
            values["label"] = _free_label(waves, new_label.strip())
        if values:
            conn.execute(t.waves.update().where(t.waves.c.id == wave.id).values(**values))
        row = conn.execute(sa.select(t.waves).where(t.waves.c.id == wave.id)).mappings().one()
        return wave_record(row)


def _find(waves: list[Wave], label: str) -> Wave:
    for wave in waves:
        if wave.label == label:
            return wave
    labels = [w.label for w in waves]
    near = difflib.get_close_matches(label, labels, n=1)
    hint = f" (did you mean '{near[0]}'?)" if near else ""
    raise PmoAssessError(
        f"No wave '{label}'{hint}. Waves of this engagement: {', '.join(labels) or 'none yet'}."
    )


def _free_label(waves: list[Wave], label: str) -> str:
    if not label:
        raise PmoAssessError("A wave needs a label, e.g. 2026-Q3; the new label is empty.")
    if len(label) > _LABEL_LENGTH:
        raise PmoAssessError(
            f"A wave's label is at most {_LABEL_LENGTH} characters; the new label has {len(label)}."
        )
    if any(w.label == label for w in waves):
        raise PmoAssessError(
            f"The engagement has a wave '{label}' already; choose another label. "
            f"Waves: {', '.join(w.label for w in waves)}."
        )
    return label
