"""The consultants' commentary on a wave's report, kept in the store so a team shares it.

A wave's commentary is read and saved whole. Every save adds a revision (its pieces, who saved
it, when, and from where) in one transaction; an earlier revision is never changed or deleted,
so commentary a save replaced can always be read back with ``revision=``. A wave is found the
way reports find it: in the client's latest engagement, by label (the latest wave when None).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from pmo_assess.core.errors import PmoAssessError
from pmo_assess.model.commentary import Commentary, CommentaryPiece
from pmo_assess.store import schema as t
from pmo_assess.store.records import Wave
from pmo_assess.store.repository import Store, choose_wave
from pmo_assess.store.writes import now, who

#: The longest source a revision records (the size of its column).
SOURCE_LENGTH: int = t.commentary_revisions.c.source.type.length  # type: ignore[attr-defined]


def find_wave(store: Store, client_slug: str, wave: str | None = None) -> Wave:
    """The wave ``wave`` of the client's latest engagement (its latest wave when None)."""
    return choose_wave(store.waves(store.engagement(client_slug).id), wave, client_slug)


def read_commentary(
    store: Store, client_slug: str, wave: str | None = None, revision: int | None = None
) -> Commentary:
    """The wave's current commentary, or its revision ``revision``; revision 0 when none."""
    found = find_wave(store, client_slug, wave)
    with store.engine.connect() as conn:
        history = _revisions(conn, client_slug, found)
    if revision is None:
        return history[-1] if history else Commentary(client_slug, found.label)
    for candidate in history:
        if candidate.revision == revision:
            return candidate
    kept = f"revisions 1 to {history[-1].revision}" if history else "no revisions yet"
    raise PmoAssessError(
        f"The commentary of client '{client_slug}', wave '{found.label}' has no revision "
        f"{revision}; it has {kept}."
    )


def commentary_history(store: Store, client_slug: str, wave: str | None = None) -> list[Commentary]:
    """Every saved revision of the wave's commentary, oldest first (empty when none)."""
    found = find_wave(store, client_slug, wave)
    with store.engine.connect() as conn:
        return _revisions(conn, client_slug, found)


def save_commentary(
    store: Store,
    client_slug: str,
    wave: str | None,
    pieces: Sequence[CommentaryPiece],
    source: str,
    by: str | None = None,
) -> tuple[Commentary, Commentary]:
    """Make ``pieces`` the commentary of the wave (the latest when None), in one transaction;
    returns (before, after).

    Pieces equal to the current ones add no revision (``before == after``). Two saves at the
    same moment cannot both win: the second is refused with a clear error, nothing half-written.
    """
    found = find_wave(store, client_slug, wave)
    try:
        with store.transaction() as conn:
            history = _revisions(conn, client_slug, found)
            before = history[-1] if history else Commentary(client_slug, found.label)
            if before.pieces == tuple(pieces):
                return before, before
            _insert(conn, found.id, before.revision + 1, pieces, source, by or who())
            after = _revisions(conn, client_slug, found)[-1]
    except sa.exc.IntegrityError:
        raise PmoAssessError(
            f"Someone saved commentary for client '{client_slug}', wave '{found.label}' at the "
            "same moment; nothing was saved. Run the command again."
        ) from None
    return before, after


def _insert(
    conn: sa.Connection,
    wave_id: int,
    revision: int,
    pieces: Sequence[CommentaryPiece],
    source: str,
    by: str,
) -> None:
    result = conn.execute(
        t.commentary_revisions.insert().values(
            wave_id=wave_id,
            revision=revision,
            saved_at=now(),
            saved_by=by[:120],
            source=source[:SOURCE_LENGTH],
        )
    )
    revision_id = result.inserted_primary_key[0]  # type: ignore[index]
    rows = [
        {"revision_id": revision_id, "position": n, "anchor": p.anchor, "markdown": p.markdown}
        for n, p in enumerate(pieces, start=1)
    ]
    if rows:
        conn.execute(t.commentary_pieces.insert(), rows)


def _revisions(conn: sa.Connection, client_slug: str, wave: Wave) -> list[Commentary]:
    """Every revision of the wave, oldest first, read in one query."""
    r, p = t.commentary_revisions, t.commentary_pieces
    query = (
        sa.select(r, p.c.anchor, p.c.markdown, p.c.position)
        .outerjoin(p, p.c.revision_id == r.c.id)
        .where(r.c.wave_id == wave.id)
        .order_by(r.c.revision, p.c.position)
    )
    grouped: dict[int, tuple[dict[str, Any], list[CommentaryPiece]]] = {}
    for row in conn.execute(query).mappings():
        _, pieces = grouped.setdefault(row["revision"], (dict(row), []))
        if row["position"] is not None:
            pieces.append(CommentaryPiece(row["anchor"], row["markdown"]))
    return [
        Commentary(
            client_slug,
            wave.label,
            tuple(pieces),
            revision,
            row["saved_at"],
            row["saved_by"],
            row["source"],
        )
        for revision, (row, pieces) in grouped.items()
    ]
