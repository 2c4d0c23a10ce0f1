"""Commentary in a report notebook: read the Markdown cells a consultant added, and put saved
commentary back after the sections it follows.

A piece's anchor is the section cell it follows (``report.scorecard()`` -> ``scorecard``); a
cell above the cover follows nothing and is kept under ``cover``. Markdown cells the report
hides (tagged ``remove-from-report``) are the template's notes, not commentary.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pmo_assess.model.commentary import CommentaryPiece, commentary_piece
from pmo_assess.report.anchors import HIDDEN_TAGS, section_of_cell

if TYPE_CHECKING:
    import nbformat

#: The key of ``notebook.metadata["pmo_assess"]`` that names the commentary a kept notebook was
#: made with: ``{"revision": 3, "notebook": "<id of this notebook>"}``.
ORIGIN_KEY = "commentary"


def is_commentary(cell: nbformat.NotebookNode) -> bool:
    """True for a Markdown cell the report shows."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    return cell.cell_type == "markdown" and not tags & HIDDEN_TAGS


def notebook_commentary(notebook: nbformat.NotebookNode) -> tuple[CommentaryPiece, ...]:
    """Every piece of commentary in the notebook, in its order, each under the section it follows."""
    pieces, current = [], "cover"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            current = section_of_cell(cell.source) or current
        elif is_commentary(cell) and cell.source.strip():
            pieces.append(commentary_piece(current, cell.source))
    return tuple(pieces)


def with_commentary(
    notebook: nbformat.NotebookNode, pieces: Sequence[CommentaryPiece]
) -> nbformat.NotebookNode:
    """The notebook with its commentary cells replaced by ``pieces``, each after the cell of its
    section (in the order given). A piece whose section has no cell goes at the end, so none is
    dropped."""
    import nbformat

    waiting: dict[str, list[CommentaryPiece]] = {}
    for piece in pieces:
        waiting.setdefault(piece.anchor, []).append(piece)
    cells = []
    for cell in notebook.cells:
        if is_commentary(cell):
            continue
        cells.append(cell)
        if cell.cell_type == "code":
            cells += [_cell(p) for p in waiting.pop(section_of_cell(cell.source) or "", [])]
    cells += [_cell(p) for stray in waiting.values() for p in stray]
    changed = nbformat.from_dict(dict(notebook))
    changed.cells = cells
    return changed


def notebook_origin(notebook: nbformat.NotebookNode) -> tuple[int, str]:
    """The commentary revision a kept notebook was made with, and the notebook's id ((0, "")
    for a notebook made before commentary was kept in the store)."""
    origin = notebook.metadata.get("pmo_assess", {}).get(ORIGIN_KEY) or {}
    return int(origin.get("revision") or 0), str(origin.get("notebook") or "")


def _cell(piece: CommentaryPiece) -> nbformat.NotebookNode:
    import nbformat

    return nbformat.v4.new_markdown_cell(
        piece.markdown, metadata={"pmo_assess": {"anchor": piece.anchor}}
    )
