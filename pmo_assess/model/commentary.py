"""A consultant's commentary on one client's report for one wave: Markdown pieces, each anchored
to the report section it follows.

The store keeps every saved version (a *revision*); reports, the kept notebook and the
commentary file are views of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


@dataclass(frozen=True)
class CommentaryPiece:
    """One Markdown cell of commentary, shown after the section ``anchor`` (e.g. ``summary``)."""

    anchor: str
    markdown: str


@dataclass(frozen=True)
class Commentary:
    """A client's commentary for one wave as saved: revision 0, without pieces, when none is.

    ``source`` says where a revision came from (``notebook <id>`` for a kept report notebook,
    ``import <file>`` for a commentary file).
    """

    client: str
    wave: str
    pieces: tuple[CommentaryPiece, ...] = ()
    revision: int = 0
    saved_at: datetime | None = None
    saved_by: str = ""
    source: str = ""


def commentary_piece(anchor: str, markdown: str) -> CommentaryPiece:
    """A piece with its Markdown tidied: blank lines around it and trailing spaces dropped, so
    the same words read from a notebook or from a file make the same piece.

    >>> commentary_piece("summary", "\\n\\n  Indented text.  \\n\\n")
    CommentaryPiece(anchor='summary', markdown='  Indented text.')
    """
    return CommentaryPiece(anchor, _LEADING_BLANK_LINES.sub("", markdown).rstrip())
