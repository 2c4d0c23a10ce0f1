"""The engagement a consultant is working on, remembered in the workspace.

``00_start_here`` (or ``pmo-assess use CLIENT``) records the client and engagement once; every
other notebook whose ``client`` parameter is empty opens that one. The choice is a small JSON file
in the workspace folder rather than a row in the store: with a team sharing one PostgreSQL store,
each consultant's workspace folder keeps its own choice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pmo_assess.core.atomic import write_text_atomic
from pmo_assess.core.errors import PmoAssessError
from pmo_assess.core.workspace import check_slug

SELECTION_FILE = "selection.json"


@dataclass(frozen=True)
class Selection:
    """The remembered client (its slug) and engagement (its id in the store)."""

    client: str
    engagement_id: int | None = None


def selection_path(workspace: Path) -> Path:
    """Where a workspace keeps its remembered selection."""
    return workspace / SELECTION_FILE


def remember(workspace: Path, selection: Selection) -> Path:
    """Record the selection for every notebook (and ``pmo-assess use``) that opens this workspace."""
    path = selection_path(workspace)
    text = json.dumps({"client": selection.client, "engagement_id": selection.engagement_id})
    write_text_atomic(path, text + "\n")
    return path


def remembered(workspace: Path) -> Selection | None:
    """The recorded selection, or None when nothing was chosen yet.

    A file someone edited by hand into nonsense is an error naming it, never a silent guess.
    """
    path = selection_path(workspace)
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        client = check_slug(str(data["client"]))
        engagement = data.get("engagement_id")
        if engagement is not None and not isinstance(engagement, int):
            raise ValueError("engagement_id is not a whole number")
    except (ValueError, KeyError, TypeError, PmoAssessError) as exc:
        raise PmoAssessError(
            f"{path}: the remembered client cannot be read ({exc}). Choose the client again in "
            "00_start_here or with `pmo-assess use CLIENT`; that rewrites the file."
        ) from None
    return Selection(client, engagement)
